// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the core under clang's MemorySanitizer, for the
 * code valgrind cannot run (AVX-512: valgrind 3.19 stops with SIGILL).
 * Run it through user/tests/run-ct.sh ("make user-ct"). The core is built
 * with clang -fsanitize=memory -DMLKEM_CT_TESTING -DMLKEM_CT_MSAN; secrets
 * are poisoned with __msan_poison() and the core declassifies public values
 * with __msan_unpoison() (mlkem_ct_declassify(), platform.h). MSan then
 * reports a conditional branch on, or a memory address computed from, a
 * secret. It checks the compiler's IR, not machine code: the valgrind check
 * (ct.c) stays the check of the gcc-built binaries.
 *
 * Secrets as in ct.c: d, z (KeyGen), m (Encaps), all of dk (Decaps,
 * check_dk) and, stricter than needed, ek in check_ek. Each case runs in
 * a child process; MSan stops a child at its first report with exit code
 * 77 (its report, with the stack, goes to stderr). Each case also compares
 * the backend's results with those of the portable code on unmarked inputs.
 *
 * MSan's propagation ignores carries and the high half of products, so
 * secrets could fade out of the data on the way; ct-msan-template.h keeps
 * them in (it is included by kem_template.h in this build only).
 *
 *   ct-msan [--run]       the cases on ML-KEM-512/768/1024, every backend
 *                         the CPU supports
 *   ct-msan --count       how many result lines a run prints
 *   ct-msan --self-check  leaky toys in AVX2 and AVX-512 code (a branch on
 *                         a secret, a secret table index, a secret gather)
 *                         that must be reported, and constant-time vector
 *                         toys that must not be
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/msan_interface.h>

#include "ct-msan-child.h"

#include "mlkem.h"
#include "impls.h"
#include "x86_64/simd.h"

#if !defined(__has_feature)
#error "ct-msan needs clang -fsanitize=memory"
#elif !__has_feature(memory_sanitizer)
#error "ct-msan needs clang -fsanitize=memory"
#endif
#ifndef MLKEM_CT_MSAN
#error "build with -DMLKEM_CT_TESTING -DMLKEM_CT_MSAN"
#endif

#define secret(p, n)	__msan_poison((p), (n))
#define public(p, n)	__msan_unpoison((p), (n))


/* One operation of the core on one backend and parameter set. */
enum op {
	OP_KEYGEN, OP_ENCAPS, OP_DECAPS, OP_DECAPS_REJECT, OP_DECAPS_INTERNAL,
	OP_CHECK_EK, OP_CHECK_DK, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"keygen", "encaps", "decaps", "decaps-reject", "decaps_internal",
	"check_ek", "check_dk",
};

struct job {
	const struct mlkem_impl *impl;
	const struct mlkem_params *p;
	enum op op;
};

static int run_op(const void *arg)
{
	const struct job *j = arg;
	const struct mlkem_params *p = j->p;
	static u8 d[MLKEM_SYMBYTES], z[MLKEM_SYMBYTES], m[MLKEM_SYMBYTES];
	static u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	static u8 ek2[MLKEM_MAX_EK_BYTES], dk2[MLKEM_MAX_DK_BYTES];
	static u8 ct[MLKEM_MAX_CT_BYTES], ctr[MLKEM_MAX_CT_BYTES];
	static u8 ct2[MLKEM_MAX_CT_BYTES];
	u8 ss[MLKEM_SSBYTES], ssr[MLKEM_SSBYTES];
	u8 ss2[MLKEM_SSBYTES], ss3[MLKEM_SSBYTES];
	struct mlkem_ws *ws;
	bool ok = false;
	int rc, rc2;

	ws = aligned_alloc(32, sizeof(*ws));
	if (!ws)
		return 2;
	mlkem_randombytes(d, sizeof(d));
	mlkem_randombytes(z, sizeof(z));
	mlkem_randombytes(m, sizeof(m));

	/* Reference results: the portable code on unmarked inputs. */
	mlkem_ws_set_impl(ws, &mlkem_impl_generic);
	if (mlkem_keygen_internal(p, ek, dk, d, z, ws) ||
	    mlkem_encaps_internal(p, ct, ss, ek, m, ws))
		return CTM_WRONG_EXIT;
	memcpy(ctr, ct, p->ct_len);
	ctr[p->ct_len / 2] ^= 0x01;	/* implicit-rejection ciphertext */
	if (mlkem_decaps(p, ssr, ctr, dk, ws) || !memcmp(ss, ssr, sizeof(ss)))
		return CTM_WRONG_EXIT;

	mlkem_ws_set_impl(ws, j->impl);
	switch (j->op) {
	case OP_KEYGEN:
		secret(d, sizeof(d));
		secret(z, sizeof(z));
		rc = mlkem_keygen_internal(p, ek2, dk2, d, z, ws);
		public(&rc, sizeof(rc));
		public(ek2, p->ek_len);
		public(dk2, p->dk_len);
		ok = !rc && !memcmp(ek, ek2, p->ek_len) &&
		     !memcmp(dk, dk2, p->dk_len);
		break;
	case OP_ENCAPS:
		secret(m, sizeof(m));
		rc = mlkem_encaps_internal(p, ct2, ss2, ek, m, ws);
		public(&rc, sizeof(rc));
		public(ct2, p->ct_len);
		public(ss2, sizeof(ss2));
		ok = !rc && !memcmp(ct, ct2, p->ct_len) &&
		     !memcmp(ss, ss2, sizeof(ss));
		break;
	case OP_DECAPS:
		secret(dk, p->dk_len);
		rc = mlkem_decaps(p, ss2, ct, dk, ws);
		public(&rc, sizeof(rc));
		public(ss2, sizeof(ss2));
		ok = !rc && !memcmp(ss, ss2, sizeof(ss));
		break;
	case OP_DECAPS_REJECT:
		secret(dk, p->dk_len);
		rc = mlkem_decaps(p, ss2, ctr, dk, ws);
		public(&rc, sizeof(rc));
		public(ss2, sizeof(ss2));
		ok = !rc && !memcmp(ssr, ss2, sizeof(ss));
		break;
	case OP_DECAPS_INTERNAL:
		secret(dk, p->dk_len);
		rc = mlkem_decaps_internal(p, ss2, ct, dk, ws);
		rc2 = mlkem_decaps_internal(p, ss3, ctr, dk, ws);
		public(&rc, sizeof(rc));
		public(&rc2, sizeof(rc2));
		public(ss2, sizeof(ss2));
		public(ss3, sizeof(ss3));
		ok = !rc && !rc2 && !memcmp(ss, ss2, sizeof(ss)) &&
		     !memcmp(ssr, ss3, sizeof(ss));
		break;
	case OP_CHECK_EK:
		/* a valid key, then one with a coefficient of q = 3329 */
		memcpy(ek2, ek, p->ek_len);
		ek2[0] = 0x01;
		ek2[1] = (u8)((ek2[1] & 0xf0) | 0x0d);
		secret(ek, p->ek_len);
		secret(ek2, p->ek_len);
		rc = mlkem_check_ek(p, ek, ws);
		rc2 = mlkem_check_ek(p, ek2, ws);
		public(&rc, sizeof(rc));
		public(&rc2, sizeof(rc2));
		public(ek, p->ek_len);
		ok = !rc && rc2 == -EINVAL;
		break;
	case OP_CHECK_DK:
		/* a valid key, then one whose H(ek) is wrong */
		memcpy(dk2, dk, p->dk_len);
		dk2[p->dk_len - 2 * MLKEM_SYMBYTES] ^= 0x80;
		secret(dk, p->dk_len);
		secret(dk2, p->dk_len);
		rc = mlkem_check_dk(p, dk);
		rc2 = mlkem_check_dk(p, dk2);
		public(&rc, sizeof(rc));
		public(&rc2, sizeof(rc2));
		ok = !rc && rc2 == -EINVAL;
		break;
	default:
		break;
	}
	free(ws);
	return ok ? 0 : CTM_WRONG_EXIT;
}

/* --self-check: vector toys the check must (or must not) report. */

static volatile int sink;
static const u8 table8[256] = { 1, 2, 3 };
static const int table32[64] __attribute__((aligned(64))) = { 1, 2, 3 };
static u8 key[64] __attribute__((aligned(64)));

/* A call the compiler cannot turn into a select: the branch stays. */
static noinline void taken(void)
{
	sink = sink * 3 + 1;
}

static __attribute__((target("avx2"))) int avx2_branch(const void *arg)
{
	__m256i v = _mm256_load_si256((const __m256i *)key);

	(void)arg;
	/* branch on a secret compare result */
	if (_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x42))))
		taken();
	return 0;
}

static __attribute__((target("avx2"))) int avx2_index(const void *arg)
{
	__m256i v = _mm256_load_si256((const __m256i *)key);

	(void)arg;
	/* a lane of a secret vector as a table index */
	sink = table8[_mm256_extract_epi32(v, 3) & 0xff];
	return 0;
}

static __attribute__((target("avx2"))) int avx2_gather(const void *arg)
{
	__m256i v = _mm256_load_si256((const __m256i *)key);
	__m256i g;

	(void)arg;
	/* a gather with secret indices (memory addresses from secrets) */
	g = _mm256_i32gather_epi32(table32,
				   _mm256_and_si256(v, _mm256_set1_epi32(63)),
				   4);
	public(&g, sizeof(g));
	sink = _mm256_extract_epi32(g, 0);
	return 0;
}

/* Data-independent lane operations on secrets: must not be reported. */
static __attribute__((target("avx2"))) int avx2_clean(const void *arg)
{
	__m256i v = _mm256_load_si256((const __m256i *)key);
	__m256i w = _mm256_load_si256((const __m256i *)key + 1);
	__m256i r;
	int mask;

	(void)arg;
	r = _mm256_shuffle_epi8(w, v);			/* secret control */
	r = _mm256_permutevar8x32_epi32(r, v);		/* secret index */
	r = _mm256_mulhi_epi16(r, w);
	r = _mm256_add_epi32(r, _mm256_madd_epi16(r, v));
	r = _mm256_packs_epi16(r, v);
	mask = _mm256_movemask_epi8(r);			/* secret mask */
	r = _mm256_xor_si256(r, _mm256_set1_epi32(mask));
	r = _mm256_blendv_epi8(r, w, v);
	if (__msan_test_shadow(&r, sizeof(r)) < 0)
		return 4;	/* the secret was lost on the way */
	public(&r, sizeof(r));
	sink = _mm256_extract_epi32(r, 1);
	return 0;
}

#define AVX512 "avx2,avx512f,avx512vl,avx512bw,avx512dq"

static __attribute__((target(AVX512))) int avx512_branch(const void *arg)
{
	__m512i v = _mm512_load_si512(key);

	(void)arg;
	if (_mm512_cmpeq_epi16_mask(v, _mm512_set1_epi16(0x4242)))
		taken();
	return 0;
}

static __attribute__((target(AVX512))) int avx512_index(const void *arg)
{
	__m512i v = _mm512_load_si512(key);

	(void)arg;
	v = _mm512_permutexvar_epi32(_mm512_set1_epi32(5), v);
	sink = table8[_mm_cvtsi128_si32(_mm512_castsi512_si128(v)) & 0xff];
	return 0;
}

static __attribute__((target(AVX512))) int avx512_gather(const void *arg)
{
	__m512i v = _mm512_load_si512(key);
	__m512i g;

	(void)arg;
	g = _mm512_i32gather_epi32(_mm512_and_si512(v,
						    _mm512_set1_epi32(63)),
				   table32, 4);
	public(&g, sizeof(g));
	sink = _mm_cvtsi128_si32(_mm512_castsi512_si128(g));
	return 0;
}

static __attribute__((target(AVX512))) int avx512_clean(const void *arg)
{
	__m512i v = _mm512_load_si512(key);
	__m512i w = _mm512_permutexvar_epi64(_mm512_set1_epi64(1), v);
	__m512i r;
	__mmask32 k;

	(void)arg;
	r = _mm512_permutexvar_epi16(v, w);		/* secret index */
	r = _mm512_permutex2var_epi16(r, v, w);
	r = _mm512_shuffle_epi8(r, v);
	r = _mm512_add_epi16(_mm512_mullo_epi16(r, w),
			     _mm512_mulhi_epi16(r, v));
	r = _mm512_srai_epi16(r, 3);
	k = _mm512_cmpgt_epi16_mask(r, w);		/* secret mask */
	r = _mm512_mask_blend_epi16(k, r, w);
	r = _mm512_mask_sub_epi16(r, k, r, v);
	/* strictly checked by MSan: through mlkem_vop2() (simd.h) */
	r = _mm512_add_epi32(r, mlkem_vop2(_mm512_madd_epi16, r, w));
	r = mlkem_vop2(_mm512_packs_epi32, r, v);
	if (__msan_test_shadow(&r, sizeof(r)) < 0)
		return 4;
	public(&r, sizeof(r));
	sink = _mm_cvtsi128_si32(_mm512_castsi512_si128(r));
	return 0;
}

static bool cpu_avx512(void)
{
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl") &&
	       __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512dq");
}

static void toy(const char *what, int (*fn)(const void *), bool leaky,
		bool usable)
{
	char name[128];
	int st;

	snprintf(name, sizeof(name), "self-check: %s %s", what,
		 leaky ? "reported" : "not reported");
	if (!usable) {
		printf("skip - ct-msan %s: CPU lacks the instructions\n", name);
		ctm_n_skip++;
		return;
	}
	st = ctm_run_child(fn, NULL);
	if (leaky)
		ctm_result(st == CTM_MSAN_EXIT, name,
		       st == CTM_MSAN_EXIT ? NULL : st == 0 ?
		       "MemorySanitizer reported nothing" : ctm_describe(st));
	else
		ctm_result(st == 0, name, st == 4 ?
		       "the secret did not reach the result" : ctm_describe(st));
}

static int self_check(void)
{
	bool avx2, avx512;

	__builtin_cpu_init();
	avx2 = __builtin_cpu_supports("avx2");
	avx512 = cpu_avx512();
	mlkem_randombytes(key, sizeof(key));
	secret(key, sizeof(key));

	toy("AVX2 constant-time lane operations", avx2_clean, false, avx2);
	toy("AVX2 branch on a secret", avx2_branch, true, avx2);
	toy("AVX2 secret table index", avx2_index, true, avx2);
	toy("AVX2 gather at secret indices", avx2_gather, true, avx2);
	toy("AVX-512 constant-time lane operations", avx512_clean, false,
	    avx512);
	toy("AVX-512 branch on a secret", avx512_branch, true, avx512);
	toy("AVX-512 secret table index", avx512_index, true, avx512);
	toy("AVX-512 gather at secret indices", avx512_gather, true, avx512);
	printf("# self-check: %u ok, %u failed, %u skipped\n", ctm_n_ok, ctm_n_fail,
	       ctm_n_skip);
	return ctm_n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct mlkem_params *sets[] = {
		&mlkem512_params, &mlkem768_params, &mlkem1024_params,
	};
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	unsigned int b, nimpl;
	char name[128];
	struct job j;
	size_t i;
	int op, st;

	if (argc == 2 && !strcmp(argv[1], "--self-check"))
		return self_check();
	nimpl = test_impls(impls);
	if (argc == 2 && !strcmp(argv[1], "--count")) {
		/* the result lines a full run prints (for run-ct.sh) */
		printf("%zu\n", nimpl * ARRAY_SIZE(sets) * NR_OPS +
		       test_impls_skipped());
		return 0;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--run"))) {
		fprintf(stderr, "usage: ct-msan [--run | --self-check | --count]\n");
		return 2;
	}
	printf("# backends: %u\n", nimpl);
	for (b = 0; b < nimpl; b++) {
		j.impl = impls[b];
		for (i = 0; i < ARRAY_SIZE(sets); i++) {
			j.p = sets[i];
			for (op = 0; op < NR_OPS; op++) {
				j.op = op;
				snprintf(name, sizeof(name), "%s %s [%s]",
					 op_names[op], sets[i]->name,
					 mlkem_impl_name(impls[b]));
				st = ctm_run_child(run_op, &j);
				ctm_result(st == 0, name, ctm_describe(st));
			}
		}
	}
	for (b = 0; b < test_impls_skipped(); b++) {
		printf("skip - ct-msan: a backend built in is not usable on this CPU\n");
		ctm_n_skip++;
	}
	return ctm_n_fail ? 1 : 0;
}
