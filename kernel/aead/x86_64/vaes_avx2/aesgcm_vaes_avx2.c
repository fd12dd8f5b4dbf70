// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-GCM (96-bit IV) with VAES and VPCLMULQDQ on 256-bit registers: eight
 * counter blocks per iteration in four ymm registers, and GHASH of the
 * eight ciphertext blocks aggregated with H^8..H^1 and one reduction.
 * Built with -mavx2 -maes -mpclmul -mvaes -mvpclmulqdq (this folder's
 * flags); GCC's vector extensions and x86 builtins, no <immintrin.h>, so
 * that the kernel can build it too.
 *
 * GHASH works on byte-reflected blocks (each 16-byte block reversed with
 * PSHUFB), with the carry-less multiplication and the shift-and-reduce of
 * Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its
 * Usage for Computing the GCM Mode" (2010), Algorithm 5.
 */
#include "../aesgcm_x86.h"

/*
 * sparse models neither GCC's vector extensions (subscripts, vector
 * initializers) nor the x86 builtins this file is made of: it checks the
 * interface (../../aesgcm.h) and not this body. The userspace build runs
 * the same code under ASan and UBSan (aead_vectors).
 */
#ifndef __CHECKER__

typedef s64 v4di __attribute__((vector_size(32)));
typedef u32 v8su __attribute__((vector_size(32)));
typedef u8 v32qu __attribute__((vector_size(32)));
typedef s64 v4di_u __attribute__((vector_size(32), may_alias)) __aligned(1);

#define as_v4di(x)	((long long __attribute__((vector_size(32))))(x))
#define as_v32qi(x)	((char __attribute__((vector_size(32))))(x))

#define pshufb256(x, m)	((v4di)__builtin_ia32_pshufb256(as_v32qi(x), as_v32qi(m)))
#define vaesenc(x, k) \
	((v4di)__builtin_ia32_vaesenc_v32qi(as_v32qi(x), as_v32qi(k)))
#define vaesenclast(x, k) \
	((v4di)__builtin_ia32_vaesenclast_v32qi(as_v32qi(x), as_v32qi(k)))
#define clmul256(a, b, i) \
	((v4di)__builtin_ia32_vpclmulqdq_v4di(as_v4di(a), as_v4di(b), i))

static __always_inline v4di ld256(const void *p)
{
	return *(const v4di_u *)p;
}

static __always_inline void st256(void *p, v4di x)
{
	*(v4di_u *)p = x;
}

static __always_inline v4di bswap256(v4di x)
{
	const v32qu m = { 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
			  15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 };

	return pshufb256(x, m);
}

/* The low and the high 128-bit lane of a ymm register. */
static __always_inline v2di lane0(v4di x)
{
	return (v2di){ x[0], x[1] };
}

static __always_inline v2di lane1(v4di x)
{
	return (v2di){ x[2], x[3] };
}

/**
 * pqaead_aesgcm_setkey_vaes_avx2() - expand an AES key for GCM.
 * @k: the expanded key
 * @key: 16, 24 or 32 bytes
 * @keylen: its length
 *
 * FIPS 197 KeyExpansion() word by word, SubWord() with AES-NI (no table
 * lookups), then H = AES_K(0^128) and its powers H^1..H^8.
 *
 * Return: 0, or -EINVAL for another key length.
 */
int pqaead_aesgcm_setkey_vaes_avx2(struct pqaead_aesgcm_key *k,
				   const u8 *key, unsigned int keylen)
{
	static const u8 rcon[10] = {
		0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36
	};
	u32 w[4 * (PQAEAD_AES_MAX_ROUNDS + 1)], t;
	unsigned int nk = keylen / 4, i;
	v2di h, hp[PQAEAD_GCM_HPOWS];

	if (keylen != 16 && keylen != 24 && keylen != 32)
		return -EINVAL;
	k->rounds = nk + 6;
	for (i = 0; i < nk; i++)
		w[i] = (u32)key[4 * i] | (u32)key[4 * i + 1] << 8 |
		       (u32)key[4 * i + 2] << 16 | (u32)key[4 * i + 3] << 24;
	for (i = nk; i < 4 * (k->rounds + 1); i++) {
		t = w[i - 1];
		if (i % nk == 0)
			t = sub_word(t >> 8 | t << 24) ^ rcon[i / nk - 1];
		else if (nk > 6 && i % nk == 4)
			t = sub_word(t);
		w[i] = w[i - nk] ^ t;
	}
	for (i = 0; i <= k->rounds; i++) {
		v4su r = { w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3] };

		st128(k->rk[i], (v2di)r);
		st128(k->rk[i] + 16, (v2di)r);
	}
	memzero_explicit(w, sizeof(w));

	h = bswap128(aes_block(k, (v2di){ 0, 0 }));
	hp[0] = h;				/* H^1 */
	for (i = 1; i < PQAEAD_GCM_HPOWS; i++)
		hp[i] = gfmul_plain(hp[i - 1], h);	/* H^(i+1) */
	for (i = 0; i < PQAEAD_GCM_HPOWS; i++)
		hp[i] = ghash_twist(hp[i]);
	for (i = 0; i < PQAEAD_GCM_HPOWS / 2; i++) {
		/* pair i: (H^(8-2i), H^(7-2i)) */
		st128(k->hpow[i], hp[PQAEAD_GCM_HPOWS - 1 - 2 * i]);
		st128(k->hpow[i] + 16, hp[PQAEAD_GCM_HPOWS - 2 - 2 * i]);
	}
	memset(k->hpad, 0, sizeof(k->hpad));
	memzero_explicit(hp, sizeof(hp));
	return 0;
}

/* x * h (byte-reflected, two lanes) added to the unreduced lo/mid/hi. */
static __always_inline void ghash_mul(v4di x, v4di h, v4di *lo, v4di *mid,
				      v4di *hi)
{
	*lo ^= clmul256(x, h, 0x00);
	*hi ^= clmul256(x, h, 0x11);
	*mid ^= clmul256(x, h, 0x01) ^ clmul256(x, h, 0x10);
}

static __always_inline v2di fold2(v4di x)
{
	return lane0(x) ^ lane1(x);
}

/*
 * The GHASH of eight blocks @g[0..3] (message byte order) into @acc, as
 * steps 1-7, so that the caller can spread them between AES rounds.
 */
static __always_inline void ghash8_step(const struct pqaead_aesgcm_key *k,
					unsigned int step, const v4di *g,
					v2di *acc, v4di *lo, v4di *mid,
					v4di *hi)
{
	const v2di poly = { 1, (s64)0xc200000000000000ULL };
	v4di x, h;
	v2di l, m;

	switch (step) {
	case 1:
		x = bswap256(g[0]) ^ (v4di){ (*acc)[0], (*acc)[1], 0, 0 };
		h = ld256(k->hpow[0]);
		*lo = clmul256(x, h, 0x00);
		*hi = clmul256(x, h, 0x11);
		*mid = clmul256(x, h, 0x01) ^ clmul256(x, h, 0x10);
		break;
	case 2:
	case 3:
	case 4:
		ghash_mul(bswap256(g[step - 1]), ld256(k->hpow[step - 1]),
			  lo, mid, hi);
		break;
	case 5:
		l = fold2(*lo);
		m = fold2(*mid) ^ (v2di){ l[1], l[0] } ^
		    clmul128(poly, l, 0x01);
		*mid = (v4di){ m[0], m[1], 0, 0 };
		break;
	case 6:
		m = lane0(*mid);
		*acc = fold2(*hi) ^ (v2di){ m[1], m[0] } ^
		       clmul128(poly, m, 0x01);
		break;
	}
}

/*
 * The AES of four registers of counter blocks (byte-reflected counters
 * @ctr, @ctr + 2, ...; GCM's 32-bit big-endian counter is dword 0 there
 * and wraps as in inc32()), @nr a compile-time constant so that the loop
 * unrolls and the blocks stay in registers; round keys are memory operands.
 * With @gh, the GHASH of the previous eight blocks @g into @acc runs
 * between the rounds (independent work while the AES latency elapses).
 */
static __always_inline void aes_x4(const struct pqaead_aesgcm_key *k,
				   const unsigned int nr, v8su ctr,
				   v4di *x0, v4di *x1, v4di *x2, v4di *x3,
				   const bool gh, const v4di *g, v2di *acc)
{
	const v8su two = { 2, 0, 0, 0, 2, 0, 0, 0 };
	v4di a = bswap256((v4di)ctr), b = bswap256((v4di)(ctr + two));
	v4di c = bswap256((v4di)(ctr + two + two));
	v4di d = bswap256((v4di)(ctr + two + two + two));
	v4di rk = ld256(k->rk[0]), lo = { 0 }, mid = { 0 }, hi = { 0 };
	unsigned int r;

	a ^= rk;
	b ^= rk;
	c ^= rk;
	d ^= rk;
#pragma GCC unroll 14
	for (r = 1; r < nr; r++) {
		rk = ld256(k->rk[r]);
		a = vaesenc(a, rk);
		b = vaesenc(b, rk);
		c = vaesenc(c, rk);
		d = vaesenc(d, rk);
		if (gh && r <= 6) {
			ghash8_step(k, r, g, acc, &lo, &mid, &hi);
			/*
			 * Keep each GHASH step between its AES rounds: GCC
			 * would otherwise sink the GHASH after the last round.
			 */
			__asm__("" : "+x"(a), "+x"(b), "+x"(c), "+x"(d), "+x"(lo),
				"+x"(mid), "+x"(hi), "+x"(*acc));
		}
	}
	rk = ld256(k->rk[nr]);
	*x0 = vaesenclast(a, rk);
	*x1 = vaesenclast(b, rk);
	*x2 = vaesenclast(c, rk);
	*x3 = vaesenclast(d, rk);
}

/* The powers for blocks 2 * @i, 2 * @i + 1 of a group of @nb. */
static __always_inline v4di hpow_for(const struct pqaead_aesgcm_key *k,
				     unsigned int nb, unsigned int i)
{
	return ld256(&k->hpow[0][0] + 16 * (8 - nb + 2 * i));
}

/*
 * 0xff for the first 128 bytes, then zeros: bytes 128 - len.. are a mask
 * of the first @len bytes of a 128-byte buffer.
 */
static const u8 tail_ones[256] __aligned(32) = {
	[0 ... 127] = 0xff,
};

/*
 * CTR and GHASH, @nr rounds: eight blocks per iteration, aggregated GHASH
 * (H^8..H^1, one reduction); the OoO core overlaps the GHASH of one
 * iteration with the AES of the next. The tail (under 128 bytes) is one
 * more pass on a zero-padded copy, its GHASH with the powers H^nb..H^1 of
 * its nb blocks (the padding is zero and so are the key's blocks after H^1).
 */
static __always_inline v2di gcm_crypt_nr(const struct pqaead_aesgcm_key *k,
					 const unsigned int nr, v2di j0r,
					 v2di acc, const u8 *src, u8 *dst,
					 size_t len, bool enc)
{
	/* lanes: counters 2 and 3 (J0 holds 1), unsigned: inc32() wraps */
	v8su ctr = (v8su)(v4di){ j0r[0], j0r[1], j0r[0], j0r[1] } +
		   (v8su){ 1, 0, 0, 0, 2, 0, 0, 0 };
	const v8su eight = { 8, 0, 0, 0, 8, 0, 0, 0 };
	v4di k0, k1, k2, k3, i0, i1, i2, i3, lo, mid, hi, g[4];
	u8 buf[128] __aligned(32);
	const u8 *m;
	unsigned int nb;

	if (len >= 128) {
		/* the first eight blocks: AES only, GHASH with the next */
		aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, false, g, &acc);
		ctr += eight;
		for (;;) {
			i0 = ld256(src);
			i1 = ld256(src + 32);
			i2 = ld256(src + 64);
			i3 = ld256(src + 96);
			k0 ^= i0;
			k1 ^= i1;
			k2 ^= i2;
			k3 ^= i3;
			st256(dst, k0);
			st256(dst + 32, k1);
			st256(dst + 64, k2);
			st256(dst + 96, k3);
			g[0] = enc ? k0 : i0;
			g[1] = enc ? k1 : i1;
			g[2] = enc ? k2 : i2;
			g[3] = enc ? k3 : i3;
			src += 128;
			dst += 128;
			len -= 128;
			if (len < 128)
				break;
			aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, true, g, &acc);
			ctr += eight;
		}
		i0 = bswap256(g[0]) ^ (v4di){ acc[0], acc[1], 0, 0 };
		lo = clmul256(i0, ld256(k->hpow[0]), 0x00);
		hi = clmul256(i0, ld256(k->hpow[0]), 0x11);
		mid = clmul256(i0, ld256(k->hpow[0]), 0x01) ^
		      clmul256(i0, ld256(k->hpow[0]), 0x10);
		ghash_mul(bswap256(g[1]), ld256(k->hpow[1]), &lo, &mid, &hi);
		ghash_mul(bswap256(g[2]), ld256(k->hpow[2]), &lo, &mid, &hi);
		ghash_mul(bswap256(g[3]), ld256(k->hpow[3]), &lo, &mid, &hi);
		acc = ghash_reduce(fold2(lo), fold2(mid), fold2(hi));
	}
	if (!len)
		return acc;

	nb = (len + 15) / 16;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, src, len);
	aes_x4(k, nr, ctr, &k0, &k1, &k2, &k3, false, g, &acc);
	i0 = ld256(buf);
	i1 = ld256(buf + 32);
	i2 = ld256(buf + 64);
	i3 = ld256(buf + 96);
	m = tail_ones + 128 - len;
	k0 = (k0 ^ i0) & ld256(m);
	k1 = (k1 ^ i1) & ld256(m + 32);
	k2 = (k2 ^ i2) & ld256(m + 64);
	k3 = (k3 ^ i3) & ld256(m + 96);
	st256(buf, k0);
	st256(buf + 32, k1);
	st256(buf + 64, k2);
	st256(buf + 96, k3);
	memcpy(dst, buf, len);
	memzero_explicit(buf, sizeof(buf));
	if (enc) {
		i0 = k0;
		i1 = k1;
		i2 = k2;
		i3 = k3;
	}
	lo = (v4di){ 0 };
	mid = lo;
	hi = lo;
	ghash_mul(bswap256(i0) ^ (v4di){ acc[0], acc[1], 0, 0 },
		  hpow_for(k, nb, 0), &lo, &mid, &hi);
	if (nb > 2)
		ghash_mul(bswap256(i1), hpow_for(k, nb, 1), &lo, &mid, &hi);
	if (nb > 4)
		ghash_mul(bswap256(i2), hpow_for(k, nb, 2), &lo, &mid, &hi);
	if (nb > 6)
		ghash_mul(bswap256(i3), hpow_for(k, nb, 3), &lo, &mid, &hi);
	return ghash_reduce(fold2(lo), fold2(mid), fold2(hi));
}

/* CTR and GHASH over the message; @enc: GHASH the output, else the input. */
static v2di gcm_crypt(const struct pqaead_aesgcm_key *k, v2di j0r, v2di acc,
		      const u8 *src, u8 *dst, size_t len, bool enc)
{
	switch (k->rounds) {
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
				     const struct pqaead_aesgcm_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc)
{
	v2di acc = gcm_flush_aad(s, k);

	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc);
	gcm_advance(s, acc, len);
}

/**
 * pqaead_aesgcm_encrypt_vaes_avx2() - AES-GCM encryption.
 * @k: the expanded key
 * @iv: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: plaintext
 * @dst: ciphertext, @len bytes (may be @src)
 * @len: the length of both
 * @tag: the 16-byte tag (truncate it for shorter tags)
 */
void pqaead_aesgcm_encrypt_vaes_avx2(const struct pqaead_aesgcm_key *k,
				     const u8 iv[PQAEAD_GCM_IV_SIZE],
				     const u8 *aad, size_t aadlen,
				     const u8 *src, u8 *dst, size_t len,
				     u8 tag[PQAEAD_GCM_TAG_SIZE])
{
	struct pqaead_aesgcm_state s;

	pqaead_aesgcm_init(&s, iv);
	gcm_aad(&s, k, aad, aadlen);
	gcm_step(&s, k, src, dst, len, true);
	gcm_final(&s, k, tag);
}

/**
 * pqaead_aesgcm_decrypt_vaes_avx2() - AES-GCM decryption and tag check.
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
int pqaead_aesgcm_decrypt_vaes_avx2(const struct pqaead_aesgcm_key *k,
				    const u8 iv[PQAEAD_GCM_IV_SIZE],
				    const u8 *aad, size_t aadlen,
				    const u8 *src, u8 *dst, size_t len,
				    const u8 *tag, unsigned int taglen)
{
	struct pqaead_aesgcm_state s;

	if (taglen < 4 || taglen > 16)
		return -EINVAL;
	pqaead_aesgcm_init(&s, iv);
	gcm_aad(&s, k, aad, aadlen);
	gcm_step(&s, k, src, dst, len, false);
	return gcm_check(&s, k, tag, taglen);
}

/**
 * pqaead_aesgcm_aad_vaes_avx2() - hash associated data (streaming).
 * @s: the state, from pqaead_aesgcm_init()
 * @k: the expanded key (the 512-bit variant's &k->base)
 * @aad: the next piece
 * @len: its length, any
 */
void pqaead_aesgcm_aad_vaes_avx2(struct pqaead_aesgcm_state *s,
				 const struct pqaead_aesgcm_key *k,
				 const u8 *aad, size_t len)
{
	gcm_aad(s, k, aad, len);
}

/**
 * pqaead_aesgcm_crypt_vaes_avx2() - encrypt or decrypt a piece (streaming).
 * @s: the state
 * @k: the expanded key
 * @src: the input
 * @dst: the output, @len bytes (may be @src)
 * @len: a multiple of 16, except in the last call
 * @enc: encrypt (GHASH the output), else decrypt (GHASH the input)
 */
void pqaead_aesgcm_crypt_vaes_avx2(struct pqaead_aesgcm_state *s,
				   const struct pqaead_aesgcm_key *k,
				   const u8 *src, u8 *dst, size_t len,
				   bool enc)
{
	gcm_step(s, k, src, dst, len, enc);
}

/**
 * pqaead_aesgcm_final_vaes_avx2() - the tag (streaming).
 * @s: the state, wiped on return
 * @k: the expanded key (the 512-bit variant's &k->base)
 * @tag: the 16-byte tag (truncate it for shorter tags)
 */
void pqaead_aesgcm_final_vaes_avx2(struct pqaead_aesgcm_state *s,
				   const struct pqaead_aesgcm_key *k,
				   u8 tag[PQAEAD_GCM_TAG_SIZE])
{
	gcm_final(s, k, tag);
}

/**
 * pqaead_aesgcm_check_vaes_avx2() - the tag check (streaming).
 * @s: the state, wiped on return
 * @k: the expanded key (the 512-bit variant's &k->base)
 * @tag: the received tag
 * @taglen: its length, 4 to 16
 *
 * Return: 0, -EBADMSG if the tag does not match, -EINVAL for a bad @taglen.
 */
int pqaead_aesgcm_check_vaes_avx2(struct pqaead_aesgcm_state *s,
				  const struct pqaead_aesgcm_key *k,
				  const u8 *tag, unsigned int taglen)
{
	return gcm_check(s, k, tag, taglen);
}

#endif /* !__CHECKER__ */
