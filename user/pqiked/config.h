/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's configuration file: a subset of strongSwan's swanctl.conf, so
 * that a connection ports by hand in minutes (Documentation/pqiked.rst):
 *
 *   connections {
 *       west-east {
 *           local_addrs = 192.0.2.1
 *           remote_addrs = 192.0.2.2
 *           proposals = aes256gcm16-prfsha384-x25519-ke1_mlkem768
 *           local { auth = psk  id = west }     (one setting per line)
 *           remote { auth = psk  id = east }
 *           children {
 *               net {
 *                   local_ts = 10.1.0.0/24
 *                   remote_ts = 10.2.0.0/24
 *                   esp_proposals = aes256gcm16
 *                   mode = tunnel                (or transport)
 *                   start_action = start         (or none: respond only)
 *                   rekey_time = 1h  life_time = 66m   (default: none)
 *               }
 *           }
 *           fragmentation = yes   (or accept, no; force = yes) RFC 7383
 *           dpd_delay = 30s       liveness check after 30 s of silence
 *           rekey_time = 4h       the IKE SA's rekeying (default 4h, 0: never)
 *           retransmit_tries = 5  retransmit_timeout = 1s (doubled each time)
 *           childless = allow     (or prefer, force, never) RFC 6023
 *           # pqiked's own settings:
 *           require_mlkem = yes   refuse proposals without ML-KEM
 *           kem = kernel          kernel (pqrekey.ko), user (in-process)
 *           fragment_size = 1280  largest IP datagram of a fragment
 *           cookie_threshold = 2  half-open SAs from which cookies are asked
 *           block_threshold = 5   half-open SAs from which requests are dropped
 *       }
 *   }
 *   secrets {
 *       ike-1 { id = east  secret = "a long pre-shared key" }
 *   }
 *
 * Errors name the file, the line and what was expected.
 */
#ifndef PQIKED_CONFIG_H
#define PQIKED_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include <netinet/in.h>

#include "sa.h"

/* connections in one file (a tunnel each; their IKE SAs: daemon_int.h) */
#define IKED_MAX_CONNS	4096

enum iked_kem { IKED_KEM_KERNEL, IKED_KEM_USER };

struct iked_conn_cfg {
	char name[64], child_name[64];
	struct in_addr local_addr, remote_addr;
	char local_id[128], remote_id[128];
	uint8_t psk[256];
	size_t psk_len;
	struct in_addr local_net, remote_net;
	uint8_t local_plen, remote_plen;
	bool tunnel, start;
	/* the Child SA's soft and hard time limits in XFRM (s; 0: none) */
	unsigned int rekey_time, life_time;
	enum iked_kem kem;
	enum ike_frag_mode fragmentation;	/* default yes */
	enum ike_childless childless;		/* default allow */
	unsigned int fragment_size;		/* 0: IKE_FRAG_DEFAULT_SIZE */
	unsigned int dpd_delay;			/* s; 0: no liveness checks */
	unsigned int ike_rekey_time;		/* s; 0: the IKE SA never rekeys */
	/* retransmissions of a request: how many, the first timeout (s) */
	unsigned int retransmit_tries, retransmit_timeout;
	/* half-open responder SAs: cookies from, refused from (RFC 7296 2.6) */
	unsigned int cookie_threshold, block_threshold;
	struct ike_conn ike;	/* its pointers point into this struct */
};

struct iked_config {
	unsigned int nconn;
	struct iked_conn_cfg conn[IKED_MAX_CONNS];
};

int iked_config_load(const char *path, struct iked_config *cfg, char *err,
		     size_t errlen);
void iked_config_wipe(struct iked_config *cfg);

#endif /* PQIKED_CONFIG_H */
