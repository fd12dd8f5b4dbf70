// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The KEM layer of pqrekey.ko: one table of the module's KEMs (uapi id,
 * names, sizes and core, struct pqrekey_kem), for the kpp drivers
 * (kernel/kpp.c) and the netlink service (kernel/nl_ops.c). A KEM's entry and
 * its core's glue live in their own file (kernel/kem_mlkem.c,
 * kernel/kem_frodo.c); this file holds the table, the backend choice and the
 * operations of the service on byte buffers with explicit lengths: keygen,
 * encaps (random or with given coins), the check of an imported key and
 * decaps. A bad length (-EINVAL) is told apart from a bad key
 * (-EKEYREJECTED); they run on the best backend of this module load.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"

static const struct pqrekey_kem *const pqrekey_kems[PQREKEY_KEM_ID_MAX + 1] = {
	[PQREKEY_ALG_MLKEM512] = &pqrekey_mlkem512,
	[PQREKEY_ALG_MLKEM768] = &pqrekey_mlkem768,
	[PQREKEY_ALG_MLKEM1024] = &pqrekey_mlkem1024,
	[PQREKEY_ALG_FRODO976AES] = &pqrekey_frodo976aes,
	[PQREKEY_ALG_FRODO976SHAKE] = &pqrekey_frodo976shake,
	[PQREKEY_ALG_FRODO1344AES] = &pqrekey_frodo1344aes,
	[PQREKEY_ALG_FRODO1344SHAKE] = &pqrekey_frodo1344shake,
};

static const char *const pqrekey_backend_names[PQREKEY_NR_BACKENDS] = {
	[PQREKEY_BACKEND_GENERIC] = "generic",
	[PQREKEY_BACKEND_AVX2] = "avx2",
	[PQREKEY_BACKEND_AVX512] = "avx512",
};

/**
 * pqrekey_backend_name() - the name of a backend.
 * @b: the backend
 *
 * Return: "generic", "avx2" or "avx512": the suffix of its kpp drivers.
 */
const char *pqrekey_backend_name(enum pqrekey_backend b)
{
	return b < PQREKEY_NR_BACKENDS ? pqrekey_backend_names[b] : "?";
}

/**
 * pqrekey_kem_by_id() - a KEM of the netlink family by its uapi id.
 * @id: enum pqrekey_alg
 *
 * Return: the KEM, or NULL for an id the module does not implement or does
 * not serve over netlink (above PQREKEY_ALG_MAX: FrodoKEM, kpp only).
 */
const struct pqrekey_kem *pqrekey_kem_by_id(u32 id)
{
	if (id > PQREKEY_ALG_MAX)
		return NULL;
	return pqrekey_kems[id];
}

/**
 * pqrekey_kem_at() - any KEM of the table by its uapi id.
 * @id: enum pqrekey_alg or a kpp-only id (PQREKEY_ALG_FRODO*)
 *
 * Return: the KEM, or NULL.
 */
const struct pqrekey_kem *pqrekey_kem_at(u32 id)
{
	if (id > PQREKEY_KEM_ID_MAX)
		return NULL;
	return pqrekey_kems[id];
}

/**
 * pqrekey_kem_by_cra_name() - a KEM of the table by its crypto API name.
 * @cra_name: "mlkem768", "frodo976aes" and so on
 *
 * Return: the KEM, or NULL.
 */
const struct pqrekey_kem *pqrekey_kem_by_cra_name(const char *cra_name)
{
	u32 id;

	for (id = 0; id <= PQREKEY_KEM_ID_MAX; id++)
		if (pqrekey_kems[id] &&
		    !strcmp(pqrekey_kems[id]->cra_name, cra_name))
			return pqrekey_kems[id];
	return NULL;
}

/**
 * pqrekey_kem_backend_in_use() - whether a KEM runs on a backend.
 * @kem: the KEM
 * @b: the backend
 *
 * Return: true if this module load has the KEM's code for @b and the CPU
 * runs it: the portable code always, the others unless force_generic=1.
 */
bool pqrekey_kem_backend_in_use(const struct pqrekey_kem *kem,
				enum pqrekey_backend b)
{
	return b < PQREKEY_NR_BACKENDS && kem->ops->backend_in_use(b);
}

/**
 * pqrekey_kem_backend_best() - the fastest backend of a KEM.
 * @kem: the KEM
 *
 * Return: the highest backend in use.
 */
enum pqrekey_backend pqrekey_kem_backend_best(const struct pqrekey_kem *kem)
{
	int b;

	for (b = PQREKEY_NR_BACKENDS - 1; b > PQREKEY_BACKEND_GENERIC; b--)
		if (pqrekey_kem_backend_in_use(kem, b))
			return b;
	return PQREKEY_BACKEND_GENERIC;
}

/* Random coins: wait for the RNG to be seeded (process context). */
static int pqrekey_kem_coins(u8 *buf, unsigned int len)
{
	int ret = wait_for_random_bytes();

	if (!ret)
		get_random_bytes(buf, len);
	return ret;
}

/**
 * pqrekey_kem_keygen() - generate a key pair.
 * @kem: the KEM
 * @ek: encapsulation key out, @ek_len bytes
 * @ek_len: must be @kem->ek_len
 * @dk: decapsulation key out, @dk_len bytes
 * @dk_len: must be @kem->dk_len
 * @seed: NULL for a random key pair (waits for the RNG to be seeded), or
 *        @kem->seed_len coin bytes (KeyGen_internal, tests)
 *
 * Runs on the best backend of this module load.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -ENOMEM; -ERESTARTSYS if
 * interrupted while waiting for the RNG.
 */
int pqrekey_kem_keygen(const struct pqrekey_kem *kem, u8 *ek, size_t ek_len,
		       u8 *dk, size_t dk_len, const u8 *seed)
{
	u8 rnd[PQREKEY_KEM_MAX_COINS];
	void *ws;
	int ret;

	if (ek_len != kem->ek_len || dk_len != kem->dk_len)
		return -EINVAL;
	if (!seed) {
		ret = pqrekey_kem_coins(rnd, kem->seed_len);
		if (ret)
			return ret;
		seed = rnd;
	}
	ws = kvmalloc(kem->ops->ws_size, GFP_KERNEL);
	if (!ws) {
		ret = -ENOMEM;
		goto out;
	}
	ret = kem->ops->keygen(kem, ws, pqrekey_kem_backend_best(kem), ek, dk,
			       seed);
	kvfree_sensitive(ws, kem->ops->ws_size);
out:
	memzero_explicit(rnd, sizeof(rnd));
	return ret;
}

/**
 * pqrekey_kem_decaps() - decapsulate with a key made by pqrekey_kem_keygen().
 * @kem: the KEM
 * @ss: shared secret out, @ss_len bytes
 * @ss_len: must be @kem->ss_len
 * @ct: ciphertext, @ct_len bytes
 * @ct_len: must be @kem->ct_len
 * @dk: decapsulation key, @dk_len bytes, generated in the kernel or passed
 *      by pqrekey_kem_check_dk()
 * @dk_len: must be @kem->dk_len
 *
 * Decaps_internal on the best backend of this module load; a modified
 * ciphertext yields the implicit-rejection secret, no error.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -ENOMEM.
 */
int pqrekey_kem_decaps(const struct pqrekey_kem *kem, u8 *ss, size_t ss_len,
		       const u8 *ct, size_t ct_len, const u8 *dk,
		       size_t dk_len)
{
	void *ws;
	int ret;

	if (ss_len != kem->ss_len || ct_len != kem->ct_len ||
	    dk_len != kem->dk_len)
		return -EINVAL;
	ws = kvmalloc(kem->ops->ws_size, GFP_KERNEL);
	if (!ws)
		return -ENOMEM;
	ret = kem->ops->decaps(kem, ws, pqrekey_kem_backend_best(kem), ss, ct,
			       dk);
	kvfree_sensitive(ws, kem->ops->ws_size);
	return ret;
}

/**
 * pqrekey_kem_check_dk() - check an imported decapsulation key.
 * @kem: the KEM
 * @dk: decapsulation key, @dk_len bytes, from outside the kernel
 * @dk_len: must be @kem->dk_len
 *
 * The KEM's check of a key that pqrekey_kem_keygen() did not make (ML-KEM:
 * FIPS 203 7.3), before pqrekey_kem_decaps() may use it.
 * Context: any.
 * Return: 0; -EINVAL for a wrong length; -EKEYREJECTED if @dk fails the
 * check.
 */
int pqrekey_kem_check_dk(const struct pqrekey_kem *kem, const u8 *dk,
			 size_t dk_len)
{
	if (dk_len != kem->dk_len)
		return -EINVAL;
	return kem->ops->check_dk(kem, dk);
}

/**
 * pqrekey_kem_encaps() - encapsulate to an encapsulation key.
 * @kem: the KEM
 * @ct: ciphertext out, @ct_len bytes
 * @ct_len: must be @kem->ct_len
 * @ss: shared secret out, @ss_len bytes
 * @ss_len: must be @kem->ss_len
 * @ek: encapsulation key, @ek_len bytes
 * @ek_len: must be @kem->ek_len
 * @m: NULL for random coins (waits for the RNG to be seeded), or
 *     @kem->msg_len coin bytes (Encaps_internal, test vectors)
 *
 * Runs on the best backend of this module load.
 * Context: process context, may sleep.
 * Return: 0; -EINVAL for a wrong length; -EKEYREJECTED if @ek fails the
 * KEM's check (ML-KEM: FIPS 203 7.2; nothing written); -ENOMEM;
 * -ERESTARTSYS if interrupted while waiting for the RNG.
 */
int pqrekey_kem_encaps(const struct pqrekey_kem *kem, u8 *ct, size_t ct_len,
		       u8 *ss, size_t ss_len, const u8 *ek, size_t ek_len,
		       const u8 *m)
{
	u8 rnd[PQREKEY_KEM_MAX_COINS];
	void *ws;
	int ret;

	if (ct_len != kem->ct_len || ss_len != kem->ss_len ||
	    ek_len != kem->ek_len)
		return -EINVAL;
	if (!m) {
		ret = pqrekey_kem_coins(rnd, kem->msg_len);
		if (ret)
			return ret;
		m = rnd;
	}
	ws = kvmalloc(kem->ops->ws_size, GFP_KERNEL);
	if (!ws) {
		ret = -ENOMEM;
		goto out;
	}
	ret = kem->ops->encaps(kem, ws, pqrekey_kem_backend_best(kem), ct, ss,
			       ek, m);
	kvfree_sensitive(ws, kem->ops->ws_size);
out:
	memzero_explicit(rnd, sizeof(rnd));
	return ret;
}
