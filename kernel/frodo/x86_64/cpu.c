// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The x86-64 FrodoKEM backends (avx2/, avx512/) and their run-time checks. Built
 * without vector flags: everything here may run on any x86-64 CPU.
 */
#include "../frodo.h"
#include "../../mlkem/mlkem.h"
#include "avx2/frodo_avx2.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
#else
#include <cpuid.h>
#endif

/*
 * What ML-KEM's AVX2 backend needs (AVX2, BMI1, BMI2, POPCNT, the OS
 * saving the YMM registers: its four-way Keccak is used here) and AES-NI.
 */
static bool frodo_avx2_usable(void)
{
	if (!mlkem_impl_usable(&mlkem_impl_avx2))
		return false;
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AES);
#else
	__builtin_cpu_init();
	return __builtin_cpu_supports("aes");
#endif
}

/* AES-NI or four-way Keccak for the rows, 16-lane products. */
const struct frodo_impl frodo_impl_avx2 = {
	.name		= "avx2",
	.usable		= frodo_avx2_usable,
	.simd		= true,
	.as_rows	= frodo_as_rows_avx2,
	.sa_rows	= frodo_sa_rows_avx2,
};

/*
 * ML-KEM's AVX-512 requirements (F, VL, BW, DQ and the OS saving the ZMM
 * and opmask registers: its eight-way Keccak is used here), AES-NI and
 * VAES.
 */
static bool frodo_avx512_usable(void)
{
	if (!mlkem_impl_usable(&mlkem_impl_avx512) || !frodo_avx2_usable())
		return false;
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_VAES);
#else
	/* CPUID.(7, 0):ECX bit 9 (clang 16's builtin has no "vaes") */
	unsigned int a, b, c, d;

	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (c & (1U << 9));
#endif
}

/* VAES (zmm) or eight-way Keccak for the rows, the AVX2 products. */
const struct frodo_impl frodo_impl_avx512 = {
	.name		= "avx512",
	.usable		= frodo_avx512_usable,
	.simd		= true,
	.as_rows	= frodo_as_rows_avx512,
	.sa_rows	= frodo_sa_rows_avx512,
};
