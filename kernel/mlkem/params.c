// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The three ML-KEM parameter sets (FIPS 203, Table 2).
 */
#include "mlkem.h"

const struct mlkem_params mlkem512_params = {
	.name = "ML-KEM-512",
	.k = 2, .eta1 = 3, .eta2 = 2, .du = 10, .dv = 4,
	.ek_len = MLKEM512_EK_BYTES,
	.dk_len = MLKEM512_DK_BYTES,
	.ct_len = MLKEM512_CT_BYTES,
};

const struct mlkem_params mlkem768_params = {
	.name = "ML-KEM-768",
	.k = 3, .eta1 = 2, .eta2 = 2, .du = 10, .dv = 4,
	.ek_len = MLKEM768_EK_BYTES,
	.dk_len = MLKEM768_DK_BYTES,
	.ct_len = MLKEM768_CT_BYTES,
};

const struct mlkem_params mlkem1024_params = {
	.name = "ML-KEM-1024",
	.k = 4, .eta1 = 2, .eta2 = 2, .du = 11, .dv = 5,
	.ek_len = MLKEM1024_EK_BYTES,
	.dk_len = MLKEM1024_DK_BYTES,
	.ct_len = MLKEM1024_CT_BYTES,
};
