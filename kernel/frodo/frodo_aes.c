// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-128 encryption (FIPS 197) for FrodoKEM's matrix A, constant time and
 * without any table: 64 blocks are processed at once in bitsliced form (one
 * u64 per state bit, lane l = block l). SubBytes is a Boolean circuit (ANDs
 * and XORs of whole words), ShiftRows a renaming of bytes, MixColumns XORs
 * of words.
 *
 * In FrodoKEM the AES key is seedA, which is public; the implementation is
 * constant time anyway, so a secret key would be safe too.
 */
#include "frodo.h"

/*
 * The AES S-box on 64 lanes, in place (bit k of each lane's byte in x[k]):
 * the 113-gate circuit of J. Boyar and R. Peralta, "A new combinational
 * logic minimization technique with applications to cryptology" (SEA 2010,
 * IACR ePrint 2009/191): a linear top layer, the inversion in GF(2^8) as a
 * tower of fields (32 ANDs), and a linear bottom layer that includes the
 * affine map. Their x0 and s0 are the most significant bits. Checked
 * against x^254 and the affine map for all 256 inputs by
 * user/tests/frodo_vectors.c.
 */
static noinline void sbox_bitsliced(u64 x[8])
{
	u64 x0 = x[7], x1 = x[6], x2 = x[5], x3 = x[4];
	u64 x4 = x[3], x5 = x[2], x6 = x[1], x7 = x[0];
	u64 y14, y13, y9, y8, t0, y1, y4, y12, y2, y5, y3, t1, y15, y20, y6,
	    y10, y11, y7, y17, y19, y16, y21, y18, t2, t3, t4, t5, t6, t7,
	    t8, t9, t10, t11, t12, t13, t14, t15, t16, t17, t18, t19, t20,
	    t21, t22, t23, t24, t25, t26, t27, t28, t29, t30, t31, t32, t33,
	    t34, t35, t36, t37, t38, t39, t40, t41, t42, t43, t44, t45, z0,
	    z1, z2, z3, z4, z5, z6, z7, z8, z9, z10, z11, z12, z13, z14, z15,
	    z16, z17, t46, t47, t48, t49, t50, t51, t52, t53, t54, t55, t56,
	    t57, t58, t59, t60, t61, t62, t63, t64, t65, t66, s0, s6, s7,
	    t67, s3, s4, s5, s1, s2;

	/* top linear layer */
	y14 = x3 ^ x5;
	y13 = x0 ^ x6;
	y9 = x0 ^ x3;
	y8 = x0 ^ x5;
	t0 = x1 ^ x2;
	y1 = t0 ^ x7;
	y4 = y1 ^ x3;
	y12 = y13 ^ y14;
	y2 = y1 ^ x0;
	y5 = y1 ^ x6;
	y3 = y5 ^ y8;
	t1 = x4 ^ y12;
	y15 = t1 ^ x5;
	y20 = t1 ^ x1;
	y6 = y15 ^ x7;
	y10 = y15 ^ t0;
	y11 = y20 ^ y9;
	y7 = x7 ^ y11;
	y17 = y10 ^ y11;
	y19 = y10 ^ y8;
	y16 = t0 ^ y11;
	y21 = y13 ^ y16;
	y18 = x0 ^ y16;

	/* non-linear middle: inversion in the tower field */
	t2 = y12 & y15;
	t3 = y3 & y6;
	t4 = t3 ^ t2;
	t5 = y4 & x7;
	t6 = t5 ^ t2;
	t7 = y13 & y16;
	t8 = y5 & y1;
	t9 = t8 ^ t7;
	t10 = y2 & y7;
	t11 = t10 ^ t7;
	t12 = y9 & y11;
	t13 = y14 & y17;
	t14 = t13 ^ t12;
	t15 = y8 & y10;
	t16 = t15 ^ t12;
	t17 = t4 ^ t14;
	t18 = t6 ^ t16;
	t19 = t9 ^ t14;
	t20 = t11 ^ t16;
	t21 = t17 ^ y20;
	t22 = t18 ^ y19;
	t23 = t19 ^ y21;
	t24 = t20 ^ y18;
	t25 = t21 ^ t22;
	t26 = t21 & t23;
	t27 = t24 ^ t26;
	t28 = t25 & t27;
	t29 = t28 ^ t22;
	t30 = t23 ^ t24;
	t31 = t22 ^ t26;
	t32 = t31 & t30;
	t33 = t32 ^ t24;
	t34 = t23 ^ t33;
	t35 = t27 ^ t33;
	t36 = t24 & t35;
	t37 = t36 ^ t34;
	t38 = t27 ^ t36;
	t39 = t29 & t38;
	t40 = t25 ^ t39;
	t41 = t40 ^ t37;
	t42 = t29 ^ t33;
	t43 = t29 ^ t40;
	t44 = t33 ^ t37;
	t45 = t42 ^ t41;
	z0 = t44 & y15;
	z1 = t37 & y6;
	z2 = t33 & x7;
	z3 = t43 & y16;
	z4 = t40 & y1;
	z5 = t29 & y7;
	z6 = t42 & y11;
	z7 = t45 & y17;
	z8 = t41 & y10;
	z9 = t44 & y12;
	z10 = t37 & y3;
	z11 = t33 & y4;
	z12 = t43 & y13;
	z13 = t40 & y5;
	z14 = t29 & y2;
	z15 = t42 & y9;
	z16 = t45 & y14;
	z17 = t41 & y8;

	/* bottom linear layer (with the affine map) */
	t46 = z15 ^ z16;
	t47 = z10 ^ z11;
	t48 = z5 ^ z13;
	t49 = z9 ^ z10;
	t50 = z2 ^ z12;
	t51 = z2 ^ z5;
	t52 = z7 ^ z8;
	t53 = z0 ^ z3;
	t54 = z6 ^ z7;
	t55 = z16 ^ z17;
	t56 = z12 ^ t48;
	t57 = t50 ^ t53;
	t58 = z4 ^ t46;
	t59 = z3 ^ t54;
	t60 = t46 ^ t57;
	t61 = z14 ^ t57;
	t62 = t52 ^ t58;
	t63 = t49 ^ t58;
	t64 = z4 ^ t59;
	t65 = t61 ^ t62;
	t66 = z1 ^ t63;
	s0 = t59 ^ t63;
	s6 = t56 ^ ~t62;
	s7 = t48 ^ ~t60;
	t67 = t64 ^ t65;
	s3 = t53 ^ t66;
	s4 = t51 ^ t66;
	s5 = t47 ^ t65;
	s1 = t64 ^ ~s3;
	s2 = t55 ^ ~t67;

	x[7] = s0;
	x[6] = s1;
	x[5] = s2;
	x[4] = s3;
	x[3] = s4;
	x[2] = s5;
	x[1] = s6;
	x[0] = s7;
}

u8 frodo_aes_sbox(u8 x)
{
	u64 v[8];
	u8 r = 0;
	int k;

	for (k = 0; k < 8; k++)
		v[k] = (x >> k) & 1;
	sbox_bitsliced(v);
	for (k = 0; k < 8; k++)
		r |= (u8)((v[k] & 1) << k);
	return r;
}

void frodo_aes128_setkey(struct frodo_aes *aes, const u8 key[16])
{
	u8 *w = aes->rk, rcon = 1, t[4];
	int i;

	memcpy(w, key, 16);
	for (i = 16; i < 176; i += 4) {
		memcpy(t, w + i - 4, 4);
		if (i % 16 == 0) {	/* RotWord, SubWord, Rcon */
			u8 t0 = t[0];

			t[0] = frodo_aes_sbox(t[1]) ^ rcon;
			t[1] = frodo_aes_sbox(t[2]);
			t[2] = frodo_aes_sbox(t[3]);
			t[3] = frodo_aes_sbox(t0);
			rcon = (u8)((rcon << 1) ^ ((rcon >> 7) * 0x1b));
		}
		w[i + 0] = w[i - 16 + 0] ^ t[0];
		w[i + 1] = w[i - 16 + 1] ^ t[1];
		w[i + 2] = w[i - 16 + 2] ^ t[2];
		w[i + 3] = w[i - 16 + 3] ^ t[3];
	}
	/* bit k of key byte j, broadcast to all 64 lanes */
	for (i = 0; i < 11 * 128; i++)
		aes->rkb[i] = (u64)0 - (u64)((w[i / 8] >> (i % 8)) & 1);
}

/* st ^= a round key in broadcast form (all-0 or all-1 words). */
static void add_round_key(u64 *st, const u64 *rkb)
{
	int i;

	for (i = 0; i < 128; i++)
		st[i] ^= rkb[i];
}

/* b = 2 d (xtime on bitsliced bytes: shift up, x^8 = x^4 + x^3 + x + 1) */
static __always_inline void xtime8(u64 *b, const u64 *d)
{
	b[0] = d[7];
	b[1] = d[0] ^ d[7];
	b[2] = d[1];
	b[3] = d[2] ^ d[7];
	b[4] = d[3] ^ d[7];
	b[5] = d[4];
	b[6] = d[5];
	b[7] = d[6];
}

/*
 * t = MixColumns(ShiftRows(st)) ^ round key. Byte j = 4 * c + r is row r, column c;
 * ShiftRows moves s[r][(c + r) mod 4] to s[r][c]. With a_r the shifted
 * column and x = a_0 ^ a_1 ^ a_2 ^ a_3,
 * b_r = 2 a_r ^ 3 a_(r+1) ^ a_(r+2) ^ a_(r+3) = a_r ^ x ^ 2 (a_r ^ a_(r+1)).
 */
static void shift_mix(u64 *t, const u64 *st, const u64 *rkb)
{
	u64 x[8], d[8], e[8];
	int c, r, k;

	for (c = 0; c < 4; c++) {
		const u64 *a0 = st + 8 * (4 * c + 0);
		const u64 *a1 = st + 8 * (4 * ((c + 1) & 3) + 1);
		const u64 *a2 = st + 8 * (4 * ((c + 2) & 3) + 2);
		const u64 *a3 = st + 8 * (4 * ((c + 3) & 3) + 3);
		const u64 *a[5] = { a0, a1, a2, a3, a0 };

		for (k = 0; k < 8; k++)
			x[k] = a0[k] ^ a1[k] ^ a2[k] ^ a3[k];
		for (r = 0; r < 4; r++) {
			u64 *b = t + 8 * (4 * c + r);
			const u64 *rk = rkb + 8 * (4 * c + r);

			for (k = 0; k < 8; k++)
				d[k] = a[r][k] ^ a[r + 1][k];
			xtime8(e, d);
			for (k = 0; k < 8; k++)
				b[k] = a[r][k] ^ x[k] ^ e[k] ^ rk[k];
		}
	}
}

/* t = ShiftRows(st) ^ round key (the last round has no MixColumns). */
static void shift_rows(u64 *t, const u64 *st, const u64 *rkb)
{
	int c, r, k;

	for (c = 0; c < 4; c++)
		for (r = 0; r < 4; r++)
			for (k = 0; k < 8; k++)
				t[8 * (4 * c + r) + k] =
					st[8 * (4 * ((c + r) & 3) + r) + k] ^
					rkb[8 * (4 * c + r) + k];
}

void frodo_aes128_bitsliced(struct frodo_aes *aes)
{
	u64 *a = aes->st, *b = aes->t, *x;
	int round, j;

	/* the state alternates between st and t: ten rounds end in st */
	add_round_key(a, aes->rkb);
	for (round = 1; round <= 10; round++) {
		for (j = 0; j < 16; j++)
			sbox_bitsliced(a + 8 * j);
		if (round < 10)
			shift_mix(b, a, aes->rkb + 128 * round);
		else
			shift_rows(b, a, aes->rkb + 128 * round);
		x = a;
		a = b;
		b = x;
	}
}

/*
 * Transposes a 64 x 64 bit matrix in place: bit l of m[i] <-> bit i of
 * m[l] (the classic recursive block swap, six steps).
 */
static void transpose64(u64 m[64])
{
	static const u64 masks[6] = {
		0x00000000ffffffffULL, 0x0000ffff0000ffffULL,
		0x00ff00ff00ff00ffULL, 0x0f0f0f0f0f0f0f0fULL,
		0x3333333333333333ULL, 0x5555555555555555ULL,
	};
	unsigned int w = 32, s, i, j;

	for (s = 0; s < 6; s++, w >>= 1) {
		u64 mask = masks[s];

		for (i = 0; i < 64; i += 2 * w) {
			for (j = i; j < i + w; j++) {
				u64 x = ((m[j] >> w) ^ m[j + w]) & mask;

				m[j] ^= x << w;
				m[j + w] ^= x;
			}
		}
	}
}

/*
 * Bitsliced layout <-> blocks. A block's 16 bytes are two u64 halves
 * (little-endian); half h of block l is row l of a 64 x 64 bit matrix whose
 * transpose gives, in row 8 * jj + k, bit k of byte 8 * h + jj of all lanes.
 */
static void load_blocks(struct frodo_aes *aes, const u8 *in,
			unsigned int nblocks)
{
	unsigned int h, l, b;

	for (h = 0; h < 2; h++) {
		u64 *m = aes->st + 64 * h;

		for (l = 0; l < 64; l++) {
			u64 v = 0;

			if (l < nblocks)
				for (b = 0; b < 8; b++)
					v |= (u64)in[16 * l + 8 * h + b] <<
					     (8 * b);
			m[l] = v;
		}
		transpose64(m);
	}
}

static void store_blocks(struct frodo_aes *aes, u8 *out, unsigned int nblocks)
{
	unsigned int h, l, b;

	for (h = 0; h < 2; h++) {
		u64 *m = aes->st + 64 * h;

		transpose64(m);
		for (l = 0; l < nblocks; l++)
			for (b = 0; b < 8; b++)
				out[16 * l + 8 * h + b] = (u8)(m[l] >> (8 * b));
	}
}

/*
 * FrodoKEM's A with AES: block f of @total (f = 0, 1, ...) is row
 * i0 + f / nb, columns 8 (f % nb) .. 8 (f % nb) + 7; its plaintext is
 * le16(row) || le16(column) || 0^12 and its ciphertext, read as eight
 * little-endian 16-bit values, is written to a[8 f .. 8 f + 7]. The
 * plaintexts are made in bitsliced form directly: lane l's 32 bits
 * row | column << 16 are row l of a 64 x 64 bit matrix whose transpose is
 * the state's bytes 0-7 (bytes 4-15 are zero).
 */
void frodo_aes128_gen_a(struct frodo_aes *aes, u16 *a, unsigned int i0,
			unsigned int nb, unsigned int total)
{
	unsigned int done, l, w, cnt, row = i0, col = 0;

	for (done = 0; done < total; done += cnt) {
		u64 *m = aes->st;

		cnt = total - done < 64 ? total - done : 64;
		for (l = 0; l < 64; l++) {
			m[l] = l < cnt ? row | (u64)(8 * col) << 16 : 0;
			if (l < cnt && ++col == nb) {
				col = 0;
				row++;
			}
		}
		transpose64(m);
		memset(aes->st + 64, 0, 64 * sizeof(u64));
		frodo_aes128_bitsliced(aes);
		transpose64(aes->st);
		transpose64(aes->st + 64);
		for (l = 0; l < cnt; l++) {
			u16 *out = a + 8 * (size_t)(done + l);

			for (w = 0; w < 4; w++) {
				out[w] = (u16)(aes->st[l] >> (16 * w));
				out[4 + w] = (u16)(aes->st[64 + l] >> (16 * w));
			}
		}
	}
}

void frodo_aes128_ecb(struct frodo_aes *aes, u8 *out, const u8 *in,
		      unsigned int nblocks)
{
	load_blocks(aes, in, nblocks);
	frodo_aes128_bitsliced(aes);
	store_blocks(aes, out, nblocks);
}
