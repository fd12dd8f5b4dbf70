// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Speed of the ChaCha20-Poly1305 cores (kernel/aead/chachapoly.h) next to
 * OpenSSL's EVP_chacha20_poly1305() of the same run (not a test: it never
 * fails on numbers). ESP-like calls: the key set once, a new nonce per
 * message, 8 bytes of associated data, out of place. The cores are built
 * with the kernel's code-gen flags (as keccak_bench); OpenSSL with the
 * nonce, associated data, payload, final and tag calls of one message.
 * Pinned to one CPU; for each size and implementation, SAMPLES samples of
 * BATCH messages, the median and the 10th percentile of the ns per message,
 * and GB/s (payload bytes per ns) at the median, and OpenSSL's median
 * over each. Decryption of our cores is timed too (the tag does not match,
 * which costs the same: the work does not depend on it).
 *
 *   chachapoly_bench [SAMPLES [BATCH]]     defaults 300, 64
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "../../kernel/aead/chachapoly.h"
#include "bench_util.h"

static unsigned int samples = 300, batch = 64;
static struct pqaead_chachapoly_key key;
static u8 rawkey[32], aad[8], nonce[12], tag[16];
static u8 *src, *dst;
static EVP_CIPHER_CTX *ctx;

typedef void (*enc_fn)(size_t len);

static void enc_avx2(size_t len)
{
	nonce[0]++;
	pqaead_chachapoly_encrypt_avx2(&key, nonce, aad, sizeof(aad), src, dst,
				       len, tag);
}

static void dec_avx2(size_t len)
{
	pqaead_chachapoly_decrypt_avx2(&key, nonce, aad, sizeof(aad), src, dst,
				       len, tag);
}

static void enc_avx512(size_t len)
{
	nonce[0]++;
	pqaead_chachapoly_encrypt_avx512(&key, nonce, aad, sizeof(aad), src,
					 dst, len, tag);
}

static void dec_avx512(size_t len)
{
	pqaead_chachapoly_decrypt_avx512(&key, nonce, aad, sizeof(aad), src,
					 dst, len, tag);
}

static void enc_openssl(size_t len)
{
	int l;

	nonce[0]++;
	if (!EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) ||
	    !EVP_EncryptUpdate(ctx, NULL, &l, aad, sizeof(aad)) ||
	    !EVP_EncryptUpdate(ctx, dst, &l, src, (int)len) ||
	    !EVP_EncryptFinal_ex(ctx, dst + len, &l) ||
	    !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag)) {
		fprintf(stderr, "OpenSSL failed\n");
		exit(1);
	}
}

static double *ns;

static void call(void *fn, size_t len)
{
	(*(enc_fn *)fn)(len);
}

/* Median ns per message; *p10 gets the 10th percentile. */
static double run(enc_fn fn, size_t len, double *p10)
{
	return bench_median_ns(call, &fn, len, samples, batch, ns, p10);
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64, 576, 1420, 8192 };
	static const struct {
		const char *name;
		enc_fn enc, dec;
		bool (*usable)(void);
	} impls[] = {
		{ "chacha_avx2", enc_avx2, dec_avx2,
		  pqaead_chachapoly_usable_avx2 },
		{ "chacha_avx512", enc_avx512, dec_avx512,
		  pqaead_chachapoly_usable_avx512 },
		{ "openssl", enc_openssl, NULL, NULL },
	};
	double ref[ARRAY_SIZE(sizes)] = { 0 };
	size_t s, i;
	int cpu;

	if (argc > 1)
		samples = (unsigned int)atoi(argv[1]);
	if (argc > 2)
		batch = (unsigned int)atoi(argv[2]);
	if (samples < 10 || !batch) {
		fprintf(stderr, "usage: chachapoly_bench [SAMPLES [BATCH]]\n");
		return 2;
	}
	ns = calloc(samples, sizeof(*ns));
	src = calloc(1, 8192 + 64);
	dst = calloc(1, 8192 + 64);
	ctx = EVP_CIPHER_CTX_new();
	if (!ns || !src || !dst || !ctx)
		return 1;
	memset(rawkey, 0x5a, sizeof(rawkey));
	memset(src, 0xa5, 8192);
	pqaead_chachapoly_setkey(&key, rawkey, sizeof(rawkey));
	if (!EVP_EncryptInit_ex(ctx, EVP_chacha20_poly1305(), NULL, rawkey,
				nonce))
		return 1;
	cpu = bench_pin_cpu();
	printf("# ChaCha20-Poly1305, 8 bytes of AAD, key set once, CPU %d, "
	       "%u samples of %u messages; %s\n", cpu, samples, batch,
	       OpenSSL_version(OPENSSL_VERSION));
	printf("# %-14s %6s %10s %10s %7s %8s\n", "impl", "bytes",
	       "ns median", "ns p10", "GB/s", "vs ossl");
	/* OpenSSL first, so that the ratios have their reference */
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (i = ARRAY_SIZE(impls); i-- > 0; ) {
			double med, p10;

			if (impls[i].usable && !impls[i].usable()) {
				printf("  %-14s %6zu skipped (CPU)\n",
				       impls[i].name, sizes[s]);
				continue;
			}
			med = run(impls[i].enc, sizes[s], &p10);
			if (!impls[i].usable)
				ref[s] = med;
			printf("  %-14s %6zu %10.1f %10.1f %7.2f %8.2f\n",
			       impls[i].name, sizes[s], med, p10,
			       sizes[s] / med, ref[s] / med);
			if (!impls[i].dec)
				continue;
			med = run(impls[i].dec, sizes[s], &p10);
			printf("  %-14s %6zu %10.1f %10.1f %7.2f %8.2f\n",
			       "  decrypt", sizes[s], med, p10,
			       sizes[s] / med, ref[s] / med);
		}
	}
	EVP_CIPHER_CTX_free(ctx);
	free(ns);
	free(src);
	free(dst);
	return 0;
}
