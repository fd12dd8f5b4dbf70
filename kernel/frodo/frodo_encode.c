// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM's encodings: matrices to bytes (with log q = 16 every entry is
 * one big-endian 16-bit value), and mu to the nbar x nbar key matrix and
 * back (b = 3 or 4 bits per entry, eight entries per b bytes of mu, least
 * significant bits first, each in the top b bits of its entry).
 */
#include "frodo.h"

void frodo_pack16(u8 *out, const u16 *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = (u8)(in[i] >> 8);
		out[2 * i + 1] = (u8)in[i];
	}
}

void frodo_unpack16(u16 *out, const u8 *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = (u16)((in[2 * i] << 8) | in[2 * i + 1]);
}

/* out[64] = Encode(mu): mu has b * 8 bytes (len_sec). */
void frodo_key_encode(const struct frodo_params *p, u16 *out, const u8 *mu)
{
	unsigned int b = p->b, w, j;
	u16 mask = (u16)((1u << b) - 1);

	for (w = 0; w < FRODO_NBAR * FRODO_NBAR / 8; w++) {
		u64 t = 0;

		for (j = 0; j < b; j++)
			t |= (u64)mu[w * b + j] << (8 * j);
		for (j = 0; j < 8; j++) {
			out[8 * w + j] = (u16)((t & mask) << (16 - b));
			t >>= b;
		}
	}
}

/* mu = Decode(in[64]): each entry rounded to its top b bits. */
void frodo_key_decode(const struct frodo_params *p, u8 *mu, const u16 *in)
{
	unsigned int b = p->b, w, j;
	u32 mask = (1u << b) - 1;

	for (w = 0; w < FRODO_NBAR * FRODO_NBAR / 8; w++) {
		u64 t = 0;

		for (j = 0; j < 8; j++) {
			u32 v = ((u32)in[8 * w + j] + (1u << (15 - b))) >>
				(16 - b);

			t |= (u64)(v & mask) << (b * j);
		}
		for (j = 0; j < b; j++)
			mu[w * b + j] = (u8)(t >> (8 * j));
	}
}
