/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem: shared declarations of the command-line tool and of the vector
 * driver (pqkem-vectors): algorithms, the backend interface (kernel through
 * generic netlink, or the same ML-KEM core in-process), input decoding and
 * output formatting.
 */
#ifndef PQREKEY_PQKEM_H
#define PQREKEY_PQKEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mlkem.h"
#include "frodo.h"

/* Exit statuses (documented in Documentation/pqkem.rst). */
enum {
	PQKEM_EXIT_OK = 0,
	PQKEM_EXIT_FAIL = 1,	/* the operation was refused or failed */
	PQKEM_EXIT_USAGE = 2,	/* bad command line or bad input data */
	PQKEM_EXIT_NOMOD = 3,	/* kernel module / genl family not available */
	PQKEM_EXIT_PERM = 4,	/* missing CAP_NET_ADMIN */
};

/* ---- algorithms (alg.c) ---- */

struct pqkem_alg {
	const char *name;		/* "mlkem768" */
	uint32_t id;			/* uapi algorithm id */
	/* the in-process core's parameters: one of the two is set */
	const struct mlkem_params *p;		/* ML-KEM */
	const struct frodo_params *fp;		/* FrodoKEM */
	size_t ek_len, dk_len, ct_len, ss_len, seed_len, msg_len;
};

extern const struct pqkem_alg pqkem_algs[];
extern const size_t pqkem_nalgs;

const struct pqkem_alg *pqkem_alg_by_name(const char *name);
const struct pqkem_alg *pqkem_alg_by_id(uint32_t id);

/* ---- input (io.c) ---- */

/* A byte string of any length (inputs are passed on unchecked). */
struct pqkem_buf {
	uint8_t *p;
	size_t n;
};

/*
 * Decodes an argument: HEX digits, or @FILE (@- = stdin) whose content is
 * hex text (whitespace ignored) or, if it is not, raw bytes. On error
 * writes a message to @err and returns -1.
 */
int pqkem_input(struct pqkem_buf *b, const char *arg, char *err, size_t errlen);
/* Hex digits only; whitespace is not allowed. 0 or -1. */
int pqkem_hex_decode(struct pqkem_buf *b, const char *s, size_t len);
void pqkem_buf_free(struct pqkem_buf *b);	/* wipes, then frees */
void pqkem_wipe(void *p, size_t n);
/* Parses an unsigned decimal or 0x-hex number. 0 or -1. */
int pqkem_parse_u64(const char *s, uint64_t *v);

/* ---- output (output.c) ---- */

/*
 * One record on stdout, as "key: value" lines or as one JSON object
 * (--json). Nesting: lists of objects (algs, stats).
 */
void out_init(bool json);
void out_begin(void);			/* top-level object */
void out_end(void);
void out_str(const char *key, const char *val);
void out_u64(const char *key, uint64_t val);
void out_hex(const char *key, const uint8_t *p, size_t n);
void out_list_begin(const char *key);
void out_list_end(void);
void out_obj_begin(void);		/* an element of the current list */
void out_obj_end(void);
void out_double(const char *key, double val);

/* ---- backends ---- */

#define PQKEM_ERRLEN 256

struct pqkem_alginfo {
	char name[32];
	char driver[64];
	uint32_t id;
	uint32_t ek_len, dk_len, ct_len, ss_len;
};

struct pqkem_stat {
	char name[48];
	uint64_t value;
};

struct pqkem_be;

/*
 * Every operation returns 0 or a negative errno and, on failure, leaves a
 * human-readable reason in be->err (the kernel's extack message when there
 * is one). Lengths are passed on unchecked: the backend must refuse wrong
 * ones itself (that is what the vector tests check). Outputs are written
 * only on success.
 */
struct pqkem_be_ops {
	const char *name;
	int (*open)(struct pqkem_be *be);
	void (*close)(struct pqkem_be *be);
	int (*algs)(struct pqkem_be *be, struct pqkem_alginfo *out, size_t max,
		    size_t *n);
	/* @seed NULL: random. @dk: written by the user backend only. */
	int (*keygen)(struct pqkem_be *be, const struct pqkem_alg *a,
		      const struct pqkem_buf *seed, uint8_t *ek, uint8_t *dk,
		      uint64_t *handle);
	/* @m NULL: random. */
	int (*encaps)(struct pqkem_be *be, const struct pqkem_alg *a,
		      const struct pqkem_buf *ek, const struct pqkem_buf *m,
		      uint8_t *ct, uint8_t *ss);
	/* @dk NULL: use @handle. */
	/* *@a may be NULL with a handle: the kernel then reports it. */
	int (*decaps)(struct pqkem_be *be, const struct pqkem_alg **a,
		      uint64_t handle, const struct pqkem_buf *dk,
		      const struct pqkem_buf *ct, uint8_t *ss);
	int (*del)(struct pqkem_be *be, uint64_t handle);
	int (*stats)(struct pqkem_be *be, struct pqkem_stat *out, size_t max,
		     size_t *n);
};

struct pqkem_be {
	const struct pqkem_be_ops *ops;
	void *priv;
	char err[PQKEM_ERRLEN];
	/* why open() failed: PQKEM_EXIT_NOMOD, PQKEM_EXIT_PERM or _FAIL */
	int open_status;
};

extern const struct pqkem_be_ops pqkem_user_ops;	/* backend-user.c */
/*
 * The core implementation the user backend runs: "generic", "avx2",
 * "avx512", or NULL for the fastest one the CPU supports (--impl).
 */
extern const char *pqkem_user_impl;
/* The name of the implementation an open user backend runs. */
const char *pqkem_user_impl_name(const struct pqkem_be *be);
extern const struct pqkem_be_ops pqkem_kernel_ops;	/* backend-kernel.c */

const struct pqkem_be_ops *pqkem_backend_by_name(const char *name);
void pqkem_seterr(struct pqkem_be *be, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Batched operations through the kernel, for the benchmark: @count
 * encapsulations against @ek (or decapsulations of @ct with @handle) in
 * messages of @per_msg operations each. Returns 0 or a negative errno.
 */
int pqkem_kernel_batch_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      const struct pqkem_buf *ek, unsigned int count,
			      unsigned int per_msg);
int pqkem_kernel_batch_decaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      uint64_t handle, const struct pqkem_buf *ct,
			      unsigned int count, unsigned int per_msg);
unsigned int pqkem_kernel_max_batch(void);

/* bench.c */
int pqkem_bench(struct pqkem_be *kbe, const struct pqkem_alg *a,
		double seconds, unsigned int per_msg, bool kernel, bool user);

#endif /* PQREKEY_PQKEM_H */
