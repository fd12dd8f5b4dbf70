// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * One IKE_INTERMEDIATE exchange (RFC 9242) per additional key exchange
 * (RFC 9370 2.2.2): SK{KE} both ways, protected with the keys of the
 * exchanges so far. Both messages extend the IntAuth chains with those
 * keys; then SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr) gives the keys
 * of the next exchange. The draft's recipient tests: an ML-KEM
 * encapsulation key that fails FIPS 203 7.2 gets INVALID_SYNTAX, a
 * ciphertext of the wrong length aborts.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "sa.h"

static int fail(struct ike_sa *sa, struct ike_out *out)
{
	(void)out;
	sa->state = IKE_SA_FAILED;
	return -1;
}

/* After both messages: the chains have a previous value, the keys move. */
static int next_keys(struct ike_sa *sa, const uint8_t *ss, size_t ss_len)
{
	sa->have_intauth = true;
	sa->ke_done++;
	return ike_keys_addke(&sa->keys, ss, ss_len, sa->ni, sizeof(sa->ni),
			      sa->nr, sizeof(sa->nr), sa->spi_i, sa->spi_r);
}

int ike_task_intermediate_start(struct ike_sa *sa, struct ike_out *out)
{
	const struct ike_ke_method *km = ike_ke_method(sa->ke_id[sa->ke_done]);
	struct ike_hdr h = { 0 };
	static uint8_t share[4096], inner[8192];
	struct ike_builder b;
	struct ike_ke **ke = &sa->ke[sa->ke_done];

	if (!km)
		return fail(sa, out);
	*ke = ike_ke_new(km, &sa->conn->ke_env);
	if (!*ke || ike_ke_initiate(*ke, share)) {
		ike_out_log(out, "%s: cannot generate a key share", km->name);
		return fail(sa, out);
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_ke(&b, km->id, share, km->i_len);
	if (!ike_build_end(&b))
		return fail(sa, out);
	out->len = ike_sa_seal(sa, out, IKE_INTERMEDIATE, false,
			       sa->next_msgid++, inner + IKE_HDR_LEN,
			       b.len - IKE_HDR_LEN, inner[16], sa->intauth_i);
	if (!out->len)
		return fail(sa, out);
	ike_out_log(out, "IKE_INTERMEDIATE request, additional exchange %u: %s",
		    sa->ke_done, km->name);
	return 0;
}

static int responder(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		     struct ike_out *out)
{
	const struct ike_ke_method *km = ike_ke_method(sa->ke_id[sa->ke_done]);
	static uint8_t share[4096], inner[8192];
	uint8_t ss[IKE_KE_MAX_SS];
	const struct ike_payload *ke;
	struct ike_builder b;
	struct ike_hdr h = { 0 };
	uint32_t msgid = m->hdr.msgid;
	int rc;

	if (sa->ke_done >= sa->nke || !km) {
		ike_out_log(out, "IKE_INTERMEDIATE beyond the negotiated exchanges");
		return 0;	/* dropped */
	}
	if (ike_sa_open(sa, buf, m, sa->intauth_i)) {
		ike_out_log(out, "IKE_INTERMEDIATE request does not decrypt: dropped");
		return 0;
	}
	sa->next_msgid++;
	ke = ike_find(m, IKE_PL_KE, 0);
	if (!ke || ke->u.ke.group != km->id) {
		ike_out_log(out, "IKE_INTERMEDIATE %u: no KE payload of %s",
			    sa->ke_done, km->name);
		ike_sa_notify(sa, out, IKE_INTERMEDIATE, true, msgid,
			      IKE_N_INVALID_SYNTAX, NULL, 0);
		return fail(sa, out);
	}
	sa->ke[sa->ke_done] = ike_ke_new(km, &sa->conn->ke_env);
	rc = sa->ke[sa->ke_done] ?
	     ike_ke_respond(sa->ke[sa->ke_done], ke->u.ke.data, ke->u.ke.len,
			    share, ss) : -ENOMEM;
	ike_ke_free(sa->ke[sa->ke_done]);
	sa->ke[sa->ke_done] = NULL;
	if (rc) {
		ike_out_log(out, "IKE_INTERMEDIATE %u: the peer's %s key is %s",
			    sa->ke_done, km->name,
			    rc == -EINVAL ? "invalid: INVALID_SYNTAX" : "unusable");
		ike_sa_notify(sa, out, IKE_INTERMEDIATE, true, msgid,
			      IKE_N_INVALID_SYNTAX, NULL, 0);
		return fail(sa, out);
	}
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_ke(&b, km->id, share, km->r_len);
	out->len = ike_build_end(&b) ?
		   ike_sa_seal(sa, out, IKE_INTERMEDIATE, true, msgid,
			       inner + IKE_HDR_LEN, b.len - IKE_HDR_LEN,
			       inner[16], sa->intauth_r) : 0;
	rc = out->len ? next_keys(sa, ss, km->ss_len) : -1;
	OPENSSL_cleanse(ss, sizeof(ss));
	if (rc)
		return fail(sa, out);
	ike_out_log(out, "IKE_INTERMEDIATE response, additional exchange %u: %s",
		    sa->ke_done - 1, km->name);
	return 0;
}

static int initiator(struct ike_sa *sa, uint8_t *buf, struct ike_msg *m,
		     struct ike_out *out)
{
	struct ike_ke *k = sa->ke[sa->ke_done];
	uint8_t ss[IKE_KE_MAX_SS];
	const struct ike_payload *ke;
	unsigned int i;
	int rc;

	if (!k || ike_sa_open(sa, buf, m, sa->intauth_r)) {
		ike_out_log(out, "IKE_INTERMEDIATE response does not decrypt: dropped");
		return 0;
	}
	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type <= IKE_N_ERROR_MAX) {
			out->notify_error = m->pl[i].u.notify.type;
			ike_out_log(out, "IKE_INTERMEDIATE refused by the peer: notify %u",
				    out->notify_error);
			return fail(sa, out);
		}
	ke = ike_find(m, IKE_PL_KE, 0);
	rc = ke && ke->u.ke.group == k->m->id ?
	     ike_ke_finish(k, ke->u.ke.data, ke->u.ke.len, ss) : -EINVAL;
	ike_ke_free(k);
	sa->ke[sa->ke_done] = NULL;
	if (rc) {
		/* draft-ietf-ipsecme-ikev2-mlkem 2.2: abort the exchange */
		ike_out_log(out, "IKE_INTERMEDIATE %u: the responder's %s share is invalid: abort",
			    sa->ke_done, ike_ke_method(sa->ke_id[sa->ke_done])->name);
		return fail(sa, out);
	}
	rc = next_keys(sa, ss, ike_ke_method(sa->ke_id[sa->ke_done])->ss_len);
	OPENSSL_cleanse(ss, sizeof(ss));
	if (rc)
		return fail(sa, out);
	if (sa->ke_done < sa->nke)
		return ike_task_intermediate_start(sa, out);
	return ike_task_auth_start(sa, out);
}

int ike_task_intermediate_process(struct ike_sa *sa, uint8_t *buf,
				  struct ike_msg *m, struct ike_out *out)
{
	return sa->initiator ? initiator(sa, buf, m, out) :
			       responder(sa, buf, m, out);
}
