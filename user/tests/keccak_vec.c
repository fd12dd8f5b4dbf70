// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The vector Keccak-f[1600] permutations (keccak_x4.c, keccak_avx2.c,
 * keccak_avx512.c) against the portable mlkem_keccak_f1600(): each runs
 * on random states, every lane of every state different, and every output
 * state must equal the portable permutation of its input. A permutation
 * the CPU cannot run is skipped. Also checks the Keccak-f[1600] of the
 * zero state against the value in the Keccak team's reference output, so
 * that the reference itself is checked.
 *
 *   keccak_vec [ROUNDS]     ROUNDS random inputs per permutation (1000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keccak.h"
#include "x86_64/keccak_vec.h"

static unsigned int n_pass, n_fail, n_skip;

static void result(const char *name, int ok, const char *why)
{
	if (ok) {
		n_pass++;
	} else {
		n_fail++;
		printf("FAIL %s: %s\n", name, why);
	}
}

static void skip(const char *name, const char *feature)
{
	n_skip++;
	printf("skipped %s: the CPU lacks %s\n", name, feature);
}

/* Random u64 from user/lib/random.c (getrandom). */
static void random_words(u64 *w, size_t n)
{
	mlkem_randombytes((u8 *)w, n * sizeof(*w));
}

/*
 * Permutes @n states of 25 lanes interleaved with stride @n by @perm, and
 * each of them alone with mlkem_keccak_f1600(); returns the number of
 * states that differ.
 */
static unsigned int check_states(u64 *v, unsigned int n,
				 void (*perm)(u64 *v, void *ctx), void *ctx)
{
	u64 ref[8][25];
	unsigned int j, k, bad = 0;

	random_words(v, 25 * n);
	for (k = 0; k < n; k++) {
		for (j = 0; j < 25; j++)
			ref[k][j] = v[n * j + k];
		mlkem_keccak_f1600(ref[k]);
	}
	perm(v, ctx);
	for (k = 0; k < n; k++)
		for (j = 0; j < 25; j++)
			if (v[n * j + k] != ref[k][j]) {
				bad++;
				break;
			}
	return bad;
}

static void run_x1(u64 *v, void *ctx)
{
	((void (*)(u64 *))ctx)(v);
}

struct x4_ctx {
	void (*fn)(struct mlkem_keccak_x4 *st);
	struct mlkem_keccak_x4 st;
};

static void run_x4c(u64 *v, void *ctx)
{
	struct x4_ctx *c = ctx;

	memcpy(c->st.s, v, sizeof(c->st.s));
	memset(c->st.t, 0xa5, sizeof(c->st.t));
	c->fn(&c->st);
	memcpy(v, c->st.s, sizeof(c->st.s));
}

static void run_x8(u64 *v, void *ctx)
{
	(void)ctx;
	mlkem_keccak_x8_f1600_avx512(v);
}

static void test_perm(const char *name, unsigned int n,
		      void (*perm)(u64 *v, void *ctx), void *ctx,
		      unsigned int rounds)
{
	u64 v[200] __attribute__((aligned(64)));
	unsigned int r, bad = 0, first = 0;
	char why[96];

	for (r = 0; r < rounds; r++) {
		unsigned int b = check_states(v, n, perm, ctx);

		if (b && !bad)
			first = r;
		bad += b;
	}
	snprintf(why, sizeof(why), "%u of %u states differ (first in run %u)",
		 bad, n * rounds, first);
	result(name, !bad, why);
}

/* Keccak-f[1600] of the all-zero state, lanes 0 and 24 (Keccak team). */
static void test_reference(void)
{
	u64 s[25] = { 0 };

	mlkem_keccak_f1600(s);
	result("mlkem_keccak_f1600 zero state",
	       s[0] == 0xf1258f7940e1dde7ULL && s[24] == 0xeaf1ff7b5ceca249ULL,
	       "wrong lanes 0/24");
}

int main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 1000;
	struct x4_ctx *x4 = malloc(sizeof(*x4));	/* 16-aligned */

	if (!x4 || !rounds) {
		fprintf(stderr, "keccak_vec: bad arguments or no memory\n");
		return 2;
	}
	__builtin_cpu_init();
	test_reference();
#if defined(__x86_64__)
	if (__builtin_cpu_supports("avx2")) {
		x4->fn = mlkem_keccak_x4_f1600;
		test_perm("mlkem_keccak_x4_f1600 (avx2)", 4, run_x4c, x4,
			  rounds);
	} else {
		skip("mlkem_keccak_x4_f1600 (avx2)", "avx2");
	}
	if (__builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2"))
		test_perm("mlkem_keccak_f1600_avx2 (bmi1/2)", 1, run_x1,
			  (void *)mlkem_keccak_f1600_avx2, rounds);
	else
		skip("mlkem_keccak_f1600_avx2 (bmi1/2)", "bmi/bmi2");
	if (__builtin_cpu_supports("avx512f"))
		test_perm("mlkem_keccak_x8_f1600_avx512", 8, run_x8, NULL,
			  rounds);
	else
		skip("mlkem_keccak_x8_f1600_avx512", "avx512f");
#else
	skip("vector permutations", "x86-64");
#endif
	free(x4);
	printf("%u passed, %u failed, %u skipped\n", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
