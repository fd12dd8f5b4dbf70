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
#include <netinet/udp.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "cookie.h"
#include "daemon.h"
#include "kemclient.h"
#include "proposal.h"
#include "ike_util.h"
#include "xfrm.h"

#define MAX_SAS		64
#define RETRANSMITS	5
#define FIRST_TIMEOUT	1000	/* ms, doubled per retransmission */
/* a responder SA not established by then is dropped (strongSwan: 30 s) */
#define HALF_OPEN_TIMEOUT	30000	/* ms */

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

/* A message sent: one datagram or RFC 7383 fragments back to back. */
struct sent {
	uint8_t *buf;
	size_t len;
	unsigned int nfrag;
	uint16_t frag_len[IKE_MAX_FRAGS];
	uint32_t msgid;
};

struct slot {
	struct ike_sa *sa;
	unsigned int conn;
	struct sent req;	/* our last request, for retransmission */
	struct sent resp;	/* our last response, for a repeated request */
	bool waiting;		/* a request of ours is unanswered */
	uint64_t heard;		/* ms: when the peer last passed an ICV */
	/* where the peer is: its address and port, on which of our sockets */
	struct sockaddr_in peer;
	bool natt_sock;		/* port 4500, with the non-ESP marker */
	uint64_t keepalive;	/* ms: next NAT keepalive (we are behind a NAT) */
	uint64_t rx_ok;		/* the SA's count then */
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
	/* per connection: [0] the IKE port, [1] the NAT-T port (4500) */
	int fd[IKED_MAX_CONNS][2];
	unsigned int natt_port;
	struct slot slot[MAX_SAS];
	struct ike_out out;
	uint8_t rbuf[IKE_MAX_MSG];
	struct ike_cookies cookies;
	uint64_t cookies_rotated;	/* ms */
	const char *path;		/* of the configuration, for reloads */
	bool own_kemc;			/* opened by a reload: ours to close */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct iked *iked_new(struct iked_config *cfg, const char *path,
		      struct kemc *kemc, struct xfrm_conn *xfrm, unsigned int port,
		      unsigned int natt_port)
{
	struct iked *d = calloc(1, sizeof(*d));
	unsigned int i;

	if (!d)
		return NULL;
	d->cfg = cfg;
	d->path = path;
	d->kemc = kemc;
	d->xfrm = xfrm;
	d->port = port;
	for (i = 0; i < IKED_MAX_CONNS; i++)
		d->fd[i][0] = d->fd[i][1] = -1;
	d->natt_port = natt_port;
	ike_cookie_rotate(&d->cookies);
	d->cookies_rotated = now_ms();
	for (i = 0; i < cfg->nconn; i++)
		cfg->conn[i].ike.ke_env.kemc =
			cfg->conn[i].kem == IKED_KEM_KERNEL ? kemc : NULL;
	return d;
}

static const char *cname(const struct iked *d, const struct slot *s)
{
	return d->cfg->conn[s->conn].name;
}

static void child_remove(struct iked *d, struct slot *s);
static void send_msg(struct iked *d, struct slot *s, const uint8_t *msg,
		     size_t len, unsigned int nfrag, const uint16_t *frag_len);

static void slot_free(struct iked *d, struct slot *s)
{
	child_remove(d, s);
	ike_sa_free(s->sa);	/* deletes its kernel key handles */
	free(s->req.buf);
	free(s->resp.buf);
	ike_wipe(s, sizeof(*s));
}

static void close_conn(struct iked *d, unsigned int i)
{
	unsigned int k;

	for (k = 0; k < 2; k++) {
		if (d->fd[i][k] >= 0)
			close(d->fd[i][k]);
		d->fd[i][k] = -1;
	}
}

void iked_free(struct iked *d)
{
	unsigned int i;

	if (!d)
		return;
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa)
			continue;
		/* tell the peer, without waiting for its answer */
		memset(&d->out, 0, sizeof(d->out));
		if (!ike_sa_delete(s->sa, &d->out)) {
			send_msg(d, s, d->out.msg, d->out.len, d->out.nfrag,
				 d->out.frag_len);
			iked_log(IKED_INFO, cname(d, s), "shutting down: Delete sent to the peer");
		}
		slot_free(d, s);
	}
	for (i = 0; i < IKED_MAX_CONNS; i++)
		close_conn(d, i);
	ike_wipe(&d->out, sizeof(d->out));
	ike_cookie_wipe(&d->cookies);
	iked_config_wipe(d->cfg);
	free(d->cfg);
	if (d->own_kemc)
		kemc_close(d->kemc);
	free(d);
}

/*
 * The UDP sockets of connection @i on its local address: the IKE port and
 * the NAT-T port, where the kernel takes ESP in UDP (UDP_ENCAP_ESPINUDP)
 * and hands pqiked what carries the non-ESP marker. 0 or -1 (logged).
 */
static int listen_one(struct iked *d, unsigned int i)
{
	struct iked_conn_cfg *c = &d->cfg->conn[i];
	unsigned int port[2] = { d->port, d->natt_port }, k;
	int one = 1, encap = UDP_ENCAP_ESPINUDP;

	for (k = 0; k < 2; k++) {
		struct sockaddr_in sin = {
			.sin_family = AF_INET, .sin_port = htons((uint16_t)port[k]),
			.sin_addr = c->local_addr,
		};
		int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

		d->fd[i][k] = fd;
		if (fd < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
		    (k && setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &encap, sizeof(encap))) ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
			iked_log(IKED_ERR, c->name, "cannot listen on %s:%u: %s",
				 inet_ntoa(c->local_addr), port[k], strerror(errno));
			close_conn(d, i);
			return -1;
		}
	}
	iked_log(IKED_INFO, c->name, "listening on %s:%u and %u (NAT-T)",
		 inet_ntoa(c->local_addr), d->port, d->natt_port);
	return 0;
}

int iked_listen(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++)
		if (listen_one(d, i))
			return -1;
	return 0;
}

/* One datagram to @to from connection @conn's socket @k (1: NAT-T), as is. */
static void send_raw(struct iked *d, unsigned int conn, unsigned int k,
		     const struct sockaddr_in *to, const uint8_t *msg, size_t len)
{
	if (sendto(d->fd[conn][k], msg, len, 0, (const struct sockaddr *)to,
		   sizeof(*to)) < 0)
		iked_log(IKED_ERR, d->cfg->conn[conn].name, "sending %zu bytes: %s",
			 len, strerror(errno));
}

/* An IKE datagram: on the NAT-T socket behind the non-ESP marker. */
static void send_to(struct iked *d, unsigned int conn, unsigned int k,
		    const struct sockaddr_in *to, const uint8_t *msg, size_t len)
{
	static uint8_t marked[IKE_NON_ESP_MARKER_LEN + IKE_MAX_MSG];

	if (k && len <= IKE_MAX_MSG) {	/* RFC 3948 2.2 */
		memset(marked, 0, IKE_NON_ESP_MARKER_LEN);
		memcpy(marked + IKE_NON_ESP_MARKER_LEN, msg, len);
		msg = marked;
		len += IKE_NON_ESP_MARKER_LEN;
	}
	send_raw(d, conn, k, to, msg, len);
}

static void send_dgram(struct iked *d, struct slot *s, const uint8_t *msg,
		       size_t len)
{
	send_to(d, s->conn, s->natt_sock, &s->peer, msg, len);
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
	iked_log(IKED_INFO, cname(d, s), "sent %zu bytes in %u fragments (RFC 7383)",
		 len, nfrag);
}

static void send_sent(struct iked *d, struct slot *s, const struct sent *m)
{
	send_msg(d, s, m->buf, m->len, m->nfrag, m->frag_len);
}

/*
 * Keeps a copy of what was sent: a request for retransmission, a response
 * for a repeated request (RFC 7296 2.1). Which one, the header says.
 */
static void remember(struct slot *s, const struct ike_out *o)
{
	bool response = o->msg[19] & IKE_FLAG_RESPONSE;
	struct sent *m = response ? &s->resp : &s->req;
	uint8_t *p = realloc(m->buf, o->len);

	if (!p)
		return;
	memcpy(p, o->msg, o->len);
	m->buf = p;
	m->len = o->len;
	m->nfrag = o->nfrag;
	memcpy(m->frag_len, o->frag_len, sizeof(m->frag_len));
	m->msgid = ike_get32(o->msg + 20);
	if (!response) {
		s->waiting = true;
		s->tries = 0;
		s->deadline = now_ms() + FIRST_TIMEOUT;
	}
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
	x->tunnel = !o->child.transport;
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
	x->encap = o->child.encap;
	x->encap_sport = (uint16_t)d->natt_port;
	x->encap_dport = ntohs(s->peer.sin_port);
	if (!x->aead || xfrm_child_install(d->xfrm, x)) {
		iked_log(IKED_ERR, c->name, "installing the Child SA: %s",
			 x->aead ? xfrm_error(d->xfrm) : "no kernel AEAD");
		return;
	}
	s->installed = true;
	iked_log(IKED_INFO, c->name, "Child SA %s installed: %s SPIs in %08x out %08x, %s mode%s",
		 c->child_name, x->aead, x->spi_in, x->spi_out,
		 x->tunnel ? "tunnel" : "transport",
		 x->encap ? ", ESP in UDP (NAT)" : "");
	ike_wipe(s->key_in, sizeof(s->key_in));	/* XFRM has them now */
	ike_wipe(s->key_out, sizeof(s->key_out));
}

static void child_remove(struct iked *d, struct slot *s)
{
	if (!s->installed)
		return;
	if (xfrm_child_remove(d->xfrm, &s->xc))
		iked_log(IKED_ERR, cname(d, s), "removing the Child SA from XFRM: %s",
			 xfrm_error(d->xfrm));
	else
		iked_log(IKED_INFO, cname(d, s), "Child SA removed (SPIs %08x/%08x)",
			 s->xc.spi_in, s->xc.spi_out);
	s->installed = false;
}

/* The effects of one processed (or started) message. */
static void effects(struct iked *d, struct slot *s, int rc)
{
	struct ike_out *o = &d->out;
	const char *conn = cname(d, s);

	if (o->rx_nfrag)
		iked_log(IKED_INFO, conn, "reassembled %zu bytes of payloads from %u fragments (RFC 7383)",
			 o->rx_len, o->rx_nfrag);
	if (o->log[0])
		iked_log(rc ? IKED_ERR : IKED_INFO, conn, "%s", o->log);
	if (s->sa->rx_ok != s->rx_ok) {
		s->rx_ok = s->sa->rx_ok;
		s->heard = now_ms();
	}
	if (o->len) {
		send_msg(d, s, o->msg, o->len, o->nfrag, o->frag_len);
		remember(s, o);
	}
	/* our request was answered */
	if (s->waiting && !o->len && s->sa->state >= IKE_SA_ESTABLISHED &&
	    !s->sa->pending)
		s->waiting = false;
	if (s->sa->state == IKE_SA_ESTABLISHED && !s->established) {
		s->established = now_ms();
		ike_prop_format(&s->sa->chosen, s->proposal, sizeof(s->proposal));
	}
	if (o->child_ready)
		install(d, s, o);
	if (o->child_deleted)
		child_remove(d, s);
	ike_wipe(&o->child, sizeof(o->child));
	if (s->sa->state == IKE_SA_DELETED) {
		iked_log(IKED_INFO, conn, "IKE SA deleted");
		slot_free(d, s);
	} else if (s->sa->state == IKE_SA_FAILED) {
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
		s->peer = (struct sockaddr_in){
			.sin_family = AF_INET,
			.sin_port = htons((uint16_t)d->port),
			.sin_addr = d->cfg->conn[conn].remote_addr,
		};
		if (s->sa) {
			s->sa->local = (struct ike_addr){
				d->cfg->conn[conn].local_addr.s_addr,
				(uint16_t)d->port };
			s->sa->remote = (struct ike_addr){
				d->cfg->conn[conn].remote_addr.s_addr,
				(uint16_t)d->port };
		}
		return s->sa ? s : NULL;
	}
	iked_log(IKED_ERR, d->cfg->conn[conn].name, "no room for another IKE SA");
	return NULL;
}

static void start_one(struct iked *d, unsigned int i)
{
	struct slot *s = new_slot(d, i, true);

	if (!s)
		return;
	memset(&d->out, 0, sizeof(d->out));
	effects(d, s, ike_sa_start(s->sa, &d->out));
}

void iked_start(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++)
		if (d->cfg->conn[i].start)
			start_one(d, i);
}

/* Responder SAs of a connection that are not established yet. */
static unsigned int half_open(const struct iked *d, unsigned int conn)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_SAS; i++)
		n += d->slot[i].sa && d->slot[i].conn == conn &&
		     !d->slot[i].sa->initiator &&
		     d->slot[i].sa->state < IKE_SA_ESTABLISHED;
	return n;
}

/*
 * A new IKE_SA_INIT request in d->rbuf: dropped at block_threshold
 * half-open SAs, answered with a cookie at cookie_threshold (RFC 7296
 * 2.6), else admitted. No SA and no key exchange before this says yes.
 */
static bool admit(struct iked *d, unsigned int conn, unsigned int k,
		  const struct sockaddr_in *from, size_t len)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[conn];
	unsigned int half = half_open(d, conn);

	if (half >= c->block_threshold) {
		iked_log(IKED_INFO, c->name, "dropped an IKE_SA_INIT request: %u half-open SAs (block_threshold)",
			 half);
		return false;
	}
	switch (ike_cookie_gate(&d->cookies, d->rbuf, len, from->sin_addr.s_addr,
				half >= c->cookie_threshold, &d->out)) {
	case IKE_COOKIE_ACCEPT:
		return true;
	case IKE_COOKIE_REPLY:
		send_to(d, conn, k, from, d->out.msg, d->out.len);
		iked_log(IKED_INFO, c->name, "%u half-open SAs: answered an IKE_SA_INIT request with a cookie",
			 half);
		return false;
	case IKE_COOKIE_DROP:
		break;
	}
	return false;
}

/*
 * A datagram on connection @conn's socket @k (1: NAT-T, where IKE carries
 * the non-ESP marker; the kernel keeps ESP in UDP for itself).
 */
static void receive(struct iked *d, unsigned int conn, unsigned int k)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[conn];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct slot *s = NULL;
	uint64_t spi_i, rx_ok;
	uint32_t msgid;
	uint8_t flags, exch;
	ssize_t n;
	unsigned int i;
	int rc;

	n = recvfrom(d->fd[conn][k], d->rbuf, sizeof(d->rbuf), 0,
		     (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	if (from.sin_addr.s_addr != c->remote_addr.s_addr) {
		iked_log(IKED_DEBUG, c->name, "dropped a datagram from %s",
			 inet_ntoa(from.sin_addr));
		return;
	}
	if (k) {
		/* a NAT keepalive (one 0xff byte), or no marker: not IKE */
		if (n < IKE_NON_ESP_MARKER_LEN + IKE_HDR_LEN ||
		    memcmp(d->rbuf, "\0\0\0\0", IKE_NON_ESP_MARKER_LEN))
			return;
		n -= IKE_NON_ESP_MARKER_LEN;
		memmove(d->rbuf, d->rbuf + IKE_NON_ESP_MARKER_LEN, (size_t)n);
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
		    d->slot[i].sa->initiator == !(flags & IKE_FLAG_INITIATOR))
			s = &d->slot[i];
	if (!s && exch == IKE_SA_INIT && !(flags & IKE_FLAG_RESPONSE) &&
	    !ike_get64(d->rbuf + 8)) {
		if (!admit(d, conn, k, &from, (size_t)n))
			return;
		s = new_slot(d, conn, false);
		if (s) {	/* answer where the request came from */
			s->peer = from;
			s->natt_sock = k;
		}
	}
	if (!s) {
		iked_log(IKED_DEBUG, c->name, "dropped a message for no IKE SA of ours");
		return;
	}
	/*
	 * A repeated request: the same answer again (RFC 7296 2.1); for a
	 * request in fragments, once, on its first fragment (RFC 7383 2.6.1).
	 */
	if (!(flags & IKE_FLAG_RESPONSE) && s->resp.len && msgid == s->resp.msgid &&
	    s->resp.buf[18] == exch) {
		if (d->rbuf[16] != IKE_PL_SKF ||
		    (n >= IKE_HDR_LEN + 8 && ike_get16(d->rbuf + IKE_HDR_LEN + 4) == 1))
			send_sent(d, s, &s->resp);
		return;
	}
	/* the addresses NAT detection compares (RFC 7296 2.23) */
	s->sa->local = (struct ike_addr){ c->local_addr.s_addr,
					  (uint16_t)(k ? d->natt_port : d->port) };
	s->sa->remote = (struct ike_addr){ from.sin_addr.s_addr, ntohs(from.sin_port) };
	rx_ok = s->sa->rx_ok;
	memset(&d->out, 0, sizeof(d->out));
	rc = ike_sa_process(s->sa, d->rbuf, (size_t)n, &d->out);
	/* an authenticated message says where the peer is now (2.23) */
	if (s->sa->rx_ok != rx_ok) {
		s->peer = from;
		s->natt_sock = k;
	}
	/* the initiator moves to port 4500 after IKE_SA_INIT (as strongSwan) */
	if (s->sa->initiator && s->sa->natt && !s->natt_sock &&
	    s->sa->state > IKE_SA_INIT_SENT && s->sa->state < IKE_SA_DELETED) {
		s->natt_sock = true;
		s->peer.sin_port = htons((uint16_t)d->natt_port);
		if (s->sa->nat_local || s->sa->nat_remote)
			iked_log(IKED_INFO, c->name, "NAT detected (%s): moving to port %u, ESP in UDP",
				 s->sa->nat_local ? "this side" : "the peer's side",
				 d->natt_port);
	}
	effects(d, s, rc);
}

/* Whether an established SA is due for a liveness check (dpd_delay). */
static bool dpd_due(const struct iked *d, const struct slot *s, uint64_t now)
{
	unsigned int delay = d->cfg->conn[s->conn].dpd_delay;

	return delay && s->sa->state == IKE_SA_ESTABLISHED && !s->waiting &&
	       now >= (s->heard > s->established ? s->heard : s->established) +
		      (uint64_t)delay * 1000;
}

static void timers(struct iked *d)
{
	uint64_t now = now_ms();
	unsigned int i;

	if (now - d->cookies_rotated > IKE_COOKIE_ROTATE_MS) {
		ike_cookie_rotate(&d->cookies);
		d->cookies_rotated = now;
	}

	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (s->sa && !s->sa->initiator &&
		    s->sa->state < IKE_SA_ESTABLISHED &&
		    now - s->created > HALF_OPEN_TIMEOUT) {
			iked_log(IKED_INFO, cname(d, s), "half-open IKE SA not completed in %d s: dropped",
				 HALF_OPEN_TIMEOUT / 1000);
			slot_free(d, s);
			continue;
		}
		/* behind a NAT: keep its mapping (RFC 3948 2.3) */
		if (s->sa && s->installed && s->sa->nat_local && s->natt_sock &&
		    now >= s->keepalive) {
			static const uint8_t ka = 0xff;

			if (s->keepalive)
				send_raw(d, s->conn, 1, &s->peer, &ka, 1);
			s->keepalive = now + IKE_NATT_KEEPALIVE_MS;
		}
		if (s->sa && dpd_due(d, s, now)) {
			memset(&d->out, 0, sizeof(d->out));
			effects(d, s, ike_sa_dpd(s->sa, &d->out));
		}

		if (!s->sa || !s->waiting || now < s->deadline)
			continue;
		if (s->tries >= RETRANSMITS) {
			iked_log(IKED_ERR, cname(d, s), "no answer after %d retransmissions: giving up%s",
				 RETRANSMITS, s->sa->state >= IKE_SA_ESTABLISHED ?
				 ", the peer is dead: removing the IKE SA" : "");
			slot_free(d, s);
			continue;
		}
		s->tries++;
		s->deadline = now + ((uint64_t)FIRST_TIMEOUT << s->tries);
		iked_log(IKED_INFO, cname(d, s), "retransmitting (%u of %d)", s->tries,
			 RETRANSMITS);
		send_sent(d, s, &s->req);
	}
}

unsigned int iked_pollfds(struct iked *d, struct pollfd *fds, unsigned int max,
			  int *timeout_ms)
{
	uint64_t now = now_ms(), next = UINT64_MAX;
	unsigned int i, n = 0;

	for (i = 0; i < d->cfg->nconn && n + 2 <= max; i++) {
		fds[n++] = (struct pollfd){ .fd = d->fd[i][0], .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = d->fd[i][1], .events = POLLIN };
	}
	for (i = 0; i < MAX_SAS; i++) {
		const struct slot *s = &d->slot[i];
		unsigned int delay;

		if (!s->sa)
			continue;
		if (s->waiting && s->deadline < next)
			next = s->deadline;
		delay = d->cfg->conn[s->conn].dpd_delay;
		if (delay && s->sa->state == IKE_SA_ESTABLISHED && !s->waiting) {
			uint64_t due = (s->heard > s->established ? s->heard :
					s->established) + (uint64_t)delay * 1000;

			if (due < next)
				next = due;
		}
	}
	*timeout_ms = next == UINT64_MAX ? 1000 :
		      next <= now ? 0 : (int)(next - now);
	return n;
}

void iked_run(struct iked *d, const struct pollfd *fds, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && i / 2 < d->cfg->nconn; i++)
		if (fds[i].revents & POLLIN)
			receive(d, i / 2, i % 2);
	timers(d);
}

unsigned int iked_nconn(const struct iked *d)
{
	return d->cfg->nconn;
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

int iked_down(struct iked *d, const char *name, char *msg, size_t len)
{
	unsigned int i, c, n = 0;

	for (c = 0; c < d->cfg->nconn; c++)
		if (!strcmp(d->cfg->conn[c].name, name))
			break;
	if (c == d->cfg->nconn) {
		snprintf(msg, len, "no connection '%s'", name);
		return -1;
	}
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa || s->conn != c)
			continue;
		n++;
		if (s->sa->state == IKE_SA_DELETING)
			continue;
		memset(&d->out, 0, sizeof(d->out));
		if (ike_sa_delete(s->sa, &d->out)) {
			/* not established (or busy): nothing to tell the peer yet */
			iked_log(IKED_INFO, name, "pqikectl down: IKE SA removed");
			slot_free(d, s);
			continue;
		}
		effects(d, s, 0);
	}
	if (!n) {
		snprintf(msg, len, "%s: no IKE SA", name);
		return -1;
	}
	snprintf(msg, len, "%s: deleting %u IKE SA(s)", name, n);
	return 0;
}

/* Delete an SA we stop serving: a Delete to the peer, then gone. */
static void retire(struct iked *d, struct slot *s, const char *why)
{
	memset(&d->out, 0, sizeof(d->out));
	if (!ike_sa_delete(s->sa, &d->out))
		send_msg(d, s, d->out.msg, d->out.len, d->out.nfrag,
			 d->out.frag_len);
	iked_log(IKED_INFO, cname(d, s), "%s: IKE SA deleted", why);
	slot_free(d, s);
}

/* Whether a connection's settings are the same in two configurations. */
static bool conn_same(const struct iked_conn_cfg *a, const struct iked_conn_cfg *b)
{
	const struct ike_conn *x = &a->ike, *y = &b->ike;

	return !strcmp(a->name, b->name) && !strcmp(a->child_name, b->child_name) &&
	       a->local_addr.s_addr == b->local_addr.s_addr &&
	       a->remote_addr.s_addr == b->remote_addr.s_addr &&
	       !strcmp(a->local_id, b->local_id) && !strcmp(a->remote_id, b->remote_id) &&
	       a->psk_len == b->psk_len && !CRYPTO_memcmp(a->psk, b->psk, a->psk_len) &&
	       a->local_net.s_addr == b->local_net.s_addr &&
	       a->remote_net.s_addr == b->remote_net.s_addr &&
	       a->local_plen == b->local_plen && a->remote_plen == b->remote_plen &&
	       a->tunnel == b->tunnel && a->start == b->start && a->kem == b->kem &&
	       a->fragmentation == b->fragmentation &&
	       a->fragment_size == b->fragment_size && a->dpd_delay == b->dpd_delay &&
	       a->cookie_threshold == b->cookie_threshold &&
	       a->block_threshold == b->block_threshold &&
	       x->nike == y->nike && !memcmp(x->ike, y->ike, sizeof(x->ike)) &&
	       x->nesp == y->nesp && !memcmp(x->esp, y->esp, sizeof(x->esp)) &&
	       x->require_mlkem == y->require_mlkem;
}

int iked_reload(struct iked *d, char *msg, size_t len)
{
	struct iked_config *old = d->cfg, *ncfg = calloc(1, sizeof(*ncfg));
	int map[IKED_MAX_CONNS], fd[IKED_MAX_CONNS][2];
	bool kept[IKED_MAX_CONNS] = { false };
	unsigned int i, j, same = 0, gone = 0, fresh = 0, bad = 0;
	char err[512];

	if (!ncfg) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	if (iked_config_load(d->path, ncfg, err, sizeof(err))) {
		snprintf(msg, len, "%s (the running configuration stays)", err);
		free(ncfg);
		return -1;
	}
	for (i = 0; i < ncfg->nconn; i++)
		if (ncfg->conn[i].kem == IKED_KEM_KERNEL && !d->kemc) {
			if (kemc_open(&d->kemc, err, sizeof(err))) {
				snprintf(msg, len, "connection %s needs the KEM service: %s (the running configuration stays)",
					 ncfg->conn[i].name, err);
				iked_config_wipe(ncfg);
				free(ncfg);
				return -1;
			}
			d->own_kemc = true;
		}
	for (i = 0; i < IKED_MAX_CONNS; i++)
		fd[i][0] = fd[i][1] = -1;
	/* the old connections: kept as they are, or retired */
	for (i = 0; i < old->nconn; i++) {
		map[i] = -1;
		for (j = 0; j < ncfg->nconn; j++)
			if (!kept[j] && conn_same(&old->conn[i], &ncfg->conn[j])) {
				map[i] = (int)j;
				kept[j] = true;
				break;
			}
		same += map[i] >= 0;
		gone += map[i] < 0;
	}
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa)
			continue;
		if (map[s->conn] < 0) {
			retire(d, s, "reload: the connection changed or went");
			continue;
		}
		s->conn = (unsigned int)map[s->conn];
		s->sa->conn = &ncfg->conn[s->conn].ike;
	}
	for (i = 0; i < old->nconn; i++) {
		if (map[i] >= 0) {
			fd[map[i]][0] = d->fd[i][0];
			fd[map[i]][1] = d->fd[i][1];
			d->fd[i][0] = d->fd[i][1] = -1;
		} else {
			close_conn(d, i);
		}
	}
	memcpy(d->fd, fd, sizeof(d->fd));
	d->cfg = ncfg;
	for (j = 0; j < ncfg->nconn; j++)
		ncfg->conn[j].ike.ke_env.kemc =
			ncfg->conn[j].kem == IKED_KEM_KERNEL ? d->kemc : NULL;
	iked_config_wipe(old);
	free(old);
	/* the new and changed ones: listen, and start those that start */
	for (j = 0; j < ncfg->nconn; j++) {
		if (kept[j])
			continue;
		fresh++;
		if (listen_one(d, j)) {
			bad++;
			continue;
		}
		if (ncfg->conn[j].start)
			start_one(d, j);
	}
	snprintf(msg, len, "reloaded: %u connection(s) unchanged, %u new or changed, %u removed or changed%s",
		 same, fresh, gone, bad ? "; some cannot listen (see the log)" : "");
	iked_log(IKED_INFO, NULL, "%s", msg);
	return bad ? -1 : 0;
}

static const char *state_name(enum ike_sa_state st)
{
	switch (st) {
	case IKE_SA_NEW: return "new";
	case IKE_SA_INIT_SENT: return "ike-sa-init-sent";
	case IKE_SA_INTERMEDIATE: return "keying";
	case IKE_SA_AUTH_SENT: return "ike-auth-sent";
	case IKE_SA_ESTABLISHED: return "established";
	case IKE_SA_DELETING: return "deleting";
	case IKE_SA_DELETED: return "deleted";
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
		struct xfrm_counters cnt;
		char kes[128] = "";
		unsigned int k;

		if (!s->sa)
			continue;
		c = &d->cfg->conn[s->conn];
		memset(&cnt, 0, sizeof(cnt));
		if (s->installed && xfrm_child_counters(d->xfrm, &s->xc, &cnt))
			iked_log(IKED_ERR, c->name, "%s", xfrm_error(d->xfrm));
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
					"\"spi_out\":\"%08x\",\"aead\":\"%s\",\"mode\":\"%s\","
					"\"bytes_in\":%llu,\"packets_in\":%llu,"
					"\"bytes_out\":%llu,\"packets_out\":%llu}}",
					c->child_name, s->xc.spi_in, s->xc.spi_out,
					s->xc.aead, s->xc.tunnel ? "tunnel" : "transport",
					(unsigned long long)cnt.bytes_in,
					(unsigned long long)cnt.packets_in,
					(unsigned long long)cnt.bytes_out,
					(unsigned long long)cnt.packets_out);
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
			if (s->installed) {
				fprintf(f, "  %s: INSTALLED, %s, ESP SPIs %08x_i %08x_o, %s\n",
					c->child_name, s->xc.tunnel ? "TUNNEL" : "TRANSPORT",
					s->xc.spi_in, s->xc.spi_out, s->xc.aead);
				fprintf(f, "    in  %llu bytes, %llu packets\n"
					"    out %llu bytes, %llu packets\n",
					(unsigned long long)cnt.bytes_in,
					(unsigned long long)cnt.packets_in,
					(unsigned long long)cnt.bytes_out,
					(unsigned long long)cnt.packets_out);
			}
		}
		n++;
	}
	if (json)
		fputs("]}\n", f);
	else if (!n)
		fputs("no IKE SA\n", f);
}
