// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl: inspect and configure the ucproxy kernel module.
 *
 * Commands live in tables (struct cmd) walked word by word, like ip(8);
 * each word may be shortened to a unique prefix. A command gathers all it
 * needs from the kernel first and prints through libucp's output layer,
 * which writes text or one JSON document only once everything succeeded.
 *
 * Exit status: 0 success, 1 failure, 2 usage error. Every failure is one
 * line on stderr starting "ucpctl: ".
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp.h"

#ifndef UCP_TOOLS_VERSION
#define UCP_TOOLS_VERSION "unknown"
#endif

#define PROG		"ucpctl"
#define EXIT_USAGE	2

struct ctx {
	struct ucp_nl *nl;	/* opened by the first command that needs it */
	struct ucp_out *out;
	char what[64];		/* the command's words, for error lines */
};

struct cmd {
	const char *name;
	/*
	 * Subcommands (ending with a NULL name) are tried on the next word
	 * unless it starts with '-'; otherwise, or without a next word, fn
	 * runs with the remaining words. A command has either subcommands
	 * or positional arguments, not both.
	 */
	const struct cmd *sub;
	int (*fn)(struct ctx *ctx, int argc, char **argv);
	const char *args;	/* synopsis of the arguments, for help */
	const char *help;
};

/* Errors: one line each */

static void __attribute__((format(printf, 2, 0)))
vreport(const struct ctx *ctx, const char *fmt, va_list ap)
{
	fputs(PROG ": ", stderr);
	if (ctx && ctx->what[0])
		fprintf(stderr, "%s: ", ctx->what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static int __attribute__((format(printf, 2, 3)))
fail(const struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(ctx, fmt, ap);
	va_end(ap);
	return EXIT_FAILURE;
}

/* Usage errors do not name the command: the message quotes it. */
static int __attribute__((format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

static int fail_nl(const struct ctx *ctx)
{
	char buf[512];

	return fail(ctx, "%s",
		    ucp_strerror(ucp_nl_last_error(ctx->nl), buf, sizeof(buf)));
}

/* The module's absence is about the machine, not the command: no prefix. */
static int ctx_open(struct ctx *ctx)
{
	struct ucp_err err;
	char buf[512];

	if (ctx->nl)
		return 0;
	ctx->nl = ucp_nl_open(&err);
	if (!ctx->nl)
		return fail(NULL, "%s", ucp_strerror(&err, buf, sizeof(buf)));
	return 0;
}

static bool is_global_option(const char *arg)
{
	static const char *const opts[] = {
		"-j", "--json", "-p", "--pretty", "-h", "--help", "-V",
		"--version",
	};
	size_t i;

	for (i = 0; i < MNL_ARRAY_SIZE(opts); i++)
		if (!strcmp(arg, opts[i]))
			return true;
	return false;
}

static int bad_argument(const struct ctx *ctx, const char *arg)
{
	if (is_global_option(arg))
		return usage_error("%s: option '%s' goes before the command",
				   ctx->what, arg);
	return usage_error("%s: unknown argument '%s' (try '" PROG " help %s')",
			   ctx->what, arg, ctx->what);
}

static int no_args(const struct ctx *ctx, int argc, char **argv)
{
	return argc ? bad_argument(ctx, argv[0]) : 0;
}

/* UCP_CMD_INFO_GET */

struct info {
	char version[64];
	char kernel[128];
	bool has_kernel;
	uint64_t caps;
};

static int info_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct info *in = data;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (!tb[UCP_A_VERSION]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	snprintf(in->version, sizeof(in->version), "%s",
		 mnl_attr_get_str(tb[UCP_A_VERSION]));
	if (tb[UCP_A_KERNEL]) {
		in->has_kernel = true;
		snprintf(in->kernel, sizeof(in->kernel), "%s",
			 mnl_attr_get_str(tb[UCP_A_KERNEL]));
	}
	if (tb[UCP_A_CAPS])
		in->caps = mnl_attr_get_u64(tb[UCP_A_CAPS]);
	return MNL_CB_OK;
}

static int info_get(struct ctx *ctx, struct info *in)
{
	struct nlmsghdr *req;

	memset(in, 0, sizeof(*in));
	req = ucp_nl_request(ctx->nl, UCP_CMD_INFO_GET, 0);
	if (ucp_nl_do(ctx->nl, req, info_cb, in) < 0)
		return fail_nl(ctx);
	/* An acknowledgement without a reply is not an answer. */
	if (!in->version[0])
		return fail(ctx, "malformed reply from the kernel");
	return 0;
}

#define INFO_FMT	"%-13s %s"

static void out_info(struct ucp_out *o, const struct info *in)
{
	char unknown[16];
	const char *name;
	unsigned int bit;

	ucp_out_str(o, "version", in->version, INFO_FMT "\n", "version",
		    in->version);
	if (in->has_kernel)
		ucp_out_str(o, "kernel", in->kernel, INFO_FMT "\n", "kernel",
			    in->kernel);
	ucp_out_text(o, "%-13s", "capabilities");
	ucp_out_arr_begin(o, "capabilities");
	for (bit = 0; bit < 64; bit++) {
		if (!(in->caps & (1ULL << bit)))
			continue;
		/* A newer module's capability still shows, by number. */
		name = ucp_spec_name(&ucp_spec_capability, bit);
		if (!name) {
			snprintf(unknown, sizeof(unknown), "bit%u", bit);
			name = unknown;
		}
		ucp_out_str(o, NULL, name, " %s", name);
	}
	ucp_out_arr_end(o);
	ucp_out_text(o, "%s\n", in->caps ? "" : " none");
}

/* UCP_CMD_STATS_GET */

#define CTR_NAME_LEN	64

struct ctr {
	char name[CTR_NAME_LEN];	/* "group.name" */
	uint64_t value;
};

/* The counters of one dump message: the totals, or one CPU's. */
struct ctr_set {
	long cpu;			/* -1: totals */
	struct ctr *ctr;
	size_t n;
};

struct stats {
	struct ctr_set *set;
	size_t n;
};

/* Room for one more element of an array of @n elements of @size. */
static void *grow(void *p, size_t n, size_t size)
{
	if (n >= SIZE_MAX / size - 1) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, (n + 1) * size);
}

static void stats_free(struct stats *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->set[i].ctr);
	free(st->set);
	memset(st, 0, sizeof(*st));
}

static int ctr_add(struct ctr_set *set, const struct nlattr *nest)
{
	const struct nlattr *tb[UCP_COUNTER_A_MAX + 1];
	struct ctr *ctr;

	if (ucp_parse_nested(nest, ucp_counter_attr_types, UCP_COUNTER_A_MAX, tb) < 0)
		return -1;
	if (!tb[UCP_COUNTER_A_NAME] || !tb[UCP_COUNTER_A_VALUE]) {
		errno = EPROTO;
		return -1;
	}
	ctr = grow(set->ctr, set->n, sizeof(*ctr));
	if (!ctr)
		return -1;
	set->ctr = ctr;
	ctr = &set->ctr[set->n++];
	snprintf(ctr->name, sizeof(ctr->name), "%s",
		 mnl_attr_get_str(tb[UCP_COUNTER_A_NAME]));
	ctr->value = mnl_attr_get_u64(tb[UCP_COUNTER_A_VALUE]);
	return 0;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	const struct nlattr *attr;
	struct stats *st = data;
	struct ctr_set *set;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	set = grow(st->set, st->n, sizeof(*set));
	if (!set)
		return MNL_CB_ERROR;
	st->set = set;
	set = &st->set[st->n++];
	memset(set, 0, sizeof(*set));
	set->cpu = tb[UCP_A_CPU] ? (long)mnl_attr_get_u32(tb[UCP_A_CPU]) : -1;
	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(attr) == UCP_A_COUNTER &&
		    ctr_add(set, attr) < 0)
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Totals: exactly one message without a CPU; per CPU: each with one. */
static bool stats_valid(const struct stats *st, bool per_cpu)
{
	size_t i;

	if (!per_cpu)
		return st->n == 1 && st->set[0].cpu < 0;
	for (i = 0; i < st->n; i++)
		if (st->set[i].cpu < 0)
			return false;
	return st->n > 0;
}

static int stats_get(struct ctx *ctx, bool per_cpu, struct stats *st)
{
	struct nlmsghdr *req;

	memset(st, 0, sizeof(*st));
	req = ucp_nl_request(ctx->nl, UCP_CMD_STATS_GET, 0);
	if (per_cpu)
		mnl_attr_put(req, UCP_A_STATS_PER_CPU, 0, NULL);
	if (ucp_nl_dump(ctx->nl, req, stats_cb, st) < 0) {
		stats_free(st);
		return fail_nl(ctx);
	}
	if (!stats_valid(st, per_cpu)) {
		stats_free(st);
		return fail(ctx, "malformed reply from the kernel");
	}
	return 0;
}

/* Text layout: counters grouped by the part of the name before the dot. */

static size_t ctr_group_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : 0;
}

static const char *ctr_label(const char *name)
{
	size_t glen = ctr_group_len(name);

	return glen ? name + glen + 1 : name;
}

static bool ctr_same_group(const char *a, const char *b)
{
	size_t glen = ctr_group_len(a);

	return glen == ctr_group_len(b) && !strncmp(a, b, glen);
}

/* Width of the label column: grouped labels are indented by two. */
static int ctr_label_width(const char *const *names, size_t n)
{
	size_t i, w, width = 0;

	for (i = 0; i < n; i++) {
		w = strlen(ctr_label(names[i])) + (ctr_group_len(names[i]) ? 2 : 0);
		if (w > width)
			width = w;
	}
	return (int)width;
}

static int u64_width(uint64_t v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

/* Prints a group's heading before its first row; rows of a group are together. */
static bool ctr_group_first(const char *const *names, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (ctr_same_group(names[j], names[i]))
			return false;
	return true;
}

static void out_row_label(struct ucp_out *o, const char *name, int width)
{
	if (ctr_group_len(name))
		ucp_out_text(o, "  %-*s", width - 2, ctr_label(name));
	else
		ucp_out_text(o, "%-*s", width, name);
}

static void out_group_heading(struct ucp_out *o, const char *name)
{
	size_t glen = ctr_group_len(name);

	if (glen)
		ucp_out_text(o, "%.*s:\n", (int)glen, name);
}

/* Row order: each group's rows under its heading, groups as first seen. */
static void text_rows(struct ucp_out *o, const char *const *names, size_t n,
		      void (*row)(struct ucp_out *o, size_t i, void *arg),
		      void *arg)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (!ctr_group_first(names, i))
			continue;
		out_group_heading(o, names[i]);
		for (k = i; k < n; k++)
			if (ctr_same_group(names[i], names[k]))
				row(o, k, arg);
	}
}

struct totals_text {
	const struct ctr_set *set;
	const char **names;
	int lw, vw;
};

static void totals_row(struct ucp_out *o, size_t i, void *arg)
{
	const struct totals_text *t = arg;

	out_row_label(o, t->names[i], t->lw);
	ucp_out_text(o, "  %*" PRIu64 "\n", t->vw, t->set->ctr[i].value);
}

static int out_totals(struct ucp_out *o, const struct ctr_set *set)
{
	struct totals_text t = { .set = set };
	size_t i;

	if (ucp_out_is_json(o)) {
		ucp_out_obj_begin(o, "counters");
		for (i = 0; i < set->n; i++)
			ucp_out_u64(o, set->ctr[i].name, set->ctr[i].value,
				    NULL);
		ucp_out_obj_end(o);
		return 0;
	}
	t.names = calloc(set->n + 1, sizeof(*t.names));
	if (!t.names)
		return -1;
	for (i = 0; i < set->n; i++) {
		t.names[i] = set->ctr[i].name;
		if (u64_width(set->ctr[i].value) > t.vw)
			t.vw = u64_width(set->ctr[i].value);
	}
	t.lw = ctr_label_width(t.names, set->n);
	text_rows(o, t.names, set->n, totals_row, &t);
	free(t.names);
	return 0;
}

/* Per CPU: JSON array of objects; text a column per CPU and a total. */

static void json_per_cpu(struct ucp_out *o, const struct stats *st)
{
	size_t i, k;

	ucp_out_arr_begin(o, "cpus");
	for (i = 0; i < st->n; i++) {
		ucp_out_obj_begin(o, NULL);
		ucp_out_u64(o, "cpu", (uint64_t)st->set[i].cpu, NULL);
		ucp_out_obj_begin(o, "counters");
		for (k = 0; k < st->set[i].n; k++)
			ucp_out_u64(o, st->set[i].ctr[k].name,
				    st->set[i].ctr[k].value, NULL);
		ucp_out_obj_end(o);
		ucp_out_obj_end(o);
	}
	ucp_out_arr_end(o);
}

static const struct ctr *set_find(const struct ctr_set *set, const char *name)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!strcmp(set->ctr[i].name, name))
			return &set->ctr[i];
	return NULL;
}

struct cpu_text {
	const struct stats *st;
	const char **names;	/* every counter any CPU reported */
	size_t n;
	bool *shown;		/* per set: has a non-zero counter */
	size_t hidden;		/* sets not shown */
	int lw, cw;
};

/*
 * A router has many possible CPUs that never ran the proxy; their columns
 * of zeros would bury the rest, so the table leaves them out (JSON keeps
 * every CPU).
 */
static int cpu_shown(struct cpu_text *t)
{
	size_t i, k;

	t->shown = calloc(t->st->n + 1, sizeof(*t->shown));
	if (!t->shown)
		return -1;
	for (i = 0; i < t->st->n; i++) {
		for (k = 0; k < t->st->set[i].n; k++)
			t->shown[i] |= t->st->set[i].ctr[k].value != 0;
		t->hidden += !t->shown[i];
	}
	return 0;
}

static uint64_t cpu_row_total(const struct cpu_text *t, const char *name)
{
	const struct ctr *c;
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < t->st->n; i++) {
		c = set_find(&t->st->set[i], name);
		if (c)
			sum += c->value;
	}
	return sum;
}

static void cpu_row(struct ucp_out *o, size_t r, void *arg)
{
	const struct cpu_text *t = arg;
	const struct ctr *c;
	size_t i;

	out_row_label(o, t->names[r], t->lw);
	for (i = 0; i < t->st->n; i++) {
		if (!t->shown[i])
			continue;
		c = set_find(&t->st->set[i], t->names[r]);
		if (c)
			ucp_out_text(o, "  %*" PRIu64, t->cw, c->value);
		else
			ucp_out_text(o, "  %*s", t->cw, "-");
	}
	ucp_out_text(o, "  %*" PRIu64 "\n", t->cw,
		     cpu_row_total(t, t->names[r]));
}

/* The union of the CPUs' counter names, in the order first seen. */
static int cpu_names(struct cpu_text *t)
{
	size_t i, k, max = 0;

	for (i = 0; i < t->st->n; i++)
		max += t->st->set[i].n;
	t->names = calloc(max + 1, sizeof(*t->names));
	if (!t->names)
		return -1;
	for (i = 0; i < t->st->n; i++) {
		for (k = 0; k < t->st->set[i].n; k++) {
			const char *name = t->st->set[i].ctr[k].name;
			size_t j;

			for (j = 0; j < t->n && strcmp(t->names[j], name); j++)
				;
			if (j == t->n)
				t->names[t->n++] = name;
		}
	}
	return 0;
}

static void cpu_widths(struct cpu_text *t)
{
	char head[32];
	size_t i, r;
	int w;

	t->lw = ctr_label_width(t->names, t->n);
	t->cw = (int)strlen("total");
	for (i = 0; i < t->st->n; i++) {
		w = snprintf(head, sizeof(head), "cpu%ld", t->st->set[i].cpu);
		if (w > t->cw)
			t->cw = w;
	}
	for (r = 0; r < t->n; r++) {
		w = u64_width(cpu_row_total(t, t->names[r]));
		if (w > t->cw)
			t->cw = w;
	}
}

static int text_per_cpu(struct ucp_out *o, const struct stats *st)
{
	struct cpu_text t = { .st = st };
	char head[32];
	size_t i;

	if (cpu_names(&t) < 0 || cpu_shown(&t) < 0) {
		free(t.names);
		return -1;
	}
	cpu_widths(&t);
	ucp_out_text(o, "%-*s", t.lw, "");
	for (i = 0; i < st->n; i++) {
		if (!t.shown[i])
			continue;
		snprintf(head, sizeof(head), "cpu%ld", st->set[i].cpu);
		ucp_out_text(o, "  %*s", t.cw, head);
	}
	ucp_out_text(o, "  %*s\n", t.cw, "total");
	text_rows(o, t.names, t.n, cpu_row, &t);
	if (t.hidden)
		ucp_out_text(o, "(%zu of %zu CPUs, all zero, not shown)\n",
			     t.hidden, st->n);
	free(t.shown);
	free(t.names);
	return 0;
}

/* Commands */

static int cmd_show_info(struct ctx *ctx, int argc, char **argv)
{
	struct info in;
	int rc;

	rc = no_args(ctx, argc, argv);
	if (!rc)
		rc = ctx_open(ctx);
	if (!rc)
		rc = info_get(ctx, &in);
	if (!rc)
		out_info(ctx->out, &in);
	return rc;
}

static int cmd_show_stats(struct ctx *ctx, int argc, char **argv)
{
	bool per_cpu = false;
	struct stats st;
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--per-cpu"))
			return bad_argument(ctx, argv[i]);
		per_cpu = true;
	}
	rc = ctx_open(ctx);
	if (!rc)
		rc = stats_get(ctx, per_cpu, &st);
	if (rc)
		return rc;
	if (!per_cpu)
		rc = out_totals(ctx->out, &st.set[0]);
	else if (ucp_out_is_json(ctx->out))
		json_per_cpu(ctx->out, &st);
	else
		rc = text_per_cpu(ctx->out, &st);
	stats_free(&st);
	return rc ? fail(ctx, "%s", strerror(errno)) : 0;
}

/* "show": the identity, then the totals. */
static int cmd_show(struct ctx *ctx, int argc, char **argv)
{
	struct stats st;
	struct info in;
	int rc;

	rc = no_args(ctx, argc, argv);
	if (!rc)
		rc = ctx_open(ctx);
	if (!rc)
		rc = info_get(ctx, &in);
	if (!rc)
		rc = stats_get(ctx, false, &st);
	if (rc)
		return rc;
	out_info(ctx->out, &in);
	ucp_out_text(ctx->out, "\n");
	rc = out_totals(ctx->out, &st.set[0]);
	stats_free(&st);
	return rc ? fail(ctx, "%s", strerror(errno)) : 0;
}

/* Licensing: UCP_CMD_LICENSE_*, TLS_LIMIT_SET, LIMITS_GET, CONFIG_CLEAR */

/* The spec's name of a kernel value; "?" for one a newer module added. */
static const char *name_of(const struct ucp_spec_names *t, unsigned int v)
{
	const char *name = ucp_spec_name(t, v);

	return name ? name : "?";
}

/* A class a newer module added still shows, as "?". */
static const char *app_name(uint32_t app)
{
	return name_of(&ucp_spec_app, app);
}

struct usage {
	uint32_t app, in_use, peak, refused, limit;
	bool limited;
};

/* What the kernel answered: the license, or why it refused. */
struct license {
	char platform[32];
	uint32_t uc, tls_max, tls_default, tls_platform_max;
	uint8_t ime, export_class;
	uint32_t tiers[16];
	size_t n_tiers;
	struct usage usage[UCP_APP_MAX];
	size_t n_usage;
	bool has_config;	/* a namespace's license, not a model's row */
	char warning[160];
	char reason[160];	/* a refusal's sentence */
};

static uint32_t get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

static int usage_parse(const struct nlattr *nest, struct usage *u)
{
	const struct nlattr *tb[UCP_USAGE_A_MAX + 1];

	if (ucp_parse_nested(nest, ucp_usage_attr_types, UCP_USAGE_A_MAX, tb) < 0)
		return -1;
	u->app = get_u32(tb[UCP_USAGE_A_APP]);
	u->limited = tb[UCP_USAGE_A_LIMIT];
	u->limit = get_u32(tb[UCP_USAGE_A_LIMIT]);
	u->in_use = get_u32(tb[UCP_USAGE_A_IN_USE]);
	u->peak = get_u32(tb[UCP_USAGE_A_PEAK]);
	u->refused = get_u32(tb[UCP_USAGE_A_REFUSED]);
	return 0;
}

/* The repeated attributes (tiers, usage) need a walk of their own. */
static int license_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct license *l = data;
	const struct nlattr *a;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0)
		return MNL_CB_ERROR;
	if (tb[UCP_A_REASON])
		snprintf(l->reason, sizeof(l->reason), "%s",
			 mnl_attr_get_str(tb[UCP_A_REASON]));
	if (tb[UCP_A_WARNING])
		snprintf(l->warning, sizeof(l->warning), "%s",
			 mnl_attr_get_str(tb[UCP_A_WARNING]));
	if (!tb[UCP_A_PLATFORM])
		return MNL_CB_OK;
	snprintf(l->platform, sizeof(l->platform), "%s",
		 mnl_attr_get_str(tb[UCP_A_PLATFORM]));
	l->has_config = tb[UCP_A_UC_SESSIONS];
	l->uc = get_u32(tb[UCP_A_UC_SESSIONS]);
	l->ime = tb[UCP_A_IME] ? mnl_attr_get_u8(tb[UCP_A_IME]) : 0;
	l->export_class = tb[UCP_A_EXPORT] ? mnl_attr_get_u8(tb[UCP_A_EXPORT]) : 0;
	l->tls_max = get_u32(tb[UCP_A_TLS_MAX]);
	l->tls_default = get_u32(tb[UCP_A_TLS_DEFAULT]);
	l->tls_platform_max = get_u32(tb[UCP_A_TLS_PLATFORM_MAX]);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == UCP_A_TIER &&
		    l->n_tiers < MNL_ARRAY_SIZE(l->tiers))
			l->tiers[l->n_tiers++] = mnl_attr_get_u32(a);
		if (mnl_attr_get_type(a) == UCP_A_USAGE &&
		    l->n_usage < MNL_ARRAY_SIZE(l->usage) &&
		    usage_parse(a, &l->usage[l->n_usage++]) < 0)
			return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* Sends @req; on a refusal prints the kernel's sentence when it gave one. */
static int license_do(struct ctx *ctx, struct nlmsghdr *req,
		      struct license *l)
{
	if (ucp_nl_do(ctx->nl, req, license_cb, l) < 0) {
		if (l->reason[0])
			return fail(ctx, "%s", l->reason);
		return fail_nl(ctx);
	}
	if (l->warning[0])
		fprintf(stderr, PROG ": warning: %s\n", l->warning);
	return 0;
}

static const char *export_name(uint8_t e)
{
	return e == UCP_EXPORT_K8 ? "k8" : e == UCP_EXPORT_K9 ? "k9" : "?";
}

#define LIC_FMT	"%-22s "

static void out_tiers(struct ucp_out *o, const struct license *l)
{
	size_t i;

	ucp_out_text(o, LIC_FMT, "uc-tiers");
	ucp_out_arr_begin(o, "uc-tiers");
	for (i = 0; i < l->n_tiers; i++)
		ucp_out_u64(o, NULL, l->tiers[i], "%s%u", i ? " " : "",
			    l->tiers[i]);
	ucp_out_arr_end(o);
	ucp_out_text(o, "\n");
}

static void out_license(struct ucp_out *o, const struct license *l)
{
	size_t i;

	ucp_out_str(o, "platform", l->platform, LIC_FMT "%s\n", "platform",
		    l->platform);
	if (!l->has_config) {
		/* A model's row of the table: its limits and tiers only. */
		ucp_out_u64(o, "tls-default", l->tls_default, LIC_FMT "%u\n",
			    "tls-default", l->tls_default);
		ucp_out_u64(o, "tls-platform-maximum", l->tls_platform_max,
			    LIC_FMT "%u\n", "tls-platform-maximum",
			    l->tls_platform_max);
		out_tiers(o, l);
		return;
	}
	ucp_out_u64(o, "uc-sessions", l->uc, LIC_FMT "%u\n", "uc-sessions",
		    l->uc);
	ucp_out_str(o, "ime", l->ime ? "on" : "off", LIC_FMT "%s\n", "ime",
		    l->ime ? "on" : "off");
	ucp_out_str(o, "export", export_name(l->export_class), LIC_FMT "%s\n",
		    "export", export_name(l->export_class));
	ucp_out_u64(o, "tls-maximum-sessions", l->tls_max, LIC_FMT "%u\n",
		    "tls-maximum-sessions", l->tls_max);
	ucp_out_u64(o, "tls-default", l->tls_default, LIC_FMT "%u\n",
		    "tls-default", l->tls_default);
	ucp_out_u64(o, "tls-platform-maximum", l->tls_platform_max,
		    LIC_FMT "%u\n", "tls-platform-maximum", l->tls_platform_max);
	out_tiers(o, l);
	if (!l->n_usage)
		return;
	ucp_out_text(o, "\n%-14s %10s %8s %8s %8s\n", "class", "limit",
		     "in-use", "peak", "refused");
	ucp_out_obj_begin(o, "usage");
	for (i = 0; i < l->n_usage; i++) {
		const struct usage *u = &l->usage[i];
		const char *name = app_name(u->app);
		char limit[16];

		snprintf(limit, sizeof(limit), "%u", u->limit);
		ucp_out_obj_begin(o, name);
		ucp_out_text(o, "%-14s %10s", name,
			     u->limited ? limit : "unlimited");
		if (u->limited)
			ucp_out_u64(o, "limit", u->limit, NULL);
		ucp_out_u64(o, "in-use", u->in_use, " %8u", u->in_use);
		ucp_out_u64(o, "peak", u->peak, " %8u", u->peak);
		ucp_out_u64(o, "refused", u->refused, " %8u\n", u->refused);
		ucp_out_obj_end(o);
	}
	ucp_out_obj_end(o);
}

static int license_run(struct ctx *ctx, uint8_t cmd, struct nlmsghdr *req,
		       bool show)
{
	struct license l;
	int rc;

	memset(&l, 0, sizeof(l));
	rc = license_do(ctx, req, &l);
	if (rc)
		return rc;
	if (!l.platform[0])
		return fail(ctx, "malformed reply from the kernel");
	if (show || cmd == UCP_CMD_LIMITS_GET)
		out_license(ctx->out, &l);
	else
		ucp_out_u64(ctx->out, "tls-maximum-sessions", l.tls_max,
			    "tls-proxy maximum-sessions %u\n", l.tls_max);
	return 0;
}

static int cmd_license_show(struct ctx *ctx, int argc, char **argv)
{
	int rc = no_args(ctx, argc, argv);

	if (!rc)
		rc = ctx_open(ctx);
	if (rc)
		return rc;
	return license_run(ctx, UCP_CMD_LICENSE_GET,
			   ucp_nl_request(ctx->nl, UCP_CMD_LICENSE_GET, 0), true);
}

static int parse_u32(const char *s, uint32_t *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || !*s || *end || s[0] == '-' || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

/* license set model M uc N [ime on|off] [export k8|k9] */
static int cmd_license_set(struct ctx *ctx, int argc, char **argv)
{
	const char *model = NULL;
	uint32_t uc = 0;
	int ime = -1, export_class = 0, i, rc;
	struct nlmsghdr *req;

	for (i = 0; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];

		if (!strcmp(k, "model"))
			model = v;
		else if (!strcmp(k, "uc") && !parse_u32(v, &uc))
			continue;
		else if (!strcmp(k, "ime") && (!strcmp(v, "on") || !strcmp(v, "off")))
			ime = !strcmp(v, "on");
		else if (!strcmp(k, "export") && !strcmp(v, "k8"))
			export_class = UCP_EXPORT_K8;
		else if (!strcmp(k, "export") && !strcmp(v, "k9"))
			export_class = UCP_EXPORT_K9;
		else
			return usage_error("license set: bad argument '%s %s' (try '"
					   PROG " help license')", k, v);
	}
	if (i < argc)
		return usage_error("license set: '%s' needs a value", argv[i]);
	if (!model)
		return usage_error("license set: model M is required");
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	req = ucp_nl_request(ctx->nl, UCP_CMD_LICENSE_SET, 0);
	mnl_attr_put_strz(req, UCP_A_PLATFORM, model);
	if (uc)
		mnl_attr_put_u32(req, UCP_A_UC_SESSIONS, uc);
	if (ime >= 0)
		mnl_attr_put_u8(req, UCP_A_IME, (uint8_t)ime);
	if (export_class)
		mnl_attr_put_u8(req, UCP_A_EXPORT, (uint8_t)export_class);
	return license_run(ctx, UCP_CMD_LICENSE_SET, req, true);
}

/* tls-proxy maximum-sessions N | ? [model M] */
static int cmd_tls_max(struct ctx *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	uint32_t n;
	int rc;

	if (argc < 1)
		return usage_error("tls-proxy maximum-sessions: N or ? is required");
	if (!strcmp(argv[0], "?")) {
		if (argc != 1 && (argc != 3 || strcmp(argv[1], "model")))
			return bad_argument(ctx, argv[1]);
		rc = ctx_open(ctx);
		if (rc)
			return rc;
		req = ucp_nl_request(ctx->nl, UCP_CMD_LIMITS_GET, 0);
		if (argc == 3)
			mnl_attr_put_strz(req, UCP_A_PLATFORM, argv[2]);
		return license_run(ctx, UCP_CMD_LIMITS_GET, req, true);
	}
	if (argc != 1)
		return bad_argument(ctx, argv[1]);
	if (parse_u32(argv[0], &n))
		return usage_error("tls-proxy maximum-sessions: not a number: '%s'",
				   argv[0]);
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	req = ucp_nl_request(ctx->nl, UCP_CMD_TLS_LIMIT_SET, 0);
	mnl_attr_put_u32(req, UCP_A_TLS_MAX, n);
	return license_run(ctx, UCP_CMD_TLS_LIMIT_SET, req, false);
}

/* clear configure: the TLS limit back to the platform default (rule 7). */
static int cmd_clear_configure(struct ctx *ctx, int argc, char **argv)
{
	int rc = no_args(ctx, argc, argv);

	if (!rc)
		rc = ctx_open(ctx);
	if (rc)
		return rc;
	return license_run(ctx, UCP_CMD_CONFIG_CLEAR,
			   ucp_nl_request(ctx->nl, UCP_CMD_CONFIG_CLEAR, 0), false);
}

/* UCP_CMD_SESSION_GET */

static int session_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct ucp_out *o = data;
	uint32_t app, owner;
	const char *name;
	uint64_t id;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_SESSION_ID] || !tb[UCP_A_APP]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	id = mnl_attr_get_u64(tb[UCP_A_SESSION_ID]);
	app = mnl_attr_get_u32(tb[UCP_A_APP]);
	owner = get_u32(tb[UCP_A_OWNER_PORTID]);
	name = app_name(app);
	ucp_out_obj_begin(o, NULL);
	ucp_out_u64(o, "id", id, "%10" PRIu64, id);
	ucp_out_str(o, "app", name, "  %-14s", name);
	ucp_out_u64(o, "owner-portid", owner, "  %u\n", owner);
	ucp_out_obj_end(o);
	return MNL_CB_OK;
}

static int cmd_show_sessions(struct ctx *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int rc = no_args(ctx, argc, argv);

	if (!rc)
		rc = ctx_open(ctx);
	if (rc)
		return rc;
	ucp_out_text(ctx->out, "%10s  %-14s  %s\n", "id", "app", "owner-portid");
	ucp_out_arr_begin(ctx->out, "sessions");
	req = ucp_nl_request(ctx->nl, UCP_CMD_SESSION_GET, NLM_F_DUMP);
	if (ucp_nl_dump(ctx->nl, req, session_cb, ctx->out) < 0)
		return fail_nl(ctx);
	ucp_out_arr_end(ctx->out);
	return 0;
}

/* UCP_CMD_MEDIA_GET, UCP_CMD_MEDIA_POLICY_GET/SET */

/*
 * A leg's suite as RFC 4568 spells it (the spec's name in capitals,
 * "AES_CM_128_HMAC_SHA1_80"); "rtp" for a plain leg.
 */
static const char *suite_name(uint8_t suite, char *buf, size_t len)
{
	const char *name = ucp_spec_name(&ucp_spec_srtp_suite, suite);
	size_t i;

	if (suite == UCP_SUITE_NONE)
		return "rtp";
	if (!name || strlen(name) >= len)
		return "?";
	for (i = 0; name[i]; i++)
		buf[i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

static uint64_t get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

static uint8_t get_u8(const struct nlattr *a)
{
	return a ? mnl_attr_get_u8(a) : 0;
}

/* One leg: what one side of the call sent. */
static int media_leg(struct ucp_out *o, const struct nlattr *nest)
{
	const struct nlattr *tb[UCP_LEG_A_MAX + 1];
	uint64_t packets, bytes, auth, replays, dropped;
	const char *side, *suite;
	char suite_buf[32];
	uint8_t dir, s;

	if (ucp_parse_nested(nest, ucp_leg_attr_types, UCP_LEG_A_MAX, tb) < 0 ||
	    !tb[UCP_LEG_A_DIR])
		return -1;
	dir = get_u8(tb[UCP_LEG_A_DIR]);
	s = get_u8(tb[UCP_LEG_A_SUITE]);
	side = dir == UCP_DIR_ORIGINAL ? "original" : "reply";
	suite = suite_name(s, suite_buf, sizeof(suite_buf));
	packets = get_u64(tb[UCP_LEG_A_PACKETS]);
	bytes = get_u64(tb[UCP_LEG_A_BYTES]);
	auth = get_u64(tb[UCP_LEG_A_AUTH_FAILURES]);
	replays = get_u64(tb[UCP_LEG_A_REPLAYS]);
	dropped = get_u64(tb[UCP_LEG_A_DROPPED]);
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "side", side, "      %-8s", side);
	ucp_out_str(o, "suite", suite, "  %-23s", suite);
	ucp_out_u64(o, "packets", packets, "  %10" PRIu64, packets);
	ucp_out_u64(o, "bytes", bytes, "  %12" PRIu64, bytes);
	ucp_out_u64(o, "auth-failures", auth, "  %6" PRIu64, auth);
	ucp_out_u64(o, "replays", replays, "  %6" PRIu64, replays);
	ucp_out_u64(o, "dropped", dropped, "  %6" PRIu64, dropped);
	if (tb[UCP_LEG_A_LAST_SEEN_MS]) {
		uint64_t ms = get_u64(tb[UCP_LEG_A_LAST_SEEN_MS]);

		ucp_out_u64(o, "last-seen-ms", ms, "  %" PRIu64 " ms ago\n",
			    ms);
	} else {
		ucp_out_text(o, "  never\n");
	}
	ucp_out_obj_end(o);
	return 0;
}

static int media_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1], *a;
	struct ucp_out *o = data;
	const char *mode, *state, *proto;
	uint64_t id, age;
	uint8_t stream;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_MEDIA_ID] || !tb[UCP_A_MEDIA_MODE]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	id = get_u64(tb[UCP_A_MEDIA_ID]);
	mode = name_of(&ucp_spec_media_mode, get_u8(tb[UCP_A_MEDIA_MODE]));
	state = name_of(&ucp_spec_media_state, get_u8(tb[UCP_A_MEDIA_STATE]));
	proto = get_u8(tb[UCP_A_PROTO]) == UCP_PROTO_SCCP ? "sccp" : "sip";
	stream = get_u8(tb[UCP_A_MEDIA_STREAM]);
	age = get_u64(tb[UCP_A_MEDIA_AGE_MS]) / 1000;
	ucp_out_obj_begin(o, NULL);
	ucp_out_u64(o, "id", id, "%6" PRIu64, id);
	ucp_out_str(o, "mode", mode, "  %-13s", mode);
	ucp_out_str(o, "state", state, "  %-8s", state);
	ucp_out_str(o, "proto", proto, "  %s", proto);
	ucp_out_u64(o, "stream", stream, " stream %u", stream);
	ucp_out_u64(o, "age-s", age, "  %" PRIu64 " s\n", age);
	ucp_out_arr_begin(o, "legs");
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == UCP_A_MEDIA_LEG &&
		    media_leg(o, a) < 0) {
			errno = EPROTO;
			return MNL_CB_ERROR;
		}
	}
	ucp_out_arr_end(o);
	ucp_out_obj_end(o);
	return MNL_CB_OK;
}

static int cmd_show_media(struct ctx *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int rc = no_args(ctx, argc, argv);

	if (!rc)
		rc = ctx_open(ctx);
	if (rc)
		return rc;
	ucp_out_text(ctx->out, "%6s  %-13s  %-8s  %s\n", "id", "mode", "state",
		     "signalling, age");
	ucp_out_text(ctx->out, "      %-8s  %-23s  %10s  %12s  %6s  %6s  %6s  %s\n",
		     "side", "suite", "packets", "bytes", "auth", "replay",
		     "drop", "last seen");
	ucp_out_arr_begin(ctx->out, "media");
	req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_GET, NLM_F_DUMP);
	if (ucp_nl_dump(ctx->nl, req, media_cb, ctx->out) < 0)
		return fail_nl(ctx);
	ucp_out_arr_end(ctx->out);
	return 0;
}

static int media_policy_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[UCP_A_MAX + 1];
	struct ucp_out *o = data;
	const char *name;

	if (ucp_parse(nlh, ucp_attr_types, UCP_A_MAX, tb) < 0 ||
	    !tb[UCP_A_MEDIA_POLICY]) {
		errno = EPROTO;
		return MNL_CB_ERROR;
	}
	name = name_of(&ucp_spec_media_policy, get_u8(tb[UCP_A_MEDIA_POLICY]));
	ucp_out_str(o, "media-policy", name, "media policy %s\n", name);
	return MNL_CB_OK;
}

static int cmd_media_policy(struct ctx *ctx, int argc, char **argv)
{
	struct nlmsghdr *req;
	int i;
	int rc;

	if (argc > 1)
		return usage_error("%s: one policy at most", ctx->what);
	rc = ctx_open(ctx);
	if (rc)
		return rc;
	if (argc == 1) {
		i = ucp_spec_value(&ucp_spec_media_policy, argv[0]);
		if (i < 0)
			return usage_error("%s: unknown policy '%s' (passthrough, secure-original, secure-reply, secure-both)",
					   ctx->what, argv[0]);
		req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_SET, 0);
		mnl_attr_put_u8(req, UCP_A_MEDIA_POLICY, i);
		if (ucp_nl_do(ctx->nl, req, NULL, NULL) < 0)
			return fail_nl(ctx);
	}
	req = ucp_nl_request(ctx->nl, UCP_CMD_MEDIA_POLICY_GET, 0);
	if (ucp_nl_do(ctx->nl, req, media_policy_cb, ctx->out) < 0)
		return fail_nl(ctx);
	return 0;
}

static int cmd_help(struct ctx *ctx, int argc, char **argv);

static const struct cmd show_cmds[] = {
	{ "info", NULL, cmd_show_info, "",
	  "module version, kernel release, capabilities" },
	{ "stats", NULL, cmd_show_stats, "[--per-cpu]",
	  "counters: totals, or per possible CPU" },
	{ "media", NULL, cmd_show_media, "",
	  "media sessions: mode, legs, packets, drops (never keys)" },
	{ "sessions", NULL, cmd_show_sessions, "",
	  "licensed sessions held, with their owner sockets" },
	{ .name = NULL },
};

static const struct cmd license_cmds[] = {
	{ "show", NULL, cmd_license_show, "",
	  "the license, the TLS limits and each class's use" },
	{ "set", NULL, cmd_license_set,
	  "model M [uc N] [ime on|off] [export k8|k9]",
	  "install a license (a platform and its UC tier)" },
	{ .name = NULL },
};

static const struct cmd tls_proxy_cmds[] = {
	{ "maximum-sessions", NULL, cmd_tls_max, "N | ? [model M]",
	  "set the TLS proxy limit, or show a platform's limits" },
	{ .name = NULL },
};

static const struct cmd clear_cmds[] = {
	{ "configure", NULL, cmd_clear_configure, "",
	  "reset the TLS proxy limit to the platform default" },
	{ .name = NULL },
};

static const struct cmd media_cmds[] = {
	{ "policy", NULL, cmd_media_policy,
	  "[passthrough | secure-original | secure-reply | secure-both]",
	  "which side keeps SRTP with ucproxy's keys (shown without a policy)" },
	{ NULL },
};

static const struct cmd top_cmds[] = {
	{ "show", show_cmds, cmd_show, "",
	  "module identity and counters" },
	{ "license", license_cmds, cmd_license_show, "",
	  "the license (as license show)" },
	{ "tls-proxy", tls_proxy_cmds, NULL, "", "" },
	{ "clear", clear_cmds, NULL, "", "" },
	{ "media", media_cmds, NULL, "", "" },
	{ "help", NULL, cmd_help, "[COMMAND...]", "this help" },
	{ .name = NULL },
};

/* Dispatch */

static void what_append(struct ctx *ctx, const char *word)
{
	size_t len = strlen(ctx->what);

	snprintf(ctx->what + len, sizeof(ctx->what) - len, "%s%s",
		 len ? " " : "", word);
}

static int ambiguous(const struct ctx *ctx, const struct cmd *table,
		     const char *word)
{
	size_t len = strlen(word), n = 0;
	const struct cmd *c;
	char list[256];

	list[0] = '\0';
	for (c = table; c->name && n < sizeof(list); c++) {
		if (strncmp(c->name, word, len))
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s",
				      n ? ", " : "", c->name);
	}
	return usage_error("ambiguous command '%s%s%s' (%s)", ctx->what,
			   ctx->what[0] ? " " : "", word, list);
}

/* The entry @word names: exactly, or as the only one it is a prefix of. */
static const struct cmd *cmd_find(const struct cmd *table, const char *word,
				  int *matches)
{
	const struct cmd *c, *found = NULL;
	size_t len = strlen(word);

	*matches = 0;
	for (c = table; c->name; c++) {
		if (!strcmp(c->name, word)) {
			*matches = 1;
			return c;
		}
		if (len && !strncmp(c->name, word, len)) {
			found = c;
			(*matches)++;
		}
	}
	return *matches == 1 ? found : NULL;
}

static const struct cmd *cmd_lookup(struct ctx *ctx, const struct cmd *table,
				    const char *word, int *rc)
{
	const struct cmd *c;
	int matches;

	c = cmd_find(table, word, &matches);
	if (c) {
		what_append(ctx, c->name);
		return c;
	}
	if (matches > 1)
		*rc = ambiguous(ctx, table, word);
	else
		*rc = usage_error("unknown command '%s%s%s' (try '" PROG " help')",
				  ctx->what, ctx->what[0] ? " " : "", word);
	return NULL;
}

static int cmd_run(struct ctx *ctx, const struct cmd *table, int argc,
		   char **argv)
{
	const struct cmd *c;
	int rc = 0;

	c = cmd_lookup(ctx, table, argv[0], &rc);
	if (!c)
		return rc;
	argc--;
	argv++;
	if (c->sub && argc && argv[0][0] != '-')
		return cmd_run(ctx, c->sub, argc, argv);
	if (!c->fn)
		return usage_error("%s: missing command (try '" PROG " help %s')",
				   ctx->what, ctx->what);
	return c->fn(ctx, argc, argv);
}

/* Help, generated from the tables */

static void help_entry(struct ucp_out *o, const char *path, const struct cmd *c)
{
	char line[128];

	snprintf(line, sizeof(line), "%s%s%s", path, c->args[0] ? " " : "",
		 c->args);
	ucp_out_obj_begin(o, NULL);
	ucp_out_str(o, "command", path, "  %-28s", line);
	ucp_out_str(o, "arguments", c->args, NULL);
	ucp_out_str(o, "description", c->help, " %s\n", c->help);
	ucp_out_obj_end(o);
}

static void help_walk(struct ucp_out *o, const char *prefix,
		      const struct cmd *table)
{
	const struct cmd *c;
	char path[96];

	for (c = table; c->name; c++) {
		snprintf(path, sizeof(path), "%s%s%s", prefix,
			 prefix[0] ? " " : "", c->name);
		if (c->fn)
			help_entry(o, path, c);
		if (c->sub)
			help_walk(o, path, c->sub);
	}
}

static const char help_head[] =
	"Usage: " PROG " [OPTIONS] COMMAND [ARGUMENTS]\n"
	"\n"
	"Commands (each word may be shortened to a unique prefix):\n";

static const char help_tail[] =
	"\n"
	"Options (before the command):\n"
	"  -j, --json       JSON output\n"
	"  -p, --pretty     JSON output, indented\n"
	"  -V, --version    print the version\n"
	"  -h, --help       this help\n"
	"\n"
	"Exit status: 0 success, 1 failure, 2 usage error. See " PROG "(8).\n";

/* "help [COMMAND...]": the whole tree, or the subtree the words name. */
static int cmd_help(struct ctx *ctx, int argc, char **argv)
{
	const struct cmd *table = top_cmds, *c = NULL;
	struct ctx sub = { 0 };
	int i, rc = 0;

	for (i = 0; i < argc; i++) {
		if (!table)
			return bad_argument(ctx, argv[i]);
		c = cmd_lookup(&sub, table, argv[i], &rc);
		if (!c)
			return rc;
		table = c->sub;
	}
	ucp_out_text(ctx->out, "%s", help_head);
	ucp_out_arr_begin(ctx->out, "commands");
	if (c && c->fn)
		help_entry(ctx->out, sub.what, c);
	if (table)
		help_walk(ctx->out, sub.what, table);
	ucp_out_arr_end(ctx->out);
	ucp_out_text(ctx->out, "%s", help_tail);
	return 0;
}

/* Options and main */

static const struct option long_opts[] = {
	{ "json",	no_argument, NULL, 'j' },
	{ "pretty",	no_argument, NULL, 'p' },
	{ "version",	no_argument, NULL, 'V' },
	{ "help",	no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

enum action { ACT_COMMAND, ACT_HELP, ACT_VERSION };

/* Options stop at the first word, so command arguments keep their dashes. */
static int parse_options(int argc, char **argv, unsigned int *flags,
			 enum action *act)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+jpVh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*flags |= UCP_OUT_JSON;
			break;
		case 'p':
			*flags |= UCP_OUT_JSON | UCP_OUT_PRETTY;
			break;
		case 'V':
			*act = ACT_VERSION;
			break;
		case 'h':
			*act = ACT_HELP;
			break;
		default:
			if (optopt)
				return usage_error("unknown option '-%c' (try '" PROG " help')",
						   optopt);
			return usage_error("unknown option '%s' (try '" PROG " help')",
					   argv[optind - 1]);
		}
	}
	return 0;
}

static int run(struct ctx *ctx, enum action act, int argc, char **argv)
{
	switch (act) {
	case ACT_VERSION:
		ucp_out_str(ctx->out, "version", UCP_TOOLS_VERSION,
			    PROG " %s\n", UCP_TOOLS_VERSION);
		return 0;
	case ACT_HELP:
		return cmd_help(ctx, 0, NULL);
	case ACT_COMMAND:
		break;
	}
	if (!argc)
		return usage_error("missing command (try '" PROG " help')");
	return cmd_run(ctx, top_cmds, argc, argv);
}

int main(int argc, char **argv)
{
	enum action act = ACT_COMMAND;
	struct ctx ctx = { 0 };
	unsigned int flags = 0;
	int rc;

	rc = parse_options(argc, argv, &flags, &act);
	if (rc)
		return rc;
	ctx.out = ucp_out_new(stdout, flags);
	if (!ctx.out)
		return fail(NULL, "%s", strerror(ENOMEM));
	rc = run(&ctx, act, argc - optind, argv + optind);
	ucp_nl_close(ctx.nl);
	if (rc) {
		ucp_out_discard(ctx.out);
		return rc;
	}
	ctx.what[0] = '\0';
	if (ucp_out_end(ctx.out) < 0)
		return fail(NULL, "write error: %s", strerror(errno));
	return 0;
}
