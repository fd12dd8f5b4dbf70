/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The timing helpers of the benchmark harnesses (bench.c, frodo_bench.c,
 * and the C++ frodo_botan_bench.cc built in the Debian 13 root): a
 * monotonic clock in nanoseconds, a comparison for qsort() and pinning to
 * one CPU. Needs _GNU_SOURCE (sched_setaffinity()).
 */
#ifndef PQREKEY_BENCH_UTIL_H
#define PQREKEY_BENCH_UTIL_H

#include <sched.h>
#include <stdint.h>
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

#endif /* PQREKEY_BENCH_UTIL_H */
