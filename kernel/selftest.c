// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Known-answer self-test, run at module load for every parameter set and
 * every backend that will be registered, before any algorithm is
 * registered. Per backend and set, with fixed inputs d, z, m (byte i of
 * d || z || m is i):
 *
 *   keygen: KeyGen_internal(d, z)              SHA3-256(ek || dk) == expected
 *   encaps: Encaps_internal(ek, m)             SHA3-256(ct || K)  == expected,
 *           and an ek failing the 7.2 modulus check is rejected
 *   decaps: Decaps_internal(dk, ct)            == K
 *   reject: Decaps_internal(dk, ct ^ 1 bit)    SHA3-256(K_reject) == expected
 *
 * then a pairwise round trip with random d, z, m as the kpp glue runs it:
 * KeyGen, Encaps, Decaps (with the 7.3 key check). Every core call runs in
 * its own FPU section (pqrekey_backend_begin()); for a vectorized backend
 * the test fails if SIMD is not usable rather than silently testing the
 * portable code. The expected digests were computed with the userspace
 * build of the core after it passed the Wycheproof, ACVP and accumulated
 * tests.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/algapi.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"
#include "mlkem/keccak.h"

struct pqrekey_kat {
	const struct mlkem_params *p;
	u8 keygen[32];		/* SHA3-256(ek || dk) */
	u8 encaps[32];		/* SHA3-256(ct || K) */
	u8 reject[32];		/* SHA3-256(K_reject) */
};

static const struct pqrekey_kat pqrekey_kats[] = {
	{
		.p = &mlkem512_params,
		.keygen = {
			0x66, 0x3c, 0x31, 0x35, 0x35, 0x4f, 0xa6, 0x86,
			0x53, 0x69, 0x95, 0x5a, 0x8e, 0x13, 0xdf, 0x89,
			0x0b, 0xde, 0x05, 0x04, 0xba, 0xaa, 0x59, 0x1e,
			0xab, 0xaf, 0x30, 0x47, 0xfd, 0x51, 0xf7, 0xab,
		},
		.encaps = {
			0x20, 0xb5, 0xe8, 0x3a, 0xdb, 0x10, 0x45, 0xba,
			0xd6, 0x5b, 0x9e, 0x95, 0x01, 0x76, 0x36, 0x93,
			0x08, 0x19, 0xc7, 0x97, 0x40, 0xd0, 0x96, 0x82,
			0x23, 0x5b, 0xab, 0x9e, 0xb6, 0x55, 0x1d, 0xf4,
		},
		.reject = {
			0x79, 0x19, 0x20, 0x5b, 0x22, 0x56, 0xac, 0x88,
			0x47, 0xea, 0x37, 0x4e, 0x53, 0x05, 0xb1, 0xec,
			0xf7, 0x7d, 0x36, 0x1e, 0xdb, 0x21, 0x2a, 0x7f,
			0xe4, 0xaf, 0x53, 0xeb, 0x6e, 0x1b, 0x9a, 0x03,
		},
	}, {
		.p = &mlkem768_params,
		.keygen = {
			0x0e, 0xe2, 0xd7, 0xa3, 0xbe, 0xf9, 0x3a, 0x63,
			0xf4, 0x27, 0x8a, 0x8f, 0x3a, 0xf6, 0xf3, 0x12,
			0x27, 0xe5, 0xd3, 0xd5, 0x21, 0xfa, 0x75, 0x0a,
			0xd7, 0x95, 0x7c, 0xe7, 0xed, 0x6f, 0x50, 0xfc,
		},
		.encaps = {
			0x4e, 0xd0, 0x54, 0x5c, 0xb1, 0xf5, 0x9a, 0xe4,
			0x71, 0x12, 0x1a, 0x16, 0xd7, 0xfd, 0x25, 0x86,
			0xc8, 0xd6, 0x42, 0x5d, 0xa0, 0x79, 0xb0, 0xf0,
			0x5e, 0x87, 0x33, 0x5c, 0xfc, 0x7c, 0x29, 0x9b,
		},
		.reject = {
			0x43, 0xb7, 0xb3, 0x46, 0xfc, 0x99, 0x42, 0x3b,
			0x7b, 0xee, 0xfd, 0x9a, 0xb4, 0xfa, 0x19, 0x12,
			0x80, 0xa1, 0xd0, 0xae, 0x82, 0x7a, 0x6a, 0x11,
			0xba, 0xac, 0x98, 0xa5, 0xce, 0xc6, 0x49, 0x4d,
		},
	}, {
		.p = &mlkem1024_params,
		.keygen = {
			0x1b, 0x51, 0x0f, 0x82, 0xa3, 0x84, 0xe0, 0xf3,
			0xbb, 0x49, 0x60, 0x25, 0x57, 0x86, 0x29, 0x31,
			0x30, 0x2b, 0x06, 0x6e, 0x2f, 0xf3, 0x7f, 0xb1,
			0xea, 0xd1, 0x7c, 0x29, 0x51, 0xdc, 0x5b, 0x18,
		},
		.encaps = {
			0x25, 0x53, 0xac, 0xbe, 0x89, 0xd0, 0xe8, 0x35,
			0xe2, 0xdb, 0xd4, 0xf2, 0xfa, 0x39, 0x98, 0x95,
			0x91, 0x61, 0x5d, 0xde, 0xad, 0xda, 0xc1, 0x1d,
			0x26, 0x3d, 0x20, 0x65, 0x3d, 0x32, 0x2f, 0xb4,
		},
		.reject = {
			0x48, 0x8c, 0x1d, 0x1a, 0xc7, 0x8f, 0x40, 0x7a,
			0x8c, 0x87, 0xcd, 0x93, 0x85, 0xd5, 0x7f, 0x2b,
			0xaa, 0xa9, 0xbb, 0x0f, 0x13, 0xb6, 0x82, 0xcc,
			0x53, 0xbc, 0xa4, 0x08, 0xef, 0x09, 0x56, 0x5f,
		},
	},
};

struct pqrekey_selftest_buf {
	const struct mlkem_impl *impl;
	struct mlkem_ws ws;
	struct mlkem_keccak h;
	u8 seed[MLKEM_SEEDBYTES + MLKEM_SYMBYTES];	/* d || z || m */
	u8 ek[MLKEM_MAX_EK_BYTES];
	u8 dk[MLKEM_MAX_DK_BYTES];
	u8 ct[MLKEM_MAX_CT_BYTES];
	u8 k[MLKEM_SSBYTES];
	u8 k2[MLKEM_SSBYTES];
	u8 digest[32];
};

static void pqrekey_sha3_256_2(struct pqrekey_selftest_buf *b,
			       const u8 *x, size_t xlen,
			       const u8 *y, size_t ylen)
{
	mlkem_keccak_init(&b->h, MLKEM_SHA3_256_RATE);
	mlkem_keccak_absorb(&b->h, x, xlen);
	mlkem_keccak_absorb(&b->h, y, ylen);
	mlkem_keccak_finalize(&b->h, MLKEM_KECCAK_DS_SHA3);
	mlkem_keccak_squeeze(&b->h, b->digest, sizeof(b->digest));
}

/*
 * The core calls, each in one FPU section on b->impl. -EBUSY: the backend
 * could not be used here (SIMD not usable).
 */
static int st_keygen(struct pqrekey_selftest_buf *b,
		     const struct mlkem_params *p, const u8 *d, const u8 *z)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(&b->ws, b->impl);
	int ret = -EBUSY;

	if (used == b->impl)
		ret = mlkem_keygen_internal(p, b->ek, b->dk, d, z, &b->ws);
	pqrekey_backend_end(used);
	return ret;
}

static int st_encaps(struct pqrekey_selftest_buf *b,
		     const struct mlkem_params *p, const u8 *m)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(&b->ws, b->impl);
	int ret = -EBUSY;

	if (used == b->impl)
		ret = mlkem_encaps_internal(p, b->ct, b->k, b->ek, m, &b->ws);
	pqrekey_backend_end(used);
	return ret;
}

static int st_decaps(struct pqrekey_selftest_buf *b,
		     const struct mlkem_params *p, bool check_dk)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(&b->ws, b->impl);
	int ret = -EBUSY;

	if (used == b->impl) {
		if (check_dk)
			ret = mlkem_decaps(p, b->k2, b->ct, b->dk, &b->ws);
		else
			ret = mlkem_decaps_internal(p, b->k2, b->ct, b->dk,
						    &b->ws);
	}
	pqrekey_backend_end(used);
	return ret;
}

static int st_check_ek(struct pqrekey_selftest_buf *b,
		       const struct mlkem_params *p)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(&b->ws, b->impl);
	int ret = -EBUSY;

	if (used == b->impl)
		ret = mlkem_check_ek(p, b->ek, &b->ws);
	pqrekey_backend_end(used);
	return ret;
}

/* Returns NULL on success, else the name of the failed step. */
static const char *pqrekey_selftest_one(const struct pqrekey_kat *kat,
					struct pqrekey_selftest_buf *b)
{
	const struct mlkem_params *p = kat->p;
	const u8 *d = b->seed, *z = b->seed + 32, *m = b->seed + 64;
	size_t i;

	for (i = 0; i < sizeof(b->seed); i++)
		b->seed[i] = i;

	if (st_keygen(b, p, d, z))
		return "keygen";
	pqrekey_sha3_256_2(b, b->ek, p->ek_len, b->dk, p->dk_len);
	if (crypto_memneq(b->digest, kat->keygen, sizeof(b->digest)))
		return "keygen";
	if (st_check_ek(b, p) || mlkem_check_dk(p, b->dk))
		return "keygen";

	if (st_encaps(b, p, m))
		return "encaps";
	pqrekey_sha3_256_2(b, b->ct, p->ct_len, b->k, sizeof(b->k));
	if (crypto_memneq(b->digest, kat->encaps, sizeof(b->digest)))
		return "encaps";

	if (st_decaps(b, p, false))
		return "decaps";
	if (crypto_memneq(b->k, b->k2, sizeof(b->k)))
		return "decaps";

	b->ct[p->ct_len - 1] ^= 0x01;
	if (st_decaps(b, p, false))
		return "reject";
	mlkem_sha3_256(b->digest, b->k2, sizeof(b->k2));
	if (crypto_memneq(b->digest, kat->reject, sizeof(b->digest)))
		return "reject";

	/* 7.2: coefficient 0 of t-hat set to 4095 must be refused. */
	b->ek[0] = 0xff;
	b->ek[1] |= 0x0f;
	if (st_encaps(b, p, m) != -EINVAL)
		return "encaps";

	/* Pairwise round trip with random inputs, as the kpp glue does it. */
	get_random_bytes(b->seed, sizeof(b->seed));
	if (st_keygen(b, p, d, z))
		return "keygen";
	if (st_encaps(b, p, m))
		return "encaps";
	if (st_decaps(b, p, true))
		return "decaps";
	if (crypto_memneq(b->k, b->k2, sizeof(b->k)))
		return "decaps";

	return NULL;
}

/**
 * pqrekey_selftest() - known-answer self-test of every parameter set
 * @impl: the backend to test
 *
 * Logs the backend, the parameter set and the failed step for each
 * failure. A failed
 * set yields -ELIBBAD, the error the crypto API reports for an algorithm
 * that failed its self-test.
 *
 * Return: 0 if all sets pass, -ENOMEM, or -ELIBBAD if any set failed.
 */
int pqrekey_selftest(const struct mlkem_impl *impl)
{
	struct pqrekey_selftest_buf *b;
	const char *failed;
	int i, ret = 0;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->impl = impl;

	for (i = 0; i < ARRAY_SIZE(pqrekey_kats); i++) {
		failed = pqrekey_selftest_one(&pqrekey_kats[i], b);
		if (failed) {
			pr_err("%s self-test failed (%s, %s), not registering\n",
			       pqrekey_kats[i].p->name, mlkem_impl_name(impl),
			       failed);
			ret = -ELIBBAD;
		}
	}

	kfree_sensitive(b);
	if (!ret)
		pr_info("ML-KEM-512/768/1024 known-answer self-tests passed (%s)\n",
			mlkem_impl_name(impl));
	return ret;
}
