// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suites for pqrekey.ko (built as pqrekey_kunit.ko):
 *
 *   pqrekey_mlkem_core - the portable core through its exported functions:
 *                        the accumulated known-answer test (ML-KEM-768, 100
 *                        iterations) and the FIPS 203 7.2/7.3 input checks.
 *   pqrekey_mlkem_kpp  - the kpp algorithms through crypto_alloc_kpp():
 *                        round trips, the leancrypto call sequence, every
 *                        invalid input and out-of-order call, buffer sizes,
 *                        and concurrent use of one tfm.
 *
 * All data passed through scatterlists is on the heap (stacks may be
 * vmalloc'ed). Per-set cases are parameterized by the parameter set.
 */

#include <crypto/algapi.h>
#include <crypto/internal/kpp.h>
#include <crypto/kpp.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../mlkem/mlkem.h"
#include "../mlkem/keccak.h"

struct kt_set {
	const char *alg;
	const char *driver;
	const struct mlkem_params *p;
	unsigned int max_size;		/* FIPS 203 Table 3: max(ek, ct) */
};

static const struct kt_set kt_sets[] = {
	{ "mlkem512", "mlkem512-generic", &mlkem512_params, 800 },
	{ "mlkem768", "mlkem768-generic", &mlkem768_params, 1184 },
	{ "mlkem1024", "mlkem1024-generic", &mlkem1024_params, 1568 },
};

static void kt_set_desc(const struct kt_set *s, char *desc)
{
	strscpy(desc, s->alg, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_sets, kt_sets, kt_set_desc);

/* Everything a case allocates that must be freed even after an assert. */
#define KT_MAX_TFMS	4

struct kt_ctx {
	struct crypto_kpp *tfm[KT_MAX_TFMS];
	struct kpp_request *req[KT_MAX_TFMS];
	struct mlkem_ws *ws;
};

static int kt_init(struct kunit *test)
{
	struct kt_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->ws = kunit_kzalloc(test, sizeof(*c->ws), GFP_KERNEL);
	if (!c->ws)
		return -ENOMEM;
	test->priv = c;
	return 0;
}

static void kt_exit(struct kunit *test)
{
	struct kt_ctx *c = test->priv;
	int i;

	for (i = 0; i < KT_MAX_TFMS; i++) {
		kpp_request_free(c->req[i]);
		if (c->tfm[i])
			crypto_free_kpp(c->tfm[i]);
	}
}

static const struct kt_set *kt_param(struct kunit *test)
{
	return test->param_value;
}

static u8 *kt_buf(struct kunit *test, size_t len)
{
	u8 *b = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	return b;
}

/* Allocates tfm number @i of this case and its request. */
static struct kpp_request *kt_alloc(struct kunit *test, int i,
				    const char *name)
{
	struct kt_ctx *c = test->priv;
	struct crypto_kpp *tfm;

	tfm = crypto_alloc_kpp(name, 0, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, tfm);
	c->tfm[i] = tfm;
	c->req[i] = kpp_request_alloc(tfm, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->req[i]);
	return c->req[i];
}

enum kt_op { KT_GEN, KT_SS };

/*
 * One kpp operation. @src may be NULL (no input). @dst must be a heap
 * buffer of at least *@dlen bytes; *@dlen is updated from req->dst_len.
 */
static int kt_do(struct kpp_request *req, enum kt_op op, u32 flags,
		 const u8 *src, unsigned int slen, u8 *dst,
		 unsigned int *dlen)
{
	struct scatterlist ssg, dsg;
	DECLARE_CRYPTO_WAIT(wait);
	int ret;

	if (src)
		sg_init_one(&ssg, src, slen);
	sg_init_one(&dsg, dst, *dlen);
	kpp_request_set_input(req, src ? &ssg : NULL, src ? slen : 0);
	kpp_request_set_output(req, &dsg, *dlen);
	kpp_request_set_callback(req, flags, crypto_req_done, &wait);
	if (op == KT_GEN)
		ret = crypto_kpp_generate_public_key(req);
	else
		ret = crypto_kpp_compute_shared_secret(req);
	if (flags & CRYPTO_TFM_REQ_MAY_SLEEP)
		ret = crypto_wait_req(ret, &wait);
	*dlen = req->dst_len;
	return ret;
}

static int kt_gen(struct kpp_request *req, const u8 *src, unsigned int slen,
		  u8 *dst, unsigned int *dlen)
{
	return kt_do(req, KT_GEN, CRYPTO_TFM_REQ_MAY_SLEEP, src, slen, dst,
		     dlen);
}

static int kt_ss(struct kpp_request *req, const u8 *src, unsigned int slen,
		 u8 *dst, unsigned int *dlen)
{
	return kt_do(req, KT_SS, CRYPTO_TFM_REQ_MAY_SLEEP, src, slen, dst,
		     dlen);
}

static struct crypto_kpp *kt_tfm(struct kpp_request *req)
{
	return crypto_kpp_reqtfm(req);
}

/* Fixed deterministic key material from the core, for one set. */
struct kt_keys {
	u8 seed[MLKEM_SEEDBYTES];
	u8 m[MLKEM_SYMBYTES];
	u8 *ek, *dk, *ct;
	u8 k[MLKEM_SSBYTES];
};

static struct kt_keys *kt_keys(struct kunit *test, const struct kt_set *s,
			       u8 fill)
{
	struct kt_ctx *c = test->priv;
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kunit_kzalloc(test, sizeof(*kk), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, kk);
	kk->ek = kt_buf(test, p->ek_len);
	kk->dk = kt_buf(test, p->dk_len);
	kk->ct = kt_buf(test, p->ct_len);
	memset(kk->seed, fill, sizeof(kk->seed));
	memset(kk->m, fill ^ 0x5a, sizeof(kk->m));
	KUNIT_ASSERT_EQ(test, mlkem_keygen_internal(p, kk->ek, kk->dk,
						    kk->seed,
						    kk->seed + MLKEM_SYMBYTES,
						    c->ws), 0);
	KUNIT_ASSERT_EQ(test, mlkem_encaps_internal(p, kk->ct, kk->k, kk->ek,
						    kk->m, c->ws), 0);
	return kk;
}

/* ---- suite pqrekey_mlkem_core ---------------------------------------- */

struct kt_acc {
	struct mlkem_keccak s, o;
	u8 seed[MLKEM_SEEDBYTES];
	u8 m[MLKEM_SYMBYTES];
	u8 ek[MLKEM768_EK_BYTES];
	u8 dk[MLKEM768_DK_BYTES];
	u8 ct[MLKEM768_CT_BYTES];
	u8 ct1[MLKEM768_CT_BYTES];
	u8 k[MLKEM_SSBYTES], kk[MLKEM_SSBYTES], k1[MLKEM_SSBYTES];
	u8 out[32];
};

/*
 * Go's crypto/internal/fips140/mlkem TestAccumulated, 100 iterations: one
 * SHAKE-128 stream of the empty string supplies d || z, m and a random
 * ciphertext per iteration; ek, ct, K and K_reject go into a second
 * SHAKE-128 whose first 32 bytes are compared (/work/shared/README.md).
 */
static void kt_accumulated_768(struct kunit *test)
{
	static const u8 expected[32] = {
		0x11, 0x14, 0xb1, 0xb6, 0x69, 0x9e, 0xd1, 0x91,
		0x73, 0x4f, 0xa3, 0x39, 0x37, 0x6a, 0xfa, 0x7e,
		0x28, 0x5c, 0x9e, 0x6a, 0xcf, 0x6f, 0xf0, 0x17,
		0x7d, 0x34, 0x66, 0x96, 0xce, 0x56, 0x44, 0x15,
	};
	const struct mlkem_params *p = &mlkem768_params;
	struct kt_ctx *c = test->priv;
	struct kt_acc *a = kunit_kzalloc(test, sizeof(*a), GFP_KERNEL);
	int i, ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	mlkem_keccak_init(&a->s, MLKEM_SHAKE128_RATE);
	mlkem_keccak_finalize(&a->s, MLKEM_KECCAK_DS_SHAKE);
	mlkem_keccak_init(&a->o, MLKEM_SHAKE128_RATE);

	for (i = 0; i < 100; i++) {
		mlkem_keccak_squeeze(&a->s, a->seed, sizeof(a->seed));
		ret = mlkem_keygen_internal(p, a->ek, a->dk, a->seed,
					    a->seed + MLKEM_SYMBYTES, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
		mlkem_keccak_absorb(&a->o, a->ek, sizeof(a->ek));

		mlkem_keccak_squeeze(&a->s, a->m, sizeof(a->m));
		ret = mlkem_encaps_internal(p, a->ct, a->k, a->ek, a->m, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
		mlkem_keccak_absorb(&a->o, a->ct, sizeof(a->ct));
		mlkem_keccak_absorb(&a->o, a->k, sizeof(a->k));

		KUNIT_ASSERT_EQ(test, mlkem_decaps(p, a->kk, a->ct, a->dk,
						   c->ws), 0);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(a->k, a->kk, sizeof(a->k)), 0,
				    "decaps mismatch in iteration %d", i);

		mlkem_keccak_squeeze(&a->s, a->ct1, sizeof(a->ct1));
		KUNIT_ASSERT_EQ(test, mlkem_decaps(p, a->k1, a->ct1, a->dk,
						   c->ws), 0);
		mlkem_keccak_absorb(&a->o, a->k1, sizeof(a->k1));
	}
	mlkem_keccak_finalize(&a->o, MLKEM_KECCAK_DS_SHAKE);
	mlkem_keccak_squeeze(&a->o, a->out, sizeof(a->out));
	KUNIT_EXPECT_EQ_MSG(test, memcmp(a->out, expected, sizeof(expected)), 0,
			    "accumulated digest %*phN", 32, a->out);
}

/* FIPS 203 7.2 (ek modulus) and 7.3 (dk hash) checks of the core. */
static void kt_core_checks(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_ctx *c = test->priv;
	struct kt_keys *kk = kt_keys(test, s, 0x11);
	u8 *ct = kt_buf(test, p->ct_len);
	u8 k[MLKEM_SSBYTES];

	KUNIT_EXPECT_EQ(test, mlkem_check_ek(p, kk->ek, c->ws), 0);
	KUNIT_EXPECT_EQ(test, mlkem_check_dk(p, kk->dk), 0);

	/* Last coefficient of the last polynomial := 3329 = q (0xd01). */
	kk->ek[p->k * MLKEM_POLYBYTES - 2] &= 0x0f;
	kk->ek[p->k * MLKEM_POLYBYTES - 2] |= 0x10;
	kk->ek[p->k * MLKEM_POLYBYTES - 1] = 0xd0;
	KUNIT_EXPECT_EQ(test, mlkem_check_ek(p, kk->ek, c->ws), -EINVAL);
	memset(k, 0xaa, sizeof(k));
	KUNIT_EXPECT_EQ(test, mlkem_encaps_internal(p, ct, k, kk->ek, kk->m,
						    c->ws), -EINVAL);

	kk->dk[p->dk_len - 2 * MLKEM_SYMBYTES] ^= 1;	/* H(ek) */
	KUNIT_EXPECT_EQ(test, mlkem_check_dk(p, kk->dk), -EINVAL);
}

static struct kunit_case kt_core_cases[] = {
	KUNIT_CASE(kt_accumulated_768),
	KUNIT_CASE_PARAM(kt_core_checks, kt_sets_gen_params),
	{}
};

static struct kunit_suite kt_core_suite = {
	.name = "pqrekey_mlkem_core",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kt_core_cases,
};

/* ---- suite pqrekey_mlkem_kpp ----------------------------------------- */

/* Alice: keygen, ek out; Bob (no key of his own): encaps; Alice: decaps. */
static void kt_roundtrip(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kpp_request *alice = kt_alloc(test, 0, s->alg);
	struct kpp_request *bob = kt_alloc(test, 1, s->alg);
	u8 *ek = kt_buf(test, p->ek_len), *ct = kt_buf(test, p->ct_len);
	u8 *ssa = kt_buf(test, 32), *ssb = kt_buf(test, 32);
	struct crypto_tfm *base = crypto_kpp_tfm(kt_tfm(alice));
	unsigned int len;

	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_driver_name(base), s->driver);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(alice), NULL, 0), 0);
	len = p->ek_len;
	KUNIT_ASSERT_EQ(test, kt_gen(alice, NULL, 0, ek, &len), 0);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ek_len);

	len = p->ct_len;
	KUNIT_ASSERT_EQ(test, kt_gen(bob, ek, p->ek_len, ct, &len), 0);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ct_len);
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(bob, NULL, 0, ssb, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 32U);

	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(alice, ct, p->ct_len, ssa, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 32U);
	KUNIT_EXPECT_EQ(test, memcmp(ssa, ssb, 32), 0);
	KUNIT_EXPECT_PTR_NE(test, memchr_inv(ssa, 0, 32), NULL);
}

/*
 * The sequence leancrypto documents for its kernel kpp (initiator and
 * responder both call set_secret(NULL, 0) first; 32-byte secrets).
 */
static void kt_leancrypto_sequence(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kpp_request *ini = kt_alloc(test, 0, s->alg);
	struct kpp_request *rsp = kt_alloc(test, 1, s->alg);
	u8 *pk = kt_buf(test, p->ek_len), *ct = kt_buf(test, p->ct_len);
	u8 *ssi = kt_buf(test, 32), *ssr = kt_buf(test, 32);
	unsigned int len;

	/* Initiator 1., responder 1.: new key pairs. */
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(ini), NULL, 0), 0);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(rsp), NULL, 0), 0);
	/* Initiator 2.: req->src = NULL, req->dst = PK. */
	len = p->ek_len;
	KUNIT_ASSERT_EQ(test, kt_gen(ini, NULL, 0, pk, &len), 0);
	/* Responder 2.: req->src = PK, req->dst = CT. */
	len = p->ct_len;
	KUNIT_ASSERT_EQ(test, kt_gen(rsp, pk, p->ek_len, ct, &len), 0);
	/* Responder 4.: req->src = NULL, req->dst = SS. */
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(rsp, NULL, 0, ssr, &len), 0);
	/* Initiator 4.: req->src = CT, req->dst = SS. */
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(ini, ct, p->ct_len, ssi, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ssi, ssr, 32), 0);
}

/* set_secret(seed) and set_secret(dk) against the core. */
static void kt_deterministic(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x42);
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
	struct crypto_kpp *tfm = kt_tfm(req);
	u8 *seed = kt_buf(test, MLKEM_SEEDBYTES), *dk = kt_buf(test, p->dk_len);
	u8 *ek = kt_buf(test, p->ek_len), *ss = kt_buf(test, 32);
	unsigned int len;

	memcpy(seed, kk->seed, MLKEM_SEEDBYTES);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(tfm, seed, MLKEM_SEEDBYTES),
			0);
	len = p->ek_len;
	KUNIT_ASSERT_EQ(test, kt_gen(req, NULL, 0, ek, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ek, kk->ek, p->ek_len), 0);
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(req, kk->ct, p->ct_len, ss, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, kk->k, 32), 0);

	/* A different key first, then the imported dk. */
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(tfm, NULL, 0), 0);
	memcpy(dk, kk->dk, p->dk_len);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(tfm, dk, p->dk_len), 0);
	memset(ek, 0, p->ek_len);
	len = p->ek_len;
	KUNIT_ASSERT_EQ(test, kt_gen(req, NULL, 0, ek, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ek, kk->ek, p->ek_len), 0);
	memset(ss, 0, 32);
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(req, kk->ct, p->ct_len, ss, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, kk->k, 32), 0);
}

/* A modified ciphertext decapsulates to the implicit-rejection secret. */
static void kt_implicit_reject(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_ctx *c = test->priv;
	struct kt_keys *kk = kt_keys(test, s, 0x43);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	u8 *ss = kt_buf(test, 32), *kr = kt_buf(test, 32);
	unsigned int len = 32;

	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	kk->ct[7] ^= 0x80;
	KUNIT_ASSERT_EQ(test, mlkem_decaps(p, kr, kk->ct, kk->dk, c->ws), 0);
	KUNIT_ASSERT_EQ(test, kt_ss(req, kk->ct, p->ct_len, ss, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, kr, 32), 0);
	KUNIT_EXPECT_NE(test, memcmp(ss, kk->k, 32), 0);
}

static void kt_set_secret_invalid(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	const unsigned int bad[] = {
		1, MLKEM_SYMBYTES, MLKEM_SEEDBYTES - 1, MLKEM_SEEDBYTES + 1,
		p->ek_len, p->dk_len - 1, p->dk_len + 1,
	};
	struct kt_keys *kk = kt_keys(test, s, 0x44);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	struct crypto_kpp *tfm = kt_tfm(req);
	u8 *buf = kt_buf(test, p->dk_len + 1), *ek = kt_buf(test, p->ek_len);
	unsigned int len;
	int i;

	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(tfm, kk->seed,
						    MLKEM_SEEDBYTES), 0);
	memcpy(buf, kk->dk, p->dk_len);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, crypto_kpp_set_secret(tfm, buf, bad[i]),
				    -EINVAL, "set_secret length %u", bad[i]);

	/* dk with a wrong H(ek), and dk whose ek part does not match H(ek) */
	buf[p->dk_len - 2 * MLKEM_SYMBYTES] ^= 0x01;
	KUNIT_EXPECT_EQ(test, crypto_kpp_set_secret(tfm, buf, p->dk_len),
			-EINVAL);
	buf[p->dk_len - 2 * MLKEM_SYMBYTES] ^= 0x01;
	buf[p->k * MLKEM_POLYBYTES + 5] ^= 0x01;
	KUNIT_EXPECT_EQ(test, crypto_kpp_set_secret(tfm, buf, p->dk_len),
			-EINVAL);

	/* Failed calls left the key unchanged. */
	len = p->ek_len;
	KUNIT_ASSERT_EQ(test, kt_gen(req, NULL, 0, ek, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ek, kk->ek, p->ek_len), 0);
}

static void kt_ek_invalid(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x45);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	u8 *ek = kt_buf(test, p->ek_len + 1), *ct = kt_buf(test, p->ct_len);
	u8 *ss = kt_buf(test, 32);
	const unsigned int bad[] = { 1, p->ek_len - 1, p->ek_len + 1,
				     p->ct_len };
	unsigned int len;
	int i;

	memcpy(ek, kk->ek, p->ek_len);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i] == p->ek_len)
			continue;	/* ML-KEM-1024: ek and ct are equal */
		len = p->ct_len;
		KUNIT_EXPECT_EQ_MSG(test, kt_gen(req, ek, bad[i], ct, &len),
				    -EINVAL, "ek length %u", bad[i]);
	}

	/* Coefficient 0 := 3329 fails the modulus check (FIPS 203 7.2). */
	ek[0] = 3329 & 0xff;
	ek[1] = (ek[1] & 0xf0) | (3329 >> 8);
	len = p->ct_len;
	KUNIT_EXPECT_EQ(test, kt_gen(req, ek, p->ek_len, ct, &len), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ct, 0, p->ct_len), NULL);
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss, &len), -EOPNOTSUPP);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ss, 0, 32), NULL);
}

static void kt_ct_invalid(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x46);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	u8 *ct = kt_buf(test, MLKEM_MAX_EK_BYTES + 1), *ss = kt_buf(test, 32);
	const unsigned int bad[] = { 1, p->ct_len - 1, p->ct_len + 1,
				     p->ek_len };
	unsigned int len;
	int i;

	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	memcpy(ct, kk->ct, p->ct_len);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i] == p->ct_len)
			continue;	/* ML-KEM-1024: ek and ct are equal */
		len = 32;
		KUNIT_EXPECT_EQ_MSG(test, kt_ss(req, ct, bad[i], ss, &len),
				    -EINVAL, "ct length %u", bad[i]);
	}
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ss, 0, 32), NULL);
}

static void kt_out_of_order(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x47);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	u8 *ek = kt_buf(test, p->ek_len), *ct = kt_buf(test, p->ct_len);
	u8 *ss = kt_buf(test, 32), *ss2 = kt_buf(test, 32);
	unsigned int len;

	/* Fresh tfm: nothing to hand out, no key to use or export. */
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss, &len), -EOPNOTSUPP);
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, kk->ct, p->ct_len, ss, &len), -EINVAL);
	len = p->ek_len;
	KUNIT_EXPECT_EQ(test, kt_gen(req, NULL, 0, ek, &len), -EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ss, 0, 32), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ek, 0, p->ek_len), NULL);

	/* After an encapsulation the secret is handed out exactly once. */
	len = p->ct_len;
	KUNIT_ASSERT_EQ(test, kt_gen(req, kk->ek, p->ek_len, ct, &len), 0);
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(req, NULL, 0, ss, &len), 0);
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss2, &len), -EOPNOTSUPP);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ss2, 0, 32), NULL);

	/* ... and matches what the peer decapsulates. */
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	len = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(req, ct, p->ct_len, ss2, &len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, ss2, 32), 0);

	/* set_secret starts a new exchange: a pending secret is dropped. */
	len = p->ct_len;
	KUNIT_ASSERT_EQ(test, kt_gen(req, kk->ek, p->ek_len, ct, &len), 0);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), NULL, 0), 0);
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss, &len), -EOPNOTSUPP);
}

static void kt_max_size(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	unsigned int max = crypto_kpp_maxsize(kt_tfm(req));

	KUNIT_EXPECT_EQ(test, max, s->max_size);
	KUNIT_EXPECT_GE(test, max, (unsigned int)p->ek_len);
	KUNIT_EXPECT_GE(test, max, (unsigned int)p->ct_len);
}

static void kt_buffer_sizes(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x48);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	unsigned int max = crypto_kpp_maxsize(kt_tfm(req));
	u8 *out = kt_buf(test, max), *ss = kt_buf(test, 32);
	unsigned int len;

	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	/* Too small: -EOVERFLOW, dst_len says what is needed. */
	len = p->ek_len - 1;
	KUNIT_EXPECT_EQ(test, kt_gen(req, NULL, 0, out, &len), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ek_len);
	len = p->ct_len - 1;
	KUNIT_EXPECT_EQ(test, kt_gen(req, kk->ek, p->ek_len, out, &len),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ct_len);
	len = 31;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss, &len), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, len, 32U);
	len = 0;
	KUNIT_EXPECT_EQ(test, kt_ss(req, kk->ct, p->ct_len, ss, &len),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, len, 32U);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(out, 0, max), NULL);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(ss, 0, 32), NULL);
	/* The refused encapsulation left no secret behind. */
	len = 32;
	KUNIT_EXPECT_EQ(test, kt_ss(req, NULL, 0, ss, &len), -EOPNOTSUPP);

	/* max_size bytes are always enough; dst_len becomes the real size. */
	len = max;
	KUNIT_EXPECT_EQ(test, kt_gen(req, NULL, 0, out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ek_len);
	KUNIT_EXPECT_EQ(test, memcmp(out, kk->ek, p->ek_len), 0);
	len = max;
	KUNIT_EXPECT_EQ(test, kt_ss(req, kk->ct, p->ct_len, out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 32U);
	KUNIT_EXPECT_EQ(test, memcmp(out, kk->k, 32), 0);
	len = max;
	KUNIT_EXPECT_EQ(test, kt_gen(req, kk->ek, p->ek_len, out, &len), 0);
	KUNIT_EXPECT_EQ(test, len, (unsigned int)p->ct_len);
}

/* A request without CRYPTO_TFM_REQ_MAY_SLEEP from softirq-off context. */
static void kt_atomic_context(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk = kt_keys(test, s, 0x49);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	u8 *ss = kt_buf(test, 32);
	unsigned int len = 32;
	int ret;

	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	local_bh_disable();
	ret = kt_do(req, KT_SS, 0, kk->ct, p->ct_len, ss, &len);
	local_bh_enable();
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, kk->k, 32), 0);
}

#define KT_WORKERS	4
#define KT_ROUNDS	6

struct kt_worker {
	struct work_struct work;
	const struct kt_set *s;
	struct crypto_kpp *tfm;
	const struct kt_keys *kk;
	int id;
	int errors;		/* wrong results */
	int last_error;
};

static void kt_worker_fn(struct work_struct *work)
{
	struct kt_worker *w = container_of(work, struct kt_worker, work);
	const struct mlkem_params *p = w->s->p;
	struct kpp_request *req;
	u8 *ek, *ct, *ss;
	unsigned int len;
	int i, ret;

	req = kpp_request_alloc(w->tfm, GFP_KERNEL);
	ek = kzalloc(p->ek_len, GFP_KERNEL);
	ct = kzalloc(p->ct_len, GFP_KERNEL);
	ss = kzalloc(32, GFP_KERNEL);
	if (!req || !ek || !ct || !ss) {
		w->errors++;
		w->last_error = -ENOMEM;
		goto out;
	}

	for (i = 0; i < KT_ROUNDS; i++) {
		/* The key never changes: results are fully determined. */
		len = p->ek_len;
		ret = kt_gen(req, NULL, 0, ek, &len);
		if (ret || memcmp(ek, w->kk->ek, p->ek_len)) {
			w->errors++;
			w->last_error = ret ?: -EBADMSG;
		}
		len = 32;
		ret = kt_ss(req, w->kk->ct, p->ct_len, ss, &len);
		if (ret || memcmp(ss, w->kk->k, 32)) {
			w->errors++;
			w->last_error = ret ?: -EBADMSG;
		}
		/* Pending secrets race by design: 0 or -EOPNOTSUPP. */
		len = p->ct_len;
		ret = kt_gen(req, w->kk->ek, p->ek_len, ct, &len);
		if (ret) {
			w->errors++;
			w->last_error = ret;
		}
		len = 32;
		ret = kt_ss(req, NULL, 0, ss, &len);
		if (ret && ret != -EOPNOTSUPP) {
			w->errors++;
			w->last_error = ret;
		}
		/* Re-setting the same key wipes pending secrets only. */
		if (w->id == 0) {
			ret = crypto_kpp_set_secret(w->tfm, w->kk->seed,
						    MLKEM_SEEDBYTES);
			if (ret) {
				w->errors++;
				w->last_error = ret;
			}
		}
	}
out:
	kfree_sensitive(ss);
	kfree(ct);
	kfree(ek);
	kpp_request_free(req);
}

static void kt_concurrent(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	struct kt_keys *kk = kt_keys(test, s, 0x4a);
	struct kpp_request *req = kt_alloc(test, 0, s->alg);
	struct workqueue_struct *wq;
	struct kt_worker *w;
	int i;

	w = kunit_kcalloc(test, KT_WORKERS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, w);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	wq = alloc_workqueue("pqrekey_kunit", WQ_UNBOUND, KT_WORKERS);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, wq);

	for (i = 0; i < KT_WORKERS; i++) {
		w[i].s = s;
		w[i].tfm = kt_tfm(req);
		w[i].kk = kk;
		w[i].id = i;
		INIT_WORK(&w[i].work, kt_worker_fn);
		queue_work(wq, &w[i].work);
	}
	flush_workqueue(wq);
	destroy_workqueue(wq);

	for (i = 0; i < KT_WORKERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, w[i].errors, 0,
				    "worker %d: last error %d", i,
				    w[i].last_error);
}

static struct kunit_case kt_kpp_cases[] = {
	KUNIT_CASE_PARAM(kt_roundtrip, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_leancrypto_sequence, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_deterministic, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_implicit_reject, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_set_secret_invalid, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_ek_invalid, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_ct_invalid, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_out_of_order, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_max_size, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_buffer_sizes, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_atomic_context, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_concurrent, kt_sets_gen_params),
	{}
};

static struct kunit_suite kt_kpp_suite = {
	.name = "pqrekey_mlkem_kpp",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kt_kpp_cases,
};

kunit_test_suites(&kt_core_suite, &kt_kpp_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for pqrekey (ML-KEM kpp)");
MODULE_AUTHOR("The pqrekey authors");
