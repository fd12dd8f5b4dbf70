/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The "pqrekey" generic netlink family: post-quantum key encapsulation
 * (ML-KEM, FIPS 203) done by pqrekey.ko on behalf of userspace.
 * Documentation/netlink.rst has the full description. The protocol's
 * source is Documentation/netlink/specs/pqrekey.yaml; tools/lint checks
 * this header (enums, constants, the command list below) against it.
 *
 * Every command needs CAP_NET_ADMIN in the user namespace owning the
 * caller's network namespace (-EPERM), and that user namespace must be
 * the initial one unless the module parameter allow_user_netns is set.
 * Requests are validated strictly: unknown attributes, wrong lengths and
 * trailing data are refused with -EINVAL, values and lengths outside the
 * policy's bounds (including unknown algorithm ids) with -ERANGE, each
 * with an extended ack message.
 *
 * Commands (request attributes -> reply attributes; [x] = optional):
 *
 * PQREKEY_CMD_GET_ALGS: - -> PQREKEY_A_ALGS
 *   Algorithms offered, their sizes and the crypto API driver currently
 *   serving each one.
 *
 * PQREKEY_CMD_KEYGEN: ALG, [SEED] -> ALG, HANDLE, EK
 *   Generates a key pair in the kernel; the decapsulation key never leaves
 *   it. SEED (d || z) makes it deterministic (for tests). The handle
 *   belongs to the calling netlink socket in its network namespace; it is
 *   wiped and freed on KEY_DEL, when the socket closes, when it expires
 *   (module parameter handle_expiry_secs) or when the module is unloaded.
 *   Too many live handles: -ENOSPC (per socket), -EMFILE (per netns),
 *   -EDQUOT (per user) or -ENFILE (module-wide).
 *
 * PQREKEY_CMD_ENCAPS: ALG, EK, [MSG] -> ALG, CT, SS
 *   Encapsulates to EK (checked per FIPS 203 7.2: -EINVAL if it fails).
 *   MSG (m) makes it deterministic (for tests).
 *
 * PQREKEY_CMD_DECAPS: HANDLE, CT -> ALG, SS
 *                     ALG, DK, CT -> ALG, SS            (tests)
 *   Decapsulates with the key of HANDLE (-ENOENT if the socket has no such
 *   handle), or with an explicit DK (checked per FIPS 203 7.3: -EINVAL).
 *   A modified ciphertext yields the implicit-rejection secret, no error.
 *   With HANDLE, ALG is optional; if present it must match the handle's.
 *
 * PQREKEY_CMD_KEY_DEL: HANDLE -> -    (-ENOENT for an unknown handle)
 *
 * PQREKEY_CMD_GET_STATS: - -> PQREKEY_A_STATS
 *   Counters of the caller's network namespace.
 *
 * PQREKEY_CMD_BATCH: OP, OP, ... -> OP, OP, ...
 *   Request: up to max_batch_ops (module parameter, default 64, at most
 *   PQREKEY_BATCH_MAX_OPS) PQREKEY_A_OP attributes, repeated at the top
 *   level of the message (not inside a common nest: a netlink attribute
 *   cannot exceed 64 KiB, a message can). Each is a nest holding
 *   PQREKEY_A_CMD (KEYGEN, ENCAPS, DECAPS or KEY_DEL), an optional
 *   PQREKEY_A_TAG, and the attributes of that command as above. Entries
 *   run in order. More entries than allowed: the whole request fails with
 *   -E2BIG. An entry failing the policy, without a valid PQREKEY_A_CMD or
 *   with an attribute its command does not take fails the whole request
 *   before any operation runs.
 *   Reply: one PQREKEY_A_OP per request entry, same order. Each holds
 *   PQREKEY_A_CMD, PQREKEY_A_ERRNO (0 or a positive errno), the TAG if
 *   one was given, and on success the command's reply attributes, on
 *   failure a PQREKEY_A_ERR_MSG string. A failed entry does not stop the
 *   batch. Handles created in a batch can be used by later entries of it.
 *   The reply may come in several BATCH messages of at most 32 KiB each,
 *   the entries in order: read until there is one result per request
 *   entry (or the ACK). A reply needs up to about 1.8 KiB per entry.
 *
 * SEED, MSG and an explicit DK are test inputs: refused with -EOPNOTSUPP
 * unless the module parameter allow_test_inputs is set.
 *
 * Every reply is a message of the same command. u64 attributes are
 * 64-bit aligned with PQREKEY_A_PAD (nla_put_u64_64bit()).
 */
#ifndef _UAPI_LINUX_PQREKEY_H
#define _UAPI_LINUX_PQREKEY_H

#include <linux/types.h>

#define PQREKEY_GENL_NAME		"pqrekey"
#define PQREKEY_GENL_VERSION		1

/* Sizes in bytes. */
#define PQREKEY_SEED_LEN		64	/* d || z */
#define PQREKEY_MSG_LEN			32	/* m */
#define PQREKEY_SS_LEN			32	/* shared secret */

#define PQREKEY_MLKEM512_EK_LEN		800
#define PQREKEY_MLKEM512_DK_LEN		1632
#define PQREKEY_MLKEM512_CT_LEN		768
#define PQREKEY_MLKEM768_EK_LEN		1184
#define PQREKEY_MLKEM768_DK_LEN		2400
#define PQREKEY_MLKEM768_CT_LEN		1088
#define PQREKEY_MLKEM1024_EK_LEN	1568
#define PQREKEY_MLKEM1024_DK_LEN	3168
#define PQREKEY_MLKEM1024_CT_LEN	1568

/* Largest EK, DK, CT the kernel accepts (policy bounds). */
#define PQREKEY_MAX_EK_LEN		PQREKEY_MLKEM1024_EK_LEN
#define PQREKEY_MAX_DK_LEN		PQREKEY_MLKEM1024_DK_LEN
#define PQREKEY_MAX_CT_LEN		PQREKEY_MLKEM1024_CT_LEN

/* Hard upper bound of the max_batch_ops module parameter. */
#define PQREKEY_BATCH_MAX_OPS		256

/*
 * Algorithm identifiers (u32). 1-15: ML-KEM; 16-31 are reserved for
 * FrodoKEM. The kernel refuses ids it does not implement (-ERANGE).
 */
enum pqrekey_alg {
	PQREKEY_ALG_UNSPEC,
	PQREKEY_ALG_MLKEM512 = 1,
	PQREKEY_ALG_MLKEM768 = 2,
	PQREKEY_ALG_MLKEM1024 = 3,
	__PQREKEY_ALG_MAX
};

#define PQREKEY_ALG_MAX (__PQREKEY_ALG_MAX - 1)

/*
 * The FrodoKEM ids of the reserved range: the kernel's FrodoKEM KEMs (kpp
 * algorithms "frodo976aes", "frodo976shake", "frodo1344aes",
 * "frodo1344shake"). The netlink family does not serve them yet: they are
 * above PQREKEY_ALG_MAX, so it refuses them (-ERANGE) like any id it does
 * not implement.
 */
#define PQREKEY_ALG_FRODO976AES		16
#define PQREKEY_ALG_FRODO976SHAKE	17
#define PQREKEY_ALG_FRODO1344AES	18
#define PQREKEY_ALG_FRODO1344SHAKE	19

enum pqrekey_cmd {
	PQREKEY_CMD_UNSPEC,
	PQREKEY_CMD_GET_ALGS,
	PQREKEY_CMD_KEYGEN,
	PQREKEY_CMD_ENCAPS,
	PQREKEY_CMD_DECAPS,
	PQREKEY_CMD_KEY_DEL,
	PQREKEY_CMD_GET_STATS,
	PQREKEY_CMD_BATCH,
	__PQREKEY_CMD_MAX
};

#define PQREKEY_CMD_MAX (__PQREKEY_CMD_MAX - 1)

/* Top-level attributes; also the attributes of a batch entry. */
enum pqrekey_attr {
	PQREKEY_A_UNSPEC,
	PQREKEY_A_ALG,		/* u32, enum pqrekey_alg */
	PQREKEY_A_HANDLE,	/* u64, never 0 */
	PQREKEY_A_SEED,		/* binary, PQREKEY_SEED_LEN */
	PQREKEY_A_MSG,		/* binary, PQREKEY_MSG_LEN */
	PQREKEY_A_EK,		/* binary, exactly the alg's EK_LEN */
	PQREKEY_A_DK,		/* binary, exactly the alg's DK_LEN */
	PQREKEY_A_CT,		/* binary, exactly the alg's CT_LEN */
	PQREKEY_A_SS,		/* binary, PQREKEY_SS_LEN (replies only) */
	PQREKEY_A_OP,		/* nested, one batch entry (repeated) */
	PQREKEY_A_CMD,		/* u32, enum pqrekey_cmd (batch entry) */
	PQREKEY_A_TAG,		/* u64, opaque, echoed (batch entry) */
	PQREKEY_A_ERRNO,	/* u32, 0 or positive errno (batch reply) */
	PQREKEY_A_ERR_MSG,	/* NUL-terminated string (batch reply) */
	PQREKEY_A_ALGS,		/* nested array of enum pqrekey_alg_attr */
	PQREKEY_A_STATS,	/* nested, enum pqrekey_stats_attr */
	PQREKEY_A_PAD,
	__PQREKEY_A_MAX
};

#define PQREKEY_A_MAX (__PQREKEY_A_MAX - 1)

/* One entry of PQREKEY_A_ALGS (entry attribute type = index + 1). */
enum pqrekey_alg_attr {
	PQREKEY_ALG_A_UNSPEC,
	PQREKEY_ALG_A_ID,	/* u32, enum pqrekey_alg */
	PQREKEY_ALG_A_NAME,	/* string, "ML-KEM-768" */
	PQREKEY_ALG_A_CRA_NAME,	/* string, crypto API name, "mlkem768" */
	PQREKEY_ALG_A_DRIVER,	/* string, driver serving it now */
	PQREKEY_ALG_A_EK_LEN,	/* u32 */
	PQREKEY_ALG_A_DK_LEN,	/* u32 */
	PQREKEY_ALG_A_CT_LEN,	/* u32 */
	PQREKEY_ALG_A_SS_LEN,	/* u32 */
	PQREKEY_ALG_A_SEED_LEN,	/* u32 */
	PQREKEY_ALG_A_MSG_LEN,	/* u32 */
	__PQREKEY_ALG_A_MAX
};

#define PQREKEY_ALG_A_MAX (__PQREKEY_ALG_A_MAX - 1)

/*
 * PQREKEY_A_STATS: the caller's network namespace. One PQREKEY_STATS_A_CMD
 * nest per command GET_ALGS .. BATCH (batch entries also count under their
 * own command).
 */
enum pqrekey_stats_attr {
	PQREKEY_STATS_A_UNSPEC,
	PQREKEY_STATS_A_CMD,		/* nested, enum pqrekey_cmd_stats_attr */
	PQREKEY_STATS_A_HANDLES,	/* u32, live handles in the netns */
	PQREKEY_STATS_A_SOCK_HANDLES,	/* u32, live handles of the caller */
	PQREKEY_STATS_A_MAX_HANDLES,	/* u32, per-netns limit */
	PQREKEY_STATS_A_MAX_SOCK_HANDLES, /* u32, per-socket limit */
	PQREKEY_STATS_A_MAX_BATCH_OPS,	/* u32 */
	PQREKEY_STATS_A_EXPIRY_SECS,	/* u32, 0 = handles never expire */
	PQREKEY_STATS_A_EXPIRED,	/* u64, handles freed on expiry */
	PQREKEY_STATS_A_PAD,
	__PQREKEY_STATS_A_MAX
};

#define PQREKEY_STATS_A_MAX (__PQREKEY_STATS_A_MAX - 1)

enum pqrekey_cmd_stats_attr {
	PQREKEY_CMD_STATS_A_UNSPEC,
	PQREKEY_CMD_STATS_A_CMD,	/* u32, enum pqrekey_cmd */
	PQREKEY_CMD_STATS_A_OPS,	/* u64, requests (or batch entries) */
	PQREKEY_CMD_STATS_A_ERRORS,	/* u64, of which failed */
	PQREKEY_CMD_STATS_A_PAD,
	__PQREKEY_CMD_STATS_A_MAX
};

#define PQREKEY_CMD_STATS_A_MAX (__PQREKEY_CMD_STATS_A_MAX - 1)

#endif /* _UAPI_LINUX_PQREKEY_H */
