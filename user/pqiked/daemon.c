// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon (daemon.h): sockets, the IKE SA table, retransmission and
 * the effects of the exchanges on XFRM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "proposal.h"
#include "ike_util.h"
#include "xfrm.h"

#define MAX_SAS		64
#define RETRANSMITS	5
#define FIRST_TIMEOUT	1000	/* ms, doubled per retransmission */

enum iked_level iked_verbosity = IKED_INFO;

void iked_log(enum iked_level lvl, const char *conn, const char *fmt, ...)
{
	static const char *const names[] = { "error", "info", "debug" };
	va_list ap;

	if (lvl > iked_verbosity)
		return;
	fprintf(stderr, "pqiked[%s]: %s: ", conn ? conn : "-", names[lvl]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

struct slot {
	struct ike_sa *sa;
	unsigned int conn;
	uint8_t *last;		/* the last message we sent */
	size_t last_len;
	unsigned int last_nfrag;	/* > 0: in that many fragments */
	uint16_t last_frag_len[IKE_MAX_FRAGS];
	bool waiting;		/* initiator: a request is unanswered */
	uint64_t deadline;
	unsigned int tries;
	bool installed;
	uint64_t created, established;	/* ms, monotonic */
	char proposal[160];		/* the IKE SA's, strongSwan syntax */
	struct xfrm_child xc;
	uint8_t key_in[IKE_MAX_ENCR_KEY], key_out[IKE_MAX_ENCR_KEY];
};

struct iked {
	struct iked_config *cfg;
	struct kemc *kemc;
	struct xfrm_conn *xfrm;
	unsigned int port;
	int fd[IKED_MAX_CONNS];
	struct slot slot[MAX_SAS];
	struct ike_out out;
	uint8_t rbuf[IKE_MAX_MSG];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct iked *iked_new(struct iked_config *cfg, struct kemc *kemc,
		      struct xfrm_conn *xfrm, unsigned int port)
{
	struct iked *d = calloc(1, sizeof(*d));
	unsigned int i;

	if (!d)
		return NULL;
	d->cfg = cfg;
	d->kemc = kemc;
	d->xfrm = xfrm;
	d->port = port;
	for (i = 0; i < IKED_MAX_CONNS; i++)
		d->fd[i] = -1;
	for (i = 0; i < cfg->nconn; i++)
		cfg->conn[i].ike.ke_env.kemc =
			cfg->conn[i].kem == IKED_KEM_KERNEL ? kemc : NULL;
	return d;
}

static const char *cname(const struct iked *d, const struct slot *s)
{
	return d->cfg->conn[s->conn].name;
}

static void slot_free(struct iked *d, struct slot *s)
{
	if (s->installed) {
		if (xfrm_child_remove(d->xfrm, &s->xc))
			iked_log(IKED_ERR, cname(d, s), "removing the Child SA from XFRM: %s",
				 xfrm_error(d->xfrm));
		else
			iked_log(IKED_INFO, cname(d, s), "Child SA removed (SPIs %08x/%08x)",
				 s->xc.spi_in, s->xc.spi_out);
	}
	ike_sa_free(s->sa);	/* deletes its kernel key handles */
	free(s->last);
	ike_wipe(s, sizeof(*s));
}

void iked_free(struct iked *d)
{
	unsigned int i;

	if (!d)
		return;
	for (i = 0; i < MAX_SAS; i++)
		if (d->slot[i].sa)
			slot_free(d, &d->slot[i]);
	for (i = 0; i < IKED_MAX_CONNS; i++)
		if (d->fd[i] >= 0)
			close(d->fd[i]);
	ike_wipe(&d->out, sizeof(d->out));
	free(d);
}

int iked_listen(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++) {
		struct iked_conn_cfg *c = &d->cfg->conn[i];
		struct sockaddr_in sin = {
			.sin_family = AF_INET, .sin_port = htons((uint16_t)d->port),
			.sin_addr = c->local_addr,
		};
		int one = 1;

		d->fd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (d->fd[i] < 0 ||
		    setsockopt(d->fd[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    bind(d->fd[i], (struct sockaddr *)&sin, sizeof(sin))) {
			iked_log(IKED_ERR, c->name, "cannot listen on %s:%u: %s",
				 inet_ntoa(c->local_addr), d->port, strerror(errno));
			return -1;
		}
		iked_log(IKED_INFO, c->name, "listening on %s:%u",
			 inet_ntoa(c->local_addr), d->port);
	}
	return 0;
}

static void send_dgram(struct iked *d, struct slot *s, const uint8_t *msg,
		       size_t len)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[s->conn];
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons((uint16_t)d->port),
		.sin_addr = c->remote_addr,
	};

	if (sendto(d->fd[s->conn], msg, len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		iked_log(IKED_ERR, c->name, "sending %zu bytes: %s", len,
			 strerror(errno));
}

/* A message: one datagram, or @nfrag RFC 7383 fragments back to back. */
static void send_msg(struct iked *d, struct slot *s, const uint8_t *msg,
		     size_t len, unsigned int nfrag, const uint16_t *frag_len)
{
	size_t pos = 0;
	unsigned int k;

	if (!nfrag) {
		send_dgram(d, s, msg, len);
		return;
	}
	for (k = 0; k < nfrag && pos + frag_len[k] <= len; k++) {
		send_dgram(d, s, msg + pos, frag_len[k]);
		pos += frag_len[k];
	}
	iked_log(IKED_DEBUG, cname(d, s), "sent %zu bytes in %u fragments", len,
		 nfrag);
}

static void send_last(struct iked *d, struct slot *s)
{
	send_msg(d, s, s->last, s->last_len, s->last_nfrag, s->last_frag_len);
}

/* Keeps a copy of what was sent, for retransmission or a repeated request. */
static void remember(struct slot *s, const struct ike_out *o, bool request)
{
	uint8_t *p = realloc(s->last, o->len);

	if (!p)
		return;
	memcpy(p, o->msg, o->len);
	s->last = p;
	s->last_len = o->len;
	s->last_nfrag = o->nfrag;
	memcpy(s->last_frag_len, o->frag_len, sizeof(s->last_frag_len));
	s->waiting = request;
	s->tries = 0;
	s->deadline = now_ms() + FIRST_TIMEOUT;
}

static void install(struct iked *d, struct slot *s, const struct ike_out *o)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[s->conn];
	struct xfrm_child *x = &s->xc;

	memset(x, 0, sizeof(*x));
	x->local = c->local_addr;
	x->remote = c->remote_addr;
	x->local_net = c->local_net;
	x->remote_net = c->remote_net;
	x->local_plen = c->local_plen;
	x->remote_plen = c->remote_plen;
	x->tunnel = c->tunnel;
	x->reqid = PQIKED_REQID_BASE | (uint32_t)(s - d->slot + 1);
	x->spi_in = o->child.spi_in;
	x->spi_out = o->child.spi_out;
	x->aead = xfrm_aead_name(o->child.aead->id);
	x->key_len = (unsigned int)(o->child.aead->key_len + IKE_SK_SALT_LEN);
	memcpy(s->key_in, o->child.key_in, x->key_len);
	memcpy(s->key_out, o->child.key_out, x->key_len);
	x->key_in = s->key_in;
	x->key_out = s->key_out;
	x->esn = o->child.esn;
	if (!x->aead || xfrm_child_install(d->xfrm, x)) {
		iked_log(IKED_ERR, c->name, "installing the Child SA: %s",
			 x->aead ? xfrm_error(d->xfrm) : "no kernel AEAD");
		return;
	}
	s->installed = true;
	iked_log(IKED_INFO, c->name, "Child SA %s installed: %s SPIs in %08x out %08x, %s mode",
		 c->child_name, x->aead, x->spi_in, x->spi_out,
		 x->tunnel ? "tunnel" : "transport");
	ike_wipe(s->key_in, sizeof(s->key_in));	/* XFRM has them now */
	ike_wipe(s->key_out, sizeof(s->key_out));
}

/* The effects of one processed (or started) message. */
static void effects(struct iked *d, struct slot *s, int rc)
{
	struct ike_out *o = &d->out;
	const char *conn = cname(d, s);

	if (o->log[0])
		iked_log(rc ? IKED_ERR : IKED_INFO, conn, "%s", o->log);
	if (o->len) {
		send_msg(d, s, o->msg, o->len, o->nfrag, o->frag_len);
		remember(s, o, s->sa->initiator);
	} else if (s->sa->state == IKE_SA_ESTABLISHED) {
		s->waiting = false;
	}
	if (s->sa->state == IKE_SA_ESTABLISHED && !s->established) {
		s->established = now_ms();
		ike_prop_format(&s->sa->chosen, s->proposal, sizeof(s->proposal));
	}
	if (o->child_ready)
		install(d, s, o);
	ike_wipe(&o->child, sizeof(o->child));
	if (s->sa->state == IKE_SA_FAILED) {
		iked_log(IKED_ERR, conn, "IKE SA failed");
		slot_free(d, s);
	}
}

static struct slot *new_slot(struct iked *d, unsigned int conn, bool initiator)
{
	unsigned int i;

	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (s->sa)
			continue;
		memset(s, 0, sizeof(*s));
		s->sa = ike_sa_new(&d->cfg->conn[conn].ike, initiator);
		s->conn = conn;
		s->created = now_ms();
		return s->sa ? s : NULL;
	}
	iked_log(IKED_ERR, d->cfg->conn[conn].name, "no room for another IKE SA");
	return NULL;
}

void iked_start(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++) {
		struct slot *s;
		int rc;

		if (!d->cfg->conn[i].start)
			continue;
		s = new_slot(d, i, true);
		if (!s)
			continue;
		memset(&d->out, 0, sizeof(d->out));
		rc = ike_sa_start(s->sa, &d->out);
		effects(d, s, rc);
	}
}

static void receive(struct iked *d, unsigned int conn)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[conn];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct slot *s = NULL;
	uint64_t spi_i;
	uint32_t msgid;
	uint8_t flags, exch;
	ssize_t n;
	unsigned int i;
	int rc;

	n = recvfrom(d->fd[conn], d->rbuf, sizeof(d->rbuf), 0,
		     (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	if (from.sin_addr.s_addr != c->remote_addr.s_addr) {
		iked_log(IKED_DEBUG, c->name, "dropped a datagram from %s",
			 inet_ntoa(from.sin_addr));
		return;
	}
	if (n < IKE_HDR_LEN) {
		iked_log(IKED_DEBUG, c->name, "dropped a %zd-byte datagram", n);
		return;
	}
	spi_i = ike_get64(d->rbuf);
	exch = d->rbuf[18];
	flags = d->rbuf[19];
	msgid = ike_get32(d->rbuf + 20);
	for (i = 0; i < MAX_SAS; i++)
		if (d->slot[i].sa && d->slot[i].conn == conn &&
		    d->slot[i].sa->spi_i == spi_i &&
		    d->slot[i].sa->initiator == !!(flags & IKE_FLAG_RESPONSE))
			s = &d->slot[i];
	if (!s && exch == IKE_SA_INIT && !(flags & IKE_FLAG_RESPONSE) &&
	    !ike_get64(d->rbuf + 8))
		s = new_slot(d, conn, false);
	if (!s) {
		iked_log(IKED_DEBUG, c->name, "dropped a message for no IKE SA of ours");
		return;
	}
	/*
	 * A repeated request: the same answer again (RFC 7296 2.1); for a
	 * request in fragments, once, on its first fragment (RFC 7383 2.6.1).
	 */
	if (!s->sa->initiator && s->last_len && s->sa->next_msgid &&
	    msgid == s->sa->next_msgid - 1) {
		if (d->rbuf[16] != IKE_PL_SKF ||
		    (n >= IKE_HDR_LEN + 8 && ike_get16(d->rbuf + IKE_HDR_LEN + 4) == 1))
			send_last(d, s);
		return;
	}
	memset(&d->out, 0, sizeof(d->out));
	rc = ike_sa_process(s->sa, d->rbuf, (size_t)n, &d->out);
	effects(d, s, rc);
}

static void timers(struct iked *d)
{
	uint64_t now = now_ms();
	unsigned int i;

	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa || !s->waiting || now < s->deadline)
			continue;
		if (s->tries >= RETRANSMITS) {
			iked_log(IKED_ERR, cname(d, s), "no answer after %d retransmissions: giving up",
				 RETRANSMITS);
			slot_free(d, s);
			continue;
		}
		s->tries++;
		s->deadline = now + ((uint64_t)FIRST_TIMEOUT << s->tries);
		iked_log(IKED_INFO, cname(d, s), "retransmitting (%u of %d)", s->tries,
			 RETRANSMITS);
		send_last(d, s);
	}
}

unsigned int iked_pollfds(struct iked *d, struct pollfd *fds, unsigned int max,
			  int *timeout_ms)
{
	uint64_t now = now_ms(), next = UINT64_MAX;
	unsigned int i, n = 0;

	for (i = 0; i < d->cfg->nconn && n < max; i++)
		fds[n++] = (struct pollfd){ .fd = d->fd[i], .events = POLLIN };
	for (i = 0; i < MAX_SAS; i++)
		if (d->slot[i].sa && d->slot[i].waiting && d->slot[i].deadline < next)
			next = d->slot[i].deadline;
	*timeout_ms = next == UINT64_MAX ? 1000 :
		      next <= now ? 0 : (int)(next - now);
	return n;
}

void iked_run(struct iked *d, const struct pollfd *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i < d->cfg->nconn; i++)
		if (fds[i].revents & POLLIN)
			receive(d, i);
	timers(d);
}

unsigned int iked_children(const struct iked *d)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_SAS; i++)
		n += d->slot[i].sa && d->slot[i].installed;
	return n;
}

/* ---- control (control.c calls these) ---- */

int iked_up(struct iked *d, const char *name, char *msg, size_t len)
{
	unsigned int i, c;
	struct slot *s;

	for (c = 0; c < d->cfg->nconn; c++)
		if (!strcmp(d->cfg->conn[c].name, name))
			break;
	if (c == d->cfg->nconn) {
		snprintf(msg, len, "no connection '%s'", name);
		return -1;
	}
	for (i = 0; i < MAX_SAS; i++)
		if (d->slot[i].sa && d->slot[i].conn == c) {
			snprintf(msg, len, "%s: an IKE SA is already %s", name,
				 d->slot[i].sa->state == IKE_SA_ESTABLISHED ?
				 "established" : "being set up");
			return -1;
		}
	s = new_slot(d, c, true);
	if (!s) {
		snprintf(msg, len, "%s: no room for another IKE SA", name);
		return -1;
	}
	memset(&d->out, 0, sizeof(d->out));
	effects(d, s, ike_sa_start(s->sa, &d->out));
	snprintf(msg, len, "%s: initiating", name);
	return 0;
}

static const char *state_name(enum ike_sa_state st)
{
	switch (st) {
	case IKE_SA_NEW: return "new";
	case IKE_SA_INIT_SENT: return "ike-sa-init-sent";
	case IKE_SA_INTERMEDIATE: return "keying";
	case IKE_SA_AUTH_SENT: return "ike-auth-sent";
	case IKE_SA_ESTABLISHED: return "established";
	case IKE_SA_FAILED: return "failed";
	}
	return "?";
}

/* Config strings are plain, but quote and backslash are escaped anyway. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		if ((unsigned char)*s >= 0x20)
			fputc(*s, f);
	}
	fputc('"', f);
}

void iked_status(const struct iked *d, FILE *f, bool json)
{
	uint64_t now = now_ms();
	unsigned int i, n = 0;

	if (json)
		fputs("{\"ike_sas\":[", f);
	for (i = 0; i < MAX_SAS; i++) {
		const struct slot *s = &d->slot[i];
		const struct iked_conn_cfg *c;
		char kes[128] = "";
		unsigned int k;

		if (!s->sa)
			continue;
		c = &d->cfg->conn[s->conn];
		for (k = 0; k < s->sa->nke; k++) {
			const struct ike_ke_method *m = ike_ke_method(s->sa->ke_id[k]);
			size_t l = strlen(kes);

			snprintf(kes + l, sizeof(kes) - l, "%s%s", k ? "+" : "",
				 m ? m->name : "?");
		}
		if (json) {
			fprintf(f, "%s{\"connection\":", n ? "," : "");
			json_str(f, c->name);
			fprintf(f, ",\"role\":\"%s\",\"state\":\"%s\","
				"\"spi_i\":\"%016llx\",\"spi_r\":\"%016llx\","
				"\"local\":\"%s\",", s->sa->initiator ? "initiator" : "responder",
				state_name(s->sa->state),
				(unsigned long long)s->sa->spi_i,
				(unsigned long long)s->sa->spi_r, inet_ntoa(c->local_addr));
			fprintf(f, "\"remote\":\"%s\",\"key_exchanges\":\"%s\","
				"\"proposal\":\"%s\",\"age_s\":%llu,\"child\":",
				inet_ntoa(c->remote_addr), kes, s->proposal,
				(unsigned long long)((now - s->created) / 1000));
			if (s->installed)
				fprintf(f, "{\"name\":\"%s\",\"spi_in\":\"%08x\","
					"\"spi_out\":\"%08x\",\"aead\":\"%s\",\"mode\":\"%s\"}}",
					c->child_name, s->xc.spi_in, s->xc.spi_out,
					s->xc.aead, s->xc.tunnel ? "tunnel" : "transport");
			else
				fputs("null}", f);
		} else {
			fprintf(f, "%s: %s, %s, %s[%s] ... ", c->name,
				state_name(s->sa->state),
				s->sa->initiator ? "initiator" : "responder",
				c->local_id, inet_ntoa(c->local_addr));
			fprintf(f, "%s[%s], %llus\n", c->remote_id, inet_ntoa(c->remote_addr),
				(unsigned long long)((now - s->created) / 1000));
			fprintf(f, "  IKE SPIs %016llx_i %016llx_r, %s, key exchanges %s\n",
				(unsigned long long)s->sa->spi_i,
				(unsigned long long)s->sa->spi_r,
				s->proposal[0] ? s->proposal : "-", kes[0] ? kes : "-");
			if (s->installed)
				fprintf(f, "  %s: INSTALLED, %s, ESP SPIs %08x_i %08x_o, %s\n",
					c->child_name, s->xc.tunnel ? "TUNNEL" : "TRANSPORT",
					s->xc.spi_in, s->xc.spi_out, s->xc.aead);
		}
		n++;
	}
	if (json)
		fputs("]}\n", f);
	else if (!n)
		fputs("no IKE SA\n", f);
}
