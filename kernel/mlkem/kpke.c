// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * K-PKE (FIPS 203 Algorithms 13, 14, 15) on top of the polynomial
 * interface of poly.h. Secrets stay in the workspace; the callers in
 * mlkem.c wipe it.
 */
#include "kpke.h"
#include "impl.h"

/* K-PKE.KeyGen(d): writes ek (384 k + 32 bytes) and dk_pke (384 k bytes). */
void mlkem_kpke_keygen(const struct mlkem_params *p, u8 *ek, u8 *dk_pke,
		       const u8 d[MLKEM_SYMBYTES], struct mlkem_ws *ws)
{
	const struct mlkem_impl *impl = mlkem_ws_impl(ws);
	unsigned int i, k = p->k;
	u8 *rho = ws->seeds, *sigma = ws->seeds + MLKEM_SYMBYTES;
	u8 in[MLKEM_SYMBYTES + 1];
	struct mlkem_poly *r[2 * MLKEM_MAX_K];
	u8 nonces[2 * MLKEM_MAX_K];

	/* (rho, sigma) = G(d || k) */
	memcpy(in, d, MLKEM_SYMBYTES);
	in[MLKEM_SYMBYTES] = (u8)k;
	mlkem_sha3_512(ws->seeds, in, sizeof(in));
	memzero_explicit(in, sizeof(in));

	impl->gen_matrix(ws->a, rho, k, 0, ws);
	/* s, e: nonces 0 .. 2k - 1 */
	for (i = 0; i < k; i++) {
		r[i] = &ws->s[i];
		r[k + i] = &ws->e[i];
	}
	for (i = 0; i < 2 * k; i++)
		nonces[i] = (u8)i;
	impl->getnoise(r, nonces, 2 * k, sigma, p->eta1, ws);
	for (i = 0; i < k; i++) {
		impl->ntt(&ws->s[i]);
		impl->ntt(&ws->e[i]);
	}
	for (i = 0; i < k; i++) {
		impl->basemul_acc(&ws->t[i], &ws->a[i * k], ws->s, k);
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
	const struct mlkem_impl *impl = mlkem_ws_impl(ws);
	unsigned int i, k = p->k, n1;
	unsigned int ubytes = MLKEM_N / 8 * p->du;
	struct mlkem_poly *np[2 * MLKEM_MAX_K + 1];
	u8 nonces[2 * MLKEM_MAX_K + 1];

	for (i = 0; i < k; i++)
		mlkem_poly_frombytes(&ws->t[i], ek + i * MLKEM_POLYBYTES);
	impl->gen_matrix(ws->a, ek + k * MLKEM_POLYBYTES, k, 1, ws);

	/* r (eta1), e1, e2 (eta2): nonces 0 .. 2k; one call if eta1 == eta2 */
	for (i = 0; i < k; i++) {
		np[i] = &ws->s[i];
		np[k + i] = &ws->e[i];
	}
	np[2 * k] = &ws->w;
	for (i = 0; i <= 2 * k; i++)
		nonces[i] = (u8)i;
	n1 = p->eta1 == p->eta2 ? 2 * k + 1 : k;
	impl->getnoise(np, nonces, n1, r, p->eta1, ws);
	if (n1 < 2 * k + 1)
		impl->getnoise(np + n1, nonces + n1, 2 * k + 1 - n1, r, p->eta2,
			       ws);
	for (i = 0; i < k; i++)
		impl->ntt(&ws->s[i]);

	/* u = NTT^-1(A^T o r) + e1, kept in ws->e */
	for (i = 0; i < k; i++) {
		impl->basemul_acc(&ws->v, &ws->a[i * k], ws->s, k);
		impl->invntt_tomont(&ws->v);
		mlkem_poly_add(&ws->e[i], &ws->v);
		mlkem_poly_reduce(&ws->e[i]);
	}
	/* v = NTT^-1(t o r) + e2 + Decompress_1(m) */
	impl->basemul_acc(&ws->v, ws->t, ws->s, k);
	impl->invntt_tomont(&ws->v);
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
	const struct mlkem_impl *impl = mlkem_ws_impl(ws);
	unsigned int i, k = p->k;
	unsigned int ubytes = MLKEM_N / 8 * p->du;

	for (i = 0; i < k; i++) {
		mlkem_poly_decompress(&ws->t[i], ct + i * ubytes, p->du);
		impl->ntt(&ws->t[i]);
		mlkem_poly_frombytes(&ws->s[i], dk_pke + i * MLKEM_POLYBYTES);
	}
	mlkem_poly_decompress(&ws->v, ct + k * ubytes, p->dv);

	/* w = v - NTT^-1(s o NTT(u)) */
	impl->basemul_acc(&ws->w, ws->s, ws->t, k);
	impl->invntt_tomont(&ws->w);
	mlkem_poly_sub(&ws->w, &ws->v, &ws->w);
	mlkem_poly_reduce(&ws->w);
	mlkem_poly_tomsg(m, &ws->w);
}
