// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKE SA object (sa.h): creation, the message protection both
 * directions share (SK payloads and IntAuth), error notifies, and the
 * dispatch of received messages to the exchange tasks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "proposal.h"
#include "sa.h"

static void rand_bytes(uint8_t *p, size_t n)
{
	if (RAND_bytes(p, (int)n) != 1)
		abort();	/* no randomness: nothing safe to do */
}

static uint64_t rand_spi(void)
{
	uint8_t b[8];
	uint64_t v;

	do {
		rand_bytes(b, sizeof(b));
		v = ike_get64(b);
	} while (!v);
	return v;
}

uint64_t (*ike_random_spi)(void) = rand_spi;
void (*ike_random_bytes)(uint8_t *p, size_t n) = rand_bytes;

struct ike_sa *ike_sa_new(const struct ike_conn *conn, bool initiator)
{
	struct ike_sa *sa = calloc(1, sizeof(*sa));

	if (!sa)
		return NULL;
	sa->conn = conn;
	sa->initiator = initiator;
	sa->state = IKE_SA_NEW;
	return sa;
}

static void rx_msg_free(struct ike_sa *sa)
{
	if (sa->rx_msg)
		OPENSSL_clear_free(sa->rx_msg, IKE_HDR_LEN + IKE_GENERIC_HDR_LEN +
				   sa->rx_inner_len);
	sa->rx_msg = NULL;
	sa->rx_inner_len = 0;
}

void ike_sa_free(struct ike_sa *sa)
{
	unsigned int i;

	if (!sa)
		return;
	for (i = 0; i < IKE_MAX_KE; i++)
		ike_ke_free(sa->ke[i]);
	ike_rekey_free(sa->rk_own);
	ike_rekey_free(sa->rk_peer);
	ike_sa_keys_wipe(&sa->keys);
	ike_reasm_reset(&sa->rx);
	rx_msg_free(sa);
	free(sa->init_req);
	free(sa->init_resp);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

void ike_out_log(struct ike_out *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->log, sizeof(out->log), fmt, ap);
	va_end(ap);
}

void ike_out_log_add(struct ike_out *out, const char *fmt, ...)
{
	size_t n = strlen(out->log);
	va_list ap;

	if (n && n + 2 < sizeof(out->log)) {
		memcpy(out->log + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(out->log + n, sizeof(out->log) - n, fmt, ap);
	va_end(ap);
}

uint32_t ike_sa_child_spi(struct ike_sa *sa)
{
	uint32_t spi;

	if (sa->spi_alloc)
		return sa->spi_alloc(sa->spi_ctx);
	do
		spi = (uint32_t)ike_random_spi();
	while (spi < 256);
	return spi;
}

bool ike_ts_same(const struct ike_ts *a, const struct ike_ts *b)
{
	return a->type == b->type && a->ip_proto == b->ip_proto &&
	       a->start_port == b->start_port && a->end_port == b->end_port &&
	       !memcmp(a->start, b->start, sizeof(a->start)) &&
	       !memcmp(a->end, b->end, sizeof(a->end));
}

unsigned int ike_sa_esp_proposals(const struct ike_sa *sa,
				  struct ike_proposal *p, uint32_t spi,
				  bool with_ke)
{
	unsigned int i, j, n = sa->conn->nesp;

	for (i = 0; i < n; i++) {
		const struct ike_proposal *c = &sa->conn->esp[i];

		memset(&p[i], 0, sizeof(p[i]));
		p[i].num = (uint8_t)(i + 1);
		p[i].protocol = IKE_PROTO_ESP;
		p[i].spi_size = 4;
		ike_set32(p[i].spi, spi);
		for (j = 0; j < c->ntrans; j++)
			if (with_ke || (c->trans[j].type != IKE_TRANS_KE &&
					!(c->trans[j].type >= IKE_TRANS_ADDKE1 &&
					  c->trans[j].type <= IKE_TRANS_ADDKE7)))
				p[i].trans[p[i].ntrans++] = c->trans[j];
	}
	return n;
}

int ike_child_derive(const struct ike_sa *sa, const struct ike_proposal *chosen,
		     bool exch_initiator, const struct ike_iov *sk,
		     unsigned int nsk, const uint8_t *ni, const uint8_t *nr,
		     uint32_t spi_in, uint32_t spi_out, struct ike_child_keys *k)
{
	const struct ike_aead *a =
		ike_aead_find(ike_prop_get(chosen, IKE_TRANS_ENCR),
			      ike_prop_keylen(chosen, IKE_TRANS_ENCR));
	uint8_t km[2 * IKE_MAX_ENCR_KEY];
	size_t klen;
	int rc;

	if (!a)
		return -1;
	klen = a->key_len + IKE_SK_SALT_LEN;
	rc = ike_child_keymat(&sa->keys, sk, nsk, ni, IKE_NONCE_LEN, nr,
			      IKE_NONCE_LEN, km, 2 * klen);
	if (!rc) {
		memset(k, 0, sizeof(*k));
		k->aead = a;
		k->esn = ike_prop_get(chosen, IKE_TRANS_ESN) == 1;
		k->encap = sa->nat_local || sa->nat_remote;
		k->transport = sa->conn->transport;
		k->spi_in = spi_in;
		k->spi_out = spi_out;
		/* from the exchange's initiator to its responder first */
		memcpy(exch_initiator ? k->key_out : k->key_in, km, klen);
		memcpy(exch_initiator ? k->key_in : k->key_out, km + klen, klen);
	}
	OPENSSL_cleanse(km, sizeof(km));
	return rc;
}

/* The keys a side sends with / receives with. */
static const uint8_t *ek_of(const struct ike_sa *sa, bool from_initiator)
{
	return from_initiator ? sa->keys.ei : sa->keys.er;
}

static const uint8_t *pk_of(const struct ike_sa *sa, bool from_initiator)
{
	return from_initiator ? sa->keys.pi : sa->keys.pr;
}

/*
 * IntAuth over a message whose SK payload header is at @sk_off and whose
 * inner payloads are @p (RFC 9242 3.3.2): A is the message up to and
 * including that header, with the IKE length set to |A| + |P| and the SK
 * payload length to 4 + |P|.
 */
static int intauth_update(const struct ike_sa *sa, bool from_initiator,
			  const uint8_t *buf, size_t sk_off, const uint8_t *p,
			  size_t p_len, uint8_t *chain)
{
	uint8_t a[IKE_MAX_MSG];
	size_t a_len = sk_off + IKE_GENERIC_HDR_LEN;

	if (a_len > sizeof(a) || a_len + p_len > UINT32_MAX ||
	    IKE_GENERIC_HDR_LEN + p_len > 0xffff)
		return -1;
	memcpy(a, buf, a_len);
	ike_set32(a + 24, (uint32_t)(a_len + p_len));
	ike_set16(a + sk_off + 2, (uint16_t)(IKE_GENERIC_HDR_LEN + p_len));
	return ike_intauth(sa->keys.prf, pk_of(sa, from_initiator),
			   sa->have_intauth ? chain : NULL, a, a_len, p, p_len,
			   chain);
}

/* The header of a message this SA sends. */
static struct ike_hdr sa_hdr(const struct ike_sa *sa, uint8_t exchange,
			     bool response, uint32_t msgid)
{
	return (struct ike_hdr){
		.spi_i = sa->spi_i, .spi_r = sa->spi_r, .exchange = exchange,
		.flags = (uint8_t)((sa->initiator ? IKE_FLAG_INITIATOR : 0) |
				   (response ? IKE_FLAG_RESPONSE : 0)),
		.msgid = msgid,
	};
}

/* Whether this SA sends @len bytes of inner payloads in fragments. */
static bool sa_fragments(const struct ike_sa *sa, size_t inner_len)
{
	const struct ike_conn *c = sa->conn;

	return sa->peer_frag && c->fragmentation == IKE_FRAG_YES &&
	       c->fragment_size && IKE_FRAG_IP_OVERHEAD + IKE_HDR_LEN +
	       IKE_GENERIC_HDR_LEN + inner_len + IKE_SK_OVERHEAD >
	       c->fragment_size;
}

/* RFC 7383 2.5: SKF 1..n, each sealed on its own, into out->msg. */
static size_t seal_fragments(struct ike_sa *sa, struct ike_out *out,
			     const struct ike_hdr *h, const uint8_t *inner,
			     size_t inner_len, uint8_t first_inner)
{
	size_t chunk = ike_frag_chunk(sa->conn->fragment_size, IKE_SK_OVERHEAD);
	size_t n, k, pos = 0, done = 0;

	if (!chunk)
		return 0;
	n = (inner_len + chunk - 1) / chunk;
	if (n > IKE_MAX_FRAGS)
		return 0;
	for (k = 1; k <= n; k++) {
		size_t clen = inner_len - done < chunk ? inner_len - done : chunk;
		struct ike_builder b;
		size_t off, len;

		ike_build_begin(&b, out->msg + pos, sizeof(out->msg) - pos, h);
		off = ike_put_sk(&b, k == 1 ? first_inner : 0, (uint16_t)k,
				 (uint16_t)n, clen + IKE_SK_OVERHEAD);
		len = ike_build_end(&b);
		if (!off || !len)
			return 0;
		memcpy(out->msg + pos + off + IKE_SK_IV_LEN, inner + done, clen);
		if (ike_sk_seal(sa->aead, ek_of(sa, sa->initiator), sa->iv++,
				out->msg + pos, off, clen + IKE_SK_OVERHEAD))
			return 0;
		out->frag_len[k - 1] = (uint16_t)len;
		pos += len;
		done += clen;
	}
	out->nfrag = (unsigned int)n;
	return pos;
}

size_t ike_sa_seal(struct ike_sa *sa, struct ike_out *out, uint8_t exchange,
		   bool response, uint32_t msgid, const uint8_t *inner,
		   size_t inner_len, uint8_t first_inner, uint8_t *intauth)
{
	struct ike_hdr h = sa_hdr(sa, exchange, response, msgid);
	uint8_t *buf = out->msg;
	struct ike_builder b;
	size_t off, len;

	out->nfrag = 0;
	/* the unfragmented message: sent as is, or IntAuth's A */
	ike_build_begin(&b, buf, IKE_MAX_MSG, &h);
	off = ike_put_sk(&b, first_inner, 0, 0, inner_len + IKE_SK_OVERHEAD);
	len = ike_build_end(&b);
	if (!off || !len)
		return 0;
	memcpy(buf + off + IKE_SK_IV_LEN, inner, inner_len);
	if (intauth && intauth_update(sa, sa->initiator, buf,
				      off - IKE_GENERIC_HDR_LEN, inner,
				      inner_len, intauth))
		return 0;
	if (sa_fragments(sa, inner_len)) {
		OPENSSL_cleanse(buf + off, inner_len + IKE_SK_OVERHEAD);
		return seal_fragments(sa, out, &h, inner, inner_len,
				      first_inner);
	}
	if (ike_sk_seal(sa->aead, ek_of(sa, sa->initiator), sa->iv++, buf, off,
			inner_len + IKE_SK_OVERHEAD))
		return 0;
	return len;
}

int ike_sa_open(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		uint8_t *intauth)
{
	const struct ike_payload *sk;
	struct ike_perr e;
	size_t off, inner_len;
	bool from_i = !sa->initiator;

	if (sa->rx_msg) {
		/* reassembled: authenticated and decrypted fragment by fragment */
		off = IKE_HDR_LEN + IKE_GENERIC_HDR_LEN;
		if (intauth && intauth_update(sa, from_i, sa->rx_msg, IKE_HDR_LEN,
					      sa->rx_msg + off,
					      sa->rx_inner_len, intauth))
			return -1;
		sa->rx_ok++;
		return ike_parse_chain(sa->rx_msg[IKE_HDR_LEN], sa->rx_msg + off,
				       sa->rx_inner_len, m, &e);
	}
	sk = ike_find(m, IKE_PL_SK, 0);
	if (!sk || !sa->aead)
		return -1;
	off = (size_t)(sk->u.sk.data - buf);
	if (ike_sk_open(sa->aead, ek_of(sa, from_i), buf, off, sk->u.sk.len,
			&inner_len))
		return -1;
	if (intauth && intauth_update(sa, from_i, buf, off - IKE_GENERIC_HDR_LEN,
				      buf + off + IKE_SK_IV_LEN, inner_len,
				      intauth))
		return -1;
	sa->rx_ok++;
	return ike_parse_chain(sk->u.sk.inner, buf + off + IKE_SK_IV_LEN,
			       inner_len, m, &e);
}

/*
 * An SKF fragment of the expected message (RFC 7383 2.6): authenticated
 * and decrypted on its own with the keys in force, then stored. Once all
 * are there, the message is rebuilt as if sent unfragmented (header with
 * next payload SK, the SK header, the inner payloads) in sa->rx_msg.
 * Returns 1 when the message is complete, 0 while fragments are missing
 * (or this one was refused: logged in @out).
 */
static int defragment(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		      const struct ike_payload *skf, struct ike_out *out)
{
	size_t off = (size_t)(skf->u.sk.data - buf), inner_len, len;
	enum ike_reasm_result r;
	uint8_t *msg;

	if (sa->conn->fragmentation == IKE_FRAG_NO || !sa->aead) {
		ike_out_log(out, "dropped an IKE fragment: fragmentation is off");
		return 0;
	}
	if (ike_sk_open(sa->aead, ek_of(sa, !sa->initiator), buf, off,
			skf->u.sk.len, &inner_len)) {
		ike_out_log(out, "dropped fragment %u/%u of message %u: integrity check failed",
			    skf->u.sk.number, skf->u.sk.total, m->hdr.msgid);
		return 0;
	}
	r = ike_reasm_add(&sa->rx, m->hdr.msgid, skf->u.sk.number,
			  skf->u.sk.total, skf->u.sk.inner,
			  buf + off + IKE_SK_IV_LEN, inner_len);
	OPENSSL_cleanse(buf + off + IKE_SK_IV_LEN, inner_len);
	if (r == IKE_REASM_REFUSED) {
		ike_out_log(out, "dropped fragment %u/%u of message %u: over the reassembly bounds",
			    skf->u.sk.number, skf->u.sk.total, m->hdr.msgid);
		ike_reasm_reset(&sa->rx);
		return 0;
	}
	if (r == IKE_REASM_MORE)
		return 0;
	len = IKE_HDR_LEN + IKE_GENERIC_HDR_LEN + sa->rx.bytes;
	msg = malloc(len);
	if (!msg) {
		ike_reasm_reset(&sa->rx);
		return 0;
	}
	memcpy(msg, buf, IKE_HDR_LEN);
	msg[16] = IKE_PL_SK;				/* next payload */
	ike_set32(msg + 24, (uint32_t)len);
	msg[IKE_HDR_LEN] = sa->rx.first;
	msg[IKE_HDR_LEN + 1] = 0;
	ike_set16(msg + IKE_HDR_LEN + 2, (uint16_t)(IKE_GENERIC_HDR_LEN +
						     sa->rx.bytes));
	sa->rx_inner_len = ike_reasm_join(&sa->rx, msg + IKE_HDR_LEN +
					  IKE_GENERIC_HDR_LEN, sa->rx.bytes);
	out->rx_nfrag = sa->rx.total;
	out->rx_len = sa->rx_inner_len;
	ike_reasm_reset(&sa->rx);
	sa->rx_msg = msg;
	return 1;
}

void ike_sa_notify(struct ike_sa *sa, struct ike_out *out, uint8_t exchange,
		   bool response, uint32_t msgid, uint16_t type,
		   const uint8_t *data, size_t len)
{
	struct ike_hdr h = sa_hdr(sa, exchange, response, msgid);
	uint8_t inner[512];
	struct ike_builder b;

	out->notify_error = type;
	if (exchange == IKE_SA_INIT || !sa->aead) {
		ike_build_begin(&b, out->msg, sizeof(out->msg), &h);
		ike_put_notify(&b, 0, NULL, 0, type, data, len);
		out->len = ike_build_end(&b);
		return;
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_notify(&b, 0, NULL, 0, type, data, len);
	if (!ike_build_end(&b)) {
		out->len = 0;
		return;
	}
	out->len = ike_sa_seal(sa, out, exchange, response, msgid,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
}

void ike_sa_established(struct ike_sa *sa)
{
	sa->state = IKE_SA_ESTABLISHED;
	/* next_msgid: the initiator's next request, the peer's for the responder */
	sa->req_out = sa->initiator ? sa->next_msgid : 0;
	sa->req_in = sa->initiator ? 0 : sa->next_msgid;
	sa->pending = false;
}

/*
 * The next queued request, once ours are all answered: the IKE SA's
 * Delete first (nothing else matters then), then the rekeyed child's
 * Delete, then a rekey. Keeps what @out already holds (the effects of
 * the answer just processed).
 */
static void next_request(struct ike_sa *sa, struct ike_out *out)
{
	static struct ike_out tmp;
	unsigned int req;
	int rc;

	while (sa->queued && !sa->pending && !out->len &&
	       sa->state == IKE_SA_ESTABLISHED) {
		req = sa->queued & IKE_REQ_DELETE ? IKE_REQ_DELETE :
		      sa->queued & IKE_REQ_DELETE_CHILD ? IKE_REQ_DELETE_CHILD :
		      sa->queued & IKE_REQ_REKEY_IKE ? IKE_REQ_REKEY_IKE :
		      IKE_REQ_REKEY_CHILD;
		sa->queued &= ~req;
		memset(&tmp, 0, sizeof(tmp));
		rc = req == IKE_REQ_DELETE ? ike_sa_delete(sa, &tmp) :
		     req == IKE_REQ_DELETE_CHILD ?
		     ike_task_info_delete_child(sa, &tmp) :
		     req == IKE_REQ_REKEY_IKE ? ike_task_ike_rekey_start(sa, &tmp) :
		     ike_task_child_start(sa, &tmp);
		if (tmp.log[0])
			ike_out_log_add(out, "%s", tmp.log);
		if (tmp.release_spi)
			out->release_spi = tmp.release_spi;
		if (rc || !tmp.len)
			continue;
		memcpy(out->msg, tmp.msg, tmp.len);
		out->len = tmp.len;
		out->nfrag = tmp.nfrag;
		memcpy(out->frag_len, tmp.frag_len, sizeof(out->frag_len));
	}
	OPENSSL_cleanse(&tmp, sizeof(tmp));
}

int ike_sa_request(struct ike_sa *sa, unsigned int req, struct ike_out *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->state != IKE_SA_ESTABLISHED ||
	    (req == IKE_REQ_REKEY_CHILD && !sa->child.aead) ||
	    (sa->rekeyed && req != IKE_REQ_DELETE))
		return -1;
	sa->queued |= req;
	next_request(sa, out);
	if (!out->len && (sa->queued & req))
		ike_out_log(out, "%s queued behind our unanswered request",
			    req == IKE_REQ_DELETE ? "Delete of the IKE SA" :
			    req == IKE_REQ_DELETE_CHILD ? "Delete of the old Child SA" :
			    req == IKE_REQ_REKEY_IKE ? "rekeying of the IKE SA" :
			    "rekeying of the Child SA");
	return 0;
}

struct ike_sa *ike_sa_successor(const struct ike_sa *old, bool initiator,
				uint64_t spi_i, uint64_t spi_r,
				const struct ike_proposal *chosen,
				const uint16_t *ke_id, unsigned int nke,
				const uint8_t *ni, const uint8_t *nr,
				const struct ike_iov *sk, unsigned int nsk)
{
	struct ike_sa *n = ike_sa_new(old->conn, initiator);

	if (!n)
		return NULL;
	n->spi_i = spi_i;
	n->spi_r = spi_r;
	n->chosen = *chosen;
	n->aead = ike_aead_find(ike_prop_get(chosen, IKE_TRANS_ENCR),
				ike_prop_keylen(chosen, IKE_TRANS_ENCR));
	n->keys.prf = ike_prf_by_id(ike_prop_get(chosen, IKE_TRANS_PRF));
	if (!n->aead || !n->keys.prf || nke > IKE_MAX_KE)
		goto fail;
	n->keys.integ_len = 0;
	n->keys.encr_len = n->aead->key_len + IKE_SK_SALT_LEN;
	if (ike_keys_rekey(&n->keys, &old->keys, sk, nsk, ni, IKE_NONCE_LEN,
			   nr, IKE_NONCE_LEN, spi_i, spi_r))
		goto fail;
	memcpy(n->ni, ni, IKE_NONCE_LEN);
	memcpy(n->nr, nr, IKE_NONCE_LEN);
	memcpy(n->ke_id, ke_id, nke * sizeof(*ke_id));
	n->nke = n->ke_done = nke;
	/* what the peer and the path are like does not change */
	n->local = old->local;
	n->remote = old->remote;
	n->natt = old->natt;
	n->nat_local = old->nat_local;
	n->nat_remote = old->nat_remote;
	n->peer_frag = old->peer_frag;
	n->peer_childless = old->peer_childless;
	n->childless = old->childless;
	n->child = old->child;
	n->child_spi_local = old->child_spi_local;
	n->rekeys = old->rekeys;
	n->spi_alloc = old->spi_alloc;
	n->spi_ctx = old->spi_ctx;
	n->next_msgid = 0;
	ike_sa_established(n);
	return n;
fail:
	ike_sa_free(n);
	return NULL;
}

int ike_sa_start(struct ike_sa *sa, struct ike_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!sa->initiator || sa->state != IKE_SA_NEW)
		return -1;
	return ike_task_init_start(sa, out);
}

static int dispatch(struct ike_sa *sa, uint8_t *buf, size_t len,
		    struct ike_msg *m, struct ike_out *out);

int ike_sa_process(struct ike_sa *sa, uint8_t *buf, size_t len,
		   struct ike_out *out)
{
	static struct ike_msg m;	/* the daemon is single-threaded */
	const struct ike_payload *skf;
	struct ike_perr e;
	bool response;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ike_parse(buf, len, &m, &e)) {
		ike_out_log(out, "dropped a malformed message: %s (%s, payload %s at %zu)",
			    e.what, ike_parse_err_name(e.err),
			    ike_payload_name(e.payload), e.offset);
		return 0;	/* never fails an SA: anyone can send garbage */
	}
	response = m.hdr.flags & IKE_FLAG_RESPONSE;
	/* the I flag names the original initiator; before IKE_AUTH ends, only it asks */
	if ((sa->state < IKE_SA_ESTABLISHED && response != sa->initiator) ||
	    !(m.hdr.flags & IKE_FLAG_INITIATOR) != sa->initiator) {
		ike_out_log(out, "dropped a message with the wrong role flags");
		return 0;
	}
	if (sa->state != IKE_SA_NEW &&
	    (m.hdr.spi_i != sa->spi_i ||
	     (m.hdr.spi_r != sa->spi_r && !(sa->initiator &&
					    sa->state == IKE_SA_INIT_SENT)))) {
		ike_out_log(out, "dropped a message for another IKE SA");
		return 0;
	}
	/* established: each side's requests in their own window of one */
	if (sa->state >= IKE_SA_ESTABLISHED) {
		if (response ? !sa->pending || m.hdr.msgid + 1 != sa->req_out :
		    m.hdr.msgid != sa->req_in) {
			ike_out_log(out, "dropped %s %s with message ID %u, expected %u",
				    ike_exchange_name(m.hdr.exchange),
				    response ? "response" : "request", m.hdr.msgid,
				    response ? sa->req_out - 1 : sa->req_in);
			return 0;
		}
	} else if (sa->initiator ? m.hdr.msgid + 1 != sa->next_msgid :
		   m.hdr.msgid != sa->next_msgid) {
		ike_out_log(out, "dropped %s with message ID %u, expected %u",
			    ike_exchange_name(m.hdr.exchange), m.hdr.msgid,
			    sa->initiator ? sa->next_msgid - 1 : sa->next_msgid);
		return 0;
	}
	skf = ike_find(&m, IKE_PL_SKF, 0);
	if (skf) {
		if (m.hdr.exchange == IKE_SA_INIT) {
			ike_out_log(out, "dropped a fragmented IKE_SA_INIT");
			return 0;
		}
		if (!defragment(sa, buf, &m, skf, out))
			return 0;
	}
	rc = dispatch(sa, buf, len, &m, out);
	rx_msg_free(sa);
	if (!rc && response)
		next_request(sa, out);
	return rc;
}

/* The exchange's task for a message that passed the checks above. */
static int dispatch(struct ike_sa *sa, uint8_t *buf, size_t len,
		    struct ike_msg *m, struct ike_out *out)
{
	switch (m->hdr.exchange) {
	case IKE_SA_INIT:
		if (sa->state != IKE_SA_NEW && sa->state != IKE_SA_INIT_SENT)
			break;
		return ike_task_init_process(sa, buf, len, m, out);
	case IKE_INTERMEDIATE:
		if (sa->state != IKE_SA_INTERMEDIATE)
			break;
		return ike_task_intermediate_process(sa, buf, m, out);
	case IKE_AUTH:
		if (sa->state != IKE_SA_INTERMEDIATE &&
		    sa->state != IKE_SA_AUTH_SENT)
			break;
		return ike_task_auth_process(sa, buf, m, out);
	case IKE_INFORMATIONAL:
		if (sa->state != IKE_SA_ESTABLISHED &&
		    sa->state != IKE_SA_DELETING)
			break;
		return ike_task_info_process(sa, buf, m, out);
	case IKE_CREATE_CHILD_SA:
	case IKE_FOLLOWUP_KE:
		if (sa->state != IKE_SA_ESTABLISHED &&
		    sa->state != IKE_SA_DELETING)
			break;
		return ike_task_child_process(sa, buf, m, out);
	default:
		break;
	}
	ike_out_log(out, "dropped %s in state %d", ike_exchange_name(m->hdr.exchange),
		    sa->state);
	return 0;
}
