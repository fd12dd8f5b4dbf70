// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqiked's SK/SKF protection (user/pqiked/sk.h), for each AEAD: seal ->
 * parse -> open -> inner chain round trips, for SK and SKF; every single
 * flipped bit of the message (header, unencrypted payloads, SK header, IV,
 * ciphertext, ICV) makes open fail; so do a wrong key, a wrong salt and a
 * truncated payload. Prints "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "sk.h"
#include "wire.h"
#include "check.h"


/* A protected IKE_AUTH-like message; returns its length. */
static size_t seal_msg(const struct ike_aead *a, const uint8_t *key,
		       uint8_t *buf, size_t cap, uint16_t frag, size_t *off,
		       size_t *dlen, size_t *ilen)
{
	static const uint8_t auth[40] = { 1, 2, 3 };
	struct ike_hdr h = { .spi_i = 0x1122334455667788ULL, .spi_r = 0x99,
			     .exchange = IKE_AUTH, .flags = IKE_FLAG_INITIATOR,
			     .msgid = 1 };
	uint8_t inner[256];
	struct ike_builder b;

	ike_build_begin(&b, inner, sizeof(inner), &h);
	ike_put_id(&b, IKE_PL_IDI, 2, (const uint8_t *)"west", 4);
	ike_put_auth(&b, 2, auth, sizeof(auth));
	*ilen = ike_build_end(&b) - IKE_HDR_LEN;

	ike_build_begin(&b, buf, cap, &h);
	ike_put_notify(&b, 0, NULL, 0, IKE_N_INITIAL_CONTACT, NULL, 0);
	*dlen = *ilen + IKE_SK_OVERHEAD;
	*off = ike_put_sk(&b, IKE_PL_IDI, frag, frag ? 3 : 0, *dlen);
	memcpy(buf + *off + IKE_SK_IV_LEN, inner + IKE_HDR_LEN, *ilen);
	if (!ike_build_end(&b) || ike_sk_seal(a, key, 7, buf, *off, *dlen))
		return 0;
	return b.len;
}

static void test_aead(const char *name)
{
	const struct ike_aead *a = ike_aead_by_name(name);
	uint8_t key[36], buf[512], c[512];
	struct ike_msg m;
	struct ike_perr e;
	size_t len, off, dlen, ilen, got, i;
	unsigned int frag, accepted;

	CHECK(a != NULL, "%s: known", name);
	if (!a)
		return;
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 7 + 1);
	for (frag = 0; frag <= 2; frag += 2) {
		const char *what = frag ? "SKF" : "SK";

		len = seal_msg(a, key, buf, sizeof(buf), (uint16_t)frag, &off,
			       &dlen, &ilen);
		CHECK(len > 0, "%s %s: sealed", name, what);
		CHECK(ike_parse(buf, len, &m, &e) == 0 && m.npl == 2 &&
		      m.pl[1].u.sk.data == buf + off && m.pl[1].u.sk.len == dlen,
		      "%s %s: the sealed message parses", name, what);
		CHECK(ike_get64(buf + off) == 7, "%s %s: IV on the wire", name, what);
		memcpy(c, buf, len);
		CHECK(ike_sk_open(a, key, c, off, dlen, &got) == 0 && got == ilen,
		      "%s %s: opens, inner length %zu", name, what, got);
		CHECK(ike_parse_chain(IKE_PL_IDI, c + off + IKE_SK_IV_LEN, got, &m,
				      &e) == 0 && m.npl == 4 &&
		      m.pl[2].u.id.len == 4 && !memcmp(m.pl[2].u.id.data, "west", 4) &&
		      m.pl[3].u.auth.len == 40 && m.pl[3].u.auth.data[2] == 3,
		      "%s %s: inner payloads intact", name, what);
		/* every flipped bit anywhere in the message */
		accepted = 0;
		for (i = 0; i < len * 8; i++) {
			memcpy(c, buf, len);
			c[i / 8] ^= (uint8_t)(1u << (i % 8));
			if (ike_sk_open(a, key, c, off, dlen, &got) == 0)
				accepted++;
		}
		CHECK(accepted == 0, "%s %s: each of %zu flipped bits refused (%u accepted)",
		      name, what, len * 8, accepted);
		memcpy(c, buf, len);
		key[0] ^= 1;
		CHECK(ike_sk_open(a, key, c, off, dlen, &got) == -1, "%s %s: wrong key refused", name, what);
		key[0] ^= 1;
		key[a->key_len] ^= 1;
		memcpy(c, buf, len);
		CHECK(ike_sk_open(a, key, c, off, dlen, &got) == -1, "%s %s: wrong salt refused", name, what);
		key[a->key_len] ^= 1;
		memcpy(c, buf, len);
		CHECK(ike_sk_open(a, key, c, off, IKE_SK_OVERHEAD - 1, &got) == -1,
		      "%s %s: too short refused", name, what);
		/* a different IV gives a different ciphertext */
		memcpy(c, buf, len);
		{
			size_t l2 = seal_msg(a, key, c, sizeof(c), (uint16_t)frag,
					     &off, &dlen, &ilen);

			ike_sk_seal(a, key, 8, c, off, dlen);
			CHECK(l2 == len && memcmp(c + off + 8, buf + off + 8, dlen - 8),
			      "%s %s: the IV changes the ciphertext", name, what);
		}
	}
}

int main(void)
{
	test_aead("aes128gcm16");
	test_aead("aes256gcm16");
	test_aead("chacha20poly1305");
	CHECK(ike_aead_find(IKE_ENCR_AES_GCM_16, 192) == NULL, "AES-GCM-192 not offered");
	CHECK(ike_aead_find(IKE_ENCR_AES_GCM_16, 256) == ike_aead_by_name("aes256gcm16"),
	      "lookup by transform and by name agree");
	return check_summary();
}
