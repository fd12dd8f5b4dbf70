// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon's IKE SA table (daemon_int.h): slots, what a processed
 * message does (datagrams sent, Child SAs into and out of XFRM), the
 * receive path with the cookie gate, retransmission and the timers.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon_int.h"
#include "ike_util.h"
#include "kemclient.h"
#include "proposal.h"

uint64_t iked_now_ms(void)
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
		d->sock[i] = -1;
	d->natt_port = natt_port;
	ike_cookie_rotate(&d->cookies);
	d->cookies_rotated = iked_now_ms();
	for (i = 0; i < cfg->nconn; i++)
		cfg->conn[i].ike.ke_env.kemc =
			cfg->conn[i].kem == IKED_KEM_KERNEL ? kemc : NULL;
	return d;
}

/* A reqid no slot uses (pqiked's prefix and a number), marked used. */
static uint32_t reqid_get(struct iked *d)
{
	unsigned int r;

	for (r = 0; r < MAX_REQIDS; r++)
		if (!(d->reqid_used[r / 8] & (1u << (r % 8)))) {
			d->reqid_used[r / 8] |= (uint8_t)(1u << (r % 8));
			return PQIKED_REQID_BASE | (r + 1);
		}
	return 0;	/* cannot happen: twice as many reqids as slots */
}

static void reqid_put(struct iked *d, uint32_t reqid)
{
	unsigned int r = (reqid & ~PQIKED_REQID_MASK) - 1;

	if (reqid && r < MAX_REQIDS)
		d->reqid_used[r / 8] &= (uint8_t)~(1u << (r % 8));
}

const char *iked_cname(const struct iked *d, const struct slot *s)
{
	return d->cfg->conn[s->conn].name;
}

static void child_remove(struct iked *d, struct slot *s);

void iked_slot_free(struct iked *d, struct slot *s)
{
	child_remove(d, s);
	if (s->spi_reserved)	/* reserved for a child that never came */
		xfrm_release_spi(d->xfrm, d->cfg->conn[s->conn].local_addr,
				 s->spi_reserved);
	ike_sa_free(s->sa);	/* deletes its kernel key handles */
	free(s->req.buf);
	free(s->resp.buf);
	reqid_put(d, s->reqid);
	ike_wipe(s, sizeof(*s));
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
			iked_send_msg(d, s, d->out.msg, d->out.len, d->out.nfrag,
				 d->out.frag_len);
			iked_log(IKED_INFO, iked_cname(d, s), "shutting down: Delete sent to the peer");
		}
		iked_slot_free(d, s);
	}
	for (i = 0; i < IKED_MAX_CONNS; i++)
		iked_close_conn(d, i);
	ike_wipe(&d->out, sizeof(d->out));
	ike_cookie_wipe(&d->cookies);
	iked_config_wipe(d->cfg);
	free(d->cfg);
	if (d->own_kemc)
		kemc_close(d->kemc);
	free(d);
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
		s->deadline = iked_now_ms() +
			      s->d->cfg->conn[s->conn].retransmit_timeout * 1000ull;
	}
}

/* strongSwan's rand_time: up to a tenth earlier, so peers rarely collide */
static unsigned int jitter(unsigned int secs)
{
	uint8_t r[2];

	if (secs < 10)
		return secs;
	ike_random_bytes(r, sizeof(r));
	return secs - (unsigned int)(((uint32_t)r[0] << 8 | r[1]) % (secs / 10 + 1));
}

/* The XFRM view of @o's child: the connection's addresses and selectors. */
static void child_view(struct iked *d, struct slot *s, const struct ike_out *o,
		       struct xfrm_child *x)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[s->conn];

	memset(x, 0, sizeof(*x));
	x->local = c->local_addr;
	x->remote = c->remote_addr;
	x->local_net = c->local_net;
	x->remote_net = c->remote_net;
	x->local_plen = c->local_plen;
	x->remote_plen = c->remote_plen;
	x->tunnel = !o->child.transport;
	x->reqid = s->reqid;
	x->spi_in = o->child.spi_in;
	x->spi_reserved = s->spi_reserved == x->spi_in;
	x->spi_out = o->child.spi_out;
	x->aead = xfrm_aead_name(o->child.aead->id);
	x->key_len = (unsigned int)(o->child.aead->key_len + IKE_SK_SALT_LEN);
	memcpy(s->key_in, o->child.key_in, x->key_len);
	memcpy(s->key_out, o->child.key_out, x->key_len);
	x->key_in = s->key_in;
	x->key_out = s->key_out;
	x->esn = o->child.esn;
	x->soft_secs = jitter(c->rekey_time);
	x->hard_secs = c->life_time;
	x->encap = o->child.encap;
	x->encap_sport = (uint16_t)d->natt_port;
	x->encap_dport = ntohs(s->peer.sin_port);
}

static void install(struct iked *d, struct slot *s, const struct ike_out *o)
{
	const struct iked_conn_cfg *c = &d->cfg->conn[s->conn];
	struct xfrm_child *x = &s->xc;

	child_view(d, s, o, x);
	if (!x->aead || xfrm_child_install(d->xfrm, x)) {
		iked_log(IKED_ERR, c->name, "installing the Child SA: %s",
			 x->aead ? xfrm_error(d->xfrm) : "no kernel AEAD");
		return;
	}
	s->installed = true;
	s->spi_reserved = 0;	/* the inbound SA now */
	iked_log(IKED_INFO, c->name, "Child SA %s installed: %s SPIs in %08x out %08x, %s mode%s",
		 c->child_name, x->aead, x->spi_in, x->spi_out,
		 x->tunnel ? "tunnel" : "transport",
		 x->encap ? ", ESP in UDP (NAT)" : "");
	ike_wipe(s->key_in, sizeof(s->key_in));	/* XFRM has them now */
	ike_wipe(s->key_out, sizeof(s->key_out));
}

/* Old inbound SA @spi: goes at @at (0: when the peer is done with it). */
static void retire(struct iked *d, struct slot *s, uint32_t spi, uint64_t at)
{
	unsigned int i, k = MAX_RETIRED;

	for (i = 0; i < MAX_RETIRED; i++) {
		if (s->retired[i].spi == spi) {
			s->retired[i].at = at;
			return;
		}
		if (!s->retired[i].spi && k == MAX_RETIRED)
			k = i;
	}
	if (k == MAX_RETIRED) {	/* full: the oldest goes now */
		xfrm_sa_remove(d->xfrm, d->cfg->conn[s->conn].local_addr,
			       s->retired[0].spi);
		memmove(s->retired, s->retired + 1,
			sizeof(s->retired) - sizeof(s->retired[0]));
		k = MAX_RETIRED - 1;
	}
	s->retired[k].spi = spi;
	s->retired[k].at = at;
}

/* The retired inbound SAs that are due (@now; UINT64_MAX: all). */
static void retired_remove(struct iked *d, struct slot *s, uint64_t now)
{
	struct in_addr local = d->cfg->conn[s->conn].local_addr;
	unsigned int i;

	for (i = 0; i < MAX_RETIRED; i++) {
		uint32_t spi = s->retired[i].spi;

		if (!spi || (now != UINT64_MAX && (!s->retired[i].at ||
						   now < s->retired[i].at)))
			continue;
		if (xfrm_sa_remove(d->xfrm, local, spi))
			iked_log(IKED_ERR, iked_cname(d, s), "removing the old inbound SA: %s",
				 xfrm_error(d->xfrm));
		else if (now != UINT64_MAX)
			iked_log(IKED_INFO, iked_cname(d, s), "old inbound SA %08x removed",
				 spi);
		if (s->spi_reserved == spi)
			s->spi_reserved = 0;
		s->retired[i].spi = 0;
	}
}

/*
 * Rekeying: one SA of @o's new child (@in: the inbound one) beside the
 * old one, into @x; 0, or -1 (logged).
 */
static int add_rekeyed(struct iked *d, struct slot *s, const struct ike_out *o,
		       bool in, struct xfrm_child *x)
{
	child_view(d, s, o, x);
	x->soft_secs = s->xc.soft_secs ? jitter(d->cfg->conn[s->conn].rekey_time) : 0;
	if (x->aead && !xfrm_child_add_sa(d->xfrm, x, in))
		return 0;
	iked_log(IKED_ERR, iked_cname(d, s), "installing the rekeyed %s SA: %s",
		 in ? "inbound" : "outbound",
		 x->aead ? xfrm_error(d->xfrm) : "no kernel AEAD");
	return -1;
}

/* Rekeying: the new inbound SA beside the old one. */
static void install_in(struct iked *d, struct slot *s, const struct ike_out *o)
{
	struct xfrm_child x;

	if (add_rekeyed(d, s, o, true, &x))
		return;
	if (s->spi_reserved == x.spi_in)
		s->spi_reserved = 0;
	s->next_in = x.spi_in;
	iked_log(IKED_INFO, iked_cname(d, s), "rekeyed Child SA: inbound SA %08x installed",
		 x.spi_in);
}

/* Rekeying: the switch to the new outbound SA; the old one goes. */
static void install_out(struct iked *d, struct slot *s, const struct ike_out *o)
{
	struct xfrm_child x;
	uint32_t old_in = s->xc.spi_in;

	if (add_rekeyed(d, s, o, false, &x))
		return;
	if (xfrm_sa_remove(d->xfrm, s->xc.remote, o->old_spi_out))
		iked_log(IKED_ERR, iked_cname(d, s), "removing the old outbound SA: %s",
			 xfrm_error(d->xfrm));
	s->xc.spi_in = x.spi_in;
	s->xc.spi_out = x.spi_out;
	s->xc.spi_reserved = false;
	s->xc.soft_secs = x.soft_secs;
	s->next_in = 0;
	if (old_in != x.spi_in)
		retire(d, s, old_in, 0);
	iked_log(IKED_INFO, iked_cname(d, s), "rekeyed Child SA: outbound SA %08x replaces %08x",
		 x.spi_out, o->old_spi_out);
}

static void child_remove(struct iked *d, struct slot *s)
{
	retired_remove(d, s, UINT64_MAX);
	if (s->next_in) {
		xfrm_sa_remove(d->xfrm, d->cfg->conn[s->conn].local_addr, s->next_in);
		s->next_in = 0;
	}
	if (!s->installed)
		return;
	if (xfrm_child_remove(d->xfrm, &s->xc))
		iked_log(IKED_ERR, iked_cname(d, s), "removing the Child SA from XFRM: %s",
			 xfrm_error(d->xfrm));
	else
		iked_log(IKED_INFO, iked_cname(d, s), "Child SA removed (SPIs %08x/%08x)",
			 s->xc.spi_in, s->xc.spi_out);
	s->installed = false;
}

/* When the slot's IKE SA rekeys (the connection's rekey_time), or 0. */
static void schedule_ike_rekey(struct iked *d, struct slot *s)
{
	unsigned int t = d->cfg->conn[s->conn].ike_rekey_time;

	s->ike_rekey = t ? iked_now_ms() + jitter(t) * 1000ull : 0;
}

/*
 * A rekeyed IKE SA's successor (out->new_sa) moves into a slot of its own
 * and takes the Child SA along: nothing changes in XFRM, the reqid goes
 * with it. The old slot keeps the old IKE SA until its Delete is done.
 */
static void adopt(struct iked *d, struct slot *s, struct ike_sa *n)
{
	struct slot *t = NULL;
	unsigned int i;

	for (i = 0; i < MAX_SAS && !t; i++)
		if (!d->slot[i].sa)
			t = &d->slot[i];
	if (!t) {
		iked_log(IKED_ERR, iked_cname(d, s), "no room for the rekeyed IKE SA: dropped (the Child SA goes with the old one)");
		ike_sa_free(n);
		return;
	}
	memset(t, 0, sizeof(*t));
	t->d = d;
	t->sa = n;
	t->conn = s->conn;
	t->peer = s->peer;
	t->natt_sock = s->natt_sock;
	t->keepalive = s->keepalive;
	t->heard = t->created = t->established = iked_now_ms();
	t->rx_ok = n->rx_ok;
	ike_prop_format(&n->chosen, t->proposal, sizeof(t->proposal));
	schedule_ike_rekey(d, t);
	n->spi_ctx = t;
	/* the Child SA and everything of it */
	t->reqid = s->reqid;
	t->installed = s->installed;
	t->xc = s->xc;
	t->xc.key_in = t->key_in;
	t->xc.key_out = t->key_out;
	t->next_in = s->next_in;
	memcpy(t->retired, s->retired, sizeof(t->retired));
	t->rekey_retry = s->rekey_retry;
	t->rekey_retry_spi = s->rekey_retry_spi;
	t->spi_reserved = s->spi_reserved;
	s->installed = false;
	s->next_in = 0;
	memset(s->retired, 0, sizeof(s->retired));
	s->rekey_retry = 0;
	s->spi_reserved = 0;
	s->ike_rekey = 0;
	s->rekeyed = iked_now_ms();
	s->reqid = reqid_get(d);	/* the old one went with the child */
}

/* The effects of one processed (or started) message. */
void iked_effects(struct iked *d, struct slot *s, int rc)
{
	struct ike_out *o = &d->out;
	const char *conn = iked_cname(d, s);

	if (o->rx_nfrag)
		iked_log(IKED_INFO, conn, "reassembled %zu bytes of payloads from %u fragments (RFC 7383)",
			 o->rx_len, o->rx_nfrag);
	if (o->log[0])
		iked_log(rc ? IKED_ERR : IKED_INFO, conn, "%s", o->log);
	if (s->sa->rx_ok != s->rx_ok) {
		s->rx_ok = s->sa->rx_ok;
		s->heard = iked_now_ms();
	}
	/* XFRM first: the peer may act on our message at once */
	if (o->child_ready)
		install(d, s, o);
	if (o->child_in && s->installed)
		install_in(d, s, o);
	if (o->child_out && s->installed)
		install_out(d, s, o);
	if (o->retire_spi_in)
		retire(d, s, o->retire_spi_in, iked_now_ms() + REKEYED_IN_DELAY);
	if (o->release_spi) {
		xfrm_release_spi(d->xfrm, d->cfg->conn[s->conn].local_addr,
				 o->release_spi);
		if (s->spi_reserved == o->release_spi)
			s->spi_reserved = 0;
	}
	if (o->child_deleted)
		child_remove(d, s);
	ike_wipe(&o->child, sizeof(o->child));
	if (o->rekey_failed && s->sa->child.aead) {
		s->rekey_retry = iked_now_ms() + REKEY_RETRY_DELAY;
		s->rekey_retry_spi = s->sa->child.spi_in;
	}
	if (o->ike_rekey_failed && !s->sa->rekeyed)
		s->ike_rekey = iked_now_ms() + REKEY_RETRY_DELAY;
	if (o->new_sa) {
		adopt(d, s, o->new_sa);
		o->new_sa = NULL;
	}
	if (o->len) {
		iked_send_msg(d, s, o->msg, o->len, o->nfrag, o->frag_len);
		remember(s, o);
	}
	/* our request was answered */
	if (s->waiting && !o->len && s->sa->state >= IKE_SA_ESTABLISHED &&
	    !s->sa->pending)
		s->waiting = false;
	if (s->sa->state == IKE_SA_ESTABLISHED && !s->established) {
		s->established = iked_now_ms();
		ike_prop_format(&s->sa->chosen, s->proposal, sizeof(s->proposal));
		schedule_ike_rekey(d, s);
	}
	if (s->sa->state == IKE_SA_DELETED) {
		iked_log(IKED_INFO, conn, "IKE SA deleted");
		iked_slot_free(d, s);
	} else if (s->sa->state == IKE_SA_FAILED) {
		iked_log(IKED_ERR, conn, "IKE SA failed");
		iked_slot_free(d, s);
	}
}

/*
 * The IKE SA's inbound SPI allocator (sa.h): reserved in XFRM with the
 * slot's reqid, so that a killed pqiked's successor finds it too.
 */
static uint32_t alloc_spi(void *ctx)
{
	struct slot *s = ctx;
	struct iked *d = s->d;
	const struct iked_conn_cfg *c = &d->cfg->conn[s->conn];
	uint32_t spi;

	if (s->spi_reserved)
		xfrm_release_spi(d->xfrm, c->local_addr, s->spi_reserved);
	s->spi_reserved = 0;
	if (xfrm_alloc_spi(d->xfrm, c->local_addr, c->remote_addr,
			   s->reqid, &spi)) {
		iked_log(IKED_ERR, c->name, "%s", xfrm_error(d->xfrm));
		return 0;
	}
	s->spi_reserved = spi;
	return spi;
}

struct slot *iked_new_slot(struct iked *d, unsigned int conn, bool initiator)
{
	unsigned int i;

	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (s->sa)
			continue;
		memset(s, 0, sizeof(*s));
		s->reqid = reqid_get(d);
		s->sa = ike_sa_new(&d->cfg->conn[conn].ike, initiator);
		s->conn = conn;
		s->d = d;
		if (s->sa) {
			s->sa->spi_alloc = alloc_spi;
			s->sa->spi_ctx = s;
		}
		s->created = iked_now_ms();
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
		if (!s->sa) {
			reqid_put(d, s->reqid);
			s->reqid = 0;
		}
		return s->sa ? s : NULL;
	}
	iked_log(IKED_ERR, d->cfg->conn[conn].name, "no room for another IKE SA");
	return NULL;
}

void iked_start_one(struct iked *d, unsigned int i)
{
	struct slot *s = iked_new_slot(d, i, true);

	if (!s)
		return;
	memset(&d->out, 0, sizeof(d->out));
	iked_effects(d, s, ike_sa_start(s->sa, &d->out));
}

void iked_start_paced(struct iked *d)
{
	unsigned int i, busy = 0;

	for (i = 0; i < MAX_SAS; i++)
		busy += d->slot[i].sa && d->slot[i].sa->initiator &&
			d->slot[i].sa->state < IKE_SA_ESTABLISHED;
	for (i = 0; i < d->cfg->nconn && busy < START_BURST; i++) {
		unsigned int j;

		if (!d->start_pending[i])
			continue;
		d->start_pending[i] = false;
		/* the peer was quicker, or pqikectl up: it has one already */
		for (j = 0; j < MAX_SAS; j++)
			if (d->slot[j].sa && d->slot[j].conn == i)
				break;
		if (j < MAX_SAS)
			continue;
		iked_start_one(d, i);
		busy++;
	}
}

void iked_start(struct iked *d)
{
	unsigned int i;

	for (i = 0; i < d->cfg->nconn; i++)
		d->start_pending[i] = d->cfg->conn[i].start;
	iked_start_paced(d);
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
		iked_send_to(d, conn, k, from, d->out.msg, d->out.len);
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
static void receive(struct iked *d, unsigned int sk, unsigned int k)
{
	const struct iked_conn_cfg *c = NULL;
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	struct slot *s = NULL;
	uint64_t spi_i, rx_ok;
	uint32_t msgid;
	uint8_t flags, exch;
	unsigned int i, conn;
	ssize_t n;
	int rc;

	n = recvfrom(d->socks[sk].fd[k], d->rbuf, sizeof(d->rbuf), 0,
		     (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	/* the connection of this local address whose peer sent it */
	for (conn = 0; conn < d->cfg->nconn; conn++)
		if (d->sock[conn] == (int)sk &&
		    d->cfg->conn[conn].remote_addr.s_addr == from.sin_addr.s_addr) {
			c = &d->cfg->conn[conn];
			break;
		}
	if (!c) {
		iked_log(IKED_DEBUG, NULL, "dropped a datagram from %s: no connection with that peer",
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
		s = iked_new_slot(d, conn, false);
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
			iked_send_sent(d, s, &s->resp);
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
	iked_effects(d, s, rc);
}

/* Whether an established SA is due for a liveness check (dpd_delay). */
static bool dpd_due(const struct iked *d, const struct slot *s, uint64_t now)
{
	unsigned int delay = d->cfg->conn[s->conn].dpd_delay;

	return delay && s->sa->state == IKE_SA_ESTABLISHED && !s->waiting &&
	       !s->sa->rekeyed &&
	       now >= (s->heard > s->established ? s->heard : s->established) +
		      (uint64_t)delay * 1000;
}

static void timers(struct iked *d)
{
	const struct iked_conn_cfg *c;
	uint64_t now = iked_now_ms();
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
			iked_log(IKED_INFO, iked_cname(d, s), "half-open IKE SA not completed in %d s: dropped",
				 HALF_OPEN_TIMEOUT / 1000);
			iked_slot_free(d, s);
			continue;
		}
		/* behind a NAT: keep its mapping (RFC 3948 2.3) */
		if (s->sa && s->installed && s->sa->nat_local && s->natt_sock &&
		    now >= s->keepalive) {
			static const uint8_t ka = 0xff;

			if (s->keepalive)
				iked_send_raw(d, s->conn, 1, &s->peer, &ka, 1);
			s->keepalive = now + IKE_NATT_KEEPALIVE_MS;
		}
		if (s->sa)
			retired_remove(d, s, now);
		if (s->sa && s->sa->rekeyed && s->sa->state == IKE_SA_ESTABLISHED &&
		    now - s->rekeyed > REKEYED_IKE_TIMEOUT) {
			iked_log(IKED_INFO, iked_cname(d, s), "the rekeyed IKE SA got no Delete in %d s: removed",
				 REKEYED_IKE_TIMEOUT / 1000);
			iked_slot_free(d, s);
			continue;
		}
		if (s->sa && s->ike_rekey && now >= s->ike_rekey) {
			s->ike_rekey = 0;
			iked_log(IKED_INFO, iked_cname(d, s), "the IKE SA reached rekey_time: rekeying");
			if (!ike_sa_request(s->sa, IKE_REQ_REKEY_IKE, &d->out))
				iked_effects(d, s, 0);
		}
		if (s->sa && s->rekey_retry && now >= s->rekey_retry) {
			s->rekey_retry = 0;
			if (s->sa->child.spi_in == s->rekey_retry_spi &&
			    !ike_sa_request(s->sa, IKE_REQ_REKEY_CHILD, &d->out))
				iked_effects(d, s, 0);
		}
		if (s->sa && dpd_due(d, s, now)) {
			memset(&d->out, 0, sizeof(d->out));
			iked_effects(d, s, ike_sa_dpd(s->sa, &d->out));
		}

		if (!s->sa || !s->waiting || now < s->deadline)
			continue;
		c = &d->cfg->conn[s->conn];
		if (s->tries >= c->retransmit_tries) {
			iked_log(IKED_ERR, c->name, "no answer after %u retransmissions: giving up%s",
				 c->retransmit_tries, s->sa->state >= IKE_SA_ESTABLISHED ?
				 ", the peer is dead: removing the IKE SA" :
				 ", the IKE SA is removed");
			iked_slot_free(d, s);
			continue;
		}
		s->tries++;
		/* the timeout doubles with every retransmission */
		s->deadline = now + ((c->retransmit_timeout * 1000ull) << s->tries);
		iked_log(IKED_INFO, c->name, "retransmitting (%u of %u)", s->tries,
			 c->retransmit_tries);
		iked_send_sent(d, s, &s->req);
	}
	iked_start_paced(d);
}

unsigned int iked_pollfds(struct iked *d, struct pollfd *fds, unsigned int max,
			  int *timeout_ms)
{
	uint64_t now = iked_now_ms(), next = UINT64_MAX;
	unsigned int i, n = 0;

	/* the pairs in use, in order: iked_run() walks them the same way */
	for (i = 0; i < IKED_MAX_CONNS && n + 2 <= max; i++) {
		if (!d->socks[i].refs)
			continue;
		fds[n++] = (struct pollfd){ .fd = d->socks[i].fd[0], .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = d->socks[i].fd[1], .events = POLLIN };
	}
	for (i = 0; i < MAX_SAS; i++) {
		const struct slot *s = &d->slot[i];
		unsigned int delay;

		if (!s->sa)
			continue;
		if (s->waiting && s->deadline < next)
			next = s->deadline;
		if (s->rekey_retry && s->rekey_retry < next)
			next = s->rekey_retry;
		if (s->ike_rekey && s->ike_rekey < next)
			next = s->ike_rekey;
		if (s->sa->rekeyed && s->rekeyed + REKEYED_IKE_TIMEOUT < next)
			next = s->rekeyed + REKEYED_IKE_TIMEOUT;
		for (unsigned int k = 0; k < MAX_RETIRED; k++)
			if (s->retired[k].spi && s->retired[k].at &&
			    s->retired[k].at < next)
				next = s->retired[k].at;
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
	unsigned int i, p = 0;

	for (i = 0; i < IKED_MAX_CONNS && p + 2 <= n; i++) {
		if (!d->socks[i].refs)
			continue;
		if (fds[p].revents & POLLIN)
			receive(d, i, 0);
		if (fds[p + 1].revents & POLLIN)
			receive(d, i, 1);
		p += 2;
	}
	timers(d);
}

void iked_xfrm_event(struct iked *d, const struct xfrm_event *ev)
{
	unsigned int i;

	if (ev->type == XFRM_EV_ACQUIRE) {
		iked_log(IKED_DEBUG, NULL, "XFRM acquire for reqid %08x (no trap policies yet)",
			 ev->reqid);
		return;
	}
	for (i = 0; i < MAX_SAS; i++) {
		struct slot *s = &d->slot[i];

		if (!s->sa || !s->installed ||
		    (ev->spi != s->xc.spi_in && ev->spi != s->xc.spi_out))
			continue;
		if (ev->type == XFRM_EV_SOFT_EXPIRE) {
			/* its pair fires too: one rekeying for both */
			if (s->sa->rk_own || s->sa->rk_peer || s->sa->child_next.aead ||
			    (s->sa->queued & IKE_REQ_REKEY_CHILD))
				return;
			iked_log(IKED_INFO, iked_cname(d, s), "Child SA %s: %s SA %08x reached rekey_time: rekeying",
				 d->cfg->conn[s->conn].child_name,
				 ev->spi == s->xc.spi_in ? "inbound" : "outbound",
				 ev->spi);
			if (!ike_sa_request(s->sa, IKE_REQ_REKEY_CHILD, &d->out))
				iked_effects(d, s, 0);
		} else {
			iked_log(IKED_INFO, iked_cname(d, s), "Child SA %s: %s SA %08x reached life_time: the Child SA is removed",
				 d->cfg->conn[s->conn].child_name,
				 ev->spi == s->xc.spi_in ? "inbound" : "outbound",
				 ev->spi);
			child_remove(d, s);
			/* nothing left to rekey */
			ike_wipe(&s->sa->child, sizeof(s->sa->child));
			s->rekey_retry = 0;
		}
		return;
	}
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

