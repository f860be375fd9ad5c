// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the configuration rewrite (user/ucproxyd/cnfxml.c,
 * libxml2): the input is a whole configuration file. Checked:
 *
 * - a refusal leaves no output and has a reason string;
 * - a rewritten file parses again, its root is <device>, every one of its
 *   deviceSecurityMode and transportLayerProtocol is the policy's, every
 *   processNodeName of every callManager is the proxy's address; and rewriting
 *   it again gives the same bytes (the rewrite is idempotent).
 *
 * The first input byte picks the policy (authenticated or encrypted), so
 * both modes are fuzzed. A broken rule ends in __builtin_trap() after a
 * line on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cnfxml.h"
#include "fuzz_check.h"

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static bool text_is(xmlNode *n, const char *want)
{
	xmlChar *s = xmlNodeGetContent(n);
	bool ok = s && !strcmp((const char *)s, want);

	xmlFree(s);
	return ok;
}

static void check_tree(xmlNode *n, const char *addr)
{
	xmlNode *c, *k;
	bool named;

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "callManager")) {
			named = false;
			for (k = c->children; k; k = k->next)
				if (k->type == XML_ELEMENT_NODE &&
				    !strcmp((const char *)k->name, "processNodeName")) {
					CHECK(text_is(k, addr));
					named = true;
				}
			CHECK(named);
		}
		check_tree(c, addr);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ucpd_cnf_policy pol = { .address = "192.0.2.10", .sip_tls_port = 5061 };
	struct ucpd_cnf_stats st;
	uint8_t *out, *again, *b;
	size_t n, n2;
	enum ucpd_cnf_err e;
	xmlNode *root, *c;
	char mode[4];
	xmlDoc *doc;

	xmlSetGenericErrorFunc(NULL, silent);
	if (!size)
		return 0;
	pol.security_mode = data[0] & 1 ? UCPD_CNF_MODE_ENCRYPTED :
					  UCPD_CNF_MODE_AUTHENTICATED;
	b = malloc(size - 1 ? size - 1 : 1);
	if (!b)
		return 0;
	memcpy(b, data + 1, size - 1);
	e = ucpd_cnf_rewrite(b, size - 1, &pol, &out, &n, &st);
	CHECK(ucpd_cnf_strerror(e) != NULL);
	free(b);
	if (e) {
		CHECK(!out && !n);
		return 0;
	}
	CHECK(out && n);
	doc = xmlReadMemory((const char *)out, (int)n, "out.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
			    XML_PARSE_NOCDATA);
	CHECK(doc);
	root = xmlDocGetRootElement(doc);
	CHECK(root && !strcmp((const char *)root->name, "device"));
	snprintf(mode, sizeof(mode), "%u", pol.security_mode);
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)c->name, "deviceSecurityMode"))
			CHECK(text_is(c, mode));
		if (!strcmp((const char *)c->name, "transportLayerProtocol"))
			CHECK(text_is(c, "4"));
	}
	check_tree(root, pol.address);
	xmlFreeDoc(doc);
	CHECK(ucpd_cnf_rewrite(out, n, &pol, &again, &n2, &st) == UCPD_CNF_OK);
	CHECK(n2 == n && !memcmp(again, out, n));
	free(again);
	free(out);
	return 0;
}
