// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Matrix expansion and noise sampling of the AVX2 backend: the same
 * SampleNTT and SamplePolyCBD as sampling.c, four SHAKE instances at a
 * time through the four-way Keccak (keccak_x4.c). Built with -mavx2; may
 * only run when AVX2 is usable. Outputs are those of the portable code:
 * each lane absorbs exactly the input the portable code absorbs, the CBD
 * is the same (sampling.h), and the vector rejection sampler accepts the
 * same candidates in the same order as the scalar one, which finishes
 * each block.
 */
#include "../../impl.h"
#include "../simd.h"
#include "../../sampling.h"

#define MLKEM_XOF_BYTES		(MLKEM_XOF_BLOCKS * MLKEM_SHAKE128_RATE)

typedef u8 v32u8 __attribute__((vector_size(32)));
typedef u8 v16u8 __attribute__((vector_size(16)));
typedef s16 v16hi __attribute__((vector_size(32)));
typedef u16 v16u16 __attribute__((vector_size(32)));
typedef u8 v8u8 __attribute__((vector_size(8)));
typedef s32 v8s32 __attribute__((vector_size(32)));
/* Unaligned loads from the byte buffer. */
typedef u64 v4u64 __attribute__((vector_size(32), may_alias)) __aligned(1);

/*
 * GCC's x86 builtins (vpacksswb, vpmovmskb) and lane permutations (vpermq,
 * vpshufb); sparse knows none of them and sees vectors as scalars, so it
 * gets scalar stand-ins.
 */
#ifdef __CHECKER__
#define mlkem_pmovmskb(x)	((int)(x))
#define mlkem_packsswb(a, b)	((a) + (b))
#define mlkem_cvt_u8_s32(x)	((v8s32)(x))
#else
#define mlkem_pmovmskb(x)	__builtin_ia32_pmovmskb256(x)
#define mlkem_packsswb(a, b)	__builtin_ia32_packsswb256(a, b)
/* vpmovzxbd */
#define mlkem_cvt_u8_s32(x)	__builtin_convertvector(x, v8s32)
#endif

/* Bit i of byte 0 (of byte 2): lane i (lane 8 + i) of @x is all-ones. */
static __always_inline unsigned int mlkem_movemask_epi16(v16hi x)
{
	v16hi zero = { 0 };

	return (unsigned int)mlkem_pmovmskb(mlkem_packsswb(x, zero));
}

/*
 * Rejection sampling, 16 candidates (24 bytes) per step. After vpermq,
 * the high 128-bit lane starts at byte 8, so its 12 bytes are at lane
 * positions 4..15. A byte shuffle within lanes puts the two bytes of each
 * 12-bit candidate into its 16-bit lane; even lanes keep the low 12 bits,
 * odd lanes drop the low 4. The accepted lanes of each half are packed to
 * the front by a byte shuffle with mlkem_rej_pack[mask of the half]; the
 * lanes after them are junk that later stores overwrite.
 */
static const u8 mlkem_rej_bytes[32] __aligned(32) = {
	0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11,
	20, 21, 21, 22, 23, 24, 24, 25, 26, 27, 27, 28, 29, 30, 30, 31,
};

static const u8 mlkem_rej_pack[256][16] __aligned(16) = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 0 },
	{ 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 0, 0, 0, 0, 0, 0 },
	{ 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0 },
	{ 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 0, 0, 0, 0 },
	{ 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 0, 0, 0, 0 },
	{ 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 0 },
	{ 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14, 15, 0, 0, 0, 0 },
	{ 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 14, 15, 0, 0, 0, 0 },
	{ 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 0, 0 },
	{ 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 0, 0 },
	{ 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 4, 5, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 0, 0 },
	{ 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0 },
	{ 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0, 0, 0 },
	{ 0, 1, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0 },
	{ 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0, 0, 0 },
	{ 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0 },
	{ 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 0 },
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
};

static const u64 mlkem_rej_perm[4] = { 0, 1, 1, 2 };

static const u16 mlkem_rej_odd[16] __aligned(32) = {
	0, 0xffff, 0, 0xffff, 0, 0xffff, 0, 0xffff,
	0, 0xffff, 0, 0xffff, 0, 0xffff, 0, 0xffff,
};

/* popcnt: the AVX2 backend requires POPCNT (impl.c) */
static __always_inline unsigned int mlkem_popcount8(unsigned int m)
{
	return (unsigned int)__builtin_popcount(m);
}

/*
 * As mlkem_rej_uniform() (sampling.h), whose scalar loop finishes the job:
 * the vector steps take the candidates in the same order and accept the
 * same ones, and stop while 16 free slots remain. A step uses 24 bytes
 * but loads 32: @buf must have 8 readable bytes after @len.
 */
static unsigned int mlkem_rej_uniform_avx2(s16 *r, unsigned int ctr,
					   const u8 *buf, unsigned int len)
{
	const v4u64 perm = *(const v4u64 *)mlkem_rej_perm;
	const v32u8 bytes = *(const v32u8 *)mlkem_rej_bytes;
	const v16u16 odd = *(const v16u16 *)mlkem_rej_odd;
	unsigned int pos = 0, m;
	union {
		v16u16 v;
		v16u8 h[2];
	} c;
	v16u8 lo;

	while (ctr <= MLKEM_N - 16 && pos + 24 <= len) {
		c.v = (v16u16)mlkem_shuffle(*(const v4u64 *)(buf + pos), perm);
		c.v = (v16u16)mlkem_shuffle((v32u8)c.v, bytes);
		c.v = ((c.v >> 4) & odd) | (c.v & ~odd & 0xfff);
		m = mlkem_movemask_epi16((v16hi)c.v < MLKEM_Q);
		lo = mlkem_shuffle(c.h[0],
				   *(const v16u8 *)mlkem_rej_pack[m & 0xff]);
		memcpy(r + ctr, &lo, sizeof(lo));
		ctr += mlkem_popcount8(m & 0xff);
		lo = mlkem_shuffle(c.h[1],
				   *(const v16u8 *)mlkem_rej_pack[(m >> 16) & 0xff]);
		memcpy(r + ctr, &lo, sizeof(lo));
		ctr += mlkem_popcount8((m >> 16) & 0xff);
		pos += 24;
	}
	return mlkem_rej_uniform(r, ctr, buf + pos, len - pos);
}

enum mlkem_job_kind {
	MLKEM_JOB_NONE,
	MLKEM_JOB_HASH,
	MLKEM_JOB_MATRIX,
	MLKEM_JOB_NOISE,
};

/**
 * struct mlkem_lane - what one lane of the four-way sponge is doing.
 * @kind: the job's kind, MLKEM_JOB_NONE when the lane is free
 * @idx:  hash job, matrix entry or noise polynomial
 * @ctr:  matrix: coefficients accepted so far; noise: blocks squeezed
 * @off:  hash: input bytes absorbed so far
 * @last: hash: the padded last block is in the state
 */
struct mlkem_lane {
	unsigned int kind, idx, ctr, off;
	bool last;
};

/*
 * Lane access. x86 is little-endian: a lane word is its 8 message bytes
 * in order, so memcpy() moves them.
 */

/* Starts lane @l (of @n) of @st with one block: lane words are @blk's, then 0. */
static void mlkem_lane_set(u64 *st, unsigned int n, unsigned int l,
			   const u8 *blk, unsigned int rate)
{
	unsigned int j;

	for (j = 0; j < rate / 8; j++)
		memcpy(&st[n * j + l], blk + 8 * j, 8);
	for (; j < 25; j++)
		st[n * j + l] = 0;
}

static void mlkem_lane_xor(u64 *st, unsigned int n, unsigned int l,
			   const u8 *blk, unsigned int rate)
{
	unsigned int j;
	u64 w;

	for (j = 0; j < rate / 8; j++) {
		memcpy(&w, blk + 8 * j, 8);
		st[n * j + l] ^= w;
	}
}

/* The first @len bytes (a multiple of 8) of lane @l. */
static void mlkem_lane_get(const u64 *st, unsigned int n, unsigned int l,
			   u8 *out, unsigned int len)
{
	unsigned int j;

	for (j = 0; j < len / 8; j++)
		memcpy(out + 8 * j, &st[n * j + l], 8);
}

/* A short message (at most rate - 1 bytes) padded to one block. */
static void mlkem_pad_block(u8 *blk, const u8 *a, unsigned int alen,
			    const u8 *b, unsigned int blen,
			    unsigned int rate, u8 ds)
{
	memcpy(blk, a, alen);
	memcpy(blk + alen, b, blen);
	memset(blk + alen + blen, 0, rate - alen - blen);
	blk[alen + blen] = ds;
	blk[rate - 1] |= 0x80;
}

/*
 * The next block of hash job @h from input offset @ln->off: a full block
 * of in[0] || in[1], or the padded last one (then ln->last).
 */
static void mlkem_hash_block(u8 *blk, const struct mlkem_hash_job *h,
			     struct mlkem_lane *ln)
{
	const unsigned int rate = MLKEM_SHAKE256_RATE;
	unsigned int total = h->len[0] + h->len[1], off = ln->off;
	unsigned int n = total - off < rate ? total - off : rate;
	unsigned int n0 = 0;

	if (off < h->len[0]) {
		n0 = h->len[0] - off < n ? h->len[0] - off : n;
		memcpy(blk, h->in[0] + off, n0);
	}
	if (n > n0)
		memcpy(blk + n0, h->in[1] + off + n0 - h->len[0], n - n0);
	ln->off = off + n;
	if (n < rate) {
		memset(blk + n, 0, rate - n);
		blk[n] = h->ds;
		blk[rate - 1] |= 0x80;
		ln->last = true;
	}
}

/* Puts job @job (hashes, then matrix entries, then noise) into lane @l. */
static void mlkem_lane_start(const struct mlkem_batch *b, unsigned int nmat,
			     struct mlkem_lane *ln, u64 *st, unsigned int n,
			     unsigned int l, unsigned int job, u8 *blk)
{
	unsigned int i, j;
	u8 ij[2], nonce;

	ln->ctr = 0;
	ln->off = 0;
	ln->last = false;
	if (job < b->nhash) {
		ln->kind = MLKEM_JOB_HASH;
		ln->idx = job;
		mlkem_hash_block(blk, &b->hash[job], ln);
		mlkem_lane_set(st, n, l, blk, MLKEM_SHAKE256_RATE);
		return;
	}
	job -= b->nhash;
	if (job < nmat) {
		ln->kind = MLKEM_JOB_MATRIX;
		ln->idx = job;
		i = job / b->k;
		j = job % b->k;
		ij[0] = (u8)(b->transposed ? i : j);
		ij[1] = (u8)(b->transposed ? j : i);
		mlkem_pad_block(blk, b->rho, MLKEM_SYMBYTES, ij, 2,
				MLKEM_SHAKE128_RATE, MLKEM_KECCAK_DS_SHAKE);
		mlkem_lane_set(st, n, l, blk, MLKEM_SHAKE128_RATE);
		return;
	}
	ln->kind = MLKEM_JOB_NOISE;
	ln->idx = job - nmat;
	nonce = (u8)ln->idx;
	mlkem_pad_block(blk, b->seed, MLKEM_SYMBYTES, &nonce, 1,
			MLKEM_SHAKE256_RATE, MLKEM_KECCAK_DS_SHAKE);
	mlkem_lane_set(st, n, l, blk, MLKEM_SHAKE256_RATE);
}

/*
 * SamplePolyCBD_2 of 128 bytes, as mlkem_cbd2() (sampling.h): each byte
 * gives two coefficients, its low and its high nibble, each the popcount
 * of its low two bits minus that of its high two. Eight bytes at a time,
 * one per 32-bit lane, whose two 16-bit halves are the two coefficients.
 */
static void mlkem_cbd2_avx2(struct mlkem_poly *r, const u8 *buf)
{
	v8u8 b;
	v8s32 x, e, o;
	unsigned int i;

	for (i = 0; i < MLKEM_N / 16; i++) {
		memcpy(&b, buf + 8 * i, sizeof(b));
		x = mlkem_cvt_u8_s32(b);
		x = (x & 0x55) + ((x >> 1) & 0x55);
		e = (x & 3) - ((x >> 2) & 3);
		o = ((x >> 4) & 3) - ((x >> 6) & 3);
		x = (e & 0xffff) | (o << 16);
		memcpy(&r->coeffs[16 * i], &x, sizeof(x));
	}
}

/*
 * SamplePolyCBD_3 of 192 bytes, as mlkem_cbd3() (sampling.h): each three
 * bytes give four coefficients, each the popcount of three bits minus
 * that of the next three. Four triples at a time, one per 64-bit lane,
 * whose four 16-bit quarters are their coefficients.
 */
static void mlkem_cbd3_avx2(struct mlkem_poly *r, const u8 *buf)
{
	unsigned int i, j;
	v4u64 t, c, x;
	u64 w[4];

	for (i = 0; i < MLKEM_N / 16; i++) {
		for (j = 0; j < 4; j++)
			w[j] = load24_le(buf + 12 * i + 3 * j);
		memcpy(&t, w, sizeof(t));
		t = (t & 0x249249) + ((t >> 1) & 0x249249) +
		    ((t >> 2) & 0x249249);
		x = t & 0;
		for (j = 0; j < 4; j++) {
			c = ((t >> (6 * j)) & 7) - ((t >> (6 * j + 3)) & 7);
			x |= (c & 0xffff) << (16 * j);
		}
		memcpy(&r->coeffs[16 * i], &x, sizeof(x));
	}
}

/*
 * Lane @l after a permutation: absorb the next block or consume output.
 * Clears ln->kind when the job is done.
 */
static void mlkem_lane_step(const struct mlkem_batch *b,
			    struct mlkem_lane *ln, u64 *st, unsigned int n,
			    unsigned int l, u8 *blk, struct mlkem_ws *ws)
{
	const struct mlkem_hash_job *h;
	u8 *out = ws->lanebuf[l];
	struct mlkem_poly *r;
	unsigned int eta;

	switch (ln->kind) {
	case MLKEM_JOB_HASH:
		h = &b->hash[ln->idx];
		if (!ln->last) {
			mlkem_hash_block(blk, h, ln);
			mlkem_lane_xor(st, n, l, blk, MLKEM_SHAKE256_RATE);
			return;
		}
		mlkem_lane_get(st, n, l, h->out, MLKEM_SYMBYTES);
		break;
	case MLKEM_JOB_MATRIX:
		mlkem_lane_get(st, n, l, out, MLKEM_SHAKE128_RATE);
		ln->ctr = mlkem_rej_uniform_avx2(ws->a[ln->idx].coeffs, ln->ctr,
						 out, MLKEM_SHAKE128_RATE);
		if (ln->ctr < MLKEM_N)
			return;
		break;
	case MLKEM_JOB_NOISE:
		r = b->noise[ln->idx];
		eta = ln->idx < b->neta1 ? b->eta1 : b->eta2;
		if (eta == 3) {
			/* 192 bytes: a block of 136, then 56 more */
			if (!ln->ctr++) {
				mlkem_lane_get(st, n, l, out,
					       MLKEM_SHAKE256_RATE);
				return;
			}
			mlkem_lane_get(st, n, l, out + MLKEM_SHAKE256_RATE,
				       3 * MLKEM_N / 4 - MLKEM_SHAKE256_RATE);
			mlkem_cbd3_avx2(r, out);
		} else {
			mlkem_lane_get(st, n, l, out, MLKEM_N / 2);
			mlkem_cbd2_avx2(r, out);
		}
		break;
	}
	ln->kind = MLKEM_JOB_NONE;
}

/**
 * mlkem_sample_lanes() - a struct mlkem_batch in the lanes of a
 * multi-way Keccak.
 * @b:     the batch
 * @ws:    workspace: ws->a gets the matrix; ws->xofn and ws->lanebuf
 *         are scratch (wiped with the workspace)
 * @n:     the number of lanes, 4 or 8
 * @f1600: the n-way permutation of ws->xofn
 *
 * Each job gets a lane of its own, longest first (hashes, matrix entries,
 * noise), and a free lane takes the next job before each permutation, so
 * that the lanes stay busy: for ML-KEM-768 decapsulation with the key
 * check, 9 matrix entries of 3 blocks, J(z || c) and H(ek) of 9 blocks and
 * 7 noise polynomials take 13 four-way permutations. Each lane absorbs and
 * squeezes exactly what the portable sponge does, so the outputs are those
 * of mlkem_sample_generic(). The schedule depends only on the number of
 * blocks the rejection sampling of the public matrix needs.
 */
void mlkem_sample_lanes(const struct mlkem_batch *b, struct mlkem_ws *ws,
			unsigned int n, void (*f1600)(u64 *s))
{
	unsigned int nmat = b->rho ? b->k * b->k : 0;
	unsigned int njobs = b->nhash + nmat + b->nnoise;
	struct mlkem_lane lane[MLKEM_MAX_LANES];
	u8 blk[MLKEM_SHAKE128_RATE];
	unsigned int l, next = 0;
	u64 *st = ws->xofn.x8;
	bool busy;

	if (b->rho)
		mlkem_ct_declassify(b->rho, MLKEM_SYMBYTES);
	for (l = 0; l < n; l++)
		lane[l].kind = MLKEM_JOB_NONE;
	for (;;) {
		busy = false;
		for (l = 0; l < n; l++) {
			if (lane[l].kind == MLKEM_JOB_NONE && next < njobs)
				mlkem_lane_start(b, nmat, &lane[l], st, n, l,
						 next++, blk);
			busy |= lane[l].kind != MLKEM_JOB_NONE;
		}
		if (!busy)
			break;
		f1600(st);
		for (l = 0; l < n; l++)
			mlkem_lane_step(b, &lane[l], st, n, l, blk, ws);
	}
	memzero_explicit(blk, sizeof(blk));
}
