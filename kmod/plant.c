// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate bugs, compiled only into a test build (make -C kmod
 * UCP_PLANT=oob|leak): `make check-debug` loads such a module on the debug
 * kernel and insists that KASAN or kmemleak reports it, proving that the
 * lane can fail. Never part of a normal build.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "ucproxy.h"

/*
 * Lost objects for kmemleak to find. Their addresses are never printed
 * (kmemleak scans the log buffer too), and there are several: a stale copy
 * of the last address may linger in a cached task stack, which kmemleak
 * also scans, and would hide that one.
 */
#define UCP_PLANT_LEAKS 8

static noinline void __maybe_unused ucp_plant_leak(void)
{
	int i, lost = 0;

	for (i = 0; i < UCP_PLANT_LEAKS; i++)
		lost += !!kmalloc(96, GFP_KERNEL);
	pr_warn("planted %d leaked objects\n", lost);
}

static noinline void __maybe_unused ucp_plant_oob(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (p)
		pr_warn("planted out-of-bounds read: %d\n", READ_ONCE(p[16]));
	kfree(p);
}

void ucp_plant_bugs(void)
{
#ifdef UCP_PLANT_OOB
	ucp_plant_oob();
#endif
#ifdef UCP_PLANT_LEAK
	ucp_plant_leak();
#endif
}
