/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The few things the ML-KEM core needs from its environment. The core
 * compiles unchanged in the kernel (__KERNEL__) and in userspace.
 */
#ifndef _PQREKEY_MLKEM_PLATFORM_H
#define _PQREKEY_MLKEM_PLATFORM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/random.h>
#include <linux/compiler.h>

static inline void mlkem_randombytes(u8 *buf, size_t len)
{
	get_random_bytes(buf, len);
}

/* Keeps the compiler from reasoning about a value (no branch on masks). */
#define mlkem_value_barrier(x) OPTIMIZER_HIDE_VAR(x)

#else
/* userspace: user/lib/kcompat.h provides the kernel names the core uses */
#include "kcompat.h"
#endif /* __KERNEL__ */

/*
 * The core's one architecture switch: set where x86_64/ is built (Kbuild
 * adds it with CONFIG_X86_64, user/user.mk for an x86_64 compiler; both
 * mean __x86_64__; a build of the portable code alone, such as
 * user/tests/frodo-botan.sh's, defines MLKEM_PORTABLE_ONLY). Only
 * declarations and the tables of backends (impl.c, frodo_impl.c) depend on
 * it; the files under x86_64/ have no guard.
 */
#if defined(__x86_64__) && !defined(MLKEM_PORTABLE_ONLY)
#define MLKEM_X86_64 1
#endif

/*
 * A section in which a vector backend may use the vector registers. The
 * ML-KEM core leaves it to its caller (one section per operation,
 * kernel/backend.c); FrodoKEM's core, whose operations take a millisecond
 * or more, opens one per slice of rows itself. In the kernel the caller
 * must have checked crypto_simd_usable(); userspace needs nothing.
 */
#if defined(__KERNEL__) && defined(MLKEM_X86_64)
#include <asm/fpu/api.h>
#define mlkem_simd_begin()	kernel_fpu_begin()
#define mlkem_simd_end()	kernel_fpu_end()
#else
#define mlkem_simd_begin()	do { } while (0)
#define mlkem_simd_end()	do { } while (0)
#endif

/*
 * Hooks for the valgrind constant-time test (user/tests/ct.c): the test
 * build defines MLKEM_CT_TESTING and marks secrets undefined; the core
 * declassifies values that are public by construction (e.g. the result of
 * rejection sampling on public seeds).
 */
#if defined(MLKEM_CT_TESTING) && !defined(__KERNEL__) && defined(MLKEM_CT_MSAN)
/* the MemorySanitizer variant (clang, user/tests/ct-msan.c) */
#include <sanitizer/msan_interface.h>
#define mlkem_ct_declassify(p, n) __msan_unpoison((p), (n))
#elif defined(MLKEM_CT_TESTING) && !defined(__KERNEL__)
#include <valgrind/memcheck.h>
#define mlkem_ct_declassify(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define mlkem_ct_declassify(p, n) do { } while (0)
#endif

#endif /* _PQREKEY_MLKEM_PLATFORM_H */
