// SPDX-License-Identifier: GPL-2.0
/*
 * CTL and ITL files: the TLV parser and writer.
 *
 * Every element is a tag byte, a 16-bit big-endian length and the value,
 * except the header's padding, a lone tag byte. The header's first two
 * elements are its version and its length; three of its elements are
 * groups (signer ID, signature information, signature algorithm) whose
 * length covers the elements they hold. The records follow the header,
 * each opened by its own length. The parser checks every length against
 * the end of the innermost thing holding it (group, header, record,
 * file) before it reads a byte of the value.
 */
#include <errno.h>
#include <string.h>

#include "ctl_tlv.h"

#define TL_LEN		3	/* tag byte and 16-bit length */
#define GROUPS_MAX	2	/* signature algorithm in signature info */

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The group that must hold @tag when it is inside one; 0 for none. */
static uint8_t group_of(uint8_t tag)
{
	switch (tag) {
	case UCPD_CTL_H_SIGNER_NAME:
	case UCPD_CTL_H_SERIAL:
	case UCPD_CTL_H_CA_NAME:
		return UCPD_CTL_H_SIGNER_ID;
	case UCPD_CTL_H_DIGEST:
	case UCPD_CTL_H_SIG_ALG_INFO:
		return UCPD_CTL_H_SIGNATURE_INFO;
	case UCPD_CTL_H_SIG_ALG:
	case UCPD_CTL_H_SIG_MODULUS:
		return UCPD_CTL_H_SIG_ALG_INFO;
	}
	return 0;
}

static bool is_group(uint8_t tag)
{
	return tag == UCPD_CTL_H_SIGNER_ID ||
	       tag == UCPD_CTL_H_SIGNATURE_INFO ||
	       tag == UCPD_CTL_H_SIG_ALG_INFO;
}

static bool known_header_tag(uint8_t tag)
{
	return (tag >= UCPD_CTL_H_VERSION && tag <= UCPD_CTL_H_TIMESTAMP &&
		tag != UCPD_CTL_H_PADDING) || tag == UCPD_CTL_H_SIGNER_VERSION;
}

/* A string value: ends with its only NUL, which the view leaves out. */
static enum ucpd_ctl_err set_string(struct ucpd_ctl_bytes *dst,
				    const uint8_t *v, size_t n)
{
	if (!n || v[n - 1] || memchr(v, 0, n - 1))
		return UCPD_CTL_E_STRING;
	dst->p = v;
	dst->len = n - 1;
	return UCPD_CTL_OK;
}

static void set_bytes(struct ucpd_ctl_bytes *dst, const uint8_t *v, size_t n)
{
	dst->p = v;
	dst->len = n;
}

/* One header element's value, given once (groups are the caller's). */
static enum ucpd_ctl_err header_field(struct ucpd_ctl *ctl, uint8_t tag,
				      const uint8_t *v, size_t n, size_t off)
{
	struct ucpd_ctl_header *h = &ctl->hdr;

	switch (tag) {
	case UCPD_CTL_H_SIGNER_VERSION:
		if (n != 2)
			return UCPD_CTL_E_FIELD_LENGTH;
		h->has_signer_version = true;
		h->signer_version[0] = v[0];
		h->signer_version[1] = v[1];
		return UCPD_CTL_OK;
	case UCPD_CTL_H_SIGNER_NAME:
		return set_string(&h->signer_name, v, n);
	case UCPD_CTL_H_SERIAL:
		set_bytes(&h->serial, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_H_CA_NAME:
		return set_string(&h->ca_name, v, n);
	case UCPD_CTL_H_DIGEST:
	case UCPD_CTL_H_SIG_ALG:
	case UCPD_CTL_H_SIG_MODULUS:
		if (n != 1)
			return UCPD_CTL_E_FIELD_LENGTH;
		if (tag == UCPD_CTL_H_DIGEST)
			h->digest = v[0];
		else if (tag == UCPD_CTL_H_SIG_ALG)
			h->sig_alg = v[0];
		else
			h->modulus = v[0];
		return UCPD_CTL_OK;
	case UCPD_CTL_H_SIGNATURE:
		ctl->sig_off = off;
		ctl->sig_end = off + TL_LEN + n;
		set_bytes(&h->signature, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_H_FILE_NAME:
		return set_string(&h->file_name, v, n);
	case UCPD_CTL_H_TIMESTAMP:
		if (n != 4)
			return UCPD_CTL_E_FIELD_LENGTH;
		h->has_timestamp = true;
		h->timestamp = (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
			       (uint32_t)v[2] << 8 | v[3];
		return UCPD_CTL_OK;
	}
	return UCPD_CTL_E_UNKNOWN_HEADER_TAG;
}

/*
 * The header, from @buf's start to the length its second element gives.
 * Groups are entered, not skipped: a group's elements must fit in it and
 * belong to it; outside a group any header element may stand (some
 * writers may not group).
 */
static enum ucpd_ctl_err parse_header(const uint8_t *buf, size_t len,
				      struct ucpd_ctl *ctl, size_t *hdr_end)
{
	struct {
		uint8_t tag;
		size_t end;
	} grp[GROUPS_MAX];
	unsigned int depth = 0;
	uint32_t seen = 0;
	size_t pos, end, n;
	enum ucpd_ctl_err e;
	uint8_t tag;

	if (len < TL_LEN)
		return UCPD_CTL_E_TRUNCATED;
	if (buf[0] != UCPD_CTL_H_VERSION)
		return UCPD_CTL_E_NO_VERSION;
	if (get_be16(buf + 1) != 2)
		return UCPD_CTL_E_FIELD_LENGTH;
	if (len < 2 * TL_LEN + 2)
		return UCPD_CTL_E_TRUNCATED;
	ctl->hdr.version[0] = buf[3];
	ctl->hdr.version[1] = buf[4];
	if (buf[5] != UCPD_CTL_H_LENGTH)
		return UCPD_CTL_E_NO_LENGTH;
	if (get_be16(buf + 6) != 2)
		return UCPD_CTL_E_FIELD_LENGTH;
	if (len < 2 * TL_LEN + 4)
		return UCPD_CTL_E_TRUNCATED;
	ctl->hdr.length = get_be16(buf + 8);
	end = ctl->hdr.length;
	pos = 2 * TL_LEN + 4;
	if (end < pos || end > len)
		return UCPD_CTL_E_HEADER_LENGTH;
	seen = 1u << UCPD_CTL_H_VERSION | 1u << UCPD_CTL_H_LENGTH;

	while (pos < end) {
		while (depth && grp[depth - 1].end == pos)
			depth--;
		tag = buf[pos];
		if (tag == UCPD_CTL_H_PADDING) {
			if (depth)
				return UCPD_CTL_E_MISPLACED;
			pos++;
			continue;
		}
		if (pos + TL_LEN > end)
			return UCPD_CTL_E_HEADER_OVERRUN;
		n = get_be16(buf + pos + 1);
		if (pos + TL_LEN + n > end)
			return UCPD_CTL_E_HEADER_OVERRUN;
		if (!known_header_tag(tag))
			return UCPD_CTL_E_UNKNOWN_HEADER_TAG;
		if (depth && (grp[depth - 1].tag != group_of(tag) ||
			      pos + TL_LEN + n > grp[depth - 1].end))
			return UCPD_CTL_E_MISPLACED;
		if (seen & 1u << tag)
			return UCPD_CTL_E_DUPLICATE;
		seen |= 1u << tag;
		if (is_group(tag)) {
			/* group_of() allows two levels at most. */
			grp[depth].tag = tag;
			grp[depth].end = pos + TL_LEN + n;
			depth++;
			pos += TL_LEN;
			continue;
		}
		e = header_field(ctl, tag, buf + pos + TL_LEN, n, pos);
		if (e)
			return e;
		pos += TL_LEN + n;
	}
	if (!ctl->hdr.serial.p)
		return UCPD_CTL_E_NO_SERIAL;
	if (!(seen & 1u << UCPD_CTL_H_DIGEST))
		return UCPD_CTL_E_NO_DIGEST;
	if (!ucpd_ctl_digest_name(ctl->hdr.digest))
		return UCPD_CTL_E_UNKNOWN_DIGEST;
	if (!ctl->hdr.signature.p)
		return UCPD_CTL_E_NO_SIGNATURE;
	*hdr_end = end;
	return UCPD_CTL_OK;
}

static enum ucpd_ctl_err record_field(struct ucpd_ctl_record *r, uint8_t tag,
				      const uint8_t *v, size_t n)
{
	switch (tag) {
	case UCPD_CTL_R_DNS_NAME:
		return set_string(&r->dns_name, v, n);
	case UCPD_CTL_R_SUBJECT:
		return set_string(&r->subject, v, n);
	case UCPD_CTL_R_FUNCTION:
		if (n != 2)
			return UCPD_CTL_E_FIELD_LENGTH;
		r->has_function = true;
		r->function = get_be16(v);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_ISSUER:
		return set_string(&r->issuer, v, n);
	case UCPD_CTL_R_SERIAL:
		set_bytes(&r->serial, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_PUBLIC_KEY:
		set_bytes(&r->public_key, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_SIGNATURE:
		set_bytes(&r->signature, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_CERTIFICATE:
		set_bytes(&r->certificate, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_IP_ADDRESS:
		set_bytes(&r->ip_address, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_CERT_HASH:
		set_bytes(&r->cert_hash, v, n);
		return UCPD_CTL_OK;
	case UCPD_CTL_R_HASH_ALG:
		if (n != 1)
			return UCPD_CTL_E_FIELD_LENGTH;
		r->has_hash_alg = true;
		r->hash_alg = v[0];
		return UCPD_CTL_OK;
	}
	return UCPD_CTL_E_UNKNOWN_RECORD_TAG;
}

/* One record at @pos; its end into @next. */
static enum ucpd_ctl_err parse_record(const uint8_t *buf, size_t len,
				      size_t pos, struct ucpd_ctl_record *r,
				      size_t *next)
{
	enum ucpd_ctl_err e;
	uint32_t seen = 0;
	size_t end, n;
	uint8_t tag;

	if (pos + TL_LEN > len)
		return UCPD_CTL_E_TRUNCATED;
	if (buf[pos] != UCPD_CTL_R_LENGTH)
		return UCPD_CTL_E_NO_RECORD_LENGTH;
	if (get_be16(buf + pos + 1) != 2)
		return UCPD_CTL_E_FIELD_LENGTH;
	if (pos + TL_LEN + 2 > len)
		return UCPD_CTL_E_TRUNCATED;
	end = pos + get_be16(buf + pos + TL_LEN);
	if (end < pos + TL_LEN + 2 || end > len)
		return UCPD_CTL_E_RECORD_LENGTH;
	pos += TL_LEN + 2;
	while (pos < end) {
		if (pos + TL_LEN > end)
			return UCPD_CTL_E_RECORD_OVERRUN;
		tag = buf[pos];
		n = get_be16(buf + pos + 1);
		if (pos + TL_LEN + n > end)
			return UCPD_CTL_E_RECORD_OVERRUN;
		if (tag == UCPD_CTL_R_LENGTH || tag >= 32)
			return tag == UCPD_CTL_R_LENGTH ? UCPD_CTL_E_DUPLICATE :
			       UCPD_CTL_E_UNKNOWN_RECORD_TAG;
		if (seen & 1u << tag)
			return UCPD_CTL_E_DUPLICATE;
		seen |= 1u << tag;
		e = record_field(r, tag, buf + pos + TL_LEN, n);
		if (e)
			return e;
		pos += TL_LEN + n;
	}
	if (!r->has_function)
		return UCPD_CTL_E_NO_FUNCTION;
	*next = end;
	return UCPD_CTL_OK;
}

static bool same_bytes(const struct ucpd_ctl_bytes *a,
		       const struct ucpd_ctl_bytes *b)
{
	return a->p && b->p && a->len == b->len &&
	       (!a->len || !memcmp(a->p, b->p, a->len));
}

enum ucpd_ctl_err ucpd_ctl_parse(const uint8_t *buf, size_t len,
				 struct ucpd_ctl *ctl)
{
	unsigned int i, sast = 0;
	enum ucpd_ctl_err e;
	size_t pos;

	memset(ctl, 0, sizeof(*ctl));
	e = parse_header(buf, len, ctl, &pos);
	if (e)
		return e;
	while (pos < len) {
		struct ucpd_ctl_record *r;

		if (ctl->n_rec == UCPD_CTL_MAX_RECORDS)
			return UCPD_CTL_E_TOO_MANY_RECORDS;
		r = &ctl->rec[ctl->n_rec];
		e = parse_record(buf, len, pos, r, &pos);
		if (e)
			return e;
		if (r->function == UCPD_CTL_F_SAST && ++sast > UCPD_CTL_MAX_SAST)
			return UCPD_CTL_E_TOO_MANY_SAST;
		ctl->n_rec++;
	}
	for (i = 0; i < ctl->n_rec; i++) {
		if (ctl->rec[i].function == UCPD_CTL_F_SAST &&
		    same_bytes(&ctl->rec[i].serial, &ctl->hdr.serial)) {
			ctl->signer = i;
			return UCPD_CTL_OK;
		}
	}
	return UCPD_CTL_E_NO_SIGNER;
}

static const char * const reasons[UCPD_CTL_E_NR] = {
	[UCPD_CTL_OK] = "no error",
	[UCPD_CTL_E_TRUNCATED] = "an element runs past the end of the file",
	[UCPD_CTL_E_NO_VERSION] = "does not start with the header's version",
	[UCPD_CTL_E_NO_LENGTH] = "the header's length is not its second element",
	[UCPD_CTL_E_FIELD_LENGTH] = "a fixed-size field has the wrong length",
	[UCPD_CTL_E_HEADER_LENGTH] = "the header length is outside the file",
	[UCPD_CTL_E_HEADER_OVERRUN] = "a header element crosses the header's end",
	[UCPD_CTL_E_UNKNOWN_HEADER_TAG] = "unknown header tag",
	[UCPD_CTL_E_MISPLACED] = "a header element is outside its group or crosses its end",
	[UCPD_CTL_E_DUPLICATE] = "a field is given twice",
	[UCPD_CTL_E_STRING] = "a string is not NUL-terminated or holds a NUL",
	[UCPD_CTL_E_NO_SERIAL] = "the header has no signer serial number",
	[UCPD_CTL_E_NO_DIGEST] = "the header has no digest algorithm",
	[UCPD_CTL_E_UNKNOWN_DIGEST] = "unknown digest algorithm",
	[UCPD_CTL_E_NO_SIGNATURE] = "the header has no signature",
	[UCPD_CTL_E_NO_RECORD_LENGTH] = "a record does not start with its length",
	[UCPD_CTL_E_RECORD_LENGTH] = "a record length is outside the file",
	[UCPD_CTL_E_RECORD_OVERRUN] = "a record element crosses the record's end",
	[UCPD_CTL_E_UNKNOWN_RECORD_TAG] = "unknown record tag",
	[UCPD_CTL_E_NO_FUNCTION] = "a record has no function",
	[UCPD_CTL_E_TOO_MANY_RECORDS] = "more than 64 records",
	[UCPD_CTL_E_TOO_MANY_SAST] = "more than two SAST records",
	[UCPD_CTL_E_NO_SIGNER] = "no SAST record has the header's serial number",
};

const char *ucpd_ctl_strerror(enum ucpd_ctl_err err)
{
	if ((unsigned int)err >= UCPD_CTL_E_NR)
		return "unknown error";
	return reasons[err];
}

const char *ucpd_ctl_function_name(uint16_t function)
{
	switch (function) {
	case UCPD_CTL_F_SAST:
		return "SAST";
	case UCPD_CTL_F_CCM:
		return "CCM";
	case UCPD_CTL_F_CCM_TFTP:
		return "CCM+TFTP";
	case UCPD_CTL_F_TFTP:
		return "TFTP";
	case UCPD_CTL_F_CAPF:
		return "CAPF";
	case UCPD_CTL_F_APP_SERVER:
		return "APP-SERVER";
	case UCPD_CTL_F_TVS:
		return "TVS";
	}
	return NULL;
}

const char *ucpd_ctl_digest_name(uint8_t digest)
{
	switch (digest) {
	case UCPD_CTL_DIGEST_SHA1:
		return "sha1";
	case UCPD_CTL_DIGEST_SHA256:
		return "sha256";
	case UCPD_CTL_DIGEST_SHA512:
		return "sha512";
	}
	return NULL;
}

/* The writer: counts every byte, stores those that fit. */
struct wr {
	uint8_t *b;
	size_t cap, pos;
	bool bad;	/* a value too long for its 16-bit length */
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (n && w->pos <= w->cap && n <= w->cap - w->pos) {
		if (p)
			memcpy(w->b + w->pos, p, n);
		else
			memset(w->b + w->pos, 0, n);
	}
	w->pos += n;
}

static void put_u8(struct wr *w, uint8_t v)
{
	put(w, &v, 1);
}

static void put_tl(struct wr *w, uint8_t tag, size_t n)
{
	uint8_t tl[TL_LEN] = { tag, (uint8_t)(n >> 8), (uint8_t)n };

	if (n > UCPD_CTL_MAX_ELEMENT)
		w->bad = true;
	put(w, tl, sizeof(tl));
}

static void patch_be16(struct wr *w, size_t at, size_t v)
{
	if (v > UCPD_CTL_MAX_ELEMENT)
		w->bad = true;
	if (at + 2 <= w->cap) {
		w->b[at] = (uint8_t)(v >> 8);
		w->b[at + 1] = (uint8_t)v;
	}
}

static void put_bytes(struct wr *w, uint8_t tag, const struct ucpd_ctl_bytes *v)
{
	if (!v->p)
		return;
	put_tl(w, tag, v->len);
	put(w, v->p, v->len);
}

/* A string and its NUL; a NUL inside could not be read back. */
static void put_string(struct wr *w, uint8_t tag,
		       const struct ucpd_ctl_bytes *v)
{
	if (!v->p)
		return;
	if (v->len && memchr(v->p, 0, v->len))
		w->bad = true;
	put_tl(w, tag, v->len + 1);
	put(w, v->p, v->len);
	put_u8(w, 0);
}

static void put_u16_field(struct wr *w, uint8_t tag, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put_tl(w, tag, 2);
	put(w, b, 2);
}

static void put_u8_field(struct wr *w, uint8_t tag, uint8_t v)
{
	put_tl(w, tag, 1);
	put_u8(w, v);
}

static void write_header(struct wr *w, struct ucpd_ctl *ctl)
{
	struct ucpd_ctl_header *h = &ctl->hdr;
	size_t length_at;

	put_tl(w, UCPD_CTL_H_VERSION, 2);
	put(w, h->version, 2);
	put_tl(w, UCPD_CTL_H_LENGTH, 2);
	length_at = w->pos;
	put(w, NULL, 2);
	if (h->has_signer_version) {
		put_tl(w, UCPD_CTL_H_SIGNER_VERSION, 2);
		put(w, h->signer_version, 2);
	}
	put_tl(w, UCPD_CTL_H_SIGNER_ID, 3 * TL_LEN + h->signer_name.len + 1 +
	       h->serial.len + h->ca_name.len + 1);
	put_string(w, UCPD_CTL_H_SIGNER_NAME, &h->signer_name);
	put_bytes(w, UCPD_CTL_H_SERIAL, &h->serial);
	put_string(w, UCPD_CTL_H_CA_NAME, &h->ca_name);
	/* Digest (4 bytes), then the algorithm group (3 + 4 + 4). */
	put_tl(w, UCPD_CTL_H_SIGNATURE_INFO, 4 + TL_LEN + 8);
	put_u8_field(w, UCPD_CTL_H_DIGEST, h->digest);
	put_tl(w, UCPD_CTL_H_SIG_ALG_INFO, 8);
	put_u8_field(w, UCPD_CTL_H_SIG_ALG, h->sig_alg);
	put_u8_field(w, UCPD_CTL_H_SIG_MODULUS, h->modulus);
	ctl->sig_off = w->pos;
	put_tl(w, UCPD_CTL_H_SIGNATURE, h->signature.len);
	put(w, h->signature.p, h->signature.len);
	ctl->sig_end = w->pos;
	put_string(w, UCPD_CTL_H_FILE_NAME, &h->file_name);
	if (h->has_timestamp) {
		uint8_t t[4] = {
			(uint8_t)(h->timestamp >> 24), (uint8_t)(h->timestamp >> 16),
			(uint8_t)(h->timestamp >> 8), (uint8_t)h->timestamp,
		};

		put_tl(w, UCPD_CTL_H_TIMESTAMP, 4);
		put(w, t, 4);
	}
	while (w->pos % 4)
		put_u8(w, UCPD_CTL_H_PADDING);
	h->length = (uint16_t)w->pos;
	patch_be16(w, length_at, w->pos);
}

static void write_record(struct wr *w, const struct ucpd_ctl_record *r)
{
	size_t start = w->pos;

	put_tl(w, UCPD_CTL_R_LENGTH, 2);
	put(w, NULL, 2);
	put_string(w, UCPD_CTL_R_DNS_NAME, &r->dns_name);
	put_string(w, UCPD_CTL_R_SUBJECT, &r->subject);
	put_u16_field(w, UCPD_CTL_R_FUNCTION, r->function);
	put_string(w, UCPD_CTL_R_ISSUER, &r->issuer);
	put_bytes(w, UCPD_CTL_R_SERIAL, &r->serial);
	put_bytes(w, UCPD_CTL_R_PUBLIC_KEY, &r->public_key);
	put_bytes(w, UCPD_CTL_R_SIGNATURE, &r->signature);
	put_bytes(w, UCPD_CTL_R_CERTIFICATE, &r->certificate);
	put_bytes(w, UCPD_CTL_R_IP_ADDRESS, &r->ip_address);
	put_bytes(w, UCPD_CTL_R_CERT_HASH, &r->cert_hash);
	if (r->has_hash_alg)
		put_u8_field(w, UCPD_CTL_R_HASH_ALG, r->hash_alg);
	patch_be16(w, start + TL_LEN, w->pos - start);
}

int ucpd_ctl_write(struct ucpd_ctl *ctl, uint8_t *buf, size_t cap,
		   size_t *len)
{
	struct wr w = { .b = buf, .cap = buf ? cap : 0 };
	unsigned int i;

	if (ctl->n_rec > UCPD_CTL_MAX_RECORDS || !ctl->hdr.signer_name.p ||
	    !ctl->hdr.serial.p || !ctl->hdr.ca_name.p)
		return -EINVAL;
	for (i = 0; i < ctl->n_rec; i++)
		if (!ctl->rec[i].has_function)
			return -EINVAL;
	write_header(&w, ctl);
	for (i = 0; i < ctl->n_rec; i++)
		write_record(&w, &ctl->rec[i]);
	if (w.bad)
		return -EINVAL;
	*len = w.pos;
	return w.pos > w.cap ? -ENOSPC : 0;
}
