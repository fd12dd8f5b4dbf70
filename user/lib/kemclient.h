/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * kemc: a client of pqrekey.ko's "pqrekey" generic netlink KEM service
 * (include/uapi/linux/pqrekey.h, Documentation/netlink.rst), through
 * libnl-genl-3. Used by pqkem and by pqiked; it knows nothing of either.
 *
 * One struct kemc is one netlink socket. Key handles belong to the socket
 * that made them: they are freed by the kernel when it is closed, so keep
 * one kemc for as long as its handles are needed. A kemc is not thread-safe.
 *
 * Calls are synchronous (a request, then its replies until the kernel's
 * acknowledgement) and return 0 or a negative errno:
 *   -ENOENT   kemc_open: the module is not available (no genl family);
 *             later: no such handle on this socket
 *   -EPERM    the caller lacks CAP_NET_ADMIN over its network namespace
 *   -EINVAL   a key or ciphertext the kernel refused (FIPS 203 checks)
 *   -ERANGE   a value outside the kernel's policy (unknown algorithm, ...)
 *   -ENOSPC / -EMFILE / -EDQUOT / -ENFILE  too many live handles on the
 *             socket / in the netns / of the user / in the module
 *   -EPROTO   a reply this client cannot make sense of
 *   -EMSGSIZE a request too large for one netlink message
 * and leave a message in kemc_error(): the kernel's extended-ack message
 * when it sent one. Buffer lengths are passed on unchecked, so that the
 * kernel's own checks can be tested; reply lengths are checked against the
 * sizes the kernel announced for the algorithm (kemc_alg_info()).
 */
#ifndef PQREKEY_USER_KEMCLIENT_H
#define PQREKEY_USER_KEMCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kemc;

#define KEMC_ERRLEN 256

/* An algorithm as the kernel announces it (PQREKEY_CMD_GET_ALGS). */
struct kemc_alg {
	uint32_t id;		/* enum pqrekey_alg */
	char name[32];		/* crypto API name, "mlkem768" */
	char driver[64];	/* the driver serving it now */
	uint32_t ek_len, dk_len, ct_len, ss_len, seed_len, msg_len;
};

/* One counter of PQREKEY_CMD_GET_STATS, e.g. "keygen_ops", "handles". */
struct kemc_stat {
	char name[48];
	uint64_t value;
};

/*
 * Opens a socket, resolves the family (which autoloads the module) and
 * reads the algorithm table. On failure *@out is NULL and @err (if not
 * NULL) holds the reason.
 */
int kemc_open(struct kemc **out, char *err, size_t errlen);
void kemc_close(struct kemc *c);	/* the kernel frees the handles */

/* The last failure's message ("" after a success). */
const char *kemc_error(const struct kemc *c);

/* The algorithm table read at kemc_open(); NULL if @id is not offered. */
const struct kemc_alg *kemc_alg_info(const struct kemc *c, uint32_t id);
size_t kemc_algs(const struct kemc *c, const struct kemc_alg **algs);
/* Re-reads it (the serving drivers can change). */
int kemc_refresh_algs(struct kemc *c);

/*
 * Key generation in the kernel: @ek gets the encapsulation key (ek_len
 * bytes), *@handle the handle of the decapsulation key, which stays there.
 * @seed (d || z) makes it deterministic; the kernel accepts it only where
 * test inputs are allowed. NULL: random.
 */
int kemc_keygen(struct kemc *c, uint32_t alg, const uint8_t *seed,
		size_t seed_len, uint8_t *ek, uint64_t *handle);

/* Encapsulation to @ek: @ct (ct_len) and @ss (ss_len). @m: as @seed. */
int kemc_encaps(struct kemc *c, uint32_t alg, const uint8_t *ek,
		size_t ek_len, const uint8_t *m, size_t m_len, uint8_t *ct,
		uint8_t *ss);

/*
 * Decapsulation of @ct with the key behind @handle, or (tests) with an
 * explicit @dk when @dk is not NULL. *@alg: 0 or the expected algorithm
 * (the kernel checks it against the handle's); set to the handle's.
 */
int kemc_decaps(struct kemc *c, uint32_t *alg, uint64_t handle,
		const uint8_t *dk, size_t dk_len, const uint8_t *ct,
		size_t ct_len, uint8_t *ss);

int kemc_del(struct kemc *c, uint64_t handle);

/* Counters of the caller's network namespace; *@n set to the count. */
int kemc_stats(struct kemc *c, struct kemc_stat *out, size_t max, size_t *n);

/*
 * Batches: @n operations in one request (PQREKEY_CMD_BATCH), at most
 * kemc_max_batch(). Each entry names its command (PQREKEY_CMD_KEYGEN,
 * _ENCAPS, _DECAPS or _KEY_DEL) and inputs, and receives its own result:
 * err (0 or a negative errno, with err_msg) and, on success, the outputs
 * into the buffers it points to. Entries run in order and a failed entry
 * does not stop the others; kemc_batch() itself fails only when the
 * request as a whole does (then no entry's result is valid).
 */
struct kemc_op {
	/* in */
	uint32_t cmd, alg;
	uint64_t handle;	/* DECAPS, KEY_DEL */
	const uint8_t *ek;	/* ENCAPS */
	size_t ek_len;
	const uint8_t *ct;	/* DECAPS */
	size_t ct_len;
	/* out (buffers of the algorithm's sizes; NULL: not wanted) */
	uint8_t *out_ek;	/* KEYGEN */
	uint8_t *out_ct;	/* ENCAPS */
	uint8_t *out_ss;	/* ENCAPS, DECAPS */
	uint64_t out_handle;	/* KEYGEN */
	int err;
	char err_msg[128];
};

unsigned int kemc_max_batch(void);
int kemc_batch(struct kemc *c, struct kemc_op *ops, size_t n);

#endif /* PQREKEY_USER_KEMCLIENT_H */
