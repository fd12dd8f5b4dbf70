// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Coefficient-wise polynomial operations, encodings and compression
 * (FIPS 203 Algorithms 4 and 5, Compress_d / Decompress_d). Division by q
 * is written as a multiplication and a shift, exact for the inputs used.
 */
#include "poly.h"
#include "reduce.h"

/* floor(x / q) = (x * MLKEM_DIVQ_M) >> MLKEM_DIVQ_S for 0 <= x < 2^23. */
#define MLKEM_DIVQ_M	20642679ULL	/* ceil(2^36 / q) */
#define MLKEM_DIVQ_S	36

/* round(2^d * x / q) mod 2^d, for x in [0, q) and 1 <= d <= 11. */
static __always_inline u32 mlkem_compress(s16 x, unsigned int d)
{
	u64 t = ((u64)(u16)x << d) + MLKEM_Q / 2;

	return (u32)((t * MLKEM_DIVQ_M) >> MLKEM_DIVQ_S) & ((1U << d) - 1);
}

void mlkem_poly_reduce(struct mlkem_poly *r)
{
	unsigned int i;

	for (i = 0; i < MLKEM_N; i++)
		r->coeffs[i] = mlkem_barrett_reduce(r->coeffs[i]);
}

/* Multiplies by 2^16 (Montgomery form); output |c| < q. */
void mlkem_poly_tomont(struct mlkem_poly *r)
{
	unsigned int i;

	for (i = 0; i < MLKEM_N; i++)
		r->coeffs[i] = mlkem_fqmul(r->coeffs[i], MLKEM_MONT2);
}

/* r += b, no reduction. */
void mlkem_poly_add(struct mlkem_poly *r, const struct mlkem_poly *b)
{
	unsigned int i;

	for (i = 0; i < MLKEM_N; i++)
		r->coeffs[i] += b->coeffs[i];
}

/* r = a - b, no reduction. */
void mlkem_poly_sub(struct mlkem_poly *r, const struct mlkem_poly *a,
		    const struct mlkem_poly *b)
{
	unsigned int i;

	for (i = 0; i < MLKEM_N; i++)
		r->coeffs[i] = a->coeffs[i] - b->coeffs[i];
}

/* ByteEncode_12 of a polynomial with |c| < q. */
void mlkem_poly_tobytes(u8 r[MLKEM_POLYBYTES], const struct mlkem_poly *a)
{
	unsigned int i;
	u16 t0, t1;

	for (i = 0; i < MLKEM_N / 2; i++) {
		t0 = (u16)mlkem_caddq(a->coeffs[2 * i]);
		t1 = (u16)mlkem_caddq(a->coeffs[2 * i + 1]);
		r[3 * i] = (u8)t0;
		r[3 * i + 1] = (u8)((t0 >> 8) | (t1 << 4));
		r[3 * i + 2] = (u8)(t1 >> 4);
	}
}

/*
 * ByteDecode_12, reducing every 12-bit value mod q; output in [0, q).
 * Returns a mask that is nonzero iff a value was >= q (FIPS 203 7.2).
 */
s16 mlkem_poly_frombytes_check(struct mlkem_poly *r,
			       const u8 a[MLKEM_POLYBYTES])
{
	unsigned int i;
	s16 t0, t1, bad = 0;

	for (i = 0; i < MLKEM_N / 2; i++) {
		t0 = (s16)((a[3 * i] | (a[3 * i + 1] << 8)) & 0xfff);
		t1 = (s16)((a[3 * i + 1] >> 4) | (a[3 * i + 2] << 4));
		bad |= (s16)(MLKEM_Q - 1 - t0) | (s16)(MLKEM_Q - 1 - t1);
		r->coeffs[2 * i] = mlkem_csubq(t0);
		r->coeffs[2 * i + 1] = mlkem_csubq(t1);
	}
	return bad >> 15;
}

void mlkem_poly_frombytes(struct mlkem_poly *r, const u8 a[MLKEM_POLYBYTES])
{
	mlkem_poly_frombytes_check(r, a);
}

/*
 * ByteEncode_d(Compress_d(a)) for 1 <= d <= 11, writing 32 * d bytes.
 * Input |c| < q.
 */
void mlkem_poly_compress(u8 *r, const struct mlkem_poly *a, unsigned int d)
{
	unsigned int i, bits = 0;
	u32 acc = 0;

	for (i = 0; i < MLKEM_N; i++) {
		acc |= mlkem_compress(mlkem_caddq(a->coeffs[i]), d) << bits;
		bits += d;
		while (bits >= 8) {
			*r++ = (u8)acc;
			acc >>= 8;
			bits -= 8;
		}
	}
}

/* Decompress_d(ByteDecode_d(a)) for 1 <= d <= 11; output in [0, q). */
void mlkem_poly_decompress(struct mlkem_poly *r, const u8 *a, unsigned int d)
{
	unsigned int i, bits = 0;
	u32 acc = 0, y;

	for (i = 0; i < MLKEM_N; i++) {
		while (bits < d) {
			acc |= (u32)*a++ << bits;
			bits += 8;
		}
		y = acc & ((1U << d) - 1);
		acc >>= d;
		bits -= d;
		r->coeffs[i] = (s16)((y * MLKEM_Q + (1U << (d - 1))) >> d);
	}
}

/* Decompress_1(ByteDecode_1(msg)), with masks instead of branches. */
void mlkem_poly_frommsg(struct mlkem_poly *r, const u8 msg[MLKEM_SYMBYTES])
{
	unsigned int i, j;
	s16 mask;

	for (i = 0; i < MLKEM_SYMBYTES; i++) {
		for (j = 0; j < 8; j++) {
			mask = -(s16)((msg[i] >> j) & 1);
			mlkem_value_barrier(mask);
			r->coeffs[8 * i + j] = mask & ((MLKEM_Q + 1) / 2);
		}
	}
}

/* ByteEncode_1(Compress_1(a)) for |c| < q. */
void mlkem_poly_tomsg(u8 msg[MLKEM_SYMBYTES], const struct mlkem_poly *a)
{
	unsigned int i, j;
	u32 b;

	for (i = 0; i < MLKEM_SYMBYTES; i++) {
		b = 0;
		for (j = 0; j < 8; j++)
			b |= mlkem_compress(mlkem_caddq(a->coeffs[8 * i + j]),
					    1) << j;
		msg[i] = (u8)b;
	}
}
