// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Timing harness for the FrodoKEM core (kernel/frodo). Linked against the
 * core built with normal flags (frodo_bench-normal) and with the kernel's
 * code-gen flags (frodo_bench-kflags); tools/bench runs both.
 *
 *   frodo_bench [-n SAMPLES] [-w WARMUP] [SET ...]
 * SET: 976aes, 976shake, 1344aes, 1344shake (default: all). Each sample
 * times one call with CLOCK_MONOTONIC:
 *   keygen  frodo_keygen_internal (coins from a pool)
 *   encaps  frodo_encaps_internal (coins from a pool)
 *   decaps  frodo_decaps (valid ciphertexts from a pool)
 * Output, one line per operation: SET OP MEDIAN_NS P10_NS SAMPLES, plus
 * "# cpu N" when the process could be pinned to CPU N.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frodo.h"
#include "bench_util.h"

#define POOL 8

struct ctx {
	const struct frodo_params *p;
	struct frodo_ws ws;
	u8 kc[POOL][FRODO_MAX_KEYGEN_COINS], ec[POOL][FRODO_MAX_ENCAPS_COINS];
	u8 pk[FRODO_MAX_PK_BYTES], sk[FRODO_MAX_SK_BYTES];
	u8 ct[POOL][FRODO_MAX_CT_BYTES];
	u8 out_pk[FRODO_MAX_PK_BYTES], out_sk[FRODO_MAX_SK_BYTES];
	u8 out_ct[FRODO_MAX_CT_BYTES], ss[FRODO_MAX_SS_BYTES];
};

static int op_keygen(struct ctx *c, unsigned int i)
{
	return frodo_keygen_internal(c->p, c->out_pk, c->out_sk,
				     c->kc[i % POOL], &c->ws);
}

static int op_encaps(struct ctx *c, unsigned int i)
{
	return frodo_encaps_internal(c->p, c->out_ct, c->ss, c->pk,
				     c->ec[i % POOL], &c->ws);
}

static int op_decaps(struct ctx *c, unsigned int i)
{
	return frodo_decaps(c->p, c->ss, c->ct[i % POOL], c->sk, &c->ws);
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *c, unsigned int i);
} ops[] = {
	{ "keygen", op_keygen },
	{ "encaps", op_encaps },
	{ "decaps", op_decaps },
};

static const struct {
	const char *arg;
	const struct frodo_params *p;
} sets[] = {
	{ "976aes", &frodo976aes_params },
	{ "976shake", &frodo976shake_params },
	{ "1344aes", &frodo1344aes_params },
	{ "1344shake", &frodo1344shake_params },
};

static int bench_set(struct ctx *c, const char *name, unsigned int n,
		     unsigned int warm, u64 *t)
{
	unsigned int i, o;

	mlkem_randombytes(&c->kc[0][0], sizeof(c->kc));
	mlkem_randombytes(&c->ec[0][0], sizeof(c->ec));
	if (frodo_keygen_internal(c->p, c->pk, c->sk, c->kc[0], &c->ws))
		return -1;
	for (i = 0; i < POOL; i++)
		if (frodo_encaps_internal(c->p, c->ct[i], c->ss, c->pk,
					  c->ec[i], &c->ws))
			return -1;
	for (o = 0; o < ARRAY_SIZE(ops); o++) {
		for (i = 0; i < warm; i++)
			if (ops[o].fn(c, i))
				return -1;
		for (i = 0; i < n; i++) {
			u64 t0 = bench_now_ns();

			if (ops[o].fn(c, i))
				return -1;
			t[i] = bench_now_ns() - t0;
		}
		qsort(t, n, sizeof(*t), bench_cmp_u64);
		printf("%s %s %llu %llu %u\n", name, ops[o].name,
		       (unsigned long long)t[n / 2],
		       (unsigned long long)t[n / 10], n);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct frodo_impl *impl = &frodo_impl_generic;
	unsigned int n = 100, warm = 5, k;
	struct ctx *c;
	int opt, cpu, i, rc = 0;
	size_t s;
	u64 *t;

	while ((opt = getopt(argc, argv, "b:n:w:h")) != -1) {
		switch (opt) {
		case 'b':
			for (k = 0; k < frodo_nimpls; k++)
				if (!strcmp(optarg, frodo_impls[k]->name))
					break;
			if (k == frodo_nimpls) {
				fprintf(stderr, "frodo_bench: no backend %s\n",
					optarg);
				return 2;
			}
			impl = frodo_impls[k];
			if (!frodo_impl_usable(impl)) {
				fprintf(stderr,
					"frodo_bench: backend %s: not supported by this CPU\n",
					optarg);
				return 3;
			}
			break;
		case 'n':
			n = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'w':
			warm = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-b generic|avx2] [-n SAMPLES] [-w WARMUP] [976aes|976shake|1344aes|1344shake ...]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (n < 10)
		n = 10;
	c = malloc(sizeof(*c));
	t = calloc(n, sizeof(*t));
	if (!c || !t)
		return 2;
	frodo_ws_set_impl(&c->ws, impl);
	cpu = bench_pin_cpu();
	if (cpu >= 0)
		printf("# cpu %d\n", cpu);
	/* for cycle counts: tools/bench compares with published ones */
	printf("# tsc_ghz %.3f\n", bench_tsc_ghz());
	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		for (i = optind; i < argc; i++)
			if (!strcmp(argv[i], sets[s].arg))
				break;
		if (optind < argc && i == argc)
			continue;
		c->p = sets[s].p;
		if (bench_set(c, sets[s].arg, n, warm, t)) {
			fprintf(stderr, "frodo_bench: %s: an operation failed\n",
				sets[s].arg);
			rc = 1;
		}
	}
	free(c);
	free(t);
	return rc;
}
