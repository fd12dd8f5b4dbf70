/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Userspace stand-in for the kernel's <asm/nospec-branch.h>: the AEAD code
 * that the benchmark assembles uses none of its macros (no indirect
 * branches), so it is empty.
 */
