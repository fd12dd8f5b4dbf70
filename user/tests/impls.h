/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The backends a userspace test or benchmark runs against: the portable
 * code and every vectorized backend the CPU supports. A backend the CPU
 * lacks is reported by test_impls_skipped() so that runners can say
 * "skipped" for it.
 */
#ifndef _PQREKEY_TEST_IMPLS_H
#define _PQREKEY_TEST_IMPLS_H

#include "mlkem.h"

static const struct mlkem_impl *const test_all_impls[] = {
	&mlkem_impl_generic,
#if defined(__x86_64__)
	&mlkem_impl_avx2,
#endif
};

#define TEST_MAX_IMPLS (sizeof(test_all_impls) / sizeof(test_all_impls[0]))

/* Fills @out with the usable backends (generic first); returns how many. */
static inline unsigned int test_impls(const struct mlkem_impl **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < TEST_MAX_IMPLS; i++)
		if (mlkem_impl_usable(test_all_impls[i]))
			out[n++] = test_all_impls[i];
	return n;
}

/* How many known backends this CPU cannot run. */
static inline unsigned int test_impls_skipped(void)
{
	const struct mlkem_impl *tmp[TEST_MAX_IMPLS];

	return TEST_MAX_IMPLS - test_impls(tmp);
}

#endif /* _PQREKEY_TEST_IMPLS_H */
