/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The counting CHECK of the unit tests of pqiked: a failed check prints
 * "not ok - ..." with its place; check_summary() prints "N passed,
 * N failed[, N skipped]" and gives the exit status.
 */
#ifndef PQREKEY_TEST_CHECK_H
#define PQREKEY_TEST_CHECK_H

#include <stdio.h>

static unsigned int pass, fail, skip;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			pass++;						\
		} else {						\
			fail++;						\
			printf("not ok - ");				\
			printf(__VA_ARGS__);				\
			printf(" (%s:%d)\n", __FILE__, __LINE__);	\
		}							\
	} while (0)

static inline int check_summary(void)
{
	if (skip)
		printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	else
		printf("%u passed, %u failed\n", pass, fail);
	return fail != 0;
}

#endif
