/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The daemon's inside, shared by its files only (daemon.h is the outside):
 * the IKE SA table (daemon.c: slots, the effects of the exchanges, the
 * receive path and the timers), the sockets (net.c), the control
 * operations (ops.c: up, down, reload) and pqikectl status (status.c).
 */
#ifndef PQIKED_DAEMON_INT_H
#define PQIKED_DAEMON_INT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "cookie.h"
#include "daemon.h"
#include "sa.h"
#include "xfrm.h"

/* IKE SAs: two per connection while an IKE SA rekeying overlaps them */
#define MAX_SAS		(2 * IKED_MAX_CONNS)
/* reqids 0x7071xxxx in use (struct iked's bitmap) */
#define MAX_REQIDS	(2 * MAX_SAS)
/* a responder SA not established by then is dropped (strongSwan: 30 s) */
#define HALF_OPEN_TIMEOUT	30000	/* ms */
/*
 * After a rekeying, the old inbound SA stays that long once the peer has
 * stopped using it, for packets in flight (strongSwan's
 * delete_rekeyed_delay, 5 s).
 */
#define REKEYED_IN_DELAY	5000	/* ms */
/* a refused rekeying is tried again that much later */
#define REKEY_RETRY_DELAY	10000	/* ms */
#define MAX_RETIRED		4
/*
 * Connections with start_action = start are initiated that many at a time
 * (IKE SAs of ours not yet established): thousands of tunnels come up in
 * waves, within the KEM service's per-socket handle limit and without a
 * burst of IKE_SA_INIT requests.
 */
#define START_BURST		64
/* an IKE SA replaced by a rekeying waits that long for the peer's Delete */
#define REKEYED_IKE_TIMEOUT	30000	/* ms */

/* A message sent: one datagram or RFC 7383 fragments back to back. */
struct sent {
	uint8_t *buf;
	size_t len;
	unsigned int nfrag;
	uint16_t frag_len[IKE_MAX_FRAGS];
	uint32_t msgid;
};

struct slot {
	struct iked *d;		/* its daemon, for the SPI allocator */
	struct ike_sa *sa;
	unsigned int conn;
	struct sent req;	/* our last request, for retransmission */
	struct sent resp;	/* our last response, for a repeated request */
	bool waiting;		/* a request of ours is unanswered */
	uint64_t heard;		/* ms: when the peer last passed an ICV */
	/* where the peer is: its address and port, on which of our sockets */
	struct sockaddr_in peer;
	bool natt_sock;		/* port 4500, with the non-ESP marker */
	uint64_t keepalive;	/* ms: next NAT keepalive (we are behind a NAT) */
	uint64_t rx_ok;		/* the SA's count then */
	uint64_t deadline;
	unsigned int tries;
	bool installed;
	uint32_t spi_reserved;	/* an inbound SPI reserved in XFRM, or 0 */
	uint64_t created, established;	/* ms, monotonic */
	char proposal[160];		/* the IKE SA's, strongSwan syntax */
	struct xfrm_child xc;	/* the Child SA in use (its outbound SA) */
	uint8_t key_in[IKE_MAX_ENCR_KEY], key_out[IKE_MAX_ENCR_KEY];
	/*
	 * Rekeying: the new inbound SA installed before the switch
	 * (responder), old inbound SAs on their way out (at: when they go;
	 * 0 while the peer may still use them), and a retry.
	 */
	uint32_t next_in;
	struct { uint32_t spi; uint64_t at; } retired[MAX_RETIRED];
	uint64_t rekey_retry;		/* ms, 0: none */
	uint32_t rekey_retry_spi;	/* only if the child is still that one */
	uint64_t ike_rekey;		/* ms: when the IKE SA rekeys, 0: never */
	uint64_t rekeyed;		/* ms: when a successor replaced it */
	/*
	 * The reqid of the Child SA's SAs and policies (0x7071xxxx): it stays
	 * with the Child SA when a rekeyed IKE SA's successor takes it over.
	 */
	uint32_t reqid;
};

struct iked {
	struct iked_config *cfg;
	struct kemc *kemc;
	struct xfrm_conn *xfrm;
	unsigned int port;
	/*
	 * The sockets, one pair per local address that connections use:
	 * [0] the IKE port, [1] the NAT-T port (4500); sock[conn] is the
	 * connection's pair (-1: none). Datagrams go to the connection whose
	 * peer sent them.
	 */
	struct iked_sock {
		struct in_addr addr;
		int fd[2];
		unsigned int refs;	/* connections using it; 0: free */
	} socks[IKED_MAX_CONNS];
	int sock[IKED_MAX_CONNS];
	unsigned int natt_port;
	struct slot slot[MAX_SAS];
	uint8_t reqid_used[MAX_REQIDS / 8];	/* bit r: reqid base | (r + 1) */
	bool start_pending[IKED_MAX_CONNS];	/* to initiate, START_BURST at a time */
	struct ike_out out;
	uint8_t rbuf[IKE_MAX_MSG];
	struct ike_cookies cookies;
	uint64_t cookies_rotated;	/* ms */
	const char *path;		/* of the configuration, for reloads */
	bool own_kemc;			/* opened by a reload: ours to close */
};

/* daemon.c */
uint64_t iked_now_ms(void);
const char *iked_cname(const struct iked *d, const struct slot *s);
struct slot *iked_new_slot(struct iked *d, unsigned int conn, bool initiator);
void iked_slot_free(struct iked *d, struct slot *s);
void iked_start_one(struct iked *d, unsigned int i);
/* Initiates pending connections while fewer than START_BURST are under way. */
void iked_start_paced(struct iked *d);
void iked_effects(struct iked *d, struct slot *s, int rc);

/* net.c: connection @conn's sockets, [0] the IKE port, [1] NAT-T */
int iked_conn_fd(const struct iked *d, unsigned int conn, unsigned int k);
int iked_listen_one(struct iked *d, unsigned int i);
void iked_close_conn(struct iked *d, unsigned int i);
void iked_send_raw(struct iked *d, unsigned int conn, unsigned int k,
		   const struct sockaddr_in *to, const uint8_t *msg, size_t len);
void iked_send_to(struct iked *d, unsigned int conn, unsigned int k,
		  const struct sockaddr_in *to, const uint8_t *msg, size_t len);
void iked_send_msg(struct iked *d, struct slot *s, const uint8_t *msg,
		   size_t len, unsigned int nfrag, const uint16_t *frag_len);
void iked_send_sent(struct iked *d, struct slot *s, const struct sent *m);

#endif /* PQIKED_DAEMON_INT_H */
