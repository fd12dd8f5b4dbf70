// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The KEMs of the KEM table (kernel/kem.c) as kernel crypto API kpp
 * algorithms ("mlkem512", "mlkem768", "mlkem1024", and "frodo976aes",
 * "frodo976shake", "frodo1344aes", "frodo1344shake": FrodoKEM's scratch
 * area is about 170 KiB, which a request from atomic context will rarely
 * get: -ENOMEM). Each name has a driver per backend the KEM runs on in
 * this module load: "<name>-generic" (portable code, priority 100, always
 * registered) and, on x86-64 unless force_generic=1, "<name>-avx2"
 * (priority 200) on CPUs with AVX2 (FrodoKEM: and AES-NI) and
 * "<name>-avx512" (priority 300) on CPUs with AVX-512 (FrodoKEM: and
 * VAES). The drivers are
 * made from the table at registration: a KEM added to the table is a kpp
 * algorithm without a line here. The call semantics, compatible with
 * leancrypto's kernel ML-KEM kpp, are documented in
 * Documentation/kpp-mlkem.rst.
 *
 * FPU: each ML-KEM operation of the KEM layer runs in one FPU section of
 * its own, each FrodoKEM operation in one per slice of eight rows of its
 * matrix (struct pqrekey_kem_ops; portable code when SIMD is not usable in
 * the caller's context). Allocations, randomness and scatterlist copies stay
 * outside it.
 *
 * Concurrency: a tfm holds one key-exchange context (the decapsulation key
 * and a pending shared secret). A per-tfm spinlock protects that state and
 * is held only to copy it in or out (at most a few KiB of memcpy), never
 * during a KEM operation. Every operation works on its own heap
 * scratch area (struct pqrekey_kpp_op: the KEM's workspace and private
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

static const int pqrekey_kpp_priority[PQREKEY_NR_BACKENDS] = {
	[PQREKEY_BACKEND_GENERIC] = 100,
	[PQREKEY_BACKEND_AVX2] = 200,
	[PQREKEY_BACKEND_AVX512] = 300,
};

/* One driver: a KEM on a backend. */
struct pqrekey_kpp_alg {
	const struct pqrekey_kem *kem;
	enum pqrekey_backend backend;
	bool registered;
	struct kpp_alg kpp;
};

/* The drivers of this module load, made by pqrekey_kpp_register(). */
static struct pqrekey_kpp_alg *pqrekey_kpp_algs;
static unsigned int pqrekey_kpp_nalgs;

/*
 * The key material of a tfm, allocated apart from the tfm with
 * __GFP_ACCOUNT: a key held for a caller is charged to its memory cgroup.
 * The decapsulation key has the tfm's KEM's size (FrodoKEM-1344: 43 KiB).
 */
struct pqrekey_kpp_keys {
	u8 ss[PQREKEY_KEM_MAX_SS];
	u8 dk[];
};

struct pqrekey_kpp_ctx {
	const struct pqrekey_kem *kem;
	enum pqrekey_backend backend;
	spinlock_t lock;		/* protects the fields below */
	bool has_key;			/* dk holds a checked key */
	bool has_ss;			/* ss holds an unread secret */
	struct pqrekey_kpp_keys *keys;	/* the dk and ss */
};

/*
 * Per-operation scratch area; never on the stack. The KEM's workspace
 * follows it (ws[], ops->ws_size bytes), then dk, ek and ct, each of the
 * KEM's size.
 */
struct pqrekey_kpp_op {
	u8 coins[PQREKEY_KEM_MAX_COINS];
	u8 ss[PQREKEY_KEM_MAX_SS];
	u8 *dk, *ek, *ct;
	size_t size;
	u8 ws[] __aligned(64);
};

static struct pqrekey_kpp_op *pqrekey_op_alloc(const struct pqrekey_kem *kem,
					       gfp_t gfp)
{
	size_t ws = ALIGN(kem->ops->ws_size, 64);
	size_t size = sizeof(struct pqrekey_kpp_op) + ws + kem->dk_len +
		      kem->ek_len + kem->ct_len;
	struct pqrekey_kpp_op *op;

	/* kvmalloc() falls back to plain kmalloc() for GFP_ATOMIC. */
	op = kvmalloc(size, gfp);
	if (op) {
		op->size = size;
		op->dk = op->ws + ws;
		op->ek = op->dk + kem->dk_len;
		op->ct = op->ek + kem->ek_len;
	}
	return op;
}

static void pqrekey_op_free(struct pqrekey_kpp_op *op)
{
	kvfree_sensitive(op, op->size);
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

	ctx->kem = a->kem;
	ctx->backend = a->backend;
	spin_lock_init(&ctx->lock);
	ctx->has_key = false;
	ctx->has_ss = false;
	/* tfms are allocated in process context (crypto_alloc_tfm()). */
	ctx->keys = kvzalloc(struct_size(ctx->keys, dk, a->kem->dk_len),
			     GFP_KERNEL_ACCOUNT);
	return ctx->keys ? 0 : -ENOMEM;
}

static void pqrekey_kpp_exit_tfm(struct crypto_kpp *tfm)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);

	if (ctx->keys)
		kvfree_sensitive(ctx->keys,
				 struct_size(ctx->keys, dk, ctx->kem->dk_len));
	ctx->keys = NULL;
	ctx->has_key = false;
	ctx->has_ss = false;
}

/*
 * set_secret(NULL, 0): fresh random key pair; (coins, seed_len):
 * deterministic key pair (ML-KEM: d || z); (dk, dk_len): import a
 * decapsulation key after the KEM's check (ML-KEM: FIPS 203 7.3). On
 * success the context is reset (a pending shared secret is wiped); on
 * failure it is left unchanged.
 */
static int pqrekey_kpp_set_secret(struct crypto_kpp *tfm, const void *buf,
				  unsigned int len)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);
	const struct pqrekey_kem *kem = ctx->kem;
	struct pqrekey_kpp_op *op;
	unsigned long flags;
	int ret;

	if (buf && len && len != kem->seed_len && len != kem->dk_len)
		return -EINVAL;

	/* set_secret may sleep (it allocates with GFP_KERNEL). */
	if (!buf || !len) {
		ret = pqrekey_rng_ready(true);
		if (ret)
			return ret;
	}

	op = pqrekey_op_alloc(kem, GFP_KERNEL);
	if (!op)
		return -ENOMEM;

	if (!buf || !len || len == kem->seed_len) {
		if (!buf || !len)
			get_random_bytes(op->coins, kem->seed_len);
		else
			memcpy(op->coins, buf, kem->seed_len);
		ret = kem->ops->keygen(kem, op->ws, ctx->backend, op->ek,
				       op->dk, op->coins);
	} else {
		memcpy(op->dk, buf, len);
		/* a key that fails the check is an invalid input here */
		ret = kem->ops->check_dk(kem, op->dk) ? -EINVAL : 0;
	}

	if (!ret) {
		spin_lock_irqsave(&ctx->lock, flags);
		memcpy(ctx->keys->dk, op->dk, kem->dk_len);
		ctx->has_key = true;
		memzero_explicit(ctx->keys->ss, sizeof(ctx->keys->ss));
		ctx->has_ss = false;
		spin_unlock_irqrestore(&ctx->lock, flags);
	}

	pqrekey_op_free(op);
	return ret;
}

/*
 * Write the tfm's encapsulation key: a public value, copied through a
 * buffer of its size (not the operation scratch, a high-order allocation
 * in atomic context).
 */
static int pqrekey_kpp_export_ek(struct kpp_request *req,
				 struct pqrekey_kpp_ctx *ctx)
{
	const struct pqrekey_kem *kem = ctx->kem;
	unsigned long flags;
	bool has_key;
	u8 *ek;
	int ret;

	ek = kmalloc(kem->ek_len, pqrekey_req_gfp(req));
	if (!ek)
		return -ENOMEM;
	spin_lock_irqsave(&ctx->lock, flags);
	has_key = ctx->has_key;
	if (has_key)
		memcpy(ek, ctx->keys->dk + kem->ek_in_dk, kem->ek_len);
	spin_unlock_irqrestore(&ctx->lock, flags);

	ret = has_key ? pqrekey_sg_write(req->dst, ek, kem->ek_len) : -EINVAL;
	if (!ret)
		req->dst_len = kem->ek_len;
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
	const struct pqrekey_kem *kem = ctx->kem;
	bool export = !req->src || !req->src_len;
	struct pqrekey_kpp_op *op;
	unsigned int out_len;
	unsigned long flags;
	int ret;

	if (export)
		out_len = kem->ek_len;
	else if (req->src_len == kem->ek_len)
		out_len = kem->ct_len;
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

	op = pqrekey_op_alloc(kem, pqrekey_req_gfp(req));
	if (!op)
		return -ENOMEM;

	ret = pqrekey_sg_read(req->src, op->ek, kem->ek_len);
	if (!ret) {
		get_random_bytes(op->coins, kem->msg_len);
		ret = kem->ops->encaps(kem, op->ws, ctx->backend, op->ct,
				       op->ss, op->ek, op->coins);
		/* a key that fails the check is an invalid input here */
		if (ret == -EKEYREJECTED)
			ret = -EINVAL;
	}
	if (!ret)
		ret = pqrekey_sg_write(req->dst, op->ct, out_len);
	if (!ret) {
		spin_lock_irqsave(&ctx->lock, flags);
		memcpy(ctx->keys->ss, op->ss, kem->ss_len);
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
	unsigned int len = ctx->kem->ss_len;
	u8 ss[PQREKEY_KEM_MAX_SS];
	unsigned long flags;
	bool has_ss;
	int ret;

	spin_lock_irqsave(&ctx->lock, flags);
	has_ss = ctx->has_ss;
	if (has_ss) {
		memcpy(ss, ctx->keys->ss, len);
		memzero_explicit(ctx->keys->ss, sizeof(ctx->keys->ss));
		ctx->has_ss = false;
	}
	spin_unlock_irqrestore(&ctx->lock, flags);

	if (!has_ss)
		return -EOPNOTSUPP;

	ret = pqrekey_sg_write(req->dst, ss, len);
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
	const struct pqrekey_kem *kem = ctx->kem;
	struct pqrekey_kpp_op *op;
	unsigned long flags;
	bool has_key;
	int ret;

	if (req->src && req->src_len && req->src_len != kem->ct_len)
		return -EINVAL;

	if (req->dst_len < kem->ss_len) {
		req->dst_len = kem->ss_len;
		return -EOVERFLOW;
	}

	if (!req->src || !req->src_len) {
		ret = pqrekey_kpp_take_secret(req, ctx);
		if (!ret)
			req->dst_len = kem->ss_len;
		return ret;
	}

	op = pqrekey_op_alloc(kem, pqrekey_req_gfp(req));
	if (!op)
		return -ENOMEM;

	ret = pqrekey_sg_read(req->src, op->ct, kem->ct_len);
	if (ret)
		goto out;

	spin_lock_irqsave(&ctx->lock, flags);
	has_key = ctx->has_key;
	if (has_key)
		memcpy(op->dk, ctx->keys->dk, kem->dk_len);
	spin_unlock_irqrestore(&ctx->lock, flags);
	if (!has_key) {
		ret = -EINVAL;
		goto out;
	}

	/* The key was checked when it was imported or generated. */
	ret = kem->ops->decaps(kem, op->ws, ctx->backend, op->ss, op->ct,
			       op->dk);
	if (!ret)
		ret = pqrekey_sg_write(req->dst, op->ss, kem->ss_len);
	if (!ret)
		req->dst_len = kem->ss_len;
out:
	pqrekey_op_free(op);
	return ret;
}

static unsigned int pqrekey_kpp_max_size(struct crypto_kpp *tfm)
{
	struct pqrekey_kpp_ctx *ctx = kpp_tfm_ctx(tfm);

	return max(ctx->kem->ek_len, ctx->kem->ct_len);
}

static void pqrekey_kpp_alg_init(struct pqrekey_kpp_alg *a,
				 const struct pqrekey_kem *kem,
				 enum pqrekey_backend b)
{
	struct kpp_alg *k = &a->kpp;

	a->kem = kem;
	a->backend = b;
	k->set_secret = pqrekey_kpp_set_secret;
	k->generate_public_key = pqrekey_kpp_generate_public_key;
	k->compute_shared_secret = pqrekey_kpp_compute_shared_secret;
	k->max_size = pqrekey_kpp_max_size;
	k->init = pqrekey_kpp_init_tfm;
	k->exit = pqrekey_kpp_exit_tfm;
	strscpy(k->base.cra_name, kem->cra_name, sizeof(k->base.cra_name));
	snprintf(k->base.cra_driver_name, sizeof(k->base.cra_driver_name),
		 "%s-%s", kem->cra_name, pqrekey_backend_name(b));
	k->base.cra_priority = pqrekey_kpp_priority[b];
	k->base.cra_module = THIS_MODULE;
	k->base.cra_ctxsize = sizeof(struct pqrekey_kpp_ctx);
}

/**
 * pqrekey_kpp_register() - register a kpp driver per KEM and backend in use.
 *
 * Context: module init, after the self-tests.
 * Return: 0 or a negative errno (nothing stays registered).
 */
int pqrekey_kpp_register(void)
{
	const struct pqrekey_kem *kem;
	unsigned int n = 0;
	u32 id;
	int b, ret;

	pqrekey_kpp_algs = kcalloc((PQREKEY_ALG_MAX + 1) *
				   PQREKEY_NR_BACKENDS,
				   sizeof(*pqrekey_kpp_algs), GFP_KERNEL);
	if (!pqrekey_kpp_algs)
		return -ENOMEM;
	for (id = 0; id <= PQREKEY_ALG_MAX; id++) {
		kem = pqrekey_kem_by_id(id);
		if (!kem)
			continue;
		/* Keys and scratch have the KEM's sizes, coins and ss fixed. */
		if (WARN_ON(kem->ss_len > PQREKEY_KEM_MAX_SS ||
			    kem->seed_len > PQREKEY_KEM_MAX_COINS ||
			    kem->msg_len > PQREKEY_KEM_MAX_COINS ||
			    kem->ek_in_dk + kem->ek_len > kem->dk_len)) {
			ret = -EINVAL;
			goto err;
		}
		for (b = 0; b < PQREKEY_NR_BACKENDS; b++) {
			struct pqrekey_kpp_alg *a = &pqrekey_kpp_algs[n];

			if (!pqrekey_kem_backend_in_use(kem, b))
				continue;
			pqrekey_kpp_alg_init(a, kem, b);
			n++;
			pqrekey_kpp_nalgs = n;
			ret = crypto_register_kpp(&a->kpp);
			if (ret) {
				pr_err("registering %s failed: %d\n",
				       a->kpp.base.cra_driver_name, ret);
				goto err;
			}
			a->registered = true;
		}
	}
	return 0;

err:
	pqrekey_kpp_unregister();
	return ret;
}

/**
 * pqrekey_kpp_unregister() - unregister what pqrekey_kpp_register() did.
 */
void pqrekey_kpp_unregister(void)
{
	int i;

	for (i = (int)pqrekey_kpp_nalgs - 1; i >= 0; i--)
		if (pqrekey_kpp_algs[i].registered)
			crypto_unregister_kpp(&pqrekey_kpp_algs[i].kpp);
	kfree(pqrekey_kpp_algs);
	pqrekey_kpp_algs = NULL;
	pqrekey_kpp_nalgs = 0;
}

/*
 * crypto_alloc_kpp() of a name of the KEM table, or of one of its drivers,
 * loads the module.
 */
MODULE_ALIAS_CRYPTO("mlkem512");
MODULE_ALIAS_CRYPTO("mlkem768");
MODULE_ALIAS_CRYPTO("mlkem1024");
MODULE_ALIAS_CRYPTO("mlkem512-generic");
MODULE_ALIAS_CRYPTO("mlkem768-generic");
MODULE_ALIAS_CRYPTO("mlkem1024-generic");
MODULE_ALIAS_CRYPTO("frodo976aes");
MODULE_ALIAS_CRYPTO("frodo976shake");
MODULE_ALIAS_CRYPTO("frodo1344aes");
MODULE_ALIAS_CRYPTO("frodo1344shake");
MODULE_ALIAS_CRYPTO("frodo976aes-generic");
MODULE_ALIAS_CRYPTO("frodo976shake-generic");
MODULE_ALIAS_CRYPTO("frodo1344aes-generic");
MODULE_ALIAS_CRYPTO("frodo1344shake-generic");
#ifdef CONFIG_X86_64
MODULE_ALIAS_CRYPTO("mlkem512-avx2");
MODULE_ALIAS_CRYPTO("mlkem768-avx2");
MODULE_ALIAS_CRYPTO("mlkem1024-avx2");
MODULE_ALIAS_CRYPTO("mlkem512-avx512");
MODULE_ALIAS_CRYPTO("mlkem768-avx512");
MODULE_ALIAS_CRYPTO("mlkem1024-avx512");
MODULE_ALIAS_CRYPTO("frodo976aes-avx2");
MODULE_ALIAS_CRYPTO("frodo976shake-avx2");
MODULE_ALIAS_CRYPTO("frodo1344aes-avx2");
MODULE_ALIAS_CRYPTO("frodo1344shake-avx2");
MODULE_ALIAS_CRYPTO("frodo976aes-avx512");
MODULE_ALIAS_CRYPTO("frodo976shake-avx512");
MODULE_ALIAS_CRYPTO("frodo1344aes-avx512");
MODULE_ALIAS_CRYPTO("frodo1344shake-avx512");
#endif
