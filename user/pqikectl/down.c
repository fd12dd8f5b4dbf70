// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl down NAME: delete the IKE SAs of connection NAME (and their
 * Child SAs), telling the peer with an INFORMATIONAL Delete.
 */
#include "commands.h"
#include "ipc.h"

int cmd_down(int argc, char **argv)
{
	return ctl_named("down", argc, argv);
}
