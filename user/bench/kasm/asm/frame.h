/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Userspace stand-in for the kernel's <asm/frame.h> as Debian builds it
 * (CONFIG_FRAME_POINTER off, the ORC unwinder): no frame set-up.
 */
#ifndef PQREKEY_KASM_FRAME_H
#define PQREKEY_KASM_FRAME_H

#ifdef __ASSEMBLER__
#define FRAME_BEGIN
#define FRAME_END
#define FRAME_OFFSET 0
#endif

#endif /* PQREKEY_KASM_FRAME_H */
