// SPDX-License-Identifier: GPL-2.0
/*
 * SCCP (Skinny) core: framing, parsing of the messages that carry media
 * addresses, ports and keys, and in-place rewriting of their addresses.
 *
 * Layouts (offsets into the body, after the 12-byte header), as the
 * Wireshark Skinny dissector decodes them. "addr" is 4 bytes before header
 * version 0x11 and a 4-byte type plus 16 bytes from 0x11 on; ports are
 * u32, little endian like every integer; addresses are in network order.
 *
 *   Register (0x0001)         sid[24], station IPv4 (always plain), ...,
 *                             station IPv6 at 72 in the long form
 *   IpPort (0x0002)           u32 rtpMediaPort
 *   OpenReceiveChannelAck     status, addr, port, passThruPartyId,
 *     (0x0022)                [callReference]
 *   StartMediaTransmission    conferenceId, passThruPartyId, addr, port,
 *     (0x008a)                packet ms, compression, qualifier[16],
 *                             callReference, key info[48], ...
 *   OpenReceiveChannel        conferenceId, passThruPartyId, packet ms,
 *     (0x0105)                compression, qualifier[8], callReference,
 *                             key info[48], six u32, then from version
 *                             0x0b on the source addr and port
 *   StartMediaTransmissionAck conferenceId, passThruPartyId,
 *     (0x0154)                callReference, addr, port, status
 *   StopMediaTransmission,    conferenceId, passThruPartyId,
 *   CloseReceiveChannel       [callReference], ...
 *     (0x008b, 0x0106)
 *
 * Older phones send shorter forms of the same messages: a trailing part
 * (call reference, key info, source address) counts as present only when
 * the message holds all of it. The leading fields up to the address and
 * port are required; a message without them is refused as truncated.
 */
#include "ucp_sccp.h"
#include "ucp_spec.h"

/**
 * ucp_sccp_reason_name() - the name of an SCCP reason
 * @reason: an enum ucp_sccp_reason
 *
 * Return: a short, stable name ("too_large") for counters, logs and
 * tests; "unknown" for a value that is no reason.
 */
const char *ucp_sccp_reason_name(unsigned int reason)
{
	switch (reason) {
	case UCP_SCCP_OK:
		return "ok";
	case UCP_SCCP_E_INCOMPLETE:
		return "incomplete";
	}
	/* A refusal: named as its counter is, by the spec. */
	return ucp_spec_name(&ucp_spec_sccp_bad,
			     reason - UCP_SCCP_E_TOO_LARGE) ?: "unknown";
}

static u32 get_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static u16 get_le16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/**
 * ucp_sccp_frame() - the length of the first message of a stream
 * @buf: the bytes received so far
 * @len: how many
 * @msg_len: set to the message's length, header included, as soon as its
 *	length field is there and valid
 *
 * Reads only the length field.
 *
 * Return: %UCP_SCCP_OK when @buf holds the whole message;
 * %UCP_SCCP_E_INCOMPLETE when it does not yet, or not even the length
 * field; %UCP_SCCP_E_LENGTH or %UCP_SCCP_E_TOO_LARGE for a length that is
 * no message's, after which the stream cannot be followed any further.
 */
int ucp_sccp_frame(const u8 *buf, size_t len, size_t *msg_len)
{
	u32 l;

	if (len < 4)
		return UCP_SCCP_E_INCOMPLETE;
	l = get_le32(buf);
	if (l < UCP_SCCP_HDR_LEN - UCP_SCCP_PREFIX_LEN)
		return UCP_SCCP_E_LENGTH;
	if (l > UCP_SCCP_MAX_MSG - UCP_SCCP_PREFIX_LEN)
		return UCP_SCCP_E_TOO_LARGE;
	*msg_len = l + UCP_SCCP_PREFIX_LEN;
	return len < *msg_len ? UCP_SCCP_E_INCOMPLETE : UCP_SCCP_OK;
}

/* Parsing state: the message and the length of its body. */
struct sccp_cur {
	struct ucp_sccp_msg *m;
	const u8 *body;
	u32 blen;
};

static bool has(const struct sccp_cur *c, u32 off, u32 n)
{
	return off <= c->blen && n <= c->blen - off;
}

static u32 word(const struct sccp_cur *c, u32 off)
{
	return get_le32(c->body + off);
}

/* The size of an address field (without its port) in this version. */
static u32 addr_size(const struct ucp_sccp_msg *m)
{
	return m->version >= UCP_SCCP_V17 ? 20 : 4;
}

/*
 * The address field at @off, followed by a u32 port when @with_port.
 * Returns 0, or a reason; a field the body does not hold is TRUNCATED.
 */
static int parse_field(struct sccp_cur *c, u32 off, u8 kind, bool with_port)
{
	struct ucp_sccp_msg *m = c->m;
	struct ucp_sccp_field *f = &m->f[m->nfields];
	u32 size = addr_size(m), port;

	if (!has(c, off, size + (with_port ? 4 : 0)))
		return UCP_SCCP_E_TRUNCATED;
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	if (m->version >= UCP_SCCP_V17) {
		u32 type = word(c, off);

		f->typed = 1;
		f->type_off = UCP_SCCP_HDR_LEN + off;
		off += 4;
		if (type == UCP_SCCP_IPADDR_V4) {
			f->addr.family = 4;
			memcpy(f->addr.a, c->body + off, 4);
		} else if (type == UCP_SCCP_IPADDR_V6 ||
			   type == UCP_SCCP_IPADDR_V4_V6) {
			f->addr.family = 6;
			memcpy(f->addr.a, c->body + off, 16);
		} else {
			return UCP_SCCP_E_ADDRESS;
		}
		f->addr_off = UCP_SCCP_HDR_LEN + off;
		off += 16;
	} else {
		f->addr.family = 4;
		memcpy(f->addr.a, c->body + off, 4);
		f->addr_off = UCP_SCCP_HDR_LEN + off;
		off += 4;
	}
	if (with_port) {
		port = word(c, off);
		if (port > 0xffff)
			return UCP_SCCP_E_ADDRESS;
		f->port = port;
		f->port_off = UCP_SCCP_HDR_LEN + off;
	}
	m->nfields++;
	return 0;
}

/**
 * ucp_sccp_suite() - the SRTP suite of a key info's algorithm
 * @algorithm: the algorithm id, as on the wire (UCP_SCCP_ALG_*)
 *
 * Return: the enum ucp_srtp_suite (%UCP_SUITE_NONE for
 * %UCP_SCCP_ALG_NONE), or %UCP_SCCP_SUITE_UNKNOWN for an algorithm
 * ucproxy does not implement (F8, or one it does not know).
 */
u8 ucp_sccp_suite(u32 algorithm)
{
	switch (algorithm) {
	case UCP_SCCP_ALG_NONE:
		return UCP_SUITE_NONE;
	case UCP_SCCP_ALG_AES_CM_128_SHA1_32:
		return UCP_SUITE_AES_CM_128_HMAC_SHA1_32;
	case UCP_SCCP_ALG_AES_CM_128_SHA1_80:
		return UCP_SUITE_AES_CM_128_HMAC_SHA1_80;
	case UCP_SCCP_ALG_AEAD_AES_128_GCM:
		return UCP_SUITE_AEAD_AES_128_GCM;
	case UCP_SCCP_ALG_AEAD_AES_256_GCM:
		return UCP_SUITE_AEAD_AES_256_GCM;
	}
	return UCP_SCCP_SUITE_UNKNOWN;
}

/* The key info at @off when the body holds all of it. */
static int parse_key(struct sccp_cur *c, u32 off)
{
	struct ucp_sccp_key *k = &c->m->key;
	const u8 *p = c->body + off;
	u16 key_len, salt_len;

	if (!has(c, off, UCP_SCCP_KEYINFO_LEN))
		return 0;
	key_len = get_le16(p + 4);
	salt_len = get_le16(p + 6);
	if (key_len > UCP_SCCP_KEY_MAX || salt_len > UCP_SCCP_SALT_MAX)
		return UCP_SCCP_E_KEY;
	k->algorithm = get_le32(p);
	k->suite = ucp_sccp_suite(k->algorithm);
	k->key_len = key_len;
	k->salt_len = salt_len;
	/* Bytes past the lengths are padding, not key: not kept. */
	memcpy(k->key, p + 8, key_len);
	memcpy(k->salt, p + 8 + UCP_SCCP_KEY_MAX, salt_len);
	k->mki_present = get_le32(p + 40) != 0;
	k->kdr = get_le32(p + 44);
	c->m->has_key = 1;
	c->m->key_off = UCP_SCCP_HDR_LEN + off;
	return 0;
}

static void call_ref_at(struct sccp_cur *c, u32 off)
{
	if (has(c, off, 4)) {
		c->m->call_ref = word(c, off);
		c->m->has_call_ref = 1;
	}
}

/* Conference and party ids at 0 and 4, which every media message starts with. */
static int party_ids(struct sccp_cur *c)
{
	if (!has(c, 0, 8))
		return UCP_SCCP_E_TRUNCATED;
	c->m->conference_id = word(c, 0);
	c->m->party_id = word(c, 4);
	return 0;
}

static int parse_register(struct sccp_cur *c)
{
	static const u8 zero[16];
	struct ucp_sccp_msg *m = c->m;
	struct ucp_sccp_field *f;

	/* The station's IPv4 address is plain in every version. */
	if (!has(c, 24, 4))
		return UCP_SCCP_E_TRUNCATED;
	f = &m->f[m->nfields++];
	memset(f, 0, sizeof(*f));
	f->kind = UCP_SCCP_F_STATION;
	f->addr.family = 4;
	memcpy(f->addr.a, c->body + 24, 4);
	f->addr_off = UCP_SCCP_HDR_LEN + 24;
	/* The long form's IPv6 address, when one is given. */
	if (has(c, 72, 16) && memcmp(c->body + 72, zero, 16)) {
		f = &m->f[m->nfields++];
		memset(f, 0, sizeof(*f));
		f->kind = UCP_SCCP_F_STATION6;
		f->addr.family = 6;
		memcpy(f->addr.a, c->body + 72, 16);
		f->addr_off = UCP_SCCP_HDR_LEN + 72;
	}
	return 0;
}

static int parse_ip_port(struct sccp_cur *c)
{
	struct ucp_sccp_msg *m = c->m;
	struct ucp_sccp_field *f;
	u32 port;

	if (!has(c, 0, 4))
		return UCP_SCCP_E_TRUNCATED;
	port = word(c, 0);
	if (port > 0xffff)
		return UCP_SCCP_E_ADDRESS;
	f = &m->f[m->nfields++];
	memset(f, 0, sizeof(*f));
	f->kind = UCP_SCCP_F_RTP_PORT;
	f->port = port;
	f->port_off = UCP_SCCP_HDR_LEN;
	return 0;
}

static int parse_orc_ack(struct sccp_cur *c)
{
	u32 off = 4 + addr_size(c->m) + 4;
	int err;

	if (!has(c, 0, 4))
		return UCP_SCCP_E_TRUNCATED;
	c->m->status = word(c, 0);
	err = parse_field(c, 4, UCP_SCCP_F_RECEIVE, true);
	if (err)
		return err;
	if (!has(c, off, 4))
		return UCP_SCCP_E_TRUNCATED;
	c->m->party_id = word(c, off);
	call_ref_at(c, off + 4);
	return 0;
}

static int parse_smt(struct sccp_cur *c)
{
	/* After the port: packet ms, compression, qualifier[16]. */
	u32 off = 8 + addr_size(c->m) + 4 + 4 + 4 + 16;
	int err;

	err = party_ids(c);
	if (!err)
		err = parse_field(c, 8, UCP_SCCP_F_REMOTE, true);
	if (err)
		return err;
	call_ref_at(c, off);
	if (!c->m->has_call_ref)
		return 0;
	return parse_key(c, off + 4);
}

static int parse_orc(struct sccp_cur *c)
{
	/* conference, party, packet ms, compression, qualifier[8] */
	const u32 ref_off = 24, key_off = 28;
	/* key info, then six u32 (stream ids, RFC 2833, DTMF, mixing, direction) */
	const u32 src_off = key_off + UCP_SCCP_KEYINFO_LEN + 6 * 4;
	int err;

	err = party_ids(c);
	if (err)
		return err;
	call_ref_at(c, ref_off);
	err = parse_key(c, key_off);
	if (err)
		return err;
	if (c->m->version < UCP_SCCP_V11 ||
	    !has(c, src_off, addr_size(c->m) + 4))
		return 0;
	return parse_field(c, src_off, UCP_SCCP_F_SOURCE, true);
}

static int parse_smt_ack(struct sccp_cur *c)
{
	u32 off = 12 + addr_size(c->m) + 4;
	int err;

	err = party_ids(c);
	if (err)
		return err;
	call_ref_at(c, 8);
	err = parse_field(c, 12, UCP_SCCP_F_TRANSMIT, true);
	if (err)
		return err;
	if (has(c, off, 4))
		c->m->status = word(c, off);
	return 0;
}

static int parse_stop_close(struct sccp_cur *c)
{
	int err = party_ids(c);

	if (!err)
		call_ref_at(c, 8);
	return err;
}

/**
 * ucp_sccp_parse() - parse one whole message
 * @m: filled in; every field is written
 * @buf: the message, never written
 * @len: its length, exactly as framed (ucp_sccp_frame())
 *
 * A message id the core does not know parses with @m->known 0 and no
 * fields. A key info block is copied into @m->key: secret, so whoever
 * holds @m after a successful parse wipes it (ucp_sccp_msg_wipe()).
 *
 * Return: %UCP_SCCP_OK, or the reason to reject the message
 * (%UCP_SCCP_E_LENGTH when @len is not what framing says); on failure @m
 * holds no key material.
 */
int ucp_sccp_parse(struct ucp_sccp_msg *m, const u8 *buf, size_t len)
{
	struct sccp_cur c = { .m = m };
	size_t framed;
	int err;

	memset(m, 0, sizeof(*m));
	if (len < UCP_SCCP_HDR_LEN)
		return len < 4 ? UCP_SCCP_E_LENGTH : UCP_SCCP_E_TRUNCATED;
	err = ucp_sccp_frame(buf, len, &framed);
	if (err == UCP_SCCP_E_INCOMPLETE || (!err && framed != len))
		return UCP_SCCP_E_LENGTH;
	if (err)
		return err;
	m->len = len;
	m->version = get_le32(buf + 4);
	m->id = get_le32(buf + 8);
	c.body = buf + UCP_SCCP_HDR_LEN;
	c.blen = len - UCP_SCCP_HDR_LEN;

	m->known = 1;
	switch (m->id) {
	case UCP_SCCP_REGISTER:
		err = parse_register(&c);
		break;
	case UCP_SCCP_IP_PORT:
		err = parse_ip_port(&c);
		break;
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL_ACK:
		err = parse_orc_ack(&c);
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION:
		err = parse_smt(&c);
		break;
	case UCP_SCCP_OPEN_RECEIVE_CHANNEL:
		err = parse_orc(&c);
		break;
	case UCP_SCCP_START_MEDIA_TRANSMISSION_ACK:
		err = parse_smt_ack(&c);
		break;
	case UCP_SCCP_STOP_MEDIA_TRANSMISSION:
	case UCP_SCCP_CLOSE_RECEIVE_CHANNEL:
		err = parse_stop_close(&c);
		break;
	default:
		m->known = 0;
		err = 0;
	}
	if (err)
		ucp_sccp_msg_wipe(m);
	return err;
}

/**
 * ucp_sccp_rewrite() - rewrite a message's address fields in place
 * @m: the parse of @buf
 * @buf: the message, changed in place (its length never changes)
 * @len: its length, as parsed
 * @map: asked once for each field of @m, before anything is written, what
 *	the receiver must see
 * @ctx: passed to @map
 *
 * A typed field (header version 0x11 on) may change family; a plain one
 * takes IPv4 only. A field is written only where its bytes change.
 *
 * Return: the number of fields changed, or minus a reason:
 * %UCP_SCCP_E_FAMILY (a family the field cannot take), %UCP_SCCP_E_LENGTH
 * (@m was not parsed from a message of @len bytes); on error nothing was
 * written.
 */
int ucp_sccp_rewrite(const struct ucp_sccp_msg *m, u8 *buf, size_t len,
		     ucp_sccp_map_fn map, void *ctx)
{
	struct ucp_sccp_addr addr[UCP_SCCP_MAX_FIELDS];
	u16 port[UCP_SCCP_MAX_FIELDS];
	bool set[UCP_SCCP_MAX_FIELDS];
	unsigned int i, n = 0;

	if (m->len != len || m->nfields > UCP_SCCP_MAX_FIELDS)
		return -UCP_SCCP_E_LENGTH;
	/* Ask first, write after: a refused field leaves the message whole. */
	for (i = 0; i < m->nfields; i++) {
		const struct ucp_sccp_field *f = &m->f[i];

		addr[i] = f->addr;
		port[i] = f->port;
		set[i] = map(ctx, m, f, &addr[i], &port[i]);
		if (!set[i])
			continue;
		if (f->addr_off && addr[i].family != f->addr.family &&
		    (!f->typed || (addr[i].family != 4 && addr[i].family != 6)))
			return -UCP_SCCP_E_FAMILY;
	}
	for (i = 0; i < m->nfields; i++) {
		const struct ucp_sccp_field *f = &m->f[i];
		bool changed = false;

		if (!set[i])
			continue;
		if (f->addr_off) {
			u8 *p = buf + f->addr_off;
			unsigned int alen = f->addr.family == 4 ? 4 : 16;

			if (f->typed) {
				alen = 16;
				if (addr[i].family != f->addr.family) {
					put_le32(buf + f->type_off,
						 addr[i].family == 4 ?
						 UCP_SCCP_IPADDR_V4 :
						 UCP_SCCP_IPADDR_V6);
					changed = true;
				}
				if (addr[i].family == 4)
					memset(addr[i].a + 4, 0, 12);
			}
			if (memcmp(p, addr[i].a, alen)) {
				memcpy(p, addr[i].a, alen);
				changed = true;
			}
		}
		if (f->port_off && port[i] != f->port) {
			put_le32(buf + f->port_off, port[i]);
			changed = true;
		}
		n += changed;
	}
	return n;
}

/**
 * ucp_sccp_algorithm() - the key info's algorithm id of an SRTP suite
 * @suite: an enum ucp_srtp_suite
 *
 * Return: the UCP_SCCP_ALG_* id, or %UCP_SCCP_ALG_NONE when SCCP has none
 * for @suite (plain RTP, the AES-256 counter mode suites).
 */
u32 ucp_sccp_algorithm(u8 suite)
{
	switch (suite) {
	case UCP_SUITE_AES_CM_128_HMAC_SHA1_32:
		return UCP_SCCP_ALG_AES_CM_128_SHA1_32;
	case UCP_SUITE_AES_CM_128_HMAC_SHA1_80:
		return UCP_SCCP_ALG_AES_CM_128_SHA1_80;
	case UCP_SUITE_AEAD_AES_128_GCM:
		return UCP_SCCP_ALG_AEAD_AES_128_GCM;
	case UCP_SUITE_AEAD_AES_256_GCM:
		return UCP_SCCP_ALG_AEAD_AES_256_GCM;
	}
	return UCP_SCCP_ALG_NONE;
}

/**
 * ucp_sccp_write_key() - replace a message's key info in place
 * @m: the parse of @buf
 * @buf: the message, changed in place
 * @len: its length, as parsed
 * @k: the key info to write (algorithm, lengths, key, salt, MKI flag,
 *	key derivation rate)
 *
 * The block has a fixed size, so no length changes; all of it is
 * rewritten, so no byte of the key it replaces stays behind. @buf then
 * holds @k's key: secret.
 *
 * Return: 0; -%UCP_SCCP_E_LENGTH when @m has no key info block or was not
 * parsed from @len bytes; -%UCP_SCCP_E_KEY when @k's key or salt is
 * longer than the block holds. On error nothing was written.
 */
int ucp_sccp_write_key(const struct ucp_sccp_msg *m, u8 *buf, size_t len,
		       const struct ucp_sccp_key *k)
{
	u8 *p;

	if (m->len != len || !m->has_key || !m->key_off ||
	    m->key_off > len || len - m->key_off < UCP_SCCP_KEYINFO_LEN)
		return -UCP_SCCP_E_LENGTH;
	if (k->key_len > UCP_SCCP_KEY_MAX || k->salt_len > UCP_SCCP_SALT_MAX)
		return -UCP_SCCP_E_KEY;
	p = buf + m->key_off;
	/* The whole block: no byte of the key it replaces may stay behind. */
	memset(p, 0, UCP_SCCP_KEYINFO_LEN);
	put_le32(p, k->algorithm);
	p[4] = k->key_len;
	p[6] = k->salt_len;
	memcpy(p + 8, k->key, k->key_len);
	memcpy(p + 8 + UCP_SCCP_KEY_MAX, k->salt, k->salt_len);
	put_le32(p + 40, k->mki_present);
	put_le32(p + 44, k->kdr);
	return 0;
}

/**
 * ucp_sccp_msg_wipe() - wipe the key material of a parsed message
 * @m: a message ucp_sccp_parse() filled in
 *
 * Clears @m->key and @m->has_key; the rest of @m stays usable.
 */
void ucp_sccp_msg_wipe(struct ucp_sccp_msg *m)
{
	memzero_explicit(&m->key, sizeof(m->key));
	m->has_key = 0;
}
