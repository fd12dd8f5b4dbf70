// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ChaCha20-Poly1305 (RFC 8439) in one pass on 512-bit registers: sixteen
 * ChaCha20 blocks per iteration, one block per 32-bit lane, transposed to
 * byte order at the end (one zmm register per block); Poly1305 eight-way in
 * five 26-bit limbs (VPMULUDQ), block 8i + j in lane j, each lane
 * multiplied by r^8 per group of eight blocks and by r^(8-j) at the end.
 * The eight Poly1305 groups of a 1024-byte chunk are interleaved with its
 * ten double rounds, as in the 256-bit variant. A tail of at most eight
 * blocks runs on the 256-bit variant's eight-block ChaCha20
 * (../chachapoly_x86.h). A message of at most 23 blocks is one batch of
 * 8 (ymm), 16 (zmm) or 8 + 16 blocks (the two sets' double rounds
 * interleaved) with the Poly1305 key in block 0 (no scalar block); the
 * keystream is XORed straight from the registers and Poly1305 runs over
 * the message (at most 1472 bytes, in L1) before (decryption) or after,
 * sixteen-way from 256 bytes: two chains of eight lanes (decryption in
 * place of more than 448 bytes takes the streamed path). A streamed
 * message's first crypt call does the same (init leaves the key to it),
 * and later calls of 1025 to 1536 bytes take 8 + 16 blocks. AVX-512 F and VL
 * (VPROLD for the rotations, on ymm too, and 32 ymm registers); built
 * with -mavx2 -mavx512f -mavx512vl (this folder's flags); GCC's vector
 * extensions and x86 builtins, no <immintrin.h>.
 */
#include "../chachapoly_x86.h"

/*
 * sparse models neither GCC's vector extensions (subscripts, vector
 * initializers) nor the x86 builtins this file is made of: it checks the
 * interface (../../chachapoly.h) and not this body. The userspace build
 * runs the same code under ASan and UBSan (chachapoly_vectors).
 */
#ifndef __CHECKER__

typedef u32 v16su __attribute__((vector_size(64)));
typedef u64 v8du __attribute__((vector_size(64)));
typedef u32 v16su_u __attribute__((vector_size(64), may_alias)) __aligned(1);
typedef u64 v8du_u __attribute__((vector_size(64), may_alias)) __aligned(1);

#define as_v16si(x)	((int __attribute__((vector_size(64))))(x))
#define as_v8di(x)	((long long __attribute__((vector_size(64))))(x))
/* the 64-bit products of the low 32 bits of each 64-bit lane */
static __always_inline v8du mul32x8(v8du a, v8du b)
{
#if defined(__CHECKER__)
	return a * b;
#elif defined(__clang__)
	return (v8du)__builtin_ia32_pmuludq512(as_v16si(a), as_v16si(b));
#else
	const v8du zero = { 0 };

	return (v8du)__builtin_ia32_pmuludq512_mask(as_v16si(a), as_v16si(b),
						    as_v8di(zero), 0xff);
#endif
}

static __always_inline v16su ld512(const void *p)
{
	return *(const v16su_u *)p;
}

static __always_inline v8du ld512q(const void *p)
{
	return *(const v8du_u *)p;
}

static __always_inline void st512(void *p, v16su x)
{
	*(v16su_u *)p = x;
}

static __always_inline v16su vrol(v16su x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

static __always_inline void qr16(v16su *a, v16su *b, v16su *c, v16su *d)
{
	*a += *b;
	*d = vrol(*d ^ *a, 16);
	*c += *d;
	*b = vrol(*b ^ *c, 12);
	*a += *b;
	*d = vrol(*d ^ *a, 8);
	*c += *d;
	*b = vrol(*b ^ *c, 7);
}

/*
 * The sixteen words of sixteen blocks (x_w, lane b) to block order, in
 * place: then x_b is block b. Dwords, then qwords within the 128-bit lanes
 * (each group of four words on its own), then a 4 x 4 transposition of the
 * 128-bit lanes across the groups.
 */
static __always_inline void tr16_group(v16su *a0, v16su *a1, v16su *a2,
				       v16su *a3)
{
	v8du u0, u1, u2, u3;

	u0 = (v8du)cp_shuffle2(*a0, *a1, 0, 16, 1, 17, 4, 20, 5, 21,
			       8, 24, 9, 25, 12, 28, 13, 29);
	u1 = (v8du)cp_shuffle2(*a0, *a1, 2, 18, 3, 19, 6, 22, 7, 23,
			       10, 26, 11, 27, 14, 30, 15, 31);
	u2 = (v8du)cp_shuffle2(*a2, *a3, 0, 16, 1, 17, 4, 20, 5, 21,
			       8, 24, 9, 25, 12, 28, 13, 29);
	u3 = (v8du)cp_shuffle2(*a2, *a3, 2, 18, 3, 19, 6, 22, 7, 23,
			       10, 26, 11, 27, 14, 30, 15, 31);
	*a0 = (v16su)cp_shuffle2(u0, u2, 0, 8, 2, 10, 4, 12, 6, 14);
	*a1 = (v16su)cp_shuffle2(u0, u2, 1, 9, 3, 11, 5, 13, 7, 15);
	*a2 = (v16su)cp_shuffle2(u1, u3, 0, 8, 2, 10, 4, 12, 6, 14);
	*a3 = (v16su)cp_shuffle2(u1, u3, 1, 9, 3, 11, 5, 13, 7, 15);
}

/* the 128-bit lanes of words i, 4 + i, 8 + i, 12 + i */
static __always_inline void tr16_lanes(v16su *a, v16su *b, v16su *c,
				       v16su *d)
{
	v8du q0, q1, q2, q3;

	q0 = cp_shuffle2((v8du)*a, (v8du)*b, 0, 1, 8, 9, 4, 5, 12, 13);
	q1 = cp_shuffle2((v8du)*a, (v8du)*b, 2, 3, 10, 11, 6, 7, 14, 15);
	q2 = cp_shuffle2((v8du)*c, (v8du)*d, 0, 1, 8, 9, 4, 5, 12, 13);
	q3 = cp_shuffle2((v8du)*c, (v8du)*d, 2, 3, 10, 11, 6, 7, 14, 15);
	*a = (v16su)cp_shuffle2(q0, q2, 0, 1, 2, 3, 8, 9, 10, 11);
	*b = (v16su)cp_shuffle2(q1, q3, 0, 1, 2, 3, 8, 9, 10, 11);
	*c = (v16su)cp_shuffle2(q0, q2, 4, 5, 6, 7, 12, 13, 14, 15);
	*d = (v16su)cp_shuffle2(q1, q3, 4, 5, 6, 7, 12, 13, 14, 15);
}

/* The keystream of the sixteen blocks in byte order: block b in x_b. */
#define CP16_FINAL(x, st, c) do {					\
	CP_ADD(x, st, c);						\
	tr16_group(&x##0, &x##1, &x##2, &x##3);				\
	tr16_group(&x##4, &x##5, &x##6, &x##7);				\
	tr16_group(&x##8, &x##9, &x##10, &x##11);			\
	tr16_group(&x##12, &x##13, &x##14, &x##15);			\
	tr16_lanes(&x##0, &x##4, &x##8, &x##12);			\
	tr16_lanes(&x##1, &x##5, &x##9, &x##13);			\
	tr16_lanes(&x##2, &x##6, &x##10, &x##14);			\
	tr16_lanes(&x##3, &x##7, &x##11, &x##15);			\
} while (0)

/* The block counters @ctr..@ctr + 15, one per lane. */
static __always_inline v16su ctr16(u32 ctr)
{
	const v16su lanes = { 0, 1, 2, 3, 4, 5, 6, 7,
			      8, 9, 10, 11, 12, 13, 14, 15 };

	return (v16su){ 0 } + ctr + lanes;
}

/*
 * @n bytes (all 64 if @n >= 64) of @src XORed with @ks into @dst, a partial
 * block through @buf.
 */
static __always_inline void xor_block16(const u8 *src, u8 *dst, size_t n,
					v16su ks, u8 buf[64])
{
	size_t j;

	if (n >= 64) {
		st512(dst, ld512(src) ^ ks);
	} else if (n) {
		st512(buf, ks);
		for (j = 0; j < n; j++)
			dst[j] = src[j] ^ buf[j];
	}
}

#define CP16_XOR(x, src, dst, len, b)					\
	xor_block16((src) + 64 * (b), (dst) + 64 * (b),			\
		    CP_PART(len, b), x##b, buf)

/**
 * struct poly8 - eight-way Poly1305 in 2^26 limbs.
 * @h: the accumulators, limb k of lane j in h[k][j] (below 2^32)
 * @rn: r^8 in every lane, limb by limb (5 * rn is computed per group: a
 *	third array of vectors would take the caller's frame over 1 KiB)
 * @started: a group was absorbed
 *
 * The powers r^1..r^8 (for the last group: lane j is multiplied by
 * r^(8-j)) are kept as scalars by the caller.
 */
struct poly8 {
	v8du h[5], rn[5];
	bool started;
};

/*
 * pw[i] = r^(i+1) for i < 8: r^2, then r^3 and r^4, then r^5..r^8 =
 * r^4 * (r..r^4) in one four-lane multiplication (on a chain of seven
 * scalar ones they took 80 ns).
 */
static noinline void poly1305_powers8(u32 pw[8][5], const u32 r[5])
{
	v4du a[5], b[5], s[5];
	unsigned int i, l;

	poly1305_powers4(pw, r);
	for (l = 0; l < 5; l++) {
		a[l] = v4du_of(pw[0][l], pw[1][l], pw[2][l], pw[3][l]);
		b[l] = v4du_of(pw[3][l], pw[3][l], pw[3][l], pw[3][l]);
		s[l] = b[l] * 5;
	}
	poly4_mul(a, b, s);
	for (i = 0; i < 4; i++)
		for (l = 0; l < 5; l++)
			pw[4 + i][l] = (u32)a[l][i];
	memzero_explicit(a, sizeof(a));
	memzero_explicit(b, sizeof(b));
	memzero_explicit(s, sizeof(s));
}

/* The lanes from the scalar accumulator and the powers @pw (r^1..r^8). */
static void poly8_init(struct poly8 *v, const struct pqaead_poly1305 *p,
		       const u32 pw[8][5])
{
	unsigned int l;

	for (l = 0; l < 5; l++) {
		v->rn[l] = (v8du){ 0 } + pw[7][l];
		v->h[l] = (v8du){ p->h[l] };
	}
	v->started = false;
}

/* h = h * r mod 2^130 - 5 in each lane, partly reduced as poly1305_mul(). */
static __always_inline void poly8_mul(v8du h[5], const v8du r[5],
				      const v8du s[5])
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du d0, d1, d2, d3, d4, c;

	d0 = mul32x8(h[0], r[0]) + mul32x8(h[1], s[4]) + mul32x8(h[2], s[3]) +
	     mul32x8(h[3], s[2]) + mul32x8(h[4], s[1]);
	d1 = mul32x8(h[0], r[1]) + mul32x8(h[1], r[0]) + mul32x8(h[2], s[4]) +
	     mul32x8(h[3], s[3]) + mul32x8(h[4], s[2]);
	d2 = mul32x8(h[0], r[2]) + mul32x8(h[1], r[1]) + mul32x8(h[2], r[0]) +
	     mul32x8(h[3], s[4]) + mul32x8(h[4], s[3]);
	d3 = mul32x8(h[0], r[3]) + mul32x8(h[1], r[2]) + mul32x8(h[2], r[1]) +
	     mul32x8(h[3], r[0]) + mul32x8(h[4], s[4]);
	d4 = mul32x8(h[0], r[4]) + mul32x8(h[1], r[3]) + mul32x8(h[2], r[2]) +
	     mul32x8(h[3], r[1]) + mul32x8(h[4], r[0]);
	d1 += d0 >> 26;
	h[0] = d0 & m26;
	d2 += d1 >> 26;
	h[1] = d1 & m26;
	d3 += d2 >> 26;
	h[2] = d2 & m26;
	d4 += d3 >> 26;
	h[3] = d3 & m26;
	c = d4 >> 26;
	h[4] = d4 & m26;
	h[0] += c + (c << 2);
	h[1] += h[0] >> 26;
	h[0] &= m26;
}

/* poly8_mul() with 5 * r computed here, not kept in memory. */
static __always_inline void poly8_mul_r(v8du h[5], const v8du r[5])
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du d0, d1, d2, d3, d4, c, s1 = r[1] * 5, s2 = r[2] * 5,
	     s3 = r[3] * 5, s4 = r[4] * 5;

	d0 = mul32x8(h[0], r[0]) + mul32x8(h[1], s4) + mul32x8(h[2], s3) +
	     mul32x8(h[3], s2) + mul32x8(h[4], s1);
	d1 = mul32x8(h[0], r[1]) + mul32x8(h[1], r[0]) + mul32x8(h[2], s4) +
	     mul32x8(h[3], s3) + mul32x8(h[4], s2);
	d2 = mul32x8(h[0], r[2]) + mul32x8(h[1], r[1]) + mul32x8(h[2], r[0]) +
	     mul32x8(h[3], s4) + mul32x8(h[4], s3);
	d3 = mul32x8(h[0], r[3]) + mul32x8(h[1], r[2]) + mul32x8(h[2], r[1]) +
	     mul32x8(h[3], r[0]) + mul32x8(h[4], s4);
	d4 = mul32x8(h[0], r[4]) + mul32x8(h[1], r[3]) + mul32x8(h[2], r[2]) +
	     mul32x8(h[3], r[1]) + mul32x8(h[4], r[0]);
	d1 += d0 >> 26;
	h[0] = d0 & m26;
	d2 += d1 >> 26;
	h[1] = d1 & m26;
	d3 += d2 >> 26;
	h[2] = d2 & m26;
	d4 += d3 >> 26;
	h[3] = d3 & m26;
	c = d4 >> 26;
	h[4] = d4 & m26;
	h[0] += c + (c << 2);
	h[1] += h[0] >> 26;
	h[0] &= m26;
}

/* Eight 16-byte blocks (128 bytes at @m), block j into lane j. */
static __always_inline void poly8_group(struct poly8 *v, const u8 *m)
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du a = ld512q(m), b = ld512q(m + 64), lo, hi;

	lo = cp_shuffle2(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
	hi = cp_shuffle2(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
	if (v->started)
		poly8_mul_r(v->h, v->rn);
	v->started = true;
	v->h[0] += lo & m26;
	v->h[1] += (lo >> 26) & m26;
	v->h[2] += ((lo >> 52) | (hi << 12)) & m26;
	v->h[3] += (hi >> 14) & m26;
	v->h[4] += (hi >> 40) | (1u << 24);
}

/* The lanes times r^8..r^1 (@pw), added up into the scalar accumulator. */
static noinline void poly8_final(struct poly8 *v, struct pqaead_poly1305 *p,
				 const u32 pw[8][5])
{
	v8du rf[5], sf[5];
	unsigned int l, j;
	u64 t;

	for (l = 0; l < 5; l++) {
		rf[l] = (v8du){ pw[7][l], pw[6][l], pw[5][l], pw[4][l],
				pw[3][l], pw[2][l], pw[1][l], pw[0][l] };
		sf[l] = rf[l] * 5;
	}
	poly8_mul(v->h, rf, sf);
	for (l = 0; l < 5; l++) {
		for (t = 0, j = 0; j < 8; j++)
			t += v->h[l][j];
		p->h[l] = (u32)t;
	}
}

/*
 * Poly1305 over @len bytes at @m: groups of eight blocks on @v (when
 * @vec), the lanes folded with the powers @pw, then the last blocks
 * scalar, the final one padded.
 */
static noinline void poly_rest(struct poly8 *v, struct pqaead_poly1305 *p,
			       const u32 pw[8][5], const u8 *m, size_t len,
			       bool vec)
{
	for (; len >= 128; m += 128, len -= 128)
		poly8_group(v, m);
	if (vec)
		poly8_final(v, p, pw);
	poly1305_padded(p, m, len);
}

/*
 * Five limbs of eight lanes as named members: GCC keeps these in
 * registers, an array of vectors in memory.
 */
struct v5 {
	v8du l0, l1, l2, l3, l4;
};

/*
 * A compiler barrier: loads after it are not hoisted above it (the kernel
 * has barrier(), userspace at -std=c11 not even asm).
 */
#define cp_reload()	__asm__ __volatile__("" : : : "memory")

#if defined(__CHECKER__)
#define cvt_v8du(x)	((v8du)(x))
#define cvt_v8su(x)	((v8su)(x))
#else
#define cvt_v8du(x)	__builtin_convertvector(x, v8du)
#define cvt_v8su(x)	__builtin_convertvector(x, v8su)
#endif

/*
 * h = h * r mod 2^130 - 5 in each lane, as poly8_mul(), 5 * r computed
 * here (two chains of five limbs and r in registers leave no room for it).
 */
static __always_inline void v5_mul(struct v5 *h, const struct v5 *r)
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du d0, d1, d2, d3, d4, c, s1 = r->l1 * 5, s2 = r->l2 * 5,
	     s3 = r->l3 * 5, s4 = r->l4 * 5;

	d0 = mul32x8(h->l0, r->l0) + mul32x8(h->l1, s4) +
	     mul32x8(h->l2, s3) + mul32x8(h->l3, s2) +
	     mul32x8(h->l4, s1);
	d1 = mul32x8(h->l0, r->l1) + mul32x8(h->l1, r->l0) +
	     mul32x8(h->l2, s4) + mul32x8(h->l3, s3) +
	     mul32x8(h->l4, s2);
	d2 = mul32x8(h->l0, r->l2) + mul32x8(h->l1, r->l1) +
	     mul32x8(h->l2, r->l0) + mul32x8(h->l3, s4) +
	     mul32x8(h->l4, s3);
	d3 = mul32x8(h->l0, r->l3) + mul32x8(h->l1, r->l2) +
	     mul32x8(h->l2, r->l1) + mul32x8(h->l3, r->l0) +
	     mul32x8(h->l4, s4);
	d4 = mul32x8(h->l0, r->l4) + mul32x8(h->l1, r->l3) +
	     mul32x8(h->l2, r->l2) + mul32x8(h->l3, r->l1) +
	     mul32x8(h->l4, r->l0);
	d1 += d0 >> 26;
	h->l0 = d0 & m26;
	d2 += d1 >> 26;
	h->l1 = d1 & m26;
	d3 += d2 >> 26;
	h->l2 = d2 & m26;
	d4 += d3 >> 26;
	h->l3 = d3 & m26;
	c = d4 >> 26;
	h->l4 = d4 & m26;
	h->l0 += c + (c << 2);
	h->l1 += h->l0 >> 26;
	h->l0 &= m26;
}

/* h += the limbs of eight 16-byte blocks (128 bytes at @m), block j in lane j */
static __always_inline void v5_add_msg(struct v5 *h, const u8 *m)
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du a = ld512q(m), b = ld512q(m + 64), lo, hi;

	lo = cp_shuffle2(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
	hi = cp_shuffle2(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
	h->l0 += lo & m26;
	h->l1 += (lo >> 26) & m26;
	h->l2 += ((lo >> 52) | (hi << 12)) & m26;
	h->l3 += (hi >> 14) & m26;
	h->l4 += (hi >> 40) | (1u << 24);
}

/* r = lanes q[.][k..k + 7] */
static __always_inline void v5_load(struct v5 *r, const u32 q[5][16],
				    unsigned int k)
{
	r->l0 = cvt_v8du(ld256(&q[0][k]));
	r->l1 = cvt_v8du(ld256(&q[1][k]));
	r->l2 = cvt_v8du(ld256(&q[2][k]));
	r->l3 = cvt_v8du(ld256(&q[3][k]));
	r->l4 = cvt_v8du(ld256(&q[4][k]));
}

/* r = q[.][k] in every lane */
static __always_inline void v5_bcast(struct v5 *r, const u32 q[5][16],
				     unsigned int k)
{
	r->l0 = (v8du){ 0 } + q[0][k];
	r->l1 = (v8du){ 0 } + q[1][k];
	r->l2 = (v8du){ 0 } + q[2][k];
	r->l3 = (v8du){ 0 } + q[3][k];
	r->l4 = (v8du){ 0 } + q[4][k];
}

/* the sum of the eight lanes */
static __always_inline u32 v8du_hsum(v8du x)
{
	x += cp_shuffle2(x, x, 4, 5, 6, 7, 0, 1, 2, 3);
	x += cp_shuffle2(x, x, 2, 3, 0, 1, 6, 7, 4, 5);
	x += cp_shuffle2(x, x, 1, 0, 3, 2, 5, 4, 7, 6);
	return (u32)x[0];
}

/*
 * Poly1305 over @len >= 256 bytes at @m, sixteen-way: two chains of eight
 * lanes (blocks 16i + j in lane j of @a, 16i + 8 + j in lane j of @b), each
 * multiplied by r^16 per 256 bytes, so that the latency of one
 * multiplication covers sixteen blocks; a last group of eight blocks on
 * @a; the lanes folded with r^16..r^1; the rest scalar. q[l][k] is limb l
 * of r^(16 - k).
 */
/*
 * q[l][k] = limb l of r^(16 - k): r^1..r^8 (@pw8, or computed from @r
 * when it is NULL), then r^9..r^16 = r^8 * (r^1..r^8).
 */
static noinline void poly1305_powers16(u32 q[5][16], const u32 r[5],
				       const u32 (*pw8)[5])
{
	struct v5 a, b;
	u32 pw[8][5];
	unsigned int i, l;

	if (!pw8) {
		poly1305_powers8(pw, r);
		pw8 = pw;
	}
	for (i = 0; i < 8; i++)
		for (l = 0; l < 5; l++)
			q[l][15 - i] = pw8[i][l];
	v5_load(&a, q, 8);
	v5_bcast(&b, q, 8);
	v5_mul(&a, &b);
	st256(&q[0][0], cvt_v8su(a.l0));
	st256(&q[1][0], cvt_v8su(a.l1));
	st256(&q[2][0], cvt_v8su(a.l2));
	st256(&q[3][0], cvt_v8su(a.l3));
	st256(&q[4][0], cvt_v8su(a.l4));
	memzero_explicit(pw, sizeof(pw));
}

/*
 * Poly1305 over @len >= 256 bytes at @m, sixteen-way: two chains of eight
 * lanes (blocks 16i + j in lane j of @a, 16i + 8 + j in lane j of @b), each
 * multiplied by r^16 per 256 bytes, so that the latency of one
 * multiplication covers sixteen blocks; a last group of eight blocks on
 * @a; the lanes folded with r^16..r^1; the rest scalar. q[l][k] is limb l
 * of r^(16 - k). The powers are broadcast from memory where they are
 * used (the empty asm keeps GCC from hoisting them into registers, which
 * it then spills: frames over 2 KiB).
 */
static noinline void poly_msg16(struct pqaead_poly1305 *p,
				const u32 (*pw8)[5], const u8 *m, size_t len)
{
	struct v5 a, b, r;
	u32 q[5][16];

	poly1305_powers16(q, p->r, pw8);
	a.l0 = (v8du){ p->h[0] };
	a.l1 = (v8du){ p->h[1] };
	a.l2 = (v8du){ p->h[2] };
	a.l3 = (v8du){ p->h[3] };
	a.l4 = (v8du){ p->h[4] };
	b.l0 = (v8du){ 0 };
	b.l1 = b.l0;
	b.l2 = b.l0;
	b.l3 = b.l0;
	b.l4 = b.l0;
	v5_add_msg(&a, m);
	v5_add_msg(&b, m + 128);
	for (m += 256, len -= 256; len >= 256; m += 256, len -= 256) {
		cp_reload();
		v5_bcast(&r, q, 0);
		v5_mul(&a, &r);
		v5_mul(&b, &r);
		v5_add_msg(&a, m);
		v5_add_msg(&b, m + 128);
	}
	if (len >= 128) {
		/* (a * r^16 + the group) * r^(8-j), b * r^(16-j) */
		cp_reload();
		v5_bcast(&r, q, 0);
		v5_mul(&a, &r);
		v5_add_msg(&a, m);
		m += 128;
		len -= 128;
		cp_reload();
		v5_load(&r, q, 8);
		v5_mul(&a, &r);
		cp_reload();
		v5_load(&r, q, 0);
		v5_mul(&b, &r);
	} else {
		cp_reload();
		v5_load(&r, q, 0);
		v5_mul(&a, &r);
		cp_reload();
		v5_load(&r, q, 8);
		v5_mul(&b, &r);
	}
	p->h[0] = v8du_hsum(a.l0 + b.l0);
	p->h[1] = v8du_hsum(a.l1 + b.l1);
	p->h[2] = v8du_hsum(a.l2 + b.l2);
	p->h[3] = v8du_hsum(a.l3 + b.l3);
	p->h[4] = v8du_hsum(a.l4 + b.l4);
	poly1305_padded(p, m, len);
	memzero_explicit(q, sizeof(q));
}

/* Poly1305 over a whole message (the short path): powers, lanes, rest. */
static noinline void poly_msg(struct pqaead_poly1305 *p,
			      const u32 (*pw8)[5], const u8 *m, size_t len)
{
	struct poly8 v;
	u32 pw[8][5];
	bool vec = len >= 128;

	if (len >= 256) {
		poly_msg16(p, pw8, m, len);
		return;
	}
	if (vec) {
		if (pw8)
			memcpy(pw, pw8, sizeof(pw));
		else
			poly1305_powers8(pw, p->r);
		poly8_init(&v, p, pw);
	}
	poly_rest(&v, p, pw, m, len, vec);
	if (vec) {
		memzero_explicit(&v, sizeof(v));
		memzero_explicit(pw, sizeof(pw));
	}
}

/*
 * A message of at most this many bytes is blocks 0..23 at most, the
 * Poly1305 key from block 0 (no scalar block): blocks 0-7 on ymm into
 * memory up to 448 bytes, else 0-7 on ymm and 8-23 on zmm XORed straight
 * from the registers (not for decryption in place).
 */
#define SHORT_MAX	(23 * 64)

/*
 * Blocks @ctr..@ctr + 15 XORed from @src into @dst (@len bytes, at most
 * 1024), and with @pp the eight Poly1305 groups at @pp absorbed during the
 * rounds: the previous chunk's ciphertext when encrypting, this one's
 * (before it is overwritten) when decrypting.
 */
static noinline void chunk16(struct poly8 *v, const u32 st[16], u32 ctr,
			     const u8 *pp, const u8 *src, u8 *dst,
			     size_t len)
{
	v16su CP_WORDS(x);
	unsigned int i;
	u8 buf[64];

	CP_INIT(x, (v16su){ 0 }, st, ctr16(ctr));
	if (pp) {
		for (i = 0; i < 8; i++) {
			CP_DOUBLE_ROUND(qr16, x);
			poly8_group(v, pp + 128 * i);
		}
		CP_DOUBLE_ROUND(qr16, x);
		CP_DOUBLE_ROUND(qr16, x);
	} else {
		for (i = 0; i < 10; i++)
			CP_DOUBLE_ROUND(qr16, x);
	}
	CP16_FINAL(x, st, ctr16(ctr));
	CP16_XOR(x, src, dst, len, 0);
	CP16_XOR(x, src, dst, len, 1);
	CP16_XOR(x, src, dst, len, 2);
	CP16_XOR(x, src, dst, len, 3);
	CP16_XOR(x, src, dst, len, 4);
	CP16_XOR(x, src, dst, len, 5);
	CP16_XOR(x, src, dst, len, 6);
	CP16_XOR(x, src, dst, len, 7);
	CP16_XOR(x, src, dst, len, 8);
	CP16_XOR(x, src, dst, len, 9);
	CP16_XOR(x, src, dst, len, 10);
	CP16_XOR(x, src, dst, len, 11);
	CP16_XOR(x, src, dst, len, 12);
	CP16_XOR(x, src, dst, len, 13);
	CP16_XOR(x, src, dst, len, 14);
	CP16_XOR(x, src, dst, len, 15);
	memzero_explicit(buf, sizeof(buf));
}

/*
 * A double round of the eight blocks of y (ymm) and the sixteen of x
 * (zmm), quarter round by quarter round: each set alone is bound by the
 * latency of its four chains.
 */
#define CP_DOUBLE_ROUND2(y, x) do {					\
	qr8(&y##0, &y##4, &y##8, &y##12);				\
	qr16(&x##0, &x##4, &x##8, &x##12);				\
	qr8(&y##1, &y##5, &y##9, &y##13);				\
	qr16(&x##1, &x##5, &x##9, &x##13);				\
	qr8(&y##2, &y##6, &y##10, &y##14);				\
	qr16(&x##2, &x##6, &x##10, &x##14);				\
	qr8(&y##3, &y##7, &y##11, &y##15);				\
	qr16(&x##3, &x##7, &x##11, &x##15);				\
	qr8(&y##0, &y##5, &y##10, &y##15);				\
	qr16(&x##0, &x##5, &x##10, &x##15);				\
	qr8(&y##1, &y##6, &y##11, &y##12);				\
	qr16(&x##1, &x##6, &x##11, &x##12);				\
	qr8(&y##2, &y##7, &y##8, &y##13);				\
	qr16(&x##2, &x##7, &x##8, &x##13);				\
	qr8(&y##3, &y##4, &y##9, &y##14);				\
	qr16(&x##3, &x##4, &x##9, &x##14);				\
} while (0)

/*
 * Blocks @ctr..@ctr + 7 on ymm and @ctr + 8..@ctr + 23 on zmm, their double
 * rounds interleaved, XORed straight from the registers: @len bytes of
 * @src into @dst from block @ctr (@key NULL, @len from 513 to 1536), or
 * from block @ctr + 1 (@len from 449 to 1472), the first 32 bytes of block
 * @ctr, the Poly1305 key, then into @key (the short path).
 */
static noinline void chacha24_xor(const u32 st[16], u32 ctr, u8 key[32],
				  const u8 *src, u8 *dst, size_t len)
{
	v8su CP_WORDS(y);
	v16su CP_WORDS(x);
	size_t n = len - 7 * 64;
	unsigned int i;
	u8 buf[64];

	CP_INIT(y, (v8su){ 0 }, st, ctr8(ctr));
	CP_INIT(x, (v16su){ 0 }, st, ctr16(ctr + 8));
	for (i = 0; i < 10; i++)
		CP_DOUBLE_ROUND2(y, x);
	CP8_FINAL(y, st, ctr8(ctr));
	if (key) {
		st256(key, y0);
	} else {
		st256(dst, ld256(src) ^ y0);
		st256(dst + 32, ld256(src + 32) ^ y8);
		src += 64;
		dst += 64;
		n -= 64;
	}
	st256(dst, ld256(src) ^ y1);
	st256(dst + 32, ld256(src + 32) ^ y9);
	st256(dst + 64, ld256(src + 64) ^ y2);
	st256(dst + 96, ld256(src + 96) ^ y10);
	st256(dst + 128, ld256(src + 128) ^ y3);
	st256(dst + 160, ld256(src + 160) ^ y11);
	st256(dst + 192, ld256(src + 192) ^ y4);
	st256(dst + 224, ld256(src + 224) ^ y12);
	st256(dst + 256, ld256(src + 256) ^ y5);
	st256(dst + 288, ld256(src + 288) ^ y13);
	st256(dst + 320, ld256(src + 320) ^ y6);
	st256(dst + 352, ld256(src + 352) ^ y14);
	st256(dst + 384, ld256(src + 384) ^ y7);
	st256(dst + 416, ld256(src + 416) ^ y15);
	src += 7 * 64;
	dst += 7 * 64;
	CP16_FINAL(x, st, ctr16(ctr + 8));
	CP16_XOR(x, src, dst, n, 0);
	CP16_XOR(x, src, dst, n, 1);
	CP16_XOR(x, src, dst, n, 2);
	CP16_XOR(x, src, dst, n, 3);
	CP16_XOR(x, src, dst, n, 4);
	CP16_XOR(x, src, dst, n, 5);
	CP16_XOR(x, src, dst, n, 6);
	CP16_XOR(x, src, dst, n, 7);
	CP16_XOR(x, src, dst, n, 8);
	CP16_XOR(x, src, dst, n, 9);
	CP16_XOR(x, src, dst, n, 10);
	CP16_XOR(x, src, dst, n, 11);
	CP16_XOR(x, src, dst, n, 12);
	CP16_XOR(x, src, dst, n, 13);
	CP16_XOR(x, src, dst, n, 14);
	CP16_XOR(x, src, dst, n, 15);
	memzero_explicit(buf, sizeof(buf));
}

/* CP16_XOR() for text that starts at block 1 of x */
#define CP16_XOR_AFTER0(x, src, dst, len, b)				\
	xor_block16((src) + 64 * ((b) - 1), (dst) + 64 * ((b) - 1),	\
		    CP_PART(len, (b) - 1), x##b, buf)

/*
 * Blocks @ctr..@ctr + 15 on zmm: the first 32 bytes of block @ctr (the
 * Poly1305 key) into @key, @len bytes (449 to 960) of @src XORed with
 * blocks @ctr + 1.. into @dst.
 */
static noinline void chacha16_key_xor(const u32 st[16], u32 ctr, u8 key[32],
				      const u8 *src, u8 *dst, size_t len)
{
	v16su CP_WORDS(x);
	unsigned int i;
	u8 buf[64];

	CP_INIT(x, (v16su){ 0 }, st, ctr16(ctr));
	for (i = 0; i < 10; i++)
		CP_DOUBLE_ROUND(qr16, x);
	CP16_FINAL(x, st, ctr16(ctr));
	st512(buf, x0);
	memcpy(key, buf, 32);
	CP16_XOR_AFTER0(x, src, dst, len, 1);
	CP16_XOR_AFTER0(x, src, dst, len, 2);
	CP16_XOR_AFTER0(x, src, dst, len, 3);
	CP16_XOR_AFTER0(x, src, dst, len, 4);
	CP16_XOR_AFTER0(x, src, dst, len, 5);
	CP16_XOR_AFTER0(x, src, dst, len, 6);
	CP16_XOR_AFTER0(x, src, dst, len, 7);
	CP16_XOR_AFTER0(x, src, dst, len, 8);
	CP16_XOR_AFTER0(x, src, dst, len, 9);
	CP16_XOR_AFTER0(x, src, dst, len, 10);
	CP16_XOR_AFTER0(x, src, dst, len, 11);
	CP16_XOR_AFTER0(x, src, dst, len, 12);
	CP16_XOR_AFTER0(x, src, dst, len, 13);
	CP16_XOR_AFTER0(x, src, dst, len, 14);
	CP16_XOR_AFTER0(x, src, dst, len, 15);
	memzero_explicit(buf, sizeof(buf));
}

/* Blocks 0-15 on zmm up to 960 bytes, else 0-23: the key, then the XOR. */
static __always_inline void short_key_xor(const u32 st[16], u8 key[32],
					  const u8 *src, u8 *dst, size_t len)
{
	if (len <= 15 * 64)
		chacha16_key_xor(st, 0, key, src, dst, len);
	else
		chacha24_xor(st, 0, key, src, dst, len);
}

/* The short path, blocks 0-23 in one batch: see chacha24_xor(). */
static noinline void chachapoly_short24(const u32 st[16], const u8 *aad,
					size_t aadlen, const u8 *src, u8 *dst,
					size_t len, bool enc, u8 tag[16])
{
	struct pqaead_poly1305 p;
	u8 key[32];

	short_key_xor(st, key, src, dst, len);
	poly1305_init(&p, key);
	poly1305_padded(&p, aad, aadlen);
	poly_msg(&p, NULL, enc ? dst : src, len);
	poly1305_final(&p, aadlen, len, tag);
	memzero_explicit(key, sizeof(key));
	memzero_explicit(&p, sizeof(p));
}

/* The short path of at most 448 bytes: blocks 0-7 on ymm. */
static noinline void chachapoly_short(const u32 st[16], const u8 *aad,
				      size_t aadlen, const u8 *src, u8 *dst,
				      size_t len, bool enc, u8 tag[16])
{
	struct pqaead_poly1305 p;
	v8su ks[16];
	unsigned int b;
	u8 buf[64];

	chacha8_ks(ks, st);
	poly1305_init(&p, (const u8 *)&ks[0]);
	poly1305_padded(&p, aad, aadlen);
	if (!enc)
		poly_msg(&p, NULL, src, len);
	for (b = 1; b < 8; b++)
		xor_block8(src + 64 * (b - 1), dst + 64 * (b - 1),
			   CP_PART(len, b - 1), ks[b], ks[8 + b], buf);
	if (enc)
		poly_msg(&p, NULL, dst, len);
	poly1305_final(&p, aadlen, len, tag);
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
}

/**
 * pqaead_chachapoly_init_avx512() - start a streamed ChaCha20-Poly1305
 *	message.
 * @s: the state of the message
 * @k: the key
 * @nonce: 12 bytes
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_init_avx512(struct pqaead_chachapoly_state *s,
				   const struct pqaead_chachapoly_key *k,
				   const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE])
{
	cp_stream_init(s, k, nonce);
}

/* The Poly1305 key after all, and the powers. */
static noinline void stream_key(struct pqaead_chachapoly_state *s)
{
	cp_stream_key(s);
	poly1305_powers8(s->pw, s->p.r);
}

/*
 * The first crypt call of @len bytes (449 to SHORT_MAX) of a message
 * whose init left the key: blocks 0-23 as the short path (the key from
 * block 0), then the kept associated data and Poly1305 over the text.
 * Not for decryption in place.
 */
static noinline void stream_key_crypt(struct pqaead_chachapoly_state *s,
				      const u8 *src, u8 *dst, size_t len,
				      bool enc)
{
	u8 key[32];

	short_key_xor(s->st, key, src, dst, len);
	poly1305_init(&s->p, key);
	s->keylater = 0;
	cp_stream_aad_end(s);
	poly1305_powers8(s->pw, s->p.r);
	poly_msg(&s->p, s->pw, enc ? dst : src, len);
	s->st[12] = 1 + (u32)((len + 63) / 64);
	s->len += len;
	memzero_explicit(key, sizeof(key));
}

/*
 * The same for a first crypt call of 1 to 448 bytes, any buffers: blocks
 * 0-7 on ymm into memory, as the short path; the powers are left to a
 * later crypt call, if any (@keylater 2).
 */
static noinline void stream_key_short(struct pqaead_chachapoly_state *s,
				      const u8 *src, u8 *dst, size_t len,
				      bool enc)
{
	v8su ks[16];
	unsigned int b;
	u8 buf[64];

	chacha8_ks(ks, s->st);
	poly1305_init(&s->p, (const u8 *)&ks[0]);
	s->keylater = 2;
	cp_stream_aad_end(s);
	if (!enc)
		poly_msg(&s->p, NULL, src, len);
	for (b = 1; b < 8; b++)
		xor_block8(src + 64 * (b - 1), dst + 64 * (b - 1),
			   CP_PART(len, b - 1), ks[b], ks[8 + b], buf);
	if (enc)
		poly_msg(&s->p, NULL, dst, len);
	s->st[12] = 1 + (u32)((len + 63) / 64);
	s->len += len;
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(buf, sizeof(buf));
}

/*
 * Poly1305 of @len (1024 to SHORT_MAX) bytes of ciphertext at @src, to be
 * decrypted in place: the groups before @src + pp0 now, the next eight
 * during the rounds of blocks 8-23 (chunk16(), which then XORs bytes 448..
 * @len), the few bytes after them saved first (in @tail) and absorbed
 * last.
 */
static noinline void stream_dec_rest(struct pqaead_chachapoly_state *s,
				     const u8 *src, u8 *dst, size_t len,
				     u8 tail[128])
{
	struct poly8 v;
	size_t pp0 = (len - 1024) / 128 * 128, rest = len - pp0 - 1024;

	poly8_init(&v, &s->p, s->pw);
	poly_rest(&v, &s->p, s->pw, src, pp0, false);
	memcpy(tail, src + pp0 + 1024, rest);
	chunk16(&v, s->st, 8, src + pp0, src + 7 * 64, dst + 7 * 64,
		len - 7 * 64);
	poly_rest(&v, &s->p, s->pw, tail, rest, true);
	memzero_explicit(&v, sizeof(v));
}

/*
 * The first crypt call of a message whose init left the key, decryption
 * in place of 1024 to SHORT_MAX bytes: blocks 0-7 on ymm into memory (the
 * key), Poly1305 and blocks 8-23 by stream_dec_rest(), then blocks 1-7.
 */
static noinline void stream_key_dec(struct pqaead_chachapoly_state *s,
				    u8 *buf, size_t len)
{
	v8su ks[16];
	unsigned int b;
	u8 tail[128];

	chacha8_ks(ks, s->st);
	poly1305_init(&s->p, (const u8 *)&ks[0]);
	s->keylater = 0;
	cp_stream_aad_end(s);
	poly1305_powers8(s->pw, s->p.r);
	stream_dec_rest(s, buf, buf, len, tail);
	for (b = 1; b < 8; b++) {
		st256(buf + 64 * (b - 1), ld256(buf + 64 * (b - 1)) ^ ks[b]);
		st256(buf + 64 * b - 32, ld256(buf + 64 * b - 32) ^ ks[8 + b]);
	}
	s->st[12] = 1 + (u32)((len + 63) / 64);
	s->len += len;
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(tail, sizeof(tail));
}

/**
 * pqaead_chachapoly_aad_avx512() - associated data of a streamed message.
 * @s: the state of the message
 * @aad: associated data (NULL if @len is 0)
 * @len: its length, any
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_aad_avx512(struct pqaead_chachapoly_state *s,
				  const u8 *aad, size_t len)
{
	if (cp_stream_aad_keep(s, aad, len))
		return;
	if (s->keylater == 1)
		stream_key(s);
	cp_stream_aad(s, aad, len);
}

/**
 * pqaead_chachapoly_crypt_avx512() - encrypt or decrypt a piece of a
 *	streamed message.
 * @s: the state of the message
 * @src: plaintext (@enc) or ciphertext
 * @dst: the other, @len bytes (may be @src)
 * @len: a multiple of 64 unless this is the message's last piece
 * @enc: encrypt, else decrypt
 *
 * Whole 1024-byte chunks single pass; Poly1305 folded at the end.
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_crypt_avx512(struct pqaead_chachapoly_state *s,
				    const u8 *src, u8 *dst, size_t len,
				    bool enc)
{
	struct poly8 v;
	const u8 *pend = NULL;
	bool vec = len >= 128;

	if (s->keylater == 1) {
		if (len && len <= 7 * 64) {
			stream_key_short(s, src, dst, len, enc);
			return;
		}
		if (len > 7 * 64 && len <= SHORT_MAX && (enc || src != dst)) {
			stream_key_crypt(s, src, dst, len, enc);
			return;
		}
		if (len >= 1024 && len <= SHORT_MAX) {
			stream_key_dec(s, dst, len);
			return;
		}
		stream_key(s);
	}
	if (s->keylater == 2) {
		poly1305_powers8(s->pw, s->p.r);
		s->keylater = 0;
	}
	cp_stream_aad_end(s);
	s->len += len;
	if (len > 1024 && len <= 1536) {
		/* 17-24 blocks: interleaved sets, Poly1305 sixteen-way */
		if (!enc)
			poly_msg(&s->p, s->pw, src, len);
		chacha24_xor(s->st, s->st[12], NULL, src, dst, len);
		if (enc)
			poly_msg(&s->p, s->pw, dst, len);
		s->st[12] += (u32)((len + 63) / 64);
		return;
	}
	if (vec)
		poly8_init(&v, &s->p, s->pw);
	for (; len >= 1024; src += 1024, dst += 1024, len -= 1024) {
		chunk16(&v, s->st, s->st[12], enc ? pend : src, src, dst,
			1024);
		s->st[12] += 16;
		pend = dst;
	}
	/*
	 * The tail in eight blocks on ymm, or sixteen on zmm with the last
	 * chunk's ciphertext absorbed during the rounds when encrypting.
	 */
	if (enc && pend && len > 512) {
		chunk16(&v, s->st, s->st[12], pend, src, dst, len);
	} else {
		if (enc && pend)
			poly_rest(&v, &s->p, s->pw, pend, 1024, false);
		if (!enc)
			poly_rest(&v, &s->p, s->pw, src, len, vec);
		if (len > 512)
			chunk16(NULL, s->st, s->st[12], NULL, src, dst, len);
		else if (len)
			chacha8_xor(s->st, s->st[12], src, dst, len);
	}
	s->st[12] += (u32)((len + 63) / 64);
	if (enc)
		poly_rest(&v, &s->p, s->pw, dst, len, vec);
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

/**
 * pqaead_chachapoly_final_avx512() - the tag of a streamed message.
 * @s: the state of the message, wiped
 * @tag: the 16-byte tag (to send, or to compare with the received one)
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_final_avx512(struct pqaead_chachapoly_state *s,
				    u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	if (s->keylater == 1)
		stream_key(s);
	cp_stream_final(s, tag);
}

static void chachapoly(const struct pqaead_chachapoly_key *k,
		       const u8 *nonce, const u8 *aad, size_t aadlen,
		       const u8 *src, u8 *dst, size_t len, bool enc,
		       u8 tag[16])
{
	struct pqaead_chachapoly_state s;
	u32 st[16];

	/*
	 * Decryption in place of more than 448 bytes: the streamed path (a
	 * scalar key block, then Poly1305 and one batch of blocks) is
	 * faster than the short one, whose keystream cannot be XORed before
	 * Poly1305 has read the ciphertext.
	 */
	if (len && len <= SHORT_MAX && (len <= 7 * 64 || enc || src != dst)) {
		chacha20_init(st, k, nonce, 0);
		if (len > 7 * 64)
			chachapoly_short24(st, aad, aadlen, src, dst, len, enc,
					   tag);
		else
			chachapoly_short(st, aad, aadlen, src, dst, len, enc,
					 tag);
		memzero_explicit(st, sizeof(st));
		return;
	}
	pqaead_chachapoly_init_avx512(&s, k, nonce);
	pqaead_chachapoly_aad_avx512(&s, aad, aadlen);
	pqaead_chachapoly_crypt_avx512(&s, src, dst, len, enc);
	pqaead_chachapoly_final_avx512(&s, tag);
}

PQAEAD_CHACHAPOLY_ONE_SHOT(avx512)

#endif /* !__CHECKER__ */
