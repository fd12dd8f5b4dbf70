// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's proposals (user/pqiked/proposal.h): strongSwan strings parsed
 * and formatted back, refused strings named, the responder's selection
 * (our preference, ADDKE with and without NONE, the downgrade case) and
 * the initiator's check of the responder's choice, also after a trip
 * through an SA payload. Prints "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "ke.h"
#include "proposal.h"
#include "check.h"


static struct ike_proposal P(const char *s, uint8_t proto)
{
	struct ike_proposal p;
	char err[200];

	if (ike_prop_parse(s, proto, &p, err, sizeof(err))) {
		printf("not ok - parse '%s': %s\n", s, err);
		fail++;
		memset(&p, 0, sizeof(p));
	}
	return p;
}

static void test_strings(void)
{
	static const char *const ok[] = {
		"aes256gcm16-prfsha384-x25519-ke1_mlkem768",
		"aes128gcm16-aes256gcm16-prfsha256-ecp256-x25519",
		"chacha20poly1305-prfsha512-mlkem512",
		"aes256gcm16-prfsha384-x25519-ke1_mlkem1024-ke2_mlkem512-ke2_none",
		"aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_frodo976aes",
		"aes256gcm16-prfsha512-ecp256-ke1_frodo1344shake-ke1_frodo976shake-ke2_frodo1344aes",
	};
	static const struct { const char *s; const char *msg; } bad[] = {
		{ "aes256gcm16-prfsha384-x448", "unknown algorithm 'x448'" },
		{ "aes256gcm16-x25519", "no PRF" },
		{ "prfsha256-x25519", "no encryption algorithm" },
		{ "aes256gcm16-prfsha256", "no key exchange method" },
		{ "aes256gcm16-prfsha256-x25519-ke8_mlkem768", "unknown algorithm 'ke8_mlkem768'" },
		{ "aes256gcm16-prfsha256-x25519-esn", "ESP proposals only" },
		{ "aes256gcm16-prfsha256-frodo976aes", "FrodoKEM only as an additional exchange" },
	};
	struct ike_proposal p;
	char buf[256], err[256];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		p = P(ok[i], IKE_PROTO_IKE);
		ike_prop_format(&p, buf, sizeof(buf));
		CHECK(!strcmp(buf, ok[i]), "'%s' formats back, got '%s'", ok[i], buf);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(ike_prop_parse(bad[i].s, IKE_PROTO_IKE, &p, err, sizeof(err)) == -1 &&
		      strstr(err, bad[i].msg), "'%s' refused with '%s': got '%s'",
		      bad[i].s, bad[i].msg, err);
	p = P("aes256gcm16-x25519-ke1_mlkem768", IKE_PROTO_ESP);
	ike_prop_format(&p, buf, sizeof(buf));
	CHECK(!strcmp(buf, "aes256gcm16-x25519-ke1_mlkem768-noesn"),
	      "ESP without esn gets noesn, got '%s'", buf);
	CHECK(ike_prop_parse("aes256gcm16-prfsha256-x25519", IKE_PROTO_ESP, &p, err,
			     sizeof(err)) == -1, "a PRF in ESP refused");
}

static void test_select(void)
{
	struct ike_proposal mine[2], peer[2], c;
	char buf[256];

	/* identical */
	mine[0] = P("aes256gcm16-prfsha384-x25519-ke1_mlkem768", IKE_PROTO_IKE);
	peer[0] = mine[0];
	CHECK(!ike_prop_select(mine, 1, peer, 1, &c), "identical proposals match");
	ike_prop_format(&c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "aes256gcm16-prfsha384-x25519-ke1_mlkem768"), "chosen '%s'", buf);
	CHECK(ike_prop_has_mlkem(&c), "chosen has ML-KEM");
	CHECK(ike_prop_valid_choice(peer, 1, &c), "the initiator accepts the choice");

	/* our preference wins */
	mine[0] = P("aes128gcm16-aes256gcm16-prfsha256-x25519-ecp256", IKE_PROTO_IKE);
	peer[0] = P("aes256gcm16-aes128gcm16-prfsha256-ecp256-x25519", IKE_PROTO_IKE);
	ike_prop_select(mine, 1, peer, 1, &c);
	ike_prop_format(&c, buf, sizeof(buf));
	CHECK(!strcmp(buf, "aes128gcm16-prfsha256-x25519"), "our order of preference: '%s'", buf);

	/* optional ADDKE (NONE offered), we have none: omitted */
	mine[0] = P("aes256gcm16-prfsha256-x25519", IKE_PROTO_IKE);
	peer[0] = P("aes256gcm16-prfsha256-x25519-ke1_mlkem768-ke1_none", IKE_PROTO_IKE);
	CHECK(!ike_prop_select(mine, 1, peer, 1, &c) && c.ntrans == 3 &&
	      !ike_prop_has_mlkem(&c), "optional ADDKE1 left out by a classical responder");
	CHECK(ike_prop_valid_choice(peer, 1, &c), "the initiator accepts NONE for ADDKE1");
	/* mandatory ADDKE, classical responder: no match */
	peer[0] = P("aes256gcm16-prfsha256-x25519-ke1_mlkem768", IKE_PROTO_IKE);
	CHECK(ike_prop_select(mine, 1, peer, 1, &c) == -1,
	      "mandatory ADDKE1 against a classical responder: NO_PROPOSAL_CHOSEN");
	/* we require ML-KEM, the peer offers none: no match (downgrade) */
	mine[0] = P("aes256gcm16-prfsha256-x25519-ke1_mlkem768", IKE_PROTO_IKE);
	peer[0] = P("aes256gcm16-prfsha256-x25519", IKE_PROTO_IKE);
	CHECK(ike_prop_select(mine, 1, peer, 1, &c) == -1,
	      "a peer without ML-KEM does not match a proposal requiring it");
	/* second proposal of ours matches the peer's second */
	mine[0] = P("aes256gcm16-prfsha384-x25519-ke1_mlkem1024", IKE_PROTO_IKE);
	mine[1] = P("aes128gcm16-prfsha256-ecp256-ke1_mlkem768-ke2_mlkem512", IKE_PROTO_IKE);
	mine[1].num = 2;
	peer[0] = P("chacha20poly1305-prfsha512-x25519", IKE_PROTO_IKE);
	peer[1] = P("aes128gcm16-prfsha256-ecp256-ke1_mlkem768-ke2_mlkem512-ke2_none", IKE_PROTO_IKE);
	peer[1].num = 2;
	CHECK(!ike_prop_select(mine, 2, peer, 2, &c) && c.num == 2 &&
	      ike_prop_get(&c, IKE_TRANS_ADDKE1) == IKE_KE_MLKEM768 &&
	      ike_prop_get(&c, IKE_TRANS_ADDKE1 + 1) == IKE_KE_MLKEM512,
	      "two additional exchanges chosen from the peer's proposal 2");
	CHECK(ike_prop_valid_choice(peer, 2, &c), "valid choice of proposal 2");

	/* the initiator's check */
	c = P("aes256gcm16-prfsha384-x25519-ke1_mlkem768", IKE_PROTO_IKE);
	peer[0] = c;
	c.trans[2].id = IKE_KE_ECP256;
	CHECK(!ike_prop_valid_choice(peer, 1, &c), "a transform not offered refused");
	c = peer[0];
	c.trans[c.ntrans++] = c.trans[0];
	CHECK(!ike_prop_valid_choice(peer, 1, &c), "two transforms of one type refused");
	c = peer[0];
	c.ntrans = 3;	/* ADDKE1 left out, NONE not offered */
	CHECK(!ike_prop_valid_choice(peer, 1, &c), "a mandatory ADDKE left out refused");
	c = peer[0];
	c.num = 2;
	CHECK(!ike_prop_valid_choice(peer, 1, &c), "a proposal number not offered refused");
	c = P("aes256gcm16-noesn", IKE_PROTO_ESP);
	CHECK(!ike_prop_valid_choice(peer, 1, &c), "another protocol refused");
}

static void test_wire(void)
{
	struct ike_proposal mine[2], c;
	struct ike_builder b;
	struct ike_hdr h = { .spi_i = 1, .exchange = IKE_SA_INIT };
	static struct ike_msg m;
	struct ike_perr e;
	uint8_t buf[1024];
	size_t len;

	mine[0] = P("aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_mlkem1024-ke2_none", IKE_PROTO_IKE);
	mine[1] = P("chacha20poly1305-prfsha256-ecp256", IKE_PROTO_IKE);
	mine[1].num = 2;
	ike_build_begin(&b, buf, sizeof(buf), &h);
	ike_put_sa(&b, mine, 2);
	len = ike_build_end(&b);
	CHECK(len && !ike_parse(buf, len, &m, &e) && m.nprop == 2,
	      "proposals through an SA payload");
	CHECK(!ike_prop_select(mine, 2, m.prop, m.nprop, &c) &&
	      ike_prop_valid_choice(mine, 2, &c) && c.num == 1 &&
	      ike_prop_get(&c, IKE_TRANS_ADDKE1 + 1) == IKE_KE_MLKEM1024,
	      "selection from parsed proposals");
}

int main(void)
{
	test_strings();
	test_select();
	test_wire();
	return check_summary();
}
