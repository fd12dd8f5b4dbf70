// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The x86-64 backends (avx2/, avx512/) and their run-time checks, moved
 * from ../impl.c. Built without vector flags: everything here may run on
 * any x86-64 CPU.
 */
#include "../impl.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#endif

/* AVX2, BMI1, BMI2, POPCNT and the OS saving the YMM registers. */
static bool mlkem_avx2_usable(void)
{
#if defined(__KERNEL__) && defined(CONFIG_UML)
	/* UML is a host process: the host OS saves the YMM registers. */
	return boot_cpu_has(X86_FEATURE_AVX2) && boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_BMI1) && boot_cpu_has(X86_FEATURE_BMI2) &&
	       boot_cpu_has(X86_FEATURE_POPCNT);
#elif defined(__KERNEL__)
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_BMI1) &&
	       boot_cpu_has(X86_FEATURE_BMI2) &&
	       boot_cpu_has(X86_FEATURE_POPCNT) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
#else
	/* libgcc sets "avx2" only when XGETBV shows the YMM state enabled */
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") &&
	       __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
	       __builtin_cpu_supports("popcnt");
#endif
}

/* Four-way Keccak for the batches; 16-lane arithmetic (kem_avx2.c). */
const struct mlkem_impl mlkem_impl_avx2 = {
	.name		= "avx2",
	.usable		= mlkem_avx2_usable,
	.keygen		= mlkem_keygen_avx2,
	.encaps		= mlkem_encaps_avx2,
	.decaps		= mlkem_decaps_avx2,
};

/* AVX-512F/VL/BW/DQ and the OS saving the ZMM and opmask registers. */
static bool mlkem_avx512_usable(void)
{
#if defined(__KERNEL__) && defined(CONFIG_UML)
	return mlkem_avx2_usable() &&
	       boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512VL) &&
	       boot_cpu_has(X86_FEATURE_AVX512BW) &&
	       boot_cpu_has(X86_FEATURE_AVX512DQ);
#elif defined(__KERNEL__)
	return mlkem_avx2_usable() &&
	       boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512VL) &&
	       boot_cpu_has(X86_FEATURE_AVX512BW) &&
	       boot_cpu_has(X86_FEATURE_AVX512DQ) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
				 XFEATURE_MASK_AVX512, NULL);
#else
	/* libgcc checks XGETBV for the opmask and ZMM state as well */
	return mlkem_avx2_usable() &&
	       __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl") &&
	       __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512dq");
#endif
}

/* The AVX2 backend with an AVX-512 Keccak (kem_avx512.c). */
const struct mlkem_impl mlkem_impl_avx512 = {
	.name		= "avx512",
	.usable		= mlkem_avx512_usable,
	.keygen		= mlkem_keygen_avx512,
	.encaps		= mlkem_encaps_avx512,
	.decaps		= mlkem_decaps_avx512,
};
