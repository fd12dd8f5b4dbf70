// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem --backend user: the same ML-KEM and FrodoKEM cores the module runs,
 * linked in-process (build/libmlkem.a, build/libfrodo.a). It performs the
 * checks the kernel does (lengths; ML-KEM: FIPS 203 7.2 modulus check of
 * ek, 7.3 hash check of dk; FrodoKEM: pkh of dk) so that both backends
 * accept and refuse the same inputs. It has no handles: keygen hands out
 * dk, decaps needs --dk.
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

/* Each core's workspace, with the backend each runs (set at open). */
struct user_ws {
	struct mlkem_ws m;
	struct frodo_ws f;
};

/*
 * The ML-KEM implementation named by pqkem_user_impl, or the fastest one
 * the CPU supports (results are identical). NULL with be->err set if it
 * cannot run.
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

/*
 * FrodoKEM's backend of the same name (its vector backends also need
 * AES-NI, the AVX-512 one VAES), or its fastest. NULL if the named one
 * cannot run: FrodoKEM operations then fail, ML-KEM ones still work.
 */
static const struct frodo_impl *user_frodo_impl(void)
{
	unsigned int i;

	if (!pqkem_user_impl)
		return frodo_impl_best();
	for (i = 0; i < frodo_nimpls; i++)
		if (!strcmp(frodo_impls[i]->name, pqkem_user_impl))
			return frodo_impl_usable(frodo_impls[i]) ?
			       frodo_impls[i] : NULL;
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
	struct user_ws *ws;

	if (!im)
		return -EINVAL;
	ws = calloc(1, sizeof(*ws));
	if (!ws) {
		pqkem_seterr(be, "out of memory");
		be->open_status = PQKEM_EXIT_FAIL;
		return -ENOMEM;
	}
	mlkem_ws_set_impl(&ws->m, im);
	frodo_ws_set_impl(&ws->f, user_frodo_impl());
	be->priv = ws;
	chosen_impl = mlkem_impl_name(im);
	return 0;
}

static void user_close(struct pqkem_be *be)
{
	pqkem_wipe(be->priv, sizeof(struct user_ws));
	free(be->priv);
	be->priv = NULL;
}

static struct mlkem_ws *mws(struct pqkem_be *be)
{
	return &((struct user_ws *)be->priv)->m;
}

/*
 * FrodoKEM's workspace; NULL (be->err set) if --impl names a backend
 * FrodoKEM cannot run on this CPU.
 */
static struct frodo_ws *fws(struct pqkem_be *be)
{
	struct frodo_ws *ws = &((struct user_ws *)be->priv)->f;

	if (ws->impl)
		return ws;
	pqkem_seterr(be, "implementation '%s' cannot run FrodoKEM on this CPU (avx2 needs AES-NI, avx512 VAES)",
		     pqkem_user_impl);
	return NULL;
}

static int user_algs(struct pqkem_be *be, struct pqkem_alginfo *out,
		     size_t max, size_t *n)
{
	size_t i, k;

	(void)be;
	for (i = 0, k = 0; i < pqkem_nalgs && k < max; i++, k++) {
		const struct pqkem_alg *a = &pqkem_algs[i];

		memset(&out[k], 0, sizeof(out[k]));
		snprintf(out[k].name, sizeof(out[k].name), "%s", a->name);
		snprintf(out[k].driver, sizeof(out[k].driver), "%s-user",
			 a->name);
		out[k].id = a->id;
		out[k].ek_len = a->ek_len;
		out[k].dk_len = a->dk_len;
		out[k].ct_len = a->ct_len;
		out[k].ss_len = a->ss_len;
	}
	*n = k;
	return 0;
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
	struct frodo_ws *fw;
	int rc;

	*handle = 0;
	if (seed) {
		rc = check_len(be, "seed", seed, a->seed_len);
		if (rc)
			return rc;
	}
	if (a->fp) {
		fw = fws(be);
		if (!fw)
			return -EOPNOTSUPP;
		return seed ? frodo_keygen_internal(a->fp, ek, dk, seed->p, fw) :
			      frodo_keygen(a->fp, ek, dk, fw);
	}
	if (!seed)
		return mlkem_keygen(a->p, ek, dk, mws(be));
	return mlkem_keygen_internal(a->p, ek, dk, seed->p,
				     seed->p + MLKEM_SYMBYTES, mws(be));
}

static int user_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
		       const struct pqkem_buf *ek, const struct pqkem_buf *m,
		       uint8_t *ct, uint8_t *ss)
{
	uint8_t mr[FRODO_MAX_ENCAPS_COINS];
	struct frodo_ws *fw = NULL;
	int rc;

	rc = check_len(be, "ek", ek, a->ek_len);
	if (!rc && m)
		rc = check_len(be, "m", m, a->msg_len);
	if (rc)
		return rc;
	if (a->fp) {
		fw = fws(be);
		if (!fw)
			return -EOPNOTSUPP;
	}
	if (m)
		memcpy(mr, m->p, a->msg_len);
	else
		mlkem_randombytes(mr, a->msg_len);
	if (a->fp) {
		rc = frodo_encaps_internal(a->fp, ct, ss, ek->p, mr, fw);
	} else {
		rc = mlkem_encaps_internal(a->p, ct, ss, ek->p, mr, mws(be));
		if (rc)
			pqkem_seterr(be, "ek fails the FIPS 203 modulus check");
	}
	pqkem_wipe(mr, sizeof(mr));
	return rc;
}

static int user_decaps(struct pqkem_be *be, const struct pqkem_alg **ap,
		       uint64_t handle, const struct pqkem_buf *dk,
		       const struct pqkem_buf *ct, uint8_t *ss)
{
	const struct pqkem_alg *a = *ap;
	struct frodo_ws *fw;
	int rc;

	(void)handle;
	if (!dk) {
		pqkem_seterr(be, "the user backend has no handles: pass --dk");
		return -EOPNOTSUPP;
	}
	rc = check_len(be, "dk", dk, a->dk_len);
	if (!rc)
		rc = check_len(be, "ciphertext", ct, a->ct_len);
	if (rc)
		return rc;
	if (a->fp) {
		fw = fws(be);
		if (!fw)
			return -EOPNOTSUPP;
		if (frodo_check_sk(a->fp, dk->p)) {
			pqkem_seterr(be, "dk fails the FrodoKEM key check (its pkh is not SHAKE256 of its pk)");
			return -EKEYREJECTED;
		}
		return frodo_decaps(a->fp, ss, ct->p, dk->p, fw);
	}
	rc = mlkem_decaps(a->p, ss, ct->p, dk->p, mws(be));
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
