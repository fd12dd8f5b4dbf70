// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKE_SA_INIT exchange (RFC 7296 1.2): proposals, the first key
 * exchange, nonces, INVALID_KE_PAYLOAD and its retry, and the first keys.
 * Announces IKE_INTERMEDIATE (RFC 9242) when a proposal has additional
 * key exchanges (RFC 9370), which task_intermediate.c then runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proposal.h"
#include "sa.h"

static bool any_addke(const struct ike_proposal *p, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < p[i].ntrans; j++)
			if (p[i].trans[j].type >= IKE_TRANS_ADDKE1 &&
			    p[i].trans[j].type <= IKE_TRANS_ADDKE7)
				return true;
	return false;
}

static bool offered_ke(const struct ike_conn *c, uint16_t group)
{
	unsigned int i, j;

	for (i = 0; i < c->nike; i++)
		for (j = 0; j < c->ike[i].ntrans; j++)
			if (c->ike[i].trans[j].type == IKE_TRANS_KE &&
			    c->ike[i].trans[j].id == group)
				return true;
	return false;
}

static void *dup(const uint8_t *p, size_t n)
{
	void *d = malloc(n);

	if (d)
		memcpy(d, p, n);
	return d;
}

/*
 * From the chosen proposal: the AEAD, the PRF, and the list of key
 * exchanges (the IKE_SA_INIT one, then ADDKE1..7 that are not NONE).
 */
static int use_proposal(struct ike_sa *sa, struct ike_out *out)
{
	uint8_t t;

	sa->aead = ike_aead_find(ike_prop_get(&sa->chosen, IKE_TRANS_ENCR),
				 ike_prop_keylen(&sa->chosen, IKE_TRANS_ENCR));
	sa->keys.prf = ike_prf_by_id(ike_prop_get(&sa->chosen, IKE_TRANS_PRF));
	if (!sa->aead || !sa->keys.prf) {
		ike_out_log(out, "the chosen proposal has no AEAD or PRF we run");
		return -1;
	}
	sa->keys.integ_len = 0;
	sa->keys.encr_len = sa->aead->key_len + IKE_SK_SALT_LEN;
	sa->ke_id[0] = ike_prop_get(&sa->chosen, IKE_TRANS_KE);
	sa->nke = 1;
	for (t = IKE_TRANS_ADDKE1; t <= IKE_TRANS_ADDKE7; t++) {
		uint16_t id = ike_prop_get(&sa->chosen, t);

		if (id != IKE_KE_NONE)
			sa->ke_id[sa->nke++] = id;
	}
	if (sa->conn->require_mlkem && !ike_prop_has_mlkem(&sa->chosen)) {
		ike_out_log(out, "the chosen proposal has no ML-KEM exchange, and this connection requires one");
		return -1;
	}
	return 0;
}

/* SKEYSEED and the keys from the first key exchange's secret. */
static int first_keys(struct ike_sa *sa, const uint8_t *ss, size_t ss_len)
{
	return ike_keys_init(&sa->keys, sa->ni, sizeof(sa->ni), sa->nr,
			     sizeof(sa->nr), ss, ss_len, sa->spi_i, sa->spi_r);
}

/*
 * NAT_DETECTION_SOURCE_IP and _DESTINATION_IP for a message with SPIs
 * @spi_i, @spi_r from sa->local to sa->remote (RFC 7296 2.23). With
 * encap = yes the source hash is one no address can give (as strongSwan's),
 * so that both sides see a NAT and encapsulate.
 */
static void put_natd(struct ike_sa *sa, struct ike_builder *b, uint64_t spi_i,
		     uint64_t spi_r)
{
	uint8_t h[IKE_NATD_LEN];

	if (sa->conn->encap)
		ike_random_bytes(h, sizeof(h));
	else if (ike_natd_hash(spi_i, spi_r, &sa->local, h))
		return;
	ike_put_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_SOURCE_IP, h, sizeof(h));
	if (ike_natd_hash(spi_i, spi_r, &sa->remote, h))
		return;
	ike_put_notify(b, 0, NULL, 0, IKE_N_NAT_DETECTION_DESTINATION_IP, h,
		       sizeof(h));
}

/*
 * The peer's NAT detection notifies in @m (sent from sa->remote to
 * sa->local): a source hash that matches none of the sender's means it is
 * behind a NAT, a destination hash that does not match ours that we are.
 */
static void check_natd(struct ike_sa *sa, const struct ike_msg *m)
{
	uint8_t src[IKE_NATD_LEN], dst[IKE_NATD_LEN];
	bool any_src = false, src_ok = false, dst_seen = false, dst_ok = false;
	unsigned int i;

	if (ike_natd_hash(m->hdr.spi_i, m->hdr.spi_r, &sa->remote, src) ||
	    ike_natd_hash(m->hdr.spi_i, m->hdr.spi_r, &sa->local, dst))
		return;
	for (i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];

		if (p->type != IKE_PL_NOTIFY || p->u.notify.len != IKE_NATD_LEN)
			continue;
		if (p->u.notify.type == IKE_N_NAT_DETECTION_SOURCE_IP) {
			any_src = true;
			src_ok |= !memcmp(p->u.notify.data, src, IKE_NATD_LEN);
		} else if (p->u.notify.type == IKE_N_NAT_DETECTION_DESTINATION_IP) {
			dst_seen = true;
			dst_ok = !memcmp(p->u.notify.data, dst, IKE_NATD_LEN);
		}
	}
	sa->natt = any_src && dst_seen;
	sa->nat_remote = sa->natt && (!src_ok || sa->conn->encap);
	sa->nat_local = sa->natt && (!dst_ok || sa->conn->encap);
}

int ike_task_init_start(struct ike_sa *sa, struct ike_out *out)
{
	const struct ike_conn *c = sa->conn;
	struct ike_hdr h = { .exchange = IKE_SA_INIT, .flags = IKE_FLAG_INITIATOR };
	static uint8_t share[4096];
	const struct ike_ke_method *m;
	struct ike_builder b;
	uint16_t group;
	unsigned int i;

	if (!c->nike)
		return -1;
	group = sa->retry_group ? sa->retry_group :
		ike_prop_get(&c->ike[0], IKE_TRANS_KE);
	m = ike_ke_method(group);
	if (!m) {
		ike_out_log(out, "no key exchange method %u", group);
		return -1;
	}
	if (!sa->spi_i)
		sa->spi_i = ike_random_spi();
	h.spi_i = sa->spi_i;
	/* a retry with a cookie keeps Ni: the cookie covers it */
	if (!sa->cookie_len)
		ike_random_bytes(sa->ni, sizeof(sa->ni));
	ike_ke_free(sa->ke[0]);
	sa->ke[0] = ike_ke_new(m, &c->ke_env);
	if (!sa->ke[0] || ike_ke_initiate(sa->ke[0], share)) {
		ike_out_log(out, "%s: cannot generate a key share", m->name);
		return -1;
	}
	ike_build_begin(&b, out->msg, sizeof(out->msg), &h);
	if (sa->cookie_len)	/* RFC 7296 2.6: the first payload */
		ike_put_notify(&b, 0, NULL, 0, IKE_N_COOKIE, sa->cookie,
			       sa->cookie_len);
	{
		struct ike_proposal p[IKE_MAX_CONF_PROPOSALS];

		for (i = 0; i < c->nike; i++) {
			p[i] = c->ike[i];
			p[i].num = (uint8_t)(i + 1);
		}
		ike_put_sa(&b, p, c->nike);
	}
	ike_put_ke(&b, group, share, m->i_len);
	ike_put_raw(&b, IKE_PL_NONCE, false, sa->ni, sizeof(sa->ni));
	if (any_addke(c->ike, c->nike))
		ike_put_notify(&b, 0, NULL, 0,
			       IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	if (c->fragmentation != IKE_FRAG_NO)
		ike_put_notify(&b, 0, NULL, 0,
			       IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	put_natd(sa, &b, sa->spi_i, 0);
	if (c->childless != IKE_CHILDLESS_NEVER)
		ike_put_notify(&b, 0, NULL, 0, IKE_N_CHILDLESS_IKEV2_SUPPORTED,
			       NULL, 0);
	out->len = ike_build_end(&b);
	if (!out->len)
		return -1;
	free(sa->init_req);
	sa->init_req = dup(out->msg, out->len);
	sa->init_req_len = out->len;
	sa->state = IKE_SA_INIT_SENT;
	sa->next_msgid = 1;
	ike_out_log(out, "IKE_SA_INIT request, %s", m->name);
	return sa->init_req ? 0 : -1;
}

static int fail(struct ike_sa *sa, struct ike_out *out, uint16_t notify,
		const uint8_t *data, size_t len)
{
	if (notify && !sa->initiator)
		ike_sa_notify(sa, out, IKE_SA_INIT, true, 0, notify, data, len);
	sa->state = IKE_SA_FAILED;
	return -1;
}

static int responder(struct ike_sa *sa, uint8_t *buf, size_t len,
		     struct ike_msg *m, struct ike_out *out)
{
	const struct ike_payload *sap = ike_find(m, IKE_PL_SA, 0);
	const struct ike_payload *ke = ike_find(m, IKE_PL_KE, 0);
	const struct ike_payload *n = ike_find(m, IKE_PL_NONCE, 0);
	const struct ike_conn *c = sa->conn;
	struct ike_hdr h = { .exchange = IKE_SA_INIT, .flags = IKE_FLAG_RESPONSE };
	static uint8_t share[4096];
	uint8_t ss[IKE_KE_MAX_SS];
	const struct ike_ke_method *km;
	struct ike_builder b;
	int rc;

	if (m->hdr.spi_r || !m->hdr.spi_i || !sap || !ke || !n ||
	    n->u.raw.len != IKE_NONCE_LEN) {
		ike_out_log(out, "IKE_SA_INIT request without SA, KE or a %d-byte nonce",
			    IKE_NONCE_LEN);
		return fail(sa, out, IKE_N_INVALID_SYNTAX, NULL, 0);
	}
	sa->spi_i = m->hdr.spi_i;
	memcpy(sa->ni, n->u.raw.data, IKE_NONCE_LEN);
	if (ike_prop_select(c->ike, c->nike, m->prop + sap->u.sa.first,
			    sap->u.sa.count, &sa->chosen) ||
	    use_proposal(sa, out)) {
		if (!out->log[0])
			ike_out_log(out, "no proposal of the peer matches ours");
		return fail(sa, out, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	}
	if (ke->u.ke.group != sa->ke_id[0]) {
		uint8_t g[2];

		ike_set16(g, sa->ke_id[0]);
		ike_out_log(out, "the peer's KE is group %u, we chose %u: INVALID_KE_PAYLOAD",
			    ke->u.ke.group, sa->ke_id[0]);
		return fail(sa, out, IKE_N_INVALID_KE_PAYLOAD, g, 2);
	}
	km = ike_ke_method(sa->ke_id[0]);
	sa->ke[0] = km ? ike_ke_new(km, &c->ke_env) : NULL;
	if (!sa->ke[0])
		return fail(sa, out, IKE_N_NO_PROPOSAL_CHOSEN, NULL, 0);
	rc = ike_ke_respond(sa->ke[0], ke->u.ke.data, ke->u.ke.len, share, ss);
	if (rc) {
		ike_out_log(out, "%s: the peer's share is %s", km->name,
			    rc == -EINVAL ? "invalid" : "unusable here");
		return fail(sa, out, rc == -EINVAL ? IKE_N_INVALID_SYNTAX : 0, NULL, 0);
	}
	sa->spi_r = ike_random_spi();
	ike_random_bytes(sa->nr, sizeof(sa->nr));
	rc = first_keys(sa, ss, km->ss_len);
	OPENSSL_cleanse(ss, sizeof(ss));
	if (rc)
		return fail(sa, out, 0, NULL, 0);

	h.spi_i = sa->spi_i;
	h.spi_r = sa->spi_r;
	ike_build_begin(&b, out->msg, sizeof(out->msg), &h);
	ike_put_sa(&b, &sa->chosen, 1);
	ike_put_ke(&b, km->id, share, km->r_len);
	ike_put_raw(&b, IKE_PL_NONCE, false, sa->nr, sizeof(sa->nr));
	if (sa->nke > 1)
		ike_put_notify(&b, 0, NULL, 0,
			       IKE_N_INTERMEDIATE_EXCHANGE_SUPPORTED, NULL, 0);
	/* RFC 7383 2.3: announced in the response only if requested */
	sa->peer_frag = sa->conn->fragmentation != IKE_FRAG_NO &&
			ike_find_notify(m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED);
	if (sa->peer_frag)
		ike_put_notify(&b, 0, NULL, 0,
			       IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	/* RFC 7296 2.23: NAT detection answered only if asked */
	check_natd(sa, m);
	if (sa->natt)
		put_natd(sa, &b, sa->spi_i, sa->spi_r);
	sa->peer_childless = !!ike_find_notify(m, IKE_N_CHILDLESS_IKEV2_SUPPORTED);
	if (sa->conn->childless != IKE_CHILDLESS_NEVER)
		ike_put_notify(&b, 0, NULL, 0, IKE_N_CHILDLESS_IKEV2_SUPPORTED,
			       NULL, 0);
	out->len = ike_build_end(&b);
	sa->init_req = dup(buf, len);
	sa->init_req_len = len;
	sa->init_resp = dup(out->msg, out->len);
	sa->init_resp_len = out->len;
	if (!out->len || !sa->init_req || !sa->init_resp)
		return fail(sa, out, 0, NULL, 0);
	ike_ke_free(sa->ke[0]);
	sa->ke[0] = NULL;
	sa->ke_done = 1;
	sa->next_msgid = 1;
	sa->state = IKE_SA_INTERMEDIATE;
	ike_out_log(out, "IKE_SA_INIT response, %s, %u additional exchange(s)",
		    km->name, sa->nke - 1);
	return 0;
}

static int initiator(struct ike_sa *sa, uint8_t *buf, size_t len,
		     struct ike_msg *m, struct ike_out *out)
{
	const struct ike_payload *cookie = ike_find_notify(m, IKE_N_COOKIE);
	const struct ike_payload *inv = ike_find_notify(m, IKE_N_INVALID_KE_PAYLOAD);
	const struct ike_payload *sap = ike_find(m, IKE_PL_SA, 0);
	const struct ike_payload *ke = ike_find(m, IKE_PL_KE, 0);
	const struct ike_payload *n = ike_find(m, IKE_PL_NONCE, 0);
	uint8_t ss[IKE_KE_MAX_SS];
	unsigned int i;
	int rc;

	if (cookie && !sap) {
		if (!cookie->u.notify.len || cookie->u.notify.len > sizeof(sa->cookie) ||
		    ++sa->cookie_tries > 2) {
			ike_out_log(out, "the responder keeps asking for a cookie: giving up");
			return fail(sa, out, 0, NULL, 0);
		}
		memcpy(sa->cookie, cookie->u.notify.data, cookie->u.notify.len);
		sa->cookie_len = cookie->u.notify.len;
		sa->state = IKE_SA_NEW;
		rc = ike_task_init_start(sa, out);
		ike_out_log(out, "the responder asks for a cookie (RFC 7296 2.6): IKE_SA_INIT again with it");
		return rc;
	}
	if (inv) {
		uint16_t g = inv->u.notify.len == 2 ? ike_get16(inv->u.notify.data) : 0;

		if (sa->retry_group || !offered_ke(sa->conn, g)) {
			ike_out_log(out, "INVALID_KE_PAYLOAD asks for group %u, which we %s",
				    g, sa->retry_group ? "already tried" : "did not offer");
			return fail(sa, out, 0, NULL, 0);
		}
		sa->retry_group = g;
		sa->state = IKE_SA_NEW;
		return ike_task_init_start(sa, out);
	}
	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKE_N_ERROR_MAX) {
			out->notify_error = m->pl[i].u.notify.type;
			ike_out_log(out, "IKE_SA_INIT refused by the peer: notify %u",
				    out->notify_error);
			return fail(sa, out, 0, NULL, 0);
		}
	if (!sap || sap->u.sa.count != 1 || !ke || !n || !m->hdr.spi_r ||
	    n->u.raw.len < 16 || n->u.raw.len > sizeof(sa->nr)) {
		ike_out_log(out, "IKE_SA_INIT response without SA, KE, nonce or SPI");
		return fail(sa, out, 0, NULL, 0);
	}
	sa->chosen = m->prop[sap->u.sa.first];
	if (!ike_prop_valid_choice(sa->conn->ike, sa->conn->nike, &sa->chosen)) {
		ike_out_log(out, "the responder chose a proposal we did not offer");
		return fail(sa, out, 0, NULL, 0);
	}
	if (use_proposal(sa, out))
		return fail(sa, out, 0, NULL, 0);
	if (ke->u.ke.group != sa->ke_id[0] ||
	    ke->u.ke.group != sa->ke[0]->m->id) {
		ike_out_log(out, "the responder's KE group %u is not the chosen %u",
			    ke->u.ke.group, sa->ke_id[0]);
		return fail(sa, out, 0, NULL, 0);
	}
	if (n->u.raw.len != IKE_NONCE_LEN) {
		ike_out_log(out, "the responder's nonce is not %d bytes", IKE_NONCE_LEN);
		return fail(sa, out, 0, NULL, 0);
	}
	memcpy(sa->nr, n->u.raw.data, IKE_NONCE_LEN);
	sa->spi_r = m->hdr.spi_r;
	sa->peer_childless = !!ike_find_notify(m, IKE_N_CHILDLESS_IKEV2_SUPPORTED);
	if (sa->conn->childless == IKE_CHILDLESS_FORCE && !sa->peer_childless) {
		ike_out_log(out, "childless = force, but the peer does not support childless IKE SAs (RFC 6023)");
		return fail(sa, out, 0, NULL, 0);
	}
	sa->peer_frag = sa->conn->fragmentation != IKE_FRAG_NO &&
			ike_find_notify(m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED);
	check_natd(sa, m);
	rc = ike_ke_finish(sa->ke[0], ke->u.ke.data, ke->u.ke.len, ss);
	if (!rc)
		rc = first_keys(sa, ss, sa->ke[0]->m->ss_len);
	OPENSSL_cleanse(ss, sizeof(ss));
	ike_ke_free(sa->ke[0]);
	sa->ke[0] = NULL;
	if (rc) {
		ike_out_log(out, "IKE_SA_INIT: the responder's key share is invalid");
		return fail(sa, out, 0, NULL, 0);
	}
	sa->init_resp = dup(buf, len);
	sa->init_resp_len = len;
	if (!sa->init_resp)
		return fail(sa, out, 0, NULL, 0);
	sa->ke_done = 1;
	sa->state = IKE_SA_INTERMEDIATE;
	if (sa->nke > 1)
		return ike_task_intermediate_start(sa, out);
	return ike_task_auth_start(sa, out);
}

int ike_task_init_process(struct ike_sa *sa, uint8_t *buf, size_t len,
			  struct ike_msg *m, struct ike_out *out)
{
	return sa->initiator ? initiator(sa, buf, len, m, out) :
			       responder(sa, buf, len, m, out);
}
