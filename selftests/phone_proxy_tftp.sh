#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The phone proxy's TFTP provisioning through a router, with real peers:
# tftpd-hpa (in.tftpd) in S is the cluster's TFTP server (a phone's
# SEP<MAC>.cnf.xml, a 2 MB firmware file); tftp-hpa, atftp and curl in C
# are the phones; ucproxyd in R has [tftp] and [ctl]. First in explicit
# mode (phones ask the router), then in transparent mode (phones ask the
# server's own address; nft tproxy steers UDP 69 to the agent, which
# answers from that address), IPv4 then IPv6. The rewritten configuration
# is read with xmllint, the CTL file with `ucproxyd ctl show` and its
# signature checked with the openssl command against the SAST certificate
# (the signature element cut out by a walker written here, not the
# project's parser). The coexistence rule set of
# Documentation/phone-proxy.md is loaded throughout: a client in O that is
# not a phone fetches from a second TFTP server (10.9.0.3 in S) through the
# router's forward path with the kernel's tftp conntrack helper, under a
# forward policy of drop, and fails without the helper.
#
#   C (phones) 192.0.2.10 --- 192.0.2.1  R  10.9.0.1 --- 10.9.0.2, 10.9.0.3 S
#   O (other) 198.51.100.10 --- 198.51.100.1
#
# Scripted peers, where no real client plays the part: a raw datagram
# (python3) for the garbage request, and a probe that prints where an
# answer came from (tftp-hpa, atftp and curl all take DATA from another
# address than the one they asked: with the transfer sockets bound to the
# router's address they still passed, only the probe failed).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/ucproxyd_lib.sh"
require_root

ktap_plan 24
for t in in.tftpd tftp atftp curl xmllint python3 openssl conntrack nft; do
	command -v "$t" >/dev/null || [ -x "/usr/sbin/$t" ] ||
		{ ktap_diag "$t is missing (scripts/deps)"; exit $KSFT_FAIL; }
done
TFTPD=$(command -v in.tftpd || echo /usr/sbin/in.tftpd)
modprobe nf_conntrack_tftp 2>/dev/null
modprobe nf_conntrack_netlink 2>/dev/null

ud_topology || exit $KSFT_FAIL
netns_new UD_O || exit $KSFT_FAIL
ip link add o0 netns "$UD_O" type veth peer name r2 netns "$UD_R" || exit $KSFT_FAIL
ip -n "$UD_O" addr add 198.51.100.10/24 dev o0
ip -n "$UD_R" addr add 198.51.100.1/24 dev r2
ip -n "$UD_O" link set o0 up
ip -n "$UD_R" link set r2 up
ip -n "$UD_O" route add default via 198.51.100.1
ip -n "$UD_S" addr add 10.9.0.3/24 dev s0

# in.tftpd drops to nobody after its chroot: the files must be readable.
chmod 755 "$UD_DIR"
mkdir -m 755 "$UD_DIR/srv" "$UD_DIR/srv2" "$UD_DIR/got"
MAC=00112233AA55
FW=$UD_DIR/srv/P0030801SR02.bin
head -c $((2 * 1024 * 1024 + 333)) /dev/urandom > "$FW"
# A call manager's configuration of a SIP phone in non-secure mode
# (deviceSecurityMode 1, transport TCP), two call managers in its group.
cat > "$UD_DIR/srv/SEP$MAC.cnf.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<device xsi:type="axl:XIPPhone" ctiid="94" uuid="{a5c6f0b4-2a8d-4c8b-9d1e-5f1f0c3b7a10}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:axl="http://www.cisco.com/AXL/API/1.0">
<fullConfig>true</fullConfig>
<deviceProtocol>SIP</deviceProtocol>
<sshUserId>cisco</sshUserId>
<ipAddressMode>0</ipAddressMode>
<devicePool uuid="{1b1b9eb6-7803-11d3-bdf0-00108302ead1}">
<revertPriority>0</revertPriority>
<name>Default</name>
<dateTimeSetting uuid="{9ec4850a-7748-11d3-bdf0-00108302ead1}">
<name>CMLocal</name>
<dateTemplate>M/D/Y</dateTemplate>
<timeZone>Greenwich Standard Time</timeZone>
</dateTimeSetting>
<callManagerGroup>
<name>Default</name>
<tftpDefault>true</tftpDefault>
<members>
<member priority="0">
<callManager>
<name>cucm-pub</name>
<description>10.9.0.2</description>
<ports>
<ethernetPhonePort>2000</ethernetPhonePort>
<sipPort>5060</sipPort>
<securedSipPort>5061</securedSipPort>
<mgcpPorts>
<listen>2427</listen>
<keepAlive>2428</keepAlive>
</mgcpPorts>
</ports>
<processNodeName>10.9.0.2</processNodeName>
</callManager>
</member>
<member priority="1">
<callManager>
<name>cucm-sub</name>
<description>cucm-sub.example</description>
<ports>
<ethernetPhonePort>2000</ethernetPhonePort>
<sipPort>5060</sipPort>
</ports>
<processNodeName>cucm-sub.example</processNodeName>
</callManager>
</member>
</members>
</callManagerGroup>
<srstInfo uuid="{cd241e11-4a58-4d3d-9661-f06c912a18a3}">
<name>Disable</name>
<srstOption>Disable</srstOption>
</srstInfo>
</devicePool>
<sipProfile>
<sipProxies>
<registerWithProxy>true</registerWithProxy>
</sipProxies>
<sipLines>
<line button="1" lineIndex="1">
<featureID>9</featureID>
<featureLabel>1001</featureLabel>
<proxy>USECALLMANAGER</proxy>
<port>5060</port>
<name>1001</name>
<displayName>Phone 1001</displayName>
<authName>1001</authName>
</line>
</sipLines>
<dscpForAudio>184</dscpForAudio>
</sipProfile>
<commonProfile>
<phonePassword></phonePassword>
<backgroundImageAccess>true</backgroundImageAccess>
<callLogBlfEnabled>2</callLogBlfEnabled>
</commonProfile>
<loadInformation>P0030801SR02</loadInformation>
<vendorConfig>
<disableSpeaker>false</disableSpeaker>
<pcPort>0</pcPort>
<loadServer>10.9.0.2</loadServer>
<webAccess>0</webAccess>
</vendorConfig>
<userLocale>
<name>English_United_States</name>
<langCode>en_US</langCode>
</userLocale>
<networkLocale>United_States</networkLocale>
<deviceSecurityMode>1</deviceSecurityMode>
<transportLayerProtocol>2</transportLayerProtocol>
<certHash></certHash>
<encrConfig>false</encrConfig>
<capfAuthMode>0</capfAuthMode>
<capfList>
<capf>
<phonePort>3804</phonePort>
<processNodeName>10.9.0.2</processNodeName>
</capf>
</capfList>
<directoryURL>http://10.9.0.2:8080/ccmcip/xmldirectory.jsp?a=1&amp;b=2</directoryURL>
<servicesURL>http://10.9.0.2:8080/ccmcip/getservicesmenu.jsp</servicesURL>
</device>
EOF
# Another phone's, 100 kB: above max-config-size (65536).
{ sed '$d' "$UD_DIR/srv/SEP$MAC.cnf.xml"
  for i in $(seq 4000); do echo "<pad>$i.....</pad>"; done
  echo "</device>"; } > "$UD_DIR/srv/SEP0011223344BB.cnf.xml"
head -c 300000 /dev/urandom > "$UD_DIR/srv2/other.bin"
chmod 644 "$UD_DIR"/srv/* "$UD_DIR"/srv2/*

# The SAST that signs the CTL file, and the proxy's certificate (RSA:
# the CTL's public key fields are RSAPublicKey).
for n in sast proxy; do
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$UD_DIR/$n.key" \
		-out "$UD_DIR/$n.pem" -subj "/CN=$n/O=ucproxy test" -days 2 \
		2>/dev/null || exit $KSFT_FAIL
done

# The coexistence rule set of Documentation/phone-proxy.md: tproxy for the
# phones' requests to the cluster's server (and the answers to the
# agent's transparent transfer sockets), the kernel's helper for the
# TFTP traffic the router forwards.
rules()
{
	cat <<EOF
table inet tftp {
	ct helper tftp { type "tftp" protocol udp; }
	chain pre {
		type filter hook prerouting priority mangle;
		meta l4proto udp socket transparent 1 meta mark set 1 accept
		ip daddr 10.9.0.2 udp dport 69 tproxy ip to :6969 meta mark set 1 accept
		ip6 daddr 2001:db8:2::2 udp dport 69 tproxy ip6 to :6969 meta mark set 1 accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		udp dport 69 $1 accept
	}
}
EOF
}
rules 'ct helper set "tftp"' > "$UD_DIR/rules.nft"
rules '' > "$UD_DIR/nohelper.nft"
ip netns exec "$UD_R" nft -f "$UD_DIR/rules.nft" || exit $KSFT_FAIL
ip -n "$UD_R" rule add fwmark 1 lookup 100 &&
	ip -n "$UD_R" route add local 0.0.0.0/0 dev lo table 100 &&
	ip -n "$UD_R" -6 rule add fwmark 1 lookup 100 &&
	ip -n "$UD_R" -6 route add local ::/0 dev lo table 100 ||
	{ ktap_diag "policy routing for tproxy failed"; exit $KSFT_FAIL; }

# conf LISTEN MODE: the agent's configuration.
conf()
{
	cat <<EOF
[global]
stats-file = $UD_DIR/stats

[ctl]
sast-certificate = $UD_DIR/sast.pem
sast-key = $UD_DIR/sast.key
certificate = $UD_DIR/proxy.pem
address = 192.0.2.1

[tftp]
mode = $2
listen = $1
server = 10.9.0.2:69
outside-address = 192.0.2.1
sip-tls-port = 15061
max-config-size = 65536
timeout = 1
retries = 3
EOF
}
CONF=$UD_DIR/ucproxyd.conf
conf 192.0.2.1:69 explicit > "$CONF"

bad_mode()
{
	local err

	sed 's/^mode = .*/mode = sideways/' "$CONF" > "$UD_DIR/bad.conf"
	"$UCPROXYD" -t -c "$CONF" >/dev/null || fail_msg "-t refuses the good file" || return 1
	err=$("$UCPROXYD" -t -c "$UD_DIR/bad.conf" 2>&1 >/dev/null) && fail_msg "accepted" && return 1
	[ "$err" = "ucproxyd: $UD_DIR/bad.conf:11: mode: \"sideways\" is not explicit or transparent" ] ||
		fail_msg "$err"
}
ktap_check "[tftp] mode: a bad value refused at load in one line with file:line" bad_mode

ip netns exec "$UD_S" "$TFTPD" -L -s "$UD_DIR/srv" -a 10.9.0.2:69 &
on_exit "kill $!"
ip netns exec "$UD_S" "$TFTPD" -L -s "$UD_DIR/srv2" -a 10.9.0.3:69 &
on_exit "kill $!"
ud_start "$CONF" || exit $KSFT_FAIL

# reload LISTEN MODE: SIGHUP with another [tftp], waited for.
reload()
{
	local n

	n=$(grep -c "reloaded" "$UD_DIR/log")
	conf "$1" "$2" > "$CONF"
	kill -HUP "$UD_PID"
	for _ in $(seq 100); do
		[ "$(grep -c "reloaded" "$UD_DIR/log")" -gt "$n" ] && return 0
		sleep 0.05
	done
	fail_msg "no reload: $(tail -n 3 "$UD_DIR/log")"
}

# The phones: HOST FILE OUT [BLKSIZE]; messages in $UD_DIR/client.log.
hpa() # tftp-hpa: no options, 512-byte blocks
{
	(cd "$UD_DIR/got" && ip netns exec "$UD_C" timeout 60 tftp -m binary "$1" \
		-c get "$2" "$3") > "$UD_DIR/client.log" 2>&1 &&
		! grep -q "Error code" "$UD_DIR/client.log"
}
at() # atftp: blksize and tsize
{
	ip netns exec "$UD_C" timeout 60 atftp --option "blksize $4" --option "tsize 0" \
		--tftp-timeout 1 -g -r "$2" -l "$3" "$1" > "$UD_DIR/client.log" 2>&1
}
cu() # curl tftp://
{
	local h=$1

	[[ $h == *:* ]] && h="[$h]"
	ip netns exec "$UD_C" curl -sS --max-time 60 --tftp-blksize "$4" -o "$3" \
		"tftp://$h/$2" > "$UD_DIR/client.log" 2>&1
}

# fw CLIENT HOST BLKSIZE: the firmware, byte-identical.
fw()
{
	local out=$UD_DIR/got/fw.bin

	rm -f "$out"
	"$1" "$2" "${FW##*/}" "$out" "$3" || fail_msg "$1: $(cat "$UD_DIR/client.log")" || return 1
	cmp -s "$FW" "$out" || fail_msg "$1: differs ($(stat -c %s "$out") bytes)"
}

xp() { xmllint --xpath "$1" "$2" 2>/dev/null; }

# rewritten FILE: encrypted mode, TLS, every call manager and the CAPF at
# the proxy's outside address with the proxy's TLS port; the rest kept.
rewritten()
{
	local f=$1

	xmllint --noout "$f" 2>/dev/null || fail_msg "not well-formed" || return 1
	[ "$(xp 'string(/device/deviceSecurityMode)' "$f")" = 3 ] ||
		fail_msg "deviceSecurityMode $(xp 'string(/device/deviceSecurityMode)' "$f")" || return 1
	[ "$(xp 'string(/device/transportLayerProtocol)' "$f")" = 4 ] ||
		fail_msg "transportLayerProtocol not 4 (TLS)" || return 1
	[ "$(xp 'count(//callManagerGroup/members/member/callManager)' "$f")" = 2 ] &&
	[ "$(xp 'count(//callManager[processNodeName="192.0.2.1"])' "$f")" = 2 ] ||
		fail_msg "not both call managers at 192.0.2.1" || return 1
	[ "$(xp 'count(//callManager/ports[securedSipPort="15061"])' "$f")" = 2 ] ||
		fail_msg "securedSipPort not 15061 in both" || return 1
	[ "$(xp 'string(//capfList/capf/processNodeName)' "$f")" = 192.0.2.1 ] &&
	[ "$(xp 'string(//vendorConfig/loadServer)' "$f")" = 192.0.2.1 ] ||
		fail_msg "CAPF or loadServer not the proxy" || return 1
	[ "$(xp 'string(//sipLines/line/featureLabel)' "$f")" = 1001 ] &&
	[ "$(xp 'string(//directoryURL)' "$f")" = "http://10.9.0.2:8080/ccmcip/xmldirectory.jsp?a=1&b=2" ] ||
		fail_msg "an element the proxy does not own changed"
}

# cnf CLIENT HOST BLKSIZE: the phone's configuration comes back rewritten
# (and the same check refuses the cluster's own file).
cnf()
{
	local out=$UD_DIR/got/SEP$MAC.cnf.xml

	rm -f "$out"
	"$1" "$2" "SEP$MAC.cnf.xml" "$out" "$3" || fail_msg "$1: $(cat "$UD_DIR/client.log")" || return 1
	rewritten "$out" || return 1
	! rewritten "$UD_DIR/srv/SEP$MAC.cnf.xml" >/dev/null ||
		fail_msg "the check passes the cluster's own file"
}

# cut_signature FILE BODY SIG: the file less its signature element, and
# the signature (Documentation/phone-proxy.md, "The file").
cut_signature()
{
	"$UCP_ROOT/scripts/ctl-cut-signature" "$@"
}

# record_cert FILE FUNCTION OUT: the certificate (tag 9) of the first
# record of FUNCTION (2: CCM+TFTP).
record_cert()
{
	python3 - "$@" <<'EOF'
import sys
b = open(sys.argv[1], 'rb').read()
p = int.from_bytes(b[8:10], 'big')
while p + 5 <= len(b):
    end = p + int.from_bytes(b[p + 3:p + 5], 'big')
    q, f = p + 5, {}
    while q + 3 <= end:
        n = int.from_bytes(b[q + 1:q + 3], 'big')
        f[b[q]] = b[q + 3:q + 3 + n]
        q += 3 + n
    if int.from_bytes(f.get(4, b'\xff\xff'), 'big') == int(sys.argv[2]):
        open(sys.argv[3], 'wb').write(f[9])
        sys.exit(0)
    p = end
sys.exit(1)
EOF
}

# ctl CLIENT HOST BLKSIZE: CTLFile.tlv parses and verifies with ctl show,
# openssl verifies its signature with the SAST's key, its CCM+TFTP record
# is the proxy's certificate; a changed byte fails openssl.
ctl()
{
	local f=$UD_DIR/got/CTLFile.tlv out

	rm -f "$f"
	"$1" "$2" CTLFile.tlv "$f" "$3" || fail_msg "$1: $(cat "$UD_DIR/client.log")" || return 1
	"$UCPROXYD" ctl show "$f" > "$UD_DIR/show.txt" 2>&1 ||
		fail_msg "ctl show: $(tail -n 1 "$UD_DIR/show.txt")" || return 1
	grep -q "^signature: verifies against record 1 (SAST)" "$UD_DIR/show.txt" ||
		fail_msg "ctl show: not verified" || return 1
	cut_signature "$f" "$UD_DIR/body.bin" "$UD_DIR/sig.bin" || fail_msg "no signature" || return 1
	openssl x509 -in "$UD_DIR/sast.pem" -pubkey -noout > "$UD_DIR/sast.pub"
	out=$(openssl dgst -sha1 -verify "$UD_DIR/sast.pub" -signature "$UD_DIR/sig.bin" \
		"$UD_DIR/body.bin" 2>&1)
	[ "$out" = "Verified OK" ] || fail_msg "openssl: $out" || return 1
	printf '\x01' | dd of="$UD_DIR/body.bin" bs=1 seek=30 conv=notrunc 2>/dev/null
	! openssl dgst -sha1 -verify "$UD_DIR/sast.pub" -signature "$UD_DIR/sig.bin" \
		"$UD_DIR/body.bin" >/dev/null 2>&1 || fail_msg "openssl verifies a changed file" || return 1
	record_cert "$f" 2 "$UD_DIR/ccm.der" || fail_msg "no CCM+TFTP record" || return 1
	openssl x509 -in "$UD_DIR/proxy.pem" -outform DER -out "$UD_DIR/proxy.der"
	cmp -s "$UD_DIR/ccm.der" "$UD_DIR/proxy.der" || fail_msg "CCM+TFTP record is not proxy.pem"
}

# --- explicit mode: the phones ask the router ---------------------------
ktap_check "explicit: tftp-hpa (512-byte blocks): 2 MB firmware byte-identical" fw hpa 192.0.2.1 512
ktap_check "explicit: atftp (blksize 1428): 2 MB firmware byte-identical" fw at 192.0.2.1 1428
ktap_check "explicit: tftp-hpa: SEP$MAC.cnf.xml rewritten (mode 3, TLS, 192.0.2.1:15061)" cnf hpa 192.0.2.1 512
ktap_check "explicit: atftp: CTLFile.tlv parses, verifies (ctl show, openssl), names the proxy" ctl at 192.0.2.1 1428

# --- transparent mode: the phones ask the cluster's server --------------
transparent()
{
	reload 0.0.0.0:6969 transparent || return 1
	grep -q "tftp: listening on 0.0.0.0:6969 (transparent), server 10.9.0.2:69" "$UD_DIR/log" ||
		fail_msg "no transparent listener: $(tail -n 3 "$UD_DIR/log")"
}
ktap_check "transparent: reloaded to mode = transparent, listen 0.0.0.0:6969" transparent
req0=$(ud_stat tftp_requests)
ktap_check "transparent: tftp-hpa (512): 2 MB firmware byte-identical" fw hpa 10.9.0.2 512
ktap_check "transparent: atftp (1428): 2 MB firmware byte-identical" fw at 10.9.0.2 1428
ktap_check "transparent: curl (1428): 2 MB firmware byte-identical" fw cu 10.9.0.2 1428
ktap_check "transparent: atftp (1428): SEP$MAC.cnf.xml rewritten" cnf at 10.9.0.2 1428
ktap_check "transparent: curl (512): SEP$MAC.cnf.xml rewritten" cnf cu 10.9.0.2 512
ktap_check "transparent: tftp-hpa: CTLFile.tlv parses and verifies with openssl" ctl hpa 10.9.0.2 512
served()
{
	local req

	req=$(ud_stat tftp_requests)
	[ "$req" -eq $((req0 + 6)) ] || fail_msg "tftp_requests $req0 -> $req, want +6"
}
ktap_check "transparent: the agent served all six (tftp_requests +6), not the server" served

# The answer comes from the server's own address, on a new port.
probe()
{
	local r

	r=$(ip netns exec "$UD_C" python3 - <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"\0\1CTLFile.tlv\0octet\0", ("10.9.0.2", 69))
b, src = s.recvfrom(65536)
s.sendto(b"\0\5\0\0done\0", src)
print(src[0], "new-port" if src[1] != 69 else "port-69", b[:4].hex())
EOF
	)
	[ "$r" = "10.9.0.2 new-port 00030001" ] || fail_msg "answer: $r" || return 1
	grep -q "tftp: 192.0.2.10:[0-9]* CTLFile.tlv: answering from 10.9.0.2:[0-9]*$" "$UD_DIR/log" &&
		! grep -q "CTLFile.tlv: answering from 10.9.0.2:69$" "$UD_DIR/log" ||
		fail_msg "no log line of the original destination"
}
ktap_check "transparent: DATA 1 comes from 10.9.0.2 on a new port (the original destination)" probe

# refused WHAT COUNTER CMD...: CMD's TFTP error, and COUNTER moved by one.
counted()
{
	local what=$1 counter=$2 v0 v1

	shift 2
	v0=$(ud_stat "$counter")
	"$@" || return 1
	v1=$(ud_stat "$counter")
	[ "$v1" -eq $((v0 + 1)) ] || fail_msg "$what: $counter $v0 -> $v1"
}
put()
{
	echo firmware > "$UD_DIR/got/up.bin"
	(cd "$UD_DIR/got" && ip netns exec "$UD_C" timeout 20 tftp -m binary 10.9.0.2 \
		-c put up.bin up.bin) > "$UD_DIR/client.log" 2>&1
	grep -q "Error code 2: access violation" "$UD_DIR/client.log" ||
		fail_msg "put: $(cat "$UD_DIR/client.log")" || return 1
	[ ! -e "$UD_DIR/srv/up.bin" ] || fail_msg "written on the server"
}
ktap_check "transparent: a write request (tftp put): TFTP error 2, tftp_write_refused +1" \
	counted put tftp_write_refused put
garbage()
{
	local r

	r=$(ip netns exec "$UD_C" python3 - <<'EOF'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"\0\x09\xff\xfe", ("10.9.0.2", 69))
b, src = s.recvfrom(65536)
print(b[:4].hex(), b[4:].split(b"\0")[0].decode())
EOF
	)
	[[ $r == "00050004 "* ]] || fail_msg "garbage: $r"
}
ktap_check "transparent: a garbage datagram: TFTP error 4, tftp_bad_packet +1" \
	counted garbage tftp_bad_packet garbage
oversize()
{
	rm -f "$UD_DIR/got/big.xml"
	! at 10.9.0.2 SEP0011223344BB.cnf.xml "$UD_DIR/got/big.xml" 1428 ||
		fail_msg "served" || return 1
	grep -q "larger than max-config-size" "$UD_DIR/client.log" ||
		fail_msg "atftp: $(cat "$UD_DIR/client.log")"
}
ktap_check "transparent: a configuration above max-config-size: TFTP error 3, tftp_oversize +1" \
	counted oversize tftp_oversize oversize

# --- the kernel's helper for the client that is not a phone -------------
other()
{
	local out=$UD_DIR/got/other.bin

	rm -f "$out"
	ip netns exec "$UD_O" timeout 30 atftp --tftp-timeout 1 -g -r other.bin -l "$out" \
		10.9.0.3 > "$UD_DIR/client.log" 2>&1 && cmp -s "$UD_DIR/srv2/other.bin" "$out"
}
helper()
{
	local req0 req1

	req0=$(ud_stat tftp_requests)
	other || fail_msg "atftp: $(cat "$UD_DIR/client.log")" || return 1
	req1=$(ud_stat tftp_requests)
	[ "$req1" -eq "$req0" ] || fail_msg "the agent saw it: tftp_requests $req0 -> $req1" || return 1
	ip netns exec "$UD_R" conntrack -L -p udp --orig-dst 10.9.0.3 2>/dev/null |
		grep -q "helper=tftp" || fail_msg "no conntrack with helper=tftp"
}
ktap_check "coexistence: O fetches from 10.9.0.3 through the forward path with the tftp helper, the agent untouched" helper
nohelper()
{
	ip netns exec "$UD_R" nft delete table inet tftp &&
		ip netns exec "$UD_R" nft -f "$UD_DIR/nohelper.nft" || return 1
	ip netns exec "$UD_R" conntrack -F 2>/dev/null
	other && fail_msg "fetched without the helper"
	ip netns exec "$UD_R" nft delete table inet tftp &&
		ip netns exec "$UD_R" nft -f "$UD_DIR/rules.nft"
}
ktap_check "coexistence: without the helper the forward policy drops the server's answer" nohelper
ktap_check "coexistence: the phones still reach the agent after the rule set is back" cnf hpa 10.9.0.2 512

# --- transparent mode, IPv6 ---------------------------------------------
transparent6()
{
	reload "[::]:6969" transparent || return 1
	grep -q "tftp: listening on \[::\]:6969 (transparent)" "$UD_DIR/log" ||
		fail_msg "no IPv6 transparent listener: $(tail -n 3 "$UD_DIR/log")"
}
ktap_check "transparent IPv6: reloaded to listen [::]:6969" transparent6
ktap_check "transparent IPv6: atftp (1428): 2 MB firmware byte-identical" fw at 2001:db8:2::2 1428
ktap_check "transparent IPv6: tftp-hpa (512): SEP$MAC.cnf.xml rewritten" cnf hpa 2001:db8:2::2 512
probe6()
{
	ctl cu 2001:db8:2::2 1428 || return 1
	grep -q "CTLFile.tlv: answering from \[2001:db8:2::2\]:[0-9]*$" "$UD_DIR/log" ||
		fail_msg "no log line of the original destination"
}
ktap_check "transparent IPv6: curl: CTLFile.tlv verifies, answered from 2001:db8:2::2" probe6

[ "$_ktap_failed" -eq 0 ] || sed 's/^/# agent: /' "$UD_DIR/log" | tail -30
ktap_finish
