/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The in-process harness of the exchange tests (ike_exchange.c,
 * ike_rekey.c): two connections, west and east, and the relay of
 * messages between their state machines, datagram by datagram. Include
 * after check.h.
 */
#ifndef PQREKEY_TEST_IKE_HARNESS_H
#define PQREKEY_TEST_IKE_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "proposal.h"
#include "sa.h"

static struct ike_conn west, east;
/* RFC 7383 settings conn() gives the next connections */
static unsigned int frag_size;
static enum ike_frag_mode frag_mode_east = IKE_FRAG_YES;
static struct ike_out o1, o2;
static uint8_t buf[IKE_MAX_MSG];

static inline void conn(struct ike_conn *c, const char *me, const char *peer,
		 const char *ike, const char *esp, const char *psk)
{
	char err[256];
	const char *p;
	unsigned int n = 0;
	char tmp[512];

	memset(c, 0, sizeof(*c));
	c->name = me;
	c->local_id = me;
	c->remote_id = peer;
	c->psk = (const uint8_t *)psk;
	c->psk_len = strlen(psk);
	/* ike may hold several proposals separated by ',' */
	snprintf(tmp, sizeof(tmp), "%s", ike);
	for (p = strtok(tmp, ","); p; p = strtok(NULL, ",")) {
		if (ike_prop_parse(p, IKE_PROTO_IKE, &c->ike[n], err, sizeof(err)))
			printf("not ok - config: %s\n", err), fail++;
		c->ike[n].num = (uint8_t)(n + 1);
		n++;
	}
	c->nike = n;
	if (ike_prop_parse(esp, IKE_PROTO_ESP, &c->esp[0], err, sizeof(err)))
		printf("not ok - config: %s\n", err), fail++;
	c->nesp = 1;
	c->fragment_size = frag_size;
	c->fragmentation = !strcmp(me, "east") ? frag_mode_east : IKE_FRAG_YES;
	c->local_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE,
		.end_port = 65535, .start = { 10, 1, 0, 0 }, .end = { 10, 1, 0, 255 } };
	c->remote_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE,
		.end_port = 65535, .start = { 10, 2, 0, 0 }, .end = { 10, 2, 0, 255 } };
	if (!strcmp(me, "east")) {
		struct ike_ts t = c->local_ts;

		c->local_ts = c->remote_ts;
		c->remote_ts = t;
	}
}

static unsigned int datagrams;	/* delivered by relay() */

/*
 * Delivers the message in @from to @to, datagram by datagram (RFC 7383
 * fragments one after the other); the effects of the last datagram that
 * had any into @out.
 */
static inline void relay(const struct ike_out *from, struct ike_sa *to,
		  struct ike_out *out)
{
	static struct ike_out tmp;
	unsigned int k, n = from->nfrag ? from->nfrag : 1;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < n; k++) {
		size_t len = from->nfrag ? from->frag_len[k] : from->len;

		memcpy(buf, from->msg + pos, len);
		pos += len;
		datagrams++;
		ike_sa_process(to, buf, len, &tmp);
		if (tmp.len || tmp.log[0] || tmp.child_ready ||
		    tmp.notify_error)
			memcpy(out, &tmp, sizeof(tmp));
	}
}

/*
 * Runs the exchanges from I's first message until nothing more is sent;
 * returns the number of messages. o1: I's last effects, o2: R's.
 */
static inline int run_from(struct ike_sa *i, struct ike_sa *r)
{
	static struct ike_out cur;
	struct ike_out *o = &o1;
	int n = 0;

	memset(&o2, 0, sizeof(o2));
	while (o->len && n < 40) {
		struct ike_sa *to = o == &o1 ? r : i;
		struct ike_out *next = o == &o1 ? &o2 : &o1;

		memcpy(&cur, o, sizeof(cur));
		n++;
		relay(&cur, to, next);
		o = next;
	}
	return n;
}

static inline int run(struct ike_sa *i, struct ike_sa *r)
{
	if (ike_sa_start(i, &o1))
		return -1;
	return run_from(i, r);
}

#endif
