/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * NAT traversal (RFC 7296 2.23, RFC 3948): the NAT_DETECTION_SOURCE_IP and
 * NAT_DETECTION_DESTINATION_IP notifies of IKE_SA_INIT, which tell each
 * side whether an address or port between them was translated. The
 * daemon moves an IKE SA whose peer sent them to port 4500 (with the
 * 4-byte non-ESP marker, as strongSwan does, NAT or not) and encapsulates
 * ESP in UDP when a NAT was found or the connection forces it (encap =
 * yes, announced to the peer with a hash that cannot match).
 */
#ifndef PQIKED_NATT_H
#define PQIKED_NATT_H

#include <stdbool.h>
#include <stdint.h>

#define IKE_NATD_LEN		20	/* SHA-1 */
#define IKE_NATT_PORT		4500
#define IKE_NON_ESP_MARKER_LEN	4
#define IKE_NATT_KEEPALIVE_MS	20000	/* strongSwan's keep_alive */

/* An IPv4 address (network order) and a port (host order). */
struct ike_addr {
	uint32_t ip;
	uint16_t port;
};

/* SHA-1(SPIi | SPIr | IP | port) into @out; 0 or -1. */
int ike_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_addr *a,
		  uint8_t *out);

#endif /* PQIKED_NATT_H */
