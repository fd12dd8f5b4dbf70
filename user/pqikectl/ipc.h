/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl's transport to pqiked's control socket (ipc.c): one request
 * line, the answer copied to stdout. The subcommands know nothing else.
 */
#ifndef PQIKECTL_IPC_H
#define PQIKECTL_IPC_H

/* Exit statuses (pqikectl --help says them too). */
enum { CTL_OK = 0, CTL_REFUSED = 1, CTL_USAGE = 2, CTL_NO_DAEMON = 3 };

extern const char *ctl_socket;

/* Sends @request; prints the answer's output; returns an exit status. */
int ctl_request(const char *request);
/* "VERB NAME" for the subcommands that take a connection's name. */
int ctl_named(const char *verb, int argc, char **argv);

#endif /* PQIKECTL_IPC_H */
