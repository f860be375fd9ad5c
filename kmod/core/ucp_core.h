/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one shim between the pure cores and their two homes.
 *
 * Pure cores (license engine, parsers, SRTP transform) include only this
 * header. In the module it maps to the kernel's own headers; in the
 * userspace build (unit tests, fuzzing, benchmarks) it supplies the same
 * few names from libc, so a core is the same source in both places.
 */
#ifndef _UCP_CORE_H
#define _UCP_CORE_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/compiler.h>

#else /* userspace build */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>		/* snprintf */
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define __must_check __attribute__((warn_unused_result))
#ifndef fallthrough
#define fallthrough __attribute__((fallthrough))
#endif

/* The kernel's hex_to_bin(): a hex digit's value, or -1. */
static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;	/* lower case */
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* A memset the compiler may not drop: for keys about to be freed. */
static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

#endif /* __KERNEL__ */

#endif /* _UCP_CORE_H */
