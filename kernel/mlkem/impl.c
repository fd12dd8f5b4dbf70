// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The table of backends and their run-time checks. Built without vector
 * flags: everything here may run on any CPU. The backends' code is in
 * kem_<name>.c (kem_template.h): kem_generic.c here, the x86-64 ones in
 * x86_64/avx2/ and x86_64/avx512/, with their descriptors and CPU checks
 * in x86_64/cpu.c.
 */
#include "impl.h"

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

const struct mlkem_impl *const mlkem_impls[] = {
	&mlkem_impl_generic,
#ifdef MLKEM_X86_64
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
