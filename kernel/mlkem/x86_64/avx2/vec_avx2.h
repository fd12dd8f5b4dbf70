/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The 16-lane arithmetic shared by the AVX2 files (ntt_avx2.c,
 * poly_avx2.c): vector types, GCC's x86 builtins, and the lane helpers.
 * Include only from files built with -mavx2. sparse knows none of the
 * builtins and sees vectors as scalars, so it gets scalar stand-ins.
 */
#ifndef _PQREKEY_MLKEM_VEC_AVX2_H
#define _PQREKEY_MLKEM_VEC_AVX2_H

#include "../simd.h"

/* Unaligned access: a workspace from malloc() is only 16-aligned. */
typedef s16 v16s16 __attribute__((vector_size(32), may_alias)) __aligned(2);
typedef u16 v16u16 __attribute__((vector_size(32), may_alias)) __aligned(2);
typedef s16 v16hi __attribute__((vector_size(32)));
typedef s32 v8si __attribute__((vector_size(32)));
typedef u32 v8u32 __attribute__((vector_size(32)));

#ifdef __CHECKER__
#define mlkem_pmulhw(a, b)	((a) * (b))
#define mlkem_pmaddwd(a, b)	((a) * (b))
#define mlkem_pmulhuw(a, b)	((a) * (b))
#define mlkem_pmulhrsw(a, b)	((a) * (b))
#define mlkem_packusdw(a, b)	((a) + (b))
#define mlkem_packsswb(a, b)	((a) + (b))
#define mlkem_pmovmskb(x)	((int)(x))
#define mlkem_permd(x, i)	((x) + (i))
#else
#define mlkem_pmulhw(a, b)	__builtin_ia32_pmulhw256(a, b)
#define mlkem_pmaddwd(a, b)	__builtin_ia32_pmaddwd256(a, b)
#define mlkem_pmulhuw(a, b)	__builtin_ia32_pmulhuw256(a, b)
#define mlkem_pmulhrsw(a, b)	__builtin_ia32_pmulhrsw256(a, b)
#define mlkem_packusdw(a, b)	__builtin_ia32_packusdw256(a, b)
#define mlkem_packsswb(a, b)	__builtin_ia32_packsswb256(a, b)
#define mlkem_pmovmskb(x)	__builtin_ia32_pmovmskb256(x)
#define mlkem_permd(x, i)	__builtin_ia32_permvarsi256(x, i)
#endif

/* x in every lane (vector op scalar broadcasts the scalar) */
static __always_inline v16s16 mlkem_v_set1(s16 x)
{
	v16s16 zero = { 0 };

	return zero + x;
}

/* low and high 16 bits of the lane products */
static __always_inline v16s16 mlkem_v_mullo(v16s16 a, v16s16 b)
{
	return (v16s16)((v16u16)a * (v16u16)b);
}

static __always_inline v16s16 mlkem_v_mulhi(v16s16 a, v16s16 b)
{
	return (v16s16)mlkem_pmulhw((v16hi)a, (v16hi)b);
}

#endif /* _PQREKEY_MLKEM_VEC_AVX2_H */
