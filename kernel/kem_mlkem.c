// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM-512/768/1024 (FIPS 203) as entries of the KEM table
 * (kernel/kem.c): their sizes, and the portable core of kernel/mlkem/ behind
 * struct pqrekey_kem_ops, each operation in one FPU section on the backend
 * asked for (kernel/backend.c).
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"

/* The uapi sizes are the core's sizes. */
static_assert(PQREKEY_SEED_LEN == MLKEM_SEEDBYTES);
static_assert(PQREKEY_MSG_LEN == MLKEM_SYMBYTES);
static_assert(PQREKEY_SS_LEN == MLKEM_SSBYTES);
static_assert(PQREKEY_MLKEM512_EK_LEN == MLKEM512_EK_BYTES);
static_assert(PQREKEY_MLKEM512_DK_LEN == MLKEM512_DK_BYTES);
static_assert(PQREKEY_MLKEM512_CT_LEN == MLKEM512_CT_BYTES);
static_assert(PQREKEY_MLKEM768_EK_LEN == MLKEM768_EK_BYTES);
static_assert(PQREKEY_MLKEM768_DK_LEN == MLKEM768_DK_BYTES);
static_assert(PQREKEY_MLKEM768_CT_LEN == MLKEM768_CT_BYTES);
static_assert(PQREKEY_MLKEM1024_EK_LEN == MLKEM1024_EK_BYTES);
static_assert(PQREKEY_MLKEM1024_DK_LEN == MLKEM1024_DK_BYTES);
static_assert(PQREKEY_MLKEM1024_CT_LEN == MLKEM1024_CT_BYTES);
static_assert(PQREKEY_MAX_EK_LEN == MLKEM_MAX_EK_BYTES);
static_assert(PQREKEY_MAX_DK_LEN == MLKEM_MAX_DK_BYTES);
static_assert(PQREKEY_MAX_CT_LEN == MLKEM_MAX_CT_BYTES);
static_assert(PQREKEY_KEM_MAX_COINS >= MLKEM_SEEDBYTES);
static_assert(PQREKEY_KEM_MAX_SS >= MLKEM_SSBYTES);

/* The core's backend for a module backend id; NULL if it has none. */
static const struct mlkem_impl *pqrekey_mlkem_impl(enum pqrekey_backend b)
{
	switch (b) {
	case PQREKEY_BACKEND_GENERIC:
		return &mlkem_impl_generic;
#ifdef CONFIG_X86_64
	case PQREKEY_BACKEND_AVX2:
		return &mlkem_impl_avx2;
	case PQREKEY_BACKEND_AVX512:
		return &mlkem_impl_avx512;
#endif
	default:
		return NULL;
	}
}

static bool pqrekey_mlkem_in_use(enum pqrekey_backend b)
{
	const struct mlkem_impl *impl = pqrekey_mlkem_impl(b);

	return impl && pqrekey_backend_in_use(impl);
}

static int pqrekey_mlkem_keygen(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ek, u8 *dk,
				const u8 *seed)
{
	const struct mlkem_impl *used;
	int ret;

	used = pqrekey_backend_begin(ws, pqrekey_mlkem_impl(b));
	ret = mlkem_keygen_internal(kem->params, ek, dk, seed,
				    seed + MLKEM_SYMBYTES, ws);
	pqrekey_backend_end(used);
	return ret;
}

static int pqrekey_mlkem_encaps(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ct, u8 *ss,
				const u8 *ek, const u8 *msg)
{
	const struct mlkem_impl *used;
	int ret;

	used = pqrekey_backend_begin(ws, pqrekey_mlkem_impl(b));
	ret = mlkem_encaps_internal(kem->params, ct, ss, ek, msg, ws);
	pqrekey_backend_end(used);
	/* The core's only failure is the 7.2 modulus check of ek. */
	return ret ? -EKEYREJECTED : 0;
}

static int pqrekey_mlkem_decaps(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ss, const u8 *ct,
				const u8 *dk)
{
	const struct mlkem_impl *used;
	int ret;

	used = pqrekey_backend_begin(ws, pqrekey_mlkem_impl(b));
	ret = mlkem_decaps_internal(kem->params, ss, ct, dk, ws);
	pqrekey_backend_end(used);
	return ret;
}

static int pqrekey_mlkem_check_dk(const struct pqrekey_kem *kem, const u8 *dk)
{
	return mlkem_check_dk(kem->params, dk) ? -EKEYREJECTED : 0;
}

static const struct pqrekey_kem_ops pqrekey_mlkem_ops = {
	.ws_size = sizeof(struct mlkem_ws),
	.backend_in_use = pqrekey_mlkem_in_use,
	.keygen = pqrekey_mlkem_keygen,
	.encaps = pqrekey_mlkem_encaps,
	.decaps = pqrekey_mlkem_decaps,
	.check_dk = pqrekey_mlkem_check_dk,
};

#define PQREKEY_MLKEM(bits, k)						\
const struct pqrekey_kem pqrekey_mlkem##bits = {			\
	.id = PQREKEY_ALG_MLKEM##bits,					\
	.name = "ML-KEM-" #bits,					\
	.cra_name = "mlkem" #bits,					\
	.ops = &pqrekey_mlkem_ops,					\
	.params = &mlkem##bits##_params,				\
	.ek_len = PQREKEY_MLKEM##bits##_EK_LEN,				\
	.dk_len = PQREKEY_MLKEM##bits##_DK_LEN,				\
	.ct_len = PQREKEY_MLKEM##bits##_CT_LEN,				\
	.ss_len = MLKEM_SSBYTES,					\
	.seed_len = MLKEM_SEEDBYTES,					\
	.msg_len = MLKEM_SYMBYTES,					\
	/* dk = dk_PKE || ek || H(ek) || z, dk_PKE 384 k bytes */	\
	.ek_in_dk = (k) * MLKEM_POLYBYTES,				\
}

PQREKEY_MLKEM(512, 2);
PQREKEY_MLKEM(768, 3);
PQREKEY_MLKEM(1024, 4);
