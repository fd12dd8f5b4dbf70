// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * NTT and inverse NTT of the AVX2 backend: 16 coefficients per 256-bit
 * vector (GCC vector extensions and the compiler's own x86 builtins, no
 * <immintrin.h>). Built with -mavx2; may only run when AVX2 is usable.
 *
 * Bit-identical to ntt.c by construction: every butterfly computes what
 * the portable one computes, in the same layer order, with the same
 * reductions at the same places. The vector Montgomery product
 * hi(a b) - hi(t q), t = lo(lo(a b) q^-1), equals the portable
 * (a b - t q) >> 16 exactly, since a b and t q agree in their low 16
 * bits; the vector Barrett quotient ((hi(v a) + 2^9) >> 10) equals the
 * portable (v a + 2^25) >> 26, by floor(floor(x) / m) = floor(x / m).
 */
#include "../../impl.h"
#include "vec_avx2.h"
#include "../../reduce.h"

/*
 * mlkem_zetas (ntt.c) per lane for the layers whose blocks are shorter
 * than a vector: lane m of vector v belongs to block (16 v + m) / (2 L);
 * forward layer L uses zetas[128 / L + block], inverse layer L uses
 * zetas[256 / L - 1 - block].
 */
static const s16 mlkem_zv_fwd4[16][16] = {
	{ 1223, 1223, 1223, 1223, 1223, 1223, 1223, 1223,
	  652, 652, 652, 652, 652, 652, 652, 652 },
	{ -552, -552, -552, -552, -552, -552, -552, -552,
	  1015, 1015, 1015, 1015, 1015, 1015, 1015, 1015 },
	{ -1293, -1293, -1293, -1293, -1293, -1293, -1293, -1293,
	  1491, 1491, 1491, 1491, 1491, 1491, 1491, 1491 },
	{ -282, -282, -282, -282, -282, -282, -282, -282,
	  -1544, -1544, -1544, -1544, -1544, -1544, -1544, -1544 },
	{ 516, 516, 516, 516, 516, 516, 516, 516,
	  -8, -8, -8, -8, -8, -8, -8, -8 },
	{ -320, -320, -320, -320, -320, -320, -320, -320,
	  -666, -666, -666, -666, -666, -666, -666, -666 },
	{ -1618, -1618, -1618, -1618, -1618, -1618, -1618, -1618,
	  -1162, -1162, -1162, -1162, -1162, -1162, -1162, -1162 },
	{ 126, 126, 126, 126, 126, 126, 126, 126,
	  1469, 1469, 1469, 1469, 1469, 1469, 1469, 1469 },
	{ -853, -853, -853, -853, -853, -853, -853, -853,
	  -90, -90, -90, -90, -90, -90, -90, -90 },
	{ -271, -271, -271, -271, -271, -271, -271, -271,
	  830, 830, 830, 830, 830, 830, 830, 830 },
	{ 107, 107, 107, 107, 107, 107, 107, 107,
	  -1421, -1421, -1421, -1421, -1421, -1421, -1421, -1421 },
	{ -247, -247, -247, -247, -247, -247, -247, -247,
	  -951, -951, -951, -951, -951, -951, -951, -951 },
	{ -398, -398, -398, -398, -398, -398, -398, -398,
	  961, 961, 961, 961, 961, 961, 961, 961 },
	{ -1508, -1508, -1508, -1508, -1508, -1508, -1508, -1508,
	  -725, -725, -725, -725, -725, -725, -725, -725 },
	{ 448, 448, 448, 448, 448, 448, 448, 448,
	  -1065, -1065, -1065, -1065, -1065, -1065, -1065, -1065 },
	{ 677, 677, 677, 677, 677, 677, 677, 677,
	  -1275, -1275, -1275, -1275, -1275, -1275, -1275, -1275 },
};

static const s16 mlkem_zv_fwd2[16][16] = {
	{ -1103, -1103, -1103, -1103, 430, 430, 430, 430,
	  555, 555, 555, 555, 843, 843, 843, 843 },
	{ -1251, -1251, -1251, -1251, 871, 871, 871, 871,
	  1550, 1550, 1550, 1550, 105, 105, 105, 105 },
	{ 422, 422, 422, 422, 587, 587, 587, 587,
	  177, 177, 177, 177, -235, -235, -235, -235 },
	{ -291, -291, -291, -291, -460, -460, -460, -460,
	  1574, 1574, 1574, 1574, 1653, 1653, 1653, 1653 },
	{ -246, -246, -246, -246, 778, 778, 778, 778,
	  1159, 1159, 1159, 1159, -147, -147, -147, -147 },
	{ -777, -777, -777, -777, 1483, 1483, 1483, 1483,
	  -602, -602, -602, -602, 1119, 1119, 1119, 1119 },
	{ -1590, -1590, -1590, -1590, 644, 644, 644, 644,
	  -872, -872, -872, -872, 349, 349, 349, 349 },
	{ 418, 418, 418, 418, 329, 329, 329, 329,
	  -156, -156, -156, -156, -75, -75, -75, -75 },
	{ 817, 817, 817, 817, 1097, 1097, 1097, 1097,
	  603, 603, 603, 603, 610, 610, 610, 610 },
	{ 1322, 1322, 1322, 1322, -1285, -1285, -1285, -1285,
	  -1465, -1465, -1465, -1465, 384, 384, 384, 384 },
	{ -1215, -1215, -1215, -1215, -136, -136, -136, -136,
	  1218, 1218, 1218, 1218, -1335, -1335, -1335, -1335 },
	{ -874, -874, -874, -874, 220, 220, 220, 220,
	  -1187, -1187, -1187, -1187, -1659, -1659, -1659, -1659 },
	{ -1185, -1185, -1185, -1185, -1530, -1530, -1530, -1530,
	  -1278, -1278, -1278, -1278, 794, 794, 794, 794 },
	{ -1510, -1510, -1510, -1510, -854, -854, -854, -854,
	  -870, -870, -870, -870, 478, 478, 478, 478 },
	{ -108, -108, -108, -108, -308, -308, -308, -308,
	  996, 996, 996, 996, 991, 991, 991, 991 },
	{ 958, 958, 958, 958, -1460, -1460, -1460, -1460,
	  1522, 1522, 1522, 1522, 1628, 1628, 1628, 1628 },
};

static const s16 mlkem_zv_inv2[16][16] = {
	{ 1628, 1628, 1628, 1628, 1522, 1522, 1522, 1522,
	  -1460, -1460, -1460, -1460, 958, 958, 958, 958 },
	{ 991, 991, 991, 991, 996, 996, 996, 996,
	  -308, -308, -308, -308, -108, -108, -108, -108 },
	{ 478, 478, 478, 478, -870, -870, -870, -870,
	  -854, -854, -854, -854, -1510, -1510, -1510, -1510 },
	{ 794, 794, 794, 794, -1278, -1278, -1278, -1278,
	  -1530, -1530, -1530, -1530, -1185, -1185, -1185, -1185 },
	{ -1659, -1659, -1659, -1659, -1187, -1187, -1187, -1187,
	  220, 220, 220, 220, -874, -874, -874, -874 },
	{ -1335, -1335, -1335, -1335, 1218, 1218, 1218, 1218,
	  -136, -136, -136, -136, -1215, -1215, -1215, -1215 },
	{ 384, 384, 384, 384, -1465, -1465, -1465, -1465,
	  -1285, -1285, -1285, -1285, 1322, 1322, 1322, 1322 },
	{ 610, 610, 610, 610, 603, 603, 603, 603,
	  1097, 1097, 1097, 1097, 817, 817, 817, 817 },
	{ -75, -75, -75, -75, -156, -156, -156, -156,
	  329, 329, 329, 329, 418, 418, 418, 418 },
	{ 349, 349, 349, 349, -872, -872, -872, -872,
	  644, 644, 644, 644, -1590, -1590, -1590, -1590 },
	{ 1119, 1119, 1119, 1119, -602, -602, -602, -602,
	  1483, 1483, 1483, 1483, -777, -777, -777, -777 },
	{ -147, -147, -147, -147, 1159, 1159, 1159, 1159,
	  778, 778, 778, 778, -246, -246, -246, -246 },
	{ 1653, 1653, 1653, 1653, 1574, 1574, 1574, 1574,
	  -460, -460, -460, -460, -291, -291, -291, -291 },
	{ -235, -235, -235, -235, 177, 177, 177, 177,
	  587, 587, 587, 587, 422, 422, 422, 422 },
	{ 105, 105, 105, 105, 1550, 1550, 1550, 1550,
	  871, 871, 871, 871, -1251, -1251, -1251, -1251 },
	{ 843, 843, 843, 843, 555, 555, 555, 555,
	  430, 430, 430, 430, -1103, -1103, -1103, -1103 },
};

static const s16 mlkem_zv_inv4[16][16] = {
	{ -1275, -1275, -1275, -1275, -1275, -1275, -1275, -1275,
	  677, 677, 677, 677, 677, 677, 677, 677 },
	{ -1065, -1065, -1065, -1065, -1065, -1065, -1065, -1065,
	  448, 448, 448, 448, 448, 448, 448, 448 },
	{ -725, -725, -725, -725, -725, -725, -725, -725,
	  -1508, -1508, -1508, -1508, -1508, -1508, -1508, -1508 },
	{ 961, 961, 961, 961, 961, 961, 961, 961,
	  -398, -398, -398, -398, -398, -398, -398, -398 },
	{ -951, -951, -951, -951, -951, -951, -951, -951,
	  -247, -247, -247, -247, -247, -247, -247, -247 },
	{ -1421, -1421, -1421, -1421, -1421, -1421, -1421, -1421,
	  107, 107, 107, 107, 107, 107, 107, 107 },
	{ 830, 830, 830, 830, 830, 830, 830, 830,
	  -271, -271, -271, -271, -271, -271, -271, -271 },
	{ -90, -90, -90, -90, -90, -90, -90, -90,
	  -853, -853, -853, -853, -853, -853, -853, -853 },
	{ 1469, 1469, 1469, 1469, 1469, 1469, 1469, 1469,
	  126, 126, 126, 126, 126, 126, 126, 126 },
	{ -1162, -1162, -1162, -1162, -1162, -1162, -1162, -1162,
	  -1618, -1618, -1618, -1618, -1618, -1618, -1618, -1618 },
	{ -666, -666, -666, -666, -666, -666, -666, -666,
	  -320, -320, -320, -320, -320, -320, -320, -320 },
	{ -8, -8, -8, -8, -8, -8, -8, -8,
	  516, 516, 516, 516, 516, 516, 516, 516 },
	{ -1544, -1544, -1544, -1544, -1544, -1544, -1544, -1544,
	  -282, -282, -282, -282, -282, -282, -282, -282 },
	{ 1491, 1491, 1491, 1491, 1491, 1491, 1491, 1491,
	  -1293, -1293, -1293, -1293, -1293, -1293, -1293, -1293 },
	{ 1015, 1015, 1015, 1015, 1015, 1015, 1015, 1015,
	  -552, -552, -552, -552, -552, -552, -552, -552 },
	{ 652, 652, 652, 652, 652, 652, 652, 652,
	  1223, 1223, 1223, 1223, 1223, 1223, 1223, 1223 },
};

/* mlkem_fqmul() on each lane. */
static __always_inline v16s16 mlkem_v_fqmul(v16s16 a, v16s16 b)
{
	v16s16 t = mlkem_v_mullo(mlkem_v_mullo(a, b),
				 mlkem_v_set1((s16)MLKEM_QINV_U));

	return mlkem_v_mulhi(a, b) - mlkem_v_mulhi(t, mlkem_v_set1(MLKEM_Q));
}

/* mlkem_barrett_reduce() on each lane. */
static __always_inline v16s16 mlkem_v_barrett(v16s16 a)
{
	v16s16 t = mlkem_v_mulhi(a, mlkem_v_set1(MLKEM_BARRETT_V));

	t = (t + mlkem_v_set1(1 << 9)) >> 10;
	return a - mlkem_v_mullo(t, mlkem_v_set1(MLKEM_Q));
}

/* Forward layer with distance @d >= 16: whole vectors are butterflied. */
static __always_inline void mlkem_v_fwd_layer(v16s16 *r, unsigned int d)
{
	unsigned int blk, j, h = d / 16;
	v16s16 z, a, b, t;

	for (blk = 0; blk < 128 / d; blk++) {
		z = mlkem_v_set1(mlkem_zetas[128 / d + blk]);
		for (j = 0; j < h; j++) {
			a = r[2 * h * blk + j];
			b = r[2 * h * blk + h + j];
			t = mlkem_v_fqmul(b, z);
			r[2 * h * blk + h + j] = a - t;
			r[2 * h * blk + j] = a + t;
		}
	}
}

/* Inverse layer with distance @d >= 16. */
static __always_inline void mlkem_v_inv_layer(v16s16 *r, unsigned int d,
					      bool reduce)
{
	unsigned int blk, j, h = d / 16;
	v16s16 z, a, b;

	for (blk = 0; blk < 128 / d; blk++) {
		z = mlkem_v_set1(mlkem_zetas[256 / d - 1 - blk]);
		for (j = 0; j < h; j++) {
			a = r[2 * h * blk + j];
			b = r[2 * h * blk + h + j];
			if (reduce)
				r[2 * h * blk + j] = mlkem_v_barrett(a + b);
			else
				r[2 * h * blk + j] = a + b;
			r[2 * h * blk + h + j] = mlkem_v_fqmul(b - a, z);
		}
	}
}

/*
 * Layers with distance 8, 4, 2 act inside one vector x: lane m pairs with
 * lane m +- d. *a gets each pair's first element in both lanes of the
 * pair, *b its second; the result is all-ones on the first elements' lanes.
 */
static const s16 mlkem_v_iota[16] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
};

/* For distance 8, 4, 2: the lane of each pair's first element. */
static const s16 mlkem_v_first[3][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7 },
	{ 0, 1, 2, 3, 0, 1, 2, 3, 8, 9, 10, 11, 8, 9, 10, 11 },
	{ 0, 1, 0, 1, 4, 5, 4, 5, 8, 9, 8, 9, 12, 13, 12, 13 },
};

static __always_inline v16s16 mlkem_v_pairs(v16s16 x, unsigned int d,
					    v16s16 *a, v16s16 *b)
{
	v16s16 ma = *(const v16s16 *)mlkem_v_first[d == 8 ? 0 : d == 4 ? 1 : 2];

	*a = mlkem_shuffle(x, ma);
	*b = mlkem_shuffle(x, ma + mlkem_v_set1((s16)d));
	return (v16s16)(ma == *(const v16s16 *)mlkem_v_iota);
}

/* (a, b) = (a + zeta b, a - zeta b) on every pair of @x. */
static __always_inline v16s16 mlkem_v_fwd_small(v16s16 x, unsigned int d,
						v16s16 z)
{
	v16s16 a, b, lo, t;

	lo = mlkem_v_pairs(x, d, &a, &b);
	t = mlkem_v_fqmul(b, z);
	return a + ((t & lo) | (-t & ~lo));
}

/* (a, b) = (a + b [reduced], zeta (b - a)) on every pair of @x. */
static __always_inline v16s16 mlkem_v_inv_small(v16s16 x, unsigned int d,
						v16s16 z, bool reduce)
{
	v16s16 a, b, lo, s;

	lo = mlkem_v_pairs(x, d, &a, &b);
	s = a + b;
	if (reduce)
		s = mlkem_v_barrett(s);
	return (s & lo) | (mlkem_v_fqmul(b - a, z) & ~lo);
}

/* As mlkem_poly_ntt(). */
void mlkem_poly_ntt_avx2(struct mlkem_poly *p)
{
	v16s16 *r = (v16s16 *)p->coeffs;
	unsigned int v;

	mlkem_v_fwd_layer(r, 128);
	mlkem_v_fwd_layer(r, 64);
	mlkem_v_fwd_layer(r, 32);
	mlkem_v_fwd_layer(r, 16);
	for (v = 0; v < 16; v++) {
		v16s16 x = r[v];

		x = mlkem_v_fwd_small(x, 8, mlkem_v_set1(mlkem_zetas[16 + v]));
		x = mlkem_v_fwd_small(x, 4, *(const v16s16 *)mlkem_zv_fwd4[v]);
		x = mlkem_v_fwd_small(x, 2, *(const v16s16 *)mlkem_zv_fwd2[v]);
		r[v] = mlkem_v_barrett(x);
	}
}

/* As mlkem_poly_invntt_tomont(). */
void mlkem_poly_invntt_tomont_avx2(struct mlkem_poly *p)
{
	v16s16 *r = (v16s16 *)p->coeffs;
	v16s16 a, b;
	unsigned int v;

	for (v = 0; v < 16; v++) {
		v16s16 x = r[v];

		x = mlkem_v_inv_small(x, 2, *(const v16s16 *)mlkem_zv_inv2[v],
				      false);
		x = mlkem_v_inv_small(x, 4, *(const v16s16 *)mlkem_zv_inv4[v],
				      false);
		x = mlkem_v_inv_small(x, 8,
				      mlkem_v_set1(mlkem_zetas[31 - v]),
				      true);
		r[v] = x;
	}
	mlkem_v_inv_layer(r, 16, false);
	mlkem_v_inv_layer(r, 32, false);
	mlkem_v_inv_layer(r, 64, true);
	for (v = 0; v < 8; v++) {
		a = r[v];
		b = r[v + 8];
		r[v] = mlkem_v_fqmul(a + b, mlkem_v_set1(MLKEM_INVNTT_F));
		r[v + 8] = mlkem_v_fqmul(b - a, mlkem_v_set1(MLKEM_INVNTT_ZF));
	}
}

/*
 * Base multiplication: lane m of vector v belongs to the pair of degree-1
 * products 4 v + m / 4 (FIPS 203 Algorithm 11 on 4 coefficients); the
 * lanes 4 g + 1 hold zetas[64 + 4 v + g], the lanes 4 g + 3 its negation,
 * the others 0.
 */
static const s16 mlkem_zv_basemul[16][16] = {
	{ 0, -1103, 0, 1103, 0, 430, 0, -430,
	  0, 555, 0, -555, 0, 843, 0, -843 },
	{ 0, -1251, 0, 1251, 0, 871, 0, -871,
	  0, 1550, 0, -1550, 0, 105, 0, -105 },
	{ 0, 422, 0, -422, 0, 587, 0, -587,
	  0, 177, 0, -177, 0, -235, 0, 235 },
	{ 0, -291, 0, 291, 0, -460, 0, 460,
	  0, 1574, 0, -1574, 0, 1653, 0, -1653 },
	{ 0, -246, 0, 246, 0, 778, 0, -778,
	  0, 1159, 0, -1159, 0, -147, 0, 147 },
	{ 0, -777, 0, 777, 0, 1483, 0, -1483,
	  0, -602, 0, 602, 0, 1119, 0, -1119 },
	{ 0, -1590, 0, 1590, 0, 644, 0, -644,
	  0, -872, 0, 872, 0, 349, 0, -349 },
	{ 0, 418, 0, -418, 0, 329, 0, -329,
	  0, -156, 0, 156, 0, -75, 0, 75 },
	{ 0, 817, 0, -817, 0, 1097, 0, -1097,
	  0, 603, 0, -603, 0, 610, 0, -610 },
	{ 0, 1322, 0, -1322, 0, -1285, 0, 1285,
	  0, -1465, 0, 1465, 0, 384, 0, -384 },
	{ 0, -1215, 0, 1215, 0, -136, 0, 136,
	  0, 1218, 0, -1218, 0, -1335, 0, 1335 },
	{ 0, -874, 0, 874, 0, 220, 0, -220,
	  0, -1187, 0, 1187, 0, -1659, 0, 1659 },
	{ 0, -1185, 0, 1185, 0, -1530, 0, 1530,
	  0, -1278, 0, 1278, 0, 794, 0, -794 },
	{ 0, -1510, 0, 1510, 0, -854, 0, 854,
	  0, -870, 0, 870, 0, 478, 0, -478 },
	{ 0, -108, 0, 108, 0, -308, 0, 308,
	  0, 996, 0, -996, 0, 991, 0, -991 },
	{ 0, 958, 0, -958, 0, -1460, 0, 1460,
	  0, 1522, 0, -1522, 0, 1628, 0, -1628 },
};

static const s16 mlkem_v_swap[16] = {
	1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14
};

/* As mlkem_polyvec_basemul_acc(): the same 32-bit sums, reduced once. */
void mlkem_polyvec_basemul_acc_avx2(struct mlkem_poly *r,
				    const struct mlkem_poly *a,
				    const struct mlkem_poly *b,
				    unsigned int k)
{
	const v8u32 even = { 0 }, lo16 = even + 0xffffU;
	const v16s16 evens = (v16s16)lo16;
	const v16s16 swap = *(const v16s16 *)mlkem_v_swap;
	v16s16 *out = (v16s16 *)r->coeffs;
	v16s16 x, y, f, u, w;
	v8si e, o, t;
	unsigned int v, j;

	for (v = 0; v < 16; v++) {
		e = (v8si)even;
		o = (v8si)even;
		for (j = 0; j < k; j++) {
			x = ((const v16s16 *)a[j].coeffs)[v];
			y = ((const v16s16 *)b[j].coeffs)[v];
			f = mlkem_v_fqmul(x, y);
			/* (x0, f1, x2, f3) . (y0, zeta, y2, -zeta) */
			u = (x & evens) | (f & ~evens);
			w = (y & evens) | *(const v16s16 *)mlkem_zv_basemul[v];
			e += mlkem_pmaddwd((v16hi)u, (v16hi)w);
			/* (x0, x1, x2, x3) . (y1, y0, y3, y2) */
			o += mlkem_pmaddwd((v16hi)x,
					   (v16hi)mlkem_shuffle(y, swap));
		}
		/* mlkem_montgomery_reduce() on 32-bit lanes */
		t = (v8si)(((v8u32)e * MLKEM_QINV_U) << 16) >> 16;
		e = (e - t * MLKEM_Q) >> 16;
		t = (v8si)(((v8u32)o * MLKEM_QINV_U) << 16) >> 16;
		o = (o - t * MLKEM_Q) >> 16;
		/* c0 c2 from e, c1 c3 from o: interleaved 16-bit halves */
		out[v] = (v16s16)(((v8u32)e & lo16) | ((v8u32)o << 16));
	}
}
