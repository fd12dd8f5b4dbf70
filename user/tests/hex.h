/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Hex strings of the test-vector files to bytes.
 */
#ifndef PQREKEY_TEST_HEX_H
#define PQREKEY_TEST_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A decoded field: @p is malloc'ed (never NULL once decoded), @n bytes. */
struct blob {
	uint8_t *p;
	size_t n;
	bool present;
};

/*
 * Decodes @len hex digits (either case) at @s into a new buffer.
 * Returns false on an odd length or a non-hex character.
 */
bool hex_decode(struct blob *b, const char *s, size_t len);
void blob_free(struct blob *b);
/* Short printable prefix of @p for messages ("a1b2c3d4..."). */
const char *hex_prefix(const uint8_t *p, size_t n);

#endif
