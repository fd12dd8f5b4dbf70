/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Keccak-f[1600] and the FIPS 202 functions ML-KEM uses: SHA3-256 (H),
 * SHA3-512 (G), SHAKE128 (XOF, incremental) and SHAKE256 (PRF, J).
 * All symbols carry the mlkem_ prefix so that they never clash with a
 * kernel's own SHA-3 code.
 */
#ifndef _PQREKEY_MLKEM_KECCAK_H
#define _PQREKEY_MLKEM_KECCAK_H

#include "platform.h"

#define MLKEM_KECCAK_ROUNDS	24

/* Keccak-f[1600] round constants, indexed by round (public). */
extern const u64 mlkem_keccak_rc[MLKEM_KECCAK_ROUNDS];

#define MLKEM_SHAKE128_RATE	168
#define MLKEM_SHAKE256_RATE	136
#define MLKEM_SHA3_256_RATE	136
#define MLKEM_SHA3_512_RATE	72

#define MLKEM_KECCAK_DS_SHA3	0x06
#define MLKEM_KECCAK_DS_SHAKE	0x1f

/**
 * struct mlkem_keccak - an incremental sponge.
 * @s:    the 1600-bit state as 25 little-endian lanes
 * @pos:  byte offset into the current rate-sized block
 * @rate: rate in bytes (168 for SHAKE128, 136 for SHAKE256, ...)
 * @f1600: the permutation (mlkem_keccak_init() sets mlkem_keccak_f1600())
 */
struct mlkem_keccak {
	u64 s[25];
	unsigned int pos;
	unsigned int rate;
	void (*f1600)(u64 s[25]);
};

void mlkem_keccak_f1600(u64 s[25]);
void mlkem_keccak_init(struct mlkem_keccak *st, unsigned int rate);
void mlkem_keccak_absorb(struct mlkem_keccak *st, const u8 *in, size_t len);
void mlkem_keccak_finalize(struct mlkem_keccak *st, u8 ds);
void mlkem_keccak_squeeze(struct mlkem_keccak *st, u8 *out, size_t len);
void mlkem_keccak_squeezeblocks(struct mlkem_keccak *st, u8 *out,
				size_t nblocks);

static inline void mlkem_shake128_init(struct mlkem_keccak *st)
{
	mlkem_keccak_init(st, MLKEM_SHAKE128_RATE);
}

static inline void mlkem_shake256_init(struct mlkem_keccak *st)
{
	mlkem_keccak_init(st, MLKEM_SHAKE256_RATE);
}

static inline void mlkem_shake_finalize(struct mlkem_keccak *st)
{
	mlkem_keccak_finalize(st, MLKEM_KECCAK_DS_SHAKE);
}

/**
 * struct mlkem_keccak_x4 - four Keccak states, lane-interleaved.
 * @s: lane i of instance j is s[4 * i + j]
 * @t: scratch of the permutation (it alternates between @s and @t)
 *
 * Used by the AVX2 backend only (keccak_x4.c, compiled with -mavx2).
 */
struct mlkem_keccak_x4 {
	u64 s[25 * 4];
	u64 t[25 * 4];
};

#ifdef MLKEM_X86_64
/* keccak_x4.c: call only when AVX2 is usable (and, in the kernel, in an
 * FPU section). @in and @out are four pointers, one per instance.
 */
void mlkem_keccak_x4_f1600(struct mlkem_keccak_x4 *st);
void mlkem_keccak_x4_absorb_once(struct mlkem_keccak_x4 *st,
				 unsigned int rate, const u8 *const *in,
				 size_t inlen, u8 ds);
void mlkem_keccak_x4_squeezeblocks(struct mlkem_keccak_x4 *st,
				   unsigned int rate, u8 *const *out,
				   size_t nblocks);
#endif

void mlkem_keccak_hash(u8 *out, size_t outlen, const u8 *in, size_t inlen,
		       unsigned int rate, u8 ds, void (*f1600)(u64 s[25]));
void mlkem_sha3_256(u8 out[32], const u8 *in, size_t len);
void mlkem_sha3_512(u8 out[64], const u8 *in, size_t len);
void mlkem_shake256(u8 *out, size_t outlen, const u8 *in, size_t inlen);

#endif /* _PQREKEY_MLKEM_KECCAK_H */
