// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Known-answer self-test of the FrodoKEM KEMs (kernel/kem_frodo.c), run at
 * module load before any algorithm is registered (a failure stops the
 * load, as for ML-KEM: kernel/selftest.c). Per set, the first known answer
 * of the reference (count 0 of its NIST KAT file: the random bytes keygen
 * and encaps draw) through the KEM table's operations, on every backend
 * this load uses (the portable code, and AVX2 with AES-NI where usable):
 *
 *   keygen: keygen(coins)          SHAKE256(ek), SHAKE256(dk) == expected
 *   encaps: encaps(ek, coins)      SHAKE256(ct), SHAKE256(ss) == expected
 *   decaps: decaps(dk, ct)         == ss
 *
 * The expected digests (kernel/frodo_kat.h) are of the reference's values,
 * not of this core's. The implicit rejection
 * is tested by KUnit (pqrekey_frodo_core) and in userspace; it is left out
 * here to keep the load short (the portable code takes 5-16 ms per
 * operation natively, much longer in an emulated guest).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pqrekey.h"
#include "frodo_kat.h"

struct pqrekey_frodo_st {
	struct frodo_ws ws;
	struct mlkem_keccak h;
	u8 ek[FRODO_MAX_PK_BYTES];
	u8 dk[FRODO_MAX_SK_BYTES];
	u8 ct[FRODO_MAX_CT_BYTES];
	u8 ss[FRODO_MAX_SS_BYTES];
	u8 ss2[FRODO_MAX_SS_BYTES];
	u8 digest[32];
};

/* SHAKE256(@x, 32) == @want */
static bool pqrekey_frodo_digest_ok(struct pqrekey_frodo_st *b,
				    const u8 *x, size_t xlen, const u8 *want)
{
	mlkem_keccak_init(&b->h, MLKEM_SHAKE256_RATE);
	mlkem_keccak_absorb(&b->h, x, xlen);
	mlkem_keccak_finalize(&b->h, MLKEM_KECCAK_DS_SHAKE);
	mlkem_keccak_squeeze(&b->h, b->digest, sizeof(b->digest));
	return !crypto_memneq(b->digest, want, sizeof(b->digest));
}

/* Returns NULL on success, else the name of the failed step. */
static const char *pqrekey_frodo_one(const struct pqrekey_frodo_kat *kat,
				     const struct pqrekey_kem *kem,
				     enum pqrekey_backend g,
				     struct pqrekey_frodo_st *b)
{
	const struct pqrekey_kem_ops *ops = kem->ops;

	if (ops->keygen(kem, &b->ws, g, b->ek, b->dk, kat->kgen) ||
	    !pqrekey_frodo_digest_ok(b, b->ek, kem->ek_len, kat->pk) ||
	    !pqrekey_frodo_digest_ok(b, b->dk, kem->dk_len, kat->sk))
		return "keygen";
	if (ops->check_dk(kem, b->dk))
		return "check_dk";
	if (ops->encaps(kem, &b->ws, g, b->ct, b->ss, b->ek, kat->enc) ||
	    !pqrekey_frodo_digest_ok(b, b->ct, kem->ct_len, kat->ct) ||
	    !pqrekey_frodo_digest_ok(b, b->ss, kem->ss_len, kat->ss))
		return "encaps";
	if (ops->decaps(kem, &b->ws, g, b->ss2, b->ct, b->dk) ||
	    crypto_memneq(b->ss, b->ss2, kem->ss_len))
		return "decaps";
	return NULL;
}

/**
 * pqrekey_selftest_frodo() - known-answer test of every FrodoKEM set.
 *
 * Context: module init (process context, may sleep).
 * Return: 0, -ENOMEM, or -ELIBBAD (the crypto API's error for a failed
 * self-test, as for ML-KEM) if a set failed (logged).
 */
int pqrekey_selftest_frodo(void)
{
	struct pqrekey_frodo_st *b;
	const char *failed;
	char names[32] = "";
	size_t i;
	int ret = 0;

	b = kvmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(pqrekey_frodo_kats) && !ret; i++) {
		const struct pqrekey_frodo_kat *kat = &pqrekey_frodo_kats[i];
		const struct pqrekey_kem *kem = pqrekey_kem_by_id(kat->id);
		enum pqrekey_backend g;

		if (!kem) {
			pr_err("%s self-test failed (no KEM), not registering\n",
			       kat->p->name);
			ret = -ELIBBAD;
			break;
		}
		for (g = 0; g < PQREKEY_NR_BACKENDS; g++) {
			if (!kem->ops->backend_in_use(g))
				continue;
			failed = pqrekey_frodo_one(kat, kem, g, b);
			if (failed) {
				pr_err("%s self-test failed (%s, %s), not registering\n",
				       kat->p->name, pqrekey_backend_name(g),
				       failed);
				ret = -ELIBBAD;
				break;
			}
			if (i == 0) {
				strlcat(names, names[0] ? ", " : "",
					sizeof(names));
				strlcat(names, pqrekey_backend_name(g),
					sizeof(names));
			}
		}
	}
	kvfree_sensitive(b, sizeof(*b));
	if (!ret)
		pr_info("FrodoKEM-976/1344 AES/SHAKE known-answer self-tests passed (%s)\n",
			names);
	return ret;
}
