// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The public matrix A (n x n, entries mod 2^16) and the products with it.
 * A is generated FRODO_AROWS rows at a time into the workspace and used at
 * once, never held whole:
 *   AES:   A[i][j .. j+7] = AES128_seedA(le16(i) || le16(j) || 0^12),
 *          read as eight little-endian 16-bit values (j = 0, 8, 16, ...);
 *   SHAKE: A[i][0 .. n-1] = SHAKE128(le16(i) || seedA, 2n bytes), read as
 *          little-endian 16-bit values.
 * Products are computed mod 2^16 in u32 (no signed overflow) and stored as
 * u16. The secret operands (S, S', E, E') are only ever multiplied and
 * added: no branch and no index depends on them.
 */
#include "frodo.h"

static inline u16 le16(const u8 *p)
{
	return (u16)(p[0] | (p[1] << 8));
}

/* Rewrites @n little-endian byte pairs at @v (in place) as host u16. */
void frodo_le16_in_place(u16 *v, size_t n)
{
	u8 *b = (u8 *)v;
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = le16(b + 2 * i);
}

static void gen_rows_aes(const struct frodo_params *p, struct frodo_ws *ws,
			 unsigned int i0)
{
	unsigned int nb = p->n / 8;

	frodo_aes128_gen_a(&ws->aes, ws->a, i0, nb, FRODO_AROWS * nb);
}

static void gen_rows_shake(const struct frodo_params *p, struct frodo_ws *ws,
			   const u8 *seed_a, unsigned int i0)
{
	unsigned int r;
	u8 in[2 + FRODO_SEEDA_BYTES];

	memcpy(in + 2, seed_a, FRODO_SEEDA_BYTES);
	for (r = 0; r < FRODO_AROWS; r++) {
		u16 *row = ws->a + r * (size_t)p->n;

		in[0] = (u8)(i0 + r);
		in[1] = (u8)((i0 + r) >> 8);
		mlkem_shake128_init(&ws->xof);
		mlkem_keccak_absorb(&ws->xof, in, sizeof(in));
		mlkem_shake_finalize(&ws->xof);
		mlkem_keccak_squeeze(&ws->xof, (u8 *)row, 2 * (size_t)p->n);
		frodo_le16_in_place(row, p->n);
	}
}

void frodo_gen_rows(const struct frodo_params *p, struct frodo_ws *ws,
		    const u8 *seed_a, unsigned int i0)
{
	if (p->gen == FRODO_GEN_AES)
		gen_rows_aes(p, ws, i0);
	else
		gen_rows_shake(p, ws, seed_a, i0);
}

/* The portable backend: rows i0 .. i0 + 7 of B = AS + E. */
void frodo_as_rows_generic(const struct frodo_params *p, struct frodo_ws *ws,
			   const u8 *seed_a, unsigned int i0)
{
	unsigned int n = p->n, r, k, j;

	frodo_gen_rows(p, ws, seed_a, i0);
	for (r = 0; r < FRODO_AROWS; r++) {
		const u16 *row = ws->a + r * n;
		u16 *out = ws->e + (i0 + r) * FRODO_NBAR;

		for (k = 0; k < FRODO_NBAR; k++) {
			const u16 *s = ws->s + k * n;
			u32 sum = out[k];

			for (j = 0; j < n; j++)
				sum += (u32)row[j] * s[j];
			out[k] = (u16)sum;
		}
	}
}

/* The portable backend: what rows i0 .. i0 + 7 of A add to B' = S'A + E'. */
void frodo_sa_rows_generic(const struct frodo_params *p, struct frodo_ws *ws,
			   const u8 *seed_a, unsigned int i0)
{
	unsigned int n = p->n, r, k, j;

	frodo_gen_rows(p, ws, seed_a, i0);
	for (k = 0; k < FRODO_NBAR; k++) {
		u16 *out = ws->e + k * n;

		for (r = 0; r < FRODO_AROWS; r++) {
			const u16 *row = ws->a + r * n;
			u32 s = ws->s[k * n + i0 + r];

			for (j = 0; j < n; j++)
				out[j] = (u16)(out[j] + s * row[j]);
		}
	}
}

/*
 * Runs the backend's as_rows (@as) or sa_rows over every slice of
 * FRODO_AROWS rows of A. In the kernel a vector backend gets one FPU
 * section per slice: 8 rows are about 10-60 us of work, so preemption
 * (and, on 6.x, softirqs) is never held off for a whole operation.
 */
static void mul_by_slices(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, bool as)
{
	const struct frodo_impl *impl = ws->impl;
	bool simd = impl->simd;
	unsigned int i0;

	if (p->gen == FRODO_GEN_AES)
		frodo_aes128_setkey(&ws->aes, seed_a);
	for (i0 = 0; i0 < p->n; i0 += FRODO_AROWS) {
		if (simd)
			mlkem_simd_begin();
		if (as)
			impl->as_rows(p, ws, seed_a, i0);
		else
			impl->sa_rows(p, ws, seed_a, i0);
		if (simd)
			mlkem_simd_end();
	}
}

/* B = A S + E: B[i][k] = E[i][k] + sum_j A[i][j] S^T[k][j]. */
void frodo_mul_as_plus_e(const struct frodo_params *p, struct frodo_ws *ws,
			 const u8 *seed_a)
{
	mul_by_slices(p, ws, seed_a, true);
}

/* B' = S' A + E': B'[k][j] = E'[k][j] + sum_i S'[k][i] A[i][j]. */
void frodo_mul_sa_plus_e(const struct frodo_params *p, struct frodo_ws *ws,
			 const u8 *seed_a)
{
	mul_by_slices(p, ws, seed_a, false);
}

/* V = S' B + E'': V[k][l] += sum_i S'[k][i] B[i][l], B big-endian in @b. */
void frodo_mul_sb_plus_e(const struct frodo_params *p, struct frodo_ws *ws,
			 const u8 *b)
{
	unsigned int n = p->n, i, k, l;

	for (k = 0; k < FRODO_NBAR; k++) {
		u32 acc[FRODO_NBAR] = { 0 };
		const u16 *s = ws->s + k * n;

		for (i = 0; i < n; i++) {
			const u8 *bi = b + 2 * FRODO_NBAR * i;

			for (l = 0; l < FRODO_NBAR; l++)
				acc[l] += s[i] * (u32)((bi[2 * l] << 8) |
						       bi[2 * l + 1]);
		}
		for (l = 0; l < FRODO_NBAR; l++)
			ws->epp[k * FRODO_NBAR + l] =
				(u16)(ws->epp[k * FRODO_NBAR + l] + acc[l]);
	}
}

/* W = C - B' S: W[k][l] = C[k][l] - sum_i B'[k][i] S^T[l][i]; S^T is
 * little-endian in @st (the secret key).
 */
void frodo_mul_bs(const struct frodo_params *p, struct frodo_ws *ws,
		  const u8 *st)
{
	unsigned int n = p->n, i, k, l;

	for (l = 0; l < FRODO_NBAR; l++) {
		const u8 *s = st + 2 * (size_t)l * n;

		for (k = 0; k < FRODO_NBAR; k++) {
			const u16 *bp = ws->bp + k * n;
			u32 sum = 0;

			for (i = 0; i < n; i++)
				sum += (u32)bp[i] * le16(s + 2 * i);
			ws->c[k * FRODO_NBAR + l] =
				(u16)(ws->c[k * FRODO_NBAR + l] - sum);
		}
	}
}
