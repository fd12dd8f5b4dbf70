/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's narrow interface to the kernel's IPsec state (xfrm.c, the only
 * file that includes libmnl and linux/xfrm.h): ESP SAs and the policies of
 * a Child SA in, out and forward, their removal, and the removal of what
 * an earlier pqiked left behind. pqiked's SAs and policies carry a reqid
 * of the form 0x7071xxxx ("pq"): that is how it finds its own, and only
 * its own, leftovers. IPv4, tunnel and transport mode.
 */
#ifndef PQIKED_XFRM_H
#define PQIKED_XFRM_H

#include <stdbool.h>
#include <stdint.h>

#include <netinet/in.h>

#define PQIKED_REQID_BASE	0x70710000u
#define PQIKED_REQID_MASK	0xffff0000u

struct xfrm_conn;

/* One Child SA as XFRM sees it, from this host's point of view. */
struct xfrm_child {
	struct in_addr local, remote;		/* outer addresses */
	struct in_addr local_net, remote_net;	/* traffic selectors */
	uint8_t local_plen, remote_plen;
	bool tunnel;
	uint32_t reqid;
	uint32_t spi_in, spi_out;
	const char *aead;		/* "rfc4106(gcm(aes))", ... */
	const uint8_t *key_in, *key_out;
	unsigned int key_len;		/* bytes, salt included */
	bool esn;
	bool encap;			/* ESP in UDP (RFC 3948) */
	uint16_t encap_sport, encap_dport;	/* ours, the peer's */
	bool spi_reserved;		/* spi_in came from xfrm_alloc_spi() */
};

struct xfrm_conn *xfrm_open(char *err, size_t errlen);
void xfrm_close(struct xfrm_conn *x);
const char *xfrm_error(const struct xfrm_conn *x);

/*
 * Reserves an inbound SPI (XFRM_MSG_ALLOCSPI: a larval state from @remote
 * to @local with @reqid, which the kernel drops after net.core.xfrm_acq_expires
 * seconds unless xfrm_child_install() fills it in); 0 or -errno.
 */
int xfrm_alloc_spi(struct xfrm_conn *x, struct in_addr local,
		   struct in_addr remote, uint32_t reqid, uint32_t *spi);
/* Gives back an SPI xfrm_alloc_spi() reserved and nothing used. */
int xfrm_release_spi(struct xfrm_conn *x, struct in_addr local, uint32_t spi);
/* Both SAs and the three policies; on failure nothing stays installed. */
int xfrm_child_install(struct xfrm_conn *x, const struct xfrm_child *c);
/* Everything xfrm_child_install() made; missing pieces are not an error. */
int xfrm_child_remove(struct xfrm_conn *x, const struct xfrm_child *c);
/* Every SA and policy with a pqiked reqid; *@n: how many went. */
int xfrm_flush_own(struct xfrm_conn *x, unsigned int *n);

/* What the kernel counted on a Child SA's two ESP SAs. */
struct xfrm_counters {
	uint64_t bytes_in, packets_in, bytes_out, packets_out;
};

/* Reads the counters (XFRM_MSG_GETSA of both SAs); 0 or -errno. */
int xfrm_child_counters(struct xfrm_conn *x, const struct xfrm_child *c,
			struct xfrm_counters *n);

/* The kernel's AEAD name for an IKE ENCR transform id. */
const char *xfrm_aead_name(uint16_t encr_id);

#endif /* PQIKED_XFRM_H */
