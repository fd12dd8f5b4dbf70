// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Timing harness for the ML-KEM core. It is linked twice, against the core
 * built with normal flags (bench-normal) and with the kernel's code-gen flags
 * (bench-kflags); tools/bench runs both and prints them side by side.
 *
 *   bench [-n SAMPLES] [-w WARMUP] [-i BACKEND] [512|768|1024 ...]
 *   bench -l            lists the backends this CPU can run, one a line
 *
 * -i picks the backend (default generic, the portable code); one that is
 * not built in or not usable on this CPU prints "# skip BACKEND" and
 * exits 0.
 *
 * Each sample times one call with CLOCK_MONOTONIC. Operations:
 *   keygen  mlkem_keygen_internal(d, z)      (d, z from a pool of seeds)
 *   encaps  mlkem_encaps_internal(ek, m)     (m from a pool)
 *   decaps  mlkem_decaps(dk, c)              (FIPS 203 Alg. 21, with the
 *                                             7.3 hash check of dk)
 *   decaps-int mlkem_decaps_internal(dk, c)  (Alg. 18: dk checked once
 *                                             with mlkem_check_dk() at
 *                                             import, as the kernel does)
 * Output, one line per operation:
 *   SET OP MEDIAN_NS P10_NS SAMPLES
 * plus "# cpu N" when the process could be pinned to CPU N.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mlkem.h"
#include "impls.h"
#include "bench_util.h"

#define POOL 64

struct ctx {
	const struct mlkem_params *p;
	struct mlkem_ws *ws;
	u8 seeds[POOL][MLKEM_SEEDBYTES];
	u8 msgs[POOL][MLKEM_SYMBYTES];
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	u8 ct[POOL][MLKEM_MAX_CT_BYTES];
	u8 out_ek[MLKEM_MAX_EK_BYTES], out_dk[MLKEM_MAX_DK_BYTES];
	u8 out_ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
};

static int op_keygen(struct ctx *c, unsigned int i)
{
	return mlkem_keygen_internal(c->p, c->out_ek, c->out_dk,
				     c->seeds[i % POOL],
				     c->seeds[i % POOL] + MLKEM_SYMBYTES, c->ws);
}

static int op_encaps(struct ctx *c, unsigned int i)
{
	return mlkem_encaps_internal(c->p, c->out_ct, c->ss, c->ek,
				     c->msgs[i % POOL], c->ws);
}

static int op_decaps(struct ctx *c, unsigned int i)
{
	return mlkem_decaps(c->p, c->ss, c->ct[i % POOL], c->dk, c->ws);
}

static int op_decaps_int(struct ctx *c, unsigned int i)
{
	return mlkem_decaps_internal(c->p, c->ss, c->ct[i % POOL], c->dk,
				     c->ws);
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *c, unsigned int i);
} ops[] = {
	{ "keygen", op_keygen },
	{ "encaps", op_encaps },
	{ "decaps", op_decaps },
	{ "decaps-int", op_decaps_int },
};

static int bench_set(struct ctx *c, unsigned int n, unsigned int warm,
		     u64 *t)
{
	unsigned int i, o;

	mlkem_randombytes(&c->seeds[0][0], sizeof(c->seeds));
	mlkem_randombytes(&c->msgs[0][0], sizeof(c->msgs));
	if (mlkem_keygen_internal(c->p, c->ek, c->dk, c->seeds[0],
				  c->seeds[0] + MLKEM_SYMBYTES, c->ws) ||
	    mlkem_check_dk(c->p, c->dk))	/* the import check, once */
		return -1;
	for (i = 0; i < POOL; i++)
		if (mlkem_encaps_internal(c->p, c->ct[i], c->ss, c->ek,
					  c->msgs[i], c->ws))
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
		printf("%s %s %llu %llu %u\n", c->p->name, ops[o].name,
		       (unsigned long long)t[n / 2],
		       (unsigned long long)t[n / 10], n);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct mlkem_params *sets[] = {
		&mlkem512_params, &mlkem768_params, &mlkem1024_params,
	};
	const struct mlkem_impl *impl = &mlkem_impl_generic;
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	unsigned int n = 2000, warm = 200, b, nimpl = test_impls(impls);
	struct ctx *c;
	int opt, cpu, i, rc = 0;
	size_t s;
	u64 *t;

	while ((opt = getopt(argc, argv, "n:w:i:lh")) != -1) {
		switch (opt) {
		case 'l':
			for (b = 0; b < nimpl; b++)
				printf("%s\n", mlkem_impl_name(impls[b]));
			return 0;
		case 'i':
			/* only usable backends are listed: others are skipped */
			for (b = 0; b < nimpl; b++)
				if (!strcmp(optarg, mlkem_impl_name(impls[b])))
					break;
			if (b == nimpl) {
				printf("# skip %s\n", optarg);
				return 0;
			}
			impl = impls[b];
			break;
		case 'n':
			n = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'w':
			warm = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr,
				"usage: %s [-n SAMPLES] [-w WARMUP] [-i BACKEND | -l] [512|768|1024 ...]\n",
				argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	if (n < 10)
		n = 10;
	c = aligned_alloc(32, sizeof(*c));
	t = calloc(n, sizeof(*t));
	if (!c || !t)
		return 2;
	c->ws = aligned_alloc(32, sizeof(*c->ws));
	if (!c->ws)
		return 2;
	mlkem_ws_set_impl(c->ws, impl);
	printf("# impl %s\n", mlkem_impl_name(impl));
	cpu = bench_pin_cpu();
	if (cpu >= 0)
		printf("# cpu %d\n", cpu);
	for (s = 0; s < ARRAY_SIZE(sets); s++) {
		char num[8];

		snprintf(num, sizeof(num), "%u", 256u * sets[s]->k);
		for (i = optind; i < argc; i++)
			if (!strcmp(argv[i], num) || !strcmp(argv[i], sets[s]->name))
				break;
		if (optind < argc && i == argc)
			continue;
		c->p = sets[s];
		if (bench_set(c, n, warm, t)) {
			fprintf(stderr, "bench: %s: an operation failed\n",
				sets[s]->name);
			rc = 1;
		}
	}
	free(c->ws);
	free(c);
	free(t);
	return rc;
}
