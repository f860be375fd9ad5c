// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the license engine (kmod/ucp_license.c): every platform
 * row, every rule of DESIGN.md, the worked examples of the seed. The
 * expected numbers are written out here, independently of the engine's
 * table, so a changed value fails a test.
 */
#include <kunit/test.h>

#include "ucp_license.h"

#define NO_LIMIT UCP_LICENSE_UNLIMITED

/* Set a license; a refusal fails (and ends) the test. */
static void set_license(struct kunit *test, struct ucp_license *lic,
			const char *platform, u32 uc, bool ime,
			enum ucp_export_class exp)
{
	struct ucp_license_cfg cfg = {
		.platform = platform, .uc_sessions = uc, .ime = ime,
		.export_class = exp,
	};
	struct ucp_refusal ref;

	KUNIT_ASSERT_EQ_MSG(test, ucp_license_set(lic, &cfg, NULL, 0, &ref), 0,
			    "%s", ref.msg);
}

/* Take @n sessions of @app; the first refusal fails (and ends) the test. */
static void take(struct kunit *test, struct ucp_license *lic,
		 enum ucp_app app, u32 n)
{
	struct ucp_refusal ref;
	u32 i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ_MSG(test, ucp_license_acquire(lic, app, &ref), 0,
				    "session %u of %s: %s", i + 1,
				    ucp_spec_name(&ucp_spec_app, app), ref.msg);
}

static void give_back(struct kunit *test, struct ucp_license *lic,
		      enum ucp_app app, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, ucp_license_release(lic, app), 0);
}

/* The same state, field by field (padding aside). */
static bool same_license(const struct ucp_license *a,
			 const struct ucp_license *b)
{
	int app;

	if (a->platform != b->platform || a->npe != b->npe ||
	    a->ime != b->ime || a->export_class != b->export_class ||
	    a->uc_sessions != b->uc_sessions || a->tls_max != b->tls_max)
		return false;
	for (app = UCP_APP_PHONE_PROXY; app <= UCP_APP_MAX; app++)
		if (a->usage[app].in_use != b->usage[app].in_use ||
		    a->usage[app].peak != b->usage[app].peak ||
		    a->usage[app].refused != b->usage[app].refused)
			return false;
	return true;
}

/* One more @app session must be refused exactly so. */
static void expect_refused(struct kunit *test, struct ucp_license *lic,
			   enum ucp_app app, int err, enum ucp_rule rule,
			   u32 limit, const char *msg)
{
	struct ucp_refusal ref;
	u32 in_use = lic->usage[app].in_use;
	u32 refused = lic->usage[app].refused;

	KUNIT_EXPECT_EQ(test, ucp_license_acquire(lic, app, &ref), err);
	KUNIT_EXPECT_EQ(test, ref.rule, rule);
	KUNIT_EXPECT_EQ(test, ref.limit, limit);
	KUNIT_EXPECT_STREQ(test, ref.msg, msg);
	KUNIT_EXPECT_EQ(test, lic->usage[app].in_use, in_use);
	KUNIT_EXPECT_EQ(test, lic->usage[app].refused, refused + 1);
}

/* ---- the platform table (rule 10) ------------------------------------ */

struct platform_case {
	const char *name;
	const char *model;
	u32 tls_default;
	u32 tls_max;
	u32 ime_extra;
	u32 top;		/* largest UC tier */
	u32 foreign;		/* a tier the model does not take */
};

/* Table 47-1: every model's tiers are this ladder, up to its largest. */
static const u32 tier_ladder[] = {
	2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000, 5000, 10000,
};

/* Tables 47-1 and 47-2, and the values Documentation/licensing.md chose. */
static const struct platform_case platform_cases[] = {
	{ "asa5505", "ASA 5505", 10, 80, 10, 24, 50 },
	{ "asa5510", "ASA 5510", 100, 200, 100, 100, 250 },
	{ "asa5520", "ASA 5520", 300, 1200, 300, 1000, 2000 },
	{ "asa5540", "ASA 5540", 1000, 4500, 1000, 2000, 3000 },
	{ "asa5550", "ASA 5550", 2000, 4500, 2000, 3000, 5000 },
	{ "asa5580", "ASA 5580", 4000, 13000, 4000, 10000, 25 },
	{ "asa5512-x", "ASA 5512-X", 100, 600, 100, 500, 750 },
	{ "asa5515-x", "ASA 5515-X", 100, 600, 100, 500, 750 },
	{ "asa5525-x", "ASA 5525-X", 300, 1200, 300, 1000, 2000 },
	{ "asa5545-x", "ASA 5545-X", 1000, 4500, 1000, 2000, 3000 },
	{ "asa5555-x", "ASA 5555-X", 2000, 4500, 2000, 3000, 5000 },
	{ "asa5585-x-ssp10", "ASA 5585-X with SSP-10", 2000, 4500, 2000, 3000, 5000 },
	{ "asa5585-x-ssp20", "ASA 5585-X with SSP-20", 4000, 13000, 4000, 10000, 20000 },
	{ "asa5585-x-ssp40", "ASA 5585-X with SSP-40", 4000, 13000, 4000, 10000, 1 },
	{ "asa5585-x-ssp60", "ASA 5585-X with SSP-60", 4000, 13000, 4000, 10000, 4000 },
	{ "linux", "Linux router", 1000, 20000, 1000, 10000, 64 },
};

/* How many tiers of the ladder the case's model has. */
static unsigned int case_tiers(const struct platform_case *c)
{
	unsigned int n = 0;

	while (n < ARRAY_SIZE(tier_ladder) && tier_ladder[n] != c->top)
		n++;
	return n + 1;
}

static void platform_case_desc(const struct platform_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->name);
}

KUNIT_ARRAY_PARAM(platform, platform_cases, platform_case_desc);

/* The engine has exactly these rows, in this order, and no other. */
static void platform_count_test(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(platform_cases); i++) {
		const struct ucp_platform *p = ucp_platform_at(i);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_STREQ(test, p->name, platform_cases[i].name);
	}
	KUNIT_EXPECT_NULL(test, ucp_platform_at(ARRAY_SIZE(platform_cases)));
	KUNIT_EXPECT_EQ(test, ARRAY_SIZE(platform_cases), 16);
}

static void platform_row_test(struct kunit *test)
{
	const struct platform_case *c = test->param_value;
	const struct ucp_platform *p;
	bool npe = true;
	unsigned int i;

	p = ucp_platform_find(c->name, &npe);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_FALSE(test, npe);
	KUNIT_EXPECT_STREQ(test, p->name, c->name);
	KUNIT_EXPECT_STREQ(test, p->model, c->model);
	KUNIT_EXPECT_EQ(test, p->tls_default, c->tls_default);
	KUNIT_EXPECT_EQ(test, p->tls_max, c->tls_max);
	KUNIT_EXPECT_EQ(test, p->ime_extra, c->ime_extra);
	KUNIT_ASSERT_LE(test, case_tiers(c), ARRAY_SIZE(tier_ladder));
	KUNIT_ASSERT_EQ(test, ucp_platform_tier_count(p), case_tiers(c));
	for (i = 0; i < case_tiers(c); i++)
		KUNIT_EXPECT_EQ(test, p->tiers[i], tier_ladder[i]);
	KUNIT_EXPECT_FALSE(test, ucp_platform_has_tier(p, c->foreign));
	/* Every maximum holds the largest tier (rule 3 can reach it). */
	KUNIT_EXPECT_GE(test, c->tls_max, c->top);
}

/* Each tier of the model is accepted; one of another model is not. */
static void platform_tiers_test(struct kunit *test)
{
	const struct platform_case *c = test->param_value;
	struct ucp_license_cfg cfg = { .platform = c->name };
	char want[UCP_LICENSE_MSG_LEN];
	struct ucp_license lic, before;
	struct ucp_refusal ref;
	unsigned int i;

	for (i = 0; i < case_tiers(c); i++) {
		u32 tier = tier_ladder[i];
		u32 tls = tier > c->tls_default ? tier : c->tls_default;

		ucp_license_init(&lic);
		cfg.uc_sessions = tier;
		KUNIT_EXPECT_EQ_MSG(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref),
				    0, "tier %u: %s", tier, ref.msg);
		KUNIT_EXPECT_EQ(test, lic.uc_sessions, tier);
		KUNIT_EXPECT_EQ_MSG(test, lic.tls_max, tls, "tier %u", tier);
		KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), tls);
	}

	before = lic;
	cfg.uc_sessions = c->foreign;
	snprintf(want, sizeof(want),
		 "%u is not a UC license tier of %s (the largest is %u)",
		 c->foreign, c->name, c->top);
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ref.limit, c->top);
	KUNIT_EXPECT_STREQ(test, ref.msg, want);
	KUNIT_EXPECT_TRUE(test, same_license(&lic, &before));
}

/* Default and maximum TLS sessions; one above the maximum is refused. */
static void platform_tls_test(struct kunit *test)
{
	const struct platform_case *c = test->param_value;
	char want[UCP_LICENSE_MSG_LEN];
	struct ucp_license_limits lim;
	struct ucp_license lic;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	set_license(test, &lic, c->name, 0, false, UCP_EXPORT_K9);
	KUNIT_EXPECT_EQ(test, lic.uc_sessions, UCP_LICENSE_BASE_SESSIONS);
	KUNIT_EXPECT_EQ(test, lic.tls_max, c->tls_default);

	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_STREQ(test, lim.platform, c->name);
	KUNIT_EXPECT_STREQ(test, lim.model, c->model);
	KUNIT_EXPECT_EQ(test, lim.tls_default, c->tls_default);
	KUNIT_EXPECT_EQ(test, lim.tls_platform_max, c->tls_max);
	KUNIT_EXPECT_EQ(test, lim.tls_configured, c->tls_default);
	KUNIT_EXPECT_EQ(test, lim.tls_effective, c->tls_default);

	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, c->tls_max, &ref), 0);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), c->tls_max);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 1, &ref), 0);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), 1);

	snprintf(want, sizeof(want), "%u exceeds the platform maximum %u of %s",
		 c->tls_max + 1, c->tls_max, c->name);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, c->tls_max + 1, &ref),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ref.limit, c->tls_max);
	KUNIT_EXPECT_STREQ(test, ref.msg, want);
	KUNIT_EXPECT_EQ(test, lic.tls_max, 1);
}

/* Rule 9: the -npe variant of every model has no UC proxy feature. */
static void platform_npe_test(struct kunit *test)
{
	const struct platform_case *c = test->param_value;
	char name[UCP_PLATFORM_NAME_LEN], want[UCP_LICENSE_MSG_LEN];
	struct ucp_license_cfg cfg = { .platform = name, .uc_sessions = 24 };
	struct ucp_license_limits lim;
	struct ucp_license lic, before;
	struct ucp_refusal ref;
	bool npe = false;
	int app;

	snprintf(name, sizeof(name), "%s-npe", c->name);
	KUNIT_EXPECT_PTR_EQ(test, ucp_platform_find(name, &npe),
			    ucp_platform_find(c->name, NULL));
	KUNIT_EXPECT_TRUE(test, npe);

	ucp_license_init(&lic);
	set_license(test, &lic, name, 0, false, UCP_EXPORT_K9);
	KUNIT_EXPECT_TRUE(test, lic.npe);

	before = lic;
	snprintf(want, sizeof(want),
		 "%s has no payload encryption, so it takes no UC or IME license",
		 name);
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EPERM);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NO_ENCRYPTION);
	KUNIT_EXPECT_STREQ(test, ref.msg, want);
	cfg.uc_sessions = 0;
	cfg.ime = true;
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EPERM);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NO_ENCRYPTION);
	KUNIT_EXPECT_TRUE(test, same_license(&lic, &before));

	snprintf(want, sizeof(want),
		 "%s has no payload encryption, so it has no TLS proxy", name);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 1, &ref), -EPERM);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NO_ENCRYPTION);
	KUNIT_EXPECT_STREQ(test, ref.msg, want);

	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_STREQ(test, lim.platform, name);
	KUNIT_EXPECT_TRUE(test, lim.npe);
	KUNIT_EXPECT_EQ(test, lim.tls_effective, 0);
	for (app = UCP_APP_PHONE_PROXY; app <= UCP_APP_MAX; app++) {
		snprintf(want, sizeof(want),
			 "%s: %s has no payload encryption, so it has no UC proxy feature",
			 ucp_spec_name(&ucp_spec_app, app), name);
		expect_refused(test, &lic, app, -EPERM, UCP_RULE_NO_ENCRYPTION,
			       0, want);
		KUNIT_EXPECT_EQ(test, lim.app[app].limit, 0);
	}
}

/* ---- the rules, one refusal (or acceptance) per row ------------------ */

struct rule_case {
	const char *desc;
	const char *platform;
	u32 uc;
	bool ime;
	enum ucp_export_class exp;
	u32 tls;			/* 0: as license-set left it */
	u32 fill[__UCP_APP_MAX];	/* taken first, in class order */
	enum ucp_app app;		/* then one more of this */
	int err;
	enum ucp_rule rule;
	u32 limit;
	const char *msg;
};

#define PHONE	UCP_APP_PHONE_PROXY
#define TLSP	UCP_APP_TLS_PROXY
#define PRES	UCP_APP_PRESENCE_FED
#define MOB	UCP_APP_MOBILITY
#define IME	UCP_APP_IME
#define SRTP	UCP_APP_SRTP

static const struct rule_case rule_cases[] = {
	/* Rule 1: phone proxy, TLS proxy and presence share the UC license. */
	{ "rule1-three-classes-share-uc", "linux", 2, .fill = { [PHONE] = 1, [PRES] = 1 },
	  .app = TLSP, .err = -ENOSPC, .rule = UCP_RULE_UC_LICENSE, .limit = 2,
	  .msg = "tls-proxy: all 2 sessions of the UC license are in use" },
	{ "rule1-presence-counted", "asa5505", 24, .fill = { [PHONE] = 20, [TLSP] = 4 },
	  .app = PRES, .err = -ENOSPC, .rule = UCP_RULE_UC_LICENSE, .limit = 24,
	  .msg = "presence-fed: all 24 sessions of the UC license are in use" },
	{ "rule1-mobility-not-uc", "linux", 2, .fill = { [PHONE] = 2, [MOB] = 10 },
	  .app = MOB },
	{ "rule1-ime-needs-license", "linux", 2, .app = IME, .err = -EPERM,
	  .rule = UCP_RULE_NO_LICENSE,
	  .msg = "ime: the IME proxy needs the IME license" },
	{ "rule1-ime-not-uc", "linux", 2, .ime = true, .fill = { [PHONE] = 2, [IME] = 5 },
	  .app = IME },
	/* Rule 2: a phone with a primary and a backup call manager: 2. */
	{ "rule2-primary-backup-is-2", "linux", 2, .fill = { [PHONE] = 2 },
	  .app = PHONE, .err = -ENOSPC, .rule = UCP_RULE_UC_LICENSE, .limit = 2,
	  .msg = "phone-proxy: all 2 sessions of the UC license are in use" },
	/* Rule 3: the TLS limit wins over the UC license. */
	{ "rule3-tls-limit-wins", "asa5540", 2000, .tls = 500, .fill = { [PHONE] = 500 },
	  .app = TLSP, .err = -ENOSPC, .rule = UCP_RULE_TLS_LIMIT, .limit = 500,
	  .msg = "tls-proxy: all 500 TLS proxy sessions are in use (tls-proxy maximum-sessions)" },
	{ "rule3-raised-limit-serves-uc", "asa5540", 2000, .fill = { [PHONE] = 1999 },
	  .app = PHONE },
	{ "rule3-mobility-uses-tls", "linux", 2, .tls = 3, .fill = { [PHONE] = 2, [MOB] = 1 },
	  .app = MOB, .err = -ENOSPC, .rule = UCP_RULE_TLS_LIMIT, .limit = 3,
	  .msg = "mobility: all 3 TLS proxy sessions are in use (tls-proxy maximum-sessions)" },
	/* Rule 4: K8 caps TLS at 1000 and SRTP at 250; K9 does not. */
	{ "rule4-k8-caps-tls", "asa5580", 5000, .exp = UCP_EXPORT_K8,
	  .fill = { [TLSP] = 1000 }, .app = MOB, .err = -ENOSPC,
	  .rule = UCP_RULE_EXPORT_CLASS, .limit = 1000,
	  .msg = "mobility: the K8 export class allows at most 1000 TLS proxy sessions" },
	{ "rule4-k8-configured-1000", "asa5580", 5000, .exp = UCP_EXPORT_K8, .tls = 1000,
	  .fill = { [TLSP] = 1000 }, .app = PHONE, .err = -ENOSPC,
	  .rule = UCP_RULE_TLS_LIMIT, .limit = 1000,
	  .msg =
		"phone-proxy: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)",
	},
	{ "rule4-k8-caps-srtp", "linux", 2, .exp = UCP_EXPORT_K8, .fill = { [SRTP] = 250 },
	  .app = SRTP, .err = -ENOSPC, .rule = UCP_RULE_EXPORT_CLASS, .limit = 250,
	  .msg = "srtp: the K8 export class allows at most 250 SRTP sessions" },
	{ "rule4-k9-srtp-unlimited", "linux", 2, .fill = { [SRTP] = 5000 }, .app = SRTP },
	{ "rule4-k9-tls-to-platform", "asa5580", 10000,
	  .fill = { [PHONE] = 5000, [TLSP] = 4999 }, .app = PRES },
	/* Rule 5: SRTP is its own count, of neither UC nor TLS sessions. */
	{ "rule5-srtp-not-tls", "linux", 2, .tls = 1, .fill = { [MOB] = 1 }, .app = SRTP },
	{ "rule5-srtp-not-uc", "linux", 2, .fill = { [PHONE] = 2 }, .app = SRTP },
	/* Rule 6: the 10,000 license allows at most 5,000 phone proxy. */
	{ "rule6-phone-cap-5000", "asa5580", 10000, .fill = { [PHONE] = 5000 },
	  .app = PHONE, .err = -ENOSPC, .rule = UCP_RULE_PHONE_PROXY_CAP, .limit = 5000,
	  .msg =
		"phone-proxy: the 10000-session UC license allows at most 5000 phone proxy sessions",
	},
	{ "rule6-combined-10000", "asa5585-x-ssp60", 10000,
	  .fill = { [PHONE] = 5000, [TLSP] = 5000 }, .app = PRES, .err = -ENOSPC,
	  .rule = UCP_RULE_UC_LICENSE, .limit = 10000,
	  .msg = "presence-fed: all 10000 sessions of the UC license are in use" },
	{ "rule6-no-cap-at-5000", "asa5580", 5000, .fill = { [PHONE] = 4999 }, .app = PHONE },
	{ "rule6-5000-license-full", "asa5580", 5000, .fill = { [PHONE] = 5000 },
	  .app = PHONE, .err = -ENOSPC, .rule = UCP_RULE_UC_LICENSE, .limit = 5000,
	  .msg = "phone-proxy: all 5000 sessions of the UC license are in use" },
	/* Rule 8: limit 1000, UC 750: the first 250 IME leave UC untouched. */
	{ "rule8-250-ime-leave-uc", "asa5540", 750, .ime = true,
	  .fill = { [PHONE] = 749, [IME] = 250 }, .app = PHONE },
	{ "rule8-then-uc-license", "asa5540", 750, .ime = true,
	  .fill = { [PHONE] = 750, [IME] = 250 }, .app = PHONE, .err = -ENOSPC,
	  .rule = UCP_RULE_UC_LICENSE, .limit = 750,
	  .msg = "phone-proxy: all 750 sessions of the UC license are in use" },
	{ "rule8-ime-beyond-250-shares", "asa5540", 750, .ime = true,
	  .fill = { [PHONE] = 700, [IME] = 300 }, .app = PHONE, .err = -ENOSPC,
	  .rule = UCP_RULE_IME, .limit = 1000,
	  .msg =
		"phone-proxy: 300 IME sessions share the TLS proxy limit 1000 and leave no session for UC",
	},
	{ "rule8-ime-first-come", "asa5540", 750, .ime = true, .fill = { [IME] = 999 },
	  .app = IME },
	{ "rule8-ime-at-tls-limit", "asa5540", 750, .ime = true,
	  .fill = { [PHONE] = 750, [IME] = 250 }, .app = IME, .err = -ENOSPC,
	  .rule = UCP_RULE_TLS_LIMIT, .limit = 1000,
	  .msg = "ime: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)" },
	/* Rule 9: no UC proxy feature without payload encryption. */
	{ "rule9-npe-phone", "asa5520-npe", 2, .app = PHONE, .err = -EPERM,
	  .rule = UCP_RULE_NO_ENCRYPTION,
	  .msg =
		"phone-proxy: asa5520-npe has no payload encryption, so it has no UC proxy feature",
	},
	{ "rule9-npe-mobility", "linux-npe", 2, .app = MOB, .err = -EPERM,
	  .rule = UCP_RULE_NO_ENCRYPTION,
	  .msg = "mobility: linux-npe has no payload encryption, so it has no UC proxy feature" },
	{ "rule9-npe-srtp", "asa5585-x-ssp10-npe", 2, .app = SRTP, .err = -EPERM,
	  .rule = UCP_RULE_NO_ENCRYPTION,
	  .msg =
		"srtp: asa5585-x-ssp10-npe has no payload encryption, so it has no UC proxy feature",
	},
};

static void rule_case_desc(const struct rule_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(rule, rule_cases, rule_case_desc);

static void rule_test(struct kunit *test)
{
	const struct rule_case *c = test->param_value;
	struct ucp_license lic;
	struct ucp_refusal ref;
	int app;

	ucp_license_init(&lic);
	set_license(test, &lic, c->platform, c->uc, c->ime, c->exp);
	if (c->tls)
		KUNIT_ASSERT_EQ_MSG(test, ucp_license_set_tls_max(&lic, c->tls, &ref),
				    0, "%s", ref.msg);
	for (app = UCP_APP_PHONE_PROXY; app <= UCP_APP_MAX; app++)
		take(test, &lic, app, c->fill[app]);

	if (c->err) {
		expect_refused(test, &lic, c->app, c->err, c->rule, c->limit,
			       c->msg);
		return;
	}
	KUNIT_EXPECT_EQ_MSG(test, ucp_license_acquire(&lic, c->app, &ref), 0,
			    "%s", ref.msg);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NONE);
	KUNIT_EXPECT_STREQ(test, ref.msg, "");
	KUNIT_EXPECT_EQ(test, lic.usage[c->app].in_use, c->fill[c->app] + 1);
}

/* ---- license-set: the automatic TLS limit (rules 3, 4, 8) ----------- */

struct raise_case {
	const char *desc;
	const char *platform;
	u32 uc;
	bool ime;
	enum ucp_export_class exp;
	u32 tls_before;			/* 0: the platform's default */
	u32 tls;			/* configured afterwards */
	u32 effective;
	const char *warning;
};

static const struct raise_case raise_cases[] = {
	{ "asa5540-2000-raises", "asa5540", 2000, false, 0, 0, 2000, 2000, "" },
	{ "asa5540-750-below-default", "asa5540", 750, false, 0, 0, 1000, 1000, "" },
	{ "asa5510-100-at-default", "asa5510", 100, false, 0, 0, 100, 100, "" },
	{ "asa5505-24-raises", "asa5505", 24, false, 0, 0, 24, 24, "" },
	{ "asa5580-10000-raises", "asa5580", 10000, false, 0, 0, 10000, 10000, "" },
	{ "asa5580-5000-ime-extra", "asa5580", 5000, true, 0, 0, 9000, 9000, "" },
	{ "asa5580-10000-ime-capped", "asa5580", 10000, true, 0, 0, 13000, 13000, "" },
	{ "asa5540-2000-ime-extra", "asa5540", 2000, true, 0, 0, 3000, 3000, "" },
	{ "asa5550-3000-ime-capped", "asa5550", 3000, true, 0, 0, 4500, 4500, "" },
	{ "asa5520-1000-ime-extra", "asa5520", 1000, true, 0, 0, 1200, 1200, "" },
	{ "asa5505-24-ime-extra", "asa5505", 24, true, 0, 0, 34, 34, "" },
	{ "asa5512-x-500-ime-extra", "asa5512-x", 500, true, 0, 0, 600, 600, "" },
	{ "asa5540-500-ime-no-raise", "asa5540", 500, true, 0, 0, 1000, 1000, "" },
	{ "linux-10000-ime-extra", "linux", 10000, true, 0, 0, 11000, 11000, "" },
	{ "keeps-a-higher-limit", "asa5540", 2000, false, 0, 3000, 3000, 3000, "" },
	{ "raises-a-lower-limit", "asa5540", 2000, false, 0, 500, 2000, 2000, "" },
	{ "lowered-limit-warns", "asa5540", 750, false, 0, 500, 500, 500,
		"tls-proxy maximum-sessions 500 is below the UC license of 750, whose sessions above it cannot be used",
	},
	{ "k8-caps-the-raise", "asa5580", 5000, false, UCP_EXPORT_K8, 0, 5000, 1000,
	  "the K8 export class caps TLS proxy sessions at 1000, below the UC license of 5000" },
	{ "k8-caps-the-default", "asa5550", 2, false, UCP_EXPORT_K8, 0, 2000, 1000, "" },
	{ "k8-small-license", "asa5520", 250, false, UCP_EXPORT_K8, 0, 300, 300, "" },
};

static void raise_case_desc(const struct raise_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(raise, raise_cases, raise_case_desc);

static void license_raise_test(struct kunit *test)
{
	const struct raise_case *c = test->param_value;
	struct ucp_license_cfg cfg = {
		.platform = c->platform, .uc_sessions = c->uc, .ime = c->ime,
		.export_class = c->exp,
	};
	char warning[UCP_LICENSE_MSG_LEN] = "stale";
	struct ucp_license lic;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	if (c->tls_before) {
		set_license(test, &lic, c->platform, 0, false, 0);
		KUNIT_ASSERT_EQ(test, ucp_license_set_tls_max(&lic, c->tls_before,
							      &ref), 0);
	}
	KUNIT_ASSERT_EQ_MSG(test, ucp_license_set(&lic, &cfg, warning,
						  sizeof(warning), &ref), 0,
			    "%s", ref.msg);
	KUNIT_EXPECT_EQ(test, lic.tls_max, c->tls);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), c->effective);
	KUNIT_EXPECT_STREQ(test, warning, c->warning);
	KUNIT_EXPECT_EQ(test, lic.ime, c->ime);
	KUNIT_EXPECT_EQ(test, lic.export_class, c->exp ? c->exp : UCP_EXPORT_K9);
}

/* ---- clear configure all (rule 7) ------------------------------------ */

struct clear_case {
	const char *desc;
	const char *platform;
	u32 uc;
	u32 tls_before;			/* 0: as license-set left it */
	u32 tls;
	const char *warning;
};

static const struct clear_case clear_cases[] = {
	{ "asa5540-2000-warns", "asa5540", 2000, 0, 1000,
		"tls-proxy maximum-sessions reset to the asa5540 default 1000, below the UC license of 2000: raise it again",
	},
	{ "asa5540-750-quiet", "asa5540", 750, 300, 1000, "" },
	{ "asa5540-1000-at-default", "asa5540", 1000, 0, 1000, "" },
	{ "asa5585-x-ssp20-10000-warns", "asa5585-x-ssp20", 10000, 0, 4000,
		"tls-proxy maximum-sessions reset to the asa5585-x-ssp20 default 4000, below the UC license of 10000: raise it again",
	},
	{ "asa5505-24-warns", "asa5505", 24, 80, 10,
		"tls-proxy maximum-sessions reset to the asa5505 default 10, below the UC license of 24: raise it again",
	},
	{ "npe-quiet", "asa5540-npe", 2, 0, 1000, "" },
};

static void clear_case_desc(const struct clear_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->desc);
}

KUNIT_ARRAY_PARAM(clear, clear_cases, clear_case_desc);

static void clear_config_test(struct kunit *test)
{
	const struct clear_case *c = test->param_value;
	char warning[UCP_LICENSE_MSG_LEN] = "stale";
	const struct ucp_platform *p;
	struct ucp_license lic;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	set_license(test, &lic, c->platform, c->uc, false, 0);
	if (c->tls_before)
		KUNIT_ASSERT_EQ(test, ucp_license_set_tls_max(&lic, c->tls_before,
							      &ref), 0);
	p = lic.platform;
	if (!lic.npe)
		take(test, &lic, UCP_APP_MOBILITY, 3);

	KUNIT_EXPECT_EQ(test, ucp_license_clear_config(&lic, warning,
						       sizeof(warning)), 0);
	KUNIT_EXPECT_EQ(test, lic.tls_max, c->tls);
	KUNIT_EXPECT_STREQ(test, warning, c->warning);
	/* The license and the sessions in use stay. */
	KUNIT_EXPECT_PTR_EQ(test, lic.platform, p);
	KUNIT_EXPECT_EQ(test, lic.uc_sessions, c->uc);
	KUNIT_EXPECT_EQ(test, lic.usage[UCP_APP_MOBILITY].in_use, lic.npe ? 0 : 3);
}

/* ---- everything else -------------------------------------------------- */

static void defaults_test(struct kunit *test)
{
	struct ucp_license_limits lim;
	struct ucp_license lic;
	int app;

	memset(&lic, 0xa5, sizeof(lic));
	ucp_license_init(&lic);
	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_STREQ(test, lim.platform, "linux");
	KUNIT_EXPECT_STREQ(test, lim.model, "Linux router");
	KUNIT_EXPECT_FALSE(test, lim.npe);
	KUNIT_EXPECT_FALSE(test, lim.ime);
	KUNIT_EXPECT_EQ(test, lim.export_class, UCP_EXPORT_K9);
	KUNIT_EXPECT_EQ(test, lim.uc_sessions, 2);
	KUNIT_EXPECT_EQ(test, lim.tls_default, 1000);
	KUNIT_EXPECT_EQ(test, lim.tls_platform_max, 20000);
	KUNIT_EXPECT_EQ(test, lim.tls_configured, 1000);
	KUNIT_EXPECT_EQ(test, lim.tls_effective, 1000);
	KUNIT_EXPECT_EQ(test, lim.uc_in_use, 0);
	KUNIT_EXPECT_EQ(test, lim.tls_in_use, 0);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].limit, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_TLS_PROXY].limit, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PRESENCE_FED].limit, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_MOBILITY].limit, 1000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_IME].limit, 0);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_SRTP].limit, NO_LIMIT);
	for (app = UCP_APP_PHONE_PROXY; app <= UCP_APP_MAX; app++) {
		KUNIT_EXPECT_EQ(test, lim.app[app].in_use, 0);
		KUNIT_EXPECT_EQ(test, lim.app[app].peak, 0);
		KUNIT_EXPECT_EQ(test, lim.app[app].refused, 0);
	}
}

static void app_names_test(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_PHONE_PROXY), "phone-proxy");
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_TLS_PROXY), "tls-proxy");
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_PRESENCE_FED),
			   "presence-fed");
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_MOBILITY), "mobility");
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_IME), "ime");
	KUNIT_EXPECT_STREQ(test, ucp_spec_name(&ucp_spec_app, UCP_APP_SRTP), "srtp");
	KUNIT_EXPECT_NULL(test, ucp_spec_name(&ucp_spec_app, 0));
	KUNIT_EXPECT_NULL(test, ucp_spec_name(&ucp_spec_app, __UCP_APP_MAX));
}

/* The seed's example and every other refusal of tls-proxy maximum-sessions. */
static void set_tls_max_test(struct kunit *test)
{
	struct ucp_license lic;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	set_license(test, &lic, "asa5540", 2000, false, 0);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 5000, &ref), -ERANGE);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ref.limit, 4500);
	KUNIT_EXPECT_STREQ(test, ref.msg,
			   "5000 exceeds the platform maximum 4500 of asa5540");
	KUNIT_EXPECT_EQ(test, lic.tls_max, 2000);

	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 0, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NONE);
	KUNIT_EXPECT_STREQ(test, ref.msg, "the TLS proxy limit must be at least 1");

	/* K8: at most 1000, and the platform's maximum is checked first. */
	set_license(test, &lic, "asa5540", 2000, false, UCP_EXPORT_K8);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 1001, &ref), -ERANGE);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_EXPORT_CLASS);
	KUNIT_EXPECT_EQ(test, ref.limit, 1000);
	KUNIT_EXPECT_STREQ(test, ref.msg,
			   "1001 exceeds the K8 export class maximum 1000");
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 4501, &ref), -ERANGE);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 1000, &ref), 0);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), 1000);

	set_license(test, &lic, "asa5505", 0, false, UCP_EXPORT_K8);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 100, &ref), -ERANGE);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ref.limit, 80);
	KUNIT_EXPECT_STREQ(test, ref.msg,
			   "100 exceeds the platform maximum 80 of asa5505");

	/* A NULL refusal is allowed. */
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 81, NULL), -ERANGE);
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 80, NULL), 0);
}

/* Refused license-sets change nothing; a new platform resets the limit. */
static void license_set_test(struct kunit *test)
{
	struct ucp_license_cfg cfg = { .platform = "asa9999" };
	char warning[UCP_LICENSE_MSG_LEN];
	struct ucp_license lic, before;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	set_license(test, &lic, "asa5540", 2000, true, UCP_EXPORT_K9);
	take(test, &lic, UCP_APP_PHONE_PROXY, 3);
	before = lic;

	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, warning, sizeof(warning),
					      &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_PLATFORM);
	KUNIT_EXPECT_EQ(test, ref.limit, 0);
	KUNIT_EXPECT_STREQ(test, ref.msg, "unknown platform \"asa9999\"");
	cfg.platform = "ASA5540";
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EINVAL);
	cfg.platform = "-npe";
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EINVAL);
	cfg.platform = "asa5540-npe-npe";
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EINVAL);
	cfg.platform = "asa5540";
	cfg.export_class = 3;
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NONE);
	KUNIT_EXPECT_STREQ(test, ref.msg, "export class 3 is neither K8 (1) nor K9 (2)");
	cfg.export_class = 0;
	cfg.uc_sessions = 25;
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, NULL), -EINVAL);
	KUNIT_EXPECT_TRUE(test, same_license(&lic, &before));

	/* No platform given: keep it, and its configured limit. */
	cfg.platform = NULL;
	cfg.uc_sessions = 24;
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), 0);
	KUNIT_EXPECT_STREQ(test, lic.platform->name, "asa5540");
	KUNIT_EXPECT_EQ(test, lic.uc_sessions, 24);
	KUNIT_EXPECT_FALSE(test, lic.ime);
	KUNIT_EXPECT_EQ(test, lic.tls_max, 3000);

	/* Another platform: its default, then rule 3; sessions stay. */
	cfg.platform = "asa5520";
	cfg.uc_sessions = 0;
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), 0);
	KUNIT_EXPECT_EQ(test, lic.uc_sessions, 2);
	KUNIT_EXPECT_EQ(test, lic.tls_max, 300);
	KUNIT_EXPECT_EQ(test, lic.usage[UCP_APP_PHONE_PROXY].in_use, 3);
	/* The same model without payload encryption is another platform. */
	cfg.platform = "asa5520-npe";
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), 0);
	KUNIT_EXPECT_TRUE(test, lic.npe);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), 0);
	cfg.platform = "asa5520";
	KUNIT_EXPECT_EQ(test, ucp_license_set(&lic, &cfg, NULL, 0, &ref), 0);
	KUNIT_EXPECT_FALSE(test, lic.npe);
	KUNIT_EXPECT_EQ(test, ucp_license_tls_limit(&lic), 300);
}

/* Lowered limits revoke nothing: new sessions wait until below. */
static void lowered_limits_test(struct kunit *test)
{
	struct ucp_license lic;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	set_license(test, &lic, "asa5540", 2000, false, 0);
	take(test, &lic, UCP_APP_TLS_PROXY, 1500);

	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 1000, &ref), 0);
	KUNIT_EXPECT_EQ(test, lic.usage[UCP_APP_TLS_PROXY].in_use, 1500);
	expect_refused(test, &lic, UCP_APP_TLS_PROXY, -ENOSPC,
		       UCP_RULE_TLS_LIMIT, 1000,
		       "tls-proxy: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)");
	give_back(test, &lic, UCP_APP_TLS_PROXY, 500);
	expect_refused(test, &lic, UCP_APP_TLS_PROXY, -ENOSPC,
		       UCP_RULE_TLS_LIMIT, 1000,
		       "tls-proxy: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)");
	give_back(test, &lic, UCP_APP_TLS_PROXY, 1);
	take(test, &lic, UCP_APP_TLS_PROXY, 1);

	/* A smaller license: the 1000 sessions stay, new UC ones wait. */
	set_license(test, &lic, "asa5540", 24, false, 0);
	KUNIT_EXPECT_EQ(test, lic.usage[UCP_APP_TLS_PROXY].in_use, 1000);
	expect_refused(test, &lic, UCP_APP_PRESENCE_FED, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 24,
		       "presence-fed: all 24 sessions of the UC license are in use");
	give_back(test, &lic, UCP_APP_TLS_PROXY, 976);
	expect_refused(test, &lic, UCP_APP_PHONE_PROXY, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 24,
		       "phone-proxy: all 24 sessions of the UC license are in use");
	give_back(test, &lic, UCP_APP_TLS_PROXY, 1);
	take(test, &lic, UCP_APP_PHONE_PROXY, 1);

	/* K8 after K9: the cap binds at once, the sessions stay. */
	KUNIT_EXPECT_EQ(test, ucp_license_set_tls_max(&lic, 2000, &ref), 0);
	take(test, &lic, UCP_APP_MOBILITY, 1200);
	set_license(test, &lic, "asa5540", 24, false, UCP_EXPORT_K8);
	KUNIT_EXPECT_EQ(test, lic.tls_max, 2000);
	KUNIT_EXPECT_EQ(test, lic.usage[UCP_APP_MOBILITY].in_use, 1200);
	expect_refused(test, &lic, UCP_APP_MOBILITY, -ENOSPC,
		       UCP_RULE_EXPORT_CLASS, 1000,
		       "mobility: the K8 export class allows at most 1000 TLS proxy sessions");
}

/* Release gives capacity back; releasing what is not held is refused. */
static void release_test(struct kunit *test)
{
	struct ucp_license lic, before;
	struct ucp_refusal ref;

	ucp_license_init(&lic);
	take(test, &lic, UCP_APP_PHONE_PROXY, 2);
	expect_refused(test, &lic, UCP_APP_PRESENCE_FED, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 2,
		       "presence-fed: all 2 sessions of the UC license are in use");
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, UCP_APP_PHONE_PROXY), 0);
	take(test, &lic, UCP_APP_PRESENCE_FED, 1);
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, UCP_APP_PRESENCE_FED), 0);
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, UCP_APP_PHONE_PROXY), 0);
	take(test, &lic, UCP_APP_TLS_PROXY, 2);

	before = lic;
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, UCP_APP_PHONE_PROXY),
			-ENOENT);
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, UCP_APP_SRTP), -ENOENT);
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, ucp_license_release(&lic, __UCP_APP_MAX), -EINVAL);
	KUNIT_EXPECT_EQ(test, ucp_license_acquire(&lic, 0, &ref), -EINVAL);
	KUNIT_EXPECT_EQ(test, ref.rule, UCP_RULE_NONE);
	KUNIT_EXPECT_STREQ(test, ref.msg, "0 is not an application class");
	KUNIT_EXPECT_EQ(test, ucp_license_acquire(&lic, __UCP_APP_MAX, NULL),
			-EINVAL);
	KUNIT_EXPECT_TRUE(test, same_license(&lic, &before));
}

/* In use, peak and refused, exactly; the limits query shows them. */
static void counters_test(struct kunit *test)
{
	struct ucp_license_limits lim;
	struct ucp_license lic;

	ucp_license_init(&lic);
	set_license(test, &lic, "asa5540", 2000, true, 0);
	take(test, &lic, UCP_APP_PHONE_PROXY, 3);
	give_back(test, &lic, UCP_APP_PHONE_PROXY, 2);
	take(test, &lic, UCP_APP_PHONE_PROXY, 1);
	take(test, &lic, UCP_APP_MOBILITY, 2);
	take(test, &lic, UCP_APP_IME, 1);
	take(test, &lic, UCP_APP_SRTP, 4);
	give_back(test, &lic, UCP_APP_SRTP, 4);

	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_STREQ(test, lim.platform, "asa5540");
	KUNIT_EXPECT_EQ(test, lim.uc_sessions, 2000);
	KUNIT_EXPECT_TRUE(test, lim.ime);
	KUNIT_EXPECT_EQ(test, lim.tls_default, 1000);
	KUNIT_EXPECT_EQ(test, lim.tls_platform_max, 4500);
	KUNIT_EXPECT_EQ(test, lim.tls_configured, 3000);
	KUNIT_EXPECT_EQ(test, lim.tls_effective, 3000);
	KUNIT_EXPECT_EQ(test, lim.uc_in_use, 2);
	KUNIT_EXPECT_EQ(test, lim.tls_in_use, 5);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].in_use, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].peak, 3);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_SRTP].in_use, 0);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_SRTP].peak, 4);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].limit, 2000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_TLS_PROXY].limit, 2000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PRESENCE_FED].limit, 2000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_MOBILITY].limit, 3000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_IME].limit, 3000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_SRTP].limit, NO_LIMIT);

	/* Refusals are counted per class; peaks survive a license change. */
	set_license(test, &lic, "asa5540", 2, false, UCP_EXPORT_K8);
	expect_refused(test, &lic, UCP_APP_TLS_PROXY, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 2,
		       "tls-proxy: all 2 sessions of the UC license are in use");
	expect_refused(test, &lic, UCP_APP_TLS_PROXY, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 2,
		       "tls-proxy: all 2 sessions of the UC license are in use");
	expect_refused(test, &lic, UCP_APP_IME, -EPERM, UCP_RULE_NO_LICENSE, 0,
		       "ime: the IME proxy needs the IME license");
	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_TLS_PROXY].refused, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_IME].refused, 1);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_IME].in_use, 1);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].refused, 0);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].peak, 3);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].limit, 2);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_IME].limit, 0);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_SRTP].limit, 250);
	KUNIT_EXPECT_EQ(test, lim.tls_configured, 3000);
	KUNIT_EXPECT_EQ(test, lim.tls_effective, 1000);

	/* Rule 6 in the query: 10,000 sessions, of which 5,000 phone proxy. */
	set_license(test, &lic, "asa5580", 10000, false, 0);
	ucp_license_limits(&lic, &lim);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_PHONE_PROXY].limit, 5000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_TLS_PROXY].limit, 10000);
	KUNIT_EXPECT_EQ(test, lim.app[UCP_APP_MOBILITY].limit, 10000);
}

/* Rule 8 end to end: 250 IME first, then UC fills its 750, no more. */
static void ime_sharing_test(struct kunit *test)
{
	struct ucp_license lic;

	ucp_license_init(&lic);
	set_license(test, &lic, "asa5540", 750, true, 0);
	KUNIT_ASSERT_EQ(test, ucp_license_tls_limit(&lic), 1000);
	take(test, &lic, UCP_APP_IME, 250);
	take(test, &lic, UCP_APP_PHONE_PROXY, 400);
	take(test, &lic, UCP_APP_PRESENCE_FED, 350);
	expect_refused(test, &lic, UCP_APP_TLS_PROXY, -ENOSPC,
		       UCP_RULE_UC_LICENSE, 750,
		       "tls-proxy: all 750 sessions of the UC license are in use");
	expect_refused(test, &lic, UCP_APP_IME, -ENOSPC, UCP_RULE_TLS_LIMIT,
		       1000,
		       "ime: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)");
	/* UC gives one back: first come, first served, IME takes it. */
	give_back(test, &lic, UCP_APP_PHONE_PROXY, 1);
	take(test, &lic, UCP_APP_IME, 1);
	expect_refused(test, &lic, UCP_APP_PHONE_PROXY, -ENOSPC, UCP_RULE_IME,
		       1000,
		       "phone-proxy: 251 IME sessions share the TLS proxy limit 1000 and leave no session for UC");
	/* Mobility shares the same TLS sessions. */
	give_back(test, &lic, UCP_APP_IME, 1);
	take(test, &lic, UCP_APP_MOBILITY, 1);
	expect_refused(test, &lic, UCP_APP_IME, -ENOSPC, UCP_RULE_TLS_LIMIT,
		       1000,
		       "ime: all 1000 TLS proxy sessions are in use (tls-proxy maximum-sessions)");
}

static struct kunit_case ucp_license_cases[] = {
	KUNIT_CASE(defaults_test),
	KUNIT_CASE(app_names_test),
	KUNIT_CASE(platform_count_test),
	KUNIT_CASE_PARAM(platform_row_test, platform_gen_params),
	KUNIT_CASE_PARAM(platform_tiers_test, platform_gen_params),
	KUNIT_CASE_PARAM(platform_tls_test, platform_gen_params),
	KUNIT_CASE_PARAM(platform_npe_test, platform_gen_params),
	KUNIT_CASE_PARAM(rule_test, rule_gen_params),
	KUNIT_CASE_PARAM(license_raise_test, raise_gen_params),
	KUNIT_CASE_PARAM(clear_config_test, clear_gen_params),
	KUNIT_CASE(set_tls_max_test),
	KUNIT_CASE(license_set_test),
	KUNIT_CASE(lowered_limits_test),
	KUNIT_CASE(release_test),
	KUNIT_CASE(counters_test),
	KUNIT_CASE(ime_sharing_test),
	{}
};

static struct kunit_suite ucp_license_suite = {
	.name = "ucp_license",
	.test_cases = ucp_license_cases,
};

kunit_test_suite(ucp_license_suite);

MODULE_DESCRIPTION("KUnit tests of the ucproxy license engine");
MODULE_LICENSE("GPL");
