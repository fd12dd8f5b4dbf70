// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM-976/1344 (AES, SHAKE)'s in-process core for the KEM exchanges
 * (ke_kem.c): the same core as pqrekey.ko's, on the fastest backend the
 * CPU supports. FrodoKEM has no
 * encapsulation-key check beyond its length (ke_kem.c checks it).
 */
#include <errno.h>

#include <linux/pqrekey.h>

#include "frodo.h"
#include "ke.h"

static const struct frodo_params *params(uint32_t alg)
{
	switch (alg) {
	case PQREKEY_ALG_FRODO976AES: return &frodo976aes_params;
	case PQREKEY_ALG_FRODO976SHAKE: return &frodo976shake_params;
	case PQREKEY_ALG_FRODO1344AES: return &frodo1344aes_params;
	default: return &frodo1344shake_params;
	}
}

static size_t frodo_dk_len(uint32_t alg)
{
	return params(alg)->sk_len;
}

static int frodo_core_keygen(uint32_t alg, uint8_t *ek, uint8_t *dk, void *ws)
{
	frodo_ws_set_impl(ws, frodo_impl_best());
	return frodo_keygen(params(alg), ek, dk, ws);
}

static int frodo_core_encaps(uint32_t alg, uint8_t *ct, uint8_t *ss,
			     const uint8_t *ek, void *ws)
{
	frodo_ws_set_impl(ws, frodo_impl_best());
	return frodo_encaps(params(alg), ct, ss, ek, ws) ? -EIO : 0;
}

static int frodo_core_decaps(uint32_t alg, uint8_t *ss, const uint8_t *ct,
			     const uint8_t *dk, void *ws)
{
	frodo_ws_set_impl(ws, frodo_impl_best());
	return frodo_decaps(params(alg), ss, ct, dk, ws);
}

const struct ike_kem_core ike_frodo_core = {
	.ws_size = sizeof(struct frodo_ws),
	.dk_len = frodo_dk_len,
	.keygen = frodo_core_keygen,
	.encaps = frodo_core_encaps,
	.decaps = frodo_core_decaps,
};
