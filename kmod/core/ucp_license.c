// SPDX-License-Identifier: GPL-2.0
/*
 * The license engine (see ucp_license.h and Documentation/licensing.md).
 *
 * No locking here: the caller serialises every call on one struct
 * ucp_license.
 */
#include "ucp_core.h"
#include "ucp_license.h"

/*
 * Every model of the seed's tables 47-1 (UC tiers) and 47-2 (TLS sessions),
 * then the profile of a Linux router not modelled on an appliance. Values
 * the seed does not give (the -X and 5585-X TLS sessions, every IME extra,
 * all of "linux") are chosen in Documentation/licensing.md, which says why.
 */
static const struct ucp_platform ucp_platforms[] = {
	{
		.name = "asa5505", .model = "ASA 5505",
		.tls_default = 10, .tls_max = 80, .ime_extra = 10,
		.tiers = { 2, 24 },
	}, {
		.name = "asa5510", .model = "ASA 5510",
		.tls_default = 100, .tls_max = 200, .ime_extra = 100,
		.tiers = { 2, 24, 50, 100 },
	}, {
		.name = "asa5520", .model = "ASA 5520",
		.tls_default = 300, .tls_max = 1200, .ime_extra = 300,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000 },
	}, {
		.name = "asa5540", .model = "ASA 5540",
		.tls_default = 1000, .tls_max = 4500, .ime_extra = 1000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000 },
	}, {
		.name = "asa5550", .model = "ASA 5550",
		.tls_default = 2000, .tls_max = 4500, .ime_extra = 2000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000 },
	}, {
		.name = "asa5580", .model = "ASA 5580",
		.tls_default = 4000, .tls_max = 13000, .ime_extra = 4000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000,
			   5000, 10000 },
	}, {
		.name = "asa5512-x", .model = "ASA 5512-X",
		.tls_default = 100, .tls_max = 600, .ime_extra = 100,
		.tiers = { 2, 24, 50, 100, 250, 500 },
	}, {
		.name = "asa5515-x", .model = "ASA 5515-X",
		.tls_default = 100, .tls_max = 600, .ime_extra = 100,
		.tiers = { 2, 24, 50, 100, 250, 500 },
	}, {
		.name = "asa5525-x", .model = "ASA 5525-X",
		.tls_default = 300, .tls_max = 1200, .ime_extra = 300,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000 },
	}, {
		.name = "asa5545-x", .model = "ASA 5545-X",
		.tls_default = 1000, .tls_max = 4500, .ime_extra = 1000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000 },
	}, {
		.name = "asa5555-x", .model = "ASA 5555-X",
		.tls_default = 2000, .tls_max = 4500, .ime_extra = 2000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000 },
	}, {
		.name = "asa5585-x-ssp10", .model = "ASA 5585-X with SSP-10",
		.tls_default = 2000, .tls_max = 4500, .ime_extra = 2000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000 },
	}, {
		.name = "asa5585-x-ssp20", .model = "ASA 5585-X with SSP-20",
		.tls_default = 4000, .tls_max = 13000, .ime_extra = 4000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000,
			   5000, 10000 },
	}, {
		.name = "asa5585-x-ssp40", .model = "ASA 5585-X with SSP-40",
		.tls_default = 4000, .tls_max = 13000, .ime_extra = 4000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000,
			   5000, 10000 },
	}, {
		.name = "asa5585-x-ssp60", .model = "ASA 5585-X with SSP-60",
		.tls_default = 4000, .tls_max = 13000, .ime_extra = 4000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000,
			   5000, 10000 },
	}, {
		.name = "linux", .model = "Linux router",
		.tls_default = 1000, .tls_max = 20000, .ime_extra = 1000,
		.tiers = { 2, 24, 50, 100, 250, 500, 750, 1000, 2000, 3000,
			   5000, 10000 },
	},
};

/**
 * ucp_platform_at() - one row of the platform table
 * @idx: its index, from 0
 *
 * Return: the platform, or NULL when @idx is past the end of the table.
 */
const struct ucp_platform *ucp_platform_at(unsigned int idx)
{
	return idx < ARRAY_SIZE(ucp_platforms) ? &ucp_platforms[idx] : NULL;
}

/**
 * ucp_platform_find() - the platform of a name
 * @name: "asa5540", or "asa5540-npe" for the model without payload
 *	encryption; lower case, NUL-terminated
 * @npe: NULL, or set to whether @name has the -npe suffix (only when
 *	the platform is found)
 *
 * Return: the row of the platform table, or NULL for an unknown name.
 */
const struct ucp_platform *ucp_platform_find(const char *name, bool *npe)
{
	size_t len = strlen(name);
	size_t sfx = sizeof(UCP_LICENSE_NPE_SUFFIX) - 1;
	bool is_npe = false;
	unsigned int i;

	if (len > sfx && !strcmp(name + len - sfx, UCP_LICENSE_NPE_SUFFIX)) {
		is_npe = true;
		len -= sfx;
	}
	for (i = 0; i < ARRAY_SIZE(ucp_platforms); i++) {
		const char *pn = ucp_platforms[i].name;

		if (strlen(pn) == len && !strncmp(pn, name, len)) {
			if (npe)
				*npe = is_npe;
			return &ucp_platforms[i];
		}
	}
	return NULL;
}

/**
 * ucp_platform_tier_count() - how many UC license tiers a platform has
 * @p: the platform
 *
 * Return: the number of entries of @p->tiers before the 0 that ends them,
 * at most %UCP_LICENSE_MAX_TIERS.
 */
unsigned int ucp_platform_tier_count(const struct ucp_platform *p)
{
	unsigned int n = 0;

	while (n < UCP_LICENSE_MAX_TIERS && p->tiers[n])
		n++;
	return n;
}

/**
 * ucp_platform_has_tier() - whether a platform sells a UC license tier
 * @p: the platform
 * @sessions: the tier, in sessions
 *
 * Rule 10: a platform takes only its own tiers.
 *
 * Return: true when @sessions is one of @p's tiers.
 */
bool ucp_platform_has_tier(const struct ucp_platform *p, u32 sessions)
{
	unsigned int i, n = ucp_platform_tier_count(p);

	for (i = 0; i < n; i++)
		if (p->tiers[i] == sessions)
			return true;
	return false;
}

static u32 ucp_platform_top_tier(const struct ucp_platform *p)
{
	return p->tiers[ucp_platform_tier_count(p) - 1];
}

static bool ucp_app_valid(enum ucp_app app)
{
	return app >= UCP_APP_PHONE_PROXY && app <= UCP_APP_MAX;
}

/* Rule 1: the classes counted against the UC license. */
static bool ucp_app_uc_counted(enum ucp_app app)
{
	return app == UCP_APP_PHONE_PROXY || app == UCP_APP_TLS_PROXY ||
	       app == UCP_APP_PRESENCE_FED;
}

/* Rule 2: every class but SRTP media is a TLS proxy connection. */
static bool ucp_app_uses_tls(enum ucp_app app)
{
	return app != UCP_APP_SRTP;
}

static void ucp_platform_display(char *buf, const struct ucp_platform *p,
				 bool npe)
{
	snprintf(buf, UCP_PLATFORM_NAME_LEN, "%s%s", p->name,
		 npe ? UCP_LICENSE_NPE_SUFFIX : "");
}

static int ucp_refuse(struct ucp_refusal *ref, int err, enum ucp_rule rule,
		      u32 limit)
{
	ref->rule = rule;
	ref->limit = limit;
	return err;
}

static void ucp_refusal_clear(struct ucp_refusal *ref)
{
	ref->rule = UCP_RULE_NONE;
	ref->limit = 0;
	ref->msg[0] = '\0';
}

static void ucp_warning_clear(char *warning, size_t len)
{
	if (warning && len)
		warning[0] = '\0';
}

/**
 * ucp_license_init() - the license a namespace starts with
 * @lic: the license to set up; every field is written
 *
 * The defaults: the "linux" platform, the base UC license
 * (%UCP_LICENSE_BASE_SESSIONS), no IME license, export class K9, linux's
 * default TLS proxy limit, and no session in use or refused.
 */
void ucp_license_init(struct ucp_license *lic)
{
	memset(lic, 0, sizeof(*lic));
	lic->platform = ucp_platform_find(UCP_LICENSE_DEFAULT_PLATFORM, NULL);
	lic->export_class = UCP_LICENSE_DEFAULT_EXPORT;
	lic->uc_sessions = UCP_LICENSE_BASE_SESSIONS;
	lic->tls_max = lic->platform->tls_default;
}

/**
 * ucp_license_tls_limit() - the TLS proxy limit in force
 * @lic: the license
 *
 * Return: the configured tls-proxy maximum-sessions, capped at
 * %UCP_LICENSE_K8_TLS_MAX by the K8 export class (rule 4); 0 on an -npe
 * platform, which has no TLS proxy (rule 9).
 */
u32 ucp_license_tls_limit(const struct ucp_license *lic)
{
	if (lic->npe)
		return 0;
	if (lic->export_class == UCP_EXPORT_K8 &&
	    lic->tls_max > UCP_LICENSE_K8_TLS_MAX)
		return UCP_LICENSE_K8_TLS_MAX;
	return lic->tls_max;
}

/**
 * ucp_license_class_limit() - the limit in force for one application class
 * @lic: the license
 * @app: the class
 *
 * Phone proxy, TLS proxy and presence federation: the UC license, but not
 * above the TLS proxy limit (rules 1 to 3), and phone proxy at most
 * %UCP_LICENSE_PHONE_CAP with the %UCP_LICENSE_PHONE_CAP_TIER license
 * (rule 6). Mobility: the TLS proxy limit. IME: the TLS proxy limit with
 * the IME license, else 0. SRTP: %UCP_LICENSE_K8_SRTP_MAX under K8, else
 * none. Each is one class alone: the classes share the UC and TLS counts,
 * which ucp_license_acquire() checks.
 *
 * Return: the limit, %UCP_LICENSE_UNLIMITED for none; 0 on an -npe
 * platform and for a value of @app that is no class.
 */
u32 ucp_license_class_limit(const struct ucp_license *lic, enum ucp_app app)
{
	u32 tls = ucp_license_tls_limit(lic);
	u32 uc = lic->uc_sessions < tls ? lic->uc_sessions : tls;

	if (lic->npe || !ucp_app_valid(app))
		return 0;
	switch (app) {
	case UCP_APP_PHONE_PROXY:
		if (lic->uc_sessions == UCP_LICENSE_PHONE_CAP_TIER &&
		    uc > UCP_LICENSE_PHONE_CAP)
			return UCP_LICENSE_PHONE_CAP;
		return uc;
	case UCP_APP_TLS_PROXY:
	case UCP_APP_PRESENCE_FED:
		return uc;
	case UCP_APP_MOBILITY:
		return tls;
	case UCP_APP_IME:
		return lic->ime ? tls : 0;
	case UCP_APP_SRTP:
		return lic->export_class == UCP_EXPORT_K8 ?
		       UCP_LICENSE_K8_SRTP_MAX : UCP_LICENSE_UNLIMITED;
	default:
		return 0;
	}
}

static u64 ucp_uc_in_use(const struct ucp_license *lic)
{
	return (u64)lic->usage[UCP_APP_PHONE_PROXY].in_use +
	       lic->usage[UCP_APP_TLS_PROXY].in_use +
	       lic->usage[UCP_APP_PRESENCE_FED].in_use;
}

static u64 ucp_tls_in_use(const struct ucp_license *lic)
{
	return ucp_uc_in_use(lic) + lic->usage[UCP_APP_MOBILITY].in_use +
	       lic->usage[UCP_APP_IME].in_use;
}

static u32 ucp_u32(u64 v)
{
	return v > UCP_LICENSE_UNLIMITED ? UCP_LICENSE_UNLIMITED : (u32)v;
}

/**
 * ucp_license_limits() - everything license-get reports
 * @lic: the license
 * @out: filled in whole (@out->app[0] stays zero)
 *
 * The platform as configured (with its -npe suffix), the licenses, the
 * TLS proxy limits (default, platform maximum, configured, in force), the
 * sessions in use against the UC license and the TLS proxy limit
 * (saturating at %UCP_LICENSE_UNLIMITED), and each class's limit in force,
 * sessions in use, peak and refusals.
 */
void ucp_license_limits(const struct ucp_license *lic,
			struct ucp_license_limits *out)
{
	int app;

	memset(out, 0, sizeof(*out));
	ucp_platform_display(out->platform, lic->platform, lic->npe);
	out->model = lic->platform->model;
	out->npe = lic->npe;
	out->ime = lic->ime;
	out->export_class = lic->export_class;
	out->uc_sessions = lic->uc_sessions;
	out->tls_default = lic->platform->tls_default;
	out->tls_platform_max = lic->platform->tls_max;
	out->tls_configured = lic->tls_max;
	out->tls_effective = ucp_license_tls_limit(lic);
	out->uc_in_use = ucp_u32(ucp_uc_in_use(lic));
	out->tls_in_use = ucp_u32(ucp_tls_in_use(lic));
	for (app = UCP_APP_PHONE_PROXY; app <= UCP_APP_MAX; app++) {
		out->app[app].limit = ucp_license_class_limit(lic, app);
		out->app[app].in_use = lic->usage[app].in_use;
		out->app[app].peak = lic->usage[app].peak;
		out->app[app].refused = lic->usage[app].refused;
	}
}

/**
 * ucp_license_set() - license-set: platform, UC and IME licenses, export class
 * @lic: the license to change
 * @cfg: what to set: @cfg->platform NULL keeps the platform, 0 UC sessions
 *	is the base license, export class 0 is K9
 * @warning: NULL, or where a warning is written ("" when there is none)
 * @len: the size of @warning, NUL included
 * @ref: NULL, or filled with the refusal
 *
 * A platform other than the current one (its -npe variant counts as
 * another) starts from its default TLS proxy limit. A UC license above that default raises the
 * limit to it (rule 3), plus the platform's IME extra with the IME license
 * (rule 8), never above the platform maximum and never below what is
 * configured. Refused: an unknown platform, an export class other than K8
 * and K9, a UC or IME license on an -npe platform (rule 9), a UC tier the
 * platform does not sell (rule 10). The warning says when the TLS proxy
 * limit in force (K8's cap, or a lower configured maximum) leaves sessions
 * of the UC license unusable. Sessions in use are kept, even above a lower
 * limit: new ones are refused until enough are released.
 *
 * Context: the caller serialises every call on @lic.
 * Return: 0; or -EINVAL or -EPERM with @ref filled, and then nothing
 * changed.
 */
int ucp_license_set(struct ucp_license *lic, const struct ucp_license_cfg *cfg,
		    char *warning, size_t len, struct ucp_refusal *ref)
{
	const struct ucp_platform *p = lic->platform;
	enum ucp_export_class exp = cfg->export_class;
	u32 uc = cfg->uc_sessions;
	char name[UCP_PLATFORM_NAME_LEN];
	struct ucp_refusal dummy;
	bool npe = lic->npe;
	u32 tls;

	if (!ref)
		ref = &dummy;
	ucp_refusal_clear(ref);
	ucp_warning_clear(warning, len);
	if (!uc)
		uc = UCP_LICENSE_BASE_SESSIONS;
	if (!exp)
		exp = UCP_LICENSE_DEFAULT_EXPORT;

	if (cfg->platform) {
		p = ucp_platform_find(cfg->platform, &npe);
		if (!p) {
			snprintf(ref->msg, sizeof(ref->msg),
				 "unknown platform \"%.*s\"",
				 UCP_PLATFORM_NAME_LEN, cfg->platform);
			return ucp_refuse(ref, -EINVAL, UCP_RULE_PLATFORM, 0);
		}
	}
	ucp_platform_display(name, p, npe);
	if (exp != UCP_EXPORT_K8 && exp != UCP_EXPORT_K9) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "export class %u is neither K8 (%u) nor K9 (%u)",
			 exp, UCP_EXPORT_K8, UCP_EXPORT_K9);
		return ucp_refuse(ref, -EINVAL, UCP_RULE_NONE, 0);
	}
	/* Rule 9: the base license describes the box; nothing more fits. */
	if (npe && (uc != UCP_LICENSE_BASE_SESSIONS || cfg->ime)) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%s has no payload encryption, so it takes no UC or IME license",
			 name);
		return ucp_refuse(ref, -EPERM, UCP_RULE_NO_ENCRYPTION, 0);
	}
	/* Rule 10: only the model's own tiers. */
	if (!ucp_platform_has_tier(p, uc)) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%u is not a UC license tier of %s (the largest is %u)",
			 uc, name, ucp_platform_top_tier(p));
		return ucp_refuse(ref, -EINVAL, UCP_RULE_PLATFORM,
				  ucp_platform_top_tier(p));
	}

	/* A new platform starts from its default TLS limit. */
	tls = (p == lic->platform && npe == lic->npe) ? lic->tls_max :
	      p->tls_default;
	/*
	 * Rule 3: a UC license above the default raises the TLS limit to it;
	 * rule 8: with IME, to it plus the platform's extra. Never above the
	 * platform maximum, never lowering what is configured.
	 */
	if (uc > p->tls_default) {
		u32 want = uc + (cfg->ime ? p->ime_extra : 0);

		if (want > p->tls_max)
			want = p->tls_max;
		if (want > tls)
			tls = want;
	}

	lic->platform = p;
	lic->npe = npe;
	lic->uc_sessions = uc;
	lic->ime = cfg->ime;
	lic->export_class = exp;
	lic->tls_max = tls;

	/* Rules 3 and 4: say so when the TLS limit leaves UC sessions idle. */
	if (!warning || !len || npe || ucp_license_tls_limit(lic) >= uc)
		return 0;
	if (ucp_license_tls_limit(lic) < tls)	/* the K8 cap binds */
		snprintf(warning, len,
			 "the K8 export class caps TLS proxy sessions at %u, below the UC license of %u",
			 UCP_LICENSE_K8_TLS_MAX, uc);
	else
		snprintf(warning, len,
			 "tls-proxy maximum-sessions %u is below the UC license of %u, whose sessions above it cannot be used",
			 tls, uc);
	return 0;
}

/**
 * ucp_license_set_tls_max() - tls-proxy maximum-sessions N
 * @lic: the license to change
 * @sessions: the new TLS proxy limit
 * @ref: NULL, or filled with the refusal
 *
 * Rules 3, 4 and 9: refused on an -npe platform, for 0, above the
 * platform maximum and, under K8, above %UCP_LICENSE_K8_TLS_MAX. A limit
 * below the UC license is taken; the UC sessions above it cannot be used.
 *
 * Context: the caller serialises every call on @lic.
 * Return: 0; or -EPERM, -EINVAL or -ERANGE with @ref filled, and then
 * nothing changed.
 */
int ucp_license_set_tls_max(struct ucp_license *lic, u32 sessions,
			    struct ucp_refusal *ref)
{
	const struct ucp_platform *p = lic->platform;
	char name[UCP_PLATFORM_NAME_LEN];
	struct ucp_refusal dummy;

	if (!ref)
		ref = &dummy;
	ucp_refusal_clear(ref);
	ucp_platform_display(name, p, lic->npe);

	if (lic->npe) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%s has no payload encryption, so it has no TLS proxy",
			 name);
		return ucp_refuse(ref, -EPERM, UCP_RULE_NO_ENCRYPTION, 0);
	}
	if (!sessions) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "the TLS proxy limit must be at least 1");
		return ucp_refuse(ref, -EINVAL, UCP_RULE_NONE, 0);
	}
	if (sessions > p->tls_max) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%u exceeds the platform maximum %u of %s",
			 sessions, p->tls_max, name);
		return ucp_refuse(ref, -ERANGE, UCP_RULE_PLATFORM, p->tls_max);
	}
	if (lic->export_class == UCP_EXPORT_K8 &&
	    sessions > UCP_LICENSE_K8_TLS_MAX) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%u exceeds the K8 export class maximum %u",
			 sessions, UCP_LICENSE_K8_TLS_MAX);
		return ucp_refuse(ref, -ERANGE, UCP_RULE_EXPORT_CLASS,
				  UCP_LICENSE_K8_TLS_MAX);
	}
	lic->tls_max = sessions;
	return 0;
}

/**
 * ucp_license_clear_config() - clear configure all
 * @lic: the license to change
 * @warning: NULL, or where a warning is written ("" when there is none)
 * @len: the size of @warning, NUL included
 *
 * Rule 7: the TLS proxy limit goes back to the platform's default; the
 * licenses stay. The warning says when that default is below the UC
 * license.
 *
 * Context: the caller serialises every call on @lic.
 * Return: 0.
 */
int ucp_license_clear_config(struct ucp_license *lic, char *warning,
			     size_t len)
{
	const struct ucp_platform *p = lic->platform;
	char name[UCP_PLATFORM_NAME_LEN];

	ucp_warning_clear(warning, len);
	lic->tls_max = p->tls_default;
	if (warning && len && !lic->npe && p->tls_default < lic->uc_sessions) {
		ucp_platform_display(name, p, lic->npe);
		snprintf(warning, len,
			 "tls-proxy maximum-sessions reset to the %s default %u, below the UC license of %u: raise it again",
			 name, p->tls_default, lic->uc_sessions);
	}
	return 0;
}

/* Which rule, if any, refuses one more session of @app. */
static int ucp_license_check(const struct ucp_license *lic, enum ucp_app app,
			     struct ucp_refusal *ref)
{
	const struct ucp_license_usage *u = &lic->usage[app];
	const char *an = ucp_spec_name(&ucp_spec_app, app);
	char name[UCP_PLATFORM_NAME_LEN];
	u64 tls_used, ime_used;
	u32 tls;

	/* Rule 9: nothing at all without payload encryption. */
	if (lic->npe) {
		ucp_platform_display(name, lic->platform, lic->npe);
		snprintf(ref->msg, sizeof(ref->msg),
			 "%s: %s has no payload encryption, so it has no UC proxy feature",
			 an, name);
		return ucp_refuse(ref, -EPERM, UCP_RULE_NO_ENCRYPTION, 0);
	}
	if (u->in_use == UCP_LICENSE_UNLIMITED) {
		snprintf(ref->msg, sizeof(ref->msg), "%s: session counter full",
			 an);
		return ucp_refuse(ref, -ENOSPC, UCP_RULE_NONE,
				  UCP_LICENSE_UNLIMITED);
	}

	/* Rules 4 and 5: translated media, its own count; K8 caps it. */
	if (app == UCP_APP_SRTP) {
		if (lic->export_class == UCP_EXPORT_K8 &&
		    u->in_use >= UCP_LICENSE_K8_SRTP_MAX) {
			snprintf(ref->msg, sizeof(ref->msg),
				 "srtp: the K8 export class allows at most %u SRTP sessions",
				 UCP_LICENSE_K8_SRTP_MAX);
			return ucp_refuse(ref, -ENOSPC, UCP_RULE_EXPORT_CLASS,
					  UCP_LICENSE_K8_SRTP_MAX);
		}
		return 0;
	}

	/* Rule 1: IME needs its own license. */
	if (app == UCP_APP_IME && !lic->ime) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "ime: the IME proxy needs the IME license");
		return ucp_refuse(ref, -EPERM, UCP_RULE_NO_LICENSE, 0);
	}

	/* Rules 1 and 6: the UC license and its phone proxy cap. */
	if (ucp_app_uc_counted(app)) {
		if (ucp_uc_in_use(lic) >= lic->uc_sessions) {
			snprintf(ref->msg, sizeof(ref->msg),
				 "%s: all %u sessions of the UC license are in use",
				 an, lic->uc_sessions);
			return ucp_refuse(ref, -ENOSPC, UCP_RULE_UC_LICENSE,
					  lic->uc_sessions);
		}
		if (app == UCP_APP_PHONE_PROXY &&
		    lic->uc_sessions == UCP_LICENSE_PHONE_CAP_TIER &&
		    u->in_use >= UCP_LICENSE_PHONE_CAP) {
			snprintf(ref->msg, sizeof(ref->msg),
				 "phone-proxy: the %u-session UC license allows at most %u phone proxy sessions",
				 UCP_LICENSE_PHONE_CAP_TIER,
				 UCP_LICENSE_PHONE_CAP);
			return ucp_refuse(ref, -ENOSPC,
					  UCP_RULE_PHONE_PROXY_CAP,
					  UCP_LICENSE_PHONE_CAP);
		}
	}

	/* Rules 2, 3, 4 and 8: every TLS connection takes one TLS session. */
	if (!ucp_app_uses_tls(app))
		return 0;
	tls = ucp_license_tls_limit(lic);
	tls_used = ucp_tls_in_use(lic);
	if (tls_used < tls)
		return 0;
	ime_used = lic->usage[UCP_APP_IME].in_use;
	/* Rule 8: UC would have fitted but for the IME sessions sharing. */
	if (ucp_app_uc_counted(app) && ime_used && tls_used - ime_used < tls) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%s: %u IME sessions share the TLS proxy limit %u and leave no session for UC",
			 an, (u32)ime_used, tls);
		return ucp_refuse(ref, -ENOSPC, UCP_RULE_IME, tls);
	}
	if (tls < lic->tls_max) {	/* the K8 cap is what binds */
		snprintf(ref->msg, sizeof(ref->msg),
			 "%s: the K8 export class allows at most %u TLS proxy sessions",
			 an, UCP_LICENSE_K8_TLS_MAX);
		return ucp_refuse(ref, -ENOSPC, UCP_RULE_EXPORT_CLASS,
				  UCP_LICENSE_K8_TLS_MAX);
	}
	snprintf(ref->msg, sizeof(ref->msg),
		 "%s: all %u TLS proxy sessions are in use (tls-proxy maximum-sessions)",
		 an, tls);
	return ucp_refuse(ref, -ENOSPC, UCP_RULE_TLS_LIMIT, tls);
}

/**
 * ucp_license_acquire() - take one session of an application class
 * @lic: the license
 * @app: the session's class
 * @ref: NULL, or filled with the rule that refused, its limit and why
 *
 * Rules 1 to 9: nothing on an -npe platform, IME only with its license,
 * the UC license shared by phone proxy, TLS proxy and presence federation
 * (phone proxy capped by rule 6), the TLS proxy limit shared by every
 * class but SRTP, SRTP capped under K8. A session taken counts in the
 * class's in-use count and peak, a refusal in its refusals (saturating).
 *
 * Context: the caller serialises every call on @lic.
 * Return: 0; -EINVAL when @app is no class; -EPERM when no license allows
 * the class; -ENOSPC when a limit is reached.
 */
int ucp_license_acquire(struct ucp_license *lic, enum ucp_app app,
			struct ucp_refusal *ref)
{
	struct ucp_license_usage *u;
	struct ucp_refusal dummy;
	int err;

	if (!ref)
		ref = &dummy;
	ucp_refusal_clear(ref);
	if (!ucp_app_valid(app)) {
		snprintf(ref->msg, sizeof(ref->msg),
			 "%u is not an application class", app);
		return ucp_refuse(ref, -EINVAL, UCP_RULE_NONE, 0);
	}
	u = &lic->usage[app];
	err = ucp_license_check(lic, app, ref);
	if (err) {
		if (u->refused != UCP_LICENSE_UNLIMITED)
			u->refused++;
		return err;
	}
	u->in_use++;
	if (u->in_use > u->peak)
		u->peak = u->in_use;
	return 0;
}

/**
 * ucp_license_release() - give back one session of an application class
 * @lic: the license
 * @app: the session's class
 *
 * Context: the caller serialises every call on @lic.
 * Return: 0; -ENOENT when no session of @app is held; -EINVAL when @app is
 * no class.
 */
int ucp_license_release(struct ucp_license *lic, enum ucp_app app)
{
	if (!ucp_app_valid(app))
		return -EINVAL;
	if (!lic->usage[app].in_use)
		return -ENOENT;
	lic->usage[app].in_use--;
	return 0;
}
