// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AVX-512 backend of the FrodoKEM matrix work: the rows of A are what
 * changes, the products are the AVX2 backend's (frodo_avx2.c; 16-lane
 * products are not the bottleneck and n = 976 is not a multiple of 32):
 *   - the AES sets' rows with VAES on zmm registers, four blocks a
 *     register;
 *   - the SHAKE sets' rows with ML-KEM's eight-way Keccak
 *     (keccak_avx512.c), all FRODO_AROWS rows of a slice at once.
 * Bit-identical to the portable code. Only public data (seedA, the row
 * and column numbers) reaches the row generation.
 */
#include "../avx2/frodo_avx2.h"
#include "../frodo_vec.h"
#include "../../../mlkem/x86_64/keccak_vec.h"

#define FRODO_X8	8	/* Keccak states of keccak_avx512.c */

static_assert(FRODO_AROWS == FRODO_X8, "one Keccak state per row");
static_assert(sizeof(((struct frodo_ws *)0)->xofn) >=
	      25 * FRODO_X8 * sizeof(u64), "xofn holds the x8 state");
/* A slice is n blocks, 16 (four registers) at a time. */
static_assert(976 % 16 == 0 && 1344 % 16 == 0, "whole groups of 16");

/*
 * FRODO_AROWS rows of A from AES-128 (block f: row i0 + f / nb, ...), the
 * input blocks written first and encrypted in place, four a register and
 * four registers in flight (named: an array might go to the stack). The
 * round keys are broadcast once per slice into ws->rkv and read from there.
 */
static void gen_rows_vaes(const struct frodo_params *p, struct frodo_ws *ws,
			  unsigned int i0)
{
	unsigned int total = FRODO_AROWS * (p->n / 8), f, l, r;
	frodo_v8di_u *a = (frodo_v8di_u *)ws->a;	/* 32 entries each */
	const frodo_v8di_u *rkv = (const frodo_v8di_u *)ws->rkv;

	for (r = 0; r < 11; r++)
		for (l = 0; l < 4; l++)
			memcpy(ws->rkv + 64 * r + 16 * l, ws->aes.rk + 16 * r,
			       16);
	frodo_ctr_blocks((u64 *)ws->a, p->n, i0);
	for (f = 0; f < total / 4; f += 4) {
		frodo_v8di x0 = a[f] ^ rkv[0], x1 = a[f + 1] ^ rkv[0];
		frodo_v8di x2 = a[f + 2] ^ rkv[0], x3 = a[f + 3] ^ rkv[0];

		for (r = 1; r < 10; r++) {
			x0 = frodo_vaesenc(x0, rkv[r]);
			x1 = frodo_vaesenc(x1, rkv[r]);
			x2 = frodo_vaesenc(x2, rkv[r]);
			x3 = frodo_vaesenc(x3, rkv[r]);
		}
		a[f] = frodo_vaesenclast(x0, rkv[10]);
		a[f + 1] = frodo_vaesenclast(x1, rkv[10]);
		a[f + 2] = frodo_vaesenclast(x2, rkv[10]);
		a[f + 3] = frodo_vaesenclast(x3, rkv[10]);
	}
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
