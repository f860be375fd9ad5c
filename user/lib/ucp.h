/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libucp: the one client of the "ucproxy" generic netlink family, shared by
 * ucpctl and ucproxyd, plus the text/JSON printing layer of ucpctl.
 *
 * A handle is one netlink socket bound to the family, used synchronously:
 * build a request with ucp_nl_request(), add attributes with libmnl's
 * mnl_attr_put*() (bounded by UCP_NL_TX_SIZE), then ucp_nl_do() or
 * ucp_nl_dump(). Replies reach a libmnl callback; errors, with the kernel's
 * extack message, are kept in the handle for ucp_nl_last_error().
 *
 * Notifications of the "events" group go to a handle of their own (join it
 * with ucp_nl_join(), read it with ucp_nl_recv()): a request skips every
 * message that is not its own, so a shared handle would lose events.
 */
#ifndef _UCP_H
#define _UCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/ucproxy.h>

/* Errors */

enum ucp_err_kind {
	UCP_ERR_NONE,
	UCP_ERR_SYS,		/* a local call failed: socket, send, recv */
	UCP_ERR_NO_FAMILY,	/* family not registered: module not loaded */
	UCP_ERR_KERNEL,		/* the kernel refused (NLMSG_ERROR or DONE) */
	UCP_ERR_REPLY,		/* malformed reply, or the callback failed */
};

#define UCP_ERR_MSG_LEN	256

struct ucp_err {
	enum ucp_err_kind kind;
	int errnum;			/* positive errno */
	char msg[UCP_ERR_MSG_LEN];	/* extack text or local context */
	uint32_t bad_off;		/* extack offset into the request, 0: none */
	uint16_t bad_type;		/* type of the attribute at bad_off */
	bool bad_nested;		/* that attribute sits inside a nest */
	bool has_miss;			/* extack named a missing attribute */
	bool miss_nested;		/* inside a nest (NLMSGERR_ATTR_MISS_NEST) */
	uint32_t miss_type;		/* its type */
	char family[GENL_NAMSIZ];	/* the family the error is about */
};

/*
 * One line, no prefix, no newline, e.g. "ucproxy kernel module not loaded
 * (modprobe ucproxy)", "Operation not permitted (needs CAP_NET_ADMIN)" or
 * the kernel's extack text. Returns buf.
 */
const char *ucp_strerror(const struct ucp_err *err, char *buf, size_t len);

/* The handle */

struct ucp_nl;

/*
 * Receive buffer: the kernel never builds a dump skb larger than 32 KiB,
 * so with this much one read takes one skb whole. libmnl 1.0.5 defines it;
 * Debian 12 has 1.0.4.
 */
#ifndef MNL_SOCKET_DUMP_SIZE
#define MNL_SOCKET_DUMP_SIZE	32768
#endif

/* Largest request: room for one complete signalling message. */
#define UCP_NL_TX_SIZE	65536

/* Opens a socket and resolves "ucproxy". NULL on failure, with *err set. */
struct ucp_nl *ucp_nl_open(struct ucp_err *err);
/* The same for any generic netlink family (tests, tools). */
struct ucp_nl *ucp_nl_open_family(const char *name, struct ucp_err *err);
void ucp_nl_close(struct ucp_nl *nl);

uint16_t ucp_nl_family_id(const struct ucp_nl *nl);
uint32_t ucp_nl_family_version(const struct ucp_nl *nl);
/* Multicast group id of the family into *id: 0, or -1 (errno ENOENT). */
int ucp_nl_mcast_group(const struct ucp_nl *nl, const char *name,
		       uint32_t *id);
/* Joins a multicast group of the family ("events"). 0 or -1. */
int ucp_nl_join(struct ucp_nl *nl, const char *group);
/* The socket, for poll/epoll. */
int ucp_nl_fd(const struct ucp_nl *nl);

/*
 * Starts a request in the handle's buffer: netlink header (NLM_F_REQUEST |
 * @flags, next sequence number) and genlmsghdr (@cmd, UCP_GENL_VERSION).
 * Valid until the next ucp_nl_request() on the handle.
 */
struct nlmsghdr *ucp_nl_request(struct ucp_nl *nl, uint8_t cmd,
				uint16_t flags);

/*
 * Sends @req with NLM_F_ACK and waits for the acknowledgement; @cb (may be
 * NULL) sees each reply message before it. 0, or -1 with the error kept.
 */
int ucp_nl_do(struct ucp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
	      void *data);

/*
 * Sends @req with NLM_F_DUMP and runs @cb on every message until
 * NLMSG_DONE, however many reads that takes. 0, or -1 with the error kept.
 */
int ucp_nl_dump(struct ucp_nl *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *data);

/*
 * Reads once (blocking unless the socket is non-blocking) and runs @cb on
 * every notification read. 0, or -1 with the error kept (errno EAGAIN when
 * there was nothing to read).
 */
int ucp_nl_recv(struct ucp_nl *nl, mnl_cb_t cb, void *data);

/* The error of the last failed call on @nl. */
const struct ucp_err *ucp_nl_last_error(const struct ucp_nl *nl);

/*
 * Callbacks return MNL_CB_OK to go on, MNL_CB_STOP to ignore the rest of
 * the reply (it is still read off the socket), MNL_CB_ERROR with errno set
 * to fail the request (EPROTO: malformed reply).
 */

/* Attribute parsing */

/*
 * Indexes the attributes of a generic netlink message (after the genlmsghdr)
 * or of a nest into tb[0..max], checking each against types[] (libmnl types,
 * MNL_TYPE_UNSPEC: no check) with mnl_attr_validate(). Attributes above
 * @max, from a newer kernel, are ignored; of a repeated attribute tb keeps
 * the last. Strings should be MNL_TYPE_NUL_STRING so they are terminated.
 * 0, or -1 with errno EPROTO.
 */
int ucp_parse(const struct nlmsghdr *nlh,
	      const enum mnl_attr_data_type *types, uint16_t max,
	      const struct nlattr **tb);
int ucp_parse_nested(const struct nlattr *nest,
		     const enum mnl_attr_data_type *types, uint16_t max,
		     const struct nlattr **tb);

/*
 * The spec's attribute types (attr-gen.h) and names (ucp_spec.h, the
 * kernel's generated tables, built into libucp).
 */
#include "attr-gen.h"
#include "ucp_spec.h"

/* Printing: human text or one JSON document */

struct ucp_out;

#define UCP_OUT_JSON	0x1
#define UCP_OUT_PRETTY	0x2	/* indented JSON */

/*
 * Everything is buffered and written to @fp by ucp_out_end(), so a command
 * that fails half way prints nothing on stdout. NULL when out of memory.
 */
struct ucp_out *ucp_out_new(FILE *fp, unsigned int flags);
/* Writes the text or JSON document and frees @o. 0, or -1 with errno. */
int ucp_out_end(struct ucp_out *o);
/* Frees @o without writing anything. */
void ucp_out_discard(struct ucp_out *o);
bool ucp_out_is_json(const struct ucp_out *o);

/*
 * JSON: a member @key of the current object (@key is ignored inside an
 * array). Text: @fmt and its arguments, which include the value, printed as
 * they are; a NULL @fmt prints nothing. Nesting only affects JSON.
 */
void ucp_out_obj_begin(struct ucp_out *o, const char *key);
void ucp_out_obj_end(struct ucp_out *o);
void ucp_out_arr_begin(struct ucp_out *o, const char *key);
void ucp_out_arr_end(struct ucp_out *o);
void ucp_out_str(struct ucp_out *o, const char *key, const char *val,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ucp_out_u64(struct ucp_out *o, const char *key, uint64_t val,
		 const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Text only; nothing in JSON. */
void ucp_out_text(struct ucp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* _UCP_H */
