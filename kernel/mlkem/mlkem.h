/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * ML-KEM (FIPS 203, final) - the portable core's interface.
 *
 * The same sources build into pqrekey.ko and into the userspace library
 * (user/lib), so that known-answer tests, the valgrind constant-time check
 * and benchmarks run natively on exactly the code the kernel runs.
 *
 * All functions are reentrant: every large temporary lives in a caller-
 * provided struct mlkem_ws (about 20 KiB), never on the stack, so that each
 * function fits in a kernel stack frame of at most 1024 bytes. A workspace
 * must not be shared by concurrent calls. The core wipes the workspace
 * parts that held secrets before returning.
 *
 * Return values: 0, or -EINVAL for an input that fails a FIPS 203 check
 * (wrong length, modulus check, hash check). A failed check never writes a
 * secret to an output buffer.
 */
#ifndef _PQREKEY_MLKEM_H
#define _PQREKEY_MLKEM_H

#include "platform.h"
#include "keccak.h"

#define MLKEM_N			256
#define MLKEM_Q			3329
#define MLKEM_MAX_K		4
#define MLKEM_SYMBYTES		32	/* d, z, m, rho, sigma, H(ek) */
#define MLKEM_SSBYTES		32	/* shared secret */
#define MLKEM_SEEDBYTES		64	/* d || z */

#define MLKEM_XOF_BLOCKS	3	/* SHAKE128 blocks squeezed first */
#define MLKEM_MAX_LANES		8	/* of a multi-way Keccak */
#define MLKEM_LANEBUF_BYTES	200	/* a SHAKE128 block, CBD3 input: 192 */
#define MLKEM_POLYBYTES		384	/* 12-bit encoded polynomial */
#define MLKEM_EK_BYTES(k)	((k) * MLKEM_POLYBYTES + MLKEM_SYMBYTES)
#define MLKEM_DK_BYTES(k)	(2 * (k) * MLKEM_POLYBYTES + 3 * MLKEM_SYMBYTES)

#define MLKEM512_EK_BYTES	800
#define MLKEM512_DK_BYTES	1632
#define MLKEM512_CT_BYTES	768
#define MLKEM768_EK_BYTES	1184
#define MLKEM768_DK_BYTES	2400
#define MLKEM768_CT_BYTES	1088
#define MLKEM1024_EK_BYTES	1568
#define MLKEM1024_DK_BYTES	3168
#define MLKEM1024_CT_BYTES	1568

#define MLKEM_MAX_EK_BYTES	MLKEM1024_EK_BYTES
#define MLKEM_MAX_DK_BYTES	MLKEM1024_DK_BYTES
#define MLKEM_MAX_CT_BYTES	MLKEM1024_CT_BYTES

/**
 * struct mlkem_params - one ML-KEM parameter set (FIPS 203 Table 2).
 * @name:   "ML-KEM-512", "ML-KEM-768" or "ML-KEM-1024"
 * @k:      module rank (2, 3, 4)
 * @eta1:   noise parameter for s, e (3 for k = 2, else 2)
 * @eta2:   noise parameter for e1, e2 (2)
 * @du:     ciphertext compression of u (10, 10, 11)
 * @dv:     ciphertext compression of v (4, 4, 5)
 * @ek_len: encapsulation key bytes
 * @dk_len: decapsulation key bytes
 * @ct_len: ciphertext bytes
 */
struct mlkem_params {
	const char *name;
	u8 k, eta1, eta2, du, dv;
	u16 ek_len, dk_len, ct_len;
};

extern const struct mlkem_params mlkem512_params;
extern const struct mlkem_params mlkem768_params;
extern const struct mlkem_params mlkem1024_params;

/* A polynomial, coefficients in Montgomery or normal form as documented. */
struct mlkem_poly {
	s16 coeffs[MLKEM_N];
} __aligned(32);

/**
 * struct mlkem_ws - per-operation workspace, sized for the largest set.
 * @a:      matrix A (keygen) or A^T (encrypt), row-major
 * @s:      s (keygen), s from dk (decrypt) or r (encrypt), NTT domain
 * @e:      e (keygen) or e1, then u (encrypt)
 * @t:      t (keygen, encrypt) or NTT(u) (decrypt)
 * @v:      v, and scratch for one row of A^T o r
 * @w:      e2 (encrypt) or w (decrypt)
 * @m:      Decompress_1(m)
 * @xof:    sponge for SampleNTT and J
 * @xofbuf: SHAKE128 output being rejection-sampled
 * @xofn:   multi-way sponge of the vector backends: four lanes
 *          (struct mlkem_keccak_x4, ping-pong) or eight (lane word j of
 *          lane l at x8[8 * j + l])
 * @lanebuf: an output buffer per lane
 * @buf:    re-encryption of the ciphertext (decaps)
 * @seeds:  rho, sigma; m || H(ek), K || r
 *
 * Allocate it (kmalloc/kzalloc in the kernel) once per context and reuse it.
 * Its layout is private to the core.
 */
struct mlkem_impl;

struct mlkem_ws {
	const struct mlkem_impl *impl;	/* backend for this operation */
	struct mlkem_poly a[MLKEM_MAX_K * MLKEM_MAX_K];
	struct mlkem_poly s[MLKEM_MAX_K];
	struct mlkem_poly e[MLKEM_MAX_K];
	struct mlkem_poly t[MLKEM_MAX_K];
	struct mlkem_poly v, w, m;
	struct mlkem_keccak xof;
	u8 xofbuf[MLKEM_XOF_BLOCKS * MLKEM_SHAKE128_RATE];
	union {
		struct mlkem_keccak_x4 x4;
		u64 x8[25 * MLKEM_MAX_LANES];
	} xofn;
	u8 lanebuf[MLKEM_MAX_LANES][MLKEM_LANEBUF_BYTES];
	u8 buf[MLKEM_MAX_CT_BYTES];
	u8 seeds[4 * MLKEM_SYMBYTES];
};

/*
 * Backends. The portable code (mlkem_impl_generic) is always there; a
 * vectorized backend computes bit-identical results faster. The caller
 * chooses the backend of each operation with mlkem_ws_set_impl() before
 * calling any function below (a workspace from kmalloc() is not zeroed:
 * always set it). A vectorized backend may only be used when
 * mlkem_impl_usable() says so and, in the kernel, between
 * kernel_fpu_begin() and kernel_fpu_end().
 */
extern const struct mlkem_impl mlkem_impl_generic;
#ifdef MLKEM_X86_64
extern const struct mlkem_impl mlkem_impl_avx2;
extern const struct mlkem_impl mlkem_impl_avx512;
#endif
/* Every backend built in, slowest (the portable code) first. */
extern const struct mlkem_impl *const mlkem_impls[];
extern const unsigned int mlkem_nimpls;
const char *mlkem_impl_name(const struct mlkem_impl *impl);
bool mlkem_impl_usable(const struct mlkem_impl *impl);	/* CPU and OS */
const struct mlkem_impl *mlkem_impl_best(void);		/* fastest usable */
static inline void mlkem_ws_set_impl(struct mlkem_ws *ws,
				     const struct mlkem_impl *impl)
{
	ws->impl = impl;
}

/*
 * Deterministic entry points (FIPS 203 Algorithms 16, 17, 18).
 * Buffer lengths are those of @p; length checks (FIPS 203 7.2/7.3 "type
 * checks") are the caller's, since only the caller knows its buffer sizes.
 * mlkem_encaps_internal() performs the 7.2 modulus check itself and returns
 * -EINVAL (writing nothing to @ss) when @ek fails it.
 */
int mlkem_keygen_internal(const struct mlkem_params *p, u8 *ek, u8 *dk,
			  const u8 *d, const u8 *z, struct mlkem_ws *ws);
int mlkem_encaps_internal(const struct mlkem_params *p, u8 *ct, u8 *ss,
			  const u8 *ek, const u8 *m, struct mlkem_ws *ws);
/*
 * Decapsulation without the 7.3 hash check of @dk, for keys already checked
 * with mlkem_check_dk() at import. Implicit rejection as in FIPS 203.
 */
int mlkem_decaps_internal(const struct mlkem_params *p, u8 *ss,
			  const u8 *ct, const u8 *dk, struct mlkem_ws *ws);

/*
 * Randomized entry points (FIPS 203 Algorithms 19, 20, 21); randomness from
 * mlkem_randombytes(). mlkem_decaps() includes the 7.3 hash check of @dk.
 */
int mlkem_keygen(const struct mlkem_params *p, u8 *ek, u8 *dk,
		 struct mlkem_ws *ws);
int mlkem_encaps(const struct mlkem_params *p, u8 *ct, u8 *ss,
		 const u8 *ek, struct mlkem_ws *ws);
int mlkem_decaps(const struct mlkem_params *p, u8 *ss, const u8 *ct,
		 const u8 *dk, struct mlkem_ws *ws);

/* Input checks (FIPS 203 7.2 and 7.3); the lengths are those of @p. */
int mlkem_check_ek(const struct mlkem_params *p, const u8 *ek,
		   struct mlkem_ws *ws);
int mlkem_check_dk(const struct mlkem_params *p, const u8 *dk);

#endif /* _PQREKEY_MLKEM_H */
