// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Constant-time check of the ChaCha20-Poly1305 cores under clang's
 * MemorySanitizer (user/tests/run-ct.sh, "make user-ct"), for the AVX-512
 * variant that valgrind cannot run (chachapoly_ct.c checks the gcc-built
 * AVX2 one); both variants run here. The cores are built with clang
 * -fsanitize=memory -DMLKEM_CT_TESTING -DMLKEM_CT_MSAN, as ct-msan.c's
 * ML-KEM core: the key and the plaintext are poisoned, MSan reports a
 * conditional branch on, or a memory address computed from, a secret. The
 * tag comparison's verdict is declassified by the core. Each case runs in
 * a child, which MSan stops at its first report with exit code 77; each
 * also checks that decryption gives the plaintext back. MSan checks the
 * compiler's IR, not the gcc-built machine code.
 *
 *   chachapoly_ct_msan               encrypt and decrypt per variant and
 *                                    length
 *   chachapoly_ct_msan --self-check  a secret branch that must be reported
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sanitizer/msan_interface.h>

#include "../../kernel/aead/chachapoly.h"

#if !defined(__has_feature)
#error "chachapoly_ct_msan needs clang -fsanitize=memory"
#elif !__has_feature(memory_sanitizer)
#error "chachapoly_ct_msan needs clang -fsanitize=memory"
#endif

#define secret(p, n)	__msan_poison((p), (n))
#define public(p, n)	__msan_unpoison((p), (n))

#define MSAN_EXIT	77	/* exit status of a child MSan stopped */
#define WRONG_EXIT	3	/* decryption did not give the plaintext back */

const char *__msan_default_options(void);
const char *__msan_default_options(void)
{
	return "exitcode=77:halt_on_error=1";
}

struct stream_fns {
	void (*init)(struct pqaead_chachapoly_state *s,
		     const struct pqaead_chachapoly_key *k, const u8 *nonce);
	void (*aad)(struct pqaead_chachapoly_state *s, const u8 *aad,
		    size_t len);
	void (*crypt)(struct pqaead_chachapoly_state *s, const u8 *src,
		      u8 *dst, size_t len, bool enc);
	void (*final)(struct pqaead_chachapoly_state *s, u8 *tag);
};

struct variant {
	const char *name;
	bool (*usable)(void);
	void (*encrypt)(const struct pqaead_chachapoly_key *k, const u8 *nonce,
			const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
			size_t len, u8 *tag);
	int (*decrypt)(const struct pqaead_chachapoly_key *k, const u8 *nonce,
		       const u8 *aad, size_t aadlen, const u8 *src, u8 *dst,
		       size_t len, const u8 *tag);
	struct stream_fns stream;
};

static const struct variant variants[] = {
	{ "chacha_avx2", pqaead_chachapoly_usable_avx2,
	  pqaead_chachapoly_encrypt_avx2, pqaead_chachapoly_decrypt_avx2,
	  { pqaead_chachapoly_init_avx2, pqaead_chachapoly_aad_avx2,
	    pqaead_chachapoly_crypt_avx2, pqaead_chachapoly_final_avx2 } },
	{ "chacha_avx512", pqaead_chachapoly_usable_avx512,
	  pqaead_chachapoly_encrypt_avx512, pqaead_chachapoly_decrypt_avx512,
	  { pqaead_chachapoly_init_avx512, pqaead_chachapoly_aad_avx512,
	    pqaead_chachapoly_crypt_avx512, pqaead_chachapoly_final_avx512 } },
};

/* the short path's batches, a chunk, chunk + tail of both kinds */
static const size_t lens[] = { 0, 1, 64, 448, 449, 960, 1420, 1473, 4111 };

/*
 * The streaming interface over the same message: the associated data in
 * pieces of 5 and 7 bytes, the text in pieces of 64, 0 and 512 bytes (as
 * far as it goes) and the rest.
 */
static void streamed(const struct stream_fns *f,
		     const struct pqaead_chachapoly_key *k, const u8 *nonce,
		     const u8 *aad, const u8 *src, u8 *dst, size_t n, bool enc,
		     u8 *tag)
{
	static const size_t piece[] = { 64, 0, 512 };
	struct pqaead_chachapoly_state s;
	size_t i, m;

	f->init(&s, k, nonce);
	f->aad(&s, aad, 5);
	f->aad(&s, aad + 5, 7);
	for (i = 0; i < ARRAY_SIZE(piece); i++) {
		m = piece[i];
		if (m > n - n % 64)
			break;
		f->crypt(&s, src, dst, m, enc);
		src += m;
		dst += m;
		n -= m;
	}
	f->crypt(&s, src, dst, n, enc);
	f->final(&s, tag);
}

static int one_case(const struct variant *v, size_t n)
{
	static u8 key[32], nonce[12], aad[12], pt[4111], ct[4111], out[4111],
		  sct[4111];
	struct pqaead_chachapoly_key k;
	u8 tag[16], stag[16], want[16];
	size_t j;
	int ret;

	for (j = 0; j < sizeof(key); j++)
		key[j] = (u8)(j * 29 + n);
	for (j = 0; j < n; j++)
		pt[j] = (u8)(j * 7 + 3);
	secret(key, sizeof(key));
	secret(pt, n);
	pqaead_chachapoly_setkey(&k, key, sizeof(key));
	v->encrypt(&k, nonce, aad, sizeof(aad), pt, ct, n, tag);
	public(ct, n);
	public(tag, sizeof(tag));
	ret = v->decrypt(&k, nonce, aad, sizeof(aad), ct, out, n, tag);
	__msan_check_mem_is_initialized(&ret, sizeof(ret));
	public(out, n);
	public(pt, n);
	if (ret || memcmp(out, pt, n))
		return WRONG_EXIT;
	/* the same through the streaming interface (in place) */
	memcpy(sct, pt, n);
	secret(sct, n);
	streamed(&v->stream, &k, nonce, aad, sct, sct, n, true, stag);
	public(sct, n);
	public(stag, sizeof(stag));
	streamed(&v->stream, &k, nonce, aad, sct, sct, n, false, want);
	/* the caller compares the expected tag (crypto_memneq()): public */
	public(want, sizeof(want));
	ret = memcmp(want, tag, sizeof(tag)) != 0;
	public(sct, n);
	return ret || memcmp(stag, tag, 16) || memcmp(sct, pt, n) ?
	       WRONG_EXIT : 0;
}

static int run_child(const struct variant *v, size_t n, bool leak)
{
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("chachapoly_ct_msan: fork");
		exit(2);
	}
	if (pid == 0) {
		if (leak) {
			static u8 s[1];

			secret(s, 1);
			if (s[0] & 1)	/* a secret branch */
				_exit(1);
			_exit(0);
		}
		_exit(one_case(v, n));
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	unsigned int n_ok = 0, n_fail = 0, n_skip = 0;
	size_t i, j;
	int st;

	if (argc > 1 && !strcmp(argv[1], "--self-check")) {
		st = run_child(NULL, 0, true);
		printf("%s - chachapoly ct-msan self-check: a secret branch %s\n",
		       st == MSAN_EXIT ? "ok" : "not ok",
		       st == MSAN_EXIT ? "is reported" : "went unreported");
		st == MSAN_EXIT ? n_ok++ : n_fail++;
		printf("%u passed, %u failed, 0 skipped\n", n_ok, n_fail);
		return n_fail != 0;
	}
	for (i = 0; i < ARRAY_SIZE(variants); i++) {
		const struct variant *v = &variants[i];

		if (!v->usable()) {
			printf("skip - ct-msan %s (the CPU lacks it)\n", v->name);
			n_skip++;
			continue;
		}
		for (j = 0; j < ARRAY_SIZE(lens); j++) {
			st = run_child(v, lens[j], false);
			printf("%s - ct-msan %s %zu bytes%s\n",
			       st ? "not ok" : "ok", v->name, lens[j],
			       st == MSAN_EXIT ? ": MemorySanitizer report (see above)" :
			       st == WRONG_EXIT ? ": decryption differs" :
			       st ? ": child failed" : "");
			st ? n_fail++ : n_ok++;
		}
	}
	printf("%u passed, %u failed, %u skipped\n", n_ok, n_fail, n_skip);
	return n_fail != 0;
}
