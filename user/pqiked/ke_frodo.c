// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM-976/1344 (AES, SHAKE) key exchanges (draft-ietf-ipsecme-hybrid-
 * kem-ikev2-frodo, as additional exchanges only) as KEMs (ke.h), the way
 * ke_mlkem.c does ML-KEM: with a kemc, pqrekey.ko makes the key pair and
 * keeps the decapsulation key (this side holds a handle, deleted after
 * decapsulation and on every other path); without one the same core runs
 * in-process. FrodoKEM has no encapsulation-key check; the lengths are
 * checked before Encaps (-EINVAL: INVALID_SYNTAX) and Decaps (abort).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <linux/pqrekey.h>

#include "frodo.h"
#include "kemclient.h"
#include "ke.h"

struct ke_frodo {
	struct ike_ke base;
	struct kemc *kemc;		/* NULL: in-process */
	uint64_t handle;		/* kernel: the decapsulation key */
	uint8_t *sk;			/* in-process: the decapsulation key */
	struct frodo_ws *ws;		/* in-process (about 100 KiB) */
};

static const struct frodo_params *params(const struct ike_ke *ke)
{
	switch (ke->m->kem_alg) {
	case PQREKEY_ALG_FRODO976AES: return &frodo976aes_params;
	case PQREKEY_ALG_FRODO976SHAKE: return &frodo976shake_params;
	case PQREKEY_ALG_FRODO1344AES: return &frodo1344aes_params;
	default: return &frodo1344shake_params;
	}
}

static void drop_key(struct ke_frodo *k)
{
	if (k->handle) {
		kemc_del(k->kemc, k->handle);	/* nothing to do if it fails */
		k->handle = 0;
	}
	if (k->sk) {
		OPENSSL_cleanse(k->sk, params(&k->base)->sk_len);
		free(k->sk);
		k->sk = NULL;
	}
}

static int frodo_initiate(struct ike_ke *ke, uint8_t *share)
{
	struct ke_frodo *k = (struct ke_frodo *)ke;
	const struct frodo_params *p = params(ke);

	if (k->handle || k->sk)
		return -EPROTO;		/* one exchange per object */
	if (k->kemc)
		return kemc_keygen(k->kemc, ke->m->kem_alg, NULL, 0, share,
				   &k->handle);
	k->sk = malloc(p->sk_len);
	if (!k->sk)
		return -ENOMEM;
	return frodo_keygen(p, share, k->sk, k->ws) ? -EIO : 0;
}

static int frodo_respond(struct ike_ke *ke, const uint8_t *peer,
			 size_t peer_len, uint8_t *share, uint8_t *ss)
{
	struct ke_frodo *k = (struct ke_frodo *)ke;
	const struct frodo_params *p = params(ke);

	if (peer_len != p->pk_len)
		return -EINVAL;
	if (k->kemc)
		return kemc_encaps(k->kemc, ke->m->kem_alg, peer, peer_len,
				   NULL, 0, share, ss);
	return frodo_encaps(p, share, ss, peer, k->ws) ? -EIO : 0;
}

static int frodo_finish(struct ike_ke *ke, const uint8_t *peer,
			size_t peer_len, uint8_t *ss)
{
	struct ke_frodo *k = (struct ke_frodo *)ke;
	const struct frodo_params *p = params(ke);
	uint32_t alg = ke->m->kem_alg;
	int rc;

	if (!k->handle && !k->sk)
		return -EPROTO;
	if (peer_len != p->ct_len) {
		drop_key(k);
		return -EINVAL;
	}
	if (k->kemc)
		rc = kemc_decaps(k->kemc, &alg, k->handle, NULL, 0, peer,
				 peer_len, ss);
	else
		rc = frodo_decaps(p, ss, peer, k->sk, k->ws) ? -EIO : 0;
	drop_key(k);
	return rc;
}

static void frodo_free(struct ike_ke *ke)
{
	struct ke_frodo *k = (struct ke_frodo *)ke;

	drop_key(k);
	if (k->ws) {
		OPENSSL_cleanse(k->ws, sizeof(*k->ws));
		free(k->ws);
	}
	free(k);
}

static const struct ike_ke_ops frodo_ops = {
	.initiate = frodo_initiate,
	.respond = frodo_respond,
	.finish = frodo_finish,
	.free = frodo_free,
};

struct ike_ke *ike_ke_frodo_new(const struct ike_ke_method *m,
				const struct ike_ke_env *env)
{
	struct ke_frodo *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->base.m = m;
	k->base.ops = &frodo_ops;
	k->kemc = env ? env->kemc : NULL;
	if (!k->kemc) {
		k->ws = malloc(sizeof(*k->ws));
		if (!k->ws) {
			free(k);
			return NULL;
		}
	}
	return &k->base;
}
