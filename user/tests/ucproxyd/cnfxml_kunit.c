// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration rewrite (cnfxml.c): what changes and what stays,
 * elements added where missing, and every refusal leaving no output.
 * The rewritten files are read back with libxml2's own XPath here.
 */
#include <kunit/test.h>

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "cnfxml.h"

static const struct ucpd_cnf_policy pol = {
	.security_mode = UCPD_CNF_MODE_ENCRYPTED,
	.address = "192.0.2.10",
	.sip_tls_port = 15061,
};

static const char sccp[] =
	"<?xml version=\"1.0\"?>\n"
	"<device>\n"
	" <deviceProtocol>SCCP</deviceProtocol>\n"
	" <devicePool><callManagerGroup><members>\n"
	"  <member priority=\"0\"><callManager>\n"
	"   <ports><ethernetPhonePort>2000</ethernetPhonePort></ports>\n"
	"   <processNodeName>cm1</processNodeName>\n"
	"  </callManager></member>\n"
	"  <member priority=\"1\"><callManager><name>cm2</name></callManager></member>\n"
	" </members></callManagerGroup></devicePool>\n"
	" <vendorConfig><loadServer></loadServer></vendorConfig>\n"
	" <note>a &lt; b &amp; c</note>\n"
	"</device>\n";

/* The string value of @xpath in @doc, malloc()ed. */
static char *xp(xmlDoc *doc, const char *xpath)
{
	xmlXPathContext *ctx = xmlXPathNewContext(doc);
	xmlXPathObject *o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	xmlChar *s = xmlXPathCastToString(o);
	char *r = strdup((const char *)s);

	xmlFree(s);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return r;
}

static void expect_xp(struct kunit *test, xmlDoc *doc, const char *xpath,
		      const char *want)
{
	char *got = xp(doc, xpath);

	KUNIT_EXPECT_STREQ_MSG(test, got, want, "%s", xpath);
	free(got);
}

/* @in rewritten by @p and parsed again; NULL (the case failed) if not. */
static xmlDoc *rewritten(struct kunit *test, const char *in,
			 const struct ucpd_cnf_policy *p,
			 struct ucpd_cnf_stats *st)
{
	enum ucpd_cnf_err e;
	uint8_t *out;
	xmlDoc *doc;
	size_t n;

	e = ucpd_cnf_rewrite((const uint8_t *)in, strlen(in), p, &out, &n, st);
	KUNIT_EXPECT_EQ(test, e, UCPD_CNF_OK);
	if (e)
		return NULL;
	doc = xmlReadMemory((const char *)out, (int)n, "out.xml", NULL, XML_PARSE_NONET);
	free(out);
	KUNIT_EXPECT_NOT_NULL(test, doc);
	return doc;
}

static void rewrite_test(struct kunit *test)
{
	struct ucpd_cnf_stats st;
	xmlDoc *doc = rewritten(test, sccp, &pol, &st);

	if (!doc)
		return;
	KUNIT_EXPECT_EQ(test, st.call_managers, 2u);
	KUNIT_EXPECT_EQ(test, st.capf, 0u);
	/* The empty loadServer stays empty: no TFTP server was named. */
	KUNIT_EXPECT_EQ(test, st.load_servers, 0u);
	/* deviceSecurityMode, transportLayerProtocol, cm1's securedSipPort,
	 * cm2's processNodeName, ports and securedSipPort. */
	KUNIT_EXPECT_EQ(test, st.added, 6u);
	expect_xp(test, doc, "string(/device/deviceSecurityMode)", "3");
	expect_xp(test, doc, "string(/device/transportLayerProtocol)", "4");
	expect_xp(test, doc, "string(count(//callManager[processNodeName='192.0.2.10']))", "2");
	expect_xp(test, doc, "string(count(//callManager/ports[securedSipPort='15061']))", "2");
	expect_xp(test, doc, "string(//callManager/ports/ethernetPhonePort)", "2000");
	expect_xp(test, doc, "string(//callManager/name)", "cm2");
	expect_xp(test, doc, "string(//loadServer)", "");
	expect_xp(test, doc, "string(/device/note)", "a < b & c");
	xmlFreeDoc(doc);
}

static void authenticated_test(struct kunit *test)
{
	static const char in[] =
		"<device><deviceSecurityMode>1</deviceSecurityMode>"
		"<capfList><capf><phonePort>3804</phonePort><processNodeName>x</processNodeName></capf></capfList>"
		"<vendorConfig><loadServer>10.0.0.5</loadServer></vendorConfig></device>";
	struct ucpd_cnf_policy p = pol;
	struct ucpd_cnf_stats st;
	xmlDoc *doc;

	p.security_mode = UCPD_CNF_MODE_AUTHENTICATED;
	p.address = "2001:db8::1";
	doc = rewritten(test, in, &p, &st);
	if (!doc)
		return;
	KUNIT_EXPECT_EQ(test, st.capf, 1u);
	KUNIT_EXPECT_EQ(test, st.load_servers, 1u);
	expect_xp(test, doc, "string(/device/deviceSecurityMode)", "2");
	expect_xp(test, doc, "string(//capf/processNodeName)", "2001:db8::1");
	expect_xp(test, doc, "string(//capf/phonePort)", "3804");
	expect_xp(test, doc, "string(//loadServer)", "2001:db8::1");
	xmlFreeDoc(doc);
}

/* Found by fuzz/cnfxml_fuzz.c: a repeated element was rewritten only once. */
static void repeated_test(struct kunit *test)
{
	static const char in[] =
		"<device><deviceSecurityMode>1</deviceSecurityMode>"
		"<callManager><processNodeName>a</processNodeName>"
		"<ports><securedSipPort>1</securedSipPort></ports>"
		"<processNodeName>b</processNodeName><ports/></callManager>"
		"<deviceSecurityMode>1</deviceSecurityMode></device>";
	struct ucpd_cnf_stats st;
	xmlDoc *doc = rewritten(test, in, &pol, &st);

	if (!doc)
		return;
	expect_xp(test, doc, "string(count(/device/deviceSecurityMode[.='3']))", "2");
	expect_xp(test, doc, "string(count(//processNodeName[.='192.0.2.10']))", "2");
	expect_xp(test, doc, "string(count(//ports/securedSipPort[.='15061']))", "2");
	expect_xp(test, doc, "string(count(//*[.='1' or .='a' or .='b']))", "0");
	xmlFreeDoc(doc);
}

struct bad {
	const char *in;
	enum ucpd_cnf_err e;
};

static const struct bad bads[] = {
	{ "<device>", UCPD_CNF_E_PARSE },
	{ "<device></devic>", UCPD_CNF_E_PARSE },
	{ "not xml at all", UCPD_CNF_E_PARSE },
	{ "<device>&undefined;</device>", UCPD_CNF_E_PARSE },
	{ "<config><deviceSecurityMode>1</deviceSecurityMode></config>", UCPD_CNF_E_ROOT },
	{ "<!DOCTYPE device [<!ENTITY a \"aaaa\">]><device>&a;</device>", UCPD_CNF_E_DTD },
	{ "<!DOCTYPE device SYSTEM \"http://192.0.2.1/x.dtd\"><device/>", UCPD_CNF_E_DTD },
	{ "", UCPD_CNF_E_SIZE },
};

static void bad_desc(const struct bad *b, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", ucpd_cnf_strerror(b->e));
}

KUNIT_ARRAY_PARAM(bad, bads, bad_desc);

static void bad_test(struct kunit *test)
{
	const struct bad *b = test->param_value;
	struct ucpd_cnf_stats st;
	uint8_t *out = (uint8_t *)1;
	size_t n = 1;

	KUNIT_EXPECT_EQ(test, ucpd_cnf_rewrite((const uint8_t *)b->in, strlen(b->in),
					       &pol, &out, &n, &st), b->e);
	KUNIT_EXPECT_NULL(test, out);
	KUNIT_EXPECT_EQ(test, n, 0u);
}

static struct kunit_case cnfxml_cases[] = {
	KUNIT_CASE(rewrite_test),
	KUNIT_CASE(authenticated_test),
	KUNIT_CASE(repeated_test),
	KUNIT_CASE_PARAM(bad_test, bad_gen_params),
	{}
};

static struct kunit_suite cnfxml_suite = {
	.name = "ucpd_cnfxml",
	.test_cases = cnfxml_cases,
};

kunit_test_suite(cnfxml_suite);

MODULE_LICENSE("GPL");
