// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Differential test of the AVX2 polynomial operations (poly_avx2.c)
 * against their portable twins (poly.c): the same inputs must give the
 * same coefficients, bytes and return values. One case per function (and
 * per d for compress and decompress), each run on
 *   - edge inputs: every coefficient at an extreme of the function's input
 *     domain, exhaustive sweeps of that domain where it is small (every s16
 *     for the total functions, every c with |c| < q for compress/tomsg,
 *     every 12-bit value for frombytes, every d-bit value for decompress),
 *     each value at every position in a 16-lane vector;
 *   - ITERATIONS random inputs (default 10,000) from a seeded PRNG.
 * Input domains are those poly.c documents and kpke.c/mlkem.c use:
 * reduce, tomont, add, sub, tobytes: any s16 (poly.c is total there);
 * frombytes(_check), decompress, frommsg: any bytes; compress, tomsg:
 * |c| < q. Byte buffers are allocated at their exact size, so that ASan
 * catches any access past them.
 *
 *   polydiff [ITERATIONS [SEED]]
 *
 * Prints each failing case with its first mismatches and ends with
 * "N passed, N failed, N skipped"; every case is skipped when the CPU
 * lacks AVX2/BMI1/BMI2 (or off x86-64).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlkem.h"
#include "poly.h"
#include "x86_64/avx2/poly_avx2.h"

#define NCASES (7 + 11 + 11 + 2)
#define MAX_REPORT 3

#if defined(__x86_64__)

static unsigned long iterations = 10000;
static u64 rng_state = 0x7071726b65790001ULL;

static u64 rnd64(void)	/* splitmix64 */
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] (bias irrelevant here) */
static s16 rnd_range(int lo, int hi)
{
	return (s16)(lo + (int)(rnd64() % (u64)(hi - lo + 1)));
}

static void rnd_bytes(u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (u8)rnd64();
}

/* Per-case state: name, mismatch count, a few reported. */
struct tcase {
	char name[48];
	unsigned long bad, checks;
};

static void mismatch(struct tcase *tc, const char *what, unsigned long it,
		     long idx, long want, long got)
{
	if (tc->bad++ < MAX_REPORT)
		printf("  %s: %s, input %lu, index %ld: portable %ld, avx2 %ld\n",
		       tc->name, what, it, idx, want, got);
}

static void cmp_poly(struct tcase *tc, const char *what, unsigned long it,
		     const struct mlkem_poly *want,
		     const struct mlkem_poly *got)
{
	unsigned int i;

	tc->checks++;
	for (i = 0; i < MLKEM_N; i++)
		if (want->coeffs[i] != got->coeffs[i]) {
			mismatch(tc, what, it, i, want->coeffs[i],
				 got->coeffs[i]);
			return;
		}
}

static void cmp_bytes(struct tcase *tc, const char *what, unsigned long it,
		      const u8 *want, const u8 *got, size_t n)
{
	size_t i;

	tc->checks++;
	for (i = 0; i < n; i++)
		if (want[i] != got[i]) {
			mismatch(tc, what, it, (long)i, want[i], got[i]);
			return;
		}
}

/*
 * Fills @p with the values lo..hi in order, starting at lo + start,
 * wrapping around: successive polynomials (start += 256) sweep the range.
 */
static void sweep(struct mlkem_poly *p, int lo, int hi, long start)
{
	long span = (long)hi - lo + 1;
	unsigned int i;

	for (i = 0; i < MLKEM_N; i++)
		p->coeffs[i] = (s16)(lo + (start + i) % span);
}

/*
 * Inputs of a polynomial test: the edge sets first (@n_edge of them), then
 * random ones. kind 0: any s16; kind 1: |c| < q.
 */
static const s16 edge_any[] = {
	-32768, -32767, -16385, -16384, -3329, -3328, -1665, -1664, -1, 0,
	1, 1664, 1665, 3328, 3329, 16383, 16384, 32766, 32767,
};

static const s16 edge_q[] = {
	-3328, -3327, -2497, -2496, -1665, -1664, -833, -832, -1, 0, 1,
	832, 833, 1664, 1665, 2496, 2497, 3327, 3328,
};

#define N_EDGE_ANY	(sizeof(edge_any) / sizeof(edge_any[0]))
#define N_EDGE_Q	(sizeof(edge_q) / sizeof(edge_q[0]))

/* every value of [lo, hi] at every lane position (16 offsets per sweep) */
static unsigned long n_sweep(int lo, int hi)
{
	return 16 * (((unsigned long)(hi - lo + 1) + MLKEM_N - 1) / MLKEM_N);
}

static void sweep_poly(struct mlkem_poly *p, int lo, int hi, unsigned long k)
{
	unsigned long per = n_sweep(lo, hi) / 16;

	sweep(p, lo, hi, (long)(k % per) * MLKEM_N + (long)(k / per));
}

/*
 * Polynomial number @it of a test over domain @kind: constant edge
 * polynomials, then a sweep of the whole domain, then random ones (a
 * mixture of uniform coefficients and edge values).
 */
static void make_poly(struct mlkem_poly *p, int kind, unsigned long it)
{
	const s16 *edge = kind ? edge_q : edge_any;
	unsigned long ne = kind ? N_EDGE_Q : N_EDGE_ANY;
	int lo = kind ? -(MLKEM_Q - 1) : -32768;
	int hi = kind ? MLKEM_Q - 1 : 32767;
	unsigned int i;

	if (it < ne) {
		for (i = 0; i < MLKEM_N; i++)
			p->coeffs[i] = edge[it];
		return;
	}
	it -= ne;
	if (it < n_sweep(lo, hi)) {
		sweep_poly(p, lo, hi, it);
		return;
	}
	for (i = 0; i < MLKEM_N; i++)
		p->coeffs[i] = (rnd64() & 7) ? rnd_range(lo, hi) :
			       edge[rnd64() % ne];
}

static unsigned long n_polys(int kind)
{
	return (kind ? N_EDGE_Q : N_EDGE_ANY) +
	       (kind ? n_sweep(-(MLKEM_Q - 1), MLKEM_Q - 1) :
		n_sweep(-32768, 32767)) + iterations;
}

static void test_reduce(struct tcase *tc)
{
	struct mlkem_poly a, b;
	unsigned long it;

	for (it = 0; it < n_polys(0); it++) {
		make_poly(&a, 0, it);
		b = a;
		mlkem_poly_reduce(&a);
		mlkem_poly_reduce_avx2(&b);
		cmp_poly(tc, "reduce", it, &a, &b);
	}
}

static void test_tomont(struct tcase *tc)
{
	struct mlkem_poly a, b;
	unsigned long it;

	for (it = 0; it < n_polys(0); it++) {
		make_poly(&a, 0, it);
		b = a;
		mlkem_poly_tomont(&a);
		mlkem_poly_tomont_avx2(&b);
		cmp_poly(tc, "tomont", it, &a, &b);
	}
}

/* add and sub: x from the usual sequence, y random or reversed x */
static void make_pair(struct mlkem_poly *x, struct mlkem_poly *y,
		      unsigned long it)
{
	unsigned int i;

	make_poly(x, 0, it);
	for (i = 0; i < MLKEM_N; i++)
		y->coeffs[i] = (it & 1) ? x->coeffs[MLKEM_N - 1 - i] :
			       (s16)rnd64();
	if (it < N_EDGE_ANY * N_EDGE_ANY)	/* every pair of edges */
		for (i = 0; i < MLKEM_N; i++) {
			x->coeffs[i] = edge_any[it % N_EDGE_ANY];
			y->coeffs[i] = edge_any[it / N_EDGE_ANY];
		}
}

static void test_add(struct tcase *tc)
{
	struct mlkem_poly x, y, a, b;
	unsigned long it;

	for (it = 0; it < n_polys(0); it++) {
		make_pair(&x, &y, it);
		a = x;
		b = x;
		mlkem_poly_add(&a, &y);
		mlkem_poly_add_avx2(&b, &y);
		cmp_poly(tc, "add", it, &a, &b);
		a = x;			/* r == b */
		b = x;
		mlkem_poly_add(&a, &a);
		mlkem_poly_add_avx2(&b, &b);
		cmp_poly(tc, "add r == b", it, &a, &b);
	}
}

static void test_sub(struct tcase *tc)
{
	struct mlkem_poly x, y, a, b, c;
	unsigned long it;

	for (it = 0; it < n_polys(0); it++) {
		make_pair(&x, &y, it);
		mlkem_poly_sub(&a, &x, &y);
		mlkem_poly_sub_avx2(&b, &x, &y);
		cmp_poly(tc, "sub", it, &a, &b);
		a = x;			/* r == a */
		b = x;
		mlkem_poly_sub(&a, &a, &y);
		mlkem_poly_sub_avx2(&b, &b, &y);
		cmp_poly(tc, "sub r == a", it, &a, &b);
		a = y;			/* r == b, as kpke.c does */
		c = y;
		mlkem_poly_sub(&a, &x, &a);
		mlkem_poly_sub_avx2(&c, &x, &c);
		cmp_poly(tc, "sub r == b", it, &a, &c);
	}
}


/* ByteEncode_12 of raw 12-bit values (test-side, for chosen inputs). */
static void encode12(u8 *r, const u16 *v)
{
	unsigned int i;

	for (i = 0; i < MLKEM_N / 2; i++) {
		r[3 * i] = (u8)v[2 * i];
		r[3 * i + 1] = (u8)((v[2 * i] >> 8) | (v[2 * i + 1] << 4));
		r[3 * i + 2] = (u8)(v[2 * i + 1] >> 4);
	}
}

/*
 * Byte inputs for frombytes: constant 0, q-1, q, 4095; every 12-bit value
 * at every position; one bad value (q, 4095) at each position in valid
 * data; valid random data; random bytes.
 */
static void make_enc12(u8 *buf, unsigned long it)
{
	static const u16 consts[] = { 0, MLKEM_Q - 1, MLKEM_Q, 4095 };
	const unsigned long nsw = n_sweep(0, 4095);
	u16 v[MLKEM_N];
	unsigned int i;

	if (it < 4) {
		for (i = 0; i < MLKEM_N; i++)
			v[i] = consts[it];
	} else if (it - 4 < nsw) {
		struct mlkem_poly p;

		sweep_poly(&p, 0, 4095, it - 4);
		for (i = 0; i < MLKEM_N; i++)
			v[i] = (u16)p.coeffs[i];
	} else if (it - 4 - nsw < 2 * MLKEM_N) {
		it -= 4 + nsw;
		for (i = 0; i < MLKEM_N; i++)
			v[i] = (u16)rnd_range(0, MLKEM_Q - 1);
		v[it % MLKEM_N] = it < MLKEM_N ? MLKEM_Q : 4095;
	} else if (it & 1) {
		for (i = 0; i < MLKEM_N; i++)
			v[i] = (u16)rnd_range(0, MLKEM_Q - 1);
	} else {
		rnd_bytes(buf, MLKEM_POLYBYTES);
		return;
	}
	encode12(buf, v);
}

static void test_frombytes(struct tcase *tc, int check)
{
	u8 *in = malloc(MLKEM_POLYBYTES);
	unsigned long it, n = 4 + n_sweep(0, 4095) + 2 * MLKEM_N + iterations;
	struct mlkem_poly a, b;
	s16 ra, rb;

	if (!in)
		abort();
	for (it = 0; it < n; it++) {
		make_enc12(in, it);
		memset(&b, 0x5a, sizeof(b));
		if (check) {
			ra = mlkem_poly_frombytes_check(&a, in);
			rb = mlkem_poly_frombytes_check_avx2(&b, in);
			tc->checks++;
			if (ra != rb)
				mismatch(tc, "return value", it, -1, ra, rb);
		} else {
			mlkem_poly_frombytes(&a, in);
			mlkem_poly_frombytes_avx2(&b, in);
		}
		cmp_poly(tc, check ? "frombytes_check" : "frombytes", it,
			 &a, &b);
	}
	free(in);
}

/* The encoders, all as f(out, a, d); d is unused by tobytes and tomsg. */
typedef void encode_fn(u8 *r, const struct mlkem_poly *a, unsigned int d);

static void tobytes_ref(u8 *r, const struct mlkem_poly *a, unsigned int d)
{
	(void)d;
	mlkem_poly_tobytes(r, a);
}

static void tobytes_avx2(u8 *r, const struct mlkem_poly *a, unsigned int d)
{
	(void)d;
	mlkem_poly_tobytes_avx2(r, a);
}

static void tomsg_ref(u8 *r, const struct mlkem_poly *a, unsigned int d)
{
	(void)d;
	mlkem_poly_tomsg(r, a);
}

static void tomsg_avx2(u8 *r, const struct mlkem_poly *a, unsigned int d)
{
	(void)d;
	mlkem_poly_tomsg_avx2(r, a);
}

/*
 * An encoder against its twin on polynomials of @domain (see make_poly),
 * @len output bytes, allocated at exact size so that ASan sees overruns.
 */
static void test_encode(struct tcase *tc, const char *what, int domain,
			size_t len, encode_fn *ref, encode_fn *vec,
			unsigned int d)
{
	u8 *want = malloc(len), *got = malloc(len);
	struct mlkem_poly a;
	unsigned long it;

	if (!want || !got)
		abort();
	for (it = 0; it < n_polys(domain); it++) {
		make_poly(&a, domain, it);
		memset(got, 0x5a, len);
		ref(want, &a, d);
		vec(got, &a, d);
		cmp_bytes(tc, what, it, want, got, len);
	}
	free(want);
	free(got);
}

static void test_tobytes(struct tcase *tc)
{
	test_encode(tc, "tobytes", 0, MLKEM_POLYBYTES, tobytes_ref,
		    tobytes_avx2, 0);
}

static void test_compress(struct tcase *tc, unsigned int d)
{
	test_encode(tc, "compress", 1, 32 * d, mlkem_poly_compress,
		    mlkem_poly_compress_avx2, d);
}

static void test_tomsg(struct tcase *tc)
{
	test_encode(tc, "tomsg", 1, MLKEM_SYMBYTES, tomsg_ref, tomsg_avx2, 0);
}

/* ByteEncode_d of raw d-bit values (test-side, for chosen inputs). */
static void encode_d(u8 *r, const u16 *v, unsigned int d)
{
	unsigned int i, bits = 0;
	u32 acc = 0;

	for (i = 0; i < MLKEM_N; i++) {
		acc |= (u32)v[i] << bits;
		for (bits += d; bits >= 8; bits -= 8) {
			*r++ = (u8)acc;
			acc >>= 8;
		}
	}
}

static void test_decompress(struct tcase *tc, unsigned int d)
{
	const unsigned long nsw = n_sweep(0, (1 << d) - 1);
	u8 *in = malloc(32 * d);
	struct mlkem_poly a, b, p;
	unsigned long it;
	u16 v[MLKEM_N];
	unsigned int i;

	if (!in)
		abort();
	for (it = 0; it < 2 + nsw + iterations; it++) {
		if (it < 2) {		/* all zero bits, all one bits */
			memset(in, it ? 0xff : 0, 32 * d);
		} else if (it - 2 < nsw) {
			sweep_poly(&p, 0, (1 << d) - 1, it - 2);
			for (i = 0; i < MLKEM_N; i++)
				v[i] = (u16)p.coeffs[i];
			encode_d(in, v, d);
		} else {
			rnd_bytes(in, 32 * d);
		}
		memset(&b, 0x5a, sizeof(b));
		mlkem_poly_decompress(&a, in, d);
		mlkem_poly_decompress_avx2(&b, in, d);
		cmp_poly(tc, "decompress", it, &a, &b);
	}
	free(in);
}

static void test_frommsg(struct tcase *tc)
{
	u8 *in = malloc(MLKEM_SYMBYTES);
	struct mlkem_poly a, b;
	unsigned long it;

	if (!in)
		abort();
	for (it = 0; it < 2 + 256 + iterations; it++) {
		if (it < 2) {
			memset(in, it ? 0xff : 0, MLKEM_SYMBYTES);
		} else if (it < 2 + 256) {	/* each single bit */
			memset(in, 0, MLKEM_SYMBYTES);
			in[(it - 2) / 8] = (u8)(1 << ((it - 2) % 8));
		} else {
			rnd_bytes(in, MLKEM_SYMBYTES);
		}
		memset(&b, 0x5a, sizeof(b));
		mlkem_poly_frommsg(&a, in);
		mlkem_poly_frommsg_avx2(&b, in);
		cmp_poly(tc, "frommsg", it, &a, &b);
	}
	free(in);
}

static unsigned int passed, failed;

static void finish(struct tcase *tc)
{
	if (tc->bad || !tc->checks) {
		printf("not ok - %s: %lu of %lu inputs differ\n", tc->name,
		       tc->bad, tc->checks);
		failed++;
	} else {
		printf("ok - %s (%lu inputs)\n", tc->name, tc->checks);
		passed++;
	}
}

#define RUN(label, call) do {					\
	struct tcase tc = { .bad = 0 };				\
	snprintf(tc.name, sizeof(tc.name), "%s", label);	\
	call;							\
	finish(&tc);						\
} while (0)

#endif /* __x86_64__ */

int main(int argc, char **argv)
{
	char label[48];
	unsigned int d;

	if (argc > 1)
		iterations = strtoul(argv[1], NULL, 0);
	if (argc > 2)
		rng_state = strtoull(argv[2], NULL, 0);
#if defined(__x86_64__)
	if (!mlkem_impl_usable(&mlkem_impl_avx2)) {
		printf("skipped - poly_avx2 (CPU lacks AVX2/BMI1/BMI2)\n");
		printf("0 passed, 0 failed, %d skipped\n", NCASES);
		return 0;
	}
	printf("# polydiff: %lu random inputs per case, seed %#llx\n",
	       iterations, (unsigned long long)rng_state);
	RUN("reduce", test_reduce(&tc));
	RUN("tomont", test_tomont(&tc));
	RUN("add", test_add(&tc));
	RUN("sub", test_sub(&tc));
	RUN("tobytes", test_tobytes(&tc));
	RUN("frombytes", test_frombytes(&tc, 0));
	RUN("frombytes_check", test_frombytes(&tc, 1));
	for (d = 1; d <= 11; d++) {
		snprintf(label, sizeof(label), "compress d=%u", d);
		RUN(label, test_compress(&tc, d));
	}
	for (d = 1; d <= 11; d++) {
		snprintf(label, sizeof(label), "decompress d=%u", d);
		RUN(label, test_decompress(&tc, d));
	}
	RUN("frommsg", test_frommsg(&tc));
	RUN("tomsg", test_tomsg(&tc));
	printf("%u passed, %u failed, 0 skipped\n", passed, failed);
	return failed ? 1 : 0;
#else
	(void)label;
	(void)d;
	(void)iterations;
	(void)rng_state;
	printf("skipped - poly_avx2 (not x86-64)\n");
	printf("0 passed, 0 failed, %d skipped\n", NCASES);
	return 0;
#endif
}
