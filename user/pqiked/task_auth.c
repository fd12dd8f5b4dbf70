// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKE_AUTH exchange with pre-shared keys and the first Child SA
 * (RFC 7296 1.2, 2.15, 2.17): SK{IDi, AUTH, SA, TSi, TSr} and back. The
 * Child SA's KEYMAT = prf+(SK_d, Ni | Nr), split as encryption key and
 * salt initiator-to-responder, then responder-to-initiator. Traffic
 * selectors must equal the configured ones (narrowing comes later). A
 * Child SA that cannot be agreed leaves the IKE SA up without it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "proposal.h"
#include "sa.h"

#define ID_FQDN		2
#define AUTH_PSK	2	/* Shared Key Message Integrity Code */

static int fail(struct ike_sa *sa)
{
	sa->state = IKE_SA_FAILED;
	return -1;
}

/* The first Child SA's keys: KEYMAT = prf+(SK_d, Ni | Nr); 0 or -1. */
static int child_keys(struct ike_sa *sa, const struct ike_proposal *chosen,
		      uint32_t peer_spi, struct ike_out *out)
{
	if (ike_child_derive(sa, chosen, sa->initiator, NULL, 0, sa->ni,
			     sa->nr, sa->child_spi_local, peer_spi, &sa->child))
		return -1;
	out->child = sa->child;
	out->child_ready = true;
	return 0;
}

int ike_task_auth_start(struct ike_sa *sa, struct ike_out *out)
{
	const struct ike_conn *c = sa->conn;
	struct ike_proposal p[IKE_MAX_CONF_PROPOSALS];
	static uint8_t inner[4096];
	uint8_t auth[IKE_PRF_MAX_LEN], id[260];
	size_t id_len = 4 + strlen(c->local_id);
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint32_t msgid = sa->next_msgid;

	if (id_len > sizeof(id))
		return fail(sa);
	memset(id, 0, 4);
	id[0] = ID_FQDN;
	memcpy(id + 4, c->local_id, id_len - 4);
	if (ike_auth_psk(sa, true, id, id_len, msgid, auth))
		return fail(sa);
	/* RFC 6023: no SA and TS payloads for a childless IKE SA */
	sa->childless = c->childless == IKE_CHILDLESS_FORCE ||
			(c->childless == IKE_CHILDLESS_PREFER && sa->peer_childless);
	if (!sa->childless) {
		sa->child_spi_local = ike_sa_child_spi(sa);
		if (!sa->child_spi_local) {
			ike_out_log(out, "no inbound SPI for the Child SA");
			return fail(sa);
		}
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_id(&b, IKE_PL_IDI, ID_FQDN, id + 4, id_len - 4);
	ike_put_auth(&b, AUTH_PSK, auth, sa->keys.prf->len);
	if (!sa->childless) {
		ike_put_sa(&b, p, ike_sa_esp_proposals(sa, p, sa->child_spi_local, false));
		ike_put_ts(&b, IKE_PL_TSI, &c->local_ts, 1);
		ike_put_ts(&b, IKE_PL_TSR, &c->remote_ts, 1);
		if (c->transport)
			ike_put_notify(&b, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE,
				       NULL, 0);
	}
	OPENSSL_cleanse(auth, sizeof(auth));
	if (!ike_build_end(&b))
		return fail(sa);
	out->len = ike_sa_seal(sa, out, IKE_AUTH, false, sa->next_msgid++,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
	OPENSSL_cleanse(inner, sizeof(inner));
	if (!out->len)
		return fail(sa);
	sa->state = IKE_SA_AUTH_SENT;
	ike_out_log(out, "IKE_AUTH request");
	return 0;
}

/* Checks the peer's ID and AUTH payloads; 0 or -1 (with a log line). */
static int check_peer(struct ike_sa *sa, const struct ike_msg *m,
		      uint32_t msgid, struct ike_out *out)
{
	const struct ike_payload *id = ike_find(m, sa->initiator ? IKE_PL_IDR :
						IKE_PL_IDI, 0);
	const struct ike_payload *auth = ike_find(m, IKE_PL_AUTH, 0);
	const char *want = sa->conn->remote_id;
	uint8_t expect[IKE_PRF_MAX_LEN];
	int rc;

	if (!id || !auth) {
		ike_out_log(out, "IKE_AUTH without ID or AUTH");
		return -1;
	}
	if (id->u.id.type != ID_FQDN || id->u.id.len != strlen(want) ||
	    memcmp(id->u.id.data, want, id->u.id.len)) {
		ike_out_log(out, "IKE_AUTH: the peer's identity is not '%s'", want);
		return -1;
	}
	if (auth->u.auth.method != AUTH_PSK ||
	    auth->u.auth.len != sa->keys.prf->len) {
		ike_out_log(out, "IKE_AUTH: not a pre-shared key AUTH");
		return -1;
	}
	/* IDx': the ID payload's body */
	rc = ike_auth_psk(sa, !sa->initiator, id->body, id->len, msgid, expect);
	if (!rc)
		rc = CRYPTO_memcmp(expect, auth->u.auth.data, sa->keys.prf->len) ?
		     -1 : 0;
	OPENSSL_cleanse(expect, sizeof(expect));
	if (rc)
		ike_out_log(out, "IKE_AUTH: the peer's AUTH does not verify (wrong pre-shared key?)");
	return rc;
}

static int responder(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		     struct ike_out *out)
{
	const struct ike_conn *c = sa->conn;
	const struct ike_payload *sap, *tsi, *tsr;
	struct ike_proposal mine[IKE_MAX_CONF_PROPOSALS], chosen;
	static uint8_t inner[4096];
	uint8_t auth[IKE_PRF_MAX_LEN], id[260];
	size_t id_len = 4 + strlen(c->local_id);
	uint32_t msgid = m->hdr.msgid;
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint16_t child_err = 0;

	if (sa->ke_done != sa->nke) {
		ike_out_log(out, "IKE_AUTH before the additional exchanges: dropped");
		return 0;
	}
	if (ike_sa_open(sa, buf, m, NULL)) {
		ike_out_log(out, "IKE_AUTH request does not decrypt: dropped");
		return 0;
	}
	sa->next_msgid++;
	if (check_peer(sa, m, msgid, out)) {
		ike_sa_notify(sa, out, IKE_AUTH, true, msgid,
			      IKE_N_AUTHENTICATION_FAILED, NULL, 0);
		return fail(sa);
	}
	sap = ike_find(m, IKE_PL_SA, 0);
	tsi = ike_find(m, IKE_PL_TSI, 0);
	tsr = ike_find(m, IKE_PL_TSR, 0);
	/* RFC 6023: a request without SA and TS payloads asks for no child */
	sa->childless = !sap && !tsi && !tsr;
	if (sa->childless && (c->childless == IKE_CHILDLESS_NEVER ||
			      !sa->peer_childless)) {
		ike_out_log(out, "a childless IKE_AUTH, but %s: refused",
			    c->childless == IKE_CHILDLESS_NEVER ?
			    "childless = never" : "the peer did not announce it");
		ike_sa_notify(sa, out, IKE_AUTH, true, msgid, IKE_N_INVALID_SYNTAX,
			      NULL, 0);
		return fail(sa);
	}
	ike_sa_esp_proposals(sa, mine, 0, false);
	if (!sap || !tsi || !tsr ||
	    ike_prop_select(mine, c->nesp, m->prop + sap->u.sa.first,
			    sap->u.sa.count, &chosen) ||
	    chosen.spi_size != 4)
		child_err = IKE_N_NO_PROPOSAL_CHOSEN;
	else if (tsi->u.ts.count != 1 || tsr->u.ts.count != 1 ||
		 !ike_ts_same(&m->ts[tsi->u.ts.first], &c->remote_ts) ||
		 !ike_ts_same(&m->ts[tsr->u.ts.first], &c->local_ts))
		child_err = IKE_N_TS_UNACCEPTABLE;
	/* RFC 7296 1.3.1: the mode both are configured for, or no child */
	else if (!!ike_find_notify(m, IKE_N_USE_TRANSPORT_MODE) != c->transport)
		child_err = IKE_N_NO_PROPOSAL_CHOSEN;
	if (!child_err && !sa->childless) {
		sa->child_spi_local = ike_sa_child_spi(sa);
		if (!sa->child_spi_local) {
			ike_out_log(out, "no inbound SPI for the Child SA");
			child_err = IKE_N_NO_PROPOSAL_CHOSEN;
		}
	}
	if (child_err == IKE_N_NO_PROPOSAL_CHOSEN && sap && tsi && tsr &&
	    !!ike_find_notify(m, IKE_N_USE_TRANSPORT_MODE) != c->transport)
		ike_out_log(out, "the peer asks for %s mode, the child is configured for %s",
			    c->transport ? "tunnel" : "transport",
			    c->transport ? "transport" : "tunnel");

	if (id_len > sizeof(id))
		return fail(sa);
	memset(id, 0, 4);
	id[0] = ID_FQDN;
	memcpy(id + 4, c->local_id, id_len - 4);
	if (ike_auth_psk(sa, false, id, id_len, msgid, auth))
		return fail(sa);
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_id(&b, IKE_PL_IDR, ID_FQDN, id + 4, id_len - 4);
	ike_put_auth(&b, AUTH_PSK, auth, sa->keys.prf->len);
	OPENSSL_cleanse(auth, sizeof(auth));
	if (sa->childless) {
		child_err = 0;	/* nothing asked, nothing refused */
	} else if (child_err) {
		ike_put_notify(&b, 0, NULL, 0, child_err, NULL, 0);
	} else {
		uint32_t peer_spi = ike_get32(chosen.spi);

		ike_set32(chosen.spi, sa->child_spi_local);
		ike_put_sa(&b, &chosen, 1);
		ike_put_ts(&b, IKE_PL_TSI, &c->remote_ts, 1);
		ike_put_ts(&b, IKE_PL_TSR, &c->local_ts, 1);
		if (c->transport)
			ike_put_notify(&b, 0, NULL, 0, IKE_N_USE_TRANSPORT_MODE,
				       NULL, 0);
		if (child_keys(sa, &chosen, peer_spi, out))
			return fail(sa);
	}
	if (!ike_build_end(&b))
		return fail(sa);
	out->len = ike_sa_seal(sa, out, IKE_AUTH, true, msgid,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
	if (!out->len)
		return fail(sa);
	ike_sa_established(sa);
	out->notify_error = child_err;
	ike_out_log(out, "IKE SA established (responder)%s",
		    sa->childless ? ", childless (RFC 6023)" :
		    child_err ? ", without a Child SA" : ", Child SA ready");
	return 0;
}

static int initiator(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		     struct ike_out *out)
{
	struct ike_proposal mine[IKE_MAX_CONF_PROPOSALS];
	const struct ike_payload *sap;
	unsigned int i;

	if (ike_sa_open(sa, buf, m, NULL)) {
		ike_out_log(out, "IKE_AUTH response does not decrypt: dropped");
		return 0;
	}
	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type == IKE_N_AUTHENTICATION_FAILED) {
			out->notify_error = IKE_N_AUTHENTICATION_FAILED;
			ike_out_log(out, "IKE_AUTH: the peer says AUTHENTICATION_FAILED");
			return fail(sa);
		}
	if (check_peer(sa, m, m->hdr.msgid, out))
		return fail(sa);
	ike_sa_established(sa);
	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKE_N_ERROR_MAX) {
			out->notify_error = m->pl[i].u.notify.type;
			ike_out_log(out, "IKE SA established (initiator), Child SA refused: notify %u",
				    out->notify_error);
			return 0;
		}
	if (sa->childless) {
		ike_out_log(out, "IKE SA established (initiator), childless (RFC 6023)");
		return 0;
	}
	sap = ike_find(m, IKE_PL_SA, 0);
	ike_sa_esp_proposals(sa, mine, sa->child_spi_local, false);
	if (!!ike_find_notify(m, IKE_N_USE_TRANSPORT_MODE) != sa->conn->transport) {
		ike_out_log(out, "IKE SA established (initiator), the Child SA's mode is not the requested %s",
			    sa->conn->transport ? "transport" : "tunnel");
		out->notify_error = IKE_N_NO_PROPOSAL_CHOSEN;
		return 0;
	}
	if (!sap || sap->u.sa.count != 1 ||
	    m->prop[sap->u.sa.first].spi_size != 4 ||
	    !ike_prop_valid_choice(mine, sa->conn->nesp, &m->prop[sap->u.sa.first]) ||
	    child_keys(sa, &m->prop[sap->u.sa.first],
		       ike_get32(m->prop[sap->u.sa.first].spi), out)) {
		ike_out_log(out, "IKE SA established (initiator), the Child SA answer is invalid");
		out->notify_error = IKE_N_NO_PROPOSAL_CHOSEN;
		return 0;
	}
	ike_out_log(out, "IKE SA established (initiator), Child SA ready");
	return 0;
}

int ike_task_auth_process(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
			  struct ike_out *out)
{
	return sa->initiator ? initiator(sa, buf, m, out) :
			       responder(sa, buf, m, out);
}
