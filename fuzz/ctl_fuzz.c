// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the CTL/ITL parser and writer
 * (user/ucproxyd/ctl_tlv.c): the input is a whole file, parsed from a
 * heap copy of exactly its size, so ASan sees any read past it. When the
 * parse succeeds:
 *
 * - every view lies inside the input, and every string is followed there
 *   by its NUL and holds none;
 * - the signature element lies inside the header, its value is the
 *   header's signature view; the signer is a SAST record whose serial is
 *   the header's; there are at most two SAST records;
 * - writing what was parsed succeeds (unless the header lacks the signer
 *   name or CA name the writer needs, or its fixed layout would pass
 *   65535 bytes), gives a header that is a multiple of 4 and records of
 *   the same lengths, and parses again to the same fields; writing that
 *   again gives the same bytes.
 *
 * A broken rule ends in __builtin_trap() after a line on stderr.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_tlv.h"

#include "fuzz_check.h"

static struct ucpd_ctl a, b, c;

static void inside(const struct ucpd_ctl_bytes *v, const uint8_t *buf,
		   size_t len, bool string)
{
	if (!v->p)
		return;
	CHECK(v->p >= buf && v->len <= len && v->p - buf <= (ptrdiff_t)(len - v->len));
	if (string) {
		CHECK(v->p + v->len < buf + len && v->p[v->len] == 0);
		CHECK(!v->len || !memchr(v->p, 0, v->len));
	}
}

static void views_inside(const struct ucpd_ctl *x, const uint8_t *buf,
			 size_t len)
{
	const struct ucpd_ctl_header *h = &x->hdr;
	unsigned int i;

	inside(&h->signer_name, buf, len, true);
	inside(&h->serial, buf, len, false);
	inside(&h->ca_name, buf, len, true);
	inside(&h->signature, buf, len, false);
	inside(&h->file_name, buf, len, true);
	for (i = 0; i < x->n_rec; i++) {
		const struct ucpd_ctl_record *r = &x->rec[i];

		inside(&r->dns_name, buf, len, true);
		inside(&r->subject, buf, len, true);
		inside(&r->issuer, buf, len, true);
		inside(&r->serial, buf, len, false);
		inside(&r->public_key, buf, len, false);
		inside(&r->signature, buf, len, false);
		inside(&r->certificate, buf, len, false);
		inside(&r->ip_address, buf, len, false);
		inside(&r->cert_hash, buf, len, false);
	}
}

static bool same(const struct ucpd_ctl_bytes *x, const struct ucpd_ctl_bytes *y)
{
	if (!x->p || !y->p)
		return !x->p && !y->p;
	return x->len == y->len && (!x->len || !memcmp(x->p, y->p, x->len));
}

static void same_fields(const struct ucpd_ctl *x, const struct ucpd_ctl *y)
{
	unsigned int i;

	CHECK(!memcmp(x->hdr.version, y->hdr.version, 2));
	CHECK(x->hdr.has_signer_version == y->hdr.has_signer_version);
	CHECK(!x->hdr.has_signer_version ||
	      !memcmp(x->hdr.signer_version, y->hdr.signer_version, 2));
	CHECK(same(&x->hdr.signer_name, &y->hdr.signer_name));
	CHECK(same(&x->hdr.serial, &y->hdr.serial));
	CHECK(same(&x->hdr.ca_name, &y->hdr.ca_name));
	CHECK(x->hdr.digest == y->hdr.digest);
	CHECK(x->hdr.sig_alg == y->hdr.sig_alg);
	CHECK(x->hdr.modulus == y->hdr.modulus);
	CHECK(same(&x->hdr.signature, &y->hdr.signature));
	CHECK(same(&x->hdr.file_name, &y->hdr.file_name));
	CHECK(x->hdr.has_timestamp == y->hdr.has_timestamp);
	CHECK(!x->hdr.has_timestamp || x->hdr.timestamp == y->hdr.timestamp);
	CHECK(x->n_rec == y->n_rec);
	CHECK(x->signer == y->signer);
	for (i = 0; i < x->n_rec; i++) {
		const struct ucpd_ctl_record *r = &x->rec[i], *s = &y->rec[i];

		CHECK(same(&r->dns_name, &s->dns_name));
		CHECK(same(&r->subject, &s->subject));
		CHECK(r->function == s->function);
		CHECK(same(&r->issuer, &s->issuer));
		CHECK(same(&r->serial, &s->serial));
		CHECK(same(&r->public_key, &s->public_key));
		CHECK(same(&r->signature, &s->signature));
		CHECK(same(&r->certificate, &s->certificate));
		CHECK(same(&r->ip_address, &s->ip_address));
		CHECK(same(&r->cert_hash, &s->cert_hash));
		CHECK(r->has_hash_alg == s->has_hash_alg);
		CHECK(!r->has_hash_alg || r->hash_alg == s->hash_alg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *in = malloc(size ? size : 1), *out = NULL, *out2 = NULL;
	size_t n = 0, n2 = 0, records;
	unsigned int i, sast = 0;
	int ret;

	if (!in)
		return 0;
	memcpy(in, data, size);
	if (ucpd_ctl_parse(in, size, &a) != UCPD_CTL_OK)
		goto out;

	views_inside(&a, in, size);
	CHECK(a.hdr.length <= size);
	CHECK(a.sig_off + 3 <= a.sig_end && a.sig_end <= a.hdr.length);
	CHECK(a.hdr.signature.p == in + a.sig_off + 3);
	CHECK(a.hdr.signature.len == a.sig_end - a.sig_off - 3);
	CHECK(a.n_rec <= UCPD_CTL_MAX_RECORDS);
	CHECK(a.signer < a.n_rec);
	CHECK(a.rec[a.signer].function == UCPD_CTL_F_SAST);
	CHECK(same(&a.rec[a.signer].serial, &a.hdr.serial));
	for (i = 0; i < a.n_rec; i++)
		sast += a.rec[i].function == UCPD_CTL_F_SAST;
	CHECK(sast >= 1 && sast <= UCPD_CTL_MAX_SAST);
	CHECK(ucpd_ctl_digest_name(a.hdr.digest));

	/* The writer sets the header length and signature place anew. */
	records = size - a.hdr.length;
	ret = ucpd_ctl_write(&a, NULL, 0, &n);
	if (ret == -EINVAL) {
		/* Only a header the fixed layout cannot hold. */
		/*
		 * The writer adds at most the three group headers (9), the
		 * algorithm and modulus (8) and padding (3) to what was read.
		 */
		CHECK(!a.hdr.signer_name.p || !a.hdr.ca_name.p ||
		      a.hdr.length > 0xffff - 20);
		goto out;
	}
	CHECK(ret == -ENOSPC || (ret == 0 && n == 0));
	out = malloc(n);
	if (!out)
		goto out;
	CHECK(ucpd_ctl_write(&a, out, n, &n) == 0);
	CHECK(ucpd_ctl_parse(out, n, &b) == UCPD_CTL_OK);
	views_inside(&b, out, n);
	CHECK(b.hdr.length % 4 == 0);
	CHECK(n - b.hdr.length == records);
	CHECK(b.hdr.length == a.hdr.length && b.sig_off == a.sig_off &&
	      b.sig_end == a.sig_end);
	same_fields(&a, &b);
	/* The written form is canonical: written again, the same bytes. */
	out2 = malloc(n);
	if (!out2)
		goto out;
	CHECK(ucpd_ctl_write(&b, out2, n, &n2) == 0 && n2 == n);
	CHECK(!memcmp(out, out2, n));
	CHECK(ucpd_ctl_parse(out2, n2, &c) == UCPD_CTL_OK);
	same_fields(&b, &c);
out:
	free(out2);
	free(out);
	free(in);
	return 0;
}
