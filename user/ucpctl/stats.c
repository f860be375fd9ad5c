// SPDX-License-Identifier: GPL-2.0
/*
 * ucpctl stats: the namespace's counters (UCP_CMD_STATS_GET), summed or
 * per possible CPU; and "show", the identity followed by the totals.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucpctl.h"

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

int cmd_stats_show(struct ctx *ctx, int argc, char **argv)
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

const struct cmd stats_cmds[] = {
	{ .name = "show", .fn = cmd_stats_show, .args = "[--per-cpu]",
	  .help = "counters: totals, or per possible CPU" },
	{ .name = NULL },
};

/* "show": the identity, then the totals. */
int cmd_show(struct ctx *ctx, int argc, char **argv)
{
	struct stats st;
	struct info in;
	int rc = ctx_open_no_args(ctx, argc, argv);

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
