// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl: pqiked's control tool, a table of subcommands.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ipc.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage;
} commands[] = {
	{ "status", cmd_status, "status [--json]     IKE and Child SAs, key exchanges, SPIs" },
	{ "up", cmd_up, "up NAME             initiate connection NAME now" },
	{ "down", cmd_down, "down NAME           delete the IKE and Child SAs of NAME (Delete to the peer)" },
	{ "rekey", cmd_rekey, "rekey [--ike] NAME  rekey the Child SA of NAME now (make before\n"
			      "                      break), or with --ike its IKE SA" },
	{ "reload", cmd_reload, "reload              read the configuration file again (as SIGHUP)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pqikectl [--socket PATH] COMMAND [ARGS]\n\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\n  --socket PATH       pqiked's control socket (default %s)\n"
		"\nExit status: 0 ok, 1 refused by pqiked, 2 bad command line,\n"
		"3 pqiked not reachable.\n", ctl_socket);
}

int main(int argc, char **argv)
{
	int i = 1;
	size_t c;

	if (i < argc && (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))) {
		usage(stdout);
		return CTL_OK;
	}
	if (i + 1 < argc && !strcmp(argv[i], "--socket")) {
		ctl_socket = argv[i + 1];
		i += 2;
	}
	if (i >= argc) {
		usage(stderr);
		return CTL_USAGE;
	}
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			return commands[c].run(argc - i, argv + i);
	fprintf(stderr, "pqikectl: unknown command '%s' (see --help)\n", argv[i]);
	return CTL_USAGE;
}
