/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Forced into every file of the MemorySanitizer constant-time build
 * (-include, user/user.mk). MSan checks the address of every load and
 * store, but hands memcpy/memmove/memset (calls and the compiler's own
 * block copies alike) to its runtime without looking at the pointers: a
 * copy from a secret-dependent address, e.g. what clang makes of
 *   if (secret) memcpy(out, a, n); else memcpy(out, b, n);
 * (one memcpy from a selected pointer), would go unreported. These
 * wrappers check that the pointers and the length are public first.
 */
#ifndef _PQREKEY_CT_MSAN_MEM_H
#define _PQREKEY_CT_MSAN_MEM_H

#include <string.h>
#include <sanitizer/msan_interface.h>

static inline __attribute__((__always_inline__)) void
ct_msan_public_args(const void *d, const void *s, size_t n)
{
	__msan_check_mem_is_initialized(&d, sizeof(d));
	__msan_check_mem_is_initialized(&s, sizeof(s));
	__msan_check_mem_is_initialized(&n, sizeof(n));
}

static inline __attribute__((__always_inline__)) void *
ct_msan_memcpy(void *d, const void *s, size_t n)
{
	ct_msan_public_args(d, s, n);
	return __builtin_memcpy(d, s, n);
}

static inline __attribute__((__always_inline__)) void *
ct_msan_memmove(void *d, const void *s, size_t n)
{
	ct_msan_public_args(d, s, n);
	return __builtin_memmove(d, s, n);
}

static inline __attribute__((__always_inline__)) void *
ct_msan_memset(void *d, int c, size_t n)
{
	ct_msan_public_args(d, d, n);
	return __builtin_memset(d, c, n);
}

#define memcpy(d, s, n)		ct_msan_memcpy((d), (s), (n))
#define memmove(d, s, n)	ct_msan_memmove((d), (s), (n))
#define memset(d, c, n)		ct_msan_memset((d), (c), (n))

#endif /* _PQREKEY_CT_MSAN_MEM_H */
