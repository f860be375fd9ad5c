// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of the license engine (kmod/core/ucp_license.c) and of
 * the spec's name lookup (kmod/core/ucp_spec.c) that license-set and the
 * CLI resolve names through. The input is a sequence of operations, as
 * netlink would deliver them, each one byte of opcode and its operands:
 *
 *   0 set: platform name (length byte, then that many bytes, or none when
 *     the length byte is 0xff), u32 UC sessions, a flags byte (IME), an
 *     export class byte (any value)
 *   1 tls-proxy maximum-sessions: u32
 *   2 clear configure
 *   3 acquire: application class byte (any value)
 *   4 release: application class byte
 *   5 a name looked up in the app, export-class, rule and counter tables
 *
 * After each operation, what must hold: a shadow count of the sessions
 * each class holds equals the engine's, no class is over the limit it
 * had when its last session was taken, refusal and warning texts are
 * NUL-terminated sentences, license-get's platform name finds its
 * platform again, and a name found by value is that value's name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ucp_license.h"
#include "ucp_spec.h"

#include "fuzz_check.h"

struct input {
	const uint8_t *p;
	size_t left;
};

static bool take(struct input *in, void *out, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(out, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

/* A NUL-terminated sentence within its buffer. */
static void check_text(const char *s, size_t size)
{
	CHECK(memchr(s, '\0', size));
}

static void check_name(const struct ucp_spec_names *t, const char *name)
{
	int v = ucp_spec_value(t, name);
	const char *back;

	if (v < 0)
		return;
	back = ucp_spec_name(t, v);
	CHECK(back && !strcmp(back, name));
}

static void check_state(const struct ucp_license *lic, const uint32_t *held)
{
	struct ucp_license_limits l;
	const struct ucp_platform *p;
	unsigned int a;
	bool npe = false;

	memset(&l, 0xa5, sizeof(l));
	ucp_license_limits(lic, &l);
	check_text(l.platform, sizeof(l.platform));
	p = ucp_platform_find(l.platform, &npe);
	CHECK(p == lic->platform && npe == lic->npe && npe == l.npe);
	CHECK(ucp_platform_has_tier(p, l.uc_sessions) ||
	      l.uc_sessions == UCP_LICENSE_BASE_SESSIONS);
	CHECK(l.tls_effective <= l.tls_platform_max);
	for (a = 1; a < __UCP_APP_MAX; a++) {
		CHECK(lic->usage[a].in_use == held[a]);
		CHECK(l.app[a].in_use == held[a]);
		CHECK(l.app[a].peak >= l.app[a].in_use);
		CHECK(ucp_spec_name(&ucp_spec_app, a));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	static struct ucp_license lic;
	uint32_t held[__UCP_APP_MAX] = { 0 };
	char warning[UCP_LICENSE_MSG_LEN];
	char name[64];
	struct ucp_refusal ref;
	struct ucp_license_cfg cfg;
	uint8_t op, n, b;
	uint32_t u;
	int ret;

	ucp_license_init(&lic);
	check_state(&lic, held);
	while (take(&in, &op, 1)) {
		switch (op % 6) {
		case 0:
			memset(&cfg, 0, sizeof(cfg));
			if (!take(&in, &n, 1))
				return 0;
			if (n != 0xff) {
				if (n >= sizeof(name) || !take(&in, name, n))
					return 0;
				name[n] = '\0';
				cfg.platform = name;
			}
			if (!take(&in, &u, 4) || !take(&in, &b, 1))
				return 0;
			cfg.uc_sessions = u;
			cfg.ime = b & 1;
			if (!take(&in, &b, 1))
				return 0;
			cfg.export_class = b;
			memset(warning, 0xa5, sizeof(warning));
			memset(&ref, 0xa5, sizeof(ref));
			ret = ucp_license_set(&lic, &cfg, warning, sizeof(warning),
					      &ref);
			CHECK(ret <= 0);
			check_text(warning, sizeof(warning));
			check_text(ref.msg, sizeof(ref.msg));
			CHECK(!ret || ref.msg[0]);
			break;
		case 1:
			if (!take(&in, &u, 4))
				return 0;
			memset(&ref, 0xa5, sizeof(ref));
			ret = ucp_license_set_tls_max(&lic, u, &ref);
			CHECK(ret <= 0);
			check_text(ref.msg, sizeof(ref.msg));
			CHECK(!ret || ref.msg[0]);
			if (!ret)
				CHECK(lic.tls_max == u);
			break;
		case 2:
			memset(warning, 0xa5, sizeof(warning));
			CHECK(ucp_license_clear_config(&lic, warning,
						       sizeof(warning)) <= 0);
			check_text(warning, sizeof(warning));
			break;
		case 3:
			if (!take(&in, &b, 1))
				return 0;
			memset(&ref, 0xa5, sizeof(ref));
			u = b < __UCP_APP_MAX ? ucp_license_class_limit(&lic, b) : 0;
			ret = ucp_license_acquire(&lic, b, &ref);
			CHECK(ret <= 0);
			check_text(ref.msg, sizeof(ref.msg));
			if (ret) {
				CHECK(ref.msg[0]);
				break;
			}
			CHECK(b >= 1 && b < __UCP_APP_MAX);
			held[b]++;
			/* Taken only while the class had room. */
			CHECK(u == UCP_LICENSE_UNLIMITED || held[b] <= u);
			break;
		case 4:
			if (!take(&in, &b, 1))
				return 0;
			ret = ucp_license_release(&lic, b);
			if (b < 1 || b >= __UCP_APP_MAX) {
				CHECK(ret == -EINVAL);
				break;
			}
			CHECK(ret == (held[b] ? 0 : -ENOENT));
			if (!ret)
				held[b]--;
			break;
		case 5:
			if (!take(&in, &n, 1) || n >= sizeof(name) ||
			    !take(&in, name, n))
				return 0;
			name[n] = '\0';
			check_name(&ucp_spec_app, name);
			check_name(&ucp_spec_export_class, name);
			check_name(&ucp_spec_rule, name);
			check_name(&ucp_spec_counter, name);
			CHECK(!ucp_spec_name(&ucp_spec_counter, ~0U));
			break;
		}
		check_state(&lic, held);
	}
	return 0;
}
