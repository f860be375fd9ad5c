// SPDX-License-Identifier: GPL-2.0
/*
 * The printing layer of ucpctl: each call names a JSON member and gives the
 * text to print, so a command is written once for both outputs. Nothing
 * reaches the stream before ucp_out_end(): a command that fails after
 * printing half of its answer must not leave half a JSON document, or a
 * table that looks complete, on stdout.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "ucp.h"

#define UCP_OUT_DEPTH	16

struct ucp_out {
	FILE *fp;
	unsigned int flags;
	int err;			/* first failure, an errno */
	/* Text: a memory stream. */
	FILE *mem;
	char *text;
	size_t text_len;
	/* JSON: the open containers, stack[0] the document. */
	json_object *stack[UCP_OUT_DEPTH];
	int depth;
};

struct ucp_out *ucp_out_new(FILE *fp, unsigned int flags)
{
	struct ucp_out *o = calloc(1, sizeof(*o));

	if (!o)
		return NULL;
	o->fp = fp;
	o->flags = flags;
	if (flags & UCP_OUT_JSON)
		o->stack[0] = json_object_new_object();
	else
		o->mem = open_memstream(&o->text, &o->text_len);
	if (!o->stack[0] && !o->mem) {
		free(o);
		return NULL;
	}
	return o;
}

void ucp_out_discard(struct ucp_out *o)
{
	if (!o)
		return;
	if (o->mem)
		fclose(o->mem);
	free(o->text);
	json_object_put(o->stack[0]);
	free(o);
}

bool ucp_out_is_json(const struct ucp_out *o)
{
	return o->flags & UCP_OUT_JSON;
}

static void ucp_out_fail(struct ucp_out *o, int err)
{
	if (!o->err)
		o->err = err;
}

/* Adds @val (its reference passes to the document) to the open container. */
static void ucp_out_add(struct ucp_out *o, const char *key, json_object *val)
{
	json_object *cur = o->stack[o->depth];
	int ret;

	if (!val) {
		ucp_out_fail(o, ENOMEM);
		return;
	}
	if (json_object_is_type(cur, json_type_array))
		ret = json_object_array_add(cur, val);
	else
		ret = json_object_object_add(cur, key ? key : "", val);
	if (ret) {
		json_object_put(val);
		ucp_out_fail(o, ENOMEM);
	}
}

static void ucp_out_push(struct ucp_out *o, const char *key, json_object *c)
{
	if (o->depth + 1 >= UCP_OUT_DEPTH) {
		json_object_put(c);
		ucp_out_fail(o, E2BIG);
		return;
	}
	ucp_out_add(o, key, json_object_get(c));
	o->stack[++o->depth] = c;
	/* Drop our own reference: the parent keeps the container alive. */
	json_object_put(c);
}

void ucp_out_obj_begin(struct ucp_out *o, const char *key)
{
	if (ucp_out_is_json(o))
		ucp_out_push(o, key, json_object_new_object());
}

void ucp_out_arr_begin(struct ucp_out *o, const char *key)
{
	if (ucp_out_is_json(o))
		ucp_out_push(o, key, json_object_new_array());
}

static void ucp_out_pop(struct ucp_out *o)
{
	if (ucp_out_is_json(o) && o->depth > 0)
		o->stack[o->depth--] = NULL;
}

void ucp_out_obj_end(struct ucp_out *o)
{
	ucp_out_pop(o);
}

void ucp_out_arr_end(struct ucp_out *o)
{
	ucp_out_pop(o);
}

static void ucp_out_vtext(struct ucp_out *o, const char *fmt, va_list ap)
{
	if (fmt && vfprintf(o->mem, fmt, ap) < 0)
		ucp_out_fail(o, errno ? errno : EIO);
}

void ucp_out_str(struct ucp_out *o, const char *key, const char *val,
		 const char *fmt, ...)
{
	va_list ap;

	if (ucp_out_is_json(o)) {
		ucp_out_add(o, key, json_object_new_string(val));
		return;
	}
	va_start(ap, fmt);
	ucp_out_vtext(o, fmt, ap);
	va_end(ap);
}

void ucp_out_u64(struct ucp_out *o, const char *key, uint64_t val,
		 const char *fmt, ...)
{
	va_list ap;

	if (ucp_out_is_json(o)) {
		ucp_out_add(o, key, json_object_new_uint64(val));
		return;
	}
	va_start(ap, fmt);
	ucp_out_vtext(o, fmt, ap);
	va_end(ap);
}

void ucp_out_text(struct ucp_out *o, const char *fmt, ...)
{
	va_list ap;

	if (ucp_out_is_json(o))
		return;
	va_start(ap, fmt);
	ucp_out_vtext(o, fmt, ap);
	va_end(ap);
}

static int ucp_out_write_json(struct ucp_out *o)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PLAIN;
	const char *s;

	if (o->flags & UCP_OUT_PRETTY)
		flags = JSON_C_TO_STRING_NOSLASHESCAPE |
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
	s = json_object_to_json_string_ext(o->stack[0], flags);
	if (!s)
		return ENOMEM;
	fputs(s, o->fp);
	fputc('\n', o->fp);
	return 0;
}

static int ucp_out_write_text(struct ucp_out *o)
{
	errno = 0;
	if (fflush(o->mem))
		return errno ? errno : EIO;
	fwrite(o->text, 1, o->text_len, o->fp);
	return 0;
}

int ucp_out_end(struct ucp_out *o)
{
	int err = o->err;

	if (!err)
		err = ucp_out_is_json(o) ? ucp_out_write_json(o) :
					   ucp_out_write_text(o);
	/* A full disk or a closed pipe shows here, not at exit. */
	errno = 0;
	if (!err && (fflush(o->fp) || ferror(o->fp)))
		err = errno ? errno : EIO;
	ucp_out_discard(o);
	if (err) {
		errno = err;
		return -1;
	}
	return 0;
}
