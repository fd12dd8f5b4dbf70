/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * RFC 7296 2.6 cookies: under load the responder answers an IKE_SA_INIT
 * request with a COOKIE notify instead of state and key-exchange work, and
 * goes on only with a request that returns it. A cookie is a version byte
 * and HMAC-SHA-256(secret, Ni | IPi | SPIi); the secret is random and
 * replaced every IKE_COOKIE_ROTATE_MS, the previous one still accepted.
 * ike_cookie_gate() judges a request from its bytes alone: no SA exists
 * before it says so.
 */
#ifndef PQIKED_COOKIE_H
#define PQIKED_COOKIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IKE_COOKIE_LEN		33	/* version || HMAC-SHA-256 */
#define IKE_COOKIE_MAX_LEN	64	/* RFC 7296 3.10.1: 1..64 bytes */
#define IKE_COOKIE_ROTATE_MS	(120 * 1000)

struct ike_cookies {
	uint8_t secret[2][32];	/* [version & 1] */
	uint8_t version;	/* of the current secret */
	bool ready;		/* a secret was made */
};

struct ike_out;

/* A new random secret (first call), or the next one (the old stays valid). */
void ike_cookie_rotate(struct ike_cookies *c);
/* The cookie for a request into @out (IKE_COOKIE_LEN bytes); 0 or -1. */
int ike_cookie_make(const struct ike_cookies *c, uint8_t version,
		    const uint8_t *ni, size_t ni_len, uint32_t ip,
		    uint64_t spi_i, uint8_t *out);
void ike_cookie_wipe(struct ike_cookies *c);

enum ike_cookie_verdict {
	IKE_COOKIE_ACCEPT,	/* go on: set up an SA */
	IKE_COOKIE_REPLY,	/* send @out (the COOKIE) and forget it */
	IKE_COOKIE_DROP,	/* not a request we can answer */
};

/*
 * An IKE_SA_INIT request from IPv4 address @ip (network order): with
 * @required, accepted only if its first payload is a COOKIE notify that we
 * made for its Ni, @ip and SPIi; otherwise the answer with a fresh cookie
 * goes to @out.
 */
enum ike_cookie_verdict ike_cookie_gate(const struct ike_cookies *c,
					const uint8_t *buf, size_t len,
					uint32_t ip, bool required,
					struct ike_out *out);

#endif /* PQIKED_COOKIE_H */
