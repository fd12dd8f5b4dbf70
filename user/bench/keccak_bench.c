// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Time per call of each Keccak-f[1600] permutation the CPU can run: the
 * portable mlkem_keccak_f1600() next to the vector ones. Linked against
 * libmlkem-kflags.a, so that every permutation is built as in the kernel.
 * Pinned to one CPU; for each permutation, SAMPLES samples of BATCH
 * back-to-back calls each (each call permutes the previous output), and
 * the median and 10th percentile of the ns per call over the samples.
 *
 *   keccak_bench [CPU [SAMPLES [BATCH]]]     defaults 0, 2000, 64
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keccak.h"
#include "x86_64/keccak_vec.h"

static unsigned int samples = 2000, batch = 64;
static double *ns;

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static u64 st1[25];
static u64 st8[200] __attribute__((aligned(64)));
static struct mlkem_keccak_x4 st4 __attribute__((aligned(64)));

static void c_f1600(void) { mlkem_keccak_f1600(st1); }
static void c_x4(void) { mlkem_keccak_x4_f1600(&st4); }
static void c_f1600_avx2(void) { mlkem_keccak_f1600_avx2(st1); }
static void c_x8_avx512(void) { mlkem_keccak_x8_f1600_avx512(st8); }

static void bench(const char *name, void (*fn)(void), unsigned int lanes,
		  int supported)
{
	unsigned int i, j;
	double med, p10;

	if (!supported) {
		printf("%-32s skipped (CPU)\n", name);
		return;
	}
	for (i = 0; i < 200; i++)	/* warm-up */
		fn();
	for (i = 0; i < samples; i++) {
		double t0 = now_ns();

		for (j = 0; j < batch; j++)
			fn();
		ns[i] = (now_ns() - t0) / batch;
	}
	qsort(ns, samples, sizeof(*ns), cmp_double);
	med = ns[samples / 2];
	p10 = ns[samples / 10];
	printf("%-32s median %7.1f ns  p10 %7.1f ns  per state %6.1f ns\n",
	       name, med, p10, med / lanes);
}

int main(int argc, char **argv)
{
	int cpu = argc > 1 ? atoi(argv[1]) : 0;
	cpu_set_t set;

	if (argc > 2)
		samples = (unsigned int)atoi(argv[2]);
	if (argc > 3)
		batch = (unsigned int)atoi(argv[3]);
	if (samples < 10 || !batch)
		return 2;
	ns = calloc(samples, sizeof(*ns));
	if (!ns)
		return 2;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		perror("sched_setaffinity (not pinned)");
	memset(st1, 0x5a, sizeof(st1));
	memset(&st4, 0x5a, sizeof(st4));
	memset(st8, 0x5a, sizeof(st8));
	__builtin_cpu_init();
	printf("keccak_bench: cpu %d, %u samples x %u calls\n", cpu, samples,
	       batch);
	bench("mlkem_keccak_f1600 (kflags)", c_f1600, 1, 1);
#if defined(__x86_64__)
	bench("mlkem_keccak_f1600_avx2", c_f1600_avx2, 1,
	      __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2"));
	bench("mlkem_keccak_x4_f1600 (avx2)", c_x4, 4,
	      __builtin_cpu_supports("avx2"));
	bench("mlkem_keccak_x8_f1600_avx512", c_x8_avx512, 8,
	      __builtin_cpu_supports("avx512f"));
#endif
	free(ns);
	return 0;
}
