// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX-512 backend of the FrodoKEM matrix work: the rows of A are what
 * changes, the products are the AVX2 backend's (frodo_avx2.c; 16-lane
 * products are not the bottleneck and n = 976 is not a multiple of 32):
 *   - the AES sets' rows with VAES on zmm registers, four blocks a
 *     register, 32 blocks in flight (then 16 for the last ones);
 *   - the SHAKE sets' rows with ML-KEM's eight-way Keccak
 *     (keccak_avx512.c), all FRODO_AROWS rows of a slice at once.
 * Bit-identical to the portable code. Only public data (seedA, the row
 * and column numbers) reaches the row generation.
 */
#include "../avx2/frodo_avx2.h"
#include "../../../mlkem/x86_64/keccak_vec.h"

typedef long long v8di __attribute__((vector_size(64)));
typedef long long v8di_u __attribute__((vector_size(64), may_alias))
	__aligned(1);
typedef char v64qi __attribute__((vector_size(64)));

#ifdef __CHECKER__
#define frodo_vaesenc(x, k)	((x) ^ (k))
#define frodo_vaesenclast(x, k)	((x) ^ (k))
#else
#define frodo_vaesenc(x, k)						\
	((v8di)__builtin_ia32_vaesenc_v64qi((v64qi)(x), (v64qi)(k)))
#define frodo_vaesenclast(x, k)						\
	((v8di)__builtin_ia32_vaesenclast_v64qi((v64qi)(x), (v64qi)(k)))
#endif

#define FRODO_X8	8	/* Keccak states of keccak_avx512.c */

_Static_assert(FRODO_AROWS == FRODO_X8, "one Keccak state per row");
_Static_assert(sizeof(((struct frodo_ws *)0)->xofn) >=
	       25 * FRODO_X8 * sizeof(u64), "xofn holds the x8 state");
/* A slice is 8 * n / 8 = n blocks: 976 = 30 x 32 + 16, 1344 = 42 x 32. */
_Static_assert(976 % 16 == 0 && 1344 % 16 == 0, "whole groups of 16");

/*
 * The counter blocks le16(i) || le16(j) || 0^12 of the next 4 @w blocks
 * from position (*i, *j) on, four to a register, XORed with round key 0.
 */
static __always_inline v8di ctr4(const v8di_u *rk0, unsigned int n,
				 unsigned int *i, unsigned int *j)
{
	long long c[4];
	unsigned int l;

	for (l = 0; l < 4; l++) {
		c[l] = (long long)(*i | (*j << 16));
		*j += 8;
		if (*j == n) {
			*j = 0;
			(*i)++;
		}
	}
	return (v8di){ c[0], 0, c[1], 0, c[2], 0, c[3], 0 } ^ *rk0;
}

/*
 * 32 or 16 blocks: eight or four registers in flight, named one by one so
 * that they stay in registers (an array indexed in a loop that the kernel's
 * -O2 does not unroll would go to the stack). The round keys are read,
 * already broadcast, from ws->rkv.
 */
#define AES_ROUNDS(X)							\
	do {								\
		for (r = 1; r < 10; r++) {				\
			v8di k_ = rkv[r];				\
			X(frodo_vaesenc, k_);				\
		}							\
		X(frodo_vaesenclast, (v8di)rkv[10]);			\
	} while (0)
#define ROUND8(f, k) (x0 = f(x0, k), x1 = f(x1, k), x2 = f(x2, k),	\
		      x3 = f(x3, k), x4 = f(x4, k), x5 = f(x5, k),	\
		      x6 = f(x6, k), x7 = f(x7, k))
#define ROUND4(f, k) (x0 = f(x0, k), x1 = f(x1, k), x2 = f(x2, k),	\
		      x3 = f(x3, k))

static void aes32(v8di_u *out, const v8di_u *rkv, unsigned int n,
		  unsigned int *i, unsigned int *j)
{
	v8di x0, x1, x2, x3, x4, x5, x6, x7;
	unsigned int r;

	x0 = ctr4(rkv, n, i, j);
	x1 = ctr4(rkv, n, i, j);
	x2 = ctr4(rkv, n, i, j);
	x3 = ctr4(rkv, n, i, j);
	x4 = ctr4(rkv, n, i, j);
	x5 = ctr4(rkv, n, i, j);
	x6 = ctr4(rkv, n, i, j);
	x7 = ctr4(rkv, n, i, j);
	AES_ROUNDS(ROUND8);
	out[0] = x0;
	out[1] = x1;
	out[2] = x2;
	out[3] = x3;
	out[4] = x4;
	out[5] = x5;
	out[6] = x6;
	out[7] = x7;
}

static void aes16(v8di_u *out, const v8di_u *rkv, unsigned int n,
		  unsigned int *i, unsigned int *j)
{
	v8di x0, x1, x2, x3;
	unsigned int r;

	x0 = ctr4(rkv, n, i, j);
	x1 = ctr4(rkv, n, i, j);
	x2 = ctr4(rkv, n, i, j);
	x3 = ctr4(rkv, n, i, j);
	AES_ROUNDS(ROUND4);
	out[0] = x0;
	out[1] = x1;
	out[2] = x2;
	out[3] = x3;
}

/* FRODO_AROWS rows of A from AES-128 (block f: row i0 + f / nb, ...). */
static void gen_rows_vaes(const struct frodo_params *p, struct frodo_ws *ws,
			  unsigned int i0)
{
	unsigned int n = p->n, total = FRODO_AROWS * (n / 8);
	unsigned int f = 0, r, i = i0, j = 0;
	v8di_u *out = (v8di_u *)ws->a;	/* 4 blocks = 32 entries each */
	v8di_u *rkv = (v8di_u *)ws->rkv;

	for (r = 0; r < 11; r++) {
		const long long *k = (const long long *)(ws->aes.rk + 16 * r);
		long long lo = k[0], hi = k[1];

		rkv[r] = (v8di){ lo, hi, lo, hi, lo, hi, lo, hi };
	}
	for (; f + 32 <= total; f += 32)
		aes32(out + f / 4, rkv, n, &i, &j);
	for (; f < total; f += 16)
		aes16(out + f / 4, rkv, n, &i, &j);
}

/*
 * FRODO_AROWS rows of A from SHAKE128(le16(i) || seedA), one Keccak state
 * per row: lane l of state k is s[8 * l + k]. The 18-byte input, the SHAKE
 * padding (0x1f) and the rate's last bit fit in lanes 0-2 and 20.
 */
static void gen_rows_shake_x8(const struct frodo_params *p,
			      struct frodo_ws *ws, const u8 *seed_a,
			      unsigned int i0)
{
	u64 *s = ws->xofn;
	size_t len = 2 * (size_t)p->n, off, take;
	const unsigned int rl = FRODO_SHAKE128_RATE / 8;
	u64 seed0, seed1;
	unsigned int k, l;

	memcpy(&seed0, seed_a, 8);
	memcpy(&seed1, seed_a + 8, 8);
	memset(s, 0, 25 * FRODO_X8 * sizeof(u64));
	for (k = 0; k < FRODO_X8; k++) {
		u64 row = (u64)(u16)(i0 + k);

		/* bytes 0-1 the row, 2-17 seedA, 18 the padding */
		s[8 * 0 + k] = row | seed0 << 16;
		s[8 * 1 + k] = seed0 >> 48 | seed1 << 16;
		s[8 * 2 + k] = seed1 >> 48 | (u64)0x1f << 16;
		s[8 * (rl - 1) + k] = (u64)0x80 << 56;
	}
	for (off = 0; off < len; off += take) {
		take = len - off < FRODO_SHAKE128_RATE ? len - off :
							  FRODO_SHAKE128_RATE;
		mlkem_keccak_x8_f1600_avx512(s);
		for (k = 0; k < FRODO_X8; k++) {
			u8 *row = (u8 *)(ws->a + k * (size_t)p->n) + off;

			if (take == FRODO_SHAKE128_RATE) {
				for (l = 0; l < rl; l++)
					memcpy(row + 8 * l, &s[8 * l + k], 8);
				continue;
			}
			for (l = 0; l < rl; l++)
				memcpy(ws->tail[k] + 8 * l, &s[8 * l + k], 8);
			memcpy(row, ws->tail[k], take);
		}
	}
}

static void gen_rows_avx512(const struct frodo_params *p, struct frodo_ws *ws,
			    const u8 *seed_a, unsigned int i0)
{
	if (p->gen == FRODO_GEN_AES)
		gen_rows_vaes(p, ws, i0);
	else
		gen_rows_shake_x8(p, ws, seed_a, i0);
}

void frodo_as_rows_avx512(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, unsigned int i0)
{
	gen_rows_avx512(p, ws, seed_a, i0);
	frodo_as_mul_avx2(p, ws, i0);
}

void frodo_sa_rows_avx512(const struct frodo_params *p, struct frodo_ws *ws,
			  const u8 *seed_a, unsigned int i0)
{
	gen_rows_avx512(p, ws, seed_a, i0);
	frodo_sa_mul_avx2(p, ws, i0);
}
