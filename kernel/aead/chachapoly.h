/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ChaCha20-Poly1305 AEAD cores (RFC 8439) for ESP (rfc7539esp: the last
 * four bytes of the 36-byte ESP key are a salt, and the nonce is salt || the
 * packet's 8-byte IV; the glue builds the 12-byte nonce). Single pass: each
 * chunk of keystream is XORed and the ciphertext Poly1305-absorbed in the
 * same loop. Written to compile unchanged in the kernel and in userspace,
 * like the AES-GCM cores; only the userspace build uses them so far
 * (user/user.mk; user/tests/chachapoly_vectors.c).
 *
 * A variant may only be called when pqaead_chachapoly_usable_<variant>()
 * says so and, in the kernel, inside kernel_fpu_begin()/kernel_fpu_end().
 *
 * Contracts of encrypt and decrypt (not checked at run time):
 *   - @aad is readable for @aadlen bytes, @src for @len bytes, @dst writable
 *     for @len bytes; NULL is allowed where the length is 0;
 *   - @dst == @src (in place) or the two do not overlap at all;
 *   - @len < 2^32 * 64 - 64 (the 32-bit block counter of RFC 8439 starts at
 *     1 and must not wrap); @aadlen of any size_t value; any alignment;
 *   - one key and nonce pair encrypts at most one message.
 *
 * The streaming interface (init, aad, crypt, final) is for messages in
 * pieces (a scatterlist through skcipher_walk): one message is
 *   init, then aad any number of times (any lengths, 0 included), then
 *   crypt any number of times, then final,
 * on one struct pqaead_chachapoly_state and one variant throughout. Its
 * contracts (not checked at run time):
 *   - every crypt call but the last of a message has @len % 64 == 0 (the
 *     last one any @len, 0 included); all aad calls come before the first
 *     crypt call;
 *   - @dst == @src (in place) or the two do not overlap at all, per call;
 *   - the total @len bounds of encrypt and decrypt;
 *   - the state holds no pointer into the caller's buffers and no vector
 *     register is live between calls: each call may sit in its own
 *     kernel_fpu_begin()/kernel_fpu_end() section; the state holds the key
 *     words and the Poly1305 key, final wipes it, and a caller that
 *     abandons a message must wipe it (memzero_explicit()) itself;
 *   - decryption: final gives the expected tag, which the caller compares
 *     in constant time (crypto_memneq() in the kernel); the plaintext is
 *     unauthenticated until then.
 * A crypt call over whole 512-byte (AVX2) or 1024-byte (AVX-512) chunks is
 * single pass as the one-shot functions; the Poly1305 lanes are folded
 * into the scalar accumulator at the end of each call, so calls of fewer
 * than 512 bytes cost more per byte than one long call.
 *
 * Stack: every function of the cores has a frame of at most 1 KiB with the
 * kernel's code-gen flags (Documentation/aead.rst), and needs no
 * workspace from the caller.
 */
#ifndef _PQREKEY_AEAD_CHACHAPOLY_H
#define _PQREKEY_AEAD_CHACHAPOLY_H

#include "../mlkem/platform.h"

#define PQAEAD_CHACHAPOLY_KEY_SIZE	32
#define PQAEAD_CHACHAPOLY_NONCE_SIZE	12
#define PQAEAD_CHACHAPOLY_TAG_SIZE	16

/**
 * struct pqaead_chachapoly_key - a ChaCha20-Poly1305 key.
 * @k: the eight little-endian key words of the ChaCha20 state
 *
 * The same for every variant: nothing is precomputed, as the Poly1305 key
 * (and so its powers) changes with each nonce.
 */
struct pqaead_chachapoly_key {
	u32 k[8];
};

/**
 * pqaead_chachapoly_setkey() - load a ChaCha20-Poly1305 key.
 * @k: the key
 * @key: 32 bytes
 * @keylen: its length
 *
 * Return: 0, or -EINVAL for another key length.
 */
static inline int pqaead_chachapoly_setkey(struct pqaead_chachapoly_key *k,
					   const u8 *key, unsigned int keylen)
{
	unsigned int i;

	if (keylen != PQAEAD_CHACHAPOLY_KEY_SIZE)
		return -EINVAL;
	for (i = 0; i < 8; i++)
		k->k[i] = (u32)key[4 * i] | (u32)key[4 * i + 1] << 8 |
			  (u32)key[4 * i + 2] << 16 | (u32)key[4 * i + 3] << 24;
	return 0;
}

/**
 * struct pqaead_poly1305 - Poly1305 in radix 2^26 (private to the cores).
 * @h: the accumulator
 * @r: the clamped r
 * @s: the second half of the one-time key, little-endian words
 */
struct pqaead_poly1305 {
	u32 h[5];
	u32 r[5];
	u32 s[4];
};

/**
 * struct pqaead_chachapoly_state - one message in progress, any variant.
 * @st: the ChaCha20 state; st[12] is the next block counter
 * @p: Poly1305
 * @pw: r^1..r^8 (pw[i] is r^(i+1)); the AVX2 variant uses four
 * @aadlen: associated data so far, in bytes
 * @len: text so far, in bytes
 * @afill: bytes in @abuf
 * @abuf: the last partial 16-byte block of associated data (with
 *	@keylater, up to 16 bytes not absorbed yet)
 * @keylater: 1: the Poly1305 key is not computed yet (init leaves it to
 *	the first crypt call, whose blocks start at block 0, unless more
 *	than 16 bytes of associated data need it before); 2: the key is,
 *	not yet @pw; 0: both are
 *
 * The contents are private to the cores; 320 bytes, no pointers, no vector
 * types (any alignment of 8).
 */
struct pqaead_chachapoly_state {
	u32 st[16];
	struct pqaead_poly1305 p;
	u32 pw[8][5];
	u64 aadlen;
	u64 len;
	u32 afill;
	u8 abuf[16];
	u8 keylater;
};

/*
 * The one-shot calls of every variant <v> (one definition for all:
 * PQAEAD_CHACHAPOLY_ONE_SHOT() in x86_64/chachapoly_x86.h):
 *   pqaead_chachapoly_encrypt_<v>(k, nonce, aad, aadlen, src, dst, len,
 *	tag): @len bytes of @src encrypted into @dst (may be @src), the
 *	16-byte tag into @tag;
 *   pqaead_chachapoly_decrypt_<v>(k, nonce, aad, aadlen, src, dst, len,
 *	tag): @len bytes of @src decrypted into @dst (may be @src); 0, or
 *	-EBADMSG if the received 16-byte @tag does not match, compared in
 *	constant time, and then @dst holds unauthenticated plaintext that
 *	the caller must discard.
 * Contracts: at the top of this file.
 */

/*
 * x86_64/chacha_avx2/: eight blocks (512 bytes) per iteration on ymm,
 * Poly1305 four-way in 2^26 limbs.
 */
bool pqaead_chachapoly_usable_avx2(void);
void pqaead_chachapoly_encrypt_avx2(const struct pqaead_chachapoly_key *k,
				    const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				    const u8 *aad, size_t aadlen,
				    const u8 *src, u8 *dst, size_t len,
				    u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);
int pqaead_chachapoly_decrypt_avx2(const struct pqaead_chachapoly_key *k,
				   const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				   const u8 *aad, size_t aadlen,
				   const u8 *src, u8 *dst, size_t len,
				   const u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);
void pqaead_chachapoly_init_avx2(struct pqaead_chachapoly_state *s,
				 const struct pqaead_chachapoly_key *k,
				 const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE]);
void pqaead_chachapoly_aad_avx2(struct pqaead_chachapoly_state *s,
				const u8 *aad, size_t len);
void pqaead_chachapoly_crypt_avx2(struct pqaead_chachapoly_state *s,
				  const u8 *src, u8 *dst, size_t len, bool enc);
void pqaead_chachapoly_final_avx2(struct pqaead_chachapoly_state *s,
				  u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);

/*
 * x86_64/chacha_avx512/: sixteen blocks (1024 bytes) per iteration on zmm
 * (AVX-512 F and VL), Poly1305 eight-way in 2^26 limbs.
 */
bool pqaead_chachapoly_usable_avx512(void);
void pqaead_chachapoly_encrypt_avx512(const struct pqaead_chachapoly_key *k,
				      const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				      const u8 *aad, size_t aadlen,
				      const u8 *src, u8 *dst, size_t len,
				      u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);
int pqaead_chachapoly_decrypt_avx512(const struct pqaead_chachapoly_key *k,
				     const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				     const u8 *aad, size_t aadlen,
				     const u8 *src, u8 *dst, size_t len,
				     const u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);
void pqaead_chachapoly_init_avx512(struct pqaead_chachapoly_state *s,
				   const struct pqaead_chachapoly_key *k,
				   const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE]);
void pqaead_chachapoly_aad_avx512(struct pqaead_chachapoly_state *s,
				  const u8 *aad, size_t len);
void pqaead_chachapoly_crypt_avx512(struct pqaead_chachapoly_state *s,
				    const u8 *src, u8 *dst, size_t len, bool enc);
void pqaead_chachapoly_final_avx512(struct pqaead_chachapoly_state *s,
				    u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE]);

#endif /* _PQREKEY_AEAD_CHACHAPOLY_H */
