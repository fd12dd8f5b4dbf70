/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-GCM cores for ESP (rfc4106(gcm(aes)) and gcm(aes), 96-bit IVs only),
 * written to compile unchanged in the kernel and in userspace, like the
 * ML-KEM core: kernel/aead_gcm.c registers them with the crypto API,
 * user/tests/aead_vectors.c tests them natively.
 *
 * A variant may only be called when pqaead_aesgcm_usable_<variant>() says
 * so and, in the kernel, inside kernel_fpu_begin()/kernel_fpu_end().
 *
 * Two ways to run a message:
 *   - one shot: encrypt or decrypt, every buffer contiguous;
 *   - streaming, for data spread over a scatterlist:
 *     pqaead_aesgcm_init(), then pqaead_aesgcm_aad_vaes_avx2() any number
 *     of times (any lengths, all before the first crypt), then the
 *     variant's crypt any number of times (every call but the last with a
 *     multiple of 16 bytes), then pqaead_aesgcm_final_vaes_avx2() (tag) or
 *     pqaead_aesgcm_check_vaes_avx2() (tag comparison). No vector register
 *     is live between calls, so each call may have its own FPU section.
 *     aad and final take the 256-bit variant's key: the 512-bit variant
 *     passes its &k->base (a CPU with the 512-bit variant has the other).
 *
 * Contracts (not checked at run time): buffers readable/writable for their
 * lengths, NULL allowed for length 0; dst == src or no overlap; at most
 * 2^32 - 2 blocks of text per IV (GCM's 32-bit counter), which any size_t
 * length below 64 GiB meets; one IV per key encrypts one message.
 */
#ifndef _PQREKEY_AEAD_AESGCM_H
#define _PQREKEY_AEAD_AESGCM_H

#include "../mlkem/platform.h"

#define PQAEAD_AES_MAX_ROUNDS	14
#define PQAEAD_GCM_IV_SIZE	12
#define PQAEAD_GCM_TAG_SIZE	16
/*
 * H^1..H^68 are kept: the 512-bit variant's group of 32 blocks, a tail of
 * up to 32 (511 bytes) and the length block hashed with one reduction (65),
 * rounded up to whole zmm registers.
 */
#define PQAEAD_GCM_HPOWS	68

/**
 * struct pqaead_aesgcm_key - an expanded AES-GCM key.
 * @rk: the round keys, each twice (both 128-bit lanes of a ymm register)
 * @hpow: GHASH key powers, byte-reflected and twisted (ghash_twist()),
 *	  descending: H^68, H^67, ..., H^1 (both variants read them, two or
 *	  four at a time)
 * @hpad: zeros after H^1: the GHASH of n blocks reads the powers from H^n
 *	  on, up to three blocks past H^1
 * @rounds: 10, 12 or 14
 */
struct pqaead_aesgcm_key {
	u8 rk[PQAEAD_AES_MAX_ROUNDS + 1][32] __aligned(32);
	u8 hpow[PQAEAD_GCM_HPOWS][16] __aligned(64);
	u8 hpad[48];
	unsigned int rounds;
};

/**
 * struct pqaead_aesgcm_state - one message in progress, any variant.
 * @j0: the pre-counter block J0 (message byte order), for the tag
 * @acc: the GHASH accumulator (byte-reflected)
 * @pend: associated data not yet hashed (less than a block)
 * @npend: its length
 * @blocks: counter blocks used so far (the next one is J0 + 1 + @blocks)
 * @aadlen: bytes of associated data so far
 * @len: bytes of text so far
 */
struct pqaead_aesgcm_state {
	u8 j0[16];
	u8 acc[16];
	u8 pend[16];
	unsigned int npend;
	u32 blocks;
	u64 aadlen;
	u64 len;
};

/**
 * pqaead_aesgcm_init() - start a message.
 * @s: the state
 * @iv: the 12-byte IV (for ESP: the 4-byte salt, then the packet's IV)
 *
 * Plain C, no vector registers: callable outside an FPU section.
 */
static inline void pqaead_aesgcm_init(struct pqaead_aesgcm_state *s,
				      const u8 iv[PQAEAD_GCM_IV_SIZE])
{
	memset(s, 0, sizeof(*s));
	memcpy(s->j0, iv, PQAEAD_GCM_IV_SIZE);
	s->j0[15] = 1;
}

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
void pqaead_aesgcm_aad_vaes_avx2(struct pqaead_aesgcm_state *s,
				 const struct pqaead_aesgcm_key *k,
				 const u8 *aad, size_t len);
void pqaead_aesgcm_crypt_vaes_avx2(struct pqaead_aesgcm_state *s,
				   const struct pqaead_aesgcm_key *k,
				   const u8 *src, u8 *dst, size_t len,
				   bool enc);
void pqaead_aesgcm_final_vaes_avx2(struct pqaead_aesgcm_state *s,
				   const struct pqaead_aesgcm_key *k,
				   u8 tag[PQAEAD_GCM_TAG_SIZE]);
int pqaead_aesgcm_check_vaes_avx2(struct pqaead_aesgcm_state *s,
				  const struct pqaead_aesgcm_key *k,
				  const u8 *tag, unsigned int taglen);

/**
 * struct pqaead_aesgcm512_key - an expanded key of the 512-bit variant.
 * @base: the 256-bit variant's key (round keys, H^1..H^68)
 * @rk: the round keys, each in all four 128-bit lanes of a zmm register
 */
struct pqaead_aesgcm512_key {
	struct pqaead_aesgcm_key base;
	u8 rk[PQAEAD_AES_MAX_ROUNDS + 1][64] __aligned(64);
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
void pqaead_aesgcm_crypt_vaes_avx512(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm512_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc);

#endif /* _PQREKEY_AEAD_AESGCM_H */
