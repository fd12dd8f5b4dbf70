// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report.h"

#define MAX_SHOWN 20

bool report_verbose;
static unsigned int n_pass, n_fail, n_skip;

void group_begin(struct group *g, const char *name)
{
	g->name = name;
	g->cases = 0;
	g->failed = 0;
	g->last_id[0] = '\0';
	if (report_verbose)
		printf("# %s\n", name);
}

void case_fail(struct group *g, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (strcmp(g->last_id, id)) {
		g->failed++;
		snprintf(g->last_id, sizeof(g->last_id), "%s", id);
	}
	if (g->failed > MAX_SHOWN)
		return;
	printf("not ok - %s %s: ", g->name, id);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void group_error(struct group *g, const char *fmt, ...)
{
	va_list ap;

	g->failed++;
	printf("not ok - %s: ", g->name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void group_end(struct group *g)
{
	if (g->failed) {
		if (g->failed > MAX_SHOWN)
			printf("not ok - %s: ... %lu more failures not shown\n",
			       g->name, g->failed - MAX_SHOWN);
		printf("# %s: %lu failure(s) in %lu cases\n", g->name, g->failed,
		       g->cases);
		n_fail++;
	} else if (!g->cases) {
		printf("not ok - %s: no test cases found\n", g->name);
		n_fail++;
	} else {
		printf("ok - %s (%lu cases)\n", g->name, g->cases);
		n_pass++;
	}
	fflush(stdout);
}

void group_skip(const char *name, const char *why)
{
	printf("skip - %s (%s)\n", name, why);
	n_skip++;
}

int report_summary(void)
{
	printf("%u passed, %u failed, %u skipped\n", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
