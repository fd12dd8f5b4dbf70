// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * C2SP CCTV ML-KEM vectors. They were made for the FIPS 203 initial public
 * draft, so only the parts that final FIPS 203 did not change are used:
 *   modulus/ML-KEM-*.txt.gz   one hex ek per line, each must fail the 7.2
 *                             modulus check (mlkem_check_ek and Encaps)
 *   strcmp/ML-KEM-*.txt       "dk = ", "c = ", "K = ": Decaps(dk, c) = K
 *   unluckysample/ML-KEM-*.txt "ek = ", "m = ", "c = ", "K = ":
 *                             Encaps_internal(ek, m) = (c, K); the d, z, dk
 *                             lines follow the draft's KeyGen and are unused
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "vectors.h"

static size_t trim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
	return n;
}

void run_cctv_modulus(struct group *g, const char *path,
		      const struct mlkem_params *p, struct mlkem_ws *ws)
{
	static const u8 m[MLKEM_SYMBYTES];
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	unsigned long lineno = 0;
	char *line = NULL, id[32];
	size_t cap = 0;
	FILE *f;
	int st;

	/* The path travels in the environment: no shell quoting issues. */
	if (setenv("PQREKEY_CCTV_GZ", path, 1) ||
	    !(f = popen("exec gzip -dc -- \"$PQREKEY_CCTV_GZ\"", "r"))) {
		group_error(g, "cannot run gzip -dc");
		return;
	}
	while (getline(&line, &cap, f) >= 0) {
		struct blob ek;
		size_t n = trim(line);
		int chk, rc;

		lineno++;
		if (!n)
			continue;
		snprintf(id, sizeof(id), "line %lu", lineno);
		g->cases++;
		if (!hex_decode(&ek, line, n)) {
			case_fail(g, id, "not hex");
			continue;
		}
		if (ek.n != p->ek_len) {
			case_fail(g, id, "ek of %zu bytes, expected %u", ek.n,
				  p->ek_len);
			blob_free(&ek);
			continue;
		}
		chk = mlkem_check_ek(p, ek.p, ws);
		memset(ss, SENTINEL, sizeof(ss));
		rc = mlkem_encaps_internal(p, ct, ss, ek.p, m, ws);
		if (chk != -EINVAL)
			case_fail(g, id, "mlkem_check_ek() returned %d, expected -EINVAL",
				  chk);
		if (rc != -EINVAL)
			case_fail(g, id, "mlkem_encaps_internal() returned %d, expected -EINVAL",
				  rc);
		else if (!all_sentinel(ss, sizeof(ss)))
			case_fail(g, id, "failed mlkem_encaps_internal() wrote ss");
		blob_free(&ek);
	}
	free(line);
	st = pclose(f);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st))
		group_error(g, "gzip -dc %s failed (status %d)", path, st);
}

#define MAX_FIELDS 8

struct kv {
	char key[8];
	struct blob val;
};

static void free_kv(struct kv *kv, int n)
{
	while (n-- > 0)
		blob_free(&kv[n].val);
}

/* Reads "key = hex" lines; returns the number of fields or -1. */
static int read_kv(struct group *g, const char *path, struct kv *kv)
{
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		group_error(g, "cannot open %s", path);
		return -1;
	}
	while (getline(&line, &cap, f) >= 0) {
		char *eq;

		if (!trim(line))
			continue;
		eq = strstr(line, " = ");
		if (!eq || eq - line >= (long)sizeof(kv->key) || n == MAX_FIELDS ||
		    !hex_decode(&kv[n].val, eq + 3, strlen(eq + 3))) {
			group_error(g, "bad line \"%.20s...\"", line);
			free_kv(kv, n);
			n = -1;
			break;
		}
		memcpy(kv[n].key, line, (size_t)(eq - line));
		kv[n].key[eq - line] = '\0';
		n++;
	}
	free(line);
	fclose(f);
	return n;
}

static const struct blob *field(struct kv *kv, int n, const char *key)
{
	static const struct blob absent;
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(kv[i].key, key))
			return &kv[i].val;
	return &absent;
}

void run_cctv_strcmp(struct group *g, const char *path,
		     const struct mlkem_params *p, struct mlkem_ws *ws)
{
	struct kv kv[MAX_FIELDS];
	const struct blob *dk, *ct;
	u8 ss[MLKEM_SSBYTES];
	int n = read_kv(g, path, kv);

	if (n < 0)
		return;
	g->cases++;
	dk = field(kv, n, "dk");
	ct = field(kv, n, "c");
	if (dk->n != p->dk_len || ct->n != p->ct_len)
		case_fail(g, "dk/c", "missing, or wrong length");
	else if (mlkem_decaps(p, ss, ct->p, dk->p, ws))
		case_fail(g, "K", "mlkem_decaps() rejected dk");
	else
		expect_bytes(g, "K", "K", ss, sizeof(ss), field(kv, n, "K"));
	free_kv(kv, n);
}

void run_cctv_unlucky(struct group *g, const char *path,
		      const struct mlkem_params *p, struct mlkem_ws *ws)
{
	struct kv kv[MAX_FIELDS];
	const struct blob *ek, *m;
	u8 ct[MLKEM_MAX_CT_BYTES], ss[MLKEM_SSBYTES];
	int n = read_kv(g, path, kv);

	if (n < 0)
		return;
	g->cases++;
	ek = field(kv, n, "ek");
	m = field(kv, n, "m");
	if (ek->n != p->ek_len || m->n != MLKEM_SYMBYTES)
		case_fail(g, "ek/m", "missing, or wrong length");
	else if (mlkem_encaps_internal(p, ct, ss, ek->p, m->p, ws))
		case_fail(g, "c", "mlkem_encaps_internal() rejected ek");
	else if (expect_bytes(g, "c", "c", ct, p->ct_len, field(kv, n, "c")))
		expect_bytes(g, "K", "K", ss, sizeof(ss), field(kv, n, "K"));
	free_kv(kv, n);
}
