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
#endif

const struct mlkem_impl *const mlkem_impls[] = {
	&mlkem_impl_generic,
#if defined(__x86_64__) || defined(CONFIG_X86_64)
	&mlkem_impl_avx2,
	&mlkem_impl_avx512,
#endif
};

const unsigned int mlkem_nimpls = ARRAY_SIZE(mlkem_impls);

/**
 * mlkem_impl_best() - the fastest backend the CPU and the OS support.
 *
 * Return: the last usable entry of mlkem_impls[].
 */
const struct mlkem_impl *mlkem_impl_best(void)
{
	unsigned int i = mlkem_nimpls;

	while (--i)
		if (mlkem_impl_usable(mlkem_impls[i]))
			return mlkem_impls[i];
	return &mlkem_impl_generic;
}

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
