/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The body of Keccak-f[1600] (FIPS 202) in portable 64-bit C, shared by
 * mlkem_keccak_f1600() (keccak.c, the kernel's general-purpose flags) and
 * mlkem_keccak_f1600_avx2() (keccak_avx2.c, the same code compiled with
 * BMI1/BMI2, where GCC uses andn and rorx). The 25 lanes live in local
 * variables and two rounds are written out per loop iteration, so that
 * the second round reads what the first wrote without any copy. No table
 * is indexed by data; the round constants are indexed by round.
 */
#ifndef _PQREKEY_MLKEM_KECCAK_F1600_H
#define _PQREKEY_MLKEM_KECCAK_F1600_H

#include "keccak.h"

static __always_inline u64 rol64c(u64 x, unsigned int n)
{
	return (x << n) | (x >> (64 - n));
}

/*
 * Lane aXY below is lane x + 5 * y, written as a two-digit index: a07 is
 * x = 2, y = 1. Each round computes theta (c, d), then for each output
 * row the five rho/pi-moved lanes b0..b4 and chi on them, then iota.
 */
static __always_inline void mlkem_keccak_f1600_inline(u64 s[25])
{
	u64 a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12;
	u64 a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24;
	u64 e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12;
	u64 e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
	u64 b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
	unsigned int i;

	a00 = s[0];
	a01 = s[1];
	a02 = s[2];
	a03 = s[3];
	a04 = s[4];
	a05 = s[5];
	a06 = s[6];
	a07 = s[7];
	a08 = s[8];
	a09 = s[9];
	a10 = s[10];
	a11 = s[11];
	a12 = s[12];
	a13 = s[13];
	a14 = s[14];
	a15 = s[15];
	a16 = s[16];
	a17 = s[17];
	a18 = s[18];
	a19 = s[19];
	a20 = s[20];
	a21 = s[21];
	a22 = s[22];
	a23 = s[23];
	a24 = s[24];

	for (i = 0; i < 24; i += 2) {
		c0 = a00 ^ a05 ^ a10 ^ a15 ^ a20;
		c1 = a01 ^ a06 ^ a11 ^ a16 ^ a21;
		c2 = a02 ^ a07 ^ a12 ^ a17 ^ a22;
		c3 = a03 ^ a08 ^ a13 ^ a18 ^ a23;
		c4 = a04 ^ a09 ^ a14 ^ a19 ^ a24;
		d0 = c4 ^ rol64c(c1, 1);
		d1 = c0 ^ rol64c(c2, 1);
		d2 = c1 ^ rol64c(c3, 1);
		d3 = c2 ^ rol64c(c4, 1);
		d4 = c3 ^ rol64c(c0, 1);
		b0 = a00 ^ d0;
		b1 = rol64c(a06 ^ d1, 44);
		b2 = rol64c(a12 ^ d2, 43);
		b3 = rol64c(a18 ^ d3, 21);
		b4 = rol64c(a24 ^ d4, 14);
		e00 = b0 ^ (~b1 & b2);
		e01 = b1 ^ (~b2 & b3);
		e02 = b2 ^ (~b3 & b4);
		e03 = b3 ^ (~b4 & b0);
		e04 = b4 ^ (~b0 & b1);
		b0 = rol64c(a03 ^ d3, 28);
		b1 = rol64c(a09 ^ d4, 20);
		b2 = rol64c(a10 ^ d0, 3);
		b3 = rol64c(a16 ^ d1, 45);
		b4 = rol64c(a22 ^ d2, 61);
		e05 = b0 ^ (~b1 & b2);
		e06 = b1 ^ (~b2 & b3);
		e07 = b2 ^ (~b3 & b4);
		e08 = b3 ^ (~b4 & b0);
		e09 = b4 ^ (~b0 & b1);
		b0 = rol64c(a01 ^ d1, 1);
		b1 = rol64c(a07 ^ d2, 6);
		b2 = rol64c(a13 ^ d3, 25);
		b3 = rol64c(a19 ^ d4, 8);
		b4 = rol64c(a20 ^ d0, 18);
		e10 = b0 ^ (~b1 & b2);
		e11 = b1 ^ (~b2 & b3);
		e12 = b2 ^ (~b3 & b4);
		e13 = b3 ^ (~b4 & b0);
		e14 = b4 ^ (~b0 & b1);
		b0 = rol64c(a04 ^ d4, 27);
		b1 = rol64c(a05 ^ d0, 36);
		b2 = rol64c(a11 ^ d1, 10);
		b3 = rol64c(a17 ^ d2, 15);
		b4 = rol64c(a23 ^ d3, 56);
		e15 = b0 ^ (~b1 & b2);
		e16 = b1 ^ (~b2 & b3);
		e17 = b2 ^ (~b3 & b4);
		e18 = b3 ^ (~b4 & b0);
		e19 = b4 ^ (~b0 & b1);
		b0 = rol64c(a02 ^ d2, 62);
		b1 = rol64c(a08 ^ d3, 55);
		b2 = rol64c(a14 ^ d4, 39);
		b3 = rol64c(a15 ^ d0, 41);
		b4 = rol64c(a21 ^ d1, 2);
		e20 = b0 ^ (~b1 & b2);
		e21 = b1 ^ (~b2 & b3);
		e22 = b2 ^ (~b3 & b4);
		e23 = b3 ^ (~b4 & b0);
		e24 = b4 ^ (~b0 & b1);
		e00 ^= mlkem_keccak_rc[i];

		c0 = e00 ^ e05 ^ e10 ^ e15 ^ e20;
		c1 = e01 ^ e06 ^ e11 ^ e16 ^ e21;
		c2 = e02 ^ e07 ^ e12 ^ e17 ^ e22;
		c3 = e03 ^ e08 ^ e13 ^ e18 ^ e23;
		c4 = e04 ^ e09 ^ e14 ^ e19 ^ e24;
		d0 = c4 ^ rol64c(c1, 1);
		d1 = c0 ^ rol64c(c2, 1);
		d2 = c1 ^ rol64c(c3, 1);
		d3 = c2 ^ rol64c(c4, 1);
		d4 = c3 ^ rol64c(c0, 1);
		b0 = e00 ^ d0;
		b1 = rol64c(e06 ^ d1, 44);
		b2 = rol64c(e12 ^ d2, 43);
		b3 = rol64c(e18 ^ d3, 21);
		b4 = rol64c(e24 ^ d4, 14);
		a00 = b0 ^ (~b1 & b2);
		a01 = b1 ^ (~b2 & b3);
		a02 = b2 ^ (~b3 & b4);
		a03 = b3 ^ (~b4 & b0);
		a04 = b4 ^ (~b0 & b1);
		b0 = rol64c(e03 ^ d3, 28);
		b1 = rol64c(e09 ^ d4, 20);
		b2 = rol64c(e10 ^ d0, 3);
		b3 = rol64c(e16 ^ d1, 45);
		b4 = rol64c(e22 ^ d2, 61);
		a05 = b0 ^ (~b1 & b2);
		a06 = b1 ^ (~b2 & b3);
		a07 = b2 ^ (~b3 & b4);
		a08 = b3 ^ (~b4 & b0);
		a09 = b4 ^ (~b0 & b1);
		b0 = rol64c(e01 ^ d1, 1);
		b1 = rol64c(e07 ^ d2, 6);
		b2 = rol64c(e13 ^ d3, 25);
		b3 = rol64c(e19 ^ d4, 8);
		b4 = rol64c(e20 ^ d0, 18);
		a10 = b0 ^ (~b1 & b2);
		a11 = b1 ^ (~b2 & b3);
		a12 = b2 ^ (~b3 & b4);
		a13 = b3 ^ (~b4 & b0);
		a14 = b4 ^ (~b0 & b1);
		b0 = rol64c(e04 ^ d4, 27);
		b1 = rol64c(e05 ^ d0, 36);
		b2 = rol64c(e11 ^ d1, 10);
		b3 = rol64c(e17 ^ d2, 15);
		b4 = rol64c(e23 ^ d3, 56);
		a15 = b0 ^ (~b1 & b2);
		a16 = b1 ^ (~b2 & b3);
		a17 = b2 ^ (~b3 & b4);
		a18 = b3 ^ (~b4 & b0);
		a19 = b4 ^ (~b0 & b1);
		b0 = rol64c(e02 ^ d2, 62);
		b1 = rol64c(e08 ^ d3, 55);
		b2 = rol64c(e14 ^ d4, 39);
		b3 = rol64c(e15 ^ d0, 41);
		b4 = rol64c(e21 ^ d1, 2);
		a20 = b0 ^ (~b1 & b2);
		a21 = b1 ^ (~b2 & b3);
		a22 = b2 ^ (~b3 & b4);
		a23 = b3 ^ (~b4 & b0);
		a24 = b4 ^ (~b0 & b1);
		a00 ^= mlkem_keccak_rc[i + 1];
	}

	s[0] = a00;
	s[1] = a01;
	s[2] = a02;
	s[3] = a03;
	s[4] = a04;
	s[5] = a05;
	s[6] = a06;
	s[7] = a07;
	s[8] = a08;
	s[9] = a09;
	s[10] = a10;
	s[11] = a11;
	s[12] = a12;
	s[13] = a13;
	s[14] = a14;
	s[15] = a15;
	s[16] = a16;
	s[17] = a17;
	s[18] = a18;
	s[19] = a19;
	s[20] = a20;
	s[21] = a21;
	s[22] = a22;
	s[23] = a23;
	s[24] = a24;
}

#endif /* _PQREKEY_MLKEM_KECCAK_F1600_H */
