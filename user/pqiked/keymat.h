/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKEv2 key schedule, all of it in one place (keymat.c): the PRFs,
 * prf+, SKEYSEED for IKE_SA_INIT (RFC 7296 2.14), its update after each
 * additional key exchange (RFC 9370 2.2.2), IKE SA rekeying (RFC 7296
 * 2.18, RFC 9370 2.2.4), Child SA KEYMAT (RFC 7296 2.17, RFC 9370 2.2.4)
 * and IntAuth (RFC 9242 3.3.2). No I/O, no SA state: inputs in, keys out.
 * Inputs that the RFCs concatenate are passed as lists of pieces (struct
 * ike_iov), so that secrets are never copied into temporary buffers.
 * Every function returns 0 or -1 (a PRF failure or a length out of range).
 */
#ifndef PQIKED_KEYMAT_H
#define PQIKED_KEYMAT_H

#include <stddef.h>
#include <stdint.h>

/* Transform type 2 ids. */
enum ike_prf_id {
	IKE_PRF_HMAC_SHA2_256 = 5,
	IKE_PRF_HMAC_SHA2_384 = 6,
	IKE_PRF_HMAC_SHA2_512 = 7,
};

#define IKE_PRF_MAX_LEN		64
#define IKE_PRF_PLUS_MAX_BLOCKS	255
#define IKE_MAX_ENCR_KEY	36	/* AES-256 key + 4-byte GCM salt */
#define IKE_MAX_KE		8	/* the initial exchange + ADDKE1..7 */

struct ike_prf {
	uint16_t id;
	const char *name;	/* "prfsha256", as in strongSwan proposals */
	const char *md;		/* OpenSSL digest name */
	size_t len;		/* output and preferred key length */
};

const struct ike_prf *ike_prf_by_id(uint16_t id);

struct ike_iov {
	const uint8_t *p;
	size_t n;
};

int ike_prf(const struct ike_prf *prf, const uint8_t *key, size_t keylen,
	    const struct ike_iov *in, unsigned int nin, uint8_t *out);

/* prf+ (RFC 7296 2.13): @outlen at most 255 * prf->len bytes. */
int ike_prf_plus(const struct ike_prf *prf, const uint8_t *key,
		 size_t keylen, const struct ike_iov *seed, unsigned int nseed,
		 uint8_t *out, size_t outlen);

/*
 * The keys of an IKE SA: SK_d, SK_ai, SK_ar, SK_ei, SK_er, SK_pi, SK_pr.
 * @integ_len is 0 with an AEAD; @encr_len includes an AEAD's salt.
 */
struct ike_sa_keys {
	const struct ike_prf *prf;
	size_t integ_len, encr_len;
	uint8_t skeyseed[IKE_PRF_MAX_LEN];
	uint8_t d[IKE_PRF_MAX_LEN];
	uint8_t ai[IKE_PRF_MAX_LEN], ar[IKE_PRF_MAX_LEN];
	uint8_t ei[IKE_MAX_ENCR_KEY], er[IKE_MAX_ENCR_KEY];
	uint8_t pi[IKE_PRF_MAX_LEN], pr[IKE_PRF_MAX_LEN];
};

/* Wipes every secret of @k (and keeps prf and the lengths). */
void ike_sa_keys_wipe(struct ike_sa_keys *k);

/*
 * IKE_SA_INIT: SKEYSEED = prf(Ni | Nr, g^ir), then the seven keys from
 * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). @gir: the shared secret of the
 * IKE_SA_INIT key exchange.
 */
int ike_keys_init(struct ike_sa_keys *k, const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		  size_t gir_len, uint64_t spi_i, uint64_t spi_r);

/*
 * After additional key exchange n (RFC 9370 2.2.2), in place:
 * SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr), and the seven keys anew
 * from prf+(SKEYSEED(n), Ni | Nr | SPIi | SPIr). The new keys protect the
 * next exchange.
 */
int ike_keys_addke(struct ike_sa_keys *k, const uint8_t *skn, size_t skn_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint64_t spi_i, uint64_t spi_r);

/*
 * IKE SA rekey (RFC 7296 2.18, RFC 9370 2.2.4): SKEYSEED =
 * prf(SK_d(old), SK(0) | Ni | Nr | SK(1) | ... | SK(n)) with the
 * CREATE_CHILD_SA nonces, and the keys from prf+ with the NEW SPIs.
 * @sk: the @nsk shared secrets in exchange order.
 */
int ike_keys_rekey(struct ike_sa_keys *newk, const struct ike_sa_keys *old,
		   const struct ike_iov *sk, unsigned int nsk,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint64_t new_spi_i, uint64_t new_spi_r);

/*
 * Child SA KEYMAT: prf+(SK_d, Ni | Nr) for the first Child SA and without
 * a key exchange; prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)) with
 * key exchanges (@nsk > 0). The caller splits @out: encryption key then
 * integrity key, initiator-to-responder first, then responder-to-initiator.
 */
int ike_child_keymat(const struct ike_sa_keys *k, const struct ike_iov *sk,
		     unsigned int nsk, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, uint8_t *out,
		     size_t outlen);

/*
 * IntAuth (RFC 9242 3.3.2): out = prf(SK_p, prev | A | P), @prev the
 * previous value (NULL for the first, which then has no such piece), @a
 * the header and unencrypted payloads as specified there, @p the inner
 * payloads; @out and @prev are prf->len bytes.
 */
int ike_intauth(const struct ike_prf *prf, const uint8_t *sk_p,
		const uint8_t *prev, const uint8_t *a, size_t a_len,
		const uint8_t *p, size_t p_len, uint8_t *out);

#endif /* PQIKED_KEYMAT_H */
