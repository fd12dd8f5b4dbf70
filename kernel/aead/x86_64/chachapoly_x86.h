/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The 256-bit parts of the x86-64 ChaCha20-Poly1305 variants: eight
 * ChaCha20 blocks on ymm registers, one block per 32-bit lane (state word
 * i of the eight blocks in register i), transposed to byte order at the
 * end; four-way Poly1305 in five 26-bit limbs (VPMULUDQ), block 4i + j in
 * lane j, each lane multiplied by r^4 per group of four blocks and by
 * r^(4-j) at the end. chacha_avx2/ runs on them; chacha_avx512/ uses the
 * ChaCha20 part for short messages and tails. Only for files built with
 * -mavx2 (or more); static inline, no state.
 */
#ifndef _PQREKEY_AEAD_X86_64_CHACHAPOLY_X86_H
#define _PQREKEY_AEAD_X86_64_CHACHAPOLY_X86_H

#include "../chachapoly_portable.h"

/* sparse checks none of this: see the variants' files */
#ifndef __CHECKER__

typedef u32 v8su __attribute__((vector_size(32)));
typedef u64 v4du __attribute__((vector_size(32)));
typedef u8 v32qu __attribute__((vector_size(32)));
typedef u32 v8su_u __attribute__((vector_size(32), may_alias)) __aligned(1);
typedef u64 v4du_u __attribute__((vector_size(32), may_alias)) __aligned(1);

/*
 * Compiler spellings, as in kernel/mlkem/x86_64/simd.h: the kernel and the
 * normal userspace builds use GCC; clang (a kernel built with LLVM=1, the
 * MemorySanitizer check) has no __builtin_shuffle but takes the constant
 * indices of the same two-input shuffle as __builtin_shufflevector's
 * arguments; sparse knows neither and sees vectors as scalars.
 * cp_shuffle2(a, b, i...): lane k of the result is lane i_k of a:b.
 */
#if defined(__CHECKER__)
#define cp_shuffle2(a, b, ...)	((a) + (b))
#elif defined(__clang__)
#define cp_shuffle2(a, b, ...)	__builtin_shufflevector(a, b, __VA_ARGS__)
#else
#define cp_shuffle2(a, b, ...) \
	__builtin_shuffle(a, b, (__typeof__(a)){ __VA_ARGS__ })
#endif

#define as_v8si(x)	((int __attribute__((vector_size(32))))(x))
/* the 64-bit products of the low 32 bits of each 64-bit lane */
#if defined(__CHECKER__)
#define mul32x4(a, b)	((a) * (b))
#else
#define mul32x4(a, b) \
	((v4du)__builtin_ia32_pmuludq256(as_v8si(a), as_v8si(b)))
#endif

static __always_inline v4du v4du_of(u64 a, u64 b, u64 c, u64 d)
{
	return (v4du){ a, b, c, d };
}

static __always_inline v8su ld256(const void *p)
{
	return *(const v8su_u *)p;
}

static __always_inline v4du ld256q(const void *p)
{
	return *(const v4du_u *)p;
}

static __always_inline void st256(void *p, v8su x)
{
	*(v8su_u *)p = x;
}

/* Rotations of each 32-bit lane by 16 and 8 bits: byte shuffles (VPSHUFB). */
static __always_inline v8su vrol16(v8su x)
{
	v32qu b = (v32qu)x;

	return (v8su)cp_shuffle2(b, b, 2, 3, 0, 1, 6, 7, 4, 5,
				 10, 11, 8, 9, 14, 15, 12, 13,
				 18, 19, 16, 17, 22, 23, 20, 21,
				 26, 27, 24, 25, 30, 31, 28, 29);
}

static __always_inline v8su vrol8(v8su x)
{
	v32qu b = (v32qu)x;

	return (v8su)cp_shuffle2(b, b, 3, 0, 1, 2, 7, 4, 5, 6,
				 11, 8, 9, 10, 15, 12, 13, 14,
				 19, 16, 17, 18, 23, 20, 21, 22,
				 27, 24, 25, 26, 31, 28, 29, 30);
}

static __always_inline void qr8(v8su *a, v8su *b, v8su *c, v8su *d)
{
	*a += *b;
	*d = vrol16(*d ^ *a);
	*c += *d;
	*b ^= *c;
	*b = *b << 12 | *b >> 20;
	*a += *b;
	*d = vrol8(*d ^ *a);
	*c += *d;
	*b ^= *c;
	*b = *b << 7 | *b >> 25;
}

/*
 * The sixteen state words of a set of blocks as named variables x0..x15:
 * GCC keeps an array of vectors in memory (frames of 1-5 KiB with the
 * kernel's flags), named ones in registers (spills only).
 */
#define CP_WORDS(x)	x##0, x##1, x##2, x##3, x##4, x##5, x##6, x##7,	\
			x##8, x##9, x##10, x##11, x##12, x##13, x##14, x##15

#define CP_DOUBLE_ROUND(qr, x) do {					\
	qr(&x##0, &x##4, &x##8, &x##12);				\
	qr(&x##1, &x##5, &x##9, &x##13);				\
	qr(&x##2, &x##6, &x##10, &x##14);				\
	qr(&x##3, &x##7, &x##11, &x##15);				\
	qr(&x##0, &x##5, &x##10, &x##15);				\
	qr(&x##1, &x##6, &x##11, &x##12);				\
	qr(&x##2, &x##7, &x##8, &x##13);				\
	qr(&x##3, &x##4, &x##9, &x##14);				\
} while (0)

/* x = @st with the block counters @c (a vector) in word 12; then x += st */
#define CP_INIT(x, z, st, c) do {					\
	x##0 = (z) + (st)[0]; x##1 = (z) + (st)[1];			\
	x##2 = (z) + (st)[2]; x##3 = (z) + (st)[3];			\
	x##4 = (z) + (st)[4]; x##5 = (z) + (st)[5];			\
	x##6 = (z) + (st)[6]; x##7 = (z) + (st)[7];			\
	x##8 = (z) + (st)[8]; x##9 = (z) + (st)[9];			\
	x##10 = (z) + (st)[10]; x##11 = (z) + (st)[11];			\
	x##12 = (c); x##13 = (z) + (st)[13];				\
	x##14 = (z) + (st)[14]; x##15 = (z) + (st)[15];			\
} while (0)

#define CP_ADD(x, st, c) do {						\
	x##0 += (st)[0]; x##1 += (st)[1]; x##2 += (st)[2];		\
	x##3 += (st)[3]; x##4 += (st)[4]; x##5 += (st)[5];		\
	x##6 += (st)[6]; x##7 += (st)[7]; x##8 += (st)[8];		\
	x##9 += (st)[9]; x##10 += (st)[10]; x##11 += (st)[11];		\
	x##12 += (c); x##13 += (st)[13]; x##14 += (st)[14];		\
	x##15 += (st)[15];						\
} while (0)

/*
 * Eight words of eight blocks (word w in a_w, lane b) to block order, in
 * place: then a_b holds the eight words of block b. Dwords and qwords
 * within each group of four words, then the 128-bit lanes across the two
 * groups.
 */
static __always_inline void tr8_group(v8su *a0, v8su *a1, v8su *a2,
				      v8su *a3)
{
	v4du u0, u1, u2, u3;

	u0 = (v4du)cp_shuffle2(*a0, *a1, 0, 8, 1, 9, 4, 12, 5, 13);
	u1 = (v4du)cp_shuffle2(*a0, *a1, 2, 10, 3, 11, 6, 14, 7, 15);
	u2 = (v4du)cp_shuffle2(*a2, *a3, 0, 8, 1, 9, 4, 12, 5, 13);
	u3 = (v4du)cp_shuffle2(*a2, *a3, 2, 10, 3, 11, 6, 14, 7, 15);
	*a0 = (v8su)cp_shuffle2(u0, u2, 0, 4, 2, 6);
	*a1 = (v8su)cp_shuffle2(u0, u2, 1, 5, 3, 7);
	*a2 = (v8su)cp_shuffle2(u1, u3, 0, 4, 2, 6);
	*a3 = (v8su)cp_shuffle2(u1, u3, 1, 5, 3, 7);
}

static __always_inline void tr8_lanes(v8su *a, v8su *b)
{
	v4du w = (v4du)*a;

	*a = (v8su)cp_shuffle2(w, (v4du)*b, 0, 1, 4, 5);
	*b = (v8su)cp_shuffle2(w, (v4du)*b, 2, 3, 6, 7);
}

/*
 * Eight blocks of keystream in byte order: block b in x_b (bytes 0-31) and
 * x_(8+b) (bytes 32-63).
 */
#define CP8_FINAL(x, st, c) do {					\
	CP_ADD(x, st, c);						\
	tr8_group(&x##0, &x##1, &x##2, &x##3);				\
	tr8_group(&x##4, &x##5, &x##6, &x##7);				\
	tr8_lanes(&x##0, &x##4);					\
	tr8_lanes(&x##1, &x##5);					\
	tr8_lanes(&x##2, &x##6);					\
	tr8_lanes(&x##3, &x##7);					\
	tr8_group(&x##8, &x##9, &x##10, &x##11);			\
	tr8_group(&x##12, &x##13, &x##14, &x##15);			\
	tr8_lanes(&x##8, &x##12);					\
	tr8_lanes(&x##9, &x##13);					\
	tr8_lanes(&x##10, &x##14);					\
	tr8_lanes(&x##11, &x##15);					\
} while (0)

/* The block counters @ctr..@ctr + 7, one per lane. */
static __always_inline v8su ctr8(u32 ctr)
{
	const v8su lanes = { 0, 1, 2, 3, 4, 5, 6, 7 };

	return (v8su){ 0 } + ctr + lanes;
}

/*
 * @n bytes (all 64 if @n >= 64) of @src XORed with the keystream block
 * @lo || @hi into @dst, a partial block through @buf; nothing for @n == 0.
 */
static __always_inline void xor_block8(const u8 *src, u8 *dst, size_t n,
				       v8su lo, v8su hi, u8 buf[64])
{
	size_t j;

	if (n >= 64) {
		st256(dst, ld256(src) ^ lo);
		st256(dst + 32, ld256(src + 32) ^ hi);
	} else if (n) {
		st256(buf, lo);
		st256(buf + 32, hi);
		for (j = 0; j < n; j++)
			dst[j] = src[j] ^ buf[j];
	}
}

/* Block @b's share of @len bytes (0 to 64). */
#define CP_PART(len, b)	((len) > 64 * (b) ? (len) - 64 * (b) : 0)

/*
 * @len bytes (at most 512) of @src XORed with the eight blocks of x, a
 * partial one through the 64-byte @buf.
 */
#define CP8_XOR(x, src, dst, len, buf) do {					\
	xor_block8(src, dst, CP_PART(len, 0), x##0, x##8, buf);		\
	xor_block8(src + 64, dst + 64, CP_PART(len, 1), x##1, x##9, buf);	\
	xor_block8(src + 128, dst + 128, CP_PART(len, 2), x##2, x##10, buf);	\
	xor_block8(src + 192, dst + 192, CP_PART(len, 3), x##3, x##11, buf);	\
	xor_block8(src + 256, dst + 256, CP_PART(len, 4), x##4, x##12, buf);	\
	xor_block8(src + 320, dst + 320, CP_PART(len, 5), x##5, x##13, buf);	\
	xor_block8(src + 384, dst + 384, CP_PART(len, 6), x##6, x##14, buf);	\
	xor_block8(src + 448, dst + 448, CP_PART(len, 7), x##7, x##15, buf);	\
} while (0)

/*
 * @len bytes (1 to 512) of @src XORed with the keystream blocks @ctr,
 * @ctr + 1, ... of @st into @dst. Not inlined: one copy of the rounds
 * with its own small frame.
 */
static noinline void chacha8_xor(const u32 st[16], u32 ctr, const u8 *src,
				 u8 *dst, size_t len)
{
	v8su CP_WORDS(x);
	unsigned int i;
	u8 buf[64];

	CP_INIT(x, (v8su){ 0 }, st, ctr8(ctr));
	for (i = 0; i < 10; i++)
		CP_DOUBLE_ROUND(qr8, x);
	CP8_FINAL(x, st, ctr8(ctr));
	CP8_XOR(x, src, dst, len, buf);
	memzero_explicit(buf, sizeof(buf));
}

/*
 * The keystream of blocks 0-7 of @st into @ks (block b in ks[b] and
 * ks[8 + b]), for the short paths, whose block 0 is the Poly1305 key.
 */
static noinline void chacha8_ks(v8su ks[16], const u32 st[16])
{
	v8su CP_WORDS(x);
	unsigned int i;

	CP_INIT(x, (v8su){ 0 }, st, ctr8(0));
	for (i = 0; i < 10; i++)
		CP_DOUBLE_ROUND(qr8, x);
	CP8_FINAL(x, st, ctr8(0));
	ks[0] = x0; ks[1] = x1; ks[2] = x2; ks[3] = x3;
	ks[4] = x4; ks[5] = x5; ks[6] = x6; ks[7] = x7;
	ks[8] = x8; ks[9] = x9; ks[10] = x10; ks[11] = x11;
	ks[12] = x12; ks[13] = x13; ks[14] = x14; ks[15] = x15;
}

/**
 * struct poly4 - four-way Poly1305 in 2^26 limbs.
 * @h: the accumulators, limb k of lane j in h[k][j] (below 2^32)
 * @rn: r^4 in every lane, limb by limb
 * @sn: 5 * rn
 * @started: a group was absorbed
 *
 * The powers r^1..r^4 (for the last group: lane j is multiplied by
 * r^(4-j)) are kept as scalars by the caller, those of every group as
 * vectors (broadcasting them per group costs 8-10 % at 8 KiB).
 */
struct poly4 {
	v4du h[5], rn[5], sn[5];
	bool started;
};

/* The lanes from the scalar accumulator and the powers @pw (r^1..r^4). */
static inline void poly4_init(struct poly4 *v, const struct pqaead_poly1305 *p,
			      const u32 pw[4][5])
{
	unsigned int l;

	for (l = 0; l < 5; l++) {
		v->rn[l] = (v4du){ 0 } + pw[3][l];
		v->sn[l] = v->rn[l] * 5;
		v->h[l] = (v4du){ p->h[l] };
	}
	v->started = false;
}

/* h = h * r mod 2^130 - 5 in each lane, partly reduced as poly1305_mul(). */
static __always_inline void poly4_mul(v4du h[5], const v4du r[5],
				      const v4du s[5])
{
	const v4du m26 = (v4du){ 0 } + CP_M26;
	v4du d0, d1, d2, d3, d4, c;

	d0 = mul32x4(h[0], r[0]) + mul32x4(h[1], s[4]) + mul32x4(h[2], s[3]) +
	     mul32x4(h[3], s[2]) + mul32x4(h[4], s[1]);
	d1 = mul32x4(h[0], r[1]) + mul32x4(h[1], r[0]) + mul32x4(h[2], s[4]) +
	     mul32x4(h[3], s[3]) + mul32x4(h[4], s[2]);
	d2 = mul32x4(h[0], r[2]) + mul32x4(h[1], r[1]) + mul32x4(h[2], r[0]) +
	     mul32x4(h[3], s[4]) + mul32x4(h[4], s[3]);
	d3 = mul32x4(h[0], r[3]) + mul32x4(h[1], r[2]) + mul32x4(h[2], r[1]) +
	     mul32x4(h[3], r[0]) + mul32x4(h[4], s[4]);
	d4 = mul32x4(h[0], r[4]) + mul32x4(h[1], r[3]) + mul32x4(h[2], r[2]) +
	     mul32x4(h[3], r[1]) + mul32x4(h[4], r[0]);
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

/* Four 16-byte blocks (64 bytes at @m), block j into lane j. */
static __always_inline void poly4_group(struct poly4 *v, const u8 *m)
{
	const v4du m26 = (v4du){ 0 } + CP_M26;
	v4du a = ld256q(m), b = ld256q(m + 32), lo, hi;

	lo = cp_shuffle2(a, b, 0, 2, 4, 6);
	hi = cp_shuffle2(a, b, 1, 3, 5, 7);
	if (v->started)
		poly4_mul(v->h, v->rn, v->sn);
	v->started = true;
	v->h[0] += lo & m26;
	v->h[1] += (lo >> 26) & m26;
	v->h[2] += ((lo >> 52) | (hi << 12)) & m26;
	v->h[3] += (hi >> 14) & m26;
	v->h[4] += (hi >> 40) | (1u << 24);
}

/* The lanes times r^4..r^1 (@pw), added up into the scalar accumulator. */
static inline void poly4_final(struct poly4 *v, struct pqaead_poly1305 *p,
			       const u32 pw[4][5])
{
	v4du rf[5], sf[5];
	unsigned int l;

	for (l = 0; l < 5; l++) {
		rf[l] = (v4du){ pw[3][l], pw[2][l], pw[1][l], pw[0][l] };
		sf[l] = rf[l] * 5;
	}
	poly4_mul(v->h, rf, sf);
	for (l = 0; l < 5; l++)
		p->h[l] = (u32)(v->h[l][0] + v->h[l][1] + v->h[l][2] +
				v->h[l][3]);
}

/*
 * The one-shot entry points of variant @v (kernel-doc and contracts:
 * ../chachapoly.h) over the file's static chachapoly(), which takes the
 * short or the streamed path; decryption compares the tags here.
 */
#define PQAEAD_CHACHAPOLY_ONE_SHOT(v)					\
void pqaead_chachapoly_encrypt_##v(const struct pqaead_chachapoly_key *k, \
	const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE], const u8 *aad,	\
	size_t aadlen, const u8 *src, u8 *dst, size_t len,		\
	u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])				\
{									\
	chachapoly(k, nonce, aad, aadlen, src, dst, len, true, tag);	\
}									\
									\
int pqaead_chachapoly_decrypt_##v(const struct pqaead_chachapoly_key *k, \
	const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE], const u8 *aad,	\
	size_t aadlen, const u8 *src, u8 *dst, size_t len,		\
	const u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])			\
{									\
	u8 want[16];							\
	int ret;							\
									\
	chachapoly(k, nonce, aad, aadlen, src, dst, len, false, want);	\
	ret = poly1305_tag_cmp(want, tag);				\
	memzero_explicit(want, sizeof(want));				\
	return ret;							\
}

#endif /* !__CHECKER__ */

#endif /* _PQREKEY_AEAD_X86_64_CHACHAPOLY_X86_H */
