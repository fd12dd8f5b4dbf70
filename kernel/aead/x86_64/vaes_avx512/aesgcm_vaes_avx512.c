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

/*
 * A 128-bit value in the four lanes, or in the low one with zeros above
 * (VBROADCASTI32X4, zero-masked): built in registers, where a vector
 * initialiser goes through the stack (four 16-byte stores, one 64-byte
 * load that store forwarding cannot serve).
 */
#define as_v4si(x)	((int __attribute__((vector_size(16))))(x))
#define as_v16si(x)	((int __attribute__((vector_size(64))))(x))

static __always_inline v8di bcast4(v2di x)
{
	const v8di z = { 0 };

	return (v8di)__builtin_ia32_broadcasti32x4_512(as_v4si(x),
						       as_v16si(z), 0xffff);
}

static __always_inline v8di zext4(v2di x)
{
	const v8di z = { 0 };

	return (v8di)__builtin_ia32_broadcasti32x4_512(as_v4si(x),
						       as_v16si(z), 0x000f);
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
	unsigned int i;
	int err;
	v2di h;

	err = pqaead_aesgcm_setkey_vaes_avx2(&k->base, key, keylen);
	if (err)
		return err;
	for (i = 0; i <= k->base.rounds; i++) {
		v8di r;

		h = ld128(k->base.rk[i]);
		r = (v8di){ h[0], h[1], h[0], h[1], h[0], h[1], h[0], h[1] };
		st512(k->rk[i], r);
	}
	return 0;
}

/* Bytes 0..@n-1 of @p (zero beyond; masked-out bytes are never touched). */
static __always_inline v8di ldmask512(const u8 *p, u64 m)
{
	const v8di z = { 0 };

	return (v8di)__builtin_ia32_loaddquqi512_mask((const char *)p,
						      as_v64qi(z), m);
}

static __always_inline void stmask512(u8 *p, v8di x, u64 m)
{
	__builtin_ia32_storedquqi512_mask((char *)p, as_v64qi(x), m);
}

static __always_inline v8di zmask512(v8di x, u64 m)
{
	const v8di z = { 0 };

	return (v8di)__builtin_ia32_movdquqi512_mask(as_v64qi(x), as_v64qi(z),
						     m);
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

/* Blocks per iteration: four per zmm register, NREG independent chains. */
#define NREG	8
#define GROUP	(4 * NREG)

/*
 * The powers for blocks 4 * @i.. of a run of @m blocks hashed with one
 * reduction: H^(m - 4i), H^(m - 4i - 1), ... (zeros past H^1).
 */
static __always_inline v8di hpow_at(const struct pqaead_aesgcm512_key *k,
				    unsigned int m, unsigned int i)
{
	return ld512(&k->base.hpow[0][0] +
		     16 * (PQAEAD_GCM_HPOWS - m + 4 * i));
}

/*
 * The GHASH of GROUP blocks @g (message byte order) into @acc, as steps,
 * so that the caller can spread them between AES rounds: steps 1 to NREG
 * multiply one register each, step NREG + 1 reduces (round 9 of AES-128's
 * 1-9).
 */
static __always_inline void ghash_step(const struct pqaead_aesgcm512_key *k,
				       unsigned int step, const v8di *g,
				       v2di *acc, v8di *lo, v8di *mid,
				       v8di *hi)
{
	const v2di poly = { 1, (s64)0xc200000000000000ULL };
	unsigned int j;
	v2di l, m;
	v8di x;

	if (step <= NREG) {
		j = step - 1;
		x = bswap512(g[j]);
		if (j == 0)
			x ^= zext4(*acc);
		ghash_mul(x, hpow_at(k, GROUP, j), lo, mid, hi);
	} else if (step == NREG + 1) {
		l = fold4(*lo);
		m = fold4(*mid) ^ (v2di){ l[1], l[0] } ^
		    clmul128(poly, l, 0x01);
		*acc = fold4(*hi) ^ (v2di){ m[1], m[0] } ^
		       clmul128(poly, m, 0x01);
	}
}

/*
 * The AES of @n (at most NREG) registers of counter blocks (byte-reflected
 * counters @ctr, @ctr + 4, ...) into @x, @nr and @n compile-time constants
 * so that every loop unrolls and the blocks stay in registers; round keys
 * are memory operands. With @gh, the GHASH of the previous GROUP blocks
 * @g into @acc runs between the rounds (independent work while the AES
 * latency elapses).
 */
static __always_inline void aes_xn(const struct pqaead_aesgcm512_key *k,
				   const unsigned int nr, const unsigned int n,
				   v16su ctr, v8di *x, const bool gh,
				   const v8di *g, v2di *acc)
{
	const v16su four = { 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0, 4, 0, 0, 0 };
	v8di rk = rk512(k, 0), lo = { 0 }, mid = { 0 }, hi = { 0 };
	unsigned int r, j;

#pragma GCC unroll 8
	for (j = 0; j < n; j++) {
		x[j] = bswap512((v8di)ctr) ^ rk;
		ctr += four;
	}
#pragma GCC unroll 14
	for (r = 1; r < nr; r++) {
		rk = rk512(k, r);
#pragma GCC unroll 8
		for (j = 0; j < n; j++)
			x[j] = vaesenc512(x[j], rk);
		if (gh && r <= NREG + 1) {
			ghash_step(k, r, g, acc, &lo, &mid, &hi);
			/* keep the step here (GCC sinks it otherwise) */
			__asm__("" : "+v"(lo), "+v"(mid), "+v"(hi), "+x"(*acc));
		}
	}
	rk = rk512(k, nr);
#pragma GCC unroll 8
	for (j = 0; j < n; j++)
		x[j] = vaesenclast512(x[j], rk);
}

/*
 * CTR and GHASH, @nr rounds. GROUP blocks per iteration, aggregated GHASH
 * (H^GROUP..H^1, one reduction) during the AES rounds of the next
 * iteration. The tail (under GROUP blocks) runs only the registers it
 * needs, with masked loads and stores; the last whole group, the tail
 * and, with @fin, the length block @lenblk are then hashed with one
 * reduction (powers up to H^(2 * GROUP); the padding blocks are zero and
 * meet the zero padding after H^1 in the key).
 */
static __always_inline v2di gcm_crypt_nr(const struct pqaead_aesgcm512_key *k,
					 const unsigned int nr, v2di j0r,
					 v2di acc, const u8 *src, u8 *dst,
					 size_t len, bool enc, bool fin,
					 v2di lenblk)
{
	/* lanes: counters 2, 3, 4, 5 (J0 holds 1), unsigned: inc32() wraps */
	v16su ctr = (v16su)bcast4(j0r) +
		    (v16su){ 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0 };
	const v16su group = { GROUP, 0, 0, 0, GROUP, 0, 0, 0,
			      GROUP, 0, 0, 0, GROUP, 0, 0, 0 };
	v8di x[NREG] = { 0 }, g[NREG] = { 0 }, t[NREG], lo, mid, hi;
	unsigned int nb, j, m;
	bool full = false;
	u64 mask;

	if (len >= GROUP * 16) {
		/* the first group: AES only, GHASH with the next */
		aes_xn(k, nr, NREG, ctr, x, false, g, &acc);
		ctr += group;
		for (;;) {
#pragma GCC unroll 8
			for (j = 0; j < NREG; j++) {
				t[j] = ld512(src + 64 * j);
				x[j] ^= t[j];
				st512(dst + 64 * j, x[j]);
				g[j] = enc ? x[j] : t[j];
			}
			src += GROUP * 16;
			dst += GROUP * 16;
			len -= GROUP * 16;
			if (len < GROUP * 16)
				break;
			aes_xn(k, nr, NREG, ctr, x, true, g, &acc);
			ctr += group;
		}
		full = true;
	}
	nb = (len + 15) / 16;
	if (!nb && !full && !fin)
		return acc;
	if (nb) {
		switch ((nb + 3) / 4) {
		case 1:
			aes_xn(k, nr, 1, ctr, x, false, g, &acc);
			break;
		case 2:
			aes_xn(k, nr, 2, ctr, x, false, g, &acc);
			break;
		case 3:
			aes_xn(k, nr, 3, ctr, x, false, g, &acc);
			break;
#if NREG > 4
		case 4:
			aes_xn(k, nr, 4, ctr, x, false, g, &acc);
			break;
		case 5:
			aes_xn(k, nr, 5, ctr, x, false, g, &acc);
			break;
		case 6:
			aes_xn(k, nr, 6, ctr, x, false, g, &acc);
			break;
		case 7:
			aes_xn(k, nr, 7, ctr, x, false, g, &acc);
			break;
		default:
			aes_xn(k, nr, 8, ctr, x, false, g, &acc);
			break;
#else
		default:
			aes_xn(k, nr, 4, ctr, x, false, g, &acc);
			break;
#endif
		}
	}
	lo = (v8di){ 0 };
	mid = lo;
	hi = lo;
	m = nb + fin;
	if (full) {
		/* the last group, with the powers after those of the rest */
#pragma GCC unroll 8
		for (j = 0; j < NREG; j++) {
			t[j] = bswap512(g[j]);
			if (j == 0)
				t[j] ^= zext4(acc);
			ghash_mul(t[j], hpow_at(k, m + GROUP, j), &lo, &mid,
				  &hi);
		}
		acc = (v2di){ 0, 0 };
	}
#pragma GCC unroll 8
	for (j = 0; j < NREG; j++) {
		if (4 * j >= nb)
			break;
		mask = tail_mask(len, j);
		t[j] = ldmask512(src + 64 * j, mask);
		x[j] = zmask512(x[j] ^ t[j], mask);
		stmask512(dst + 64 * j, x[j], mask);
		if (enc)
			t[j] = x[j];
		t[j] = bswap512(t[j]);
		if (j == 0)
			t[j] ^= zext4(acc);
		ghash_mul(t[j], hpow_at(k, m, j), &lo, &mid, &hi);
	}
	if (nb)
		acc = (v2di){ 0, 0 };
	if (fin) {
		lenblk ^= acc;
		ghash_mul(zext4(lenblk),
			  hpow_at(k, 1, 0), &lo, &mid, &hi);
	}
	return ghash_reduce(fold4(lo), fold4(mid), fold4(hi));
}

static v2di gcm_crypt(const struct pqaead_aesgcm512_key *k, v2di j0r,
		      v2di acc, const u8 *src, u8 *dst, size_t len, bool enc,
		      bool fin, v2di lenblk)
{
	switch (k->base.rounds) {
	case 10:
		return gcm_crypt_nr(k, 10, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	case 12:
		return gcm_crypt_nr(k, 12, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	default:
		return gcm_crypt_nr(k, 14, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	}
}

/* The variant's crypt step on the state. */
static __always_inline void gcm_step(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm512_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc)
{
	v2di acc = gcm_flush_aad(s, &k->base);

	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc, false,
			(v2di){ 0, 0 });
	gcm_advance(s, acc, len);
}

/*
 * A whole message: E_K(J0) first (independent of the rest), the length
 * block hashed with the tail. Leaves the tag in @tag; wipes the state.
 */
static __always_inline void gcm_oneshot(struct pqaead_aesgcm_state *s,
					const struct pqaead_aesgcm512_key *k,
					const u8 *aad, size_t aadlen,
					const u8 *src, u8 *dst, size_t len,
					bool enc, u8 tag[16])
{
	v2di ekj0 = aes_block(&k->base, ld128(s->j0)), acc;

	gcm_aad(s, &k->base, aad, aadlen);
	acc = gcm_flush_aad(s, &k->base);
	s->len = len;
	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc, true,
			gcm_lenblock(s));
	gcm_tag(s, acc, ekj0, tag);
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
	gcm_oneshot(&s, k, aad, aadlen, src, dst, len, true, tag);
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
	u8 want[16];
	int ret;

	if (taglen < 4 || taglen > 16)
		return -EINVAL;
	pqaead_aesgcm_init(&s, iv);
	gcm_oneshot(&s, k, aad, aadlen, src, dst, len, false, want);
	ret = gcm_cmp(want, tag, taglen);
	memzero_explicit(want, sizeof(want));
	return ret;
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
