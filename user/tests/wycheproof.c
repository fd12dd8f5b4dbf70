// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Wycheproof ML-KEM vectors (testvectors_v1, final FIPS 203). Four schemas:
 *   mlkem_test_schema.json            seed -> KeyGen_internal -> ek; Decaps(c) = K
 *   mlkem_encaps_test_schema.json     Encaps_internal(ek, m) = (c, K)
 *   mlkem_keygen_seed_test_schema.json KeyGen_internal(seed) = (ek, dk)
 *   mlkem_semi_expanded_decaps_test_schema.json Decaps(dk, c) = K
 *
 * "invalid" cases must be rejected, either by the length ("type") checks that
 * a caller of the core does - as the kernel glue will - or by the core itself
 * (-EINVAL from the 7.2 modulus check or the 7.3 hash check). Flags that say
 * which of the two applies are enforced. "acceptable" may go either way, but
 * if accepted the outputs must match. A call that fails must leave the shared
 * secret buffer untouched.
 */
#include <stdio.h>
#include <string.h>

#include "vectors.h"

enum outcome { ACCEPT, REJECT_LENGTH, REJECT_CORE };

static const char *const outcome_name[] = {
	"accepted", "the length check", "the core (-EINVAL)",
};

struct wcase {
	struct group *g;
	char id[32];
	const char *result;
	enum outcome want_reject;	/* ACCEPT: no flag says which check */
	bool bad;			/* a failure was already reported */
};

static const struct {
	const char *flag;
	enum outcome reject;
} known_flags[] = {
	{ "Strcmp", ACCEPT },
	{ "MalleableCiphertext", ACCEPT },
	{ "ModulusOverflow", REJECT_CORE },
	{ "InvalidDecapsulationKey", REJECT_CORE },
	{ "IncorrectCiphertextLength", REJECT_LENGTH },
	{ "IncorrectDecapsulationKeyLength", REJECT_LENGTH },
};

static void fail(struct wcase *c, const char *fmt, const char *arg)
{
	case_fail(c->g, c->id, fmt, arg);
	c->bad = true;
}

static bool case_begin(struct wcase *c, struct group *g, json_object *t)
{
	json_object *v, *flags;
	size_t i, j;

	c->g = g;
	c->bad = false;
	c->want_reject = ACCEPT;
	snprintf(c->id, sizeof(c->id), "tcId %d",
		 json_object_object_get_ex(t, "tcId", &v) ?
		 json_object_get_int(v) : -1);
	c->result = json_str(t, "result");
	if (!c->result || (strcmp(c->result, "valid") &&
			   strcmp(c->result, "invalid") &&
			   strcmp(c->result, "acceptable"))) {
		fail(c, "bad \"result\" %s", c->result ? c->result : "(none)");
		return false;
	}
	if (!json_object_object_get_ex(t, "flags", &flags))
		return true;
	for (i = 0; i < json_object_array_length(flags); i++) {
		const char *f = json_object_get_string(
				json_object_array_get_idx(flags, i));

		for (j = 0; j < ARRAY_SIZE(known_flags); j++)
			if (f && !strcmp(f, known_flags[j].flag))
				break;
		if (j == ARRAY_SIZE(known_flags)) {
			fail(c, "unknown flag %s: teach wycheproof.c about it",
			     f ? f : "(null)");
			return false;
		}
		if (known_flags[j].reject != ACCEPT)
			c->want_reject = known_flags[j].reject;
	}
	return true;
}

/*
 * Judges the outcome against "result". Returns true when the outputs of the
 * case must now be compared with the expected ones.
 */
static bool verdict(struct wcase *c, enum outcome o, const char *why)
{
	if (c->bad)
		return false;
	if (!strcmp(c->result, "valid")) {
		if (o != ACCEPT)
			fail(c, "valid case rejected: %s", why);
		return o == ACCEPT;
	}
	if (!strcmp(c->result, "invalid")) {
		if (o == ACCEPT)
			fail(c, "invalid case accepted%s", "");
		else if (c->want_reject != ACCEPT && c->want_reject != o)
			fail(c, "rejected by %s, but its flags name the other check",
			     outcome_name[o]);
		return false;
	}
	return o == ACCEPT;	/* acceptable */
}

static void wp_test(struct wcase *c, const struct mlkem_params *p,
		    json_object *t, struct mlkem_ws *ws)
{
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	u8 ss[MLKEM_SSBYTES], ss2[MLKEM_SSBYTES];
	struct blob seed, ekx, ct, k;
	enum outcome o = ACCEPT;
	const char *why = "";
	int rc;

	if (!json_blob(c->g, c->id, t, "seed", &seed) ||
	    !json_blob(c->g, c->id, t, "ek", &ekx) ||
	    !json_blob(c->g, c->id, t, "c", &ct) ||
	    !json_blob(c->g, c->id, t, "K", &k)) {
		c->bad = true;
		goto out;
	}
	if (!seed.present || !ct.present) {
		fail(c, "vector lacks seed or c%s", "");
		goto out;
	}
	if (seed.n != MLKEM_SEEDBYTES) {
		o = REJECT_LENGTH;
		why = "seed length";
		goto judge;
	}
	rc = mlkem_keygen_internal(p, ek, dk, seed.p,
				   seed.p + MLKEM_SYMBYTES, ws);
	if (rc) {
		fail(c, "mlkem_keygen_internal failed%s", "");
		goto out;
	}
	if (ekx.present && !expect_bytes(c->g, c->id, "ek", ek, p->ek_len,
					 &ekx)) {
		c->bad = true;
		goto out;
	}
	if (ct.n != p->ct_len) {
		o = REJECT_LENGTH;
		why = "ciphertext length";
		goto judge;
	}
	memset(ss, SENTINEL, sizeof(ss));
	rc = mlkem_decaps(p, ss, ct.p, dk, ws);
	if (rc) {
		o = REJECT_CORE;
		why = "mlkem_decaps() failed on a fresh key";
		if (!all_sentinel(ss, sizeof(ss)))
			fail(c, "failed mlkem_decaps() wrote ss%s", "");
		goto judge;
	}
	rc = mlkem_decaps_internal(p, ss2, ct.p, dk, ws);
	if (rc || memcmp(ss, ss2, sizeof(ss)))
		fail(c, "mlkem_decaps_internal() disagrees with mlkem_decaps()%s",
		     "");
judge:
	if (verdict(c, o, why))
		c->bad |= !expect_bytes(c->g, c->id, "K", ss, sizeof(ss), &k);
out:
	blob_free(&seed);
	blob_free(&ekx);
	blob_free(&ct);
	blob_free(&k);
}

static void wp_encaps(struct wcase *c, const struct mlkem_params *p,
		      json_object *t, struct mlkem_ws *ws)
{
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	struct blob ek, m, ctx, k;
	enum outcome o = ACCEPT;
	const char *why = "";
	int rc, chk;

	if (!json_blob(c->g, c->id, t, "ek", &ek) ||
	    !json_blob(c->g, c->id, t, "m", &m) ||
	    !json_blob(c->g, c->id, t, "c", &ctx) ||
	    !json_blob(c->g, c->id, t, "K", &k)) {
		c->bad = true;
		goto out;
	}
	if (!ek.present || !m.present) {
		fail(c, "vector lacks ek or m%s", "");
		goto out;
	}
	if (m.n != MLKEM_SYMBYTES) {
		o = REJECT_LENGTH;
		why = "m length";
		goto judge;
	}
	if (ek.n != p->ek_len) {
		o = REJECT_LENGTH;
		why = "ek length";
		goto judge;
	}
	chk = mlkem_check_ek(p, ek.p, ws);
	memset(ss, SENTINEL, sizeof(ss));
	rc = mlkem_encaps_internal(p, ct, ss, ek.p, m.p, ws);
	if ((rc != 0 && rc != -EINVAL) || (chk != 0 && chk != -EINVAL)) {
		fail(c, "unexpected return value from encaps/check_ek%s", "");
		goto out;
	}
	if (!rc != !chk)
		fail(c, "mlkem_check_ek() and mlkem_encaps_internal() disagree%s",
		     "");
	if (rc) {
		o = REJECT_CORE;
		why = "encaps returned -EINVAL (modulus check)";
		if (!all_sentinel(ss, sizeof(ss)))
			fail(c, "failed mlkem_encaps_internal() wrote ss%s", "");
	}
judge:
	if (verdict(c, o, why) &&
	    expect_bytes(c->g, c->id, "c", ct, p->ct_len, &ctx))
		c->bad |= !expect_bytes(c->g, c->id, "K", ss, sizeof(ss), &k);
out:
	blob_free(&ek);
	blob_free(&m);
	blob_free(&ctx);
	blob_free(&k);
}

static void wp_keygen(struct wcase *c, const struct mlkem_params *p,
		      json_object *t, struct mlkem_ws *ws)
{
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	struct blob seed, ekx, dkx;
	enum outcome o = ACCEPT;
	const char *why = "";

	if (!json_blob(c->g, c->id, t, "seed", &seed) ||
	    !json_blob(c->g, c->id, t, "ek", &ekx) ||
	    !json_blob(c->g, c->id, t, "dk", &dkx)) {
		c->bad = true;
		goto out;
	}
	if (seed.n != MLKEM_SEEDBYTES) {
		o = REJECT_LENGTH;
		why = "seed length";
	} else if (mlkem_keygen_internal(p, ek, dk, seed.p,
					 seed.p + MLKEM_SYMBYTES, ws)) {
		o = REJECT_CORE;
		why = "mlkem_keygen_internal() failed";
	}
	if (!verdict(c, o, why))
		goto out;
	if (!expect_bytes(c->g, c->id, "ek", ek, p->ek_len, &ekx) ||
	    !expect_bytes(c->g, c->id, "dk", dk, p->dk_len, &dkx))
		goto out;
	if (mlkem_check_ek(p, ek, ws) || mlkem_check_dk(p, dk))
		fail(c, "generated key fails mlkem_check_ek/dk()%s", "");
out:
	blob_free(&seed);
	blob_free(&ekx);
	blob_free(&dkx);
}

static void wp_decaps(struct wcase *c, const struct mlkem_params *p,
		      json_object *t, struct mlkem_ws *ws)
{
	u8 ss[MLKEM_SSBYTES], ss2[MLKEM_SSBYTES];
	struct blob dk, ct, ek, k;
	enum outcome o = ACCEPT;
	const char *why = "";
	int rc, chk;

	if (!json_blob(c->g, c->id, t, "dk", &dk) ||
	    !json_blob(c->g, c->id, t, "c", &ct) ||
	    !json_blob(c->g, c->id, t, "ek", &ek) ||
	    !json_blob(c->g, c->id, t, "K", &k)) {
		c->bad = true;
		goto out;
	}
	if (!dk.present || !ct.present) {
		fail(c, "vector lacks dk or c%s", "");
		goto out;
	}
	if (dk.n != p->dk_len) {
		o = REJECT_LENGTH;
		why = "dk length";
		goto judge;
	}
	if (ct.n != p->ct_len) {
		o = REJECT_LENGTH;
		why = "ciphertext length";
		goto judge;
	}
	chk = mlkem_check_dk(p, dk.p);
	memset(ss, SENTINEL, sizeof(ss));
	rc = mlkem_decaps(p, ss, ct.p, dk.p, ws);
	if ((rc != 0 && rc != -EINVAL) || (chk != 0 && chk != -EINVAL)) {
		fail(c, "unexpected return value from decaps/check_dk%s", "");
		goto out;
	}
	if (!rc != !chk)
		fail(c, "mlkem_check_dk() and mlkem_decaps() disagree%s", "");
	if (rc) {
		o = REJECT_CORE;
		why = "decaps returned -EINVAL (hash check)";
		if (!all_sentinel(ss, sizeof(ss)))
			fail(c, "failed mlkem_decaps() wrote ss%s", "");
		goto judge;
	}
	rc = mlkem_decaps_internal(p, ss2, ct.p, dk.p, ws);
	if (rc || memcmp(ss, ss2, sizeof(ss)))
		fail(c, "mlkem_decaps_internal() disagrees with mlkem_decaps()%s",
		     "");
judge:
	if (!verdict(c, o, why))
		goto out;
	if (!expect_bytes(c->g, c->id, "K", ss, sizeof(ss), &k))
		c->bad = true;
	else if (ek.present)	/* dk = dk_pke || ek || H(ek) || z */
		c->bad |= !expect_bytes(c->g, c->id, "ek inside dk",
					dk.p + 384 * p->k, p->ek_len, &ek);
out:
	blob_free(&dk);
	blob_free(&ct);
	blob_free(&ek);
	blob_free(&k);
}

typedef void (*wp_fn)(struct wcase *c, const struct mlkem_params *p,
		      json_object *t, struct mlkem_ws *ws);

static const struct {
	const char *schema, *type;
	wp_fn fn;
} schemas[] = {
	{ "mlkem_test_schema.json", "MLKEMTest", wp_test },
	{ "mlkem_encaps_test_schema.json", "MLKEMEncapsTest", wp_encaps },
	{ "mlkem_keygen_seed_test_schema.json", "MLKEMKeyGen", wp_keygen },
	{ "mlkem_semi_expanded_decaps_test_schema.json",
	  "MLKEMDecapsValidationTest", wp_decaps },
};

void run_wycheproof(struct group *g, const char *path,
		    const struct mlkem_params *p, struct mlkem_ws *ws)
{
	json_object *root, *groups, *v;
	const char *schema;
	size_t i, j, s;
	int expected = -1;

	root = json_load(g, path);
	if (!root)
		return;
	schema = json_str(root, "schema");
	for (s = 0; schema && s < ARRAY_SIZE(schemas); s++)
		if (!strcmp(schema, schemas[s].schema))
			break;
	if (!schema || s == ARRAY_SIZE(schemas)) {
		group_error(g, "unknown schema %s", schema ? schema : "(none)");
		goto out;
	}
	if (json_object_object_get_ex(root, "numberOfTests", &v))
		expected = json_object_get_int(v);
	if (!json_object_object_get_ex(root, "testGroups", &groups) ||
	    !json_object_is_type(groups, json_type_array)) {
		group_error(g, "no testGroups");
		goto out;
	}
	for (i = 0; i < json_object_array_length(groups); i++) {
		json_object *tg = json_object_array_get_idx(groups, i), *tests;
		const char *set = json_str(tg, "parameterSet");
		const char *type = json_str(tg, "type");

		if (!set || strcmp(set, p->name)) {
			group_error(g, "group %zu: parameterSet %s, expected %s",
				    i, set ? set : "(none)", p->name);
			continue;
		}
		if (!type || strcmp(type, schemas[s].type)) {
			group_error(g, "group %zu: type %s, expected %s", i,
				    type ? type : "(none)", schemas[s].type);
			continue;
		}
		if (!json_object_object_get_ex(tg, "tests", &tests)) {
			group_error(g, "group %zu: no tests", i);
			continue;
		}
		for (j = 0; j < json_object_array_length(tests); j++) {
			json_object *t = json_object_array_get_idx(tests, j);
			struct wcase c;

			g->cases++;
			if (case_begin(&c, g, t))
				schemas[s].fn(&c, p, t, ws);
		}
	}
	if (expected >= 0 && (unsigned long)expected != g->cases)
		group_error(g, "ran %lu cases, numberOfTests says %d",
			    g->cases, expected);
out:
	json_object_put(root);
}
