/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's control socket (control.c), for pqikectl.
 */
#ifndef PQIKED_CONTROL_H
#define PQIKED_CONTROL_H

#define IKED_CONTROL_PATH "/run/pqiked.ctl"

struct iked;

/* The listening socket at @path, or -1 with errno. */
int iked_control_open(const char *path);
/* Answers one client of the listening socket @lfd. */
void iked_control_serve(struct iked *d, int lfd);

#endif /* PQIKED_CONTROL_H */
