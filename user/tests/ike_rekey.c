// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Rekeying the Child SA between two pqiked state machines in one process
 * (task_child.c), and the queue of requests that wait for a busy window
 * (sa.c): CREATE_CHILD_SA with no key exchange, ML-KEM, and x25519 plus
 * ML-KEM-768 in an IKE_FOLLOWUP_KE; the make-before-break order of the
 * XFRM effects; keys and SPIs that cross-match and are new; rekeying by
 * either side, twice; INVALID_KE_PAYLOAD and the retry; a PFS mismatch
 * and an unknown child refused, the old child kept; a collision (both
 * sides at once); pqikectl down during a liveness check; and the IKE SA
 * rekeyed by either side (with IKE_FOLLOWUP_KEs: new SPIs and keys that
 * agree, the Child SA moved over untouched, the old IKE SA deleted, the
 * successor carrying requests and a Child SA rekeying), and its
 * collisions with an IKE SA or a Child SA rekeying.
 * Prints "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ike_harness.h"

#define IKE_PROPOSAL	"aes256gcm16-prfsha256-x25519-ke1_mlkem768"
#define QLEN		8

/* What one side did to XFRM and the log, in message order. */
struct rec {
	bool child_in, child_out, failed;
	unsigned int in_at, out_at;	/* step of the effect */
	struct ike_child_keys in_keys, out_keys;
	uint32_t old_spi_out;
	uint32_t retired[4];
	unsigned int nretired;
	uint32_t released;		/* an unused SPI given back */
	uint16_t notify;
};

static unsigned int step;

static void note(struct rec *r, const struct ike_out *o)
{
	step++;
	if (o->child_in) {
		r->child_in = true;
		r->in_at = step;
		r->in_keys = o->child;
	}
	if (o->child_out) {
		r->child_out = true;
		r->out_at = step;
		r->out_keys = o->child;
		r->old_spi_out = o->old_spi_out;
	}
	if (o->retire_spi_in && r->nretired < 4)
		r->retired[r->nretired++] = o->retire_spi_in;
	if (o->release_spi)
		r->released = o->release_spi;
	if (o->rekey_failed)
		r->failed = true;
	if (o->notify_error)
		r->notify = o->notify_error;
}

/* Messages in flight, each way; the IKE SAs' successors, [0] west's. */
static struct ike_out q[2][QLEN];
static unsigned int qn[2];
static struct ike_sa *succ[2];
static unsigned int nsucc[2];

static void push(unsigned int dir, const struct ike_out *o)
{
	if (o->len && qn[dir] < QLEN)
		memcpy(&q[dir][qn[dir]++], o, sizeof(*o));
}

/*
 * Delivers the messages in flight, alternately west to east ([0]) and
 * east to west ([1]), until none is left; returns how many.
 */
static int pump(struct ike_sa *w, struct ike_sa *e, struct rec *rw,
		struct rec *re)
{
	static struct ike_out cur, res;
	struct ike_sa *to;
	int n = 0;

	while ((qn[0] || qn[1]) && n < 40) {
		unsigned int dir = qn[0] ? 0 : 1;

		memcpy(&cur, &q[dir][0], sizeof(cur));
		memmove(&q[dir][0], &q[dir][1], (QLEN - 1) * sizeof(cur));
		qn[dir]--;
		to = dir ? w : e;
		/* a successor IKE SA gets what carries its SPI */
		if (succ[!dir] && succ[!dir]->spi_i == ike_get64(cur.msg))
			to = succ[!dir];
		relay(&cur, to, &res);
		if (getenv("IKE_REKEY_DEBUG"))
			printf("# %s: %s\n", dir ? "west" : "east", res.log);
		if (res.new_sa) {
			ike_sa_free(succ[!dir]);
			succ[!dir] = res.new_sa;
			nsucc[!dir]++;
		}
		note(dir ? rw : re, &res);
		push(!dir, &res);
		n++;
	}
	return n;
}

static void setup_ike(struct ike_sa **w, struct ike_sa **e, const char *ike,
		      const char *esp_w, const char *esp_e)
{
	conn(&west, "west", "east", ike, esp_w, "k");
	conn(&east, "east", "west", ike, esp_e, "k");
	*w = ike_sa_new(&west, true);
	*e = ike_sa_new(&east, false);
	run(*w, *e);
	qn[0] = qn[1] = 0;
	succ[0] = succ[1] = NULL;
	nsucc[0] = nsucc[1] = 0;
}

static void setup(struct ike_sa **w, struct ike_sa **e, const char *esp_w,
		  const char *esp_e)
{
	setup_ike(w, e, IKE_PROPOSAL, esp_w, esp_e);
}

static bool keys_cross(const struct ike_child_keys *a,
		       const struct ike_child_keys *b)
{
	size_t kl = a->aead ? a->aead->key_len + IKE_SK_SALT_LEN : 0;

	return a->aead && a->aead == b->aead && a->spi_in == b->spi_out &&
	       a->spi_out == b->spi_in && !memcmp(a->key_in, b->key_out, kl) &&
	       !memcmp(a->key_out, b->key_in, kl) &&
	       memcmp(a->key_in, a->key_out, kl);
}

/*
 * @by (west or east) rekeys; @msgs messages expected: 2 per exchange
 * (CREATE_CHILD_SA, each IKE_FOLLOWUP_KE) and 2 for the Delete.
 */
static void rekey_once(struct ike_sa *w, struct ike_sa *e, bool by_west,
		       const char *what, int msgs, struct ike_child_keys *prev)
{
	struct ike_sa *a = by_west ? w : e, *b = by_west ? e : w;
	struct rec ra = { 0 }, rb = { 0 }, *rw = by_west ? &ra : &rb,
		   *re = by_west ? &rb : &ra;
	uint32_t a_in = a->child.spi_in, a_out = a->child.spi_out;
	uint32_t b_in = b->child.spi_in;
	unsigned int ka = a->rekeys, kb = b->rekeys;
	static struct ike_out o;
	int n;

	CHECK(!ike_sa_request(a, IKE_REQ_REKEY_CHILD, &o) && o.len && a->pending,
	      "%s: the CREATE_CHILD_SA request goes out (%s)", what, o.log);
	push(by_west ? 0 : 1, &o);
	n = pump(w, e, rw, re);
	CHECK(n == msgs, "%s: %d messages, expected %d", what, n, msgs);
	CHECK(ra.child_in && ra.child_out && rb.child_in && rb.child_out,
	      "%s: both sides install both new SAs", what);
	CHECK(rb.in_at < ra.out_at && ra.out_at < rb.out_at,
	      "%s: make before break: the responder's inbound SA, then the initiator's switch, then the responder's (%u < %u < %u)",
	      what, rb.in_at, ra.out_at, rb.out_at);
	CHECK(keys_cross(&ra.out_keys, &rb.out_keys) &&
	      !memcmp(&ra.in_keys, &ra.out_keys, sizeof(ra.in_keys)),
	      "%s: the new keys and SPIs cross-match", what);
	CHECK(ra.out_keys.spi_in != a_in && ra.out_keys.spi_out != a_out &&
	      (!prev->aead || memcmp(ra.out_keys.key_out, prev->key_out,
				     sizeof(prev->key_out))),
	      "%s: new SPIs and new keys", what);
	CHECK(ra.old_spi_out == a_out && rb.old_spi_out == a_in,
	      "%s: each side's old outbound SA is the one replaced", what);
	CHECK(ra.nretired == 1 && ra.retired[0] == a_in && rb.nretired == 1 &&
	      rb.retired[0] == b_in,
	      "%s: each side retires its old inbound SA once the peer is off it", what);
	CHECK(a->child.spi_in == ra.out_keys.spi_in && b->child.spi_in == rb.out_keys.spi_in &&
	      a->rekeys == ka + 1 && b->rekeys == kb + 1 && !a->pending && !b->pending &&
	      !a->rk_own && !b->rk_peer && !b->child_next.aead && !a->queued,
	      "%s: both sides end on the new child, nothing left over", what);
	*prev = ra.out_keys;
}

static void rekey(const char *esp, int msgs)
{
	struct ike_child_keys prev = { 0 };
	struct ike_sa *w, *e;
	char what[128];

	setup(&w, &e, esp, esp);
	CHECK(w->state == IKE_SA_ESTABLISHED && w->child.aead && e->child.aead,
	      "%s: established with a Child SA", esp);
	snprintf(what, sizeof(what), "%s, west rekeys", esp);
	rekey_once(w, e, true, what, msgs, &prev);
	snprintf(what, sizeof(what), "%s, east rekeys", esp);
	rekey_once(w, e, false, what, msgs, &prev);
	snprintf(what, sizeof(what), "%s, west again", esp);
	rekey_once(w, e, true, what, msgs, &prev);
	ike_sa_free(w);
	ike_sa_free(e);
}

/* The peer prefers another KE method: INVALID_KE_PAYLOAD, then its own. */
static void invalid_ke(void)
{
	struct rec rw = { 0 }, re = { 0 };
	static struct ike_out o;
	struct ike_sa *w, *e;
	int n;

	setup(&w, &e, "aes256gcm16-x25519-mlkem768", "aes256gcm16-mlkem768-x25519");
	ike_sa_request(w, IKE_REQ_REKEY_CHILD, &o);
	push(0, &o);
	n = pump(w, e, &rw, &re);
	CHECK(n == 6 && rw.child_out && re.child_out && !rw.failed &&
	      keys_cross(&rw.out_keys, &re.out_keys) && w->rekeys == 1,
	      "INVALID_KE_PAYLOAD: the retry with ML-KEM-768 rekeys (%d messages)", n);
	ike_sa_free(w);
	ike_sa_free(e);
}

/* Refusals leave the old child as it was. */
static void refused(const char *esp_w, const char *esp_e, bool bad_spi,
		    uint16_t want, const char *what)
{
	struct rec rw = { 0 }, re = { 0 };
	static struct ike_out o;
	struct ike_sa *w, *e;
	uint32_t in, out;

	setup(&w, &e, esp_w, esp_e);
	if (bad_spi)
		w->child.spi_in ^= 0x5a5a;
	in = w->child.spi_in;
	out = w->child.spi_out;
	ike_sa_request(w, IKE_REQ_REKEY_CHILD, &o);
	push(0, &o);
	pump(w, e, &rw, &re);
	CHECK(rw.failed && rw.notify == want && !rw.child_in && !re.child_in &&
	      rw.released && !rw.nretired && w->child.spi_in == in && w->child.spi_out == out &&
	      !w->rk_own && !e->rk_peer && w->state == IKE_SA_ESTABLISHED &&
	      e->state == IKE_SA_ESTABLISHED && w->rekeys == 0,
	      "%s: refused (notify %u), the reserved SPI released, the old child stays",
	      what, rw.notify);
	ike_sa_free(w);
	ike_sa_free(e);
}

/* Both sides rekey at once: one exchange wins, both agree on it. */
static void collision(void)
{
	struct rec rw = { 0 }, re = { 0 };
	static struct ike_out o;
	struct ike_sa *w, *e;
	int n;

	setup(&w, &e, "aes256gcm16-x25519-ke1_mlkem768",
	      "aes256gcm16-x25519-ke1_mlkem768");
	ike_sa_request(w, IKE_REQ_REKEY_CHILD, &o);
	push(0, &o);
	ike_sa_request(e, IKE_REQ_REKEY_CHILD, &o);
	push(1, &o);
	n = pump(w, e, &rw, &re);
	CHECK(rw.failed != re.failed && w->rekeys == 1 && e->rekeys == 1,
	      "collision: one side's rekeying is refused, one succeeds (%d messages)", n);
	CHECK(rw.child_out && re.child_out && keys_cross(&rw.out_keys, &re.out_keys) &&
	      w->child.spi_in == e->child.spi_out && w->child.spi_out == e->child.spi_in,
	      "collision: both sides end on the same new child");
	CHECK(!w->rk_own && !w->rk_peer && !e->rk_own && !e->rk_peer &&
	      !w->child_next.aead && !e->child_next.aead && !w->pending && !e->pending,
	      "collision: nothing left over");
	ike_sa_free(w);
	ike_sa_free(e);
}

/* Requests wait for the window: pqikectl down during a liveness check. */
static void queued(void)
{
	static struct ike_out o, tmp;
	struct rec rw = { 0 }, re = { 0 };
	struct ike_sa *w, *e;

	setup(&w, &e, "aes256gcm16", "aes256gcm16");
	CHECK(!ike_sa_dpd(w, &o) && o.len, "queue: a liveness check in flight");
	CHECK(!ike_sa_request(w, IKE_REQ_DELETE, &tmp) && !tmp.len &&
	      w->state == IKE_SA_ESTABLISHED && (w->queued & IKE_REQ_DELETE),
	      "queue: the Delete waits for it (%s)", tmp.log);
	push(0, &o);
	pump(w, e, &rw, &re);
	CHECK(w->state == IKE_SA_DELETED && e->state == IKE_SA_DELETED,
	      "queue: the answer releases the Delete, both sides delete the IKE SA");
	ike_sa_free(w);
	ike_sa_free(e);

	setup(&w, &e, "aes256gcm16-mlkem768", "aes256gcm16-mlkem768");
	memset(&rw, 0, sizeof(rw));
	memset(&re, 0, sizeof(re));
	ike_sa_dpd(e, &o);
	push(1, &o);
	CHECK(!ike_sa_request(e, IKE_REQ_REKEY_CHILD, &tmp) && !tmp.len,
	      "queue: a rekeying waits for the liveness check too");
	pump(w, e, &rw, &re);
	CHECK(e->rekeys == 1 && w->rekeys == 1 && keys_cross(&re.out_keys, &rw.out_keys),
	      "queue: then it runs");
	CHECK(ike_sa_request(e, IKE_REQ_DELETE, &tmp) == 0 && tmp.len &&
	      e->state == IKE_SA_DELETING, "queue: an idle window sends at once");
	ike_sa_free(w);
	ike_sa_free(e);
}

static bool same_keys(const struct ike_sa *a, const struct ike_sa *b)
{
	const struct ike_sa_keys *x = &a->keys, *y = &b->keys;
	size_t pl = x->prf ? x->prf->len : 0, el = x->encr_len;

	return x->prf && x->prf == y->prf && el == y->encr_len &&
	       !memcmp(x->d, y->d, pl) && !memcmp(x->ei, y->ei, el) &&
	       !memcmp(x->er, y->er, el) && !memcmp(x->pi, y->pi, pl) &&
	       !memcmp(x->pr, y->pr, pl);
}

/*
 * The IKE SA rekeyed by @by_west with proposal @ike: @msgs messages (the
 * CREATE_CHILD_SA, each IKE_FOLLOWUP_KE, the old SA's Delete); then the
 * successors carry a liveness check and a Child SA rekeying.
 */
static void ike_rekey(const char *ike, int msgs, bool by_west)
{
	struct rec rw = { 0 }, re = { 0 };
	struct ike_child_keys prev = { 0 };
	static struct ike_out o;
	struct ike_sa *w, *e, *a, *nw, *ne;
	uint64_t spi_i, spi_r;
	uint32_t child_in;
	char what[160];
	int n;

	setup_ike(&w, &e, ike, "aes256gcm16-mlkem768", "aes256gcm16-mlkem768");
	a = by_west ? w : e;
	spi_i = w->spi_i;
	spi_r = w->spi_r;
	child_in = w->child.spi_in;
	snprintf(what, sizeof(what), "IKE SA rekeying (%s) by %s", ike,
		 by_west ? "west" : "east");
	CHECK(!ike_sa_request(a, IKE_REQ_REKEY_IKE, &o) && o.len,
	      "%s: the CREATE_CHILD_SA request goes out (%s)", what, o.log);
	push(by_west ? 0 : 1, &o);
	n = pump(w, e, &rw, &re);
	nw = succ[0];
	ne = succ[1];
	CHECK(n == msgs && nsucc[0] == 1 && nsucc[1] == 1, "%s: %d messages (expected %d), one successor each",
	      what, n, msgs);
	if (!nw || !ne)
		goto out;
	CHECK(nw->state == IKE_SA_ESTABLISHED && ne->state == IKE_SA_ESTABLISHED &&
	      same_keys(nw, ne) && !same_keys(nw, w) &&
	      nw->spi_i == ne->spi_i && nw->spi_r == ne->spi_r &&
	      nw->spi_i != spi_i && nw->spi_r != spi_r,
	      "%s: the new IKE SA has new SPIs and keys, the same on both sides", what);
	CHECK(nw->initiator == by_west && ne->initiator == !by_west &&
	      !nw->req_out && !ne->req_out && !nw->req_in && !ne->req_in,
	      "%s: its original initiator is the rekeying's, message IDs from 0", what);
	CHECK(w->state == IKE_SA_DELETED && e->state == IKE_SA_DELETED,
	      "%s: the old IKE SA deleted on both sides", what);
	CHECK(nw->child.spi_in == child_in && ne->child.spi_out == child_in &&
	      !rw.child_in && !rw.child_out && !re.child_in && !re.child_out &&
	      !rw.nretired && !re.nretired,
	      "%s: the Child SA moves over untouched (nothing for XFRM)", what);
	CHECK(!ike_sa_dpd(ne, &o) && o.len, "%s: the successor sends a liveness check", what);
	push(1, &o);
	pump(nw, ne, &rw, &re);
	CHECK(!ne->pending, "%s: and gets its answer", what);
	snprintf(what, sizeof(what), "Child SA rekeyed over the rekeyed IKE SA (%s)", ike);
	rekey_once(nw, ne, !by_west, what, 4, &prev);
out:
	ike_sa_free(nw);
	ike_sa_free(ne);
	ike_sa_free(w);
	ike_sa_free(e);
}

/* Both sides rekey: IKE SA against IKE SA, IKE SA against Child SA. */
static void ike_collision(bool child)
{
	struct rec rw = { 0 }, re = { 0 };
	static struct ike_out o;
	struct ike_sa *w, *e;
	const char *what = child ? "IKE SA and Child SA rekeyed at once" :
			   "both sides rekey the IKE SA at once";
	int n;

	setup(&w, &e, "aes256gcm16-mlkem768", "aes256gcm16-mlkem768");
	ike_sa_request(w, IKE_REQ_REKEY_IKE, &o);
	push(0, &o);
	ike_sa_request(e, child ? IKE_REQ_REKEY_CHILD : IKE_REQ_REKEY_IKE, &o);
	push(1, &o);
	n = pump(w, e, &rw, &re);
	if (child)
		CHECK((nsucc[0] == 1 && nsucc[1] == 1 && !rw.child_out && !re.child_out) ||
		      (!nsucc[0] && !nsucc[1] && rw.child_out && re.child_out),
		      "%s: one of them happens (%d messages)", what, n);
	else
		CHECK(nsucc[0] == 1 && nsucc[1] == 1, "%s: one new IKE SA each side (%d messages)",
		      what, n);
	if (nsucc[0] && nsucc[1])
		CHECK(succ[0]->spi_i == succ[1]->spi_i && same_keys(succ[0], succ[1]) &&
		      succ[0]->state == IKE_SA_ESTABLISHED &&
		      w->state == IKE_SA_DELETED && e->state == IKE_SA_DELETED &&
		      !succ[0]->rk_own && !succ[1]->rk_own && !succ[0]->rk_peer &&
		      !succ[1]->rk_peer,
		      "%s: both sides agree on the new IKE SA, the old one is gone", what);
	else	/* the Child SA rekeying won: the IKE SA stays as it was */
		CHECK(w->state == IKE_SA_ESTABLISHED && e->state == IKE_SA_ESTABLISHED &&
		      keys_cross(&rw.out_keys, &re.out_keys) &&
		      w->child.spi_in == e->child.spi_out && !w->rk_own && !e->rk_own &&
		      !w->rk_peer && !e->rk_peer && !w->pending && !e->pending,
		      "%s: both sides agree on the new Child SA, the IKE SA stays", what);
	ike_sa_free(succ[0]);
	ike_sa_free(succ[1]);
	ike_sa_free(w);
	ike_sa_free(e);
}

int main(void)
{
	rekey("aes256gcm16", 4);
	rekey("aes256gcm16-mlkem768", 4);
	rekey("aes256gcm16-x25519-ke1_mlkem768", 6);
	rekey("chacha20poly1305-esn-x25519-ke1_mlkem1024-ke2_mlkem512", 8);
	invalid_ke();
	refused("aes256gcm16-mlkem768", "aes256gcm16-x25519", false,
		IKE_N_NO_PROPOSAL_CHOSEN, "a PFS mismatch");
	refused("aes256gcm16-mlkem768", "aes256gcm16-mlkem768", true,
		IKE_N_CHILD_SA_NOT_FOUND, "an unknown Child SA");
	collision();
	queued();
	ike_rekey("aes256gcm16-prfsha256-x25519-ke1_mlkem768", 6, true);
	ike_rekey("aes256gcm16-prfsha256-x25519-ke1_mlkem768", 6, false);
	ike_rekey("aes128gcm16-prfsha384-mlkem768", 4, true);
	ike_rekey("chacha20poly1305-prfsha512-ecp256-ke1_mlkem1024-ke2_frodo976aes", 8, false);
	ike_collision(false);
	ike_collision(true);
	return check_summary();
}
