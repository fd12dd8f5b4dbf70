// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The run-time CPU checks of the x86-64 AEAD variants, for the kernel's
 * variant table (impl.c) and the userspace tests and benchmarks alike.
 * Built without vector flags, like ../../mlkem/x86_64/cpu.c: everything
 * here may run on any x86-64 CPU.
 */
#include "../aesgcm.h"
#include "../chachapoly.h"

#ifdef __KERNEL__
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#else
#include <cpuid.h>
#endif

/*
 * Whether the kernel saves these register states. UML is a host process:
 * the host does (and UML has no XFEATURE_MASK_*).
 */
#if defined(__KERNEL__) && defined(CONFIG_UML)
#define pqaead_os_saves(mask)	true
#elif defined(__KERNEL__)
#define pqaead_os_saves(mask)	cpu_has_xfeatures(mask, NULL)
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
	       boot_cpu_has(X86_FEATURE_VPCLMULQDQ) &&
	       pqaead_os_saves(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM);
#else
	unsigned int a, b, c, d;

	/*
	 * libgcc sets "avx2" only when XGETBV shows the YMM state enabled;
	 * VAES and VPCLMULQDQ are CPUID.(7, 0):ECX bits 9 and 10 (clang's
	 * builtin has no names for them)
	 */
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("aes") &&
	       __builtin_cpu_supports("pclmul") &&
	       __get_cpuid_count(7, 0, &a, &b, &c, &d) &&
	       (c & (1U << 9)) && (c & (1U << 10));
#endif
}

/* The above plus AVX-512 F and BW and the OS saving ZMM and opmasks. */
bool pqaead_aesgcm_usable_vaes_avx512(void)
{
	if (!pqaead_aesgcm_usable_vaes_avx2())
		return false;
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512BW) &&
	       pqaead_os_saves(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
			       XFEATURE_MASK_AVX512);
#else
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512bw");
#endif
}

/* AVX2 and the OS saving the YMM registers. */
bool pqaead_chachapoly_usable_avx2(void)
{
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX2) &&
	       boot_cpu_has(X86_FEATURE_AVX) &&
	       pqaead_os_saves(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM);
#else
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
#endif
}

/* The above plus AVX-512 F and VL and the OS saving ZMM and opmasks. */
bool pqaead_chachapoly_usable_avx512(void)
{
	if (!pqaead_chachapoly_usable_avx2())
		return false;
#ifdef __KERNEL__
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512VL) &&
	       pqaead_os_saves(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
			       XFEATURE_MASK_AVX512);
#else
	return __builtin_cpu_supports("avx512f") &&
	       __builtin_cpu_supports("avx512vl");
#endif
}
