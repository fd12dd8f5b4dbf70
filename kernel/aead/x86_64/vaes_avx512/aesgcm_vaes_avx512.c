// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-GCM (96-bit IV) with VAES and VPCLMULQDQ on 512-bit registers:
 * sixteen counter blocks per iteration in four zmm registers, GHASH of the
 * previous sixteen ciphertext blocks (aggregated with H^16..H^1, one
 * reduction) while their AES rounds run, then four blocks at a time, then
 * single blocks. Built with the 256-bit variant's flags plus -mavx512f
 * -mavx512bw (this folder's flags); the key schedule is the 256-bit
 * variant's, which every CPU with this one can run.
 */
#include "../aesgcm_x86.h"

/*
 * sparse models neither GCC's vector extensions (subscripts, vector
 * initializers) nor the x86 builtins this file is made of: it checks the
 * interface (../../aesgcm.h) and not this body. The userspace build runs
 * the same code under ASan and UBSan (aead_vectors).
 */
#ifndef __CHECKER__

typedef s64 v8di __attribute__((vector_size(64)));
typedef u32 v16su __attribute__((vector_size(64)));
typedef u8 v64qu __attribute__((vector_size(64)));
typedef s64 v8di_u __attribute__((vector_size(64), may_alias)) __aligned(1);

#define as_v8di(x)	((long long __attribute__((vector_size(64))))(x))
#define as_v64qi(x)	((char __attribute__((vector_size(64))))(x))

#define vaesenc512(x, k) \
	((v8di)__builtin_ia32_vaesenc_v64qi(as_v64qi(x), as_v64qi(k)))
#define vaesenclast512(x, k) \
	((v8di)__builtin_ia32_vaesenclast_v64qi(as_v64qi(x), as_v64qi(k)))
#define clmul512(a, b, i) \
	((v8di)__builtin_ia32_vpclmulqdq_v8di(as_v8di(a), as_v8di(b), i))

static __always_inline v8di ld512(const void *p)
{
	return *(const v8di_u *)p;
}

static __always_inline void st512(void *p, v8di x)
{
	*(v8di_u *)p = x;
}

/* Each 16-byte block reversed (VPSHUFB within the 128-bit lanes). */
static __always_inline v8di bswap512(v8di x)
{
	const v64qu m = {
		15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
		31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
		47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
		63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48,
	};

	return (v8di)__builtin_shuffle((v64qu)x, m);
}

/* The XOR of the four 128-bit lanes. */
static __always_inline v2di fold4(v8di x)
{
	return (v2di){ x[0] ^ x[2] ^ x[4] ^ x[6], x[1] ^ x[3] ^ x[5] ^ x[7] };
}

/* A round key in all four lanes. */
static __always_inline v8di rk512(const struct pqaead_aesgcm512_key *k,
				  unsigned int r)
{
	return ld512(k->rk[r]);
}

/**
 * pqaead_aesgcm_setkey_vaes_avx512() - expand an AES key for GCM.
 * @k: the expanded key
 * @key: 16, 24 or 32 bytes
 * @keylen: its length
 *
 * Return: 0, or -EINVAL for another key length.
 */
int pqaead_aesgcm_setkey_vaes_avx512(struct pqaead_aesgcm512_key *k,
				     const u8 *key, unsigned int keylen)
{
	v2di h, hp[16];
	unsigned int i;
	int err;

	err = pqaead_aesgcm_setkey_vaes_avx2(&k->base, key, keylen);
	if (err)
		return err;
	h = bswap128(aes_block(&k->base, (v2di){ 0, 0 }));	/* H^1 */
	hp[0] = h;
	for (i = 1; i < 16; i++)
		hp[i] = gfmul_plain(hp[i - 1], h);	/* H^(i+1) */
	for (i = 0; i < 16; i++)	/* register i / 4, lane i % 4: H^(16-i) */
		st128(k->hpow[i / 4] + 16 * (i % 4), ghash_twist(hp[15 - i]));
	memset(k->hpad, 0, sizeof(k->hpad));
	for (i = 0; i <= k->base.rounds; i++) {
		v8di r;

		h = ld128(k->base.rk[i]);
		r = (v8di){ h[0], h[1], h[0], h[1], h[0], h[1], h[0], h[1] };
		st512(k->rk[i], r);
	}
	memzero_explicit(hp, sizeof(hp));
	return 0;
}

/* Bytes 0..@n-1 of @p (zero beyond; masked-out bytes are never touched). */
static __always_inline v8di ldmask512(const u8 *p, u64 m)
{
	return (v8di)__builtin_ia32_loaddquqi512_mask((const char *)p,
						      as_v64qi((v8di){ 0 }), m);
}

static __always_inline void stmask512(u8 *p, v8di x, u64 m)
{
	__builtin_ia32_storedquqi512_mask((char *)p, as_v64qi(x), m);
}

static __always_inline v8di zmask512(v8di x, u64 m)
{
	return (v8di)__builtin_ia32_movdquqi512_mask(as_v64qi(x),
						     as_v64qi((v8di){ 0 }), m);
}

/* The bytes of 64-byte register @i that lie within the first @len. */
static __always_inline u64 tail_mask(size_t len, unsigned int i)
{
	if (len <= 64 * i)
		return 0;
	len -= 64 * i;
	return len >= 64 ? ~0ULL : (1ULL << len) - 1;
}

/* x * h (byte-reflected, four lanes) added to the unreduced lo/mid/hi. */
static __always_inline void ghash_mul(v8di x, v8di h, v8di *lo, v8di *mid,
				      v8di *hi)
{
	*lo ^= clmul512(x, h, 0x00);
	*hi ^= clmul512(x, h, 0x11);
	*mid ^= clmul512(x, h, 0x01) ^ clmul512(x, h, 0x10);
}

/*
 * The GHASH of sixteen blocks @g[0..3] (message byte order) into @acc, as
 * steps 1-6, so that the caller can spread them between AES rounds.
 */
static __always_inline void ghash16_step(const struct pqaead_aesgcm512_key *k,
					 unsigned int step, const v8di *g,
					 v2di *acc, v8di *lo, v8di *mid,
					 v8di *hi)
{
	const v2di poly = { 1, (s64)0xc200000000000000ULL };
	v8di x, h;
	v2di l, m;

	switch (step) {
	case 1:
		x = bswap512(g[0]) ^
		    (v8di){ (*acc)[0], (*acc)[1], 0, 0, 0, 0, 0, 0 };
		h = ld512(k->hpow[0]);
		*lo = clmul512(x, h, 0x00);
		*hi = clmul512(x, h, 0x11);
		*mid = clmul512(x, h, 0x01) ^ clmul512(x, h, 0x10);
		break;
	case 2:
	case 3:
	case 4:
		ghash_mul(bswap512(g[step - 1]), ld512(k->hpow[step - 1]),
			  lo, mid, hi);
		break;
	case 5:
		l = fold4(*lo);
		m = fold4(*mid) ^ (v2di){ l[1], l[0] } ^
		    clmul128(poly, l, 0x01);
		*mid = (v8di){ m[0], m[1], 0, 0, 0, 0, 0, 0 };
		break;
	case 6:
		m = (v2di){ (*mid)[0], (*mid)[1] };
		*acc = fold4(*hi) ^ (v2di){ m[1], m[0] } ^
		       clmul128(poly, m, 0x01);
		break;
	}
}

/*
 * The AES of four registers of counter blocks (byte-reflected counters
 * @ctr, @ctr + 4, ...), @nr a compile-time constant so that every loop
 * unrolls and the blocks stay in registers; round keys are memory operands.
 * With @gh, the GHASH of the previous sixteen blocks @g into @acc runs
 * between the rounds (independent work while the AES latency elapses).
 */
static __always_inline void aes_x4(const struct pqaead_aesgcm512_key *k,
				   const unsigned int nr, v16su ctr,
				   v8di *x0, v8di *x1, v8di *x2, v8di *x3,
				   const bool gh, const v8di *g, v2di *acc)
{
	const v16su four = { 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
	v8di a = bswap512((v8di)ctr), b = bswap512((v8di)(ctr + four));
	v8di c = bswap512((v8di)(ctr + four + four));
	v8di d = bswap512((v8di)(ctr + four + four + four));
	v8di rk = rk512(k, 0), lo = { 0 }, mid = { 0 }, hi = { 0 };
	unsigned int r;

	a ^= rk;
	b ^= rk;
	c ^= rk;
	d ^= rk;
#pragma GCC unroll 14
	for (r = 1; r < nr; r++) {
		rk = rk512(k, r);
		a = vaesenc512(a, rk);
		b = vaesenc512(b, rk);
		c = vaesenc512(c, rk);
		d = vaesenc512(d, rk);
		if (gh && r <= 6) {
			ghash16_step(k, r, g, acc, &lo, &mid, &hi);
			/* keep the step here (GCC sinks it otherwise) */
			__asm__("" : "+v"(a), "+v"(b), "+v"(c), "+v"(d),
				"+v"(lo), "+v"(mid), "+v"(hi), "+x"(*acc));
		}
	}
	rk = rk512(k, nr);
	*x0 = vaesenclast512(a, rk);
	*x1 = vaesenclast512(b, rk);
	*x2 = vaesenclast512(c, rk);
	*x3 = vaesenclast512(d, rk);
}

/* The powers for blocks 4 * @i.. of a group of @nb: H^(nb - 4i).. */
static __always_inline v8di hpow_for(const struct pqaead_aesgcm512_key *k,
				     unsigned int nb, unsigned int i)
{
	return ld512(&k->hpow[0][0] + 16 * (16 - nb + 4 * i));
}

/*
 * CTR and GHASH, @nr rounds. Sixteen blocks per iteration, aggregated
 * GHASH (H^16..H^1, one reduction); the OoO core overlaps the GHASH of one
 * iteration with the AES of the next (they are independent). The tail
 * (under 256 bytes) is one more such pass with masked loads and stores,
 * its GHASH with the powers H^nb..H^1 of its nb blocks (the padding blocks
 * are zero and meet the zero padding after H^1 in the key).
 */
static __always_inline v2di gcm_crypt_nr(const struct pqaead_aesgcm512_key *k,
					 const unsigned int nr, v2di j0r,
					 v2di acc, const u8 *src, u8 *dst,
					 size_t len, bool enc)
{
	/* lanes: counters 2, 3, 4, 5 (J0 holds 1), unsigned: inc32() wraps */
	v16su ctr = (v16su)(v8di){ j0r[0], j0r[1], j0r[0], j0r[1],
				   j0r[0], j0r[1], j0r[0], j0r[1] } +
		    (v16su){ 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0 };
	const v16su sixteen = { 16, 0, 0, 0, 16, 0, 0, 0,
				16, 0, 0, 0, 16, 0, 0, 0 };
	v8di k0, k1, k2, k3, i0, i1, i2, i3, lo, mid, hi, g[4];
	u64 m0, m1, m2, m3;
	unsigned int nb;

	if (len >= 256) {
		/* the first sixteen blocks: AES only, GHASH with the next */
		aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, false, g, &acc);
		ctr += sixteen;
		for (;;) {
			i0 = ld512(src);
			i1 = ld512(src + 64);
			i2 = ld512(src + 128);
			i3 = ld512(src + 192);
			k0 ^= i0;
			k1 ^= i1;
			k2 ^= i2;
			k3 ^= i3;
			st512(dst, k0);
			st512(dst + 64, k1);
			st512(dst + 128, k2);
			st512(dst + 192, k3);
			g[0] = enc ? k0 : i0;
			g[1] = enc ? k1 : i1;
			g[2] = enc ? k2 : i2;
			g[3] = enc ? k3 : i3;
			src += 256;
			dst += 256;
			len -= 256;
			if (len < 256)
				break;
			aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, true, g, &acc);
			ctr += sixteen;
		}
		i0 = bswap512(g[0]) ^ (v8di){ acc[0], acc[1], 0, 0, 0, 0, 0, 0 };
		lo = clmul512(i0, ld512(k->hpow[0]), 0x00);
		hi = clmul512(i0, ld512(k->hpow[0]), 0x11);
		mid = clmul512(i0, ld512(k->hpow[0]), 0x01) ^
		      clmul512(i0, ld512(k->hpow[0]), 0x10);
		ghash_mul(bswap512(g[1]), ld512(k->hpow[1]), &lo, &mid, &hi);
		ghash_mul(bswap512(g[2]), ld512(k->hpow[2]), &lo, &mid, &hi);
		ghash_mul(bswap512(g[3]), ld512(k->hpow[3]), &lo, &mid, &hi);
		acc = ghash_reduce(fold4(lo), fold4(mid), fold4(hi));
	}
	if (!len)
		return acc;

	nb = (len + 15) / 16;
	m0 = tail_mask(len, 0);
	m1 = tail_mask(len, 1);
	m2 = tail_mask(len, 2);
	m3 = tail_mask(len, 3);
	aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, false, g, &acc);
	i0 = ldmask512(src, m0);
	i1 = ldmask512(src + 64, m1);
	i2 = ldmask512(src + 128, m2);
	i3 = ldmask512(src + 192, m3);
	k0 = zmask512(k0 ^ i0, m0);
	k1 = zmask512(k1 ^ i1, m1);
	k2 = zmask512(k2 ^ i2, m2);
	k3 = zmask512(k3 ^ i3, m3);
	stmask512(dst, k0, m0);
	stmask512(dst + 64, k1, m1);
	stmask512(dst + 128, k2, m2);
	stmask512(dst + 192, k3, m3);
	if (enc) {
		i0 = k0;
		i1 = k1;
		i2 = k2;
		i3 = k3;
	}
	lo = (v8di){ 0 };
	mid = lo;
	hi = lo;
	ghash_mul(bswap512(i0) ^ (v8di){ acc[0], acc[1], 0, 0, 0, 0, 0, 0 },
		  hpow_for(k, nb, 0), &lo, &mid, &hi);
	if (nb > 4)
		ghash_mul(bswap512(i1), hpow_for(k, nb, 1), &lo, &mid, &hi);
	if (nb > 8)
		ghash_mul(bswap512(i2), hpow_for(k, nb, 2), &lo, &mid, &hi);
	if (nb > 12)
		ghash_mul(bswap512(i3), hpow_for(k, nb, 3), &lo, &mid, &hi);
	return ghash_reduce(fold4(lo), fold4(mid), fold4(hi));
}

static v2di gcm_crypt(const struct pqaead_aesgcm512_key *k, v2di j0r,
		      v2di acc, const u8 *src, u8 *dst, size_t len, bool enc)
{
	switch (k->base.rounds) {
	case 10:
		return gcm_crypt_nr(k, 10, j0r, acc, src, dst, len, enc);
	case 12:
		return gcm_crypt_nr(k, 12, j0r, acc, src, dst, len, enc);
	default:
		return gcm_crypt_nr(k, 14, j0r, acc, src, dst, len, enc);
	}
}

/* The variant's crypt step on the state. */
static __always_inline void gcm_step(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm512_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc)
{
	v2di acc = gcm_flush_aad(s, &k->base);

	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc);
	gcm_advance(s, acc, len);
}

/**
 * pqaead_aesgcm_encrypt_vaes_avx512() - AES-GCM encryption.
 * @k: the expanded key
 * @iv: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: plaintext
 * @dst: ciphertext, @len bytes (may be @src)
 * @len: the length of both
 * @tag: the 16-byte tag (truncate it for shorter tags)
 */
void pqaead_aesgcm_encrypt_vaes_avx512(const struct pqaead_aesgcm512_key *k,
				       const u8 iv[PQAEAD_GCM_IV_SIZE],
				       const u8 *aad, size_t aadlen,
				       const u8 *src, u8 *dst, size_t len,
				       u8 tag[PQAEAD_GCM_TAG_SIZE])
{
	struct pqaead_aesgcm_state s;

	pqaead_aesgcm_init(&s, iv);
	gcm_aad(&s, &k->base, aad, aadlen);
	gcm_step(&s, k, src, dst, len, true);
	gcm_final(&s, &k->base, tag);
}

/**
 * pqaead_aesgcm_decrypt_vaes_avx512() - AES-GCM decryption and tag check.
 * @k: the expanded key
 * @iv: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: ciphertext
 * @dst: plaintext, @len bytes (may be @src); on a tag mismatch it holds
 *	 the unauthenticated plaintext and the caller must discard it
 * @len: the length of both
 * @tag: the received tag
 * @taglen: its length, 4 to 16
 *
 * Return: 0, -EBADMSG if the tag does not match, -EINVAL for a bad @taglen.
 */
int pqaead_aesgcm_decrypt_vaes_avx512(const struct pqaead_aesgcm512_key *k,
				      const u8 iv[PQAEAD_GCM_IV_SIZE],
				      const u8 *aad, size_t aadlen,
				      const u8 *src, u8 *dst, size_t len,
				      const u8 *tag, unsigned int taglen)
{
	struct pqaead_aesgcm_state s;

	if (taglen < 4 || taglen > 16)
		return -EINVAL;
	pqaead_aesgcm_init(&s, iv);
	gcm_aad(&s, &k->base, aad, aadlen);
	gcm_step(&s, k, src, dst, len, false);
	return gcm_check(&s, &k->base, tag, taglen);
}

/**
 * pqaead_aesgcm_crypt_vaes_avx512() - encrypt or decrypt a piece
 *	(streaming; ../../aesgcm.h).
 * @s: the state
 * @k: the expanded key
 * @src: the input
 * @dst: the output, @len bytes (may be @src)
 * @len: a multiple of 16, except in the last call
 * @enc: encrypt (GHASH the output), else decrypt (GHASH the input)
 */
void pqaead_aesgcm_crypt_vaes_avx512(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm512_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc)
{
	gcm_step(s, k, src, dst, len, enc);
}

#endif /* !__CHECKER__ */
