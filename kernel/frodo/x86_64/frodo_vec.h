/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Vector types and x86 builtins of the FrodoKEM backends (avx2/, avx512/):
 * GCC vector extensions, no <immintrin.h>, so that the same files build in
 * the kernel and in userspace. Include only from files built with the
 * instructions named. sparse knows none of the builtins and sees vectors
 * as scalars: it gets scalar stand-ins. Unaligned types (may_alias,
 * aligned(1) or (2)) for the workspace, which malloc() only aligns to 16.
 */
#ifndef _PQREKEY_FRODO_VEC_H
#define _PQREKEY_FRODO_VEC_H

#include "../frodo.h"

#ifdef __KERNEL__
#include <linux/build_bug.h>
#else
#include <assert.h>
#endif

typedef u16 frodo_v16u16 __attribute__((vector_size(32), may_alias)) __aligned(2);
typedef s16 frodo_v16hi __attribute__((vector_size(32)));
typedef s64 frodo_v2di __attribute__((vector_size(16)));
typedef s64 frodo_v2di_u __attribute__((vector_size(16), may_alias)) __aligned(1);
typedef s64 frodo_v8di __attribute__((vector_size(64)));
typedef s64 frodo_v8di_u __attribute__((vector_size(64), may_alias)) __aligned(1);
#define frodo_as_v2di(x)	((long long __attribute__((vector_size(16))))(x))
#define frodo_as_v64qi(x)	((char __attribute__((vector_size(64))))(x))

#ifdef __CHECKER__
#define frodo_aesenc(x, k)	((x) ^ (k))
#define frodo_aesenclast(x, k)	((x) ^ (k))
#define frodo_vaesenc(x, k)	((x) ^ (k))
#define frodo_vaesenclast(x, k)	((x) ^ (k))
#define frodo_phaddw(a, b)	((a) + (b))
#define frodo_lane16(v, i)	((u16)(v))
#else
#define frodo_aesenc(x, k)						\
	((frodo_v2di)__builtin_ia32_aesenc128(frodo_as_v2di(x),		\
					      frodo_as_v2di(k)))
#define frodo_aesenclast(x, k)						\
	((frodo_v2di)__builtin_ia32_aesenclast128(frodo_as_v2di(x),	\
						  frodo_as_v2di(k)))
#if defined(__clang__)
/* clang (the MemorySanitizer build) names the zmm forms after their width */
#define frodo_as_v8di(x)	((long long __attribute__((vector_size(64))))(x))
#define frodo_vaesenc(x, k)						\
	((frodo_v8di)__builtin_ia32_aesenc512(frodo_as_v8di(x),	\
					      frodo_as_v8di(k)))
#define frodo_vaesenclast(x, k)						\
	((frodo_v8di)__builtin_ia32_aesenclast512(frodo_as_v8di(x),	\
						  frodo_as_v8di(k)))
#else
#define frodo_vaesenc(x, k)						\
	((frodo_v8di)__builtin_ia32_vaesenc_v64qi(frodo_as_v64qi(x),	\
						  frodo_as_v64qi(k)))
#define frodo_vaesenclast(x, k)						\
	((frodo_v8di)__builtin_ia32_vaesenclast_v64qi(frodo_as_v64qi(x), \
						      frodo_as_v64qi(k)))
#endif
#define frodo_phaddw(a, b)	__builtin_ia32_phaddw256(a, b)
#define frodo_lane16(v, i)	((u16)(v)[i])
#endif

/*
 * The AES counter block of row @i, columns @j .. @j + 7 of A:
 * le16(i) || le16(j) || 0^12, as the first 64-bit half of a block (x86-64
 * is little-endian).
 */
static __always_inline u64 frodo_ctr(unsigned int i, unsigned int j)
{
	return (u64)(i | (j << 16));
}

/*
 * Writes the FRODO_AROWS * n / 8 AES input blocks of rows i0 .. i0 + 7 to
 * @blocks (16 bytes each), where the rows will go: encrypting them in place
 * in a second pass keeps the loads away from these stores (a vector load
 * just after the scalar stores it reads would wait for them).
 */
static __always_inline void frodo_ctr_blocks(u64 *blocks, unsigned int n,
					     unsigned int i0)
{
	unsigned int r, j;

	for (r = 0; r < FRODO_AROWS; r++)
		for (j = 0; j < n; j += 8) {
			*blocks++ = frodo_ctr(i0 + r, j);
			*blocks++ = 0;
		}
}

#endif /* _PQREKEY_FRODO_VEC_H */
