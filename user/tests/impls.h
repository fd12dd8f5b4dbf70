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

#define test_all_impls mlkem_impls
#define TEST_MAX_IMPLS 8	/* at least mlkem_nimpls */

/* Fills @out with the usable backends (generic first); returns how many. */
static inline unsigned int test_impls(const struct mlkem_impl **out)
{
	unsigned int i, n = 0;

	for (i = 0; i < mlkem_nimpls && i < TEST_MAX_IMPLS; i++)
		if (mlkem_impl_usable(test_all_impls[i]))
			out[n++] = test_all_impls[i];
	return n;
}

/* How many known backends this CPU cannot run. */
static inline unsigned int test_impls_skipped(void)
{
	const struct mlkem_impl *tmp[TEST_MAX_IMPLS];

	return mlkem_nimpls - test_impls(tmp);
}

#endif /* _PQREKEY_TEST_IMPLS_H */
