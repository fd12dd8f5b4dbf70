// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Pre-shared key authentication (RFC 7296 2.15, with RFC 9242 3.3.2):
 *
 *   AUTH = prf(prf(PSK, "Key Pad for IKEv2"), SignedOctets)
 *   InitiatorSignedOctets = RealMessage1 | NonceRData | prf(SK_pi, IDi')
 *   ResponderSignedOctets = RealMessage2 | NonceIData | prf(SK_pr, IDr')
 *
 * where IDx' is the ID payload without its generic header, and, when an
 * IKE_INTERMEDIATE exchange took place, both are followed by
 * IntAuth_iN | IntAuth_rN | IKE_AUTH message ID (4 bytes).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "sa.h"

static const char key_pad[] = "Key Pad for IKEv2";

int ike_auth_psk(const struct ike_sa *sa, bool initiator, const uint8_t *id,
		 size_t id_len, uint32_t auth_msgid, uint8_t *out)
{
	const struct ike_prf *prf = sa->keys.prf;
	uint8_t padkey[IKE_PRF_MAX_LEN], maced_id[IKE_PRF_MAX_LEN], mid[4];
	struct ike_iov pad = { (const uint8_t *)key_pad, sizeof(key_pad) - 1 };
	struct ike_iov id_iov = { id, id_len };
	struct ike_iov in[6];
	unsigned int n = 0;
	int rc;

	if (!sa->conn->psk || !sa->init_req || !sa->init_resp)
		return -1;
	rc = ike_prf(prf, initiator ? sa->keys.pi : sa->keys.pr, prf->len,
		     &id_iov, 1, maced_id);
	if (!rc)
		rc = ike_prf(prf, sa->conn->psk, sa->conn->psk_len, &pad, 1,
			     padkey);
	if (!rc) {
		if (initiator) {
			in[n++] = (struct ike_iov){ sa->init_req, sa->init_req_len };
			in[n++] = (struct ike_iov){ sa->nr, sizeof(sa->nr) };
		} else {
			in[n++] = (struct ike_iov){ sa->init_resp, sa->init_resp_len };
			in[n++] = (struct ike_iov){ sa->ni, sizeof(sa->ni) };
		}
		in[n++] = (struct ike_iov){ maced_id, prf->len };
		if (sa->have_intauth) {
			ike_set32(mid, auth_msgid);
			in[n++] = (struct ike_iov){ sa->intauth_i, prf->len };
			in[n++] = (struct ike_iov){ sa->intauth_r, prf->len };
			in[n++] = (struct ike_iov){ mid, sizeof(mid) };
		}
		rc = ike_prf(prf, padkey, prf->len, in, n, out);
	}
	OPENSSL_cleanse(padkey, sizeof(padkey));
	OPENSSL_cleanse(maced_id, sizeof(maced_id));
	return rc;
}
