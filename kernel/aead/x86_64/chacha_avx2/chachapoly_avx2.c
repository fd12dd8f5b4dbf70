// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ChaCha20-Poly1305 (RFC 8439) in one pass on 256-bit registers: eight
 * ChaCha20 blocks (512 bytes) per iteration and four-way Poly1305 in 2^26
 * limbs (../chachapoly_x86.h). The eight Poly1305 groups of a chunk are
 * interleaved with its ten double rounds: the ciphertext of the previous
 * chunk when encrypting, that of the current one before it is overwritten
 * when decrypting. A message of at most 23 blocks is one batch of 8, 16 or
 * 24 blocks (sets of eight, interleaved) with the Poly1305 key in block 0
 * (no scalar block); its keystream is computed first, then Poly1305 and
 * the XOR run over the message, which is at most 1472 bytes, in L1.
 * Built with -mavx2 (this folder's flags); GCC's vector extensions and x86
 * builtins, no <immintrin.h>, so that the kernel can build it too.
 */
#include "../chachapoly_x86.h"

/*
 * The rest of the ciphertext after the chunks: groups of four blocks, then
 * (with @vec, when any group was absorbed at all) the lanes folded, then
 * the last blocks scalar, the final one padded.
 */
static void poly_rest(struct poly4 *v, struct poly1305_state *p,
		      const u8 *m, size_t len, bool vec)
{
	for (; len >= 64; m += 64, len -= 64)
		poly4_group(v, m);
	if (vec)
		poly4_final(v, p);
	poly1305_padded(p, m, len);
}

bool pqaead_chachapoly_usable_avx2(void)
{
#ifdef __KERNEL__
	return false;	/* not wired into the kernel yet */
#else
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
#endif
}

/*
 * A message of at most this many bytes is one batch of blocks 0..23 at
 * most, the Poly1305 key from block 0: one, two or three sets of eight
 * blocks with their double rounds interleaved (one alone is bound by the
 * latency of its dependency chains, not by throughput).
 */
#define SHORT_MAX	(23 * 64)

/* not inlined: its frame and chachapoly()'s would add up */
static noinline void chachapoly_short(const u32 st[16], const u8 *aad,
				      size_t aadlen, const u8 *src, u8 *dst,
				      size_t len, bool enc, u8 tag[16])
{
	struct poly1305_state p;
	struct poly4 v;
	v8su x[16], y[16], z[16];
	bool vec = len >= 64, two = len > 7 * 64, three = len > 15 * 64;
	unsigned int i;
	size_t n1, n2;
	u8 buf[64];

	chacha8_init(x, st, 0);
	if (two)
		chacha8_init(y, st, 8);
	if (three)
		chacha8_init(z, st, 16);
	/* separate loops, so that one set keeps its registers */
	if (three) {
		for (i = 0; i < 10; i++) {
			double_round8(x);
			double_round8(y);
			double_round8(z);
		}
	} else if (two) {
		for (i = 0; i < 10; i++) {
			double_round8(x);
			double_round8(y);
		}
	} else {
		for (i = 0; i < 10; i++)
			double_round8(x);
	}
	chacha8_final(x, st, 0);
	if (two)
		chacha8_final(y, st, 8);
	if (three)
		chacha8_final(z, st, 16);
	st256(buf, x[0]);
	st256(buf + 32, x[8]);
	poly_start(&p, buf, aad, aadlen);
	if (vec)
		poly4_init(&v, &p);

	if (!enc)
		poly_rest(&v, &p, src, len, vec);
	/* blocks 1-7, 8-15, 16-23 */
	n1 = len < 7 * 64 ? len : 7 * 64;
	n2 = len - n1 < 8 * 64 ? len - n1 : 8 * 64;
	xor8(x, 1, src, dst, n1, buf);
	if (two)
		xor8(y, 0, src + n1, dst + n1, n2, buf);
	if (three)
		xor8(z, 0, src + n1 + n2, dst + n1 + n2, len - n1 - n2, buf);
	if (enc)
		poly_rest(&v, &p, dst, len, vec);
	poly1305_final(&p, aadlen, len, tag);

	memzero_explicit(x, sizeof(x));
	if (two)
		memzero_explicit(y, sizeof(y));
	if (three)
		memzero_explicit(z, sizeof(z));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

static void chachapoly(const struct pqaead_chachapoly_key *k,
		       const u8 *nonce, const u8 *aad, size_t aadlen,
		       const u8 *src, u8 *dst, size_t len, bool enc,
		       u8 tag[16])
{
	struct poly1305_state p;
	struct poly4 v;
	v8su x[16];
	const u8 *pend = NULL, *pp;
	bool vec = len >= 64;
	size_t total = len;
	u32 st[16], ctr = 1;
	unsigned int i;
	u8 buf[64];

	chacha20_init(st, k, nonce, 0);
	if (len && len <= SHORT_MAX) {
		chachapoly_short(st, aad, aadlen, src, dst, len, enc, tag);
		memzero_explicit(st, sizeof(st));
		return;
	}
	chacha20_polykey(st, buf);
	poly_start(&p, buf, aad, aadlen);
	if (vec)
		poly4_init(&v, &p);

	for (; len >= 512; src += 512, dst += 512, len -= 512, ctr += 8) {
		pp = enc ? pend : src;
		chacha8_init(x, st, ctr);
		if (pp) {
			for (i = 0; i < 8; i++) {
				double_round8(x);
				poly4_group(&v, pp + 64 * i);
			}
			double_round8(x);
			double_round8(x);
		} else {
			for (i = 0; i < 10; i++)
				double_round8(x);
		}
		chacha8_final(x, st, ctr);
		for (i = 0; i < 8; i++) {
			st256(dst + 64 * i, ld256(src + 64 * i) ^ x[i]);
			st256(dst + 64 * i + 32,
			      ld256(src + 64 * i + 32) ^ x[8 + i]);
		}
		pend = dst;
	}
	if (enc && pend)
		for (i = 0; i < 8; i++)
			poly4_group(&v, pend + 64 * i);

	if (len) {
		chacha8_init(x, st, ctr);
		for (i = 0; i < 10; i++)
			double_round8(x);
		chacha8_final(x, st, ctr);
	}
	if (!enc)
		poly_rest(&v, &p, src, len, vec);
	if (len) {
		xor8(x, 0, src, dst, len, buf);
		memzero_explicit(x, sizeof(x));
	}
	if (enc)
		poly_rest(&v, &p, dst, len, vec);

	poly1305_final(&p, aadlen, total, tag);
	memzero_explicit(st, sizeof(st));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

/**
 * pqaead_chachapoly_encrypt_avx2() - ChaCha20-Poly1305 encryption.
 * @k: the key
 * @nonce: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: plaintext
 * @dst: ciphertext, @len bytes (may be @src)
 * @len: the length of both
 * @tag: the 16-byte tag
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_encrypt_avx2(const struct pqaead_chachapoly_key *k,
				    const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				    const u8 *aad, size_t aadlen,
				    const u8 *src, u8 *dst, size_t len,
				    u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	chachapoly(k, nonce, aad, aadlen, src, dst, len, true, tag);
}

/**
 * pqaead_chachapoly_decrypt_avx2() - ChaCha20-Poly1305 decryption and tag
 *	check.
 * @k: the key
 * @nonce: 12 bytes
 * @aad: associated data
 * @aadlen: its length
 * @src: ciphertext
 * @dst: plaintext, @len bytes (may be @src); on a tag mismatch it holds
 *	 the unauthenticated plaintext and the caller must discard it
 * @len: the length of both
 * @tag: the received 16-byte tag
 *
 * Contracts: see kernel/aead/chachapoly.h.
 *
 * Return: 0, or -EBADMSG if the tag does not match.
 */
int pqaead_chachapoly_decrypt_avx2(const struct pqaead_chachapoly_key *k,
				   const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				   const u8 *aad, size_t aadlen,
				   const u8 *src, u8 *dst, size_t len,
				   const u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	u8 want[16];
	int ret;

	chachapoly(k, nonce, aad, aadlen, src, dst, len, false, want);
	ret = poly1305_tag_cmp(want, tag);
	memzero_explicit(want, sizeof(want));
	return ret;
}
