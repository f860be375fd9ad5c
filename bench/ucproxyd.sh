#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ucproxyd with kTLS against the same agent with kTLS off, in one run, in
# the test guest (the agent needs the module and kTLS): relayed
# throughput (openssl s_time fetching a large file from s_server -WWW
# through the agent) and client handshakes per second (s_time -new
# without a fetch). Two listeners of one agent, identical but for "ktls",
# measured in alternating rounds so that noise hits both alike; reports
# the median of each and the ratio kTLS / userspace.
#
#   scripts/vmtest --kver $(scripts/kver) -- bench/ucproxyd.sh
#   ROUNDS=3 SECS=5 SIZE_MB=1 (defaults)
source "$(dirname "$0")/../selftests/lib.sh"
source "$UCP_SELFTESTS/ucproxyd_lib.sh"

ROUNDS=${ROUNDS:-3}
SECS=${SECS:-5}
SIZE_MB=${SIZE_MB:-1}

module_unload
module_load || exit 1
on_exit module_unload
modprobe tls 2>/dev/null
ud_topology || exit 1
ud_certs || exit 1
ud_license || exit 1

listener()
{
	ud_tls_proxy_listener "$1" "192.0.2.1:$2" "10.9.0.2:$UD_PORT"
	printf 'ktls = %s\n\n' "$3"
}
{
	printf '[global]\nstats-file = %s\nbuffer-size = 262144\n\n' "$UD_DIR/stats"
	listener ktls 5061 on
	listener userspace 5063 off
} > "$UD_DIR/ucproxyd.conf"

# The agent logs a line per connection with -v; not here.
ip netns exec "$UD_R" "$UCPROXYD" -c "$UD_DIR/ucproxyd.conf" 2>>"$UD_DIR/log" &
UD_PID=$!
on_exit "kill $UD_PID"
sleep 0.5

mkdir -p "$UD_DIR/www"
head -c $((SIZE_MB << 20)) /dev/zero > "$UD_DIR/www/big"
(cd "$UD_DIR/www" && exec ip netns exec "$UD_S" openssl s_server \
	-accept 10.9.0.2:$UD_PORT -cert "$UD_DIR/cucm.pem" \
	-key "$UD_DIR/cucm.key" -WWW -quiet) >/dev/null 2>&1 &
on_exit "kill $!"
sleep 0.5

# s_time PORT ARGS...: "connections seconds bytes_per_connection".
s_time()
{
	local port=$1

	shift
	ip netns exec "$UD_C" openssl s_time -connect 192.0.2.1:$port \
		-CAfile "$UD_DIR/ca.pem" -time "$SECS" "$@" 2>/dev/null |
		sed -n 's/^\([0-9]*\) connections in \([0-9]*\) real seconds, \([0-9]*\) bytes read per connection/\1 \2 \3/p' |
		tail -1
}

median()
{
	sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

declare -A tput hs
for ((r = 0; r < ROUNDS; r++)); do
	for mode in ktls userspace; do
		port=5061
		[ $mode = ktls ] || port=5063
		read -r n t b <<<"$(s_time $port -new -www /big)"
		tput[$mode]+="$(awk -v n="${n:-0}" -v t="${t:-1}" -v b="${b:-0}" \
			'BEGIN { printf "%.1f ", n * b / t / 1e6 }')"
		read -r n t b <<<"$(s_time $port -new)"
		hs[$mode]+="$(awk -v n="${n:-0}" -v t="${t:-1}" \
			'BEGIN { printf "%.1f ", n / t }')"
	done
done

kill -USR1 $UD_PID
sleep 0.5
report()
{
	local what=$1 unit=$2 k u

	shift 2
	k=$(tr ' ' '\n' <<<"$1" | grep . | median)
	u=$(tr ' ' '\n' <<<"$2" | grep . | median)
	printf '%-34s kTLS %8s %-8s userspace %8s %-8s ratio %s\n' "$what" "$k" "$unit" "$u" "$unit" \
		"$(awk -v k="$k" -v u="$u" 'BEGIN { if (u > 0) printf "%.2f", k / u; else print "n/a" }')"
}
echo "ucproxyd, $ROUNDS rounds of ${SECS} s each, file ${SIZE_MB} MiB (rounds: kTLS [${tput[ktls]% }], userspace [${tput[userspace]% }])"
report "relayed throughput (s_time -www)" MB/s "${tput[ktls]}" "${tput[userspace]}"
report "client handshakes (s_time -new)" conn/s "${hs[ktls]}" "${hs[userspace]}"
echo "agent: $(grep -o 'legs_ktls [0-9]*\|legs_userspace [0-9]*\|relayed [0-9]*' "$UD_DIR/stats" | tr '\n' ' ')"
