/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Compiler spellings shared by the vector backends. The kernel and the
 * normal userspace builds use GCC; the MemorySanitizer constant-time check
 * (user/tests/ct-msan.c) builds the same files with clang, which lacks
 * GCC's __builtin_shuffle but has the same operation as the two-argument
 * __builtin_shufflevector (each index taken modulo the number of lanes).
 * The x86 builtins the backends use (__builtin_ia32_pmulhw256, pmaddwd256,
 * pmovmskb256, packsswb256) have the same names in both compilers. sparse
 * knows none of them and sees vectors as scalars: a scalar stand-in.
 */
#ifndef _PQREKEY_MLKEM_SIMD_H
#define _PQREKEY_MLKEM_SIMD_H

#if defined(__CHECKER__)
#define mlkem_shuffle(x, m)	((x) + (m))
#elif defined(__clang__)
#define mlkem_shuffle(x, m)	__builtin_shufflevector(x, m)
#else
#define mlkem_shuffle(x, m)	__builtin_shuffle(x, m)
#endif

/*
 * MemorySanitizer (LLVM 16) propagates secrets through most x86 vector
 * builtins, but checks the operands of a few strictly, reporting a secret
 * operand as if it were a branch: on zmm registers vpmaddwd, vpmaddubsw,
 * vpack{ss,us}{wb,dw}, vpternlog, vpsadbw and vpmov{s,us}dw (the ymm forms
 * are fine). A backend calls those through mlkem_vop2(f, a, b): in the
 * MSan build it computes f on unpoisoned copies and marks the whole result
 * secret when either operand holds a secret bit (conservative); elsewhere
 * it is f(a, b).
 */
#if defined(MLKEM_CT_MSAN) && !defined(__KERNEL__)
#include <sanitizer/msan_interface.h>
#define mlkem_vop2(f, a, b) ({						\
	__typeof__(a) a_ = (a);						\
	__typeof__(b) b_ = (b);						\
	int s_ = __msan_test_shadow(&a_, sizeof(a_)) >= 0 ||		\
		 __msan_test_shadow(&b_, sizeof(b_)) >= 0;		\
	__typeof__(f(a_, b_)) r_;					\
									\
	__msan_unpoison(&a_, sizeof(a_));				\
	__msan_unpoison(&b_, sizeof(b_));				\
	r_ = f(a_, b_);							\
	if (s_)								\
		__msan_poison(&r_, sizeof(r_));				\
	r_;								\
})
#else
#define mlkem_vop2(f, a, b)	f(a, b)
#endif

#endif /* _PQREKEY_MLKEM_SIMD_H */
