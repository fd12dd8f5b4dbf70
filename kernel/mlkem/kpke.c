// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * K-PKE (FIPS 203 Algorithms 13, 14, 15) on top of the polynomial
 * interface of poly.h. Secrets stay in the workspace; the callers in
 * mlkem.c wipe it.
 */
#include "kpke.h"
#include "poly.h"

/* K-PKE.KeyGen(d): writes ek (384 k + 32 bytes) and dk_pke (384 k bytes). */
void mlkem_kpke_keygen(const struct mlkem_params *p, u8 *ek, u8 *dk_pke,
		       const u8 d[MLKEM_SYMBYTES], struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;
	u8 *rho = ws->seeds, *sigma = ws->seeds + MLKEM_SYMBYTES;
	u8 in[MLKEM_SYMBYTES + 1];

	/* (rho, sigma) = G(d || k) */
	memcpy(in, d, MLKEM_SYMBYTES);
	in[MLKEM_SYMBYTES] = (u8)k;
	mlkem_sha3_512(ws->seeds, in, sizeof(in));
	memzero_explicit(in, sizeof(in));

	mlkem_gen_matrix(ws->a, rho, k, 0, ws);
	for (i = 0; i < k; i++) {
		mlkem_poly_getnoise(&ws->s[i], sigma, (u8)i, p->eta1);
		mlkem_poly_ntt(&ws->s[i]);
	}
	for (i = 0; i < k; i++) {
		mlkem_poly_getnoise(&ws->e[i], sigma, (u8)(k + i), p->eta1);
		mlkem_poly_ntt(&ws->e[i]);
	}
	for (i = 0; i < k; i++) {
		mlkem_polyvec_basemul_acc(&ws->t[i], &ws->a[i * k], ws->s, k);
		mlkem_poly_tomont(&ws->t[i]);
		mlkem_poly_add(&ws->t[i], &ws->e[i]);
		mlkem_poly_reduce(&ws->t[i]);
	}
	for (i = 0; i < k; i++) {
		mlkem_poly_tobytes(ek + i * MLKEM_POLYBYTES, &ws->t[i]);
		mlkem_poly_tobytes(dk_pke + i * MLKEM_POLYBYTES, &ws->s[i]);
	}
	memcpy(ek + k * MLKEM_POLYBYTES, rho, MLKEM_SYMBYTES);
}

/* K-PKE.Encrypt(ek, m, r): writes the ciphertext (p->ct_len bytes). */
void mlkem_kpke_encrypt(const struct mlkem_params *p, u8 *ct, const u8 *ek,
			const u8 m[MLKEM_SYMBYTES],
			const u8 r[MLKEM_SYMBYTES], struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;
	unsigned int ubytes = MLKEM_N / 8 * p->du;

	for (i = 0; i < k; i++)
		mlkem_poly_frombytes(&ws->t[i], ek + i * MLKEM_POLYBYTES);
	mlkem_gen_matrix(ws->a, ek + k * MLKEM_POLYBYTES, k, 1, ws);

	for (i = 0; i < k; i++) {
		mlkem_poly_getnoise(&ws->s[i], r, (u8)i, p->eta1);
		mlkem_poly_ntt(&ws->s[i]);
	}
	for (i = 0; i < k; i++)
		mlkem_poly_getnoise(&ws->e[i], r, (u8)(k + i), p->eta2);
	mlkem_poly_getnoise(&ws->w, r, (u8)(2 * k), p->eta2);

	/* u = NTT^-1(A^T o r) + e1, kept in ws->e */
	for (i = 0; i < k; i++) {
		mlkem_polyvec_basemul_acc(&ws->v, &ws->a[i * k], ws->s, k);
		mlkem_poly_invntt_tomont(&ws->v);
		mlkem_poly_add(&ws->e[i], &ws->v);
		mlkem_poly_reduce(&ws->e[i]);
	}
	/* v = NTT^-1(t o r) + e2 + Decompress_1(m) */
	mlkem_polyvec_basemul_acc(&ws->v, ws->t, ws->s, k);
	mlkem_poly_invntt_tomont(&ws->v);
	mlkem_poly_add(&ws->v, &ws->w);
	mlkem_poly_frommsg(&ws->m, m);
	mlkem_poly_add(&ws->v, &ws->m);
	mlkem_poly_reduce(&ws->v);

	for (i = 0; i < k; i++)
		mlkem_poly_compress(ct + i * ubytes, &ws->e[i], p->du);
	mlkem_poly_compress(ct + k * ubytes, &ws->v, p->dv);
}

/* K-PKE.Decrypt(dk_pke, c): writes the 32-byte message. */
void mlkem_kpke_decrypt(const struct mlkem_params *p,
			u8 m[MLKEM_SYMBYTES], const u8 *ct,
			const u8 *dk_pke, struct mlkem_ws *ws)
{
	unsigned int i, k = p->k;
	unsigned int ubytes = MLKEM_N / 8 * p->du;

	for (i = 0; i < k; i++) {
		mlkem_poly_decompress(&ws->t[i], ct + i * ubytes, p->du);
		mlkem_poly_ntt(&ws->t[i]);
		mlkem_poly_frombytes(&ws->s[i], dk_pke + i * MLKEM_POLYBYTES);
	}
	mlkem_poly_decompress(&ws->v, ct + k * ubytes, p->dv);

	/* w = v - NTT^-1(s o NTT(u)) */
	mlkem_polyvec_basemul_acc(&ws->w, ws->s, ws->t, k);
	mlkem_poly_invntt_tomont(&ws->w);
	mlkem_poly_sub(&ws->w, &ws->v, &ws->w);
	mlkem_poly_reduce(&ws->w);
	mlkem_poly_tomsg(m, &ws->w);
}
