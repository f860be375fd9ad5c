// SPDX-License-Identifier: GPL-2.0
/*
 * The CTL/ITL layout (ctl_tlv.c): the writer against a file laid out by
 * hand, the parser on the same bytes, every reason it refuses a file,
 * every prefix of a file (ASan watches for a read past the end), and the
 * round trip parse -> write.
 */
#include <kunit/test.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_tlv.h"

/*
 * A whole file, computed by hand from the layout in
 * Documentation/phone-proxy.md: signer "CN=S" serial 07, SHA-1, a
 * 4-byte signature AA BB CC DD, file name "C", time stamp 0x5f000000;
 * a SAST record for that signer and a CCM+TFTP record with an address.
 */
static const uint8_t hand[] = {
	/* 0: version 1.2 */
	0x01, 0x00, 0x02, 0x01, 0x02,
	/* 5: header length 76 (0x4c), signature and padding included */
	0x02, 0x00, 0x02, 0x00, 0x4c,
	/* 10: signer version 1.0 */
	0x1c, 0x00, 0x02, 0x01, 0x00,
	/* 15: signer ID group: 8 + 4 + 8 = 20 bytes */
	0x03, 0x00, 0x14,
	/* 18: signer name "CN=S" and its NUL */
	0x04, 0x00, 0x05, 'C', 'N', '=', 'S', 0x00,
	/* 26: serial 07 */
	0x05, 0x00, 0x01, 0x07,
	/* 30: CA name "CN=S" */
	0x06, 0x00, 0x05, 'C', 'N', '=', 'S', 0x00,
	/* 38: signature info group: digest (4) + algorithm group (11) */
	0x07, 0x00, 0x0f,
	/* 41: digest SHA-1 */
	0x08, 0x00, 0x01, 0x01,
	/* 45: signature algorithm group: algorithm (4) + modulus (4) */
	0x09, 0x00, 0x08,
	/* 48: algorithm 0 */
	0x0a, 0x00, 0x01, 0x00,
	/* 52: modulus code 0 */
	0x0b, 0x00, 0x01, 0x00,
	/* 56: the signature element, 4 bytes; it ends at 63 */
	0x0c, 0x00, 0x04, 0xaa, 0xbb, 0xcc, 0xdd,
	/* 63: file name "C" */
	0x0e, 0x00, 0x02, 'C', 0x00,
	/* 68: time stamp */
	0x0f, 0x00, 0x04, 0x5f, 0x00, 0x00, 0x00,
	/* 75: one padding byte: 76 is a multiple of 4 */
	0x0d,
	/* 76: record 1, 5 + 8 + 5 + 8 + 4 + 6 = 36 (0x24) bytes */
	0x01, 0x00, 0x02, 0x00, 0x24,
	/* 81: subject "CN=S" */
	0x03, 0x00, 0x05, 'C', 'N', '=', 'S', 0x00,
	/* 89: function SAST (0) */
	0x04, 0x00, 0x02, 0x00, 0x00,
	/* 94: issuer "CN=S" */
	0x05, 0x00, 0x05, 'C', 'N', '=', 'S', 0x00,
	/* 102: serial 07: the header's, so this record is the signer */
	0x06, 0x00, 0x01, 0x07,
	/* 106: a 3-byte "certificate" (the layout does not parse X.509) */
	0x09, 0x00, 0x03, 0x30, 0x01, 0x00,
	/* 112: record 2, 5 + 5 + 7 = 17 (0x11) bytes */
	0x01, 0x00, 0x02, 0x00, 0x11,
	/* 117: function CCM+TFTP (2) */
	0x04, 0x00, 0x02, 0x00, 0x02,
	/* 122: IP address 192.0.2.10 */
	0x0a, 0x00, 0x04, 0xc0, 0x00, 0x02, 0x0a,
	/* 129: end */
};

#define REC1	76
#define REC2	112

static struct ucpd_ctl_bytes str(const char *s)
{
	return (struct ucpd_ctl_bytes){ (const uint8_t *)s, strlen(s) };
}

static struct ucpd_ctl_bytes bytes(const uint8_t *p, size_t n)
{
	return (struct ucpd_ctl_bytes){ p, n };
}

/* The structure the hand-made file describes. */
static void hand_ctl(struct ucpd_ctl *ctl)
{
	static const uint8_t serial[] = { 0x07 };
	static const uint8_t sig[] = { 0xaa, 0xbb, 0xcc, 0xdd };
	static const uint8_t cert[] = { 0x30, 0x01, 0x00 };
	static const uint8_t ip[] = { 192, 0, 2, 10 };
	struct ucpd_ctl_header *h = &ctl->hdr;

	memset(ctl, 0, sizeof(*ctl));
	h->version[0] = 1;
	h->version[1] = 2;
	h->has_signer_version = true;
	h->signer_version[0] = 1;
	h->signer_name = str("CN=S");
	h->serial = bytes(serial, 1);
	h->ca_name = str("CN=S");
	h->digest = UCPD_CTL_DIGEST_SHA1;
	h->signature = bytes(sig, 4);
	h->file_name = str("C");
	h->has_timestamp = true;
	h->timestamp = 0x5f000000;
	ctl->rec[0].subject = str("CN=S");
	ctl->rec[0].has_function = true;
	ctl->rec[0].function = UCPD_CTL_F_SAST;
	ctl->rec[0].issuer = str("CN=S");
	ctl->rec[0].serial = bytes(serial, 1);
	ctl->rec[0].certificate = bytes(cert, 3);
	ctl->rec[1].has_function = true;
	ctl->rec[1].function = UCPD_CTL_F_CCM_TFTP;
	ctl->rec[1].ip_address = bytes(ip, 4);
	ctl->n_rec = 2;
}

static void writer_hand_bytes_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	uint8_t out[sizeof(hand)];
	size_t len = 0;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	hand_ctl(ctl);
	KUNIT_ASSERT_EQ(test, ucpd_ctl_write(ctl, out, sizeof(out), &len), 0);
	KUNIT_EXPECT_EQ(test, len, sizeof(hand));
	KUNIT_EXPECT_EQ(test, memcmp(out, hand, sizeof(hand)), 0);
	KUNIT_EXPECT_EQ(test, ctl->hdr.length, 76);
	KUNIT_EXPECT_EQ(test, ctl->sig_off, 56);
	KUNIT_EXPECT_EQ(test, ctl->sig_end, 63);

	/* One byte short: nothing past the buffer, the size still told. */
	len = 0;
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, out, sizeof(out) - 1, &len),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, len, sizeof(hand));
	/* No buffer: the size only. */
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -ENOSPC);
	KUNIT_EXPECT_EQ(test, len, sizeof(hand));
}

static void writer_zero_signature_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	uint8_t out[sizeof(hand)];
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	hand_ctl(ctl);
	ctl->hdr.signature.p = NULL;	/* length only: zeros to sign over */
	KUNIT_ASSERT_EQ(test, ucpd_ctl_write(ctl, out, sizeof(out), &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(out, hand, 59), 0);
	KUNIT_EXPECT_EQ(test, out[59] | out[60] | out[61] | out[62], 0);
	KUNIT_EXPECT_EQ(test, memcmp(out + 63, hand + 63, sizeof(hand) - 63), 0);
}

static void writer_refuses_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	static uint8_t big[70000];
	static const uint8_t nul[] = { 'a', 0, 'b' };
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	hand_ctl(ctl);
	ctl->rec[1].has_function = false;
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
	hand_ctl(ctl);
	ctl->hdr.serial.p = NULL;
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
	hand_ctl(ctl);
	ctl->rec[0].certificate = bytes(big, sizeof(big));
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
	hand_ctl(ctl);
	ctl->rec[0].certificate = bytes(big, 65535 - 5 - 8 - 5 - 8 - 4 - 3 + 1);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
	ctl->rec[0].certificate.len--;	/* the record exactly 65535 */
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -ENOSPC);
	KUNIT_EXPECT_EQ(test, len, 76 + 65535 + 17);
	hand_ctl(ctl);
	ctl->hdr.file_name = bytes(nul, sizeof(nul));
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
	hand_ctl(ctl);
	ctl->n_rec = UCPD_CTL_MAX_RECORDS + 1;
	KUNIT_EXPECT_EQ(test, ucpd_ctl_write(ctl, NULL, 0, &len), -EINVAL);
}

/*
 * Padding: the header without it is 74 bytes plus the file name's; it is
 * padded with tag 13 bytes to the next multiple of 4.
 */
static void writer_padding_test(struct kunit *test)
{
	static const char * const names[] = { "C", "CC", "CCC", "CCCC" };
	static const size_t want[] = { 76, 76, 80, 80 };
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	uint8_t out[256];
	size_t i, k, len;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		hand_ctl(ctl);
		ctl->hdr.file_name = str(names[i]);
		KUNIT_ASSERT_EQ(test, ucpd_ctl_write(ctl, out, sizeof(out), &len), 0);
		KUNIT_EXPECT_EQ(test, ctl->hdr.length, want[i]);
		KUNIT_EXPECT_EQ(test, out[8] << 8 | out[9], want[i]);
		for (k = 74 + strlen(names[i]); k < want[i]; k++)
			KUNIT_EXPECT_EQ_MSG(test, out[k], UCPD_CTL_H_PADDING,
					    "name %s byte %zu", names[i], k);
		KUNIT_EXPECT_EQ(test, out[want[i]], UCPD_CTL_R_LENGTH);
		KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(out, len, ctl), UCPD_CTL_OK);
	}
}

static void parse_hand_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	const struct ucpd_ctl_record *r;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	KUNIT_ASSERT_EQ(test, ucpd_ctl_parse(hand, sizeof(hand), ctl), UCPD_CTL_OK);
	KUNIT_EXPECT_EQ(test, ctl->hdr.version[0], 1);
	KUNIT_EXPECT_EQ(test, ctl->hdr.version[1], 2);
	KUNIT_EXPECT_EQ(test, ctl->hdr.length, 76);
	KUNIT_EXPECT_TRUE(test, ctl->hdr.has_signer_version);
	KUNIT_EXPECT_EQ(test, ctl->hdr.signer_name.len, 4);
	KUNIT_EXPECT_EQ(test, memcmp(ctl->hdr.signer_name.p, "CN=S", 4), 0);
	KUNIT_EXPECT_EQ(test, ctl->hdr.serial.len, 1);
	KUNIT_EXPECT_EQ(test, ctl->hdr.serial.p[0], 7);
	KUNIT_EXPECT_EQ(test, ctl->hdr.digest, UCPD_CTL_DIGEST_SHA1);
	KUNIT_EXPECT_PTR_EQ(test, ctl->hdr.signature.p, hand + 59);
	KUNIT_EXPECT_EQ(test, ctl->hdr.signature.len, 4);
	KUNIT_EXPECT_EQ(test, ctl->sig_off, 56);
	KUNIT_EXPECT_EQ(test, ctl->sig_end, 63);
	KUNIT_EXPECT_EQ(test, ctl->hdr.file_name.len, 1);
	KUNIT_EXPECT_EQ(test, ctl->hdr.timestamp, 0x5f000000);
	KUNIT_ASSERT_EQ(test, ctl->n_rec, 2);
	KUNIT_EXPECT_EQ(test, ctl->signer, 0);
	r = &ctl->rec[0];
	KUNIT_EXPECT_EQ(test, r->function, UCPD_CTL_F_SAST);
	KUNIT_EXPECT_PTR_EQ(test, r->certificate.p, hand + 109);
	KUNIT_EXPECT_EQ(test, r->certificate.len, 3);
	KUNIT_EXPECT_NULL(test, r->public_key.p);
	r = &ctl->rec[1];
	KUNIT_EXPECT_EQ(test, r->function, UCPD_CTL_F_CCM_TFTP);
	KUNIT_EXPECT_EQ(test, r->ip_address.len, 4);
	KUNIT_EXPECT_EQ(test, r->ip_address.p[3], 10);
	KUNIT_EXPECT_NULL(test, r->subject.p);
}

/* Parse -> write gives the same bytes back. */
static void round_trip_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	uint8_t out[sizeof(hand)];
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	KUNIT_ASSERT_EQ(test, ucpd_ctl_parse(hand, sizeof(hand), ctl), UCPD_CTL_OK);
	KUNIT_ASSERT_EQ(test, ucpd_ctl_write(ctl, out, sizeof(out), &len), 0);
	KUNIT_EXPECT_EQ(test, len, sizeof(hand));
	KUNIT_EXPECT_EQ(test, memcmp(out, hand, sizeof(hand)), 0);
}

/* Every prefix in a buffer of exactly its size: only whole files pass. */
static void prefixes_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	enum ucpd_ctl_err e;
	size_t n;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	for (n = 0; n <= sizeof(hand); n++) {
		uint8_t *b = malloc(n ? n : 1);

		KUNIT_ASSERT_NOT_NULL(test, b);
		memcpy(b, hand, n);
		e = ucpd_ctl_parse(b, n, ctl);
		free(b);
		if (n == REC2 || n == sizeof(hand))
			KUNIT_EXPECT_EQ_MSG(test, e, UCPD_CTL_OK, "prefix %zu", n);
		else
			KUNIT_EXPECT_NE_MSG(test, e, UCPD_CTL_OK, "prefix %zu", n);
	}
}

struct bad_case {
	const char *name;
	size_t at;		/* byte to change; SIZE_MAX: none */
	uint8_t value;
	size_t len;		/* 0: the whole file */
	enum ucpd_ctl_err want;
};

static const struct bad_case bad_cases[] = {
	{ "too short", SIZE_MAX, 0, 2, UCPD_CTL_E_TRUNCATED },
	{ "record length cut", SIZE_MAX, 0, REC2 + 2, UCPD_CTL_E_TRUNCATED },
	{ "not the version first", 0, 0x02, 0, UCPD_CTL_E_NO_VERSION },
	{ "version of 3 bytes", 2, 0x03, 0, UCPD_CTL_E_FIELD_LENGTH },
	{ "length not second", 5, 0x03, 0, UCPD_CTL_E_NO_LENGTH },
	{ "header length below its start", 9, 0x04, 0, UCPD_CTL_E_HEADER_LENGTH },
	{ "header length past the file", 8, 0x01, 0, UCPD_CTL_E_HEADER_LENGTH },
	{ "header cuts the time stamp", 9, 72, 0, UCPD_CTL_E_HEADER_OVERRUN },
	{ "unknown header tag", 63, 16, 0, UCPD_CTL_E_UNKNOWN_HEADER_TAG },
	{ "CA name outside its group", 17, 0x10, 0, UCPD_CTL_E_MISPLACED },
	{ "digest in the signer group", 26, 0x08, 0, UCPD_CTL_E_MISPLACED },
	{ "second signature", 63, 0x0c, 0, UCPD_CTL_E_DUPLICATE },
	{ "signer name without NUL", 25, 'X', 0, UCPD_CTL_E_STRING },
	{ "signer name with a NUL inside", 21, 0x00, 0, UCPD_CTL_E_STRING },
	{ "subject with a NUL inside", 85, 0x00, 0, UCPD_CTL_E_STRING },
	{ "record not opened by its length", REC1, 0x03, 0, UCPD_CTL_E_NO_RECORD_LENGTH },
	{ "record length 3", REC1 + 4, 0x03, 0, UCPD_CTL_E_RECORD_LENGTH },
	{ "record length past the file", REC2 + 4, 0x12, 0, UCPD_CTL_E_RECORD_LENGTH },
	{ "record cuts the certificate", REC1 + 4, 0x23, 0, UCPD_CTL_E_RECORD_OVERRUN },
	{ "unknown record tag", 106, 13, 0, UCPD_CTL_E_UNKNOWN_RECORD_TAG },
	{ "second serial in a record", 106, 0x06, 0, UCPD_CTL_E_DUPLICATE },
	{ "function of 3 bytes", 91, 0x03, 0, UCPD_CTL_E_FIELD_LENGTH },
	{ "record without function", 117, 0x0b, 0, UCPD_CTL_E_NO_FUNCTION },
	{ "no SAST of the header's serial", 105, 0x08, 0, UCPD_CTL_E_NO_SIGNER },
};

static void bad_desc(const struct bad_case *c, char *desc)
{
	strncpy(desc, c->name, KUNIT_PARAM_DESC_SIZE - 1);
	desc[KUNIT_PARAM_DESC_SIZE - 1] = '\0';
}

KUNIT_ARRAY_PARAM(bad, bad_cases, bad_desc);

static void refuses_test(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	size_t n = c->len ? c->len : sizeof(hand);
	uint8_t *b = kunit_kzalloc(test, n, GFP_KERNEL);
	enum ucpd_ctl_err e;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	KUNIT_ASSERT_NOT_NULL(test, b);
	memcpy(b, hand, n);
	if (c->at != SIZE_MAX)
		b[c->at] = c->value;
	e = ucpd_ctl_parse(b, n, ctl);
	KUNIT_EXPECT_EQ_MSG(test, e, c->want, "got \"%s\"", ucpd_ctl_strerror(e));
	KUNIT_EXPECT_STRNEQ(test, ucpd_ctl_strerror(e), "unknown error");
}

/* Headers alone, flat (no groups), each lacking what the next one has. */
static void refuses_missing_test(struct kunit *test)
{
	static const uint8_t no_serial[] = {
		0x01, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x00, 0x0e,
		0x08, 0x00, 0x01, 0x01,				/* digest */
	};
	static const uint8_t no_digest[] = {
		0x01, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x00, 0x0e,
		0x05, 0x00, 0x01, 0x07,				/* serial */
	};
	static const uint8_t unknown_digest[] = {
		0x01, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x00, 0x12,
		0x05, 0x00, 0x01, 0x07, 0x08, 0x00, 0x01, 0x09,	/* digest 9 */
	};
	static const uint8_t no_signature[] = {
		0x01, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x00, 0x12,
		0x05, 0x00, 0x01, 0x07, 0x08, 0x00, 0x01, 0x02,	/* sha256 */
	};
	static const uint8_t padding_in_group[] = {
		0x01, 0x00, 0x02, 0x01, 0x02, 0x02, 0x00, 0x02, 0x00, 0x0e,
		0x03, 0x00, 0x01, 0x0d,		/* signer ID holding padding */
	};
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(no_serial, sizeof(no_serial), ctl),
			UCPD_CTL_E_NO_SERIAL);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(no_digest, sizeof(no_digest), ctl),
			UCPD_CTL_E_NO_DIGEST);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(unknown_digest,
					     sizeof(unknown_digest), ctl),
			UCPD_CTL_E_UNKNOWN_DIGEST);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(no_signature, sizeof(no_signature),
					     ctl),
			UCPD_CTL_E_NO_SIGNATURE);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(padding_in_group,
					     sizeof(padding_in_group), ctl),
			UCPD_CTL_E_MISPLACED);
}

/* The hand header followed by @n copies of record 1 (SAST) then @m of 2. */
static uint8_t *repeated(struct kunit *test, unsigned int n, unsigned int m,
			 size_t *len)
{
	size_t r1 = REC2 - REC1, r2 = sizeof(hand) - REC2;
	uint8_t *b = kunit_kzalloc(test, REC1 + n * r1 + m * r2, GFP_KERNEL);
	unsigned int i;

	if (!b)
		return NULL;
	memcpy(b, hand, REC1);
	*len = REC1;
	for (i = 0; i < n; i++, *len += r1)
		memcpy(b + *len, hand + REC1, r1);
	for (i = 0; i < m; i++, *len += r2)
		memcpy(b + *len, hand + REC2, r2);
	return b;
}

static void refuses_counts_test(struct kunit *test)
{
	struct ucpd_ctl *ctl = kunit_kzalloc(test, sizeof(*ctl), GFP_KERNEL);
	uint8_t *b;
	size_t len;

	KUNIT_ASSERT_NOT_NULL(test, ctl);
	b = repeated(test, 2, UCPD_CTL_MAX_RECORDS - 2, &len);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(b, len, ctl), UCPD_CTL_OK);
	KUNIT_EXPECT_EQ(test, ctl->n_rec, UCPD_CTL_MAX_RECORDS);
	b = repeated(test, 1, UCPD_CTL_MAX_RECORDS, &len);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(b, len, ctl),
			UCPD_CTL_E_TOO_MANY_RECORDS);
	b = repeated(test, 3, 0, &len);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, ucpd_ctl_parse(b, len, ctl),
			UCPD_CTL_E_TOO_MANY_SAST);
}

static void names_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ucpd_ctl_function_name(UCPD_CTL_F_CCM_TFTP),
			   "CCM+TFTP");
	KUNIT_EXPECT_STREQ(test, ucpd_ctl_function_name(UCPD_CTL_F_SAST), "SAST");
	KUNIT_EXPECT_NULL(test, ucpd_ctl_function_name(99));
	KUNIT_EXPECT_STREQ(test, ucpd_ctl_digest_name(2), "sha256");
	KUNIT_EXPECT_NULL(test, ucpd_ctl_digest_name(0));
	KUNIT_EXPECT_STREQ(test, ucpd_ctl_strerror(UCPD_CTL_E_NR), "unknown error");
}

static struct kunit_case ctl_tlv_cases[] = {
	KUNIT_CASE(writer_hand_bytes_test),
	KUNIT_CASE(writer_zero_signature_test),
	KUNIT_CASE(writer_refuses_test),
	KUNIT_CASE(writer_padding_test),
	KUNIT_CASE(parse_hand_test),
	KUNIT_CASE(round_trip_test),
	KUNIT_CASE(prefixes_test),
	KUNIT_CASE_PARAM(refuses_test, bad_gen_params),
	KUNIT_CASE(refuses_missing_test),
	KUNIT_CASE(refuses_counts_test),
	KUNIT_CASE(names_test),
	{}
};

static struct kunit_suite ctl_tlv_suite = {
	.name = "ucpd_ctl_tlv",
	.test_cases = ctl_tlv_cases,
};

kunit_test_suite(ctl_tlv_suite);

MODULE_LICENSE("GPL");
