// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suites for pqrekey.ko (built as pqrekey_kunit.ko):
 *
 *   pqrekey_mlkem_core - the core through its exported functions, on every
 *                        backend: the accumulated known-answer test
 *                        (ML-KEM-768, 100 iterations), the FIPS 203 7.2/7.3
 *                        input checks, and a differential test (the same
 *                        inputs through the portable and the vectorized
 *                        backend give identical ek, dk, ct and secrets,
 *                        implicit rejection included).
 *   pqrekey_mlkem_kpp  - the kpp algorithms through crypto_alloc_kpp() of
 *                        every driver: round trips, the leancrypto call
 *                        sequence, every invalid input and out-of-order call,
 *                        buffer sizes, concurrent use of one tfm, and the
 *                        -generic driver against every vector driver.
 *
 * All data passed through scatterlists is on the heap (stacks may be
 * vmalloc'ed). Per-set cases are parameterized by driver (parameter set and
 * backend); a backend the CPU lacks, or that force_generic=1 disabled, is
 * skipped. Reference values come from the portable core. A vectorized
 * backend runs only inside pqrekey_backend_begin()/pqrekey_backend_end(),
 * and no assertion is made inside such a section.
 */

#include <crypto/algapi.h>
#include <crypto/internal/kpp.h>
#include <crypto/internal/simd.h>
#include <crypto/kpp.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bottom_half.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../pqrekey.h"
#include "../mlkem/mlkem.h"
#include "../mlkem/keccak.h"

struct kt_set {
	const char *alg;
	const char *driver;
	const struct mlkem_params *p;
	unsigned int max_size;		/* FIPS 203 Table 3: max(ek, ct) */
	const struct mlkem_impl *impl;
};

#define KT_SET(bits, backend, max)					\
	{ "mlkem" #bits, "mlkem" #bits "-" #backend, &mlkem##bits##_params, \
	  max, &mlkem_impl_##backend }

static const struct kt_set kt_sets[] = {
	KT_SET(512, generic, 800),
	KT_SET(768, generic, 1184),
	KT_SET(1024, generic, 1568),
#ifdef CONFIG_X86_64
	KT_SET(512, avx2, 800),
	KT_SET(768, avx2, 1184),
	KT_SET(1024, avx2, 1568),
	KT_SET(512, avx512, 800),
	KT_SET(768, avx512, 1184),
	KT_SET(1024, avx512, 1568),
#endif
};

static void kt_set_desc(const struct kt_set *s, char *desc)
{
	strscpy(desc, s->driver, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_sets, kt_sets, kt_set_desc);

/* The driver name of parameter set @p on backend @impl, or NULL. */
static const char *kt_driver(const struct mlkem_params *p,
			     const struct mlkem_impl *impl)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(kt_sets); i++)
		if (kt_sets[i].p == p && kt_sets[i].impl == impl)
			return kt_sets[i].driver;
	return NULL;
}

/* The vectorized drivers only, for the differential cases. */
static const struct kt_set *const kt_vec_sets[] = {
#ifdef CONFIG_X86_64
	&kt_sets[3], &kt_sets[4], &kt_sets[5],
	&kt_sets[6], &kt_sets[7], &kt_sets[8],
#endif
};

static void kt_vec_set_desc(const struct kt_set *const *s, char *desc)
{
	strscpy(desc, (*s)->driver, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_vec_sets, kt_vec_sets, kt_vec_set_desc);

static const struct mlkem_impl *const kt_impls[] = {
	&mlkem_impl_generic,
#ifdef CONFIG_X86_64
	&mlkem_impl_avx2,
	&mlkem_impl_avx512,
#endif
};

static void kt_impl_desc(const struct mlkem_impl *const *impl, char *desc)
{
	strscpy(desc, mlkem_impl_name(*impl), KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kt_impls, kt_impls, kt_impl_desc);

/*
 * kunit_skip() that also logs "# <case>: SKIP: <what>: <why>": 6.1's KUnit
 * does not print the SKIP directive on the result line of a parameter, so
 * selftests/kunit.sh recognizes skipped parameters by this line.
 */
static void kt_skip(struct kunit *test, const char *what, const char *why)
{
	kunit_info(test, "SKIP: %s: %s", what, why);
	kunit_skip(test, "%s: %s", what, why);
}

/* Skips the case unless @impl is in use by this load of pqrekey. */
static void kt_need_impl(struct kunit *test, const struct mlkem_impl *impl)
{
	if (impl == &mlkem_impl_generic)
		return;
	if (!mlkem_impl_usable(impl))
		kt_skip(test, mlkem_impl_name(impl), "CPU or kernel lacks it");
	if (!pqrekey_backend_in_use(impl))
		kt_skip(test, mlkem_impl_name(impl),
			"not in use (force_generic=1?)");
}

/*
 * The core's entry points in one FPU section each on backend @impl.
 * -EBUSY: the backend could not run here (SIMD not usable).
 */
static int kt_core_keygen(const struct mlkem_impl *impl,
			  const struct mlkem_params *p, u8 *ek, u8 *dk,
			  const u8 *seed, struct mlkem_ws *ws)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(ws, impl);
	int ret = -EBUSY;

	if (used == impl)
		ret = mlkem_keygen_internal(p, ek, dk, seed,
					    seed + MLKEM_SYMBYTES, ws);
	pqrekey_backend_end(used);
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	return ret;
}

static int kt_core_encaps(const struct mlkem_impl *impl,
			  const struct mlkem_params *p, u8 *ct, u8 *k,
			  const u8 *ek, const u8 *m, struct mlkem_ws *ws)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(ws, impl);
	int ret = -EBUSY;

	if (used == impl)
		ret = mlkem_encaps_internal(p, ct, k, ek, m, ws);
	pqrekey_backend_end(used);
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	return ret;
}

/* Decaps with the 7.3 key check if @check_dk, else Decaps_internal. */
static int kt_core_decaps(const struct mlkem_impl *impl,
			  const struct mlkem_params *p, u8 *k, const u8 *ct,
			  const u8 *dk, bool check_dk, struct mlkem_ws *ws)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(ws, impl);
	int ret = -EBUSY;

	if (used == impl)
		ret = check_dk ? mlkem_decaps(p, k, ct, dk, ws) :
				 mlkem_decaps_internal(p, k, ct, dk, ws);
	pqrekey_backend_end(used);
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	return ret;
}

static int kt_core_check_ek(const struct mlkem_impl *impl,
			    const struct mlkem_params *p, const u8 *ek,
			    struct mlkem_ws *ws)
{
	const struct mlkem_impl *used = pqrekey_backend_begin(ws, impl);
	int ret = -EBUSY;

	if (used == impl)
		ret = mlkem_check_ek(p, ek, ws);
	pqrekey_backend_end(used);
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	return ret;
}

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
	/* Direct core calls outside kt_core_*() use the portable code. */
	mlkem_ws_set_impl(c->ws, &mlkem_impl_generic);
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

/* The case's driver; skips the case if its backend is not in use. */
static const struct kt_set *kt_param(struct kunit *test)
{
	const struct kt_set *s = test->param_value;

	kt_need_impl(test, s->impl);
	return s;
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
	u8 *rej;			/* ct with one bit flipped */
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
	kk->rej = kt_buf(test, p->ct_len);
	memcpy(kk->rej, kk->ct, p->ct_len);
	kk->rej[fill % p->ct_len] ^= 0x10;
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
	const struct mlkem_impl *impl =
		*(const struct mlkem_impl *const *)test->param_value;
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

	kt_need_impl(test, impl);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	mlkem_keccak_init(&a->s, MLKEM_SHAKE128_RATE);
	mlkem_keccak_finalize(&a->s, MLKEM_KECCAK_DS_SHAKE);
	mlkem_keccak_init(&a->o, MLKEM_SHAKE128_RATE);

	for (i = 0; i < 100; i++) {
		mlkem_keccak_squeeze(&a->s, a->seed, sizeof(a->seed));
		ret = kt_core_keygen(impl, p, a->ek, a->dk, a->seed, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
		mlkem_keccak_absorb(&a->o, a->ek, sizeof(a->ek));

		mlkem_keccak_squeeze(&a->s, a->m, sizeof(a->m));
		ret = kt_core_encaps(impl, p, a->ct, a->k, a->ek, a->m, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
		mlkem_keccak_absorb(&a->o, a->ct, sizeof(a->ct));
		mlkem_keccak_absorb(&a->o, a->k, sizeof(a->k));

		ret = kt_core_decaps(impl, p, a->kk, a->ct, a->dk, true, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(a->k, a->kk, sizeof(a->k)), 0,
				    "decaps mismatch in iteration %d", i);

		mlkem_keccak_squeeze(&a->s, a->ct1, sizeof(a->ct1));
		ret = kt_core_decaps(impl, p, a->k1, a->ct1, a->dk, true, c->ws);
		KUNIT_ASSERT_EQ(test, ret, 0);
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

	KUNIT_EXPECT_EQ(test, kt_core_check_ek(s->impl, p, kk->ek, c->ws), 0);
	KUNIT_EXPECT_EQ(test, mlkem_check_dk(p, kk->dk), 0);

	/* Last coefficient of the last polynomial := 3329 = q (0xd01). */
	kk->ek[p->k * MLKEM_POLYBYTES - 2] &= 0x0f;
	kk->ek[p->k * MLKEM_POLYBYTES - 2] |= 0x10;
	kk->ek[p->k * MLKEM_POLYBYTES - 1] = 0xd0;
	KUNIT_EXPECT_EQ(test, kt_core_check_ek(s->impl, p, kk->ek, c->ws),
			-EINVAL);
	memset(k, 0xaa, sizeof(k));
	KUNIT_EXPECT_EQ(test, kt_core_encaps(s->impl, p, ct, k, kk->ek, kk->m,
					     c->ws), -EINVAL);
	/* Nothing was written to K. */
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(k, 0xaa, sizeof(k)), NULL);

	kk->dk[p->dk_len - 2 * MLKEM_SYMBYTES] ^= 1;	/* H(ek) */
	KUNIT_EXPECT_EQ(test, mlkem_check_dk(p, kk->dk), -EINVAL);
}

struct kt_diff {
	struct mlkem_keccak s;
	u8 seed[MLKEM_SEEDBYTES];
	u8 m[MLKEM_SYMBYTES];
	u8 rnd[MLKEM_MAX_CT_BYTES];	/* a random "ciphertext" */
	u8 ek[2][MLKEM_MAX_EK_BYTES];
	u8 dk[2][MLKEM_MAX_DK_BYTES];
	u8 ct[2][MLKEM_MAX_CT_BYTES];
	u8 k[2][MLKEM_SSBYTES];		/* Encaps */
	u8 kd[2][MLKEM_SSBYTES];	/* Decaps of ct */
	u8 kr[2][MLKEM_SSBYTES];	/* Decaps of ct with one bit flipped */
	u8 kx[2][MLKEM_SSBYTES];	/* Decaps of rnd */
	int ret[2];
};

#define KT_DIFF_ITERS	40

/*
 * The portable backend [0] and the case's vectorized backend [1] on the
 * same inputs, from a SHAKE-128 stream: identical ek, dk, ct, K, the
 * implicit-rejection secrets of a modified and of a random ciphertext, and
 * the same refusal of an ek failing the 7.2 modulus check.
 */
static void kt_differential(struct kunit *test)
{
	const struct kt_set *s = *(const struct kt_set *const *)test->param_value;
	const struct mlkem_params *p = s->p;
	const struct mlkem_impl *impl[2] = { &mlkem_impl_generic, s->impl };
	struct kt_ctx *c = test->priv;
	struct kt_diff *d;
	int i, j, bit;

	kt_need_impl(test, s->impl);
	d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, d);
	mlkem_keccak_init(&d->s, MLKEM_SHAKE128_RATE);
	mlkem_keccak_absorb(&d->s, (const u8 *)s->driver, strlen(s->driver));
	mlkem_keccak_finalize(&d->s, MLKEM_KECCAK_DS_SHAKE);

	for (i = 0; i < KT_DIFF_ITERS; i++) {
		mlkem_keccak_squeeze(&d->s, d->seed, sizeof(d->seed));
		mlkem_keccak_squeeze(&d->s, d->m, sizeof(d->m));
		mlkem_keccak_squeeze(&d->s, d->rnd, p->ct_len);
		bit = (i * 131) % (p->ct_len * 8);

		for (j = 0; j < 2; j++) {
			d->ret[j] = kt_core_keygen(impl[j], p, d->ek[j], d->dk[j],
						   d->seed, c->ws);
			d->ret[j] |= kt_core_encaps(impl[j], p, d->ct[j],
						    d->k[j], d->ek[j], d->m,
						    c->ws);
			d->ret[j] |= kt_core_decaps(impl[j], p, d->kd[j],
						    d->ct[j], d->dk[j], true,
						    c->ws);
			d->ct[j][bit / 8] ^= 1 << (bit % 8);
			d->ret[j] |= kt_core_decaps(impl[j], p, d->kr[j],
						    d->ct[j], d->dk[j], false,
						    c->ws);
			d->ct[j][bit / 8] ^= 1 << (bit % 8);
			d->ret[j] |= kt_core_decaps(impl[j], p, d->kx[j],
						    d->rnd, d->dk[j], false,
						    c->ws);
		}
		KUNIT_ASSERT_EQ_MSG(test, d->ret[0], 0, "generic, iteration %d",
				    i);
		KUNIT_ASSERT_EQ_MSG(test, d->ret[1], 0, "%s, iteration %d",
				    s->driver, i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->ek[0], d->ek[1], p->ek_len),
				    0, "ek differs, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->dk[0], d->dk[1], p->dk_len),
				    0, "dk differs, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->ct[0], d->ct[1], p->ct_len),
				    0, "ct differs, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->k[0], d->k[1], 32), 0,
				    "K differs, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->kd[0], d->k[0], 32), 0,
				    "generic decaps != encaps, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->kd[1], d->k[1], 32), 0,
				    "%s decaps != encaps, iteration %d",
				    s->driver, i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->kr[0], d->kr[1], 32), 0,
				    "K_reject (bit %d) differs, iteration %d",
				    bit, i);
		KUNIT_ASSERT_NE_MSG(test, memcmp(d->kr[0], d->k[0], 32), 0,
				    "no rejection, iteration %d", i);
		KUNIT_ASSERT_EQ_MSG(test, memcmp(d->kx[0], d->kx[1], 32), 0,
				    "K_reject (random ct) differs, iteration %d",
				    i);
	}

	/* 7.2: the last coefficient := q; both refuse, writing no secret. */
	d->ek[0][p->k * MLKEM_POLYBYTES - 2] &= 0x0f;
	d->ek[0][p->k * MLKEM_POLYBYTES - 2] |= 0x10;
	d->ek[0][p->k * MLKEM_POLYBYTES - 1] = 0xd0;
	for (j = 0; j < 2; j++) {
		memset(d->k[j], 0xaa, 32);
		KUNIT_EXPECT_EQ(test, kt_core_check_ek(impl[j], p, d->ek[0],
						       c->ws), -EINVAL);
		KUNIT_EXPECT_EQ(test, kt_core_encaps(impl[j], p, d->ct[j],
						     d->k[j], d->ek[0], d->m,
						     c->ws), -EINVAL);
		KUNIT_EXPECT_PTR_EQ(test, memchr_inv(d->k[j], 0xaa, 32), NULL);
	}
}

static struct kunit_case kt_core_cases[] = {
	KUNIT_CASE_PARAM(kt_accumulated_768, kt_impls_gen_params),
	KUNIT_CASE_PARAM(kt_core_checks, kt_sets_gen_params),
	KUNIT_CASE_PARAM(kt_differential, kt_vec_sets_gen_params),
	{}
};

static struct kunit_suite kt_core_suite = {
	.name = "pqrekey_mlkem_core",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kt_core_cases,
};

/* ---- suite pqrekey_mlkem_kpp ----------------------------------------- */

/*
 * Alice (the case's driver): keygen, ek out; Bob (by algorithm name, so the
 * best driver in use, possibly another backend): encaps; Alice: decaps.
 */
static void kt_roundtrip(struct kunit *test)
{
	const struct kt_set *s = kt_param(test);
	const struct mlkem_params *p = s->p;
	struct kpp_request *alice = kt_alloc(test, 0, s->driver);
	struct kpp_request *bob = kt_alloc(test, 1, s->alg);
	u8 *ek = kt_buf(test, p->ek_len), *ct = kt_buf(test, p->ct_len);
	u8 *ssa = kt_buf(test, 32), *ssb = kt_buf(test, 32);
	struct crypto_tfm *base = crypto_kpp_tfm(kt_tfm(alice));
	const char *best = kt_driver(p, pqrekey_backend_best());
	unsigned int len;

	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_driver_name(base), s->driver);
	/* The name resolves to the driver of the best backend in use. */
	KUNIT_ASSERT_NOT_NULL(test, best);
	base = crypto_kpp_tfm(kt_tfm(bob));
	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_driver_name(base), best);
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
	struct kpp_request *ini = kt_alloc(test, 0, s->driver);
	struct kpp_request *rsp = kt_alloc(test, 1, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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
	struct kpp_request *req = kt_alloc(test, 0, s->driver);
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

/*
 * The -generic driver and the case's vectorized driver against each other:
 * the same seed gives the same ek; a ciphertext from one decapsulates to
 * the same secret with the other, and a modified ciphertext to the same
 * implicit-rejection secret with both.
 */
static void kt_kpp_differential(struct kunit *test)
{
	const struct kt_set *s = *(const struct kt_set *const *)test->param_value;
	const struct mlkem_params *p = s->p;
	struct kt_keys *kk;
	struct kpp_request *req[2];
	u8 *ek[2], *ct[2], *ss[2], *kr[2];
	unsigned int len;
	int j;

	kt_need_impl(test, s->impl);
	kk = kt_keys(test, s, 0x4b);
	req[0] = kt_alloc(test, 0, kt_driver(p, &mlkem_impl_generic));
	req[1] = kt_alloc(test, 1, s->driver);
	for (j = 0; j < 2; j++) {
		ek[j] = kt_buf(test, p->ek_len);
		ct[j] = kt_buf(test, p->ct_len);
		ss[j] = kt_buf(test, 32);
		kr[j] = kt_buf(test, 32);
		KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req[j]),
							    kk->seed,
							    MLKEM_SEEDBYTES),
				0);
		len = p->ek_len;
		KUNIT_ASSERT_EQ(test, kt_gen(req[j], NULL, 0, ek[j], &len), 0);
	}
	KUNIT_EXPECT_EQ(test, memcmp(ek[0], ek[1], p->ek_len), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ek[0], kk->ek, p->ek_len), 0);

	/* j encapsulates to the key, 1 - j decapsulates. */
	for (j = 0; j < 2; j++) {
		len = p->ct_len;
		KUNIT_ASSERT_EQ(test, kt_gen(req[j], kk->ek, p->ek_len, ct[j],
					     &len), 0);
		len = 32;
		KUNIT_ASSERT_EQ(test, kt_ss(req[j], NULL, 0, ss[j], &len), 0);
		len = 32;
		KUNIT_ASSERT_EQ(test, kt_ss(req[1 - j], ct[j], p->ct_len, kr[j],
					    &len), 0);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(ss[j], kr[j], 32), 0,
				    "encaps by %d, decaps by %d", j, 1 - j);
	}

	kk->ct[p->ct_len / 2] ^= 0x04;
	for (j = 0; j < 2; j++) {
		len = 32;
		KUNIT_ASSERT_EQ(test, kt_ss(req[j], kk->ct, p->ct_len, kr[j],
					    &len), 0);
	}
	KUNIT_EXPECT_EQ(test, memcmp(kr[0], kr[1], 32), 0);
	KUNIT_EXPECT_NE(test, memcmp(kr[0], kk->k, 32), 0);
}

/*
 * A vectorized driver where SIMD is not usable (crypto_simd_usable() false,
 * as in a hard interrupt; simulated with the crypto self-test switch, so
 * only with CONFIG_CRYPTO_MANAGER_EXTRA_TESTS): the portable fallback
 * gives the same results, rejection included, without sleeping.
 */
#ifdef CONFIG_CRYPTO_MANAGER_EXTRA_TESTS
/* Makes crypto_simd_usable() false on this CPU; preemption disabled. */
static void kt_simd_disable(bool off)
{
	__this_cpu_write(crypto_simd_disabled_for_test, off);
}
#else
static void kt_simd_disable(bool off)
{
}
#endif

static void kt_simd_fallback(struct kunit *test)
{
	const struct kt_set *s = *(const struct kt_set *const *)test->param_value;
	const struct mlkem_params *p = s->p;
	struct kt_ctx *c = test->priv;
	struct kt_keys *kk;
	struct kpp_request *req;
	u8 *ct, *ss, *ss2, *kr, *ss3;
	unsigned int len[4];
	int ret[4];

	kt_need_impl(test, s->impl);
	if (!IS_ENABLED(CONFIG_CRYPTO_MANAGER_EXTRA_TESTS))
		kt_skip(test, "SIMD switch",
			"needs CONFIG_CRYPTO_MANAGER_EXTRA_TESTS");
	kk = kt_keys(test, s, 0x4c);
	req = kt_alloc(test, 0, s->driver);
	ct = kt_buf(test, p->ct_len);
	ss = kt_buf(test, 32);
	ss2 = kt_buf(test, 32);
	ss3 = kt_buf(test, 32);
	kr = kt_buf(test, 32);
	KUNIT_ASSERT_EQ(test, crypto_kpp_set_secret(kt_tfm(req), kk->seed,
						    MLKEM_SEEDBYTES), 0);
	KUNIT_ASSERT_EQ(test, mlkem_decaps(p, kr, kk->rej, kk->dk, c->ws), 0);

	len[0] = 32;
	len[1] = 32;
	len[2] = p->ct_len;
	len[3] = 32;
	preempt_disable();
	kt_simd_disable(true);
	ret[0] = kt_do(req, KT_SS, 0, kk->ct, p->ct_len, ss, &len[0]);
	ret[1] = kt_do(req, KT_SS, 0, kk->rej, p->ct_len, ss2, &len[1]);
	ret[2] = kt_do(req, KT_GEN, 0, kk->ek, p->ek_len, ct, &len[2]);
	ret[3] = kt_do(req, KT_SS, 0, NULL, 0, ss3, &len[3]);
	kt_simd_disable(false);
	preempt_enable();

	KUNIT_ASSERT_EQ(test, ret[0], 0);
	KUNIT_ASSERT_EQ(test, ret[1], 0);
	KUNIT_ASSERT_EQ(test, ret[2], 0);
	KUNIT_ASSERT_EQ(test, ret[3], 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, kk->k, 32), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss2, kr, 32), 0);
	KUNIT_EXPECT_NE(test, memcmp(ss2, kk->k, 32), 0);
	/* The fallback's ciphertext decapsulates (now with SIMD) to its K. */
	len[0] = 32;
	KUNIT_ASSERT_EQ(test, kt_ss(req, ct, p->ct_len, ss, &len[0]), 0);
	KUNIT_EXPECT_EQ(test, memcmp(ss, ss3, 32), 0);
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
	KUNIT_CASE_PARAM(kt_kpp_differential, kt_vec_sets_gen_params),
	KUNIT_CASE_PARAM(kt_simd_fallback, kt_vec_sets_gen_params),
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
/* pqrekey's exports for the tests (kernel/exports.c); Kbuild sets PQREKEY_NS */
MODULE_IMPORT_NS(PQREKEY_NS);
MODULE_DESCRIPTION("KUnit tests for pqrekey (ML-KEM kpp)");
MODULE_AUTHOR("The pqrekey authors");
