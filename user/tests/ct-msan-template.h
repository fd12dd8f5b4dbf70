/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * For the MemorySanitizer constant-time check only (user/tests/ct-msan.c):
 * kernel/mlkem/kem_template.h includes this when MLKEM_CT_MSAN is defined,
 * after the backend has named its functions (MLKEM_NTT, ...). Each of
 * them is wrapped: when any bit of its input is secret, its whole output
 * is made secret after the call (and an output with any secret bit is
 * made wholly secret), as memcheck's pessimistic propagation would have
 * it.
 *
 * Why: MSan's taint propagation is bit-exact but ignores carries and the
 * high half of products. A coefficient whose low bits only are secret (as
 * SamplePolyCBD and ByteDecode_12 leave them) loses its taint in a
 * Montgomery reduction (x >> 16 of a product), and Compress_d
 * (x * constant >> 32) drops it altogether; from there on a leak would go
 * unreported (measured: a secret table index at the end of the inverse
 * NTT in Encaps, and an early-exit loop in the ciphertext comparison of
 * Decaps_internal, were missed without this and are reported with it).
 * memcheck smears undefinedness leftward through additions and
 * multiplications by itself. The rule is conservative: it can only make
 * more data secret. The functions themselves still run on MSan's exact
 * propagation between their input and their output.
 */
#ifndef _PQREKEY_CT_MSAN_TEMPLATE_H
#define _PQREKEY_CT_MSAN_TEMPLATE_H

#include <sanitizer/msan_interface.h>

/* Whether any bit of p[0..n) is secret. */
static inline bool ct_msan_secret(const void *p, size_t n)
{
	return __msan_test_shadow(p, n) >= 0;
}

/* Makes p[0..n) wholly secret if @secret or if any bit of it is. */
static inline void ct_msan_taint(bool secret, const void *p, size_t n)
{
	if (secret || ct_msan_secret(p, n))
		__msan_poison(p, n);
}

#define CT_PS			sizeof(struct mlkem_poly)
#define CT_SECRET_POLY(r)	ct_msan_secret((r), CT_PS)

static inline void ct_msan_sample(const struct mlkem_batch *b,
				  struct mlkem_ws *ws)
{
	bool seed = b->nnoise && ct_msan_secret(b->seed, MLKEM_SYMBYTES);
	bool hash[MLKEM_MAX_HASHES] = { false };
	unsigned int i;

	for (i = 0; i < b->nhash; i++)
		hash[i] = ct_msan_secret(b->hash[i].in[0], b->hash[i].len[0]) ||
			  (b->hash[i].len[1] &&
			   ct_msan_secret(b->hash[i].in[1], b->hash[i].len[1]));
	MLKEM_SAMPLE(b, ws);
	for (i = 0; i < b->nnoise; i++)
		ct_msan_taint(seed, b->noise[i], CT_PS);
	for (i = 0; i < b->nhash; i++)
		ct_msan_taint(hash[i], b->hash[i].out, MLKEM_SYMBYTES);
}

static inline void ct_msan_ntt(struct mlkem_poly *r)
{
	bool s = CT_SECRET_POLY(r);

	MLKEM_NTT(r);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_invntt(struct mlkem_poly *r)
{
	bool s = CT_SECRET_POLY(r);

	MLKEM_INVNTT(r);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_basemul_acc(struct mlkem_poly *r,
				       const struct mlkem_poly *a,
				       const struct mlkem_poly *b,
				       unsigned int k)
{
	bool s = false;
	unsigned int i;

	for (i = 0; i < k; i++)
		s = s || CT_SECRET_POLY(&a[i]) || CT_SECRET_POLY(&b[i]);
	MLKEM_BASEMUL_ACC(r, a, b, k);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_reduce(struct mlkem_poly *r)
{
	bool s = CT_SECRET_POLY(r);

	MLKEM_REDUCE(r);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_tomont(struct mlkem_poly *r)
{
	bool s = CT_SECRET_POLY(r);

	MLKEM_TOMONT(r);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_add(struct mlkem_poly *r,
			       const struct mlkem_poly *b)
{
	bool s = CT_SECRET_POLY(r) || CT_SECRET_POLY(b);

	MLKEM_ADD(r, b);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_sub(struct mlkem_poly *r,
			       const struct mlkem_poly *a,
			       const struct mlkem_poly *b)
{
	bool s = CT_SECRET_POLY(a) || CT_SECRET_POLY(b);

	MLKEM_SUB(r, a, b);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_tobytes(u8 *r, const struct mlkem_poly *a)
{
	bool s = CT_SECRET_POLY(a);

	MLKEM_TOBYTES(r, a);
	ct_msan_taint(s, r, MLKEM_POLYBYTES);
}

static inline void ct_msan_frombytes(struct mlkem_poly *r, const u8 *a)
{
	bool s = ct_msan_secret(a, MLKEM_POLYBYTES);

	MLKEM_FROMBYTES(r, a);
	ct_msan_taint(s, r, CT_PS);
}

static inline s16 ct_msan_frombytes_check(struct mlkem_poly *r, const u8 *a)
{
	bool s = ct_msan_secret(a, MLKEM_POLYBYTES);
	s16 bad = MLKEM_FROMBYTES_CHECK(r, a);

	ct_msan_taint(s, r, CT_PS);
	ct_msan_taint(s, &bad, sizeof(bad));
	return bad;
}

static inline void ct_msan_compress(u8 *r, const struct mlkem_poly *a,
				    unsigned int d)
{
	bool s = CT_SECRET_POLY(a);

	MLKEM_COMPRESS(r, a, d);
	ct_msan_taint(s, r, MLKEM_N / 8 * d);
}

static inline void ct_msan_decompress(struct mlkem_poly *r, const u8 *a,
				      unsigned int d)
{
	bool s = ct_msan_secret(a, MLKEM_N / 8 * d);

	MLKEM_DECOMPRESS(r, a, d);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_frommsg(struct mlkem_poly *r, const u8 *msg)
{
	bool s = ct_msan_secret(msg, MLKEM_SYMBYTES);

	MLKEM_FROMMSG(r, msg);
	ct_msan_taint(s, r, CT_PS);
}

static inline void ct_msan_tomsg(u8 *msg, const struct mlkem_poly *a)
{
	bool s = CT_SECRET_POLY(a);

	MLKEM_TOMSG(msg, a);
	ct_msan_taint(s, msg, MLKEM_SYMBYTES);
}

#undef MLKEM_SAMPLE
#undef MLKEM_NTT
#undef MLKEM_INVNTT
#undef MLKEM_BASEMUL_ACC
#undef MLKEM_REDUCE
#undef MLKEM_TOMONT
#undef MLKEM_ADD
#undef MLKEM_SUB
#undef MLKEM_TOBYTES
#undef MLKEM_FROMBYTES
#undef MLKEM_FROMBYTES_CHECK
#undef MLKEM_COMPRESS
#undef MLKEM_DECOMPRESS
#undef MLKEM_FROMMSG
#undef MLKEM_TOMSG
#define MLKEM_SAMPLE		ct_msan_sample
#define MLKEM_NTT		ct_msan_ntt
#define MLKEM_INVNTT		ct_msan_invntt
#define MLKEM_BASEMUL_ACC	ct_msan_basemul_acc
#define MLKEM_REDUCE		ct_msan_reduce
#define MLKEM_TOMONT		ct_msan_tomont
#define MLKEM_ADD		ct_msan_add
#define MLKEM_SUB		ct_msan_sub
#define MLKEM_TOBYTES		ct_msan_tobytes
#define MLKEM_FROMBYTES		ct_msan_frombytes
#define MLKEM_FROMBYTES_CHECK	ct_msan_frombytes_check
#define MLKEM_COMPRESS		ct_msan_compress
#define MLKEM_DECOMPRESS	ct_msan_decompress
#define MLKEM_FROMMSG		ct_msan_frommsg
#define MLKEM_TOMSG		ct_msan_tomsg

#endif /* _PQREKEY_CT_MSAN_TEMPLATE_H */
