// SPDX-License-Identifier: GPL-2.0
/*
 * The order of ucpctl save's lines (save_plan.h), from the license rules
 * of the kernel (Documentation/licensing.md):
 *
 *  - license set keeps the configured TLS limit on the same platform
 *    (another starts from its default) and raises it to the UC license
 *    (plus the IME extra) when that is above the default (rule 3): so the
 *    TLS limit comes after the license;
 *  - license tls-limit N is refused above 1000 under K8 (rule 4), yet a
 *    K8 license keeps a higher limit it finds or raises it there (its
 *    sessions stay capped at 1000);
 *  - clear configure sets the platform's default (rule 7) and the media
 *    policy to passthrough: the policy comes last.
 *
 * So a K8 limit above 1000 is restored in one of two ways: the platform's
 * default by clear configure after the license; any other value (then at
 * least what the license raises it to) with the license set first as K9,
 * the limit set, and the license set again as K8, which keeps it.
 */
#include <string.h>

#include "save_plan.h"
#include "ucp_license.h"	/* the K8 bound, the -npe suffix */

bool config_has_tls(const struct config *c)
{
	size_t n = strlen(c->platform), k = strlen(UCP_LICENSE_NPE_SUFFIX);

	return n < k || strcmp(c->platform + n - k, UCP_LICENSE_NPE_SUFFIX);
}

static struct op *plan_op(struct op *op, enum op_kind kind,
			  const struct config *c)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->c = *c;
	return op + 1;
}

unsigned int save_plan(const struct config *c, struct op *ops)
{
	struct op *op = ops;

	if (!config_has_tls(c)) {
		op = plan_op(op, OP_LICENSE, c);
	} else if (c->export_class != UCP_EXPORT_K8 || c->tls <= UCP_LICENSE_K8_TLS_MAX) {
		op = plan_op(op, OP_LICENSE, c);
		op = plan_op(op, OP_TLS, c);
	} else if (c->tls == c->tls_default) {
		op = plan_op(op, OP_LICENSE, c);
		op = plan_op(op, OP_CLEAR, c);
	} else {
		op = plan_op(op, OP_LICENSE, c);
		op[-1].c.export_class = UCP_EXPORT_K9;
		op = plan_op(op, OP_TLS, c);
		op = plan_op(op, OP_LICENSE, c);
	}
	op = plan_op(op, OP_POLICY, c);
	return (unsigned int)(op - ops);
}
