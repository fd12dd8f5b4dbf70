/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX2 backend's row functions (frodo_avx2.c), with the contracts of
 * struct frodo_impl's as_rows and sa_rows. Call only when
 * frodo_impl_avx2 is usable and, in the kernel, in an FPU section.
 */
#ifndef _PQREKEY_FRODO_AVX2_H
#define _PQREKEY_FRODO_AVX2_H

#include "../../frodo.h"

void frodo_as_rows_avx2(const struct frodo_params *p, struct frodo_ws *ws,
			const u8 *seed_a, unsigned int i0);
void frodo_sa_rows_avx2(const struct frodo_params *p, struct frodo_ws *ws,
			const u8 *seed_a, unsigned int i0);
/*
 * The products alone, on the FRODO_AROWS rows already in ws->a (the AVX-512
 * backend generates them its own way): as_rows and sa_rows without the
 * generation.
 */
void frodo_as_mul_avx2(const struct frodo_params *p, struct frodo_ws *ws,
		       unsigned int i0);
void frodo_sa_mul_avx2(const struct frodo_params *p, struct frodo_ws *ws,
		       unsigned int i0);

/* The AVX-512 backend (../avx512/frodo_avx512.c): AVX-512F, VAES. */
void frodo_as_rows_avx512(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, unsigned int i0);
void frodo_sa_rows_avx512(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, unsigned int i0);

#endif /* _PQREKEY_FRODO_AVX2_H */
