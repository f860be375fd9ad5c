#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The module loads and unloads cleanly, many times, registering and removing
# its generic netlink family each time, and autoloads by family name.
source "$(dirname "$0")/lib.sh"
require_root

# Each cycle registers and removes ten conntrack helpers (SIP and SCCP),
# several RCU grace periods each: about 5 s under emulation.
CYCLES=${UCP_LOAD_CYCLES:-10}

ktap_plan 6
module_unload

load_unload_cycles()
{
	local i

	for ((i = 1; i <= CYCLES; i++)); do
		module_load || fail_msg "cycle $i: insmod failed" || return 1
		family_present || fail_msg "cycle $i: family missing after load" || return 1
		rmmod ucproxy || fail_msg "cycle $i: rmmod failed" || return 1
		! family_present || fail_msg "cycle $i: family left after unload" || return 1
	done
}

before=$(dmesg | grep -c 'ucproxy: version .* loaded$')
log_start=$(dmesg | wc -l)
ktap_check "$CYCLES load/unload cycles" load_unload_cycles

log_balanced()
{
	local loaded unloaded

	loaded=$(($(dmesg | grep -c 'ucproxy: version .* loaded$') - before))
	unloaded=$(dmesg | grep -c 'ucproxy: unloaded$')
	[ "$loaded" -eq "$CYCLES" ] || fail_msg "loaded $loaded times, expected $CYCLES" || return 1
	# Earlier tests in the same boot may have unloaded too: at least CYCLES.
	[ "$unloaded" -ge "$CYCLES" ] || fail_msg "unloaded $unloaded times"
}
ktap_check "kernel log shows every load and unload" log_balanced

no_kernel_reports()
{
	! dmesg | tail -n +"$((log_start + 1))" |
		grep -E 'WARNING:|BUG:|Oops|KASAN:|UBSAN:|suspected memory leak|Call Trace:' ||
		fail_msg "kernel reports during the load/unload cycles"
}
ktap_check "no kernel warnings from the cycles" no_kernel_reports

# Install the module where modprobe finds it (the guest's root is a
# throwaway overlay), then let a netlink client's family lookup load it.
autoload_by_family()
{
	local dest

	dest=/lib/modules/$(uname -r)/extra
	# It stays installed in the guest's throwaway overlay (later tests
	# see the same file as theirs). depmod -a takes minutes under
	# emulation: make check computes the same index on the host
	# (scripts/depmod-index), and the guest takes it when it is there.
	mkdir -p "$dest" && cp "$UCP_KO" "$dest/" || return 1
	if [ -n "${UCP_DEPMOD_INDEX:-}" ]; then
		cmp -s "$UCP_DEPMOD_INDEX/../ucproxy.ko" "$UCP_KO" ||
			fail_msg "$UCP_DEPMOD_INDEX is not the index of $UCP_KO" || return 1
		cp "$UCP_DEPMOD_INDEX"/modules.* "/lib/modules/$(uname -r)/" || return 1
	else
		depmod -a || return 1
	fi
	modinfo -n ucproxy >/dev/null || fail_msg "modprobe's index has no ucproxy" || return 1
	module_unload
	"$UCPCTL" show info >/dev/null || fail_msg "ucpctl failed" || return 1
	module_loaded || fail_msg "module not autoloaded"
}
ktap_check "family lookup autoloads the module" autoload_by_family
module_unload

# nft loads a conntrack helper's module by the helper's name.
autoload_by_helper()
{
	local type=$1 proto=$2 ns

	! module_loaded || fail_msg "the module is still loaded: nothing to prove" || return 1
	netns_new ns || return 1
	ip netns exec "$ns" nft add table inet t &&
		ip netns exec "$ns" nft add ct helper inet t s \
			"{ type \"$type\" protocol $proto; }" ||
		fail_msg "nft could not create a $type helper object" || return 1
	module_loaded || fail_msg "module not autoloaded" || return 1
	ip netns del "$ns"
}
# The namespace holding the helper object goes away in the background:
# the module is in use until it has.
unload_wait()
{
	local i

	for ((i = 0; i < 100; i++)); do
		module_loaded || return 0
		rmmod ucproxy 2>/dev/null
		sleep 0.1
	done
	module_unload
}
ktap_check "an nft ct helper of type ucp-sip autoloads the module" autoload_by_helper ucp-sip udp
unload_wait
ktap_check "an nft ct helper of type ucp-sccp autoloads the module" autoload_by_helper ucp-sccp tcp
unload_wait

ktap_finish
