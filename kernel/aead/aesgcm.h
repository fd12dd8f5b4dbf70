/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-GCM cores for ESP (rfc4106(gcm(aes)) and gcm(aes), 96-bit IVs only),
 * written to compile unchanged in the kernel and in userspace, like the
 * ML-KEM core. Work in progress: only the userspace build uses them so far
 * (user/user.mk; user/tests/aead_vectors.c); nothing is registered with the
 * kernel crypto API yet.
 *
 * A variant may only be called when pqaead_aesgcm_usable_<variant>() says
 * so and, in the kernel, inside kernel_fpu_begin()/kernel_fpu_end().
 */
#ifndef _PQREKEY_AEAD_AESGCM_H
#define _PQREKEY_AEAD_AESGCM_H

#include "../mlkem/platform.h"

#define PQAEAD_AES_MAX_ROUNDS	14
#define PQAEAD_GCM_IV_SIZE	12
#define PQAEAD_GCM_TAG_SIZE	16
/* blocks per iteration of the 256-bit variant; H^1..H^8 are kept */
#define PQAEAD_GCM_HPOWS	8

/**
 * struct pqaead_aesgcm_key - an expanded AES-GCM key.
 * @rk: the round keys, each twice (both 128-bit lanes of a ymm register)
 * @hpow: GHASH key powers in the byte-reflected form of the PCLMULQDQ code,
 *	  pairs (H^8, H^7), (H^6, H^5), (H^4, H^3), (H^2, H^1)
 * @rounds: 10, 12 or 14
 */
struct pqaead_aesgcm_key {
	u8 rk[PQAEAD_AES_MAX_ROUNDS + 1][32] __aligned(32);
	u8 hpow[PQAEAD_GCM_HPOWS / 2][32] __aligned(32);
	unsigned int rounds;
};

/* x86_64/vaes_avx2/: VAES + VPCLMULQDQ on ymm, AES-NI for the key schedule */
bool pqaead_aesgcm_usable_vaes_avx2(void);
int pqaead_aesgcm_setkey_vaes_avx2(struct pqaead_aesgcm_key *k,
				   const u8 *key, unsigned int keylen);
void pqaead_aesgcm_encrypt_vaes_avx2(const struct pqaead_aesgcm_key *k,
				     const u8 iv[PQAEAD_GCM_IV_SIZE],
				     const u8 *aad, size_t aadlen,
				     const u8 *src, u8 *dst, size_t len,
				     u8 tag[PQAEAD_GCM_TAG_SIZE]);
int pqaead_aesgcm_decrypt_vaes_avx2(const struct pqaead_aesgcm_key *k,
				    const u8 iv[PQAEAD_GCM_IV_SIZE],
				    const u8 *aad, size_t aadlen,
				    const u8 *src, u8 *dst, size_t len,
				    const u8 *tag, unsigned int taglen);

/**
 * struct pqaead_aesgcm512_key - an expanded key of the 512-bit variant.
 * @base: the 256-bit variant's key (round keys, H^1..H^8)
 * @rk: the round keys, each in all four 128-bit lanes of a zmm register
 * @hpow: (H^16..H^13), (H^12..H^9), (H^8..H^5), (H^4..H^1), byte-reflected
 */
struct pqaead_aesgcm512_key {
	struct pqaead_aesgcm_key base;
	u8 rk[PQAEAD_AES_MAX_ROUNDS + 1][64] __aligned(64);
	u8 hpow[4][64] __aligned(64);
};

/* x86_64/vaes_avx512/: VAES + VPCLMULQDQ on zmm (AVX-512F/BW) */
bool pqaead_aesgcm_usable_vaes_avx512(void);
int pqaead_aesgcm_setkey_vaes_avx512(struct pqaead_aesgcm512_key *k,
				     const u8 *key, unsigned int keylen);
void pqaead_aesgcm_encrypt_vaes_avx512(const struct pqaead_aesgcm512_key *k,
				       const u8 iv[PQAEAD_GCM_IV_SIZE],
				       const u8 *aad, size_t aadlen,
				       const u8 *src, u8 *dst, size_t len,
				       u8 tag[PQAEAD_GCM_TAG_SIZE]);
int pqaead_aesgcm_decrypt_vaes_avx512(const struct pqaead_aesgcm512_key *k,
				      const u8 iv[PQAEAD_GCM_IV_SIZE],
				      const u8 *aad, size_t aadlen,
				      const u8 *src, u8 *dst, size_t len,
				      const u8 *tag, unsigned int taglen);

#endif /* _PQREKEY_AEAD_AESGCM_H */
