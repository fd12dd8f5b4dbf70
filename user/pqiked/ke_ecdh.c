// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Curve25519 (RFC 8031) and ECP-256 (RFC 5903) key exchanges as KEMs
 * (ke.h), on OpenSSL. The shares are the raw 32-byte X25519 public value
 * and, for ECP-256, x || y without the 0x04 point-format byte; the shared
 * secrets are the X25519 output and the x coordinate. A peer's value that
 * is not on the curve, or an all-zero X25519 result (RFC 8031 2.3), is
 * -EINVAL.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

#include "ke.h"

struct ke_ecdh {
	struct ike_ke base;
	EVP_PKEY *priv;
};

static bool is_x25519(const struct ike_ke *ke)
{
	return ke->m->id == IKE_KE_CURVE25519;
}

static int generate(struct ke_ecdh *k)
{
	if (k->priv)
		return 0;
	k->priv = is_x25519(&k->base) ?
		  EVP_PKEY_Q_keygen(NULL, NULL, "X25519") :
		  EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return k->priv ? 0 : -ENOMEM;
}

/* Our public value into @share (m->i_len bytes). */
static int public_value(struct ke_ecdh *k, uint8_t *share)
{
	uint8_t pt[65];
	size_t len = 0;

	if (is_x25519(&k->base)) {
		len = 32;
		return EVP_PKEY_get_raw_public_key(k->priv, share, &len) &&
		       len == 32 ? 0 : -EIO;
	}
	if (!EVP_PKEY_get_octet_string_param(k->priv,
					     OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
					     pt, sizeof(pt), &len) ||
	    len != 65 || pt[0] != 0x04)
		return -EIO;
	memcpy(share, pt + 1, 64);
	return 0;
}

/* The peer's public value as a key; NULL if it is not a valid one. */
static EVP_PKEY *peer_key(const struct ike_ke *ke, const uint8_t *peer,
			  size_t len)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pk = NULL;
	uint8_t pt[65];
	OSSL_PARAM params[3];

	if (len != ke->m->i_len)
		return NULL;
	if (is_x25519(ke))
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer, len);
	pt[0] = 0x04;
	memcpy(pt + 1, peer, 64);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
						     (char *)"prime256v1", 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
						      pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	if (pk) {	/* on the curve, not the point at infinity */
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
		if (!ctx || EVP_PKEY_public_check(ctx) != 1) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
		EVP_PKEY_CTX_free(ctx);
	}
	return pk;
}

static int derive(struct ke_ecdh *k, const uint8_t *peer, size_t peer_len,
		  uint8_t *ss)
{
	EVP_PKEY *pk = peer_key(&k->base, peer, peer_len);
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = k->base.m->ss_len;
	uint8_t zero = 0;
	size_t i;
	int rc = -EINVAL;

	if (!pk)
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->priv, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 ||
	    EVP_PKEY_derive_set_peer(ctx, pk) <= 0 ||
	    EVP_PKEY_derive(ctx, ss, &len) <= 0 || len != k->base.m->ss_len)
		goto out;
	for (i = 0; i < len; i++)
		zero |= ss[i];
	if (!zero) {		/* a low-order X25519 point */
		OPENSSL_cleanse(ss, len);
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	return rc;
}

static int ecdh_initiate(struct ike_ke *ke, uint8_t *share)
{
	struct ke_ecdh *k = (struct ke_ecdh *)ke;
	int rc = generate(k);

	return rc ? rc : public_value(k, share);
}

static int ecdh_respond(struct ike_ke *ke, const uint8_t *peer,
			size_t peer_len, uint8_t *share, uint8_t *ss)
{
	struct ke_ecdh *k = (struct ke_ecdh *)ke;
	int rc = generate(k);

	if (!rc)
		rc = derive(k, peer, peer_len, ss);
	if (!rc)
		rc = public_value(k, share);
	return rc;
}

static int ecdh_finish(struct ike_ke *ke, const uint8_t *peer,
		       size_t peer_len, uint8_t *ss)
{
	struct ke_ecdh *k = (struct ke_ecdh *)ke;

	if (!k->priv)
		return -EPROTO;
	return derive(k, peer, peer_len, ss);
}

static void ecdh_free(struct ike_ke *ke)
{
	struct ke_ecdh *k = (struct ke_ecdh *)ke;

	EVP_PKEY_free(k->priv);	/* OpenSSL clears private keys */
	free(k);
}

static const struct ike_ke_ops ecdh_ops = {
	.initiate = ecdh_initiate,
	.respond = ecdh_respond,
	.finish = ecdh_finish,
	.free = ecdh_free,
};

struct ike_ke *ike_ke_ecdh_new(const struct ike_ke_method *m,
			       const struct ike_ke_env *env)
{
	struct ke_ecdh *k = calloc(1, sizeof(*k));

	(void)env;
	if (!k)
		return NULL;
	k->base.m = m;
	k->base.ops = &ecdh_ops;
	return &k->base;
}

int ike_ke_ecdh_set_private(struct ike_ke *ke, const uint8_t *priv,
			    size_t len)
{
	struct ke_ecdh *k = (struct ke_ecdh *)ke;

	if (k->base.ops != &ecdh_ops || k->priv || len != 32)
		return -EINVAL;
	if (is_x25519(ke)) {
		k->priv = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
						       priv, len);
	} else {
		/* the scalar and its point (OpenSSL 3.0 does not derive it) */
		EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
		EC_GROUP *grp = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
		EC_POINT *pt = grp ? EC_POINT_new(grp) : NULL;
		BIGNUM *bn = BN_bin2bn(priv, (int)len, NULL);
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		OSSL_PARAM *params = NULL;
		uint8_t pub[65];

		if (ctx && pt && bn && bld &&
		    EC_POINT_mul(grp, pt, bn, NULL, NULL, NULL) &&
		    EC_POINT_point2oct(grp, pt, POINT_CONVERSION_UNCOMPRESSED,
				       pub, sizeof(pub), NULL) == sizeof(pub) &&
		    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
						    "prime256v1", 0) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, bn) &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
						     pub, sizeof(pub)))
			params = OSSL_PARAM_BLD_to_param(bld);
		if (params && EVP_PKEY_fromdata_init(ctx) > 0)
			EVP_PKEY_fromdata(ctx, &k->priv, EVP_PKEY_KEYPAIR, params);
		OSSL_PARAM_free(params);
		OSSL_PARAM_BLD_free(bld);
		BN_clear_free(bn);
		EC_POINT_free(pt);
		EC_GROUP_free(grp);
		EVP_PKEY_CTX_free(ctx);
	}
	return k->priv ? 0 : -EINVAL;
}
