// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suite pqrekey_aead: the ESP AEAD drivers (kernel/aead.c), each
 * variant of each family in both forms (plain and ESP), one parameter per
 * driver; a variant this CPU lacks is skipped (TCG lacks VPCLMULQDQ and
 * AVX-512: UML runs them natively).
 *
 *   kt_aead_registered   the driver exists and is usable: the kernel's own
 *                        self-tests passed at registration (a driver that
 *                        failed them cannot be allocated)
 *   kt_aead_differential against the kernel's generic template with the
 *                        same key, nonce, associated data and text: random
 *                        key sizes, tag sizes, associated-data lengths
 *                        (16/20 for rfc4106) and text lengths (0-2048 and
 *                        GSO sizes up to 64 KiB + 17), scatterlists split
 *                        at random points, buffers at random offsets, in
 *                        place and out of place; each ciphertext decrypted
 *                        back, and refused with one bit of the tag flipped
 *   kt_aead_wycheproof   Wycheproof's AES-GCM and ChaCha20-Poly1305 cases
 *                        with 96-bit IVs and 128-bit tags, valid ones
 *                        encrypted and decrypted, invalid ones refused, in
 *                        scatterlists split at random; in the ESP forms
 *                        the first 4 IV bytes become the salt (rfc4106:
 *                        only cases with 8 or 12 bytes of associated data)
 *                        The cases come from ../shared/vectors through
 *                        tools/gen-aead-kat into the build copy of the
 *                        sources; without them the case is skipped.
 */
#include <crypto/aead.h>
#include <kunit/test.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "../aead/impl.h"

/* one Wycheproof case (tools/gen-aead-kat) */
struct kt_aead_kat {
	enum pqaead_family family;
	u16 tcid;
	bool valid;
	u8 keylen;
	u16 aadlen;
	u32 len;
	u8 taglen;
	const char *key, *iv, *aad, *msg, *ct, *tag;
};

#if __has_include("aead_wycheproof.h")
#include "aead_wycheproof.h"
#else
#define PQREKEY_AEAD_KATS 0
#endif

#define KT_MAX_SEGS	8
#define KT_BIG		(65536 + 17)
#define KT_ROUNDS	150

struct kt_aead_param {
	unsigned int impl;	/* index in pqaead_impls */
	bool esp;
};

static const struct kt_aead_param kt_aead_params[] = {
	{ 0, false }, { 0, true }, { 1, false }, { 1, true },
	{ 2, false }, { 2, true }, { 3, false }, { 3, true },
	{ 4, false }, { 4, true }, { 5, false }, { 5, true },
};

static unsigned int kt_nimpls(void)
{
	unsigned int n = 0;

	while (pqaead_impls[n])
		n++;
	return n;
}

static const void *kt_aead_gen(const void *prev, char *desc)
{
	const struct kt_aead_param *p = prev ? (const struct kt_aead_param *)prev + 1 :
					       kt_aead_params;
	const struct pqaead_impl *impl;

	if (p >= kt_aead_params + ARRAY_SIZE(kt_aead_params) ||
	    p->impl >= kt_nimpls())
		return NULL;
	impl = pqaead_impls[p->impl];
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s-%s%s",
		 impl->family == PQAEAD_GCM ? "gcm" : "chachapoly",
		 impl->name, p->esp ? "-esp" : "");
	return p;
}

static void kt_skip(struct kunit *test, const char *what, const char *why)
{
	kunit_info(test, "SKIP: %s: %s", what, why);
	kunit_skip(test, "%s: %s", what, why);
}

/* Our driver's name (as kernel/aead.c builds it) and the generic one's. */
static void kt_names(const struct kt_aead_param *p, char *ours, size_t len,
		     const char **generic)
{
	const struct pqaead_impl *impl = pqaead_impls[p->impl];

	if (impl->family == PQAEAD_GCM) {
		snprintf(ours, len, "pqrekey-%s-%s",
			 p->esp ? "rfc4106-gcm-aes" : "gcm-aes", impl->name);
		*generic = p->esp ?
			"rfc4106(gcm_base(ctr(aes-generic),ghash-generic))" :
			"gcm_base(ctr(aes-generic),ghash-generic)";
	} else {
		snprintf(ours, len, "pqrekey-%s-%s",
			 p->esp ? "rfc7539esp-chacha20-poly1305" :
				  "rfc7539-chacha20-poly1305", impl->name);
		*generic = p->esp ?
			"rfc7539esp(chacha20-generic,poly1305-generic)" :
			"rfc7539(chacha20-generic,poly1305-generic)";
	}
}

static const struct kt_aead_param *kt_need(struct kunit *test, char *ours,
					   size_t len, const char **generic)
{
	const struct kt_aead_param *p = test->param_value;
	const struct pqaead_impl *impl = pqaead_impls[p->impl];

	kt_names(p, ours, len, generic);
	if (!impl->usable())
		kt_skip(test, ours, "CPU lacks it");
	return p;
}

static void kt_aead_registered(struct kunit *test)
{
	char ours[CRYPTO_MAX_ALG_NAME];
	const char *generic;
	struct crypto_aead *tfm;

	kt_need(test, ours, sizeof(ours), &generic);
	tfm = crypto_alloc_aead(ours, 0, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s: %ld", ours,
			       PTR_ERR_OR_ZERO(tfm));
	KUNIT_EXPECT_STREQ(test, crypto_tfm_alg_driver_name(crypto_aead_tfm(tfm)),
			   ours);
	crypto_free_aead(tfm);
}

/* @len bytes of @buf as up to KT_MAX_SEGS entries split at random points. */
static void kt_split(struct scatterlist *sg, u8 *buf, unsigned int len)
{
	unsigned int nseg = 1 + get_random_u32() % KT_MAX_SEGS, i, n;

	sg_init_table(sg, nseg);
	for (i = 0; i < nseg; i++) {
		n = i + 1 == nseg ? len :
			(len ? get_random_u32() % (len + 1) : 0);
		sg_set_buf(&sg[i], buf, n);
		buf += n;
		len -= n;
	}
}

static int kt_run(struct crypto_aead *tfm, bool enc, struct scatterlist *src,
		  struct scatterlist *dst, unsigned int assoclen,
		  unsigned int len, u8 *iv)
{
	struct aead_request *req = aead_request_alloc(tfm, GFP_KERNEL);
	DECLARE_CRYPTO_WAIT(wait);
	int err;

	if (!req)
		return -ENOMEM;
	aead_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				  crypto_req_done, &wait);
	aead_request_set_ad(req, assoclen);
	aead_request_set_crypt(req, src, dst, len, iv);
	err = crypto_wait_req(enc ? crypto_aead_encrypt(req) :
				    crypto_aead_decrypt(req), &wait);
	aead_request_free(req);
	return err;
}

static void kt_aead_differential(struct kunit *test)
{
	static const unsigned int gcm_tags[] = { 4, 8, 12, 13, 14, 15, 16 };
	static const unsigned int esp_tags[] = { 8, 12, 16 };
	static const unsigned int big[] = { KT_BIG, 65536, 4096 + 15, 1420 };
	char ours[CRYPTO_MAX_ALG_NAME], id[96];
	struct scatterlist *sref, *ssrc, *sdst;	/* heap: the frame limit */
	const struct kt_aead_param *p;
	const struct pqaead_impl *impl;
	struct crypto_aead *ta, *tg;
	unsigned int r, total, max = 64 + KT_BIG + 16 + 32;
	unsigned int keylen, authsize, assoclen, len, off, doff;
	u8 key[36], iv[12], iv2[12], *ref, *pt, *src, *dst;
	const char *generic;
	bool in_place, gcm;
	int err;

	p = kt_need(test, ours, sizeof(ours), &generic);
	impl = pqaead_impls[p->impl];
	gcm = impl->family == PQAEAD_GCM;
	ta = crypto_alloc_aead(ours, 0, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(ta), "%s: %ld", ours,
			       PTR_ERR_OR_ZERO(ta));
	tg = crypto_alloc_aead(generic, 0, 0);
	if (IS_ERR(tg)) {
		crypto_free_aead(ta);
		KUNIT_FAIL(test, "%s: %ld (needs CONFIG_CRYPTO_GCM, _AES, _CHACHA20POLY1305)",
			   generic, PTR_ERR(tg));
		return;
	}
	pt = kunit_kmalloc(test, max, GFP_KERNEL);
	ref = kunit_kmalloc(test, max, GFP_KERNEL);
	src = kunit_kmalloc(test, max, GFP_KERNEL);
	dst = kunit_kmalloc(test, max, GFP_KERNEL);
	sref = kunit_kcalloc(test, 1 + 2 * KT_MAX_SEGS, sizeof(*sref),
			     GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, pt && ref && src && dst && sref);
	ssrc = sref + 1;
	sdst = ssrc + KT_MAX_SEGS;

	for (r = 0; r < KT_ROUNDS + ARRAY_SIZE(big); r++) {
		keylen = gcm ? 16 + 8 * (get_random_u32() % 3) : 32;
		if (p->esp)
			keylen += 4;
		if (!gcm)
			authsize = 16;
		else if (p->esp)
			authsize = esp_tags[get_random_u32() % 3];
		else
			authsize = gcm_tags[get_random_u32() % 7];
		if (p->esp && gcm)
			assoclen = get_random_u32() % 2 ? 20 : 16;
		else if (p->esp)
			assoclen = 8 + get_random_u32() % 33;
		else
			assoclen = get_random_u32() % 65;
		len = r < KT_ROUNDS ? get_random_u32() % 2049 :
			big[r - KT_ROUNDS];
		total = assoclen + len;
		off = get_random_u32() % 16;
		doff = get_random_u32() % 16;
		in_place = get_random_u32() % 2;
		snprintf(id, sizeof(id), "round %u: key %u, tag %u, ad %u, len %u, %s",
			 r, keylen, authsize, assoclen, len,
			 in_place ? "in place" : "out of place");
		get_random_bytes(key, sizeof(key));
		get_random_bytes(iv, sizeof(iv));
		get_random_bytes(pt, total);
		memcpy(ref, pt, total);

		KUNIT_ASSERT_EQ_MSG(test, crypto_aead_setkey(ta, key, keylen), 0, "%s", id);
		KUNIT_ASSERT_EQ_MSG(test, crypto_aead_setkey(tg, key, keylen), 0, "%s", id);
		KUNIT_ASSERT_EQ_MSG(test, crypto_aead_setauthsize(ta, authsize), 0, "%s", id);
		KUNIT_ASSERT_EQ_MSG(test, crypto_aead_setauthsize(tg, authsize), 0, "%s", id);

		/* ours: scattered, maybe out of place */
		memcpy(src + off, pt, total);
		kt_split(ssrc, src + off, total + authsize);
		if (!in_place) {
			memset(dst, 0, max);
			kt_split(sdst, dst + doff, total + authsize);
		}
		memcpy(iv2, iv, sizeof(iv));
		err = kt_run(ta, true, ssrc, in_place ? ssrc : sdst, assoclen,
			     len, iv2);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: encrypt", id);

		/* the generic template: one linear buffer, in place */
		sg_init_one(sref, ref, total + authsize);
		memcpy(iv2, iv, sizeof(iv));
		err = kt_run(tg, true, sref, sref, assoclen, len, iv2);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: generic encrypt", id);
		KUNIT_ASSERT_EQ_MSG(test, memcmp((in_place ? src + off : dst + doff) +
						 assoclen, ref + assoclen,
						 len + authsize), 0,
				    "%s: differs from %s", id, generic);

		/* decrypt the reference back, scattered */
		memcpy(src + off, ref, total + authsize);
		kt_split(ssrc, src + off, total + authsize);
		if (!in_place)
			kt_split(sdst, dst + doff, total + authsize);
		memcpy(iv2, iv, sizeof(iv));
		err = kt_run(ta, false, ssrc, in_place ? ssrc : sdst, assoclen,
			     len + authsize, iv2);
		KUNIT_ASSERT_EQ_MSG(test, err, 0, "%s: decrypt", id);
		KUNIT_ASSERT_EQ_MSG(test, memcmp((in_place ? src + off : dst + doff) +
						 assoclen, pt + assoclen, len), 0,
				    "%s: decrypted text differs", id);

		/* one tag bit flipped */
		memcpy(src + off, ref, total + authsize);
		src[off + total + get_random_u32() % authsize] ^=
			1 << (get_random_u32() % 8);
		kt_split(ssrc, src + off, total + authsize);
		memcpy(iv2, iv, sizeof(iv));
		err = kt_run(ta, false, ssrc, ssrc, assoclen, len + authsize, iv2);
		KUNIT_ASSERT_EQ_MSG(test, err, -EBADMSG, "%s: flipped tag", id);
		cond_resched();
	}
	crypto_free_aead(tg);
	crypto_free_aead(ta);
}

#if PQREKEY_AEAD_KATS
/* One case through @tfm; NULL or what went wrong. */
static const char *kt_kat_one(struct crypto_aead *tfm, bool esp,
			      const struct kt_aead_kat *c, u8 *buf,
			      struct scatterlist *sg)
{
	unsigned int ad = c->aadlen + (esp ? 8 : 0), total, n;
	u8 key[36], iv[12];
	int err;

	memcpy(key, c->key, c->keylen);
	memcpy(iv, c->iv, 12);
	if (esp)
		memcpy(key + c->keylen, c->iv, 4);
	if (crypto_aead_setkey(tfm, key, c->keylen + (esp ? 4 : 0)))
		return "setkey refused the key";
	if (crypto_aead_setauthsize(tfm, c->taglen))
		return "setauthsize refused the tag size";
	total = ad + c->len + c->taglen;
	/* associated data (then, ESP, the 8-byte IV), text, tag */
	memcpy(buf, c->aad, c->aadlen);
	if (esp)
		memcpy(buf + c->aadlen, c->iv + 4, 8);
	if (c->valid) {
		memcpy(buf + ad, c->msg, c->len);
		kt_split(sg, buf, total);
		err = kt_run(tfm, true, sg, sg, ad, c->len, iv + (esp ? 4 : 0));
		if (err)
			return "encryption failed";
		if (memcmp(buf + ad, c->ct, c->len) ||
		    memcmp(buf + ad + c->len, c->tag, c->taglen))
			return "encryption differs";
	}
	memcpy(buf + ad, c->ct, c->len);
	memcpy(buf + ad + c->len, c->tag, c->taglen);
	kt_split(sg, buf, total);
	memcpy(iv, c->iv, 12);
	n = c->len + c->taglen;
	err = kt_run(tfm, false, sg, sg, ad, n, iv + (esp ? 4 : 0));
	if (err != (c->valid ? 0 : -EBADMSG))
		return c->valid ? "valid case refused" : "invalid case accepted";
	if (c->valid && memcmp(buf + ad, c->msg, c->len))
		return "decryption differs";
	return NULL;
}
#endif

static void kt_aead_wycheproof(struct kunit *test)
{
#if PQREKEY_AEAD_KATS
	char ours[CRYPTO_MAX_ALG_NAME];
	const struct kt_aead_param *p;
	const struct pqaead_impl *impl;
	struct crypto_aead *tfm;
	struct scatterlist *sg;
	const char *generic, *why;
	unsigned int i, ran = 0;
	u8 *buf;

	p = kt_need(test, ours, sizeof(ours), &generic);
	impl = pqaead_impls[p->impl];
	tfm = crypto_alloc_aead(ours, 0, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(tfm), "%s: %ld", ours,
			       PTR_ERR_OR_ZERO(tfm));
	buf = kunit_kmalloc(test, 65536, GFP_KERNEL);
	sg = kunit_kcalloc(test, KT_MAX_SEGS, sizeof(*sg), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, buf && sg);
	for (i = 0; i < ARRAY_SIZE(kt_aead_kats); i++) {
		const struct kt_aead_kat *c = &kt_aead_kats[i];

		if (c->family != impl->family)
			continue;
		if (p->esp && impl->family == PQAEAD_GCM &&
		    c->aadlen != 8 && c->aadlen != 12)
			continue;	/* rfc4106: assoclen 16 or 20 only */
		if (c->aadlen + 8 + c->len + c->taglen > 65536)
			continue;
		why = kt_kat_one(tfm, p->esp, c, buf, sg);
		KUNIT_EXPECT_FALSE_MSG(test, why, "tcId %u (%s): %s", c->tcid,
				       c->valid ? "valid" : "invalid", why);
		ran++;
		cond_resched();
	}
	crypto_free_aead(tfm);
	kunit_info(test, "%s: %u Wycheproof cases", ours, ran);
	KUNIT_EXPECT_GT(test, ran, 0U);
#else
	kt_skip(test, "Wycheproof",
		"no vectors (../shared/vectors/aead at build time)");
#endif
}

static struct kunit_case kt_aead_cases[] = {
	KUNIT_CASE_PARAM(kt_aead_registered, kt_aead_gen),
	KUNIT_CASE_PARAM(kt_aead_differential, kt_aead_gen),
	KUNIT_CASE_PARAM(kt_aead_wycheproof, kt_aead_gen),
	{}
};

static struct kunit_suite kt_aead_suite = {
	.name = "pqrekey_aead",
	.test_cases = kt_aead_cases,
};

kunit_test_suites(&kt_aead_suite);
