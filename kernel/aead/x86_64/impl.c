// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The x86-64 AEAD variants (vaes_avx2/, vaes_avx512/, chacha_avx2/,
 * chacha_avx512/) as struct pqaead_impl entries; their CPU checks are in
 * cpu.c. Built without vector flags: the adapters only call into the
 * folders that have them. Kernel only: the userspace tests call the
 * variants' functions directly.
 */
#include "../impl.h"
#include "../aesgcm.h"
#include "../chachapoly.h"

/* AES-GCM: both variants keep a struct pqaead_aesgcm512_key; ymm uses .base */
static int gcm_setkey_avx2(void *key, const u8 *raw, unsigned int len)
{
	struct pqaead_aesgcm512_key *k = key;

	return pqaead_aesgcm_setkey_vaes_avx2(&k->base, raw, len);
}

static int gcm_setkey_avx512(void *key, const u8 *raw, unsigned int len)
{
	return pqaead_aesgcm_setkey_vaes_avx512(key, raw, len);
}

static void gcm_init(void *st, const void *key, const u8 *nonce)
{
	(void)key;	/* J0 needs none; the tag's E_K(J0) comes at final */
	pqaead_aesgcm_init(st, nonce);
}

static void gcm_aad(void *st, const void *key, const u8 *p, size_t len)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_aad_vaes_avx2(st, &k->base, p, len);
}

static void gcm_crypt_avx2(void *st, const void *key, const u8 *src, u8 *dst,
			   size_t len, bool enc)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_crypt_vaes_avx2(st, &k->base, src, dst, len, enc);
}

static void gcm_crypt_avx512(void *st, const void *key, const u8 *src,
			     u8 *dst, size_t len, bool enc)
{
	pqaead_aesgcm_crypt_vaes_avx512(st, key, src, dst, len, enc);
}

static void gcm_final(void *st, const void *key, u8 *tag)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_final_vaes_avx2(st, &k->base, tag);
}

static const struct pqaead_impl pqaead_gcm_vaes_avx2 = {
	.name		= "vaes_avx2",
	.family		= PQAEAD_GCM,
	.rank		= 1,
	.usable		= pqaead_aesgcm_usable_vaes_avx2,
	.key_size	= sizeof(struct pqaead_aesgcm512_key),
	.state_size	= sizeof(struct pqaead_aesgcm_state),
	.chunk		= 16,
	.setkey		= gcm_setkey_avx2,
	.init		= gcm_init,
	.aad		= gcm_aad,
	.crypt		= gcm_crypt_avx2,
	.final		= gcm_final,
};

static const struct pqaead_impl pqaead_gcm_vaes_avx512 = {
	.name		= "vaes_avx512",
	.family		= PQAEAD_GCM,
	.rank		= 2,
	.usable		= pqaead_aesgcm_usable_vaes_avx512,
	.key_size	= sizeof(struct pqaead_aesgcm512_key),
	.state_size	= sizeof(struct pqaead_aesgcm_state),
	.chunk		= 16,
	.setkey		= gcm_setkey_avx512,
	.init		= gcm_init,
	.aad		= gcm_aad,
	.crypt		= gcm_crypt_avx512,
	.final		= gcm_final,
};

/* ChaCha20-Poly1305: the state holds the key words after init */
static int cp_setkey(void *key, const u8 *raw, unsigned int len)
{
	return pqaead_chachapoly_setkey(key, raw, len);
}

#define PQAEAD_CHACHA_ADAPTERS(v)					\
static void cp_init_##v(void *st, const void *key, const u8 *nonce)	\
{									\
	pqaead_chachapoly_init_##v(st, key, nonce);			\
}									\
static void cp_aad_##v(void *st, const void *key, const u8 *p,		\
		       size_t len)					\
{									\
	(void)key;							\
	pqaead_chachapoly_aad_##v(st, p, len);				\
}									\
static void cp_crypt_##v(void *st, const void *key, const u8 *src,	\
			 u8 *dst, size_t len, bool enc)			\
{									\
	(void)key;							\
	pqaead_chachapoly_crypt_##v(st, src, dst, len, enc);		\
}									\
static void cp_final_##v(void *st, const void *key, u8 *tag)		\
{									\
	(void)key;							\
	pqaead_chachapoly_final_##v(st, tag);				\
}

PQAEAD_CHACHA_ADAPTERS(avx2)

PQAEAD_CHACHA_ADAPTERS(avx512)

static const struct pqaead_impl pqaead_chachapoly_avx2 = {
	.name		= "avx2",
	.family		= PQAEAD_CHACHAPOLY,
	.rank		= 1,
	.usable		= pqaead_chachapoly_usable_avx2,
	.key_size	= sizeof(struct pqaead_chachapoly_key),
	.state_size	= sizeof(struct pqaead_chachapoly_state),
	.chunk		= 64,
	.setkey		= cp_setkey,
	.init		= cp_init_avx2,
	.aad		= cp_aad_avx2,
	.crypt		= cp_crypt_avx2,
	.final		= cp_final_avx2,
};

static const struct pqaead_impl pqaead_chachapoly_avx512 = {
	.name		= "avx512",
	.family		= PQAEAD_CHACHAPOLY,
	.rank		= 2,
	.usable		= pqaead_chachapoly_usable_avx512,
	.key_size	= sizeof(struct pqaead_chachapoly_key),
	.state_size	= sizeof(struct pqaead_chachapoly_state),
	.chunk		= 64,
	.setkey		= cp_setkey,
	.init		= cp_init_avx512,
	.aad		= cp_aad_avx512,
	.crypt		= cp_crypt_avx512,
	.final		= cp_final_avx512,
};

const struct pqaead_impl *const pqaead_impls[] = {
	&pqaead_gcm_vaes_avx2,
	&pqaead_gcm_vaes_avx512,
	&pqaead_chachapoly_avx2,
	&pqaead_chachapoly_avx512,
	NULL,
};
