// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The INFORMATIONAL exchange of an established IKE SA (RFC 7296 1.4):
 * either side's requests, in their own message ID window.
 *
 *   - Delete of the IKE SA (pqikectl down, shutdown): the request carries
 *     Delete(IKE); the answer is empty; both sides then remove the IKE SA
 *     and its Child SA (state IKE_SA_DELETED, the daemon cleans up).
 *   - Delete of the Child SA by the peer: Delete(ESP, its inbound SPI),
 *     answered with Delete(ESP, ours) (RFC 7296 1.4.1); out->child_deleted.
 *   - Liveness check (dpd_delay): an empty request, an empty answer.
 *
 * A request that is not INFORMATIONAL (CREATE_CHILD_SA, before rekeying
 * exists) is answered with NO_ADDITIONAL_SAS, so that the peer keeps the
 * SAs it has rather than retransmitting.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "sa.h"

static int request(struct ike_sa *sa, struct ike_out *out, bool delete)
{
	static uint8_t inner[64];
	struct ike_hdr h = { 0 };
	struct ike_builder b;

	memset(out, 0, sizeof(*out));
	if (sa->state != IKE_SA_ESTABLISHED || sa->pending)
		return -1;
	ike_build_begin(&b, inner, sizeof(inner), &h);
	if (delete)
		ike_put_delete(&b, IKE_PROTO_IKE, 0, NULL, 0);
	if (!ike_build_end(&b))
		return -1;
	out->len = ike_sa_seal(sa, out, IKE_INFORMATIONAL, false,
			       sa->req_out++, inner + IKE_HDR_LEN,
			       b.len - IKE_HDR_LEN, inner[16], NULL);
	if (!out->len)
		return -1;
	sa->pending = true;
	sa->pending_delete = delete;
	if (delete)
		sa->state = IKE_SA_DELETING;
	ike_out_log(out, delete ? "deleting the IKE SA (INFORMATIONAL Delete)" :
		    "liveness check (empty INFORMATIONAL)");
	return 0;
}

int ike_sa_delete(struct ike_sa *sa, struct ike_out *out)
{
	return request(sa, out, true);
}

int ike_sa_dpd(struct ike_sa *sa, struct ike_out *out)
{
	return request(sa, out, false);
}

/* The peer's request: Deletes applied, the answer sealed into @out. */
static int answer(struct ike_sa *sa, const struct ike_msg *m,
		  struct ike_out *out)
{
	static uint8_t inner[64];
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	bool del_ike = false, del_child = false;
	unsigned int i, k;
	uint8_t spi[4];

	for (i = 0; i < m->npl; i++) {
		const struct ike_payload *p = &m->pl[i];

		if (p->type != IKE_PL_DELETE)
			continue;
		if (p->u.del.protocol == IKE_PROTO_IKE)
			del_ike = true;
		if (p->u.del.protocol != IKE_PROTO_ESP || p->u.del.spi_size != 4)
			continue;
		for (k = 0; k < p->u.del.nspi; k++)
			if (sa->child.aead &&
			    ike_get32(p->u.del.spis + 4 * k) == sa->child.spi_out)
				del_child = true;
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	if (del_child && !del_ike) {
		ike_set32(spi, sa->child.spi_in);
		ike_put_delete(&b, IKE_PROTO_ESP, 4, spi, 1);
	}
	if (!ike_build_end(&b))
		return -1;
	out->len = ike_sa_seal(sa, out, IKE_INFORMATIONAL, true, m->hdr.msgid,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], NULL);
	if (!out->len)
		return -1;
	if (del_ike) {
		sa->state = IKE_SA_DELETED;
		ike_out_log(out, "the peer deleted the IKE SA");
	} else if (del_child) {
		out->child_deleted = true;
		ike_out_log(out, "the peer deleted the Child SA (SPIs %08x/%08x)",
			    sa->child.spi_in, sa->child.spi_out);
		OPENSSL_cleanse(&sa->child, sizeof(sa->child));
	}
	return 0;
}

int ike_task_info_process(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
			  struct ike_out *out)
{
	bool response = m->hdr.flags & IKE_FLAG_RESPONSE;

	if (!response && m->hdr.exchange != IKE_INFORMATIONAL) {
		if (ike_sa_open(sa, buf, m, NULL)) {
			ike_out_log(out, "dropped %s: integrity check failed",
				    ike_exchange_name(m->hdr.exchange));
			return 0;
		}
		sa->req_in++;
		ike_sa_notify(sa, out, m->hdr.exchange, true, m->hdr.msgid,
			      IKE_N_NO_ADDITIONAL_SAS, NULL, 0);
		out->notify_error = 0;	/* not an error of this SA */
		ike_out_log(out, "%s refused with NO_ADDITIONAL_SAS (rekeying is not supported yet)",
			    ike_exchange_name(m->hdr.exchange));
		return 0;
	}
	if (ike_sa_open(sa, buf, m, NULL)) {
		ike_out_log(out, "dropped INFORMATIONAL %s: integrity check failed",
			    response ? "response" : "request");
		return 0;
	}
	if (response) {
		sa->pending = false;
		if (sa->pending_delete) {
			sa->state = IKE_SA_DELETED;
			ike_out_log(out, "IKE SA deleted");
		}
		return 0;
	}
	sa->req_in++;
	if (answer(sa, m, out)) {
		ike_out_log(out, "cannot answer an INFORMATIONAL request");
		return -1;
	}
	return 0;
}
