// SPDX-License-Identifier: GPL-2.0
/*
 * Rewriting a phone's configuration file (cnfxml.h) with libxml2.
 *
 * What changes, by the element names of the call manager's files:
 *
 *   device/deviceSecurityMode            2 (authenticated) or 3 (encrypted)
 *   device/transportLayerProtocol        4 (TLS)
 *   ...callManager/processNodeName        the proxy's outside address
 *   ...callManager/ports/securedSipPort   the proxy's SIP-over-TLS port
 *   ...capfList/capf/processNodeName      the proxy's outside address
 *   ...vendorConfig/loadServer (if set)  the proxy's outside address (TFTP)
 *
 * deviceSecurityMode, transportLayerProtocol and securedSipPort are added
 * when missing (a phone in secure mode needs all three). The document is
 * parsed whole first (no network, no DTD, no entity substitution: a file
 * with a DOCTYPE is refused), rewritten in memory and written out whole.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cnfxml.h"

static const char * const reasons[UCPD_CNF_E_NR] = {
	[UCPD_CNF_OK] = "ok",
	[UCPD_CNF_E_PARSE] = "not well-formed XML",
	[UCPD_CNF_E_DTD] = "a DOCTYPE (entities are not accepted)",
	[UCPD_CNF_E_ROOT] = "the root element is not <device>",
	[UCPD_CNF_E_SIZE] = "empty or too large",
	[UCPD_CNF_E_NOMEM] = "out of memory",
};

/**
 * ucpd_cnf_strerror() - why a configuration was not rewritten
 * @e: a rewrite result
 *
 * Return: a constant string.
 */
const char *ucpd_cnf_strerror(enum ucpd_cnf_err e)
{
	if ((unsigned int)e >= UCPD_CNF_E_NR)
		return "unknown reason";
	return reasons[e];
}

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	xmlNode *c;

	for (c = parent->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

static int set_text(xmlNode *n, const char *text)
{
	xmlChar *esc;

	/* xmlNodeSetContent() reads entity references: give it escaped text. */
	esc = xmlEncodeSpecialChars(n->doc, (const xmlChar *)text);
	if (!esc)
		return -1;
	xmlNodeSetContent(n, esc);
	xmlFree(esc);
	return 0;
}

/*
 * Sets the text of every child @name of @parent (a file may repeat one,
 * and a phone may read any of them), adding one when there is none and
 * @add.
 */
static int set_child(xmlNode *parent, const char *name, const char *text,
		     bool add, unsigned int *added)
{
	xmlNode *c;
	bool found = false;

	for (c = parent->children; c; c = c->next) {
		if (!is(c, name))
			continue;
		found = true;
		if (set_text(c, text))
			return -1;
	}
	if (found || !add)
		return 0;
	c = xmlNewChild(parent, NULL, (const xmlChar *)name, NULL);
	if (!c)
		return -1;
	(*added)++;
	return set_text(c, text);
}

static bool has_text(xmlNode *n)
{
	xmlChar *s = xmlNodeGetContent(n);
	bool ret = false;
	const xmlChar *p;

	for (p = s; p && *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			ret = true;
	xmlFree(s);
	return ret;
}

struct walk {
	const struct ucpd_cnf_policy *pol;
	struct ucpd_cnf_stats *st;
	char port[8];
};

/* Every element below @n (libxml2 bounds the depth at 256). */
static int walk(struct walk *w, xmlNode *n)
{
	xmlNode *c, *ports;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "callManager")) {
			if (set_child(c, "processNodeName", w->pol->address, true,
				      &w->st->added))
				return -1;
			if (!child(c, "ports")) {
				if (!xmlNewChild(c, NULL, (const xmlChar *)"ports", NULL))
					return -1;
				w->st->added++;
			}
			for (ports = c->children; ports; ports = ports->next)
				if (is(ports, "ports") &&
				    set_child(ports, "securedSipPort", w->port, true,
					      &w->st->added))
					return -1;
			w->st->call_managers++;
		} else if (is(c, "capf")) {
			if (set_child(c, "processNodeName", w->pol->address, false,
				      &w->st->added))
				return -1;
			w->st->capf++;
		} else if (is(c, "loadServer") && has_text(c)) {
			if (set_text(c, w->pol->address))
				return -1;
			w->st->load_servers++;
		}
		if (walk(w, c))
			return -1;
	}
	return 0;
}

/**
 * ucpd_cnf_rewrite() - rewrite a phone's configuration for the proxy
 * @in: the file from the call manager's TFTP server
 * @len: its length
 * @pol: security mode, the proxy's address and port
 * @out: the rewritten file, malloc()ed, on success
 * @outlen: its length
 * @st: what changed, on success
 *
 * Return: UCPD_CNF_OK, or why nothing was written.
 */
enum ucpd_cnf_err ucpd_cnf_rewrite(const uint8_t *in, size_t len,
				   const struct ucpd_cnf_policy *pol,
				   uint8_t **out, size_t *outlen,
				   struct ucpd_cnf_stats *st)
{
	struct walk w = { .pol = pol, .st = st };
	enum ucpd_cnf_err ret = UCPD_CNF_E_NOMEM;
	xmlChar *buf = NULL;
	xmlNode *root;
	char mode[4], transport[4];
	xmlDoc *doc;
	int n = 0;

	memset(st, 0, sizeof(*st));
	*out = NULL;
	*outlen = 0;
	if (!len || len > INT_MAX)
		return UCPD_CNF_E_SIZE;
	doc = xmlReadMemory((const char *)in, (int)len, "cnf.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (!doc)
		return UCPD_CNF_E_PARSE;
	if (doc->intSubset || doc->extSubset) {
		ret = UCPD_CNF_E_DTD;
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is(root, "device")) {
		ret = UCPD_CNF_E_ROOT;
		goto out;
	}
	snprintf(mode, sizeof(mode), "%u", pol->security_mode);
	snprintf(transport, sizeof(transport), "%u", UCPD_CNF_TRANSPORT_TLS);
	snprintf(w.port, sizeof(w.port), "%u", pol->sip_tls_port);
	if (set_child(root, "deviceSecurityMode", mode, true, &st->added) ||
	    set_child(root, "transportLayerProtocol", transport, true,
		      &st->added) ||
	    walk(&w, root))
		goto out;
	xmlDocDumpMemoryEnc(doc, &buf, &n, "UTF-8");
	if (!buf || n <= 0)
		goto out;
	*out = malloc((size_t)n);
	if (!*out)
		goto out;
	memcpy(*out, buf, (size_t)n);
	*outlen = (size_t)n;
	ret = UCPD_CNF_OK;
out:
	if (ret)
		memset(st, 0, sizeof(*st));
	xmlFree(buf);
	xmlFreeDoc(doc);
	return ret;
}
