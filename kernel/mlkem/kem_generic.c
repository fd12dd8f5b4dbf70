// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The portable backend: the protocol code of kem_template.h on the
 * portable arithmetic (poly.c, ntt.c) and sampling (sampling.c).
 */
#define MLKEM_BACKEND		generic
#define MLKEM_SAMPLE		mlkem_sample_generic
#define MLKEM_F1600		mlkem_keccak_f1600
#define MLKEM_NTT		mlkem_poly_ntt
#define MLKEM_INVNTT		mlkem_poly_invntt_tomont
#define MLKEM_BASEMUL_ACC	mlkem_polyvec_basemul_acc
#define MLKEM_REDUCE		mlkem_poly_reduce
#define MLKEM_TOMONT		mlkem_poly_tomont
#define MLKEM_ADD		mlkem_poly_add
#define MLKEM_SUB		mlkem_poly_sub
#define MLKEM_TOBYTES		mlkem_poly_tobytes
#define MLKEM_FROMBYTES		mlkem_poly_frombytes
#define MLKEM_FROMBYTES_CHECK	mlkem_poly_frombytes_check
#define MLKEM_COMPRESS		mlkem_poly_compress
#define MLKEM_DECOMPRESS	mlkem_poly_decompress
#define MLKEM_FROMMSG		mlkem_poly_frommsg
#define MLKEM_TOMSG		mlkem_poly_tomsg

#include "kem_template.h"
