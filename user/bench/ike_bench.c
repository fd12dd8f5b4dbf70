// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Native benchmark of whole IKE SA set-ups (not a test): pqiked's state
 * machines of both sides in one process (user/pqiked/, the code the daemon
 * runs; ML-KEM in-process, the same core as pqrekey.ko), from the first
 * IKE_SA_INIT request to both Child SAs' keys, no sockets and no XFRM.
 * For each proposal: the initiator's and the responder's time per IKE SA
 * (median and 10th percentile over the runs) and, as the named reference
 * measured in the same run, the time of the key-exchange primitives alone
 * that the IKE SA needs (one initiator and one responder side of each
 * method, through the same ke.h interface): the rest is the protocol's
 * own cost (PRF, AEAD, parsing, building).
 *
 *   ike_bench [-n RUNS] [PROPOSAL ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proposal.h"
#include "sa.h"

static struct ike_conn west, east;
static struct ike_out o1, o2;
static uint8_t buf[IKE_MAX_MSG];

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, int p)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return v[(n - 1) * p / 100];
}

static int conn(struct ike_conn *c, const char *me, const char *peer,
		const char *ike)
{
	char err[256];

	memset(c, 0, sizeof(*c));
	c->name = me;
	c->local_id = me;
	c->remote_id = peer;
	c->psk = (const uint8_t *)"benchmark key";
	c->psk_len = 13;
	if (ike_prop_parse(ike, IKE_PROTO_IKE, &c->ike[0], err, sizeof(err)) ||
	    ike_prop_parse("aes256gcm16", IKE_PROTO_ESP, &c->esp[0], err,
			   sizeof(err))) {
		fprintf(stderr, "ike_bench: %s: %s\n", ike, err);
		return -1;
	}
	c->ike[0].num = 1;
	c->nike = c->nesp = 1;
	c->local_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE,
		.end_port = 65535, .start = { 10, 1, 0, 0 }, .end = { 10, 1, 0, 255 } };
	c->remote_ts = (struct ike_ts){ .type = IKE_TS_IPV4_ADDR_RANGE,
		.end_port = 65535, .start = { 10, 2, 0, 0 }, .end = { 10, 2, 0, 255 } };
	if (!strcmp(me, "east")) {
		struct ike_ts t = c->local_ts;

		c->local_ts = c->remote_ts;
		c->remote_ts = t;
	}
	return 0;
}

/* One IKE SA; the time each side spent into *ti, *tr. 0 when established. */
static int one_sa(double *ti, double *tr)
{
	struct ike_sa *i = ike_sa_new(&west, true), *r = ike_sa_new(&east, false);
	struct ike_out *o = &o1;
	double t;
	int n = 0, rc;

	*ti = *tr = 0;
	t = now_us();
	rc = ike_sa_start(i, &o1);
	*ti += now_us() - t;
	while (!rc && o->len && n++ < 40) {
		bool to_r = o == &o1;
		struct ike_out *next = to_r ? &o2 : &o1;

		memcpy(buf, o->msg, o->len);
		t = now_us();
		ike_sa_process(to_r ? r : i, buf, o->len, next);
		*(to_r ? tr : ti) += now_us() - t;
		o = next;
	}
	rc = i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED &&
	     o1.child_ready && o2.child_ready ? 0 : -1;
	ike_sa_free(i);
	ike_sa_free(r);
	return rc;
}

/* The key-exchange primitives of one IKE SA: both sides of each method. */
static double primitives(void)
{
	static uint8_t si[4096], sr[4096];
	const struct ike_ke_env env = { NULL };
	uint8_t ss[IKE_KE_MAX_SS];
	double t = now_us();
	unsigned int k;

	for (k = 0; k < west.ike[0].ntrans; k++) {
		const struct ike_transform *tr = &west.ike[0].trans[k];
		const struct ike_ke_method *m;
		struct ike_ke *a, *b;

		if (tr->type != IKE_TRANS_KE &&
		    (tr->type < IKE_TRANS_ADDKE1 || tr->type > IKE_TRANS_ADDKE7))
			continue;
		m = ike_ke_method(tr->id);
		if (!m)
			continue;
		a = ike_ke_new(m, &env);
		b = ike_ke_new(m, &env);
		if (!a || !b || ike_ke_initiate(a, si) ||
		    ike_ke_respond(b, si, m->i_len, sr, ss) ||
		    ike_ke_finish(a, sr, m->r_len, ss))
			fprintf(stderr, "ike_bench: %s failed\n", m->name);
		ike_ke_free(a);
		ike_ke_free(b);
	}
	return now_us() - t;
}

int main(int argc, char **argv)
{
	static const char *const dflt[] = {
		"aes256gcm16-prfsha256-x25519",
		"aes256gcm16-prfsha384-x25519-ke1_mlkem768",
		"aes256gcm16-prfsha384-x25519-ke1_mlkem1024",
		"aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_mlkem1024",
	};
	const char *const *props = dflt;
	int nprops = 4, runs = 300, a = 1, p, k;

	if (a + 1 < argc && !strcmp(argv[a], "-n")) {
		runs = atoi(argv[a + 1]);
		a += 2;
	}
	if (runs < 10) {
		fprintf(stderr, "usage: ike_bench [-n RUNS >= 10] [PROPOSAL ...]\n");
		return 2;
	}
	if (a < argc) {
		props = (const char *const *)argv + a;
		nprops = argc - a;
	}
	printf("whole IKE SA set-ups in-process (ML-KEM in-process), %d runs each; "
	       "reference: the key-exchange primitives alone, same run\n", runs);
	printf("%-56s %9s %9s %9s %9s %7s\n", "proposal", "init us", "resp us",
	       "both p10", "prims us", "ratio");
	for (p = 0; p < nprops; p++) {
		double *ti = calloc((size_t)runs, sizeof(double));
		double *tr = calloc((size_t)runs, sizeof(double));
		double *tb = calloc((size_t)runs, sizeof(double));
		double *tp = calloc((size_t)runs, sizeof(double));
		double mi, mr, mp;

		if (!ti || !tr || !tb || !tp ||
		    conn(&west, "west", "east", props[p]) ||
		    conn(&east, "east", "west", props[p]))
			return 1;
		for (k = 0; k < runs; k++) {
			if (one_sa(&ti[k], &tr[k])) {
				fprintf(stderr, "ike_bench: %s: not established\n", props[p]);
				return 1;
			}
			tb[k] = ti[k] + tr[k];
			tp[k] = primitives();
		}
		mi = pct(ti, runs, 50);
		mr = pct(tr, runs, 50);
		mp = pct(tp, runs, 50);
		printf("%-56s %9.1f %9.1f %9.1f %9.1f %6.2fx\n", props[p], mi, mr,
		       pct(tb, runs, 10), mp, (mi + mr) / mp);
		free(ti);
		free(tr);
		free(tb);
		free(tp);
	}
	return 0;
}
