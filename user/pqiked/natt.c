// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * NAT detection hashes (natt.h).
 */
#include <string.h>

#include <openssl/evp.h>

#include "natt.h"
#include "wire.h"

int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a,
		  uint8_t *out)
{
	uint8_t in[22];
	unsigned int len = 0;

	ike_set64(in, spi_i);
	ike_set64(in + 8, spi_r);
	memcpy(in + 16, &a->ip, 4);	/* already in network order */
	ike_set16(in + 20, a->port);
	if (!EVP_Digest(in, sizeof(in), out, &len, EVP_sha1(), NULL))
		return -1;
	return len == IKE_NATD_LEN ? 0 : -1;
}
