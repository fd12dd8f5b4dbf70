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

void mlkem_getnoise_generic(struct mlkem_poly *const *r, const u8 *nonces,
			    unsigned int n, const u8 seed[MLKEM_SYMBYTES],
			    unsigned int eta, struct mlkem_ws *ws)
{
	unsigned int i;

	(void)ws;	/* the portable code keeps its scratch on the stack */
	for (i = 0; i < n; i++)
		mlkem_poly_getnoise(r[i], seed, nonces[i], eta);
}
