// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl up NAME: initiate connection NAME now.
 */
#include "commands.h"
#include "ipc.h"

int cmd_up(int argc, char **argv)
{
	return ctl_named("up", argc, argv);
}
