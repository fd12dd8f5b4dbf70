// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The KEMs' key exchanges (ke.h), whatever the KEM: ML-KEM
 * (draft-ietf-ipsecme-ikev2-mlkem) and FrodoKEM (draft-ietf-ipsecme-
 * hybrid-kem-ikev2-frodo). With a kemc (the configured default),
 * pqrekey.ko generates the key pair and keeps the decapsulation key: this
 * side only ever holds its handle, deleted after decapsulation and on every
 * other path. Without one, the family's core runs in-process (struct
 * ike_kem_core: ke_mlkem.c, ke_frodo.c) and the decapsulation key is wiped
 * after use.
 *
 * The recipient tests: the responder checks the encapsulation key's length
 * and the KEM's own check (ML-KEM: FIPS 203 7.2) before Encaps, in the
 * kernel or in the core, and fails with -EINVAL (INVALID_SYNTAX); the
 * initiator checks the ciphertext's length before Decaps (-EINVAL: abort).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "kemclient.h"
#include "ke.h"

struct ke_kem {
	struct ike_ke base;
	struct kemc *kemc;		/* NULL: in-process */
	uint64_t handle;		/* kernel: the decapsulation key */
	uint8_t *dk;			/* in-process: the decapsulation key */
	void *ws;			/* in-process: the core's workspace */
};

static const struct ike_kem_core *core(const struct ike_ke *ke)
{
	return ke->m->core;
}

static void drop_key(struct ke_kem *k)
{
	if (k->handle) {
		kemc_del(k->kemc, k->handle);	/* nothing to do if it fails */
		k->handle = 0;
	}
	if (k->dk) {
		OPENSSL_clear_free(k->dk, core(&k->base)->dk_len(k->base.m->kem_alg));
		k->dk = NULL;
	}
}

static int kem_initiate(struct ike_ke *ke, uint8_t *share)
{
	struct ke_kem *k = (struct ke_kem *)ke;
	uint32_t alg = ke->m->kem_alg;

	if (k->handle || k->dk)
		return -EPROTO;		/* one exchange per object */
	if (k->kemc)
		return kemc_keygen(k->kemc, alg, NULL, 0, share, &k->handle);
	k->dk = malloc(core(ke)->dk_len(alg));
	if (!k->dk)
		return -ENOMEM;
	return core(ke)->keygen(alg, share, k->dk, k->ws) ? -EIO : 0;
}

static int kem_respond(struct ike_ke *ke, const uint8_t *peer,
		       size_t peer_len, uint8_t *share, uint8_t *ss)
{
	struct ke_kem *k = (struct ke_kem *)ke;
	uint32_t alg = ke->m->kem_alg;

	if (peer_len != ke->m->i_len)
		return -EINVAL;
	if (k->kemc)
		return kemc_encaps(k->kemc, alg, peer, peer_len, NULL, 0,
				   share, ss);
	/* the core runs the KEM's key check first: -EINVAL */
	return core(ke)->encaps(alg, share, ss, peer, k->ws);
}

static int kem_finish(struct ike_ke *ke, const uint8_t *peer,
		      size_t peer_len, uint8_t *ss)
{
	struct ke_kem *k = (struct ke_kem *)ke;
	uint32_t alg = ke->m->kem_alg;
	int rc;

	if (!k->handle && !k->dk)
		return -EPROTO;
	if (peer_len != ke->m->r_len) {
		drop_key(k);
		return -EINVAL;
	}
	if (k->kemc)
		rc = kemc_decaps(k->kemc, &alg, k->handle, NULL, 0, peer,
				 peer_len, ss);
	else
		rc = core(ke)->decaps(alg, ss, peer, k->dk, k->ws) ? -EIO : 0;
	drop_key(k);
	return rc;
}

static void kem_free(struct ike_ke *ke)
{
	struct ke_kem *k = (struct ke_kem *)ke;

	drop_key(k);
	if (k->ws)
		OPENSSL_clear_free(k->ws, core(ke)->ws_size);
	free(k);
}

static const struct ike_ke_ops kem_ops = {
	.initiate = kem_initiate,
	.respond = kem_respond,
	.finish = kem_finish,
	.free = kem_free,
};

struct ike_ke *ike_ke_kem_new(const struct ike_ke_method *m,
			      const struct ike_ke_env *env)
{
	struct ke_kem *k = calloc(1, sizeof(*k));

	if (!k)
		return NULL;
	k->base.m = m;
	k->base.ops = &kem_ops;
	k->kemc = env ? env->kemc : NULL;
	if (!k->kemc) {
		k->ws = malloc(m->core->ws_size);
		if (!k->ws) {
			free(k);
			return NULL;
		}
		if (m->core->ws_init)
			m->core->ws_init(k->ws);
	}
	return &k->base;
}
