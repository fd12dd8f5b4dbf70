// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AES-GCM cores (kernel/aead/) in userspace:
 *   - Wycheproof aes_gcm_test.json, the 96-bit-IV cases (ESP's IV size;
 *     the others are counted as skipped): every valid case must encrypt to
 *     its ciphertext and tag and decrypt back, every invalid one must fail
 *     the tag check; each also in place and at an odd buffer offset;
 *   - a differential test against OpenSSL's EVP AES-GCM: random keys of
 *     16/24/32 bytes, lengths 0-1000 and a few up to 64 KiB + 17 (GSO),
 *     associated data of 0-40 bytes, in place and out of place, buffers at
 *     offsets 0-31, tags of 8/12/16 bytes; each decrypted back, each with
 *     one bit of the tag flipped refused;
 *   - the same cases through the streaming interface (init, aad, crypt,
 *     final/check): the associated data in random pieces, the text in
 *     random pieces of whole blocks (empty ones included) but the last,
 *     as a scatterlist walk hands them out.
 * A variant the CPU lacks is reported skipped. Output: "ok - ..." /
 * "not ok - ..." lines and "N passed, N failed, N skipped" (units: groups).
 *
 *   aead_vectors [VECTORS_DIR]   (default ../shared/vectors)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "../../kernel/aead/aesgcm.h"
#include "hex.h"
#include "report.h"

/* Room for the expanded key of any variant. */
union anykey {
	struct pqaead_aesgcm_key k256;
	struct pqaead_aesgcm512_key k512;
};

struct variant {
	const char *name;
	bool (*usable)(void);
	int (*setkey)(union anykey *k, const u8 *key, unsigned int keylen);
	void (*encrypt)(const union anykey *k, const u8 *iv, const u8 *aad,
			size_t aadlen, const u8 *src, u8 *dst, size_t len,
			u8 *tag);
	int (*decrypt)(const union anykey *k, const u8 *iv, const u8 *aad,
		       size_t aadlen, const u8 *src, u8 *dst, size_t len,
		       const u8 *tag, unsigned int taglen);
	void (*crypt)(struct pqaead_aesgcm_state *s, const union anykey *k,
		      const u8 *src, u8 *dst, size_t len, bool enc);
	const struct pqaead_aesgcm_key *(*base)(const union anykey *k);
};

#define VARIANT(v, member, basekey)					\
static int setkey_##v(union anykey *k, const u8 *key, unsigned int keylen) \
{									\
	return pqaead_aesgcm_setkey_##v(&k->member, key, keylen);	\
}									\
static void encrypt_##v(const union anykey *k, const u8 *iv,		\
			const u8 *aad, size_t aadlen, const u8 *src,	\
			u8 *dst, size_t len, u8 *tag)			\
{									\
	pqaead_aesgcm_encrypt_##v(&k->member, iv, aad, aadlen, src, dst,	\
				  len, tag);				\
}									\
static int decrypt_##v(const union anykey *k, const u8 *iv,		\
		       const u8 *aad, size_t aadlen, const u8 *src,	\
		       u8 *dst, size_t len, const u8 *tag,		\
		       unsigned int taglen)				\
{									\
	return pqaead_aesgcm_decrypt_##v(&k->member, iv, aad, aadlen, src,	\
					 dst, len, tag, taglen);	\
}									\
static void crypt_##v(struct pqaead_aesgcm_state *s,			\
		      const union anykey *k, const u8 *src, u8 *dst,	\
		      size_t len, bool enc)				\
{									\
	pqaead_aesgcm_crypt_##v(s, &k->member, src, dst, len, enc);	\
}									\
static const struct pqaead_aesgcm_key *base_##v(const union anykey *k)	\
{									\
	return &k->basekey;						\
}
VARIANT(vaes_avx2, k256, k256)
VARIANT(vaes_avx512, k512, k512.base)

static const struct variant variants[] = {
	{ "vaes_avx2", pqaead_aesgcm_usable_vaes_avx2, setkey_vaes_avx2,
	  encrypt_vaes_avx2, decrypt_vaes_avx2, crypt_vaes_avx2,
	  base_vaes_avx2 },
	{ "vaes_avx512", pqaead_aesgcm_usable_vaes_avx512, setkey_vaes_avx512,
	  encrypt_vaes_avx512, decrypt_vaes_avx512, crypt_vaes_avx512,
	  base_vaes_avx512 },
};

static const char *str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return json_object_get_string(v);
}

static bool field(struct blob *b, json_object *t, const char *key)
{
	const char *s = str(t, key);

	return s && hex_decode(b, s, strlen(s));
}

/*
 * One case at buffer offset @off, in place or not; returns NULL or what
 * went wrong.
 */
static const char *run_case(const struct variant *v,
			    const union anykey *k,
			    const struct blob *iv, const struct blob *aad,
			    const struct blob *msg, const struct blob *ct,
			    const struct blob *tag, bool valid, size_t off,
			    bool in_place)
{
	size_t n = msg->n;
	u8 *a = malloc(n + 64), *b = malloc(n + 64), *out, t[16];
	const char *why = NULL;

	if (!a || !b) {
		why = "out of memory";
		goto out;
	}
	memcpy(a + off, msg->p, n);
	out = in_place ? a + off : b + off;
	v->encrypt(k, iv->p, aad->p, aad->n, a + off, out, n, t);
	if (valid && (memcmp(out, ct->p, n) || memcmp(t, tag->p, tag->n))) {
		why = "encryption differs";
		goto out;
	}
	memcpy(a + off, ct->p, n);
	out = in_place ? a + off : b + off;
	if (v->decrypt(k, iv->p, aad->p, aad->n, a + off, out, n, tag->p,
		       tag->n) != (valid ? 0 : -EBADMSG)) {
		why = valid ? "valid tag refused" : "invalid tag accepted";
		goto out;
	}
	if (valid && memcmp(out, msg->p, n))
		why = "decryption differs";
out:
	free(a);
	free(b);
	return why;
}

static void wycheproof(const struct variant *v, const char *dir)
{
	char path[4096], name[64];
	json_object *root, *groups, *tg, *tests, *t;
	size_t gi, ti, skipped = 0, ks;
	static const unsigned int key_sizes[] = { 128, 192, 256 };

	snprintf(path, sizeof(path), "%s/aead/wycheproof/aes_gcm_test.json", dir);
	root = json_object_from_file(path);
	if (!root) {
		snprintf(name, sizeof(name), "%s wycheproof aes_gcm", v->name);
		group_skip(name, "no vectors");
		return;
	}
	json_object_object_get_ex(root, "testGroups", &groups);
	for (ks = 0; ks < ARRAY_SIZE(key_sizes); ks++) {
		struct group g;

		snprintf(name, sizeof(name), "%s wycheproof AES-%u-GCM",
			 v->name, key_sizes[ks]);
		group_begin(&g, name);
		for (gi = 0; groups && gi < json_object_array_length(groups); gi++) {
			tg = json_object_array_get_idx(groups, gi);
			if ((unsigned int)atoi(str(tg, "keySize") ?: "0") != key_sizes[ks])
				continue;
			json_object_object_get_ex(tg, "tests", &tests);
			if (atoi(str(tg, "ivSize") ?: "0") != 96 ||
			    atoi(str(tg, "tagSize") ?: "0") != 128) {
				skipped += json_object_array_length(tests);
				continue;
			}
			for (ti = 0; ti < json_object_array_length(tests); ti++) {
				struct blob key = { 0 }, iv = { 0 }, aad = { 0 },
					    msg = { 0 }, ct = { 0 }, tag = { 0 };
				union anykey k;
				const char *res, *why = NULL;
				char id[32];
				unsigned int m;

				t = json_object_array_get_idx(tests, ti);
				snprintf(id, sizeof(id), "tcId %s", str(t, "tcId") ?: "?");
				res = str(t, "result") ?: "";
				g.cases++;
				if (!field(&key, t, "key") || !field(&iv, t, "iv") ||
				    !field(&aad, t, "aad") || !field(&msg, t, "msg") ||
				    !field(&ct, t, "ct") || !field(&tag, t, "tag"))
					why = "bad test case";
				else if (v->setkey(&k, key.p, key.n))
					why = "setkey refused the key";
				for (m = 0; !why && m < 4; m++)
					why = run_case(v, &k, &iv, &aad, &msg, &ct, &tag,
						       !strcmp(res, "valid"),
						       m & 1 ? 1 : 0, m & 2);
				if (why)
					case_fail(&g, id, "%s (%s)", why, res);
				blob_free(&key);
				blob_free(&iv);
				blob_free(&aad);
				blob_free(&msg);
				blob_free(&ct);
				blob_free(&tag);
			}
		}
		group_end(&g);
	}
	printf("# %s wycheproof: %zu cases with a non-96-bit IV not run\n",
	       v->name, skipped);
	json_object_put(root);
}

static u64 rng_state = 0x9e3779b97f4a7c15ull;

static u64 rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void rnd_bytes(u8 *p, size_t n)
{
	while (n--)
		*p++ = (u8)rnd();
}

/* OpenSSL's ciphertext and 16-byte tag; false on an OpenSSL error. */
static bool ossl_encrypt(const u8 *key, size_t keylen, const u8 *iv,
			 const u8 *aad, size_t aadlen, const u8 *in, size_t len,
			 u8 *out, u8 *tag)
{
	const EVP_CIPHER *c = keylen == 16 ? EVP_aes_128_gcm() :
			      keylen == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l, ok;

	ok = ctx && EVP_EncryptInit_ex(ctx, c, NULL, key, iv) &&
	     (!aadlen || EVP_EncryptUpdate(ctx, NULL, &l, aad, (int)aadlen)) &&
	     (!len || EVP_EncryptUpdate(ctx, out, &l, in, (int)len)) &&
	     EVP_EncryptFinal_ex(ctx, out + len, &l) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

/*
 * One message through the streaming interface: @aad in random pieces, the
 * text in random pieces of whole blocks (some empty) and then the rest.
 * Encrypts into @tag, or (with @tag NULL) decrypts and checks @want_tag.
 */
static int streamed(const struct variant *v, const union anykey *k,
		    const u8 *iv, const u8 *aad, size_t aadlen,
		    const u8 *src, u8 *dst, size_t len, u8 *tag,
		    const u8 *want_tag, unsigned int taglen)
{
	struct pqaead_aesgcm_state s;
	size_t n;

	pqaead_aesgcm_init(&s, iv);
	while (aadlen) {
		n = rnd() % (aadlen + 1);
		pqaead_aesgcm_aad_vaes_avx2(&s, v->base(k), aad, n);
		aad += n;
		aadlen -= n;
	}
	for (;;) {
		n = 16 * (rnd() % (len / 16 + 2));
		if (n >= len)
			break;
		v->crypt(&s, k, src, dst, n, !!tag);
		src += n;
		dst += n;
		len -= n;
	}
	v->crypt(&s, k, src, dst, len, !!tag);
	if (tag) {
		pqaead_aesgcm_final_vaes_avx2(&s, v->base(k), tag);
		return 0;
	}
	return pqaead_aesgcm_check_vaes_avx2(&s, v->base(k), want_tag, taglen);
}

static void differential(const struct variant *v)
{
	static const size_t big[] = { 65536 + 17, 65536, 4096 + 15, 1420, 127,
				      128, 129, 255, 256, 257, 319, 320, 321,
				      511, 512, 513, 1009, 1023, 1024, 1025,
				      1535, 2047 };
	const size_t nbig = ARRAY_SIZE(big);
	size_t maxlen = 65536 + 17 + 64, i, len, aadlen, off;
	u8 *msg = malloc(maxlen), *want = malloc(maxlen), *buf = malloc(maxlen),
	   *buf2 = malloc(maxlen);
	u8 key[32], iv[12], aad[40], tag[16], wtag[16], otag[16];
	union anykey k;
	unsigned int keylen, taglen, rounds = 3000;
	bool in_place;
	char name[64], id[48];
	struct group g;

	snprintf(name, sizeof(name), "%s vs OpenSSL", v->name);
	group_begin(&g, name);
	if (!msg || !want || !buf || !buf2) {
		group_error(&g, "out of memory");
		goto out;
	}
	for (i = 0; i < rounds + nbig; i++) {
		u8 *src, *dst;

		keylen = 16 + 8 * (unsigned int)(rnd() % 3);
		len = i < rounds ? rnd() % 1001 : big[i - rounds];
		aadlen = rnd() % 41;
		off = rnd() % 32;
		in_place = rnd() & 1;
		taglen = 8 + 4 * (unsigned int)(rnd() % 3);
		rnd_bytes(key, keylen);
		rnd_bytes(iv, sizeof(iv));
		rnd_bytes(aad, aadlen);
		rnd_bytes(msg, len);
		snprintf(id, sizeof(id), "#%zu (AES-%u, len %zu, aad %zu)", i,
			 keylen * 8, len, aadlen);
		g.cases++;
		if (!ossl_encrypt(key, keylen, iv, aad, aadlen, msg, len, want,
				  wtag)) {
			case_fail(&g, id, "%s", "OpenSSL failed");
			continue;
		}
		if (v->setkey(&k, key, keylen)) {
			case_fail(&g, id, "%s", "setkey refused the key");
			continue;
		}
		src = buf + off;
		dst = in_place ? src : buf2 + (off ^ 7);
		memcpy(src, msg, len);
		v->encrypt(&k, iv, aad, aadlen, src, dst, len, tag);
		if (memcmp(dst, want, len) || memcmp(tag, wtag, 16)) {
			case_fail(&g, id, "%s", "differs from OpenSSL");
			continue;
		}
		memcpy(src, want, len);
		if (v->decrypt(&k, iv, aad, aadlen, src, dst, len, wtag, taglen) ||
		    memcmp(dst, msg, len)) {
			case_fail(&g, id, "%s", "decryption failed");
			continue;
		}
		memcpy(otag, wtag, sizeof(otag));
		wtag[rnd() % taglen] ^= (u8)(1u << (rnd() % 8));
		memcpy(src, want, len);
		if (v->decrypt(&k, iv, aad, aadlen, src, dst, len, wtag,
			       taglen) != -EBADMSG) {
			case_fail(&g, id, "%s", "a flipped tag bit was accepted");
			continue;
		}
		memcpy(src, msg, len);
		streamed(v, &k, iv, aad, aadlen, src, dst, len, tag, NULL, 0);
		if (memcmp(dst, want, len) || memcmp(tag, otag, 16)) {
			case_fail(&g, id, "%s", "streamed: differs from OpenSSL");
			continue;
		}
		memcpy(src, want, len);
		if (streamed(v, &k, iv, aad, aadlen, src, dst, len, NULL, otag,
			     taglen) || memcmp(dst, msg, len)) {
			case_fail(&g, id, "%s", "streamed: decryption failed");
			continue;
		}
		memcpy(src, want, len);
		if (streamed(v, &k, iv, aad, aadlen, src, dst, len, NULL, wtag,
			     taglen) != -EBADMSG)
			case_fail(&g, id, "%s",
				  "streamed: a flipped tag bit was accepted");
	}
out:
	group_end(&g);
	free(msg);
	free(want);
	free(buf);
	free(buf2);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../shared/vectors";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		const struct variant *v = &variants[i];
		char name[64];

		if (!v->usable()) {
			snprintf(name, sizeof(name), "%s (all tests)", v->name);
			group_skip(name, "the CPU lacks it");
			continue;
		}
		wycheproof(v, dir);
		differential(v);
	}
	return report_summary();
}
