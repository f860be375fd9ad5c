// SPDX-License-Identifier: GPL-2.0
/*
 * ucp_nlabuse: the family's commands sent as no well-behaved client sends
 * them, to prove that every request is answered, that what the policies or
 * the handlers refuse is refused with a reason, and that nothing else
 * happens. The commands and attribute types come from the tables generated
 * from the spec, so a command added there is abused here without an edit.
 *
 *   ucp_nlabuse malformed
 *	For every command (and one past the last), as a request and as a
 *	dump: each attribute of the family with a length or content its type
 *	forbids, an attribute type past the family's maximum, an attribute
 *	running past the end of the message, one shorter than its own header,
 *	and a message too short for its generic netlink header. Every one must
 *	be refused; refusals (but the generic netlink core's EOPNOTSUPP for
 *	a missing operation and EINVAL for a short header) must carry an
 *	extack message or name the missing attribute. Prints one line per request that
 *	breaks this, then "sent N refused R with-message M core C", and exits
 *	1 if any did.
 *   ucp_nlabuse random [-s SEED] [-n N]
 *	N requests of random commands (do or dump) with up to four random
 *	attributes of the right types and random values. Every one must be
 *	answered, accepted or refused; prints "sent N accepted A refused R"
 *	and exits 1 if one went unanswered.
 *
 * Every read waits at most ANSWER_TIMEOUT seconds: a request the module
 * leaves unanswered is a failure, not a hang.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "attr-gen.h"
#include "ucp.h"
#include "ucp_spec.h"

#define ANSWER_TIMEOUT	10

struct tally {
	unsigned int sent;
	unsigned int accepted;
	unsigned int refused;
	unsigned int with_msg;
	unsigned int core;
	unsigned int broken;	/* requests that broke the rule of the mode */
};

static int usage(void)
{
	fprintf(stderr, "usage: ucp_nlabuse malformed\n"
			"       ucp_nlabuse random [-s SEED] [-n N]\n");
	return 2;
}

/* Width of a fixed-size type, 0 for the others. */
static unsigned int fixed_width(enum mnl_attr_data_type t)
{
	switch (t) {
	case MNL_TYPE_U8:
		return 1;
	case MNL_TYPE_U16:
		return 2;
	case MNL_TYPE_U32:
		return 4;
	case MNL_TYPE_U64:
		return 8;
	default:
		return 0;
	}
}

/* Appends @len raw bytes to @req (the caller keeps the alignment). */
static void put_bytes(struct nlmsghdr *req, const void *p, size_t len)
{
	memcpy((char *)req + req->nlmsg_len, p, len);
	req->nlmsg_len += len;
}

/*
 * Sends @req and reads its answer. Returns 1 accepted, 0 refused (with
 * *err), -1 unanswered or a local failure (with *err).
 */
static int exchange(struct ucp_nl *nl, struct nlmsghdr *req, bool dump,
		    struct ucp_err *err)
{
	int ret = dump ? ucp_nl_dump(nl, req, NULL, NULL) :
			 ucp_nl_do(nl, req, NULL, NULL);

	if (!ret)
		return 1;
	*err = *ucp_nl_last_error(nl);
	return err->kind == UCP_ERR_KERNEL ? 0 : -1;
}

/*
 * One request that must be refused. The generic netlink core, not ucproxy,
 * answers two kinds without a message: EOPNOTSUPP for an operation the
 * family lacks, and EINVAL for a message too short for its header
 * (@short_header).
 */
static void expect_refused(struct ucp_nl *nl, struct nlmsghdr *req,
			   bool dump, bool short_header, const char *what,
			   struct tally *t)
{
	struct ucp_err err = { 0 };
	int ret = exchange(nl, req, dump, &err);

	t->sent++;
	if (ret < 0) {
		printf("unanswered: %s: %s\n", what, err.msg);
		t->broken++;
		return;
	}
	if (ret > 0) {
		printf("accepted: %s\n", what);
		t->accepted++;
		t->broken++;
		return;
	}
	t->refused++;
	if (err.msg[0] || err.has_miss) {
		t->with_msg++;
		return;
	}
	if (err.errnum == EOPNOTSUPP || (short_header && err.errnum == EINVAL)) {
		t->core++;
		return;
	}
	printf("refused without a message: %s: errno %d\n", what, err.errnum);
	t->broken++;
}

/*
 * A payload of type @type that its policy must refuse, into @buf; returns
 * its length. Fixed sizes get one byte more than their width, flags a
 * byte, strings no terminating NUL, nests bytes too few for an attribute
 * header, binaries (free-form) random bytes without the rest of the
 * request they belong to.
 */
static size_t bad_payload(enum mnl_attr_data_type type, unsigned char *buf)
{
	size_t w = fixed_width(type);

	if (w) {
		memset(buf, 0xa5, w + 1);
		return w + 1;
	}
	switch (type) {
	case MNL_TYPE_FLAG:
		buf[0] = 1;
		return 1;
	case MNL_TYPE_NUL_STRING:
	case MNL_TYPE_STRING:
		memset(buf, 'x', 300);
		return 300;
	case MNL_TYPE_NESTED:
		memset(buf, 0xff, 3);
		return 3;
	default:
		for (w = 0; w < 64; w++)
			buf[w] = rand();
		return 64;
	}
}

static void one_command_malformed(struct ucp_nl *nl, unsigned int cmd,
				  bool dump, struct tally *t)
{
	const char *name = ucp_spec_name(&ucp_spec_cmd, cmd);
	unsigned char payload[512];
	struct nlmsghdr *req;
	struct nlattr nla;
	char what[128];
	unsigned int a;
	uint16_t flags = dump ? NLM_F_DUMP : 0;

	if (!name)
		name = "unknown";
	/* Every attribute type, its content wrong for its type. */
	for (a = 0; a <= UCP_A_MAX + 1; a++) {
		enum mnl_attr_data_type type = a <= UCP_A_MAX ?
			ucp_attr_types[a] : MNL_TYPE_U32;
		size_t len = bad_payload(type, payload);

		req = ucp_nl_request(nl, cmd, flags);
		mnl_attr_put(req, a, len, payload);
		snprintf(what, sizeof(what), "%s %u (%s) %s attribute %u, %zu bytes",
			 dump ? "dump" : "do", cmd, name,
			 a <= UCP_A_MAX ? "bad" : "unknown", a, len);
		expect_refused(nl, req, dump, false, what, t);
	}

	/* An attribute whose length runs past the end of the message. */
	req = ucp_nl_request(nl, cmd, flags);
	nla.nla_type = UCP_A_TLS_MAX;
	nla.nla_len = 64;
	put_bytes(req, &nla, sizeof(nla));
	put_bytes(req, "\0\0\0\0", 4);
	snprintf(what, sizeof(what), "%s %u (%s) attribute past the message",
		 dump ? "dump" : "do", cmd, name);
	expect_refused(nl, req, dump, false, what, t);

	/* One shorter than its own header. */
	req = ucp_nl_request(nl, cmd, flags);
	nla.nla_len = 2;
	put_bytes(req, &nla, sizeof(nla));
	snprintf(what, sizeof(what), "%s %u (%s) attribute shorter than its header",
		 dump ? "dump" : "do", cmd, name);
	expect_refused(nl, req, dump, false, what, t);

	/* A message cut inside its generic netlink header. */
	req = ucp_nl_request(nl, cmd, flags);
	req->nlmsg_len = NLMSG_HDRLEN + 2;
	snprintf(what, sizeof(what), "%s %u (%s) short generic netlink header",
		 dump ? "dump" : "do", cmd, name);
	expect_refused(nl, req, dump, true, what, t);
}

static int run_malformed(struct ucp_nl *nl)
{
	struct tally t = { 0 };
	unsigned int cmd;

	for (cmd = 1; cmd <= ucp_spec_cmd.n; cmd++) {
		one_command_malformed(nl, cmd, false, &t);
		one_command_malformed(nl, cmd, true, &t);
	}
	printf("sent %u refused %u with-message %u core %u\n",
	       t.sent, t.refused, t.with_msg, t.core);
	return t.broken ? 1 : 0;
}

/* A random, well-typed value of @type into @buf; returns its length. */
static size_t random_payload(enum mnl_attr_data_type type, unsigned char *buf,
			     size_t room)
{
	size_t w = fixed_width(type), len, i;

	if (w) {
		/* Small values half of the time: they reach past range checks. */
		uint64_t v = rand() & 1 ? (uint64_t)rand() % 12 :
			(uint64_t)rand() << 32 | (uint32_t)rand();

		memcpy(buf, &v, w);	/* little-endian: the low bytes */
		return w;
	}
	switch (type) {
	case MNL_TYPE_FLAG:
		return 0;
	case MNL_TYPE_NUL_STRING:
	case MNL_TYPE_STRING:
		len = rand() % 40;
		for (i = 0; i < len; i++)
			buf[i] = 'a' + rand() % 26;
		buf[len] = '\0';
		return len + 1;
	case MNL_TYPE_NESTED:
		/* Attributes of random types inside, each a u32. */
		len = 0;
		for (i = rand() % 4; i > 0 && len + 8 <= room; i--) {
			struct nlattr nla = { .nla_len = 8, .nla_type = 1 + rand() % 12 };
			uint32_t v = rand() % 70000;

			memcpy(buf + len, &nla, sizeof(nla));
			memcpy(buf + len + 4, &v, 4);
			len += 8;
		}
		return len;
	default:
		len = rand() % room;
		for (i = 0; i < len; i++)
			buf[i] = rand();
		return len;
	}
}

static int run_random(struct ucp_nl *nl, unsigned int n)
{
	unsigned char payload[600];
	struct tally t = { 0 };
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		unsigned int cmd = 1 + rand() % (ucp_spec_cmd.n + 1);
		bool dump = rand() % 4 == 0;
		struct nlmsghdr *req = ucp_nl_request(nl, cmd, dump ? NLM_F_DUMP : 0);
		struct ucp_err err = { 0 };
		int ret;

		for (k = rand() % 5; k > 0; k--) {
			unsigned int a = 1 + rand() % UCP_A_MAX;

			mnl_attr_put(req, a, random_payload(ucp_attr_types[a], payload,
							    sizeof(payload) - 1),
				     payload);
		}
		ret = exchange(nl, req, dump, &err);
		t.sent++;
		if (ret < 0) {
			printf("unanswered: %s %u: %s\n", dump ? "dump" : "do",
			       cmd, err.msg);
			t.broken++;
		} else if (ret) {
			t.accepted++;
		} else {
			t.refused++;
		}
	}
	printf("sent %u accepted %u refused %u\n", t.sent, t.accepted, t.refused);
	return t.broken ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct timeval tv = { .tv_sec = ANSWER_TIMEOUT };
	unsigned int seed = 1, n = 2000;
	struct ucp_err err;
	struct ucp_nl *nl;
	bool random_mode;
	int i, ret;

	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "malformed"))
		random_mode = false;
	else if (!strcmp(argv[1], "random"))
		random_mode = true;
	else
		return usage();
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-s") && i + 1 < argc)
			seed = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			n = strtoul(argv[++i], NULL, 0);
		else
			return usage();
	}
	srand(seed);

	nl = ucp_nl_open(&err);
	if (!nl) {
		fprintf(stderr, "ucp_nlabuse: %s\n", err.msg);
		return 2;
	}
	if (setsockopt(ucp_nl_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		perror("ucp_nlabuse: SO_RCVTIMEO");
		ucp_nl_close(nl);
		return 2;
	}
	ret = random_mode ? run_random(nl, n) : run_malformed(nl);
	ucp_nl_close(nl);
	return ret;
}
