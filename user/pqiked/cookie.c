// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * RFC 7296 2.6 cookies (cookie.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cookie.h"
#include "keymat.h"
#include "sa.h"

void ike_cookie_rotate(struct ike_cookies *c)
{
	if (c->ready)
		c->version++;
	c->ready = true;
	if (RAND_bytes(c->secret[c->version & 1], 32) != 1)
		abort();	/* no randomness: nothing safe to do */
}

void ike_cookie_wipe(struct ike_cookies *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

int ike_cookie_make(const struct ike_cookies *c, uint8_t version,
		    const uint8_t *ni, size_t ni_len, uint32_t ip,
		    uint64_t spi_i, uint8_t *out)
{
	const struct ike_prf *prf = ike_prf_by_id(IKE_PRF_HMAC_SHA2_256);
	uint8_t spi[8];
	struct ike_iov in[3] = {
		{ ni, ni_len }, { (const uint8_t *)&ip, sizeof(ip) }, { spi, 8 },
	};

	ike_set64(spi, spi_i);
	out[0] = version;
	return prf ? ike_prf(prf, c->secret[version & 1], 32, in, 3, out + 1) : -1;
}

static bool valid(const struct ike_cookies *c, const struct ike_payload *n,
		  const uint8_t *ni, size_t ni_len, uint32_t ip, uint64_t spi_i)
{
	uint8_t want[IKE_COOKIE_LEN];
	bool ok;

	if (n->u.notify.len != IKE_COOKIE_LEN)
		return false;
	/* the current secret or the one before it */
	if (n->u.notify.data[0] != c->version &&
	    n->u.notify.data[0] != (uint8_t)(c->version - 1))
		return false;
	if (ike_cookie_make(c, n->u.notify.data[0], ni, ni_len, ip, spi_i, want))
		return false;
	ok = !CRYPTO_memcmp(want, n->u.notify.data, IKE_COOKIE_LEN);
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

enum ike_cookie_verdict ike_cookie_gate(const struct ike_cookies *c,
					const uint8_t *buf, size_t len,
					uint32_t ip, bool required,
					struct ike_out *out)
{
	static struct ike_msg m;	/* the daemon is single-threaded */
	const struct ike_payload *ni;
	uint8_t cookie[IKE_COOKIE_LEN];
	struct ike_builder b;
	struct ike_hdr h;
	struct ike_perr e;

	if (!required)
		return IKE_COOKIE_ACCEPT;
	if (ike_parse(buf, len, &m, &e) || m.hdr.exchange != IKE_SA_INIT ||
	    (m.hdr.flags & IKE_FLAG_RESPONSE) || m.hdr.spi_r || m.hdr.msgid)
		return IKE_COOKIE_DROP;
	ni = ike_find(&m, IKE_PL_NONCE, 0);
	if (!ni)
		return IKE_COOKIE_DROP;
	if (m.npl && m.pl[0].type == IKE_PL_NOTIFY &&
	    m.pl[0].u.notify.type == IKE_N_COOKIE &&
	    valid(c, &m.pl[0], ni->u.raw.data, ni->u.raw.len, ip, m.hdr.spi_i))
		return IKE_COOKIE_ACCEPT;
	/* no cookie, or not ours (RFC 7296 2.6: as if there were none) */
	if (ike_cookie_make(c, c->version, ni->u.raw.data, ni->u.raw.len, ip,
			    m.hdr.spi_i, cookie))
		return IKE_COOKIE_DROP;
	h = (struct ike_hdr){ .spi_i = m.hdr.spi_i, .exchange = IKE_SA_INIT,
			      .flags = IKE_FLAG_RESPONSE };
	memset(out, 0, sizeof(*out));
	ike_build_begin(&b, out->msg, sizeof(out->msg), &h);
	ike_put_notify(&b, 0, NULL, 0, IKE_N_COOKIE, cookie, sizeof(cookie));
	out->len = ike_build_end(&b);
	return out->len ? IKE_COOKIE_REPLY : IKE_COOKIE_DROP;
}
