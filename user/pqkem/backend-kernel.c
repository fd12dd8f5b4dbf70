// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem --backend kernel: pqkem's backend interface on top of the KEM
 * service client (user/lib/kemclient.h), which talks to pqrekey.ko's
 * "pqrekey" generic netlink family. One kemc (one netlink socket) per
 * backend instance: handles live as long as this process keeps it open.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pqrekey.h>

#include "kemclient.h"
#include "pqkem.h"

static struct kemc *kc(struct pqkem_be *be)
{
	return be->priv;
}

/* Copies the client's message to the backend and returns @rc. */
static int fail(struct pqkem_be *be, int rc)
{
	if (rc)
		pqkem_seterr(be, "%s", kemc_error(kc(be)));
	return rc;
}

static int kernel_open(struct pqkem_be *be)
{
	struct kemc *c;
	int rc = kemc_open(&c, be->err, sizeof(be->err));

	if (rc) {
		be->open_status = rc == -ENOENT ? PQKEM_EXIT_NOMOD :
				  rc == -EPERM ? PQKEM_EXIT_PERM :
				  PQKEM_EXIT_FAIL;
		return rc;
	}
	be->priv = c;
	be->open_status = PQKEM_EXIT_OK;
	return 0;
}

static void kernel_close(struct pqkem_be *be)
{
	kemc_close(kc(be));
	be->priv = NULL;
}

static int kernel_algs(struct pqkem_be *be, struct pqkem_alginfo *out,
		       size_t max, size_t *n)
{
	const struct kemc_alg *algs;
	size_t i, na;
	int rc = kemc_refresh_algs(kc(be));

	*n = 0;
	if (rc)
		return fail(be, rc);
	na = kemc_algs(kc(be), &algs);
	for (i = 0; i < na && i < max; i++) {
		struct pqkem_alginfo *ai = &out[i];

		memset(ai, 0, sizeof(*ai));
		snprintf(ai->name, sizeof(ai->name), "%s", algs[i].name);
		snprintf(ai->driver, sizeof(ai->driver), "%s", algs[i].driver);
		ai->id = algs[i].id;
		ai->ek_len = algs[i].ek_len;
		ai->dk_len = algs[i].dk_len;
		ai->ct_len = algs[i].ct_len;
		ai->ss_len = algs[i].ss_len;
	}
	*n = i;
	return 0;
}

static int kernel_keygen(struct pqkem_be *be, const struct pqkem_alg *a,
			 const struct pqkem_buf *seed, uint8_t *ek, uint8_t *dk,
			 uint64_t *handle)
{
	(void)dk;	/* never leaves the kernel */
	return fail(be, kemc_keygen(kc(be), a->id, seed ? seed->p : NULL,
				    seed ? seed->n : 0, ek, handle));
}

static int kernel_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
			 const struct pqkem_buf *ek, const struct pqkem_buf *m,
			 uint8_t *ct, uint8_t *ss)
{
	return fail(be, kemc_encaps(kc(be), a->id, ek->p, ek->n,
				    m ? m->p : NULL, m ? m->n : 0, ct, ss));
}

static int kernel_decaps(struct pqkem_be *be, const struct pqkem_alg **ap,
			 uint64_t handle, const struct pqkem_buf *dk,
			 const struct pqkem_buf *ct, uint8_t *ss)
{
	uint32_t id = *ap ? (*ap)->id : 0;
	int rc = kemc_decaps(kc(be), &id, handle, dk ? dk->p : NULL,
			     dk ? dk->n : 0, ct->p, ct->n, ss);

	if (rc)
		return fail(be, rc);
	*ap = pqkem_alg_by_id(id);
	if (!*ap) {
		pqkem_seterr(be, "the kernel's reply names algorithm %u, unknown to pqkem",
			     id);
		return -EPROTO;
	}
	return 0;
}

static int kernel_del(struct pqkem_be *be, uint64_t handle)
{
	return fail(be, kemc_del(kc(be), handle));
}

_Static_assert(sizeof(((struct pqkem_stat *)0)->name) ==
	       sizeof(((struct kemc_stat *)0)->name), "stat name sizes");

static int kernel_stats(struct pqkem_be *be, struct pqkem_stat *out,
			size_t max, size_t *n)
{
	struct kemc_stat st[64];
	size_t i, got = 0;
	int rc = kemc_stats(kc(be), st, ARRAY_SIZE(st), &got);

	*n = 0;
	if (rc)
		return fail(be, rc);
	for (i = 0; i < got && i < max; i++) {
		memcpy(out[i].name, st[i].name, sizeof(out[i].name));
		out[i].value = st[i].value;
	}
	*n = i;
	return 0;
}

/* ---- batches (bench) ---- */

static int batch_run(struct pqkem_be *be, const struct pqkem_alg *a,
		     uint32_t cmd, const struct pqkem_buf *ek, uint64_t handle,
		     const struct pqkem_buf *ct, unsigned int n)
{
	struct kemc_op ops[PQREKEY_BATCH_MAX_OPS];
	uint8_t out_ct[PQREKEY_MAX_CT_LEN], out_ss[64];
	unsigned int i, failed = 0;
	int rc, first = 0;

	memset(ops, 0, n * sizeof(ops[0]));
	for (i = 0; i < n; i++) {
		ops[i].cmd = cmd;
		ops[i].alg = a->id;
		ops[i].handle = handle;
		if (ek) {
			ops[i].ek = ek->p;
			ops[i].ek_len = ek->n;
			ops[i].out_ct = out_ct;	/* the bench keeps none */
		}
		if (ct) {
			ops[i].ct = ct->p;
			ops[i].ct_len = ct->n;
		}
		ops[i].out_ss = out_ss;
	}
	rc = kemc_batch(kc(be), ops, n);
	pqkem_wipe(out_ss, sizeof(out_ss));
	if (rc)
		return fail(be, rc);
	for (i = 0; i < n; i++)
		if (ops[i].err && !failed++)
			first = (int)i;
	if (failed) {
		pqkem_seterr(be, "%u of %u batch operations failed, first: %s",
			     failed, n, ops[first].err_msg);
		return ops[first].err;
	}
	return 0;
}

static int batch_loop(struct pqkem_be *be, const struct pqkem_alg *a,
		      uint32_t cmd, const struct pqkem_buf *ek,
		      uint64_t handle, const struct pqkem_buf *ct,
		      unsigned int count, unsigned int per_msg)
{
	if (per_msg == 0 || per_msg > PQREKEY_BATCH_MAX_OPS) {
		pqkem_seterr(be, "a batch holds 1 to %u operations",
			     PQREKEY_BATCH_MAX_OPS);
		return -E2BIG;
	}
	while (count) {
		unsigned int n = count < per_msg ? count : per_msg;
		int rc = batch_run(be, a, cmd, ek, handle, ct, n);

		if (rc)
			return rc;
		count -= n;
	}
	return 0;
}

int pqkem_kernel_batch_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      const struct pqkem_buf *ek, unsigned int count,
			      unsigned int per_msg)
{
	return batch_loop(be, a, PQREKEY_CMD_ENCAPS, ek, 0, NULL, count,
			  per_msg);
}

int pqkem_kernel_batch_decaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      uint64_t handle, const struct pqkem_buf *ct,
			      unsigned int count, unsigned int per_msg)
{
	return batch_loop(be, a, PQREKEY_CMD_DECAPS, NULL, handle, ct, count,
			  per_msg);
}

unsigned int pqkem_kernel_max_batch(void)
{
	return kemc_max_batch();
}

const struct pqkem_be_ops pqkem_kernel_ops = {
	.name = "kernel",
	.open = kernel_open,
	.close = kernel_close,
	.algs = kernel_algs,
	.keygen = kernel_keygen,
	.encaps = kernel_encaps,
	.decaps = kernel_decaps,
	.del = kernel_del,
	.stats = kernel_stats,
};
