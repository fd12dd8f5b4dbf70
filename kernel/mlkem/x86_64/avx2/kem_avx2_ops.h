/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX2 arithmetic as kem_template.h names it (ntt_avx2.c,
 * poly_avx2.c): shared by the AVX2 and the AVX-512 backend, which differ
 * in their Keccak only.
 */
#ifndef _PQREKEY_MLKEM_KEM_AVX2_OPS_H
#define _PQREKEY_MLKEM_KEM_AVX2_OPS_H

#include "poly_avx2.h"

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

#endif /* _PQREKEY_MLKEM_KEM_AVX2_OPS_H */
