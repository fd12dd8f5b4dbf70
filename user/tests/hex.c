// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 */
#include <stdio.h>
#include <stdlib.h>

#include "hex.h"
#include "hexbytes.h"

bool hex_decode(struct blob *b, const char *s, size_t len)
{
	b->p = NULL;
	b->n = 0;
	b->present = false;
	if (len % 2)
		return false;
	b->p = malloc(len / 2 + 1);	/* +1: never malloc(0) */
	if (!b->p) {
		perror("malloc");
		exit(2);
	}
	if (hex_to_bytes(b->p, s, len)) {
		blob_free(b);
		return false;
	}
	b->n = len / 2;
	b->present = true;
	return true;
}

void blob_free(struct blob *b)
{
	free(b->p);
	b->p = NULL;
	b->n = 0;
	b->present = false;
}

const char *hex_prefix(const uint8_t *p, size_t n)
{
	static char out[2 * 8 + 4];
	size_t i, m = n < 8 ? n : 8;

	for (i = 0; i < m; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
	snprintf(out + 2 * m, 4, "%s", n > m ? "..." : "");
	return out;
}
