// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The FrodoKEM parameter sets: FrodoKEM-976 (sigma = 2.3, b = 3,
 * len_sec = 24 bytes) and FrodoKEM-1344 (sigma = 1.4, b = 4, len_sec = 32
 * bytes); n x nbar with nbar = 8 and q = 2^16 for both. Each has an AES and
 * a SHAKE variant, which differ only in how A is generated.
 */
#include "frodo.h"

static const u16 frodo976_cdf[] = {
	5638, 15915, 23689, 28571, 31116, 32217, 32613, 32731, 32760, 32766,
	32767,
};

static const u16 frodo1344_cdf[] = {
	9142, 23462, 30338, 32361, 32725, 32765, 32767,
};

#define FRODO_SET(nm, dim, bits, secb, g, cdft)			\
	{								\
		.name = nm, .n = dim, .b = bits, .sec = secb, .gen = g,	\
		.cdf = cdft, .cdf_len = ARRAY_SIZE(cdft),		\
		.pk_len = FRODO_SEEDA_BYTES + 2 * FRODO_NBAR * dim,	\
		.sk_len = 2 * secb + FRODO_SEEDA_BYTES +		\
			  4 * FRODO_NBAR * dim,				\
		.ct_len = 2 * FRODO_NBAR * dim +			\
			  2 * FRODO_NBAR * FRODO_NBAR + 2 * secb,	\
		.ss_len = secb,						\
	}

const struct frodo_params frodo976aes_params =
	FRODO_SET("FrodoKEM-976-AES", 976, 3, 24, FRODO_GEN_AES, frodo976_cdf);
const struct frodo_params frodo976shake_params =
	FRODO_SET("FrodoKEM-976-SHAKE", 976, 3, 24, FRODO_GEN_SHAKE,
		  frodo976_cdf);
const struct frodo_params frodo1344aes_params =
	FRODO_SET("FrodoKEM-1344-AES", 1344, 4, 32, FRODO_GEN_AES,
		  frodo1344_cdf);
const struct frodo_params frodo1344shake_params =
	FRODO_SET("FrodoKEM-1344-SHAKE", 1344, 4, 32, FRODO_GEN_SHAKE,
		  frodo1344_cdf);
