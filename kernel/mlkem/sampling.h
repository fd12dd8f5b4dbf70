/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Scalar parts of sampling shared by the portable code (sampling.c) and
 * the AVX2 backend (sampling_avx2.c): rejection sampling of SHAKE128
 * output and the centered binomial distributions. Inline, so that each
 * backend's object has its own copy built with its own flags.
 */
#ifndef _PQREKEY_MLKEM_SAMPLING_H
#define _PQREKEY_MLKEM_SAMPLING_H

#include "poly.h"

static __always_inline u32 load32_le(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 |
	       (u32)p[3] << 24;
}

static __always_inline u32 load24_le(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16;
}

/*
 * Appends coefficients < q parsed from @buf to @r; returns the new count.
 * The data is public; the main loop is branch-free only for speed (the
 * 81% acceptance rate defeats branch prediction): it stores every
 * candidate and advances the count by the comparison result, which needs
 * two free slots, so the last coefficient comes from the plain loop.
 */
static __always_inline unsigned int
mlkem_rej_uniform(s16 *r, unsigned int ctr, const u8 *buf, unsigned int len)
{
	unsigned int pos = 0;
	u16 d1, d2;

	while (ctr + 1 < MLKEM_N && pos + 3 <= len) {
		d1 = (buf[pos] | (buf[pos + 1] << 8)) & 0xfff;
		d2 = (buf[pos + 1] >> 4) | (buf[pos + 2] << 4);
		pos += 3;
		r[ctr] = (s16)d1;
		ctr += d1 < MLKEM_Q;
		r[ctr] = (s16)d2;
		ctr += d2 < MLKEM_Q;
	}
	while (ctr < MLKEM_N && pos + 3 <= len) {
		d1 = (buf[pos] | (buf[pos + 1] << 8)) & 0xfff;
		d2 = (buf[pos + 1] >> 4) | (buf[pos + 2] << 4);
		pos += 3;
		if (d1 < MLKEM_Q)
			r[ctr++] = (s16)d1;
		if (d2 < MLKEM_Q && ctr < MLKEM_N)
			r[ctr++] = (s16)d2;
	}
	return ctr;
}

static __always_inline void mlkem_cbd2(struct mlkem_poly *r, const u8 *buf)
{
	unsigned int i, j;
	u32 t, d;

	for (i = 0; i < MLKEM_N / 8; i++) {
		t = load32_le(buf + 4 * i);
		d = (t & 0x55555555) + ((t >> 1) & 0x55555555);
		for (j = 0; j < 8; j++)
			r->coeffs[8 * i + j] = (s16)((d >> (4 * j)) & 3) -
					       (s16)((d >> (4 * j + 2)) & 3);
	}
}

static __always_inline void mlkem_cbd3(struct mlkem_poly *r, const u8 *buf)
{
	unsigned int i, j;
	u32 t, d;

	for (i = 0; i < MLKEM_N / 4; i++) {
		t = load24_le(buf + 3 * i);
		d = (t & 0x249249) + ((t >> 1) & 0x249249) +
		    ((t >> 2) & 0x249249);
		for (j = 0; j < 4; j++)
			r->coeffs[4 * i + j] = (s16)((d >> (6 * j)) & 7) -
					       (s16)((d >> (6 * j + 3)) & 7);
	}
}

#endif /* _PQREKEY_MLKEM_SAMPLING_H */
