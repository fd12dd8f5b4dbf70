/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The backend seam (private to the core).
 *
 * The protocol code - K-PKE and the Fujisaki-Okamoto transform of FIPS 203
 * - is written once, in kem_template.h. Each backend compiles it in its own
 * file (kem_generic.c, kem_avx2.c, ...) with macros that name its
 * arithmetic and sampling functions, so that the calls are direct and the
 * compiler sees the backend's ISA everywhere; struct mlkem_impl holds the
 * three resulting entry points. A backend function must compute exactly
 * what its portable twin computes; a backend may reuse portable functions
 * for parts it does not vectorize.
 *
 * All SHAKE and SHA3 work of an operation that does not depend on an
 * earlier result of the same operation is handed to the backend in one
 * struct mlkem_batch: matrix expansion, noise sampling and up to two
 * 32-byte hashes. The portable backend runs the jobs one after the other;
 * a vector backend runs them in the lanes of a multi-way Keccak.
 */
#ifndef _PQREKEY_MLKEM_IMPL_H
#define _PQREKEY_MLKEM_IMPL_H

#include "poly.h"

#define MLKEM_MAX_NOISE		(2 * MLKEM_MAX_K + 1)
#define MLKEM_MAX_HASHES	2

/**
 * struct mlkem_hash_job - out = H(in[0] || in[1]), 32 bytes.
 * @out: 32-byte output
 * @in:  the two input pieces (@len[1] may be 0)
 * @len: their lengths
 * @ds:  MLKEM_KECCAK_DS_SHA3 (SHA3-256) or MLKEM_KECCAK_DS_SHAKE (the first
 *       32 bytes of SHAKE256); both have a rate of 136 bytes
 */
struct mlkem_hash_job {
	u8 *out;
	const u8 *in[2];
	unsigned int len[2];
	u8 ds;
};

/**
 * struct mlkem_batch - independent Keccak work of one operation.
 * @rho:        seed of the matrix; NULL for no matrix. The matrix goes to
 *              ws->a: entry i * k + j = SampleNTT(rho || j || i), or
 *              rho || i || j when @transposed
 * @k:          module rank
 * @transposed: see @rho
 * @seed:       PRF seed of the noise (sigma or r)
 * @nnoise:     number of noise polynomials
 * @neta1:      the first @neta1 use @eta1, the others @eta2
 * @eta1:       see @neta1
 * @eta2:       see @neta1
 * @noise:      noise[i] = SamplePolyCBD_eta(PRF_eta(seed, i))
 * @nhash:      number of hash jobs
 * @hash:       the hash jobs
 */
struct mlkem_batch {
	const u8 *rho;
	unsigned int k, transposed;
	const u8 *seed;
	unsigned int nnoise, neta1, eta1, eta2;
	struct mlkem_poly *noise[MLKEM_MAX_NOISE];
	unsigned int nhash;
	struct mlkem_hash_job hash[MLKEM_MAX_HASHES];
};

/**
 * struct mlkem_impl - one backend.
 * @name:   "generic", "avx2", "avx512"
 * @usable: whether the CPU and OS support it
 * @keygen: as mlkem_keygen_internal()
 * @encaps: as mlkem_encaps_internal()
 * @decaps: as mlkem_decaps_internal(), plus the 7.3 hash check of @dk
 *          when @check (then -EINVAL and nothing written to @ss if @dk
 *          fails it)
 *
 * The entry points do not wipe the workspace; mlkem.c does.
 */
struct mlkem_impl {
	const char *name;
	bool (*usable)(void);
	int (*keygen)(const struct mlkem_params *p, u8 *ek, u8 *dk,
		      const u8 *d, const u8 *z, struct mlkem_ws *ws);
	int (*encaps)(const struct mlkem_params *p, u8 *ct, u8 *ss,
		      const u8 *ek, const u8 *m, struct mlkem_ws *ws);
	int (*decaps)(const struct mlkem_params *p, u8 *ss, const u8 *ct,
		      const u8 *dk, bool check, struct mlkem_ws *ws);
};

/* The backend of @ws; NULL means the portable code. */
static __always_inline const struct mlkem_impl *
mlkem_ws_impl(const struct mlkem_ws *ws)
{
	return ws->impl ? ws->impl : &mlkem_impl_generic;
}

/* The entry points of each backend (kem_<name>.c). */
#define MLKEM_DECLARE_BACKEND(name)					\
int mlkem_keygen_##name(const struct mlkem_params *p, u8 *ek, u8 *dk,	\
			const u8 *d, const u8 *z, struct mlkem_ws *ws);	\
int mlkem_encaps_##name(const struct mlkem_params *p, u8 *ct, u8 *ss,	\
			const u8 *ek, const u8 *m, struct mlkem_ws *ws);	\
int mlkem_decaps_##name(const struct mlkem_params *p, u8 *ss,		\
			const u8 *ct, const u8 *dk, bool check,		\
			struct mlkem_ws *ws)

MLKEM_DECLARE_BACKEND(generic);

/* sampling.c: the batch, one job after the other */
void mlkem_sample_generic(const struct mlkem_batch *b, struct mlkem_ws *ws);

#ifdef MLKEM_X86_64
MLKEM_DECLARE_BACKEND(avx2);
MLKEM_DECLARE_BACKEND(avx512);

/*
 * sampling_avx2.c (built with AVX2): the batch in the @lanes (4 or 8)
 * lanes of @f1600, a multi-way Keccak-f[1600] on ws->xofn (lane word j of
 * lane l at [lanes * j + l]).
 */
void mlkem_sample_lanes(const struct mlkem_batch *b, struct mlkem_ws *ws,
			unsigned int lanes, void (*f1600)(u64 *s));

/* ntt_avx2.c (built with AVX2) */
void mlkem_poly_ntt_avx2(struct mlkem_poly *r);
void mlkem_poly_invntt_tomont_avx2(struct mlkem_poly *r);
void mlkem_polyvec_basemul_acc_avx2(struct mlkem_poly *r,
				    const struct mlkem_poly *a,
				    const struct mlkem_poly *b,
				    unsigned int k);
#endif

#endif /* _PQREKEY_MLKEM_IMPL_H */
