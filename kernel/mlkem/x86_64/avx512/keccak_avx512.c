// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Keccak-f[1600] with AVX-512: eight states at a time, one state per
 * 64-bit element of a zmm vector. Built with -mavx512f -mavx512vl (and
 * BW, DQ); it may only run when the CPU has AVX-512F (and, in the kernel,
 * in an FPU section). Every state goes through exactly the rounds of
 * mlkem_keccak_f1600(). (Measured and dropped: a four-way version on ymm
 * took as long per call as this one, a one-state version on xmm as long
 * as the scalar code with BMI2.)
 *
 * Plain GCC vector C: with AVX-512VL, GCC turns a rotation written as two
 * shifts and an OR into one vprolq and folds each three-input logic
 * expression (chi's b0 ^ (~b1 & b2), the XORs of theta) into one
 * vpternlogq. With 32 vector registers the 25 lanes stay in registers
 * between rounds.
 */
#include "../../keccak.h"
#include "../keccak_vec.h"

/* may_alias: the states are declared as u64; unaligned (ws layout). */
typedef u64 v8u64 __attribute__((vector_size(64), may_alias)) __aligned(8);

/*
 * Two rounds per loop iteration, from lanes A00..A24 to E00..E24 and back
 * (lane x + 5 * y is Axy with two digits), exactly as in keccak.c: theta
 * (c, d, applied to all 25 lanes at once so that d dies before rho: 25
 * lanes, five b and a temporary fit in the 32 registers and gcc-14 keeps
 * the frame small), then for each output row the five lanes moved by rho
 * and pi (b0..b4) and chi on them, then iota. It uses the temporaries b*,
 * c*, d* and t of its caller.
 */
#define MLKEM_VEC_ROUND(A, E, RC)					\
	do {								\
		c0 = A##00 ^ A##05 ^ A##10;				\
		c1 = A##01 ^ A##06 ^ A##11;				\
		c2 = A##02 ^ A##07 ^ A##12;				\
		c3 = A##03 ^ A##08 ^ A##13;				\
		c4 = A##04 ^ A##09 ^ A##14;				\
		c0 ^= A##15 ^ A##20;					\
		c1 ^= A##16 ^ A##21;					\
		c2 ^= A##17 ^ A##22;					\
		c3 ^= A##18 ^ A##23;					\
		c4 ^= A##19 ^ A##24;					\
		d0 = c4 ^ ((c1 << 1) | (c1 >> 63));			\
		d1 = c0 ^ ((c2 << 1) | (c2 >> 63));			\
		d2 = c1 ^ ((c3 << 1) | (c3 >> 63));			\
		d3 = c2 ^ ((c4 << 1) | (c4 >> 63));			\
		d4 = c3 ^ ((c0 << 1) | (c0 >> 63));			\
		A##00 ^= d0;					\
		A##01 ^= d1;					\
		A##02 ^= d2;					\
		A##03 ^= d3;					\
		A##04 ^= d4;					\
		A##05 ^= d0;					\
		A##06 ^= d1;					\
		A##07 ^= d2;					\
		A##08 ^= d3;					\
		A##09 ^= d4;					\
		A##10 ^= d0;					\
		A##11 ^= d1;					\
		A##12 ^= d2;					\
		A##13 ^= d3;					\
		A##14 ^= d4;					\
		A##15 ^= d0;					\
		A##16 ^= d1;					\
		A##17 ^= d2;					\
		A##18 ^= d3;					\
		A##19 ^= d4;					\
		A##20 ^= d0;					\
		A##21 ^= d1;					\
		A##22 ^= d2;					\
		A##23 ^= d3;					\
		A##24 ^= d4;					\
		b0 = A##00;					\
		t = A##06;						\
		b1 = (t << 44) | (t >> 20);				\
		t = A##12;						\
		b2 = (t << 43) | (t >> 21);				\
		t = A##18;						\
		b3 = (t << 21) | (t >> 43);				\
		t = A##24;						\
		b4 = (t << 14) | (t >> 50);				\
		E##00 = b0 ^ (~b1 & b2);				\
		E##01 = b1 ^ (~b2 & b3);				\
		E##02 = b2 ^ (~b3 & b4);				\
		E##03 = b3 ^ (~b4 & b0);				\
		E##04 = b4 ^ (~b0 & b1);				\
		t = A##03;						\
		b0 = (t << 28) | (t >> 36);				\
		t = A##09;						\
		b1 = (t << 20) | (t >> 44);				\
		t = A##10;						\
		b2 = (t << 3) | (t >> 61);				\
		t = A##16;						\
		b3 = (t << 45) | (t >> 19);				\
		t = A##22;						\
		b4 = (t << 61) | (t >> 3);				\
		E##05 = b0 ^ (~b1 & b2);				\
		E##06 = b1 ^ (~b2 & b3);				\
		E##07 = b2 ^ (~b3 & b4);				\
		E##08 = b3 ^ (~b4 & b0);				\
		E##09 = b4 ^ (~b0 & b1);				\
		t = A##01;						\
		b0 = (t << 1) | (t >> 63);				\
		t = A##07;						\
		b1 = (t << 6) | (t >> 58);				\
		t = A##13;						\
		b2 = (t << 25) | (t >> 39);				\
		t = A##19;						\
		b3 = (t << 8) | (t >> 56);				\
		t = A##20;						\
		b4 = (t << 18) | (t >> 46);				\
		E##10 = b0 ^ (~b1 & b2);				\
		E##11 = b1 ^ (~b2 & b3);				\
		E##12 = b2 ^ (~b3 & b4);				\
		E##13 = b3 ^ (~b4 & b0);				\
		E##14 = b4 ^ (~b0 & b1);				\
		t = A##04;						\
		b0 = (t << 27) | (t >> 37);				\
		t = A##05;						\
		b1 = (t << 36) | (t >> 28);				\
		t = A##11;						\
		b2 = (t << 10) | (t >> 54);				\
		t = A##17;						\
		b3 = (t << 15) | (t >> 49);				\
		t = A##23;						\
		b4 = (t << 56) | (t >> 8);				\
		E##15 = b0 ^ (~b1 & b2);				\
		E##16 = b1 ^ (~b2 & b3);				\
		E##17 = b2 ^ (~b3 & b4);				\
		E##18 = b3 ^ (~b4 & b0);				\
		E##19 = b4 ^ (~b0 & b1);				\
		t = A##02;						\
		b0 = (t << 62) | (t >> 2);				\
		t = A##08;						\
		b1 = (t << 55) | (t >> 9);				\
		t = A##14;						\
		b2 = (t << 39) | (t >> 25);				\
		t = A##15;						\
		b3 = (t << 41) | (t >> 23);				\
		t = A##21;						\
		b4 = (t << 2) | (t >> 62);				\
		E##20 = b0 ^ (~b1 & b2);				\
		E##21 = b1 ^ (~b2 & b3);				\
		E##22 = b2 ^ (~b3 & b4);				\
		E##23 = b3 ^ (~b4 & b0);				\
		E##24 = b4 ^ (~b0 & b1);				\
		E##00 ^= (RC);						\
	} while (0)

/**
 * mlkem_keccak_x8_f1600_avx512() - eight Keccak-f[1600], AVX-512F on zmm
 * @s: the eight states, lane j of state k at @s[8 * j + k]; 200 words
 */
void mlkem_keccak_x8_f1600_avx512(u64 *s)
{
	v8u64 *v = (v8u64 *)s;
	v8u64 a00, a01, a02, a03, a04, a05, a06, a07, a08, a09, a10, a11, a12;
	v8u64 a13, a14, a15, a16, a17, a18, a19, a20, a21, a22, a23, a24;
	v8u64 e00, e01, e02, e03, e04, e05, e06, e07, e08, e09, e10, e11, e12;
	v8u64 e13, e14, e15, e16, e17, e18, e19, e20, e21, e22, e23, e24;
	v8u64 b0, b1, b2, b3, b4, c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, t;
	/*
	 * The round constants through a pointer: with UBSAN_BOUNDS (Debian's
	 * 7.3 has it) an array index gets a check whose handler is a call,
	 * around which all 50 live state vectors would be spilled (a 2.3 KiB
	 * frame). i < MLKEM_KECCAK_ROUNDS (even) bounds both indices.
	 */
	const u64 *rc = mlkem_keccak_rc;
	unsigned int i;

	a00 = v[0];
	a01 = v[1];
	a02 = v[2];
	a03 = v[3];
	a04 = v[4];
	a05 = v[5];
	a06 = v[6];
	a07 = v[7];
	a08 = v[8];
	a09 = v[9];
	a10 = v[10];
	a11 = v[11];
	a12 = v[12];
	a13 = v[13];
	a14 = v[14];
	a15 = v[15];
	a16 = v[16];
	a17 = v[17];
	a18 = v[18];
	a19 = v[19];
	a20 = v[20];
	a21 = v[21];
	a22 = v[22];
	a23 = v[23];
	a24 = v[24];
	for (i = 0; i < MLKEM_KECCAK_ROUNDS; i += 2) {
		MLKEM_VEC_ROUND(a, e, rc[i]);
		MLKEM_VEC_ROUND(e, a, rc[i + 1]);
	}
	v[0] = a00;
	v[1] = a01;
	v[2] = a02;
	v[3] = a03;
	v[4] = a04;
	v[5] = a05;
	v[6] = a06;
	v[7] = a07;
	v[8] = a08;
	v[9] = a09;
	v[10] = a10;
	v[11] = a11;
	v[12] = a12;
	v[13] = a13;
	v[14] = a14;
	v[15] = a15;
	v[16] = a16;
	v[17] = a17;
	v[18] = a18;
	v[19] = a19;
	v[20] = a20;
	v[21] = a21;
	v[22] = a22;
	v[23] = a23;
	v[24] = a24;
}
