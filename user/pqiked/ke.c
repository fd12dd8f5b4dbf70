// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The key exchange methods pqiked offers (ke.h): the one table of them.
 */
#include <string.h>

#include <linux/pqrekey.h>

#include "ke.h"

#define ECDH(i, n, pub, ss)						\
	{ .id = (i), .name = (n), .i_len = (pub), .r_len = (pub),	\
	  .ss_len = (ss), .new = ike_ke_ecdh_new }
#define MLKEM(i, n, alg, ek, ct)					\
	{ .id = (i), .name = (n), .i_len = (ek), .r_len = (ct),	\
	  .ss_len = 32, .new = ike_ke_kem_new, .kem_alg = (alg),	\
	  .core = &ike_mlkem_core }
#define FRODO(set, xof, XOF)						\
	{ .id = IKE_KE_FRODO##set##XOF, .name = "frodo" #set #xof,	\
	  .i_len = PQREKEY_FRODO##set##_EK_LEN,				\
	  .r_len = PQREKEY_FRODO##set##_CT_LEN,				\
	  .ss_len = PQREKEY_FRODO##set##_SS_LEN, .new = ike_ke_kem_new,	\
	  .kem_alg = PQREKEY_ALG_FRODO##set##XOF, .core = &ike_frodo_core }

/* Not const: FrodoKEM's private-use ids can be configured. */
static struct ike_ke_method methods[] = {
	ECDH(IKE_KE_ECP256, "ecp256", 64, 32),	/* RFC 5903: x || y */
	ECDH(IKE_KE_CURVE25519, "x25519", 32, 32),	/* RFC 8031 */
	MLKEM(IKE_KE_MLKEM512, "mlkem512", PQREKEY_ALG_MLKEM512,
	      PQREKEY_MLKEM512_EK_LEN, PQREKEY_MLKEM512_CT_LEN),
	MLKEM(IKE_KE_MLKEM768, "mlkem768", PQREKEY_ALG_MLKEM768,
	      PQREKEY_MLKEM768_EK_LEN, PQREKEY_MLKEM768_CT_LEN),
	MLKEM(IKE_KE_MLKEM1024, "mlkem1024", PQREKEY_ALG_MLKEM1024,
	      PQREKEY_MLKEM1024_EK_LEN, PQREKEY_MLKEM1024_CT_LEN),
	FRODO(976, aes, AES), FRODO(976, shake, SHAKE),
	FRODO(1344, aes, AES), FRODO(1344, shake, SHAKE),
};

int ike_ke_set_id(const char *name, uint16_t id)
{
	size_t i, me = sizeof(methods) / sizeof(methods[0]);

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++) {
		if (!strcmp(methods[i].name, name))
			me = i;
		else if (methods[i].id == id)
			return -1;
	}
	if (me == sizeof(methods) / sizeof(methods[0]) || !id)
		return -1;
	methods[me].id = id;
	return 0;
}

const struct ike_ke_method *ike_ke_method(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].id == id)
			return &methods[i];
	return NULL;
}

const struct ike_ke_method *ike_ke_method_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (!strcmp(methods[i].name, name))
			return &methods[i];
	return NULL;
}

struct ike_ke *ike_ke_new(const struct ike_ke_method *m,
			  const struct ike_ke_env *env)
{
	return m->new(m, env);
}
