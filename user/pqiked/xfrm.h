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
	unsigned int soft_secs, hard_secs;	/* 0: none */
};

struct xfrm_conn *xfrm_open(char *err, size_t errlen);
/*
 * IKE's own datagrams bypass IPsec policies (as strongSwan's sockets do):
 * a transport-mode policy between the two gateways would otherwise take
 * them into ESP. 0, or -1 with errno.
 */
int xfrm_socket_bypass(int fd);
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
/*
 * Rekeying: one SA of a new Child SA (@in: the inbound one) beside the
 * old one, under the same policies (the reqid joins them); and the
 * removal of one SA (@dst: the local address for an inbound SA, the
 * remote for an outbound one). A missing SA is not an error.
 */
int xfrm_child_add_sa(struct xfrm_conn *x, const struct xfrm_child *c, bool in);
int xfrm_sa_remove(struct xfrm_conn *x, struct in_addr dst, uint32_t spi);
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

/*
 * The XFRM events pqiked listens to, on a socket of their own (the
 * requests' socket only ever sees its own answers): SA expiry, soft and
 * hard (XFRMNLGRP_EXPIRE), and acquires of policies without an SA
 * (XFRMNLGRP_ACQUIRE). A soft expiry starts a rekeying.
 */
enum xfrm_event_type { XFRM_EV_NONE, XFRM_EV_SOFT_EXPIRE, XFRM_EV_HARD_EXPIRE,
		       XFRM_EV_ACQUIRE };

struct xfrm_event {
	enum xfrm_event_type type;
	uint32_t spi;		/* expire: the SA's */
	uint32_t reqid;		/* expire: the SA's; acquire: the template's */
	struct in_addr dst;
};

struct xfrm_events;
struct xfrm_events *xfrm_events_open(char *err, size_t errlen);
void xfrm_events_close(struct xfrm_events *e);
int xfrm_events_fd(const struct xfrm_events *e);
/*
 * Reads what is ready (non-blocking) and calls @cb for each event that
 * concerns pqiked's SAs and policies (reqid 0x7071xxxx). 0 or -errno.
 */
int xfrm_events_read(struct xfrm_events *e,
		     void (*cb)(const struct xfrm_event *ev, void *ctx),
		     void *ctx);

/* The kernel's AEAD name for an IKE ENCR transform id. */
const char *xfrm_aead_name(uint16_t encr_id);

#endif /* PQIKED_XFRM_H */
