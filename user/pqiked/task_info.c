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
 *     After a rekeying we answered (task_child.c), that Delete names the
 *     old child: the new one's outbound SA replaces the old one's then
 *     (out->child_out), and the old inbound SA is retired.
 *   - Delete of the old Child SA after a rekeying we asked for
 *     (IKE_REQ_DELETE_CHILD): Delete(ESP, our old inbound SPI); the
 *     answer names the peer's, and our old inbound SA is retired.
 *   - Liveness check (dpd_delay): an empty request, an empty answer.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "sa.h"

/* @delete: Delete of the IKE SA; @child_spi: of that child; else empty */
static int request(struct ike_sa *sa, struct ike_out *out, bool delete,
		   uint32_t child_spi)
{
	static uint8_t inner[64];
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	uint8_t spi[4];

	memset(out, 0, sizeof(*out));
	if (sa->state != IKE_SA_ESTABLISHED || sa->pending)
		return -1;
	ike_build_begin(&b, inner, sizeof(inner), &h);
	if (delete)
		ike_put_delete(&b, IKE_PROTO_IKE, 0, NULL, 0);
	if (child_spi) {
		ike_set32(spi, child_spi);
		ike_put_delete(&b, IKE_PROTO_ESP, 4, spi, 1);
	}
	if (!ike_build_end(&b))
		return -1;
	out->len = ike_sa_seal(sa, out, IKE_INFORMATIONAL, false,
			       sa->req_out++, inner + IKE_HDR_LEN,
			       b.len - IKE_HDR_LEN, inner[16], NULL);
	if (!out->len)
		return -1;
	sa->pending = true;
	sa->pending_delete = delete;
	sa->pending_delete_spi = child_spi;
	if (delete)
		sa->state = IKE_SA_DELETING;
	if (child_spi)
		ike_out_log(out, "deleting the old Child SA (INFORMATIONAL Delete of SPI %08x)",
			    child_spi);
	else
		ike_out_log(out, delete ? "deleting the IKE SA (INFORMATIONAL Delete)" :
			    "liveness check (empty INFORMATIONAL)");
	return 0;
}

int ike_sa_delete(struct ike_sa *sa, struct ike_out *out)
{
	return request(sa, out, true, 0);
}

int ike_sa_dpd(struct ike_sa *sa, struct ike_out *out)
{
	return request(sa, out, false, 0);
}

int ike_task_info_delete_child(struct ike_sa *sa, struct ike_out *out)
{
	if (!sa->delete_child_spi)
		return -1;
	return request(sa, out, false, sa->delete_child_spi);
}

/* The peer's request: Deletes applied, the answer sealed into @out. */
static int answer(struct ike_sa *sa, const struct ike_msg *m,
		  struct ike_out *out)
{
	static uint8_t inner[64];
	struct ike_hdr h = { 0 };
	struct ike_builder b;
	bool del_ike = false, del_child = false, del_old = false;
	uint32_t old_in = sa->child.spi_in;
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
			    ike_get32(p->u.del.spis + 4 * k) == sa->child.spi_out) {
				/* the rekeyed child: its successor takes over */
				if (sa->child_next.aead)
					del_old = true;
				else
					del_child = true;
			}
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	if ((del_child || del_old) && !del_ike) {
		ike_set32(spi, old_in);
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
	} else if (del_old) {
		out->child = sa->child_next;
		out->child_out = true;
		out->old_spi_out = sa->child.spi_out;
		out->retire_spi_in = old_in;
		sa->child = sa->child_next;
		OPENSSL_cleanse(&sa->child_next, sizeof(sa->child_next));
		/* the keys stay in XFRM only */
		OPENSSL_cleanse(sa->child.key_in, sizeof(sa->child.key_in));
		OPENSSL_cleanse(sa->child.key_out, sizeof(sa->child.key_out));
		ike_out_log(out, "the peer deleted the rekeyed Child SA (SPIs %08x/%08x): outbound now on %08x",
			    old_in, out->old_spi_out, sa->child.spi_out);
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
		} else if (sa->pending_delete_spi) {
			/* the peer stopped sending on it: gone in a few seconds */
			out->retire_spi_in = sa->pending_delete_spi;
			ike_out_log(out, "old Child SA deleted (our inbound SPI %08x retired)",
				    sa->pending_delete_spi);
			if (sa->delete_child_spi == sa->pending_delete_spi)
				sa->delete_child_spi = 0;
			sa->pending_delete_spi = 0;
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
