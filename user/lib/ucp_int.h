/* SPDX-License-Identifier: GPL-2.0 */
/* libucp internals shared by its files; not for users of the library. */
#ifndef _UCP_INT_H
#define _UCP_INT_H

#include "ucp.h"

#define UCP_NL_MAX_GROUPS	8

struct ucp_mcgrp {
	char name[GENL_NAMSIZ];
	uint32_t id;
};

struct ucp_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t version;
	char name[GENL_NAMSIZ];
	struct ucp_mcgrp groups[UCP_NL_MAX_GROUPS];
	unsigned int ngroups;
	struct ucp_err err;
	/* The request in flight, to name the attribute an extack points at. */
	const struct nlmsghdr *req;
	/* 8-aligned so that libmnl's header casts are always aligned. */
	char tx[UCP_NL_TX_SIZE] __attribute__((aligned(8)));
	char rx[MNL_SOCKET_DUMP_SIZE] __attribute__((aligned(8)));
};

/* Record an error in nl->err; each returns -1 for "return ucp_err_*()". */
int ucp_err_sys(struct ucp_nl *nl, const char *what, int errnum);
int ucp_err_reply(struct ucp_nl *nl, int errnum);
/* From an NLMSG_ERROR or NLMSG_DONE: extack TLVs start at @tlv_off. */
int ucp_err_kernel(struct ucp_nl *nl, const struct nlmsghdr *nlh,
		   int errnum, size_t tlv_off);
void ucp_err_clear(struct ucp_nl *nl);

#endif /* _UCP_INT_H */
