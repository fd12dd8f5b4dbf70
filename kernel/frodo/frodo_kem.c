// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * FrodoKEM key generation, encapsulation and decapsulation (the salted
 * FrodoKEM: ct = c1 || c2 || salt, and the shared secret hashes the whole
 * ciphertext). Byte layouts, with sec = len_sec and n x 8 matrices:
 *   keygen coins: s (sec) || seedSE (2 sec) || z (16)
 *   pk: seedA (16) || B (16-bit big-endian, n x 8)
 *   sk: s (sec) || pk || S^T (int16 little-endian, 8 x n) || pkh (sec)
 *   encaps coins: mu (sec) || salt (2 sec)
 *   ct: c1 = B' (8 x n) || c2 = C (8 x 8), big-endian || salt (2 sec)
 * seedA = SHAKE256(z, 16), pkh = SHAKE256(pk, sec),
 * (S^T, E) from SHAKE256(0x5F || seedSE),
 * seedSE' || k = SHAKE256(pkh || mu || salt, 3 sec),
 * (S', E', E'') from SHAKE256(0x96 || seedSE'),
 * ss = SHAKE256(c1 || c2 || salt || k, sec).
 */
#include "frodo.h"

#define FRODO_DOM_KEYGEN	0x5f
#define FRODO_DOM_ENCAPS	0x96

static void shake256_2(struct mlkem_keccak *xof, u8 *out, size_t outlen,
		       const u8 *a, size_t alen, const u8 *b, size_t blen)
{
	mlkem_shake256_init(xof);
	mlkem_keccak_absorb(xof, a, alen);
	mlkem_keccak_absorb(xof, b, blen);
	mlkem_shake_finalize(xof);
	mlkem_keccak_squeeze(xof, out, outlen);
}

/* Starts the noise sponge SHAKE256(dom || seed) (seed: 2 sec bytes). */
static void noise_begin(const struct frodo_params *p, struct frodo_ws *ws,
			u8 dom, const u8 *seed)
{
	mlkem_shake256_init(&ws->xof);
	mlkem_keccak_absorb(&ws->xof, &dom, 1);
	mlkem_keccak_absorb(&ws->xof, seed, 2 * (size_t)p->sec);
	mlkem_shake_finalize(&ws->xof);
}

static void ws_wipe(struct frodo_ws *ws)
{
	memzero_explicit(ws->s, sizeof(ws->s));
	memzero_explicit(ws->e, sizeof(ws->e));
	memzero_explicit(ws->epp, sizeof(ws->epp));
	memzero_explicit(ws->c, sizeof(ws->c));
	memzero_explicit(&ws->xof, sizeof(ws->xof));
	memzero_explicit(ws->buf, sizeof(ws->buf));
}

int frodo_keygen_internal(const struct frodo_params *p, u8 *pk, u8 *sk,
			  const u8 *coins, struct frodo_ws *ws)
{
	size_t sec = p->sec, nn = FRODO_NBAR * (size_t)p->n, i;
	const u8 *seed_se = coins + sec, *z = coins + 3 * sec;
	u8 *st = sk + sec + p->pk_len;

	mlkem_shake256(pk, FRODO_SEEDA_BYTES, z, 16);	/* seedA */
	noise_begin(p, ws, FRODO_DOM_KEYGEN, seed_se);
	frodo_sample(p, &ws->xof, ws->s, nn);		/* S^T, 8 x n */
	frodo_sample(p, &ws->xof, ws->e, nn);		/* E, n x 8 */
	frodo_mul_as_plus_e(p, ws, pk);
	frodo_pack16(pk + FRODO_SEEDA_BYTES, ws->e, nn);

	memcpy(sk, coins, sec);				/* s */
	memcpy(sk + sec, pk, p->pk_len);
	for (i = 0; i < nn; i++) {
		st[2 * i] = (u8)ws->s[i];
		st[2 * i + 1] = (u8)(ws->s[i] >> 8);
	}
	mlkem_shake256(st + 2 * nn, sec, pk, p->pk_len);	/* pkh */
	ws_wipe(ws);
	return 0;
}

/*
 * The encryption of encaps and of decaps's re-encryption: ws->buf holds
 * pkh || mu || salt (4 sec bytes); G2 writes seedSE' || k after it. Leaves
 * B' = S'A + E' in ws->e and C = S'B + E'' + Encode(mu) in ws->epp.
 */
static void encrypt(const struct frodo_params *p, struct frodo_ws *ws,
		    const u8 *pk)
{
	size_t sec = p->sec, nn = FRODO_NBAR * (size_t)p->n, i;
	u8 *g2 = ws->buf + 4 * sec;

	mlkem_shake256(g2, 3 * sec, ws->buf, 4 * sec);
	noise_begin(p, ws, FRODO_DOM_ENCAPS, g2);
	frodo_sample(p, &ws->xof, ws->s, nn);		/* S', 8 x n */
	frodo_sample(p, &ws->xof, ws->e, nn);		/* E', 8 x n */
	frodo_sample(p, &ws->xof, ws->epp, FRODO_NBAR * FRODO_NBAR);
	frodo_mul_sa_plus_e(p, ws, pk);
	frodo_mul_sb_plus_e(p, ws, pk + FRODO_SEEDA_BYTES);
	frodo_key_encode(p, ws->c, ws->buf + sec);
	for (i = 0; i < FRODO_NBAR * FRODO_NBAR; i++)
		ws->epp[i] = (u16)(ws->epp[i] + ws->c[i]);
}

int frodo_encaps_internal(const struct frodo_params *p, u8 *ct, u8 *ss,
			  const u8 *pk, const u8 *coins, struct frodo_ws *ws)
{
	size_t sec = p->sec, nn = FRODO_NBAR * (size_t)p->n;
	u8 *c2 = ct + 2 * nn, *salt = c2 + 2 * FRODO_NBAR * FRODO_NBAR;

	mlkem_shake256(ws->buf, sec, pk, p->pk_len);		/* pkh */
	memcpy(ws->buf + sec, coins, 3 * sec);			/* mu, salt */
	encrypt(p, ws, pk);
	frodo_pack16(ct, ws->e, nn);
	frodo_pack16(c2, ws->epp, FRODO_NBAR * FRODO_NBAR);
	memcpy(salt, coins + sec, 2 * sec);
	shake256_2(&ws->xof, ss, sec, ct, p->ct_len, ws->buf + 6 * sec, sec);
	ws_wipe(ws);
	return 0;
}

int frodo_decaps(const struct frodo_params *p, u8 *ss, const u8 *ct,
		 const u8 *sk, struct frodo_ws *ws)
{
	size_t sec = p->sec, nn = FRODO_NBAR * (size_t)p->n, i;
	const u8 *pk = sk + sec, *st = pk + p->pk_len, *pkh = st + 2 * nn;
	const u8 *c2 = ct + 2 * nn, *salt = c2 + 2 * FRODO_NBAR * FRODO_NBAR;
	u8 *kk = ws->buf + 6 * sec;
	u32 diff = 0, mask;

	frodo_unpack16(ws->bp, ct, nn);
	frodo_unpack16(ws->c, c2, FRODO_NBAR * FRODO_NBAR);
	frodo_mul_bs(p, ws, st);			/* W = C - B'S */
	memcpy(ws->buf, pkh, sec);
	frodo_key_decode(p, ws->buf + sec, ws->c);	/* mu' */
	memcpy(ws->buf + 2 * sec, salt, 2 * sec);
	encrypt(p, ws, pk);				/* B'', C' */

	/* all 16 bits of every entry of B' and C must match, no branch */
	for (i = 0; i < nn; i++)
		diff |= ws->e[i] ^ ws->bp[i];
	for (i = 0; i < FRODO_NBAR * FRODO_NBAR; i++)
		diff |= ws->epp[i] ^ (u32)((c2[2 * i] << 8) | c2[2 * i + 1]);
	/* diff < 2^16: all ones when 0, else 0 */
	mask = ((0 - diff) >> 31) - 1;
	mlkem_value_barrier(mask);
	for (i = 0; i < sec; i++)
		kk[i] = (u8)((kk[i] & mask) | (sk[i] & ~mask));
	shake256_2(&ws->xof, ss, sec, ct, p->ct_len, kk, sec);
	memzero_explicit(ws->bp, sizeof(ws->bp));
	ws_wipe(ws);
	return 0;
}

int frodo_check_sk(const struct frodo_params *p, const u8 *sk)
{
	const u8 *pk = sk + p->sec;
	const u8 *pkh = pk + p->pk_len + 2 * FRODO_NBAR * (size_t)p->n;
	u8 h[FRODO_MAX_SEC];
	u32 diff = 0;
	size_t i;

	mlkem_shake256(h, p->sec, pk, p->pk_len);
	for (i = 0; i < p->sec; i++)
		diff |= h[i] ^ pkh[i];
	return diff ? -EINVAL : 0;
}

int frodo_keygen(const struct frodo_params *p, u8 *pk, u8 *sk,
		 struct frodo_ws *ws)
{
	u8 coins[FRODO_MAX_KEYGEN_COINS];
	int ret;

	mlkem_randombytes(coins, frodo_keygen_coins(p));
	ret = frodo_keygen_internal(p, pk, sk, coins, ws);
	memzero_explicit(coins, sizeof(coins));
	return ret;
}

int frodo_encaps(const struct frodo_params *p, u8 *ct, u8 *ss, const u8 *pk,
		 struct frodo_ws *ws)
{
	u8 coins[FRODO_MAX_ENCAPS_COINS];
	int ret;

	mlkem_randombytes(coins, frodo_encaps_coins(p));
	ret = frodo_encaps_internal(p, ct, ss, pk, coins, ws);
	memzero_explicit(coins, sizeof(coins));
	return ret;
}
