// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX-512 backend: the AVX2 backend's arithmetic with an eight-way
 * Keccak on zmm registers (vprolq rotations, vpternlogq for chi and
 * theta: keccak_avx512.c), the protocol code of kem_template.h built with
 * AVX-512. May only run when AVX-512F/VL/BW/DQ
 * are usable (and, in the kernel, between kernel_fpu_begin() and
 * kernel_fpu_end()).
 */
#include "../../impl.h"
#include "../keccak_vec.h"

static void mlkem_sample_avx512(const struct mlkem_batch *b,
				struct mlkem_ws *ws)
{
	mlkem_sample_lanes(b, ws, 8, mlkem_keccak_x8_f1600_avx512);
}

#define MLKEM_BACKEND		avx512
#define MLKEM_SAMPLE		mlkem_sample_avx512
#define MLKEM_F1600		mlkem_keccak_f1600_avx2
#include "../avx2/kem_avx2_ops.h"

#include "../../kem_template.h"
