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
 * 8, 16 or 16 + 8 blocks with the Poly1305 key in block 0 (no scalar
 * block); its keystream is computed first, then Poly1305 and the XOR run
 * over the message, which is at most 1472 bytes, in L1. AVX-512 F and VL
 * (VPROLD for the rotations, on ymm too, and 32 ymm registers); built
 * with -mavx2 -mavx512f -mavx512vl (this folder's flags); GCC's vector
 * extensions and x86 builtins, no <immintrin.h>.
 */
#include "../chachapoly_x86.h"

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

static __always_inline void double_round16(v16su x[16])
{
	qr16(&x[0], &x[4], &x[8], &x[12]);
	qr16(&x[1], &x[5], &x[9], &x[13]);
	qr16(&x[2], &x[6], &x[10], &x[14]);
	qr16(&x[3], &x[7], &x[11], &x[15]);
	qr16(&x[0], &x[5], &x[10], &x[15]);
	qr16(&x[1], &x[6], &x[11], &x[12]);
	qr16(&x[2], &x[7], &x[8], &x[13]);
	qr16(&x[3], &x[4], &x[9], &x[14]);
}

/*
 * The sixteen words of sixteen blocks (x[w], lane b) to block order, in
 * place: then x[b] is block b. Dwords, then qwords within the 128-bit lanes
 * (each group of four words on its own), then a 4 x 4 transposition of the
 * 128-bit lanes across the groups; each step only reads what it
 * overwrites, so no second array is needed.
 */
static __always_inline void transpose16(v16su x[16])
{
	v8du u0, u1, u2, u3, q0, q1, q2, q3;
	unsigned int g, i;

	/* x[4g + i], lane l: words 4g..4g + 3 of block 4l + i */
	for (g = 0; g < 4; g++) {
		u0 = (v8du)cp_shuffle2(x[4 * g], x[4 * g + 1],
				       0, 16, 1, 17, 4, 20, 5, 21,
				       8, 24, 9, 25, 12, 28, 13, 29);
		u1 = (v8du)cp_shuffle2(x[4 * g], x[4 * g + 1],
				       2, 18, 3, 19, 6, 22, 7, 23,
				       10, 26, 11, 27, 14, 30, 15, 31);
		u2 = (v8du)cp_shuffle2(x[4 * g + 2], x[4 * g + 3],
				       0, 16, 1, 17, 4, 20, 5, 21,
				       8, 24, 9, 25, 12, 28, 13, 29);
		u3 = (v8du)cp_shuffle2(x[4 * g + 2], x[4 * g + 3],
				       2, 18, 3, 19, 6, 22, 7, 23,
				       10, 26, 11, 27, 14, 30, 15, 31);
		x[4 * g] = (v16su)cp_shuffle2(u0, u2, 0, 8, 2, 10, 4, 12, 6, 14);
		x[4 * g + 1] = (v16su)cp_shuffle2(u0, u2,
						  1, 9, 3, 11, 5, 13, 7, 15);
		x[4 * g + 2] = (v16su)cp_shuffle2(u1, u3,
						  0, 8, 2, 10, 4, 12, 6, 14);
		x[4 * g + 3] = (v16su)cp_shuffle2(u1, u3,
						  1, 9, 3, 11, 5, 13, 7, 15);
	}
	/* the 128-bit lanes: a 4 x 4 transposition across the groups */
	for (i = 0; i < 4; i++) {
		q0 = cp_shuffle2((v8du)x[i], (v8du)x[4 + i],
				 0, 1, 8, 9, 4, 5, 12, 13);
		q1 = cp_shuffle2((v8du)x[i], (v8du)x[4 + i],
				 2, 3, 10, 11, 6, 7, 14, 15);
		q2 = cp_shuffle2((v8du)x[8 + i], (v8du)x[12 + i],
				 0, 1, 8, 9, 4, 5, 12, 13);
		q3 = cp_shuffle2((v8du)x[8 + i], (v8du)x[12 + i],
				 2, 3, 10, 11, 6, 7, 14, 15);
		x[i] = (v16su)cp_shuffle2(q0, q2, 0, 1, 2, 3, 8, 9, 10, 11);
		x[4 + i] = (v16su)cp_shuffle2(q1, q3, 0, 1, 2, 3, 8, 9, 10, 11);
		x[8 + i] = (v16su)cp_shuffle2(q0, q2, 4, 5, 6, 7, 12, 13, 14, 15);
		x[12 + i] = (v16su)cp_shuffle2(q1, q3,
					       4, 5, 6, 7, 12, 13, 14, 15);
	}
}

/* The initial state of blocks @ctr..@ctr + 15. */
static __always_inline void chacha16_init(v16su x[16], const u32 st[16],
					  u32 ctr)
{
	const v16su lanes = { 0, 1, 2, 3, 4, 5, 6, 7,
			      8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = (v16su){ 0 } + st[i];
	x[12] = (v16su){ 0 } + ctr + lanes;
}

/* The keystream of the sixteen blocks in byte order, in place: x[b]. */
static __always_inline void chacha16_final(v16su x[16], const u32 st[16],
					   u32 ctr)
{
	const v16su lanes = { 0, 1, 2, 3, 4, 5, 6, 7,
			      8, 9, 10, 11, 12, 13, 14, 15 };
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] += st[i];
	x[12] += ctr + lanes;
	transpose16(x);
}

/**
 * struct poly8 - eight-way Poly1305 in 2^26 limbs.
 * @h: the accumulators, limb k of lane j in h[k][j] (below 2^32)
 * @rn: r^8 in every lane, limb by limb
 * @sn: 5 * rn
 * @pw: r^1..r^8 (pw[i] is r^(i+1)), for the last group: lane j is
 *	multiplied by r^(8-j)
 * @started: a group was absorbed
 *
 * The powers of the last group are kept as scalars (the kernel's stack
 * frames), those of every group as vectors (broadcasting them per group
 * costs 8-10 % at 8 KiB).
 */
struct poly8 {
	v8du h[5], rn[5], sn[5];
	u32 pw[8][5];
	bool started;
};

static void poly8_init(struct poly8 *v, const struct poly1305_state *p)
{
	v4du a[5], b[5], s[5];
	u32 pw[8][5];
	unsigned int i, l;

	/*
	 * r^(i+1): r^2, then r^3 and r^4, then r^5..r^8 = r^4 * (r..r^4) in
	 * one four-lane multiplication (on a chain of seven scalar ones they
	 * took 80 ns)
	 */
	memcpy(pw[0], p->r, sizeof(pw[0]));
	poly1305_mul3(pw[1], pw[0], pw[0]);
	poly1305_mul3(pw[2], pw[1], pw[0]);
	poly1305_mul3(pw[3], pw[1], pw[1]);
	for (l = 0; l < 5; l++) {
		a[l] = v4du_of(pw[0][l], pw[1][l], pw[2][l], pw[3][l]);
		b[l] = v4du_of(pw[3][l], pw[3][l], pw[3][l], pw[3][l]);
		s[l] = b[l] * 5;
	}
	poly4_mul(a, b, s);
	for (i = 0; i < 4; i++)
		for (l = 0; l < 5; l++)
			pw[4 + i][l] = (u32)a[l][i];
	memcpy(v->pw, pw, sizeof(pw));
	memzero_explicit(pw, sizeof(pw));
	memzero_explicit(a, sizeof(a));
	for (l = 0; l < 5; l++) {
		v->rn[l] = (v8du){ 0 } + v->pw[7][l];
		v->sn[l] = v->rn[l] * 5;
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

/* Eight 16-byte blocks (128 bytes at @m), block j into lane j. */
static __always_inline void poly8_group(struct poly8 *v, const u8 *m)
{
	const v8du m26 = (v8du){ 0 } + CP_M26;
	v8du a = ld512q(m), b = ld512q(m + 64), lo, hi;

	lo = cp_shuffle2(a, b, 0, 2, 4, 6, 8, 10, 12, 14);
	hi = cp_shuffle2(a, b, 1, 3, 5, 7, 9, 11, 13, 15);
	if (v->started)
		poly8_mul(v->h, v->rn, v->sn);
	v->started = true;
	v->h[0] += lo & m26;
	v->h[1] += (lo >> 26) & m26;
	v->h[2] += ((lo >> 52) | (hi << 12)) & m26;
	v->h[3] += (hi >> 14) & m26;
	v->h[4] += (hi >> 40) | (1u << 24);
}

/* The lanes times r^8..r^1, added up into the scalar accumulator. */
static void poly8_final(struct poly8 *v, struct poly1305_state *p)
{
	v8du rf[5], sf[5];
	unsigned int l, j;
	u64 t;

	for (l = 0; l < 5; l++) {
		rf[l] = (v8du){ v->pw[7][l], v->pw[6][l], v->pw[5][l],
				v->pw[4][l], v->pw[3][l], v->pw[2][l],
				v->pw[1][l], v->pw[0][l] };
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
 * The rest of the ciphertext after the chunks: groups of eight blocks, then
 * (with @vec, when any group was absorbed at all) the lanes folded, then
 * the last blocks scalar, the final one padded.
 */
static void poly_rest(struct poly8 *v, struct poly1305_state *p,
		      const u8 *m, size_t len, bool vec)
{
	for (; len >= 128; m += 128, len -= 128)
		poly8_group(v, m);
	if (vec)
		poly8_final(v, p);
	poly1305_padded(p, m, len);
}

bool pqaead_chachapoly_usable_avx512(void)
{
#ifdef __KERNEL__
	return false;	/* not wired into the kernel yet */
#else
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") &&
	       __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl");
#endif
}

/* @len bytes XORed with the keystream blocks @b, @b + 1, ... of @o. */
static __always_inline void xor16(const v16su o[16], unsigned int b,
				  const u8 *src, u8 *dst, size_t len,
				  u8 buf[64])
{
	size_t j;

	for (; len >= 64; src += 64, dst += 64, len -= 64, b++)
		st512(dst, ld512(src) ^ o[b]);
	if (len) {
		st512(buf, o[b]);
		for (j = 0; j < len; j++)
			dst[j] = src[j] ^ buf[j];
	}
}

/*
 * A message of at most this many bytes is one batch of blocks 0..23 at
 * most, the Poly1305 key from block 0: eight blocks on ymm, sixteen on zmm,
 * or both at once (their double rounds interleaved: each alone is bound by
 * the latency of its dependency chains, not by throughput).
 */
#define SHORT_MAX	(23 * 64)

/* not inlined: its frame and chachapoly()'s would add up */
static noinline void chachapoly_short(const u32 st[16], const u8 *aad,
				      size_t aadlen, const u8 *src, u8 *dst,
				      size_t len, bool enc, u8 tag[16])
{
	struct poly1305_state p;
	struct poly8 v;
	v16su x[16];
	v8su x8[16];
	bool vec = len >= 128, ymm = len <= 7 * 64, zmm = len > 7 * 64,
	     both = len > 15 * 64;
	unsigned int i;
	size_t n;
	u8 buf[64];

	if (zmm)
		chacha16_init(x, st, 0);
	if (ymm || both)
		chacha8_init(x8, st, both ? 16 : 0);
	/* separate loops, so that one set keeps its registers */
	if (both) {
		for (i = 0; i < 10; i++) {
			double_round16(x);
			double_round8(x8);
		}
	} else if (zmm) {
		for (i = 0; i < 10; i++)
			double_round16(x);
	} else {
		for (i = 0; i < 10; i++)
			double_round8(x8);
	}
	if (zmm) {
		chacha16_final(x, st, 0);
		st512(buf, x[0]);
	}
	if (ymm || both) {
		chacha8_final(x8, st, both ? 16 : 0);
		if (ymm) {
			st256(buf, x8[0]);
			st256(buf + 32, x8[8]);
		}
	}
	poly_start(&p, buf, aad, aadlen);
	if (vec)
		poly8_init(&v, &p);

	if (!enc)
		poly_rest(&v, &p, src, len, vec);
	if (ymm) {
		xor8(x8, 1, src, dst, len, buf);
	} else {
		n = len < 15 * 64 ? len : 15 * 64;
		xor16(x, 1, src, dst, n, buf);
		if (both)
			xor8(x8, 0, src + n, dst + n, len - n, buf);
	}
	if (enc)
		poly_rest(&v, &p, dst, len, vec);
	poly1305_final(&p, aadlen, len, tag);

	if (zmm)
		memzero_explicit(x, sizeof(x));
	if (ymm || both)
		memzero_explicit(x8, sizeof(x8));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

static void chachapoly(const struct pqaead_chachapoly_key *k,
		       const u8 *nonce, const u8 *aad, size_t aadlen,
		       const u8 *src, u8 *dst, size_t len, bool enc,
		       u8 tag[16])
{
	struct poly1305_state p;
	struct poly8 v;
	v16su x[16];
	v8su x8[16];
	const u8 *pend = NULL, *pp;
	bool vec = len >= 128, narrow;
	size_t total = len;
	u32 st[16], ctr = 1;
	unsigned int i;
	u8 buf[64];

	chacha20_init(st, k, nonce, 0);
	if (len && len <= SHORT_MAX) {
		chachapoly_short(st, aad, aadlen, src, dst, len, enc, tag);
		memzero_explicit(st, sizeof(st));
		return;
	}
	chacha20_polykey(st, buf);
	poly_start(&p, buf, aad, aadlen);
	if (vec)
		poly8_init(&v, &p);

	for (; len >= 1024; src += 1024, dst += 1024, len -= 1024, ctr += 16) {
		pp = enc ? pend : src;
		chacha16_init(x, st, ctr);
		if (pp) {
			for (i = 0; i < 8; i++) {
				double_round16(x);
				poly8_group(&v, pp + 128 * i);
			}
			double_round16(x);
			double_round16(x);
		} else {
			for (i = 0; i < 10; i++)
				double_round16(x);
		}
		chacha16_final(x, st, ctr);
		for (i = 0; i < 16; i++)
			st512(dst + 64 * i, ld512(src + 64 * i) ^ x[i]);
		pend = dst;
	}
	if (enc && pend)
		for (i = 0; i < 8; i++)
			poly8_group(&v, pend + 128 * i);

	/* the tail in eight blocks on ymm, or sixteen on zmm */
	narrow = len <= 512;
	if (len && narrow) {
		chacha8_init(x8, st, ctr);
		for (i = 0; i < 10; i++)
			double_round8(x8);
		chacha8_final(x8, st, ctr);
	} else if (len) {
		chacha16_init(x, st, ctr);
		for (i = 0; i < 10; i++)
			double_round16(x);
		chacha16_final(x, st, ctr);
	}
	if (!enc)
		poly_rest(&v, &p, src, len, vec);
	if (len && narrow) {
		xor8(x8, 0, src, dst, len, buf);
		memzero_explicit(x8, sizeof(x8));
	} else if (len) {
		xor16(x, 0, src, dst, len, buf);
		memzero_explicit(x, sizeof(x));
	}
	if (enc)
		poly_rest(&v, &p, dst, len, vec);

	poly1305_final(&p, aadlen, total, tag);
	memzero_explicit(st, sizeof(st));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

/**
 * pqaead_chachapoly_encrypt_avx512() - ChaCha20-Poly1305 encryption.
 * @k: the key
 * @nonce: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: plaintext
 * @dst: ciphertext, @len bytes (may be @src)
 * @len: the length of both
 * @tag: the 16-byte tag
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_encrypt_avx512(const struct pqaead_chachapoly_key *k,
				      const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				      const u8 *aad, size_t aadlen,
				      const u8 *src, u8 *dst, size_t len,
				      u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	chachapoly(k, nonce, aad, aadlen, src, dst, len, true, tag);
}

/**
 * pqaead_chachapoly_decrypt_avx512() - ChaCha20-Poly1305 decryption and tag
 *	check.
 * @k: the key
 * @nonce: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: ciphertext
 * @dst: plaintext, @len bytes (may be @src); on a tag mismatch it holds
 *	 the unauthenticated plaintext and the caller must discard it
 * @len: the length of both
 * @tag: the received 16-byte tag
 *
 * Contracts: see kernel/aead/chachapoly.h.
 *
 * Return: 0, or -EBADMSG if the tag does not match.
 */
int pqaead_chachapoly_decrypt_avx512(const struct pqaead_chachapoly_key *k,
				     const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				     const u8 *aad, size_t aadlen,
				     const u8 *src, u8 *dst, size_t len,
				     const u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	u8 want[16];
	int ret;

	chachapoly(k, nonce, aad, aadlen, src, dst, len, false, want);
	ret = poly1305_tag_cmp(want, tag);
	memzero_explicit(want, sizeof(want));
	return ret;
}
