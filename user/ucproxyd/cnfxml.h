/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The phone proxy's rewrite of a phone's configuration (SEP<MAC>.cnf.xml)
 * with libxml2: the phone is told to register securely, to the proxy.
 * No sockets, no daemon state: the unit tests and fuzz/cnfxml_fuzz.c link
 * it with libxml2 alone.
 */
#ifndef _UCPD_CNFXML_H
#define _UCPD_CNFXML_H

#include <stddef.h>
#include <stdint.h>

/* deviceSecurityMode values of the configuration file. */
#define UCPD_CNF_MODE_NONSECURE		1
#define UCPD_CNF_MODE_AUTHENTICATED	2
#define UCPD_CNF_MODE_ENCRYPTED		3
/* transportLayerProtocol: TLS. */
#define UCPD_CNF_TRANSPORT_TLS		4

struct ucpd_cnf_policy {
	uint8_t security_mode;		/* UCPD_CNF_MODE_AUTHENTICATED or _ENCRYPTED */
	const char *address;		/* the proxy's outside address (text) */
	uint16_t sip_tls_port;		/* securedSipPort of every call manager */
};

enum ucpd_cnf_err {
	UCPD_CNF_OK,
	UCPD_CNF_E_PARSE,		/* not well-formed XML */
	UCPD_CNF_E_DTD,			/* a DOCTYPE: entities are not accepted */
	UCPD_CNF_E_ROOT,		/* the root element is not <device> */
	UCPD_CNF_E_SIZE,		/* input above INT_MAX or empty */
	UCPD_CNF_E_NOMEM,
	UCPD_CNF_E_NR,
};

/* What one rewrite changed, for the log line. */
struct ucpd_cnf_stats {
	unsigned int call_managers;	/* callManager elements rewritten */
	unsigned int capf;		/* capf elements rewritten */
	unsigned int load_servers;	/* non-empty loadServer rewritten */
	unsigned int added;		/* elements that were missing */
};

/* A short English reason ("not well-formed XML"). */
const char *ucpd_cnf_strerror(enum ucpd_cnf_err e);

/*
 * Rewrites the configuration @in (@len bytes) by @pol into *@out
 * (*@outlen bytes, to free with free()). Either the whole rewritten file
 * or an error and nothing: never a half-rewritten file.
 */
enum ucpd_cnf_err ucpd_cnf_rewrite(const uint8_t *in, size_t len,
				   const struct ucpd_cnf_policy *pol,
				   uint8_t **out, size_t *outlen,
				   struct ucpd_cnf_stats *st);

#endif /* _UCPD_CNFXML_H */
