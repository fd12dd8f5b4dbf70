// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM's error distribution: inversion sampling of the cumulative
 * table on 16 random bits (15 for the magnitude, 1 for the sign), with
 * arithmetic comparisons only - the random bits and the sample are secret.
 */
#include "frodo.h"

/*
 * @n samples (values mod 2^16) from the squeezed output of @xof (a
 * finalized SHAKE256 sponge): 2 bytes each, little-endian. Contract:
 * every cdf entry is below 2^15.
 */
void frodo_sample(const struct frodo_params *p, struct mlkem_keccak *xof,
		  u16 *out, size_t n)
{
	const u8 *raw = (const u8 *)out;
	size_t i;
	unsigned int j;

	mlkem_keccak_squeeze(xof, (u8 *)out, 2 * n);
	for (i = 0; i < n; i++) {
		u16 r = (u16)(raw[2 * i] | (raw[2 * i + 1] << 8));
		u16 prnd = r >> 1, sign = r & 1, sample = 0;

		/* counts the entries below prnd; (cdf - prnd) mod 2^16 has
		 * its top bit set exactly when prnd > cdf
		 */
		for (j = 0; j + 1 < p->cdf_len; j++)
			sample += (u16)(p->cdf[j] - prnd) >> 15;
		out[i] = (u16)(((u16)(0 - sign) ^ sample) + sign);
	}
}
