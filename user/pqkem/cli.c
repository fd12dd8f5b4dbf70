// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: command-line parsing and the subcommands.
 *
 *   pqkem [--backend kernel|user] [--alg A] [--json] COMMAND [OPTIONS]
 *
 * Documentation/pqkem.rst is the manual. "shell" runs commands read from
 * stdin on one backend instance (one netlink socket), so that handles -
 * which live only as long as the socket that created them - can be used
 * by later commands ("--handle last", "--ek last", "--ct last").
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/pqrekey.h>

#include "pqkem.h"

enum {
	O_BACKEND = 1 << 0, O_ALG = 1 << 1, O_JSON = 1 << 2, O_SEED = 1 << 3,
	O_M = 1 << 4, O_EK = 1 << 5, O_CT = 1 << 6, O_DK = 1 << 7,
	O_HANDLE = 1 << 8, O_TIME = 1 << 9, O_BATCH = 1 << 10,
	O_HELP = 1 << 11, O_IMPL = 1 << 12,
};
#define O_GLOBAL (O_BACKEND | O_ALG | O_JSON | O_HELP | O_IMPL)

struct opts {
	const char *backend;
	const struct pqkem_alg *alg;
	bool alg_set, json;
	const char *seed, *m, *ek, *ct, *dk, *handle;
	double seconds;
	unsigned int batch;
	unsigned int seen;
};

/* What a shell session remembers for "last". */
struct session {
	struct pqkem_be be;
	bool open;
	const char *backend;
	uint64_t last_handle;
	const struct pqkem_alg *last_handle_alg;
	struct pqkem_buf last_ek, last_ct;
	const struct pqkem_alg *last_ek_alg, *last_ct_alg;
};

struct command {
	const char *name;
	unsigned int allowed;
	int (*run)(struct session *s, struct opts *o);
	const char *usage;
	const char *help;
};

static const char *prog = "pqkem";
static const char *cur_cmd = "";
/* --json anywhere on the command line: errors are JSON too (on stdout). */
static bool json_errors;

static int fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (json_errors) {
		out_init(true);
		out_begin();
		if (*cur_cmd)
			out_str("command", cur_cmd);
		out_str("error", msg);
		out_u64("status", (uint64_t)status);
		out_end();
		fflush(stdout);
		return status;
	}
	fprintf(stderr, "%s: %s%s%s\n", prog, cur_cmd, *cur_cmd ? ": " : "",
		msg);
	return status;
}

/* Exit status for a failed backend operation. */
static int be_fail(struct session *s, int rc)
{
	const char *msg = s->be.err[0] ? s->be.err : strerror(-rc);

	if (rc == -EPERM)
		return fail(PQKEM_EXIT_PERM, "%s", strstr(msg, "CAP_NET_ADMIN") ?
			    msg : "operation not permitted: needs CAP_NET_ADMIN");
	return fail(PQKEM_EXIT_FAIL, "%s", msg);
}

static int open_backend(struct session *s)
{
	const struct pqkem_be_ops *ops;
	int rc;

	if (s->open)
		return 0;
	ops = pqkem_backend_by_name(s->backend);
	if (!ops)
		return fail(PQKEM_EXIT_USAGE,
			    "unknown backend '%s' (kernel or user)", s->backend);
	memset(&s->be, 0, sizeof(s->be));
	s->be.ops = ops;
	rc = ops->open(&s->be);
	if (rc) {
		int st = s->be.open_status ? s->be.open_status : PQKEM_EXIT_FAIL;

		ops->close(&s->be);
		return fail(st, "%s", s->be.err);
	}
	s->open = true;
	return 0;
}

/* --x HEX|@FILE|last, with the expected length. */
static int input(struct session *s, struct opts *o, const char *opt,
		 const char *arg, struct pqkem_buf *b, size_t want,
		 const struct pqkem_buf *last)
{
	char err[256];

	if (!strcmp(arg, "last")) {
		if (!last || !last->p)
			return fail(PQKEM_EXIT_USAGE,
				    "--%s last: no earlier value in this session",
				    opt);
		b->p = malloc(last->n);
		if (!b->p)
			return fail(PQKEM_EXIT_FAIL, "out of memory");
		memcpy(b->p, last->p, last->n);
		b->n = last->n;
		return 0;
	}
	if (pqkem_input(b, arg, err, sizeof(err)))
		return fail(PQKEM_EXIT_USAGE, "--%s: %s", opt, err);
	if (want && b->n != want) {
		size_t n = b->n;

		pqkem_buf_free(b);
		return fail(PQKEM_EXIT_USAGE, "--%s must be %zu bytes for %s, got %zu",
			    opt, want, o->alg->name, n);
	}
	(void)s;
	return 0;
}

static void remember(struct pqkem_buf *dst, const uint8_t *p, size_t n)
{
	pqkem_buf_free(dst);
	dst->p = malloc(n);
	if (!dst->p)
		return;
	memcpy(dst->p, p, n);
	dst->n = n;
}

static int cmd_algs(struct session *s, struct opts *o)
{
	struct pqkem_alginfo ai[8];
	size_t i, n = 0;
	int rc;

	(void)o;
	rc = open_backend(s);
	if (rc)
		return rc;
	rc = s->be.ops->algs(&s->be, ai, ARRAY_SIZE(ai), &n);
	if (rc)
		return be_fail(s, rc);
	out_begin();
	out_str("backend", s->be.ops->name);
	if (s->be.ops == &pqkem_user_ops)
		out_str("impl", pqkem_user_impl_name(&s->be));
	out_list_begin("algs");
	for (i = 0; i < n; i++) {
		out_obj_begin();
		out_str("name", ai[i].name);
		out_u64("id", ai[i].id);
		out_str("driver", ai[i].driver[0] ? ai[i].driver : "-");
		out_u64("ek_len", ai[i].ek_len);
		out_u64("dk_len", ai[i].dk_len);
		out_u64("ct_len", ai[i].ct_len);
		out_u64("ss_len", ai[i].ss_len);
		out_obj_end();
	}
	out_list_end();
	out_end();
	return 0;
}

static int cmd_keygen(struct session *s, struct opts *o)
{
	uint8_t ek[PQREKEY_MAX_EK_LEN], dk[PQREKEY_MAX_DK_LEN];
	struct pqkem_buf seed = { 0 };
	uint64_t handle = 0;
	bool user;
	int rc;

	if (o->seed && input(s, o, "seed", o->seed, &seed, o->alg->seed_len, NULL))
		return PQKEM_EXIT_USAGE;
	rc = open_backend(s);
	if (rc) {
		pqkem_buf_free(&seed);
		return rc;
	}
	user = s->be.ops == &pqkem_user_ops;
	rc = s->be.ops->keygen(&s->be, o->alg, o->seed ? &seed : NULL, ek, dk,
			       &handle);
	pqkem_buf_free(&seed);
	if (rc) {
		pqkem_wipe(dk, sizeof(dk));
		return be_fail(s, rc);
	}
	out_begin();
	out_str("alg", o->alg->name);
	out_str("backend", s->be.ops->name);
	if (!user)
		out_u64("handle", handle);
	out_hex("ek", ek, o->alg->ek_len);
	if (user)	/* only the in-process backend ever has dk */
		out_hex("dk", dk, o->alg->dk_len);
	out_end();
	pqkem_wipe(dk, sizeof(dk));
	remember(&s->last_ek, ek, o->alg->ek_len);
	s->last_ek_alg = o->alg;
	if (!user) {
		s->last_handle = handle;
		s->last_handle_alg = o->alg;
	}
	return 0;
}

static int cmd_encaps(struct session *s, struct opts *o)
{
	uint8_t ct[PQREKEY_MAX_CT_LEN], ss[PQREKEY_MAX_SS_LEN];
	struct pqkem_buf ek = { 0 }, m = { 0 };
	int rc;

	if (!o->ek)
		return fail(PQKEM_EXIT_USAGE, "--ek is required");
	if (!strcmp(o->ek, "last") && s->last_ek_alg && !o->alg_set)
		o->alg = s->last_ek_alg;
	if (input(s, o, "ek", o->ek, &ek, o->alg->ek_len, &s->last_ek))
		return PQKEM_EXIT_USAGE;
	if (o->m && input(s, o, "m", o->m, &m, o->alg->msg_len, NULL)) {
		pqkem_buf_free(&ek);
		return PQKEM_EXIT_USAGE;
	}
	rc = open_backend(s);
	if (!rc)
		rc = s->be.ops->encaps(&s->be, o->alg, &ek, o->m ? &m : NULL, ct, ss);
	pqkem_buf_free(&ek);
	pqkem_buf_free(&m);
	if (rc)
		return rc > 0 ? rc : be_fail(s, rc);
	out_begin();
	out_str("alg", o->alg->name);
	out_str("backend", s->be.ops->name);
	out_hex("ct", ct, o->alg->ct_len);
	out_hex("ss", ss, o->alg->ss_len);
	out_end();
	pqkem_wipe(ss, sizeof(ss));
	remember(&s->last_ct, ct, o->alg->ct_len);
	s->last_ct_alg = o->alg;
	return 0;
}

static int cmd_decaps(struct session *s, struct opts *o)
{
	struct pqkem_buf dk = { 0 }, ct = { 0 };
	const struct pqkem_alg *a;
	uint8_t ss[PQREKEY_MAX_SS_LEN];
	uint64_t handle = 0;
	int rc;

	if (!o->ct)
		return fail(PQKEM_EXIT_USAGE, "--ct is required");
	if (!o->handle == !o->dk)
		return fail(PQKEM_EXIT_USAGE, "give exactly one of --handle and --dk");
	if (o->handle && !strcmp(s->backend, "user"))
		return fail(PQKEM_EXIT_USAGE,
			    "--handle needs the kernel backend (the user backend has no handles: use --dk)");
	if (o->handle) {
		if (!strcmp(o->handle, "last")) {
			if (!s->last_handle_alg)
				return fail(PQKEM_EXIT_USAGE,
					    "--handle last: no keygen earlier in this session");
			handle = s->last_handle;
			if (!o->alg_set)
				o->alg = s->last_handle_alg;
			o->alg_set = true;
		} else if (pqkem_parse_u64(o->handle, &handle) || !handle) {
			return fail(PQKEM_EXIT_USAGE,
				    "--handle: '%s' is not a handle (a positive number)",
				    o->handle);
		}
	}
	if (!strcmp(o->ct, "last") && s->last_ct_alg && !o->alg_set) {
		o->alg = s->last_ct_alg;
		o->alg_set = true;
	}
	if (o->dk && input(s, o, "dk", o->dk, &dk, o->alg->dk_len, NULL))
		return PQKEM_EXIT_USAGE;
	/* with a handle and no --alg the kernel knows the algorithm */
	if (input(s, o, "ct", o->ct, &ct,
		  o->dk || o->alg_set ? o->alg->ct_len : 0, &s->last_ct)) {
		pqkem_buf_free(&dk);
		return PQKEM_EXIT_USAGE;
	}
	a = o->dk || o->alg_set || strcmp(s->backend, "kernel") ? o->alg : NULL;
	rc = open_backend(s);
	if (!rc)
		rc = s->be.ops->decaps(&s->be, &a, handle, o->dk ? &dk : NULL,
				       &ct, ss);
	pqkem_buf_free(&dk);
	pqkem_buf_free(&ct);
	if (rc)
		return rc > 0 ? rc : be_fail(s, rc);
	out_begin();
	out_str("alg", a->name);
	out_str("backend", s->be.ops->name);
	out_hex("ss", ss, a->ss_len);
	out_end();
	pqkem_wipe(ss, sizeof(ss));
	return 0;
}

static int cmd_del(struct session *s, struct opts *o)
{
	uint64_t handle;
	int rc;

	if (!o->handle)
		return fail(PQKEM_EXIT_USAGE, "--handle is required");
	if (!strcmp(s->backend, "user"))
		return fail(PQKEM_EXIT_USAGE,
			    "del needs the kernel backend (the user backend has no handles)");
	if (!strcmp(o->handle, "last") && s->last_handle_alg)
		handle = s->last_handle;
	else if (pqkem_parse_u64(o->handle, &handle) || !handle)
		return fail(PQKEM_EXIT_USAGE,
			    "--handle: '%s' is not a handle (a positive number)",
			    o->handle);
	rc = open_backend(s);
	if (rc)
		return rc;
	rc = s->be.ops->del(&s->be, handle);
	if (rc)
		return be_fail(s, rc);
	out_begin();
	out_u64("deleted", handle);
	out_end();
	return 0;
}

static int cmd_stats(struct session *s, struct opts *o)
{
	struct pqkem_stat st[64];
	size_t i, n = 0;
	int rc;

	(void)o;
	if (!strcmp(s->backend, "user"))
		return fail(PQKEM_EXIT_USAGE,
			    "stats needs the kernel backend (it reports the kernel's counters)");
	rc = open_backend(s);
	if (rc)
		return rc;
	rc = s->be.ops->stats(&s->be, st, ARRAY_SIZE(st), &n);
	if (rc)
		return be_fail(s, rc);
	out_begin();
	for (i = 0; i < n; i++)
		out_u64(st[i].name, st[i].value);
	out_end();
	return 0;
}

static int cmd_bench(struct session *s, struct opts *o)
{
	bool kernel = strcmp(s->backend, "user") != 0;
	int rc;

	if (kernel) {
		rc = open_backend(s);
		if (rc)
			return rc;
	}
	rc = pqkem_bench(kernel ? &s->be : NULL, o->alg, o->seconds, o->batch,
			 kernel, true);
	if (rc < 0)
		return be_fail(s, rc);
	return rc;
}

static int run_shell(struct session *s, struct opts *o);

static const struct command commands[] = {
	{ "algs", O_GLOBAL, cmd_algs, "algs",
	  "List the algorithms, their sizes and the implementation serving each:\n"
	  "the crypto driver (kernel), or the core implementation the user backend\n"
	  "runs (impl, chosen with --impl)." },
	{ "keygen", O_GLOBAL | O_SEED, cmd_keygen, "keygen [--seed HEX|@FILE]",
	  "Generate a key pair. Kernel: prints the handle and ek (dk stays in the\n"
	  "kernel; the handle lives as long as this process's netlink socket, see\n"
	  "'shell'). User backend: prints ek and dk (dk is secret).\n"
	  "  --seed X   64 bytes d||z: deterministic key pair (tests)" },
	{ "encaps", O_GLOBAL | O_EK | O_M, cmd_encaps, "encaps --ek HEX|@FILE [--m HEX|@FILE]",
	  "Encapsulate to an encapsulation key: prints ct and ss.\n"
	  "  --ek X     encapsulation key (checked per FIPS 203 7.2)\n"
	  "  --m X      32-byte message m: deterministic (tests)" },
	{ "decaps", O_GLOBAL | O_CT | O_DK | O_HANDLE, cmd_decaps,
	  "decaps (--handle N | --dk HEX|@FILE) --ct HEX|@FILE",
	  "Decapsulate a ciphertext: prints ss.\n"
	  "  --handle N key from an earlier keygen on the same socket (kernel)\n"
	  "  --dk X     explicit decapsulation key (tests; checked per FIPS 203 7.3)\n"
	  "  --ct X     ciphertext" },
	{ "del", O_GLOBAL | O_HANDLE, cmd_del, "del --handle N",
	  "Delete a key handle (kernel)." },
	{ "stats", O_GLOBAL, cmd_stats, "stats",
	  "Operation and error counters per command and live handles of this\n"
	  "network namespace (kernel)." },
	{ "bench", O_GLOBAL | O_TIME | O_BATCH, cmd_bench,
	  "bench [--time S] [--batch N]",
	  "Operations per second through the kernel, one per request and N per\n"
	  "batch request, next to the in-process core (--backend user: only\n"
	  "the in-process core). Not a test.\n"
	  "  --time S   seconds per measurement (default 1)\n"
	  "  --batch N  operations per batch request (default 64)" },
	{ "shell", O_GLOBAL, run_shell, "shell < COMMANDS",
	  "Run commands read from stdin, one per line ('#' comments), on one\n"
	  "backend instance, so kernel handles stay valid between them.\n"
	  "'--handle last', '--ek last' and '--ct last' refer to the most recent\n"
	  "keygen/encaps of the session. Stops at the first failing command and\n"
	  "exits with its status." },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"usage: %s [--backend kernel|user] [--alg ALG] [--json] COMMAND [OPTIONS]\n\n"
		"Post-quantum key encapsulation (ML-KEM, FIPS 203; FrodoKEM) through pqrekey.ko's\n"
		"generic netlink family, or in-process with the same core.\n\n"
		"  --backend B  kernel (default) or user\n"
		"  --impl I     user backend: generic, avx2 or avx512 (default: the\n"
		"               fastest the CPU supports; results are identical)\n"
		"  --alg A      mlkem512, mlkem768 (default) or mlkem1024; frodo976aes,\n"
		"               frodo976shake, frodo1344aes or frodo1344shake\n"
		"  --json       one JSON object per command on stdout\n"
		"  -h, --help   this text; COMMAND --help for a command's options\n\n"
		"Commands:\n", prog);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f,
		"\nByte strings: hex digits, or @FILE (@- = stdin) holding hex text or raw\n"
		"bytes (hex@FILE and raw@FILE force one reading). With --json, errors are\n"
		"JSON objects on stdout too ({\"error\", \"status\"}). Exit status: 0 ok, 1 operation failed or refused, 2 bad command\n"
		"line or input, 3 pqrekey module not available, 4 needs CAP_NET_ADMIN.\n");
}

static void cmd_usage(const struct command *c)
{
	printf("usage: %s [--backend kernel|user] [--alg ALG] [--json] %s\n\n%s\n",
	       prog, c->usage, c->help);
}

static const struct option long_opts[] = {
	{ "backend", required_argument, NULL, 'B' },
	{ "alg", required_argument, NULL, 'a' },
	{ "json", no_argument, NULL, 'j' },
	{ "seed", required_argument, NULL, 's' },
	{ "m", required_argument, NULL, 'm' },
	{ "ek", required_argument, NULL, 'e' },
	{ "ct", required_argument, NULL, 'c' },
	{ "dk", required_argument, NULL, 'd' },
	{ "handle", required_argument, NULL, 'H' },
	{ "time", required_argument, NULL, 't' },
	{ "batch", required_argument, NULL, 'b' },
	{ "help", no_argument, NULL, 'h' },
	{ "impl", required_argument, NULL, 'I' },
	{ NULL, 0, NULL, 0 },
};

static unsigned int opt_bit(int c)
{
	switch (c) {
	case 'B': return O_BACKEND;
	case 'a': return O_ALG;
	case 'j': return O_JSON;
	case 's': return O_SEED;
	case 'm': return O_M;
	case 'e': return O_EK;
	case 'c': return O_CT;
	case 'd': return O_DK;
	case 'H': return O_HANDLE;
	case 't': return O_TIME;
	case 'b': return O_BATCH;
	case 'I': return O_IMPL;
	default: return O_HELP;
	}
}

/*
 * Parses options from argv[0..argc) (argv[0] is skipped by getopt) into @o.
 * Stops at the first non-option when @stop_at_cmd. Returns the index of
 * the first unparsed argument, or -1 (message printed).
 */
static int parse(int argc, char **argv, struct opts *o, bool stop_at_cmd)
{
	int c;

	optind = 0;	/* GNU: full reset, argv may differ between calls */
	opterr = 0;
	/* leading ':': a missing argument is ':', an unknown option '?' */
	while ((c = getopt_long(argc, argv, stop_at_cmd ? "+:h" : ":h",
				long_opts, NULL)) != -1) {
		if (c == ':') {
			fail(PQKEM_EXIT_USAGE, "option '%s' needs an argument",
			     argv[optind - 1]);
			return -1;
		}
		if (c == '?') {
			if (optopt && optopt != '?' && !strchr(argv[optind - 1], '='))
				fail(PQKEM_EXIT_USAGE, "unknown option '-%c' (see --help)",
				     optopt);
			else
				fail(PQKEM_EXIT_USAGE, "unknown option '%s' (see --help)",
				     argv[optind - 1]);
			return -1;
		}
		o->seen |= opt_bit(c);
		switch (c) {
		case 'B':
			if (strcmp(optarg, "kernel") && strcmp(optarg, "user")) {
				fail(PQKEM_EXIT_USAGE,
				     "unknown backend '%s' (kernel or user)", optarg);
				return -1;
			}
			o->backend = optarg;
			break;
		case 'a':
			o->alg = pqkem_alg_by_name(optarg);
			if (!o->alg) {
				fail(PQKEM_EXIT_USAGE,
				     "unknown algorithm '%s' (mlkem512, mlkem768, mlkem1024, frodo976aes, frodo976shake, frodo1344aes or frodo1344shake)",
				     optarg);
				return -1;
			}
			o->alg_set = true;
			break;
		case 'j': o->json = true; break;
		case 'I':
			if (strcmp(optarg, "generic") && strcmp(optarg, "avx2") &&
			    strcmp(optarg, "avx512")) {
				fail(PQKEM_EXIT_USAGE,
				     "unknown implementation '%s' (generic, avx2 or avx512)",
				     optarg);
				return -1;
			}
			pqkem_user_impl = optarg;
			break;
		case 's': o->seed = optarg; break;
		case 'm': o->m = optarg; break;
		case 'e': o->ek = optarg; break;
		case 'c': o->ct = optarg; break;
		case 'd': o->dk = optarg; break;
		case 'H': o->handle = optarg; break;
		case 't': {
			char *end;

			o->seconds = strtod(optarg, &end);
			if (*end || !(o->seconds > 0 && o->seconds <= 3600)) {
				fail(PQKEM_EXIT_USAGE,
				     "--time: '%s' is not a number of seconds in (0, 3600]",
				     optarg);
				return -1;
			}
			break;
		}
		case 'b': {
			uint64_t v;

			if (pqkem_parse_u64(optarg, &v) || v < 1 ||
			    v > pqkem_kernel_max_batch()) {
				fail(PQKEM_EXIT_USAGE, "--batch: '%s' is not in 1..%u",
				     optarg, pqkem_kernel_max_batch());
				return -1;
			}
			o->batch = (unsigned int)v;
			break;
		}
		case 'h': break;
		}
	}
	return optind;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* Runs one command: argv[0] is its name. @base: options given before it. */
static int run_command(struct session *s, const struct opts *base, int argc,
		       char **argv)
{
	const struct command *c = find_command(argv[0]);
	struct opts o = *base;
	unsigned int bad;
	int i;

	if (!c) {
		cur_cmd = "";
		return fail(PQKEM_EXIT_USAGE, "unknown command '%s' (see --help)",
			    argv[0]);
	}
	cur_cmd = c->name;
	o.seen = 0;
	i = parse(argc, argv, &o, false);
	if (i < 0)
		return PQKEM_EXIT_USAGE;
	if (i < argc)
		return fail(PQKEM_EXIT_USAGE, "unexpected argument '%s'", argv[i]);
	if (o.seen & O_HELP) {
		cmd_usage(c);
		return PQKEM_EXIT_OK;
	}
	bad = o.seen & ~c->allowed;
	if (bad) {
		for (i = 0; long_opts[i].name; i++)
			if (opt_bit(long_opts[i].val) & bad)
				break;
		return fail(PQKEM_EXIT_USAGE, "option --%s does not apply to %s",
			    long_opts[i].name, c->name);
	}
	if ((o.seen | base->seen) & O_IMPL && strcmp(o.backend, "user"))
		return fail(PQKEM_EXIT_USAGE, "--impl applies to --backend user only");
	if (s->open && o.backend != s->backend && strcmp(o.backend, s->backend))
		return fail(PQKEM_EXIT_USAGE,
			    "--backend cannot change within a shell session");
	s->backend = o.backend;
	out_init(o.json);
	return c->run(s, &o);
}

#define SHELL_MAX_ARGS 32

static int run_shell(struct session *s, struct opts *o)
{
	char line[1 << 16];
	unsigned int lineno = 0;
	int rc = 0;

	if (!s->open) {
		rc = open_backend(s);
		if (rc)
			return rc;
	}
	while (fgets(line, sizeof(line), stdin)) {
		char *argv[SHELL_MAX_ARGS + 1], *tok, *save = NULL;
		int argc = 0;

		lineno++;
		if (!strchr(line, '\n') && !feof(stdin)) {
			cur_cmd = "shell";
			return fail(PQKEM_EXIT_USAGE, "line %u is too long", lineno);
		}
		for (tok = strtok_r(line, " \t\r\n", &save); tok;
		     tok = strtok_r(NULL, " \t\r\n", &save)) {
			if (tok[0] == '#')
				break;
			if (argc == SHELL_MAX_ARGS) {
				cur_cmd = "shell";
				return fail(PQKEM_EXIT_USAGE,
					    "line %u has too many words", lineno);
			}
			argv[argc++] = tok;
		}
		if (!argc)
			continue;
		argv[argc] = NULL;
		if (!strcmp(argv[0], "shell")) {
			cur_cmd = "shell";
			return fail(PQKEM_EXIT_USAGE, "line %u: shell cannot nest",
				    lineno);
		}
		rc = run_command(s, o, argc, argv);
		if (rc) {
			fprintf(stderr, "%s: shell: stopped at line %u\n", prog,
				lineno);
			return rc;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.backend = "kernel",
		.alg = pqkem_alg_by_name("mlkem768"),
		.seconds = 1.0,
		.batch = 64,
	};
	struct session s = { 0 };
	int i, rc;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			json_errors = true;
	i = parse(argc, argv, &o, true);
	if (i < 0)
		return PQKEM_EXIT_USAGE;
	if (i >= argc) {
		if (o.seen & O_HELP) {
			usage(stdout);
			return PQKEM_EXIT_OK;
		}
		usage(stderr);
		return PQKEM_EXIT_USAGE;
	}
	if (o.seen & O_HELP) {	/* pqkem --help keygen */
		const struct command *c = find_command(argv[i]);

		if (c)
			cmd_usage(c);
		else
			usage(stdout);
		return PQKEM_EXIT_OK;
	}
	s.backend = o.backend;
	rc = run_command(&s, &o, argc - i, argv + i);
	if (s.open)
		s.be.ops->close(&s.be);
	pqkem_buf_free(&s.last_ek);
	pqkem_buf_free(&s.last_ct);
	return rc;
}
