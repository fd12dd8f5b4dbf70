// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl rekey [--ike] NAME: rekey the Child SA of connection NAME now
 * (CREATE_CHILD_SA with the key exchanges of its esp_proposals), as
 * reaching rekey_time does; with --ike its IKE SA (swanctl --rekey --ike).
 */
#include <string.h>

#include "commands.h"
#include "ipc.h"

int cmd_rekey(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--ike"))
		return ctl_named("rekey-ike", argc - 1, argv + 1);
	return ctl_named("rekey", argc, argv);
}
