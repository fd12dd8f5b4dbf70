// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The x86-64 AEAD variants (vaes_avx2/, vaes_avx512/) as struct
 * pqaead_impl entries, with their run-time CPU checks. Built without
 * vector flags, like ../../mlkem/x86_64/cpu.c: everything here may run on
 * any x86-64 CPU; the adapters only call into the folders that have them.
 */
#include "../impl.h"
#include "../aesgcm.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#endif

/*
 * AVX2, AES-NI, PCLMULQDQ, VAES, VPCLMULQDQ and the OS saving the YMM
 * registers (UML: a host process, the host saves them).
 */
bool pqaead_aesgcm_usable_vaes_avx2(void)
{
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_AES) &&
	       boot_cpu_has(X86_FEATURE_PCLMULQDQ) &&
	       boot_cpu_has(X86_FEATURE_VAES) &&
	       boot_cpu_has(X86_FEATURE_VPCLMULQDQ)
#ifndef CONFIG_UML
	       && cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL)
#endif
	       ;
#else
	/* libgcc sets "avx2" only when XGETBV shows the YMM state enabled */
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("aes") &&
	       __builtin_cpu_supports("pclmul") &&
	       __builtin_cpu_supports("vaes") &&
	       __builtin_cpu_supports("vpclmulqdq");
#endif
}

/* The above plus AVX-512 F and BW and the OS saving ZMM and opmasks. */
bool pqaead_aesgcm_usable_vaes_avx512(void)
{
	if (!pqaead_aesgcm_usable_vaes_avx2())
		return false;
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512BW)
#ifndef CONFIG_UML
	       && cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
				    XFEATURE_MASK_AVX512, NULL)
#endif
	       ;
#else
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512bw");
#endif
}

/* AES-GCM: both variants keep a struct pqaead_aesgcm512_key; ymm uses .base */
static int gcm_setkey_avx2(void *key, const u8 *raw, unsigned int len)
{
	struct pqaead_aesgcm512_key *k = key;

	return pqaead_aesgcm_setkey_vaes_avx2(&k->base, raw, len);
}

static int gcm_setkey_avx512(void *key, const u8 *raw, unsigned int len)
{
	return pqaead_aesgcm_setkey_vaes_avx512(key, raw, len);
}

static void gcm_init(void *st, const void *key, const u8 *nonce)
{
	(void)key;	/* J0 needs none; the tag's E_K(J0) comes at final */
	pqaead_aesgcm_init(st, nonce);
}

static void gcm_aad(void *st, const void *key, const u8 *p, size_t len)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_aad_vaes_avx2(st, &k->base, p, len);
}

static void gcm_crypt_avx2(void *st, const void *key, const u8 *src, u8 *dst,
			   size_t len, bool enc)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_crypt_vaes_avx2(st, &k->base, src, dst, len, enc);
}

static void gcm_crypt_avx512(void *st, const void *key, const u8 *src,
			     u8 *dst, size_t len, bool enc)
{
	pqaead_aesgcm_crypt_vaes_avx512(st, key, src, dst, len, enc);
}

static void gcm_final(void *st, const void *key, u8 *tag)
{
	const struct pqaead_aesgcm512_key *k = key;

	pqaead_aesgcm_final_vaes_avx2(st, &k->base, tag);
}

static const struct pqaead_impl pqaead_gcm_vaes_avx2 = {
	.name		= "vaes_avx2",
	.family		= PQAEAD_GCM,
	.rank		= 1,
	.usable		= pqaead_aesgcm_usable_vaes_avx2,
	.key_size	= sizeof(struct pqaead_aesgcm512_key),
	.state_size	= sizeof(struct pqaead_aesgcm_state),
	.chunk		= 16,
	.setkey		= gcm_setkey_avx2,
	.init		= gcm_init,
	.aad		= gcm_aad,
	.crypt		= gcm_crypt_avx2,
	.final		= gcm_final,
};

static const struct pqaead_impl pqaead_gcm_vaes_avx512 = {
	.name		= "vaes_avx512",
	.family		= PQAEAD_GCM,
	.rank		= 2,
	.usable		= pqaead_aesgcm_usable_vaes_avx512,
	.key_size	= sizeof(struct pqaead_aesgcm512_key),
	.state_size	= sizeof(struct pqaead_aesgcm_state),
	.chunk		= 16,
	.setkey		= gcm_setkey_avx512,
	.init		= gcm_init,
	.aad		= gcm_aad,
	.crypt		= gcm_crypt_avx512,
	.final		= gcm_final,
};

const struct pqaead_impl *const pqaead_impls[] = {
	&pqaead_gcm_vaes_avx2,
	&pqaead_gcm_vaes_avx512,
	NULL,
};
