// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem --backend user: the same ML-KEM core the module runs, linked
 * in-process (build/libmlkem.a). It performs the checks the kernel does
 * (lengths, FIPS 203 7.2 modulus check of ek, 7.3 hash check of dk) so
 * that both backends accept and refuse the same inputs. It has no handles:
 * keygen hands out dk, decaps needs --dk.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pqkem.h"

void pqkem_seterr(struct pqkem_be *be, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(be->err, sizeof(be->err), fmt, ap);
	va_end(ap);
}

const char *pqkem_user_impl;

/*
 * The implementation named by pqkem_user_impl, or the fastest one the CPU
 * supports (results are identical). NULL with be->err set if it cannot run.
 */
static const struct mlkem_impl *user_impl(struct pqkem_be *be)
{
	unsigned int i;

	if (!pqkem_user_impl)
		return mlkem_impl_best();
	for (i = 0; i < mlkem_nimpls; i++) {
		const struct mlkem_impl *im = mlkem_impls[i];

		if (strcmp(mlkem_impl_name(im), pqkem_user_impl))
			continue;
		if (mlkem_impl_usable(im))
			return im;
		pqkem_seterr(be, "implementation '%s' cannot run on this CPU",
			     mlkem_impl_name(im));
		be->open_status = PQKEM_EXIT_FAIL;
		return NULL;
	}
	pqkem_seterr(be, "unknown implementation '%s'", pqkem_user_impl);
	be->open_status = PQKEM_EXIT_USAGE;
	return NULL;
}

/* What user_open() chose (the same for every instance of a process). */
static const char *chosen_impl = "generic";

const char *pqkem_user_impl_name(const struct pqkem_be *be)
{
	(void)be;
	return chosen_impl;
}

static int user_open(struct pqkem_be *be)
{
	const struct mlkem_impl *im = user_impl(be);

	if (!im)
		return -EINVAL;
	be->priv = calloc(1, sizeof(struct mlkem_ws));
	if (!be->priv) {
		pqkem_seterr(be, "out of memory");
		be->open_status = PQKEM_EXIT_FAIL;
		return -ENOMEM;
	}
	mlkem_ws_set_impl(be->priv, im);
	chosen_impl = mlkem_impl_name(im);
	return 0;
}

static void user_close(struct pqkem_be *be)
{
	pqkem_wipe(be->priv, sizeof(struct mlkem_ws));
	free(be->priv);
	be->priv = NULL;
}

static int user_algs(struct pqkem_be *be, struct pqkem_alginfo *out,
		     size_t max, size_t *n)
{
	size_t i, k;

	(void)be;
	for (i = 0, k = 0; i < pqkem_nalgs && k < max; i++) {
		const struct mlkem_params *p = pqkem_algs[i].p;

		if (!p)		/* not in this backend (FrodoKEM) */
			continue;
		memset(&out[k], 0, sizeof(out[k]));
		snprintf(out[k].name, sizeof(out[k].name), "%s",
			 pqkem_algs[i].name);
		snprintf(out[k].driver, sizeof(out[k].driver),
			 "%s-user", pqkem_algs[i].name);
		out[k].id = pqkem_algs[i].id;
		out[k].ek_len = p->ek_len;
		out[k].dk_len = p->dk_len;
		out[k].ct_len = p->ct_len;
		out[k].ss_len = MLKEM_SSBYTES;
		k++;
	}
	*n = k;
	return 0;
}

/* FrodoKEM runs in the kernel backend only, for now. */
static int no_user(struct pqkem_be *be, const struct pqkem_alg *a)
{
	pqkem_seterr(be, "%s: only with --backend kernel (the user backend runs ML-KEM)",
		     a->name);
	return -EOPNOTSUPP;
}

static int check_len(struct pqkem_be *be, const char *what,
		     const struct pqkem_buf *b, size_t want)
{
	if (b->n == want)
		return 0;
	pqkem_seterr(be, "%s must be %zu bytes, got %zu", what, want, b->n);
	return -EINVAL;
}

static int user_keygen(struct pqkem_be *be, const struct pqkem_alg *a,
		       const struct pqkem_buf *seed, uint8_t *ek, uint8_t *dk,
		       uint64_t *handle)
{
	int rc;

	*handle = 0;
	if (!a->p)
		return no_user(be, a);
	if (!seed)
		return mlkem_keygen(a->p, ek, dk, be->priv);
	rc = check_len(be, "seed", seed, MLKEM_SEEDBYTES);
	if (rc)
		return rc;
	return mlkem_keygen_internal(a->p, ek, dk, seed->p,
				     seed->p + MLKEM_SYMBYTES, be->priv);
}

static int user_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
		       const struct pqkem_buf *ek, const struct pqkem_buf *m,
		       uint8_t *ct, uint8_t *ss)
{
	uint8_t mr[MLKEM_SYMBYTES];
	int rc;

	if (!a->p)
		return no_user(be, a);
	rc = check_len(be, "ek", ek, a->p->ek_len);
	if (!rc && m)
		rc = check_len(be, "m", m, MLKEM_SYMBYTES);
	if (rc)
		return rc;
	if (m) {
		memcpy(mr, m->p, sizeof(mr));
	} else {
		mlkem_randombytes(mr, sizeof(mr));
	}
	rc = mlkem_encaps_internal(a->p, ct, ss, ek->p, mr, be->priv);
	pqkem_wipe(mr, sizeof(mr));
	if (rc)
		pqkem_seterr(be, "ek fails the FIPS 203 modulus check");
	return rc;
}

static int user_decaps(struct pqkem_be *be, const struct pqkem_alg **ap,
		       uint64_t handle, const struct pqkem_buf *dk,
		       const struct pqkem_buf *ct, uint8_t *ss)
{
	const struct pqkem_alg *a = *ap;
	int rc;

	(void)handle;
	if (!a->p)
		return no_user(be, a);
	if (!dk) {
		pqkem_seterr(be, "the user backend has no handles: pass --dk");
		return -EOPNOTSUPP;
	}
	rc = check_len(be, "dk", dk, a->p->dk_len);
	if (!rc)
		rc = check_len(be, "ciphertext", ct, a->p->ct_len);
	if (rc)
		return rc;
	rc = mlkem_decaps(a->p, ss, ct->p, dk->p, be->priv);
	if (rc)
		pqkem_seterr(be, "dk fails the FIPS 203 hash check");
	return rc;
}

static int user_del(struct pqkem_be *be, uint64_t handle)
{
	(void)handle;
	pqkem_seterr(be, "the user backend has no handles");
	return -EOPNOTSUPP;
}

static int user_stats(struct pqkem_be *be, struct pqkem_stat *out,
		      size_t max, size_t *n)
{
	(void)out;
	(void)max;
	*n = 0;
	pqkem_seterr(be, "the user backend keeps no statistics (use --backend kernel)");
	return -EOPNOTSUPP;
}

const struct pqkem_be_ops pqkem_user_ops = {
	.name = "user",
	.open = user_open,
	.close = user_close,
	.algs = user_algs,
	.keygen = user_keygen,
	.encaps = user_encaps,
	.decaps = user_decaps,
	.del = user_del,
	.stats = user_stats,
};

const struct pqkem_be_ops *pqkem_backend_by_name(const char *name)
{
	if (!strcmp(name, "user"))
		return &pqkem_user_ops;
	if (!strcmp(name, "kernel"))
		return &pqkem_kernel_ops;
	return NULL;
}
