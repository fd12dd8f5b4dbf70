// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the FrodoKEM core under clang's MemorySanitizer,
 * for the backend valgrind cannot run (AVX-512: valgrind 3.19 stops with
 * SIGILL), and the others with it. Built like ct-msan.c (clang
 * -fsanitize=memory -DMLKEM_CT_TESTING -DMLKEM_CT_MSAN, every object
 * instrumented) and run by user/tests/run-ct.sh ("make user-ct"). MSan
 * reports a conditional branch on, or a memory address computed from, a
 * poisoned (secret) value; it checks the compiler's IR, the valgrind check
 * (frodo_ct.c) stays the check of the gcc-built binaries.
 *
 * Secrets as in frodo_ct.c: the keygen coins (s, seedSE, z: so S and E),
 * the encaps coins (mu, salt: S', E', E''), the whole secret key for
 * decapsulation of a valid and of a corrupted ciphertext (the comparison
 * and the implicit-rejection select). Each case runs in a child process,
 * which MSan stops at its first report (exit 77); each also compares its
 * results with the portable backend's on unmarked inputs.
 *
 *   frodo_ct_msan [--run]       4 cases per set on every usable backend,
 *                               a skip line for each other backend
 *   frodo_ct_msan --count       how many result lines --run prints
 *   frodo_ct_msan --self-check  a branch on a poisoned coin must be
 *                               reported (the poisoning works)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/msan_interface.h>

#include "frodo.h"

#if !defined(__has_feature)
#error "frodo_ct_msan needs clang -fsanitize=memory"
#elif !__has_feature(memory_sanitizer)
#error "frodo_ct_msan needs clang -fsanitize=memory"
#endif

#define secret(p, n)	__msan_poison((p), (n))
#define public(p, n)	__msan_unpoison((p), (n))

#define MSAN_EXIT	77	/* exit status of a child MSan stopped */
#define WRONG_EXIT	3	/* a child whose results were wrong */

static const struct frodo_params *const sets[] = {
	&frodo976aes_params, &frodo976shake_params,
	&frodo1344aes_params, &frodo1344shake_params,
};

enum op { OP_KEYGEN, OP_ENCAPS, OP_DECAPS, OP_DECAPS_REJECT, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"keygen", "encaps", "decaps", "decaps-reject",
};

struct job {
	const struct frodo_impl *impl;
	const struct frodo_params *p;
	enum op op;
};

struct bufs {
	u8 kc[FRODO_MAX_KEYGEN_COINS], ec[FRODO_MAX_ENCAPS_COINS];
	u8 pk[FRODO_MAX_PK_BYTES], sk[FRODO_MAX_SK_BYTES];
	u8 pk2[FRODO_MAX_PK_BYTES], sk2[FRODO_MAX_SK_BYTES];
	u8 ct[FRODO_MAX_CT_BYTES], ct2[FRODO_MAX_CT_BYTES];
	u8 ctr[FRODO_MAX_CT_BYTES];
	u8 ss[FRODO_MAX_SS_BYTES], ss2[FRODO_MAX_SS_BYTES];
	u8 ssr[FRODO_MAX_SS_BYTES];
};

static unsigned int n_ok, n_fail, n_skip;

/* MSan's defaults for this program (MSAN_OPTIONS still applies on top). */
const char *__msan_default_options(void);
const char *__msan_default_options(void)
{
	return "exitcode=77:halt_on_error=1";
}

static void result(bool ok, const char *what, const char *extra)
{
	printf("%s - frodo-ct-msan %s%s%s\n", ok ? "ok" : "not ok", what,
	       extra ? ": " : "", extra ? extra : "");
	fflush(stdout);
	if (ok)
		n_ok++;
	else
		n_fail++;
}

/* Runs fn(arg) in a child; returns its exit status (-1: killed). */
static int run_child(int (*fn)(const void *arg), const void *arg)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("frodo_ct_msan: fork");
		exit(2);
	}
	if (pid == 0)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static const char *describe(int st)
{
	static char buf[64];

	switch (st) {
	case 0:
		return NULL;
	case MSAN_EXIT:
		return "MemorySanitizer report (see above)";
	case WRONG_EXIT:
		return "result differs from the portable code on unmarked inputs";
	default:
		snprintf(buf, sizeof(buf), "child exit status %d", st);
		return buf;
	}
}

static int run_op(const void *arg)
{
	const struct job *j = arg;
	const struct frodo_params *p = j->p;
	struct frodo_ws *ws = malloc(sizeof(*ws));
	struct bufs *b = malloc(sizeof(*b));
	bool ok = false;

	if (!ws || !b)
		return 2;
	mlkem_randombytes(b->kc, sizeof(b->kc));
	mlkem_randombytes(b->ec, sizeof(b->ec));

	/* Reference results: the portable code on unmarked inputs. */
	frodo_ws_set_impl(ws, &frodo_impl_generic);
	frodo_keygen_internal(p, b->pk, b->sk, b->kc, ws);
	frodo_encaps_internal(p, b->ct, b->ss, b->pk, b->ec, ws);
	memcpy(b->ctr, b->ct, p->ct_len);
	b->ctr[p->ct_len / 3] ^= 0x01;	/* implicit rejection */
	frodo_decaps(p, b->ssr, b->ctr, b->sk, ws);
	if (!memcmp(b->ss, b->ssr, p->ss_len))
		return WRONG_EXIT;

	frodo_ws_set_impl(ws, j->impl);
	switch (j->op) {
	case OP_KEYGEN:
		secret(b->kc, frodo_keygen_coins(p));
		frodo_keygen_internal(p, b->pk2, b->sk2, b->kc, ws);
		public(b->pk2, p->pk_len);
		public(b->sk2, p->sk_len);
		ok = !memcmp(b->pk, b->pk2, p->pk_len) &&
		     !memcmp(b->sk, b->sk2, p->sk_len);
		break;
	case OP_ENCAPS:
		secret(b->ec, frodo_encaps_coins(p));
		frodo_encaps_internal(p, b->ct2, b->ss2, b->pk, b->ec, ws);
		public(b->ct2, p->ct_len);
		public(b->ss2, p->ss_len);
		ok = !memcmp(b->ct, b->ct2, p->ct_len) &&
		     !memcmp(b->ss, b->ss2, p->ss_len);
		break;
	case OP_DECAPS:
		secret(b->sk, p->sk_len);
		frodo_decaps(p, b->ss2, b->ct, b->sk, ws);
		public(b->ss2, p->ss_len);
		ok = !memcmp(b->ss, b->ss2, p->ss_len);
		break;
	case OP_DECAPS_REJECT:
		secret(b->sk, p->sk_len);
		frodo_decaps(p, b->ss2, b->ctr, b->sk, ws);
		public(b->ss2, p->ss_len);
		ok = !memcmp(b->ssr, b->ss2, p->ss_len);
		break;
	default:
		break;
	}
	return ok ? 0 : WRONG_EXIT;
}

static void run(void)
{
	unsigned int i, s, o;

	for (i = 0; i < frodo_nimpls; i++) {
		const struct frodo_impl *impl = frodo_impls[i];

		if (!frodo_impl_usable(impl)) {
			printf("skip - frodo-ct-msan %s: backend not usable on this CPU\n",
			       impl->name);
			n_skip++;
			continue;
		}
		for (s = 0; s < ARRAY_SIZE(sets); s++)
			for (o = 0; o < NR_OPS; o++) {
				struct job j = { impl, sets[s], o };
				char what[96];
				int st = run_child(run_op, &j);

				snprintf(what, sizeof(what), "%s %s [%s]",
					 op_names[o], sets[s]->name,
					 impl->name);
				result(st == 0, what, describe(st));
			}
	}
}

static volatile int sink;

/* A call the compiler cannot turn into a select: the branch stays. */
static noinline void taken(void)
{
	sink = sink * 3 + 1;
}

/* A branch on a poisoned coin: MSan must stop the child. */
static int leaky(const void *arg)
{
	u8 coins[FRODO_MAX_KEYGEN_COINS];

	(void)arg;
	mlkem_randombytes(coins, sizeof(coins));
	secret(coins, sizeof(coins));
	if (coins[0] & 1)
		taken();
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i, n = 0;

	if (argc == 2 && !strcmp(argv[1], "--count")) {
		for (i = 0; i < frodo_nimpls; i++)
			n += frodo_impl_usable(frodo_impls[i]) ?
			     NR_OPS * ARRAY_SIZE(sets) : 1;
		printf("%u\n", n);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--self-check")) {
		int st = run_child(leaky, NULL);

		result(st == MSAN_EXIT,
		       "self-check: a branch on a poisoned coin is reported",
		       st == MSAN_EXIT ? NULL : describe(st) ? describe(st) :
		       "nothing reported");
		printf("%u passed, %u failed, 0 skipped\n", n_ok, n_fail);
		return n_fail ? 1 : 0;
	}
	if (argc > 2 || (argc == 2 && strcmp(argv[1], "--run"))) {
		fprintf(stderr, "usage: frodo_ct_msan [--run | --count | --self-check]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	run();
	printf("%u passed, %u failed, %u skipped\n", n_ok, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
