// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the FrodoKEM core (kernel/frodo) under valgrind
 * memcheck, run by user/tests/run-ct.sh ("make user-ct"), like ct.c for
 * ML-KEM. Secrets are marked undefined with VALGRIND_MAKE_MEM_UNDEFINED;
 * memcheck reports every conditional jump and memory address that depends
 * on them, and each case counts the reports made while it runs.
 *
 * Secrets: the keygen coins s || seedSE || z (so S^T and E, and - stricter
 * than needed - seedA), the encaps coins mu || salt (so S', E', E''), and
 * the whole secret key in decaps (s, S^T, and the public pk and pkh copies
 * in it), for a valid ciphertext and for a corrupted one (the ciphertext
 * comparison and the implicit-rejection select). Outputs are declassified
 * before they are compared with those of a run on unmarked inputs.
 *
 *   frodo_ct [--label L]   keygen, encaps, decaps, decaps-reject per set
 *                          and per usable backend (a skip line for each
 *                          other backend)
 *   frodo_ct --count       the number of backends built in (valgrind's
 *                          CPU lacks AVX-512: count the skip lines)
 *   frodo_ct --self-check  a secret branch that memcheck must catch (the
 *                          process then exits with --error-exitcode)
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "frodo.h"

#define secret(p, n)	VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define public(p, n)	VALGRIND_MAKE_MEM_DEFINED((p), (n))

static unsigned int n_ok, n_fail;
static const char *label = "", *label0 = "";

static void result(bool ok, const char *what, const struct frodo_params *p,
		   unsigned long errors, const char *extra)
{
	printf("%s - frodo-ct %s%s%s%s", ok ? "ok" : "not ok", what,
	       p ? " " : "", p ? p->name : "", label);
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

struct bufs {
	u8 kc[FRODO_MAX_KEYGEN_COINS], ec[FRODO_MAX_ENCAPS_COINS];
	u8 pk[FRODO_MAX_PK_BYTES], sk[FRODO_MAX_SK_BYTES];
	u8 pk2[FRODO_MAX_PK_BYTES], sk2[FRODO_MAX_SK_BYTES];
	u8 ct[FRODO_MAX_CT_BYTES], ct2[FRODO_MAX_CT_BYTES];
	u8 ss[FRODO_MAX_SS_BYTES], ss2[FRODO_MAX_SS_BYTES];
	u8 ssr[FRODO_MAX_SS_BYTES];
};

static void check_set(const struct frodo_params *p, struct frodo_ws *ws,
		      struct bufs *b)
{
	size_t kcl = frodo_keygen_coins(p), ecl = frodo_encaps_coins(p);
	unsigned long e0, e;
	bool same;

	mlkem_randombytes(b->kc, kcl);
	mlkem_randombytes(b->ec, ecl);
	/* reference results on unmarked inputs */
	frodo_keygen_internal(p, b->pk, b->sk, b->kc, ws);
	frodo_encaps_internal(p, b->ct, b->ss, b->pk, b->ec, ws);
	frodo_decaps(p, b->ss2, b->ct, b->sk, ws);
	if (memcmp(b->ss, b->ss2, p->ss_len)) {
		result(false, "reference run", p, 0, "decaps != encaps");
		return;
	}

	secret(b->kc, kcl);
	e0 = errors_now();
	frodo_keygen_internal(p, b->pk2, b->sk2, b->kc, ws);
	e = errors_now() - e0;
	public(b->kc, kcl);
	public(b->pk2, p->pk_len);
	public(b->sk2, p->sk_len);
	same = !memcmp(b->pk, b->pk2, p->pk_len) &&
	       !memcmp(b->sk, b->sk2, p->sk_len);
	result(!e && same, "keygen", p, e,
	       same ? NULL : "result differs from the unmarked run");

	secret(b->ec, ecl);
	e0 = errors_now();
	frodo_encaps_internal(p, b->ct2, b->ss2, b->pk, b->ec, ws);
	e = errors_now() - e0;
	public(b->ec, ecl);
	public(b->ct2, p->ct_len);
	public(b->ss2, p->ss_len);
	same = !memcmp(b->ct, b->ct2, p->ct_len) &&
	       !memcmp(b->ss, b->ss2, p->ss_len);
	result(!e && same, "encaps", p, e,
	       same ? NULL : "result differs from the unmarked run");

	secret(b->sk, p->sk_len);
	e0 = errors_now();
	frodo_decaps(p, b->ss2, b->ct, b->sk, ws);
	e = errors_now() - e0;
	public(b->sk, p->sk_len);
	public(b->ss2, p->ss_len);
	same = !memcmp(b->ss, b->ss2, p->ss_len);
	result(!e && same, "decaps", p, e,
	       same ? NULL : "shared secret differs from encaps");

	/* a corrupted c1 entry: comparison fails, rejection secret chosen */
	memcpy(b->ct2, b->ct, p->ct_len);
	b->ct2[p->ct_len / 3] ^= 0x01;
	frodo_decaps(p, b->ssr, b->ct2, b->sk, ws);	/* unmarked */
	secret(b->sk, p->sk_len);
	e0 = errors_now();
	frodo_decaps(p, b->ss2, b->ct2, b->sk, ws);
	e = errors_now() - e0;
	public(b->sk, p->sk_len);
	public(b->ss2, p->ss_len);
	same = !memcmp(b->ss2, b->ssr, p->ss_len) &&
	       memcmp(b->ss2, b->ss, p->ss_len);
	result(!e && same, "decaps-reject", p, e,
	       same ? NULL : "rejection secret wrong or equal to the real one");
}

static volatile int sink;

static noinline void leaky_branch(const u8 *key)
{
	if (key[0] & 1)		/* a branch on a secret bit */
		sink = 1;
	else
		sink = 2;
}

static int self_check(void)
{
	u8 key[16];
	unsigned long e0, e;

	mlkem_randombytes(key, sizeof(key));
	secret(key, sizeof(key));
	e0 = errors_now();
	leaky_branch(key);
	e = errors_now() - e0;
	result(e > 0, "self-check detects a secret branch", NULL, 0,
	       e ? NULL : "memcheck reported nothing");
	return n_fail ? 1 : 0;
}

int main(int argc, char **argv)
{
	const struct frodo_params *sets[] = {
		&frodo976aes_params, &frodo976shake_params,
		&frodo1344aes_params, &frodo1344shake_params,
	};
	struct frodo_ws *ws;
	struct bufs *b;
	unsigned int k;
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--count")) {
		/* the backends built in: each runs or prints a skip line */
		printf("%u\n", frodo_nimpls);
		return 0;
	}
	if (!RUNNING_ON_VALGRIND) {
		fprintf(stderr, "frodo_ct: must run under valgrind (make user-ct)\n");
		return 2;
	}
	if (argc == 2 && !strcmp(argv[1], "--self-check"))
		return self_check();
	if (argc == 3 && !strcmp(argv[1], "--label")) {
		static char buf[64];

		snprintf(buf, sizeof(buf), " (%s)", argv[2]);
		label0 = buf;
	} else if (argc != 1) {
		fprintf(stderr, "usage: frodo_ct [--self-check | --count | --label L]\n");
		return 2;
	}
	ws = malloc(sizeof(*ws));
	b = malloc(sizeof(*b));
	if (!ws || !b)
		return 2;
	for (k = 0; k < frodo_nimpls; k++) {
		static char buf[96];

		if (!frodo_impl_usable(frodo_impls[k])) {
			printf("skip - frodo-ct %s backend: not supported by this CPU%s\n",
			       frodo_impls[k]->name, label0);
			continue;
		}
		frodo_ws_set_impl(ws, frodo_impls[k]);
		snprintf(buf, sizeof(buf), "%s [%s]", label0,
			 frodo_impls[k]->name);
		label = buf;
		for (i = 0; i < ARRAY_SIZE(sets); i++)
			check_set(sets[i], ws, b);
	}
	free(ws);
	free(b);
	return n_fail ? 1 : 0;
}
