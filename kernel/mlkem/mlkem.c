// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM (FIPS 203 Algorithms 16 to 21) and its input checks (7.2, 7.3).
 */
#include "mlkem.h"
#include "kpke.h"
#include "poly.h"

/* Offsets inside dk = dk_pke || ek || H(ek) || z. */
static __always_inline const u8 *mlkem_dk_ek(const struct mlkem_params *p,
					     const u8 *dk)
{
	return dk + p->k * MLKEM_POLYBYTES;
}

static __always_inline const u8 *mlkem_dk_h(const struct mlkem_params *p,
					    const u8 *dk)
{
	return dk + p->k * MLKEM_POLYBYTES + p->ek_len;
}

/* Returns 0xff if a[0..len) differs from b[0..len), else 0; no branches. */
static u8 mlkem_ct_neq_mask(const u8 *a, const u8 *b, size_t len)
{
	u32 diff = 0;
	size_t i;
	u8 mask;

	for (i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	mask = (u8)(0U - ((diff + 0xff) >> 8));
	mlkem_value_barrier(mask);
	return mask;
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
	u8 h[MLKEM_SYMBYTES];
	u8 bad;

	mlkem_sha3_256(h, mlkem_dk_ek(p, dk), p->ek_len);
	bad = mlkem_ct_neq_mask(h, mlkem_dk_h(p, dk), MLKEM_SYMBYTES);
	memzero_explicit(h, sizeof(h));
	/* Whether a key is well formed is not a secret. */
	mlkem_ct_declassify(&bad, sizeof(bad));
	return bad ? -EINVAL : 0;
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
	unsigned int off = p->k * MLKEM_POLYBYTES;

	mlkem_kpke_keygen(p, ek, dk, d, ws);
	memcpy(dk + off, ek, p->ek_len);
	off += p->ek_len;
	mlkem_sha3_256(dk + off, ek, p->ek_len);
	off += MLKEM_SYMBYTES;
	memcpy(dk + off, z, MLKEM_SYMBYTES);
	mlkem_ws_wipe(ws);
	return 0;
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
	u8 *mh = ws->seeds, *kr = ws->seeds + 2 * MLKEM_SYMBYTES;

	if (mlkem_check_ek(p, ek, ws))
		return -EINVAL;

	/* (K, r) = G(m || H(ek)) */
	memcpy(mh, m, MLKEM_SYMBYTES);
	mlkem_sha3_256(mh + MLKEM_SYMBYTES, ek, p->ek_len);
	mlkem_sha3_512(kr, mh, 2 * MLKEM_SYMBYTES);

	mlkem_kpke_encrypt(p, ct, ek, m, kr + MLKEM_SYMBYTES, ws);
	memcpy(ss, kr, MLKEM_SSBYTES);
	mlkem_ws_wipe(ws);
	return 0;
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
	u8 *mh = ws->seeds, *kr = ws->seeds + 2 * MLKEM_SYMBYTES;
	const u8 *ek = mlkem_dk_ek(p, dk), *h = mlkem_dk_h(p, dk);
	u8 kbar[MLKEM_SSBYTES];
	unsigned int i;
	u8 mask;

	/* m' = Decrypt(dk_pke, c); (K', r') = G(m' || h) */
	mlkem_kpke_decrypt(p, mh, ct, dk, ws);
	memcpy(mh + MLKEM_SYMBYTES, h, MLKEM_SYMBYTES);
	mlkem_sha3_512(kr, mh, 2 * MLKEM_SYMBYTES);

	/* K_bar = J(z || c) */
	mlkem_shake256_init(&ws->xof);
	mlkem_keccak_absorb(&ws->xof, h + MLKEM_SYMBYTES, MLKEM_SYMBYTES);
	mlkem_keccak_absorb(&ws->xof, ct, p->ct_len);
	mlkem_shake_finalize(&ws->xof);
	mlkem_keccak_squeeze(&ws->xof, kbar, sizeof(kbar));

	/* c' = Encrypt(ek, m', r'); K = (c == c') ? K' : K_bar */
	mlkem_kpke_encrypt(p, ws->buf, ek, mh, kr + MLKEM_SYMBYTES, ws);
	mask = mlkem_ct_neq_mask(ct, ws->buf, p->ct_len);
	for (i = 0; i < MLKEM_SSBYTES; i++)
		ss[i] = kr[i] ^ (mask & (kr[i] ^ kbar[i]));

	memzero_explicit(kbar, sizeof(kbar));
	mlkem_ws_wipe(ws);
	return 0;
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
	if (mlkem_check_dk(p, dk))
		return -EINVAL;
	return mlkem_decaps_internal(p, ss, ct, dk, ws);
}
