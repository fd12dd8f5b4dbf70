// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The MemorySanitizer checks' shared harness (ct-msan-child.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ct-msan-child.h"

const char *ctm_prog = "ct-msan";
unsigned int ctm_n_ok, ctm_n_fail, ctm_n_skip;

/* MSan's defaults for these programs (MSAN_OPTIONS still applies on top). */
const char *__msan_default_options(void);
const char *__msan_default_options(void)
{
	return "exitcode=77:halt_on_error=1";
}

void ctm_result(bool ok, const char *what, const char *extra)
{
	printf("%s - %s %s%s%s\n", ok ? "ok" : "not ok", ctm_prog, what,
	       extra ? ": " : "", extra ? extra : "");
	fflush(stdout);
	if (ok)
		ctm_n_ok++;
	else
		ctm_n_fail++;
}

int ctm_run_child(int (*fn)(const void *arg), const void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *ctm_describe(int st)
{
	static char buf[64];

	switch (st) {
	case 0:
		return NULL;
	case CTM_MSAN_EXIT:
		return "MemorySanitizer report (see above)";
	case CTM_WRONG_EXIT:
		return "result differs from the portable code on unmarked inputs";
	default:
		snprintf(buf, sizeof(buf), "child exit status %d", st);
		return buf;
	}
}
