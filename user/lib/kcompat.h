/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Userspace stand-ins for the few kernel types and helpers that the shared
 * ML-KEM core (kernel/mlkem) uses, so that the core builds unchanged here.
 * Included by kernel/mlkem/platform.h when __KERNEL__ is not defined.
 */
#ifndef PQREKEY_USER_KCOMPAT_H
#define PQREKEY_USER_KCOMPAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline __attribute__((__noinline__))
#endif
#ifndef __aligned
#define __aligned(x) __attribute__((__aligned__(x)))
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

/* Defined in user/lib/random.c: getrandom(2), aborts on failure. */
void mlkem_randombytes(u8 *buf, size_t len);

#ifdef MLKEM_CT_MSAN
/*
 * MemorySanitizer reports any poisoned (secret) input of an inline asm and
 * marks its outputs clean: a volatile round trip hides the value from the
 * compiler as well and keeps its shadow.
 */
#define mlkem_value_barrier(x) \
	do { volatile __typeof__(x) vb_ = (x); (x) = vb_; } while (0)
#else
#define mlkem_value_barrier(x) __asm__ ("" : "+r" (x))
#endif


#endif /* PQREKEY_USER_KCOMPAT_H */
