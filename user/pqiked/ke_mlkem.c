// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM-512/768/1024's in-process core for the KEM exchanges (ke_kem.c):
 * the same core as pqrekey.ko's, on its best backend here.
 */
#include <errno.h>

#include <linux/pqrekey.h>

#include "ke.h"
#include "mlkem.h"

static const struct mlkem_params *params(uint32_t alg)
{
	switch (alg) {
	case PQREKEY_ALG_MLKEM512: return &mlkem512_params;
	case PQREKEY_ALG_MLKEM768: return &mlkem768_params;
	default: return &mlkem1024_params;
	}
}

static size_t mlkem_dk_len(uint32_t alg)
{
	return params(alg)->dk_len;
}

static void mlkem_ws_init(void *ws)
{
	mlkem_ws_set_impl(ws, mlkem_impl_best());
}

static int mlkem_core_keygen(uint32_t alg, uint8_t *ek, uint8_t *dk, void *ws)
{
	return mlkem_keygen(params(alg), ek, dk, ws);
}

static int mlkem_core_encaps(uint32_t alg, uint8_t *ct, uint8_t *ss,
			     const uint8_t *ek, void *ws)
{
	/* mlkem_encaps() runs the FIPS 203 7.2 modulus check first */
	return mlkem_encaps(params(alg), ct, ss, ek, ws) ? -EINVAL : 0;
}

static int mlkem_core_decaps(uint32_t alg, uint8_t *ss, const uint8_t *ct,
			     const uint8_t *dk, void *ws)
{
	return mlkem_decaps(params(alg), ss, ct, dk, ws);
}

const struct ike_kem_core ike_mlkem_core = {
	.ws_size = sizeof(struct mlkem_ws),
	.ws_init = mlkem_ws_init,
	.dk_len = mlkem_dk_len,
	.keygen = mlkem_core_keygen,
	.encaps = mlkem_core_encaps,
	.decaps = mlkem_core_decaps,
};
