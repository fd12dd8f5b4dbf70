// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Keccak-f[1600] (FIPS 202) in portable 64-bit C: the 25 lanes live in
 * local variables and two rounds are written out per loop iteration, so
 * that the second round reads what the first wrote without any copy. No
 * table is indexed by data; the round constants are indexed by round.
 */
#include "keccak.h"
#include "keccak_f1600.h"

/* Round constants, also used by the 4-way permutation (keccak_x4.c). */
const u64 mlkem_keccak_rc[MLKEM_KECCAK_ROUNDS] = {
	0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL,
	0x8000000080008000ULL, 0x000000000000808bULL, 0x0000000080000001ULL,
	0x8000000080008081ULL, 0x8000000000008009ULL, 0x000000000000008aULL,
	0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
	0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL,
	0x8000000000008003ULL, 0x8000000000008002ULL, 0x8000000000000080ULL,
	0x000000000000800aULL, 0x800000008000000aULL, 0x8000000080008081ULL,
	0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

static __always_inline u64 load64_le(const u8 *p)
{
	return (u64)p[0] | (u64)p[1] << 8 | (u64)p[2] << 16 |
	       (u64)p[3] << 24 | (u64)p[4] << 32 | (u64)p[5] << 40 |
	       (u64)p[6] << 48 | (u64)p[7] << 56;
}

static __always_inline void store64_le(u8 *p, u64 x)
{
	p[0] = (u8)x;
	p[1] = (u8)(x >> 8);
	p[2] = (u8)(x >> 16);
	p[3] = (u8)(x >> 24);
	p[4] = (u8)(x >> 32);
	p[5] = (u8)(x >> 40);
	p[6] = (u8)(x >> 48);
	p[7] = (u8)(x >> 56);
}

void mlkem_keccak_f1600(u64 s[25])
{
	mlkem_keccak_f1600_inline(s);
}

void mlkem_keccak_init(struct mlkem_keccak *st, unsigned int rate)
{
	memset(st->s, 0, sizeof(st->s));
	st->pos = 0;
	st->rate = rate;
	st->f1600 = mlkem_keccak_f1600;
}

void mlkem_keccak_absorb(struct mlkem_keccak *st, const u8 *in, size_t len)
{
	unsigned int pos = st->pos;

	while (len) {
		if (!(pos & 7) && len >= 8) {
			st->s[pos >> 3] ^= load64_le(in);
			in += 8;
			len -= 8;
			pos += 8;
		} else {
			st->s[pos >> 3] ^= (u64)*in << (8 * (pos & 7));
			in++;
			len--;
			pos++;
		}
		if (pos == st->rate) {
			st->f1600(st->s);
			pos = 0;
		}
	}
	st->pos = pos;
}

/* Pads with the domain bits @ds and 10*1; the next squeeze permutes first. */
void mlkem_keccak_finalize(struct mlkem_keccak *st, u8 ds)
{
	st->s[st->pos >> 3] ^= (u64)ds << (8 * (st->pos & 7));
	st->s[(st->rate - 1) >> 3] ^= 0x80ULL << (8 * ((st->rate - 1) & 7));
	st->pos = st->rate;
}

void mlkem_keccak_squeeze(struct mlkem_keccak *st, u8 *out, size_t len)
{
	unsigned int pos = st->pos;

	while (len) {
		if (pos == st->rate) {
			st->f1600(st->s);
			pos = 0;
		}
		if (!(pos & 7) && len >= 8) {
			store64_le(out, st->s[pos >> 3]);
			out += 8;
			len -= 8;
			pos += 8;
		} else {
			*out++ = (u8)(st->s[pos >> 3] >> (8 * (pos & 7)));
			len--;
			pos++;
		}
	}
	st->pos = pos;
}

/*
 * Squeezes whole blocks; only valid right after finalize or after earlier
 * whole blocks (the sponge position is then at the end of a block).
 */
void mlkem_keccak_squeezeblocks(struct mlkem_keccak *st, u8 *out,
				size_t nblocks)
{
	unsigned int i, lanes = st->rate >> 3;

	while (nblocks--) {
		st->f1600(st->s);
		for (i = 0; i < lanes; i++)
			store64_le(out + 8 * i, st->s[i]);
		out += st->rate;
	}
	st->pos = st->rate;
}

/**
 * mlkem_keccak_hash() - a one-shot SHA3 or SHAKE on a given permutation.
 * @out:    output, @outlen bytes
 * @outlen: output length
 * @in:     input, @inlen bytes
 * @inlen:  input length
 * @rate:   rate in bytes
 * @ds:     domain separation byte (MLKEM_KECCAK_DS_*)
 * @f1600:  the permutation: mlkem_keccak_f1600() or a vector backend's
 *          bit-identical one
 */
void mlkem_keccak_hash(u8 *out, size_t outlen, const u8 *in, size_t inlen,
		       unsigned int rate, u8 ds, void (*f1600)(u64 s[25]))
{
	struct mlkem_keccak st;

	mlkem_keccak_init(&st, rate);
	st.f1600 = f1600;
	mlkem_keccak_absorb(&st, in, inlen);
	mlkem_keccak_finalize(&st, ds);
	mlkem_keccak_squeeze(&st, out, outlen);
	memzero_explicit(&st, sizeof(st));
}

void mlkem_sha3_256(u8 out[32], const u8 *in, size_t len)
{
	mlkem_keccak_hash(out, 32, in, len, MLKEM_SHA3_256_RATE,
			  MLKEM_KECCAK_DS_SHA3, mlkem_keccak_f1600);
}

void mlkem_sha3_512(u8 out[64], const u8 *in, size_t len)
{
	mlkem_keccak_hash(out, 64, in, len, MLKEM_SHA3_512_RATE,
			  MLKEM_KECCAK_DS_SHA3, mlkem_keccak_f1600);
}

void mlkem_shake256(u8 *out, size_t outlen, const u8 *in, size_t inlen)
{
	mlkem_keccak_hash(out, outlen, in, inlen, MLKEM_SHAKE256_RATE,
			  MLKEM_KECCAK_DS_SHAKE, mlkem_keccak_f1600);
}
