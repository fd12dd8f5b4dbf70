// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl down NAME: delete the IKE SAs of connection NAME (and their
 * Child SAs), telling the peer with an INFORMATIONAL Delete.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ipc.h"

int cmd_down(int argc, char **argv)
{
	char req[256];

	if (argc != 2 || !argv[1][0] || strchr(argv[1], '\n') ||
	    strlen(argv[1]) > 200) {
		fprintf(stderr, "usage: pqikectl down NAME\n");
		return CTL_USAGE;
	}
	snprintf(req, sizeof(req), "down %s", argv[1]);
	return ctl_request(req);
}
