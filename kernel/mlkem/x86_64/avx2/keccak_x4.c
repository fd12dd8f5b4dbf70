// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Four Keccak-f[1600] permutations at once, one per 64-bit element of a
 * 256-bit vector (GCC vector extensions, no intrinsics: the kernel's
 * -nostdinc hides <immintrin.h>). Built with -mavx2; its functions may
 * only run when AVX2 is usable. The round structure is that of keccak.c,
 * so every instance computes exactly what mlkem_keccak_f1600() computes.
 */
#include "../../keccak.h"
#include "../simd.h"

/*
 * Unaligned access (aligned(8)): a workspace from malloc() is 16-aligned;
 * may_alias: the state is declared as u64.
 */
typedef u64 v4u64 __attribute__((vector_size(32), may_alias)) __aligned(8);
typedef u8 v32u8 __attribute__((vector_size(32)));

/*
 * Rotations of each 64-bit element: three instructions, or one byte
 * shuffle (vpshufb) for 8 and 56 bits; by 1, x + x (vpaddq runs on more
 * ports than vpsllq). Sparse knows no vector shuffle and sees vectors as
 * scalars: it gets a scalar stand-in.
 */
static __always_inline v4u64 mlkem_rol(v4u64 x, unsigned int n)
{
	return (x << n) | (x >> (64 - n));
}

static __always_inline v4u64 mlkem_rol1(v4u64 x)
{
	return (x + x) | (x >> 63);
}

#ifdef __CHECKER__
static __always_inline v4u64 mlkem_rol8(v4u64 x)
{
	return mlkem_rol(x, 8);
}

static __always_inline v4u64 mlkem_rol56(v4u64 x)
{
	return mlkem_rol(x, 56);
}
#else
static __always_inline v4u64 mlkem_rol8(v4u64 x)
{
	const v32u8 m = {
		7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14,
		23, 16, 17, 18, 19, 20, 21, 22, 31, 24, 25, 26, 27, 28, 29, 30,
	};

	return (v4u64)mlkem_shuffle((v32u8)x, m);
}

static __always_inline v4u64 mlkem_rol56(v4u64 x)
{
	const v32u8 m = {
		1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8,
		17, 18, 19, 20, 21, 22, 23, 16, 25, 26, 27, 28, 29, 30, 31, 24,
	};

	return (v4u64)mlkem_shuffle((v32u8)x, m);
}
#endif

/*
 * One round from @in to @out, as in keccak.c: theta (c, d), then for each
 * output row the five lanes moved by rho and pi (b0..b4) and chi on them,
 * then iota. Lane x + 5 * y of the four states is vector x + 5 * y.
 * @in and @out never overlap (restrict): the compiler may then reorder
 * the loads of @in across the stores to @out.
 */
static __always_inline void mlkem_x4_round(v4u64 *out,
					   const v4u64 *in, u64 rc)
{
	v4u64 b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, t;

	c0 = in[0] ^ in[5] ^ in[10];
	c1 = in[1] ^ in[6] ^ in[11];
	c2 = in[2] ^ in[7] ^ in[12];
	c3 = in[3] ^ in[8] ^ in[13];
	c4 = in[4] ^ in[9] ^ in[14];
	c0 ^= in[15] ^ in[20];
	c1 ^= in[16] ^ in[21];
	c2 ^= in[17] ^ in[22];
	c3 ^= in[18] ^ in[23];
	c4 ^= in[19] ^ in[24];
	d0 = c4 ^ mlkem_rol1(c1);
	d1 = c0 ^ mlkem_rol1(c2);
	d2 = c1 ^ mlkem_rol1(c3);
	d3 = c2 ^ mlkem_rol1(c4);
	d4 = c3 ^ mlkem_rol1(c0);
	/*
	 * Load @in again below rather than keep the 25 lanes loaded for
	 * theta live: 16 registers cannot hold them, and the spills would
	 * exceed the kernel's stack frame limit.
	 */
	__asm__ __volatile__("" : : : "memory");
	b0 = in[0] ^ d0;
	t = in[6] ^ d1;
	b1 = mlkem_rol(t, 44);
	t = in[12] ^ d2;
	b2 = mlkem_rol(t, 43);
	t = in[18] ^ d3;
	b3 = mlkem_rol(t, 21);
	t = in[24] ^ d4;
	b4 = mlkem_rol(t, 14);
	out[0] = b0 ^ (~b1 & b2);
	out[1] = b1 ^ (~b2 & b3);
	out[2] = b2 ^ (~b3 & b4);
	out[3] = b3 ^ (~b4 & b0);
	out[4] = b4 ^ (~b0 & b1);
	t = in[3] ^ d3;
	b0 = mlkem_rol(t, 28);
	t = in[9] ^ d4;
	b1 = mlkem_rol(t, 20);
	t = in[10] ^ d0;
	b2 = mlkem_rol(t, 3);
	t = in[16] ^ d1;
	b3 = mlkem_rol(t, 45);
	t = in[22] ^ d2;
	b4 = mlkem_rol(t, 61);
	out[5] = b0 ^ (~b1 & b2);
	out[6] = b1 ^ (~b2 & b3);
	out[7] = b2 ^ (~b3 & b4);
	out[8] = b3 ^ (~b4 & b0);
	out[9] = b4 ^ (~b0 & b1);
	t = in[1] ^ d1;
	b0 = mlkem_rol1(t);
	t = in[7] ^ d2;
	b1 = mlkem_rol(t, 6);
	t = in[13] ^ d3;
	b2 = mlkem_rol(t, 25);
	t = in[19] ^ d4;
	b3 = mlkem_rol8(t);
	t = in[20] ^ d0;
	b4 = mlkem_rol(t, 18);
	out[10] = b0 ^ (~b1 & b2);
	out[11] = b1 ^ (~b2 & b3);
	out[12] = b2 ^ (~b3 & b4);
	out[13] = b3 ^ (~b4 & b0);
	out[14] = b4 ^ (~b0 & b1);
	t = in[4] ^ d4;
	b0 = mlkem_rol(t, 27);
	t = in[5] ^ d0;
	b1 = mlkem_rol(t, 36);
	t = in[11] ^ d1;
	b2 = mlkem_rol(t, 10);
	t = in[17] ^ d2;
	b3 = mlkem_rol(t, 15);
	t = in[23] ^ d3;
	b4 = mlkem_rol56(t);
	out[15] = b0 ^ (~b1 & b2);
	out[16] = b1 ^ (~b2 & b3);
	out[17] = b2 ^ (~b3 & b4);
	out[18] = b3 ^ (~b4 & b0);
	out[19] = b4 ^ (~b0 & b1);
	t = in[2] ^ d2;
	b0 = mlkem_rol(t, 62);
	t = in[8] ^ d3;
	b1 = mlkem_rol(t, 55);
	t = in[14] ^ d4;
	b2 = mlkem_rol(t, 39);
	t = in[15] ^ d0;
	b3 = mlkem_rol(t, 41);
	t = in[21] ^ d1;
	b4 = mlkem_rol(t, 2);
	out[20] = b0 ^ (~b1 & b2);
	out[21] = b1 ^ (~b2 & b3);
	out[22] = b2 ^ (~b3 & b4);
	out[23] = b3 ^ (~b4 & b0);
	out[24] = b4 ^ (~b0 & b1);
	out[0] ^= rc;
}

/*
 * The state stays in memory, alternating between @st->s and @st->t: the
 * 25 lanes do not fit in 16 ymm registers, and held in local variables
 * GCC's spills would need more than the kernel's 1 KiB stack frame. Two
 * rounds per iteration, inlined: no call, no vzeroupper between rounds.
 */
void mlkem_keccak_x4_f1600(struct mlkem_keccak_x4 *st)
{
	v4u64 *a = (v4u64 *)st->s, *e = (v4u64 *)st->t;
	unsigned int i;

	for (i = 0; i < MLKEM_KECCAK_ROUNDS; i += 2) {
		mlkem_x4_round(e, a, mlkem_keccak_rc[i]);
		mlkem_x4_round(a, e, mlkem_keccak_rc[i + 1]);
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
