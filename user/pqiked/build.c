// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * IKEv2 message building (wire.h). Payloads are appended in order; each
 * one's type is written into the previous one's next-payload field (the
 * header's for the first). Overflow is sticky and checked at the end.
 */
#include <string.h>

#include "wire.h"

/* Reserves @n bytes; NULL (and overflow set) if they do not fit. */
static uint8_t *room(struct ike_builder *b, size_t n)
{
	uint8_t *p;

	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return NULL;
	}
	p = b->buf + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

void ike_build_begin(struct ike_builder *b, uint8_t *buf, size_t cap,
		     const struct ike_hdr *h)
{
	uint8_t *p;

	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->overflow = false;
	p = room(b, IKE_HDR_LEN);
	b->last_next = 16;
	if (!p)
		return;
	ike_set64(p, h->spi_i);
	ike_set64(p + 8, h->spi_r);
	p[16] = IKE_PL_NONE;
	p[17] = h->version ? h->version : IKE_VERSION;
	p[18] = h->exchange;
	p[19] = h->flags;
	ike_set32(p + 20, h->msgid);
}

size_t ike_build_end(struct ike_builder *b)
{
	if (b->overflow || b->len > UINT32_MAX)
		return 0;
	ike_set32(b->buf + 24, (uint32_t)b->len);
	return b->len;
}

/*
 * Starts a payload of @type with @body_len bytes after its generic
 * header; returns the body (zeroed) or NULL.
 */
static uint8_t *payload(struct ike_builder *b, uint8_t type, bool critical,
			size_t body_len)
{
	size_t at = b->len;
	uint8_t *p;

	if (body_len > 0xffff - IKE_GENERIC_HDR_LEN) {
		b->overflow = true;
		return NULL;
	}
	p = room(b, IKE_GENERIC_HDR_LEN + body_len);
	if (!p)
		return NULL;
	b->buf[b->last_next] = type;
	b->last_next = at;
	p[0] = IKE_PL_NONE;
	p[1] = critical ? 0x80 : 0;
	ike_set16(p + 2, (uint16_t)(IKE_GENERIC_HDR_LEN + body_len));
	return p + IKE_GENERIC_HDR_LEN;
}

void ike_put_raw(struct ike_builder *b, uint8_t type, bool critical,
		 const uint8_t *body, size_t len)
{
	uint8_t *p = payload(b, type, critical, len);

	if (p && len)
		memcpy(p, body, len);
}

static size_t transform_len(const struct ike_transform *t)
{
	return t->keylen ? 12 : 8;
}

static size_t proposal_len(const struct ike_proposal *p)
{
	size_t n = 8u + p->spi_size;
	unsigned int i;

	for (i = 0; i < p->ntrans; i++)
		n += transform_len(&p->trans[i]);
	return n;
}

void ike_put_sa(struct ike_builder *b, const struct ike_proposal *pr,
		unsigned int n)
{
	size_t total = 0;
	unsigned int i, j;
	uint8_t *p;

	for (i = 0; i < n; i++) {
		if (pr[i].spi_size > sizeof(pr[i].spi) ||
		    pr[i].ntrans > IKE_MAX_TRANSFORMS) {
			b->overflow = true;
			return;
		}
		total += proposal_len(&pr[i]);
	}
	p = payload(b, IKE_PL_SA, false, total);
	if (!p)
		return;
	for (i = 0; i < n; i++) {
		size_t plen = proposal_len(&pr[i]);
		uint8_t *q;

		p[0] = i + 1 == n ? 0 : 2;
		ike_set16(p + 2, (uint16_t)plen);
		p[4] = pr[i].num;
		p[5] = pr[i].protocol;
		p[6] = pr[i].spi_size;
		p[7] = (uint8_t)pr[i].ntrans;
		memcpy(p + 8, pr[i].spi, pr[i].spi_size);
		q = p + 8 + pr[i].spi_size;
		for (j = 0; j < pr[i].ntrans; j++) {
			const struct ike_transform *t = &pr[i].trans[j];

			q[0] = j + 1 == pr[i].ntrans ? 0 : 3;
			ike_set16(q + 2, (uint16_t)transform_len(t));
			q[4] = t->type;
			ike_set16(q + 6, t->id);
			if (t->keylen) {
				ike_set16(q + 8, 0x8000 | IKE_ATTR_KEY_LENGTH);
				ike_set16(q + 10, t->keylen);
			}
			q += transform_len(t);
		}
		p += plen;
	}
}

void ike_put_ke(struct ike_builder *b, uint16_t group, const uint8_t *data,
		size_t len)
{
	uint8_t *p = payload(b, IKE_PL_KE, false, 4 + len);

	if (!p)
		return;
	ike_set16(p, group);
	memcpy(p + 4, data, len);
}

static void put_typed(struct ike_builder *b, uint8_t type, uint8_t sub,
		      const uint8_t *data, size_t len)
{
	uint8_t *p = payload(b, type, false, 4 + len);

	if (!p)
		return;
	p[0] = sub;
	memcpy(p + 4, data, len);
}

void ike_put_id(struct ike_builder *b, uint8_t type, uint8_t id_type,
		const uint8_t *data, size_t len)
{
	put_typed(b, type, id_type, data, len);
}

void ike_put_auth(struct ike_builder *b, uint8_t method, const uint8_t *data,
		  size_t len)
{
	put_typed(b, IKE_PL_AUTH, method, data, len);
}

void ike_put_notify(struct ike_builder *b, uint8_t protocol,
		    const uint8_t *spi, uint8_t spi_size, uint16_t type,
		    const uint8_t *data, size_t len)
{
	uint8_t *p = payload(b, IKE_PL_NOTIFY, false, 4u + spi_size + len);

	if (!p)
		return;
	p[0] = protocol;
	p[1] = spi_size;
	ike_set16(p + 2, type);
	if (spi_size)
		memcpy(p + 4, spi, spi_size);
	if (len)
		memcpy(p + 4 + spi_size, data, len);
}

void ike_put_delete(struct ike_builder *b, uint8_t protocol,
		    uint8_t spi_size, const uint8_t *spis, uint16_t nspi)
{
	size_t n = (size_t)spi_size * nspi;
	uint8_t *p = payload(b, IKE_PL_DELETE, false, 4 + n);

	if (!p)
		return;
	p[0] = protocol;
	p[1] = spi_size;
	ike_set16(p + 2, nspi);
	if (n)
		memcpy(p + 4, spis, n);
}

void ike_put_ts(struct ike_builder *b, uint8_t type, const struct ike_ts *ts,
		unsigned int n)
{
	size_t total = 4;
	unsigned int i;
	uint8_t *p;

	if (n == 0 || n > 255) {
		b->overflow = true;
		return;
	}
	for (i = 0; i < n; i++)
		total += ts[i].type == IKE_TS_IPV6_ADDR_RANGE ? 40 : 16;
	p = payload(b, type, false, total);
	if (!p)
		return;
	p[0] = (uint8_t)n;
	p += 4;
	for (i = 0; i < n; i++) {
		size_t alen = ts[i].type == IKE_TS_IPV6_ADDR_RANGE ? 16 : 4;

		p[0] = ts[i].type;
		p[1] = ts[i].ip_proto;
		ike_set16(p + 2, (uint16_t)(8 + 2 * alen));
		ike_set16(p + 4, ts[i].start_port);
		ike_set16(p + 6, ts[i].end_port);
		memcpy(p + 8, ts[i].start, alen);
		memcpy(p + 8 + alen, ts[i].end, alen);
		p += 8 + 2 * alen;
	}
}

size_t ike_put_sk(struct ike_builder *b, uint8_t inner, uint16_t number,
		  uint16_t total, size_t len)
{
	size_t hdr = total ? 4 : 0;
	uint8_t *p = payload(b, total ? IKE_PL_SKF : IKE_PL_SK, false,
			     hdr + len);

	if (!p)
		return 0;
	p[-IKE_GENERIC_HDR_LEN] = inner;	/* SK's next = first inner */
	if (total) {
		ike_set16(p, number);
		ike_set16(p + 2, total);
	}
	return (size_t)(p - b->buf) + hdr;
}
