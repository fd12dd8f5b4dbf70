/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Hex digits to bytes, shared by the test programs and pqkem.
 */
#ifndef PQREKEY_USER_HEXBYTES_H
#define PQREKEY_USER_HEXBYTES_H

#include <stddef.h>
#include <stdint.h>

/* The value of one hex digit, or -1. */
int hex_nibble(unsigned char c);

/*
 * Decodes @len hex digits (upper or lower case) from @s into @out, which
 * holds at least @len / 2 bytes. Returns 0, or -1 if @len is odd or a
 * character is not a hex digit (then @out is partly written). Not for
 * secret-independent timing: it branches on the digits.
 */
int hex_to_bytes(uint8_t *out, const char *s, size_t len);

#endif /* PQREKEY_USER_HEXBYTES_H */
