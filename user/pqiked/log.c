// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon's log (daemon.h): stderr or syslog, with a level.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>

#include "daemon.h"

enum iked_level iked_verbosity = IKED_INFO;
bool iked_syslog;

void iked_log(enum iked_level lvl, const char *conn, const char *fmt, ...)
{
	static const char *const names[] = { "error", "info", "debug" };
	static const int prio[] = { LOG_ERR, LOG_INFO, LOG_DEBUG };
	char msg[1024];
	va_list ap;

	if (lvl > iked_verbosity)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (iked_syslog)
		syslog(prio[lvl], "[%s] %s", conn ? conn : "-", msg);
	else
		fprintf(stderr, "pqiked[%s]: %s: %s\n", conn ? conn : "-",
			names[lvl], msg);
}

