// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * libFuzzer target for pqiked's message path: every input goes through
 * ike_parse(), through ike_parse_chain() as if it were decrypted inner
 * payloads (first byte: the first payload type), and through a fresh
 * responder IKE SA (ike_sa_process(): proposal selection, key exchange,
 * error notifies) and an SA that has finished IKE_SA_INIT (SK
 * decryption; IKE_INTERMEDIATE and IKE_AUTH refusals); one input in four
 * also goes, as inner payloads, through RFC 7383 fragments sealed by a
 * keyed initiator (reassembly, in and out of order, and the tasks on
 * authenticated input); and one in four, as inner payloads, through an
 * established SA as a peer's CREATE_CHILD_SA or IKE_FOLLOWUP_KE request, or
 * as the answer to its own rekeying of the Child SA (task_child.c on
 * authenticated input). Built with
 * clang-16 -fsanitize=fuzzer,address,undefined (make user-fuzz); the seed
 * corpus is user/tests/fuzz-corpus/ike (fuzz_ike --write-seeds DIR makes
 * it from the builder).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proposal.h"
#include "sa.h"

static struct ike_conn conn_r, conn_i, frag_r, frag_i, est_r, est_i;
static struct ike_sa *keyed;	/* a responder after IKE_SA_INIT */
static struct ike_sa *est, *est_peer;	/* an established pair */

static void setup(struct ike_conn *c, const char *me, const char *peer)
{
	char err[128];

	memset(c, 0, sizeof(*c));
	c->name = me;
	c->local_id = me;
	c->remote_id = peer;
	c->psk = (const uint8_t *)"fuzz";
	c->psk_len = 4;
	ike_prop_parse("aes256gcm16-prfsha256-x25519-ecp256-ke1_mlkem768-ke1_none",
		       IKE_PROTO_IKE, &c->ike[0], err, sizeof(err));
	ike_prop_parse("aes128gcm16-chacha20poly1305-prfsha512-mlkem512",
		       IKE_PROTO_IKE, &c->ike[1], err, sizeof(err));
	c->ike[1].num = 2;
	c->nike = 2;
	ike_prop_parse("aes256gcm16-esn-noesn", IKE_PROTO_ESP, &c->esp[0], err,
		       sizeof(err));
	c->nesp = 1;
	c->local_ts.type = c->remote_ts.type = IKE_TS_IPV4_ADDR_RANGE;
}

static struct ike_out out, out2;

/* The messages of a real exchange, as seeds. */
static int write_seeds(const char *dir)
{
	struct ike_sa *i = ike_sa_new(&conn_i, true), *r = ike_sa_new(&conn_r, false);
	static uint8_t buf[IKE_MAX_MSG];
	unsigned int n = 0;
	struct ike_out *o = &out;

	ike_sa_start(i, &out);
	while (o->len && n < 8) {
		char path[4096];
		FILE *f;
		size_t len = o->len;

		snprintf(path, sizeof(path), "%s/seed-%u", dir, n);
		f = fopen(path, "wb");
		if (!f || fwrite(o->msg, 1, len, f) != len || fclose(f))
			return 1;
		memcpy(buf, o->msg, len);
		ike_sa_process(o == &out ? r : i, buf, len, o == &out ? &out2 : &out);
		o = o == &out ? &out2 : &out;
		n++;
	}
	ike_sa_free(i);
	ike_sa_free(r);
	printf("%u seeds in %s\n", n, dir);
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	setup(&conn_r, "east", "west");
	setup(&conn_i, "west", "east");
	setup(&frag_r, "east", "west");
	setup(&frag_i, "west", "east");
	frag_r.fragment_size = frag_i.fragment_size = 576;
	setup(&est_r, "east", "west");
	setup(&est_i, "west", "east");
	{
		char err[128];

		ike_prop_parse("aes256gcm16-x25519-ke1_mlkem768", IKE_PROTO_ESP,
			       &est_r.esp[0], err, sizeof(err));
		est_i.esp[0] = est_r.esp[0];
	}
	if (*argc == 3 && !strcmp((*argv)[1], "--write-seeds"))
		exit(write_seeds((*argv)[2]));
	/* an established pair, with a Child SA */
	{
		static uint8_t buf[IKE_MAX_MSG];
		struct ike_out *o = &out;
		unsigned int n = 0;

		est_peer = ike_sa_new(&est_i, true);
		est = ike_sa_new(&est_r, false);
		ike_sa_start(est_peer, &out);
		while (o->len && n++ < 8) {
			memcpy(buf, o->msg, o->len);
			ike_sa_process(o == &out ? est : est_peer, buf, o->len,
				       o == &out ? &out2 : &out);
			o = o == &out ? &out2 : &out;
		}
		if (est->state != IKE_SA_ESTABLISHED || !est->child.aead)
			abort();	/* the set-up itself is broken */
	}
	/* a keyed responder: run IKE_SA_INIT once */
	{
		struct ike_sa *i = ike_sa_new(&conn_i, true);
		static uint8_t buf[IKE_MAX_MSG];

		keyed = ike_sa_new(&conn_r, false);
		ike_sa_start(i, &out);
		memcpy(buf, out.msg, out.len);
		ike_sa_process(keyed, buf, out.len, &out2);
		ike_sa_free(i);
	}
	return 0;
}

static bool inside(const struct ike_payload *pl, const uint8_t *p, size_t n)
{
	return p >= pl->body && n <= pl->len &&
	       (size_t)(p - pl->body) <= pl->len - n;
}

/* What a parsed message promises: every field inside its payload. */
static void check(const struct ike_msg *m, const uint8_t *data, size_t size)
{
	unsigned int i;

	for (i = 0; i < m->npl; i++) {
		const struct ike_payload *pl = &m->pl[i];
		bool ok = pl->body >= data && pl->len <= size &&
			  (size_t)(pl->body - data) <= size - pl->len;

		switch (pl->type) {
		case IKE_PL_KE:
			ok = ok && inside(pl, pl->u.ke.data, pl->u.ke.len);
			break;
		case IKE_PL_IDI:
		case IKE_PL_IDR:
			ok = ok && inside(pl, pl->u.id.data, pl->u.id.len);
			break;
		case IKE_PL_AUTH:
			ok = ok && inside(pl, pl->u.auth.data, pl->u.auth.len);
			break;
		case IKE_PL_NOTIFY:
			ok = ok && inside(pl, pl->u.notify.spi, pl->u.notify.spi_size) &&
			     inside(pl, pl->u.notify.data, pl->u.notify.len);
			break;
		case IKE_PL_DELETE:
			ok = ok && inside(pl, pl->u.del.spis,
					  (size_t)pl->u.del.spi_size * pl->u.del.nspi);
			break;
		case IKE_PL_SA:
			ok = ok && pl->u.sa.first + pl->u.sa.count <= m->nprop;
			break;
		case IKE_PL_TSI:
		case IKE_PL_TSR:
			ok = ok && pl->u.ts.first + pl->u.ts.count <= m->nts;
			break;
		case IKE_PL_SK:
		case IKE_PL_SKF:
			ok = ok && inside(pl, pl->u.sk.data, pl->u.sk.len);
			break;
		default:
			break;
		}
		if (!ok) {
			fprintf(stderr, "fuzz_ike: payload %u (%s) points outside itself\n",
				i, ike_payload_name(pl->type));
			abort();
		}
	}
}

/*
 * The input (first byte: first payload type) as the inner payloads of an
 * IKE_INTERMEDIATE request, sealed in 576-byte fragments by an initiator
 * that shares the responder's keys, delivered in order or backwards.
 */
static void fragments(const uint8_t *data, size_t size)
{
	static uint8_t buf[IKE_MAX_MSG];
	struct ike_sa *i = ike_sa_new(&frag_i, true);
	struct ike_sa *r = ike_sa_new(&frag_r, false);
	size_t off[IKE_MAX_FRAGS], pos = 0, len;
	unsigned int k, n;

	ike_sa_start(i, &out);
	memcpy(buf, out.msg, out.len);
	ike_sa_process(r, buf, out.len, &out2);
	memcpy(buf, out2.msg, out2.len);
	ike_sa_process(i, buf, out2.len, &out);
	if (r->state != IKE_SA_INTERMEDIATE || !i->peer_frag)
		abort();	/* the set-up itself is broken */
	len = ike_sa_seal(i, &out, IKE_INTERMEDIATE, false, 1, data + 1,
			  size - 1, data[0], NULL);
	n = out.nfrag;
	for (k = 0; k < n; k++) {
		off[k] = pos;
		pos += out.frag_len[k];
	}
	for (k = 0; len && k < (n ? n : 1); k++) {
		unsigned int f = data[size - 1] & 4 ? n - 1 - k : k;
		size_t l = n ? out.frag_len[f] : len;

		memcpy(buf, out.msg + (n ? off[f] : 0), l);
		ike_sa_process(r, buf, l, &out2);
	}
	ike_sa_free(i);
	ike_sa_free(r);
}

/*
 * The input (first byte: first payload type) as the inner payloads of a
 * message the established peer sealed: a CREATE_CHILD_SA or
 * IKE_FOLLOWUP_KE request, or the answer to a rekeying the SA started.
 * What it changed is undone for the next input.
 */
static void established(const uint8_t *data, size_t size)
{
	static uint8_t buf[IKE_MAX_MSG];
	struct ike_child_keys child = est->child;
	uint32_t req_in = est->req_in, req_out = est->req_out;
	bool answer = data[size - 1] & 8;
	uint8_t exch = data[size - 1] & 16 ? IKE_FOLLOWUP_KE : IKE_CREATE_CHILD_SA;
	size_t len;

	if (answer && ike_sa_request(est, IKE_REQ_REKEY_CHILD, &out2))
		abort();
	len = ike_sa_seal(est_peer, &out, exch, answer,
			  answer ? est->req_out - 1 : est->req_in, data + 1,
			  size - 1, data[0], NULL);
	if (len && !out.nfrag) {
		memcpy(buf, out.msg, len);
		ike_sa_process(est, buf, len, &out2);
	}
	if (est->state != IKE_SA_ESTABLISHED) {
		fprintf(stderr, "fuzz_ike: a peer's rekeying moved the SA to state %d\n",
			est->state);
		abort();
	}
	ike_rekey_free(est->rk_own);
	ike_rekey_free(est->rk_peer);
	est->rk_own = est->rk_peer = NULL;
	memset(&est->child_next, 0, sizeof(est->child_next));
	est->child = child;
	est->req_in = req_in;
	est->req_out = req_out;
	est->pending = false;
	est->queued = 0;
	est->rekey_group = 0;
	est->delete_child_spi = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[IKE_MAX_MSG];
	static struct ike_msg m;
	struct ike_perr e;
	struct ike_sa *r;

	if (size > sizeof(buf))
		return 0;
	if (!ike_parse(data, size, &m, &e))
		check(&m, data, size);
	if (size) {
		m.npl = m.nprop = m.nts = 0;
		if (!ike_parse_chain(data[0], data + 1, size - 1, &m, &e))
			check(&m, data + 1, size - 1);
	}
	r = ike_sa_new(&conn_r, false);
	memcpy(buf, data, size);
	ike_sa_process(r, buf, size, &out);
	ike_sa_free(r);
	/* the keyed SA must survive anything: restore what a message may move */
	if (size >= IKE_HDR_LEN) {
		enum ike_sa_state st = keyed->state;
		uint32_t id = keyed->next_msgid;

		memcpy(buf, data, size);
		ike_set64(buf, keyed->spi_i);	/* reach the SA's code */
		ike_set64(buf + 8, keyed->spi_r);
		ike_sa_process(keyed, buf, size, &out);
		if (keyed->state != st) {
			/* only a real, authenticated message could do that */
			fprintf(stderr, "fuzz_ike: a fuzzed message moved the keyed SA from state %d to %d\n",
				st, keyed->state);
			abort();
		}
		keyed->next_msgid = id;
	}
	if (size >= 2 && size < IKE_MAX_MSG / 2 && !(data[size - 1] & 3))
		fragments(data, size);
	if (size >= 2 && size < IKE_MAX_MSG / 2 && (data[size - 1] & 3) == 1)
		established(data, size);
	return 0;
}
