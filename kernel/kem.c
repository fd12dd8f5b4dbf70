// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The KEMs of pqrekey.ko in one table, for the kpp drivers (kernel/kpp.c)
 * and the netlink service (kernel/nl_ops.c): the uapi id, the names and
 * the sizes of each. And the operations of the service on byte buffers
 * with explicit lengths: keygen, encaps (random or with a given m), the
 * 7.3 check of an imported key and decaps. A bad length (-EINVAL) is told
 * apart from a bad key (-EKEYREJECTED); they run on the best backend of
 * this module load.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"

/* The uapi sizes are the cores' sizes. */
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

#define PQREKEY_KEM(bits)						\
	[PQREKEY_ALG_MLKEM##bits] = {					\
		.id = PQREKEY_ALG_MLKEM##bits,				\
		.name = "ML-KEM-" #bits,				\
		.cra_name = "mlkem" #bits,				\
		.params = &mlkem##bits##_params,			\
		.ek_len = PQREKEY_MLKEM##bits##_EK_LEN,			\
		.dk_len = PQREKEY_MLKEM##bits##_DK_LEN,			\
		.ct_len = PQREKEY_MLKEM##bits##_CT_LEN,			\
	}

static const struct pqrekey_kem pqrekey_kems[PQREKEY_ALG_MAX + 1] = {
	PQREKEY_KEM(512),
	PQREKEY_KEM(768),
	PQREKEY_KEM(1024),
};

/**
 * pqrekey_kem_by_id() - a KEM by its uapi id.
 * @id: enum pqrekey_alg
 *
 * Return: the KEM, or NULL for an id the module does not implement.
 */
const struct pqrekey_kem *pqrekey_kem_by_id(u32 id)
{
	if (id > PQREKEY_ALG_MAX || !pqrekey_kems[id].params)
		return NULL;
	return &pqrekey_kems[id];
}

/**
 * pqrekey_kem_by_cra_name() - a KEM by its crypto API name.
 * @cra_name: "mlkem768" and so on
 *
 * Return: the KEM, or NULL.
 */
const struct pqrekey_kem *pqrekey_kem_by_cra_name(const char *cra_name)
{
	u32 id;

	for (id = 0; id <= PQREKEY_ALG_MAX; id++)
		if (pqrekey_kems[id].params &&
		    !strcmp(pqrekey_kems[id].cra_name, cra_name))
			return &pqrekey_kems[id];
	return NULL;
}

/**
 * pqrekey_kem_keygen() - generate a key pair.
 * @kem: the KEM
 * @ek: encapsulation key out, @ek_len bytes
 * @ek_len: must be @kem->ek_len
 * @dk: decapsulation key out, @dk_len bytes
 * @dk_len: must be @kem->dk_len
 * @seed: NULL for a random key pair (ML-KEM.KeyGen; waits for the RNG to
 *        be seeded), or the 64 bytes d || z (ML-KEM.KeyGen_internal, tests)
 *
 * Runs on the best backend of this module load.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -ENOMEM; -ERESTARTSYS if
 * interrupted while waiting for the RNG.
 */
int pqrekey_kem_keygen(const struct pqrekey_kem *kem, u8 *ek, size_t ek_len,
		       u8 *dk, size_t dk_len, const u8 *seed)
{
	const struct mlkem_impl *used;
	struct mlkem_ws *ws;
	u8 rnd[MLKEM_SEEDBYTES];
	int ret;

	if (ek_len != kem->ek_len || dk_len != kem->dk_len)
		return -EINVAL;
	if (!seed) {
		ret = wait_for_random_bytes();
		if (ret)
			return ret;
		get_random_bytes(rnd, sizeof(rnd));
		seed = rnd;
	}
	ws = kvmalloc(sizeof(*ws), GFP_KERNEL);
	if (!ws) {
		ret = -ENOMEM;
		goto out;
	}
	used = pqrekey_backend_begin(ws, pqrekey_backend_best());
	ret = mlkem_keygen_internal(kem->params, ek, dk, seed,
				    seed + MLKEM_SYMBYTES, ws);
	pqrekey_backend_end(used);
	kvfree_sensitive(ws, sizeof(*ws));
out:
	memzero_explicit(rnd, sizeof(rnd));
	return ret;
}

/**
 * pqrekey_kem_decaps() - decapsulate with a key made by pqrekey_kem_keygen().
 * @kem: the KEM
 * @ss: shared secret out, @ss_len bytes
 * @ss_len: must be PQREKEY_SS_LEN
 * @ct: ciphertext, @ct_len bytes
 * @ct_len: must be @kem->ct_len
 * @dk: decapsulation key, @dk_len bytes, generated in the kernel (so it
 *      needs no FIPS 203 7.3 check)
 * @dk_len: must be @kem->dk_len
 *
 * ML-KEM.Decaps_internal on the best backend of this module load; a
 * modified ciphertext yields the implicit-rejection secret, no error.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -ENOMEM.
 */
int pqrekey_kem_decaps(const struct pqrekey_kem *kem, u8 *ss, size_t ss_len,
		       const u8 *ct, size_t ct_len, const u8 *dk,
		       size_t dk_len)
{
	const struct mlkem_impl *used;
	struct mlkem_ws *ws;
	int ret;

	if (ss_len != PQREKEY_SS_LEN || ct_len != kem->ct_len ||
	    dk_len != kem->dk_len)
		return -EINVAL;
	ws = kvmalloc(sizeof(*ws), GFP_KERNEL);
	if (!ws)
		return -ENOMEM;
	used = pqrekey_backend_begin(ws, pqrekey_backend_best());
	ret = mlkem_decaps_internal(kem->params, ss, ct, dk, ws);
	pqrekey_backend_end(used);
	kvfree_sensitive(ws, sizeof(*ws));
	return ret;
}

/**
 * pqrekey_kem_check_dk() - check an imported decapsulation key.
 * @kem: the KEM
 * @dk: decapsulation key, @dk_len bytes, from outside the kernel
 * @dk_len: must be @kem->dk_len
 *
 * The FIPS 203 7.3 hash check, for a key that pqrekey_kem_keygen() did
 * not make, before pqrekey_kem_decaps() may use it.
 * Context: any.
 * Return: 0; -EINVAL for a wrong length; -EKEYREJECTED if @dk fails the
 * check.
 */
int pqrekey_kem_check_dk(const struct pqrekey_kem *kem, const u8 *dk,
			 size_t dk_len)
{
	if (dk_len != kem->dk_len)
		return -EINVAL;
	return mlkem_check_dk(kem->params, dk) ? -EKEYREJECTED : 0;
}

/**
 * pqrekey_kem_encaps() - encapsulate to an encapsulation key.
 * @kem: the KEM
 * @ct: ciphertext out, @ct_len bytes
 * @ct_len: must be @kem->ct_len
 * @ss: shared secret out, @ss_len bytes
 * @ss_len: must be PQREKEY_SS_LEN
 * @ek: encapsulation key, @ek_len bytes
 * @ek_len: must be @kem->ek_len
 * @m: NULL for a random message (ML-KEM.Encaps; waits for the RNG to be
 *     seeded), or the 32-byte message m (PQREKEY_MSG_LEN;
 *     ML-KEM.Encaps_internal, test vectors)
 *
 * Runs on the best backend of this module load.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -EKEYREJECTED if @ek fails the
 * FIPS 203 7.2 modulus check (nothing written); -ENOMEM; -ERESTARTSYS if
 * interrupted while waiting for the RNG.
 */
int pqrekey_kem_encaps(const struct pqrekey_kem *kem, u8 *ct, size_t ct_len,
		       u8 *ss, size_t ss_len, const u8 *ek, size_t ek_len,
		       const u8 *m)
{
	const struct mlkem_impl *used;
	struct mlkem_ws *ws;
	u8 rnd[MLKEM_SYMBYTES];
	int ret;

	if (ct_len != kem->ct_len || ss_len != PQREKEY_SS_LEN ||
	    ek_len != kem->ek_len)
		return -EINVAL;
	if (!m) {
		ret = wait_for_random_bytes();
		if (ret)
			return ret;
		get_random_bytes(rnd, sizeof(rnd));
		m = rnd;
	}
	ws = kvmalloc(sizeof(*ws), GFP_KERNEL);
	if (!ws) {
		ret = -ENOMEM;
		goto out;
	}
	used = pqrekey_backend_begin(ws, pqrekey_backend_best());
	ret = mlkem_encaps_internal(kem->params, ct, ss, ek, m, ws);
	pqrekey_backend_end(used);
	kvfree_sensitive(ws, sizeof(*ws));
	/* The core's only failure is the 7.2 check. */
	if (ret)
		ret = -EKEYREJECTED;
out:
	memzero_explicit(rnd, sizeof(rnd));
	return ret;
}
