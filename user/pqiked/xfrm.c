// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * XFRM through libmnl (xfrm.h): NEWSA/DELSA, NEWPOLICY/DELPOLICY, and
 * dumps to find pqiked's leftovers by their reqid.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>

#include "ike_util.h"
#include "wire.h"
#include "xfrm.h"

struct xfrm_conn {
	struct mnl_socket *nl;
	uint32_t seq, portid;
	char err[256];
	char buf[16384];	/* MNL_SOCKET_BUFFER_SIZE is not a constant */
};

const char *xfrm_error(const struct xfrm_conn *x)
{
	return x->err;
}

struct xfrm_conn *xfrm_open(char *err, size_t errlen)
{
	struct xfrm_conn *x = calloc(1, sizeof(*x));

	if (!x) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	x->nl = mnl_socket_open(NETLINK_XFRM);
	if (!x->nl || mnl_socket_bind(x->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "cannot open an XFRM netlink socket: %s",
			 strerror(errno));
		xfrm_close(x);
		return NULL;
	}
	x->portid = mnl_socket_get_portid(x->nl);
	/* a kernel answer that never comes must not stop the daemon */
	{
		struct timeval tv = { .tv_sec = 5 };

		setsockopt(mnl_socket_get_fd(x->nl), SOL_SOCKET, SO_RCVTIMEO,
			   &tv, sizeof(tv));
	}
	x->seq = (uint32_t)time(NULL);
	return x;
}

void xfrm_close(struct xfrm_conn *x)
{
	if (!x)
		return;
	if (x->nl)
		mnl_socket_close(x->nl);
	ike_wipe(x->buf, sizeof(x->buf));	/* requests held keys */
	free(x);
}

/* Sends @nlh and waits for its ack; @cb sees dump replies. 0 or -errno. */
static int transact(struct xfrm_conn *x, struct nlmsghdr *nlh,
		    mnl_cb_t cb, void *data)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int rc;

	if (mnl_socket_sendto(x->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(x->nl, x->buf, sizeof(x->buf));
		if (n < 0)
			return -errno;
		rc = mnl_cb_run(x->buf, (size_t)n, seq, x->portid, cb, data);
	} while (rc == MNL_CB_OK);
	return rc < 0 ? -errno : 0;
}

static struct nlmsghdr *start(struct xfrm_conn *x, uint16_t type,
			      uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(x->buf);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++x->seq;
	return nlh;
}

static void addr(xfrm_address_t *a, struct in_addr in)
{
	memset(a, 0, sizeof(*a));
	a->a4 = in.s_addr;
}

static void selector(struct xfrm_selector *s, struct in_addr src,
		     uint8_t splen, struct in_addr dst, uint8_t dplen)
{
	memset(s, 0, sizeof(*s));
	addr(&s->saddr, src);
	addr(&s->daddr, dst);
	s->prefixlen_s = splen;
	s->prefixlen_d = dplen;
	s->family = AF_INET;
}

static void lifetime_inf(struct xfrm_lifetime_cfg *l)
{
	l->soft_byte_limit = l->hard_byte_limit = XFRM_INF;
	l->soft_packet_limit = l->hard_packet_limit = XFRM_INF;
}

int xfrm_socket_bypass(int fd)
{
	struct xfrm_userpolicy_info p;
	unsigned int dir;

	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&p, 0, sizeof(p));
		p.action = XFRM_POLICY_ALLOW;
		p.sel.family = AF_INET;
		p.dir = (uint8_t)dir;
		lifetime_inf(&p.lft);
		if (setsockopt(fd, IPPROTO_IP, IP_XFRM_POLICY, &p, sizeof(p)))
			return -1;
	}
	return 0;
}

static int add_sa(struct xfrm_conn *x, const struct xfrm_child *c, bool in)
{
	/* the inbound SPI was reserved by xfrm_alloc_spi(): update that state */
	struct nlmsghdr *nlh = in && c->spi_reserved ?
		start(x, XFRM_MSG_UPDSA, NLM_F_ACK) :
		start(x, XFRM_MSG_NEWSA, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	struct xfrm_usersa_info *sa = mnl_nlmsg_put_extra_header(nlh, sizeof(*sa));
	struct {
		struct xfrm_algo_aead a;
		uint8_t key[64];
	} aead;
	int rc;

	if (c->key_len > sizeof(aead.key))
		return -EINVAL;
	sa->sel.family = AF_INET;	/* no SA selector: the policies select */
	addr(&sa->id.daddr, in ? c->local : c->remote);
	addr(&sa->saddr, in ? c->remote : c->local);
	sa->id.spi = htonl(in ? c->spi_in : c->spi_out);
	sa->id.proto = IPPROTO_ESP;
	sa->family = AF_INET;
	sa->mode = c->tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
	sa->reqid = c->reqid;
	lifetime_inf(&sa->lft);
	sa->lft.soft_add_expires_seconds = c->soft_secs;
	sa->lft.hard_add_expires_seconds = c->hard_secs;
	memset(&aead, 0, sizeof(aead));
	snprintf(aead.a.alg_name, sizeof(aead.a.alg_name), "%s", c->aead);
	aead.a.alg_key_len = c->key_len * 8;
	aead.a.alg_icv_len = 128;
	memcpy(aead.key, in ? c->key_in : c->key_out, c->key_len);
	mnl_attr_put(nlh, XFRMA_ALG_AEAD, sizeof(aead.a) + c->key_len, &aead);
	ike_wipe(&aead, sizeof(aead));
	if (c->esn) {
		struct {
			struct xfrm_replay_state_esn r;
			uint32_t bmp[4];
		} esn;

		memset(&esn, 0, sizeof(esn));
		esn.r.bmp_len = 4;
		/* without XFRMA_SA_DIR the kernel wants a window both ways */
		esn.r.replay_window = 128;
		sa->flags |= XFRM_STATE_ESN;
		mnl_attr_put(nlh, XFRMA_REPLAY_ESN_VAL, sizeof(esn), &esn);
	} else {
		sa->replay_window = in ? 32 : 0;
	}
	if (c->encap) {
		struct xfrm_encap_tmpl e = {
			.encap_type = UDP_ENCAP_ESPINUDP,
			.encap_sport = htons(in ? c->encap_dport : c->encap_sport),
			.encap_dport = htons(in ? c->encap_sport : c->encap_dport),
		};

		mnl_attr_put(nlh, XFRMA_ENCAP, sizeof(e), &e);
	}
	rc = transact(x, nlh, NULL, NULL);
	ike_wipe(x->buf, nlh->nlmsg_len);
	if (rc)
		snprintf(x->err, sizeof(x->err), "XFRM_MSG_NEWSA %s SPI %08x: %s",
			 in ? "inbound" : "outbound", in ? c->spi_in : c->spi_out,
			 strerror(-rc));
	return rc;
}

static int del_sa(struct xfrm_conn *x, struct in_addr dst, uint32_t spi)
{
	struct nlmsghdr *nlh = start(x, XFRM_MSG_DELSA, NLM_F_ACK);
	struct xfrm_usersa_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));

	addr(&id->daddr, dst);
	id->spi = htonl(spi);
	id->family = AF_INET;
	id->proto = IPPROTO_ESP;
	return transact(x, nlh, NULL, NULL);
}

/* The policy of direction @dir: the selector and, for add, the template. */
static int policy(struct xfrm_conn *x, const struct xfrm_child *c,
		  uint8_t dir, bool add)
{
	bool out = dir == XFRM_POLICY_OUT;
	struct in_addr src = out ? c->local_net : c->remote_net;
	struct in_addr dst = out ? c->remote_net : c->local_net;
	uint8_t splen = out ? c->local_plen : c->remote_plen;
	uint8_t dplen = out ? c->remote_plen : c->local_plen;
	struct nlmsghdr *nlh;
	int rc;

	if (!c->tunnel) {
		src = out ? c->local : c->remote;
		dst = out ? c->remote : c->local;
		splen = dplen = 32;
	}
	if (add) {
		struct xfrm_userpolicy_info *p;
		struct xfrm_user_tmpl t;

		nlh = start(x, XFRM_MSG_NEWPOLICY, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
		p = mnl_nlmsg_put_extra_header(nlh, sizeof(*p));
		selector(&p->sel, src, splen, dst, dplen);
		lifetime_inf(&p->lft);
		p->priority = 2000;
		p->dir = dir;
		p->action = XFRM_POLICY_ALLOW;
		memset(&t, 0, sizeof(t));
		addr(&t.id.daddr, out ? c->remote : c->local);
		addr(&t.saddr, out ? c->local : c->remote);
		t.id.proto = IPPROTO_ESP;
		t.family = AF_INET;
		t.reqid = c->reqid;
		t.mode = c->tunnel ? XFRM_MODE_TUNNEL : XFRM_MODE_TRANSPORT;
		t.aalgos = t.ealgos = t.calgos = ~0u;
		mnl_attr_put(nlh, XFRMA_TMPL, sizeof(t), &t);
	} else {
		struct xfrm_userpolicy_id *id;

		nlh = start(x, XFRM_MSG_DELPOLICY, NLM_F_ACK);
		id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
		selector(&id->sel, src, splen, dst, dplen);
		id->dir = dir;
	}
	rc = transact(x, nlh, NULL, NULL);
	if (rc && add)
		snprintf(x->err, sizeof(x->err), "XFRM_MSG_NEWPOLICY dir %u: %s",
			 dir, strerror(-rc));
	return rc;
}

static int spi_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct xfrm_usersa_info *sa = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type == XFRM_MSG_NEWSA &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(*sa))
		*(uint32_t *)data = ntohl(sa->id.spi);
	return MNL_CB_OK;
}

int xfrm_alloc_spi(struct xfrm_conn *x, struct in_addr local,
		   struct in_addr remote, uint32_t reqid, uint32_t *spi)
{
	struct nlmsghdr *nlh = start(x, XFRM_MSG_ALLOCSPI, NLM_F_ACK);
	struct xfrm_userspi_info *u = mnl_nlmsg_put_extra_header(nlh, sizeof(*u));
	int rc;

	addr(&u->info.id.daddr, local);
	addr(&u->info.saddr, remote);
	u->info.id.proto = IPPROTO_ESP;
	u->info.family = AF_INET;
	u->info.sel.family = AF_INET;
	u->info.reqid = reqid;
	u->info.mode = XFRM_MODE_TUNNEL;
	lifetime_inf(&u->info.lft);
	u->min = 0x100;		/* 1..255 are reserved (RFC 4303 2.1) */
	u->max = 0xffffffff;
	*spi = 0;
	rc = transact(x, nlh, spi_cb, spi);
	if (!rc && !*spi)
		rc = -EPROTO;
	if (rc)
		snprintf(x->err, sizeof(x->err), "XFRM_MSG_ALLOCSPI: %s",
			 strerror(-rc));
	return rc;
}

int xfrm_release_spi(struct xfrm_conn *x, struct in_addr local, uint32_t spi)
{
	return del_sa(x, local, spi);
}

int xfrm_child_install(struct xfrm_conn *x, const struct xfrm_child *c)
{
	static const uint8_t dirs[] = {
		XFRM_POLICY_IN, XFRM_POLICY_FWD, XFRM_POLICY_OUT,
	};
	unsigned int i;
	int rc;

	/* make before break: inbound first, outbound last */
	rc = add_sa(x, c, true);
	if (rc)
		return rc;
	rc = add_sa(x, c, false);
	for (i = 0; !rc && i < sizeof(dirs); i++) {
		if (!c->tunnel && dirs[i] == XFRM_POLICY_FWD)
			continue;
		rc = policy(x, c, dirs[i], true);
	}
	if (rc) {
		char keep[sizeof(x->err)];

		memcpy(keep, x->err, sizeof(keep));
		xfrm_child_remove(x, c);
		memcpy(x->err, keep, sizeof(keep));
	}
	return rc;
}

int xfrm_child_add_sa(struct xfrm_conn *x, const struct xfrm_child *c, bool in)
{
	return add_sa(x, c, in);
}

int xfrm_sa_remove(struct xfrm_conn *x, struct in_addr dst, uint32_t spi)
{
	int rc = del_sa(x, dst, spi);

	if (rc == -ESRCH || rc == -ENOENT)
		return 0;
	if (rc)
		snprintf(x->err, sizeof(x->err), "XFRM_MSG_DELSA SPI %08x: %s",
			 spi, strerror(-rc));
	return rc;
}

int xfrm_child_remove(struct xfrm_conn *x, const struct xfrm_child *c)
{
	int rc = 0, r;

	/* break in the reverse order: the outbound policy first */
	r = policy(x, c, XFRM_POLICY_OUT, false);
	rc = rc ? rc : (r == -ENOENT ? 0 : r);
	if (c->tunnel) {
		r = policy(x, c, XFRM_POLICY_FWD, false);
		rc = rc ? rc : (r == -ENOENT ? 0 : r);
	}
	r = policy(x, c, XFRM_POLICY_IN, false);
	rc = rc ? rc : (r == -ENOENT ? 0 : r);
	r = del_sa(x, c->remote, c->spi_out);
	rc = rc ? rc : (r == -ESRCH || r == -ENOENT ? 0 : r);
	r = del_sa(x, c->local, c->spi_in);
	rc = rc ? rc : (r == -ESRCH || r == -ENOENT ? 0 : r);
	return rc;
}

/* ---- leftovers ---- */

#define MAX_OWN 1024

struct own {
	unsigned int nsa, npol;
	struct xfrm_usersa_id sa[MAX_OWN];
	struct xfrm_userpolicy_id pol[MAX_OWN];
};

static int sa_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct xfrm_usersa_info *sa = mnl_nlmsg_get_payload(nlh);
	struct own *o = data;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || o->nsa >= MAX_OWN ||
	    (sa->reqid & PQIKED_REQID_MASK) != PQIKED_REQID_BASE)
		return MNL_CB_OK;
	o->sa[o->nsa].daddr = sa->id.daddr;
	o->sa[o->nsa].spi = sa->id.spi;
	o->sa[o->nsa].family = sa->family;
	o->sa[o->nsa].proto = sa->id.proto;
	o->nsa++;
	return MNL_CB_OK;
}

static int pol_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct xfrm_userpolicy_info *p = mnl_nlmsg_get_payload(nlh);
	struct own *o = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY || o->npol >= MAX_OWN)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*p)) {
		const struct xfrm_user_tmpl *t = mnl_attr_get_payload(a);

		if (mnl_attr_get_type(a) != XFRMA_TMPL ||
		    mnl_attr_get_payload_len(a) < sizeof(*t) ||
		    (t->reqid & PQIKED_REQID_MASK) != PQIKED_REQID_BASE)
			continue;
		o->pol[o->npol].sel = p->sel;
		o->pol[o->npol].dir = p->dir;
		o->pol[o->npol].index = p->index;
		o->npol++;
		break;
	}
	return MNL_CB_OK;
}

int xfrm_flush_own(struct xfrm_conn *x, unsigned int *n)
{
	struct own *o = calloc(1, sizeof(*o));
	unsigned int i;
	int rc;

	*n = 0;
	if (!o)
		return -ENOMEM;
	rc = transact(x, start(x, XFRM_MSG_GETSA, NLM_F_DUMP), sa_cb, o);
	if (!rc)
		rc = transact(x, start(x, XFRM_MSG_GETPOLICY, NLM_F_DUMP), pol_cb, o);
	for (i = 0; !rc && i < o->npol; i++) {
		struct nlmsghdr *nlh = start(x, XFRM_MSG_DELPOLICY, NLM_F_ACK);

		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(o->pol[i])),
		       &o->pol[i], sizeof(o->pol[i]));
		if (!transact(x, nlh, NULL, NULL))
			(*n)++;
	}
	for (i = 0; !rc && i < o->nsa; i++) {
		struct nlmsghdr *nlh = start(x, XFRM_MSG_DELSA, NLM_F_ACK);

		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(o->sa[i])),
		       &o->sa[i], sizeof(o->sa[i]));
		if (!transact(x, nlh, NULL, NULL))
			(*n)++;
	}
	free(o);
	if (rc)
		snprintf(x->err, sizeof(x->err), "dumping XFRM state: %s",
			 strerror(-rc));
	return rc;
}

struct counters {
	uint64_t bytes, packets;
	bool found;
};

static int counters_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct xfrm_usersa_info *sa = mnl_nlmsg_get_payload(nlh);
	struct counters *c = data;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*sa))
		return MNL_CB_OK;
	c->bytes = sa->curlft.bytes;
	c->packets = sa->curlft.packets;
	c->found = true;
	return MNL_CB_OK;
}

static int sa_counters(struct xfrm_conn *x, struct in_addr dst, uint32_t spi,
		       uint64_t *bytes, uint64_t *packets)
{
	/* the ack ends the reply: a GET alone would leave transact() waiting */
	struct nlmsghdr *nlh = start(x, XFRM_MSG_GETSA, NLM_F_ACK);
	struct xfrm_usersa_id *id = mnl_nlmsg_put_extra_header(nlh, sizeof(*id));
	struct counters c = { 0 };
	int rc;

	addr(&id->daddr, dst);
	id->spi = htonl(spi);
	id->family = AF_INET;
	id->proto = IPPROTO_ESP;
	rc = transact(x, nlh, counters_cb, &c);
	if (!rc && !c.found)
		rc = -ENOENT;
	*bytes = c.bytes;
	*packets = c.packets;
	return rc;
}

int xfrm_child_counters(struct xfrm_conn *x, const struct xfrm_child *c,
			struct xfrm_counters *n)
{
	int rc = sa_counters(x, c->local, c->spi_in, &n->bytes_in,
			     &n->packets_in);

	if (!rc)
		rc = sa_counters(x, c->remote, c->spi_out, &n->bytes_out,
				 &n->packets_out);
	if (rc)
		snprintf(x->err, sizeof(x->err), "reading the Child SA's counters: %s",
			 strerror(-rc));
	return rc;
}

const char *xfrm_aead_name(uint16_t encr_id)
{
	switch (encr_id) {
	case 20: return "rfc4106(gcm(aes))";
	case 28: return "rfc7539esp(chacha20,poly1305)";
	default: return NULL;
	}
}

struct xfrm_events {
	struct mnl_socket *nl;
	char buf[16384];
	void (*cb)(const struct xfrm_event *ev, void *ctx);
	void *ctx;
};

struct xfrm_events *xfrm_events_open(char *err, size_t errlen)
{
	struct xfrm_events *e = calloc(1, sizeof(*e));
	unsigned int groups = (1u << (XFRMNLGRP_EXPIRE - 1)) |
			      (1u << (XFRMNLGRP_ACQUIRE - 1));

	if (!e) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->nl = mnl_socket_open2(NETLINK_XFRM, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!e->nl || mnl_socket_bind(e->nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "cannot listen to XFRM events: %s",
			 strerror(errno));
		xfrm_events_close(e);
		return NULL;
	}
	return e;
}

void xfrm_events_close(struct xfrm_events *e)
{
	if (!e)
		return;
	if (e->nl)
		mnl_socket_close(e->nl);
	free(e);
}

int xfrm_events_fd(const struct xfrm_events *e)
{
	return mnl_socket_get_fd(e->nl);
}

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xfrm_events *e = data;
	struct xfrm_event ev = { XFRM_EV_NONE, 0, 0, { 0 } };

	if (nlh->nlmsg_type == XFRM_MSG_EXPIRE &&
	    mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct xfrm_user_expire)) {
		const struct xfrm_user_expire *x = mnl_nlmsg_get_payload(nlh);

		ev.type = x->hard ? XFRM_EV_HARD_EXPIRE : XFRM_EV_SOFT_EXPIRE;
		ev.spi = ntohl(x->state.id.spi);
		ev.reqid = x->state.reqid;
		ev.dst.s_addr = x->state.id.daddr.a4;
	} else if (nlh->nlmsg_type == XFRM_MSG_ACQUIRE &&
		   mnl_nlmsg_get_payload_len(nlh) >= sizeof(struct xfrm_user_acquire)) {
		const struct xfrm_user_acquire *a = mnl_nlmsg_get_payload(nlh);
		const struct nlattr *at;

		ev.type = XFRM_EV_ACQUIRE;
		ev.dst.s_addr = a->id.daddr.a4;
		mnl_attr_for_each(at, nlh, sizeof(*a)) {
			const struct xfrm_user_tmpl *t = mnl_attr_get_payload(at);

			if (mnl_attr_get_type(at) == XFRMA_TMPL &&
			    mnl_attr_get_payload_len(at) >= sizeof(*t)) {
				ev.reqid = t->reqid;
				break;
			}
		}
	}
	if (ev.type != XFRM_EV_NONE &&
	    (ev.reqid & PQIKED_REQID_MASK) == PQIKED_REQID_BASE)
		e->cb(&ev, e->ctx);
	return MNL_CB_OK;
}

int xfrm_events_read(struct xfrm_events *e,
		     void (*cb)(const struct xfrm_event *ev, void *ctx),
		     void *ctx)
{
	ssize_t n;

	e->cb = cb;
	e->ctx = ctx;
	for (;;) {
		n = mnl_socket_recvfrom(e->nl, e->buf, sizeof(e->buf));
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
		/* events carry sequence 0 and the kernel's port id 0 */
		if (mnl_cb_run(e->buf, (size_t)n, 0, 0, event_cb, e) < 0)
			return -errno;
	}
}
