// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Whole exchanges between two pqiked state machines in one process (no
 * network, no XFRM; ML-KEM through the in-process core): IKE_SA_INIT,
 * IKE_INTERMEDIATE for each additional key exchange, IKE_AUTH with a PSK
 * and the first Child SA, for the proposals the issue names; and the
 * failures: wrong PSK, no common proposal, a peer without ML-KEM when it
 * is required, INVALID_KE_PAYLOAD and the retry, a bad ML-KEM key in
 * IKE_INTERMEDIATE (INVALID_SYNTAX), tampered and replayed messages.
 * Prints "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proposal.h"
#include "sa.h"
#include "check.h"
#include "cookie.h"
#include "ike_harness.h"


/*
 * x25519 + ML-KEM-768 between west and east, run up to the initiator's
 * IKE_INTERMEDIATE request, which is then in o1.
 */
static void to_intermediate(struct ike_sa **i, struct ike_sa **r)
{
	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	*i = ike_sa_new(&west, true);
	*r = ike_sa_new(&east, false);
	ike_sa_start(*i, &o1);
	relay(&o1, *r, &o2);
	relay(&o2, *i, &o1);
}

static bool keys_equal(const struct ike_sa *a, const struct ike_sa *b)
{
	const struct ike_sa_keys *x = &a->keys, *y = &b->keys;
	size_t pl, el = x->encr_len;

	if (!x->prf || !y->prf)
		return false;
	pl = x->prf->len;
	return x->prf == y->prf && el == y->encr_len &&
	       !memcmp(x->d, y->d, pl) && !memcmp(x->ei, y->ei, el) &&
	       !memcmp(x->er, y->er, el) && !memcmp(x->pi, y->pi, pl) &&
	       !memcmp(x->pr, y->pr, pl);
}

static void good(const char *ike, const char *esp, unsigned int nke,
		 int want_msgs)
{
	struct ike_sa *i, *r;
	struct ike_child_keys ci, cr;
	int n;

	conn(&west, "west", "east", ike, esp, "secret swordfish");
	conn(&east, "east", "west", ike, esp, "secret swordfish");
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	n = run(i, r);
	ci = o1.child;
	cr = o2.child;
	CHECK(i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED,
	      "%s: established (%s / %s)", ike, o1.log, o2.log);
	CHECK(n == want_msgs, "%s: %d messages, expected %d", ike, n, want_msgs);
	CHECK(i->nke == nke && r->nke == nke && i->ke_done == nke &&
	      r->ke_done == nke, "%s: %u key exchanges on both sides", ike, nke);
	CHECK(i->have_intauth == (nke > 1) && r->have_intauth == (nke > 1) &&
	      (nke == 1 || !memcmp(i->intauth_i, r->intauth_i, i->keys.prf->len)),
	      "%s: IntAuth %s", ike, nke > 1 ? "chains agree" : "not used");
	CHECK(keys_equal(i, r), "%s: both sides derived the same IKE SA keys", ike);
	CHECK(o1.child_ready && o2.child_ready && ci.aead && ci.aead == cr.aead &&
	      ci.spi_out == cr.spi_in && ci.spi_in == cr.spi_out &&
	      !memcmp(ci.key_out, cr.key_in, ci.aead->key_len + 4) &&
	      !memcmp(ci.key_in, cr.key_out, ci.aead->key_len + 4) &&
	      memcmp(ci.key_in, ci.key_out, ci.aead->key_len + 4),
	      "%s: Child SA keys and SPIs cross-match", ike);
	ike_sa_free(i);
	ike_sa_free(r);
}

static void wrong_psk(void)
{
	struct ike_sa *i, *r;

	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "secret one");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "secret two");
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(r->state == IKE_SA_FAILED && o2.notify_error == IKE_N_AUTHENTICATION_FAILED &&
	      i->state == IKE_SA_FAILED && o1.notify_error == IKE_N_AUTHENTICATION_FAILED &&
	      !o1.child_ready && !o2.child_ready,
	      "wrong PSK: AUTHENTICATION_FAILED on both sides, no Child SA (%s / %s)",
	      o1.log, o2.log);
	ike_sa_free(i);
	ike_sa_free(r);
}

static void no_proposal(const char *ike_i, const char *ike_r, bool require,
			const char *what)
{
	struct ike_sa *i, *r;

	conn(&west, "west", "east", ike_i, "aes256gcm16", "k");
	conn(&east, "east", "west", ike_r, "aes256gcm16", "k");
	east.require_mlkem = require;
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(r->state == IKE_SA_FAILED && i->state == IKE_SA_FAILED &&
	      o1.notify_error == IKE_N_NO_PROPOSAL_CHOSEN,
	      "%s: NO_PROPOSAL_CHOSEN (%s / %s)", what, o1.log, o2.log);
	ike_sa_free(i);
	ike_sa_free(r);
}

static void invalid_ke(void)
{
	struct ike_sa *i, *r, *r2;
	size_t len;

	/* west guesses x25519 first; east prefers ecp256 */
	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ecp256-ke1_mlkem768",
	     "aes256gcm16", "k");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-ecp256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	r2 = ike_sa_new(&east, false);
	ike_sa_start(i, &o1);
	memcpy(buf, o1.msg, len = o1.len);
	ike_sa_process(r, buf, len, &o2);
	CHECK(o2.notify_error == IKE_N_INVALID_KE_PAYLOAD && o2.len,
	      "INVALID_KE_PAYLOAD asks for ecp256 (%s)", o2.log);
	memcpy(buf, o2.msg, len = o2.len);
	ike_sa_process(i, buf, len, &o1);
	CHECK(i->state == IKE_SA_INIT_SENT && i->retry_group == IKE_KE_ECP256 && o1.len,
	      "the initiator retries with ecp256 (%s)", o1.log);
	/* the retry goes to a fresh responder SA, as the daemon would do */
	while (o1.len) {
		memcpy(buf, o1.msg, len = o1.len);
		ike_sa_process(r2, buf, len, &o2);
		if (!o2.len)
			break;
		memcpy(buf, o2.msg, len = o2.len);
		ike_sa_process(i, buf, len, &o1);
	}
	CHECK(i->state == IKE_SA_ESTABLISHED && r2->state == IKE_SA_ESTABLISHED &&
	      keys_equal(i, r2), "after the retry: established with ecp256 + ML-KEM-768");
	ike_sa_free(i);
	ike_sa_free(r);
	ike_sa_free(r2);
}

/* A crafted initiator sends a bad-modulus ML-KEM-768 key in IKE_INTERMEDIATE. */
static void bad_mlkem_key(void)
{
	static uint8_t inner[2048];
	struct ike_sa *i, *r;
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint8_t ek[1184];
	size_t len;

	to_intermediate(&i, &r);	/* o1: the real IKE_INTERMEDIATE */
	memset(ek, 0xff, sizeof(ek));		/* every coefficient 0xfff > q */
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_ke(&b, IKE_KE_MLKEM768, ek, sizeof(ek));
	ike_build_end(&b);
	i->iv += 100;
	len = ike_sa_seal(i, &o1, IKE_INTERMEDIATE, false, 1, inner + IKE_HDR_LEN,
			  b.len - IKE_HDR_LEN, inner[16], NULL);
	memcpy(buf, o1.msg, len);
	ike_sa_process(r, buf, len, &o2);
	CHECK(r->state == IKE_SA_FAILED && o2.notify_error == IKE_N_INVALID_SYNTAX &&
	      o2.len, "bad ML-KEM key in IKE_INTERMEDIATE: INVALID_SYNTAX (%s)", o2.log);
	memcpy(buf, o2.msg, len = o2.len);
	ike_sa_process(i, buf, len, &o1);
	CHECK(i->state == IKE_SA_FAILED && o1.notify_error == IKE_N_INVALID_SYNTAX,
	      "the initiator reads INVALID_SYNTAX and fails (%s)", o1.log);
	ike_sa_free(i);
	ike_sa_free(r);
}

/* Tampered, replayed and out-of-order messages are dropped, not fatal. */
static void robustness(void)
{
	struct ike_sa *i, *r;
	uint8_t saved[IKE_MAX_MSG];
	size_t slen;

	to_intermediate(&i, &r);	/* o1: the IKE_INTERMEDIATE request */
	memcpy(saved, o1.msg, slen = o1.len);
	memcpy(buf, saved, slen);
	buf[slen - 3] ^= 1;			/* in the ICV */
	ike_sa_process(r, buf, slen, &o2);
	CHECK(!o2.len && r->state == IKE_SA_INTERMEDIATE && r->ke_done == 1,
	      "a tampered IKE_INTERMEDIATE is dropped, the SA goes on (%s)", o2.log);
	buf[0] = 0;
	ike_sa_process(r, buf, 10, &o2);
	CHECK(!o2.len && r->state == IKE_SA_INTERMEDIATE, "a truncated datagram is dropped");
	memcpy(buf, saved, slen);
	ike_sa_process(r, buf, slen, &o2);	/* the genuine one */
	CHECK(o2.len && r->ke_done == 2, "then the genuine request is answered");
	memcpy(buf, saved, slen);
	{
		struct ike_out o3;

		ike_sa_process(r, buf, slen, &o3);
		CHECK(!o3.len && r->ke_done == 2,
		      "a replayed request (old message ID) is dropped (%s)", o3.log);
	}
	ike_sa_free(i);
	ike_sa_free(r);
}

/* Exchanges in RFC 7383 fragments, and when one side does not fragment. */
static void fragmented(void)
{
	unsigned int d0;

	frag_size = 576;
	d0 = datagrams;
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem1024", "aes256gcm16", 2, 6);
	/* IKE_INTERMEDIATE (~1.6 KB) and IKE_AUTH each way in 576-byte IP datagrams */
	CHECK(datagrams - d0 > 6, "ML-KEM-1024 at fragment_size 576: %u datagrams for 6 messages",
	      datagrams - d0);
	frag_size = 1280;
	d0 = datagrams;
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem1024-ke2_mlkem512",
	     "chacha20poly1305", 3, 8);
	CHECK(datagrams - d0 > 8, "two additional exchanges at 1280: %u datagrams for 8 messages",
	      datagrams - d0);
	/* FrodoKEM as a second additional exchange (draft-...-frodo): 15.8 KB shares */
	frag_size = 1280;
	d0 = datagrams;
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_frodo976aes",
	     "aes256gcm16", 3, 8);
	CHECK(datagrams - d0 > 30,
	      "x25519 + ML-KEM-768 + FrodoKEM-976-AES in 1280-byte fragments: %u datagrams",
	      datagrams - d0);
	good("aes256gcm16-prfsha512-x25519-ke1_frodo1344shake", "aes256gcm16", 2, 6);
	frag_size = 576;
	frag_mode_east = IKE_FRAG_NO;
	d0 = datagrams;
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem1024", "aes256gcm16", 2, 6);
	CHECK(datagrams - d0 == 6, "a peer with fragmentation = no gets whole messages (%u datagrams)",
	      datagrams - d0);
	frag_mode_east = IKE_FRAG_ACCEPT;
	d0 = datagrams;
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem1024", "aes256gcm16", 2, 6);
	CHECK(datagrams - d0 > 6 && datagrams - d0 < 10,
	      "fragmentation = accept: only the other side fragments (%u datagrams)",
	      datagrams - d0);
	frag_mode_east = IKE_FRAG_YES;
	frag_size = 0;
}

/* The datagrams of @o, in the order @order (indexes), to @to. */
static void deliver(const struct ike_out *o, const unsigned int *order,
		    unsigned int n, struct ike_sa *to, struct ike_out *out,
		    int tamper)
{
	size_t off[IKE_MAX_FRAGS], pos = 0;
	unsigned int k;

	for (k = 0; k < o->nfrag; k++) {
		off[k] = pos;
		pos += o->frag_len[k];
	}
	memset(out, 0, sizeof(*out));
	for (k = 0; k < n; k++) {
		struct ike_out tmp;
		unsigned int f = order[k];

		memcpy(buf, o->msg + off[f], o->frag_len[f]);
		if ((int)k == tamper)
			buf[o->frag_len[f] - 1] ^= 0x80;	/* ICV */
		ike_sa_process(to, buf, o->frag_len[f], &tmp);
		if (tmp.len)
			memcpy(out, &tmp, sizeof(tmp));
	}
}

/* Reassembly: order, duplicates, tampering, a missing fragment, bounds. */
static void reassembly(void)
{
	static struct ike_out req;
	struct ike_reasm ra = { 0 };
	unsigned int order[IKE_MAX_FRAGS + 2], k, n;
	uint8_t chunk[64] = { 0 };
	struct ike_sa *i, *r;

	frag_size = 576;
	to_intermediate(&i, &r);	/* o1: IKE_INTERMEDIATE, ML-KEM-768 */
	frag_size = 0;
	memcpy(&req, &o1, sizeof(req));
	n = req.nfrag;
	CHECK(n >= 3, "a 1.2 KB IKE_INTERMEDIATE in 576-byte datagrams: %u fragments", n);
	if (n < 3 || n > IKE_MAX_FRAGS) {
		ike_sa_free(i);
		ike_sa_free(r);
		return;
	}
	/* all but the last: nothing yet */
	for (k = 0; k < n - 1; k++)
		order[k] = k;
	deliver(&req, order, n - 1, r, &o2, -1);
	CHECK(!o2.len && r->ke_done == 1, "fragments 1..%u of %u: no answer yet", n - 1, n);
	/* the last one tampered: dropped */
	order[0] = n - 1;
	deliver(&req, order, 1, r, &o2, 0);
	CHECK(!o2.len && r->ke_done == 1, "a tampered last fragment is dropped");
	/* then everything again, backwards, with a duplicate: answered once */
	for (k = 0; k < n; k++)
		order[k] = n - 1 - k;
	order[n] = 0;
	deliver(&req, order, n + 1, r, &o2, -1);
	CHECK(o2.len && r->ke_done == 2 && r->state == IKE_SA_INTERMEDIATE,
	      "reversed fragments plus a duplicate: reassembled and answered (%s)", o2.log);
	relay(&o2, i, &o1);
	CHECK(i->ke_done == 2 && !memcmp(i->intauth_i, r->intauth_i, i->keys.prf->len) &&
	      !memcmp(i->intauth_r, r->intauth_r, i->keys.prf->len),
	      "IntAuth over fragmented messages agrees on both sides");
	ike_sa_free(i);
	ike_sa_free(r);

	CHECK(ike_reasm_add(&ra, 1, 1, IKE_MAX_FRAGS + 1, 0, chunk, 8) == IKE_REASM_REFUSED &&
	      ike_reasm_add(&ra, 1, 3, 2, 0, chunk, 8) == IKE_REASM_REFUSED &&
	      ike_reasm_add(&ra, 1, 0, 2, 0, chunk, 8) == IKE_REASM_REFUSED,
	      "reassembly refuses more than %d fragments and numbers outside 1..total",
	      IKE_MAX_FRAGS);
	CHECK(ike_reasm_add(&ra, 1, 1, 2, 41, chunk, 8) == IKE_REASM_MORE &&
	      ike_reasm_add(&ra, 1, 2, 3, 0, chunk, 8) == IKE_REASM_REFUSED,
	      "reassembly refuses a fragment whose total differs");
	ike_reasm_reset(&ra);
	{
		static uint8_t big[60000];
		enum ike_reasm_result a, b;

		a = ike_reasm_add(&ra, 2, 1, 3, 41, big, sizeof(big));
		b = ike_reasm_add(&ra, 2, 2, 3, 0, big, sizeof(big));
		CHECK(a == IKE_REASM_MORE && b == IKE_REASM_REFUSED,
		      "reassembly refuses more than %d bytes per message", IKE_MAX_MSG);
	}
	ike_reasm_reset(&ra);
	CHECK(ike_reasm_add(&ra, 3, 2, 2, 0, chunk, 8) == IKE_REASM_MORE &&
	      ike_reasm_add(&ra, 4, 1, 1, 41, chunk, 8) == IKE_REASM_DONE &&
	      ra.msgid == 4 && ra.bytes == 8,
	      "a fragment of a newer message drops the older one's");
	ike_reasm_reset(&ra);
}

/* INFORMATIONAL after IKE_AUTH: liveness both ways, windows, Delete. */
static void informational(void)
{
	static struct ike_out req;
	struct ike_sa *i, *r;

	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED,
	      "informational: established");
	/* the responder checks the initiator's liveness: its own window */
	CHECK(!ike_sa_dpd(r, &o2) && o2.len && r->pending,
	      "the responder sends a liveness check (%s)", o2.log);
	CHECK(ike_sa_dpd(r, &o1) && !o1.len, "one request at a time");
	memcpy(&req, &o2, sizeof(req));
	relay(&req, i, &o1);
	CHECK(o1.len && (o1.msg[19] & IKE_FLAG_RESPONSE) && i->state == IKE_SA_ESTABLISHED,
	      "the initiator answers it (%s)", o1.log);
	relay(&o1, r, &o2);
	CHECK(!r->pending && !o2.len, "the answer clears the check");
	relay(&req, i, &o1);
	CHECK(!o1.len, "a replayed request is not answered by the SA (%s)", o1.log);
	/* the initiator's own window is independent */
	CHECK(!ike_sa_dpd(i, &o1) && o1.len, "the initiator sends one too");
	relay(&o1, r, &o2);
	relay(&o2, i, &o1);
	CHECK(!i->pending && i->state == IKE_SA_ESTABLISHED, "and gets its answer");
	/* a CREATE_CHILD_SA request: NO_ADDITIONAL_SAS, the SA stays */
	{
		static uint8_t inner[64];
		struct ike_builder b;
		struct ike_hdr h = { 0 };
		const uint8_t nonce[32] = { 1 };
		size_t len;

		ike_build_begin(&b, inner, sizeof(inner), &h);
		ike_put_raw(&b, IKE_PL_NONCE, false, nonce, sizeof(nonce));
		ike_build_end(&b);
		len = ike_sa_seal(i, &o1, IKE_CREATE_CHILD_SA, false, i->req_out++,
				  inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
				  inner[16], NULL);
		i->pending = true;
		memcpy(buf, o1.msg, len);
		ike_sa_process(r, buf, len, &o2);
		CHECK(o2.len && r->state == IKE_SA_ESTABLISHED,
		      "CREATE_CHILD_SA is refused, the SA stays (%s)", o2.log);
		relay(&o2, i, &o1);
		i->pending = false;
	}
	/* Delete from the responder's side */
	CHECK(!ike_sa_delete(r, &o2) && r->state == IKE_SA_DELETING,
	      "the responder deletes the IKE SA");
	relay(&o2, i, &o1);
	CHECK(i->state == IKE_SA_DELETED && o1.len, "the initiator answers and is deleted (%s)",
	      o1.log);
	relay(&o1, r, &o2);
	CHECK(r->state == IKE_SA_DELETED, "the answer completes the delete (%s)", o2.log);
	ike_sa_free(i);
	ike_sa_free(r);
}

/* RFC 7296 2.6: the cookie round trip, then the exchange goes on. */
static void cookies(void)
{
	struct ike_cookies ck = { 0 };
	const uint32_t ip = 0x010200c0, other = 0x020200c0;
	uint8_t ni[IKE_NONCE_LEN];
	struct ike_sa *i, *r;
	uint64_t spi;

	ike_cookie_rotate(&ck);
	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	i = ike_sa_new(&west, true);
	ike_sa_start(i, &o1);
	spi = i->spi_i;
	memcpy(ni, i->ni, sizeof(ni));
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, ip, false, &o2) == IKE_COOKIE_ACCEPT,
	      "cookies not required: a request is admitted as it is");
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, ip, true, &o2) == IKE_COOKIE_REPLY &&
	      o2.len == IKE_HDR_LEN + 8 + IKE_COOKIE_LEN && o2.msg[16] == IKE_PL_NOTIFY &&
	      !ike_get64(o2.msg + 8),
	      "cookies required: the answer is a COOKIE notify alone, no responder SPI");
	relay(&o2, i, &o1);
	CHECK(o1.len && o1.msg[16] == IKE_PL_NOTIFY && i->spi_i == spi &&
	      !memcmp(i->ni, ni, sizeof(ni)) && i->state == IKE_SA_INIT_SENT,
	      "the initiator retries with the cookie first, the same SPIi and Ni (%s)", o1.log);
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, ip, true, &o2) == IKE_COOKIE_ACCEPT,
	      "the returned cookie is admitted");
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, other, true, &o2) == IKE_COOKIE_REPLY,
	      "the same cookie from another address is not");
	ike_cookie_rotate(&ck);
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, ip, true, &o2) == IKE_COOKIE_ACCEPT,
	      "a cookie of the previous secret is still admitted");
	ike_cookie_rotate(&ck);
	CHECK(ike_cookie_gate(&ck, o1.msg, o1.len, ip, true, &o2) == IKE_COOKIE_REPLY,
	      "a cookie two secrets old is not");
	CHECK(ike_cookie_gate(&ck, o1.msg, 20, ip, true, &o2) == IKE_COOKIE_DROP,
	      "a truncated request is dropped, not answered");
	/* the responder takes the request with the cookie: established */
	r = ike_sa_new(&east, false);
	relay(&o1, r, &o2);
	memcpy(&o1, &o2, sizeof(o1));
	{
		/* o1 now holds R's answer: deliver it and go on */
		static struct ike_out cur;
		struct ike_out *o = &o1;
		int n = 0;

		while (o->len && n < 40) {
			struct ike_sa *to = n % 2 ? r : i;
			struct ike_out *next = o == &o1 ? &o2 : &o1;

			memcpy(&cur, o, sizeof(cur));
			relay(&cur, to, next);
			o = next;
			n++;
		}
	}
	CHECK(i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED,
	      "after the cookie round trip the IKE SA is established (AUTH covers the request with the cookie)");
	ike_sa_free(i);
	ike_sa_free(r);
	ike_cookie_wipe(&ck);
}

/* RFC 7296 2.23 NAT detection: none, a NAT before the initiator, encap. */
static void nat_detection(void)
{
	const struct ike_addr west_a = { 0x0101a8c0, 500 }, east_a = { 0x020200c0, 500 };
	const struct ike_addr nat_a = { 0x010200c0, 40123 };
	struct ike_sa *i, *r;
	int k;

	for (k = 0; k < 3; k++) {
		conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
		     "aes256gcm16", "k");
		conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
		     "aes256gcm16", "k");
		east.encap = k == 2;
		i = ike_sa_new(&west, true);
		r = ike_sa_new(&east, false);
		i->local = west_a;
		i->remote = east_a;
		r->local = east_a;
		/* k == 1: the request reaches east from a NAT's address and port */
		r->remote = k == 1 ? nat_a : west_a;
		run(i, r);
		CHECK(i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED &&
		      i->natt && r->natt, "NAT detection case %d: established, both sent NAT-D", k);
		if (k == 0)
			CHECK(!i->nat_local && !i->nat_remote && !r->nat_local && !r->nat_remote &&
			      !o1.child.encap && !o2.child.encap,
			      "no NAT: none detected, ESP not encapsulated");
		if (k == 1)
			CHECK(i->nat_local && !i->nat_remote && r->nat_remote && !r->nat_local &&
			      o1.child.encap && o2.child.encap,
			      "a NAT before west: west sees itself behind it, east sees the peer behind it, ESP in UDP");
		if (k == 2)
			CHECK(i->nat_remote && r->nat_local && o1.child.encap && o2.child.encap,
			      "encap = yes on east: both sides encapsulate without a NAT");
		ike_sa_free(i);
		ike_sa_free(r);
	}
}

/* USE_TRANSPORT_MODE (RFC 7296 1.3.1): agreed, or no child. */
static void transport_mode(void)
{
	struct ike_sa *i, *r;
	int k;

	for (k = 0; k < 2; k++) {
		conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
		     "aes256gcm16", "k");
		conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
		     "aes256gcm16", "k");
		west.transport = true;
		east.transport = k == 0;
		i = ike_sa_new(&west, true);
		r = ike_sa_new(&east, false);
		run(i, r);
		if (k == 0)
			CHECK(i->state == IKE_SA_ESTABLISHED && o1.child_ready && o2.child_ready &&
			      o1.child.transport && o2.child.transport,
			      "transport mode on both sides: a transport-mode Child SA (%s)", o2.log);
		else
			CHECK(i->state == IKE_SA_ESTABLISHED && !o1.child_ready && !o2.child_ready &&
			      o1.notify_error == IKE_N_NO_PROPOSAL_CHOSEN,
			      "transport asked, tunnel configured: IKE SA without a child (%s / %s)",
			      o1.log, o2.log);
		ike_sa_free(i);
		ike_sa_free(r);
	}
}

/* RFC 6023 childless IKE SAs: offered, accepted, refused. */
static void childless(void)
{
	struct ike_sa *i, *r;

	conn(&west, "west", "east", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	conn(&east, "east", "west", "aes256gcm16-prfsha256-x25519-ke1_mlkem768",
	     "aes256gcm16", "k");
	west.childless = IKE_CHILDLESS_PREFER;
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(i->state == IKE_SA_ESTABLISHED && r->state == IKE_SA_ESTABLISHED &&
	      i->childless && r->childless && !o1.child_ready && !o2.child_ready &&
	      !o1.notify_error, "childless = prefer: a childless IKE SA (%s / %s)", o1.log, o2.log);
	ike_sa_free(i);
	ike_sa_free(r);

	west.childless = IKE_CHILDLESS_FORCE;
	east.childless = IKE_CHILDLESS_NEVER;
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(i->state == IKE_SA_FAILED,
	      "childless = force against a peer that does not support it: refused (%s)", o1.log);
	ike_sa_free(i);
	ike_sa_free(r);

	west.childless = IKE_CHILDLESS_PREFER;
	i = ike_sa_new(&west, true);
	r = ike_sa_new(&east, false);
	run(i, r);
	CHECK(i->state == IKE_SA_ESTABLISHED && !i->childless && o1.child_ready &&
	      o2.child_ready, "childless = prefer against childless = never: with a child");
	ike_sa_free(i);
	ike_sa_free(r);
}

int main(void)
{
	/* IKE_SA_INIT, IKE_INTERMEDIATE x n, IKE_AUTH: 4 + 2n messages */
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem768", "aes256gcm16", 2, 6);
	good("aes256gcm16-prfsha256-x25519", "aes128gcm16-esn", 1, 4);
	good("aes256gcm16-prfsha384-x25519-ke1_mlkem1024-ke2_mlkem512",
	     "chacha20poly1305", 3, 8);
	good("aes256gcm16-prfsha256-mlkem512", "aes256gcm16", 1, 4);
	good("chacha20poly1305-prfsha512-ecp256-ke1_mlkem768", "aes128gcm16", 2, 6);
	wrong_psk();
	no_proposal("aes256gcm16-prfsha256-x25519", "aes128gcm16-prfsha512-ecp256",
		    false, "no common proposal");
	no_proposal("aes256gcm16-prfsha256-x25519",
		    "aes256gcm16-prfsha256-x25519,aes256gcm16-prfsha256-x25519-ke1_mlkem768",
		    true, "a classical peer when ML-KEM is required");
	invalid_ke();
	bad_mlkem_key();
	robustness();
	fragmented();
	reassembly();
	informational();
	cookies();
	nat_detection();
	transport_mode();
	childless();
	return check_summary();
}
