#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The TFTP proxy of ucproxyd ([tftp]) on loopback, with real peers:
# tftpd-hpa (in.tftpd) plays the call manager's TFTP server, tftp-hpa,
# atftp and curl play the phones, xmllint reads the rewritten
# configuration, `ucproxyd ctl show` the CTL file served. Counters are read
# from the stats file after SIGUSR1. No module, no namespace: userspace only.
#
#   tftp_proxy.sh SCENARIO      from the tree's top; UCPROXYD= the binary
#
# Scenarios: stream, config, ctl, errors, busy, timeout, origdst. Prints one line
# per check; exits 1 at the first that fails.
#
# Scripted peers, where no real client can play the part (said at each):
# a raw datagram sender (python3) for garbage and oversize requests, and a
# phone that asks for a file and then never acknowledges.
set -euo pipefail

U=${UCPROXYD:-user/ucproxyd/ucproxyd}
U=$(readlink -f "$U")
[ -x "$U" ] || { echo "tftp_proxy: $U is not built" >&2; exit 1; }
for t in in.tftpd tftp atftp xmllint python3 openssl; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		{ echo "tftp_proxy: $t is missing (scripts/deps)" >&2; exit 1; }
done
TFTPD=$(command -v in.tftpd || echo /usr/sbin/in.tftpd)

d=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill -CONT "$p" 2>/dev/null || true
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$d"
}
trap cleanup EXIT
# in.tftpd drops to nobody after its chroot: the files must be readable.
chmod 755 "$d"
mkdir -m 755 "$d/srv"

fail() {
	echo "not ok: $*"
	[ -f "$d/ucproxyd.log" ] && sed 's/^/# ucproxyd: /' "$d/ucproxyd.log" | tail -n 20
	exit 1
}
ok() { echo "ok: $*"; }

free_port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

SP=$(free_port)
PP=$(free_port)
while [ "$PP" = "$SP" ]; do PP=$(free_port); done

start_server() {
	"$TFTPD" -L -s "$d/srv" -a "127.0.0.1:$SP" &
	pids+=($!)
	SERVER=$!
}

# [tftp] plus the [ctl] the CTL file is made from; EXTRA lines go in [tftp].
config() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/sast.key" \
		-out "$d/sast.pem" -subj "/CN=sast/O=ucproxy test" -days 30 2>/dev/null
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/proxy.key" \
		-out "$d/proxy.pem" -subj "/CN=proxy/O=ucproxy test" -days 30 2>/dev/null
	cat > "$d/ucproxyd.conf" <<-EOT
	[global]
	stats-file = $d/stats

	[ctl]
	sast-certificate = $d/sast.pem
	sast-key = $d/sast.key
	certificate = $d/proxy.pem
	address = 192.0.2.10

	[tftp]
	listen = 127.0.0.1:$PP
	server = 127.0.0.1:$SP
	outside-address = 192.0.2.10
	sip-tls-port = 15061
	timeout = 1
	retries = 2
	max-config-size = 65536
	EOT
	local l
	for l in "$@"; do echo "$l" >> "$d/ucproxyd.conf"; done
}

start_proxy() {
	"$U" -c "$d/ucproxyd.conf" 2> "$d/ucproxyd.log" &
	pids+=($!)
	PROXY=$!
	for _ in $(seq 50); do
		grep -q "tftp: listening" "$d/ucproxyd.log" && return 0
		kill -0 "$PROXY" 2>/dev/null || break
		sleep 0.1
	done
	fail "ucproxyd did not start"
}

# COUNTER: its value after SIGUSR1.
counter() {
	rm -f "$d/stats"
	kill -USR1 "$PROXY"
	for _ in $(seq 50); do
		[ -f "$d/stats" ] && break
		sleep 0.1
	done
	awk -v n="$1" '$1 == n { print $2 }' "$d/stats"
}

expect_counter() { # NAME VALUE
	local v
	v=$(counter "$1")
	[ "$v" = "$2" ] || fail "counter $1 is ${v:-missing}, want $2"
	ok "counter $1 = $2"
}

# The phones. Each writes OUT and leaves its messages in $d/client.log.
get_hpa() { # FILE OUT (tftp-hpa: no options, 512-byte blocks)
	(cd "$d" && tftp -m binary 127.0.0.1 "$PP" -c get "$1" "$2") \
		> "$d/client.log" 2>&1
}
get_atftp() { # FILE OUT BLKSIZE
	atftp --option "blksize $3" --option "tsize 0" --tftp-timeout 1 \
		-g -r "$1" -l "$2" 127.0.0.1 "$PP" > "$d/client.log" 2>&1
}
get_curl() { # FILE OUT BLKSIZE
	curl -sS --max-time 20 --tftp-blksize "$3" -o "$2" \
		"tftp://127.0.0.1:$PP/$1" > "$d/client.log" 2>&1
}

# TFTP error of one datagram (scripted: no client sends these on purpose).
raw() { # HEX-DATAGRAM -> "CODE MESSAGE" of the error answered
	python3 - "$PP" "$1" <<-'EOT'
	import socket, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.settimeout(3)
	s.sendto(bytes.fromhex(sys.argv[2]), ("127.0.0.1", int(sys.argv[1])))
	b, _ = s.recvfrom(65536)
	if b[:2] != b"\0\5":
	    print("not-an-error", b[:2].hex())
	    sys.exit(0)
	print(int.from_bytes(b[2:4], "big"), b[4:].split(b"\0")[0].decode())
	EOT
}

hexs() { python3 -c 'import sys; print(sys.argv[1].encode().hex())' "$1"; }

scenario_stream() {
	head -c $((2 * 1024 * 1024 + 333)) /dev/urandom > "$d/srv/firmware.bin"
	# A block-size multiple: the transfer ends with an empty block.
	head -c $((1428 * 700)) /dev/urandom > "$d/srv/exact.bin"
	chmod 644 "$d/srv/"*
	config
	start_server
	start_proxy
	hwm0=$(awk '/^VmHWM/ { print $2 }' "/proc/$PROXY/status")
	get_hpa firmware.bin "$d/a.bin" || fail "tftp-hpa: $(cat "$d/client.log")"
	cmp -s "$d/srv/firmware.bin" "$d/a.bin" || fail "tftp-hpa (512): differs"
	ok "tftp-hpa, 512-byte blocks: 2 MB byte-identical"
	get_atftp firmware.bin "$d/b.bin" 1428 || fail "atftp: $(cat "$d/client.log")"
	cmp -s "$d/srv/firmware.bin" "$d/b.bin" || fail "atftp (1428): differs"
	ok "atftp, blksize 1428 and tsize: 2 MB byte-identical"
	get_atftp exact.bin "$d/c.bin" 1428 || fail "atftp exact: $(cat "$d/client.log")"
	cmp -s "$d/srv/exact.bin" "$d/c.bin" || fail "atftp (1428, exact multiple): differs"
	ok "atftp, a file of exactly 700 blocks: byte-identical"
	if command -v curl >/dev/null && curl -V | grep -qw tftp; then
		get_curl firmware.bin "$d/d.bin" 512 || fail "curl: $(cat "$d/client.log")"
		cmp -s "$d/srv/firmware.bin" "$d/d.bin" || fail "curl (512): differs"
		ok "curl tftp://, blksize 512: 2 MB byte-identical"
	fi
	expect_counter tftp_relayed 4
	expect_counter tftp_done 4
	# Streamed, never held whole: the agent's peak resident memory grew by
	# less than the file's size over four transfers of it.
	hwm1=$(awk '/^VmHWM/ { print $2 }' "/proc/$PROXY/status")
	[ $((hwm1 - hwm0)) -lt 1024 ] ||
		fail "peak memory grew by $((hwm1 - hwm0)) kB for a 2 MB file"
	ok "peak memory grew by $((hwm1 - hwm0)) kB over the transfers (file: 2048 kB)"
	grep -q "firmware.bin: 2097485 bytes sent (relayed, blksize 1428)" "$d/ucproxyd.log" ||
		fail "no log line of the 1428-byte relay"
	ok "one log line per transfer, with its block size"
}

cnf() { # the cluster's configuration of a SIP phone (written for this test)
	cat <<-'EOT'
	<?xml version="1.0" encoding="UTF-8"?>
	<device>
	  <fullConfig>true</fullConfig>
	  <deviceProtocol>SIP</deviceProtocol>
	  <sshUserId>admin</sshUserId>
	  <devicePool>
	    <callManagerGroup>
	      <members>
	        <member priority="0">
	          <callManager>
	            <ports>
	              <ethernetPhonePort>2000</ethernetPhonePort>
	              <sipPort>5060</sipPort>
	              <securedSipPort>5061</securedSipPort>
	            </ports>
	            <processNodeName>10.0.0.5</processNodeName>
	          </callManager>
	        </member>
	        <member priority="1">
	          <callManager>
	            <ports>
	              <sipPort>5060</sipPort>
	            </ports>
	            <processNodeName>cucm-b.example</processNodeName>
	          </callManager>
	        </member>
	      </members>
	    </callManagerGroup>
	  </devicePool>
	  <vendorConfig>
	    <loadServer>10.0.0.5</loadServer>
	  </vendorConfig>
	  <deviceSecurityMode>1</deviceSecurityMode>
	  <transportLayerProtocol>2</transportLayerProtocol>
	  <capfAuthMode>0</capfAuthMode>
	  <capfList>
	    <capf>
	      <phonePort>3804</phonePort>
	      <processNodeName>10.0.0.5</processNodeName>
	    </capf>
	  </capfList>
	  <directoryURL>http://10.0.0.5:8080/dir?a=1&amp;b=2</directoryURL>
	</device>
	EOT
}

xp() { xmllint --xpath "$1" "$2"; }

scenario_config() {
	cnf > "$d/srv/SEP001122AABBCC.cnf.xml"
	cnf | sed 's#</device>#<x>#' > "$d/srv/SEP0011220000BA.cnf.xml"
	{ cnf | sed '$d'; for i in $(seq 6000); do echo "<pad>$i</pad>"; done
	  echo "</device>"; } > "$d/srv/SEP00112200B1C0.cnf.xml"
	chmod 644 "$d/srv/"*
	config
	start_server
	start_proxy
	local f=SEP001122AABBCC.cnf.xml o="$d/SEP001122AABBCC.cnf.xml"
	get_hpa "$f" "$o" || fail "tftp-hpa: $(cat "$d/client.log")"
	xmllint --noout "$o" || fail "the rewritten file does not parse"
	ok "the rewritten configuration is well-formed XML"
	[ "$(xp 'string(/device/deviceSecurityMode)' "$o")" = 3 ] ||
		fail "deviceSecurityMode is not 3"
	ok "deviceSecurityMode 3 (encrypted)"
	[ "$(xp 'string(/device/transportLayerProtocol)' "$o")" = 4 ] ||
		fail "transportLayerProtocol is not 4"
	ok "transportLayerProtocol 4 (TLS)"
	[ "$(xp 'count(//callManager)' "$o")" = 2 ] &&
	[ "$(xp 'count(//callManager[processNodeName="192.0.2.10"])' "$o")" = 2 ] ||
		fail "not every callManager names the proxy"
	ok "both call managers: processNodeName 192.0.2.10"
	[ "$(xp 'count(//callManager/ports[securedSipPort="15061"])' "$o")" = 2 ] ||
		fail "securedSipPort is not 15061 in both"
	ok "both call managers: securedSipPort 15061 (added where missing)"
	[ "$(xp 'string(//capf/processNodeName)' "$o")" = 192.0.2.10 ] &&
	[ "$(xp 'string(//capf/phonePort)' "$o")" = 3804 ] ||
		fail "capf not rewritten"
	ok "CAPF processNodeName is the proxy, its port kept"
	[ "$(xp 'string(//vendorConfig/loadServer)' "$o")" = 192.0.2.10 ] ||
		fail "loadServer not rewritten"
	ok "loadServer (TFTP) is the proxy"
	[ "$(xp 'string(/device/sshUserId)' "$o")" = admin ] &&
	[ "$(xp 'string(//directoryURL)' "$o")" = "http://10.0.0.5:8080/dir?a=1&b=2" ] &&
	[ "$(xp 'string(//callManager/ports/ethernetPhonePort)' "$o")" = 2000 ] ||
		fail "an element the proxy does not own changed"
	ok "the rest is kept (sshUserId, directoryURL with its entity, ethernetPhonePort)"
	expect_counter tftp_rewritten 1
	# Through the cache, with options this time.
	get_atftp "$f" "$d/again.xml" 1428 || fail "atftp: $(cat "$d/client.log")"
	cmp -s "$o" "$d/again.xml" || fail "the cached file differs from the first"
	expect_counter tftp_cache_hit 1
	expect_counter tftp_rewritten 1
	# Authenticated policy: a reload with the new setting empties the cache.
	sed -i 's/^timeout = 1$/timeout = 1\nsecurity-mode = authenticated/' "$d/ucproxyd.conf"
	kill -HUP "$PROXY"
	for _ in $(seq 50); do grep -q "1 listener\|reloaded" "$d/ucproxyd.log" && break; sleep 0.1; done
	get_hpa "$f" "$d/auth.xml" || fail "tftp-hpa after reload: $(cat "$d/client.log")"
	[ "$(xp 'string(/device/deviceSecurityMode)' "$d/auth.xml")" = 2 ] ||
		fail "deviceSecurityMode is not 2 after security-mode = authenticated"
	ok "security-mode authenticated: deviceSecurityMode 2"
	# XML that does not parse: an error, nothing half-written.
	rm -f "$d/bad.xml"
	if get_hpa SEP0011220000BA.cnf.xml "$d/bad.xml" && [ -s "$d/bad.xml" ]; then
		fail "a configuration that does not parse was served"
	fi
	grep -q "Error code 0: configuration not rewritten: not well-formed XML" "$d/client.log" ||
		fail "tftp-hpa did not get the error: $(cat "$d/client.log")"
	ok "XML that does not parse: TFTP error 0 to the phone, nothing served"
	expect_counter tftp_xml_refused 1
	[ "$(grep -c "SEP0011220000BA.cnf.xml: configuration not rewritten" "$d/ucproxyd.log")" = 1 ] ||
		fail "not exactly one log line for the refused configuration"
	ok "one log line"
	if get_atftp SEP00112200B1C0.cnf.xml "$d/big.xml" 1428; then
		fail "a configuration above max-config-size was served"
	fi
	expect_counter tftp_oversize 1
	ok "a configuration above max-config-size: TFTP error 3"
	# rewrite-phones: a phone not listed gets the cluster's file unchanged.
	cnf > "$d/srv/SEP00112233445F.cnf.xml"
	chmod 644 "$d/srv/"*
	echo "rewrite-phones = 001122aabbcc, 0000000000AA" >> "$d/ucproxyd.conf"
	kill -HUP "$PROXY"
	for _ in $(seq 50); do
		[ "$(grep -c "reloaded" "$d/ucproxyd.log")" = 2 ] && break
		sleep 0.1
	done
	get_hpa SEP00112233445F.cnf.xml "$d/other.xml" || fail "tftp-hpa: $(cat "$d/client.log")"
	cmp -s "$d/srv/SEP00112233445F.cnf.xml" "$d/other.xml" ||
		fail "a phone not in rewrite-phones got a rewritten file"
	get_hpa "$f" "$d/listed.xml" || fail "tftp-hpa: $(cat "$d/client.log")"
	[ "$(xp 'string(/device/deviceSecurityMode)' "$d/listed.xml")" = 2 ] ||
		fail "a phone in rewrite-phones was not rewritten"
	ok "rewrite-phones: the listed phone rewritten, another relayed unchanged"
}

scenario_ctl() {
	config
	"$U" -t -c "$d/ucproxyd.conf" | grep -q "0 listeners and \[tftp\] OK" ||
		fail "ucproxyd -t does not accept the configuration"
	sed "s#^sast-key = .*#sast-key = $d/proxy.key#" "$d/ucproxyd.conf" > "$d/bad.conf"
	if "$U" -t -c "$d/bad.conf" 2> "$d/t.err"; then
		fail "ucproxyd -t accepts a sast-key that is not the SAST's"
	fi
	grep -q "not the key of sast-certificate" "$d/t.err" || fail "-t: $(cat "$d/t.err")"
	ok "ucproxyd -t makes the CTL it would serve, and refuses a wrong sast-key"
	start_server
	start_proxy
	get_atftp CTLFile.tlv "$d/CTLFile.tlv" 512 || fail "atftp: $(cat "$d/client.log")"
	"$U" ctl show "$d/CTLFile.tlv" > "$d/show.txt" || fail "ctl show: $(cat "$d/show.txt")"
	grep -q "signature: verifies" "$d/show.txt" || grep -qi "verif" "$d/show.txt" ||
		fail "ctl show does not report a verified signature"
	ok "CTLFile.tlv from the proxy parses and verifies (ucproxyd ctl show)"
	grep -q "CN=proxy" "$d/show.txt" || fail "the proxy's certificate is not in the CTL"
	ok "the CTL names the proxy's certificate"
	# The same bytes `ucproxyd ctl write` makes: one writer path.
	mkdir "$d/w"
	SOURCE_DATE_EPOCH=1700000000 "$U" ctl write -c "$d/ucproxyd.conf" \
		-o "$d/w/CTLFile.tlv" > /dev/null || fail "ctl write"
	kill "$PROXY"; wait "$PROXY" 2>/dev/null || true
	export SOURCE_DATE_EPOCH=1700000000
	start_proxy
	unset SOURCE_DATE_EPOCH
	get_hpa CTLFile.tlv "$d/served.tlv" || fail "tftp-hpa: $(cat "$d/client.log")"
	cmp -s "$d/w/CTLFile.tlv" "$d/served.tlv" ||
		fail "the CTL served differs from ctl write's"
	ok "served CTLFile.tlv is byte-identical to ctl write's"
	expect_counter tftp_ctl 1
}

scenario_errors() {
	echo hello > "$d/srv/a.txt"
	chmod 644 "$d/srv/"*
	config
	start_server
	start_proxy
	# A write request, from a real client.
	echo x > "$d/up.txt"
	(cd "$d" && tftp -m binary 127.0.0.1 "$PP" -c put up.txt up.txt) \
		> "$d/client.log" 2>&1 || true
	grep -q "Error code 2: access violation" "$d/client.log" ||
		fail "tftp-hpa put: no error 2: $(cat "$d/client.log")"
	[ ! -e "$d/srv/up.txt" ] || fail "a file was written"
	ok "WRQ (tftp-hpa put): TFTP error 2, nothing written"
	expect_counter tftp_write_refused 1
	# A missing file: the server's own error reaches the phone.
	get_hpa nothere.bin "$d/n.bin" || true
	grep -q "Error code 1: File not found" "$d/client.log" ||
		fail "unknown file: $(cat "$d/client.log")"
	ok "unknown file: the server's TFTP error 1 passed on"
	expect_counter tftp_server_error 1
	# ITL and signed configurations are not served through the proxy.
	get_hpa ITLFile.tlv "$d/i.tlv" || true
	grep -q "Error code 1" "$d/client.log" || fail "ITLFile.tlv: $(cat "$d/client.log")"
	ok "ITLFile.tlv: TFTP error 1 (documented refusal)"
	expect_counter tftp_not_served 1
	# tftp-hpa acknowledges a refused request's error: dropped, unanswered.
	expect_counter tftp_stray 1
	# Scripted datagrams: garbage, an unknown opcode, an oversize request,
	# a request without its mode, a bad option value.
	local r
	r=$(raw 00) ; [ "${r%% *}" = 4 ] || fail "1 byte: $r"
	ok "1-byte datagram: TFTP error 4 ($r)"
	r=$(raw 0009414141) ; [ "${r%% *}" = 4 ] || fail "opcode 9: $r"
	ok "opcode 9: TFTP error 4 ($r)"
	r=$(raw "0001$(hexs "$(printf 'x%.0s' $(seq 600))")00$(hexs octet)00")
	[ "$r" = "4 request above 512 bytes" ] || fail "oversize request: $r"
	ok "a 600-byte request: TFTP error 4 ($r)"
	r=$(raw "0001$(hexs a.txt)00")
	[ "$r" = "4 string without its NUL" ] || fail "no mode: $r"
	ok "a request without its mode: TFTP error 4 ($r)"
	r=$(raw "0001$(hexs a.txt)00$(hexs octet)00$(hexs blksize)00$(hexs 7)00")
	[ "$r" = "4 option value out of range" ] || fail "blksize 7: $r"
	ok "blksize 7: TFTP error 4 ($r)"
	r=$(raw "0001$(hexs a.txt)00$(hexs mail)00")
	[ "$r" = "4 mode is not octet or netascii" ] || fail "mail: $r"
	ok "mode mail: TFTP error 4 ($r)"
	expect_counter tftp_bad_packet 6
	# The transfer's own port (RFC 1350's transfer ID), and a stranger to
	# it refused with error 5 (scripted: a second socket plays the stranger).
	r=$(python3 - "$PP" <<-'EOT'
	import socket, sys
	port = int(sys.argv[1])
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.settimeout(3)
	s.sendto(b"\0\1a.txt\0octet\0", ("127.0.0.1", port))
	b, src = s.recvfrom(65536)
	t = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	t.settimeout(3)
	t.sendto(b"\0\4\0\1", src)
	e, _ = t.recvfrom(65536)
	s.sendto(b"\0\4\0\1", src)
	print(src[1] != port, b[:4].hex(), b[4:].decode().strip(), e[:4].hex())
	EOT
	)
	[ "$r" = "True 00030001 hello 00050005" ] || fail "transfer ID: $r"
	ok "DATA from a port of its own; a stranger to it gets error 5"
	expect_counter tftp_unknown_tid 1
	# The proxy still serves after all that; unknown options are left out.
	atftp --option "blksize 1000" --option "windowsize 4" -g -r a.txt \
		-l "$d/a.txt" 127.0.0.1 "$PP" > "$d/client.log" 2>&1 ||
		fail "atftp after errors: $(cat "$d/client.log")"
	cmp -s "$d/srv/a.txt" "$d/a.txt" || fail "a.txt differs"
	ok "still serving, an unknown option (windowsize) ignored"
	kill -0 "$PROXY" || fail "ucproxyd died"
}

# The scripted phone: asks with blksize, acknowledges nothing.
stall_phone() { # FILE
	python3 - "$PP" "$1" <<-'EOT' &
	import socket, sys, time
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.sendto(b"\0\1" + sys.argv[2].encode() + b"\0octet\0", ("127.0.0.1", int(sys.argv[1])))
	time.sleep(6)
	EOT
	pids+=($!)
}

scenario_busy() {
	head -c 100000 /dev/urandom > "$d/srv/f.bin"
	chmod 644 "$d/srv/"*
	config "max-transfers = 1"
	start_server
	start_proxy
	stall_phone f.bin
	for _ in $(seq 50); do
		[ "$(counter tftp_requests)" = 1 ] && break
		sleep 0.1
	done
	get_hpa f.bin "$d/f.bin" || true
	grep -q "Error code 0: too many transfers" "$d/client.log" ||
		fail "no refusal at max-transfers: $(cat "$d/client.log")"
	ok "max-transfers 1: the second phone gets TFTP error 0"
	expect_counter tftp_busy 1
	grep -q "f.bin: refused: max-transfers reached" "$d/ucproxyd.log" ||
		fail "no log line"
	ok "one log line"
	# timeout 1 s, retries 2: the silent phone is given up within ~3 s.
	sleep 3.5
	expect_counter tftp_phone_timeout 1
	get_hpa f.bin "$d/f.bin" || fail "after the give-up: $(cat "$d/client.log")"
	cmp -s "$d/srv/f.bin" "$d/f.bin" || fail "f.bin differs"
	ok "the slot is free again after the phone's retries ran out"
}

scenario_timeout() {
	head -c 10000 /dev/urandom > "$d/srv/f.bin"
	chmod 644 "$d/srv/"*
	config
	start_server
	start_proxy
	kill -STOP "$SERVER"
	local t0 t1
	t0=$(date +%s%N)
	get_atftp f.bin "$d/f.bin" 512 || true
	t1=$(date +%s%N)
	grep -q "the TFTP server stopped answering" "$d/client.log" ||
		fail "no TFTP error for a silent server: $(cat "$d/client.log")"
	ok "a server that stops answering: TFTP error to the phone"
	expect_counter tftp_server_timeout 1
	# RRQ, then 2 retransmissions 1 s apart, given up 1 s after the last.
	[ $(((t1 - t0) / 1000000)) -ge 2500 ] || fail "given up after $(((t1 - t0) / 1000000)) ms, before the retries"
	ok "given up after $(((t1 - t0) / 1000000)) ms (timeout 1 s, retries 2)"
	grep -q "f.bin: the TFTP server stopped answering" "$d/ucproxyd.log" ||
		fail "no log line"
	ok "one log line"
	kill -CONT "$SERVER"
}

# Where DATA 1 comes from, for a request to ADDR (scripted: no client
# says which address answered it; tftp-hpa, atftp and curl take any).
answered_from() { # ADDR -> "ADDR PORT-KIND"
	python3 - "$1" "$PP" <<-'EOT'
	import socket, sys
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.settimeout(3)
	s.sendto(b"\0\1a.txt\0octet\0", (sys.argv[1], int(sys.argv[2])))
	b, src = s.recvfrom(65536)
	s.sendto(b"\0\4\0\1", src)
	print(src[0], "new-port" if src[1] != int(sys.argv[2]) else "same-port", b[4:].decode().strip())
	EOT
}

scenario_origdst() {
	echo hello > "$d/srv/a.txt"
	chmod 644 "$d/srv/"*
	config
	sed -i "s/^listen = .*/listen = 0.0.0.0:$PP/" "$d/ucproxyd.conf"
	start_server
	start_proxy
	local r
	r=$(answered_from 127.0.0.2)
	[ "$r" = "127.0.0.2 new-port hello" ] || fail "wildcard listen, request to 127.0.0.2: $r"
	ok "explicit, listen 0.0.0.0: a request to 127.0.0.2 answered from 127.0.0.2, a new port"
	kill "$PROXY"; wait "$PROXY" 2>/dev/null || true
	# Transparent mode: the same, through IP_TRANSPARENT and
	# IP_RECVORIGDSTADDR (on loopback no tproxy is needed to reach it).
	sed -i "s/^listen = .*/mode = transparent\nlisten = 0.0.0.0:$PP/" "$d/ucproxyd.conf"
	"$U" -c "$d/ucproxyd.conf" 2> "$d/ucproxyd.log" &
	pids+=($!)
	PROXY=$!
	for _ in $(seq 50); do
		grep -q "tftp: listening\|transparent mode:" "$d/ucproxyd.log" && break
		sleep 0.1
	done
	if grep -q "transparent mode:" "$d/ucproxyd.log"; then
		# Without CAP_NET_ADMIN: refused at start, one line with file:line.
		grep -q "ucproxyd.conf:[0-9]*: \[tftp\] transparent mode: .*needs CAP_NET_ADMIN" \
			"$d/ucproxyd.log" || fail "$(cat "$d/ucproxyd.log")"
		ok "transparent mode without CAP_NET_ADMIN: refused with file:line"
		return
	fi
	grep -q "listening on 0.0.0.0:$PP (transparent)" "$d/ucproxyd.log" ||
		fail "no transparent listener"
	r=$(answered_from 127.0.0.3)
	[ "$r" = "127.0.0.3 new-port hello" ] || fail "transparent, request to 127.0.0.3: $r"
	ok "transparent: a request to 127.0.0.3 answered from 127.0.0.3, a new port"
	expect_counter tftp_requests 1
}

case ${1:-} in
stream|config|ctl|errors|busy|timeout|origdst) "scenario_$1" ;;
*) echo "usage: tftp_proxy.sh stream|config|ctl|errors|busy|timeout|origdst" >&2; exit 2 ;;
esac
