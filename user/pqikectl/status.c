// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl status [--json]: IKE and Child SAs with their key exchanges,
 * SPIs and ages.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ipc.h"

int cmd_status(int argc, char **argv)
{
	if (argc == 1)
		return ctl_request("status");
	if (argc == 2 && !strcmp(argv[1], "--json"))
		return ctl_request("status json");
	fprintf(stderr, "usage: pqikectl status [--json]\n");
	return CTL_USAGE;
}
