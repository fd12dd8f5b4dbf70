// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl up NAME: initiate connection NAME now.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ipc.h"

int cmd_up(int argc, char **argv)
{
	char req[256];

	if (argc != 2 || !argv[1][0] || strchr(argv[1], '\n') ||
	    strlen(argv[1]) > 200) {
		fprintf(stderr, "usage: pqikectl up NAME\n");
		return CTL_USAGE;
	}
	snprintf(req, sizeof(req), "up %s", argv[1]);
	return ctl_request(req);
}
