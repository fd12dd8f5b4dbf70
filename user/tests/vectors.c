// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Runs every ML-KEM test vector of ../shared/vectors against the portable
 * core: Wycheproof (final FIPS 203), NIST ACVP and C2SP CCTV.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vectors.h"
#include "impls.h"

enum kind { WYCHEPROOF, ACVP, CCTV_MODULUS, CCTV_STRCMP, CCTV_UNLUCKY };

struct vfile {
	const char *dir;	/* subdirectory of $VECTORS */
	const char *file;
	enum kind kind;
	const struct mlkem_params *p;	/* NULL: several sets in one file */
};

#define WP(set, what) { "mlkem/wycheproof", "mlkem_" #set what ".json", \
			WYCHEPROOF, &mlkem##set##_params }
#define CCTV(sub, set, ext, kind) { "mlkem/cctv/" sub, "ML-KEM-" #set ext, \
				    kind, &mlkem##set##_params }

static const struct vfile vfiles[] = {
	WP(512, "_test"), WP(768, "_test"), WP(1024, "_test"),
	WP(512, "_encaps_test"), WP(768, "_encaps_test"),
	WP(1024, "_encaps_test"),
	WP(512, "_keygen_seed_test"), WP(768, "_keygen_seed_test"),
	WP(1024, "_keygen_seed_test"),
	WP(512, "_semi_expanded_decaps_test"),
	WP(768, "_semi_expanded_decaps_test"),
	WP(1024, "_semi_expanded_decaps_test"),
	{ "mlkem/acvp", "ML-KEM-keyGen-FIPS203.internalProjection.json", ACVP,
	  NULL },
	{ "mlkem/acvp", "ML-KEM-encapDecap-FIPS203.internalProjection.json",
	  ACVP, NULL },
	CCTV("modulus", 512, ".txt.gz", CCTV_MODULUS),
	CCTV("modulus", 768, ".txt.gz", CCTV_MODULUS),
	CCTV("modulus", 1024, ".txt.gz", CCTV_MODULUS),
	CCTV("strcmp", 512, ".txt", CCTV_STRCMP),
	CCTV("strcmp", 768, ".txt", CCTV_STRCMP),
	CCTV("strcmp", 1024, ".txt", CCTV_STRCMP),
	CCTV("unluckysample", 512, ".txt", CCTV_UNLUCKY),
	CCTV("unluckysample", 768, ".txt", CCTV_UNLUCKY),
	CCTV("unluckysample", 1024, ".txt", CCTV_UNLUCKY),
};

const struct mlkem_params *params_by_name(const char *name)
{
	static const struct mlkem_params *const all[] = {
		&mlkem512_params, &mlkem768_params, &mlkem1024_params,
	};
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}

const char *json_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

bool json_blob(struct group *g, const char *id, json_object *o,
	       const char *key, struct blob *b)
{
	json_object *v;

	b->p = NULL;
	b->n = 0;
	b->present = false;
	if (!json_object_object_get_ex(o, key, &v))
		return true;
	if (!json_object_is_type(v, json_type_string)) {
		case_fail(g, id, "field \"%s\" is not a string", key);
		return false;
	}
	if (!hex_decode(b, json_object_get_string(v),
			(size_t)json_object_get_string_len(v))) {
		case_fail(g, id, "field \"%s\" is not hex", key);
		return false;
	}
	return true;
}

json_object *json_load(struct group *g, const char *path)
{
	json_object *o = json_object_from_file(path);

	if (!o)
		group_error(g, "cannot parse %s: %s", path,
			    json_util_get_last_err());
	return o;
}

bool expect_bytes(struct group *g, const char *id, const char *what,
		  const u8 *got, size_t got_len, const struct blob *exp)
{
	size_t i;

	if (!exp->present) {
		case_fail(g, id, "expected %s missing from the vector", what);
		return false;
	}
	if (got_len != exp->n) {
		case_fail(g, id, "%s: %zu bytes, expected %zu", what, got_len,
			  exp->n);
		return false;
	}
	for (i = 0; i < got_len; i++)
		if (got[i] != exp->p[i])
			break;
	if (i == got_len)
		return true;
	case_fail(g, id, "%s differs at byte %zu (got %02x, expected %02x)",
		  what, i, got[i], exp->p[i]);
	return false;
}

bool all_sentinel(const u8 *p, size_t n)
{
	while (n--)
		if (*p++ != SENTINEL)
			return false;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: vectors [-v] [VECTORS_DIR]\n"
"\n"
"Runs every ML-KEM test vector under VECTORS_DIR (default: $VECTORS, else\n"
"../shared/vectors) against the core: Wycheproof mlkem_{512,768,1024}_*.json,\n"
"ACVP keyGen/encapDecap, CCTV modulus/strcmp/unluckysample.\n"
"\n"
"Counting: the unit is a test FILE (%zu of them). A file passes when every case\n"
"in it passes; each failing case is printed as 'not ok - FILE ID: why'.\n"
"A missing directory or file is reported as 'skip - FILE (no vectors)'.\n"
"The last line is 'N passed, N failed, N skipped' (files); exit status 1 if\n"
"any file failed.\n"
"\n"
"  -v  print the name of each file before running it\n",
		ARRAY_SIZE(vfiles));
}

int main(int argc, char **argv)
{
	const char *root = getenv("VECTORS");
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	unsigned int b, nimpl = test_impls(impls);
	struct mlkem_ws *ws;
	struct stat st;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "vh")) != -1) {
		switch (opt) {
		case 'v':
			report_verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc)
		root = argv[optind++];
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (!root || !*root)
		root = "../shared/vectors";

	ws = aligned_alloc(32, sizeof(*ws));
	if (!ws) {
		perror("aligned_alloc");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* Every file against every backend the CPU supports. */
	for (b = 0; b < nimpl; b++) {
		mlkem_ws_set_impl(ws, impls[b]);
		for (i = 0; i < ARRAY_SIZE(vfiles); i++) {
			const struct vfile *v = &vfiles[i];
			char name[256], dir[4096], path[4096 + 256];
			struct group g;

			snprintf(name, sizeof(name), "%s/%s [%s]",
				 strrchr(v->dir, '/') ? strchr(v->dir, '/') + 1 : v->dir,
				 v->file, mlkem_impl_name(impls[b]));
			snprintf(dir, sizeof(dir), "%s/%s", root, v->dir);
			snprintf(path, sizeof(path), "%s/%s", dir, v->file);
			if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
				group_skip(name, "no vectors");
				continue;
			}
			if (stat(path, &st)) {
				group_skip(name, "no vectors: file missing");
				continue;
			}
			group_begin(&g, name);
			switch (v->kind) {
			case WYCHEPROOF:
				run_wycheproof(&g, path, v->p, ws);
				break;
			case ACVP:
				run_acvp(&g, path, ws);
				break;
			case CCTV_MODULUS:
				run_cctv_modulus(&g, path, v->p, ws);
				break;
			case CCTV_STRCMP:
				run_cctv_strcmp(&g, path, v->p, ws);
				break;
			case CCTV_UNLUCKY:
				run_cctv_unlucky(&g, path, v->p, ws);
				break;
			}
			group_end(&g);
		}
	}
	for (b = 0; b < mlkem_nimpls; b++)
		if (!mlkem_impl_usable(test_all_impls[b]))
			group_skip(mlkem_impl_name(test_all_impls[b]),
				   "backend not usable on this CPU");
	free(ws);
	return report_summary();
}
