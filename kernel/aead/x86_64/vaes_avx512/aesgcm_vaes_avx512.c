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
	h = ld128(k->base.hpow[PQAEAD_GCM_HPOWS / 2 - 1] + 16);	/* H^1 */
	hp[0] = h;
	for (i = 1; i < 16; i++)
		hp[i] = gfmul(hp[i - 1], h);	/* H^(i+1) */
	for (i = 0; i < 16; i++)	/* register i / 4, lane i % 4: H^(16-i) */
		st128(k->hpow[i / 4] + 16 * (i % 4), hp[15 - i]);
	for (i = 0; i <= k->base.rounds; i++) {
		v8di r;

		h = ld128(k->base.rk[i]);
		r = (v8di){ h[0], h[1], h[0], h[1], h[0], h[1], h[0], h[1] };
		st512(k->rk[i], r);
	}
	memzero_explicit(hp, sizeof(hp));
	return 0;
}

/* GHASH of 4 * @n blocks in @n registers with the last 4 * @n powers. */
static __always_inline v2di ghash_zmm(const struct pqaead_aesgcm512_key *k,
				      v2di acc, const v8di *c, unsigned int n)
{
	v8di lo = { 0 }, mid = { 0 }, hi = { 0 }, x, h;
	unsigned int i;

	for (i = 0; i < n; i++) {
		x = bswap512(c[i]);
		if (!i)
			x ^= (v8di){ acc[0], acc[1], 0, 0, 0, 0, 0, 0 };
		h = ld512(k->hpow[4 - n + i]);
		lo ^= clmul512(x, h, 0x00);
		hi ^= clmul512(x, h, 0x11);
		mid ^= clmul512(x, h, 0x01) ^ clmul512(x, h, 0x10);
	}
	return ghash_reduce(fold4(lo), fold4(mid), fold4(hi));
}

/* AES of @n registers of counter blocks (byte-reflected counters @ctr). */
static __always_inline void ctr_zmm(const struct pqaead_aesgcm512_key *k,
				    v16su ctr, v8di *ks, unsigned int n)
{
	const v16su four = { 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
	unsigned int i, r;
	v8di rk;

	for (i = 0; i < n; i++) {
		ks[i] = bswap512((v8di)ctr);
		ctr += four;
	}
	rk = rk512(k, 0);
	for (i = 0; i < n; i++)
		ks[i] ^= rk;
	for (r = 1; r < k->base.rounds; r++) {
		rk = rk512(k, r);
		for (i = 0; i < n; i++)
			ks[i] = vaesenc512(ks[i], rk);
	}
	rk = rk512(k, k->base.rounds);
	for (i = 0; i < n; i++)
		ks[i] = vaesenclast512(ks[i], rk);
}

static v2di gcm_crypt(const struct pqaead_aesgcm512_key *k, v2di j0r,
		      v2di acc, const u8 *src, u8 *dst, size_t len, bool enc)
{
	/* lanes: counters 2, 3, 4, 5 (J0 holds 1), unsigned: inc32() wraps */
	v16su ctr = (v16su)(v8di){ j0r[0], j0r[1], j0r[0], j0r[1],
				   j0r[0], j0r[1], j0r[0], j0r[1] } +
		    (v16su){ 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0 };
	const v16su sixteen = { 16, 0, 0, 0, 16, 0, 0, 0,
				16, 0, 0, 0, 16, 0, 0, 0 };
	const v16su four = { 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
	v8di ks[4], in[4], prev[4];	/* ks[] becomes the output */
	bool pending = false;
	unsigned int i;
	u8 buf[16];
	v2di c;

	for (; len >= 256; src += 256, dst += 256, len -= 256) {
		ctr_zmm(k, ctr, ks, 4);
		ctr += sixteen;
		if (pending)
			acc = ghash_zmm(k, acc, prev, 4);
		for (i = 0; i < 4; i++) {
			in[i] = ld512(src + 64 * i);
			ks[i] ^= in[i];
		}
		for (i = 0; i < 4; i++) {
			st512(dst + 64 * i, ks[i]);
			prev[i] = enc ? ks[i] : in[i];
		}
		pending = true;
	}
	if (pending)
		acc = ghash_zmm(k, acc, prev, 4);
	for (; len >= 64; src += 64, dst += 64, len -= 64) {
		ctr_zmm(k, ctr, ks, 1);
		ctr += four;
		in[0] = ld512(src);
		ks[0] ^= in[0];
		st512(dst, ks[0]);
		acc = ghash_zmm(k, acc, enc ? ks : in, 1);
	}
	for (; len; ) {
		size_t n = len < 16 ? len : 16;

		c = aes_block(&k->base,
			      bswap128((v2di){ ((v8di)ctr)[0], ((v8di)ctr)[1] }));
		ctr[0]++;
		memset(buf, 0, sizeof(buf));
		memcpy(buf, src, n);
		if (!enc)
			acc = ghash_bytes(&k->base, acc, buf, n);
		st128(buf, ld128(buf) ^ c);
		memset(buf + n, 0, 16 - n);
		memcpy(dst, buf, n);
		if (enc)
			acc = ghash_bytes(&k->base, acc, buf, n);
		src += n;
		dst += n;
		len -= n;
	}
	memzero_explicit(buf, sizeof(buf));
	return acc;
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
