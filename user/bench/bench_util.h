/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The timing helpers of the benchmark harnesses (bench.c, frodo_bench.c,
 * and the C++ frodo_botan_bench.cc built in the Debian 13 root): a
 * monotonic clock in nanoseconds, a comparison for qsort() and pinning to
 * one CPU; for the AEAD harnesses (chachapoly_bench.c, aead_bench.c) the
 * median of batches of calls and, on x86, the TSC frequency. Needs
 * _GNU_SOURCE (sched_setaffinity()).
 */
#ifndef PQREKEY_BENCH_UTIL_H
#define PQREKEY_BENCH_UTIL_H

#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Pins to the highest-numbered allowed CPU; returns it, or -1. */
static inline int bench_pin_cpu(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return -1;
	for (cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--) {
		if (!CPU_ISSET(cpu, &set))
			continue;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		return sched_setaffinity(0, sizeof(set), &set) ? -1 : cpu;
	}
	return -1;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Times fn(arg, len): 100 warm-up calls, then samples batches of batch
 * calls; ns[] (samples entries) gets the ns per call of each batch,
 * sorted. Returns the median; *p10 gets the 10th percentile.
 */
static inline double bench_median_ns(void (*fn)(void *, size_t), void *arg,
				     size_t len, unsigned int samples,
				     unsigned int batch, double *ns,
				     double *p10)
{
	unsigned int i, j;
	uint64_t t0;

	for (i = 0; i < 100; i++)
		fn(arg, len);
	for (i = 0; i < samples; i++) {
		t0 = bench_now_ns();
		for (j = 0; j < batch; j++)
			fn(arg, len);
		ns[i] = (double)(bench_now_ns() - t0) / batch;
	}
	qsort(ns, samples, sizeof(*ns), bench_cmp_double);
	*p10 = ns[samples / 10];
	return ns[samples / 2];
}

#if defined(__x86_64__) || defined(__i386__)
static inline uint64_t bench_rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

/* TSC ticks per ns, against CLOCK_MONOTONIC over about 200 ms */
static inline double bench_tsc_ghz(void)
{
	uint64_t n0 = bench_now_ns(), c0 = bench_rdtsc(), n1, c1;

	do {
		n1 = bench_now_ns();
		c1 = bench_rdtsc();
	} while (n1 - n0 < 200000000u);
	return (double)(c1 - c0) / (double)(n1 - n0);
}
#endif

#endif /* PQREKEY_BENCH_UTIL_H */
