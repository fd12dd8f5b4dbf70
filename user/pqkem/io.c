// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: hex and file input. An argument is HEX digits or @FILE (@- is
 * stdin); a file holding only hex digits and whitespace is hex text,
 * anything else is taken as raw bytes. hex@FILE and raw@FILE force one
 * reading (raw bytes can look like hex text).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hexbytes.h"
#include "pqkem.h"

#define PQKEM_MAX_FILE (1u << 20)

void pqkem_wipe(void *p, size_t n)
{
	if (!p)
		return;
	memset(p, 0, n);
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

void pqkem_buf_free(struct pqkem_buf *b)
{
	pqkem_wipe(b->p, b->n);
	free(b->p);
	b->p = NULL;
	b->n = 0;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int pqkem_hex_decode(struct pqkem_buf *b, const char *s, size_t len)
{
	b->p = NULL;
	b->n = 0;
	if (len % 2)
		return -1;
	b->p = malloc(len / 2 + 1);
	if (!b->p) {
		perror("pqkem: malloc");
		exit(PQKEM_EXIT_FAIL);
	}
	if (hex_to_bytes(b->p, s, len)) {
		pqkem_buf_free(b);
		return -1;
	}
	b->n = len / 2;
	return 0;
}

/* Hex text with whitespace anywhere; -1 if it is not that. */
static int hex_text(struct pqkem_buf *b, const uint8_t *s, size_t len)
{
	char *digits = malloc(len + 1);
	size_t i, n = 0;
	int rc = -1;

	if (!digits) {
		perror("pqkem: malloc");
		exit(PQKEM_EXIT_FAIL);
	}
	for (i = 0; i < len; i++) {
		if (is_space(s[i]))
			continue;
		if (hex_nibble(s[i]) < 0)
			goto out;
		digits[n++] = (char)s[i];
	}
	if (n > 0)
		rc = pqkem_hex_decode(b, digits, n);
out:
	pqkem_wipe(digits, len + 1);
	free(digits);
	return rc;
}

static int read_file(const char *path, uint8_t **data, size_t *len,
		     char *err, size_t errlen)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 4096, n = 0;
	uint8_t *p;

	if (!f) {
		snprintf(err, errlen, "cannot open '%s': %s", path,
			 strerror(errno));
		return -1;
	}
	p = malloc(cap);
	if (!p) {
		perror("pqkem: malloc");
		exit(PQKEM_EXIT_FAIL);
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *q;

			if (cap >= PQKEM_MAX_FILE) {
				snprintf(err, errlen, "'%s' is too large (over %u bytes)",
					 path, PQKEM_MAX_FILE);
				goto fail;
			}
			q = malloc(cap * 2);
			if (!q) {
				perror("pqkem: malloc");
				exit(PQKEM_EXIT_FAIL);
			}
			memcpy(q, p, n);
			pqkem_wipe(p, cap);
			free(p);
			p = q;
			cap *= 2;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
			 strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	*data = p;
	*len = n;
	return 0;
fail:
	pqkem_wipe(p, cap);
	free(p);
	if (f != stdin)
		fclose(f);
	return -1;
}

int pqkem_input(struct pqkem_buf *b, const char *arg, char *err, size_t errlen)
{
	uint8_t *data;
	size_t len;

	enum { AUTO, HEX, RAW } form = AUTO;

	b->p = NULL;
	b->n = 0;
	if (!strncmp(arg, "hex@", 4) || !strncmp(arg, "raw@", 4)) {
		form = arg[0] == 'h' ? HEX : RAW;
		arg += 3;
	}
	if (arg[0] != '@') {
		size_t i, n = strlen(arg);

		if (n == 0) {
			snprintf(err, errlen, "empty value");
			return -1;
		}
		for (i = 0; i < n; i++) {
			if (hex_nibble((unsigned char)arg[i]) < 0) {
				snprintf(err, errlen,
					 "not a hex string: bad character '%c' at offset %zu",
					 arg[i], i);
				return -1;
			}
		}
		if (pqkem_hex_decode(b, arg, n)) {
			snprintf(err, errlen,
				 "not a hex string: odd number of digits (%zu)", n);
			return -1;
		}
		return 0;
	}
	if (read_file(arg + 1, &data, &len, err, errlen))
		return -1;
	if (len == 0) {
		snprintf(err, errlen, "'%s' is empty", arg + 1);
		free(data);
		return -1;
	}
	if (form != RAW && hex_text(b, data, len) == 0) {
		pqkem_wipe(data, len);
		free(data);
		return 0;
	}
	if (form == HEX) {
		snprintf(err, errlen, "'%s' is not hex text (only hex digits and whitespace, an even number of digits)",
			 arg + 1);
		pqkem_wipe(data, len);
		free(data);
		return -1;
	}
	b->p = data;	/* raw bytes */
	b->n = len;
	return 0;
}

int pqkem_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!s || !*s || *s == '-' || *s == '+' || is_space((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*v = x;
	return 0;
}
