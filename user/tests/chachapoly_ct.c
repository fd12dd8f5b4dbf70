// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the ChaCha20-Poly1305 cores under valgrind
 * memcheck (user/tests/run-ct.sh, "make user-ct"), as user/tests/ct.c does
 * for ML-KEM: the key and the plaintext (for decryption the key, the
 * ciphertext is public) are marked undefined; memcheck then reports every
 * conditional jump and every memory address that depends on them. Each case
 * counts the errors memcheck reports while it runs. The result of the tag
 * comparison is public (declassified in poly1305_tag_cmp()). valgrind does
 * not run AVX-512 code: that variant is reported skipped.
 *
 *   chachapoly_ct               encrypt and decrypt, 0-4111 bytes
 *   chachapoly_ct --self-check  a toy with a secret branch that memcheck
 *                               must catch (valgrind's --error-exitcode)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "../../kernel/aead/chachapoly.h"

#define secret(p, n)	VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define public(p, n)	VALGRIND_MAKE_MEM_DEFINED((p), (n))

static unsigned int n_ok, n_fail, n_skip;

static unsigned long errors_now(void)
{
	return (unsigned long)VALGRIND_COUNT_ERRORS;
}

/*
 * The AVX2 streaming interface over one message, in place: the associated
 * data in pieces of 5 and 7 bytes, the text in pieces of 64, 0 and 512
 * bytes (as far as it goes) and the rest.
 */
static void streamed(const struct pqaead_chachapoly_key *k, const u8 *nonce,
		     const u8 *aad, u8 *buf, size_t n, bool enc, u8 *tag)
{
	static const size_t piece[] = { 64, 0, 512 };
	struct pqaead_chachapoly_state s;
	size_t i, m;

	pqaead_chachapoly_init_avx2(&s, k, nonce);
	pqaead_chachapoly_aad_avx2(&s, aad, 5);
	pqaead_chachapoly_aad_avx2(&s, aad + 5, 7);
	for (i = 0; i < ARRAY_SIZE(piece); i++) {
		m = piece[i];
		if (m > n - n % 64)
			break;
		pqaead_chachapoly_crypt_avx2(&s, buf, buf, m, enc);
		buf += m;
		n -= m;
	}
	pqaead_chachapoly_crypt_avx2(&s, buf, buf, n, enc);
	pqaead_chachapoly_final_avx2(&s, tag);
}

static void cases(const char *name,
		  void (*enc)(const struct pqaead_chachapoly_key *k,
			      const u8 *nonce, const u8 *aad, size_t aadlen,
			      const u8 *src, u8 *dst, size_t len, u8 *tag),
		  int (*dec)(const struct pqaead_chachapoly_key *k,
			     const u8 *nonce, const u8 *aad, size_t aadlen,
			     const u8 *src, u8 *dst, size_t len,
			     const u8 *tag))
{
	static const size_t lens[] = { 0, 1, 64, 448, 449, 512, 1420, 4111 };
	static u8 key[32], nonce[12], aad[12], pt[4111], ct[4111], out[4111],
		  sct[4111];
	struct pqaead_chachapoly_key k;
	u8 tag[16], stag[16], want[16];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		size_t n = lens[i];
		unsigned long e0;
		bool ok;
		int ret;

		for (j = 0; j < sizeof(key); j++)
			key[j] = (u8)(j * 29 + i);
		for (j = 0; j < n; j++)
			pt[j] = (u8)(j * 7 + 3);
		nonce[0] = (u8)i;

		e0 = errors_now();
		secret(key, sizeof(key));
		secret(pt, n);
		pqaead_chachapoly_setkey(&k, key, sizeof(key));
		enc(&k, nonce, aad, sizeof(aad), pt, ct, n, tag);
		public(ct, n);
		public(tag, sizeof(tag));
		ok = errors_now() == e0;
		printf("%s - ct %s encrypt %zu bytes\n", ok ? "ok" : "not ok",
		       name, n);
		ok ? n_ok++ : n_fail++;

		e0 = errors_now();
		ret = dec(&k, nonce, aad, sizeof(aad), ct, out, n, tag);
		public(out, n);
		/* the verdict must come out public */
		(void)VALGRIND_CHECK_VALUE_IS_DEFINED(ret);
		ok = errors_now() == e0 && ret == 0;
		/* the streaming interface, in place, in the same result */
		e0 = errors_now();
		memcpy(sct, pt, n);
		streamed(&k, nonce, aad, sct, n, true, stag);
		public(sct, n);
		public(stag, sizeof(stag));
		streamed(&k, nonce, aad, sct, n, false, want);
		public(want, sizeof(want));	/* the caller's crypto_memneq() */
		public(sct, n);
		ok = ok && errors_now() == e0 && !memcmp(want, tag, 16) &&
		     !memcmp(stag, tag, 16);
		printf("%s - ct %s decrypt %zu bytes%s\n", ok ? "ok" : "not ok",
		       name, n, ret ? " (refused)" : "");
		ok ? n_ok++ : n_fail++;
		public(key, sizeof(key));
		public(&k, sizeof(k));
	}
}

/* A secret branch: memcheck must report it. */
static noinline void leaky(const u8 *s)
{
	if (s[0] & 1)
		puts("# self-check: odd");
	else
		puts("# self-check: even");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--self-check")) {
		static u8 s[1];

		secret(s, 1);
		leaky(s);
		printf("ok - chachapoly ct self-check ran (valgrind must report it)\n");
		return 0;
	}
	if (!RUNNING_ON_VALGRIND)
		fprintf(stderr, "chachapoly_ct: not under valgrind, checks nothing\n");
	if (pqaead_chachapoly_usable_avx2())
		cases("chacha_avx2", pqaead_chachapoly_encrypt_avx2,
		      pqaead_chachapoly_decrypt_avx2);
	else {
		printf("skip - ct chacha_avx2 (the CPU lacks it)\n");
		n_skip++;
	}
	/* valgrind has no AVX-512 */
	printf("skip - ct chacha_avx512 (valgrind does not run AVX-512)\n");
	n_skip++;
	printf("%u passed, %u failed, %u skipped\n", n_ok, n_fail, n_skip);
	return n_fail != 0;
}
