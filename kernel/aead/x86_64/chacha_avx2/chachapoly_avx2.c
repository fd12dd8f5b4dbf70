// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ChaCha20-Poly1305 (RFC 8439) in one pass on 256-bit registers: eight
 * ChaCha20 blocks (512 bytes) per iteration and four-way Poly1305 in 2^26
 * limbs (../chachapoly_x86.h). The eight Poly1305 groups of a chunk are
 * interleaved with its ten double rounds: the ciphertext of the previous
 * chunk when encrypting, that of the current one before it is overwritten
 * when decrypting; the same for a streamed call's tail. A message of at
 * most 23 blocks takes blocks 0-23 at most with the Poly1305 key in block
 * 0 (no scalar block), in sets of eight: up to 448 bytes the keystream
 * first, then Poly1305 and the XOR; beyond, each set after the first
 * with Poly1305 groups interleaved with its rounds, as the chunks.
 * Built with -mavx2 (this folder's flags); GCC's vector extensions and x86
 * builtins, no <immintrin.h>, so that the kernel can build it too.
 */
#include "../chachapoly_x86.h"

/*
 * sparse models neither GCC's vector extensions (subscripts, vector
 * initializers) nor the x86 builtins this file is made of: it checks the
 * interface (../../chachapoly.h) and not this body. The userspace build
 * runs the same code under ASan and UBSan (chachapoly_vectors).
 */
#ifndef __CHECKER__

/*
 * Poly1305 over @len bytes at @m: groups of four blocks on @v (when
 * @vec), the lanes folded with the powers @pw, then the last blocks
 * scalar, the final one padded.
 */
static noinline void poly_rest(struct poly4 *v, struct pqaead_poly1305 *p,
			       const u32 pw[4][5], const u8 *m, size_t len,
			       bool vec)
{
	for (; len >= 64; m += 64, len -= 64)
		poly4_group(v, m);
	if (vec)
		poly4_final(v, p, pw);
	poly1305_padded(p, m, len);
}

/* Poly1305 over a whole message (the short path): powers, lanes, rest. */
static noinline void poly_msg(struct pqaead_poly1305 *p, const u8 *m,
			      size_t len)
{
	struct poly4 v;
	u32 pw[4][5];
	bool vec = len >= 64;

	if (vec) {
		poly1305_powers4(pw, p->r);
		poly4_init(&v, p, pw);
	}
	poly_rest(&v, p, pw, m, len, vec);
	if (vec) {
		memzero_explicit(&v, sizeof(v));
		memzero_explicit(pw, sizeof(pw));
	}
}

/*
 * A message of at most this many bytes is blocks 0..23 at most, the
 * Poly1305 key from block 0 (no scalar block): blocks 0-7 into memory,
 * the rest XORed straight from the registers, eight at a time.
 */
#define SHORT_MAX	(23 * 64)

static noinline void chachapoly_short(const u32 st[16], const u8 *aad,
				      size_t aadlen, const u8 *src, u8 *dst,
				      size_t len, bool enc, u8 tag[16])
{
	struct pqaead_poly1305 p;
	v8su ks[16];
	size_t n1 = len < 7 * 64 ? len : 7 * 64;
	unsigned int b;
	u8 buf[64];

	chacha8_ks(ks, st);
	poly1305_init(&p, (const u8 *)&ks[0]);
	poly1305_padded(&p, aad, aadlen);
	if (!enc)
		poly_msg(&p, src, len);
	for (b = 1; b < 8; b++)
		xor_block8(src + 64 * (b - 1), dst + 64 * (b - 1),
			   CP_PART(n1, b - 1), ks[b], ks[8 + b], buf);
	if (len > n1)
		chacha8_xor(st, 8, src + n1, dst + n1,
			    len - n1 < 512 ? len - n1 : 512);
	if (len > n1 + 512)
		chacha8_xor(st, 16, src + n1 + 512, dst + n1 + 512,
			    len - n1 - 512);
	if (enc)
		poly_msg(&p, dst, len);
	poly1305_final(&p, aadlen, len, tag);
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&p, sizeof(p));
}

/*
 * The keystream of blocks @ctr..@ctr + 7 into @ks (block b in ks[b] and
 * ks[8 + b]), and the first @ng (at most eight) Poly1305 groups at @pp
 * absorbed during the rounds: the previous chunk's ciphertext when
 * encrypting, this one's (before it is overwritten) when decrypting. The
 * XOR is the caller's: in one function with the rounds, the frame is over
 * 1 KiB (spills).
 */
static __always_inline void chunk8_ks(struct poly4 *v, const u32 st[16],
				      u32 ctr, const u8 *pp, unsigned int ng,
				      v8su ks[16])
{
	v8su CP_WORDS(x);
	unsigned int i;

	CP_INIT(x, (v8su){ 0 }, st, ctr8(ctr));
	for (i = 0; i < ng; i++) {
		CP_DOUBLE_ROUND(qr8, x);
		/* the lanes stay in memory (GCC's copies: frames over 1 KiB) */
		__asm__("" : "+r" (v));
		poly4_group(v, pp + 64 * i);
	}
	for (; i < 10; i++)
		CP_DOUBLE_ROUND(qr8, x);
	CP8_FINAL(x, st, ctr8(ctr));
	ks[0] = x0; ks[1] = x1; ks[2] = x2; ks[3] = x3;
	ks[4] = x4; ks[5] = x5; ks[6] = x6; ks[7] = x7;
	ks[8] = x8; ks[9] = x9; ks[10] = x10; ks[11] = x11;
	ks[12] = x12; ks[13] = x13; ks[14] = x14; ks[15] = x15;
}

/*
 * Eight groups, the chunk loop's case, as the loop had it before the
 * count became a parameter (a variable count cost 3-4 % at 8 KiB), and
 * any number.
 */
static noinline void chunk8_ks8(struct poly4 *v, const u32 st[16], u32 ctr,
				const u8 *pp, v8su ks[16])
{
	v8su CP_WORDS(x);
	unsigned int i;

	CP_INIT(x, (v8su){ 0 }, st, ctr8(ctr));
	for (i = 0; i < 8; i++) {
		CP_DOUBLE_ROUND(qr8, x);
		__asm__("" : "+r" (v));
		poly4_group(v, pp + 64 * i);
	}
	CP_DOUBLE_ROUND(qr8, x);
	CP_DOUBLE_ROUND(qr8, x);
	CP8_FINAL(x, st, ctr8(ctr));
	ks[0] = x0; ks[1] = x1; ks[2] = x2; ks[3] = x3;
	ks[4] = x4; ks[5] = x5; ks[6] = x6; ks[7] = x7;
	ks[8] = x8; ks[9] = x9; ks[10] = x10; ks[11] = x11;
	ks[12] = x12; ks[13] = x13; ks[14] = x14; ks[15] = x15;
}

static noinline void chunk8_ksn(struct poly4 *v, const u32 st[16], u32 ctr,
				const u8 *pp, unsigned int ng, v8su ks[16])
{
	chunk8_ks(v, st, ctr, pp, ng, ks);
}

/*
 * @n bytes (at most 512) of one chunk, blocks @ctr..@ctr + 7, and @ng
 * Poly1305 groups of @pp as above (none: @pp unused).
 */
static noinline void chunk8(struct poly4 *v, const u32 st[16], u32 ctr,
			    const u8 *pp, unsigned int ng, const u8 *src,
			    u8 *dst, size_t n)
{
	v8su ks[16];
	unsigned int b;
	u8 buf[64];

	if (!ng) {
		chacha8_xor(st, ctr, src, dst, n);
		return;
	}
	if (ng == 8 && n == 512) {
		chunk8_ks8(v, st, ctr, pp, ks);
		for (b = 0; b < 8; b++) {
			st256(dst + 64 * b, ld256(src + 64 * b) ^ ks[b]);
			st256(dst + 64 * b + 32,
			      ld256(src + 64 * b + 32) ^ ks[8 + b]);
		}
	} else {
		chunk8_ksn(v, st, ctr, pp, ng, ks);
		for (b = 0; b < 8; b++)
			xor_block8(src + 64 * b, dst + 64 * b, CP_PART(n, b),
				   ks[b], ks[8 + b], buf);
	}
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(buf, sizeof(buf));
}

/*
 * The first set of the short path of more than 448 bytes: blocks 0-7, the
 * Poly1305 key from block 0, @p and its lanes @v started with the
 * associated data (and, decrypting, the first seven groups of @src),
 * blocks 1-7 XORed into @dst.
 */
static noinline void short_first(const u32 st[16], struct pqaead_poly1305 *p,
				 struct poly4 *v, u32 pw[4][5], const u8 *aad,
				 size_t aadlen, const u8 *src, u8 *dst,
				 bool enc)
{
	v8su ks[16];
	unsigned int b;

	chacha8_ks(ks, st);
	poly1305_init(p, (const u8 *)&ks[0]);
	poly1305_padded(p, aad, aadlen);
	poly1305_powers4(pw, p->r);
	poly4_init(v, p, pw);
	if (!enc)
		poly_rest(v, p, pw, src, 7 * 64, false);
	for (b = 1; b < 8; b++) {
		st256(dst + 64 * (b - 1), ld256(src + 64 * (b - 1)) ^ ks[b]);
		st256(dst + 64 * b - 32, ld256(src + 64 * b - 32) ^ ks[8 + b]);
	}
	memzero_explicit(ks, sizeof(ks));
}

/*
 * The short path of 449 to SHORT_MAX bytes in sets of eight blocks (0-7,
 * 8-15, 16-23), each set's rounds with the Poly1305 groups of the text
 * before it interleaved: the previous set's ciphertext when encrypting,
 * the set's own (before it is overwritten; a last partial group is saved
 * first) when decrypting. Poly1305 of the last set's ciphertext when
 * encrypting comes after. short24_run() leaves @p with the associated
 * data and the text absorbed, @pw with r^1..r^4 (the streamed first call
 * too); chachapoly_short24() adds the tag.
 */
static noinline void short24_run(const u32 st[16], struct pqaead_poly1305 *p,
				 u32 pw[4][5], const u8 *aad, size_t aadlen,
				 const u8 *src, u8 *dst, size_t len, bool enc)
{
	struct poly4 v;
	size_t off, n, prev = 0;
	unsigned int ng;
	u8 tail[64];

	short_first(st, p, &v, pw, aad, aadlen, src, dst, enc);
	for (off = 7 * 64; off < len; off += 512) {
		n = len - off < 512 ? len - off : 512;
		if (enc) {
			ng = (unsigned int)((off - prev) / 64);
			chunk8(&v, st, (u32)(off / 64 + 1), dst + prev, ng,
			       src + off, dst + off, n);
			prev = off;
		} else {
			ng = (unsigned int)(n / 64);
			memcpy(tail, src + off + 64 * ng, n % 64);
			chunk8(&v, st, (u32)(off / 64 + 1), src + off, ng,
			       src + off, dst + off, n);
		}
	}
	if (enc)
		poly_rest(&v, p, pw, dst + prev, len - prev, true);
	else
		poly_rest(&v, p, pw, tail, (len - 7 * 64) % 512 % 64, true);
	memzero_explicit(&v, sizeof(v));
	memzero_explicit(tail, sizeof(tail));
}

static noinline void chachapoly_short24(const u32 st[16], const u8 *aad,
					size_t aadlen, const u8 *src, u8 *dst,
					size_t len, bool enc, u8 tag[16])
{
	struct pqaead_poly1305 p;
	u32 pw[4][5];

	short24_run(st, &p, pw, aad, aadlen, src, dst, len, enc);
	poly1305_final(&p, aadlen, len, tag);
	memzero_explicit(pw, sizeof(pw));
	memzero_explicit(&p, sizeof(p));
}

/**
 * pqaead_chachapoly_init_avx2() - start a streamed ChaCha20-Poly1305
 *	message.
 * @s: the state of the message
 * @k: the key
 * @nonce: 12 bytes
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_init_avx2(struct pqaead_chachapoly_state *s,
				 const struct pqaead_chachapoly_key *k,
				 const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE])
{
	cp_stream_init(s, k, nonce);
}

/* The Poly1305 key after all, and the powers. */
static noinline void stream_key(struct pqaead_chachapoly_state *s)
{
	cp_stream_key(s);
	poly1305_powers4(s->pw, s->p.r);
}

/*
 * The first crypt call of a message whose init left the key, 1 to 448
 * bytes: blocks 0-7 as the short path, the key from block 0, the kept
 * associated data, Poly1305 over the text; the powers are left to a
 * later crypt call, if any (@keylater 2).
 */
static noinline void stream_key_short(struct pqaead_chachapoly_state *s,
				      const u8 *src, u8 *dst, size_t len,
				      bool enc)
{
	v8su ks[16];
	unsigned int b;
	u8 buf[64];

	chacha8_ks(ks, s->st);
	poly1305_init(&s->p, (const u8 *)&ks[0]);
	s->keylater = 2;
	cp_stream_aad_end(s);
	if (!enc)
		poly_msg(&s->p, src, len);
	for (b = 1; b < 8; b++)
		xor_block8(src + 64 * (b - 1), dst + 64 * (b - 1),
			   CP_PART(len, b - 1), ks[b], ks[8 + b], buf);
	if (enc)
		poly_msg(&s->p, dst, len);
	s->st[12] = 1 + (u32)((len + 63) / 64);
	s->len += len;
	memzero_explicit(ks, sizeof(ks));
	memzero_explicit(buf, sizeof(buf));
}

/* The same for a first call of 449 to SHORT_MAX bytes: short24_run(). */
static noinline void stream_key_crypt(struct pqaead_chachapoly_state *s,
				      const u8 *src, u8 *dst, size_t len,
				      bool enc)
{
	short24_run(s->st, &s->p, s->pw, s->abuf, s->afill, src, dst, len,
		    enc);
	s->afill = 0;
	s->keylater = 0;
	s->st[12] = 1 + (u32)((len + 63) / 64);
	s->len += len;
}

/**
 * pqaead_chachapoly_aad_avx2() - associated data of a streamed message.
 * @s: the state of the message
 * @aad: associated data (NULL if @len is 0)
 * @len: its length, any
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_aad_avx2(struct pqaead_chachapoly_state *s,
				const u8 *aad, size_t len)
{
	if (cp_stream_aad_keep(s, aad, len))
		return;
	if (s->keylater == 1)
		stream_key(s);
	cp_stream_aad(s, aad, len);
}

/**
 * pqaead_chachapoly_crypt_avx2() - encrypt or decrypt a piece of a
 *	streamed message.
 * @s: the state of the message
 * @src: plaintext (@enc) or ciphertext
 * @dst: the other, @len bytes (may be @src)
 * @len: a multiple of 64 unless this is the message's last piece
 * @enc: encrypt, else decrypt
 *
 * Whole 512-byte chunks single pass; Poly1305 folded at the end.
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_crypt_avx2(struct pqaead_chachapoly_state *s,
				  const u8 *src, u8 *dst, size_t len, bool enc)
{
	struct poly4 v;
	const u8 *pend = NULL;
	bool vec = len >= 64;
	unsigned int ng;
	u8 tail[64];

	if (s->keylater == 1) {
		if (len && len <= 7 * 64) {
			stream_key_short(s, src, dst, len, enc);
			return;
		}
		if (len > 7 * 64 && len <= SHORT_MAX) {
			stream_key_crypt(s, src, dst, len, enc);
			return;
		}
		stream_key(s);
	}
	if (s->keylater == 2) {
		poly1305_powers4(s->pw, s->p.r);
		s->keylater = 0;
	}
	cp_stream_aad_end(s);
	s->len += len;
	if (vec)
		poly4_init(&v, &s->p, s->pw);
	for (; len >= 512; src += 512, dst += 512, len -= 512) {
		chunk8(&v, s->st, s->st[12], enc ? pend : src,
		       enc && !pend ? 0 : 8, src, dst, 512);
		s->st[12] += 8;
		pend = dst;
	}
	/*
	 * The tail with the last chunk's ciphertext (encrypting) or its own
	 * whole groups (decrypting, a partial one saved first) absorbed
	 * during its rounds.
	 */
	if (enc) {
		if (len)
			chunk8(&v, s->st, s->st[12], pend, pend ? 8 : 0, src,
			       dst, len);
		else if (pend)
			poly_rest(&v, &s->p, s->pw, pend, 512, false);
		poly_rest(&v, &s->p, s->pw, dst, len, vec);
	} else {
		if (len) {
			ng = (unsigned int)(len / 64);
			memcpy(tail, src + 64 * ng, len % 64);
			chunk8(&v, s->st, s->st[12], src, ng, src, dst, len);
		}
		poly_rest(&v, &s->p, s->pw, tail, len % 64, vec);
		memzero_explicit(tail, sizeof(tail));
	}
	s->st[12] += (u32)((len + 63) / 64);
	if (vec)
		memzero_explicit(&v, sizeof(v));
}

/**
 * pqaead_chachapoly_final_avx2() - the tag of a streamed message.
 * @s: the state of the message, wiped
 * @tag: the 16-byte tag (to send, or to compare with the received one)
 *
 * Contracts: see kernel/aead/chachapoly.h.
 */
void pqaead_chachapoly_final_avx2(struct pqaead_chachapoly_state *s,
				  u8 tag[PQAEAD_CHACHAPOLY_TAG_SIZE])
{
	if (s->keylater == 1)
		stream_key(s);
	cp_stream_final(s, tag);
}

static void chachapoly(const struct pqaead_chachapoly_key *k,
		       const u8 *nonce, const u8 *aad, size_t aadlen,
		       const u8 *src, u8 *dst, size_t len, bool enc,
		       u8 tag[16])
{
	struct pqaead_chachapoly_state s;
	u32 st[16];

	if (len && len <= SHORT_MAX) {
		chacha20_init(st, k, nonce, 0);
		if (len > 7 * 64)
			chachapoly_short24(st, aad, aadlen, src, dst, len, enc,
					   tag);
		else
			chachapoly_short(st, aad, aadlen, src, dst, len, enc,
					 tag);
		memzero_explicit(st, sizeof(st));
		return;
	}
	pqaead_chachapoly_init_avx2(&s, k, nonce);
	pqaead_chachapoly_aad_avx2(&s, aad, aadlen);
	pqaead_chachapoly_crypt_avx2(&s, src, dst, len, enc);
	pqaead_chachapoly_final_avx2(&s, tag);
}

PQAEAD_CHACHAPOLY_ONE_SHOT(avx2)

#endif /* !__CHECKER__ */
