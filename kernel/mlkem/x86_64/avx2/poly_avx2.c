// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Coefficient-wise operations, encodings and compression of the AVX2
 * backend: 16 coefficients per 256-bit vector (GCC vector extensions and
 * the compiler's own x86 builtins, no <immintrin.h>). Built with -mavx2;
 * may only run when AVX2 is usable.
 *
 * Bit-identical to poly.c on the input domain poly.c documents:
 *   reduce, tomont, add, sub, tobytes: every s16 coefficient (poly.c is
 *     total there; the vector code does the same 16-bit arithmetic);
 *   frombytes, frombytes_check, decompress, frommsg: every input byte;
 *   compress, tomsg: |c| < q (what poly.c documents and kpke.c passes:
 *     the output of reduce).
 * Compress_d is floor((2^d x + (q - 1) / 2) / q) mod 2^d for x in [0, q),
 * as in poly.c; here the quotient comes from a 16-bit estimate
 * Q0 = (8 x * ceil(2^(13 + d) / q)) >> 16, which is Q or Q - 1 since it
 * overestimates 2^d x / q by less than x / 2^13 < 1/2 - 1/(2q), and one
 * correction step on the remainder, which is then in [0, 2q).
 * Decompress_d is round(q y / 2^d) = vpmulhrsw(y << (15 - d), q), exact.
 *
 * No branch and no memory index depends on a coefficient or on a byte of
 * the encoded inputs; only on d and on the loop position.
 */
#include "poly_avx2.h"
#include "vec_avx2.h"
#include "../../reduce.h"

typedef u64 v4u64 __attribute__((vector_size(32)));
typedef u8 v32u8 __attribute__((vector_size(32)));
typedef u8 v16u8 __attribute__((vector_size(16)));
/* 16 or 32 bytes at any address of a byte buffer */
typedef u8 v16u8_ua __attribute__((vector_size(16), may_alias)) __aligned(1);
typedef u64 v4u64_ua __attribute__((vector_size(32), may_alias)) __aligned(1);

/*
 * Vector constants live in arrays: sparse sees vectors as scalars and
 * would reject a braced vector initializer.
 */
static const u8 mlkem_iota8[32] __aligned(32) = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

/* tobytes: the low 3 bytes of each dword, then dwords 0-2 and 4-6 */
static const u8 mlkem_enc12_bytes[32] __aligned(32) = {
	0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0,
	16, 17, 18, 20, 21, 22, 24, 25, 26, 28, 29, 30, 16, 16, 16, 16,
};

static const u32 mlkem_enc12_dwords[8] __aligned(32) = {
	0, 1, 2, 4, 5, 6, 3, 7
};

/* frombytes: the two bytes of each 12-bit value (see mlkem_v_decode12) */
static const u8 mlkem_dec12_bytes[32] __aligned(32) = {
	0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11,
	20, 21, 21, 22, 23, 24, 24, 25, 26, 27, 27, 28, 29, 30, 30, 31,
};

static const u16 mlkem_odd_lanes[16] __aligned(32) = {
	0, 0xffff, 0, 0xffff, 0, 0xffff, 0, 0xffff,
	0, 0xffff, 0, 0xffff, 0, 0xffff, 0, 0xffff,
};

static const u64 mlkem_dec12_qwords[2][4] __aligned(32) = {
	{ 0, 1, 1, 2 }, { 1, 2, 2, 3 },
};

/* frommsg: bit j in lane j */
static const u16 mlkem_msg_bit[16] __aligned(32) = {
	1, 2, 4, 8, 16, 32, 64, 128,
	256, 512, 1024, 2048, 4096, 8192, 16384, 32768,
};

static const u64 mlkem_odd_qwords[4] __aligned(32) = { 0, ~0ULL, 0, ~0ULL };

/* decompress: lanes 0..3 of each half; the high half */
static const u32 mlkem_lane4[8] __aligned(32) = { 0, 1, 2, 3, 0, 1, 2, 3 };
static const u32 mlkem_high_half[8] __aligned(32) = {
	0, 0, 0, 0, ~0U, ~0U, ~0U, ~0U
};

#define MLKEM_NV	(MLKEM_N / 16)	/* vectors per polynomial */

/*
 * vpshufb, a byte shuffle inside each 128-bit half by a mask known only at
 * run time. GCC's builtin takes vectors of plain char, a type no kernel
 * typedef names: the __typeof__ of a builtin that returns one gives it.
 */
static __always_inline v32u8 mlkem_v_pshufb(v32u8 x, v32u8 m)
{
#ifdef __CHECKER__
	return x + m;
#else
	__typeof__(mlkem_packsswb((v16hi)x, (v16hi)m)) cx, cm;

	cx = (__typeof__(cx))x;
	cm = (__typeof__(cm))m;
	return (v32u8)__builtin_ia32_pshufb256(cx, cm);
#endif
}

/* Copies @n < 32 bytes without a call; branches on @n (public) only. */
static __always_inline void mlkem_copy_small(u8 *dst, const u8 *src,
					     unsigned int n)
{
	if (n & 16) {
		memcpy(dst, src, 16);
		dst += 16;
		src += 16;
	}
	if (n & 8) {
		memcpy(dst, src, 8);
		dst += 8;
		src += 8;
	}
	if (n & 4) {
		memcpy(dst, src, 4);
		dst += 4;
		src += 4;
	}
	if (n & 2) {
		memcpy(dst, src, 2);
		dst += 2;
		src += 2;
	}
	if (n & 1)
		*dst = *src;
}

/* mlkem_barrett_reduce() on each lane; exact for every s16. */
static __always_inline v16s16 mlkem_v_barrett(v16s16 a)
{
	v16s16 t = mlkem_v_mulhi(a, mlkem_v_set1(MLKEM_BARRETT_V));

	t = (t + mlkem_v_set1(1 << 9)) >> 10;
	/* wraps for |a| near 2^15, like poly.c's int to s16 conversion */
	t = mlkem_v_mullo(t, mlkem_v_set1(MLKEM_Q));
	return (v16s16)((v16u16)a - (v16u16)t);
}

/* mlkem_caddq() on each lane (in 16-bit arithmetic, as its s16 result). */
static __always_inline v16s16 mlkem_v_caddq(v16s16 a)
{
	return (v16s16)((v16u16)a + (v16u16)((a >> 15) &
					     mlkem_v_set1(MLKEM_Q)));
}

/* mlkem_csubq() on each lane. */
static __always_inline v16s16 mlkem_v_csubq(v16s16 a)
{
	a = (v16s16)((v16u16)a - (v16u16)mlkem_v_set1(MLKEM_Q));
	return (v16s16)((v16u16)a + (v16u16)((a >> 15) &
					     mlkem_v_set1(MLKEM_Q)));
}

/* As mlkem_poly_reduce(): centered representative of every lane. */
void mlkem_poly_reduce_avx2(struct mlkem_poly *p)
{
	v16s16 *r = (v16s16 *)p->coeffs;
	unsigned int i;

	for (i = 0; i < MLKEM_NV; i++)
		r[i] = mlkem_v_barrett(r[i]);
}

/*
 * As mlkem_poly_tomont(): mlkem_fqmul(c, 2^32 mod q). The low product
 * c * MONT2 * q^-1 mod 2^16 takes one multiplication by a folded constant.
 */
void mlkem_poly_tomont_avx2(struct mlkem_poly *p)
{
	const v16s16 f = mlkem_v_set1(MLKEM_MONT2);
	const v16s16 fqinv = mlkem_v_set1((s16)((MLKEM_MONT2 * MLKEM_QINV_U) &
						0xffff));
	const v16s16 q = mlkem_v_set1(MLKEM_Q);
	v16s16 *r = (v16s16 *)p->coeffs;
	unsigned int i;
	v16s16 t;

	for (i = 0; i < MLKEM_NV; i++) {
		t = mlkem_v_mullo(r[i], fqinv);
		r[i] = mlkem_v_mulhi(r[i], f) - mlkem_v_mulhi(t, q);
	}
}

/* As mlkem_poly_add(): r += b, wrapping like the s16 stores of poly.c. */
void mlkem_poly_add_avx2(struct mlkem_poly *r, const struct mlkem_poly *b)
{
	v16u16 *x = (v16u16 *)r->coeffs;
	const v16u16 *y = (const v16u16 *)b->coeffs;
	unsigned int i;

	for (i = 0; i < MLKEM_NV; i++)
		x[i] += y[i];
}

/* As mlkem_poly_sub(): r = a - b; @r may be @a or @b. */
void mlkem_poly_sub_avx2(struct mlkem_poly *r, const struct mlkem_poly *a,
			 const struct mlkem_poly *b)
{
	v16u16 *x = (v16u16 *)r->coeffs;
	const v16u16 *y = (const v16u16 *)a->coeffs;
	const v16u16 *z = (const v16u16 *)b->coeffs;
	unsigned int i;

	for (i = 0; i < MLKEM_NV; i++)
		x[i] = y[i] - z[i];
}

/*
 * ByteEncode_12: 16 coefficients -> 24 bytes. Each 32-bit lane gets
 * t0 | t1 << 12 of its pair (the same bytes as poly.c's shifts and ORs,
 * for every s16), a byte shuffle keeps the low 3 bytes of each lane, a
 * dword permutation closes the gap between the 128-bit halves.
 */
void mlkem_poly_tobytes_avx2(u8 r[MLKEM_POLYBYTES],
			     const struct mlkem_poly *a)
{
	const v32u8 pack = *(const v32u8 *)mlkem_enc12_bytes;
	const v8u32 gap = *(const v8u32 *)mlkem_enc12_dwords;
	const v16s16 *x = (const v16s16 *)a->coeffs;
	unsigned int i;
	union {
		v8u32 v;
		v16u8 h[2];
		u8 b[32];
	} w;

	for (i = 0; i < MLKEM_NV; i++) {
		w.v = (v8u32)mlkem_v_caddq(x[i]);
		w.v = (w.v & 0xffff) | ((w.v >> 16) << 12);
		w.v = (v8u32)mlkem_shuffle((v32u8)w.v, pack);
		w.v = mlkem_shuffle(w.v, gap);
		if (i < MLKEM_NV - 1) {
			/* 8 bytes too many: the next step overwrites them */
			*(v4u64_ua *)(r + 24 * i) = (v4u64)w.v;
		} else {
			*(v16u8_ua *)(r + 24 * i) = w.h[0];
			memcpy(r + 24 * i + 16, w.b + 16, 8);
		}
	}
}

/*
 * ByteDecode_12 of 16 coefficients, 24 bytes at @a + @at of the 32 loaded
 * from @a (@at is 0 or 8, so that no load passes the end of the buffer). A
 * qword permutation puts bytes 0..15 of the 24 into the low 128-bit half,
 * bytes 8..23 into the high half; a byte shuffle gives each 16-bit lane
 * the two bytes holding its 12 bits; even lanes keep the low 12 bits, odd
 * lanes drop the low 4. Returns the coefficients, not yet reduced.
 */
static __always_inline v16s16 mlkem_v_decode12(const u8 *a, unsigned int at)
{
	const v32u8 bytes = *(const v32u8 *)mlkem_dec12_bytes;
	const v4u64 perm = *(const v4u64 *)mlkem_dec12_qwords[at ? 1 : 0];
	const v16u16 odd = *(const v16u16 *)mlkem_odd_lanes;
	v4u64 b = mlkem_shuffle(*(const v4u64_ua *)a, perm);
	v16u16 w = (v16u16)mlkem_shuffle((v32u8)b, bytes);

	return (v16s16)(((w >> 4) & odd) | (w & ~odd & 0xfff));
}

/* As mlkem_poly_frombytes_check(): 0, or -1 if a 12-bit value was >= q. */
s16 mlkem_poly_frombytes_check_avx2(struct mlkem_poly *p,
				    const u8 a[MLKEM_POLYBYTES])
{
	const v16s16 qm1 = mlkem_v_set1(MLKEM_Q - 1);
	v16s16 *r = (v16s16 *)p->coeffs;
	v16s16 t, bad = { 0 };
	unsigned int i;
	u32 m;

	for (i = 0; i < MLKEM_NV; i++) {
		t = i ? mlkem_v_decode12(a + 24 * i - 8, 8) :
			mlkem_v_decode12(a, 0);
		bad |= qm1 - t;		/* negative iff t >= q */
		r[i] = mlkem_v_csubq(t);
	}
	/* any sign bit (vpacksswb keeps the signs) */
	m = (u32)mlkem_pmovmskb(mlkem_packsswb((v16hi)bad, (v16hi)bad));
	return (s16)(0U - ((m | (0U - m)) >> 31));
}

/* As mlkem_poly_frombytes(): output in [0, q). */
void mlkem_poly_frombytes_avx2(struct mlkem_poly *p,
			       const u8 a[MLKEM_POLYBYTES])
{
	v16s16 *r = (v16s16 *)p->coeffs;
	unsigned int i;

	r[0] = mlkem_v_csubq(mlkem_v_decode12(a, 0));
	for (i = 1; i < MLKEM_NV; i++)
		r[i] = mlkem_v_csubq(mlkem_v_decode12(a + 24 * i - 8, 8));
}

/*
 * Lanes where Compress_1 is 1, for |c| < q: x = caddq(c) in [833, 2496],
 * where 2 x + (q - 1) / 2 is in [q, 2 q).
 */
static __always_inline v16s16 mlkem_v_msgbits(v16s16 c)
{
	v16u16 t = (v16u16)mlkem_v_caddq(c) - 833;

	return (v16s16)(t < 2496 - 833 + 1);
}

/*
 * As mlkem_poly_tomsg() (and Compress_1 of mlkem_poly_compress()): two
 * vectors of lane masks are packed to bytes and vpmovmskb gives 32
 * message bits; vpacksswb interleaves the 8-lane halves of its operands,
 * so bytes 1 and 2 of the bit mask are swapped back.
 */
void mlkem_poly_tomsg_avx2(u8 msg[MLKEM_SYMBYTES],
			   const struct mlkem_poly *a)
{
	const v16s16 *x = (const v16s16 *)a->coeffs;
	unsigned int i;
	u32 m;

	for (i = 0; i < MLKEM_NV / 2; i++) {
		m = (u32)mlkem_pmovmskb(mlkem_packsswb((v16hi)mlkem_v_msgbits(x[2 * i]),
						       (v16hi)mlkem_v_msgbits(x[2 * i + 1])));
		m = (m & 0xff0000ffU) | ((m & 0xff00U) << 8) |
		    ((m >> 8) & 0xff00U);
		memcpy(msg + 4 * i, &m, 4);
	}
}

/* As mlkem_poly_frommsg(): lane j of vector i is bit j of bytes 2i, 2i+1. */
void mlkem_poly_frommsg_avx2(struct mlkem_poly *p,
			     const u8 msg[MLKEM_SYMBYTES])
{
	const v16u16 bit = *(const v16u16 *)mlkem_msg_bit;
	v16u16 *r = (v16u16 *)p->coeffs;
	v16u16 zero = { 0 }, t;
	unsigned int i;

	for (i = 0; i < MLKEM_NV; i++) {
		t = (zero + (u16)(msg[2 * i] | msg[2 * i + 1] << 8)) & bit;
		r[i] = (v16u16)(t == bit) & (MLKEM_Q + 1) / 2;
	}
}

/* Compress_d of 16 coefficients |c| < q (see the top of the file). */
static __always_inline v16u16 mlkem_v_compress(v16s16 c, unsigned int d,
					       v16u16 m)
{
	v16u16 x = (v16u16)mlkem_v_caddq(c), q0, rem;

	q0 = (v16u16)mlkem_pmulhuw((v16hi)(x << 3), (v16hi)m);
	rem = (x << d) + (MLKEM_Q - 1) / 2 - q0 * MLKEM_Q;
	q0 -= (v16u16)((v16s16)rem > MLKEM_Q - 1);
	return q0 & (u16)((1U << d) - 1);
}

/*
 * As mlkem_poly_compress(), 2 <= d <= 11 here (d = 1 is tomsg). Each
 * 16-coefficient step makes 2 d bytes. Pairs of values are merged into
 * 32-bit lanes by vpmaddwd (v0 + 2^d v1), pairs of those into 64-bit
 * lanes (the low one shifted up by 32 - 2 d, then the qword down by as
 * much), so that each qword holds 4 d bits; two byte shuffles then put the
 * two qwords of each 128-bit half next to each other, giving the d bytes
 * of its 8 values at its start (for odd d, 4 d bits end in the middle of a
 * byte: the high qword is shifted up by 4 first and the shared byte is an
 * OR). Where the buffer goes on far enough, both halves are stored whole
 * (the high one over the tail of the low one; the next step overwrites
 * the high one's tail); else exactly.
 */
void mlkem_poly_compress_avx2(u8 *r, const struct mlkem_poly *a,
			      unsigned int d)
{
	const v32u8 iota = *(const v32u8 *)mlkem_iota8;
	const v16s16 *x = (const v16s16 *)a->coeffs;
	const v16u16 m = (v16u16){ 0 } +
			 (u16)(((1U << (13 + d)) + MLKEM_Q - 1) / MLKEM_Q);
	const v16hi pair = (v16hi)((v8u32){ 0 } + ((1U << (16 + d)) | 1));
	const v8u32 up32 = (v8u32)((v4u64){ 0 } + (32 - 2 * d));
	const v4u64 up4 = *(const v4u64 *)mlkem_odd_qwords & (4 * (d & 1));
	/* bytes of the low qword at 0.., of the high one at d / 2.. */
	const v32u8 in_a = (v32u8)(iota < (u8)((d + 1) / 2));
	const v32u8 in_b = (v32u8)(iota >= (u8)(d / 2)) &
			   (v32u8)(iota < (u8)d);
	const v32u8 ma = (iota & in_a) | (~in_a & 0x80);
	const v32u8 mb = ((iota + (u8)(8 - d / 2)) & in_b) | (~in_b & 0x80);
	unsigned int i;
	union {
		v32u8 v;
		v16u8 h[2];
		u8 b[32];
	} u;
	v4u64 z;

	if (d == 1) {
		mlkem_poly_tomsg_avx2(r, a);
		return;
	}
	for (i = 0; i < MLKEM_NV; i++) {
		z = (v4u64)mlkem_pmaddwd((v16hi)mlkem_v_compress(x[i], d, m),
					 pair);
		z = (v4u64)((v8u32)z << up32) >> (32 - 2 * d);
		z <<= up4;
		u.v = mlkem_v_pshufb((v32u8)z, ma) | mlkem_v_pshufb((v32u8)z, mb);
		if (2 * d * i + d + 16 <= 32 * d) {
			*(v16u8_ua *)(r + 2 * d * i) = u.h[0];
			*(v16u8_ua *)(r + 2 * d * i + d) = u.h[1];
		} else {
			mlkem_copy_small(r + 2 * d * i, u.b, d);
			mlkem_copy_small(r + 2 * d * i + d, u.b + 16, d);
		}
	}
}

/*
 * The shuffles of Decompress_d for 2 d bytes at byte @at of a 32-byte load:
 * a dword permutation (@perm) puts the 16 bytes from dword at / 4 into the
 * low 128-bit half (coefficients 0..7) and those from dword (at + d) / 4
 * into the high half (coefficients 8..15 start at byte at + d); a byte
 * shuffle (@idx[0], @idx[1]) gives 32-bit lane j the 4 bytes from byte
 * floor(j d / 8) of its half's values on. The permutation wraps around
 * only for bytes past the 2 d that are used.
 */
struct mlkem_dec_shuffles {
	v8si perm;
	v32u8 idx[2];
};

static __always_inline void mlkem_dec_shuffles(struct mlkem_dec_shuffles *s,
					       unsigned int d, unsigned int at)
{
	const v8u32 jlo = *(const v8u32 *)mlkem_lane4;
	const v8u32 half = *(const v8u32 *)mlkem_high_half;
	v8u32 skip, base;

	base = (~half & at) | (half & (at + d));
	s->perm = (v8si)(jlo + (base >> 2));
	skip = (base & 3) * 0x01010101U + 0x03020100U;
	s->idx[0] = (v32u8)(((jlo * d) >> 3) * 0x01010101U + skip);
	s->idx[1] = (v32u8)((((jlo + 4) * d) >> 3) * 0x01010101U + skip);
}

/*
 * As mlkem_poly_decompress(), 1 <= d <= 11 (d = 1 is frommsg). Each step
 * takes 2 d bytes from a 32-byte load: from where they start while the
 * buffer goes on far enough, else (the last steps) from its last 32 bytes,
 * with the shuffles moved along. After the shuffles of
 * mlkem_dec_shuffles(), a shift by (j d) mod 8 aligns each value; lanes
 * hold coefficients 0..3 | 8..11 in @lo and 4..7 | 12..15 in @hi, which
 * vpackusdw merges in order.
 */
void mlkem_poly_decompress_avx2(struct mlkem_poly *p, const u8 *a,
				unsigned int d)
{
	const v8u32 jlo = *(const v8u32 *)mlkem_lane4;
	const v8u32 mask = (v8u32){ 0 } + ((1U << d) - 1);
	const v8u32 shlo = (jlo * d) & 7, shhi = ((jlo + 4) * d) & 7;
	const v16s16 q = mlkem_v_set1(MLKEM_Q);
	v16s16 *r = (v16s16 *)p->coeffs;
	struct mlkem_dec_shuffles sh;
	unsigned int i, off;
	v8u32 lo, hi, b;
	v16s16 y;

	if (d == 1) {		/* Decompress_1 is what frommsg computes */
		mlkem_poly_frommsg_avx2(p, a);
		return;
	}
	mlkem_dec_shuffles(&sh, d, 0);
	for (i = 0; i < MLKEM_NV; i++) {
		off = 2 * d * i;
		if (off + 32 <= 32 * d) {
			b = (v8u32)*(const v4u64_ua *)(a + off);
		} else {
			b = (v8u32)*(const v4u64_ua *)(a + 32 * d - 32);
			mlkem_dec_shuffles(&sh, d, off + 32 - 32 * d);
		}
		b = (v8u32)mlkem_permd((v8si)b, sh.perm);
		lo = ((v8u32)mlkem_v_pshufb((v32u8)b, sh.idx[0]) >> shlo) & mask;
		hi = ((v8u32)mlkem_v_pshufb((v32u8)b, sh.idx[1]) >> shhi) & mask;
		y = (v16s16)mlkem_packusdw((v8si)lo, (v8si)hi);
		r[i] = (v16s16)mlkem_pmulhrsw((v16hi)(y << (15 - d)), (v16hi)q);
	}
}
