/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl's subcommands, one file each; main.c holds their table.
 */
#ifndef PQIKECTL_COMMANDS_H
#define PQIKECTL_COMMANDS_H

int cmd_status(int argc, char **argv);
int cmd_up(int argc, char **argv);
int cmd_down(int argc, char **argv);
int cmd_rekey(int argc, char **argv);
int cmd_reload(int argc, char **argv);

#endif /* PQIKECTL_COMMANDS_H */
