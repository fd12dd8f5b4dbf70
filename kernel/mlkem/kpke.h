/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * K-PKE, the public-key encryption scheme inside ML-KEM (FIPS 203
 * Algorithms 13, 14, 15). Internal to the core; no input checks here.
 */
#ifndef _PQREKEY_MLKEM_KPKE_H
#define _PQREKEY_MLKEM_KPKE_H

#include "mlkem.h"

void mlkem_kpke_keygen(const struct mlkem_params *p, u8 *ek, u8 *dk_pke,
		       const u8 d[MLKEM_SYMBYTES], struct mlkem_ws *ws);
void mlkem_kpke_encrypt(const struct mlkem_params *p, u8 *ct, const u8 *ek,
			const u8 m[MLKEM_SYMBYTES],
			const u8 r[MLKEM_SYMBYTES], struct mlkem_ws *ws);
void mlkem_kpke_decrypt(const struct mlkem_params *p,
			u8 m[MLKEM_SYMBYTES], const u8 *ct,
			const u8 *dk_pke, struct mlkem_ws *ws);

#endif /* _PQREKEY_MLKEM_KPKE_H */
