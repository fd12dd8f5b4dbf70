// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The control socket of pqiked (control.h): a UNIX stream socket, mode
 * 0600; one request line per connection ("status", "status json",
 * "up NAME", "down NAME", "rekey NAME", "rekey-ike NAME", "reload"), the
 * answer, then the daemon closes it. The first line of an
 * answer is "ok" or "error: REASON"; what follows is the output.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "daemon.h"

int iked_control_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(path);	/* a stale socket of an earlier pqiked */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    chmod(path, 0600) || listen(fd, 8)) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

void iked_control_serve(struct iked *d, int lfd)
{
	struct timeval tv = { .tv_sec = 1 };
	char req[256], msg[768];
	ssize_t n;
	FILE *f;
	int fd;

	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/* a client that does not send its line in a second is dropped */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	n = recv(fd, req, sizeof(req) - 1, 0);
	f = n > 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		close(fd);
		return;
	}
	req[n] = '\0';
	req[strcspn(req, "\r\n")] = '\0';
	if (!strcmp(req, "status") || !strcmp(req, "status json")) {
		fputs("ok\n", f);
		iked_status(d, f, req[6] != '\0');
	} else if (!strncmp(req, "up ", 3)) {
		if (iked_up(d, req + 3, msg, sizeof(msg)))
			fprintf(f, "error: %s\n", msg);
		else
			fprintf(f, "ok\n%s\n", msg);
	} else if (!strcmp(req, "reload")) {
		if (iked_reload(d, msg, sizeof(msg)))
			fprintf(f, "error: %s\n", msg);
		else
			fprintf(f, "ok\n%s\n", msg);
	} else if (!strncmp(req, "down ", 5)) {
		if (iked_down(d, req + 5, msg, sizeof(msg)))
			fprintf(f, "error: %s\n", msg);
		else
			fprintf(f, "ok\n%s\n", msg);
	} else if (!strncmp(req, "rekey ", 6) || !strncmp(req, "rekey-ike ", 10)) {
		bool ike = req[5] == '-';

		if (iked_rekey(d, req + (ike ? 10 : 6), ike, msg, sizeof(msg)))
			fprintf(f, "error: %s\n", msg);
		else
			fprintf(f, "ok\n%s\n", msg);
	} else {
		fprintf(f, "error: unknown request '%.64s'\n", req);
	}
	fclose(f);
}
