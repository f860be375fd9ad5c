/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fuzz targets' assertion: a property that must hold for every input.
 * A broken one names its file and line and traps, which libFuzzer reports
 * as a crash and keeps the input of.
 */
#ifndef _UCP_FUZZ_CHECK_H
#define _UCP_FUZZ_CHECK_H

#include <stdio.h>

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s\n",			\
				__FILE__, __LINE__, #cond);		\
			__builtin_trap();				\
		}							\
	} while (0)

#endif /* _UCP_FUZZ_CHECK_H */
