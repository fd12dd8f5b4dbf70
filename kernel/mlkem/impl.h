/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The backend seam (private to the core). A backend provides the hot
 * functions of the protocol code - matrix expansion, noise sampling, NTT,
 * inverse NTT and base multiplication - with results bit-identical to the
 * portable code. The protocol code (kpke.c) calls them through ws->impl
 * (mlkem_ws_impl() below); everything else stays portable.
 *
 * A vectorized backend may reuse portable functions for the parts it does
 * not vectorize: its struct then simply points at them.
 */
#ifndef _PQREKEY_MLKEM_IMPL_H
#define _PQREKEY_MLKEM_IMPL_H

#include "poly.h"

/**
 * struct mlkem_impl - one backend.
 * @name:          "generic", "avx2"
 * @usable:        whether the CPU and OS support it
 * @gen_matrix:    as mlkem_gen_matrix()
 * @getnoise:      @n polynomials: r[i] = SamplePolyCBD_eta(PRF(seed,
 *                 nonces[i])), as mlkem_poly_getnoise(); wipes its scratch
 * @ntt:           as mlkem_poly_ntt()
 * @invntt_tomont: as mlkem_poly_invntt_tomont()
 * @basemul_acc:   as mlkem_polyvec_basemul_acc()
 */
struct mlkem_impl {
	const char *name;
	bool (*usable)(void);
	void (*gen_matrix)(struct mlkem_poly *a, const u8 rho[MLKEM_SYMBYTES],
			   unsigned int k, unsigned int transposed,
			   struct mlkem_ws *ws);
	void (*getnoise)(struct mlkem_poly *const *r, const u8 *nonces,
			 unsigned int n, const u8 seed[MLKEM_SYMBYTES],
			 unsigned int eta, struct mlkem_ws *ws);
	void (*ntt)(struct mlkem_poly *r);
	void (*invntt_tomont)(struct mlkem_poly *r);
	void (*basemul_acc)(struct mlkem_poly *r, const struct mlkem_poly *a,
			    const struct mlkem_poly *b, unsigned int k);
};

/* The backend of @ws; NULL means the portable code. */
static __always_inline const struct mlkem_impl *
mlkem_ws_impl(const struct mlkem_ws *ws)
{
	return ws->impl ? ws->impl : &mlkem_impl_generic;
}

/* sampling.c: the portable getnoise of struct mlkem_impl */
void mlkem_getnoise_generic(struct mlkem_poly *const *r, const u8 *nonces,
			    unsigned int n, const u8 seed[MLKEM_SYMBYTES],
			    unsigned int eta, struct mlkem_ws *ws);

#if defined(__x86_64__)
/* sampling_avx2.c (compiled with -mavx2; call only when AVX2 is usable) */
void mlkem_gen_matrix_avx2(struct mlkem_poly *a,
			   const u8 rho[MLKEM_SYMBYTES], unsigned int k,
			   unsigned int transposed, struct mlkem_ws *ws);
void mlkem_getnoise_avx2(struct mlkem_poly *const *r, const u8 *nonces,
			 unsigned int n, const u8 seed[MLKEM_SYMBYTES],
			 unsigned int eta, struct mlkem_ws *ws);
/* ntt_avx2.c (compiled with -mavx2; call only when AVX2 is usable) */
void mlkem_poly_ntt_avx2(struct mlkem_poly *r);
void mlkem_poly_invntt_tomont_avx2(struct mlkem_poly *r);
void mlkem_polyvec_basemul_acc_avx2(struct mlkem_poly *r,
				    const struct mlkem_poly *a,
				    const struct mlkem_poly *b,
				    unsigned int k);
#endif

#endif /* _PQREKEY_MLKEM_IMPL_H */
