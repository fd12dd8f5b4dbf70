// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM-976 and FrodoKEM-1344, AES and SHAKE (the salted FrodoKEM of
 * kernel/frodo/) as entries of the KEM table (kernel/kem.c): kpp algorithms
 * "frodo976aes", "frodo976shake", "frodo1344aes" and "frodo1344shake"
 * (drivers "<name>-generic" and, on CPUs with AVX2 and AES-NI,
 * "<name>-avx2", with AVX-512 and VAES "<name>-avx512"), ids
 * PQREKEY_ALG_FRODO976AES .. PQREKEY_ALG_FRODO1344SHAKE of the netlink
 * family.
 *
 * The KEM's keys are the core's: ek = pk = seedA || B, dk = sk = s || pk ||
 * S^T || pkh (so ek_in_dk = len_sec). The keygen coins are s || seedSE ||
 * z, the encapsulation coins mu || salt. FrodoKEM defines no check of a
 * public key; an imported secret key is checked for pkh = SHAKE256(pk).
 * An operation takes several milliseconds of portable code, about a
 * millisecond on the AVX2 backend, whose FPU sections the core bounds to
 * a slice of eight rows of A; it needs a workspace of about 110 KiB
 * (struct frodo_ws).
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "frodo/frodo.h"

static_assert(PQREKEY_KEM_MAX_COINS >= FRODO_MAX_KEYGEN_COINS);
static_assert(PQREKEY_KEM_MAX_COINS >= FRODO_MAX_ENCAPS_COINS);
static_assert(PQREKEY_KEM_MAX_SS >= FRODO_MAX_SS_BYTES);

/* The core's backend for a module backend id; NULL if it has none. */
static const struct frodo_impl *pqrekey_frodo_impl(enum pqrekey_backend b)
{
	switch (b) {
	case PQREKEY_BACKEND_GENERIC:
		return &frodo_impl_generic;
#ifdef CONFIG_X86_64
	case PQREKEY_BACKEND_AVX2:
		return &frodo_impl_avx2;
	case PQREKEY_BACKEND_AVX512:
		return &frodo_impl_avx512;
#endif
	default:
		return NULL;
	}
}

static bool pqrekey_frodo_in_use(enum pqrekey_backend b)
{
	const struct frodo_impl *impl = pqrekey_frodo_impl(b);

	if (!impl)
		return false;
	return impl == &frodo_impl_generic ||
	       (pqrekey_backend_vectors_allowed() && frodo_impl_usable(impl));
}

/*
 * Sets the backend of one operation: @b's, or the portable code where
 * vector registers are not usable (then only the speed differs). The core
 * opens the FPU sections itself, one per slice of rows.
 */
static struct frodo_ws *pqrekey_frodo_ws(void *ws, enum pqrekey_backend b)
{
	const struct frodo_impl *impl = pqrekey_frodo_impl(b);

	if (!impl || (impl->simd && !pqrekey_backend_simd_usable()))
		impl = &frodo_impl_generic;
	frodo_ws_set_impl(ws, impl);
	return ws;
}

static int pqrekey_frodo_keygen(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ek, u8 *dk,
				const u8 *seed)
{
	return frodo_keygen_internal(kem->params, ek, dk, seed,
				     pqrekey_frodo_ws(ws, b));
}

static int pqrekey_frodo_encaps(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ct, u8 *ss,
				const u8 *ek, const u8 *msg)
{
	return frodo_encaps_internal(kem->params, ct, ss, ek, msg,
				     pqrekey_frodo_ws(ws, b));
}

static int pqrekey_frodo_decaps(const struct pqrekey_kem *kem, void *ws,
				enum pqrekey_backend b, u8 *ss, const u8 *ct,
				const u8 *dk)
{
	return frodo_decaps(kem->params, ss, ct, dk, pqrekey_frodo_ws(ws, b));
}

/* The pkh in @dk must be SHAKE256(pk) of the pk in @dk (public values). */
static int pqrekey_frodo_check_dk(const struct pqrekey_kem *kem, const u8 *dk)
{
	return frodo_check_sk(kem->params, dk) ? -EKEYREJECTED : 0;
}

static const struct pqrekey_kem_ops pqrekey_frodo_ops = {
	.ws_size = sizeof(struct frodo_ws),
	.backend_in_use = pqrekey_frodo_in_use,
	.keygen = pqrekey_frodo_keygen,
	.encaps = pqrekey_frodo_encaps,
	.decaps = pqrekey_frodo_decaps,
	.check_dk = pqrekey_frodo_check_dk,
};

const struct pqrekey_kem pqrekey_frodo976aes = {
	.id = PQREKEY_ALG_FRODO976AES,
	.name = "FrodoKEM-976-AES",
	.cra_name = "frodo976aes",
	.ops = &pqrekey_frodo_ops,
	.params = &frodo976aes_params,
	.ek_len = FRODO976_PK_BYTES,
	.dk_len = FRODO976_SK_BYTES,
	.ct_len = FRODO976_CT_BYTES,
	.ss_len = FRODO976_SS_BYTES,
	.seed_len = FRODO976_KEYGEN_COINS,
	.msg_len = FRODO976_ENCAPS_COINS,
	.ek_in_dk = 24,		/* sk = s (len_sec) || pk || ... */
};

const struct pqrekey_kem pqrekey_frodo976shake = {
	.id = PQREKEY_ALG_FRODO976SHAKE,
	.name = "FrodoKEM-976-SHAKE",
	.cra_name = "frodo976shake",
	.ops = &pqrekey_frodo_ops,
	.params = &frodo976shake_params,
	.ek_len = FRODO976_PK_BYTES,
	.dk_len = FRODO976_SK_BYTES,
	.ct_len = FRODO976_CT_BYTES,
	.ss_len = FRODO976_SS_BYTES,
	.seed_len = FRODO976_KEYGEN_COINS,
	.msg_len = FRODO976_ENCAPS_COINS,
	.ek_in_dk = 24,		/* sk = s (len_sec) || pk || ... */
};

const struct pqrekey_kem pqrekey_frodo1344aes = {
	.id = PQREKEY_ALG_FRODO1344AES,
	.name = "FrodoKEM-1344-AES",
	.cra_name = "frodo1344aes",
	.ops = &pqrekey_frodo_ops,
	.params = &frodo1344aes_params,
	.ek_len = FRODO1344_PK_BYTES,
	.dk_len = FRODO1344_SK_BYTES,
	.ct_len = FRODO1344_CT_BYTES,
	.ss_len = FRODO1344_SS_BYTES,
	.seed_len = FRODO1344_KEYGEN_COINS,
	.msg_len = FRODO1344_ENCAPS_COINS,
	.ek_in_dk = 32,		/* sk = s (len_sec) || pk || ... */
};

const struct pqrekey_kem pqrekey_frodo1344shake = {
	.id = PQREKEY_ALG_FRODO1344SHAKE,
	.name = "FrodoKEM-1344-SHAKE",
	.cra_name = "frodo1344shake",
	.ops = &pqrekey_frodo_ops,
	.params = &frodo1344shake_params,
	.ek_len = FRODO1344_PK_BYTES,
	.dk_len = FRODO1344_SK_BYTES,
	.ct_len = FRODO1344_CT_BYTES,
	.ss_len = FRODO1344_SS_BYTES,
	.seed_len = FRODO1344_KEYGEN_COINS,
	.msg_len = FRODO1344_ENCAPS_COINS,
	.ek_in_dk = 32,		/* sk = s (len_sec) || pk || ... */
};
