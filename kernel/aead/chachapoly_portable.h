/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The scalar parts the ChaCha20-Poly1305 variants share (RFC 8439): the
 * initial ChaCha20 state and one block (the Poly1305 key), Poly1305 in five
 * 26-bit limbs (as the vector code, so that a vector accumulator folds into
 * it) for the associated data, the last partial group of ciphertext and the
 * length block, and the tag. Portable C, static inline, no state; constant
 * time: no branch and no index depends on the key, the data or the tag.
 */
#ifndef _PQREKEY_AEAD_CHACHAPOLY_PORTABLE_H
#define _PQREKEY_AEAD_CHACHAPOLY_PORTABLE_H

#include "chachapoly.h"

#define CP_M26	0x3ffffffu

static __always_inline u32 cp_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static __always_inline void cp_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static __always_inline u32 cp_rol32(u32 x, unsigned int n)
{
	return x << n | x >> (32 - n);
}

/* "expand 32-byte k", key, block counter @ctr, nonce */
static inline void chacha20_init(u32 st[16],
				 const struct pqaead_chachapoly_key *k,
				 const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE],
				 u32 ctr)
{
	unsigned int i;

	st[0] = 0x61707865;
	st[1] = 0x3320646e;
	st[2] = 0x79622d32;
	st[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		st[4 + i] = k->k[i];
	st[12] = ctr;
	st[13] = cp_le32(nonce);
	st[14] = cp_le32(nonce + 4);
	st[15] = cp_le32(nonce + 8);
}

static __always_inline void cp_qr(u32 *a, u32 *b, u32 *c, u32 *d)
{
	*a += *b;
	*d = cp_rol32(*d ^ *a, 16);
	*c += *d;
	*b = cp_rol32(*b ^ *c, 12);
	*a += *b;
	*d = cp_rol32(*d ^ *a, 8);
	*c += *d;
	*b = cp_rol32(*b ^ *c, 7);
}

/* The first 32 bytes of the keystream block of @st: the Poly1305 key. */
static inline void chacha20_polykey(const u32 st[16], u8 out[32])
{
	u32 x[16];
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = st[i];
	for (i = 0; i < 10; i++) {
		cp_qr(&x[0], &x[4], &x[8], &x[12]);
		cp_qr(&x[1], &x[5], &x[9], &x[13]);
		cp_qr(&x[2], &x[6], &x[10], &x[14]);
		cp_qr(&x[3], &x[7], &x[11], &x[15]);
		cp_qr(&x[0], &x[5], &x[10], &x[15]);
		cp_qr(&x[1], &x[6], &x[11], &x[12]);
		cp_qr(&x[2], &x[7], &x[8], &x[13]);
		cp_qr(&x[3], &x[4], &x[9], &x[14]);
	}
	for (i = 0; i < 8; i++)
		cp_put_le32(out + 4 * i, x[i] + st[i]);
	memzero_explicit(x, sizeof(x));
}

static inline void poly1305_init(struct pqaead_poly1305 *p, const u8 key[32])
{
	p->r[0] = cp_le32(key) & 0x3ffffff;
	p->r[1] = (cp_le32(key + 3) >> 2) & 0x3ffff03;
	p->r[2] = (cp_le32(key + 6) >> 4) & 0x3ffc0ff;
	p->r[3] = (cp_le32(key + 9) >> 6) & 0x3f03fff;
	p->r[4] = (cp_le32(key + 12) >> 8) & 0x00fffff;
	p->s[0] = cp_le32(key + 16);
	p->s[1] = cp_le32(key + 20);
	p->s[2] = cp_le32(key + 24);
	p->s[3] = cp_le32(key + 28);
	p->h[0] = 0;
	p->h[1] = 0;
	p->h[2] = 0;
	p->h[3] = 0;
	p->h[4] = 0;
}

/*
 * h = h * r mod 2^130 - 5, partly reduced: limbs of @h below 2^30, of @r
 * below 2^26 + 2^12; on return h[1] below 2^26 + 2^12, the others below 2^26.
 */
static __always_inline void poly1305_mul(u32 h[5], const u32 r[5])
{
	u64 s1 = r[1] * 5ull, s2 = r[2] * 5ull, s3 = r[3] * 5ull,
	    s4 = r[4] * 5ull, d0, d1, d2, d3, d4, c;

	d0 = (u64)h[0] * r[0] + h[1] * s4 + h[2] * s3 + h[3] * s2 + h[4] * s1;
	d1 = (u64)h[0] * r[1] + (u64)h[1] * r[0] + h[2] * s4 + h[3] * s3 +
	     h[4] * s2;
	d2 = (u64)h[0] * r[2] + (u64)h[1] * r[1] + (u64)h[2] * r[0] +
	     h[3] * s4 + h[4] * s3;
	d3 = (u64)h[0] * r[3] + (u64)h[1] * r[2] + (u64)h[2] * r[1] +
	     (u64)h[3] * r[0] + h[4] * s4;
	d4 = (u64)h[0] * r[4] + (u64)h[1] * r[3] + (u64)h[2] * r[2] +
	     (u64)h[3] * r[1] + (u64)h[4] * r[0];
	d1 += d0 >> 26;
	d2 += d1 >> 26;
	h[1] = (u32)d1 & CP_M26;
	d3 += d2 >> 26;
	h[2] = (u32)d2 & CP_M26;
	d4 += d3 >> 26;
	h[3] = (u32)d3 & CP_M26;
	c = (d4 >> 26) * 5 + ((u32)d0 & CP_M26);	/* below 2^35 */
	h[4] = (u32)d4 & CP_M26;
	h[0] = (u32)c & CP_M26;
	h[1] += (u32)(c >> 26);
}

/* out = a * b, as poly1305_mul() (the same bounds for a and b). */
static __always_inline void poly1305_mul3(u32 out[5], const u32 a[5],
					  const u32 b[5])
{
	memcpy(out, a, 5 * sizeof(u32));
	poly1305_mul(out, b);
}

/* One 16-byte block with the 2^128 bit. */
static __always_inline void poly1305_block(struct pqaead_poly1305 *p,
					   const u8 *m)
{
	p->h[0] += cp_le32(m) & CP_M26;
	p->h[1] += (cp_le32(m + 3) >> 2) & CP_M26;
	p->h[2] += (cp_le32(m + 6) >> 4) & CP_M26;
	p->h[3] += (cp_le32(m + 9) >> 6) & CP_M26;
	p->h[4] += (cp_le32(m + 12) >> 8) | 1u << 24;
	poly1305_mul(p->h, p->r);
}

/* @len bytes as blocks, the last one padded with zeros (RFC 8439, 2.8). */
static inline void poly1305_padded(struct pqaead_poly1305 *p, const u8 *m,
				   size_t len)
{
	u8 buf[16];

	for (; len >= 16; m += 16, len -= 16)
		poly1305_block(p, m);
	if (len) {
		memset(buf, 0, sizeof(buf));
		memcpy(buf, m, len);
		poly1305_block(p, buf);
		memzero_explicit(buf, sizeof(buf));
	}
}

/* The length block, h mod 2^130 - 5 by masks, plus s: the tag. */
static inline void poly1305_final(struct pqaead_poly1305 *p, size_t aadlen,
				  size_t len, u8 tag[16])
{
	u32 h0, h1, h2, h3, h4, g0, g1, g2, g3, g4, c, mask;
	unsigned int i;
	u8 lb[16];
	u64 f;

	cp_put_le32(lb, (u32)aadlen);
	cp_put_le32(lb + 4, (u32)((u64)aadlen >> 32));
	cp_put_le32(lb + 8, (u32)len);
	cp_put_le32(lb + 12, (u32)((u64)len >> 32));
	poly1305_block(p, lb);

	h0 = p->h[0];
	h1 = p->h[1];
	h2 = p->h[2];
	h3 = p->h[3];
	h4 = p->h[4];
	/* two full carry passes: every limb below 2^26, h below 2^130 */
	for (i = 0; i < 2; i++) {
		c = h0 >> 26;
		h0 &= CP_M26;
		h1 += c;
		c = h1 >> 26;
		h1 &= CP_M26;
		h2 += c;
		c = h2 >> 26;
		h2 &= CP_M26;
		h3 += c;
		c = h3 >> 26;
		h3 &= CP_M26;
		h4 += c;
		c = h4 >> 26;
		h4 &= CP_M26;
		h0 += c * 5;
	}

	/* g = h + 5 - 2^130; h >= p exactly when g does not borrow */
	g0 = h0 + 5;
	c = g0 >> 26;
	g0 &= CP_M26;
	g1 = h1 + c;
	c = g1 >> 26;
	g1 &= CP_M26;
	g2 = h2 + c;
	c = g2 >> 26;
	g2 &= CP_M26;
	g3 = h3 + c;
	c = g3 >> 26;
	g3 &= CP_M26;
	g4 = h4 + c - (1u << 26);
	mask = (g4 >> 31) - 1;		/* all ones: take g */
	h0 = (h0 & ~mask) | (g0 & mask);
	h1 = (h1 & ~mask) | (g1 & mask);
	h2 = (h2 & ~mask) | (g2 & mask);
	h3 = (h3 & ~mask) | (g3 & mask);
	h4 = (h4 & ~mask) | (g4 & mask);

	h0 = h0 | h1 << 26;
	h1 = h1 >> 6 | h2 << 20;
	h2 = h2 >> 12 | h3 << 14;
	h3 = h3 >> 18 | h4 << 8;
	f = (u64)h0 + p->s[0];
	cp_put_le32(tag, (u32)f);
	f = (u64)h1 + p->s[1] + (f >> 32);
	cp_put_le32(tag + 4, (u32)f);
	f = (u64)h2 + p->s[2] + (f >> 32);
	cp_put_le32(tag + 8, (u32)f);
	f = (u64)h3 + p->s[3] + (f >> 32);
	cp_put_le32(tag + 12, (u32)f);
}

/* pw[i] = r^(i+1) for i < 4, in a tree of depth two. */
static inline void poly1305_powers4(u32 pw[4][5], const u32 r[5])
{
	memcpy(pw[0], r, 5 * sizeof(u32));
	poly1305_mul3(pw[1], pw[0], pw[0]);
	poly1305_mul3(pw[2], pw[1], pw[0]);
	poly1305_mul3(pw[3], pw[1], pw[1]);
}

/*
 * The streaming state (chachapoly.h) of a new message, the Poly1305 key
 * left to the first crypt call (@keylater): the text starts at block 1.
 */
static inline void cp_stream_init(struct pqaead_chachapoly_state *s,
				  const struct pqaead_chachapoly_key *k,
				  const u8 nonce[PQAEAD_CHACHAPOLY_NONCE_SIZE])
{
	chacha20_init(s->st, k, nonce, 1);
	s->aadlen = 0;
	s->len = 0;
	s->afill = 0;
	s->keylater = 1;
}

/*
 * Associated data while the key waits: kept in abuf if it fits there (up
 * to 16 bytes in all); false if the key is needed first.
 */
static inline bool cp_stream_aad_keep(struct pqaead_chachapoly_state *s,
				      const u8 *aad, size_t len)
{
	if (s->keylater != 1 || len > 16 - s->afill)
		return false;
	if (len)
		memcpy(s->abuf + s->afill, aad, len);
	s->afill += (u32)len;
	s->aadlen += len;
	return true;
}

/*
 * The Poly1305 key after all (a scalar block 0), the associated data kept
 * so far absorbed but for a partial block; the caller computes the powers.
 */
static inline void cp_stream_key(struct pqaead_chachapoly_state *s)
{
	u32 st[16];
	u8 key[32];

	memcpy(st, s->st, sizeof(st));
	st[12] = 0;
	chacha20_polykey(st, key);
	poly1305_init(&s->p, key);
	if (s->afill == 16) {
		poly1305_block(&s->p, s->abuf);
		s->afill = 0;
	}
	s->keylater = 0;
	memzero_explicit(st, sizeof(st));
	memzero_explicit(key, sizeof(key));
}

/* Associated data in pieces: whole blocks now, a partial one kept. */
static inline void cp_stream_aad(struct pqaead_chachapoly_state *s,
				 const u8 *aad, size_t len)
{
	size_t n;

	s->aadlen += len;
	if (s->afill) {
		n = 16 - s->afill < len ? 16 - s->afill : len;
		if (n)
			memcpy(s->abuf + s->afill, aad, n);
		s->afill += n;
		aad += n;
		len -= n;
		if (s->afill < 16)
			return;
		poly1305_block(&s->p, s->abuf);
		s->afill = 0;
	}
	for (; len >= 16; aad += 16, len -= 16)
		poly1305_block(&s->p, aad);
	if (len) {
		memcpy(s->abuf, aad, len);
		s->afill = len;
	}
}

/* The last partial block of associated data, padded (RFC 8439, 2.8). */
static inline void cp_stream_aad_end(struct pqaead_chachapoly_state *s)
{
	if (s->afill) {
		memset(s->abuf + s->afill, 0, 16 - s->afill);
		poly1305_block(&s->p, s->abuf);
		s->afill = 0;
	}
}

/* The tag of a streamed message; wipes the state. */
static inline void cp_stream_final(struct pqaead_chachapoly_state *s,
				   u8 tag[16])
{
	cp_stream_aad_end(s);
	poly1305_final(&s->p, s->aadlen, s->len, tag);
	memzero_explicit(s, sizeof(*s));
}

/* 0 if the 16-byte tags are equal, else -EBADMSG, in constant time. */
static inline int poly1305_tag_cmp(const u8 *a, const u8 *b)
{
	u8 diff = 0;
	unsigned int i;

	for (i = 0; i < 16; i++)
		diff |= a[i] ^ b[i];
	/* whether the tag matches is public */
	mlkem_ct_declassify(&diff, sizeof(diff));
	return diff ? -EBADMSG : 0;
}

#endif /* _PQREKEY_AEAD_CHACHAPOLY_PORTABLE_H */
