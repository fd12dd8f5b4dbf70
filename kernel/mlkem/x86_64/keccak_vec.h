/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Keccak-f[1600] permutations for the vector backends, each bit-identical
 * to mlkem_keccak_f1600() on every state it permutes. Call each only when
 * the CPU has the features named (in the kernel: checked once at load,
 * and inside kernel_fpu_begin()/kernel_fpu_end() for the vector ones).
 * mlkem_keccak_x4_f1600() (AVX2) is declared in keccak.h.
 */
#ifndef _PQREKEY_MLKEM_KECCAK_VEC_H
#define _PQREKEY_MLKEM_KECCAK_VEC_H

#include "../keccak.h"

/* keccak_avx2.c: one state, scalar code with BMI1 (andn) and BMI2 (rorx). */
void mlkem_keccak_f1600_avx2(u64 s[25]);

/*
 * keccak_avx512.c: needs AVX-512F. Eight states (zmm): lane j of state k
 * at s[8 * j + k], 200 words, 8-byte aligned.
 */
void mlkem_keccak_x8_f1600_avx512(u64 *s);

#endif /* _PQREKEY_MLKEM_KECCAK_VEC_H */
