// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The ChaCha20-Poly1305 cores (kernel/aead/chachapoly.h) in userspace:
 *   - Wycheproof chacha20_poly1305_test.json, the 96-bit-nonce cases (the
 *     interface takes only those; the others are counted in a comment):
 *     every valid case must encrypt to its ciphertext and tag and decrypt
 *     back, every invalid one must fail the tag check; each out of place,
 *     in place and at an odd buffer offset;
 *   - a differential test against OpenSSL's EVP_chacha20_poly1305(): random
 *     keys and nonces, lengths 0-1100 and edges around the chunk and batch
 *     sizes (64 ... 2048 bytes, 1420, 4111, 64 KiB, 64 KiB + 17: 2 x 37
 *     lengths, in place and out of place), associated data of
 *     0-40 bytes, in place and out of place, buffers at offsets 0-31, one
 *     case in eight with the largest Poly1305 inputs (r with all bits the
 *     clamping leaves, associated data and ciphertext all ones); each
 *     decrypted back, each with one bit of the tag flipped refused;
 *   - NULL buffers for an empty message without associated data;
 *   - the final reduction of the shared Poly1305 code (accumulator p - 1
 *     .. p + 4, which random inputs do not reach).
 * A variant the CPU lacks is reported skipped. Output: "ok - ..." /
 * "not ok - ..." lines and "N passed, N failed, N skipped" (units: groups).
 *
 *   chachapoly_vectors [VECTORS_DIR]   (default ../shared/vectors)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include <openssl/evp.h>

#include "../../kernel/aead/chachapoly_portable.h"
#include "hex.h"
#include "report.h"

struct variant {
	const char *name;
	bool (*usable)(void);
	void (*encrypt)(const struct pqaead_chachapoly_key *k, const u8 *nonce,
			const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
			size_t len, u8 *tag);
	int (*decrypt)(const struct pqaead_chachapoly_key *k, const u8 *nonce,
		       const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		       size_t len, const u8 *tag);
	void (*init)(struct pqaead_chachapoly_state *s,
		     const struct pqaead_chachapoly_key *k, const u8 *nonce);
	void (*aad)(struct pqaead_chachapoly_state *s, const u8 *aad,
		    size_t len);
	void (*crypt)(struct pqaead_chachapoly_state *s, const u8 *src,
		      u8 *dst, size_t len, bool enc);
	void (*final)(struct pqaead_chachapoly_state *s, u8 *tag);
};

static const struct variant variants[] = {
	{ "chacha_avx2", pqaead_chachapoly_usable_avx2,
	  pqaead_chachapoly_encrypt_avx2, pqaead_chachapoly_decrypt_avx2,
	  pqaead_chachapoly_init_avx2, pqaead_chachapoly_aad_avx2,
	  pqaead_chachapoly_crypt_avx2, pqaead_chachapoly_final_avx2 },
	{ "chacha_avx512", pqaead_chachapoly_usable_avx512,
	  pqaead_chachapoly_encrypt_avx512, pqaead_chachapoly_decrypt_avx512,
	  pqaead_chachapoly_init_avx512, pqaead_chachapoly_aad_avx512,
	  pqaead_chachapoly_crypt_avx512, pqaead_chachapoly_final_avx512 },
};

static u64 rnd(void);

/*
 * With @streaming, encrypt() and decrypt() below go through the streaming
 * interface: the associated data in random pieces (0-length ones too), the
 * text in pieces of random multiples of 64 bytes (0 too, up to 2 KiB) and
 * a last piece of the rest; one message in four in one piece each.
 */
static bool streaming;

static void stream(const struct variant *v,
		   const struct pqaead_chachapoly_key *k, const u8 *nonce,
		   const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		   size_t len, bool enc, u8 *tag)
{
	struct pqaead_chachapoly_state s;
	bool whole = rnd() % 4 == 0;
	size_t n;

	v->init(&s, k, nonce);
	while (aadlen) {
		n = whole ? aadlen : rnd() % (aadlen + 1);
		if (rnd() % 2)
			n = n % 17;
		v->aad(&s, n ? aad : NULL, n);
		aad += n;
		aadlen -= n;
	}
	if (rnd() % 4 == 0)
		v->aad(&s, NULL, 0);
	while (!whole && len >= 64 && rnd() % 8) {
		n = 64 * (rnd() % (len / 64 < 32 ? len / 64 + 1 : 33));
		v->crypt(&s, n ? src : NULL, n ? dst : NULL, n, enc);
		src += n;
		dst += n;
		len -= n;
	}
	v->crypt(&s, len ? src : NULL, len ? dst : NULL, len, enc);
	if (rnd() % 4 == 0)
		v->crypt(&s, NULL, NULL, 0, enc);
	v->final(&s, tag);
}

static void encrypt(const struct variant *v,
		    const struct pqaead_chachapoly_key *k, const u8 *nonce,
		    const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		    size_t len, u8 *tag)
{
	if (streaming)
		stream(v, k, nonce, aad, aadlen, src, dst, len, true, tag);
	else
		v->encrypt(k, nonce, aad, aadlen, src, dst, len, tag);
}

static int decrypt(const struct variant *v,
		   const struct pqaead_chachapoly_key *k, const u8 *nonce,
		   const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		   size_t len, const u8 *tag)
{
	u8 want[16];

	if (!streaming)
		return v->decrypt(k, nonce, aad, aadlen, src, dst, len, tag);
	stream(v, k, nonce, aad, aadlen, src, dst, len, false, want);
	return memcmp(want, tag, 16) ? -EBADMSG : 0;
}

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
			    const struct pqaead_chachapoly_key *k,
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
	encrypt(v, k, iv->p, aad->p, aad->n, a + off, out, n, t);
	if (valid && (memcmp(out, ct->p, n) || memcmp(t, tag->p, 16))) {
		why = "encryption differs";
		goto out;
	}
	memcpy(a + off, ct->p, n);
	out = in_place ? a + off : b + off;
	if (decrypt(v, k, iv->p, aad->p, aad->n, a + off, out, n,
		       tag->p) != (valid ? 0 : -EBADMSG)) {
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
	size_t gi, ti, skipped = 0;
	struct group g;

	snprintf(name, sizeof(name), "%s wycheproof chacha20_poly1305%s",
		 v->name, streaming ? ", streamed" : "");
	snprintf(path, sizeof(path),
		 "%s/aead/wycheproof/chacha20_poly1305_test.json", dir);
	root = json_object_from_file(path);
	if (!root) {
		group_skip(name, "no vectors");
		return;
	}
	group_begin(&g, name);
	if (!json_object_object_get_ex(root, "testGroups", &groups))
		group_error(&g, "no testGroups");
	for (gi = 0; groups && gi < json_object_array_length(groups); gi++) {
		tg = json_object_array_get_idx(groups, gi);
		json_object_object_get_ex(tg, "tests", &tests);
		if (atoi(str(tg, "ivSize") ?: "0") != 96 ||
		    atoi(str(tg, "keySize") ?: "0") != 256 ||
		    atoi(str(tg, "tagSize") ?: "0") != 128) {
			skipped += json_object_array_length(tests);
			continue;
		}
		for (ti = 0; ti < json_object_array_length(tests); ti++) {
			struct blob key = { 0 }, iv = { 0 }, aad = { 0 },
				    msg = { 0 }, ct = { 0 }, tag = { 0 };
			struct pqaead_chachapoly_key k;
			const char *res, *why = NULL;
			char id[32];
			unsigned int m;

			t = json_object_array_get_idx(tests, ti);
			snprintf(id, sizeof(id), "tcId %s", str(t, "tcId") ?: "?");
			res = str(t, "result") ?: "";
			g.cases++;
			if (!field(&key, t, "key") || !field(&iv, t, "iv") ||
			    !field(&aad, t, "aad") || !field(&msg, t, "msg") ||
			    !field(&ct, t, "ct") || !field(&tag, t, "tag") ||
			    tag.n != 16)
				why = "bad test case";
			else if (pqaead_chachapoly_setkey(&k, key.p, key.n))
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
	printf("# %s wycheproof: %zu cases with a nonce other than 96 bits not run\n",
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
static bool ossl_encrypt(const u8 *key, const u8 *iv, const u8 *aad,
			 size_t aadlen, const u8 *in, size_t len, u8 *out,
			 u8 *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int l, ok;

	ok = ctx &&
	     EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), NULL, key, iv) &&
	     (!aadlen || EVP_EncryptUpdate(ctx, NULL, &l, aad, (int)aadlen)) &&
	     (!len || EVP_EncryptUpdate(ctx, out, &l, in, (int)len)) &&
	     EVP_EncryptFinal_ex(ctx, out + len, &l) &&
	     EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

static void differential(const struct variant *v)
{
	static const size_t big[] = {
		63, 64, 65, 127, 128, 129, 255, 256, 257, 447, 448, 449,
		511, 512, 513, 575, 576, 577, 959, 960, 961, 1023, 1024, 1025,
		1471, 1472, 1473, 1535, 1536, 1537, 2047, 2048, 2049, 1420,
		4111, 65536, 65553,
	};
	const size_t nbig = ARRAY_SIZE(big);
	size_t maxlen = 65553 + 64, i, j, len, aadlen, off;
	u8 *msg = malloc(maxlen), *want = malloc(maxlen), *buf = malloc(maxlen),
	   *buf2 = malloc(maxlen);
	u8 key[32], iv[12], aad[40], tag[16], wtag[16];
	struct pqaead_chachapoly_key k;
	unsigned int rounds = 3000;
	bool in_place, extreme;
	char name[64], id[64];
	struct group g;

	snprintf(name, sizeof(name), "%s vs OpenSSL%s", v->name,
		 streaming ? ", streamed" : "");
	group_begin(&g, name);
	if (!msg || !want || !buf || !buf2) {
		group_error(&g, "out of memory");
		goto out;
	}
	for (i = 0; i < rounds + 2 * nbig; i++) {
		u8 *src, *dst;

		len = i < rounds ? rnd() % 1101 : big[(i - rounds) % nbig];
		aadlen = rnd() % 41;
		off = rnd() % 32;
		/* each edge once in place and once out of place */
		in_place = i < rounds ? rnd() & 1 : i - rounds >= nbig;
		rnd_bytes(key, sizeof(key));
		rnd_bytes(iv, sizeof(iv));
		rnd_bytes(aad, aadlen);
		rnd_bytes(msg, len);
		extreme = i % 8 == 0;
		snprintf(id, sizeof(id), "#%zu (len %zu, aad %zu%s%s)", i, len,
			 aadlen, in_place ? ", in place" : "",
			 extreme ? ", all-ones" : "");
		g.cases++;
		if (extreme) {
			/*
			 * The largest Poly1305 limbs: r with every bit the
			 * clamping leaves, associated data and ciphertext
			 * all ones (the plaintext is the keystream inverted).
			 */
			memset(key, 0xff, 16);
			memset(aad, 0xff, aadlen);
			memset(msg, 0, len);
			if (!ossl_encrypt(key, iv, aad, aadlen, msg, len, want,
					  wtag)) {
				case_fail(&g, id, "%s", "OpenSSL failed");
				continue;
			}
			for (j = 0; j < len; j++)
				msg[j] = want[j] ^ 0xff;
		}
		if (!ossl_encrypt(key, iv, aad, aadlen, msg, len, want, wtag)) {
			case_fail(&g, id, "%s", "OpenSSL failed");
			continue;
		}
		if (pqaead_chachapoly_setkey(&k, key, sizeof(key))) {
			case_fail(&g, id, "%s", "setkey refused the key");
			continue;
		}
		src = buf + off;
		dst = in_place ? src : buf2 + (off ^ 7);
		memcpy(src, msg, len);
		encrypt(v, &k, iv, aad, aadlen, src, dst, len, tag);
		if (memcmp(dst, want, len) || memcmp(tag, wtag, 16)) {
			case_fail(&g, id, "%s", "differs from OpenSSL");
			continue;
		}
		memcpy(src, want, len);
		if (decrypt(v, &k, iv, aad, aadlen, src, dst, len, wtag) ||
		    memcmp(dst, msg, len)) {
			case_fail(&g, id, "%s", "decryption failed");
			continue;
		}
		wtag[rnd() % 16] ^= (u8)(1u << (rnd() % 8));
		memcpy(src, want, len);
		if (decrypt(v, &k, iv, aad, aadlen, src, dst, len,
			       wtag) != -EBADMSG)
			case_fail(&g, id, "%s", "a flipped tag bit was accepted");
	}
out:
	group_end(&g);
	free(msg);
	free(want);
	free(buf);
	free(buf2);
}

/* NULL buffers where their length is 0 (the header allows them). */
static void empty_null(const struct variant *v)
{
	u8 key[32], iv[12], tag[16], wtag[16], out[1];
	struct pqaead_chachapoly_key k;
	char name[64];
	struct group g;

	snprintf(name, sizeof(name), "%s NULL when empty", v->name);
	group_begin(&g, name);
	g.cases++;
	rnd_bytes(key, sizeof(key));
	rnd_bytes(iv, sizeof(iv));
	pqaead_chachapoly_setkey(&k, key, sizeof(key));
	if (!ossl_encrypt(key, iv, NULL, 0, NULL, 0, out, wtag))
		case_fail(&g, "empty", "%s", "OpenSSL failed");
	encrypt(v, &k, iv, NULL, 0, NULL, NULL, 0, tag);
	if (memcmp(tag, wtag, 16))
		case_fail(&g, "empty", "%s", "tag differs from OpenSSL");
	if (decrypt(v, &k, iv, NULL, 0, NULL, NULL, 0, wtag))
		case_fail(&g, "empty", "%s", "valid tag refused");
	group_end(&g);
}

/*
 * The final reduction of Poly1305 (kernel/aead/chachapoly_portable.h, which
 * every variant ends with): the accumulator is p - 1 .. p + 4 (p = 2^130 -
 * 5) when the tag is computed, which real inputs practically never reach
 * (the AEAD derives r, so it cannot be chosen). With r = 1, s = 0 and no
 * data, poly1305_final() adds the length block 2^128 to h and reduces: h is
 * set to p + d - 2^128, so the tag must be (p + d) mod p mod 2^128.
 */
static void reduction_edge(void)
{
	static const u8 otk[32] = { 1 };	/* r = 1, s = 0 */
	struct pqaead_poly1305 p;
	u8 tag[16], want[16];
	char id[32];
	struct group g;
	int d;

	group_begin(&g, "portable Poly1305 h >= p");
	for (d = -1; d <= 4; d++) {
		snprintf(id, sizeof(id), "h = p %+d", d);
		g.cases++;
		poly1305_init(&p, otk);
		/* p + d - 2^128 = 3 * 2^128 - 5 + d, in 26-bit limbs */
		p.h[0] = (u32)(0x3fffffb + d);
		p.h[1] = 0x3ffffff;
		p.h[2] = 0x3ffffff;
		p.h[3] = 0x3ffffff;
		p.h[4] = 0x2ffffff;
		if (d == -1) {
			memset(want, 0xff, sizeof(want));
			want[0] = 0xfa;
		} else {
			memset(want, 0, sizeof(want));
			want[0] = (u8)d;
		}
		poly1305_final(&p, 0, 0, tag);
		if (memcmp(tag, want, 16))
			case_fail(&g, id, "tag %s", hex_prefix(tag, 16));
	}
	group_end(&g);
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
		empty_null(v);
		streaming = true;
		wycheproof(v, dir);
		differential(v);
		streaming = false;
	}
	reduction_edge();
	return report_summary();
}
