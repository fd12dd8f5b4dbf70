// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The x86-64 FrodoKEM backend (avx2/) and its run-time check. Built
 * without vector flags: everything here may run on any x86-64 CPU.
 */
#include "../frodo.h"
#include "../../mlkem/mlkem.h"
#include "avx2/frodo_avx2.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
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
