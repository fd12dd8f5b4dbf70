// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX2 backend of the FrodoKEM matrix work, bit-identical to
 * frodo_matrix.c's portable code:
 *   - the AES sets' rows of A with AES-NI, eight blocks in flight (the
 *     round keys are ws->aes.rk, FIPS 197's byte order, which is also
 *     AES-NI's);
 *   - the SHAKE sets' rows with ML-KEM's four-way Keccak, two groups of
 *     four rows;
 *   - the products in 16 lanes of 16 bits: vpmullw and vpaddw wrap mod
 *     2^16, which is FrodoKEM's q.
 * n is a multiple of 16 for every set (976 = 61 x 16, 1344 = 84 x 16), so
 * there is no tail. x86-64 is little-endian: the bytes of A are already
 * its 16-bit entries. Secrets (S, S', E, E') are only multiplied and
 * added; nothing branches on them or indexes memory with them.
 */
#include "frodo_avx2.h"
#include "../frodo_vec.h"
#include "../../../mlkem/keccak.h"

static_assert(sizeof(((struct frodo_ws *)0)->xofn) >=
	      sizeof(struct mlkem_keccak_x4), "xofn holds the x4 state");
static_assert(FRODO_AROWS % 4 == 0, "rows go in groups of four");
static_assert(976 % 4 == 0 && 1344 % 4 == 0, "blocks go in groups of four");

/*
 * FRODO_AROWS rows of A from AES-128: block f is row i0 + f / nb, columns
 * 8 (f % nb) .. + 7, input le16(i) || le16(j) || 0^12, written first and
 * encrypted in place, four blocks in flight (named: an array might go to
 * the stack).
 */
static void gen_rows_aesni(const struct frodo_params *p, struct frodo_ws *ws,
			   unsigned int i0)
{
	unsigned int total = FRODO_AROWS * (p->n / 8), f, r;
	frodo_v2di_u *a = (frodo_v2di_u *)ws->a;
	const frodo_v2di_u *rk = (const frodo_v2di_u *)ws->aes.rk;

	frodo_ctr_blocks((u64 *)ws->a, p->n, i0);
	for (f = 0; f < total; f += 4) {
		frodo_v2di x0 = a[f] ^ rk[0], x1 = a[f + 1] ^ rk[0];
		frodo_v2di x2 = a[f + 2] ^ rk[0], x3 = a[f + 3] ^ rk[0];

		for (r = 1; r < 10; r++) {
			x0 = frodo_aesenc(x0, rk[r]);
			x1 = frodo_aesenc(x1, rk[r]);
			x2 = frodo_aesenc(x2, rk[r]);
			x3 = frodo_aesenc(x3, rk[r]);
		}
		a[f] = frodo_aesenclast(x0, rk[10]);
		a[f + 1] = frodo_aesenclast(x1, rk[10]);
		a[f + 2] = frodo_aesenclast(x2, rk[10]);
		a[f + 3] = frodo_aesenclast(x3, rk[10]);
	}
}

/*
 * FRODO_AROWS rows of A from SHAKE128(le16(i) || seedA), four at a time;
 * the last partial block of each row (976: 104 of 168 bytes) goes through
 * ws->tail.
 */
static void gen_rows_shake_x4(const struct frodo_params *p,
			      struct frodo_ws *ws, const u8 *seed_a,
			      unsigned int i0)
{
	struct mlkem_keccak_x4 *st = (struct mlkem_keccak_x4 *)ws->xofn;
	size_t len = 2 * (size_t)p->n, full = len / FRODO_SHAKE128_RATE;
	size_t rest = len - full * FRODO_SHAKE128_RATE;
	u8 in[4][2 + FRODO_SEEDA_BYTES];
	unsigned int g, l;

	for (g = 0; g < FRODO_AROWS; g += 4) {
		const u8 *inp[4];
		u8 *row[4], *tail[4];

		for (l = 0; l < 4; l++) {
			in[l][0] = (u8)(i0 + g + l);
			in[l][1] = (u8)((i0 + g + l) >> 8);
			memcpy(in[l] + 2, seed_a, FRODO_SEEDA_BYTES);
			inp[l] = in[l];
			row[l] = (u8 *)(ws->a + (g + l) * (size_t)p->n);
			tail[l] = ws->tail[l];
		}
		mlkem_keccak_x4_absorb_once(st, FRODO_SHAKE128_RATE, inp,
					    sizeof(in[0]),
					    MLKEM_KECCAK_DS_SHAKE);
		mlkem_keccak_x4_squeezeblocks(st, FRODO_SHAKE128_RATE, row,
					      full);
		if (!rest)
			continue;
		mlkem_keccak_x4_squeezeblocks(st, FRODO_SHAKE128_RATE, tail,
					      1);
		for (l = 0; l < 4; l++)
			memcpy(row[l] + full * FRODO_SHAKE128_RATE, tail[l],
			       rest);
	}
}

static void gen_rows_avx2(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, unsigned int i0)
{
	if (p->gen == FRODO_GEN_AES)
		gen_rows_aesni(p, ws, i0);
	else
		gen_rows_shake_x4(p, ws, seed_a, i0);
}

/*
 * The sums of the 16 lanes of each of acc[0..7], mod 2^16, as lanes 0..7
 * of the result: three rounds of vphaddw (which wraps, unlike vphaddsw)
 * leave in each 128-bit half the eight sums of that half's lanes.
 */
static __always_inline void hsum8(u16 out[FRODO_NBAR], const frodo_v16u16 *acc)
{
	frodo_v16hi h0, h1, h2, h3, g0, g1, f;
	unsigned int k;

	h0 = frodo_phaddw((frodo_v16hi)acc[0], (frodo_v16hi)acc[1]);
	h1 = frodo_phaddw((frodo_v16hi)acc[2], (frodo_v16hi)acc[3]);
	h2 = frodo_phaddw((frodo_v16hi)acc[4], (frodo_v16hi)acc[5]);
	h3 = frodo_phaddw((frodo_v16hi)acc[6], (frodo_v16hi)acc[7]);
	g0 = frodo_phaddw(h0, h1);
	g1 = frodo_phaddw(h2, h3);
	f = frodo_phaddw(g0, g1);
	for (k = 0; k < FRODO_NBAR; k++)
		out[k] = (u16)(out[k] + frodo_lane16(f, k) +
			       frodo_lane16(f, k + 8));
}

void frodo_as_mul_avx2(const struct frodo_params *p, struct frodo_ws *ws,
		       unsigned int i0)
{
	unsigned int n = p->n, r, k, j;

	for (r = 0; r < FRODO_AROWS; r++) {
		const u16 *row = ws->a + r * n;
		frodo_v16u16 acc[FRODO_NBAR] = { 0 };

		for (j = 0; j < n; j += 16) {
			frodo_v16u16 a = *(const frodo_v16u16 *)(row + j);

			for (k = 0; k < FRODO_NBAR; k++)
				acc[k] += a * *(const frodo_v16u16 *)(ws->s + k * n +
								 j);
		}
		hsum8(ws->e + (i0 + r) * FRODO_NBAR, acc);
	}
}

void frodo_sa_mul_avx2(const struct frodo_params *p, struct frodo_ws *ws,
		       unsigned int i0)
{
	unsigned int n = p->n, r, k, j;

	for (k = 0; k < FRODO_NBAR; k++) {
		const frodo_v16u16 zero = { 0 };
		frodo_v16u16 s[FRODO_AROWS];
		u16 *out = ws->e + k * n;

		for (r = 0; r < FRODO_AROWS; r++)
			s[r] = zero + ws->s[k * n + i0 + r];
		for (j = 0; j < n; j += 16) {
			frodo_v16u16 acc = *(frodo_v16u16 *)(out + j);

			for (r = 0; r < FRODO_AROWS; r++)
				acc += s[r] * *(const frodo_v16u16 *)(ws->a + r * n +
								 j);
			*(frodo_v16u16 *)(out + j) = acc;
		}
	}
}

void frodo_as_rows_avx2(const struct frodo_params *p, struct frodo_ws *ws,
			const u8 *seed_a, unsigned int i0)
{
	gen_rows_avx2(p, ws, seed_a, i0);
	frodo_as_mul_avx2(p, ws, i0);
}

void frodo_sa_rows_avx2(const struct frodo_params *p, struct frodo_ws *ws,
			const u8 *seed_a, unsigned int i0)
{
	gen_rows_avx2(p, ws, seed_a, i0);
	frodo_sa_mul_avx2(p, ws, i0);
}
