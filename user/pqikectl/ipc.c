// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqikectl's transport (ipc.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ipc.h"

const char *ctl_socket = "/run/pqiked.ctl";

int ctl_request(const char *request)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char line[4096];
	bool first = true;
	int fd, rc = CTL_OK;
	FILE *f;

	if (strlen(ctl_socket) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "pqikectl: socket path too long\n");
		return CTL_USAGE;
	}
	strcpy(sun.sun_path, ctl_socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "pqikectl: cannot reach pqiked at %s: %s\n",
			ctl_socket, strerror(errno));
		if (fd >= 0)
			close(fd);
		return CTL_NO_DAEMON;
	}
	if (dprintf(fd, "%s\n", request) < 0 || shutdown(fd, SHUT_WR)) {
		fprintf(stderr, "pqikectl: sending to pqiked: %s\n", strerror(errno));
		close(fd);
		return CTL_NO_DAEMON;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return CTL_NO_DAEMON;
	}
	while (fgets(line, sizeof(line), f)) {
		if (first) {
			first = false;
			if (!strcmp(line, "ok\n"))
				continue;
			if (!strncmp(line, "error: ", 7)) {
				fprintf(stderr, "pqikectl: %s", line + 7);
				rc = CTL_REFUSED;
				continue;
			}
			fprintf(stderr, "pqikectl: unexpected answer from pqiked\n");
			rc = CTL_NO_DAEMON;
			break;
		}
		fputs(line, stdout);
	}
	if (first) {
		fprintf(stderr, "pqikectl: pqiked closed the connection without an answer\n");
		rc = CTL_NO_DAEMON;
	}
	fclose(f);
	return rc;
}

int ctl_named(const char *verb, int argc, char **argv)
{
	char req[256];

	if (argc != 2 || !argv[1][0] || strchr(argv[1], '\n') ||
	    strlen(argv[1]) > 200) {
		fprintf(stderr, "usage: pqikectl %s NAME\n", verb);
		return CTL_USAGE;
	}
	snprintf(req, sizeof(req), "%s %s", verb, argv[1]);
	return ctl_request(req);
}
