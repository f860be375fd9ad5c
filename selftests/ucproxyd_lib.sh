# SPDX-License-Identifier: GPL-2.0
# Helpers of the ucproxyd selftests (sourced after lib.sh): the three
# namespaces (client, router running ucproxyd, server), certificates made
# with the openssl CLI, starting the agent and reading its counters.
#
#   client C 192.0.2.10 --- 192.0.2.1 router R 10.9.0.1 --- 10.9.0.2 server S
#        2001:db8:1::10 --- 2001:db8:1::1      2001:db8:2::1 --- 2001:db8:2::2
#
# Certificates (in $UD_DIR): ca (trusted by everyone for the proxy's and
# the server's certificates), phone-ca (signs the phones), rogue-ca (signs
# a phone nobody trusts), mint-ca (the proxy's CA for minted client
# certificates, the only CA the server accepts clients from).

UCPROXYD=$UCP_ROOT/user/ucproxyd/ucproxyd
UD_PORT=5061

# ud_topology: namespaces C, R, S ($UD_C, $UD_R, $UD_S) and $UD_DIR.
ud_topology()
{
	netns_new UD_C || return 1
	netns_new UD_R || return 1
	netns_new UD_S || return 1
	ip link add c0 netns "$UD_C" type veth peer name r0 netns "$UD_R" || return 1
	ip link add r1 netns "$UD_R" type veth peer name s0 netns "$UD_S" || return 1
	ip -n "$UD_C" addr add 192.0.2.10/24 dev c0
	ip -n "$UD_R" addr add 192.0.2.1/24 dev r0
	ip -n "$UD_R" addr add 10.9.0.1/24 dev r1
	ip -n "$UD_S" addr add 10.9.0.2/24 dev s0
	ip -n "$UD_C" link set c0 up
	ip -n "$UD_R" link set r0 up
	ip -n "$UD_R" link set r1 up
	ip -n "$UD_S" link set s0 up
	ip -n "$UD_C" route add default via 192.0.2.1
	ip -n "$UD_S" route add default via 10.9.0.1
	ip netns exec "$UD_R" sysctl -qw net.ipv4.ip_forward=1
	# IPv6 too: 2001:db8:1::10 - 2001:db8:1::1 R 2001:db8:2::1 - 2001:db8:2::2
	ip -n "$UD_C" addr add 2001:db8:1::10/64 dev c0 nodad
	ip -n "$UD_R" addr add 2001:db8:1::1/64 dev r0 nodad
	ip -n "$UD_R" addr add 2001:db8:2::1/64 dev r1 nodad
	ip -n "$UD_S" addr add 2001:db8:2::2/64 dev s0 nodad
	ip -n "$UD_C" -6 route add default via 2001:db8:1::1
	ip -n "$UD_S" -6 route add default via 2001:db8:2::1
	ip netns exec "$UD_R" sysctl -qw net.ipv6.conf.all.forwarding=1
	UD_DIR=$(mktemp -d)
	on_exit "rm -rf $UD_DIR"
}

# ud_ca NAME: a self-signed CA NAME.pem / NAME.key.
ud_ca()
{
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$UD_DIR/$1.key" -out "$UD_DIR/$1.pem" -days 2 \
		-subj "/O=ucproxy test/CN=$1" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
}

# ud_cert NAME CA SUBJECT: NAME.pem / NAME.key signed by CA.
ud_cert()
{
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$UD_DIR/$1.key" -out "$UD_DIR/$1.csr" -subj "$3" 2>/dev/null &&
	openssl x509 -req -in "$UD_DIR/$1.csr" -CA "$UD_DIR/$2.pem" \
		-CAkey "$UD_DIR/$2.key" -CAcreateserial -days 2 \
		-out "$UD_DIR/$1.pem" 2>/dev/null
}

ud_certs()
{
	ud_ca ca && ud_ca phone-ca && ud_ca rogue-ca && ud_ca mint-ca &&
	ud_cert proxy ca "/O=ucproxy test/CN=router" &&
	ud_cert cucm ca "/O=ucproxy test/CN=cucm" &&
	ud_cert phone phone-ca "/O=ucproxy test/OU=phones/CN=SEP001122334455" &&
	ud_cert rogue rogue-ca "/O=ucproxy test/CN=SEP666666666666"
}

# ud_start CONF: runs ucproxyd in R with CONF; $UD_PID, log $UD_DIR/log.
ud_start()
{
	ip netns exec "$UD_R" "$UCPROXYD" -v -c "$1" 2>>"$UD_DIR/log" &
	UD_PID=$!
	on_exit "kill $UD_PID"
	# Ready when it has said so, or failed when it has exited.
	for _ in $(seq 100); do
		grep -q "ready" "$UD_DIR/log" 2>/dev/null && return 0
		kill -0 "$UD_PID" 2>/dev/null || break
		sleep 0.05
	done
	ktap_diag "ucproxyd did not start: $(cat "$UD_DIR/log")"
	return 1
}

# ud_stat NAME: one counter of the agent (SIGUSR1 writes the stats file).
ud_stat()
{
	local f=$UD_DIR/stats

	rm -f "$f"
	kill -USR1 "$UD_PID" || return 1
	for _ in $(seq 100); do
		[ -s "$f" ] && break
		sleep 0.02
	done
	awk -v k="$1" '$1 == k { print $2 }' "$f"
}

# ud_tls_stat NAME: a counter of /proc/net/tls_stat in the router.
ud_tls_stat()
{
	ip netns exec "$UD_R" awk -v k="$1" '$1 == k { print $2 }' /proc/net/tls_stat
}

# ud_license: a UC license and TLS limit above anything the tests need.
ud_license()
{
	ip netns exec "$UD_R" "$UCPCTL" license set model asa5580 uc 5000 >/dev/null
}

# ud_setup: the module loaded afresh (unloaded at exit) with kTLS, the
# three namespaces, the certificates of ud_certs and a license: what most
# agent tests start from.
ud_setup()
{
	module_unload
	module_load || return 1
	on_exit module_unload
	modprobe tls 2>/dev/null
	ud_topology || return 1
	ud_certs || { ktap_diag "certificates"; return 1; }
	ud_license
}

# ud_tls_helper TYPE PRE OUT: nft in R gives the connections toward the
# agent (destination ports PRE, e.g. "5061, 5062") and the agent's own
# onward ones (ports OUT) the conntrack helper TYPE (ucp-sip-tls,
# ucp-sccp-tls), which owns the inspector's expectations.
ud_tls_helper()
{
	ip netns exec "$UD_R" nft -f - <<EOF
table inet ucp {
	ct helper tls { type "$1" protocol tcp; }
	chain pre {
		type filter hook prerouting priority filter;
		tcp dport { $2 } ct helper set "tls"
	}
	chain out {
		type filter hook output priority filter;
		tcp dport { $3 } ct helper set "tls"
	}
}
EOF
}

# ud_inspect_conf PROTO "NAME LISTEN SERVER"...: the configuration of the
# inspection tests, one listener inspecting PROTO per argument, each with
# the proxy's certificate and no client certificate either way. SERVER
# "plain:ADDR:PORT" is a non-secure call manager (phone-proxy, plain TCP
# onward); any other is reached with TLS and verified by ca (tls-proxy).
ud_inspect_conf()
{
	local proto=$1 l name listen server

	shift
	printf '[global]\nstats-file = %s/stats\n' "$UD_DIR"
	for l in "$@"; do
		read -r name listen server <<<"$l"
		printf '\n[listener %s]\nlisten = %s\ninspect = %s\n' "$name" "$listen" "$proto"
		printf 'certificate = %s/proxy.pem\nkey = %s/proxy.key\nclient-auth = off\n' \
			"$UD_DIR" "$UD_DIR"
		case $server in
		plain:*)
			printf 'application = phone-proxy\nserver = %s\nserver-tls = off\n' \
				"${server#plain:}" ;;
		*)
			printf 'application = tls-proxy\nserver = %s\nclient-role = none\nserver-ca = %s/ca.pem\n' \
				"$server" "$UD_DIR" ;;
		esac
	done
}

# ud_tls_proxy_listener NAME LISTEN SERVER: a tls-proxy listener section,
# the proxy's certificate toward clients (none asked of them), none shown
# to SERVER, whose certificate ca must have signed.
ud_tls_proxy_listener()
{
	printf '[listener %s]\napplication = tls-proxy\nlisten = %s\nserver = %s\n' "$1" "$2" "$3"
	printf 'certificate = %s/proxy.pem\nkey = %s/proxy.key\nclient-auth = off\n' \
		"$UD_DIR" "$UD_DIR"
	printf 'client-role = none\nserver-ca = %s/ca.pem\n' "$UD_DIR"
}

# ud_server READY CMD...: CMD in S (killed at exit), waited for until it
# creates the file READY, for at most 10 s. 0, or 1 with a diagnostic.
# ud_listening PORT: wait (10 s at most) until a server of $UD_S listens on
# PORT; servers started in the background may not be there yet on a loaded
# machine.
ud_listening()
{
	for _ in $(seq 100); do
		ip netns exec "$UD_S" ss -Hltn "sport = :$1" | grep -q . && return 0
		sleep 0.1
	done
	ktap_diag "nothing listens on port $1 in $UD_S after 10 s"
	return 1
}

ud_server()
{
	local ready=$1

	shift
	ip netns exec "$UD_S" "$@" &
	on_exit "kill $!"
	for _ in $(seq 100); do
		[ -e "$ready" ] && return 0
		sleep 0.1
	done
	ktap_diag "not ready after 10 s: $*"
	return 1
}

# ud_in_use CLASS: the license sessions of CLASS (tls-proxy, mobility...)
# in use in R.
ud_in_use()
{
	ip netns exec "$UD_R" "$UCPCTL" -j license show | jq -r ".usage[\"$1\"][\"in-use\"]"
}

# ud_many CMD...: CMD, a tls_many.py driver, in C as the coproc MANY
# (killed at exit); ud_many_line TIMEOUT reads its next line into
# $UD_MANY, ud_many_go tells it to go on.
ud_many()
{
	coproc MANY { ip netns exec "$UD_C" "$@" 2>&1; }
	on_exit "kill $MANY_PID"
}

ud_many_line()
{
	UD_MANY=
	read -r -t "$1" UD_MANY <&"${MANY[0]}"
}

ud_many_go()
{
	echo go >&"${MANY[1]}"
}

# ud_many_closed CLASS: has the driver close its connections, then waits
# (20 s at most) for the agent to hold none and for no CLASS license
# session to be left.
ud_many_closed()
{
	local active in_use

	ud_many_go
	ud_many_line 60
	for _ in $(seq 100); do
		active=$(ud_stat active)
		in_use=$(ud_in_use "$1")
		[ "$active" -eq 0 ] && [ "$in_use" -eq 0 ] && return 0
		sleep 0.2
	done
	fail_msg "after close: active $active, $1 in use $in_use"
}
