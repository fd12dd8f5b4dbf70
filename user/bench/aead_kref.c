// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Calls the kernels' x86 AEAD assembly the way their glue does (see
 * aead_kref.h). The structures below mirror the layouts the assembly
 * reads (6.1's struct crypto_aes_ctx and struct gcm_context_data, 7.3's
 * struct aes_gcm_key_vaes_avx2/avx512, 6.1's struct
 * poly1305_arch_internal), with the offsets 7.3's gcm_setkey() asserts.
 */
#include <stdlib.h>
#include <string.h>

#include "aead_kref.h"

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;

/* ---- 6.1: aesni-intel_asm.S, aesni-intel_avx-x86_64.S ---------------- */

struct k61_aes_ctx {			/* struct crypto_aes_ctx */
	u32 key_enc[60];
	u32 key_dec[60];
	u32 key_length;
} __attribute__((aligned(16)));

struct k61_gcm_data {			/* struct gcm_context_data */
	u8 aad_hash[16];
	u64 aad_length;
	u64 in_length;
	u8 partial_block_enc_key[16];
	u8 orig_IV[16];
	u8 current_counter[16];
	u64 partial_block_len;
	u64 unused;
	u8 hash_keys[16 * 16];
} __attribute__((aligned(16)));

struct k61_gcm_key {			/* struct aesni_rfc4106_gcm_ctx */
	u8 hash_subkey[16] __attribute__((aligned(16)));
	struct k61_aes_ctx aes;
};

int aesni_set_key(struct k61_aes_ctx *ctx, const u8 *in_key,
		  unsigned int key_len);
void aesni_enc(const void *ctx, u8 *out, const u8 *in);
#define K61_GCM_DECL(sfx)						\
void aesni_gcm_init##sfx(void *ctx, struct k61_gcm_data *gdata, u8 *iv,	\
			 u8 *hash_subkey, const u8 *aad,		\
			 unsigned long aad_len);			\
void aesni_gcm_enc_update##sfx(void *ctx, struct k61_gcm_data *gdata,	\
			       u8 *out, const u8 *in, unsigned long len); \
void aesni_gcm_finalize##sfx(void *ctx, struct k61_gcm_data *gdata,	\
			     u8 *auth_tag, unsigned long auth_tag_len);
K61_GCM_DECL()
K61_GCM_DECL(_avx_gen2)
K61_GCM_DECL(_avx_gen4)

struct k61_gcm_key *k61_gcm_new(const u8 *key, unsigned int keylen)
{
	struct k61_gcm_key *k = aligned_alloc(64, sizeof(*k) + 64);

	if (!k || aesni_set_key(&k->aes, key, keylen)) {
		free(k);
		return NULL;
	}
	/* rfc4106_set_hash_subkey(): H = AES_K(0^128), as is */
	memset(k->hash_subkey, 0, 16);
	aesni_enc(&k->aes, k->hash_subkey, k->hash_subkey);
	return k;
}

/* gcmaes_crypt_by_sg() for one linear buffer, encryption */
void k61_gcm_encrypt(const struct k61_gcm_key *k, const u8 nonce[12],
		     const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		     size_t len, u8 tag[16])
{
	struct k61_gcm_data data;
	u8 iv[16] __attribute__((aligned(16)));
	void *ctx = (void *)&k->aes;
	u8 *h = (u8 *)k->hash_subkey;

	/* helper_rfc4106_encrypt(): salt and IV, then a 32-bit 1 */
	memcpy(iv, nonce, 12);
	iv[12] = iv[13] = iv[14] = 0;
	iv[15] = 1;
	if (len >= 4096) {		/* AVX_GEN4_OPTSIZE */
		aesni_gcm_init_avx_gen4(ctx, &data, iv, h, aad, aadlen);
		aesni_gcm_enc_update_avx_gen4(ctx, &data, dst, src, len);
		aesni_gcm_finalize_avx_gen4(ctx, &data, tag, 16);
	} else if (len >= 640) {	/* AVX_GEN2_OPTSIZE */
		aesni_gcm_init_avx_gen2(ctx, &data, iv, h, aad, aadlen);
		aesni_gcm_enc_update_avx_gen2(ctx, &data, dst, src, len);
		aesni_gcm_finalize_avx_gen2(ctx, &data, tag, 16);
	} else {
		aesni_gcm_init(ctx, &data, iv, h, aad, aadlen);
		aesni_gcm_enc_update(ctx, &data, dst, src, len);
		aesni_gcm_finalize(ctx, &data, tag, 16);
	}
}

/* ---- 7.3: aes-gcm-vaes-avx2.S, aes-gcm-vaes-avx512.S -------------------- */

struct k73_aes_enckey {			/* struct aes_enckey */
	u32 len;
	u32 nrounds;
	u32 padding[2];
	u32 rndkeys[60];
};

struct k73_gcm_key {			/* struct aes_gcm_key */
	struct k73_aes_enckey aes_key;
	u32 rfc4106_nonce;
};

struct k73_gcm_key_avx2 {
	struct k73_gcm_key base __attribute__((aligned(16)));
	u64 h_powers[8][2] __attribute__((aligned(32)));
	u64 h_powers_xored[8];
};

struct k73_gcm_key_avx512 {
	struct k73_gcm_key base __attribute__((aligned(16)));
	u64 h_powers[16][2] __attribute__((aligned(64)));
	u64 padding[3][2];
};

/* the offsets 7.3's gcm_setkey() asserts */
_Static_assert(__builtin_offsetof(struct k73_gcm_key_avx2,
				  base.aes_key.rndkeys) == 16, "layout");
_Static_assert(__builtin_offsetof(struct k73_gcm_key_avx2, h_powers) == 288,
	       "layout");
_Static_assert(__builtin_offsetof(struct k73_gcm_key_avx2,
				  h_powers_xored) == 416, "layout");
_Static_assert(__builtin_offsetof(struct k73_gcm_key_avx512, h_powers) == 320,
	       "layout");
_Static_assert(__builtin_offsetof(struct k73_gcm_key_avx512, padding) == 576,
	       "layout");

#define K73_GCM_DECL(sfx)						\
void aes_gcm_precompute_##sfx(struct k73_gcm_key_##sfx *key);		\
void aes_gcm_aad_update_##sfx(const struct k73_gcm_key_##sfx *key,	\
			      u8 ghash_acc[16], const u8 *aad, int aadlen); \
void aes_gcm_enc_update_##sfx(const struct k73_gcm_key_##sfx *key,	\
			      const u32 le_ctr[4], u8 ghash_acc[16],	\
			      const u8 *src, u8 *dst, int datalen);	\
void aes_gcm_enc_final_##sfx(const struct k73_gcm_key_##sfx *key,	\
			     const u32 le_ctr[4], u8 ghash_acc[16],	\
			     u64 total_aadlen, u64 total_datalen);
#define aes_gcm_precompute_avx2 aes_gcm_precompute_vaes_avx2
#define aes_gcm_aad_update_avx2 aes_gcm_aad_update_vaes_avx2
#define aes_gcm_enc_update_avx2 aes_gcm_enc_update_vaes_avx2
#define aes_gcm_enc_final_avx2 aes_gcm_enc_final_vaes_avx2
#define aes_gcm_precompute_avx512 aes_gcm_precompute_vaes_avx512
#define aes_gcm_aad_update_avx512 aes_gcm_aad_update_vaes_avx512
#define aes_gcm_enc_update_avx512 aes_gcm_enc_update_vaes_avx512
#define aes_gcm_enc_final_avx512 aes_gcm_enc_final_vaes_avx512
K73_GCM_DECL(avx2)
K73_GCM_DECL(avx512)

/* aes_prepareenckey(): the standard round keys (here from AES-NI) */
static int k73_enckey(struct k73_gcm_key *b, const u8 *key,
		      unsigned int keylen)
{
	struct k61_aes_ctx ctx;

	if (aesni_set_key(&ctx, key, keylen))
		return -1;
	memset(b, 0, sizeof(*b));
	b->aes_key.len = keylen;
	b->aes_key.nrounds = 6 + keylen / 4;
	memcpy(b->aes_key.rndkeys, ctx.key_enc, sizeof(ctx.key_enc));
	return 0;
}

static inline u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/*
 * gcm_crypt(), encryption: the counter from the nonce (the rfc4106 path
 * takes the salt from the key and the IV from the request; the words are
 * the same), the AD through GHASH, the payload, the final block.
 */
#define K73_GCM_DEF(sfx)						\
struct k73_gcm_key_##sfx *k73_gcm_##sfx##_new(const u8 *key,		\
					      unsigned int keylen)	\
{									\
	struct k73_gcm_key_##sfx *k = aligned_alloc(64, sizeof(*k) + 64);	\
									\
	if (!k)								\
		return NULL;						\
	memset(k, 0, sizeof(*k));					\
	if (k73_enckey(&k->base, key, keylen)) {			\
		free(k);						\
		return NULL;						\
	}								\
	aes_gcm_precompute_##sfx(k);					\
	return k;							\
}									\
void k73_gcm_##sfx##_encrypt(const struct k73_gcm_key_##sfx *k,		\
			     const u8 nonce[12], const u8 *aad,		\
			     size_t aadlen, const u8 *src, u8 *dst,	\
			     size_t len, u8 tag[16])			\
{									\
	u8 acc[16] = { 0 };						\
	u32 le_ctr[4] = { 2, be32(nonce + 8), be32(nonce + 4),		\
			  be32(nonce) };				\
									\
	if (aadlen)							\
		aes_gcm_aad_update_##sfx(k, acc, aad, (int)aadlen);	\
	aes_gcm_enc_update_##sfx(k, le_ctr, acc, src, dst, (int)len);	\
	aes_gcm_enc_final_##sfx(k, le_ctr, acc, aadlen, len);		\
	memcpy(tag, acc, 16);						\
}
K73_GCM_DEF(avx2)
K73_GCM_DEF(avx512)

/* ---- 6.1: chacha-*-x86_64.S, poly1305-x86_64-cryptogams.pl ------------- */

#define CHACHA_DECL(n, sfx)						\
void chacha_##n##_xor_##sfx(u32 *state, u8 *dst, const u8 *src,	\
			    unsigned int len, int nrounds);
CHACHA_DECL(block, ssse3)
CHACHA_DECL(4block, ssse3)
CHACHA_DECL(2block, avx2)
CHACHA_DECL(4block, avx2)
CHACHA_DECL(8block, avx2)
CHACHA_DECL(2block, avx512vl)
CHACHA_DECL(4block, avx512vl)
CHACHA_DECL(8block, avx512vl)

void poly1305_init_x86_64(void *ctx, const u8 key[16]);
void poly1305_blocks_x86_64(void *ctx, const u8 *inp, size_t len, u32 padbit);
void poly1305_blocks_avx2(void *ctx, const u8 *inp, size_t len, u32 padbit);
void poly1305_blocks_avx512(void *ctx, const u8 *inp, size_t len,
			    u32 padbit);
void poly1305_emit_avx(void *ctx, u8 mac[16], const u32 nonce[4]);

#define CB 64u				/* CHACHA_BLOCK_SIZE */

static unsigned int chacha_advance(unsigned int len, unsigned int maxblocks)
{
	if (len > maxblocks * CB)
		len = maxblocks * CB;
	return (len + CB - 1) / CB;
}

/* chacha_dosimd(): the avx512vl branch, or the avx2 one (then ssse3) */
static void chacha_dosimd(bool avx512, u32 *state, u8 *dst, const u8 *src,
			  unsigned int bytes)
{
	void (*b8)(u32 *, u8 *, const u8 *, unsigned int, int) =
		avx512 ? chacha_8block_xor_avx512vl : chacha_8block_xor_avx2;
	void (*b4)(u32 *, u8 *, const u8 *, unsigned int, int) =
		avx512 ? chacha_4block_xor_avx512vl : chacha_4block_xor_avx2;
	void (*b2)(u32 *, u8 *, const u8 *, unsigned int, int) =
		avx512 ? chacha_2block_xor_avx512vl : chacha_2block_xor_avx2;

	while (bytes >= CB * 8) {
		b8(state, dst, src, bytes, 20);
		bytes -= CB * 8;
		src += CB * 8;
		dst += CB * 8;
		state[12] += 8;
	}
	if (bytes > CB * 4) {
		b8(state, dst, src, bytes, 20);
		state[12] += chacha_advance(bytes, 8);
		return;
	}
	if (bytes > CB * 2) {
		b4(state, dst, src, bytes, 20);
		state[12] += chacha_advance(bytes, 4);
		return;
	}
	if (avx512 ? bytes > 0 : bytes > CB) {
		b2(state, dst, src, bytes, 20);
		state[12] += chacha_advance(bytes, 2);
		return;
	}
	if (bytes) {		/* the AVX2 branch leaves one block to SSSE3 */
		chacha_block_xor_ssse3(state, dst, src, bytes, 20);
		state[12]++;
	}
}

static inline u32 le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* chacha_init_generic() with the template's 16-byte IV (counter, nonce) */
static void chacha_init(u32 st[16], const u8 key[32], u32 ctr,
			const u8 nonce[12])
{
	int i;

	st[0] = 0x61707865;
	st[1] = 0x3320646e;
	st[2] = 0x79622d32;
	st[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		st[4 + i] = le32(key + 4 * i);
	st[12] = ctr;
	for (i = 0; i < 3; i++)
		st[13 + i] = le32(nonce + 4 * i);
}

/* struct poly1305_desc_ctx around struct poly1305_arch_internal */
struct k61_poly {
	u8 h[256] __attribute__((aligned(16)));	/* arch internal, 192 used */
	u8 buf[16];
	unsigned int buflen;
	bool rset, sset;
	u32 s[4];
	bool avx512;
};

/* poly1305_simd_blocks() with AVX usable */
static void poly_blocks(struct k61_poly *d, const u8 *inp, size_t len,
			u32 padbit)
{
	u32 is_base2_26;

	memcpy(&is_base2_26, d->h + 20, 4);
	if (len < 16 * 18 && !is_base2_26) {
		poly1305_blocks_x86_64(d->h, inp, len, padbit);
		return;
	}
	do {
		size_t bytes = len < 4096 ? len : 4096;

		if (d->avx512)
			poly1305_blocks_avx512(d->h, inp, bytes, padbit);
		else
			poly1305_blocks_avx2(d->h, inp, bytes, padbit);
		len -= bytes;
		inp += bytes;
	} while (len);
}

/* crypto_poly1305_setdctxkey() */
static unsigned int poly_setkey(struct k61_poly *d, const u8 *inp,
				unsigned int len)
{
	unsigned int acc = 0;
	int i;

	if (d->sset)
		return 0;
	if (!d->rset && len >= 16) {
		poly1305_init_x86_64(d->h, inp);
		inp += 16;
		len -= 16;
		acc += 16;
		d->rset = true;
	}
	if (len >= 16) {
		for (i = 0; i < 4; i++)
			d->s[i] = le32(inp + 4 * i);
		acc += 16;
		d->sset = true;
	}
	return acc;
}

/* poly1305_update_arch() */
static void poly_update(struct k61_poly *d, const u8 *src, unsigned int len)
{
	unsigned int bytes, used;

	if (d->buflen) {
		bytes = 16 - d->buflen < len ? 16 - d->buflen : len;
		memcpy(d->buf + d->buflen, src, bytes);
		src += bytes;
		len -= bytes;
		d->buflen += bytes;
		if (d->buflen == 16) {
			if (!poly_setkey(d, d->buf, 16))
				poly_blocks(d, d->buf, 16, 1);
			d->buflen = 0;
		}
	}
	if (len >= 16) {
		bytes = len & ~15u;
		len -= bytes;
		used = poly_setkey(d, src, bytes);
		if (bytes - used)
			poly_blocks(d, src + used, bytes - used, 1);
		src += bytes;
	}
	if (len) {
		d->buflen = len;
		memcpy(d->buf, src, len);
	}
}

/* poly1305_final_arch() */
static void poly_final(struct k61_poly *d, u8 tag[16])
{
	if (d->buflen) {
		d->buf[d->buflen++] = 1;
		memset(d->buf + d->buflen, 0, 16 - d->buflen);
		poly_blocks(d, d->buf, 16, 0);
	}
	poly1305_emit_avx(d->h, tag, d->s);
}

/* crypto/chacha20poly1305.c, encryption: poly_genkey .. poly_tail */
void k61_cp_encrypt(bool avx512, const u8 key[32], const u8 nonce[12],
		    const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		    size_t len, u8 tag[16])
{
	static const u8 pad[16];
	u8 pkey[32] = { 0 };
	struct k61_poly d;
	u32 st[16];
	u64 tail[2] = { aadlen, len };	/* little-endian host */

	chacha_init(st, key, 0, nonce);
	chacha_dosimd(avx512, st, pkey, pkey, sizeof(pkey));
	chacha_init(st, key, 1, nonce);
	chacha_dosimd(avx512, st, dst, src, (unsigned int)len);

	memset(&d, 0, sizeof(d));	/* crypto_poly1305_init() */
	d.avx512 = avx512;
	poly_update(&d, pkey, sizeof(pkey));
	poly_update(&d, aad, (unsigned int)aadlen);
	poly_update(&d, pad, -aadlen % 16);
	poly_update(&d, dst, (unsigned int)len);
	poly_update(&d, pad, -len % 16);
	poly_update(&d, (const u8 *)tail, sizeof(tail));
	poly_final(&d, tag);
}
