// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: output of one record on stdout. Text: "key: value" lines, list
 * elements one per line as "key=value ..." pairs. JSON (--json): one
 * object on one line, byte strings as lowercase hex, numbers as numbers.
 */
#include <inttypes.h>
#include <stdio.h>

#include "pqkem.h"

static bool json;
static int depth;		/* 0: top-level object, 1: list, 2: object in list */
static bool first[4];		/* no comma needed yet at this depth */

void out_init(bool as_json)
{
	json = as_json;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Starts a member "key": (JSON) or "key: " / "key=" (text). */
static void key(const char *k)
{
	if (json) {
		if (!first[depth])
			putchar(',');
		first[depth] = false;
		json_string(k);
		putchar(':');
		return;
	}
	if (depth == 2) {
		if (!first[depth])
			putchar(' ');
		first[depth] = false;
		printf("%s=", k);
	} else {
		printf("%s: ", k);
	}
}

static void end_field(void)
{
	if (!json && depth != 2)
		putchar('\n');
}

void out_begin(void)
{
	depth = 0;
	first[0] = true;
	if (json)
		putchar('{');
}

void out_end(void)
{
	if (json)
		puts("}");
	fflush(stdout);
}

void out_str(const char *k, const char *val)
{
	key(k);
	if (json)
		json_string(val);
	else
		fputs(val, stdout);
	end_field();
}

void out_u64(const char *k, uint64_t val)
{
	key(k);
	printf("%" PRIu64, val);
	end_field();
}

void out_double(const char *k, double val)
{
	key(k);
	printf("%.1f", val);
	end_field();
}

void out_hex(const char *k, const uint8_t *p, size_t n)
{
	size_t i;

	key(k);
	if (json)
		putchar('"');
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	if (json)
		putchar('"');
	end_field();
}

void out_list_begin(const char *k)
{
	if (json) {
		key(k);
		putchar('[');
	}
	depth = 1;
	first[1] = true;
}

void out_list_end(void)
{
	if (json)
		putchar(']');
	depth = 0;
}

void out_obj_begin(void)
{
	if (json) {
		if (!first[1])
			putchar(',');
		putchar('{');
	}
	first[1] = false;
	depth = 2;
	first[2] = true;
}

void out_obj_end(void)
{
	putchar(json ? '}' : '\n');
	depth = 1;
}
