// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem-vectors: the Wycheproof final-FIPS-203 ML-KEM vectors through a
 * pqkem backend - the kernel's generic netlink family or the in-process
 * core - with the same code paths as the pqkem command (one process and
 * one netlink socket for all cases: thousands of process spawns would be
 * far too slow in a TCG guest).
 *
 *   pqkem-vectors [--backend kernel|user] [--valid N | --all] DIR
 *
 * DIR holds mlkem_*_{test,encaps_test,keygen_seed_test,
 * semi_expanded_decaps_test}.json. Every invalid case runs, and N valid
 * cases per file (default 12, spread evenly; --all: every case). Inputs
 * of wrong length are passed to the backend unchanged: refusing them is
 * what is being tested. One unit per file: "ok - BACKEND FILE: ..." or
 * "not ok - ..." with each failing case by tcId; then the summary line
 * "N passed, N failed, N skipped". A missing DIR: everything skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "pqkem.h"

struct run {
	struct pqkem_be *be;
	bool kernel;
	unsigned int valid_per_file;	/* 0: all */
	/* per file */
	const char *file;
	unsigned int cases, failed, invalid, valid;
};

static int tc_id(json_object *t)
{
	json_object *v;

	return json_object_object_get_ex(t, "tcId", &v) ?
	       json_object_get_int(v) : -1;
}

static void case_fail(struct run *r, json_object *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void case_fail(struct run *r, json_object *t, const char *fmt, ...)
{
	va_list ap;

	if (r->failed++ >= 20) {
		if (r->failed == 21)
			printf("    # ... further failures not shown\n");
		return;
	}
	printf("    # %s tcId %d: ", r->file, tc_id(t));
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Hex member @key; returns false if absent or not hex. */
static bool field(json_object *t, const char *key, struct pqkem_buf *b)
{
	json_object *v;
	const char *s;

	b->p = NULL;
	b->n = 0;
	if (!json_object_object_get_ex(t, key, &v))
		return false;
	s = json_object_get_string(v);
	if (!s)
		return false;
	if (!*s) {	/* an empty byte string */
		b->p = malloc(1);
		return b->p != NULL;
	}
	return pqkem_hex_decode(b, s, strlen(s)) == 0;
}

static bool same(const uint8_t *got, size_t n, const struct pqkem_buf *exp)
{
	return exp->p && exp->n == n && !memcmp(got, exp->p, n);
}

/*
 * Judges one case: @rc is the status of the whole chain of operations
 * (0 = every operation accepted), @mismatch a description of a wrong output.
 */
static void judge(struct run *r, json_object *t, const char *result, int rc,
		  const char *mismatch)
{
	if (!strcmp(result, "invalid")) {
		r->invalid++;
		if (!rc)
			case_fail(r, t, "invalid case accepted");
		return;
	}
	r->valid++;
	if (!strcmp(result, "valid") && rc) {
		case_fail(r, t, "valid case refused: %s (%s)", r->be->err,
			  strerror(-rc));
		return;
	}
	if (!rc && mismatch)
		case_fail(r, t, "%s differs from the vector", mismatch);
}

static void drop(struct run *r, uint64_t handle)
{
	if (r->kernel && handle)
		r->be->ops->del(r->be, handle);
}

/* seed -> KeyGen -> ek; Decaps(c) = K */
static void t_decaps_seed(struct run *r, const struct pqkem_alg *a,
			  json_object *t, const char *result)
{
	uint8_t ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES], ss[32];
	struct pqkem_buf seed, ekx, c, k, dkb;
	const char *mismatch = NULL;
	const struct pqkem_alg *da = a;
	uint64_t handle = 0;
	int rc;

	if (!field(t, "seed", &seed) || !field(t, "c", &c)) {
		case_fail(r, t, "vector lacks seed or c");
		goto out;
	}
	field(t, "ek", &ekx);
	field(t, "K", &k);
	rc = r->be->ops->keygen(r->be, a, &seed, ek, dk, &handle);
	if (!rc && ekx.p && !same(ek, a->p->ek_len, &ekx))
		mismatch = "ek";
	if (!rc) {
		dkb.p = dk;
		dkb.n = a->p->dk_len;
		rc = r->be->ops->decaps(r->be, &da, handle,
					r->kernel ? NULL : &dkb, &c, ss);
		if (!rc && !mismatch && !same(ss, sizeof(ss), &k))
			mismatch = "K";
	}
	judge(r, t, result, rc, mismatch);
	drop(r, handle);
out:
	pqkem_wipe(dk, sizeof(dk));
	pqkem_buf_free(&seed);
	pqkem_buf_free(&ekx);
	pqkem_buf_free(&c);
	pqkem_buf_free(&k);
}

/* Encaps(ek, m) = (c, K) */
static void t_encaps(struct run *r, const struct pqkem_alg *a, json_object *t,
		     const char *result)
{
	uint8_t ct[MLKEM_MAX_CT_BYTES], ss[32];
	struct pqkem_buf ek, m, cx, k;
	const char *mismatch = NULL;
	int rc;

	if (!field(t, "ek", &ek) || !field(t, "m", &m)) {
		case_fail(r, t, "vector lacks ek or m");
		goto out;
	}
	field(t, "c", &cx);
	field(t, "K", &k);
	rc = r->be->ops->encaps(r->be, a, &ek, &m, ct, ss);
	if (!rc && !same(ct, a->p->ct_len, &cx))
		mismatch = "c";
	else if (!rc && !same(ss, sizeof(ss), &k))
		mismatch = "K";
	judge(r, t, result, rc, mismatch);
out:
	pqkem_buf_free(&ek);
	pqkem_buf_free(&m);
	pqkem_buf_free(&cx);
	pqkem_buf_free(&k);
}

/*
 * KeyGen(seed) = (ek, dk). The kernel never returns dk: check that its key
 * decapsulates like the vector's dk instead (Encaps to ek in-process, then
 * Decaps in the kernel with the handle and with the explicit dk).
 */
static void t_keygen(struct run *r, const struct pqkem_alg *a, json_object *t,
		     const char *result)
{
	uint8_t ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	uint8_t ct[MLKEM_MAX_CT_BYTES], ss[32], ss1[32], ss2[32];
	struct pqkem_buf seed, ekx, dkx, ctb, m;
	struct pqkem_be ube = { .ops = &pqkem_user_ops };
	const char *mismatch = NULL;
	const struct pqkem_alg *da = a;
	uint64_t handle = 0;
	int rc;

	if (!field(t, "seed", &seed) || !field(t, "ek", &ekx) ||
	    !field(t, "dk", &dkx)) {
		case_fail(r, t, "vector lacks seed, ek or dk");
		goto out;
	}
	rc = r->be->ops->keygen(r->be, a, &seed, ek, dk, &handle);
	if (!rc && !same(ek, a->p->ek_len, &ekx))
		mismatch = "ek";
	else if (!rc && !r->kernel && !same(dk, a->p->dk_len, &dkx))
		mismatch = "dk";
	else if (!rc && r->kernel) {
		uint8_t mm[32];

		memset(mm, 0x5a, sizeof(mm));
		m.p = mm;
		m.n = sizeof(mm);
		ctb.p = ct;
		ctb.n = a->p->ct_len;
		if (ube.ops->open(&ube) ||
		    ube.ops->encaps(&ube, a, &ekx, &m, ct, ss)) {
			case_fail(r, t, "in-process encaps to the vector's ek failed");
			ube.ops->close(&ube);
			drop(r, handle);
			goto out;
		}
		ube.ops->close(&ube);
		rc = r->be->ops->decaps(r->be, &da, handle, NULL, &ctb, ss1);
		if (!rc) {
			da = a;
			rc = r->be->ops->decaps(r->be, &da, 0, &dkx, &ctb, ss2);
		}
		if (!rc && (memcmp(ss, ss1, 32) || memcmp(ss, ss2, 32)))
			mismatch = "the kernel key's decapsulation (dk)";
	}
	judge(r, t, result, rc, mismatch);
	drop(r, handle);
out:
	pqkem_wipe(dk, sizeof(dk));
	pqkem_buf_free(&seed);
	pqkem_buf_free(&ekx);
	pqkem_buf_free(&dkx);
}

/* Decaps(dk, c) = K with an explicit (possibly malformed) dk */
static void t_decaps_dk(struct run *r, const struct pqkem_alg *a,
			json_object *t, const char *result)
{
	struct pqkem_buf dk, c, k;
	const struct pqkem_alg *da = a;
	uint8_t ss[32];
	int rc;

	if (!field(t, "dk", &dk) || !field(t, "c", &c)) {
		case_fail(r, t, "vector lacks dk or c");
		goto out;
	}
	field(t, "K", &k);
	rc = r->be->ops->decaps(r->be, &da, 0, &dk, &c, ss);
	judge(r, t, result, rc, !rc && !same(ss, sizeof(ss), &k) ? "K" : NULL);
out:
	pqkem_buf_free(&dk);
	pqkem_buf_free(&c);
	pqkem_buf_free(&k);
}

typedef void (*case_fn)(struct run *r, const struct pqkem_alg *a,
			json_object *t, const char *result);

static const struct {
	const char *schema;
	case_fn fn;
} schemas[] = {
	{ "mlkem_test_schema.json", t_decaps_seed },
	{ "mlkem_encaps_test_schema.json", t_encaps },
	{ "mlkem_keygen_seed_test_schema.json", t_keygen },
	{ "mlkem_semi_expanded_decaps_test_schema.json", t_decaps_dk },
};

static const struct pqkem_alg *alg_by_param_set(const char *ps)
{
	if (!ps)
		return NULL;
	if (!strcmp(ps, "ML-KEM-512"))
		return pqkem_alg_by_name("mlkem512");
	if (!strcmp(ps, "ML-KEM-768"))
		return pqkem_alg_by_name("mlkem768");
	if (!strcmp(ps, "ML-KEM-1024"))
		return pqkem_alg_by_name("mlkem1024");
	return NULL;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	       json_object_get_string(v) : NULL;
}

/* Returns true when the file's unit passed. */
static bool run_file(struct run *r, const char *dir, const char *name)
{
	char path[4096];
	json_object *root, *groups;
	const char *schema;
	case_fn fn = NULL;
	size_t i, j, gi;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	r->file = name;
	r->cases = r->failed = r->invalid = r->valid = 0;
	root = json_object_from_file(path);
	if (!root) {
		printf("not ok - %s %s: cannot parse: %s\n", r->be->ops->name,
		       name, json_util_get_last_err());
		return false;
	}
	schema = str(root, "schema");
	for (i = 0; schema && i < ARRAY_SIZE(schemas); i++)
		if (!strcmp(schema, schemas[i].schema))
			fn = schemas[i].fn;
	if (!fn || !json_object_object_get_ex(root, "testGroups", &groups)) {
		printf("not ok - %s %s: unknown schema %s\n", r->be->ops->name,
		       name, schema ? schema : "(none)");
		json_object_put(root);
		return false;
	}
	for (gi = 0; gi < json_object_array_length(groups); gi++) {
		json_object *g = json_object_array_get_idx(groups, gi), *tests;
		const struct pqkem_alg *a = alg_by_param_set(str(g, "parameterSet"));
		size_t nvalid = 0, vidx = 0, step;

		if (!a || !json_object_object_get_ex(g, "tests", &tests)) {
			printf("    # %s: group %zu: unknown parameterSet or no tests\n",
			       name, gi);
			r->failed++;
			continue;
		}
		for (j = 0; j < json_object_array_length(tests); j++) {
			const char *res = str(json_object_array_get_idx(tests, j),
					      "result");

			nvalid += res && strcmp(res, "invalid");
		}
		step = r->valid_per_file && nvalid > r->valid_per_file ?
		       nvalid / r->valid_per_file : 1;
		for (j = 0; j < json_object_array_length(tests); j++) {
			json_object *t = json_object_array_get_idx(tests, j);
			const char *res = str(t, "result");

			if (!res || (strcmp(res, "valid") && strcmp(res, "invalid") &&
				     strcmp(res, "acceptable"))) {
				case_fail(r, t, "bad result field");
				continue;
			}
			if (strcmp(res, "invalid")) {
				bool take = vidx % step == 0 &&
					    (!r->valid_per_file ||
					     vidx / step < r->valid_per_file);

				vidx++;
				if (!take)
					continue;
			}
			r->cases++;
			fn(r, a, t, res);
		}
	}
	json_object_put(root);
	if (r->failed) {
		printf("not ok - %s %s: %u of %u cases failed\n",
		       r->be->ops->name, name, r->failed, r->cases);
		return false;
	}
	if (!r->cases) {
		printf("not ok - %s %s: no cases\n", r->be->ops->name, name);
		return false;
	}
	printf("ok - %s %s: %u invalid and %u valid cases\n", r->be->ops->name,
	       name, r->invalid, r->valid);
	return true;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pqkem-vectors [--backend kernel|user] [--valid N | --all] DIR\n");
}

int main(int argc, char **argv)
{
	const char *backend = "kernel", *dir = NULL;
	struct pqkem_be be = { 0 };
	struct run r = { .be = &be, .valid_per_file = 12 };
	unsigned int pass = 0, fail = 0, skip = 0;
	char *names[64];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;
	int k;

	for (k = 1; k < argc; k++) {
		uint64_t v;

		if (!strcmp(argv[k], "--backend") && k + 1 < argc) {
			backend = argv[++k];
		} else if (!strcmp(argv[k], "--valid") && k + 1 < argc &&
			   !pqkem_parse_u64(argv[k + 1], &v) && v > 0 && v < 100000) {
			r.valid_per_file = (unsigned int)v;
			k++;
		} else if (!strcmp(argv[k], "--all")) {
			r.valid_per_file = 0;
		} else if (!strcmp(argv[k], "-h") || !strcmp(argv[k], "--help")) {
			usage(stdout);
			return 0;
		} else if (argv[k][0] != '-' && !dir) {
			dir = argv[k];
		} else {
			usage(stderr);
			return PQKEM_EXIT_USAGE;
		}
	}
	be.ops = pqkem_backend_by_name(backend);
	if (!dir || !be.ops) {
		usage(stderr);
		return PQKEM_EXIT_USAGE;
	}
	r.kernel = be.ops == &pqkem_kernel_ops;
	d = opendir(dir);
	if (!d) {
		printf("skip - %s: %s (set VECTORS=)\n", dir, strerror(errno));
		printf("0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	while ((de = readdir(d)) && n < ARRAY_SIZE(names)) {
		size_t len = strlen(de->d_name);

		if (!strncmp(de->d_name, "mlkem_", 6) && len > 5 &&
		    !strcmp(de->d_name + len - 5, ".json"))
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (!n) {
		printf("skip - no mlkem_*.json in %s\n", dir);
		printf("0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	qsort(names, n, sizeof(names[0]), by_name);
	if (be.ops->open(&be)) {
		printf("not ok - %s backend: %s\n", backend, be.err);
		printf("0 passed, 1 failed, 0 skipped\n");
		for (i = 0; i < n; i++)
			free(names[i]);
		be.ops->close(&be);
		return be.open_status ? be.open_status : 1;
	}
	for (i = 0; i < n; i++) {
		if (run_file(&r, dir, names[i]))
			pass++;
		else
			fail++;
		free(names[i]);
	}
	be.ops->close(&be);
	printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	return fail ? 1 : 0;
}
