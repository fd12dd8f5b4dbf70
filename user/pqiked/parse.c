// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * IKEv2 message parsing (wire.h): bounds first, then fields. Every length
 * is checked against what contains it before anything is read; nothing is
 * copied but the fixed-size fields. No SA state is read here.
 */
#include <string.h>

#include "wire.h"

static int perr(struct ike_perr *e, enum ike_parse_err err, uint8_t payload,
		size_t offset, const char *what)
{
	e->err = err;
	e->payload = payload;
	e->offset = offset;
	e->what = what;
	return -1;
}

#define SYNTAX(what) perr(e, IKE_ERR_SYNTAX, type, off, what)

/* Transform attributes: only Key Length (TV) is understood. */
static int parse_attrs(const uint8_t *p, size_t len, struct ike_transform *t,
		       struct ike_perr *e, size_t off)
{
	const uint8_t type = IKE_PL_SA;

	while (len) {
		uint16_t af_type, val;

		if (len < 4)
			return SYNTAX("truncated transform attribute");
		af_type = ike_get16(p);
		val = ike_get16(p + 2);
		if (!(af_type & 0x8000)) {	/* TLV: skip, unknown to us */
			if (len - 4 < val)
				return SYNTAX("transform attribute overruns its transform");
			p += 4 + val;
			len -= 4 + (size_t)val;
			continue;
		}
		if ((af_type & 0x7fff) == IKE_ATTR_KEY_LENGTH) {
			if (t->keylen)
				return SYNTAX("two Key Length attributes");
			if (!val)
				return SYNTAX("Key Length attribute of 0");
			t->keylen = val;
		}
		p += 4;
		len -= 4;
	}
	return 0;
}

static int parse_sa(const uint8_t *p, size_t len, struct ike_msg *m,
		    struct ike_payload *pl, struct ike_perr *e, size_t off)
{
	const uint8_t type = IKE_PL_SA;
	unsigned int expect_num = 1;
	bool last = false;

	pl->u.sa.first = m->nprop;
	pl->u.sa.count = 0;
	while (!last) {
		struct ike_proposal *pr;
		size_t plen, q;
		unsigned int i, ntrans;

		if (len < 8)
			return SYNTAX("truncated proposal");
		if (p[0] != 0 && p[0] != 2)
			return SYNTAX("proposal: last-substructure field not 0 or 2");
		last = p[0] == 0;
		plen = ike_get16(p + 2);
		if (plen < 8 || plen > len)
			return SYNTAX("proposal length out of bounds");
		if (last && plen != len)
			return SYNTAX("data after the last proposal");
		if (!last && plen == len)
			return SYNTAX("last proposal not marked last");
		if (m->nprop >= IKE_MAX_PROPOSALS)
			return perr(e, IKE_ERR_LIMIT, type, off, "too many proposals");
		pr = &m->prop[m->nprop];
		memset(pr, 0, sizeof(*pr));
		pr->num = p[4];
		pr->protocol = p[5];
		pr->spi_size = p[6];
		ntrans = p[7];
		/* RFC 7296 3.3.1: numbered 1, 2, ... (no IKEv1 AND groups) */
		if (pr->num != expect_num)
			return SYNTAX("proposal numbers not consecutive from 1");
		expect_num++;
		if (pr->spi_size > sizeof(pr->spi) || 8u + pr->spi_size > plen)
			return SYNTAX("proposal SPI size");
		memcpy(pr->spi, p + 8, pr->spi_size);
		if (ntrans > IKE_MAX_TRANSFORMS)
			return perr(e, IKE_ERR_LIMIT, type, off, "too many transforms");
		q = 8u + pr->spi_size;
		for (i = 0; i < ntrans; i++) {
			struct ike_transform *t = &pr->trans[i];
			size_t tlen;

			if (plen - q < 8)
				return SYNTAX("truncated transform");
			if (p[q] != (i + 1 == ntrans ? 0 : 3))
				return SYNTAX("transform: last-substructure field wrong");
			tlen = ike_get16(p + q + 2);
			if (tlen < 8 || tlen > plen - q)
				return SYNTAX("transform length out of bounds");
			t->type = p[q + 4];
			t->id = ike_get16(p + q + 6);
			t->keylen = 0;
			if (parse_attrs(p + q + 8, tlen - 8, t, e, off))
				return -1;
			q += tlen;
		}
		if (q != plen)
			return SYNTAX("proposal length does not match its transforms");
		pr->ntrans = ntrans;
		m->nprop++;
		pl->u.sa.count++;
		p += plen;
		len -= plen;
		off += plen;
	}
	return 0;
}

static int parse_ts(const uint8_t *p, size_t len, struct ike_msg *m,
		    struct ike_payload *pl, struct ike_perr *e, size_t off)
{
	const uint8_t type = pl->type;
	unsigned int i, n;

	if (len < 4)
		return SYNTAX("truncated traffic selector payload");
	n = p[0];
	if (n == 0)
		return SYNTAX("traffic selector payload without selectors");
	if (m->nts + n > IKE_MAX_TS)
		return perr(e, IKE_ERR_LIMIT, type, off, "too many traffic selectors");
	pl->u.ts.first = m->nts;
	pl->u.ts.count = n;
	p += 4;
	len -= 4;
	for (i = 0; i < n; i++) {
		struct ike_ts *ts = &m->ts[m->nts + i];
		size_t alen, slen;

		if (len < 8)
			return SYNTAX("truncated traffic selector");
		ts->type = p[0];
		ts->ip_proto = p[1];
		slen = ike_get16(p + 2);
		if (ts->type == IKE_TS_IPV4_ADDR_RANGE)
			alen = 4;
		else if (ts->type == IKE_TS_IPV6_ADDR_RANGE)
			alen = 16;
		else
			return SYNTAX("unknown traffic selector type");
		if (slen != 8 + 2 * alen || slen > len)
			return SYNTAX("traffic selector length");
		ts->start_port = ike_get16(p + 4);
		ts->end_port = ike_get16(p + 6);
		memset(ts->start, 0, sizeof(ts->start));
		memset(ts->end, 0, sizeof(ts->end));
		memcpy(ts->start, p + 8, alen);
		memcpy(ts->end, p + 8 + alen, alen);
		p += slen;
		len -= slen;
	}
	if (len)
		return SYNTAX("data after the last traffic selector");
	m->nts += n;
	return 0;
}

static int parse_body(struct ike_msg *m, struct ike_payload *pl,
		      struct ike_perr *e, size_t off)
{
	const uint8_t *p = pl->body;
	const uint8_t type = pl->type;
	size_t len = pl->len;

	switch (type) {
	case IKE_PL_SA:
		if (!len)
			return SYNTAX("SA payload without proposals");
		return parse_sa(p, len, m, pl, e, off);
	case IKE_PL_KE:
		if (len < 4)
			return SYNTAX("truncated KE payload");
		pl->u.ke.group = ike_get16(p);
		pl->u.ke.data = p + 4;
		pl->u.ke.len = len - 4;
		return 0;
	case IKE_PL_IDI:
	case IKE_PL_IDR:
		if (len < 5)
			return SYNTAX("truncated ID payload");
		pl->u.id.type = p[0];
		pl->u.id.data = p + 4;
		pl->u.id.len = len - 4;
		return 0;
	case IKE_PL_AUTH:
		if (len < 5)
			return SYNTAX("truncated AUTH payload");
		pl->u.auth.method = p[0];
		pl->u.auth.data = p + 4;
		pl->u.auth.len = len - 4;
		return 0;
	case IKE_PL_NONCE:
		/* RFC 7296 2.10: 16 to 256 octets */
		if (len < 16 || len > 256)
			return SYNTAX("nonce not 16 to 256 bytes");
		pl->u.raw.data = p;
		pl->u.raw.len = len;
		return 0;
	case IKE_PL_NOTIFY:
		if (len < 4)
			return SYNTAX("truncated Notify payload");
		pl->u.notify.protocol = p[0];
		pl->u.notify.spi_size = p[1];
		pl->u.notify.type = ike_get16(p + 2);
		if (len - 4 < p[1])
			return SYNTAX("Notify SPI overruns the payload");
		pl->u.notify.spi = p + 4;
		pl->u.notify.data = p + 4 + p[1];
		pl->u.notify.len = len - 4 - p[1];
		return 0;
	case IKE_PL_DELETE:
		if (len < 4)
			return SYNTAX("truncated Delete payload");
		pl->u.del.protocol = p[0];
		pl->u.del.spi_size = p[1];
		pl->u.del.nspi = ike_get16(p + 2);
		pl->u.del.spis = p + 4;
		if ((size_t)p[1] * pl->u.del.nspi != len - 4)
			return SYNTAX("Delete payload length does not match its SPIs");
		if (p[0] == IKE_PROTO_IKE ? p[1] != 0 || pl->u.del.nspi != 0 :
		    p[1] != 4)
			return SYNTAX("Delete payload SPI size");
		return 0;
	case IKE_PL_TSI:
	case IKE_PL_TSR:
		return parse_ts(p, len, m, pl, e, off);
	case IKE_PL_SKF:
		if (len < 4)
			return SYNTAX("truncated SKF payload");
		pl->u.sk.number = ike_get16(p);
		pl->u.sk.total = ike_get16(p + 2);
		if (!pl->u.sk.number || pl->u.sk.number > pl->u.sk.total)
			return SYNTAX("SKF fragment number not in 1..total");
		pl->u.sk.data = p + 4;
		pl->u.sk.len = len - 4;
		return 0;
	case IKE_PL_SK:
		pl->u.sk.number = 0;
		pl->u.sk.total = 0;
		pl->u.sk.data = p;
		pl->u.sk.len = len;
		return 0;
	default:		/* Vendor ID, CERT, CERTREQ, CP, EAP, unknown */
		pl->u.raw.data = p;
		pl->u.raw.len = len;
		return 0;
	}
}

static bool known_type(uint8_t type)
{
	return (type >= IKE_PL_SA && type <= IKE_PL_EAP) || type == IKE_PL_SKF;
}

/* @base: offset of @buf in the datagram, for error reports. */
static int parse_chain_at(uint8_t first, const uint8_t *buf, size_t len,
			  struct ike_msg *m, struct ike_perr *e, size_t base)
{
	uint8_t type = first;
	size_t off = 0;

	while (type != IKE_PL_NONE) {
		struct ike_payload *pl;
		size_t plen;
		uint8_t next;

		if (len - off < IKE_GENERIC_HDR_LEN)
			return perr(e, IKE_ERR_SYNTAX, type, base + off,
				    "truncated payload header");
		next = buf[off];
		plen = ike_get16(buf + off + 2);
		if (plen < IKE_GENERIC_HDR_LEN || plen > len - off)
			return perr(e, IKE_ERR_SYNTAX, type, base + off,
				    "payload length out of bounds");
		if (m->npl >= IKE_MAX_PAYLOADS)
			return perr(e, IKE_ERR_LIMIT, type, base + off,
				    "too many payloads");
		pl = &m->pl[m->npl];
		memset(pl, 0, sizeof(*pl));
		pl->type = type;
		pl->critical = buf[off + 1] & 0x80;
		pl->body = buf + off + IKE_GENERIC_HDR_LEN;
		pl->len = plen - IKE_GENERIC_HDR_LEN;
		if (!known_type(type) && pl->critical)
			return perr(e, IKE_ERR_CRITICAL, type, base + off,
				    "unknown payload marked critical");
		if (parse_body(m, pl, e, base + off + IKE_GENERIC_HDR_LEN))
			return -1;
		m->npl++;
		off += plen;
		if (type == IKE_PL_SK || type == IKE_PL_SKF) {
			/* encrypted: its next field names the inner chain */
			pl->u.sk.inner = next;
			if (off != len)
				return perr(e, IKE_ERR_SYNTAX, type, base + off,
					    "payloads after the encrypted payload");
			return 0;
		}
		type = next;
	}
	if (off != len)
		return perr(e, IKE_ERR_SYNTAX, 0, base + off,
			    "data after the last payload");
	return 0;
}

int ike_parse_chain(uint8_t first, const uint8_t *buf, size_t len,
		    struct ike_msg *m, struct ike_perr *e)
{
	return parse_chain_at(first, buf, len, m, e, 0);
}

int ike_parse(const uint8_t *buf, size_t len, struct ike_msg *m,
	      struct ike_perr *e)
{
	struct ike_hdr *h = &m->hdr;

	m->npl = 0;
	m->nprop = 0;
	m->nts = 0;
	if (len < IKE_HDR_LEN)
		return perr(e, IKE_ERR_SHORT, 0, 0, "shorter than the IKE header");
	h->spi_i = ike_get64(buf);
	h->spi_r = ike_get64(buf + 8);
	h->next = buf[16];
	h->version = buf[17];
	h->exchange = buf[18];
	h->flags = buf[19];
	h->msgid = ike_get32(buf + 20);
	h->length = ike_get32(buf + 24);
	if ((h->version >> 4) != 2)
		return perr(e, IKE_ERR_VERSION, 0, 17, "major version not 2");
	if (h->length < IKE_HDR_LEN || h->length > len)
		return perr(e, IKE_ERR_SHORT, 0, 24,
			    "header length beyond the datagram");
	if (h->length != len)
		return perr(e, IKE_ERR_LENGTH, 0, 24,
			    "header length differs from the datagram's");
	return parse_chain_at(h->next, buf + IKE_HDR_LEN, len - IKE_HDR_LEN, m,
			      e, IKE_HDR_LEN);
}

const struct ike_payload *ike_find(const struct ike_msg *m, uint8_t type,
				   unsigned int from)
{
	unsigned int i;

	for (i = from; i < m->npl; i++)
		if (m->pl[i].type == type)
			return &m->pl[i];
	return NULL;
}

const struct ike_payload *ike_find_notify(const struct ike_msg *m,
					  uint16_t type)
{
	unsigned int i;

	for (i = 0; i < m->npl; i++)
		if (m->pl[i].type == IKE_PL_NOTIFY &&
		    m->pl[i].u.notify.type == type)
			return &m->pl[i];
	return NULL;
}

const char *ike_exchange_name(uint8_t exchange)
{
	switch (exchange) {
	case IKE_SA_INIT: return "IKE_SA_INIT";
	case IKE_AUTH: return "IKE_AUTH";
	case IKE_CREATE_CHILD_SA: return "CREATE_CHILD_SA";
	case IKE_INFORMATIONAL: return "INFORMATIONAL";
	case IKE_INTERMEDIATE: return "IKE_INTERMEDIATE";
	case IKE_FOLLOWUP_KE: return "IKE_FOLLOWUP_KE";
	default: return "unknown exchange";
	}
}

const char *ike_payload_name(uint8_t type)
{
	static const char *const names[] = {
		"SA", "KE", "IDi", "IDr", "CERT", "CERTREQ", "AUTH", "Nonce",
		"Notify", "Delete", "Vendor ID", "TSi", "TSr", "SK", "CP", "EAP",
	};

	if (type >= IKE_PL_SA && type <= IKE_PL_EAP)
		return names[type - IKE_PL_SA];
	if (type == IKE_PL_SKF)
		return "SKF";
	return type ? "unknown payload" : "none";
}

const char *ike_parse_err_name(enum ike_parse_err err)
{
	switch (err) {
	case IKE_OK: return "ok";
	case IKE_ERR_SHORT: return "truncated";
	case IKE_ERR_LENGTH: return "length mismatch";
	case IKE_ERR_VERSION: return "unsupported major version";
	case IKE_ERR_SYNTAX: return "invalid syntax";
	case IKE_ERR_CRITICAL: return "unsupported critical payload";
	case IKE_ERR_LIMIT: return "over the daemon's limits";
	}
	return "?";
}
