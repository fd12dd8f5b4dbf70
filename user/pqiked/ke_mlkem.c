// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM-512/768/1024 key exchanges (draft-ietf-ipsecme-ikev2-mlkem) as
 * KEMs (ke.h). With a kemc (the configured default), pqrekey.ko generates
 * the key pair and keeps the decapsulation key: this side only ever holds
 * its handle, deleted after decapsulation and on every other path. Without
 * one, the same core runs in-process (the fallback for hosts without the
 * module) and the decapsulation key is wiped after use.
 *
 * The draft's recipient tests: the responder's encapsulation key checks
 * (length, FIPS 203 7.2 modulus check) happen before Encaps, in the kernel
 * or in the core, and fail with -EINVAL (INVALID_SYNTAX); the initiator
 * checks the ciphertext's length before Decaps (-EINVAL: abort).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <linux/pqrekey.h>

#include "kemclient.h"
#include "ke.h"
#include "mlkem.h"

struct ke_mlkem {
	struct ike_ke base;
	struct kemc *kemc;		/* NULL: in-process */
	uint64_t handle;		/* kernel: the decapsulation key */
	uint8_t *dk;			/* in-process: the decapsulation key */
	struct mlkem_ws *ws;		/* in-process */
};

static const struct mlkem_params *params(const struct ike_ke *ke)
{
	switch (ke->m->kem_alg) {
	case PQREKEY_ALG_MLKEM512: return &mlkem512_params;
	case PQREKEY_ALG_MLKEM768: return &mlkem768_params;
	default: return &mlkem1024_params;
	}
}

static void drop_key(struct ke_mlkem *k)
{
	if (k->handle) {
		kemc_del(k->kemc, k->handle);	/* nothing to do if it fails */
		k->handle = 0;
	}
	if (k->dk) {
		OPENSSL_cleanse(k->dk, params(&k->base)->dk_len);
		free(k->dk);
		k->dk = NULL;
	}
}

static int mlkem_initiate(struct ike_ke *ke, uint8_t *share)
{
	struct ke_mlkem *k = (struct ke_mlkem *)ke;
	const struct mlkem_params *p = params(ke);

	if (k->handle || k->dk)
		return -EPROTO;		/* one exchange per object */
	if (k->kemc)
		return kemc_keygen(k->kemc, ke->m->kem_alg, NULL, 0, share,
				   &k->handle);
	k->dk = malloc(p->dk_len);
	if (!k->dk)
		return -ENOMEM;
	return mlkem_keygen(p, share, k->dk, k->ws) ? -EIO : 0;
}

static int mlkem_respond(struct ike_ke *ke, const uint8_t *peer,
			 size_t peer_len, uint8_t *share, uint8_t *ss)
{
	struct ke_mlkem *k = (struct ke_mlkem *)ke;
	const struct mlkem_params *p = params(ke);

	if (peer_len != p->ek_len)
		return -EINVAL;
	if (k->kemc)
		return kemc_encaps(k->kemc, ke->m->kem_alg, peer, peer_len,
				   NULL, 0, share, ss);
	/* mlkem_encaps() runs the 7.2 modulus check first */
	return mlkem_encaps(p, share, ss, peer, k->ws) ? -EINVAL : 0;
}

static int mlkem_finish(struct ike_ke *ke, const uint8_t *peer,
			size_t peer_len, uint8_t *ss)
{
	struct ke_mlkem *k = (struct ke_mlkem *)ke;
	const struct mlkem_params *p = params(ke);
	uint32_t alg = ke->m->kem_alg;
	int rc;

	if (!k->handle && !k->dk)
		return -EPROTO;
	if (peer_len != p->ct_len) {
		drop_key(k);
		return -EINVAL;
	}
	if (k->kemc)
		rc = kemc_decaps(k->kemc, &alg, k->handle, NULL, 0, peer,
				 peer_len, ss);
	else
		rc = mlkem_decaps(p, ss, peer, k->dk, k->ws) ? -EIO : 0;
	drop_key(k);
	return rc;
}

static void mlkem_free(struct ike_ke *ke)
{
	struct ke_mlkem *k = (struct ke_mlkem *)ke;

	drop_key(k);
	if (k->ws) {
		OPENSSL_cleanse(k->ws, sizeof(*k->ws));
		free(k->ws);
	}
	free(k);
}

static const struct ike_ke_ops mlkem_ops = {
	.initiate = mlkem_initiate,
	.respond = mlkem_respond,
	.finish = mlkem_finish,
	.free = mlkem_free,
};

struct ike_ke *ike_ke_mlkem_new(const struct ike_ke_method *m,
				const struct ike_ke_env *env)
{
	struct ke_mlkem *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->base.m = m;
	k->base.ops = &mlkem_ops;
	k->kemc = env ? env->kemc : NULL;
	if (!k->kemc) {
		k->ws = malloc(sizeof(*k->ws));
		if (!k->ws) {
			free(k);
			return NULL;
		}
		mlkem_ws_set_impl(k->ws, mlkem_impl_best());
	}
	return &k->base;
}
