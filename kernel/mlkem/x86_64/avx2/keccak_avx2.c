// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Keccak-f[1600] on one state, the code of mlkem_keccak_f1600() compiled
 * with -mbmi -mbmi2 (by this file's name): GCC then computes chi's
 * ~b1 & b2 with andn and the rotations with rorx, which need no copy of
 * their input and leave the flags alone. Scalar code: no vector register
 * is used, but it may only run on a CPU with BMI1 and BMI2.
 */
#include "../../keccak_f1600.h"
#include "../keccak_vec.h"

/**
 * mlkem_keccak_f1600_avx2() - Keccak-f[1600] with BMI1/BMI2
 * @s: the state, 25 lanes
 *
 * Computes what mlkem_keccak_f1600() computes.
 */
void mlkem_keccak_f1600_avx2(u64 s[25])
{
	mlkem_keccak_f1600_inline(s);
}
