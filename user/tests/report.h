/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Result reporting of the vector tests. The unit that is counted is a test
 * file (a "group"): it passes when every case in it passes. Each failing case
 * is printed as "not ok - GROUP ID: WHY"; a passing group as
 * "ok - GROUP (N cases)"; a missing one as "skip - GROUP (no vectors)".
 */
#ifndef PQREKEY_TEST_REPORT_H
#define PQREKEY_TEST_REPORT_H

#include <stdbool.h>

struct group {
	const char *name;
	unsigned long cases;	/* cases run */
	unsigned long failed;	/* cases (or file-level errors) that failed */
	char last_id[48];	/* a case with several messages counts once */
};

extern bool report_verbose;

void group_begin(struct group *g, const char *name);
/* A case failed; @id names it ("tcId 17", "line 3"). At most 20 are shown. */
void case_fail(struct group *g, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Something about the file itself failed (unreadable, bad format). */
void group_error(struct group *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void group_end(struct group *g);
void group_skip(const char *name, const char *why);
/* Prints "N passed, N failed, N skipped"; returns the exit status. */
int report_summary(void);

#endif
