// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM (FIPS 203 Algorithms 16 to 21) and its input checks (7.2, 7.3).
 */
#include "mlkem.h"
#include "impl.h"

/* Offsets inside dk = dk_pke || ek || H(ek) || z. */
static __always_inline const u8 *mlkem_dk_ek(const struct mlkem_params *p,
					     const u8 *dk)
{
	return dk + p->k * MLKEM_POLYBYTES;
}

/* Wipes every part of the workspace that can hold a secret. */
static void mlkem_ws_wipe(struct mlkem_ws *ws)
{
	memzero_explicit(ws->s, sizeof(ws->s));
	memzero_explicit(ws->e, sizeof(ws->e));
	memzero_explicit(ws->t, sizeof(ws->t));
	memzero_explicit(&ws->v, sizeof(ws->v));
	memzero_explicit(&ws->w, sizeof(ws->w));
	memzero_explicit(&ws->m, sizeof(ws->m));
	memzero_explicit(&ws->xof, sizeof(ws->xof));
	memzero_explicit(ws->xofbuf, sizeof(ws->xofbuf));
	memzero_explicit(&ws->xofn, sizeof(ws->xofn));
	memzero_explicit(ws->lanebuf, sizeof(ws->lanebuf));
	memzero_explicit(ws->buf, sizeof(ws->buf));
	memzero_explicit(ws->seeds, sizeof(ws->seeds));
}

/**
 * mlkem_check_ek() - FIPS 203 7.2 modulus check of an encapsulation key.
 * @p:  parameter set; @ek is @p->ek_len bytes
 * @ek: encapsulation key
 * @ws: workspace (only scratch; @ek is public)
 *
 * Checks ByteEncode12(ByteDecode12(ek)) == ek, that is, that every 12-bit
 * value of the encoded vector t is below q.
 *
 * Return: 0 if @ek passes, -EINVAL if not.
 */
int mlkem_check_ek(const struct mlkem_params *p, const u8 *ek,
		   struct mlkem_ws *ws)
{
	unsigned int i;
	s16 bad = 0;

	for (i = 0; i < p->k; i++)
		bad |= mlkem_poly_frombytes_check(&ws->t[i],
						  ek + i * MLKEM_POLYBYTES);
	return bad ? -EINVAL : 0;
}

/**
 * mlkem_check_dk() - FIPS 203 7.3 hash check of a decapsulation key.
 * @p:  parameter set; @dk is @p->dk_len bytes
 * @dk: decapsulation key
 *
 * Checks H(ek) == h for the ek and h stored inside @dk, in constant time.
 *
 * Return: 0 if @dk passes, -EINVAL if not.
 */
int mlkem_check_dk(const struct mlkem_params *p, const u8 *dk)
{
	const u8 *h = mlkem_dk_ek(p, dk) + p->ek_len;
	u8 hek[MLKEM_SYMBYTES];
	u32 diff = 0;
	unsigned int i;

	mlkem_sha3_256(hek, mlkem_dk_ek(p, dk), p->ek_len);
	for (i = 0; i < MLKEM_SYMBYTES; i++)
		diff |= hek[i] ^ h[i];
	memzero_explicit(hek, sizeof(hek));
	diff = (diff + 0xff) >> 8;
	/* Whether a key is well formed is not a secret. */
	mlkem_ct_declassify(&diff, sizeof(diff));
	return diff ? -EINVAL : 0;
}

/**
 * mlkem_keygen_internal() - ML-KEM.KeyGen_internal (FIPS 203 Algorithm 16).
 * @p:  parameter set
 * @ek: output encapsulation key, @p->ek_len bytes
 * @dk: output decapsulation key, @p->dk_len bytes
 * @d:  32-byte seed d
 * @z:  32-byte implicit-rejection seed z
 * @ws: workspace; its secret parts are wiped before return
 *
 * Return: 0.
 */
int mlkem_keygen_internal(const struct mlkem_params *p, u8 *ek, u8 *dk,
			  const u8 *d, const u8 *z, struct mlkem_ws *ws)
{
	int ret = mlkem_ws_impl(ws)->keygen(p, ek, dk, d, z, ws);

	mlkem_ws_wipe(ws);
	return ret;
}

/**
 * mlkem_encaps_internal() - ML-KEM.Encaps_internal (FIPS 203 Algorithm 17).
 * @p:  parameter set
 * @ct: output ciphertext, @p->ct_len bytes
 * @ss: output shared secret, 32 bytes
 * @ek: encapsulation key, @p->ek_len bytes
 * @m:  32-byte message (randomness)
 * @ws: workspace; its secret parts are wiped before return
 *
 * Performs the 7.2 modulus check of @ek first.
 *
 * Return: 0, or -EINVAL if @ek fails the modulus check (nothing is then
 * written to @ct or @ss).
 */
int mlkem_encaps_internal(const struct mlkem_params *p, u8 *ct, u8 *ss,
			  const u8 *ek, const u8 *m, struct mlkem_ws *ws)
{
	int ret = mlkem_ws_impl(ws)->encaps(p, ct, ss, ek, m, ws);

	mlkem_ws_wipe(ws);
	return ret;
}

/**
 * mlkem_decaps_internal() - ML-KEM.Decaps_internal (FIPS 203 Algorithm 18).
 * @p:  parameter set
 * @ss: output shared secret, 32 bytes
 * @ct: ciphertext, @p->ct_len bytes
 * @dk: decapsulation key, @p->dk_len bytes, already hash-checked
 * @ws: workspace; its secret parts are wiped before return
 *
 * Implicit rejection: if re-encryption does not reproduce @ct, @ss is
 * J(z || c); the choice is made with a mask, without a branch.
 *
 * Return: 0.
 */
int mlkem_decaps_internal(const struct mlkem_params *p, u8 *ss,
			  const u8 *ct, const u8 *dk, struct mlkem_ws *ws)
{
	int ret = mlkem_ws_impl(ws)->decaps(p, ss, ct, dk, false, ws);

	mlkem_ws_wipe(ws);
	return ret;
}

/**
 * mlkem_keygen() - ML-KEM.KeyGen (FIPS 203 Algorithm 19).
 * @p:  parameter set
 * @ek: output encapsulation key, @p->ek_len bytes
 * @dk: output decapsulation key, @p->dk_len bytes
 * @ws: workspace; its secret parts are wiped before return
 *
 * Draws d and z from mlkem_randombytes().
 *
 * Return: 0.
 */
int mlkem_keygen(const struct mlkem_params *p, u8 *ek, u8 *dk,
		 struct mlkem_ws *ws)
{
	u8 seed[MLKEM_SEEDBYTES];
	int ret;

	mlkem_randombytes(seed, sizeof(seed));
	ret = mlkem_keygen_internal(p, ek, dk, seed, seed + MLKEM_SYMBYTES,
				    ws);
	memzero_explicit(seed, sizeof(seed));
	return ret;
}

/**
 * mlkem_encaps() - ML-KEM.Encaps (FIPS 203 Algorithm 20).
 * @p:  parameter set
 * @ct: output ciphertext, @p->ct_len bytes
 * @ss: output shared secret, 32 bytes
 * @ek: encapsulation key, @p->ek_len bytes
 * @ws: workspace; its secret parts are wiped before return
 *
 * Draws m from mlkem_randombytes(); mlkem_encaps_internal() checks @ek
 * (7.2) before using it.
 *
 * Return: 0, or -EINVAL if @ek fails the modulus check.
 */
int mlkem_encaps(const struct mlkem_params *p, u8 *ct, u8 *ss,
		 const u8 *ek, struct mlkem_ws *ws)
{
	u8 m[MLKEM_SYMBYTES];
	int ret;

	mlkem_randombytes(m, sizeof(m));
	ret = mlkem_encaps_internal(p, ct, ss, ek, m, ws);
	memzero_explicit(m, sizeof(m));
	return ret;
}

/**
 * mlkem_decaps() - ML-KEM.Decaps (FIPS 203 Algorithm 21) with the 7.3
 * hash check of @dk.
 * @p:  parameter set
 * @ss: output shared secret, 32 bytes
 * @ct: ciphertext, @p->ct_len bytes
 * @dk: decapsulation key, @p->dk_len bytes
 * @ws: workspace; its secret parts are wiped before return
 *
 * Return: 0, or -EINVAL if @dk fails the hash check (nothing is then
 * written to @ss).
 */
int mlkem_decaps(const struct mlkem_params *p, u8 *ss, const u8 *ct,
		 const u8 *dk, struct mlkem_ws *ws)
{
	int ret = mlkem_ws_impl(ws)->decaps(p, ss, ct, dk, true, ws);

	mlkem_ws_wipe(ws);
	return ret;
}
