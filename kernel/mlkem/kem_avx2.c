// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX2 backend: the protocol code of kem_template.h, built with AVX2
 * (and BMI1/BMI2), on the 16-lane NTT arithmetic of ntt_avx2.c and the
 * four-way Keccak of keccak_x4.c. May only run when AVX2 is usable (and,
 * in the kernel, between kernel_fpu_begin() and kernel_fpu_end()).
 */
#include "impl.h"
#include "keccak_vec.h"
#include "poly_avx2.h"

#if defined(__x86_64__)

/* ws->xofn as struct mlkem_keccak_x4 (state and ping-pong buffer) */
static void mlkem_f1600_x4_avx2(u64 *s)
{
	mlkem_keccak_x4_f1600((struct mlkem_keccak_x4 *)s);
}

static void mlkem_sample_avx2(const struct mlkem_batch *b,
			      struct mlkem_ws *ws)
{
	mlkem_sample_lanes(b, ws, 4, mlkem_f1600_x4_avx2);
}

#define MLKEM_BACKEND		avx2
#define MLKEM_SAMPLE		mlkem_sample_avx2
#define MLKEM_F1600		mlkem_keccak_f1600_avx2
#define MLKEM_NTT		mlkem_poly_ntt_avx2
#define MLKEM_INVNTT		mlkem_poly_invntt_tomont_avx2
#define MLKEM_BASEMUL_ACC	mlkem_polyvec_basemul_acc_avx2
#define MLKEM_REDUCE		mlkem_poly_reduce_avx2
#define MLKEM_TOMONT		mlkem_poly_tomont_avx2
#define MLKEM_ADD		mlkem_poly_add_avx2
#define MLKEM_SUB		mlkem_poly_sub_avx2
#define MLKEM_TOBYTES		mlkem_poly_tobytes_avx2
#define MLKEM_FROMBYTES		mlkem_poly_frombytes_avx2
#define MLKEM_FROMBYTES_CHECK	mlkem_poly_frombytes_check_avx2
#define MLKEM_COMPRESS		mlkem_poly_compress_avx2
#define MLKEM_DECOMPRESS	mlkem_poly_decompress_avx2
#define MLKEM_FROMMSG		mlkem_poly_frommsg_avx2
#define MLKEM_TOMSG		mlkem_poly_tomsg_avx2

#include "kem_template.h"

#endif /* __x86_64__ */
