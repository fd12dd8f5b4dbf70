/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon around the IKE SA state machine, as main.c and control.c see
 * it: two UDP sockets per connection on its local address, port 500 and
 * the NAT-T port 4500 (RFC 3948), the table of IKE SAs, retransmission,
 * and the effects of the tasks: datagrams sent, Child SAs installed into
 * XFRM and removed when the SA dies or the daemon stops. Its files
 * (daemon.c, net.c, ops.c, status.c, log.c) share daemon_int.h. main.c
 * owns the start-up and shutdown order and the poll loop.
 */
#ifndef PQIKED_DAEMON_H
#define PQIKED_DAEMON_H

#include <stdbool.h>
#include <poll.h>
#include <stdio.h>

#include "config.h"

struct kemc;
struct xfrm_conn;
struct iked;

/*
 * The daemon takes @cfg (heap, freed by iked_free() or iked_reload()), read
 * from @path (kept: reloads read it again).
 */
struct iked *iked_new(struct iked_config *cfg, const char *path,
		      struct kemc *kemc, struct xfrm_conn *xfrm, unsigned int port,
		      unsigned int natt_port);
void iked_free(struct iked *d);	/* removes everything it installed */

/* Opens the sockets; 0 or -1 (logged). */
int iked_listen(struct iked *d);
/* Starts the connections with start_action = start. */
void iked_start(struct iked *d);
/*
 * The descriptors to poll (two per connection: @max must allow for them)
 * and the timeout (ms) until the next timer.
 */
unsigned int iked_pollfds(struct iked *d, struct pollfd *fds, unsigned int max,
			  int *timeout_ms);
/* After poll(): reads what is ready and runs the timers. */
void iked_run(struct iked *d, const struct pollfd *fds, unsigned int n);
/* pqikectl up NAME: initiate now; 0, or -1 with the reason in @msg. */
int iked_up(struct iked *d, const char *name, char *msg, size_t len);
/*
 * pqikectl down NAME: delete its IKE SAs (INFORMATIONAL Delete; removed
 * when the peer answers or after the retransmissions); 0, or -1 with the
 * reason in @msg.
 */
int iked_down(struct iked *d, const char *name, char *msg, size_t len);
/*
 * pqikectl rekey [--ike] NAME: rekey its Child SAs (make before break),
 * or with @ike its IKE SAs, now; 0, or -1 with the reason in @msg.
 */
int iked_rekey(struct iked *d, const char *name, bool ike, char *msg,
	       size_t len);
/*
 * pqikectl reload, SIGHUP: the configuration file read again replaces the
 * running one (a file that does not parse changes nothing).
 * Connections whose settings are unchanged keep their SAs and sockets; the
 * SAs of changed and removed ones are deleted (Delete to the peer); new
 * and changed ones listen, and start if start_action = start. 0, or -1
 * with the reason in @msg (then the old configuration stays if nothing
 * was changed yet: only a missing KEM service refuses that early).
 */
int iked_reload(struct iked *d, char *msg, size_t len);
/* pqikectl status: IKE and Child SAs, as text or one JSON object. */
void iked_status(const struct iked *d, FILE *f, bool json);

/* An XFRM expire or acquire (xfrm.h) of one of pqiked's SAs. */
struct xfrm_event;
void iked_xfrm_event(struct iked *d, const struct xfrm_event *ev);
/* Configured connections. */
unsigned int iked_nconn(const struct iked *d);
/* Established Child SAs (for status and tests). */
unsigned int iked_children(const struct iked *d);

/*
 * Logging with a level: "pqiked[CONN]: LEVEL: message" on stderr, or, with
 * iked_syslog (after openlog()), "[CONN] message" to syslog (daemon
 * facility, LOG_ERR/LOG_INFO/LOG_DEBUG).
 */
enum iked_level { IKED_ERR, IKED_INFO, IKED_DEBUG };
void iked_log(enum iked_level lvl, const char *conn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
extern enum iked_level iked_verbosity;
extern bool iked_syslog;

#endif /* PQIKED_DAEMON_H */
