// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl rekey NAME: rekey the Child SA of connection NAME now
 * (CREATE_CHILD_SA with the key exchanges of its esp_proposals), as
 * reaching rekey_time does.
 */
#include "commands.h"
#include "ipc.h"

int cmd_rekey(int argc, char **argv)
{
	return ctl_named("rekey", argc, argv);
}
