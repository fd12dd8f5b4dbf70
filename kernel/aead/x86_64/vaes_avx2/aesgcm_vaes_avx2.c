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

/*
 * sparse models neither GCC's vector extensions (subscripts, vector
 * initializers) nor the x86 builtins this file is made of: it checks the
 * interface (../../aesgcm.h) and not this body. The userspace build runs
 * the same code under ASan and UBSan (aead_vectors).
 */
#ifndef __CHECKER__

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
 * lookups), then H = AES_K(0^128) and its powers H^1..H^68.
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
	v2di h, hi;

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
	hi = h;					/* H^1 */
	for (i = 1; i <= PQAEAD_GCM_HPOWS; i++) {
		st128(k->hpow[PQAEAD_GCM_HPOWS - i], ghash_twist(hi));
		hi = gfmul_plain(hi, h);	/* H^(i+1) */
	}
	memset(k->hpad, 0, sizeof(k->hpad));
	return 0;
}

/* x * h (byte-reflected, two lanes) added to the unreduced lo/mid/hi. */
static __always_inline void ghash_mul(v4di x, v4di h, v4di *lo, v4di *mid,
				      v4di *hi)
{
	*lo ^= clmul256(x, h, 0x00);
	*hi ^= clmul256(x, h, 0x11);
	*mid ^= clmul256(x, h, 0x01) ^ clmul256(x, h, 0x10);
}

static __always_inline v2di fold2(v4di x)
{
	return lane0(x) ^ lane1(x);
}

/* Blocks per iteration: two per ymm register, NREG independent AES chains. */
#define NREG	8
#define GROUP	(2 * NREG)

/*
 * The powers for blocks 2 * @i, 2 * @i + 1 of a run of @m blocks hashed
 * with one reduction: H^(m - 2i), H^(m - 2i - 1) (zeros past H^1).
 */
static __always_inline v4di hpow_at(const struct pqaead_aesgcm_key *k,
				    unsigned int m, unsigned int i)
{
	return ld256(&k->hpow[0][0] + 16 * (PQAEAD_GCM_HPOWS - m + 2 * i));
}

/*
 * The GHASH of the GROUP blocks at @g into @acc, as steps, so that the
 * caller can spread them between AES rounds: steps 1 to NREG multiply one
 * register each (one per round: two per round were 6% slower at 1420
 * bytes, 10% at 8192), step NREG + 1 reduces (round 9 of AES-128's 1-9).
 */
static __always_inline void ghash_step(const struct pqaead_aesgcm_key *k,
				       unsigned int step, const u8 *g,
				       v2di *acc, v4di *lo, v4di *mid,
				       v4di *hi)
{
	const v2di poly = { 1, (s64)0xc200000000000000ULL };
	unsigned int j;
	v2di l, m;
	v4di x;

	if (step <= NREG) {
		j = step - 1;
		x = bswap256(ld256(g + 32 * j));
		if (j == 0)
			x ^= (v4di){ (*acc)[0], (*acc)[1], 0, 0 };
		ghash_mul(x, hpow_at(k, GROUP, j), lo, mid, hi);
	} else if (step == NREG + 1) {
		l = fold2(*lo);
		m = fold2(*mid) ^ (v2di){ l[1], l[0] } ^
		    clmul128(poly, l, 0x01);
		*acc = fold2(*hi) ^ (v2di){ m[1], m[0] } ^
		       clmul128(poly, m, 0x01);
	}
}

/*
 * The AES of @n (at most NREG) registers of counter blocks (byte-reflected
 * counters @ctr, @ctr + 2, ...; GCM's 32-bit big-endian counter is dword 0
 * there and wraps as in inc32()) into @x; @nr and @n compile-time
 * constants so that the loops unroll and the blocks stay in registers;
 * round keys are memory operands. With @gh, the GHASH of the GROUP blocks
 * at @g into @acc runs between the rounds (independent work while the AES
 * latency elapses).
 */
static __always_inline void aes_xn(const struct pqaead_aesgcm_key *k,
				   const unsigned int nr, const unsigned int n,
				   v8su ctr, v4di *x, const bool gh,
				   const u8 *g, v2di *acc)
{
	const v8su two = { 2, 0, 0, 0, 2, 0, 0, 0 };
	v4di rk = ld256(k->rk[0]), lo = { 0 }, mid = { 0 }, hi = { 0 };
	unsigned int r, j;

#pragma GCC unroll 8
	for (j = 0; j < n; j++) {
		x[j] = bswap256((v4di)ctr) ^ rk;
		ctr += two;
	}
#pragma GCC unroll 14
	for (r = 1; r < nr; r++) {
		rk = ld256(k->rk[r]);
#pragma GCC unroll 8
		for (j = 0; j < n; j++)
			x[j] = vaesenc(x[j], rk);
		if (gh && r <= NREG + 1) {
			ghash_step(k, r, g, acc, &lo, &mid, &hi);
			/*
			 * Keep each GHASH step between its AES rounds: GCC
			 * would otherwise sink the GHASH after the last round.
			 */
			__asm__("" : "+x"(lo), "+x"(mid), "+x"(hi), "+x"(*acc));
		}
	}
	rk = ld256(k->rk[nr]);
#pragma GCC unroll 8
	for (j = 0; j < n; j++)
		x[j] = vaesenclast(x[j], rk);
}

/* 32 bytes of 0xff, then zeros: bytes 32 - n.. mask the first n of 32. */
static const u8 tail_ones[64] __aligned(32) = {
	[0 ... 31] = 0xff,
};

/*
 * The tail's @n registers (@n a compile-time constant, @len bytes, all
 * registers but the last whole): AES, XOR, store, and the products with
 * H^m.. added to @lo, @mid, @hi (@acc added to the first block). The last
 * register goes through a zero-padded copy in @buf.
 */
static __always_inline void tail_n(const struct pqaead_aesgcm_key *k,
				   const unsigned int nr, const unsigned int n,
				   v8su ctr, v2di acc, const u8 *src, u8 *dst,
				   size_t len, bool enc, unsigned int m,
				   u8 *buf, v4di *lo, v4di *mid, v4di *hi)
{
	size_t rem = len - 32 * (n - 1);
	v4di x[NREG] = { 0 }, t;
	unsigned int j;

	aes_xn(k, nr, n, ctr, x, false, src, &acc);
#pragma GCC unroll 8
	for (j = 0; j < n; j++) {
		if (j + 1 < n) {
			t = ld256(src + 32 * j);
			x[j] ^= t;
			st256(dst + 32 * j, x[j]);
		} else {
			memset(buf, 0, 32);
			memcpy(buf, src + 32 * j, rem);
			t = ld256(buf);
			x[j] = (x[j] ^ t) & ld256(tail_ones + 32 - rem);
			st256(buf, x[j]);
			memcpy(dst + 32 * j, buf, rem);
		}
		if (enc)
			t = x[j];
		t = bswap256(t);
		if (j == 0)
			t ^= (v4di){ acc[0], acc[1], 0, 0 };
		ghash_mul(t, hpow_at(k, m, j), lo, mid, hi);
	}
}

/*
 * The end of a crypt step: to the products @lo, @mid, @hi of the tail
 * (powers H^m..), the last whole group @g of encryption (@acc added to its
 * first block, powers H^(m + GROUP)..), else @acc times H^m when @pend (it
 * is not in a product yet), and with @fin the length block @lenblk times
 * H^1; one reduction.
 */
static __always_inline v2di finish(const struct pqaead_aesgcm_key *k,
				   v2di acc, bool pend, const u8 *g,
				   unsigned int m, bool fin, v2di lenblk,
				   v4di lo, v4di mid, v4di hi)
{
	unsigned int j;
	v4di t;

	if (g) {
#pragma GCC unroll 8
		for (j = 0; j < NREG; j++) {
			t = bswap256(ld256(g + 32 * j));
			if (j == 0)
				t ^= (v4di){ acc[0], acc[1], 0, 0 };
			ghash_mul(t, hpow_at(k, m + GROUP, j), &lo, &mid, &hi);
		}
	} else if (pend) {
		ghash_mul((v4di){ acc[0], acc[1], 0, 0 }, hpow_at(k, m, 0),
			  &lo, &mid, &hi);
	}
	if (fin)
		ghash_mul((v4di){ lenblk[0], lenblk[1], 0, 0 },
			  hpow_at(k, 1, 0), &lo, &mid, &hi);
	return ghash_reduce(fold2(lo), fold2(mid), fold2(hi));
}

/* finish() after whole groups, on the tail's products @p. */
static noinline v2di gcm_finish(const struct pqaead_aesgcm_key *k, v2di acc,
				bool pend, const u8 *g, unsigned int m,
				bool fin, v2di lenblk, const v4di *p)
{
	return finish(k, acc, pend, g, m, fin, lenblk, p[0], p[1], p[2]);
}

/*
 * The tail (@len under GROUP * 16 bytes, counters from @ctr) on only the
 * registers it needs: CTR, and the products of its blocks with H^m.. (@acc
 * added to the first). @alone (no whole groups): then finish() and the
 * GHASH returned; else the products stored in @p (unreduced lo, mid, hi).
 */
static __always_inline v2di gcm_tail_nr(const struct pqaead_aesgcm_key *k,
					const unsigned int nr, v8su ctr,
					v2di acc, const u8 *src, u8 *dst,
					size_t len, bool enc, unsigned int m,
					bool alone, bool fin, v2di lenblk,
					v4di *p)
{
	v4di lo = { 0 }, mid = { 0 }, hi = { 0 };
	u8 buf[32] __aligned(32);

	switch ((len + 31) / 32) {
	case 1:
		tail_n(k, nr, 1, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	case 2:
		tail_n(k, nr, 2, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	case 3:
		tail_n(k, nr, 3, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
#if NREG > 4
	case 4:
		tail_n(k, nr, 4, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	case 5:
		tail_n(k, nr, 5, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	case 6:
		tail_n(k, nr, 6, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	case 7:
		tail_n(k, nr, 7, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
	default:
		tail_n(k, nr, 8, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
#else
	default:
		tail_n(k, nr, 4, ctr, acc, src, dst, len, enc, m, buf, &lo, &mid,
		       &hi);
		break;
#endif
	}
	memzero_explicit(buf, sizeof(buf));
	if (alone)
		return finish(k, acc, false, NULL, m, fin, lenblk, lo, mid,
			      hi);
	p[0] = lo;
	p[1] = mid;
	p[2] = hi;
	return acc;
}

/* gcm_tail_nr() for the key's rounds: its own frame (the copy). */
static noinline v2di gcm_tail(const struct pqaead_aesgcm_key *k, v8su ctr,
			      v2di acc, const u8 *src, u8 *dst, size_t len,
			      bool enc, unsigned int m, bool alone, bool fin,
			      v2di lenblk, v4di *p)
{
	switch (k->rounds) {
	case 10:
		return gcm_tail_nr(k, 10, ctr, acc, src, dst, len, enc, m,
				   alone, fin, lenblk, p);
	case 12:
		return gcm_tail_nr(k, 12, ctr, acc, src, dst, len, enc, m,
				   alone, fin, lenblk, p);
	default:
		return gcm_tail_nr(k, 14, ctr, acc, src, dst, len, enc, m,
				   alone, fin, lenblk, p);
	}
}

/* A message shorter than a group: the tail as in gcm_tail(), then finish(). */
static __always_inline v2di gcm_only_nr(const struct pqaead_aesgcm_key *k,
					const unsigned int nr, v8su ctr,
					v2di acc, const u8 *src, u8 *dst,
					size_t len, bool enc, bool fin,
					v2di lenblk)
{
	unsigned int nb = (len + 15) / 16, m = nb + fin;
	v4di lo = { 0 }, mid = { 0 }, hi = { 0 };
	u8 buf[32] __aligned(32);

	switch ((nb + 1) / 2) {
	case 0:
		break;
	case 1:
		tail_n(k, nr, 1, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	case 2:
		tail_n(k, nr, 2, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	case 3:
		tail_n(k, nr, 3, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
#if NREG > 4
	case 4:
		tail_n(k, nr, 4, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	case 5:
		tail_n(k, nr, 5, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	case 6:
		tail_n(k, nr, 6, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	case 7:
		tail_n(k, nr, 7, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
	default:
		tail_n(k, nr, 8, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
#else
	default:
		tail_n(k, nr, 4, ctr, acc, src, dst, len, enc, m, buf, &lo,
		       &mid, &hi);
		break;
#endif
	}
	if (nb) {
		memzero_explicit(buf, sizeof(buf));
		acc = (v2di){ 0, 0 };
	}
	if (fin) {
		lenblk ^= acc;
		ghash_mul((v4di){ lenblk[0], lenblk[1], 0, 0 },
			  hpow_at(k, 1, 0), &lo, &mid, &hi);
	}
	return ghash_reduce(fold2(lo), fold2(mid), fold2(hi));
}

/* gcm_only_nr() for the key's rounds. */
static noinline v2di gcm_only(const struct pqaead_aesgcm_key *k, v8su ctr,
			      v2di acc, const u8 *src, u8 *dst, size_t len,
			      bool enc, bool fin, v2di lenblk)
{
	switch (k->rounds) {
	case 10:
		return gcm_only_nr(k, 10, ctr, acc, src, dst, len, enc, fin,
				   lenblk);
	case 12:
		return gcm_only_nr(k, 12, ctr, acc, src, dst, len, enc, fin,
				   lenblk);
	default:
		return gcm_only_nr(k, 14, ctr, acc, src, dst, len, enc, fin,
				   lenblk);
	}
}

/*
 * CTR and GHASH, @nr rounds: GROUP blocks per iteration. Encryption hashes
 * each group's ciphertext (read back from @dst) during the AES rounds of
 * the next group, decryption hashes each group's ciphertext during its own
 * AES rounds (read before @dst, which may be @src, is written). A tail
 * after whole groups goes first (gcm_tail(), its AES independent of the
 * loop, so that the CPU overlaps the two: no AES latency left at the end),
 * a message shorter than a group has only the tail; then gcm_finish().
 */
static __always_inline v2di gcm_crypt_nr(const struct pqaead_aesgcm_key *k,
					 const unsigned int nr, v2di j0r,
					 v2di acc, const u8 *src, u8 *dst,
					 size_t len, bool enc, bool fin,
					 v2di lenblk)
{
	/* lanes: counters 2 and 3 (J0 holds 1), unsigned: inc32() wraps */
	v8su ctr = (v8su)(v4di){ j0r[0], j0r[1], j0r[0], j0r[1] } +
		   (v8su){ 1, 0, 0, 0, 2, 0, 0, 0 };
	const v8su group = { GROUP, 0, 0, 0, GROUP, 0, 0, 0 };
	size_t whole = len & ~(size_t)(GROUP * 16 - 1), rem = len - whole;
	unsigned int j, m = (unsigned int)(rem + 15) / 16 + fin;
	u32 nw = (u32)(whole / 16);
	v4di x[NREG], p[3] = { 0 };
	bool full = false;

	if (rem && !whole)
		return gcm_only(k, ctr, acc, src, dst, rem, enc, fin, lenblk);
	if (rem) {
		/* the tail first, @acc not in it */
		gcm_tail(k, ctr + (v8su){ nw, 0, 0, 0, nw, 0, 0, 0 },
			 (v2di){ 0, 0 }, src + whole, dst + whole, rem, enc,
			 m, false, fin, lenblk, p);
	}
	if (whole && enc) {
		/* the first group: AES only, GHASH with the next */
		aes_xn(k, nr, NREG, ctr, x, false, dst, &acc);
		ctr += group;
		for (;;) {
#pragma GCC unroll 8
			for (j = 0; j < NREG; j++)
				st256(dst + 32 * j, x[j] ^ ld256(src + 32 * j));
			src += GROUP * 16;
			dst += GROUP * 16;
			whole -= GROUP * 16;
			if (!whole)
				break;
			aes_xn(k, nr, NREG, ctr, x, true, dst - GROUP * 16,
			       &acc);
			ctr += group;
		}
		full = true;
	}
	for (; whole && !enc; whole -= GROUP * 16) {
		aes_xn(k, nr, NREG, ctr, x, true, src, &acc);
		ctr += group;
#pragma GCC unroll 8
		for (j = 0; j < NREG; j++)
			st256(dst + 32 * j, x[j] ^ ld256(src + 32 * j));
		src += GROUP * 16;
		dst += GROUP * 16;
	}
	if (!m && !full)
		return acc;
	return gcm_finish(k, acc, true, full ? dst - GROUP * 16 : NULL, m,
			  fin, lenblk, p);
}

/*
 * CTR and GHASH over the message; @enc: GHASH the output, else the input;
 * @fin: the last call, GHASH @lenblk too.
 */
static v2di gcm_crypt(const struct pqaead_aesgcm_key *k, v2di j0r, v2di acc,
		      const u8 *src, u8 *dst, size_t len, bool enc, bool fin,
		      v2di lenblk)
{
	switch (k->rounds) {
	case 10:
		return gcm_crypt_nr(k, 10, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	case 12:
		return gcm_crypt_nr(k, 12, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	default:
		return gcm_crypt_nr(k, 14, j0r, acc, src, dst, len, enc, fin,
				    lenblk);
	}
}

/* The variant's crypt step on the state. */
static __always_inline void gcm_step(struct pqaead_aesgcm_state *s,
				     const struct pqaead_aesgcm_key *k,
				     const u8 *src, u8 *dst, size_t len,
				     bool enc)
{
	v2di acc = gcm_flush_aad(s, k);

	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc, false,
			(v2di){ 0, 0 });
	gcm_advance(s, acc, len);
}

/*
 * A whole message: E_K(J0) first (independent of the rest), the length
 * block hashed with the tail. Leaves the tag in @tag; wipes the state.
 */
static __always_inline void gcm_oneshot(struct pqaead_aesgcm_state *s,
					const struct pqaead_aesgcm_key *k,
					const u8 *aad, size_t aadlen,
					const u8 *src, u8 *dst, size_t len,
					bool enc, u8 tag[16])
{
	v2di ekj0 = aes_block(k, ld128(s->j0)), acc;

	gcm_aad(s, k, aad, aadlen);
	acc = gcm_flush_aad(s, k);
	s->len = len;
	acc = gcm_crypt(k, gcm_ctr_base(s), acc, src, dst, len, enc, true,
			gcm_lenblock(s));
	gcm_tag(s, acc, ekj0, tag);
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
	gcm_oneshot(&s, k, aad, aadlen, src, dst, len, true, tag);
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
	u8 want[16];
	int ret;

	if (taglen < 4 || taglen > 16)
		return -EINVAL;
	pqaead_aesgcm_init(&s, iv);
	gcm_oneshot(&s, k, aad, aadlen, src, dst, len, false, want);
	ret = gcm_cmp(want, tag, taglen);
	memzero_explicit(want, sizeof(want));
	return ret;
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

#endif /* !__CHECKER__ */
