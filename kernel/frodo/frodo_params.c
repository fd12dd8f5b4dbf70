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

/* The sizes follow from n, len_sec and nbar = 8 (frodo.h states them):
 * pk = 16 + 16 n, sk = 2 len_sec + 16 + 32 n, ct = 16 n + 128 + 2 len_sec.
 */
const struct frodo_params frodo976aes_params = {
	.name = "FrodoKEM-976-AES", .n = 976, .b = 3, .sec = 24,
	.gen = FRODO_GEN_AES,
	.cdf = frodo976_cdf, .cdf_len = ARRAY_SIZE(frodo976_cdf),
	.pk_len = FRODO976_PK_BYTES, .sk_len = FRODO976_SK_BYTES,
	.ct_len = FRODO976_CT_BYTES, .ss_len = FRODO976_SS_BYTES,
};

const struct frodo_params frodo976shake_params = {
	.name = "FrodoKEM-976-SHAKE", .n = 976, .b = 3, .sec = 24,
	.gen = FRODO_GEN_SHAKE,
	.cdf = frodo976_cdf, .cdf_len = ARRAY_SIZE(frodo976_cdf),
	.pk_len = FRODO976_PK_BYTES, .sk_len = FRODO976_SK_BYTES,
	.ct_len = FRODO976_CT_BYTES, .ss_len = FRODO976_SS_BYTES,
};

const struct frodo_params frodo1344aes_params = {
	.name = "FrodoKEM-1344-AES", .n = 1344, .b = 4, .sec = 32,
	.gen = FRODO_GEN_AES,
	.cdf = frodo1344_cdf, .cdf_len = ARRAY_SIZE(frodo1344_cdf),
	.pk_len = FRODO1344_PK_BYTES, .sk_len = FRODO1344_SK_BYTES,
	.ct_len = FRODO1344_CT_BYTES, .ss_len = FRODO1344_SS_BYTES,
};

const struct frodo_params frodo1344shake_params = {
	.name = "FrodoKEM-1344-SHAKE", .n = 1344, .b = 4, .sec = 32,
	.gen = FRODO_GEN_SHAKE,
	.cdf = frodo1344_cdf, .cdf_len = ARRAY_SIZE(frodo1344_cdf),
	.pk_len = FRODO1344_PK_BYTES, .sk_len = FRODO1344_SK_BYTES,
	.ct_len = FRODO1344_CT_BYTES, .ss_len = FRODO1344_SS_BYTES,
};
