// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX2 backend: the protocol code of kem_template.h, built with AVX2
 * (and BMI1/BMI2), on the 16-lane NTT arithmetic of ntt_avx2.c and the
 * four-way Keccak of keccak_x4.c. May only run when AVX2 is usable (and,
 * in the kernel, between kernel_fpu_begin() and kernel_fpu_end()).
 */
#include "../../impl.h"
#include "../keccak_vec.h"

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
#include "kem_avx2_ops.h"

#include "../../kem_template.h"
