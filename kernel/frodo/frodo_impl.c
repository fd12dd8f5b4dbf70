// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The FrodoKEM backends (struct frodo_impl, frodo.h): the portable one of
 * frodo_matrix.c, always there, and the x86-64 ones (x86_64/), whose
 * run-time checks are in x86_64/cpu.c.
 */
#include "frodo.h"

static bool frodo_generic_usable(void)
{
	return true;
}

const struct frodo_impl frodo_impl_generic = {
	.name		= "generic",
	.usable		= frodo_generic_usable,
	.simd		= false,
	.as_rows	= frodo_as_rows_generic,
	.sa_rows	= frodo_sa_rows_generic,
};

const struct frodo_impl *const frodo_impls[] = {
	&frodo_impl_generic,
#ifdef MLKEM_X86_64
	&frodo_impl_avx2,
	&frodo_impl_avx512,
#endif
};

const unsigned int frodo_nimpls = ARRAY_SIZE(frodo_impls);

bool frodo_impl_usable(const struct frodo_impl *impl)
{
	return impl->usable();
}

/* The fastest backend the CPU and the OS support: the last usable one. */
const struct frodo_impl *frodo_impl_best(void)
{
	unsigned int i = frodo_nimpls;

	while (--i)
		if (frodo_impl_usable(frodo_impls[i]))
			return frodo_impls[i];
	return &frodo_impl_generic;
}
