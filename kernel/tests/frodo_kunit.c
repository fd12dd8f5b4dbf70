// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suite for the FrodoKEM core (kernel/frodo), built into
 * pqrekey_kunit.ko:
 *
 *   pqrekey_frodo_core - per parameter set (FrodoKEM-976/1344, AES and
 *                        SHAKE), the first known answer of the reference
 *                        (count 0 of its NIST KAT file, the random bytes
 *                        keygen and encaps draw): pk, sk, ct and ss
 *                        compared through their SHAKE256 digests (of the
 *                        reference's values: kernel/frodo_kat.h, shared
 *                        with the load-time self-test), decapsulation of
 *                        the KAT ciphertext, and implicit rejection of a
 *                        corrupted one (the secret must be
 *                        SHAKE256(ct' || s), computed here).
 *
 *   pqrekey_frodo_kpp  - per set, the kpp algorithm ("frodo976aes" ...,
 *                        served by "<name>-generic"): a key pair from the
 *                        KAT's keygen coins through set_secret, its
 *                        encapsulation key (against the KAT's pk digest),
 *                        an encapsulation to it by a second tfm and the
 *                        decapsulation by the first (the same secret), and
 *                        a corrupted ciphertext (another secret).
 *
 * pqrekey_frodo_core calls the core's exported functions directly. The
 * workspace and all buffers are on the heap.
 */

#include <crypto/kpp.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "../frodo_kat.h"
#include "../frodo/frodo.h"
#include "../mlkem/keccak.h"

#define KT_DIGEST	PQREKEY_FRODO_KAT_DIGEST

static void kt_frodo_desc(const struct pqrekey_frodo_kat *k, char *desc)
{
	strscpy(desc, k->p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_frodo, pqrekey_frodo_kats, kt_frodo_desc);

/* SHAKE256(a || b, outlen) with the core's exported sponge. */
static void kt_shake256(u8 *out, size_t outlen, const u8 *a, size_t alen,
			const u8 *b, size_t blen)
{
	struct mlkem_keccak st;

	mlkem_keccak_init(&st, MLKEM_SHAKE256_RATE);
	mlkem_keccak_absorb(&st, a, alen);
	mlkem_keccak_absorb(&st, b, blen);
	mlkem_keccak_finalize(&st, MLKEM_KECCAK_DS_SHAKE);
	mlkem_keccak_squeeze(&st, out, outlen);
}

struct kt_frodo_bufs {
	struct frodo_ws ws;
	u8 pk[FRODO_MAX_PK_BYTES], sk[FRODO_MAX_SK_BYTES];
	u8 ct[FRODO_MAX_CT_BYTES], ss[FRODO_MAX_SS_BYTES];
	u8 ss2[FRODO_MAX_SS_BYTES], exp[FRODO_MAX_SS_BYTES];
	u8 dig[KT_DIGEST];
};

/* Count 0 of the set through the core on backend @impl. */
static void kt_frodo_kat_on(struct kunit *test,
			    const struct pqrekey_frodo_kat *k,
			    const struct frodo_impl *impl,
			    struct kt_frodo_bufs *b)
{
	const struct frodo_params *p = k->p;
	const char *be = impl->name;

	frodo_ws_set_impl(&b->ws, impl);
	KUNIT_EXPECT_EQ(test, 0, frodo_keygen_internal(p, b->pk, b->sk,
						       k->kgen, &b->ws));
	kt_shake256(b->dig, KT_DIGEST, b->pk, p->pk_len, NULL, 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->dig, k->pk, KT_DIGEST), 0,
			    "%s: pk differs from the KAT", be);
	kt_shake256(b->dig, KT_DIGEST, b->sk, p->sk_len, NULL, 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->dig, k->sk, KT_DIGEST), 0,
			    "%s: sk differs from the KAT", be);

	KUNIT_EXPECT_EQ(test, 0, frodo_encaps_internal(p, b->ct, b->ss, b->pk,
						       k->enc, &b->ws));
	kt_shake256(b->dig, KT_DIGEST, b->ct, p->ct_len, NULL, 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->dig, k->ct, KT_DIGEST), 0,
			    "%s: ct differs from the KAT", be);
	kt_shake256(b->dig, KT_DIGEST, b->ss, p->ss_len, NULL, 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->dig, k->ss, KT_DIGEST), 0,
			    "%s: ss differs from the KAT", be);

	KUNIT_EXPECT_EQ(test, 0, frodo_decaps(p, b->ss2, b->ct, b->sk,
					      &b->ws));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->ss2, b->ss, p->ss_len), 0,
			    "%s: decaps gives another ss", be);

	/* one bit of c2's last entry: only the re-encryption tells */
	b->ct[p->ct_len - 2 * p->sec - 1] ^= 0x01;
	kt_shake256(b->exp, p->ss_len, b->ct, p->ct_len, b->sk, p->sec);
	KUNIT_EXPECT_EQ(test, 0, frodo_decaps(p, b->ss2, b->ct, b->sk,
					      &b->ws));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(b->ss2, b->exp, p->ss_len), 0,
			    "%s: not SHAKE256(ct' || s)", be);
	KUNIT_EXPECT_NE_MSG(test, memcmp(b->ss2, b->ss, p->ss_len), 0,
			    "%s: rejection secret equals the real one", be);
}

/*
 * Every backend this CPU supports (the vector ones open their own FPU
 * section per slice of rows: KUnit runs in process context, where SIMD is
 * usable); the others are listed in the log.
 */
static void kt_frodo_kat(struct kunit *test)
{
	const struct pqrekey_frodo_kat *k = test->param_value;
	struct kt_frodo_bufs *b;
	unsigned int i;

	b = kvzalloc(sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < frodo_nimpls; i++) {
		if (!frodo_impl_usable(frodo_impls[i])) {
			kunit_info(test, "%s: backend %s not supported by this CPU\n",
				   k->p->name, frodo_impls[i]->name);
			continue;
		}
		kt_frodo_kat_on(test, k, frodo_impls[i], b);
	}
	kvfree(b);
}

/* One synchronous kpp operation; @src may be NULL. *@dlen is updated. */
static int kt_frodo_kpp_do(struct kpp_request *req, bool gen, const u8 *src,
			   unsigned int slen, u8 *dst, unsigned int *dlen)
{
	struct scatterlist ssg, dsg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	if (src)
		sg_init_one(&ssg, src, slen);
	sg_init_one(&dsg, dst, *dlen);
	kpp_request_set_input(req, src ? &ssg : NULL, src ? slen : 0);
	kpp_request_set_output(req, &dsg, *dlen);
	kpp_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				 crypto_req_done, &wait);
	ret = gen ? crypto_kpp_generate_public_key(req) :
		    crypto_kpp_compute_shared_secret(req);
	ret = crypto_wait_req(ret, &wait);
	*dlen = req->dst_len;
	return ret;
}

struct kt_frodo_kpp {
	struct crypto_kpp *tfm[2];
	struct kpp_request *req[2];
	u8 coins[FRODO_MAX_KEYGEN_COINS];
	u8 ek[FRODO_MAX_PK_BYTES], ct[FRODO_MAX_CT_BYTES];
	u8 ss[2][FRODO_MAX_SS_BYTES], dig[KT_DIGEST];
};

/*
 * The KAT's key pair through driver @drv, an encapsulation to it by the
 * algorithm's name (driver @best), the decapsulation by @drv.
 */
static void kt_frodo_kpp_on(struct kunit *test,
			    const struct pqrekey_frodo_kat *k, const char *alg,
			    const char *drv, const char *best)
{
	const struct frodo_params *p = k->p;
	struct kt_frodo_kpp *c;
	unsigned int len;
	int i;

	c = kvzalloc(sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	for (i = 0; i < 2; i++) {
		c->tfm[i] = crypto_alloc_kpp(i ? alg : drv, 0, 0);
		if (IS_ERR(c->tfm[i])) {
			KUNIT_FAIL(test, "crypto_alloc_kpp(%s): %ld",
				   i ? alg : drv, PTR_ERR(c->tfm[i]));
			c->tfm[i] = NULL;
			goto out;
		}
		c->req[i] = kpp_request_alloc(c->tfm[i], GFP_KERNEL);
		if (!c->req[i]) {
			KUNIT_FAIL(test, "kpp_request_alloc");
			goto out;
		}
	}
	KUNIT_EXPECT_STREQ(test, drv,
			   crypto_tfm_alg_driver_name(crypto_kpp_tfm(c->tfm[0])));
	KUNIT_EXPECT_STREQ(test, best,
			   crypto_tfm_alg_driver_name(crypto_kpp_tfm(c->tfm[1])));
	KUNIT_EXPECT_EQ(test, crypto_kpp_maxsize(c->tfm[0]),
			max(p->pk_len, p->ct_len));

	/* key pair from the KAT's coins; its ek is the KAT's pk */
	memcpy(c->coins, k->kgen, frodo_keygen_coins(p));
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(c->tfm[0], c->coins,
						    frodo_keygen_coins(p)), 0);
	len = p->pk_len;
	KUNIT_ASSERT_EQ(test, kt_frodo_kpp_do(c->req[0], true, NULL, 0, c->ek,
					      &len), 0);
	KUNIT_EXPECT_EQ(test, len, p->pk_len);
	kt_shake256(c->dig, KT_DIGEST, c->ek, p->pk_len, NULL, 0);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(c->dig, k->pk, KT_DIGEST), 0,
			    "ek differs from the KAT's pk");

	/* the second tfm encapsulates to it, the first decapsulates */
	len = p->ct_len;
	KUNIT_ASSERT_EQ(test, kt_frodo_kpp_do(c->req[1], true, c->ek,
					      p->pk_len, c->ct, &len), 0);
	KUNIT_EXPECT_EQ(test, len, p->ct_len);
	len = p->ss_len;
	KUNIT_ASSERT_EQ(test, kt_frodo_kpp_do(c->req[1], false, NULL, 0,
					      c->ss[1], &len), 0);
	len = p->ss_len;
	KUNIT_ASSERT_EQ(test, kt_frodo_kpp_do(c->req[0], false, c->ct,
					      p->ct_len, c->ss[0], &len), 0);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ss_len);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(c->ss[0], c->ss[1], p->ss_len), 0,
			    "the two sides' secrets differ");

	/* a corrupted ciphertext: implicit rejection, another secret */
	c->ct[p->ct_len / 2] ^= 0x01;
	len = p->ss_len;
	KUNIT_ASSERT_EQ(test, kt_frodo_kpp_do(c->req[0], false, c->ct,
					      p->ct_len, c->ss[0], &len), 0);
	KUNIT_EXPECT_NE_MSG(test, memcmp(c->ss[0], c->ss[1], p->ss_len), 0,
			    "rejection secret equals the real one");
out:
	for (i = 0; i < 2; i++) {
		kpp_request_free(c->req[i]);
		if (c->tfm[i])
			crypto_free_kpp(c->tfm[i]);
	}
	kvfree(c);
}

/*
 * Every driver of the algorithm: one per backend this CPU supports (the
 * module is loaded without force_generic=1 for KUnit), the fastest chosen
 * by name.
 */
static void kt_frodo_kpp(struct kunit *test)
{
	const struct pqrekey_frodo_kat *k = test->param_value;
	char alg[CRYPTO_MAX_ALG_NAME], drv[CRYPTO_MAX_ALG_NAME];
	char best[CRYPTO_MAX_ALG_NAME];
	unsigned int i;

	/* "FrodoKEM-976-AES" -> "frodo976aes" */
	snprintf(alg, sizeof(alg), "frodo%u%s", k->p->n,
		 k->p->gen == FRODO_GEN_AES ? "aes" : "shake");
	for (i = 0; i < frodo_nimpls; i++)
		if (frodo_impl_usable(frodo_impls[i]))
			snprintf(best, sizeof(best), "%s-%s", alg,
				 frodo_impls[i]->name);
	for (i = 0; i < frodo_nimpls; i++) {
		if (!frodo_impl_usable(frodo_impls[i]))
			continue;
		snprintf(drv, sizeof(drv), "%s-%s", alg, frodo_impls[i]->name);
		kunit_info(test, "driver %s\n", drv);
		kt_frodo_kpp_on(test, k, alg, drv, best);
	}
}

static struct kunit_case kt_frodo_cases[] = {
	KUNIT_CASE_PARAM(kt_frodo_kat, kt_frodo_gen_params),
	{}
};

static struct kunit_suite kt_frodo_suite = {
	.name = "pqrekey_frodo_core",
	.test_cases = kt_frodo_cases,
};

static struct kunit_case kt_frodo_kpp_cases[] = {
	KUNIT_CASE_PARAM(kt_frodo_kpp, kt_frodo_gen_params),
	{}
};

static struct kunit_suite kt_frodo_kpp_suite = {
	.name = "pqrekey_frodo_kpp",
	.test_cases = kt_frodo_kpp_cases,
};

kunit_test_suites(&kt_frodo_suite, &kt_frodo_kpp_suite);
