// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: the algorithms, their uapi ids and the core's parameter sets.
 */
#include <string.h>

#include <linux/pqrekey.h>

#include "pqkem.h"

#define MLKEM(bits)							\
	{ "mlkem" #bits, PQREKEY_ALG_MLKEM##bits, &mlkem##bits##_params,	\
	  NULL, PQREKEY_MLKEM##bits##_EK_LEN, PQREKEY_MLKEM##bits##_DK_LEN,	\
	  PQREKEY_MLKEM##bits##_CT_LEN, PQREKEY_SS_LEN, PQREKEY_SEED_LEN, \
	  PQREKEY_MSG_LEN }
#define FRODO(set, xof, XOF)						\
	{ "frodo" #set #xof, PQREKEY_ALG_FRODO##set##XOF, NULL,		\
	  &frodo##set##xof##_params, PQREKEY_FRODO##set##_EK_LEN, PQREKEY_FRODO##set##_DK_LEN,	\
	  PQREKEY_FRODO##set##_CT_LEN, PQREKEY_FRODO##set##_SS_LEN,	\
	  PQREKEY_FRODO##set##_SEED_LEN, PQREKEY_FRODO##set##_MSG_LEN }

const struct pqkem_alg pqkem_algs[] = {
	MLKEM(512), MLKEM(768), MLKEM(1024),
	FRODO(976, aes, AES), FRODO(976, shake, SHAKE),
	FRODO(1344, aes, AES), FRODO(1344, shake, SHAKE),
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
