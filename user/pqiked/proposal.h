/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Proposals: strongSwan's proposal strings to and from SA payload
 * proposals (wire.h), and the selection rules of RFC 7296 3.3 and RFC 9370
 * 2.2.1. A string is keywords joined by '-', any number per transform
 * type, e.g. "aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_mlkem1024" or
 * "aes128gcm16-aes256gcm16-esn-noesn". The keywords are the names in the
 * algorithm tables (sk.h, keymat.h, ke.h); keN_NAME puts NAME under
 * ADDKEn, keN_none offers NONE there (the exchange becomes optional).
 * "esn" / "noesn" are ESP's ESN transform.
 */
#ifndef PQIKED_PROPOSAL_H
#define PQIKED_PROPOSAL_H

#include <stdbool.h>
#include <stddef.h>

#include "wire.h"

/*
 * Parses @s into @p for @protocol (IKE_PROTO_IKE or IKE_PROTO_ESP). On
 * error returns -1 with a message naming the keyword in @err. Checks that
 * an IKE proposal has an AEAD, a PRF and a KE method, and ESP an AEAD.
 */
int ike_prop_parse(const char *s, uint8_t protocol, struct ike_proposal *p,
		   char *err, size_t errlen);

/* The strongSwan string of @p into @buf (truncated to @len). */
void ike_prop_format(const struct ike_proposal *p, char *buf, size_t len);

/*
 * Responder: the first of @mine (in our order of preference) that one of
 * the peer's proposals matches; for each transform type, our first
 * choice among the peer's offers. An ADDKE type absent from a proposal
 * counts as NONE only. Writes one transform per type into @chosen (NONE
 * ADDKE types omitted), with the peer's proposal number and SPI.
 * Returns 0, or -1 if nothing matches (NO_PROPOSAL_CHOSEN).
 */
int ike_prop_select(const struct ike_proposal *mine, unsigned int nmine,
		    const struct ike_proposal *peer, unsigned int npeer,
		    struct ike_proposal *chosen);

/*
 * Initiator: whether the responder's @chosen is a valid choice from what
 * we offered (@offered, @n): its number names one of ours, and it holds
 * exactly one transform of every type that proposal has (ADDKE types
 * that include NONE may be left out), each one we offered.
 */
bool ike_prop_valid_choice(const struct ike_proposal *offered, unsigned int n,
			   const struct ike_proposal *chosen);

/* The transform of @type in a chosen proposal; 0 if absent (NONE). */
uint16_t ike_prop_get(const struct ike_proposal *p, uint8_t type);
uint16_t ike_prop_keylen(const struct ike_proposal *p, uint8_t type);

/* Whether the (chosen) proposal has an ML-KEM exchange anywhere. */
bool ike_prop_has_mlkem(const struct ike_proposal *p);

#endif /* PQIKED_PROPOSAL_H */
