// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's wire layer (user/pqiked/wire.h): build -> parse round trips of
 * every payload type, and refusals of malformed messages: each truncation
 * of a valid message, every bad length field, critical unknown payloads,
 * payloads after SK, the daemon's limits. Built with ASan+UBSan.
 * Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "check.h"


static uint8_t nonce_i[32], ke_data[1184], vid[5] = "pqrek";

static const struct ike_hdr hdr = {
	.spi_i = 0x0102030405060708ULL, .spi_r = 0,
	.exchange = IKE_SA_INIT, .flags = IKE_FLAG_INITIATOR, .msgid = 0,
};

/* x25519 + ADDKE1 ML-KEM-768 and a second proposal with AES-GCM-128. */
static void proposals(struct ike_proposal *p)
{
	memset(p, 0, 2 * sizeof(*p));
	p[0] = (struct ike_proposal){
		.num = 1, .protocol = IKE_PROTO_IKE, .ntrans = 5,
		.trans = {
			{ IKE_TRANS_ENCR, 20, 256 },	/* AES-GCM-16 */
			{ IKE_TRANS_PRF, 6, 0 },
			{ IKE_TRANS_KE, 31, 0 },
			{ IKE_TRANS_ADDKE1, 36, 0 },
			{ IKE_TRANS_ADDKE1 + 1, 0, 0 },	/* ADDKE2: NONE */
		},
	};
	p[1] = (struct ike_proposal){
		.num = 2, .protocol = IKE_PROTO_ESP, .spi_size = 4,
		.spi = { 0xc0, 0xff, 0xee, 0x01 }, .ntrans = 2,
		.trans = { { IKE_TRANS_ENCR, 20, 128 }, { IKE_TRANS_ESN, 0, 0 } },
	};
}

static size_t build_init(uint8_t *buf, size_t cap)
{
	struct ike_builder b;
	struct ike_proposal p[2];
	struct ike_ts ts = {
		.type = IKE_TS_IPV4_ADDR_RANGE, .ip_proto = 0,
		.start_port = 0, .end_port = 65535,
		.start = { 10, 1, 0, 0 }, .end = { 10, 1, 255, 255 },
	};
	struct ike_ts ts6 = {
		.type = IKE_TS_IPV6_ADDR_RANGE, .ip_proto = 17,
		.start_port = 500, .end_port = 4500,
		.start = { 0x20, 0x01, 0x0d, 0xb8 }, .end = { 0x20, 0x01, 0x0d, 0xb9 },
	};
	struct ike_ts two[2] = { ts, ts6 };
	uint8_t spis[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	proposals(p);
	ike_build_begin(&b, buf, cap, &hdr);
	ike_put_sa(&b, p, 2);
	ike_put_ke(&b, 31, ke_data, 32);
	ike_put_raw(&b, IKE_PL_NONCE, false, nonce_i, sizeof(nonce_i));
	ike_put_notify(&b, 0, NULL, 0, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED, NULL, 0);
	ike_put_notify(&b, IKE_PROTO_ESP, spis, 4, IKE_N_REKEY_SA, NULL, 0);
	ike_put_raw(&b, IKE_PL_VENDOR, false, vid, sizeof(vid));
	ike_put_id(&b, IKE_PL_IDI, 2, (const uint8_t *)"gw.example", 10);
	ike_put_auth(&b, 2, nonce_i, 32);
	ike_put_ts(&b, IKE_PL_TSI, two, 2);
	ike_put_ts(&b, IKE_PL_TSR, &ts, 1);
	ike_put_delete(&b, IKE_PROTO_ESP, 4, spis, 2);
	ike_put_ke(&b, 36, ke_data, sizeof(ke_data));
	return ike_build_end(&b);
}

static void test_round_trip(void)
{
	static uint8_t buf[4096];
	static struct ike_msg m;
	struct ike_proposal p[2];
	struct ike_perr e;
	const struct ike_payload *pl;
	size_t len = build_init(buf, sizeof(buf));
	unsigned int i;

	proposals(p);
	CHECK(len > 1200, "round trip: built %zu bytes", len);
	CHECK(ike_parse(buf, len, &m, &e) == 0, "round trip: parses (%s at %zu: %s)",
	      ike_parse_err_name(e.err), e.offset, e.what);
	CHECK(m.hdr.spi_i == hdr.spi_i && m.hdr.spi_r == 0 &&
	      m.hdr.exchange == IKE_SA_INIT && m.hdr.flags == IKE_FLAG_INITIATOR &&
	      m.hdr.version == IKE_VERSION && m.hdr.length == len,
	      "round trip: header fields");
	CHECK(m.npl == 12, "round trip: 12 payloads, got %u", m.npl);
	CHECK(m.nprop == 2, "round trip: 2 proposals");
	for (i = 0; i < 2 && m.nprop == 2; i++) {
		unsigned int j;
		bool same = m.prop[i].num == p[i].num &&
			    m.prop[i].protocol == p[i].protocol &&
			    m.prop[i].spi_size == p[i].spi_size &&
			    !memcmp(m.prop[i].spi, p[i].spi, p[i].spi_size) &&
			    m.prop[i].ntrans == p[i].ntrans;

		for (j = 0; same && j < p[i].ntrans; j++)
			same = m.prop[i].trans[j].type == p[i].trans[j].type &&
			       m.prop[i].trans[j].id == p[i].trans[j].id &&
			       m.prop[i].trans[j].keylen == p[i].trans[j].keylen;
		CHECK(same, "round trip: proposal %u and its transforms", i + 1);
	}
	pl = ike_find(&m, IKE_PL_KE, 0);
	CHECK(pl && pl->u.ke.group == 31 && pl->u.ke.len == 32 &&
	      !memcmp(pl->u.ke.data, ke_data, 32), "round trip: first KE");
	pl = pl ? ike_find(&m, IKE_PL_KE, (unsigned int)(pl - m.pl) + 1) : NULL;
	CHECK(pl && pl->u.ke.group == 36 && pl->u.ke.len == sizeof(ke_data),
	      "round trip: ML-KEM-768 KE of 1184 bytes");
	pl = ike_find(&m, IKE_PL_NONCE, 0);
	CHECK(pl && pl->u.raw.len == 32 && !memcmp(pl->u.raw.data, nonce_i, 32),
	      "round trip: nonce");
	pl = ike_find_notify(&m, IKE_N_REKEY_SA);
	CHECK(pl && pl->u.notify.protocol == IKE_PROTO_ESP &&
	      pl->u.notify.spi_size == 4 && pl->u.notify.spi[3] == 4 &&
	      pl->u.notify.len == 0, "round trip: REKEY_SA notify with SPI");
	CHECK(ike_find_notify(&m, IKE_N_IKEV2_FRAGMENTATION_SUPPORTED) != NULL,
	      "round trip: fragmentation notify");
	pl = ike_find(&m, IKE_PL_IDI, 0);
	CHECK(pl && pl->u.id.type == 2 && pl->u.id.len == 10 &&
	      !memcmp(pl->u.id.data, "gw.example", 10), "round trip: IDi");
	pl = ike_find(&m, IKE_PL_AUTH, 0);
	CHECK(pl && pl->u.auth.method == 2 && pl->u.auth.len == 32, "round trip: AUTH");
	pl = ike_find(&m, IKE_PL_TSI, 0);
	CHECK(pl && pl->u.ts.count == 2 &&
	      m.ts[pl->u.ts.first].start[1] == 1 &&
	      m.ts[pl->u.ts.first].end_port == 65535 &&
	      m.ts[pl->u.ts.first + 1].type == IKE_TS_IPV6_ADDR_RANGE &&
	      m.ts[pl->u.ts.first + 1].ip_proto == 17 &&
	      m.ts[pl->u.ts.first + 1].end[3] == 0xb9, "round trip: TSi (v4 and v6)");
	pl = ike_find(&m, IKE_PL_DELETE, 0);
	CHECK(pl && pl->u.del.protocol == IKE_PROTO_ESP && pl->u.del.nspi == 2 &&
	      pl->u.del.spis[7] == 8, "round trip: Delete");
	pl = ike_find(&m, IKE_PL_VENDOR, 0);
	CHECK(pl && pl->u.raw.len == 5, "round trip: Vendor ID");

	/* Every truncation, and every length of the header, is refused. */
	{
		unsigned int bad = 0;
		size_t n;

		for (n = 0; n < len; n++)
			if (ike_parse(buf, n, &m, &e) == 0)
				bad++;
		CHECK(bad == 0, "every truncation refused (%u accepted)", bad);
	}
}

/* SK at the end, inner chain, SKF numbering. */
static void test_sk(void)
{
	uint8_t buf[512], inner[256];
	struct ike_builder b;
	struct ike_msg m;
	struct ike_perr e;
	struct ike_hdr h = hdr;
	size_t len, at, ilen;
	const struct ike_payload *pl;

	h.exchange = IKE_AUTH;
	h.msgid = 1;
	/* inner chain: IDi, AUTH */
	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_id(&b, IKE_PL_IDI, 2, (const uint8_t *)"a", 1);
	ike_put_auth(&b, 2, nonce_i, 20);
	ilen = ike_build_end(&b) - IKE_HDR_LEN;

	ike_build_begin(&b, buf, sizeof(buf), &h);
	ike_put_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	at = ike_put_sk(&b, IKE_PL_IDI, 0, 0, 16 + ilen + 16);
	len = ike_build_end(&b);
	CHECK(at && len == at + 16 + ilen + 16, "SK: built, data offset %zu", at);
	memcpy(buf + at + 16, inner + IKE_HDR_LEN, ilen);
	CHECK(ike_parse(buf, len, &m, &e) == 0 && m.npl == 2, "SK: parses");
	pl = ike_find(&m, IKE_PL_SK, 0);
	CHECK(pl && pl->u.sk.inner == IKE_PL_IDI && pl->u.sk.len == 32 + ilen &&
	      pl->u.sk.data == buf + at, "SK: inner type, data and length");
	if (pl) {
		CHECK(ike_parse_chain(pl->u.sk.inner, pl->u.sk.data + 16, ilen, &m,
				      &e) == 0 && m.npl == 4 &&
		      m.pl[3].type == IKE_PL_AUTH && m.pl[3].u.auth.len == 20,
		      "SK: inner chain parses and appends");
	}

	/* a payload after SK */
	ike_build_begin(&b, buf, sizeof(buf), &h);
	ike_put_sk(&b, IKE_PL_NONE, 0, 0, 32);
	len = ike_build_end(&b);
	buf[IKE_HDR_LEN] = IKE_PL_NONCE;	/* SK's next is not a sibling */
	CHECK(ike_parse(buf, len, &m, &e) == 0, "SK: next-payload names the inner chain only");
	{
		uint8_t two[512];

		memcpy(two, buf, len);
		/* append a Vendor ID and claim it follows: must fail */
		two[len] = 0;
		two[len + 1] = 0;
		ike_set16(two + len + 2, 8);
		memcpy(two + len + 4, "abcd", 4);
		ike_set32(two + 24, (uint32_t)len + 8);
		CHECK(ike_parse(two, len + 8, &m, &e) == -1 && e.err == IKE_ERR_SYNTAX,
		      "SK: data after the encrypted payload refused");
	}

	/* SKF 2 of 3 */
	ike_build_begin(&b, buf, sizeof(buf), &h);
	at = ike_put_sk(&b, IKE_PL_NONE, 2, 3, 40);
	len = ike_build_end(&b);
	CHECK(ike_parse(buf, len, &m, &e) == 0 && m.pl[0].type == IKE_PL_SKF &&
	      m.pl[0].u.sk.number == 2 && m.pl[0].u.sk.total == 3 &&
	      m.pl[0].u.sk.len == 40 && m.pl[0].u.sk.data == buf + at,
	      "SKF: number, total, data");
	ike_set16(buf + IKE_HDR_LEN + 4, 4);	/* fragment 4 of 3 */
	CHECK(ike_parse(buf, len, &m, &e) == -1, "SKF: number beyond total refused");
	ike_set16(buf + IKE_HDR_LEN + 4, 0);
	CHECK(ike_parse(buf, len, &m, &e) == -1, "SKF: number 0 refused");
}

static void test_malformed(void)
{
	uint8_t buf[4096], c[4096];
	struct ike_msg *m = malloc(sizeof(*m));
	struct ike_perr e;
	size_t len = build_init(buf, sizeof(buf));
	size_t off, n_len = 0, accepted = 0;

	if (!m)
		abort();
	/* version 3 */
	memcpy(c, buf, len);
	c[17] = 0x30;
	CHECK(ike_parse(c, len, m, &e) == -1 && e.err == IKE_ERR_VERSION,
	      "major version 3 refused as such");
	/* header length one short / one long of the datagram */
	memcpy(c, buf, len);
	ike_set32(c + 24, (uint32_t)len - 1);
	CHECK(ike_parse(c, len, m, &e) == -1 && e.err == IKE_ERR_LENGTH,
	      "header length shorter than the datagram");
	ike_set32(c + 24, (uint32_t)len + 1);
	CHECK(ike_parse(c, len, m, &e) == -1 && e.err == IKE_ERR_SHORT,
	      "header length longer than the datagram");
	/* every payload length field +1 and -1 */
	for (off = IKE_HDR_LEN; off + 4 <= len;) {
		uint16_t pl = ike_get16(buf + off + 2);
		int d;

		for (d = -1; d <= 1; d += 2) {
			memcpy(c, buf, len);
			ike_set16(c + off + 2, (uint16_t)(pl + d));
			n_len++;
			if (ike_parse(c, len, m, &e) == 0)
				accepted++;
		}
		off += pl;
	}
	CHECK(n_len == 24 && accepted == 0,
	      "each payload length +-1 refused (%zu of %zu accepted)", accepted, n_len);
	/* an unknown payload type, critical and not */
	{
		struct ike_builder b;
		uint8_t x[64];
		size_t l;

		ike_build_begin(&b, x, sizeof(x), &hdr);
		ike_put_raw(&b, 200, true, x, 4);
		l = ike_build_end(&b);
		CHECK(ike_parse(x, l, m, &e) == -1 && e.err == IKE_ERR_CRITICAL &&
		      e.payload == 200, "unknown critical payload refused, named");
		ike_build_begin(&b, x, sizeof(x), &hdr);
		ike_put_raw(&b, 200, false, x, 4);
		l = ike_build_end(&b);
		CHECK(ike_parse(x, l, m, &e) == 0 && m->npl == 1,
		      "unknown non-critical payload skipped");
	}
	/* a nonce of 15 bytes */
	{
		struct ike_builder b;
		uint8_t x[64];
		size_t l;

		ike_build_begin(&b, x, sizeof(x), &hdr);
		ike_put_raw(&b, IKE_PL_NONCE, false, nonce_i, 15);
		l = ike_build_end(&b);
		CHECK(ike_parse(x, l, m, &e) == -1 && e.err == IKE_ERR_SYNTAX,
		      "15-byte nonce refused");
	}
	/* proposal numbered 2 first */
	{
		struct ike_builder b;
		struct ike_proposal p[2];
		uint8_t x[256];
		size_t l;

		proposals(p);
		p[0].num = 2;
		ike_build_begin(&b, x, sizeof(x), &hdr);
		ike_put_sa(&b, p, 1);
		l = ike_build_end(&b);
		CHECK(ike_parse(x, l, m, &e) == -1, "proposal not numbered from 1 refused");
	}
	/* more payloads than IKE_MAX_PAYLOADS */
	{
		struct ike_builder b;
		uint8_t x[1024];
		size_t l;
		int i;

		ike_build_begin(&b, x, sizeof(x), &hdr);
		for (i = 0; i <= IKE_MAX_PAYLOADS; i++)
			ike_put_raw(&b, IKE_PL_VENDOR, false, vid, 1);
		l = ike_build_end(&b);
		CHECK(l && ike_parse(x, l, m, &e) == -1 && e.err == IKE_ERR_LIMIT,
		      "more than %d payloads refused as over the limit", IKE_MAX_PAYLOADS);
	}
	/* builder overflow is sticky */
	{
		struct ike_builder b;
		uint8_t x[40];

		ike_build_begin(&b, x, sizeof(x), &hdr);
		ike_put_raw(&b, IKE_PL_NONCE, false, nonce_i, 32);
		ike_put_raw(&b, IKE_PL_VENDOR, false, vid, 1);
		CHECK(ike_build_end(&b) == 0, "builder overflow reported");
	}
	/*
	 * Mutations of the valid message (ASan watches the reads): whatever
	 * is accepted must still describe the buffer exactly, every payload
	 * inside it and the chain covering it.
	 */
	{
		unsigned int i, seed = 1, ok_count = 0, broken = 0;

		for (i = 0; i < 20000; i++) {
			size_t k, covered = IKE_HDR_LEN;
			unsigned int j, flips = 1 + i % 4;

			memcpy(c, buf, len);
			for (j = 0; j < flips; j++) {
				seed = seed * 1103515245u + 12345u;
				k = IKE_HDR_LEN + (seed >> 8) % (len - IKE_HDR_LEN);
				c[k] ^= (uint8_t)(1u << ((seed >> 4) & 7));
			}
			if (ike_parse(c, len, m, &e))
				continue;
			ok_count++;
			for (j = 0; j < m->npl; j++) {
				const struct ike_payload *p = &m->pl[j];

				if (p->body < c + IKE_HDR_LEN ||
				    p->body + p->len > c + len)
					broken++;
				covered += IKE_GENERIC_HDR_LEN + p->len;
			}
			if (covered != len)
				broken++;
		}
		CHECK(broken == 0 && ok_count > 0,
		      "20000 mutated messages: %u accepted, %u inconsistent",
		      ok_count, broken);
	}
	free(m);
}

int main(void)
{
	memset(nonce_i, 0x4e, sizeof(nonce_i));
	memset(ke_data, 0x6b, sizeof(ke_data));
	test_round_trip();
	test_sk();
	test_malformed();
	return check_summary();
}
