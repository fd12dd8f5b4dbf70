/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The Encrypted (SK) and Encrypted Fragment (SKF) payloads with an AEAD:
 * AES-GCM with a 16-byte ICV (RFC 5282) and ChaCha20-Poly1305 (RFC 7634).
 * The payload's data is IV (8) || ciphertext || ICV (16); the plaintext is
 * the inner payloads, padding (none here) and a one-byte pad length; the
 * nonce is the 4-byte salt (the last 4 bytes of SK_e) || IV; the
 * associated data is the message from its first byte up to the IV (the
 * IKE header, any unencrypted payloads, the SK or SKF header and, for SKF,
 * its fragment number and total). The caller picks the IV: it must never
 * repeat under one key (the SA's 64-bit counter).
 */
#ifndef PQIKED_SK_H
#define PQIKED_SK_H

#include <stddef.h>
#include <stdint.h>

#define IKE_SK_IV_LEN	8
#define IKE_SK_ICV_LEN	16
/* What a protected payload adds to its inner payloads. */
#define IKE_SK_OVERHEAD	(IKE_SK_IV_LEN + 1 + IKE_SK_ICV_LEN)

/* Transform type 1 (encryption) ids. */
enum ike_encr_id {
	IKE_ENCR_AES_GCM_16 = 20,
	IKE_ENCR_CHACHA20_POLY1305 = 28,
};

struct ike_aead {
	uint16_t id;
	uint16_t key_bits;	/* the Key Length attribute; 0 if none */
	const char *name;	/* "aes256gcm16", as in strongSwan proposals */
	const char *evp;	/* OpenSSL cipher name */
	size_t key_len;		/* cipher key, without the salt */
};

#define IKE_SK_SALT_LEN	4

/* The AEAD for an ENCR transform, or NULL if unsupported. */
const struct ike_aead *ike_aead_find(uint16_t id, uint16_t key_bits);
const struct ike_aead *ike_aead_by_name(const char *name);

/*
 * Seals in place. @msg holds the whole message, whose SK/SKF payload data
 * starts at @data_off (what ike_put_sk() returned) and is @data_len bytes:
 * IV_LEN bytes of room, the inner payloads, one byte for the pad length,
 * ICV_LEN bytes of room. @key: key_len + 4 bytes (key || salt).
 */
int ike_sk_seal(const struct ike_aead *a, const uint8_t *key,
		uint64_t iv, uint8_t *msg, size_t data_off, size_t data_len);

/*
 * Opens in place: checks the ICV over the same associated data, decrypts,
 * and sets *@inner_len to the length of the inner payloads, which then
 * start at @data_off + IV_LEN. Returns 0, or -1 if the ICV does not
 * match or the padding is impossible (then nothing is usable).
 */
int ike_sk_open(const struct ike_aead *a, const uint8_t *key, uint8_t *msg,
		size_t data_off, size_t data_len, size_t *inner_len);

#endif /* PQIKED_SK_H */
