// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the core under valgrind memcheck (run it through
 * user/tests/run-ct.sh, "make user-ct"). Secret inputs are marked undefined
 * with VALGRIND_MAKE_MEM_UNDEFINED; memcheck then reports every conditional
 * jump and every memory address that depends on them. Each case counts the
 * errors memcheck reports while it runs (VALGRIND_COUNT_ERRORS), so a leak
 * is attributed to the operation that has it.
 *
 * Secrets: d and z (KeyGen), m (Encaps), the whole of dk (Decaps: s and the
 * implicit-rejection value z, and - stricter than needed - the ek and H(ek)
 * copies inside it, which the core declassifies where it uses them as public
 * values). ek and ciphertexts are public. Outputs are declassified before
 * they are compared with those of a run on unmarked inputs.
 *
 *   ct [--label L]  the checks on ML-KEM-512/768/1024 (L, e.g. "kflags",
 *                   is appended to each result's name)
 *   ct --self-check deliberately leaky toys that memcheck must catch (the
 *                   process then exits with valgrind's --error-exitcode),
 *                   and a constant-time toy it must not flag
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "mlkem.h"
#include "impls.h"

#define secret(p, n)	VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define public(p, n)	VALGRIND_MAKE_MEM_DEFINED((p), (n))

static unsigned int n_ok, n_fail;
static const char *label = "";	/* " (kflags)": which build of the core */

static void result(bool ok, const char *what, const struct mlkem_params *p,
		   unsigned long errors, const char *extra)
{
	printf("%s - ct %s%s%s%s", ok ? "ok" : "not ok", what, p ? " " : "",
	       p ? p->name : "", label);
	if (errors)
		printf(": %lu valgrind error(s) (see the reports above)",
		       errors);
	if (extra)
		printf(": %s", extra);
	putchar('\n');
	fflush(stdout);
	if (ok)
		n_ok++;
	else
		n_fail++;
}

static unsigned long errors_now(void)
{
	return (unsigned long)VALGRIND_COUNT_ERRORS;
}

static void check_set(const struct mlkem_params *p, struct mlkem_ws *ws)
{
	u8 d[MLKEM_SYMBYTES], z[MLKEM_SYMBYTES], m[MLKEM_SYMBYTES];
	u8 ek[MLKEM_MAX_EK_BYTES], dk[MLKEM_MAX_DK_BYTES];
	u8 ek2[MLKEM_MAX_EK_BYTES], dk2[MLKEM_MAX_DK_BYTES];
	u8 ct[MLKEM_MAX_CT_BYTES], ct2[MLKEM_MAX_CT_BYTES];
	u8 ss[MLKEM_SSBYTES], ss2[MLKEM_SSBYTES], ssr[MLKEM_SSBYTES];
	unsigned long e0, e;
	int rc, rc2;

	mlkem_randombytes(d, sizeof(d));
	mlkem_randombytes(z, sizeof(z));
	mlkem_randombytes(m, sizeof(m));

	/* Reference results on unmarked inputs. */
	if (mlkem_keygen_internal(p, ek, dk, d, z, ws) ||
	    mlkem_encaps_internal(p, ct, ss, ek, m, ws) ||
	    mlkem_decaps(p, ss2, ct, dk, ws) || memcmp(ss, ss2, sizeof(ss))) {
		result(false, "reference run", p, 0, "KeyGen/Encaps/Decaps failed");
		return;
	}

	/* KeyGen: d, z secret. */
	secret(d, sizeof(d));
	secret(z, sizeof(z));
	e0 = errors_now();
	rc = mlkem_keygen_internal(p, ek2, dk2, d, z, ws);
	e = errors_now() - e0;
	public(&rc, sizeof(rc));
	public(ek2, p->ek_len);
	public(dk2, p->dk_len);
	public(d, sizeof(d));
	public(z, sizeof(z));
	result(!e && !rc && !memcmp(ek, ek2, p->ek_len) &&
	       !memcmp(dk, dk2, p->dk_len), "keygen", p, e,
	       rc || memcmp(ek, ek2, p->ek_len) || memcmp(dk, dk2, p->dk_len) ?
	       "result differs from the unmarked run" : NULL);

	/* Encaps: m secret. */
	secret(m, sizeof(m));
	e0 = errors_now();
	rc = mlkem_encaps_internal(p, ct2, ss2, ek, m, ws);
	e = errors_now() - e0;
	public(&rc, sizeof(rc));
	public(ct2, p->ct_len);
	public(ss2, sizeof(ss2));
	public(m, sizeof(m));
	result(!e && !rc && !memcmp(ct, ct2, p->ct_len) &&
	       !memcmp(ss, ss2, sizeof(ss)), "encaps", p, e,
	       rc || memcmp(ct, ct2, p->ct_len) || memcmp(ss, ss2, sizeof(ss)) ?
	       "result differs from the unmarked run" : NULL);

	/* Decaps of a valid ciphertext: dk secret. */
	secret(dk, p->dk_len);
	e0 = errors_now();
	rc = mlkem_decaps(p, ss2, ct, dk, ws);
	e = errors_now() - e0;
	public(&rc, sizeof(rc));
	public(ss2, sizeof(ss2));
	result(!e && !rc && !memcmp(ss, ss2, sizeof(ss)), "decaps", p, e,
	       rc || memcmp(ss, ss2, sizeof(ss)) ?
	       "shared secret differs from Encaps" : NULL);

	/* Decaps of a corrupted ciphertext: the implicit-rejection path. */
	memcpy(ct2, ct, p->ct_len);
	ct2[p->ct_len / 2] ^= 0x01;
	public(dk, p->dk_len);
	rc2 = mlkem_decaps(p, ssr, ct2, dk, ws);	/* unmarked reference */
	secret(dk, p->dk_len);
	e0 = errors_now();
	rc = mlkem_decaps(p, ss2, ct2, dk, ws);
	e = errors_now() - e0;
	public(&rc, sizeof(rc));
	public(ss2, sizeof(ss2));
	public(dk, p->dk_len);
	result(!e && !rc && !rc2 && !memcmp(ss2, ssr, sizeof(ss)) &&
	       memcmp(ss2, ss, sizeof(ss)), "decaps-reject", p, e,
	       rc || rc2 || memcmp(ss2, ssr, sizeof(ss)) ||
	       !memcmp(ss2, ss, sizeof(ss)) ?
	       "rejection key wrong or equal to the real one" : NULL);

	/* The internal variant (keys checked at import, as the kernel does). */
	secret(dk, p->dk_len);
	e0 = errors_now();
	rc = mlkem_decaps_internal(p, ss2, ct2, dk, ws);
	rc2 = mlkem_decaps_internal(p, ssr, ct, dk, ws);
	e = errors_now() - e0;
	public(&rc, sizeof(rc));
	public(&rc2, sizeof(rc2));
	public(ss2, sizeof(ss2));
	public(ssr, sizeof(ssr));
	public(dk, p->dk_len);
	result(!e && !rc && !rc2 && !memcmp(ssr, ss, sizeof(ss)) &&
	       memcmp(ss2, ss, sizeof(ss)), "decaps_internal", p, e,
	       rc || rc2 || !memcmp(ss2, ss, sizeof(ss)) ||
	       memcmp(ssr, ss, sizeof(ss)) ? "wrong shared secrets" : NULL);
}

/* --self-check: toys the check must (or must not) catch. */

static volatile int sink;
static const u8 table[256] = { 1, 2, 3 };

static noinline void leaky_branch(const u8 *key)
{
	if (key[0] == 0x42)	/* branch on a secret byte */
		sink = 1;
	else
		sink = 2;
}

static noinline void leaky_index(const u8 *key)
{
	sink = table[key[1]];	/* memory address from a secret byte */
}

static noinline void ct_select(const u8 *key)
{
	u8 mask = (u8)-(u8)(key[2] & 1);	/* 0x00 or 0xff, no branch */
	u8 v = (u8)((table[0] & mask) | (table[1] & (u8)~mask));

	sink = v;
	public(&v, 1);
}

static int self_check(void)
{
	u8 key[32];
	unsigned long e0, e;

	mlkem_randombytes(key, sizeof(key));
	secret(key, sizeof(key));

	e0 = errors_now();
	ct_select(key);
	e = errors_now() - e0;
	result(e == 0, "self-check: constant-time select not flagged", NULL,
	       e, NULL);

	e0 = errors_now();
	leaky_branch(key);
	e = errors_now() - e0;
	result(e > 0, "self-check detects a secret branch", NULL, 0,
	       e ? NULL : "memcheck reported nothing");

	e0 = errors_now();
	leaky_index(key);
	e = errors_now() - e0;
	result(e > 0, "self-check detects a secret memory index", NULL, 0,
	       e ? NULL : "memcheck reported nothing");
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct mlkem_params *sets[] = {
		&mlkem512_params, &mlkem768_params, &mlkem1024_params,
	};
	const struct mlkem_impl *impls[TEST_MAX_IMPLS];
	static char lbuf[96];
	unsigned int b, nimpl;
	const char *base;
	struct mlkem_ws *ws;
	size_t i;

	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "ct: must run under valgrind (use make user-ct)\n");
		return 2;
	}
	if (argc == 2 && !strcmp(argv[1], "--self-check"))
		return self_check();
	if (argc == 3 && !strcmp(argv[1], "--label")) {
		static char buf[64];

		snprintf(buf, sizeof(buf), " (%s)", argv[2]);
		label = buf;
	} else if (argc != 1) {
		fprintf(stderr, "usage: ct [--self-check | --label L]\n");
		return 2;
	}
	base = label;
	ws = aligned_alloc(32, sizeof(*ws));
	if (!ws)
		return 2;
	/* Every backend the CPU supports; the label names it. */
	nimpl = test_impls(impls);
	printf("# backends: %u\n", nimpl);
	for (b = 0; b < nimpl; b++) {
		snprintf(lbuf, sizeof(lbuf), "%s [%s]", label,
			 mlkem_impl_name(impls[b]));
		label = lbuf;
		mlkem_ws_set_impl(ws, impls[b]);
		for (i = 0; i < ARRAY_SIZE(sets); i++)
			check_set(sets[i], ws);
		label = base;
	}
	for (b = 0; b < mlkem_nimpls; b++)
		if (!mlkem_impl_usable(test_all_impls[b]))
			printf("skip - %s: backend not usable on this CPU\n",
			       mlkem_impl_name(test_all_impls[b]));
	free(ws);
	return n_fail ? 1 : 0;
}
