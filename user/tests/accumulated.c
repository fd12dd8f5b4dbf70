// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Accumulated known-answer test for ML-KEM-768 (the construction of Go's
 * crypto/mlkem TestAccumulated). Per iteration, from one SHAKE128 stream
 * over the empty input: d || z (64 bytes), m (32), a random ciphertext
 * (1088). KeyGen_internal(d, z), Encaps_internal(ek, m), Decaps(dk, ct)
 * (must give K), Decaps(dk, random ct). ek, ct, K and the rejection key
 * are absorbed into a second SHAKE128, whose first 32 bytes are compared
 * with the published digest.
 *
 * Usage: accumulated [ITERATIONS...]   (default: 100 10000)
 * Each count runs on every backend the CPU supports (one result each).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/mlkem/mlkem.h"
#include "impls.h"

static const struct {
	unsigned long n;
	const char *digest;
} expected[] = {
	{ 100,
	  "1114b1b6699ed191734fa339376afa7e285c9e6acf6ff0177d346696ce564415" },
	{ 10000,
	  "8a518cc63da366322a8e7a818c7a0d63483cb3528d34a4cf42f35d5ad73f22fc" },
	{ 1000000,
	  "424bf8f0e8ae99b78d788a6e2e8e9cdaf9773fc0c08a6f433507cb559edfd0f0" },
};

/* Returns 0 and the hex digest in @hex, or -1 on an API failure. */
static int accumulate(unsigned long n, struct mlkem_ws *ws, char hex[65])
{
	const struct mlkem_params *p = &mlkem768_params;
	struct mlkem_keccak s, o;
	u8 seed[MLKEM_SEEDBYTES], m[32], ct1[MLKEM768_CT_BYTES];
	u8 ek[MLKEM768_EK_BYTES], dk[MLKEM768_DK_BYTES];
	u8 ct[MLKEM768_CT_BYTES], k[32], kk[32], k1[32], out[32];
	unsigned long i;
	int j;

	mlkem_shake128_init(&s);
	mlkem_shake_finalize(&s);
	mlkem_shake128_init(&o);
	for (i = 0; i < n; i++) {
		mlkem_keccak_squeeze(&s, seed, sizeof(seed));
		if (mlkem_keygen_internal(p, ek, dk, seed, seed + 32, ws)) {
			fprintf(stderr, "iteration %lu: keygen failed\n", i);
			return -1;
		}
		mlkem_keccak_absorb(&o, ek, sizeof(ek));

		mlkem_keccak_squeeze(&s, m, sizeof(m));
		if (mlkem_encaps_internal(p, ct, k, ek, m, ws)) {
			fprintf(stderr, "iteration %lu: encaps failed\n", i);
			return -1;
		}
		mlkem_keccak_absorb(&o, ct, sizeof(ct));
		mlkem_keccak_absorb(&o, k, sizeof(k));

		if (mlkem_decaps(p, kk, ct, dk, ws) || memcmp(kk, k, 32)) {
			fprintf(stderr, "iteration %lu: decaps mismatch\n", i);
			return -1;
		}

		mlkem_keccak_squeeze(&s, ct1, sizeof(ct1));
		if (mlkem_decaps(p, k1, ct1, dk, ws)) {
			fprintf(stderr, "iteration %lu: decaps failed\n", i);
			return -1;
		}
		mlkem_keccak_absorb(&o, k1, sizeof(k1));
	}
	mlkem_shake_finalize(&o);
	mlkem_keccak_squeeze(&o, out, sizeof(out));
	for (j = 0; j < 32; j++)
		snprintf(hex + 2 * j, 3, "%02x", out[j]);
	return 0;
}

enum result { PASSED, FAILED, SKIPPED };

static enum result run_one(const char *arg, struct mlkem_ws *ws)
{
	const char *want = NULL;
	char got[65] = "", *end;
	unsigned long n;
	size_t e;

	n = strtoul(arg, &end, 10);
	if (!*arg || *end || n == 0) {
		printf("not ok - accumulated %s [%s] (bad iteration count)\n",
		       arg, mlkem_impl_name(ws->impl));
		return FAILED;
	}
	for (e = 0; e < ARRAY_SIZE(expected); e++)
		if (expected[e].n == n)
			want = expected[e].digest;
	if (accumulate(n, ws, got)) {
		printf("not ok - accumulated %lu [%s] (API failure)\n", n,
		       mlkem_impl_name(ws->impl));
		return FAILED;
	}
	if (!want) {
		printf("skipped - accumulated %lu [%s] (no known digest; got %s)\n",
		       n, mlkem_impl_name(ws->impl), got);
		return SKIPPED;
	}
	if (strcmp(got, want)) {
		printf("not ok - accumulated %lu [%s] (got %s, want %s)\n",
		       n, mlkem_impl_name(ws->impl), got, want);
		return FAILED;
	}
	printf("ok - accumulated %lu [%s]\n", n, mlkem_impl_name(ws->impl));
	return PASSED;
}

int main(int argc, char **argv)
{
	static const char *const defaults[] = { "100", "10000" };
	const char *const *args = (const char *const *)argv + 1;
	int nargs = argc - 1, i, count[3] = { 0, 0, 0 };
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	unsigned int b, nimpl;
	struct mlkem_ws *ws;

	if (nargs == 1 && (!strcmp(args[0], "-h") ||
			   !strcmp(args[0], "--help"))) {
		printf("usage: %s [ITERATIONS...]  (default: 100 10000)\n"
		       "known digests: 100, 10000, 1000000 iterations\n",
		       argv[0]);
		return 0;
	}
	if (nargs == 0) {
		args = defaults;
		nargs = ARRAY_SIZE(defaults);
	}
	ws = malloc(sizeof(*ws));
	if (!ws) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	nimpl = test_impls(impls);
	for (b = 0; b < nimpl; b++) {
		mlkem_ws_set_impl(ws, impls[b]);
		for (i = 0; i < nargs; i++) {
			count[run_one(args[i], ws)]++;
			fflush(stdout);
		}
	}
	for (b = 0; b < mlkem_nimpls; b++) {
		if (mlkem_impl_usable(test_all_impls[b]))
			continue;
		printf("skipped - accumulated [%s] (not usable on this CPU)\n",
		       mlkem_impl_name(test_all_impls[b]));
		count[SKIPPED]++;
	}
	free(ws);
	printf("%d passed, %d failed, %d skipped\n",
	       count[PASSED], count[FAILED], count[SKIPPED]);
	return count[FAILED] ? 1 : 0;
}
