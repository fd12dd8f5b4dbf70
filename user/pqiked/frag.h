/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * RFC 7383 IKE fragmentation: how an encrypted message is cut into SKF
 * payloads of a size, and the reassembly of one received message from
 * fragments that have each been authenticated and decrypted (sa.c seals
 * and opens them; this file only does the bookkeeping, without keys).
 *
 * Bounds, per IKE SA and so per peer: one message in reassembly at a
 * time, at most IKE_MAX_FRAGS fragments and IKE_MAX_MSG bytes of
 * plaintext; anything beyond is refused, never buffered.
 */
#ifndef PQIKED_FRAG_H
#define PQIKED_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_MAX_FRAGS		128
/* IPv4 and UDP headers: fragment_size counts whole IP datagrams. */
#define IKE_FRAG_IP_OVERHEAD	28
/* The smallest fragment_size accepted (RFC 7383 2.5: IPv4's 576). */
#define IKE_FRAG_MIN_SIZE	576
#define IKE_FRAG_DEFAULT_SIZE	1280

/* How a connection uses fragmentation (swanctl.conf's "fragmentation"). */
enum ike_frag_mode {
	IKE_FRAG_YES,		/* announce; fragment if the peer announced */
	IKE_FRAG_ACCEPT,	/* announce; accept fragments, send none */
	IKE_FRAG_NO,		/* neither */
};

/*
 * Plaintext bytes per fragment for IP datagrams of @frag_size bytes: the
 * datagram less the IP/UDP headers, the IKE header, the SKF header (8)
 * and the AEAD's IV, pad length and ICV (@sk_overhead). 0 if none fit.
 */
size_t ike_frag_chunk(unsigned int frag_size, size_t sk_overhead);

/* A message being reassembled. */
struct ike_reasm {
	bool active;
	uint32_t msgid;
	uint16_t total, have;
	uint8_t first;			/* first inner payload (fragment 1) */
	size_t bytes;
	uint8_t *chunk[IKE_MAX_FRAGS];
	uint16_t len[IKE_MAX_FRAGS];
};

enum ike_reasm_result {
	IKE_REASM_REFUSED = -1,	/* out of bounds, or inconsistent */
	IKE_REASM_MORE = 0,	/* stored (or a duplicate): wait */
	IKE_REASM_DONE = 1,	/* all fragments here: ike_reasm_join() */
};

/*
 * Stores fragment @number of @total of message @msgid (@first: its
 * SKF next-payload field, meaningful in fragment 1 only), @len bytes of
 * decrypted inner payloads. A fragment of another message ID starts over.
 */
enum ike_reasm_result ike_reasm_add(struct ike_reasm *r, uint32_t msgid,
				    uint16_t number, uint16_t total,
				    uint8_t first, const uint8_t *data,
				    size_t len);
/* The whole inner payload chain into @buf; returns its length, or 0. */
size_t ike_reasm_join(const struct ike_reasm *r, uint8_t *buf, size_t cap);
/* Frees and wipes the stored fragments. */
void ike_reasm_reset(struct ike_reasm *r);

#endif /* PQIKED_FRAG_H */
