// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Rekeying with CREATE_CHILD_SA: the Child SA (RFC 7296 1.3.3, 2.8) and
 * the IKE SA itself (1.3.2, 2.18), each with RFC 9370 2.2.4's additional
 * key exchanges in IKE_FOLLOWUP_KE. The Child SA:
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
 * The IKE SA: SK{SA(IKE, new SPI), Ni, KEi} and back, then the same
 * IKE_FOLLOWUP_KEs; SKEYSEED = prf(SK_d(old), SK(0) | Ni | Nr | SK(1) |
 * ... | SK(n)) and the keys with the new SPIs (keymat.c). The new IKE SA
 * (its original initiator: whoever started the rekeying; message IDs from
 * 0) takes the Child SA over as it is (nothing changes in XFRM); the
 * initiator then deletes the old IKE SA, whose only business left is
 * that Delete (sa->rekeyed).
 *
 * The Child SA, make before break, no packet lost (the order strongSwan
 * uses too):
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
 * side sees both nonces (this holds for IKE SA rekeyings, and for one of
 * each kind, too). The exchange with the higher Ni goes on; the
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
	bool ike;			/* of the IKE SA, not the Child SA */
	uint64_t ike_spi_local, ike_spi_peer;	/* the new IKE SA's */
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

/* The configured IKE proposals, with our new IKE SPI. */
static unsigned int ike_proposals(const struct ike_sa *sa,
				  struct ike_proposal *p, uint64_t spi)
{
	unsigned int i, n = sa->conn->nike;

	for (i = 0; i < n; i++) {
		p[i] = sa->conn->ike[i];
		p[i].num = (uint8_t)(i + 1);
		p[i].protocol = IKE_PROTO_IKE;
		p[i].spi_size = 8;
		ike_set64(p[i].spi, spi);
	}
	return n;
}

/* Our CREATE_CHILD_SA request: the Child SA's rekeying, or the IKE SA's. */
static int start(struct ike_sa *sa, struct ike_out *out, bool ike)
{
	const struct ike_conn *c = sa->conn;
	struct ike_proposal p[IKE_MAX_CONF_PROPOSALS];
	static uint8_t share[IKE_KE_MAX_SHARE], inner[IKE_KE_MAX_SHARE + 2048];
	const struct ike_ke_method *km = NULL;
	const char *what = ike ? "the IKE SA" : "the Child SA";
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	struct ike_rekey *rk;
	uint8_t spi[4];
	unsigned int n;

	memset(out, 0, sizeof(*out));
	if (sa->state != IKE_SA_ESTABLISHED || sa->pending || sa->rekeyed ||
	    (!ike && !sa->child.aead))
		return -1;
	if (sa->rk_own || sa->rk_peer || sa->child_next.aead) {
		ike_out_log(out, "not rekeying %s: a rekeying is under way", what);
		return -1;
	}
	rk = calloc(1, sizeof(*rk));
	if (!rk)
		return -1;
	rk->initiator = true;
	rk->ike = ike;
	rk->old_spi_in = sa->child.spi_in;
	rk->old_spi_out = sa->child.spi_out;
	rk->group = ike ? sa->rekey_ike_group : sa->rekey_group;
	if (ike) {
		rk->ike_spi_local = ike_random_spi();
		n = ike_proposals(sa, p, rk->ike_spi_local);
	} else {
		rk->spi_local = ike_sa_child_spi(sa);
		if (!rk->spi_local) {
			ike_out_log(out, "rekeying: no inbound SPI for the new Child SA");
			goto fail;
		}
		n = ike_sa_esp_proposals(sa, p, rk->spi_local, true);
	}
	ike_random_bytes(rk->ni, sizeof(rk->ni));
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
	if (!ike) {
		ike_set32(spi, rk->old_spi_in);
		ike_put_notify(&b, IKE_PROTO_ESP, spi, 4, IKE_N_REKEY_SA, NULL, 0);
		if (c->transport)
			ike_put_notify(&b, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE,
				       NULL, 0);
	}
	ike_put_sa(&b, p, n);
	ike_put_raw(&b, IKE_PL_NONCE, false, rk->ni, sizeof(rk->ni));
	if (km)
		ike_put_ke(&b, km->id, share, km->i_len);
	if (!ike) {
		ike_put_ts(&b, IKE_PL_TSI, &c->local_ts, 1);
		ike_put_ts(&b, IKE_PL_TSR, &c->remote_ts, 1);
	}
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
	if (ike)
		ike_out_log(out, "rekeying the IKE SA (SPIs %016llx_i %016llx_r): CREATE_CHILD_SA request with %s",
			    (unsigned long long)sa->spi_i,
			    (unsigned long long)sa->spi_r, km ? km->name : "?");
	else
		ike_out_log(out, "rekeying the Child SA (SPIs %08x/%08x): CREATE_CHILD_SA request%s%s",
			    rk->old_spi_in, rk->old_spi_out, km ? " with " : "",
			    km ? km->name : "");
	return 0;
fail:
	if (rk->spi_local)
		out->release_spi = rk->spi_local;
	ike_rekey_free(rk);
	return -1;
}

int ike_task_child_start(struct ike_sa *sa, struct ike_out *out)
{
	return start(sa, out, false);
}

int ike_task_ike_rekey_start(struct ike_sa *sa, struct ike_out *out)
{
	return start(sa, out, true);
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

/*
 * The IKE SA rekeyed (either role): its successor, which takes the Child
 * SA over, into out->new_sa; the old IKE SA is left with its Delete (ours
 * if we started the rekeying, else the peer's).
 */
static int ike_done(struct ike_sa *sa, struct ike_rekey *rk,
		    struct ike_out *out)
{
	struct ike_iov sk[IKE_MAX_KE];
	uint64_t spi_i = rk->initiator ? rk->ike_spi_local : rk->ike_spi_peer;
	uint64_t spi_r = rk->initiator ? rk->ike_spi_peer : rk->ike_spi_local;
	unsigned int nsk = secrets(rk, sk);
	struct ike_sa *n;
	char names[128];

	n = ike_sa_successor(sa, rk->initiator, spi_i, spi_r, &rk->chosen,
			     rk->ke_id, rk->nke, rk->ni, rk->nr, sk, nsk);
	if (!n)
		return -1;
	out->new_sa = n;
	sa->rekeyed = true;
	OPENSSL_cleanse(&sa->child, sizeof(sa->child));
	sa->child_spi_local = 0;
	if (rk->initiator)
		sa->queued |= IKE_REQ_DELETE;
	ike_out_log_add(out, "IKE SA rekeyed with %s%s: SPIs %016llx_i %016llx_r replace %016llx_i %016llx_r",
			ke_names(rk, names, sizeof(names)),
			rk->initiator ? "" : " by the peer",
			(unsigned long long)spi_i, (unsigned long long)spi_r,
			(unsigned long long)sa->spi_i,
			(unsigned long long)sa->spi_r);
	return 0;
}

/* Our exchange is complete: the new child in, the old one out. */
static int initiator_done(struct ike_sa *sa, struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	struct ike_child_keys k;
	char names[128];

	if (rk->ike) {
		if (ike_done(sa, rk, out))
			return -1;
		drop(&sa->rk_own);
		return 0;
	}
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

/* Whether our IKE (@ike) or ESP proposals offer KE method @id. */
static bool offered(const struct ike_sa *sa, bool ike, uint16_t id)
{
	const struct ike_proposal *p = ike ? sa->conn->ike : sa->conn->esp;
	unsigned int i, j, n = ike ? sa->conn->nike : sa->conn->nesp;

	for (i = 0; i < n; i++)
		for (j = 0; j < p[i].ntrans; j++)
			if (p[i].trans[j].type == IKE_TRANS_KE &&
			    p[i].trans[j].id == id)
				return true;
	return false;
}

/* An error notify in the answer: the rekeying stops (or retries). */
static bool refused(struct ike_sa *sa, const struct ike_msg *m,
		    struct ike_out *out)
{
	struct ike_rekey *rk = sa->rk_own;
	uint16_t *group = rk->ike ? &sa->rekey_ike_group : &sa->rekey_group;
	unsigned int i;

	for (i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];
		uint16_t t = p->u.notify.type;

		if (p->type != IKE_PL_NOTIFY || t > IKE_N_ERROR_MAX)
			continue;
		out->notify_error = t;
		if (t == IKE_N_INVALID_KE_PAYLOAD && p->u.notify.len == 2 &&
		    !*group) {
			uint16_t want = ike_get16(p->u.notify.data);

			if (want && want != rk->group && offered(sa, rk->ike, want)) {
				*group = want;
				sa->queued |= rk->ike ? IKE_REQ_REKEY_IKE :
					      IKE_REQ_REKEY_CHILD;
				ike_out_log(out, "rekeying: the peer wants %s: retrying",
					    ike_ke_method(want)->name);
				out->notify_error = 0;
				return true;
			}
		}
		if (rk->ike)
			out->ike_rekey_failed = true;
		else
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
		if (!(sa->queued & IKE_REQ_REKEY_CHILD))
			sa->rekey_group = 0;
		if (!(sa->queued & IKE_REQ_REKEY_IKE))
			sa->rekey_ike_group = 0;
		release_spi(out, rk);
		drop(&sa->rk_own);
		return 0;
	}
	if (m->hdr.exchange == IKE_CREATE_CHILD_SA) {
		unsigned int n;

		if (rk->ike)
			sa->rekey_ike_group = 0;
		else
			sa->rekey_group = 0;
		sap = ike_find(m, IKE_PL_SA, 0);
		nr = ike_find(m, IKE_PL_NONCE, 0);
		n = rk->ike ? ike_proposals(sa, mine, rk->ike_spi_local) :
		    ike_sa_esp_proposals(sa, mine, rk->spi_local, true);
		if (!sap || sap->u.sa.count != 1 || !nr ||
		    nr->u.raw.len != IKE_NONCE_LEN ||
		    m->prop[sap->u.sa.first].spi_size != (rk->ike ? 8 : 4) ||
		    !ike_prop_valid_choice(mine, n, &m->prop[sap->u.sa.first])) {
			ike_out_log(out, "rekeying: the CREATE_CHILD_SA answer is invalid");
			goto abort;
		}
		rk->chosen = m->prop[sap->u.sa.first];
		if (rk->ike)
			rk->ike_spi_peer = ike_get64(rk->chosen.spi);
		else
			rk->spi_peer = ike_get32(rk->chosen.spi);
		memcpy(rk->nr, nr->u.raw.data, IKE_NONCE_LEN);
		methods(rk);
		if (rk->ke_id[0] != rk->group || (rk->ike && !rk->group)) {
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
	if (rk->ike) {
		out->ike_rekey_failed = true;
		drop(&sa->rk_own);
		return 0;
	}
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
	int rc;

	if (rk->ike) {
		rc = ike_done(sa, rk, out);
		drop(&sa->rk_peer);
		return rc;
	}
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

/*
 * The first answer to the peer's rekeying, up to its KEr: the chosen
 * proposal with our new SPI, Nr, our key share. 0, or 1 when the request
 * was refused (the refusal is in @out).
 */
static int answer_start(struct ike_sa *sa, const struct ike_msg *m,
			struct ike_out *out, struct ike_builder *b,
			uint8_t *inner, size_t cap)
{
	struct ike_rekey *rk = sa->rk_peer;
	const struct ike_payload *ke = ike_find(m, IKE_PL_KE, 0);
	struct ike_hdr h = { 0 };
	const char *err = NULL;
	uint16_t notify = 0;
	uint8_t want[2];

	if (rk->ke_id[0] && (!ke || ke->u.ke.group != rk->ke_id[0])) {
		ike_set16(want, rk->ke_id[0]);
		refuse(sa, m, out, IKE_N_INVALID_KE_PAYLOAD, want, 2,
		       "INVALID_KE_PAYLOAD (another key exchange method chosen)");
		return 1;
	}
	if (rk->ike) {
		do
			rk->ike_spi_local = ike_random_spi();
		while (rk->ike_spi_local == rk->ike_spi_peer);
		ike_set64(rk->chosen.spi, rk->ike_spi_local);
	} else {
		rk->spi_local = ike_sa_child_spi(sa);
		if (!rk->spi_local) {
			refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			       "TEMPORARY_FAILURE (no inbound SPI)");
			return 1;
		}
		ike_set32(rk->chosen.spi, rk->spi_local);
	}
	ike_random_bytes(rk->nr, sizeof(rk->nr));
	ike_build_begin(b, inner, cap, &h);
	ike_put_sa(b, &rk->chosen, 1);
	ike_put_raw(b, IKE_PL_NONCE, false, rk->nr, sizeof(rk->nr));
	if (respond_ke(sa, m, out, b, &err, &notify)) {
		refuse(sa, m, out, notify, NULL, 0, err);
		return 1;
	}
	rk->ke_done = 1;
	return 0;
}

/* The peer rekeys the IKE SA: SK{SA, Nr, KEr} (and its IKE_FOLLOWUP_KEs). */
static int ike_rekey_answer(struct ike_sa *sa, const struct ike_msg *m,
			    struct ike_out *out)
{
	static uint8_t inner[IKE_KE_MAX_SHARE + 2048];
	const struct ike_payload *sap = ike_find(m, IKE_PL_SA, 0);
	const struct ike_payload *ni = ike_find(m, IKE_PL_NONCE, 0);
	struct ike_builder b;
	struct ike_rekey *rk;

	if (!ni || ni->u.raw.len != IKE_NONCE_LEN)
		return refuse(sa, m, out, IKE_N_INVALID_SYNTAX, NULL, 0,
			      "INVALID_SYNTAX (no nonce)");
	if (sa->state == IKE_SA_DELETING || sa->rekeyed || sa->rk_peer ||
	    sa->child_next.aead)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (a rekeying or delete is under way)");
	if (sa->rk_own &&
	    memcmp(sa->rk_own->ni, ni->u.raw.data, IKE_NONCE_LEN) > 0)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (rekeying collision: ours has the higher nonce)");
	rk = calloc(1, sizeof(*rk));
	if (!rk)
		return refuse(sa, m, out, IKE_N_TEMPORARY_FAILURE, NULL, 0,
			      "TEMPORARY_FAILURE (out of memory)");
	rk->ike = true;
	sa->rk_peer = rk;
	if (ike_prop_select(sa->conn->ike, sa->conn->nike,
			    m->prop + sap->u.sa.first, sap->u.sa.count,
			    &rk->chosen) ||
	    m->prop[sap->u.sa.first].spi_size != 8 ||
	    !ike_prop_get(&rk->chosen, IKE_TRANS_KE) ||
	    (sa->conn->require_mlkem && !ike_prop_has_mlkem(&rk->chosen)))
		return refuse(sa, m, out, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0,
			      "NO_PROPOSAL_CHOSEN (rekeying the IKE SA)");
	rk->ike_spi_peer = ike_get64(rk->chosen.spi);
	memcpy(rk->ni, ni->u.raw.data, IKE_NONCE_LEN);
	methods(rk);
	if (answer_start(sa, m, out, &b, inner, sizeof(inner)))
		return 0;
	ike_out_log(out, "CREATE_CHILD_SA: the peer rekeys the IKE SA");
	return finish(sa, m, out, &b, inner);
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
	struct ike_builder b;
	struct ike_rekey *rk;

	if (sap && sap->u.sa.count &&
	    m->prop[sap->u.sa.first].protocol == IKE_PROTO_IKE)
		return ike_rekey_answer(sa, m, out);
	if (!rekey || !sap || !sap->u.sa.count ||
	    m->prop[sap->u.sa.first].protocol != IKE_PROTO_ESP)
		return refuse(sa, m, out, IKE_N_NO_ADDITIONAL_SAS, NULL, 0,
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
			      "TEMPORARY_FAILURE (a rekeying or delete is under way)");
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
	if (answer_start(sa, m, out, &b, inner, sizeof(inner)))
		return 0;
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
