/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Modular reductions for q = 3329 on 16-bit coefficients. All of them are
 * straight-line arithmetic: no branch and no memory access depends on the
 * value being reduced.
 */
#ifndef _PQREKEY_MLKEM_REDUCE_H
#define _PQREKEY_MLKEM_REDUCE_H

#include "mlkem.h"

#define MLKEM_QINV_U	62209U	/* q^-1 mod 2^16 */
#define MLKEM_MONT	2285	/* 2^16 mod q */
#define MLKEM_MONT2	1353	/* 2^32 mod q */
#define MLKEM_BARRETT_V	20159	/* round(2^26 / q) */

/* mont^2 / 128 mod q: undoes the 128 of the inverse and adds one 2^16. */
#define MLKEM_INVNTT_F		1441
/* zetas[1] * MLKEM_INVNTT_F * 2^-16 mod q, for the last inverse layer. */
#define MLKEM_INVNTT_ZF		1397

/*
 * ntt.c: zeta^BitRev7(i) * 2^16 mod q for zeta = 17, centered (shared
 * with the vector NTT of ntt_avx2.c).
 */
extern const s16 mlkem_zetas[128];

/*
 * Returns a * 2^-16 mod q in (-q, q), for |a| < q * 2^15. The low half
 * t = a * q^-1 mod 2^16 is computed with a 32-bit multiply and a sign
 * extension: a 16-bit multiply writes a partial register, and the false
 * dependency it creates serializes loops on x86.
 */
static __always_inline s16 mlkem_montgomery_reduce(s32 a)
{
	s32 t = (s32)((u32)a * MLKEM_QINV_U << 16) >> 16;

	return (s16)((a - t * MLKEM_Q) >> 16);
}

/* Returns a * b * 2^-16 mod q in (-q, q). */
static __always_inline s16 mlkem_fqmul(s16 a, s16 b)
{
	return mlkem_montgomery_reduce((s32)a * b);
}

/* Returns a mod q, centered in [-(q - 1) / 2, (q - 1) / 2]. */
static __always_inline s16 mlkem_barrett_reduce(s16 a)
{
	s16 t = (s16)(((s32)MLKEM_BARRETT_V * a + (1 << 25)) >> 26);

	return a - t * MLKEM_Q;
}

/* Maps a in (-q, q) to [0, q). */
static __always_inline s16 mlkem_caddq(s16 a)
{
	return a + ((a >> 15) & MLKEM_Q);
}

/* Maps a in [0, 2q) to [0, q). */
static __always_inline s16 mlkem_csubq(s16 a)
{
	a -= MLKEM_Q;
	return a + ((a >> 15) & MLKEM_Q);
}

#endif /* _PQREKEY_MLKEM_REDUCE_H */
