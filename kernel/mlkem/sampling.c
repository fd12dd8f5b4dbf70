// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Matrix expansion (SampleNTT, FIPS 203 Algorithm 7) and centered
 * binomial noise (SamplePolyCBD, Algorithm 8, with PRF = SHAKE256).
 * Rejection sampling branches only on SHAKE128 output of the public seed
 * rho; the noise sampler is branch-free.
 */
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
static unsigned int mlkem_rej_uniform(s16 *r, unsigned int ctr,
				      const u8 *buf, unsigned int len)
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

/* SampleNTT(rho || x || y) into @r. */
static void mlkem_sample_ntt(struct mlkem_poly *r, const u8 *rho, u8 x, u8 y,
			     struct mlkem_ws *ws)
{
	u8 ext[2] = { x, y };
	unsigned int ctr;

	mlkem_shake128_init(&ws->xof);
	mlkem_keccak_absorb(&ws->xof, rho, MLKEM_SYMBYTES);
	mlkem_keccak_absorb(&ws->xof, ext, sizeof(ext));
	mlkem_shake_finalize(&ws->xof);
	mlkem_keccak_squeezeblocks(&ws->xof, ws->xofbuf, MLKEM_XOF_BLOCKS);
	ctr = mlkem_rej_uniform(r->coeffs, 0, ws->xofbuf,
				MLKEM_XOF_BLOCKS * MLKEM_SHAKE128_RATE);
	while (ctr < MLKEM_N) {
		mlkem_keccak_squeezeblocks(&ws->xof, ws->xofbuf, 1);
		ctr = mlkem_rej_uniform(r->coeffs, ctr, ws->xofbuf,
					MLKEM_SHAKE128_RATE);
	}
}

/*
 * Expands rho into the k x k matrix @a (row-major, a[i * k + j]):
 * A[i][j] = SampleNTT(rho || j || i), or its transpose. Output in [0, q).
 */
void mlkem_gen_matrix(struct mlkem_poly *a, const u8 rho[MLKEM_SYMBYTES],
		      unsigned int k, unsigned int transposed,
		      struct mlkem_ws *ws)
{
	unsigned int i, j;

	/* rho is public (part of ek), even where it is derived from d. */
	mlkem_ct_declassify(rho, MLKEM_SYMBYTES);
	for (i = 0; i < k; i++) {
		for (j = 0; j < k; j++) {
			if (transposed)
				mlkem_sample_ntt(&a[i * k + j], rho, i, j, ws);
			else
				mlkem_sample_ntt(&a[i * k + j], rho, j, i, ws);
		}
	}
}

static void mlkem_cbd2(struct mlkem_poly *r, const u8 *buf)
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

static void mlkem_cbd3(struct mlkem_poly *r, const u8 *buf)
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

/*
 * SamplePolyCBD_eta(PRF_eta(seed, nonce)) for eta in {2, 3}; output in
 * normal form, |c| <= eta.
 */
void mlkem_poly_getnoise(struct mlkem_poly *r,
			 const u8 seed[MLKEM_SYMBYTES], u8 nonce,
			 unsigned int eta)
{
	u8 buf[3 * MLKEM_N / 4];
	struct mlkem_keccak st;

	mlkem_shake256_init(&st);
	mlkem_keccak_absorb(&st, seed, MLKEM_SYMBYTES);
	mlkem_keccak_absorb(&st, &nonce, 1);
	mlkem_shake_finalize(&st);
	mlkem_keccak_squeeze(&st, buf, eta * MLKEM_N / 4);
	if (eta == 3)
		mlkem_cbd3(r, buf);
	else
		mlkem_cbd2(r, buf);
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&st, sizeof(st));
}
