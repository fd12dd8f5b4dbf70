// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Differential test of the backends: every usable backend gets the same
 * inputs and must produce the same bytes and return values as the portable
 * code. Per parameter set and iteration, from a deterministic SHAKE256
 * stream (so a failure is reproducible by its iteration number):
 *   keygen_internal(d, z)                    ek, dk
 *   encaps_internal(ek, m)                   ret, ct, ss
 *   decaps(dk, ct)                           ret, ss
 *   decaps(dk, ct with one byte changed)     ret, ss (implicit rejection)
 *   encaps_internal(ek with one coefficient >= q, m)    ret (-EINVAL), ct, ss
 *   decaps(dk with a corrupted H(ek))        ret (-EINVAL)
 * Each of these six is one compared operation. On x86-64 with AVX2, the
 * four-way Keccak (keccak_x4.c) is also compared directly with the scalar
 * sponge: SHAKE128 and SHAKE256 of four different inputs of every length
 * 0..600 (so also the multi-block absorb that ML-KEM does not use), three
 * squeezed blocks each.
 *
 *   diff [ITERATIONS]   (default 17000: 102,000 operations per set)
 *
 * Built at -O2 without sanitizers (the ASan build would take minutes);
 * ends with "N passed, N failed, N skipped" (units: the keccak_x4 check,
 * and parameter sets x vectorized backends; what the CPU cannot run counts
 * as skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlkem.h"
#include "impls.h"

#define OPS_PER_ITER 6

struct out {
	int ret[OPS_PER_ITER];
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	u8 ss_ok[MLKEM_SSBYTES], ss_bad[MLKEM_SSBYTES];
	u8 ct_bad[MLKEM_MAX_CT_BYTES], ss_badek[MLKEM_SSBYTES];
	u8 ss_baddk[MLKEM_SSBYTES];
};

struct in {
	u8 d[32], z[32], m[32], m2[32];
	u32 flip_pos, bad_coeff, bad_val, bad_h;
	u8 flip_xor;
};

static void make_inputs(struct in *in, const char *set, unsigned long it)
{
	u8 seed[64], rnd[160];

	memset(seed, 0, sizeof(seed));
	snprintf((char *)seed, sizeof(seed), "pqrekey diff %s %lu", set, it);
	mlkem_shake256(rnd, sizeof(rnd), seed, sizeof(seed));
	memcpy(in->d, rnd, 32);
	memcpy(in->z, rnd + 32, 32);
	memcpy(in->m, rnd + 64, 32);
	memcpy(in->m2, rnd + 96, 32);
	memcpy(&in->flip_pos, rnd + 128, 4);
	memcpy(&in->bad_coeff, rnd + 132, 4);
	memcpy(&in->bad_val, rnd + 136, 4);
	memcpy(&in->bad_h, rnd + 140, 4);
	in->flip_xor = rnd[144] | 1;	/* never 0: the byte must change */
}

/* Sets 12-bit coefficient @idx of the encoded vector in @ek to @v. */
static void set_coeff(u8 *ek, unsigned int idx, unsigned int v)
{
	u8 *b = ek + 3 * (idx / 2);

	if (idx & 1) {
		b[1] = (u8)((b[1] & 0x0f) | (v & 0x0f) << 4);
		b[2] = (u8)(v >> 4);
	} else {
		b[0] = (u8)v;
		b[1] = (u8)((b[1] & 0xf0) | (v >> 8));
	}
}

static void run(const struct mlkem_params *p, const struct in *in,
		struct out *o, struct mlkem_ws *ws)
{
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	unsigned int off;

	memset(o, 0xa5, sizeof(*o));
	o->ret[0] = mlkem_keygen_internal(p, o->ek, o->dk, in->d, in->z, ws);
	o->ret[1] = mlkem_encaps_internal(p, o->ct, o->ss, o->ek, in->m, ws);
	o->ret[2] = mlkem_decaps(p, o->ss_ok, o->ct, o->dk, ws);

	memcpy(o->ct_bad, o->ct, p->ct_len);
	o->ct_bad[in->flip_pos % p->ct_len] ^= in->flip_xor;
	o->ret[3] = mlkem_decaps(p, o->ss_bad, o->ct_bad, o->dk, ws);

	memcpy(ek, o->ek, p->ek_len);
	set_coeff(ek, in->bad_coeff % (256 * p->k),
		  MLKEM_Q + in->bad_val % (4096 - MLKEM_Q));
	o->ret[4] = mlkem_encaps_internal(p, o->ct_bad, o->ss_badek, ek,
					  in->m2, ws);

	memcpy(dk, o->dk, p->dk_len);
	off = 2 * p->k * MLKEM_POLYBYTES + 32 + in->bad_h % 32;
	dk[off] ^= 0x01;
	o->ret[5] = mlkem_decaps(p, o->ss_baddk, o->ct, dk, ws);
}

static const char *first_diff(const struct out *a, const struct out *b)
{
	static const char *const names[OPS_PER_ITER] = {
		"keygen", "encaps", "decaps", "decaps-corrupted-ct",
		"encaps-bad-modulus-ek", "decaps-bad-hash-dk",
	};
	unsigned int i;

	for (i = 0; i < OPS_PER_ITER; i++)
		if (a->ret[i] != b->ret[i])
			return names[i];
	if (memcmp(a->ek, b->ek, sizeof(a->ek)) ||
	    memcmp(a->dk, b->dk, sizeof(a->dk)))
		return names[0];
	if (memcmp(a->ct, b->ct, sizeof(a->ct)) ||
	    memcmp(a->ss, b->ss, sizeof(a->ss)))
		return names[1];
	if (memcmp(a->ss_ok, b->ss_ok, sizeof(a->ss_ok)))
		return names[2];
	if (memcmp(a->ss_bad, b->ss_bad, sizeof(a->ss_bad)))
		return names[3];
	if (memcmp(a->ct_bad, b->ct_bad, sizeof(a->ct_bad)) ||
	    memcmp(a->ss_badek, b->ss_badek, sizeof(a->ss_badek)))
		return names[4];
	if (memcmp(a->ss_baddk, b->ss_baddk, sizeof(a->ss_baddk)))
		return names[5];
	return NULL;
}

#if defined(__x86_64__)
/* Returns the number of mismatches between keccak_x4 and keccak.c. */
static unsigned int keccak_x4_check(struct mlkem_ws *ws)
{
	static const unsigned int rates[2] = {
		MLKEM_SHAKE128_RATE, MLKEM_SHAKE256_RATE
	};
	static u8 in[4][600], out4[4][3 * MLKEM_SHAKE128_RATE];
	u8 ref[3 * MLKEM_SHAKE128_RATE], seed[8] = "keccak4";
	const u8 *inp[4] = { in[0], in[1], in[2], in[3] };
	u8 *outp[4] = { out4[0], out4[1], out4[2], out4[3] };
	struct mlkem_keccak st;
	unsigned int r, len, l, bad = 0;

	mlkem_shake256(&in[0][0], sizeof(in), seed, sizeof(seed));
	for (r = 0; r < 2; r++) {
		for (len = 0; len <= sizeof(in[0]); len++) {
			mlkem_keccak_x4_absorb_once(&ws->xofn.x4, rates[r], inp,
						    len, MLKEM_KECCAK_DS_SHAKE);
			mlkem_keccak_x4_squeezeblocks(&ws->xofn.x4, rates[r],
						      outp, 3);
			for (l = 0; l < 4; l++) {
				mlkem_keccak_init(&st, rates[r]);
				mlkem_keccak_absorb(&st, in[l], len);
				mlkem_shake_finalize(&st);
				mlkem_keccak_squeeze(&st, ref, 3 * rates[r]);
				if (memcmp(ref, out4[l], 3 * rates[r]) &&
				    bad++ < 5)
					printf("not ok - keccak_x4 SHAKE%u length %u lane %u differs from keccak.c\n",
					       r ? 256 : 128, len, l);
			}
		}
	}
	return bad;
}
#endif

int main(int argc, char **argv)
{
	const struct mlkem_params *sets[] = {
		&mlkem512_params, &mlkem768_params, &mlkem1024_params,
	};
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	unsigned long iters = 17000, it;
	unsigned int n, s, b, pass = 0, fail = 0, skip;
	struct out *ref, *got;
	struct mlkem_ws *ws;
	struct in in;

	if (argc > 2 || (argc == 2 && !(iters = strtoul(argv[1], NULL, 10)))) {
		fprintf(stderr, "usage: diff [ITERATIONS]\n");
		return 2;
	}
	n = test_impls(impls);
	skip = test_impls_skipped() * 3;
	ws = aligned_alloc(32, sizeof(*ws));
	ref = malloc(sizeof(*ref));
	got = malloc(sizeof(*got));
	if (!ws || !ref || !got)
		return 2;

#if defined(__x86_64__)
	if (mlkem_impl_usable(&mlkem_impl_avx2)) {
		if (keccak_x4_check(ws)) {
			fail++;
		} else {
			pass++;
			printf("ok - keccak_x4: SHAKE128/256, lengths 0..600, 4 lanes, identical to keccak.c\n");
		}
	} else {
		skip++;
		printf("skip - keccak_x4 (AVX2 not usable on this CPU)\n");
	}
#endif
	for (s = 0; s < 3; s++) {
		const struct mlkem_params *p = sets[s];
		unsigned int bad[TEST_MAX_IMPLS] = { 0 };

		for (it = 0; it < iters; it++) {
			make_inputs(&in, p->name, it);
			mlkem_ws_set_impl(ws, impls[0]);
			run(p, &in, ref, ws);
			/* the rejection paths must really be taken */
			if (ref->ret[0] || ref->ret[1] || ref->ret[2] ||
			    ref->ret[3] || ref->ret[4] != -EINVAL ||
			    ref->ret[5] != -EINVAL ||
			    memcmp(ref->ss, ref->ss_ok, 32) ||
			    !memcmp(ref->ss, ref->ss_bad, 32)) {
				printf("not ok - %s iteration %lu: generic results inconsistent\n",
				       p->name, it);
				bad[0]++;
			}
			for (b = 1; b < n; b++) {
				const char *what;

				mlkem_ws_set_impl(ws, impls[b]);
				run(p, &in, got, ws);
				what = first_diff(ref, got);
				if (what && bad[b]++ < 5)
					printf("not ok - %s %s iteration %lu: %s differs from generic\n",
					       p->name, mlkem_impl_name(impls[b]),
					       it, what);
			}
		}
		for (b = 1; b < n; b++) {
			bad[b] += bad[0];
			if (bad[b])
				fail++;
			else
				pass++;
			printf("%s - %s %s: %lu operations (%lu iterations x %d) %s\n",
			       bad[b] ? "not ok" : "ok", p->name,
			       mlkem_impl_name(impls[b]),
			       iters * OPS_PER_ITER, iters, OPS_PER_ITER,
			       bad[b] ? "DIFFER" : "identical to generic");
		}
		if (n == 1 && bad[0])
			fail++;
	}
	if (test_impls_skipped())
		printf("skip - %u backend(s) not usable on this CPU\n",
		       test_impls_skipped());
	free(ws);
	free(ref);
	free(got);
	printf("%u passed, %u failed, %u skipped\n", pass, fail, skip);
	return fail ? 1 : 0;
}
