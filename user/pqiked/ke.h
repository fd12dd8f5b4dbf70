/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Key exchange methods (transform type 4, and ADDKE1..7), all shaped as a
 * KEM: the initiator sends its share (a DH public value, an ML-KEM
 * encapsulation key), the responder answers with its own share (a DH
 * public value, an ML-KEM ciphertext) and has the shared secret at once;
 * the initiator gets it from the answer. (EC)DH fits without bending:
 * its "ciphertext" is the responder's public value.
 *
 * One struct ike_ke per exchange, used once: fresh keys and fresh
 * randomness every time, never shared between methods. ke_ecdh.c (OpenSSL)
 * and ke_mlkem.c (pqrekey.ko through kemclient.h, or the same core
 * in-process) implement it.
 *
 * Errors: -EINVAL means the peer's share is bad (the responder answers
 * INVALID_SYNTAX, the initiator aborts the exchange); anything else is a
 * local failure. Shared secrets are ss_len bytes; the caller wipes them.
 */
#ifndef PQIKED_KE_H
#define PQIKED_KE_H

#include <stddef.h>
#include <stdint.h>

/* Transform type 4 ids (IANA "Key Exchange Method Transform IDs"). */
enum ike_ke_id {
	IKE_KE_NONE = 0,
	IKE_KE_ECP256 = 19,
	IKE_KE_CURVE25519 = 31,
	IKE_KE_MLKEM512 = 35,
	IKE_KE_MLKEM768 = 36,
	IKE_KE_MLKEM1024 = 37,
	/*
	 * FrodoKEM has no IANA ids yet: private-use ids (RFC 7296 3.3.2),
	 * the defaults assumed to be strongSwan's (its keywords frodoa1, a3,
	 * a5, s1, s3, s5 in order from 1083); a configuration's
	 * transform_ids section changes them (ike_ke_set_id()).
	 */
	IKE_KE_FRODO976AES = 1084,
	IKE_KE_FRODO1344AES = 1085,
	IKE_KE_FRODO976SHAKE = 1087,
	IKE_KE_FRODO1344SHAKE = 1088,
};

#define IKE_KE_MAX_SS	64
/* The largest share: a FrodoKEM-1344 ciphertext. */
#define IKE_KE_MAX_SHARE	21696

struct ike_ke;
struct ike_ke_env;
struct ike_kem_core;
struct kemc;

/* A method: the data of one row of the table in ke.c. */
struct ike_ke_method {
	uint16_t id;
	const char *name;	/* strongSwan's: "x25519", "ecp256", "mlkem768" */
	size_t i_len;		/* the initiator's share */
	size_t r_len;		/* the responder's share */
	size_t ss_len;
	uint32_t kem_alg;	/* KEMs: the pqrekey uapi algorithm id */
	const struct ike_kem_core *core;	/* KEMs: the in-process core */
	/* the implementation's constructor */
	struct ike_ke *(*new)(const struct ike_ke_method *m,
			      const struct ike_ke_env *env);
};

/* An implementation's operations. */
struct ike_ke_ops {
	int (*initiate)(struct ike_ke *ke, uint8_t *share);
	int (*respond)(struct ike_ke *ke, const uint8_t *peer, size_t peer_len,
		       uint8_t *share, uint8_t *ss);
	int (*finish)(struct ike_ke *ke, const uint8_t *peer, size_t peer_len,
		      uint8_t *ss);
	void (*free)(struct ike_ke *ke);	/* wipes; drops kernel handles */
};

/* Every implementation's object starts with this. */
struct ike_ke {
	const struct ike_ke_method *m;
	const struct ike_ke_ops *ops;
};

/*
 * Where ML-KEM runs: in pqrekey.ko through @kemc (decapsulation keys stay
 * in the kernel), or, when @kemc is NULL, in-process with the same core
 * (the configured fallback for hosts without the module).
 */
struct ike_ke_env {
	struct kemc *kemc;
};

const struct ike_ke_method *ike_ke_method(uint16_t id);
const struct ike_ke_method *ike_ke_method_by_name(const char *name);

/* A new exchange of @m; NULL on failure (no memory). */
struct ike_ke *ike_ke_new(const struct ike_ke_method *m,
			  const struct ike_ke_env *env);

/* Initiator: its share (i_len bytes). */
static inline int ike_ke_initiate(struct ike_ke *ke, uint8_t *share)
{
	return ke->ops->initiate(ke, share);
}

/* Responder: checks @peer, writes its share (r_len) and the secret. */
static inline int ike_ke_respond(struct ike_ke *ke, const uint8_t *peer,
				 size_t peer_len, uint8_t *share, uint8_t *ss)
{
	return ke->ops->respond(ke, peer, peer_len, share, ss);
}

/* Initiator: the secret from the responder's share. */
static inline int ike_ke_finish(struct ike_ke *ke, const uint8_t *peer,
				size_t peer_len, uint8_t *ss)
{
	return ke->ops->finish(ke, peer, peer_len, ss);
}

static inline void ike_ke_free(struct ike_ke *ke)
{
	if (ke)
		ke->ops->free(ke);
}

/* The implementations' constructors. */
struct ike_ke *ike_ke_ecdh_new(const struct ike_ke_method *m,
			       const struct ike_ke_env *env);
/* A KEM's exchange (ke_kem.c): in pqrekey.ko, or its core in-process. */
struct ike_ke *ike_ke_kem_new(const struct ike_ke_method *m,
			      const struct ike_ke_env *env);

/*
 * A KEM family's in-process core, on the uapi algorithm id: the
 * decapsulation key's length, keygen, encaps (-EINVAL: the peer's key
 * fails the KEM's check) and decaps, on a workspace of ws_size bytes
 * (ws_init: set it up once).
 */
struct ike_kem_core {
	size_t ws_size;
	void (*ws_init)(void *ws);
	size_t (*dk_len)(uint32_t alg);
	int (*keygen)(uint32_t alg, uint8_t *ek, uint8_t *dk, void *ws);
	int (*encaps)(uint32_t alg, uint8_t *ct, uint8_t *ss,
		      const uint8_t *ek, void *ws);
	int (*decaps)(uint32_t alg, uint8_t *ss, const uint8_t *ct,
		      const uint8_t *dk, void *ws);
};

extern const struct ike_kem_core ike_mlkem_core;	/* ke_mlkem.c */
extern const struct ike_kem_core ike_frodo_core;	/* ke_frodo.c */
/*
 * Sets the transform id of the method named @name (private-use ids);
 * 0, or -1 if there is no such method or another has the id.
 */
int ike_ke_set_id(const char *name, uint16_t id);
/* Tests only: a fixed (EC)DH private key (32 bytes) before initiate. */
int ike_ke_ecdh_set_private(struct ike_ke *ke, const uint8_t *priv,
			    size_t len);

#endif /* PQIKED_KE_H */
