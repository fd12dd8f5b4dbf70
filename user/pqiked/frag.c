// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * RFC 7383 fragmentation bookkeeping (frag.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "frag.h"
#include "sa.h"
#include "wire.h"

/* The SKF payload header: generic header, fragment number and total. */
#define IKE_SKF_HDR_LEN	(IKE_GENERIC_HDR_LEN + 4)

size_t ike_frag_chunk(unsigned int frag_size, size_t sk_overhead)
{
	size_t fixed = IKE_FRAG_IP_OVERHEAD + IKE_HDR_LEN + IKE_SKF_HDR_LEN +
		       sk_overhead;

	return frag_size > fixed ? frag_size - fixed : 0;
}

void ike_reasm_reset(struct ike_reasm *r)
{
	unsigned int i;

	for (i = 0; i < IKE_MAX_FRAGS; i++) {
		if (r->chunk[i])
			OPENSSL_clear_free(r->chunk[i], r->len[i]);
		r->chunk[i] = NULL;
		r->len[i] = 0;
	}
	r->active = false;
	r->msgid = 0;
	r->total = r->have = 0;
	r->first = 0;
	r->bytes = 0;
}

enum ike_reasm_result ike_reasm_add(struct ike_reasm *r, uint32_t msgid,
				    uint16_t number, uint16_t total,
				    uint8_t first, const uint8_t *data,
				    size_t len)
{
	uint8_t *copy;

	if (!number || number > total || total > IKE_MAX_FRAGS ||
	    len > IKE_MAX_MSG)
		return IKE_REASM_REFUSED;
	if (r->active && r->msgid != msgid)
		ike_reasm_reset(r);
	if (!r->active) {
		r->active = true;
		r->msgid = msgid;
		r->total = total;
	}
	/* RFC 7383 2.6: all fragments of a message carry the same total */
	if (total != r->total)
		return IKE_REASM_REFUSED;
	if (r->chunk[number - 1])
		return IKE_REASM_MORE;		/* a duplicate */
	if (r->bytes + len > IKE_MAX_MSG - IKE_HDR_LEN - IKE_GENERIC_HDR_LEN)
		return IKE_REASM_REFUSED;
	copy = malloc(len ? len : 1);
	if (!copy)
		return IKE_REASM_REFUSED;
	memcpy(copy, data, len);
	r->chunk[number - 1] = copy;
	r->len[number - 1] = (uint16_t)len;
	r->bytes += len;
	if (number == 1)
		r->first = first;
	return ++r->have == r->total ? IKE_REASM_DONE : IKE_REASM_MORE;
}

size_t ike_reasm_join(const struct ike_reasm *r, uint8_t *buf, size_t cap)
{
	size_t pos = 0;
	unsigned int i;

	if (!r->active || r->have != r->total || r->bytes > cap)
		return 0;
	for (i = 0; i < r->total; i++) {
		memcpy(buf + pos, r->chunk[i], r->len[i]);
		pos += r->len[i];
	}
	return pos;
}
