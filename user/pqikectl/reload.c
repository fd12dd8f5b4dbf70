// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl reload: pqiked reads its configuration file again.
 */
#include <stdio.h>

#include "commands.h"
#include "ipc.h"

int cmd_reload(int argc, char **argv)
{
	(void)argv;
	if (argc != 1) {
		fprintf(stderr, "usage: pqikectl reload\n");
		return CTL_USAGE;
	}
	return ctl_request("reload");
}
