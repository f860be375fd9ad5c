#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Module unload while userspace holds netlink state: a dump stopped half
# way keeps the module in (the kernel holds a reference for the dump) and
# completes afterwards; a killed reader frees it; a plain open socket does
# not pin the module and gets a clean error once the family is gone.
source "$(dirname "$0")/lib.sh"
require_root

ktap_plan 4
module_unload
module_load || exit $KSFT_FAIL
on_exit module_unload

# start_holder MODE: run "ucp_nltool MODE" as the coprocess HOLDER (killed
# at exit if still running) and read its first line into $line.
start_holder()
{
	coproc HOLDER { "$NLTOOL" "$1"; }
	on_exit "kill -KILL $HOLDER_PID"
	read -r -t 30 line <&"${HOLDER[0]}" || fail_msg "no answer from $1"
}

# finish_holder: tell the holder to go on, read its last line into $line
# and return its exit status.
finish_holder()
{
	local pid=$HOLDER_PID

	echo go >&"${HOLDER[1]}"
	read -r -t 30 line <&"${HOLDER[0]}"
	wait "$pid"
}

held_dump_pins_module()
{
	local rc

	start_holder hold-dump || return 1
	[[ $line == "held "* ]] ||
		fail_msg "dump not held mid-way ($line): too few possible CPUs?" || return 1
	ktap_diag "dump held after ${line#held } of $(possible_cpus) messages"

	if rmmod ucproxy 2>/dev/null; then
		fail_msg "rmmod succeeded mid-dump"
		kill -KILL "$HOLDER_PID"
		return 1
	fi
	module_loaded || fail_msg "module gone mid-dump" || return 1

	finish_holder
	rc=$?
	[ "$rc" -eq 0 ] || fail_msg "hold-dump exit $rc" || return 1
	[ "$line" = "done $(possible_cpus)" ] || fail_msg "dump ended with: $line" || return 1
	rmmod ucproxy || fail_msg "rmmod failed after the dump ended"
}
ktap_check "a half-read dump pins the module, then completes" held_dump_pins_module

killed_reader_releases()
{
	local pid

	module_load || return 1
	start_holder hold-dump || return 1
	[[ $line == "held "* ]] || fail_msg "dump not held: $line" || return 1
	pid=$HOLDER_PID
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	rmmod ucproxy || fail_msg "rmmod failed after the reader was killed"
}
ktap_check "a reader killed mid-dump releases the module" killed_reader_releases

open_socket_gets_clean_error()
{
	module_load || return 1
	start_holder hold-socket || return 1
	[ "$line" = "open" ] || fail_msg "hold-socket: $line" || return 1
	rmmod ucproxy || fail_msg "an idle socket pinned the module" || return 1
	finish_holder
	# The family's id is gone: generic netlink answers ENOENT.
	[[ $line == "error 2: "* ]] || fail_msg "request after unload: $line"
}
ktap_check "a socket open across unload gets ENOENT, no crash" open_socket_gets_clean_error

reload_works()
{
	module_load || return 1
	[ "$("$NLTOOL" send 1)" = "ok 1" ] || fail_msg "info-get after reload failed"
}
ktap_check "the module reloads and answers after all of it" reload_works

ktap_finish
