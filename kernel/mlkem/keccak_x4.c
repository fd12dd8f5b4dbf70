// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Four Keccak-f[1600] permutations at once, one per 64-bit element of a
 * 256-bit vector (GCC vector extensions, no intrinsics: the kernel's
 * -nostdinc hides <immintrin.h>). Built with -mavx2; its functions may
 * only run when AVX2 is usable. The round structure is that of keccak.c,
 * so every instance computes exactly what mlkem_keccak_f1600() computes.
 *
 * The state lives in memory (struct mlkem_keccak_x4), not in 25 local
 * vectors: 50 spilled vectors would need 1.6 KiB of kernel stack. Each
 * round reads one buffer and writes the other.
 */
#include "keccak.h"

#if defined(__x86_64__)

/*
 * Unaligned access (aligned(8)): a workspace from malloc() is 16-aligned;
 * may_alias: the state is declared as u64.
 */
typedef u64 v4u64 __attribute__((vector_size(32), may_alias)) __aligned(8);

static __always_inline v4u64 mlkem_rol4(v4u64 x, unsigned int n)
{
	if (!n)		/* a compile-time constant after inlining */
		return x;
	return (x << n) | (x >> (64 - n));
}

/*
 * One output row of rho, pi and chi: lanes i0..i4 of @in, each shifted by
 * d and rotated by r0..r4, give out[o .. o + 4]. All arguments but the
 * vectors are constants after inlining.
 */
static __always_inline void mlkem_x4_row(v4u64 *out,
					 const v4u64 *in,
					 const v4u64 *d, unsigned int o,
					 unsigned int i0, unsigned int r0,
					 unsigned int i1, unsigned int r1,
					 unsigned int i2, unsigned int r2,
					 unsigned int i3, unsigned int r3,
					 unsigned int i4, unsigned int r4)
{
	v4u64 b0, b1, b2, b3, b4;

	b0 = mlkem_rol4(in[i0] ^ d[i0 % 5], r0);
	b1 = mlkem_rol4(in[i1] ^ d[i1 % 5], r1);
	b2 = mlkem_rol4(in[i2] ^ d[i2 % 5], r2);
	b3 = mlkem_rol4(in[i3] ^ d[i3 % 5], r3);
	b4 = mlkem_rol4(in[i4] ^ d[i4 % 5], r4);
	out[o + 0] = b0 ^ (~b1 & b2);
	out[o + 1] = b1 ^ (~b2 & b3);
	out[o + 2] = b2 ^ (~b3 & b4);
	out[o + 3] = b3 ^ (~b4 & b0);
	out[o + 4] = b4 ^ (~b0 & b1);
}

/*
 * Not inlined: with two rounds in one function, GCC's spills take more
 * than the kernel's 1 KiB frame limit; a call per round costs little.
 */
static noinline void mlkem_keccak_x4_round(v4u64 *out,
					   const v4u64 *in, u64 rc)
{
	v4u64 c0, c1, c2, c3, c4, d[5], vrc = { 0 };

	c0 = in[0] ^ in[5] ^ in[10] ^ in[15] ^ in[20];
	c1 = in[1] ^ in[6] ^ in[11] ^ in[16] ^ in[21];
	c2 = in[2] ^ in[7] ^ in[12] ^ in[17] ^ in[22];
	c3 = in[3] ^ in[8] ^ in[13] ^ in[18] ^ in[23];
	c4 = in[4] ^ in[9] ^ in[14] ^ in[19] ^ in[24];
	d[0] = c4 ^ mlkem_rol4(c1, 1);
	d[1] = c0 ^ mlkem_rol4(c2, 1);
	d[2] = c1 ^ mlkem_rol4(c3, 1);
	d[3] = c2 ^ mlkem_rol4(c4, 1);
	d[4] = c3 ^ mlkem_rol4(c0, 1);
	mlkem_x4_row(out, in, d, 0, 0, 0, 6, 44, 12, 43, 18, 21, 24, 14);
	mlkem_x4_row(out, in, d, 5, 3, 28, 9, 20, 10, 3, 16, 45, 22, 61);
	mlkem_x4_row(out, in, d, 10, 1, 1, 7, 6, 13, 25, 19, 8, 20, 18);
	mlkem_x4_row(out, in, d, 15, 4, 27, 5, 36, 11, 10, 17, 15, 23, 56);
	mlkem_x4_row(out, in, d, 20, 2, 62, 8, 55, 14, 39, 15, 41, 21, 2);
	out[0] ^= vrc + rc;	/* rc in every lane */
}

void mlkem_keccak_x4_f1600(struct mlkem_keccak_x4 *st)
{
	v4u64 *a = (v4u64 *)st->s, *e = (v4u64 *)st->t;
	unsigned int i;

	for (i = 0; i < 24; i += 2) {
		mlkem_keccak_x4_round(e, a, mlkem_keccak_rc[i]);
		mlkem_keccak_x4_round(a, e, mlkem_keccak_rc[i + 1]);
	}
}

/* x86 is little-endian: a lane is the 8 bytes as they are. */
static __always_inline u64 mlkem_x4_load64(const u8 *p)
{
	u64 x;

	memcpy(&x, p, sizeof(x));
	return x;
}

/*
 * Absorbs four equally long inputs into a fresh state and pads them with
 * the domain bits @ds and 10*1; the next squeeze permutes first, as after
 * mlkem_keccak_finalize().
 */
void mlkem_keccak_x4_absorb_once(struct mlkem_keccak_x4 *st,
				 unsigned int rate, const u8 *const *in,
				 size_t inlen, u8 ds)
{
	unsigned int i, j, pos;
	size_t off = 0;

	memset(st->s, 0, sizeof(st->s));
	while (inlen - off >= rate) {
		for (i = 0; i < rate / 8; i++)
			for (j = 0; j < 4; j++)
				st->s[4 * i + j] ^=
					mlkem_x4_load64(in[j] + off + 8 * i);
		mlkem_keccak_x4_f1600(st);
		off += rate;
	}
	for (pos = 0; off + pos < inlen; pos++)
		for (j = 0; j < 4; j++)
			st->s[4 * (pos >> 3) + j] ^=
				(u64)in[j][off + pos] << (8 * (pos & 7));
	for (j = 0; j < 4; j++) {
		st->s[4 * (pos >> 3) + j] ^= (u64)ds << (8 * (pos & 7));
		st->s[4 * ((rate - 1) >> 3) + j] ^=
			0x80ULL << (8 * ((rate - 1) & 7));
	}
}

/* Permutes and writes @nblocks rate-sized blocks to each of @out[0..3]. */
void mlkem_keccak_x4_squeezeblocks(struct mlkem_keccak_x4 *st,
				   unsigned int rate, u8 *const *out,
				   size_t nblocks)
{
	unsigned int i, j;
	size_t off = 0;

	while (nblocks--) {
		mlkem_keccak_x4_f1600(st);
		for (i = 0; i < rate / 8; i++)
			for (j = 0; j < 4; j++)
				memcpy(out[j] + off + 8 * i, &st->s[4 * i + j],
				       8);
		off += rate;
	}
}

#endif /* __x86_64__ */
