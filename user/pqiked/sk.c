// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * SK and SKF payload protection with an AEAD (sk.h), on OpenSSL's EVP.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "sk.h"
#include "wire.h"

static const struct ike_aead aeads[] = {
	{ IKE_ENCR_AES_GCM_16, 128, "aes128gcm16", "AES-128-GCM", 16 },
	{ IKE_ENCR_AES_GCM_16, 256, "aes256gcm16", "AES-256-GCM", 32 },
	{ IKE_ENCR_CHACHA20_POLY1305, 0, "chacha20poly1305",
	  "ChaCha20-Poly1305", 32 },
};

const struct ike_aead *ike_aead_find(uint16_t id, uint16_t key_bits)
{
	size_t i;

	for (i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++)
		if (aeads[i].id == id && aeads[i].key_bits == key_bits)
			return &aeads[i];
	return NULL;
}

const struct ike_aead *ike_aead_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(aeads) / sizeof(aeads[0]); i++)
		if (!strcmp(aeads[i].name, name))
			return &aeads[i];
	return NULL;
}

/* One AEAD operation in place; @enc: seal, else open. 0 or -1. */
static int sk_crypt(const struct ike_aead *a, const uint8_t *key, int enc,
		 uint8_t *msg, size_t data_off, uint8_t *text, size_t len,
		 uint8_t *icv)
{
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, a->evp, NULL);
	EVP_CIPHER_CTX *ctx = c ? EVP_CIPHER_CTX_new() : NULL;
	uint8_t nonce[IKE_SK_SALT_LEN + IKE_SK_IV_LEN];
	int n, rc = -1;

	if (!ctx || len > INT32_MAX || data_off > INT32_MAX)
		goto out;
	memcpy(nonce, key + a->key_len, IKE_SK_SALT_LEN);
	memcpy(nonce + IKE_SK_SALT_LEN, msg + data_off, IKE_SK_IV_LEN);
	if (!EVP_CipherInit_ex2(ctx, c, NULL, NULL, enc, NULL) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, sizeof(nonce),
				 NULL) ||
	    !EVP_CipherInit_ex2(ctx, NULL, key, nonce, enc, NULL))
		goto out;
	if (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
					 IKE_SK_ICV_LEN, icv))
		goto out;
	/* associated data: everything before the IV */
	if (!EVP_CipherUpdate(ctx, NULL, &n, msg, (int)data_off) ||
	    !EVP_CipherUpdate(ctx, text, &n, text, (int)len) ||
	    (size_t)n != len ||
	    !EVP_CipherFinal_ex(ctx, text + n, &n))
		goto out;
	if (enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
					IKE_SK_ICV_LEN, icv))
		goto out;
	rc = 0;
out:
	OPENSSL_cleanse(nonce, sizeof(nonce));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return rc;
}

int ike_sk_seal(const struct ike_aead *a, const uint8_t *key,
		uint64_t iv, uint8_t *msg, size_t data_off, size_t data_len)
{
	uint8_t *data = msg + data_off;
	size_t text_len;

	if (data_len < IKE_SK_OVERHEAD)
		return -1;
	text_len = data_len - IKE_SK_IV_LEN - IKE_SK_ICV_LEN;
	ike_set64(data, iv);
	data[IKE_SK_IV_LEN + text_len - 1] = 0;		/* pad length */
	return sk_crypt(a, key, 1, msg, data_off, data + IKE_SK_IV_LEN, text_len,
		     data + IKE_SK_IV_LEN + text_len);
}

int ike_sk_open(const struct ike_aead *a, const uint8_t *key, uint8_t *msg,
		size_t data_off, size_t data_len, size_t *inner_len)
{
	uint8_t *data = msg + data_off;
	size_t text_len;
	uint8_t pad;

	if (data_len < IKE_SK_OVERHEAD)
		return -1;
	text_len = data_len - IKE_SK_IV_LEN - IKE_SK_ICV_LEN;
	if (sk_crypt(a, key, 0, msg, data_off, data + IKE_SK_IV_LEN, text_len,
		  data + IKE_SK_IV_LEN + text_len)) {
		/* authentication failed: leave no partial plaintext */
		OPENSSL_cleanse(data + IKE_SK_IV_LEN, text_len);
		return -1;
	}
	pad = data[IKE_SK_IV_LEN + text_len - 1];
	if ((size_t)pad + 1 > text_len)
		return -1;
	*inner_len = text_len - 1 - pad;
	return 0;
}
