// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * AES-128 encryption (FIPS 197) for FrodoKEM's matrix A, constant time and
 * without any table: 64 blocks are processed at once in bitsliced form (one
 * u64 per state bit, lane l = block l). SubBytes computes the S-box as the
 * inverse x^254 in GF(2^8) = GF(2)[x]/(x^8 + x^4 + x^3 + x + 1) with
 * bitsliced multiplications and squarings, followed by the affine map.
 * ShiftRows is a renaming of bytes, MixColumns is XORs of words.
 *
 * In FrodoKEM the AES key is seedA, which is public; the implementation is
 * constant time anyway, so a secret key would be safe too.
 */
#include "frodo.h"

/* c = a * b in GF(2^8), bitsliced (bit k of each lane in a[k]). */
static void gf_mul(u64 c[8], const u64 a[8], const u64 b[8])
{
	u64 t[15];
	int i, j, k;

	for (k = 0; k < 15; k++)
		t[k] = 0;
	for (i = 0; i < 8; i++)
		for (j = 0; j < 8; j++)
			t[i + j] ^= a[i] & b[j];
	/* x^8 = x^4 + x^3 + x + 1: fold the high coefficients down */
	for (k = 14; k >= 8; k--) {
		t[k - 4] ^= t[k];
		t[k - 5] ^= t[k];
		t[k - 7] ^= t[k];
		t[k - 8] ^= t[k];
	}
	for (k = 0; k < 8; k++)
		c[k] = t[k];
}

/* c = a^(2^times) (squaring is linear: spread the bits, then reduce). */
static void gf_sqn(u64 c[8], const u64 a[8], int times)
{
	u64 t[15];
	int i, k;

	for (k = 0; k < 8; k++)
		c[k] = a[k];
	while (times--) {
		for (k = 0; k < 15; k++)
			t[k] = 0;
		for (i = 0; i < 8; i++)
			t[2 * i] = c[i];
		for (k = 14; k >= 8; k--) {
			t[k - 4] ^= t[k];
			t[k - 5] ^= t[k];
			t[k - 7] ^= t[k];
			t[k - 8] ^= t[k];
		}
		for (k = 0; k < 8; k++)
			c[k] = t[k];
	}
}

/* The AES S-box on 64 lanes, in place: x^254 (0 maps to 0), then affine. */
static noinline void sbox_bitsliced(u64 x[8])
{
	u64 x2[8], x3[8], x12[8], x14[8], r[8];
	int i;

	gf_sqn(x2, x, 1);		/* x^2 */
	gf_mul(x3, x2, x);		/* x^3 */
	gf_sqn(x12, x3, 2);		/* x^12 */
	gf_mul(x14, x12, x2);		/* x^14 */
	gf_mul(r, x12, x3);		/* x^15 */
	gf_sqn(x3, r, 4);		/* x^240 */
	gf_mul(r, x3, x14);		/* x^254 = x^-1 */
	/* s_i = r_i ^ r_(i+4) ^ r_(i+5) ^ r_(i+6) ^ r_(i+7) ^ c_i, c = 0x63 */
	for (i = 0; i < 8; i++)
		x[i] = r[i] ^ r[(i + 4) & 7] ^ r[(i + 5) & 7] ^
		       r[(i + 6) & 7] ^ r[(i + 7) & 7] ^
		       (((0x63 >> i) & 1) ? ~(u64)0 : 0);
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
}

/* st ^= round key @r (broadcast to all lanes as all-0 or all-1 words). */
static void add_round_key(u64 *st, const u8 *rk)
{
	int j, k;

	for (j = 0; j < 16; j++)
		for (k = 0; k < 8; k++)
			st[8 * j + k] ^= (u64)0 - (u64)((rk[j] >> k) & 1);
}

/*
 * t = MixColumns(ShiftRows(st)). Byte j = 4 * c + r is row r, column c;
 * ShiftRows moves s[r][(c + r) mod 4] to s[r][c]. With a_r the shifted
 * column, b_r = 2 (a_r ^ a_(r+1)) ^ a_(r+1) ^ a_(r+2) ^ a_(r+3).
 */
static void shift_mix(u64 *t, const u64 *st)
{
	const u64 *a[4];
	u64 d[8];
	int c, r, k;

	for (c = 0; c < 4; c++) {
		for (r = 0; r < 4; r++)
			a[r] = st + 8 * (4 * ((c + r) & 3) + r);
		for (r = 0; r < 4; r++) {
			const u64 *a0 = a[r], *a1 = a[(r + 1) & 3];
			const u64 *a2 = a[(r + 2) & 3], *a3 = a[(r + 3) & 3];
			u64 *b = t + 8 * (4 * c + r);

			for (k = 0; k < 8; k++)
				d[k] = a0[k] ^ a1[k];
			/* xtime(d): shift up, x^8 = x^4 + x^3 + x + 1 */
			b[0] = d[7];
			b[1] = d[0] ^ d[7];
			b[2] = d[1];
			b[3] = d[2] ^ d[7];
			b[4] = d[3] ^ d[7];
			b[5] = d[4];
			b[6] = d[5];
			b[7] = d[6];
			for (k = 0; k < 8; k++)
				b[k] ^= a1[k] ^ a2[k] ^ a3[k];
		}
	}
}

/* t = ShiftRows(st) (the last round has no MixColumns). */
static void shift_rows(u64 *t, const u64 *st)
{
	int c, r, k;

	for (c = 0; c < 4; c++)
		for (r = 0; r < 4; r++)
			for (k = 0; k < 8; k++)
				t[8 * (4 * c + r) + k] =
					st[8 * (4 * ((c + r) & 3) + r) + k];
}

void frodo_aes128_bitsliced(struct frodo_aes *aes)
{
	int round, j;

	add_round_key(aes->st, aes->rk);
	for (round = 1; round <= 10; round++) {
		for (j = 0; j < 16; j++)
			sbox_bitsliced(aes->st + 8 * j);
		if (round < 10)
			shift_mix(aes->t, aes->st);
		else
			shift_rows(aes->t, aes->st);
		memcpy(aes->st, aes->t, sizeof(aes->st));
		add_round_key(aes->st, aes->rk + 16 * round);
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

void frodo_aes128_ecb(struct frodo_aes *aes, u8 *out, const u8 *in,
		      unsigned int nblocks)
{
	load_blocks(aes, in, nblocks);
	frodo_aes128_bitsliced(aes);
	store_blocks(aes, out, nblocks);
}
