// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The crypto API side of the ESP AEADs: one request, any variant of any
 * family (kernel/aead/impl.h), for the four forms the kernel knows:
 * gcm(aes), rfc4106(gcm(aes)), rfc7539(chacha20,poly1305) and
 * rfc7539esp(chacha20,poly1305). kernel/aead.c builds and registers the
 * algorithms; this file only runs them.
 *
 * The ESP forms (RFC 4106, RFC 7634) take the 4-byte salt at the end of the
 * key and an 8-byte IV; the nonce is salt || IV. Their associated data is
 * req->assoclen - 8 bytes: the IV follows it in the scatterlist and is not
 * authenticated. rfc4106 accepts only 16 or 20 (ESN) as assoclen, as the
 * kernel's template does.
 *
 * Where the kernel has the SIMD wrapper, the algorithms are internal ("__"
 * names) behind it and run only where the FPU may be used; elsewhere
 * (kernel/aead.c) they refuse to run where it may not. Associated data goes
 * through a 64-byte bounce buffer, the text through an skcipher walk with
 * the family's chunk size (every step but the last a multiple of it), each
 * step at most a page: every FPU section covers at most one page of data.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/fpu/api.h>
#include <asm/simd.h>
#include <crypto/algapi.h>
#include <crypto/gcm.h>
#include <crypto/scatterwalk.h>
#include <crypto/internal/aead.h>
#include <crypto/internal/simd.h>
#include <crypto/internal/skcipher.h>

#include "pqrekey.h"
#include "aead/impl.h"

#define PQAEAD_ESP_SALT	4
#define PQAEAD_ESP_IV	8

/* The expanded key, aligned, then the salt of the ESP forms. */
static void *pqrekey_aead_key(struct crypto_aead *tfm)
{
	return PTR_ALIGN(crypto_aead_ctx(tfm), PQAEAD_ALIGN);
}

static u8 *pqrekey_aead_salt(struct crypto_aead *tfm)
{
	const struct pqrekey_aead_alg *pa = pqrekey_aead_alg_of(tfm);

	return (u8 *)pqrekey_aead_key(tfm) + pa->impl->key_size;
}

static int pqrekey_aead_init_tfm(struct crypto_aead *tfm)
{
	const struct pqrekey_aead_alg *pa = pqrekey_aead_alg_of(tfm);

	/* the message state, aligned */
	crypto_aead_set_reqsize(tfm, pa->impl->state_size + PQAEAD_ALIGN - 1);
	return 0;
}

static int pqrekey_aead_setkey(struct crypto_aead *tfm, const u8 *key,
			       unsigned int keylen)
{
	const struct pqrekey_aead_alg *pa = pqrekey_aead_alg_of(tfm);
	const struct pqaead_impl *impl = pa->impl;
	int err;

	if (pa->esp) {
		if (keylen < PQAEAD_ESP_SALT)
			return -EINVAL;
		keylen -= PQAEAD_ESP_SALT;
		memcpy(pqrekey_aead_salt(tfm), key + keylen, PQAEAD_ESP_SALT);
	}
	/* the AES key schedule and H powers use AES-NI and PCLMULQDQ */
	kernel_fpu_begin();
	err = impl->setkey(pqrekey_aead_key(tfm), key, keylen);
	kernel_fpu_end();
	return err;
}

static int pqrekey_aead_setauthsize(struct crypto_aead *tfm,
				    unsigned int authsize)
{
	const struct pqrekey_aead_alg *pa = pqrekey_aead_alg_of(tfm);

	switch (pa->impl->family) {
	case PQAEAD_GCM:
		return pa->esp ? crypto_rfc4106_check_authsize(authsize) :
				 crypto_gcm_check_authsize(authsize);
	case PQAEAD_CHACHAPOLY:
		/* as crypto/chacha20poly1305.c: the full tag only */
		return authsize == PQAEAD_TAG_SIZE ? 0 : -EINVAL;
	}
	return -EINVAL;
}

/* Hash @len bytes of associated data from @sg, a bounce buffer at a time. */
static void pqrekey_aead_hash_aad(const struct pqaead_impl *impl, void *st,
				  const void *key, struct scatterlist *sg,
				  unsigned int len)
{
	unsigned int off, n;
	u8 buf[64];

	for (off = 0; off < len; off += n) {
		n = min_t(unsigned int, len - off, sizeof(buf));
		scatterwalk_map_and_copy(buf, sg, off, n, 0);
		kernel_fpu_begin();
		impl->aad(st, key, buf, n);
		kernel_fpu_end();
	}
	memzero_explicit(buf, sizeof(buf));
}

static int pqrekey_aead_crypt(struct aead_request *req, bool enc)
{
	struct crypto_aead *tfm = crypto_aead_reqtfm(req);
	const struct pqrekey_aead_alg *pa = pqrekey_aead_alg_of(tfm);
	const struct pqaead_impl *impl = pa->impl;
	const void *key = pqrekey_aead_key(tfm);
	void *st = PTR_ALIGN(aead_request_ctx(req), PQAEAD_ALIGN);
	unsigned int authsize = crypto_aead_authsize(tfm);
	unsigned int cryptlen = req->cryptlen, aadlen = req->assoclen;
	u8 nonce[PQAEAD_NONCE_SIZE], tag[PQAEAD_TAG_SIZE];
	u8 rtag[PQAEAD_TAG_SIZE];
	struct skcipher_walk walk;
	unsigned int n;
	int err;

	/* behind the SIMD wrapper, only called where the FPU is usable */
	if (!IS_ENABLED(CONFIG_CRYPTO_SIMD) && !crypto_simd_usable())
		return -EBUSY;
	if (pa->esp) {
		if (impl->family == PQAEAD_GCM &&
		    crypto_ipsec_check_assoclen(req->assoclen))
			return -EINVAL;
		if (aadlen < PQAEAD_ESP_IV)
			return -EINVAL;
		aadlen -= PQAEAD_ESP_IV;
		memcpy(nonce, pqrekey_aead_salt(tfm), PQAEAD_ESP_SALT);
		memcpy(nonce + PQAEAD_ESP_SALT, req->iv, PQAEAD_ESP_IV);
	} else {
		memcpy(nonce, req->iv, PQAEAD_NONCE_SIZE);
	}
	if (!enc) {
		if (cryptlen < authsize)
			return -EINVAL;
		cryptlen -= authsize;
		scatterwalk_map_and_copy(rtag, req->src,
					 req->assoclen + cryptlen, authsize, 0);
	}

	kernel_fpu_begin();
	impl->init(st, key, nonce);
	kernel_fpu_end();
	pqrekey_aead_hash_aad(impl, st, key, req->src, aadlen);

	err = enc ? skcipher_walk_aead_encrypt(&walk, req, false) :
		    skcipher_walk_aead_decrypt(&walk, req, false);
	while (!err && walk.nbytes) {
		n = walk.nbytes;
		if (n < walk.total)
			n = round_down(n, impl->chunk);
		kernel_fpu_begin();
		impl->crypt(st, key, walk.src.virt.addr, walk.dst.virt.addr, n,
			    enc);
		kernel_fpu_end();
		err = skcipher_walk_done(&walk, walk.nbytes - n);
	}
	if (err) {
		memzero_explicit(st, impl->state_size);
		return err;
	}

	kernel_fpu_begin();
	impl->final(st, key, tag);
	kernel_fpu_end();
	if (enc)
		scatterwalk_map_and_copy(tag, req->dst,
					 req->assoclen + cryptlen, authsize, 1);
	else if (crypto_memneq(tag, rtag, authsize))
		err = -EBADMSG;
	memzero_explicit(tag, sizeof(tag));
	return err;
}

static int pqrekey_aead_encrypt(struct aead_request *req)
{
	return pqrekey_aead_crypt(req, true);
}

static int pqrekey_aead_decrypt(struct aead_request *req)
{
	return pqrekey_aead_crypt(req, false);
}

/**
 * pqrekey_aead_fill() - the crypto API operations of an algorithm.
 * @a: the algorithm
 * @pa: its variant and form
 *
 * Sets everything but names, priority and module, which the registration
 * (kernel/aead.c) owns.
 */
void pqrekey_aead_fill(struct aead_alg *a, const struct pqrekey_aead_alg *pa)
{
	a->init = pqrekey_aead_init_tfm;
	a->setkey = pqrekey_aead_setkey;
	a->setauthsize = pqrekey_aead_setauthsize;
	a->encrypt = pqrekey_aead_encrypt;
	a->decrypt = pqrekey_aead_decrypt;
	a->ivsize = pa->esp ? PQAEAD_ESP_IV : PQAEAD_NONCE_SIZE;
	a->maxauthsize = PQAEAD_TAG_SIZE;
	a->chunksize = pa->impl->chunk;
	a->base.cra_flags = CRYPTO_ALG_INTERNAL;
	a->base.cra_blocksize = 1;
	/* the expanded key, aligned, and the salt */
	a->base.cra_ctxsize = pa->impl->key_size + PQAEAD_ESP_SALT +
			      PQAEAD_ALIGN - 1;
}
