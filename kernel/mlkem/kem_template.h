/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The protocol code of FIPS 203 - K-PKE (Algorithms 13 to 15) and
 * ML-KEM's KeyGen_internal, Encaps_internal and Decaps_internal (16 to
 * 18) - written once and compiled by each backend (kem_generic.c,
 * kem_avx2.c, ...), which first defines:
 *
 *   MLKEM_BACKEND                  its name: the entry points are
 *                                  mlkem_{keygen,encaps,decaps}_<name>
 *   MLKEM_SAMPLE(b, ws)            runs a struct mlkem_batch
 *   MLKEM_F1600                    a Keccak-f[1600] of one state, for G
 *                                  and the H of key generation
 *   MLKEM_NTT, MLKEM_INVNTT, MLKEM_BASEMUL_ACC
 *   MLKEM_REDUCE, MLKEM_TOMONT, MLKEM_ADD, MLKEM_SUB, MLKEM_TOBYTES,
 *   MLKEM_FROMBYTES, MLKEM_FROMBYTES_CHECK, MLKEM_COMPRESS,
 *   MLKEM_DECOMPRESS, MLKEM_FROMMSG, MLKEM_TOMSG
 *                                  functions with the signatures and
 *                                  results of their portable twins in
 *                                  poly.h
 *
 * Keccak work is grouped so that a vector backend can run independent
 * hashes side by side (impl.h): the matrix, the noise and the long hashes
 * H(ek) and J(z || c) each go into one batch where the data flow allows.
 * G is one permutation and stays scalar.
 *
 * Secrets stay in the workspace; mlkem.c wipes it after every operation.
 */
#include "impl.h"

/* The MemorySanitizer constant-time build wraps the functions named above. */
#ifdef MLKEM_CT_MSAN
#include "ct-msan-template.h"	/* user/tests/ */
#endif

#define MLKEM_CAT2(a, b)	a##_##b
#define MLKEM_CAT(a, b)		MLKEM_CAT2(a, b)
#define MLKEM_ENTRY(f)		MLKEM_CAT(f, MLKEM_BACKEND)

/* Offsets inside dk = dk_pke || ek || H(ek) || z. */
static __always_inline const u8 *mlkem_t_dk_ek(const struct mlkem_params *p,
					       const u8 *dk)
{
	return dk + p->k * MLKEM_POLYBYTES;
}

static __always_inline const u8 *mlkem_t_dk_h(const struct mlkem_params *p,
					      const u8 *dk)
{
	return dk + p->k * MLKEM_POLYBYTES + p->ek_len;
}

/* G (SHA3-512) and H (SHA3-256) on the backend's permutation */
static void mlkem_t_g(u8 out[64], const u8 *in, size_t len)
{
	mlkem_keccak_hash(out, 64, in, len, MLKEM_SHA3_512_RATE,
			  MLKEM_KECCAK_DS_SHA3, MLKEM_F1600);
}

static void mlkem_t_h(u8 out[32], const u8 *in, size_t len)
{
	mlkem_keccak_hash(out, 32, in, len, MLKEM_SHA3_256_RATE,
			  MLKEM_KECCAK_DS_SHA3, MLKEM_F1600);
}

/* Returns 0xff if a[0..len) differs from b[0..len), else 0; no branches. */
static u8 mlkem_t_neq_mask(const u8 *a, const u8 *b, size_t len)
{
	u32 diff = 0;
	size_t i;
	u8 mask;

	for (i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	mask = (u8)(0U - ((diff + 0xff) >> 8));
	mlkem_value_barrier(mask);
	return mask;
}

/* The noise of K-PKE.Encrypt: r (eta1), e1, e2 (eta2) with seed @r. */
static void mlkem_t_encrypt_noise(const struct mlkem_params *p,
				  struct mlkem_batch *b, const u8 *r,
				  struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;

	b->seed = r;
	b->nnoise = 2 * k + 1;
	b->neta1 = k;
	b->eta1 = p->eta1;
	b->eta2 = p->eta2;
	for (i = 0; i < k; i++) {
		b->noise[i] = &ws->s[i];
		b->noise[k + i] = &ws->e[i];
	}
	b->noise[2 * k] = &ws->w;
}

/*
 * K-PKE.Encrypt after its sampling: A^T in ws->a, t in ws->t, r, e1, e2 in
 * ws->s, ws->e, ws->w (not yet in the NTT domain). Writes the ciphertext.
 */
static void mlkem_t_encrypt(const struct mlkem_params *p, u8 *ct,
			    const u8 m[MLKEM_SYMBYTES], struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;
	unsigned int ubytes = MLKEM_N / 8 * p->du;

	for (i = 0; i < k; i++)
		MLKEM_NTT(&ws->s[i]);

	/* u = NTT^-1(A^T o r) + e1 */
	for (i = 0; i < k; i++) {
		MLKEM_BASEMUL_ACC(&ws->v, &ws->a[i * k], ws->s, k);
		MLKEM_INVNTT(&ws->v);
		MLKEM_ADD(&ws->e[i], &ws->v);
		MLKEM_REDUCE(&ws->e[i]);
		MLKEM_COMPRESS(ct + i * ubytes, &ws->e[i], p->du);
	}
	/* v = NTT^-1(t o r) + e2 + Decompress_1(m) */
	MLKEM_BASEMUL_ACC(&ws->v, ws->t, ws->s, k);
	MLKEM_INVNTT(&ws->v);
	MLKEM_ADD(&ws->v, &ws->w);
	MLKEM_FROMMSG(&ws->m, m);
	MLKEM_ADD(&ws->v, &ws->m);
	MLKEM_REDUCE(&ws->v);
	MLKEM_COMPRESS(ct + k * ubytes, &ws->v, p->dv);
}

/* K-PKE.Decrypt(dk_pke, c): writes the 32-byte message. */
static void mlkem_t_decrypt(const struct mlkem_params *p,
			    u8 m[MLKEM_SYMBYTES], const u8 *ct,
			    const u8 *dk_pke, struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;
	unsigned int ubytes = MLKEM_N / 8 * p->du;

	for (i = 0; i < k; i++) {
		MLKEM_DECOMPRESS(&ws->t[i], ct + i * ubytes, p->du);
		MLKEM_NTT(&ws->t[i]);
		MLKEM_FROMBYTES(&ws->s[i], dk_pke + i * MLKEM_POLYBYTES);
	}
	MLKEM_DECOMPRESS(&ws->v, ct + k * ubytes, p->dv);

	/* w = v - NTT^-1(s o NTT(u)) */
	MLKEM_BASEMUL_ACC(&ws->w, ws->s, ws->t, k);
	MLKEM_INVNTT(&ws->w);
	MLKEM_SUB(&ws->w, &ws->v, &ws->w);
	MLKEM_REDUCE(&ws->w);
	MLKEM_TOMSG(m, &ws->w);
}

/* ML-KEM.KeyGen_internal(d, z) (FIPS 203 Algorithm 16 with 13). */
int MLKEM_ENTRY(mlkem_keygen)(const struct mlkem_params *p, u8 *ek, u8 *dk,
			      const u8 *d, const u8 *z, struct mlkem_ws *ws)
{
	unsigned int i, k = p->k, off = k * MLKEM_POLYBYTES;
	u8 *rho = ws->seeds, *sigma = ws->seeds + MLKEM_SYMBYTES;
	struct mlkem_batch b = { 0 };
	u8 in[MLKEM_SYMBYTES + 1];

	/* (rho, sigma) = G(d || k) */
	memcpy(in, d, MLKEM_SYMBYTES);
	in[MLKEM_SYMBYTES] = (u8)k;
	mlkem_t_g(ws->seeds, in, sizeof(in));
	memzero_explicit(in, sizeof(in));

	/* A; s, e with nonces 0 .. 2k - 1 */
	mlkem_ct_declassify(rho, MLKEM_SYMBYTES);
	b.rho = rho;
	b.k = k;
	b.seed = sigma;
	b.nnoise = 2 * k;
	b.neta1 = 2 * k;
	b.eta1 = p->eta1;
	for (i = 0; i < k; i++) {
		b.noise[i] = &ws->s[i];
		b.noise[k + i] = &ws->e[i];
	}
	MLKEM_SAMPLE(&b, ws);

	for (i = 0; i < k; i++) {
		MLKEM_NTT(&ws->s[i]);
		MLKEM_NTT(&ws->e[i]);
	}
	/* t = A o s + e */
	for (i = 0; i < k; i++) {
		MLKEM_BASEMUL_ACC(&ws->t[i], &ws->a[i * k], ws->s, k);
		MLKEM_TOMONT(&ws->t[i]);
		MLKEM_ADD(&ws->t[i], &ws->e[i]);
		MLKEM_REDUCE(&ws->t[i]);
		MLKEM_TOBYTES(ek + i * MLKEM_POLYBYTES, &ws->t[i]);
		MLKEM_TOBYTES(dk + i * MLKEM_POLYBYTES, &ws->s[i]);
	}
	memcpy(ek + off, rho, MLKEM_SYMBYTES);

	/* dk = dk_pke || ek || H(ek) || z */
	memcpy(dk + off, ek, p->ek_len);
	off += p->ek_len;
	mlkem_t_h(dk + off, ek, p->ek_len);
	off += MLKEM_SYMBYTES;
	memcpy(dk + off, z, MLKEM_SYMBYTES);
	return 0;
}

/* ML-KEM.Encaps_internal(ek, m) (FIPS 203 Algorithm 17 with 14). */
int MLKEM_ENTRY(mlkem_encaps)(const struct mlkem_params *p, u8 *ct, u8 *ss,
			      const u8 *ek, const u8 *m, struct mlkem_ws *ws)
{
	u8 *mh = ws->seeds, *kr = ws->seeds + 2 * MLKEM_SYMBYTES;
	unsigned int i, k = p->k;
	struct mlkem_batch b = { 0 };
	s16 bad = 0;

	/* 7.2 modulus check; t = ByteDecode12(ek) */
	for (i = 0; i < k; i++)
		bad |= MLKEM_FROMBYTES_CHECK(&ws->t[i],
					     ek + i * MLKEM_POLYBYTES);
	if (bad)
		return -EINVAL;

	/* A^T and H(ek), side by side */
	b.rho = ek + k * MLKEM_POLYBYTES;
	b.k = k;
	b.transposed = 1;
	b.nhash = 1;
	b.hash[0].out = mh + MLKEM_SYMBYTES;
	b.hash[0].in[0] = ek;
	b.hash[0].len[0] = p->ek_len;
	b.hash[0].ds = MLKEM_KECCAK_DS_SHA3;
	MLKEM_SAMPLE(&b, ws);

	/* (K, r) = G(m || H(ek)); r, e1, e2 */
	memcpy(mh, m, MLKEM_SYMBYTES);
	mlkem_t_g(kr, mh, 2 * MLKEM_SYMBYTES);
	memset(&b, 0, sizeof(b));
	mlkem_t_encrypt_noise(p, &b, kr + MLKEM_SYMBYTES, ws);
	MLKEM_SAMPLE(&b, ws);

	mlkem_t_encrypt(p, ct, m, ws);
	memcpy(ss, kr, MLKEM_SSBYTES);
	return 0;
}

/*
 * ML-KEM.Decaps_internal(dk, c) (FIPS 203 Algorithm 18 with 15 and 14),
 * with the 7.3 hash check of @dk when @check.
 */
int MLKEM_ENTRY(mlkem_decaps)(const struct mlkem_params *p, u8 *ss,
			      const u8 *ct, const u8 *dk, bool check,
			      struct mlkem_ws *ws)
{
	u8 *mh = ws->seeds, *kr = ws->seeds + 2 * MLKEM_SYMBYTES;
	const u8 *ek = mlkem_t_dk_ek(p, dk), *h = mlkem_t_dk_h(p, dk);
	u8 kbar[MLKEM_SSBYTES], hek[MLKEM_SYMBYTES];
	unsigned int i, k = p->k;
	struct mlkem_batch b = { 0 };
	u8 mask, bad = 0;

	/* m' = Decrypt(dk_pke, c); (K', r') = G(m' || h) */
	mlkem_t_decrypt(p, mh, ct, dk, ws);
	memcpy(mh + MLKEM_SYMBYTES, h, MLKEM_SYMBYTES);
	mlkem_t_g(kr, mh, 2 * MLKEM_SYMBYTES);

	/* A^T; r', e1, e2; K_bar = J(z || c); H(ek) for the check */
	b.rho = ek + k * MLKEM_POLYBYTES;
	b.k = k;
	b.transposed = 1;
	mlkem_t_encrypt_noise(p, &b, kr + MLKEM_SYMBYTES, ws);
	b.hash[0].out = kbar;
	b.hash[0].in[0] = h + MLKEM_SYMBYTES;
	b.hash[0].len[0] = MLKEM_SYMBYTES;
	b.hash[0].in[1] = ct;
	b.hash[0].len[1] = p->ct_len;
	b.hash[0].ds = MLKEM_KECCAK_DS_SHAKE;
	b.nhash = 1;
	if (check) {
		b.hash[1].out = hek;
		b.hash[1].in[0] = ek;
		b.hash[1].len[0] = p->ek_len;
		b.hash[1].ds = MLKEM_KECCAK_DS_SHA3;
		b.nhash = 2;
	}
	MLKEM_SAMPLE(&b, ws);

	if (check) {
		bad = mlkem_t_neq_mask(hek, h, MLKEM_SYMBYTES);
		/* Whether a key is well formed is not a secret. */
		mlkem_ct_declassify(&bad, sizeof(bad));
	}

	/* c' = Encrypt(ek, m', r'); K = (c == c') ? K' : K_bar */
	for (i = 0; i < k; i++)
		MLKEM_FROMBYTES(&ws->t[i], ek + i * MLKEM_POLYBYTES);
	mlkem_t_encrypt(p, ws->buf, mh, ws);
	mask = mlkem_t_neq_mask(ct, ws->buf, p->ct_len);
	if (!bad) {
		for (i = 0; i < MLKEM_SSBYTES; i++)
			ss[i] = kr[i] ^ (mask & (kr[i] ^ kbar[i]));
	}
	memzero_explicit(kbar, sizeof(kbar));
	memzero_explicit(hek, sizeof(hek));
	return bad ? -EINVAL : 0;
}
