/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Small helpers of pqiked's files that do not use OpenSSL.
 */
#ifndef PQIKED_IKE_UTIL_H
#define PQIKED_IKE_UTIL_H

#include <string.h>

/* Wipes secrets; not optimized away (glibc's explicit_bzero). */
static inline void ike_wipe(void *p, size_t n)
{
	explicit_bzero(p, n);
}

#endif /* PQIKED_IKE_UTIL_H */
