# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the ucproxy selftests: KTAP output, the module under
# test, network namespaces with random names, cleanup on exit.
#
# A test sources this file, declares its plan with ktap_plan, reports each
# case with ktap_ok/ktap_fail/ktap_skip (or ktap_check), and ends with
# ktap_finish, whose exit code follows kselftest: 0 pass, 1 fail, 4 skip.

set -u

UCP_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
UCP_ROOT=$(dirname "$UCP_SELFTESTS")
# The module under test: the tree's, or the debug lane's build of it.
UCP_KO=${UCP_KO:-$UCP_ROOT/kmod/ucproxy.ko}
UCPCTL=$UCP_ROOT/user/ucpctl/ucpctl
NLTOOL=$UCP_SELFTESTS/ucp_nltool
NLABUSE=$UCP_SELFTESTS/ucp_nlabuse

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

_ktap_n=0
_ktap_failed=0
_ktap_passed=0
_ktap_skipped=0
_ucp_netns=()
_ucp_cleanups=()

ktap_plan()
{
	echo "KTAP version 1"
	echo "1..$1"
}

ktap_ok()
{
	_ktap_n=$((_ktap_n + 1))
	_ktap_passed=$((_ktap_passed + 1))
	echo "ok $_ktap_n $*"
}

ktap_fail()
{
	_ktap_n=$((_ktap_n + 1))
	_ktap_failed=$((_ktap_failed + 1))
	echo "not ok $_ktap_n $*"
}

ktap_skip()
{
	_ktap_n=$((_ktap_n + 1))
	_ktap_skipped=$((_ktap_skipped + 1))
	echo "ok $_ktap_n # SKIP $*"
}

# ktap_result LINE WHAT: a peer script's "RESULT ok|fail TEXT" line as one
# case; no such line (the script died) fails WHAT.
ktap_result()
{
	case "$1" in
	"RESULT ok "*) ktap_ok "${1#RESULT ok }" ;;
	"RESULT fail "*) ktap_fail "${1#RESULT fail }" ;;
	*) ktap_fail "$2: no result ($1)" ;;
	esac
}

# ktap_check DESCRIPTION COMMAND...: one case, passing when COMMAND does.
ktap_check()
{
	local desc=$1

	shift
	if "$@"; then
		ktap_ok "$desc"
	else
		ktap_fail "$desc"
	fi
}

ktap_diag()
{
	echo "# $*"
}

ktap_finish()
{
	echo "# totals: pass:$_ktap_passed fail:$_ktap_failed skip:$_ktap_skipped"
	if [ "$_ktap_failed" -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ "$_ktap_passed" -eq 0 ] && [ "$_ktap_skipped" -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}

# fail_msg MESSAGE: print a diagnostic and return false, for use in checks.
fail_msg()
{
	ktap_diag "$*"
	return 1
}

# --- cleanup -------------------------------------------------------------

# on_exit COMMAND...: run COMMAND (a string) at exit, last registered first.
on_exit()
{
	_ucp_cleanups+=("$*")
}

_ucp_cleanup()
{
	local i ns

	for ((i = ${#_ucp_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_ucp_cleanups[$i]}" >/dev/null 2>&1
	done
	for ns in "${_ucp_netns[@]}"; do
		ip netns del "$ns" >/dev/null 2>&1
	done
}
trap _ucp_cleanup EXIT

# --- network namespaces --------------------------------------------------

# netns_new VAR: create a namespace with a random name, store it in VAR,
# bring its loopback up; it is deleted at exit.
netns_new()
{
	local name

	name="ucp-$(mktemp -u XXXXXXXX)"
	ip netns add "$name" || return 1
	_ucp_netns+=("$name")
	ip -n "$name" link set lo up
	printf -v "$1" '%s' "$name"
}

# nat_topology: the namespaces IN, RT and OUT (their names in those
# variables) of the NAT tests: an inside host 10.0.1.2, fd00:1::2 (rt-in side
# 10.0.1.1, fd00:1::1) and an outside host 198.51.100.2, 2001:db8:100::2
# (rt-out side 198.51.100.1, 2001:db8:100::1), joined by veth pairs through
# the forwarding router RT. Rules are the caller's.
nat_topology()
{
	local l

	netns_new IN && netns_new RT && netns_new OUT || return 1
	ip link add in0 netns "$IN" type veth peer name rt-in netns "$RT" &&
	ip link add out0 netns "$OUT" type veth peer name rt-out netns "$RT" &&
	ip -n "$IN" addr add 10.0.1.2/24 dev in0 &&
	ip -n "$IN" addr add fd00:1::2/64 dev in0 nodad &&
	ip -n "$RT" addr add 10.0.1.1/24 dev rt-in &&
	ip -n "$RT" addr add fd00:1::1/64 dev rt-in nodad &&
	ip -n "$RT" addr add 198.51.100.1/24 dev rt-out &&
	ip -n "$RT" addr add 2001:db8:100::1/64 dev rt-out nodad &&
	ip -n "$OUT" addr add 198.51.100.2/24 dev out0 &&
	ip -n "$OUT" addr add 2001:db8:100::2/64 dev out0 nodad || return 1
	for l in "$IN in0" "$RT rt-in" "$RT rt-out" "$OUT out0"; do
		# shellcheck disable=SC2086 # namespace and device
		set -- $l
		ip -n "$1" link set "$2" up || return 1
	done
	ip -n "$IN" route add default via 10.0.1.1 &&
	ip -n "$IN" -6 route add default via fd00:1::1 &&
	ip netns exec "$RT" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
}

# sip_udp_rules: in nat_topology's router, ucp-sip on UDP port 5060 and
# source NAT toward the outside (IPv4 and IPv6), in table inet ucp.
sip_udp_rules()
{
	ip netns exec "$RT" nft -f - <<'EOF'
table inet ucp {
	ct helper sip-udp { type "ucp-sip" protocol udp; }
	chain pre {
		type filter hook prerouting priority filter;
		udp dport 5060 ct helper set "sip-udp"
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "rt-out" meta nfproto ipv4 snat ip to 198.51.100.1
		oifname "rt-out" meta nfproto ipv6 snat ip6 to 2001:db8:100::1
	}
}
EOF
}

# sccp_result SCRIPT ARG...: the RESULT line of an SCCP peer script
# (sccp_nat.py, sccp_media.py) run with sccp_nat_topology's addresses.
sccp_result()
{
	local script=$1

	shift
	/usr/bin/python3 "$UCP_SELFTESTS/$script" --inside "$IN" --out "$OUT" --rt "$RT" \
		--in4 10.0.1.2 --rt4 198.51.100.1 --out4 198.51.100.2 --far4 198.51.100.3 \
		--in6 fd00:1::2 --rt6 2001:db8:100::1 --out6 2001:db8:100::2 \
		--far6 2001:db8:100::3 "$@" 2>&1 | grep '^RESULT' | tail -n 1
}

# sccp_nat_topology: nat_topology, the far phone's media address beside
# the call manager (198.51.100.3, 2001:db8:100::3), ucp-sccp on TCP 2000
# and the router's SNAT (the SCCP tests).
sccp_nat_topology()
{
	nat_topology || return 1
	ip -n "$OUT" addr add 198.51.100.3/24 dev out0 &&
		ip -n "$OUT" addr add 2001:db8:100::3/64 dev out0 nodad || return 1
	ip netns exec "$RT" nft -f - <<-'NFT'
	table inet ucp {
		ct helper sccp { type "ucp-sccp" protocol tcp; }
		chain pre {
			type filter hook prerouting priority filter;
			tcp dport 2000 ct helper set "sccp"
		}
		chain post {
			type nat hook postrouting priority srcnat;
			oifname "rt-out" meta nfproto ipv4 snat ip to 198.51.100.1
			oifname "rt-out" meta nfproto ipv6 snat ip6 to 2001:db8:100::1
		}
	}
	NFT
}

# capture_start NS DEV FILTER FILE: tshark in namespace NS writing what
# DEV carries (capture filter FILTER) to FILE, stopped at exit; its pid in
# CAPTURE_PID. Returns once it captures (dumpcap takes seconds to start
# under emulation), or 1 when tshark is not installed.
capture_start()
{
	command -v tshark >/dev/null || return 1
	ip netns exec "$1" tshark -i "$2" -w "$4" -f "$3" 2>"$4.err" &
	CAPTURE_PID=$!
	on_exit "kill $CAPTURE_PID 2>/dev/null; rm -f $4.err"
	for _ in $(seq 100); do
		grep -q "Capturing on" "$4.err" 2>/dev/null && break
		sleep 0.2
	done
}

# --- the module under test -----------------------------------------------

require_root()
{
	if [ "$(id -u)" -ne 0 ]; then
		ktap_plan 1
		ktap_skip "needs root"
		ktap_finish
	fi
}

# A ucproxy installed on the host (make install, DKMS) would be autoloaded
# instead of the module under test: remove it from the guest's throwaway
# overlay. Never runs outside a vmtest guest.
hide_installed_module()
{
	local path

	[ -d /run/vmtest ] || return 0
	path=$(modinfo -n ucproxy 2>/dev/null) || return 0
	[ "$path" != "$UCP_KO" ] || return 0
	# The module under test itself, installed by module_load.sh.
	! cmp -s "$path" "$UCP_KO" || return 0
	rm -f "$path" && depmod -a
}
hide_installed_module

# Tests that assign conntrack helpers with nft ("ct helper set") need the
# nft_objref expression: skip the whole test, with the reason, without it.
require_nft_objref()
{
	local ns

	netns_new ns || return 1
	if ! ip netns exec "$ns" nft -f - >/dev/null 2>&1 <<'NFT'
table inet probe {
	counter c {
	}
	chain ch {
		counter name "c"
	}
}
NFT
	then
		ktap_plan 1
		ktap_skip "this kernel lacks nft_objref (CONFIG_NFT_OBJREF): nft cannot assign conntrack helpers"
		ktap_finish
	fi
	ip netns del "$ns"
}

# Keep modprobe from loading ucproxy (an installed copy would be autoloaded
# by ucpctl or nft) until the returned cleanup runs: /run/modprobe.d is
# read by modprobe and is gone at reboot.
UCP_NOAUTOLOAD=/run/modprobe.d/ucp-selftest-noautoload.conf
block_autoload()
{
	mkdir -p /run/modprobe.d &&
		echo "install ucproxy /bin/false" > "$UCP_NOAUTOLOAD"
}

unblock_autoload()
{
	rm -f "$UCP_NOAUTOLOAD"
}

module_loaded()
{
	[ -d /sys/module/ucproxy ]
}

# insmod does not load what the module needs (conntrack and NAT, where
# they are modules): modprobe those first.
module_load()
{
	local dep

	module_loaded && return 0
	for dep in $(modinfo -F depends "$UCP_KO" | tr , ' '); do
		modprobe "$dep" || return 1
	done
	insmod "$UCP_KO"
}

module_unload()
{
	! module_loaded || rmmod ucproxy
}

# family_present: the generic netlink family is registered in this netns.
family_present()
{
	genl ctrl get name ucproxy >/dev/null 2>&1
}

# json_get JSON EXPR: evaluate a jq expression, raw output.
json_get()
{
	printf '%s' "$1" | jq -r "$2"
}

# possible_cpus: how many CPUs the kernel counts as possible.
possible_cpus()
{
	python3 -c '
n = 0
for part in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    lo, _, hi = part.partition("-")
    n += int(hi or lo) - int(lo) + 1
print(n)'
}

# one_line_error REGEX COMMAND...: COMMAND must fail with exactly one line
# on stderr, "ucpctl: ..." matching REGEX (grep -E, case-insensitive).
one_line_error()
{
	local want=$1 err rc

	shift
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	[ "$rc" -ne 0 ] || fail_msg "$*: exit status 0" || return 1
	[ "$(wc -l <<<"$err")" -eq 1 ] || fail_msg "$*: not one line: $err" || return 1
	grep -q '^ucpctl: ' <<<"$err" || fail_msg "$*: no prefix: $err" || return 1
	grep -qiE "$want" <<<"$err" || fail_msg "$*: unclear: $err"
}
