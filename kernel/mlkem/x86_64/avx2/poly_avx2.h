/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The coefficient-wise polynomial operations, encodings and compression of
 * the AVX2 backend (poly_avx2.c, compiled with -mavx2 -mbmi -mbmi2; call
 * only when AVX2 is usable and, in the kernel, inside kernel_fpu_begin()/
 * kernel_fpu_end()). Each function has the signature, the input domain
 * and the results of its portable twin in poly.c (without the _avx2).
 */
#ifndef _PQREKEY_MLKEM_POLY_AVX2_H
#define _PQREKEY_MLKEM_POLY_AVX2_H

#include "../../poly.h"

void mlkem_poly_reduce_avx2(struct mlkem_poly *r);
void mlkem_poly_tomont_avx2(struct mlkem_poly *r);
void mlkem_poly_add_avx2(struct mlkem_poly *r, const struct mlkem_poly *b);
void mlkem_poly_sub_avx2(struct mlkem_poly *r, const struct mlkem_poly *a,
			 const struct mlkem_poly *b);
void mlkem_poly_tobytes_avx2(u8 r[MLKEM_POLYBYTES],
			     const struct mlkem_poly *a);
void mlkem_poly_frombytes_avx2(struct mlkem_poly *r,
			       const u8 a[MLKEM_POLYBYTES]);
s16 mlkem_poly_frombytes_check_avx2(struct mlkem_poly *r,
				    const u8 a[MLKEM_POLYBYTES]);
void mlkem_poly_compress_avx2(u8 *r, const struct mlkem_poly *a,
			      unsigned int d);
void mlkem_poly_decompress_avx2(struct mlkem_poly *r, const u8 *a,
				unsigned int d);
void mlkem_poly_frommsg_avx2(struct mlkem_poly *r,
			     const u8 msg[MLKEM_SYMBYTES]);
void mlkem_poly_tomsg_avx2(u8 msg[MLKEM_SYMBYTES],
			   const struct mlkem_poly *a);

#endif /* _PQREKEY_MLKEM_POLY_AVX2_H */
