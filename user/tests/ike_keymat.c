// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * A command interface to pqiked's key schedule (user/pqiked/keymat.h), so
 * that an independent implementation (user/tests/ike-keymat.py, Python's
 * hmac) can compare its results on random inputs. One command per line on
 * stdin, one result line on stdout (hex; "error" if the schedule refused):
 *
 *   prf PRF KEY SEED...                    prf(KEY, SEED | ...)
 *   prfplus PRF KEY LEN SEED...            prf+(KEY, SEED | ...), LEN bytes
 *   init PRF INTEG ENCR NI NR GIR SPII SPIR
 *   addke PRF INTEG ENCR OLD_D SKN NI NR SPII SPIR
 *   rekey PRF INTEG ENCR OLD_D NI NR SPII SPIR SK0 [SK1...]
 *   child PRF D LEN NI NR [SK0 SK1...]
 *   intauth PRF SKP PREV|- A P
 *
 * PRF is the transform id (5, 6, 7); init/addke/rekey print the eight
 * values SKEYSEED d ai ar ei er pi pr separated by spaces. "-" is an empty
 * byte string for A and P.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexbytes.h"
#include "keymat.h"
#include "wire.h"

#define MAXW 16
#define MAXB 4096

static uint8_t bufs[MAXW][MAXB];
static size_t lens[MAXW];

static void hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Decodes word @i into bufs[@i]; "-" is empty. */
static int bytes(char **w, int i)
{
	size_t n = strlen(w[i]);

	if (!strcmp(w[i], "-")) {
		lens[i] = 0;
		return 0;
	}
	if (n % 2 || n / 2 > MAXB || hex_to_bytes(bufs[i], w[i], n))
		return -1;
	lens[i] = n / 2;
	return 0;
}

static void keys(const struct ike_sa_keys *k)
{
	size_t pl = k->prf->len;

	hex(k->skeyseed, pl), putchar(' ');
	hex(k->d, pl), putchar(' ');
	hex(k->ai, k->integ_len), putchar(' ');
	hex(k->ar, k->integ_len), putchar(' ');
	hex(k->ei, k->encr_len), putchar(' ');
	hex(k->er, k->encr_len), putchar(' ');
	hex(k->pi, pl), putchar(' ');
	hex(k->pr, pl);
}

static int run(char **w, int n)
{
	static uint8_t out[255 * 64];
	struct ike_iov iov[MAXW];
	struct ike_sa_keys k = { 0 }, old = { 0 };
	const struct ike_prf *prf;
	int i;

	if (n < 2 || !(prf = ike_prf_by_id((uint16_t)atoi(w[1]))))
		return -1;
	for (i = 2; i < n; i++)
		iov[i] = (struct ike_iov){ bufs[i], 0 };
	k.prf = prf;
	old.prf = prf;
	if (!strcmp(w[0], "prf") && n >= 3) {
		for (i = 2; i < n; i++)
			if (bytes(w, i))
				return -1;
		for (i = 3; i < n; i++)
			iov[i].n = lens[i];
		if (ike_prf(prf, bufs[2], lens[2], iov + 3, (unsigned int)(n - 3), out))
			return 1;
		hex(out, prf->len);
		return 0;
	}
	if (!strcmp(w[0], "prfplus") && n >= 4) {
		size_t len = strtoul(w[3], NULL, 10);

		if (bytes(w, 2) || len > sizeof(out) + 64)
			return -1;
		for (i = 4; i < n; i++) {
			if (bytes(w, i))
				return -1;
			iov[i].n = lens[i];
		}
		if (len > sizeof(out) ||
		    ike_prf_plus(prf, bufs[2], lens[2], iov + 4,
				 (unsigned int)(n - 4), out, len))
			return 1;
		hex(out, len);
		return 0;
	}
	if ((!strcmp(w[0], "init") && n == 9) || (!strcmp(w[0], "addke") && n == 10) ||
	    (!strcmp(w[0], "rekey") && n >= 10)) {
		for (i = 5; i < n; i++)
			if (bytes(w, i))
				return -1;
		k.integ_len = strtoul(w[2], NULL, 10);
		k.encr_len = strtoul(w[3], NULL, 10);
		old.integ_len = k.integ_len;
		old.encr_len = k.encr_len;
		if (!strcmp(w[0], "init")) {
			if (bytes(w, 4))
				return -1;
			if (lens[7] != 8 || lens[8] != 8 ||
			    ike_keys_init(&k, bufs[4], lens[4], bufs[5], lens[5],
					  bufs[6], lens[6], ike_get64(bufs[7]),
					  ike_get64(bufs[8])))
				return 1;
		} else if (!strcmp(w[0], "addke")) {
			if (bytes(w, 4) || lens[4] != prf->len)
				return -1;
			memcpy(k.d, bufs[4], prf->len);
			if (lens[8] != 8 || lens[9] != 8 ||
			    ike_keys_addke(&k, bufs[5], lens[5], bufs[6], lens[6],
					   bufs[7], lens[7], ike_get64(bufs[8]),
					   ike_get64(bufs[9])))
				return 1;
		} else {
			if (bytes(w, 4) || lens[4] != prf->len)
				return -1;
			memcpy(old.d, bufs[4], prf->len);
			for (i = 9; i < n; i++)
				iov[i].n = lens[i];
			if (lens[7] != 8 || lens[8] != 8 ||
			    ike_keys_rekey(&k, &old, iov + 9, (unsigned int)(n - 9),
					   bufs[5], lens[5], bufs[6], lens[6],
					   ike_get64(bufs[7]), ike_get64(bufs[8])))
				return 1;
		}
		keys(&k);
		ike_sa_keys_wipe(&k);
		return 0;
	}
	if (!strcmp(w[0], "child") && n >= 6) {
		size_t len = strtoul(w[3], NULL, 10);

		if (bytes(w, 2) || lens[2] != prf->len || bytes(w, 4) ||
		    bytes(w, 5) || len > sizeof(out))
			return -1;
		memcpy(k.d, bufs[2], prf->len);
		for (i = 6; i < n; i++) {
			if (bytes(w, i))
				return -1;
			iov[i].n = lens[i];
		}
		if (ike_child_keymat(&k, iov + 6, (unsigned int)(n - 6), bufs[4],
				     lens[4], bufs[5], lens[5], out, len))
			return 1;
		hex(out, len);
		return 0;
	}
	if (!strcmp(w[0], "intauth") && n == 6) {
		bool first = !strcmp(w[3], "-");

		for (i = 2; i < n; i++)
			if (bytes(w, i))
				return -1;
		if (lens[2] != prf->len || (!first && lens[3] != prf->len))
			return -1;
		if (ike_intauth(prf, bufs[2], first ? NULL : bufs[3], bufs[4],
				lens[4], bufs[5], lens[5], out))
			return 1;
		hex(out, prf->len);
		return 0;
	}
	return -1;
}

int main(void)
{
	static char line[MAXW * (2 * MAXB + 1) + 64];
	unsigned int lineno = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *w[MAXW + 1], *save = NULL, *t;
		int n = 0, rc;

		lineno++;
		for (t = strtok_r(line, " \n", &save); t && n <= MAXW;
		     t = strtok_r(NULL, " \n", &save))
			w[n++] = t;
		if (n > MAXW) {
			fprintf(stderr, "ike_keymat: line %u: too many words\n", lineno);
			return 2;
		}
		rc = run(w, n);
		if (rc < 0) {
			fprintf(stderr, "ike_keymat: line %u: bad command\n", lineno);
			return 2;
		}
		if (rc > 0)
			fputs("error", stdout);
		putchar('\n');
		fflush(stdout);
	}
	return 0;
}
