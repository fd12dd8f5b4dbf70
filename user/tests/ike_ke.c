// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's key exchange methods (user/pqiked/ke.h), userspace paths:
 * - Curve25519 against every Wycheproof x25519 case (VECTORS/x25519/
 *   wycheproof/x25519_test.json; all-zero results must be refused);
 * - ECP-256 against the RFC 5903 section 8.1 example, and off-curve and
 *   wrong-length peer values refused;
 * - round trips initiator <-> responder for every method, ML-KEM with the
 *   in-process core (the kernel path is tested in guests);
 * - the draft's recipient tests for ML-KEM: a bad-modulus or wrong-length
 *   encapsulation key -EINVAL before Encaps, a wrong-length ciphertext
 *   -EINVAL (and the key dropped), a modified ciphertext a different
 *   (implicit rejection) secret.
 *   ike_ke [VECTORS]   prints "N passed, N failed, N skipped"
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "hexbytes.h"
#include "ke.h"
#include "check.h"


static int unhex(uint8_t *out, size_t max, const char *s, size_t *len)
{
	size_t n = strlen(s);

	if (n % 2 || n / 2 > max || hex_to_bytes(out, s, n))
		return -1;
	*len = n / 2;
	return 0;
}

static void test_x25519_wycheproof(const char *vectors)
{
	const struct ike_ke_method *m = ike_ke_method(IKE_KE_CURVE25519);
	char path[4096];
	json_object *root, *groups;
	unsigned int n = 0, bad = 0, refused = 0;
	size_t gi, ti;

	snprintf(path, sizeof(path), "%s/x25519/wycheproof/x25519_test.json",
		 vectors ? vectors : "");
	root = vectors ? json_object_from_file(path) : NULL;
	if (!root) {
		printf("skip - x25519 Wycheproof (no %s)\n", path);
		skip++;
		return;
	}
	json_object_object_get_ex(root, "testGroups", &groups);
	for (gi = 0; groups && gi < json_object_array_length(groups); gi++) {
		json_object *g = json_object_array_get_idx(groups, gi), *tests;

		json_object_object_get_ex(g, "tests", &tests);
		for (ti = 0; tests && ti < json_object_array_length(tests); ti++) {
			json_object *t = json_object_array_get_idx(tests, ti), *v;
			uint8_t priv[32], pub[64], want[32], ss[32], share[32];
			size_t lp, lu, lw;
			bool zero = true;
			struct ike_ke *ke;
			int rc, i;

			n++;
			json_object_object_get_ex(t, "private", &v);
			rc = unhex(priv, sizeof(priv), json_object_get_string(v), &lp);
			json_object_object_get_ex(t, "public", &v);
			rc |= unhex(pub, sizeof(pub), json_object_get_string(v), &lu);
			json_object_object_get_ex(t, "shared", &v);
			rc |= unhex(want, sizeof(want), json_object_get_string(v), &lw);
			if (rc || lp != 32 || lw != 32) {
				bad++;
				continue;
			}
			for (i = 0; i < 32; i++)
				zero &= !want[i];
			ke = ike_ke_new(m, NULL);
			if (!ke || ike_ke_ecdh_set_private(ke, priv, 32) ||
			    ike_ke_initiate(ke, share)) {
				bad++;
				ike_ke_free(ke);
				continue;
			}
			rc = ike_ke_finish(ke, pub, lu, ss);
			if (zero) {	/* RFC 8031: all-zero results refused */
				if (rc != -EINVAL)
					bad++;
				else
					refused++;
			} else if (rc || memcmp(ss, want, 32)) {
				bad++;
				if (bad < 4)
					printf("# x25519 tcId %d: rc %d\n",
					       json_object_object_get_ex(t, "tcId", &v) ?
					       json_object_get_int(v) : -1, rc);
			}
			ike_ke_free(ke);
		}
	}
	json_object_put(root);
	CHECK(n > 500 && bad == 0 && refused > 0,
	      "x25519: %u Wycheproof cases, %u wrong, %u all-zero results refused",
	      n, bad, refused);
}

/* RFC 5903 8.1: the 256-bit random ECP group example. */
static void test_ecp256_rfc5903(void)
{
	static const char *const i_hex =
		"c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433";
	static const char *const gi_hex =
		"dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180"
		"5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3";
	static const char *const r_hex =
		"c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53";
	static const char *const gr_hex =
		"d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63"
		"56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab";
	static const char *const gir_hex =
		"d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de";
	const struct ike_ke_method *m = ike_ke_method(IKE_KE_ECP256);
	uint8_t i[32], gi[64], r[32], gr[64], gir[32], s1[32], s2[32];
	uint8_t share_i[64], share_r[64];
	struct ike_ke *ki = ike_ke_new(m, NULL), *kr = ike_ke_new(m, NULL);
	size_t l;

	unhex(i, 32, i_hex, &l);
	unhex(gi, 64, gi_hex, &l);
	unhex(r, 32, r_hex, &l);
	unhex(gr, 64, gr_hex, &l);
	unhex(gir, 32, gir_hex, &l);
	CHECK(ki && kr && !ike_ke_ecdh_set_private(ki, i, 32) &&
	      !ike_ke_ecdh_set_private(kr, r, 32), "ecp256: fixed private keys");
	CHECK(!ike_ke_initiate(ki, share_i) && !memcmp(share_i, gi, 64),
	      "ecp256: g^i as in RFC 5903 8.1");
	CHECK(!ike_ke_respond(kr, share_i, 64, share_r, s2) &&
	      !memcmp(share_r, gr, 64) && !memcmp(s2, gir, 32),
	      "ecp256: responder's g^r and g^ir as in RFC 5903 8.1");
	CHECK(!ike_ke_finish(ki, share_r, 64, s1) && !memcmp(s1, gir, 32),
	      "ecp256: initiator's g^ir as in RFC 5903 8.1");
	ike_ke_free(ki);
	ike_ke_free(kr);

	/* off the curve, wrong length */
	ki = ike_ke_new(m, NULL);
	gr[63] ^= 1;
	CHECK(ki && !ike_ke_initiate(ki, share_i) &&
	      ike_ke_finish(ki, gr, 64, s1) == -EINVAL, "ecp256: a point off the curve refused");
	gr[63] ^= 1;
	CHECK(ki && ike_ke_finish(ki, gr, 63, s1) == -EINVAL,
	      "ecp256: a 63-byte value refused");
	memset(gr, 0, sizeof(gr));
	CHECK(ki && ike_ke_finish(ki, gr, 64, s1) == -EINVAL,
	      "ecp256: (0, 0) refused");
	ike_ke_free(ki);
}

static void test_round_trips(void)
{
	static const uint16_t ids[] = {
		IKE_KE_CURVE25519, IKE_KE_ECP256, IKE_KE_MLKEM512,
		IKE_KE_MLKEM768, IKE_KE_MLKEM1024,
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct ike_ke_method *m = ike_ke_method(ids[i]);
		static uint8_t si[2048], sr[2048], s1[64], s2[64];
		struct ike_ke *ki, *kr;
		unsigned int round, ok = 0;

		CHECK(m && ike_ke_method_by_name(m->name) == m,
		      "method %u known by id and name", ids[i]);
		if (!m)
			continue;
		for (round = 0; round < 5; round++) {
			ki = ike_ke_new(m, NULL);
			kr = ike_ke_new(m, NULL);
			if (ki && kr && !ike_ke_initiate(ki, si) &&
			    !ike_ke_respond(kr, si, m->i_len, sr, s2) &&
			    !ike_ke_finish(ki, sr, m->r_len, s1) &&
			    !memcmp(s1, s2, m->ss_len))
				ok++;
			ike_ke_free(ki);
			ike_ke_free(kr);
		}
		CHECK(ok == 5, "%s: initiator and responder agree (%u of 5)",
		      m->name, ok);
	}
}

static void test_mlkem_recipient(void)
{
	const struct ike_ke_method *m = ike_ke_method(IKE_KE_MLKEM768);
	static uint8_t ek[1184], ct[1088], s1[32], s2[32], s3[32];
	struct ike_ke *ki = ike_ke_new(m, NULL), *kr;

	CHECK(ki && !ike_ke_initiate(ki, ek), "mlkem768: initiate");
	CHECK(ike_ke_initiate(ki, ek) == -EPROTO, "mlkem768: one exchange per object");
	/* a coefficient of 0xfff >= q in ek: FIPS 203 7.2 */
	kr = ike_ke_new(m, NULL);
	ek[0] |= 0xff;
	ek[1] |= 0x0f;
	CHECK(kr && ike_ke_respond(kr, ek, sizeof(ek), ct, s2) == -EINVAL,
	      "mlkem768: responder refuses a bad-modulus ek (INVALID_SYNTAX)");
	ike_ke_free(kr);
	kr = ike_ke_new(m, NULL);
	CHECK(kr && ike_ke_respond(kr, ek, sizeof(ek) - 1, ct, s2) == -EINVAL,
	      "mlkem768: responder refuses a short ek");
	ike_ke_free(kr);
	ike_ke_free(ki);

	ki = ike_ke_new(m, NULL);
	kr = ike_ke_new(m, NULL);
	CHECK(ki && kr && !ike_ke_initiate(ki, ek) &&
	      !ike_ke_respond(kr, ek, sizeof(ek), ct, s2), "mlkem768: exchange");
	CHECK(ike_ke_finish(ki, ct, sizeof(ct) + 1, s1) == -EINVAL,
	      "mlkem768: initiator refuses a long ciphertext (abort)");
	CHECK(ike_ke_finish(ki, ct, sizeof(ct), s1) == -EPROTO,
	      "mlkem768: after that the key is gone");
	ike_ke_free(ki);
	ike_ke_free(kr);

	ki = ike_ke_new(m, NULL);
	kr = ike_ke_new(m, NULL);
	if (ki && kr && !ike_ke_initiate(ki, ek) &&
	    !ike_ke_respond(kr, ek, sizeof(ek), ct, s2)) {
		ct[5] ^= 0x10;
		CHECK(!ike_ke_finish(ki, ct, sizeof(ct), s3) && memcmp(s2, s3, 32),
		      "mlkem768: a modified ciphertext gives another secret");
	} else {
		CHECK(0, "mlkem768: exchange for the modified-ciphertext case");
	}
	ike_ke_free(ki);
	ike_ke_free(kr);
	CHECK(ike_ke_method(IKE_KE_NONE) == NULL && ike_ke_method(20) == NULL,
	      "NONE and unsupported groups are not methods");
}

int main(int argc, char **argv)
{
	test_x25519_wycheproof(argc > 1 ? argv[1] : NULL);
	test_ecp256_rfc5903();
	test_round_trips();
	test_mlkem_recipient();
	return check_summary();
}
