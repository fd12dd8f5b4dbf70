/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Userspace stand-in for the kernel's <linux/linkage.h>, just enough to
 * assemble the kernels' x86 AEAD code (extracted from Debian's
 * linux-source packages at build time, never kept in this repository) as
 * benchmark references: plain ELF function symbols, a plain RET (no
 * return thunks, no CFI, no ENDBR: a userspace process needs none, and
 * the timing difference is a few cycles per call, noted in the docs).
 */
#ifndef PQREKEY_KASM_LINKAGE_H
#define PQREKEY_KASM_LINKAGE_H

#ifdef __ASSEMBLER__
#define SYM_FUNC_START(name)	.globl name; .type name, @function; \
				.p2align 4; name:
#define SYM_FUNC_START_LOCAL(name) .type name, @function; .p2align 4; name:
#define SYM_TYPED_FUNC_START(name) SYM_FUNC_START(name)
#define SYM_FUNC_END(name)	.size name, .-name
#define SYM_FUNC_ALIAS_LOCAL(alias, name) .set alias, name
#define RET			ret
#endif

#endif /* PQREKEY_KASM_LINKAGE_H */
