#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `ucproxyd ctl write` and `ucproxyd ctl show` checked from outside: the
# openssl command line makes the keys and certificates and verifies the
# signature of each file written (the signature element cut out by a
# walker written here, not the project's parser), and the records'
# certificates are compared with openssl's DER of the configured ones.
#
#   ctl_openssl.sh SCENARIO     from the tree's top; UCPROXYD= the binary
#
# Scenarios: sha1, sha256, tampered, import, errors. Prints one line per
# check; exits 1 at the first that fails.
set -euo pipefail

U=${UCPROXYD:-user/ucproxyd/ucproxyd}
[ -x "$U" ] || { echo "ctl_openssl: $U is not built" >&2; exit 1; }
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

fail() { echo "not ok: $*"; exit 1; }
ok() { echo "ok: $*"; }

cert() { # NAME SUBJECT [BITS]
	openssl req -x509 -newkey "rsa:${3:-2048}" -nodes -keyout "$d/$1.key" \
		-out "$d/$1.pem" -subj "$2" -days 30 2>/dev/null
}

conf() { # FILE DIGEST SAST [EXTRA LINE...]
	local f=$1 digest=$2 sast=$3
	shift 3
	cat > "$f" <<-EOT
	[listener phones]
	application = phone-proxy
	listen = 127.0.0.1:5061
	server = 127.0.0.1:5062
	server-tls = off
	client-auth = off
	certificate = $d/proxy.pem
	key = $d/proxy.key

	[ctl]
	sast-certificate = $d/$sast.pem
	sast-key = $d/$sast.key
	digest = $digest
	address = 192.0.2.10
	EOT
	for l in "$@"; do echo "$l" >> "$f"; done
}

# FILE BODY SIG: the file less its signature element, and the signature.
cut_signature() {
	scripts/ctl-cut-signature "$@"
}

# FILE FUNCTION OUT: the certificate (tag 9) of the first record of FUNCTION.
record_cert() {
	python3 - "$@" <<-'EOT'
	import sys
	b = open(sys.argv[1], 'rb').read()
	want = int(sys.argv[2])
	p = int.from_bytes(b[8:10], 'big')
	while p < len(b):
	    end = p + int.from_bytes(b[p + 3:p + 5], 'big')
	    q, fields = p + 5, {}
	    while q < end:
	        n = int.from_bytes(b[q + 1:q + 3], 'big')
	        fields[b[q]] = b[q + 3:q + 3 + n]
	        q += 3 + n
	    if int.from_bytes(fields.get(4, b'\xff\xff'), 'big') == want:
	        open(sys.argv[3], 'wb').write(fields[9])
	        sys.exit(0)
	    p = end
	sys.exit(1)
	EOT
}

# FILE SAST DGST: openssl verifies FILE's signature with SAST's public key.
openssl_verifies() {
	cut_signature "$1" "$d/body.bin" "$d/sig.bin" || return 1
	openssl x509 -in "$d/$2.pem" -pubkey -noout > "$d/pub.pem"
	openssl dgst "-$3" -verify "$d/pub.pem" -signature "$d/sig.bin" \
		"$d/body.bin" 2>&1
}

same_der() { # FILE FUNCTION NAME
	record_cert "$1" "$2" "$d/rec.der" || return 1
	openssl x509 -in "$d/$3.pem" -outform DER -out "$d/want.der"
	cmp -s "$d/rec.der" "$d/want.der"
}

digest_case() { # DIGEST
	cert sast "/CN=SAST/OU=Voice/O=Example"
	cert proxy "/CN=proxy.example/O=Example"
	conf "$d/u.conf" "$1" sast "file-name = ITLFile.tlv"
	"$U" ctl write -c "$d/u.conf" -o "$d/out.tlv" > "$d/w.out" ||
		fail "ctl write ($1)"
	grep -q "2 records" "$d/w.out" || fail "ctl write says $(cat "$d/w.out")"
	ok "ctl write $1: $(cat "$d/w.out")"
	out=$(openssl_verifies "$d/out.tlv" sast "$1") || fail "openssl: $out"
	[ "$out" = "Verified OK" ] || fail "openssl said: $out"
	ok "openssl dgst -$1 -verify: $out"
	same_der "$d/out.tlv" 0 sast || fail "the SAST record's certificate is not sast.pem"
	same_der "$d/out.tlv" 2 proxy || fail "the CCM+TFTP record's certificate is not proxy.pem"
	ok "SAST and CCM+TFTP records hold the configured certificates (DER)"
	"$U" ctl show "$d/out.tlv" > "$d/show.out" || fail "ctl show"
	grep -qx "digest: $1" "$d/show.out" || fail "show: no digest $1"
	grep -qx "file name: ITLFile.tlv" "$d/show.out" || fail "show: file name"
	grep -qx "  ip address: 192.0.2.10" "$d/show.out" || fail "show: address"
	grep -q "^signature: verifies against record 1 (SAST)" "$d/show.out" ||
		fail "show: not verified"
	ok "ctl show: parses, names $1, ITLFile.tlv, 192.0.2.10, verifies"
}

case ${1:-} in
sha1 | sha256)
	digest_case "$1"
	# RSA PKCS#1 v1.5 is deterministic: with the time stamp fixed,
	# the same configuration gives the same bytes.
	SOURCE_DATE_EPOCH=1700000000 "$U" ctl write -c "$d/u.conf" -o "$d/a.tlv" >/dev/null
	SOURCE_DATE_EPOCH=1700000000 "$U" ctl write -c "$d/u.conf" -o "$d/b.tlv" >/dev/null
	cmp -s "$d/a.tlv" "$d/b.tlv" || fail "two writes with one time stamp differ"
	"$U" ctl show "$d/a.tlv" | grep -qx "time stamp: 2023-11-14 22:13:20 UTC" ||
		fail "SOURCE_DATE_EPOCH not the time stamp"
	ok "reproducible with SOURCE_DATE_EPOCH"
	;;
tampered)
	digest_case sha1
	size=$(stat -c %s "$d/out.tlv")
	# The last byte (a record), a byte of the signer name (header).
	for at in $((size - 1)) 22; do
		cp "$d/out.tlv" "$d/bad.tlv"
		printf '\xff' | dd of="$d/bad.tlv" bs=1 seek="$at" conv=notrunc 2>/dev/null
		cmp -s "$d/out.tlv" "$d/bad.tlv" && printf '\xfe' |
			dd of="$d/bad.tlv" bs=1 seek="$at" conv=notrunc 2>/dev/null
		if out=$(openssl_verifies "$d/bad.tlv" sast sha1); then
			fail "openssl verified a file changed at byte $at"
		fi
		ok "openssl refuses the file changed at byte $at: $out"
		st=0
		"$U" ctl show "$d/bad.tlv" > /dev/null 2> "$d/err" || st=$?
		[ "$st" = 1 ] || fail "ctl show of a changed file exited $st"
		[ "$(wc -l < "$d/err")" = 1 ] || fail "ctl show: $(cat "$d/err")"
		ok "ctl show exits 1: $(cat "$d/err")"
	done
	;;
import)
	cert sast "/CN=SAST/O=Cluster"
	cert sast2 "/CN=Proxy SAST/O=Example"
	cert proxy "/CN=proxy.example/O=Example"
	cert cucm "/CN=cucm.example/O=Cluster"
	# The cluster's CTL: its SAST and the call manager (CCM+TFTP).
	conf "$d/a.conf" sha1 sast "certificate = $d/cucm.pem"
	"$U" ctl write -c "$d/a.conf" -o "$d/cluster.tlv" > /dev/null || fail "cluster CTL"
	# The proxy's, importing it: its SAST, its certificate, then the
	# cluster's two records.
	conf "$d/b.conf" sha256 sast2 "import = $d/cluster.tlv"
	"$U" ctl write -c "$d/b.conf" -o "$d/proxy.tlv" > "$d/w.out" || fail "import"
	grep -q "4 records" "$d/w.out" || fail "import: $(cat "$d/w.out")"
	out=$(openssl_verifies "$d/proxy.tlv" sast2 sha256) || fail "openssl: $out"
	ok "import: $(cat "$d/w.out"); openssl: $out"
	"$U" ctl show "$d/proxy.tlv" > "$d/show.out"
	[ "$(grep -c '^record ' "$d/show.out")" = 4 ] || fail "show: not 4 records"
	grep '^record ' "$d/show.out" | tr '\n' ' ' | grep -q \
		"record 1: SAST record 2: CCM+TFTP record 3: SAST record 4: CCM+TFTP" ||
		fail "records out of order: $(grep '^record ' "$d/show.out")"
	grep -q "subject: CN=cucm.example;O=Cluster" "$d/show.out" ||
		fail "the cluster's call manager is not kept"
	ok "records: proxy SAST, proxy CCM+TFTP, cluster SAST, cluster CCM+TFTP"
	# A third SAST is left out, said on stdout, not an error.
	cert sast3 "/CN=Third SAST/O=Example"
	conf "$d/c.conf" sha1 sast3 "import = $d/proxy.tlv"
	"$U" ctl write -c "$d/c.conf" -o "$d/third.tlv" > "$d/w.out" || fail "third"
	grep -q "left out: two SAST records at most" "$d/w.out" || fail "$(cat "$d/w.out")"
	[ "$("$U" ctl show "$d/third.tlv" | grep -c '^record .*: SAST$')" = 2 ] ||
		fail "more than two SAST records written"
	ok "a third SAST left out: $(head -n 1 "$d/w.out")"
	# An imported file that does not verify is refused, nothing written.
	cp "$d/cluster.tlv" "$d/bad.tlv"
	printf '\x00' | dd of="$d/bad.tlv" bs=1 seek=$(($(stat -c %s "$d/bad.tlv") - 1)) \
		conv=notrunc 2>/dev/null
	conf "$d/e.conf" sha1 sast2 "import = $d/bad.tlv"
	st=0
	"$U" ctl write -c "$d/e.conf" -o "$d/none.tlv" > /dev/null 2> "$d/err" || st=$?
	[ "$st" = 1 ] && [ ! -e "$d/none.tlv" ] || fail "bad import: exit $st"
	grep -q "does not verify" "$d/err" || fail "bad import: $(cat "$d/err")"
	ok "an import that does not verify: $(cat "$d/err")"
	;;
errors)
	cert sast "/CN=SAST/O=Example"
	cert proxy "/CN=proxy.example/O=Example"
	cert small "/CN=Small/O=Example" 1024
	# each: the exit status wanted, a word of the one line, then the
	# command's arguments
	expect() {
		local want=$1 word=$2 st=0
		shift 2
		"$U" "$@" > /dev/null 2> "$d/err" || st=$?
		[ "$st" = "$want" ] || fail "$* exited $st, not $want: $(cat "$d/err")"
		[ "$(wc -l < "$d/err")" -ge 1 ] || fail "$*: no error line"
		grep -q -- "$word" "$d/err" || fail "$*: $(cat "$d/err")"
		ok "$* -> $st: $(head -n 1 "$d/err")"
	}
	conf "$d/u.conf" sha1 sast
	expect 2 "usage" ctl
	expect 2 "required" ctl write -c "$d/u.conf"
	expect 2 "unknown command" ctl sign x
	expect 1 "No such file" ctl show "$d/missing.tlv"
	head -c 100 /dev/urandom > "$d/junk.tlv"
	printf '\x05' | dd of="$d/junk.tlv" bs=1 conv=notrunc 2>/dev/null
	expect 1 "not a CTL file: does not start" ctl show "$d/junk.tlv"
	: > "$d/empty.tlv"
	expect 1 "not a CTL file" ctl show "$d/empty.tlv"
	grep -v '^\[ctl\]' "$d/u.conf" | grep -v '^sast\|^digest\|^address' > "$d/noctl.conf"
	expect 1 "no \[ctl\] section" ctl write -c "$d/noctl.conf" -o "$d/o.tlv"
	conf "$d/k.conf" sha1 sast
	sed -i "s|sast-key = .*|sast-key = $d/proxy.key|" "$d/k.conf"
	expect 1 "not the key of sast-certificate" ctl write -c "$d/k.conf" -o "$d/o.tlv"
	conf "$d/m.conf" md5 sast
	expect 1 "is not sha1 or sha256" ctl write -c "$d/m.conf" -o "$d/o.tlv"
	conf "$d/a.conf" sha1 sast
	sed -i "s|address = .*|address = 2001:db8::1|" "$d/a.conf"
	expect 1 "not an IPv4 address" ctl write -c "$d/a.conf" -o "$d/o.tlv"
	conf "$d/n.conf" sha1 sast
	sed -i '/^sast-key/d' "$d/n.conf"
	expect 1 "needs sast-certificate and sast-key" ctl write -c "$d/n.conf" -o "$d/o.tlv"
	conf "$d/x.conf" sha1 sast
	sed -i "s|sast-certificate = .*|sast-certificate = $d/proxy.key|" "$d/x.conf"
	expect 1 "no PEM certificate" ctl write -c "$d/x.conf" -o "$d/o.tlv"
	expect 1 "No such file" ctl write -c "$d/u.conf" -o "$d/nodir/o.tlv"
	[ ! -e "$d/o.tlv" ] || fail "an output was written by a failed write"
	ok "no failed write left an output"
	# A 1024-bit SAST is accepted (older phones); the file says so.
	conf "$d/s.conf" sha1 small
	"$U" ctl write -c "$d/s.conf" -o "$d/s.tlv" > /dev/null || fail "1024-bit SAST"
	"$U" ctl show "$d/s.tlv" | grep -qx "signature: 128 bytes (modulus code 1)" ||
		fail "1024-bit: not 128 bytes, code 1"
	out=$(openssl_verifies "$d/s.tlv" small sha1) || fail "openssl: $out"
	ok "1024-bit SAST: 128-byte signature, modulus code 1, openssl: $out"
	;;
*)
	echo "usage: ctl_openssl.sh sha1|sha256|tampered|import|errors" >&2
	exit 2
	;;
esac
