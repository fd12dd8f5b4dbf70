// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The backends and their run-time checks. Built without vector flags:
 * everything here may run on any CPU. The backends' code is in
 * kem_<name>.c (kem_template.h).
 */
#include "impl.h"

#if defined(__KERNEL__) && defined(__x86_64__)
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#endif

static bool mlkem_generic_usable(void)
{
	return true;
}

const struct mlkem_impl mlkem_impl_generic = {
	.name		= "generic",
	.usable		= mlkem_generic_usable,
	.keygen		= mlkem_keygen_generic,
	.encaps		= mlkem_encaps_generic,
	.decaps		= mlkem_decaps_generic,
};

#if defined(__x86_64__) || defined(CONFIG_X86_64)
/* AVX2, BMI1, BMI2 and the OS saving the YMM registers. */
static bool mlkem_avx2_usable(void)
{
#if defined(__KERNEL__) && defined(CONFIG_UML)
	/* UML is a host process: the host OS saves the YMM registers. */
	return boot_cpu_has(X86_FEATURE_AVX2) && boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_BMI1) && boot_cpu_has(X86_FEATURE_BMI2);
#elif defined(__KERNEL__)
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_BMI1) &&
	       boot_cpu_has(X86_FEATURE_BMI2) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
#else
	/* libgcc sets "avx2" only when XGETBV shows the YMM state enabled */
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") &&
	       __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
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
#endif

/**
 * mlkem_impl_name() - the name of a backend.
 * @impl: a backend; NULL means the portable code
 *
 * Return: "generic", "avx2", ...
 */
const char *mlkem_impl_name(const struct mlkem_impl *impl)
{
	return (impl ? impl : &mlkem_impl_generic)->name;
}

/**
 * mlkem_impl_usable() - whether the CPU and the OS support a backend.
 * @impl: a backend; NULL means the portable code
 *
 * In the kernel, a vectorized backend additionally needs a
 * kernel_fpu_begin() section around each operation.
 *
 * Return: true if @impl can run here.
 */
bool mlkem_impl_usable(const struct mlkem_impl *impl)
{
	return (impl ? impl : &mlkem_impl_generic)->usable();
}
