/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The 128-bit parts shared by the x86-64 AES-GCM variants (vaes_avx2/,
 * vaes_avx512/): AES-NI single blocks and key schedule helper, GHASH on
 * byte-reflected blocks with PCLMULQDQ, the Gueron-Kounavis reduction
 * ("Intel Carry-Less Multiplication Instruction and its Usage for
 * Computing the GCM Mode", 2010, Algorithm 5). Only for files built with
 * -maes -mpclmul (and -mssse3 or more); static inline, no state.
 */
#ifndef _PQREKEY_AEAD_X86_64_AESGCM_X86_H
#define _PQREKEY_AEAD_X86_64_AESGCM_X86_H

#include "../aesgcm.h"

/* sparse checks none of this: see the variants' files */
#ifndef __CHECKER__

/*
 * Storage types with kernel element types; the builtins want GCC's own
 * (long long and char elements), hence the casts of as_*().
 */
typedef s64 v2di __attribute__((vector_size(16)));
typedef u32 v4su __attribute__((vector_size(16)));
typedef u8 v16qu __attribute__((vector_size(16)));
typedef s64 v2di_u __attribute__((vector_size(16), may_alias)) __aligned(1);

#define as_v2di(x)	((long long __attribute__((vector_size(16))))(x))
#define as_v16qi(x)	((char __attribute__((vector_size(16))))(x))

#define pshufb128(x, m)	((v2di)__builtin_ia32_pshufb128(as_v16qi(x), as_v16qi(m)))
#define aesenc(x, k)	((v2di)__builtin_ia32_aesenc128(as_v2di(x), as_v2di(k)))
#define aesenclast(x, k) \
	((v2di)__builtin_ia32_aesenclast128(as_v2di(x), as_v2di(k)))
#define clmul128(a, b, i) \
	((v2di)__builtin_ia32_pclmulqdq128(as_v2di(a), as_v2di(b), i))
#define shl_bytes(x, n)	((v2di)__builtin_ia32_pslldqi128(as_v2di(x), (n) * 8))
#define shr_bytes(x, n)	((v2di)__builtin_ia32_psrldqi128(as_v2di(x), (n) * 8))

static __always_inline v2di ld128(const void *p)
{
	return *(const v2di_u *)p;
}

static __always_inline void st128(void *p, v2di x)
{
	*(v2di_u *)p = x;
}

static __always_inline v2di bswap128(v2di x)
{
	const v16qu m = { 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };

	return pshufb128(x, m);
}

/*
 * The 256-bit product lo + mid * x^64 + hi * x^128 of byte-reflected
 * operands, reduced: shifted left by one bit (the reflection), then reduced
 * modulo x^128 + x^7 + x^2 + x + 1. Only for the key schedule (the powers
 * of H, from which the twisted powers below are made).
 */
static __always_inline v2di ghash_reduce_shift(v2di lo, v2di mid, v2di hi)
{
	v2di t7, t8, t9, t2;

	lo ^= shl_bytes(mid, 8);
	hi ^= shr_bytes(mid, 8);
	t7 = (v2di)((v4su)lo >> 31);
	t8 = (v2di)((v4su)hi >> 31);
	lo = (v2di)((v4su)lo << 1);
	hi = (v2di)((v4su)hi << 1);
	t9 = shr_bytes(t7, 12);
	t8 = shl_bytes(t8, 4);
	t7 = shl_bytes(t7, 4);
	lo |= t7;
	hi |= t8 | t9;
	t7 = (v2di)((v4su)lo << 31) ^ (v2di)((v4su)lo << 30) ^
	     (v2di)((v4su)lo << 25);
	t8 = shr_bytes(t7, 4);
	t7 = shl_bytes(t7, 12);
	lo ^= t7;
	t2 = (v2di)((v4su)lo >> 1) ^ (v2di)((v4su)lo >> 2) ^
	     (v2di)((v4su)lo >> 7) ^ t8;
	lo ^= t2;
	return hi ^ lo;
}

/* a * b in GF(2^128), both byte-reflected (key schedule only). */
static __always_inline v2di gfmul_plain(v2di a, v2di b)
{
	v2di lo = clmul128(a, b, 0x00), hi = clmul128(a, b, 0x11);
	v2di mid = clmul128(a, b, 0x01) ^ clmul128(a, b, 0x10);

	return ghash_reduce_shift(lo, mid, hi);
}

/*
 * A byte-reflected power of H as the keys store it: times x^-1 in GCM's
 * bit order (a 128-bit left shift by one, the bit carried out folded back
 * with x^127 + x^126 + x^121 + 1), which cancels the factor x that the
 * carry-less product of two byte-reflected values carries, so that the
 * reduction below needs no shift. Branch-free.
 */
static __always_inline v2di ghash_twist(v2di h)
{
	u64 lo = (u64)h[0], hi = (u64)h[1];
	u64 m = 0 - (hi >> 63);

	return (v2di){ (s64)((lo << 1) ^ (m & 1)),
		       (s64)(((hi << 1) | (lo >> 63)) ^
			     (m & 0xc200000000000000ULL)) };
}

/*
 * The product lo + mid * x^64 + hi * x^128 of a byte-reflected block and a
 * twisted power, reduced with two carry-less multiplications by the
 * reflected reduction polynomial: each cancels the lowest 64 bits left.
 */
static __always_inline v2di ghash_reduce(v2di lo, v2di mid, v2di hi)
{
	const v2di poly = { 1, (s64)0xc200000000000000ULL };

	mid ^= (v2di){ lo[1], lo[0] } ^ clmul128(poly, lo, 0x01);
	hi ^= (v2di){ mid[1], mid[0] } ^ clmul128(poly, mid, 0x01);
	return hi;
}

/* a * b in GF(2^128), a byte-reflected, b a twisted power of H. */
static __always_inline v2di gfmul(v2di a, v2di b)
{
	v2di lo = clmul128(a, b, 0x00), hi = clmul128(a, b, 0x11);
	v2di mid = clmul128(a, b, 0x01) ^ clmul128(a, b, 0x10);

	return ghash_reduce(lo, mid, hi);
}

static __always_inline v2di aes_block(const struct pqaead_aesgcm_key *k,
				      v2di x)
{
	unsigned int i;

	x ^= ld128(k->rk[0]);
	for (i = 1; i < k->rounds; i++)
		x = aesenc(x, ld128(k->rk[i]));
	return aesenclast(x, ld128(k->rk[k->rounds]));
}

/* SubWord() of FIPS 197: AESENCLAST on the word in all four columns. */
static inline u32 sub_word(u32 w)
{
	v4su x = { w, w, w, w };

	x = (v4su)aesenclast((v2di)x, ((v2di){ 0, 0 }));
	return x[0];
}

/* GHASH of whole and partial (zero-padded) blocks, one at a time. */
static inline v2di ghash_bytes(const struct pqaead_aesgcm_key *k, v2di acc,
			       const u8 *p, size_t len)
{
	v2di h = ld128(k->hpow[PQAEAD_GCM_HPOWS - 1]);	/* H^1 */
	u8 buf[16];

	for (; len >= 16; p += 16, len -= 16)
		acc = gfmul(acc ^ bswap128(ld128(p)), h);
	if (len) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, p, len);
		acc = gfmul(acc ^ bswap128(ld128(buf)), h);
	}
	return acc;
}

/*
 * The streaming steps both variants share (../aesgcm.h): everything but
 * the bulk CTR + GHASH, which each variant does at its width.
 */

/* J0 byte-reflected, its 32-bit counter advanced by the blocks used. */
static __always_inline v2di gcm_ctr_base(const struct pqaead_aesgcm_state *s)
{
	v4su j = (v4su)bswap128(ld128(s->j0));

	j[0] += s->blocks;	/* inc32(): wraps within the low word */
	return (v2di)j;
}

/* The accumulator with the pending associated data hashed (zero-padded). */
static __always_inline v2di gcm_flush_aad(struct pqaead_aesgcm_state *s,
					  const struct pqaead_aesgcm_key *k)
{
	v2di acc = ld128(s->acc);

	if (s->npend) {
		acc = ghash_bytes(k, acc, s->pend, s->npend);
		memzero_explicit(s->pend, sizeof(s->pend));
		s->npend = 0;
	}
	return acc;
}

static __always_inline void gcm_aad(struct pqaead_aesgcm_state *s,
				    const struct pqaead_aesgcm_key *k,
				    const u8 *aad, size_t len)
{
	v2di acc = ld128(s->acc);
	size_t n;

	s->aadlen += len;
	if (s->npend) {
		n = len < 16 - s->npend ? len : 16 - s->npend;
		memcpy(s->pend + s->npend, aad, n);
		s->npend += n;
		aad += n;
		len -= n;
		if (s->npend < 16)
			return;
		acc = ghash_bytes(k, acc, s->pend, 16);
		s->npend = 0;
	}
	n = len & ~(size_t)15;
	acc = ghash_bytes(k, acc, aad, n);
	if (len > n)
		memcpy(s->pend, aad + n, len - n);
	s->npend = len - n;
	st128(s->acc, acc);
}

/* After a crypt step of @len bytes that left GHASH at @acc. */
static __always_inline void gcm_advance(struct pqaead_aesgcm_state *s,
					v2di acc, size_t len)
{
	st128(s->acc, acc);
	s->blocks += (u32)((len + 15) / 16);
	s->len += len;
}

/* The length block (byte-reflected): bits of text, bits of AAD. */
static __always_inline v2di gcm_lenblock(const struct pqaead_aesgcm_state *s)
{
	return (v2di){ (s64)(s->len * 8), (s64)(s->aadlen * 8) };
}

/* The tag from the final GHASH and E_K(J0); wipes the state. */
static __always_inline void gcm_tag(struct pqaead_aesgcm_state *s, v2di acc,
				    v2di ekj0, u8 tag[16])
{
	st128(tag, bswap128(acc) ^ ekj0);
	memzero_explicit(s, sizeof(*s));
}

/* The length block, then the tag; wipes the state. */
static __always_inline void gcm_final(struct pqaead_aesgcm_state *s,
				      const struct pqaead_aesgcm_key *k,
				      u8 tag[16])
{
	v2di acc = gcm_flush_aad(s, k);

	acc = gfmul(acc ^ gcm_lenblock(s), ld128(k->hpow[PQAEAD_GCM_HPOWS - 1]));
	gcm_tag(s, acc, aes_block(k, ld128(s->j0)), tag);
}

/* @want compared in constant time with @taglen (4-16) received bytes. */
static __always_inline int gcm_cmp(const u8 want[16], const u8 *tag,
				   unsigned int taglen)
{
	u8 diff = 0;
	unsigned int i;

	for (i = 0; i < taglen; i++)
		diff |= want[i] ^ tag[i];
	return diff ? -EBADMSG : 0;
}

/* The tag compared in constant time with @taglen (4-16) received bytes. */
static __always_inline int gcm_check(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm_key *k,
				     const u8 *tag, unsigned int taglen)
{
	u8 want[16];
	int ret;

	if (taglen < 4 || taglen > 16) {
		memzero_explicit(s, sizeof(*s));
		return -EINVAL;
	}
	gcm_final(s, k, want);
	ret = gcm_cmp(want, tag, taglen);
	memzero_explicit(want, sizeof(want));
	return ret;
}

#endif /* !__CHECKER__ */

#endif /* _PQREKEY_AEAD_X86_64_AESGCM_X86_H */
