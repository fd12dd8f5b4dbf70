// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem bench: operations per second of keygen, encaps and decaps
 * in-process (the core linked into pqkem) and through pqrekey.ko's
 * generic netlink family, one operation per request and N per batch
 * request, so that the cost of the kernel boundary is visible. Not a test:
 * the numbers depend on the machine and its load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/pqrekey.h>

#include "pqkem.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct bctx {
	struct pqkem_be *be;
	const struct pqkem_alg *a;
	struct pqkem_buf ek, dk, ct;
	uint64_t handle;
	unsigned int per_msg;
};

/* One step: @n operations; returns 0 or a negative errno. */
typedef int (*step_fn)(struct bctx *b, unsigned int n);

static int u_keygen(struct bctx *b, unsigned int n)
{
	uint8_t ek[PQREKEY_MAX_EK_LEN], dk[PQREKEY_MAX_DK_LEN];
	uint64_t h;
	int rc = 0;

	while (n-- && !rc)
		rc = b->be->ops->keygen(b->be, b->a, NULL, ek, dk, &h);
	pqkem_wipe(dk, sizeof(dk));
	return rc;
}

static int k_keygen(struct bctx *b, unsigned int n)
{
	uint8_t ek[PQREKEY_MAX_EK_LEN];
	uint64_t h;
	int rc = 0;

	while (n-- && !rc) {
		rc = b->be->ops->keygen(b->be, b->a, NULL, ek, NULL, &h);
		if (!rc)
			rc = b->be->ops->del(b->be, h);
	}
	return rc;
}

static int x_encaps(struct bctx *b, unsigned int n)
{
	uint8_t ct[PQREKEY_MAX_CT_LEN], ss[PQREKEY_MAX_SS_LEN];
	int rc = 0;

	while (n-- && !rc)
		rc = b->be->ops->encaps(b->be, b->a, &b->ek, NULL, ct, ss);
	return rc;
}

static int x_decaps(struct bctx *b, unsigned int n)
{
	uint8_t ss[PQREKEY_MAX_SS_LEN];
	int rc = 0;

	while (n-- && !rc) {
		const struct pqkem_alg *a = b->a;

		rc = b->be->ops->decaps(b->be, &a, b->handle,
					b->dk.p ? &b->dk : NULL, &b->ct, ss);
	}
	return rc;
}

static int kb_encaps(struct bctx *b, unsigned int n)
{
	return pqkem_kernel_batch_encaps(b->be, b->a, &b->ek, n, b->per_msg);
}

static int kb_decaps(struct bctx *b, unsigned int n)
{
	return pqkem_kernel_batch_decaps(b->be, b->a, b->handle, &b->ct, n,
					 b->per_msg);
}

/* Runs @fn for about @seconds; returns operations per second or -errno. */
static double measure(struct bctx *b, step_fn fn, unsigned int chunk,
		      double seconds, int *err)
{
	double t0 = now(), t;
	unsigned long ops = 0;

	*err = fn(b, chunk);	/* warm-up, also catches errors early */
	if (*err)
		return 0;
	t0 = now();
	do {
		*err = fn(b, chunk);
		if (*err)
			return 0;
		ops += chunk;
		t = now();
	} while (t - t0 < seconds);
	return (double)ops / (t - t0);
}

static void row(const char *op, const char *path, double ops, double base)
{
	out_obj_begin();
	out_str("op", op);
	out_str("path", path);
	out_double("ops_per_sec", ops);
	out_double("us_per_op", ops > 0 ? 1e6 / ops : 0);
	if (base > 0)
		out_double("vs_user_pct", 100.0 * ops / base);
	out_obj_end();
}

static int setup(struct bctx *b, bool with_dk)
{
	uint8_t ek[PQREKEY_MAX_EK_LEN], dk[PQREKEY_MAX_DK_LEN];
	uint8_t ct[PQREKEY_MAX_CT_LEN], ss[PQREKEY_MAX_SS_LEN];
	const struct pqkem_alg *p = b->a;
	int rc;

	rc = b->be->ops->keygen(b->be, b->a, NULL, ek, dk, &b->handle);
	if (!rc)
		rc = b->be->ops->encaps(b->be, b->a,
					&(struct pqkem_buf){ ek, p->ek_len },
					NULL, ct, ss);
	if (rc)
		return rc;
	b->ek.p = malloc(p->ek_len);
	b->ct.p = malloc(p->ct_len);
	b->dk.p = with_dk ? malloc(p->dk_len) : NULL;
	if (!b->ek.p || !b->ct.p || (with_dk && !b->dk.p))
		return -ENOMEM;
	memcpy(b->ek.p, ek, b->ek.n = p->ek_len);
	memcpy(b->ct.p, ct, b->ct.n = p->ct_len);
	if (with_dk)
		memcpy(b->dk.p, dk, b->dk.n = p->dk_len);
	pqkem_wipe(dk, sizeof(dk));
	return 0;
}

static void teardown(struct bctx *b)
{
	pqkem_buf_free(&b->ek);
	pqkem_buf_free(&b->ct);
	pqkem_buf_free(&b->dk);
}

int pqkem_bench(struct pqkem_be *kbe, const struct pqkem_alg *a,
		double seconds, unsigned int per_msg, bool kernel, bool user)
{
	struct pqkem_be ube = { .ops = &pqkem_user_ops };
	struct bctx u = { .be = &ube, .a = a }, k = { .be = kbe, .a = a };
	double uk = 0, ue = 0, ud = 0, r;
	char path[64];
	int rc = 0, err;

	out_begin();
	out_str("alg", a->name);
	out_double("seconds", seconds);
	if (kernel)
		out_u64("batch", per_msg);
	out_list_begin("results");
	if (user) {
		rc = ube.ops->open(&ube);
		if (!rc)
			rc = setup(&u, true);
		if (rc) {
			fprintf(stderr, "pqkem: bench: user core: %s\n", ube.err);
			goto out;
		}
		uk = measure(&u, u_keygen, 16, seconds, &err);
		row("keygen", "user", uk, 0);
		ue = measure(&u, x_encaps, 16, seconds, &err);
		row("encaps", "user", ue, 0);
		ud = measure(&u, x_decaps, 16, seconds, &err);
		row("decaps", "user", ud, 0);
	}
	if (kernel) {
		rc = setup(&k, false);
		if (rc) {
			snprintf(ube.err, sizeof(ube.err), "%s", kbe->err);
			goto kfail;
		}
		r = measure(&k, k_keygen, 8, seconds, &rc);
		if (rc)
			goto kfail;
		row("keygen+del", "kernel", r, uk);
		r = measure(&k, x_encaps, 16, seconds, &rc);
		if (rc)
			goto kfail;
		row("encaps", "kernel", r, ue);
		r = measure(&k, x_decaps, 16, seconds, &rc);
		if (rc)
			goto kfail;
		row("decaps", "kernel", r, ud);
		k.per_msg = per_msg;
		snprintf(path, sizeof(path), "kernel-batch%u", per_msg);
		r = measure(&k, kb_encaps, per_msg, seconds, &rc);
		if (rc)
			goto kfail;
		row("encaps", path, r, ue);
		r = measure(&k, kb_decaps, per_msg, seconds, &rc);
		if (rc)
			goto kfail;
		row("decaps", path, r, ud);
		kbe->ops->del(kbe, k.handle);
	}
out:
	out_list_end();
	out_end();
	teardown(&u);
	teardown(&k);
	if (user && ube.priv)
		ube.ops->close(&ube);
	return rc ? PQKEM_EXIT_FAIL : 0;
kfail:
	out_list_end();
	out_end();
	teardown(&u);
	teardown(&k);
	if (user && ube.priv)
		ube.ops->close(&ube);
	return rc;	/* negative errno: the caller prints kbe->err */
}
