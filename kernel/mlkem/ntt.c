// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The number-theoretic transform over Z_q[X]/(X^256 + 1) (FIPS 203
 * Algorithms 9, 10 and 11), portable C. Zeta values are indexed by loop
 * position only.
 */
#include "poly.h"
#include "reduce.h"

/*
 * zeta^BitRev7(i) * 2^16 mod q for zeta = 17, centered; entry 0 is unused
 * by the transforms.
 */
const s16 mlkem_zetas[128] = {
	-1044, -758, -359, -1517, 1493, 1422, 287, 202,
	-171, 622, 1577, 182, 962, -1202, -1474, 1468,
	573, -1325, 264, 383, -829, 1458, -1602, -130,
	-681, 1017, 732, 608, -1542, 411, -205, -1571,
	1223, 652, -552, 1015, -1293, 1491, -282, -1544,
	516, -8, -320, -666, -1618, -1162, 126, 1469,
	-853, -90, -271, 830, 107, -1421, -247, -951,
	-398, 961, -1508, -725, 448, -1065, 677, -1275,
	-1103, 430, 555, 843, -1251, 871, 1550, 105,
	422, 587, 177, -235, -291, -460, 1574, 1653,
	-246, 778, 1159, -147, -777, 1483, -602, 1119,
	-1590, 644, -872, 349, 418, 329, -156, -75,
	817, 1097, 603, 610, 1322, -1285, -1465, 384,
	-1215, -136, 1218, -1335, -874, 220, -1187, -1659,
	-1185, -1530, -1278, 794, -1510, -854, -870, 478,
	-108, -308, 996, 991, 958, -1460, 1522, 1628,
};

/* One Cooley-Tukey butterfly: (a, b) = (a + zeta b, a - zeta b). */
static __always_inline void mlkem_fwd_bfly(s16 *a, s16 *b, s16 zeta)
{
	s16 t = mlkem_fqmul(zeta, *b);

	*b = *a - t;
	*a = *a + t;
}

/*
 * Two Cooley-Tukey layers at once, distances @len and @len / 2, so that
 * each coefficient is loaded and stored once per pair of layers. Layer
 * "len" uses zetas[128 / len + block].
 */
static __always_inline void mlkem_ntt_2layers(s16 *r, unsigned int len)
{
	unsigned int blk, j, h = len / 2;
	s16 z1, z2, z3, a0, a1, a2, a3;
	s16 *p;

	for (blk = 0; blk < MLKEM_N / (2 * len); blk++) {
		z1 = mlkem_zetas[128 / len + blk];
		z2 = mlkem_zetas[256 / len + 2 * blk];
		z3 = mlkem_zetas[256 / len + 2 * blk + 1];
		p = r + 2 * len * blk;
		for (j = 0; j < h; j++) {
			a0 = p[j];
			a1 = p[j + h];
			a2 = p[j + len];
			a3 = p[j + len + h];
			mlkem_fwd_bfly(&a0, &a2, z1);
			mlkem_fwd_bfly(&a1, &a3, z1);
			mlkem_fwd_bfly(&a0, &a1, z2);
			mlkem_fwd_bfly(&a2, &a3, z3);
			p[j] = a0;
			p[j + h] = a1;
			p[j + len] = a2;
			p[j + len + h] = a3;
		}
	}
}

/*
 * Forward NTT, in place. Input: normal form, |c| < q. Output: bit-reversed
 * NTT domain, Barrett-reduced (centered). Each layer adds less than q to
 * the bound, so nothing is reduced before the end (|c| < 8q).
 */
void mlkem_poly_ntt(struct mlkem_poly *p)
{
	s16 *r = p->coeffs;
	unsigned int i;

	mlkem_ntt_2layers(r, 128);
	mlkem_ntt_2layers(r, 32);
	mlkem_ntt_2layers(r, 8);
	for (i = 0; i < MLKEM_N / 4; i++) {
		mlkem_fwd_bfly(&r[4 * i], &r[4 * i + 2], mlkem_zetas[64 + i]);
		mlkem_fwd_bfly(&r[4 * i + 1], &r[4 * i + 3],
			       mlkem_zetas[64 + i]);
	}
	mlkem_poly_reduce(p);
}

/*
 * One Gentleman-Sande butterfly: (a, b) = (a + b, zeta (b - a)), with a
 * Barrett reduction of the sum if @reduce.
 */
static __always_inline void mlkem_inv_bfly(s16 *a, s16 *b, s16 zeta,
					   bool reduce)
{
	s16 t = *a;

	*a = t + *b;
	if (reduce)
		*a = mlkem_barrett_reduce(*a);
	*b = mlkem_fqmul(zeta, *b - t);
}

/*
 * Two Gentleman-Sande layers at once, distances @len and 2 * @len. Layer
 * "len" uses zetas[256 / len - 1 - block]. Sums double their bound per
 * layer: with |c| < q on input, a reduction every third layer keeps them
 * below 8q and the differences below 2^15.
 */
static __always_inline void mlkem_invntt_2layers(s16 *r, unsigned int len,
						 bool red1, bool red2)
{
	unsigned int blk, j;
	s16 za, zb, zc, a0, a1, a2, a3;
	s16 *p;

	for (blk = 0; blk < MLKEM_N / (4 * len); blk++) {
		za = mlkem_zetas[256 / len - 1 - 2 * blk];
		zb = mlkem_zetas[256 / len - 2 - 2 * blk];
		zc = mlkem_zetas[128 / len - 1 - blk];
		p = r + 4 * len * blk;
		for (j = 0; j < len; j++) {
			a0 = p[j];
			a1 = p[j + len];
			a2 = p[j + 2 * len];
			a3 = p[j + 3 * len];
			mlkem_inv_bfly(&a0, &a1, za, red1);
			mlkem_inv_bfly(&a2, &a3, zb, red1);
			mlkem_inv_bfly(&a0, &a2, zc, red2);
			mlkem_inv_bfly(&a1, &a3, zc, red2);
			p[j] = a0;
			p[j + len] = a1;
			p[j + 2 * len] = a2;
			p[j + 3 * len] = a3;
		}
	}
}

/*
 * Inverse NTT, in place, multiplied by 2^16 (so that it cancels the 2^-16
 * of a preceding base multiplication). Input |c| < q, output |c| < q. The
 * scaling by 2^32 / 128 is folded into the last layer.
 */
void mlkem_poly_invntt_tomont(struct mlkem_poly *p)
{
	s16 *r = p->coeffs;
	unsigned int j;
	s16 t;

	mlkem_invntt_2layers(r, 2, false, false);
	mlkem_invntt_2layers(r, 8, true, false);
	mlkem_invntt_2layers(r, 32, false, true);
	for (j = 0; j < MLKEM_N / 2; j++) {
		t = r[j];
		r[j] = mlkem_fqmul(t + r[j + 128], MLKEM_INVNTT_F);
		r[j + 128] = mlkem_fqmul(r[j + 128] - t, MLKEM_INVNTT_ZF);
	}
}

/*
 * r = sum_{j < k} a[j] o b[j] (MultiplyNTTs, accumulated), times 2^-16.
 * Products are summed in 32 bits and reduced once; this needs
 * |a| <= q and |b| <= q / 2 (or the other way round), which holds for
 * decoded (csubq'd) and NTT'd (Barrett-reduced) operands. Output |c| < q.
 */
void mlkem_polyvec_basemul_acc(struct mlkem_poly *r,
			       const struct mlkem_poly *a,
			       const struct mlkem_poly *b, unsigned int k)
{
	unsigned int i, j;
	s32 c0, c1, c2, c3;
	s16 zeta;

	for (i = 0; i < MLKEM_N / 4; i++) {
		zeta = mlkem_zetas[64 + i];
		c0 = 0;
		c1 = 0;
		c2 = 0;
		c3 = 0;
		for (j = 0; j < k; j++) {
			const s16 *x = &a[j].coeffs[4 * i];
			const s16 *y = &b[j].coeffs[4 * i];

			c0 += (s32)x[0] * y[0] +
			      (s32)mlkem_fqmul(x[1], y[1]) * zeta;
			c1 += (s32)x[0] * y[1] + (s32)x[1] * y[0];
			c2 += (s32)x[2] * y[2] -
			      (s32)mlkem_fqmul(x[3], y[3]) * zeta;
			c3 += (s32)x[2] * y[3] + (s32)x[3] * y[2];
		}
		r->coeffs[4 * i] = mlkem_montgomery_reduce(c0);
		r->coeffs[4 * i + 1] = mlkem_montgomery_reduce(c1);
		r->coeffs[4 * i + 2] = mlkem_montgomery_reduce(c2);
		r->coeffs[4 * i + 3] = mlkem_montgomery_reduce(c3);
	}
}
