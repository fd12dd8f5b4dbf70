/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The kernels' own x86 AEAD code as benchmark references (aead_bench.c):
 * the assembly is extracted from Debian's linux-source-6.1 and
 * linux-source-7.3 packages and assembled for userspace at build time
 * (user/user.mk, shims in user/bench/kasm/); this file's C is ours and
 * calls it in the sequence each kernel's glue does for one ESP packet
 * (rfc4106(gcm(aes)), rfc7539esp(chacha20,poly1305)), one linear buffer.
 *
 *   k61_gcm_*    6.1's aesni-intel: below 640 bytes the SSE code
 *                (aesni_gcm_*), below 4096 the AVX "gen2" code, from 4096
 *                the AVX2 "gen4" code, as 6.1's gcmaes_crypt_by_sg()
 *                picks them on an AVX2 CPU (AVX_GEN2_OPTSIZE,
 *                AVX_GEN4_OPTSIZE)
 *   k73_gcm_*    7.3's aes-gcm-vaes-avx2 / aes-gcm-vaes-avx512 (gcm_crypt())
 *   k61_cp_*     6.1's rfc7539esp template (crypto/chacha20poly1305.c):
 *                ChaCha20 for the Poly1305 key, ChaCha20 over the payload,
 *                then Poly1305 (shash updates: key, AD, pad, ciphertext,
 *                pad, lengths) with chacha_glue.c's and poly1305_glue.c's
 *                dispatch, either as on an AVX-512VL CPU (chacha avx512vl,
 *                poly1305 avx512) or as on an AVX2 one
 */
#ifndef PQREKEY_AEAD_KREF_H
#define PQREKEY_AEAD_KREF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct k61_gcm_key;
struct k73_gcm_key_avx2;
struct k73_gcm_key_avx512;

struct k61_gcm_key *k61_gcm_new(const uint8_t *key, unsigned int keylen);
void k61_gcm_encrypt(const struct k61_gcm_key *k, const uint8_t nonce[12],
		     const uint8_t *aad, size_t aadlen, const uint8_t *src,
		     uint8_t *dst, size_t len, uint8_t tag[16]);

struct k73_gcm_key_avx2 *k73_gcm_avx2_new(const uint8_t *key,
					  unsigned int keylen);
void k73_gcm_avx2_encrypt(const struct k73_gcm_key_avx2 *k,
			  const uint8_t nonce[12], const uint8_t *aad,
			  size_t aadlen, const uint8_t *src, uint8_t *dst,
			  size_t len, uint8_t tag[16]);
struct k73_gcm_key_avx512 *k73_gcm_avx512_new(const uint8_t *key,
					      unsigned int keylen);
void k73_gcm_avx512_encrypt(const struct k73_gcm_key_avx512 *k,
			    const uint8_t nonce[12], const uint8_t *aad,
			    size_t aadlen, const uint8_t *src, uint8_t *dst,
			    size_t len, uint8_t tag[16]);

/* avx512: 6.1's choice on an AVX-512VL CPU; otherwise its AVX2 choice */
void k61_cp_encrypt(bool avx512, const uint8_t key[32],
		    const uint8_t nonce[12], const uint8_t *aad, size_t aadlen,
		    const uint8_t *src, uint8_t *dst, size_t len,
		    uint8_t tag[16]);

#endif /* PQREKEY_AEAD_KREF_H */
