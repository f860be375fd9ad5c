// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of ucpctl save's plan (user/ucpctl/save_plan.c) against the
 * kernel's license engine (kmod/core/ucp_license.c): a configuration
 * reached by any sequence of license set, license tls-limit and clear
 * configure is given back exactly by its plan, applied to any other
 * configuration; and the cases of DESIGN.md rules 3, 4 and 7 by name.
 */
#include <kunit/test.h>

#include "save_plan.h"
#include "ucp_license.h"

/* A small deterministic generator (xorshift32): the runs repeat. */
static u32 rnd(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static unsigned int n_platforms(void)
{
	unsigned int n = 0;

	while (ucp_platform_at(n))
		n++;
	return n;
}

/* One random operation of the three that change the license state. */
static void random_op(struct ucp_license *lic, u32 *s)
{
	const struct ucp_platform *p;
	char name[UCP_PLATFORM_NAME_LEN];
	struct ucp_license_cfg cfg = { 0 };
	unsigned int tiers;

	switch (rnd(s) % 3) {
	case 0:
		p = ucp_platform_at(rnd(s) % n_platforms());
		tiers = ucp_platform_tier_count(p);
		snprintf(name, sizeof(name), "%s%s", p->name,
			 rnd(s) % 8 ? "" : UCP_LICENSE_NPE_SUFFIX);
		cfg.platform = name;
		cfg.uc_sessions = p->tiers[rnd(s) % tiers];
		cfg.ime = rnd(s) % 2;
		cfg.export_class = rnd(s) % 2 ? UCP_EXPORT_K8 : UCP_EXPORT_K9;
		/* Refusals (rule 9 on -npe) change nothing: fine here. */
		ucp_license_set(lic, &cfg, NULL, 0, NULL);
		break;
	case 1:
		ucp_license_set_tls_max(lic, 1 + rnd(s) % lic->platform->tls_max,
					NULL);
		break;
	default:
		ucp_license_clear_config(lic, NULL, 0);
		break;
	}
}

/* What ucpctl save reads: license-get's fields and the policy. */
static void read_config(const struct ucp_license *lic, u8 policy,
			struct config *c)
{
	struct ucp_license_limits lim;

	ucp_license_limits(lic, &lim);
	memset(c, 0, sizeof(*c));
	snprintf(c->platform, sizeof(c->platform), "%s", lim.platform);
	c->uc = lim.uc_sessions;
	c->ime = lim.ime;
	c->export_class = lim.export_class;
	c->tls = lim.tls_configured;
	c->tls_default = lim.tls_default;
	c->policy = policy;
}

/* ucpctl restore's lines, as the kernel runs them; each must be taken. */
static void apply_plan(struct kunit *test, struct ucp_license *lic,
		       u8 *policy, const struct op *ops, unsigned int n)
{
	struct ucp_license_cfg cfg;
	struct ucp_refusal ref = { 0 };
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		const struct config *c = &ops[i].c;

		switch (ops[i].kind) {
		case OP_LICENSE:
			cfg = (struct ucp_license_cfg){
				.platform = c->platform, .uc_sessions = c->uc,
				.ime = c->ime, .export_class = c->export_class,
			};
			err = ucp_license_set(lic, &cfg, NULL, 0, &ref);
			break;
		case OP_TLS:
			err = ucp_license_set_tls_max(lic, c->tls, &ref);
			break;
		case OP_CLEAR:
			err = ucp_license_clear_config(lic, NULL, 0);
			*policy = UCP_MEDIA_POLICY_PASSTHROUGH;
			break;
		default:
			*policy = c->policy;
			err = 0;
			break;
		}
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "line %u of %s: %s", i + 1,
				    c->platform, ref.msg);
	}
}

/* The plan of @want applied to @from must give @want exactly. */
static void check_roundtrip(struct kunit *test, const struct ucp_license *want,
			    u8 want_policy, const struct ucp_license *from)
{
	struct ucp_license lic = *from;
	struct config a, b;
	struct op ops[SAVE_PLAN_MAX];
	unsigned int n;
	u8 policy = UCP_MEDIA_POLICY_SECURE_BOTH;

	read_config(want, want_policy, &a);
	n = save_plan(&a, ops);
	KUNIT_ASSERT_LE(test, n, SAVE_PLAN_MAX);
	apply_plan(test, &lic, &policy, ops, n);
	read_config(&lic, policy, &b);
	KUNIT_EXPECT_STREQ(test, b.platform, a.platform);
	KUNIT_EXPECT_EQ(test, b.uc, a.uc);
	KUNIT_EXPECT_EQ(test, b.ime, a.ime);
	KUNIT_EXPECT_EQ_MSG(test, b.export_class, a.export_class, "%s uc %u",
			    a.platform, a.uc);
	KUNIT_EXPECT_EQ_MSG(test, b.tls, a.tls, "%s uc %u ime %u export %u",
			    a.platform, a.uc, a.ime, a.export_class);
	KUNIT_EXPECT_EQ(test, b.policy, a.policy);
}

/* 20000 configurations by random walks, each restored onto another. */
static void save_plan_random_walks(struct kunit *test)
{
	struct ucp_license want, from;
	u32 s = 0x9e3779b9;
	int i, j, steps;

	for (i = 0; i < 20000; i++) {
		ucp_license_init(&want);
		ucp_license_init(&from);
		steps = 1 + rnd(&s) % 6;
		for (j = 0; j < steps; j++)
			random_op(&want, &s);
		steps = rnd(&s) % 6;
		for (j = 0; j < steps; j++)
			random_op(&from, &s);
		check_roundtrip(test, &want, rnd(&s) % 4, &from);
	}
}

static void set(struct ucp_license *lic, const char *platform, u32 uc,
		enum ucp_export_class exp)
{
	struct ucp_license_cfg cfg = {
		.platform = platform, .uc_sessions = uc, .export_class = exp,
	};

	ucp_license_set(lic, &cfg, NULL, 0, NULL);
}

/*
 * The cases by name: K8 with the TLS limit below the UC license; K8 with
 * the limit its license raised above 1000; K8 after clear configure (the
 * default, 4000, above the K8 bound); K8 keeping a limit set under K9.
 * Each restored after clear configure, as config_save.sh does.
 */
static void save_plan_k8_cases(struct kunit *test)
{
	struct ucp_license lic, cleared;

	ucp_license_init(&lic);
	set(&lic, "asa5580", 5000, UCP_EXPORT_K8);
	KUNIT_ASSERT_EQ(test, ucp_license_set_tls_max(&lic, 800, NULL), 0);
	cleared = lic;
	ucp_license_clear_config(&cleared, NULL, 0);
	check_roundtrip(test, &lic, UCP_MEDIA_POLICY_SECURE_REPLY, &cleared);

	ucp_license_init(&lic);
	set(&lic, "asa5580", 5000, UCP_EXPORT_K8);
	KUNIT_ASSERT_EQ(test, lic.tls_max, 5000);
	cleared = lic;
	ucp_license_clear_config(&cleared, NULL, 0);
	check_roundtrip(test, &lic, UCP_MEDIA_POLICY_PASSTHROUGH, &cleared);

	ucp_license_clear_config(&lic, NULL, 0);
	KUNIT_ASSERT_EQ(test, lic.tls_max, 4000);
	check_roundtrip(test, &lic, UCP_MEDIA_POLICY_SECURE_BOTH, &lic);

	ucp_license_init(&lic);
	set(&lic, "asa5580", 5000, UCP_EXPORT_K9);
	KUNIT_ASSERT_EQ(test, ucp_license_set_tls_max(&lic, 6000, NULL), 0);
	set(&lic, "asa5580", 5000, UCP_EXPORT_K8);
	KUNIT_ASSERT_EQ(test, lic.tls_max, 6000);
	cleared = lic;
	ucp_license_clear_config(&cleared, NULL, 0);
	check_roundtrip(test, &lic, UCP_MEDIA_POLICY_SECURE_ORIGINAL, &cleared);
}

static struct kunit_case save_plan_cases[] = {
	KUNIT_CASE(save_plan_random_walks),
	KUNIT_CASE(save_plan_k8_cases),
	{}
};

static struct kunit_suite save_plan_suite = {
	.name = "ucpctl_save_plan",
	.test_cases = save_plan_cases,
};

kunit_test_suite(save_plan_suite);
