// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * NIST ACVP ML-KEM vectors (FIPS203 revision, "internalProjection" files that
 * carry inputs and expected outputs together):
 *   keyGen                 (d, z) -> (ek, dk)
 *   encapsulation          (ek, m) -> (c, k); also Decaps(dk, c) = k
 *   decapsulation          (dk, c) -> k, valid and modified ciphertexts
 *   encapsulationKeyCheck  ek accepted iff testPassed (length + 7.2 check)
 *   decapsulationKeyCheck  dk accepted iff testPassed (length + 7.3 check)
 */
#include <stdio.h>
#include <string.h>

#include "vectors.h"

struct acase {
	struct group *g;
	char id[40];
	const struct mlkem_params *p;
	json_object *t;
	struct mlkem_ws *ws;
};

static bool get(struct acase *c, const char *key, struct blob *b)
{
	if (!json_blob(c->g, c->id, c->t, key, b))
		return false;
	if (!b->present) {
		case_fail(c->g, c->id, "field \"%s\" missing", key);
		return false;
	}
	return true;
}

static void acvp_keygen(struct acase *c)
{
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	struct blob d = { 0 }, z = { 0 }, ekx = { 0 }, dkx = { 0 };

	if (!get(c, "d", &d) || !get(c, "z", &z) || !get(c, "ek", &ekx) ||
	    !get(c, "dk", &dkx))
		goto out;
	if (d.n != MLKEM_SYMBYTES || z.n != MLKEM_SYMBYTES) {
		case_fail(c->g, c->id, "d or z is not 32 bytes");
		goto out;
	}
	if (mlkem_keygen_internal(c->p, ek, dk, d.p, z.p, c->ws)) {
		case_fail(c->g, c->id, "mlkem_keygen_internal() failed");
		goto out;
	}
	if (expect_bytes(c->g, c->id, "ek", ek, c->p->ek_len, &ekx))
		expect_bytes(c->g, c->id, "dk", dk, c->p->dk_len, &dkx);
out:
	blob_free(&d);
	blob_free(&z);
	blob_free(&ekx);
	blob_free(&dkx);
}

static void acvp_encaps(struct acase *c)
{
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	struct blob ek = { 0 }, dk = { 0 }, m = { 0 }, ctx = { 0 }, k = { 0 };

	if (!get(c, "ek", &ek) || !get(c, "m", &m) || !get(c, "c", &ctx) ||
	    !get(c, "k", &k) || !json_blob(c->g, c->id, c->t, "dk", &dk))
		goto out;
	if (ek.n != c->p->ek_len || m.n != MLKEM_SYMBYTES) {
		case_fail(c->g, c->id, "ek or m has the wrong length");
		goto out;
	}
	if (mlkem_encaps_internal(c->p, ct, ss, ek.p, m.p, c->ws)) {
		case_fail(c->g, c->id, "mlkem_encaps_internal() rejected ek");
		goto out;
	}
	if (!expect_bytes(c->g, c->id, "c", ct, c->p->ct_len, &ctx) ||
	    !expect_bytes(c->g, c->id, "k", ss, sizeof(ss), &k) ||
	    !dk.present)
		goto out;
	if (dk.n != c->p->dk_len) {
		case_fail(c->g, c->id, "dk has the wrong length");
		goto out;
	}
	if (mlkem_decaps(c->p, ss, ct, dk.p, c->ws))
		case_fail(c->g, c->id, "mlkem_decaps() rejected dk");
	else
		expect_bytes(c->g, c->id, "k from Decaps(dk, c)", ss,
			     sizeof(ss), &k);
out:
	blob_free(&ek);
	blob_free(&dk);
	blob_free(&m);
	blob_free(&ctx);
	blob_free(&k);
}

static void acvp_decaps(struct acase *c)
{
	u8 ss[MLKEM_SSBYTES];
	struct blob dk = { 0 }, ct = { 0 }, k = { 0 };

	if (!get(c, "dk", &dk) || !get(c, "c", &ct) || !get(c, "k", &k))
		goto out;
	if (dk.n != c->p->dk_len || ct.n != c->p->ct_len) {
		case_fail(c->g, c->id, "dk or c has the wrong length");
		goto out;
	}
	if (mlkem_decaps(c->p, ss, ct.p, dk.p, c->ws))
		case_fail(c->g, c->id, "mlkem_decaps() rejected dk");
	else
		expect_bytes(c->g, c->id, "k", ss, sizeof(ss), &k);
out:
	blob_free(&dk);
	blob_free(&ct);
	blob_free(&k);
}

/* Returns 1 (accepted), 0 (rejected) or -1 (no usable testPassed). */
static int test_passed(struct acase *c)
{
	json_object *v;

	if (!json_object_object_get_ex(c->t, "testPassed", &v) ||
	    !json_object_is_type(v, json_type_boolean)) {
		case_fail(c->g, c->id, "no boolean testPassed");
		return -1;
	}
	return json_object_get_boolean(v) ? 1 : 0;
}

static void acvp_ek_check(struct acase *c)
{
	static const u8 m[MLKEM_SYMBYTES];
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	struct blob ek = { 0 };
	int want = test_passed(c), got, rc;
	const char *why = "length";

	if (want < 0 || !get(c, "ek", &ek))
		goto out;
	got = ek.n == c->p->ek_len;
	if (got) {
		why = "mlkem_check_ek()";
		got = !mlkem_check_ek(c->p, ek.p, c->ws);
		rc = mlkem_encaps_internal(c->p, ct, ss, ek.p, m, c->ws);
		if ((rc == 0) != got)
			case_fail(c->g, c->id,
				  "mlkem_check_ek() and mlkem_encaps_internal() disagree");
	}
	if (got != want)
		case_fail(c->g, c->id, "ek %s by %s, testPassed is %s",
			  got ? "accepted" : "rejected", why,
			  want ? "true" : "false");
out:
	blob_free(&ek);
}

static void acvp_dk_check(struct acase *c)
{
	u8 ct[MLKEM_MAX_CT_BYTES] = { 0 }, ss[MLKEM_SSBYTES];
	struct blob dk = { 0 };
	int want = test_passed(c), got, rc;
	const char *why = "length";

	if (want < 0 || !get(c, "dk", &dk))
		goto out;
	got = dk.n == c->p->dk_len;
	if (got) {
		why = "mlkem_check_dk()";
		got = !mlkem_check_dk(c->p, dk.p);
		rc = mlkem_decaps(c->p, ss, ct, dk.p, c->ws);
		if ((rc == 0) != got)
			case_fail(c->g, c->id,
				  "mlkem_check_dk() and mlkem_decaps() disagree");
	}
	if (got != want)
		case_fail(c->g, c->id, "dk %s by %s, testPassed is %s",
			  got ? "accepted" : "rejected", why,
			  want ? "true" : "false");
out:
	blob_free(&dk);
}

static const struct {
	const char *mode, *function;
	void (*fn)(struct acase *c);
} functions[] = {
	{ "keyGen", NULL, acvp_keygen },
	{ "encapDecap", "encapsulation", acvp_encaps },
	{ "encapDecap", "decapsulation", acvp_decaps },
	{ "encapDecap", "encapsulationKeyCheck", acvp_ek_check },
	{ "encapDecap", "decapsulationKeyCheck", acvp_dk_check },
};

void run_acvp(struct group *g, const char *path, struct mlkem_ws *ws)
{
	json_object *root, *groups, *v;
	const char *mode;
	size_t i, j, f;

	root = json_load(g, path);
	if (!root)
		return;
	mode = json_str(root, "mode");
	if (!mode || !json_object_object_get_ex(root, "testGroups", &groups) ||
	    !json_object_is_type(groups, json_type_array)) {
		group_error(g, "no mode or no testGroups");
		goto out;
	}
	for (i = 0; i < json_object_array_length(groups); i++) {
		json_object *tg = json_object_array_get_idx(groups, i), *tests;
		const char *set = json_str(tg, "parameterSet");
		const char *fun = json_str(tg, "function");
		const struct mlkem_params *p = params_by_name(set);
		int tgid = json_object_object_get_ex(tg, "tgId", &v) ?
			   json_object_get_int(v) : -1;

		for (f = 0; f < ARRAY_SIZE(functions); f++)
			if (!strcmp(mode, functions[f].mode) &&
			    (!functions[f].function ||
			     (fun && !strcmp(fun, functions[f].function))))
				break;
		if (f == ARRAY_SIZE(functions) || !p ||
		    !json_object_object_get_ex(tg, "tests", &tests)) {
			group_error(g, "tgId %d: unsupported mode %s function %s set %s, or no tests",
				    tgid, mode, fun ? fun : "-",
				    set ? set : "-");
			continue;
		}
		for (j = 0; j < json_object_array_length(tests); j++) {
			struct acase c = {
				.g = g, .p = p, .ws = ws,
				.t = json_object_array_get_idx(tests, j),
			};

			snprintf(c.id, sizeof(c.id), "tgId %d tcId %d", tgid,
				 json_object_object_get_ex(c.t, "tcId", &v) ?
				 json_object_get_int(v) : -1);
			g->cases++;
			if (json_object_object_get_ex(c.t, "deferred", &v) &&
			    json_object_get_boolean(v)) {
				case_fail(g, c.id, "deferred cases are not supported");
				continue;
			}
			functions[f].fn(&c);
		}
	}
out:
	json_object_put(root);
}
