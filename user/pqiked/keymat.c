// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The IKEv2 key schedule (keymat.h), on OpenSSL's HMAC (EVP_MAC).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "keymat.h"
#include "wire.h"

static const struct ike_prf prfs[] = {
	{ IKE_PRF_HMAC_SHA2_256, "prfsha256", "SHA256", 32 },
	{ IKE_PRF_HMAC_SHA2_384, "prfsha384", "SHA384", 48 },
	{ IKE_PRF_HMAC_SHA2_512, "prfsha512", "SHA512", 64 },
};

const struct ike_prf *ike_prf_by_id(uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(prfs) / sizeof(prfs[0]); i++)
		if (prfs[i].id == id)
			return &prfs[i];
	return NULL;
}

int ike_prf(const struct ike_prf *prf, const uint8_t *key, size_t keylen,
	    const struct ike_iov *in, unsigned int nin, uint8_t *out)
{
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2];
	size_t outlen = 0;
	unsigned int i;
	int rc = -1;

	if (!ctx)
		goto out;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)prf->md, 0);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, key, keylen, params))
		goto out;
	for (i = 0; i < nin; i++)
		if (in[i].n && !EVP_MAC_update(ctx, in[i].p, in[i].n))
			goto out;
	if (!EVP_MAC_final(ctx, out, &outlen, prf->len) || outlen != prf->len)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);	/* clears the key schedule */
	EVP_MAC_free(mac);
	return rc;
}

#define MAX_SEED 16

int ike_prf_plus(const struct ike_prf *prf, const uint8_t *key,
		 size_t keylen, const struct ike_iov *seed, unsigned int nseed,
		 uint8_t *out, size_t outlen)
{
	struct ike_iov in[MAX_SEED + 2];
	uint8_t t[IKE_PRF_MAX_LEN];
	uint8_t n = 1;
	size_t done = 0;
	unsigned int i;

	if (nseed > MAX_SEED ||
	    outlen > (size_t)IKE_PRF_PLUS_MAX_BLOCKS * prf->len)
		return -1;
	/* T1 = prf(K, S | 0x01), Tn = prf(K, T(n-1) | S | n) */
	while (done < outlen) {
		unsigned int k = 0;
		size_t take;

		if (n > 1)
			in[k++] = (struct ike_iov){ t, prf->len };
		for (i = 0; i < nseed; i++)
			in[k++] = seed[i];
		in[k++] = (struct ike_iov){ &n, 1 };
		if (ike_prf(prf, key, keylen, in, k, t)) {
			OPENSSL_cleanse(t, sizeof(t));
			OPENSSL_cleanse(out, outlen);
			return -1;
		}
		take = outlen - done < prf->len ? outlen - done : prf->len;
		memcpy(out + done, t, take);
		done += take;
		n++;
	}
	OPENSSL_cleanse(t, sizeof(t));
	return 0;
}

void ike_sa_keys_wipe(struct ike_sa_keys *k)
{
	OPENSSL_cleanse(k->skeyseed, sizeof(k->skeyseed));
	OPENSSL_cleanse(k->d, sizeof(k->d));
	OPENSSL_cleanse(k->ai, sizeof(k->ai));
	OPENSSL_cleanse(k->ar, sizeof(k->ar));
	OPENSSL_cleanse(k->ei, sizeof(k->ei));
	OPENSSL_cleanse(k->er, sizeof(k->er));
	OPENSSL_cleanse(k->pi, sizeof(k->pi));
	OPENSSL_cleanse(k->pr, sizeof(k->pr));
}

/* The seven keys from prf+(SKEYSEED, Ni | Nr | SPIi | SPIr). */
static int derive_seven(struct ike_sa_keys *k, const uint8_t *ni,
			size_t ni_len, const uint8_t *nr, size_t nr_len,
			uint64_t spi_i, uint64_t spi_r)
{
	const size_t pl = k->prf->len;
	uint8_t spis[16], buf[3 * IKE_PRF_MAX_LEN + 2 * IKE_PRF_MAX_LEN +
			     2 * IKE_MAX_ENCR_KEY];
	struct ike_iov seed[3] = {
		{ ni, ni_len }, { nr, nr_len }, { spis, sizeof(spis) },
	};
	size_t need = 3 * pl + 2 * k->integ_len + 2 * k->encr_len, off = 0;
	int rc;

	if (k->integ_len > IKE_PRF_MAX_LEN || k->encr_len > IKE_MAX_ENCR_KEY)
		return -1;
	ike_set64(spis, spi_i);
	ike_set64(spis + 8, spi_r);
	rc = ike_prf_plus(k->prf, k->skeyseed, pl, seed, 3, buf, need);
	if (!rc) {
		/* {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} */
		struct { uint8_t *dst; size_t n; } parts[] = {
			{ k->d, pl }, { k->ai, k->integ_len },
			{ k->ar, k->integ_len }, { k->ei, k->encr_len },
			{ k->er, k->encr_len }, { k->pi, pl }, { k->pr, pl },
		};
		size_t i;

		for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
			memcpy(parts[i].dst, buf + off, parts[i].n);
			off += parts[i].n;
		}
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int ike_keys_init(struct ike_sa_keys *k, const uint8_t *ni, size_t ni_len,
		  const uint8_t *nr, size_t nr_len, const uint8_t *gir,
		  size_t gir_len, uint64_t spi_i, uint64_t spi_r)
{
	uint8_t key[2 * 256];	/* Ni | Nr, nonces at most 256 bytes */
	struct ike_iov in = { gir, gir_len };
	int rc;

	if (ni_len > 256 || nr_len > 256)
		return -1;
	memcpy(key, ni, ni_len);
	memcpy(key + ni_len, nr, nr_len);
	rc = ike_prf(k->prf, key, ni_len + nr_len, &in, 1, k->skeyseed);
	OPENSSL_cleanse(key, sizeof(key));
	if (!rc)
		rc = derive_seven(k, ni, ni_len, nr, nr_len, spi_i, spi_r);
	if (rc)
		ike_sa_keys_wipe(k);
	return rc;
}

int ike_keys_addke(struct ike_sa_keys *k, const uint8_t *skn, size_t skn_len,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint64_t spi_i, uint64_t spi_r)
{
	struct ike_iov in[3] = { { skn, skn_len }, { ni, ni_len }, { nr, nr_len } };
	uint8_t old_d[IKE_PRF_MAX_LEN];
	int rc;

	memcpy(old_d, k->d, k->prf->len);
	rc = ike_prf(k->prf, old_d, k->prf->len, in, 3, k->skeyseed);
	OPENSSL_cleanse(old_d, sizeof(old_d));
	if (!rc)
		rc = derive_seven(k, ni, ni_len, nr, nr_len, spi_i, spi_r);
	if (rc)
		ike_sa_keys_wipe(k);
	return rc;
}

/* SK(0) | Ni | Nr | SK(1) | ... | SK(n) as pieces; -1 if too many. */
static int ke_seed(struct ike_iov *out, unsigned int max,
		   const struct ike_iov *sk, unsigned int nsk,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len)
{
	unsigned int k = 0, i;

	if (nsk > IKE_MAX_KE || nsk + 2 > max)
		return -1;
	if (nsk)
		out[k++] = sk[0];
	out[k++] = (struct ike_iov){ ni, ni_len };
	out[k++] = (struct ike_iov){ nr, nr_len };
	for (i = 1; i < nsk; i++)
		out[k++] = sk[i];
	return (int)k;
}

int ike_keys_rekey(struct ike_sa_keys *newk, const struct ike_sa_keys *old,
		   const struct ike_iov *sk, unsigned int nsk,
		   const uint8_t *ni, size_t ni_len, const uint8_t *nr,
		   size_t nr_len, uint64_t new_spi_i, uint64_t new_spi_r)
{
	struct ike_iov in[IKE_MAX_KE + 2];
	int n = ke_seed(in, IKE_MAX_KE + 2, sk, nsk, ni, ni_len, nr, nr_len);
	int rc;

	if (n < 0 || nsk == 0)	/* an IKE SA rekey always has a KE */
		return -1;
	rc = ike_prf(old->prf, old->d, old->prf->len, in, (unsigned int)n,
		     newk->skeyseed);
	if (!rc)
		rc = derive_seven(newk, ni, ni_len, nr, nr_len, new_spi_i,
				  new_spi_r);
	if (rc)
		ike_sa_keys_wipe(newk);
	return rc;
}

int ike_child_keymat(const struct ike_sa_keys *k, const struct ike_iov *sk,
		     unsigned int nsk, const uint8_t *ni, size_t ni_len,
		     const uint8_t *nr, size_t nr_len, uint8_t *out,
		     size_t outlen)
{
	struct ike_iov in[IKE_MAX_KE + 2];
	int n = ke_seed(in, IKE_MAX_KE + 2, sk, nsk, ni, ni_len, nr, nr_len);

	if (n < 0)
		return -1;
	return ike_prf_plus(k->prf, k->d, k->prf->len, in, (unsigned int)n,
			    out, outlen);
}

int ike_intauth(const struct ike_prf *prf, const uint8_t *sk_p,
		const uint8_t *prev, const uint8_t *a, size_t a_len,
		const uint8_t *p, size_t p_len, uint8_t *out)
{
	struct ike_iov in[3];
	unsigned int k = 0;

	if (prev)
		in[k++] = (struct ike_iov){ prev, prf->len };
	in[k++] = (struct ike_iov){ a, a_len };
	in[k++] = (struct ike_iov){ p, p_len };
	return ike_prf(prf, sk_p, prf->len, in, k, out);
}
