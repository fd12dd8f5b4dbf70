// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: the algorithms, their uapi ids and the core's parameter sets.
 */
#include <string.h>

#include <linux/pqrekey.h>

#include "pqkem.h"

const struct pqkem_alg pqkem_algs[] = {
	{ "mlkem512", PQREKEY_ALG_MLKEM512, &mlkem512_params },
	{ "mlkem768", PQREKEY_ALG_MLKEM768, &mlkem768_params },
	{ "mlkem1024", PQREKEY_ALG_MLKEM1024, &mlkem1024_params },
};

const size_t pqkem_nalgs = ARRAY_SIZE(pqkem_algs);

const struct pqkem_alg *pqkem_alg_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < pqkem_nalgs; i++)
		if (!strcmp(name, pqkem_algs[i].name))
			return &pqkem_algs[i];
	return NULL;
}

const struct pqkem_alg *pqkem_alg_by_id(uint32_t id)
{
	size_t i;

	for (i = 0; i < pqkem_nalgs; i++)
		if (pqkem_algs[i].id == id)
			return &pqkem_algs[i];
	return NULL;
}
