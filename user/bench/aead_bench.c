// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Speed of the AEAD cores (kernel/aead/) next to OpenSSL's EVP code and the
 * kernels' own x86 code (aead_kref.c) in the same process (not a test: it
 * never fails on numbers; it does fail, before timing anything, when an
 * implementation's ciphertext or tag differs from OpenSSL's).
 * AES-256-GCM and ChaCha20-Poly1305 encryption, ESP-like calls: the key set
 * once, a new nonce per message, AADLEN bytes of associated data (default
 * 16), out of place; 64, 576, 1420 and 8192 bytes. Our cores are built
 * with the kernel's code-gen flags (as chachapoly_bench). Pinned to one
 * CPU; per size and implementation SAMPLES batches of BATCH messages, the
 * median and 10th percentile of ns per message, GB/s (payload bytes per
 * ns) and bytes per TSC cycle at the median (the TSC frequency is measured
 * against CLOCK_MONOTONIC and printed).
 *
 *   aead_bench [-s SAMPLES] [-b BATCH] [-a AADLEN] [-o] [-n NAME]
 *     -o       OpenSSL only (for the runs in the Debian 13 root)
 *     -n NAME  what to call OpenSSL in the output (default "openssl")
 *
 * Output: comment lines (#) and one line per measurement:
 *   AEAD IMPL BYTES MEDIAN_NS P10_NS GB/s BYTES/CYCLE
 * tools/bench-aead runs it on the host and in the Debian 13 root and
 * prints the table with ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "../../kernel/aead/aesgcm.h"
#include "../../kernel/aead/chachapoly.h"
#include "aead_kref.h"
#include "bench_util.h"

#define MAXLEN 8192

static unsigned int samples = 300, batch = 64;
static size_t aadlen = 16;
static u8 rawkey[32], aad[64], nonce[12], tag[16];
static u8 *src, *dst;

static struct pqaead_aesgcm_key gk2;
static struct pqaead_aesgcm512_key gk5;
static struct pqaead_chachapoly_key ck;
static struct k61_gcm_key *k61g;
static struct k73_gcm_key_avx2 *k73g2;
static struct k73_gcm_key_avx512 *k73g5;
static EVP_CIPHER_CTX *ctx_gcm, *ctx_cp;

static void gcm_avx2(size_t len)
{
	pqaead_aesgcm_encrypt_vaes_avx2(&gk2, nonce, aad, aadlen, src, dst,
					len, tag);
}

static void gcm_avx512(size_t len)
{
	pqaead_aesgcm_encrypt_vaes_avx512(&gk5, nonce, aad, aadlen, src, dst,
					  len, tag);
}

static void gcm_k61(size_t len)
{
	k61_gcm_encrypt(k61g, nonce, aad, aadlen, src, dst, len, tag);
}

static void gcm_k73_avx2(size_t len)
{
	k73_gcm_avx2_encrypt(k73g2, nonce, aad, aadlen, src, dst, len, tag);
}

static void gcm_k73_avx512(size_t len)
{
	k73_gcm_avx512_encrypt(k73g5, nonce, aad, aadlen, src, dst, len, tag);
}

static void cp_avx2(size_t len)
{
	pqaead_chachapoly_encrypt_avx2(&ck, nonce, aad, aadlen, src, dst, len,
				       tag);
}

static void cp_avx512(size_t len)
{
	pqaead_chachapoly_encrypt_avx512(&ck, nonce, aad, aadlen, src, dst,
					 len, tag);
}

static void cp_k61_avx512(size_t len)
{
	k61_cp_encrypt(true, rawkey, nonce, aad, aadlen, src, dst, len, tag);
}

static void cp_k61_avx2(size_t len)
{
	k61_cp_encrypt(false, rawkey, nonce, aad, aadlen, src, dst, len, tag);
}

static void ossl(EVP_CIPHER_CTX *ctx, size_t len)
{
	int l;

	if (!EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) ||
	    (aadlen && !EVP_EncryptUpdate(ctx, NULL, &l, aad, (int)aadlen)) ||
	    !EVP_EncryptUpdate(ctx, dst, &l, src, (int)len) ||
	    !EVP_EncryptFinal_ex(ctx, dst + len, &l) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag)) {
		fprintf(stderr, "aead_bench: OpenSSL failed\n");
		exit(1);
	}
}

static void gcm_ossl(size_t len)
{
	ossl(ctx_gcm, len);
}

static void cp_ossl(size_t len)
{
	ossl(ctx_cp, len);
}

static bool has(const char *f)
{
	/* __builtin_cpu_supports() wants a literal: the few features used */
	if (!strcmp(f, "avx2"))
		return __builtin_cpu_supports("avx2");
	if (!strcmp(f, "avx512f"))
		return __builtin_cpu_supports("avx512f");
	if (!strcmp(f, "avx512vl"))
		return __builtin_cpu_supports("avx512vl");
	if (!strcmp(f, "avx512bw"))
		return __builtin_cpu_supports("avx512bw");
	if (!strcmp(f, "aes"))
		return __builtin_cpu_supports("aes");
	if (!strcmp(f, "pclmul"))
		return __builtin_cpu_supports("pclmul");
	if (!strcmp(f, "bmi2"))
		return __builtin_cpu_supports("bmi2");
	return false;
}

static bool usable_k61_gcm(void)
{
	return has("avx2") && has("aes") && has("pclmul");
}

static bool usable_k73_avx2(void)
{
	return pqaead_aesgcm_usable_vaes_avx2();	/* AVX2, VAES, VPCLMULQDQ */
}

static bool usable_k73_avx512(void)
{
	return usable_k73_avx2() && has("avx512bw") && has("avx512vl") &&
	       has("bmi2");
}

static bool usable_k61_cp_avx512(void)
{
	return has("avx512vl") && has("avx512bw") && has("avx512f");
}

static bool usable_k61_cp_avx2(void)
{
	return has("avx2");
}

static const struct impl {
	const char *aead, *name;
	void (*enc)(size_t len);
	bool (*usable)(void);
} impls[] = {
	{ "aes256gcm", "ours-avx512", gcm_avx512,
	  pqaead_aesgcm_usable_vaes_avx512 },
	{ "aes256gcm", "ours-avx2", gcm_avx2, pqaead_aesgcm_usable_vaes_avx2 },
	{ "aes256gcm", "k73-avx512", gcm_k73_avx512, usable_k73_avx512 },
	{ "aes256gcm", "k73-avx2", gcm_k73_avx2, usable_k73_avx2 },
	{ "aes256gcm", "k61", gcm_k61, usable_k61_gcm },
	{ "aes256gcm", NULL, gcm_ossl, NULL },		/* OpenSSL */
	{ "chachapoly", "ours-avx512", cp_avx512,
	  pqaead_chachapoly_usable_avx512 },
	{ "chachapoly", "ours-avx2", cp_avx2, pqaead_chachapoly_usable_avx2 },
	{ "chachapoly", "k61-avx512", cp_k61_avx512, usable_k61_cp_avx512 },
	{ "chachapoly", "k61-avx2", cp_k61_avx2, usable_k61_cp_avx2 },
	{ "chachapoly", NULL, cp_ossl, NULL },
};

/*
 * Every implementation against OpenSSL (same AEAD) before any timing:
 * lengths around every path switch of every implementation, AD 0-20
 * bytes. Returns the number of mismatches.
 */
static int check(void)
{
	static const size_t lens[] = { 1, 15, 16, 17, 63, 64, 65, 100, 128,
		255, 256, 257, 511, 512, 513, 576, 639, 640, 1024, 1420,
		1472, 4095, 4096, 4111, 8191, 8192 };
	static const size_t aads[] = { 0, 8, 12, 16, 20 };
	u8 *want = malloc(MAXLEN + 16), wtag[16];
	size_t i, l, a, saved = aadlen;
	int bad = 0;

	if (!want)
		exit(1);
	for (i = 0; i < ARRAY_SIZE(impls); i++) {
		const struct impl *im = &impls[i];
		void (*ref)(size_t) = strcmp(im->aead, "aes256gcm") ?
				      cp_ossl : gcm_ossl;

		if (!im->name || (im->usable && !im->usable()))
			continue;
		for (l = 0; l < ARRAY_SIZE(lens); l++)
			for (a = 0; a < ARRAY_SIZE(aads); a++) {
				aadlen = aads[a];
				nonce[11] = (u8)(l * 7 + a);
				ref(lens[l]);
				memcpy(want, dst, lens[l]);
				memcpy(wtag, tag, 16);
				memset(dst, 0, lens[l] + 16);
				im->enc(lens[l]);
				if (memcmp(want, dst, lens[l]) ||
				    memcmp(wtag, tag, 16)) {
					fprintf(stderr,
						"aead_bench: %s %s differs from OpenSSL at %zu bytes, %zu bytes of AD\n",
						im->aead, im->name, lens[l],
						aads[a]);
					bad++;
				}
			}
	}
	aadlen = saved;
	free(want);
	return bad;
}

static void call(void *fn, size_t len)
{
	nonce[0]++;
	(*(void (**)(size_t))fn)(len);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 576, 1420, 8192 };
	const char *oname = "openssl";
	bool only_ossl = false;
	double *ns, ghz = 0;
	size_t s, i;
	int o, cpu;

	while ((o = getopt(argc, argv, "s:b:a:on:h")) != -1) {
		switch (o) {
		case 's': samples = (unsigned int)atoi(optarg); break;
		case 'b': batch = (unsigned int)atoi(optarg); break;
		case 'a': aadlen = (size_t)atoi(optarg); break;
		case 'o': only_ossl = true; break;
		case 'n': oname = optarg; break;
		default:
			fprintf(stderr, "usage: aead_bench [-s SAMPLES] [-b BATCH] [-a AADLEN] [-o] [-n NAME]\n");
			return o == 'h' ? 0 : 2;
		}
	}
	if (samples < 10 || !batch || aadlen > sizeof(aad)) {
		fprintf(stderr, "aead_bench: SAMPLES >= 10, BATCH >= 1, AADLEN <= %zu\n",
			sizeof(aad));
		return 2;
	}
	ns = calloc(samples, sizeof(*ns));
	src = malloc(MAXLEN + 64);
	dst = malloc(MAXLEN + 64);
	ctx_gcm = EVP_CIPHER_CTX_new();
	ctx_cp = EVP_CIPHER_CTX_new();
	if (!ns || !src || !dst || !ctx_gcm || !ctx_cp)
		return 1;
	for (i = 0; i < sizeof(rawkey); i++)
		rawkey[i] = (u8)(0x5a + 13 * i);
	for (i = 0; i < sizeof(aad); i++)
		aad[i] = (u8)(0xc3 ^ i);
	for (i = 0; i < MAXLEN; i++)
		src[i] = (u8)(i * 31 + 7);
	memcpy(nonce, "\x01\x02\x03\x04saltyiv!", 12);
	if (!EVP_EncryptInit_ex(ctx_gcm, EVP_aes_256_gcm(), NULL, rawkey,
				nonce) ||
	    !EVP_EncryptInit_ex(ctx_cp, EVP_chacha20_poly1305(), NULL, rawkey,
				nonce))
		return 1;
	if (!only_ossl) {
		pqaead_chachapoly_setkey(&ck, rawkey, 32);
		if (pqaead_aesgcm_usable_vaes_avx2())
			pqaead_aesgcm_setkey_vaes_avx2(&gk2, rawkey, 32);
		if (pqaead_aesgcm_usable_vaes_avx512())
			pqaead_aesgcm_setkey_vaes_avx512(&gk5, rawkey, 32);
		if (usable_k61_gcm() && !(k61g = k61_gcm_new(rawkey, 32)))
			return 1;
		if (usable_k73_avx2() &&
		    !(k73g2 = k73_gcm_avx2_new(rawkey, 32)))
			return 1;
		if (usable_k73_avx512() &&
		    !(k73g5 = k73_gcm_avx512_new(rawkey, 32)))
			return 1;
		if (check()) {
			fprintf(stderr, "aead_bench: mismatches against OpenSSL: no timing\n");
			return 1;
		}
	}
	cpu = bench_pin_cpu();
#if defined(__x86_64__)
	ghz = bench_tsc_ghz();
#endif
	printf("# cpu %d\n# tsc_ghz %.4f\n# openssl %s\n# aad %zu\n"
	       "# samples %u batch %u\n", cpu, ghz,
	       OpenSSL_version(OPENSSL_VERSION), aadlen, samples, batch);
	if (!only_ossl)
		printf("# checked against OpenSSL: every implementation below, 26 lengths x 5 AD lengths\n");
	for (i = 0; i < ARRAY_SIZE(impls); i++) {
		const struct impl *im = &impls[i];
		const char *name = im->name ? im->name : oname;

		if (only_ossl && im->name)
			continue;
		if (im->usable && !im->usable()) {
			printf("# %s %s skipped (CPU)\n", im->aead, name);
			continue;
		}
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			double med, p10;

			med = bench_median_ns(call, (void *)&im->enc, sizes[s],
					      samples, batch, ns, &p10);
			printf("%s %s %zu %.1f %.1f %.3f %.3f\n", im->aead,
			       name, sizes[s], med, p10, sizes[s] / med,
			       ghz > 0 ? sizes[s] / (med * ghz) : 0.0);
			fflush(stdout);
		}
	}
	EVP_CIPHER_CTX_free(ctx_gcm);
	EVP_CIPHER_CTX_free(ctx_cp);
	free(ns);
	free(src);
	free(dst);
	return 0;
}
