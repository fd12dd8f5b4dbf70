// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM-512/768/1024 as kernel crypto API kpp algorithms ("mlkem512",
 * "mlkem768", "mlkem1024"). Each name has a driver per backend:
 * "mlkem*-generic" (portable code, priority 100, always registered) and,
 * on x86-64 unless force_generic=1, "mlkem*-avx2" (priority 200) on CPUs
 * with AVX2 and "mlkem*-avx512" (priority 300) on CPUs with AVX-512. The
 * call semantics, compatible with leancrypto's kernel ML-KEM kpp, are
 * documented in Documentation/kpp-mlkem.rst.
 *
 * FPU: each core call runs between pqrekey_backend_begin() and
 * pqrekey_backend_end() (one kernel_fpu_begin()/kernel_fpu_end() section
 * per ML-KEM operation for the vector drivers, portable code when SIMD is not
 * usable in the caller's context). Allocations, randomness and
 * scatterlist copies stay outside the section.
 *
 * Concurrency: a tfm holds one key-exchange context (the decapsulation key
 * and a pending shared secret). A per-tfm spinlock protects that state and
 * is held only to copy it in or out (at most a few KiB of memcpy), never
 * during an ML-KEM operation. Every operation works on its own heap
 * scratch area (struct pqrekey_kpp_op: the ~18 KiB workspace and private
 * copies of all keys and messages), allocated per request with GFP_KERNEL
 * when the request may sleep and GFP_ATOMIC otherwise. So concurrent
 * requests on one tfm run in parallel, each sees a consistent key, and a
 * request may come from atomic context. Scratch areas and the tfm context
 * are wiped when freed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/internal/kpp.h>
#include <crypto/kpp.h>
#include <linux/crypto.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "pqrekey.h"
#include "mlkem/mlkem.h"

#define PQREKEY_KPP_PRIORITY_GENERIC	100
#define PQREKEY_KPP_PRIORITY_AVX2	200
#define PQREKEY_KPP_PRIORITY_AVX512	300

struct pqrekey_kpp_alg {
	const struct mlkem_params *params;
	const struct mlkem_impl *impl;
	bool registered;
	struct kpp_alg kpp;
};

/*
 * The key material of a tfm, allocated apart from the tfm with
 * __GFP_ACCOUNT: the ~3 KiB of a key held for a userspace caller (a
 * netlink key handle) are charged to the caller's memory cgroup.
 */
struct pqrekey_kpp_keys {
	u8 dk[MLKEM_MAX_DK_BYTES];
	u8 ss[MLKEM_SSBYTES];
};

struct pqrekey_kpp_ctx {
	const struct mlkem_params *p;
	const struct mlkem_impl *impl;
	spinlock_t lock;		/* protects the fields below */
	bool has_key;			/* dk holds a checked key */
	bool has_ss;			/* ss holds an unread secret */
	struct pqrekey_kpp_keys *keys;	/* the dk and ss */
};

/* Per-operation scratch area; never on the stack. */
struct pqrekey_kpp_op {
	struct mlkem_ws ws;
	u8 seed[MLKEM_SEEDBYTES];	/* d || z, or m */
	u8 dk[MLKEM_MAX_DK_BYTES];
	u8 ek[MLKEM_MAX_EK_BYTES];
	u8 ct[MLKEM_MAX_CT_BYTES];
	u8 ss[MLKEM_SSBYTES];
};

static struct pqrekey_kpp_op *pqrekey_op_alloc(gfp_t gfp)
{
	/* kvmalloc() falls back to plain kmalloc() for GFP_ATOMIC. */
	return kvmalloc(sizeof(struct pqrekey_kpp_op), gfp);
}

static void pqrekey_op_free(struct pqrekey_kpp_op *op)
{
	kvfree_sensitive(op, sizeof(*op));
}

/*
 * Randomness for a request: wait for the RNG to be seeded when the request
 * may sleep; in atomic context, fail with -EAGAIN until it is.
 */
static int pqrekey_rng_ready(bool may_sleep)
{
	if (may_sleep)
		return wait_for_random_bytes();
	return rng_is_initialized() ? 0 : -EAGAIN;
}

static gfp_t pqrekey_req_gfp(struct kpp_request *req)
{
	return (req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP) ?
		GFP_KERNEL : GFP_ATOMIC;
}

/* The encapsulation key is stored inside the decapsulation key. */
static const u8 *pqrekey_dk_ek(const struct mlkem_params *p, const u8 *dk)
{
	return dk + (size_t)p->k * MLKEM_POLYBYTES;
}

static int pqrekey_sg_read(struct scatterlist *sg, u8 *buf, unsigned int len)
{
	int nents = sg_nents_for_len(sg, len);

	if (nents < 0)
		return -EINVAL;
	if (sg_copy_to_buffer(sg, nents, buf, len) != len)
		return -EINVAL;
	return 0;
}

static int pqrekey_sg_write(struct scatterlist *sg, const u8 *buf,
			    unsigned int len)
{
	int nents = sg_nents_for_len(sg, len);

	if (nents < 0)
		return -EINVAL;
	if (sg_copy_from_buffer(sg, nents, buf, len) != len)
		return -EINVAL;
	return 0;
}

static int pqrekey_kpp_init_tfm(struct crypto_kpp *tfm)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);
	struct kpp_alg *alg = crypto_kpp_alg(tfm);
	struct pqrekey_kpp_alg *a = container_of(alg, struct pqrekey_kpp_alg,
						 kpp);

	ctx->p = a->params;
	ctx->impl = a->impl;
	spin_lock_init(&ctx->lock);
	ctx->has_key = false;
	ctx->has_ss = false;
	/* tfms are allocated in process context (crypto_alloc_tfm()). */
	ctx->keys = kzalloc(sizeof(*ctx->keys), GFP_KERNEL_ACCOUNT);
	return ctx->keys ? 0 : -ENOMEM;
}

static void pqrekey_kpp_exit_tfm(struct crypto_kpp *tfm)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);

	kfree_sensitive(ctx->keys);
	ctx->keys = NULL;
	ctx->has_key = false;
	ctx->has_ss = false;
}

/*
 * set_secret(NULL, 0): fresh random key pair; (d || z, 64): deterministic
 * key pair; (dk, dk_len): import a decapsulation key after the FIPS 203
 * 7.3 check. On success the context is reset (a pending shared secret is
 * wiped); on failure it is left unchanged.
 */
static int pqrekey_kpp_set_secret(struct crypto_kpp *tfm, const void *buf,
				  unsigned int len)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);
	const struct mlkem_params *p = ctx->p;
	const struct mlkem_impl *used;
	struct pqrekey_kpp_op *op;
	unsigned long flags;
	int ret;

	if (buf && len && len != MLKEM_SEEDBYTES && len != p->dk_len)
		return -EINVAL;

	/* set_secret may sleep (it allocates with GFP_KERNEL). */
	if (!buf || !len) {
		ret = pqrekey_rng_ready(true);
		if (ret)
			return ret;
	}

	op = pqrekey_op_alloc(GFP_KERNEL);
	if (!op)
		return -ENOMEM;

	if (!buf || !len || len == MLKEM_SEEDBYTES) {
		/* ML-KEM.KeyGen (FIPS 203 Algorithm 19) or KeyGen_internal */
		if (!buf || !len)
			get_random_bytes(op->seed, MLKEM_SEEDBYTES);
		else
			memcpy(op->seed, buf, MLKEM_SEEDBYTES);
		used = pqrekey_backend_begin(&op->ws, ctx->impl);
		ret = mlkem_keygen_internal(p, op->ek, op->dk, op->seed,
					    op->seed + MLKEM_SYMBYTES,
					    &op->ws);
		pqrekey_backend_end(used);
	} else {
		memcpy(op->dk, buf, len);
		ret = mlkem_check_dk(p, op->dk) ? -EINVAL : 0;
	}

	if (!ret) {
		spin_lock_irqsave(&ctx->lock, flags);
		memcpy(ctx->keys->dk, op->dk, p->dk_len);
		ctx->has_key = true;
		memzero_explicit(ctx->keys->ss, sizeof(ctx->keys->ss));
		ctx->has_ss = false;
		spin_unlock_irqrestore(&ctx->lock, flags);
	}

	pqrekey_op_free(op);
	return ret;
}

/*
 * Write the tfm's encapsulation key: a public value of at most 1568 bytes,
 * copied through a buffer of its size (not the ~28 KiB operation scratch,
 * an order-3 allocation in atomic context).
 */
static int pqrekey_kpp_export_ek(struct kpp_request *req,
				 struct pqrekey_kpp_ctx *ctx)
{
	const struct mlkem_params *p = ctx->p;
	unsigned long flags;
	bool has_key;
	u8 *ek;
	int ret;

	ek = kmalloc(p->ek_len, pqrekey_req_gfp(req));
	if (!ek)
		return -ENOMEM;
	spin_lock_irqsave(&ctx->lock, flags);
	has_key = ctx->has_key;
	if (has_key)
		memcpy(ek, pqrekey_dk_ek(p, ctx->keys->dk), p->ek_len);
	spin_unlock_irqrestore(&ctx->lock, flags);

	ret = has_key ? pqrekey_sg_write(req->dst, ek, p->ek_len) : -EINVAL;
	if (!ret)
		req->dst_len = p->ek_len;
	kfree(ek);
	return ret;
}

/*
 * generate_public_key without input: write our encapsulation key. With the
 * peer's encapsulation key as input: encapsulate to it, write the
 * ciphertext and keep the shared secret for compute_shared_secret.
 */
static int pqrekey_kpp_generate_public_key(struct kpp_request *req)
{
	struct crypto_kpp *tfm = crypto_kpp_reqtfm(req);
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);
	const struct mlkem_params *p = ctx->p;
	bool export = !req->src || !req->src_len;
	const struct mlkem_impl *used;
	struct pqrekey_kpp_op *op;
	unsigned int out_len;
	unsigned long flags;
	int ret;

	if (export)
		out_len = p->ek_len;
	else if (req->src_len == p->ek_len)
		out_len = p->ct_len;
	else
		return -EINVAL;

	if (req->dst_len < out_len) {
		req->dst_len = out_len;
		return -EOVERFLOW;
	}

	if (export)
		return pqrekey_kpp_export_ek(req, ctx);

	ret = pqrekey_rng_ready(req->base.flags & CRYPTO_TFM_REQ_MAY_SLEEP);
	if (ret)
		return ret;

	op = pqrekey_op_alloc(pqrekey_req_gfp(req));
	if (!op)
		return -ENOMEM;

	ret = pqrekey_sg_read(req->src, op->ek, p->ek_len);
	if (!ret) {
		/* ML-KEM.Encaps (FIPS 203 Algorithm 20) */
		get_random_bytes(op->seed, MLKEM_SYMBYTES);
		used = pqrekey_backend_begin(&op->ws, ctx->impl);
		ret = mlkem_encaps_internal(p, op->ct, op->ss, op->ek,
					    op->seed, &op->ws);
		pqrekey_backend_end(used);
	}
	if (!ret)
		ret = pqrekey_sg_write(req->dst, op->ct, out_len);
	if (!ret) {
		spin_lock_irqsave(&ctx->lock, flags);
		memcpy(ctx->keys->ss, op->ss, MLKEM_SSBYTES);
		ctx->has_ss = true;
		spin_unlock_irqrestore(&ctx->lock, flags);
	}

	if (!ret)
		req->dst_len = out_len;
	pqrekey_op_free(op);
	return ret;
}

/* Hand out the secret of the last encapsulation, once. */
static int pqrekey_kpp_take_secret(struct kpp_request *req,
				   struct pqrekey_kpp_ctx *ctx)
{
	u8 ss[MLKEM_SSBYTES];
	unsigned long flags;
	bool has_ss;
	int ret;

	spin_lock_irqsave(&ctx->lock, flags);
	has_ss = ctx->has_ss;
	if (has_ss) {
		memcpy(ss, ctx->keys->ss, sizeof(ss));
		memzero_explicit(ctx->keys->ss, sizeof(ctx->keys->ss));
		ctx->has_ss = false;
	}
	spin_unlock_irqrestore(&ctx->lock, flags);

	if (!has_ss)
		return -EOPNOTSUPP;

	ret = pqrekey_sg_write(req->dst, ss, sizeof(ss));
	memzero_explicit(ss, sizeof(ss));
	return ret;
}

/*
 * compute_shared_secret with the peer's ciphertext: decapsulate with our
 * key. Without input: return the secret of the last encapsulation.
 */
static int pqrekey_kpp_compute_shared_secret(struct kpp_request *req)
{
	struct crypto_kpp *tfm = crypto_kpp_reqtfm(req);
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);
	const struct mlkem_params *p = ctx->p;
	const struct mlkem_impl *used;
	struct pqrekey_kpp_op *op;
	unsigned long flags;
	bool has_key;
	int ret;

	if (req->src && req->src_len && req->src_len != p->ct_len)
		return -EINVAL;

	if (req->dst_len < MLKEM_SSBYTES) {
		req->dst_len = MLKEM_SSBYTES;
		return -EOVERFLOW;
	}

	if (!req->src || !req->src_len) {
		ret = pqrekey_kpp_take_secret(req, ctx);
		if (!ret)
			req->dst_len = MLKEM_SSBYTES;
		return ret;
	}

	op = pqrekey_op_alloc(pqrekey_req_gfp(req));
	if (!op)
		return -ENOMEM;

	ret = pqrekey_sg_read(req->src, op->ct, p->ct_len);
	if (ret)
		goto out;

	spin_lock_irqsave(&ctx->lock, flags);
	has_key = ctx->has_key;
	if (has_key)
		memcpy(op->dk, ctx->keys->dk, p->dk_len);
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (!has_key) {
		ret = -EINVAL;
		goto out;
	}

	/* The key was checked (7.3) when it was imported or generated. */
	used = pqrekey_backend_begin(&op->ws, ctx->impl);
	ret = mlkem_decaps_internal(p, op->ss, op->ct, op->dk, &op->ws);
	pqrekey_backend_end(used);
	if (!ret)
		ret = pqrekey_sg_write(req->dst, op->ss, MLKEM_SSBYTES);
	if (!ret)
		req->dst_len = MLKEM_SSBYTES;
out:
	pqrekey_op_free(op);
	return ret;
}

static unsigned int pqrekey_kpp_max_size(struct crypto_kpp *tfm)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);

	return max(ctx->p->ek_len, ctx->p->ct_len);
}

#define PQREKEY_KPP_ALG(bits, backend, prio)				\
{									\
	.params = &mlkem##bits##_params,				\
	.impl = &mlkem_impl_##backend,					\
	.kpp = {							\
		.set_secret = pqrekey_kpp_set_secret,			\
		.generate_public_key = pqrekey_kpp_generate_public_key,	\
		.compute_shared_secret = pqrekey_kpp_compute_shared_secret, \
		.max_size = pqrekey_kpp_max_size,			\
		.init = pqrekey_kpp_init_tfm,				\
		.exit = pqrekey_kpp_exit_tfm,				\
		.base = {						\
			.cra_name = "mlkem" #bits,			\
			.cra_driver_name = "mlkem" #bits "-" #backend,	\
			.cra_priority = prio,				\
			.cra_module = THIS_MODULE,			\
			.cra_ctxsize = sizeof(struct pqrekey_kpp_ctx),	\
		},							\
	},								\
}

static struct pqrekey_kpp_alg pqrekey_kpp_algs[] = {
	PQREKEY_KPP_ALG(512, generic, PQREKEY_KPP_PRIORITY_GENERIC),
	PQREKEY_KPP_ALG(768, generic, PQREKEY_KPP_PRIORITY_GENERIC),
	PQREKEY_KPP_ALG(1024, generic, PQREKEY_KPP_PRIORITY_GENERIC),
#ifdef CONFIG_X86_64
	PQREKEY_KPP_ALG(512, avx2, PQREKEY_KPP_PRIORITY_AVX2),
	PQREKEY_KPP_ALG(768, avx2, PQREKEY_KPP_PRIORITY_AVX2),
	PQREKEY_KPP_ALG(1024, avx2, PQREKEY_KPP_PRIORITY_AVX2),
	PQREKEY_KPP_ALG(512, avx512, PQREKEY_KPP_PRIORITY_AVX512),
	PQREKEY_KPP_ALG(768, avx512, PQREKEY_KPP_PRIORITY_AVX512),
	PQREKEY_KPP_ALG(1024, avx512, PQREKEY_KPP_PRIORITY_AVX512),
#endif
};

/* The generic drivers always; the others when their backend is in use. */
static bool pqrekey_kpp_wanted(const struct pqrekey_kpp_alg *a)
{
	return pqrekey_backend_in_use(a->impl);
}

int pqrekey_kpp_register(void)
{
	const struct pqrekey_kem *kem;
	struct pqrekey_kpp_alg *a;
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(pqrekey_kpp_algs); i++) {
		a = &pqrekey_kpp_algs[i];
		kem = pqrekey_kem_by_cra_name(a->kpp.base.cra_name);
		/* A driver is one of the KEM table's, with its parameters. */
		if (WARN_ON(!kem || kem->params != a->params ||
			    a->params->ek_len > MLKEM_MAX_EK_BYTES ||
			    a->params->dk_len > MLKEM_MAX_DK_BYTES ||
			    a->params->ct_len > MLKEM_MAX_CT_BYTES)) {
			ret = -EINVAL;
			goto err;
		}
		if (!pqrekey_kpp_wanted(a))
			continue;
		ret = crypto_register_kpp(&a->kpp);
		if (ret) {
			pr_err("registering %s failed: %d\n",
			       a->kpp.base.cra_driver_name, ret);
			goto err;
		}
		a->registered = true;
	}
	return 0;

err:
	pqrekey_kpp_unregister();
	return ret;
}

void pqrekey_kpp_unregister(void)
{
	int i;

	for (i = ARRAY_SIZE(pqrekey_kpp_algs) - 1; i >= 0; i--) {
		if (pqrekey_kpp_algs[i].registered)
			crypto_unregister_kpp(&pqrekey_kpp_algs[i].kpp);
		pqrekey_kpp_algs[i].registered = false;
	}
}

MODULE_ALIAS_CRYPTO("mlkem512");
MODULE_ALIAS_CRYPTO("mlkem512-generic");
MODULE_ALIAS_CRYPTO("mlkem768");
MODULE_ALIAS_CRYPTO("mlkem768-generic");
MODULE_ALIAS_CRYPTO("mlkem1024");
MODULE_ALIAS_CRYPTO("mlkem1024-generic");
#ifdef CONFIG_X86_64
MODULE_ALIAS_CRYPTO("mlkem512-avx2");
MODULE_ALIAS_CRYPTO("mlkem768-avx2");
MODULE_ALIAS_CRYPTO("mlkem1024-avx2");
MODULE_ALIAS_CRYPTO("mlkem512-avx512");
MODULE_ALIAS_CRYPTO("mlkem768-avx512");
MODULE_ALIAS_CRYPTO("mlkem1024-avx512");
#endif
