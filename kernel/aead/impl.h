/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The AEAD variants as one table, the seam between the cores (aesgcm.h,
 * chachapoly.h) and the crypto API glue (kernel/aead_glue.c): every
 * variant of every family behind the same streaming operations, as
 * mlkem/impl.h does for the KEM backends. The glue knows families (key
 * sizes, tag sizes, names), not variants.
 *
 * Every operation but usable() and setkey() touches vector registers: in
 * the kernel, call it between kernel_fpu_begin() and kernel_fpu_end(), and
 * only when usable() said yes. Nothing is live in vector registers between
 * calls. Contracts of the streaming calls: aesgcm.h and chachapoly.h.
 */
#ifndef _PQREKEY_AEAD_IMPL_H
#define _PQREKEY_AEAD_IMPL_H

#include "../mlkem/platform.h"

#define PQAEAD_NONCE_SIZE	12
#define PQAEAD_TAG_SIZE		16
/* alignment the expanded keys and states want (zmm rows) */
#define PQAEAD_ALIGN		64

enum pqaead_family {
	PQAEAD_GCM,		/* AES-GCM: gcm(aes), rfc4106(gcm(aes)) */
	PQAEAD_CHACHAPOLY,	/* rfc7539(chacha20,poly1305), rfc7539esp(...) */
};

/**
 * struct pqaead_impl - one variant of an AEAD family.
 * @name: the variant, as in driver names ("vaes_avx2")
 * @family: what it computes
 * @rank: higher is faster (the order of driver priorities)
 * @usable: whether this CPU (and kernel) can run it
 * @key_size: bytes of its expanded key
 * @state_size: bytes of its message state
 * @chunk: every crypt call but a message's last takes a multiple of this
 * @setkey: expand a raw key (AES: 16/24/32 bytes, ChaCha20: 32); no FPU
 *	    needed for ChaCha20, needed for AES
 * @init: start a message with a 12-byte nonce
 * @aad: hash associated data, any split, before any crypt
 * @crypt: encrypt (@enc) or decrypt a piece of text
 * @final: the 16-byte tag; wipes the state
 */
struct pqaead_impl {
	const char *name;
	enum pqaead_family family;
	unsigned int rank;
	bool (*usable)(void);
	unsigned int key_size;
	unsigned int state_size;
	unsigned int chunk;
	int (*setkey)(void *key, const u8 *raw, unsigned int len);
	void (*init)(void *st, const void *key, const u8 *nonce);
	void (*aad)(void *st, const void *key, const u8 *p, size_t len);
	void (*crypt)(void *st, const void *key, const u8 *src, u8 *dst,
		      size_t len, bool enc);
	void (*final)(void *st, const void *key, u8 *tag);
};

/* all variants this build has, NULL-terminated; x86_64/impl.c */
extern const struct pqaead_impl *const pqaead_impls[];

#endif /* _PQREKEY_AEAD_IMPL_H */
