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
		hp[i] = gfmul(hp[i - 1], h);	/* H^(i+1) */
	for (i = 0; i < PQAEAD_GCM_HPOWS / 2; i++) {
		/* pair i: (H^(8-2i), H^(7-2i)) */
		st128(k->hpow[i], hp[PQAEAD_GCM_HPOWS - 1 - 2 * i]);
		st128(k->hpow[i] + 16, hp[PQAEAD_GCM_HPOWS - 2 - 2 * i]);
	}
	memzero_explicit(hp, sizeof(hp));
	return 0;
}

/* GHASH of eight blocks in four registers (byte order of the message). */
static __always_inline v2di ghash8(const struct pqaead_aesgcm_key *k,
				   v2di acc, v4di c0, v4di c1, v4di c2,
				   v4di c3)
{
	v4di x[4] = { bswap256(c0), bswap256(c1), bswap256(c2), bswap256(c3) };
	v4di lo = { 0 }, mid = { 0 }, hi = { 0 }, h;
	unsigned int i;

	x[0] ^= (v4di){ acc[0], acc[1], 0, 0 };
	for (i = 0; i < 4; i++) {
		h = ld256(k->hpow[i]);
		lo ^= clmul256(x[i], h, 0x00);
		hi ^= clmul256(x[i], h, 0x11);
		mid ^= clmul256(x[i], h, 0x01) ^ clmul256(x[i], h, 0x10);
	}
	return ghash_reduce(lane0(lo) ^ lane1(lo), lane0(mid) ^ lane1(mid),
			    lane0(hi) ^ lane1(hi));
}

/*
 * Counter blocks are kept byte-reflected, so that the 32-bit big-endian
 * counter of GCM is dword 0 and wraps there, as in inc32().
 */
static __always_inline void ctr8(const struct pqaead_aesgcm_key *k,
				 v8su ctr, v4di ks[4])
{
	const v8su two = { 2, 0, 0, 0, 2, 0, 0, 0 };
	unsigned int i, r;
	v4di rk;

	for (i = 0; i < 4; i++) {
		ks[i] = bswap256((v4di)ctr);
		ctr += two;
	}
	rk = ld256(k->rk[0]);
	for (i = 0; i < 4; i++)
		ks[i] ^= rk;
	for (r = 1; r < k->rounds; r++) {
		rk = ld256(k->rk[r]);
		for (i = 0; i < 4; i++)
			ks[i] = vaesenc(ks[i], rk);
	}
	rk = ld256(k->rk[k->rounds]);
	for (i = 0; i < 4; i++)
		ks[i] = vaesenclast(ks[i], rk);
}

/* CTR and GHASH over the message; @enc: GHASH the output, else the input. */
static v2di gcm_crypt(const struct pqaead_aesgcm_key *k, v2di j0r, v2di acc,
		      const u8 *src, u8 *dst, size_t len, bool enc)
{
	/* lanes: counters 2 and 3 (J0 holds 1), unsigned: inc32() wraps */
	v8su ctr = (v8su)(v4di){ j0r[0], j0r[1], j0r[0], j0r[1] } +
		   (v8su){ 1, 0, 0, 0, 2, 0, 0, 0 };
	const v8su eight = { 8, 0, 0, 0, 8, 0, 0, 0 };
	v4di ks[4], in[4], out[4], prev[4];
	bool pending = false;
	unsigned int i;
	u8 buf[16];
	v2di c;

	/*
	 * GHASH runs one iteration behind: the previous eight ciphertext
	 * blocks are hashed while the AES rounds of the next eight are in
	 * flight (the two do not depend on each other), instead of after them.
	 */
	for (; len >= 128; src += 128, dst += 128, len -= 128) {
		ctr8(k, ctr, ks);
		ctr += eight;
		if (pending)
			acc = ghash8(k, acc, prev[0], prev[1], prev[2], prev[3]);
		for (i = 0; i < 4; i++) {
			in[i] = ld256(src + 32 * i);
			out[i] = in[i] ^ ks[i];
		}
		for (i = 0; i < 4; i++) {
			st256(dst + 32 * i, out[i]);
			prev[i] = enc ? out[i] : in[i];
		}
		pending = true;
	}
	if (pending)
		acc = ghash8(k, acc, prev[0], prev[1], prev[2], prev[3]);
	for (; len; ) {
		size_t n = len < 16 ? len : 16;
		v2di ctrb = lane0((v4di)ctr);

		c = aes_block(k, bswap128(ctrb));
		ctr[0]++;
		memset(buf, 0, sizeof(buf));
		memcpy(buf, src, n);
		if (!enc)
			acc = ghash_bytes(k, acc, buf, n);
		st128(buf, ld128(buf) ^ c);
		memset(buf + n, 0, 16 - n);
		memcpy(dst, buf, n);
		if (enc)
			acc = ghash_bytes(k, acc, buf, n);
		src += n;
		dst += n;
		len -= n;
	}
	memzero_explicit(buf, sizeof(buf));
	return acc;
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
