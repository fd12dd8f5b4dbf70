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

static __always_inline void double_round8(v8su x[16])
{
	qr8(&x[0], &x[4], &x[8], &x[12]);
	qr8(&x[1], &x[5], &x[9], &x[13]);
	qr8(&x[2], &x[6], &x[10], &x[14]);
	qr8(&x[3], &x[7], &x[11], &x[15]);
	qr8(&x[0], &x[5], &x[10], &x[15]);
	qr8(&x[1], &x[6], &x[11], &x[12]);
	qr8(&x[2], &x[7], &x[8], &x[13]);
	qr8(&x[3], &x[4], &x[9], &x[14]);
}

/*
 * Eight words of eight blocks (a[w], lane b) to block order, in place:
 * then a[b] holds the eight words of block b. Dwords and qwords within each
 * group of four words, then the 128-bit lanes across the two groups; each
 * step only reads what it overwrites, so no second array is needed.
 */
static __always_inline void transpose8(v8su a[8])
{
	v4du u0, u1, u2, u3, w;
	unsigned int g, i;

	/* a[4g + i]: words 4g..4g + 3 of blocks i and i + 4 */
	for (g = 0; g < 2; g++) {
		u0 = (v4du)cp_shuffle2(a[4 * g], a[4 * g + 1],
				       0, 8, 1, 9, 4, 12, 5, 13);
		u1 = (v4du)cp_shuffle2(a[4 * g], a[4 * g + 1],
				       2, 10, 3, 11, 6, 14, 7, 15);
		u2 = (v4du)cp_shuffle2(a[4 * g + 2], a[4 * g + 3],
				       0, 8, 1, 9, 4, 12, 5, 13);
		u3 = (v4du)cp_shuffle2(a[4 * g + 2], a[4 * g + 3],
				       2, 10, 3, 11, 6, 14, 7, 15);
		a[4 * g] = (v8su)cp_shuffle2(u0, u2, 0, 4, 2, 6);
		a[4 * g + 1] = (v8su)cp_shuffle2(u0, u2, 1, 5, 3, 7);
		a[4 * g + 2] = (v8su)cp_shuffle2(u1, u3, 0, 4, 2, 6);
		a[4 * g + 3] = (v8su)cp_shuffle2(u1, u3, 1, 5, 3, 7);
	}
	for (i = 0; i < 4; i++) {
		w = (v4du)a[i];
		a[i] = (v8su)cp_shuffle2(w, (v4du)a[i + 4], 0, 1, 4, 5);
		a[i + 4] = (v8su)cp_shuffle2(w, (v4du)a[i + 4], 2, 3, 6, 7);
	}
}

/* The initial state of blocks @ctr..@ctr + 7. */
static __always_inline void chacha8_init(v8su x[16], const u32 st[16],
					 u32 ctr)
{
	const v8su lanes = { 0, 1, 2, 3, 4, 5, 6, 7 };
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = (v8su){ 0 } + st[i];
	x[12] = (v8su){ 0 } + ctr + lanes;
}

/*
 * The keystream of the eight blocks in byte order, in place: block b is
 * x[b] (bytes 0-31) and x[8 + b] (bytes 32-63).
 */
static __always_inline void chacha8_final(v8su x[16], const u32 st[16],
					  u32 ctr)
{
	const v8su lanes = { 0, 1, 2, 3, 4, 5, 6, 7 };
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] += st[i];
	x[12] += ctr + lanes;
	transpose8(x);
	transpose8(x + 8);
}

/**
 * struct poly4 - four-way Poly1305 in 2^26 limbs.
 * @h: the accumulators, limb k of lane j in h[k][j] (below 2^32)
 * @rn: r^4 in every lane, limb by limb
 * @sn: 5 * rn
 * @pw: r^1..r^4 (pw[i] is r^(i+1)), for the last group: lane j is
 *	multiplied by r^(4-j)
 * @started: a group was absorbed
 *
 * The powers of the last group are kept as scalars (the kernel's stack
 * frames), those of every group as vectors (broadcasting them per group
 * costs 8-10 % at 8 KiB).
 */
struct poly4 {
	v4du h[5], rn[5], sn[5];
	u32 pw[4][5];
	bool started;
};

static inline void poly4_init(struct poly4 *v, const struct poly1305_state *p)
{
	u32 pw[4][5];
	unsigned int l;

	/* r^(i+1) in a tree of depth two */
	memcpy(pw[0], p->r, sizeof(pw[0]));
	poly1305_mul3(pw[1], pw[0], pw[0]);
	poly1305_mul3(pw[2], pw[1], pw[0]);
	poly1305_mul3(pw[3], pw[1], pw[1]);
	memcpy(v->pw, pw, sizeof(pw));
	memzero_explicit(pw, sizeof(pw));
	for (l = 0; l < 5; l++) {
		v->rn[l] = (v4du){ 0 } + v->pw[3][l];
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

/* The lanes times r^4..r^1, added up into the scalar accumulator. */
static inline void poly4_final(struct poly4 *v, struct poly1305_state *p)
{
	v4du rf[5], sf[5];
	unsigned int l;

	for (l = 0; l < 5; l++) {
		rf[l] = (v4du){ v->pw[3][l], v->pw[2][l], v->pw[1][l],
				v->pw[0][l] };
		sf[l] = rf[l] * 5;
	}
	poly4_mul(v->h, rf, sf);
	for (l = 0; l < 5; l++)
		p->h[l] = (u32)(v->h[l][0] + v->h[l][1] + v->h[l][2] +
				v->h[l][3]);
}

/* The Poly1305 key from @key (32 bytes), then the associated data. */
static __always_inline void poly_start(struct poly1305_state *p,
				       const u8 *key, const u8 *aad,
				       size_t aadlen)
{
	poly1305_init(p, key);
	poly1305_padded(p, aad, aadlen);
}

/*
 * @len bytes (at most eight blocks) of @src XORed with the keystream blocks
 * @b, @b + 1, ... of @o (chacha8_final()'s order) into @dst, the last one
 * partly through @buf.
 */
static __always_inline void xor8(const v8su o[16], unsigned int b,
				 const u8 *src, u8 *dst, size_t len,
				 u8 buf[64])
{
	size_t j;

	for (; len >= 64; src += 64, dst += 64, len -= 64, b++) {
		st256(dst, ld256(src) ^ o[b]);
		st256(dst + 32, ld256(src + 32) ^ o[8 + b]);
	}
	if (len) {
		st256(buf, o[b]);
		st256(buf + 32, o[8 + b]);
		for (j = 0; j < len; j++)
			dst[j] = src[j] ^ buf[j];
	}
}

#endif /* _PQREKEY_AEAD_X86_64_CHACHAPOLY_X86_H */
