/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The core's internal polynomial interface. The protocol code (kpke.c,
 * mlkem.c) only uses what is declared here, so that a vectorized backend
 * can replace ntt.c and sampling.c (NTT, inverse NTT, base multiplication,
 * matrix expansion, noise sampling) without touching it.
 *
 * Coefficient ranges are stated per function; "normal" means coefficient
 * c represents c mod q, "Montgomery" means c * 2^-16 is represented.
 */
#ifndef _PQREKEY_MLKEM_POLY_H
#define _PQREKEY_MLKEM_POLY_H

#include "mlkem.h"

/* ntt.c */
void mlkem_poly_ntt(struct mlkem_poly *r);
void mlkem_poly_invntt_tomont(struct mlkem_poly *r);
void mlkem_polyvec_basemul_acc(struct mlkem_poly *r,
			       const struct mlkem_poly *a,
			       const struct mlkem_poly *b, unsigned int k);

/* sampling.c */
void mlkem_gen_matrix(struct mlkem_poly *a, const u8 rho[MLKEM_SYMBYTES],
		      unsigned int k, unsigned int transposed,
		      struct mlkem_ws *ws);
void mlkem_poly_getnoise(struct mlkem_poly *r,
			 const u8 seed[MLKEM_SYMBYTES], u8 nonce,
			 unsigned int eta);

/* poly.c */
void mlkem_poly_reduce(struct mlkem_poly *r);
void mlkem_poly_tomont(struct mlkem_poly *r);
void mlkem_poly_add(struct mlkem_poly *r, const struct mlkem_poly *b);
void mlkem_poly_sub(struct mlkem_poly *r, const struct mlkem_poly *a,
		    const struct mlkem_poly *b);
void mlkem_poly_tobytes(u8 r[MLKEM_POLYBYTES], const struct mlkem_poly *a);
void mlkem_poly_frombytes(struct mlkem_poly *r,
			  const u8 a[MLKEM_POLYBYTES]);
s16 mlkem_poly_frombytes_check(struct mlkem_poly *r,
			       const u8 a[MLKEM_POLYBYTES]);
void mlkem_poly_compress(u8 *r, const struct mlkem_poly *a, unsigned int d);
void mlkem_poly_decompress(struct mlkem_poly *r, const u8 *a,
			   unsigned int d);
void mlkem_poly_frommsg(struct mlkem_poly *r, const u8 msg[MLKEM_SYMBYTES]);
void mlkem_poly_tomsg(u8 msg[MLKEM_SYMBYTES], const struct mlkem_poly *a);

#endif /* _PQREKEY_MLKEM_POLY_H */
