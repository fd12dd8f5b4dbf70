// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Matrix expansion (SampleNTT, FIPS 203 Algorithm 7) and centered
 * binomial noise (SamplePolyCBD, Algorithm 8, with PRF = SHAKE256).
 * Rejection sampling branches only on SHAKE128 output of the public seed
 * rho; the noise sampler is branch-free.
 */
#include "impl.h"
#include "sampling.h"

/* SampleNTT(rho || x || y) into @r. */
static void mlkem_sample_ntt(struct mlkem_poly *r, const u8 *rho, u8 x, u8 y,
			     struct mlkem_ws *ws)
{
	u8 ext[2] = { x, y };
	unsigned int ctr;

	mlkem_shake128_init(&ws->xof);
	mlkem_keccak_absorb(&ws->xof, rho, MLKEM_SYMBYTES);
	mlkem_keccak_absorb(&ws->xof, ext, sizeof(ext));
	mlkem_shake_finalize(&ws->xof);
	mlkem_keccak_squeezeblocks(&ws->xof, ws->xofbuf, MLKEM_XOF_BLOCKS);
	ctr = mlkem_rej_uniform(r->coeffs, 0, ws->xofbuf,
				MLKEM_XOF_BLOCKS * MLKEM_SHAKE128_RATE);
	while (ctr < MLKEM_N) {
		mlkem_keccak_squeezeblocks(&ws->xof, ws->xofbuf, 1);
		ctr = mlkem_rej_uniform(r->coeffs, ctr, ws->xofbuf,
					MLKEM_SHAKE128_RATE);
	}
}

/*
 * Expands rho into the k x k matrix @a (row-major, a[i * k + j]):
 * A[i][j] = SampleNTT(rho || j || i), or its transpose. Output in [0, q).
 */
void mlkem_gen_matrix(struct mlkem_poly *a, const u8 rho[MLKEM_SYMBYTES],
		      unsigned int k, unsigned int transposed,
		      struct mlkem_ws *ws)
{
	unsigned int i, j;

	/* rho is public (part of ek), even where it is derived from d. */
	mlkem_ct_declassify(rho, MLKEM_SYMBYTES);
	for (i = 0; i < k; i++) {
		for (j = 0; j < k; j++) {
			if (transposed)
				mlkem_sample_ntt(&a[i * k + j], rho, i, j, ws);
			else
				mlkem_sample_ntt(&a[i * k + j], rho, j, i, ws);
		}
	}
}

/*
 * SamplePolyCBD_eta(PRF_eta(seed, nonce)) for eta in {2, 3}; output in
 * normal form, |c| <= eta.
 */
void mlkem_poly_getnoise(struct mlkem_poly *r,
			 const u8 seed[MLKEM_SYMBYTES], u8 nonce,
			 unsigned int eta)
{
	u8 buf[3 * MLKEM_N / 4];
	struct mlkem_keccak st;

	mlkem_shake256_init(&st);
	mlkem_keccak_absorb(&st, seed, MLKEM_SYMBYTES);
	mlkem_keccak_absorb(&st, &nonce, 1);
	mlkem_shake_finalize(&st);
	mlkem_keccak_squeeze(&st, buf, eta * MLKEM_N / 4);
	if (eta == 3)
		mlkem_cbd3(r, buf);
	else
		mlkem_cbd2(r, buf);
	memzero_explicit(buf, sizeof(buf));
	memzero_explicit(&st, sizeof(st));
}

/* The batch of impl.h, one job after the other, in the order listed. */
void mlkem_sample_generic(const struct mlkem_batch *b, struct mlkem_ws *ws)
{
	const struct mlkem_hash_job *h;
	unsigned int i;

	if (b->rho)
		mlkem_gen_matrix(ws->a, b->rho, b->k, b->transposed, ws);
	for (i = 0; i < b->nhash; i++) {
		h = &b->hash[i];
		mlkem_keccak_init(&ws->xof, MLKEM_SHAKE256_RATE);
		mlkem_keccak_absorb(&ws->xof, h->in[0], h->len[0]);
		mlkem_keccak_absorb(&ws->xof, h->in[1], h->len[1]);
		mlkem_keccak_finalize(&ws->xof, h->ds);
		mlkem_keccak_squeeze(&ws->xof, h->out, MLKEM_SYMBYTES);
	}
	for (i = 0; i < b->nnoise; i++)
		mlkem_poly_getnoise(b->noise[i], b->seed, (u8)i,
				    i < b->neta1 ? b->eta1 : b->eta2);
	memzero_explicit(&ws->xof, sizeof(ws->xof));
}
