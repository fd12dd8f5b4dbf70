// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Rekeying the Child SA (RFC 7296 1.3.3, 2.8; RFC 9370 2.2.4):
 *
 *   CREATE_CHILD_SA  SK{N(REKEY_SA), SA, Ni, [KEi], TSi, TSr}
 *               <--  SK{SA, Nr, [KEr], TSi, TSr, [N(ADDITIONAL_KEY_EXCHANGE)]}
 *   IKE_FOLLOWUP_KE  SK{N(ADDITIONAL_KEY_EXCHANGE), KEi(n)}    per ADDKEn
 *               <--  SK{KEr(n), [N(ADDITIONAL_KEY_EXCHANGE)]}
 *
 * The ESP proposals are the configured ones with their key exchanges:
 * esp_proposals = aes256gcm16-x25519-ke1_mlkem768 rekeys with x25519 in
 * the CREATE_CHILD_SA and ML-KEM-768 in one IKE_FOLLOWUP_KE; with
 * aes256gcm16-mlkem768, ML-KEM-768 is the CREATE_CHILD_SA's own exchange.
 * KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)), with this
 * exchange's nonces.
 *
 * Make before break, no packet lost (the order strongSwan uses too):
 *   - the responder installs the new inbound SA when it answers the last
 *     exchange, and keeps sending on the old outbound SA;
 *   - the initiator, on that answer, installs both new SAs, moves its
 *     traffic to the new outbound SA (the old one goes) and sends
 *     Delete(ESP, its old inbound SPI);
 *   - the responder, on that Delete, moves its traffic to the new
 *     outbound SA (task_info.c); both sides retire their old inbound SA
 *     a few seconds later (the daemon), so that packets in flight arrive.
 *
 * Collisions (both sides rekey the child at once, RFC 7296 2.8.1): each
 * side sees both nonces. The exchange with the higher Ni goes on; the
 * side that started it answers the other one TEMPORARY_FAILURE, and the
 * other side, whose request gets that answer, drops its own. A peer that
 * answers both anyway (2.8.1's resolution) makes our exchange redundant:
 * we delete the child it created and keep the peer's.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proposal.h"
#include "sa.h"

#define LINK_LEN	8	/* our ADDITIONAL_KEY_EXCHANGE data */

/* One rekeying exchange (with its IKE_FOLLOWUP_KEs), either side's. */
struct ike_rekey {
	bool initiator;			/* we sent the CREATE_CHILD_SA */
	uint8_t ni[IKE_NONCE_LEN], nr[IKE_NONCE_LEN];
	struct ike_proposal chosen;	/* ESP, with its key exchanges */
	uint16_t ke_id[IKE_MAX_KE];	/* [0] KE (0: none), [n] ADDKEn */
	unsigned int nke, ke_done;
	struct ike_ke *ke;		/* initiator: the exchange in flight */
	uint8_t ss[IKE_MAX_KE][IKE_KE_MAX_SS];
	uint8_t link[64];		/* ADDITIONAL_KEY_EXCHANGE data */
	size_t link_len;
	uint32_t spi_local, spi_peer;
	uint32_t old_spi_in, old_spi_out;	/* the child being rekeyed */
	uint16_t group;			/* initiator: the KE method sent */
};

void ike_rekey_free(struct ike_rekey *rk)
{
	if (!rk)
		return;
	ike_ke_free(rk->ke);
	OPENSSL_clear_free(rk, sizeof(*rk));
}

static void drop(struct ike_rekey **rk)
{
	ike_rekey_free(*rk);
	*rk = NULL;
}

/* The key exchanges of a chosen proposal: KE first, then ADDKE1..7. */
static void methods(struct ike_rekey *rk)
{
	unsigned int t;

	rk->nke = 0;
	rk->ke_id[rk->nke++] = ike_prop_get(&rk->chosen, IKE_TRANS_KE);
	for (t = IKE_TRANS_ADDKE1; t <= IKE_TRANS_ADDKE7; t++) {
		uint16_t id = ike_prop_get(&rk->chosen, (uint8_t)t);

		if (id)
			rk->ke_id[rk->nke++] = id;
	}
}

/* The shared secrets so far as the KEYMAT's pieces (KE NONE: none). */
static unsigned int secrets(const struct ike_rekey *rk, struct ike_iov *sk)
{
	unsigned int i, n = 0;

	for (i = 0; i < rk->nke; i++) {
		const struct ike_ke_method *m = ike_ke_method(rk->ke_id[i]);

		if (m)
			sk[n++] = (struct ike_iov){ rk->ss[i], m->ss_len };
	}
	return n;
}

static int derive(const struct ike_sa *sa, const struct ike_rekey *rk,
		  struct ike_child_keys *k)
{
	struct ike_iov sk[IKE_MAX_KE];

	return ike_child_derive(sa, &rk->chosen, rk->initiator, sk,
				secrets(rk, sk), rk->ni, rk->nr, rk->spi_local,
				rk->spi_peer, k);
}

static const char *ke_names(const struct ike_rekey *rk, char *buf, size_t len)
{
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < rk->nke && n < len; i++) {
		const struct ike_ke_method *m = ike_ke_method(rk->ke_id[i]);

		if (m)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? " + " : "", m->name);
	}
	return n ? buf : "no key exchange";
}

/* ---- initiator ---- */

int ike_task_child_start(struct ike_sa *sa, struct ike_out *out)
{
	const struct ike_conn *c = sa->conn;
	struct ike_proposal p[IKE_MAX_CONF_PROPOSALS];
	static uint8_t share[IKE_KE_MAX_SHARE], inner[IKE_KE_MAX_SHARE + 2048];
	const struct ike_ke_method *km = NULL;
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	struct ike_rekey *rk;
	uint8_t spi[4];
	unsigned int n;

	memset(out, 0, sizeof(*out));
	if (sa->state != IKE_SA_ESTABLISHED || sa->pending || !sa->child.aead)
		return -1;
	if (sa->rk_own || sa->rk_peer || sa->child_next.aead) {
		ike_out_log(out, "the Child SA is being rekeyed already");
		return -1;
	}
	rk = calloc(1, sizeof(*rk));
	if (!rk)
		return -1;
	rk->initiator = true;
	rk->old_spi_in = sa->child.spi_in;
	rk->old_spi_out = sa->child.spi_out;
	rk->group = sa->rekey_group;
	rk->spi_local = ike_sa_child_spi(sa);
	if (!rk->spi_local) {
		ike_out_log(out, "rekeying: no inbound SPI for the new Child SA");
		goto fail;
	}
	ike_random_bytes(rk->ni, sizeof(rk->ni));
	n = ike_sa_esp_proposals(sa, p, rk->spi_local, true);
	if (!rk->group)
		rk->group = ike_prop_get(&p[0], IKE_TRANS_KE);
	if (rk->group) {
		km = ike_ke_method(rk->group);
		rk->ke = km ? ike_ke_new(km, &c->ke_env) : NULL;
		if (!rk->ke || ike_ke_initiate(rk->ke, share)) {
			ike_out_log(out, "rekeying: %s: cannot generate a key share",
				    km ? km->name : "?");
			goto fail;
		}
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_set32(spi, rk->old_spi_in);
	ike_put_notify(&b, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
	if (c->transport)
		ike_put_notify(&b, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_put_sa(&b, p, n);
	ike_put_raw(&b, IKE_PL_NONCE, false, rk->ni, sizeof(rk->ni));
	if (km)
		ike_put_ke(&b, km->id, share, km->i_len);
	ike_put_ts(&b, IKE_PL_TSI, &c->local_ts, 1);
	ike_put_ts(&b, IKE_PL_TSR, &c->remote_ts, 1);
	if (!ike_build_end(&b))
		goto fail;
	out->len = ike_sa_seal(sa, out, IKE_CREATE_CHILD_SA, false,
			       sa->req_out, inner + IKE_HDR_LEN,
			       b.len - IKE_HDR_LEN, inner[16], NULL);
	if (!out->len)
		goto fail;
	sa->req_out++;
	sa->pending = true;
	sa->pending_delete = false;
	sa->pending_delete_spi = 0;
	sa->rk_own = rk;
	ike_out_log(out, "rekeying the Child SA (SPIs %08x/%08x): CREATE_CHILD_SA request%s%s",
		    rk->old_spi_in, rk->old_spi_out, km ? " with " : "",
		    km ? km->name : "");
	return 0;
fail:
	ike_rekey_free(rk);
	return -1;
}

/* The next IKE_FOLLOWUP_KE request of our exchange. */
static int followup_request(struct ike_sa *sa, struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	const struct ike_ke_method *km = ike_ke_method(rk->ke_id[rk->ke_done]);
	static uint8_t share[IKE_KE_MAX_SHARE], inner[IKE_KE_MAX_SHARE + 1024];
	struct ike_hdr h = { 0 };
	struct ike_builder b;

	rk->ke = km ? ike_ke_new(km, &sa->conn->ke_env) : NULL;
	if (!rk->ke || ike_ke_initiate(rk->ke, share)) {
		ike_out_log_add(out, "rekeying: %s: cannot generate a key share",
				km ? km->name : "?");
		return -1;
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_notify(&b, 0, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE, rk->link,
		       rk->link_len);
	ike_put_ke(&b, km->id, share, km->i_len);
	if (!ike_build_end(&b))
		return -1;
	out->len = ike_sa_seal(sa, out, IKE_FOLLOWUP_KE, false, sa->req_out,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
	if (!out->len)
		return -1;
	sa->req_out++;
	sa->pending = true;
	ike_out_log_add(out, "IKE_FOLLOWUP_KE request, additional exchange %u: %s",
			rk->ke_done, km->name);
	return 0;
}

/* Our exchange is complete: the new child in, the old one out. */
static int initiator_done(struct ike_sa *sa, struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	struct ike_child_keys k;
	char names[128];

	if (derive(sa, rk, &k))
		return -1;
	if (sa->child_next.aead || sa->child.spi_in != rk->old_spi_in) {
		/* the peer's rekeying of the same child won (2.8.1) */
		OPENSSL_cleanse(&k, sizeof(k));
		sa->delete_child_spi = rk->spi_local;
		sa->queued |= IKE_REQ_DELETE_CHILD;
		ike_out_log_add(out, "rekeying collision: the peer's new Child SA stays, ours (SPI %08x) is deleted",
				rk->spi_local);
		drop(&sa->rk_own);
		return 0;
	}
	out->child = k;
	out->child_in = out->child_out = true;
	out->old_spi_out = rk->old_spi_out;
	sa->child = k;
	OPENSSL_cleanse(sa->child.key_in, sizeof(sa->child.key_in));
	OPENSSL_cleanse(sa->child.key_out, sizeof(sa->child.key_out));
	OPENSSL_cleanse(&k, sizeof(k));
	sa->child_spi_local = rk->spi_local;
	sa->delete_child_spi = rk->old_spi_in;
	sa->queued |= IKE_REQ_DELETE_CHILD;
	sa->rekeys++;
	ike_out_log_add(out, "Child SA rekeyed with %s: SPIs %08x/%08x replace %08x/%08x",
			ke_names(rk, names, sizeof(names)), rk->spi_local,
			rk->spi_peer, rk->old_spi_in, rk->old_spi_out);
	drop(&sa->rk_own);
	return 0;
}

/* Whether our ESP proposals offer KE method @id. */
static bool offered(const struct ike_sa *sa, uint16_t id)
{
	unsigned int i, j;

	for (i = 0; i < sa->conn->nesp; i++)
		for (j = 0; j < sa->conn->esp[i].ntrans; j++)
			if (sa->conn->esp[i].trans[j].type == IKE_TRANS_KE &&
			    sa->conn->esp[i].trans[j].id == id)
				return true;
	return false;
}

/* An error notify in the answer: the rekeying stops (or retries). */
static bool refused(struct ike_sa *sa, const struct ike_msg *m,
		    struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	unsigned int i;

	for (i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];
		uint16_t t = p->u.notify.type;

		if (p->type != IKE_PL_NOTIFY || t > IKE_N_ERROR_MAX)
			continue;
		out->notify_error = t;
		if (t == IKE_N_INVALID_KE_PAYLOAD && p->u.notify.len == 2 &&
		    !sa->rekey_group) {
			uint16_t want = ike_get16(p->u.notify.data);

			if (want && want != rk->group && offered(sa, want)) {
				sa->rekey_group = want;
				sa->queued |= IKE_REQ_REKEY_CHILD;
				ike_out_log(out, "rekeying: the peer wants %s: retrying",
					    ike_ke_method(want)->name);
				out->notify_error = 0;
				return true;
			}
		}
		out->rekey_failed = true;
		ike_out_log(out, "rekeying refused by the peer: %s",
			    t == IKE_N_TEMPORARY_FAILURE ? "TEMPORARY_FAILURE" :
			    t == IKE_N_NO_PROPOSAL_CHOSEN ? "NO_PROPOSAL_CHOSEN" :
			    t == IKE_N_INVALID_KE_PAYLOAD ? "INVALID_KE_PAYLOAD" :
			    t == IKE_N_CHILD_SA_NOT_FOUND ? "CHILD_SA_NOT_FOUND" :
			    t == IKE_N_NO_ADDITIONAL_SAS ? "NO_ADDITIONAL_SAS" :
			    t == IKE_N_TS_UNACCEPTABLE ? "TS_UNACCEPTABLE" :
			    t == IKE_N_STATE_NOT_FOUND ? "STATE_NOT_FOUND" :
			    "an error notify");
		if (t == IKE_N_TEMPORARY_FAILURE)
			out->notify_error = 0;	/* not an error of this SA */
		return true;
	}
	return false;
}

static void release_spi(struct ike_out *out, const struct ike_rekey *rk)
{
	/* the SPI we reserved: the daemon gives it back */
	out->release_spi = rk->spi_local;
}

static int initiator(struct ike_sa *sa, struct ike_msg *m, struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	struct ike_proposal mine[IKE_MAX_CONF_PROPOSALS];
	const struct ike_payload *sap, *ke, *nr, *link;
	const struct ike_ke_method *km;
	int rc;

	sa->pending = false;
	if (!rk) {
		ike_out_log(out, "dropped a %s response: no rekeying of ours",
			    ike_exchange_name(m->hdr.exchange));
		return 0;
	}
	if (refused(sa, m, out)) {
		sa->rekey_group = sa->queued & IKE_REQ_REKEY_CHILD ?
				  sa->rekey_group : 0;
		release_spi(out, rk);
		drop(&sa->rk_own);
		return 0;
	}
	if (m->hdr.exchange == IKE_CREATE_CHILD_SA) {
		sa->rekey_group = 0;
		sap = ike_find(m, IKE_PL_SA, 0);
		nr = ike_find(m, IKE_PL_NONCE, 0);
		ike_sa_esp_proposals(sa, mine, rk->spi_local, true);
		if (!sap || sap->u.sa.count != 1 || !nr ||
		    nr->u.raw.len != IKE_NONCE_LEN ||
		    m->prop[sap->u.sa.first].spi_size != 4 ||
		    !ike_prop_valid_choice(mine, sa->conn->nesp,
					   &m->prop[sap->u.sa.first])) {
			ike_out_log(out, "rekeying: the CREATE_CHILD_SA answer is invalid");
			goto abort;
		}
		rk->chosen = m->prop[sap->u.sa.first];
		rk->spi_peer = ike_get32(rk->chosen.spi);
		memcpy(rk->nr, nr->u.raw.data, IKE_NONCE_LEN);
		methods(rk);
		if (rk->ke_id[0] != rk->group) {
			ike_out_log(out, "rekeying: the peer chose another key exchange than our KE payload's");
			goto abort;
		}
	}
	/* the answer to the exchange in flight */
	km = ike_ke_method(rk->ke_id[rk->ke_done]);
	if (km) {
		ke = ike_find(m, IKE_PL_KE, 0);
		rc = ke && rk->ke && ke->u.ke.group == km->id ?
		     ike_ke_finish(rk->ke, ke->u.ke.data, ke->u.ke.len,
				   rk->ss[rk->ke_done]) : -EINVAL;
		ike_ke_free(rk->ke);
		rk->ke = NULL;
		if (rc) {
			ike_out_log(out, "rekeying: the responder's %s share is invalid: abort",
				    km->name);
			goto abort;
		}
	}
	rk->ke_done++;
	if (rk->ke_done < rk->nke) {
		link = ike_find_notify(m, IKE_N_ADDITIONAL_KEY_EXCHANGE);
		if (!link || !link->u.notify.len ||
		    link->u.notify.len > sizeof(rk->link)) {
			ike_out_log(out, "rekeying: no ADDITIONAL_KEY_EXCHANGE notify for exchange %u",
				    rk->ke_done);
			goto abort;
		}
		memcpy(rk->link, link->u.notify.data, link->u.notify.len);
		rk->link_len = link->u.notify.len;
		if (followup_request(sa, out))
			goto abort;
		return 0;
	}
	if (initiator_done(sa, out))
		goto abort;
	return 0;
abort:
	/*
	 * The peer may hold state for it (its inbound SA, once answered):
	 * delete what it made, as RFC 9370 2.2.4 asks after a failed
	 * IKE_FOLLOWUP_KE; the old child stays.
	 */
	out->rekey_failed = true;
	if (rk->spi_peer) {
		sa->delete_child_spi = rk->spi_local;
		sa->queued |= IKE_REQ_DELETE_CHILD;
	} else {
		release_spi(out, rk);
	}
	drop(&sa->rk_own);
	return 0;
}

/* ---- responder ---- */

/* An error answer to the peer's request; its exchange is dropped. */
static int refuse(struct ike_sa *sa, const struct ike_msg *m,
		  struct ike_out *out, uint16_t type, const uint8_t *data,
		  size_t len, const char *why)
{
	ike_sa_notify(sa, out, m->hdr.exchange, true, m->hdr.msgid, type,
		      data, len);
	out->notify_error = 0;	/* the IKE SA is fine */
	ike_out_log(out, "%s refused: %s", ike_exchange_name(m->hdr.exchange),
		    why);
	if (sa->rk_peer) {
		out->release_spi = sa->rk_peer->spi_local;
		drop(&sa->rk_peer);
	}
	return 0;
}

/* Answers the exchange in flight of the peer's rekeying, into @out. */
static int respond_ke(struct ike_sa *sa, const struct ike_msg *m,
		      struct ike_out *out, struct ike_builder *b,
		      const char **err, uint16_t *notify)
{
	static uint8_t share[IKE_KE_MAX_SHARE];
	struct ike_rekey *rk = sa->rk_peer;
	const struct ike_ke_method *km = ike_ke_method(rk->ke_id[rk->ke_done]);
	const struct ike_payload *ke = ike_find(m, IKE_PL_KE, 0);
	struct ike_ke *k;
	int rc;

	(void)out;
	if (!km)
		return 0;	/* KE NONE */
	if (!ke || ke->u.ke.group != km->id) {
		*notify = IKE_N_INVALID_KE_PAYLOAD;
		*err = "no KE payload of the chosen method";
		return -1;
	}
	k = ike_ke_new(km, &sa->conn->ke_env);
	rc = k ? ike_ke_respond(k, ke->u.ke.data, ke->u.ke.len, share,
				rk->ss[rk->ke_done]) : -ENOMEM;
	ike_ke_free(k);
	if (rc) {
		*notify = rc == -EINVAL ? IKE_N_INVALID_SYNTAX :
			  IKE_N_TEMPORARY_FAILURE;
		*err = rc == -EINVAL ? "the peer's key share is invalid" :
		       "cannot compute a key share";
		return -1;
	}
	ike_put_ke(b, km->id, share, km->r_len);
	return 0;
}

/* The peer's exchange is complete: the new inbound SA goes in. */
static int responder_done(struct ike_sa *sa, struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_peer;
	char names[128];

	if (derive(sa, rk, &sa->child_next))
		return -1;
	out->child = sa->child_next;
	out->child_in = true;
	sa->rekeys++;
	ike_out_log_add(out, "Child SA rekeyed by the peer with %s: SPIs %08x/%08x, outbound moves on its Delete of %08x/%08x",
			ke_names(rk, names, sizeof(names)), rk->spi_local,
			rk->spi_peer, sa->child.spi_in, sa->child.spi_out);
	drop(&sa->rk_peer);
	return 0;
}

/*
 * Ends our answer in @b: the next ADDITIONAL_KEY_EXCHANGE link if more
 * exchanges follow, sealed into @out; after the last one, the new child.
 */
static int finish(struct ike_sa *sa, const struct ike_msg *m,
		  struct ike_out *out, struct ike_builder *b, const uint8_t *inner)
{
	struct ike_rekey *rk = sa->rk_peer;

	if (rk->ke_done < rk->nke) {
		rk->link_len = LINK_LEN;
		ike_random_bytes(rk->link, LINK_LEN);
		ike_put_notify(b, 0, NULL, 0, IKE_N_ADDITIONAL_KEY_EXCHANGE,
			       rk->link, rk->link_len);
	}
	out->len = ike_build_end(b) ?
		   ike_sa_seal(sa, out, m->hdr.exchange, true, m->hdr.msgid,
			       inner + IKE_HDR_LEN, b->len - IKE_HDR_LEN,
			       inner[16], NULL) : 0;
	if (!out->len)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (answer too large)");
	if (rk->ke_done < rk->nke)
		return 0;
	if (responder_done(sa, out))
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (no keys)");
	return 0;
}

static int create_child(struct ike_sa *sa, const struct ike_msg *m,
			struct ike_out *out)
{
	const struct ike_conn *c = sa->conn;
	static uint8_t inner[IKE_KE_MAX_SHARE + 2048];
	const struct ike_payload *rekey = ike_find_notify(m, IKE_N_REKEY_SA);
	const struct ike_payload *sap = ike_find(m, IKE_PL_SA, 0);
	const struct ike_payload *ni = ike_find(m, IKE_PL_NONCE, 0);
	const struct ike_payload *tsi = ike_find(m, IKE_PL_TSI, 0);
	const struct ike_payload *tsr = ike_find(m, IKE_PL_TSR, 0);
	struct ike_proposal mine[IKE_MAX_CONF_PROPOSALS];
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	struct ike_rekey *rk;
	const char *err = NULL;
	uint16_t notify = 0;
	uint8_t want[2];

	if (!rekey || !sap || m->prop[sap->u.sa.first].protocol != IKE_PROTO_ESP)
		return refuse(sa, m, out, IKE_N_NO_ADDITIONAL_SAS, NULL, 0,
			      sap && m->prop[sap->u.sa.first].protocol == IKE_PROTO_IKE ?
			      "NO_ADDITIONAL_SAS (rekeying the IKE SA is not supported yet)" :
			      "NO_ADDITIONAL_SAS (only the configured Child SA, rekeyed)");
	if (rekey->u.notify.protocol != IKE_PROTO_ESP ||
	    rekey->u.notify.spi_size != 4 || !sa->child.aead ||
	    ike_get32(rekey->u.notify.spi) != sa->child.spi_out)
		return refuse(sa, m, out, IKE_N_CHILD_SA_NOT_FOUND, NULL, 0,
			      "CHILD_SA_NOT_FOUND (not our Child SA)");
	if (!ni || ni->u.raw.len != IKE_NONCE_LEN || !tsi || !tsr)
		return refuse(sa, m, out, IKE_N_INVALID_SYNTAX, NULL, 0,
			      "INVALID_SYNTAX (no nonce or traffic selectors)");
	if (sa->state == IKE_SA_DELETING || sa->rk_peer || sa->child_next.aead)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (the Child SA is being rekeyed or deleted)");
	if (sa->rk_own &&
	    memcmp(sa->rk_own->ni, ni->u.raw.data, IKE_NONCE_LEN) > 0)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (rekeying collision: ours has the higher nonce)");
	ike_sa_esp_proposals(sa, mine, 0, true);
	rk = calloc(1, sizeof(*rk));
	if (!rk)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (out of memory)");
	sa->rk_peer = rk;
	if (ike_prop_select(mine, c->nesp, m->prop + sap->u.sa.first,
			    sap->u.sa.count, &rk->chosen) ||
	    m->prop[sap->u.sa.first].spi_size != 4)
		return refuse(sa, m, out, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0,
			      "NO_PROPOSAL_CHOSEN");
	if (tsi->u.ts.count != 1 || tsr->u.ts.count != 1 ||
	    !ike_ts_same(&m->ts[tsi->u.ts.first], &c->remote_ts) ||
	    !ike_ts_same(&m->ts[tsr->u.ts.first], &c->local_ts))
		return refuse(sa, m, out, IKE_N_TS_UNACCEPTABLE, NULL, 0,
			      "TS_UNACCEPTABLE (not the Child SA's selectors)");
	if (!!ike_find_notify(m, IKE_N_USE_TRANSPORT_MODE) != c->transport)
		return refuse(sa, m, out, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0,
			      "NO_PROPOSAL_CHOSEN (another mode)");
	rk->spi_peer = ike_get32(rk->chosen.spi);
	memcpy(rk->ni, ni->u.raw.data, IKE_NONCE_LEN);
	methods(rk);
	if (rk->ke_id[0]) {
		const struct ike_payload *ke = ike_find(m, IKE_PL_KE, 0);

		if (!ke || ke->u.ke.group != rk->ke_id[0]) {
			ike_set16(want, rk->ke_id[0]);
			return refuse(sa, m, out, IKE_N_INVALID_KE_PAYLOAD, want, 2,
				      "INVALID_KE_PAYLOAD (another key exchange method chosen)");
		}
	}
	rk->spi_local = ike_sa_child_spi(sa);
	if (!rk->spi_local)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (no inbound SPI)");
	ike_random_bytes(rk->nr, sizeof(rk->nr));
	ike_set32(rk->chosen.spi, rk->spi_local);
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_sa(&b, &rk->chosen, 1);
	ike_put_raw(&b, IKE_PL_NONCE, false, rk->nr, sizeof(rk->nr));
	if (respond_ke(sa, m, out, &b, &err, &notify))
		return refuse(sa, m, out, notify, NULL, 0, err);
	rk->ke_done = 1;
	ike_put_ts(&b, IKE_PL_TSI, &c->remote_ts, 1);
	ike_put_ts(&b, IKE_PL_TSR, &c->local_ts, 1);
	if (c->transport)
		ike_put_notify(&b, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE, NULL, 0);
	ike_out_log(out, "CREATE_CHILD_SA: the peer rekeys the Child SA (SPIs %08x/%08x)",
		    sa->child.spi_in, sa->child.spi_out);
	return finish(sa, m, out, &b, inner);
}

static int followup(struct ike_sa *sa, const struct ike_msg *m,
		    struct ike_out *out)
{
	static uint8_t inner[IKE_KE_MAX_SHARE + 1024];
	struct ike_rekey *rk = sa->rk_peer;
	const struct ike_payload *link =
		ike_find_notify(m, IKE_N_ADDITIONAL_KEY_EXCHANGE);
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	const char *err = NULL;
	uint16_t notify = 0;

	if (!rk || !link || link->u.notify.len != rk->link_len ||
	    CRYPTO_memcmp(link->u.notify.data, rk->link, rk->link_len))
		return refuse(sa, m, out, IKE_N_STATE_NOT_FOUND, NULL, 0,
			      "STATE_NOT_FOUND (no such additional key exchange)");
	ike_build_begin(&b, inner, sizeof(inner), &h);
	if (respond_ke(sa, m, out, &b, &err, &notify))
		return refuse(sa, m, out, notify, NULL, 0, err);
	rk->ke_done++;
	ike_out_log(out, "IKE_FOLLOWUP_KE: additional exchange %u answered",
		    rk->ke_done - 1);
	return finish(sa, m, out, &b, inner);
}

int ike_task_child_process(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
			   struct ike_out *out)
{
	bool response = m->hdr.flags & IKE_FLAG_RESPONSE;

	if (ike_sa_open(sa, buf, m, NULL)) {
		ike_out_log(out, "dropped %s %s: integrity check failed",
			    ike_exchange_name(m->hdr.exchange),
			    response ? "response" : "request");
		return 0;
	}
	if (response)
		return initiator(sa, m, out);
	sa->req_in++;
	if (m->hdr.exchange == IKE_FOLLOWUP_KE)
		return followup(sa, m, out);
	return create_child(sa, m, out);
}
