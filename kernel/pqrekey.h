/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Interfaces between the parts of pqrekey.ko.
 */
#ifndef _PQREKEY_H
#define _PQREKEY_H

#include <linux/atomic.h>
#include <linux/hashtable.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/siphash.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <uapi/linux/pqrekey.h>

struct mlkem_impl;
struct mlkem_params;
struct mlkem_ws;

void pqrekey_backend_init(void);
bool pqrekey_backend_in_use(const struct mlkem_impl *impl);
const struct mlkem_impl *pqrekey_backend_best(void);
const struct mlkem_impl *pqrekey_backend_begin(struct mlkem_ws *ws,
					       const struct mlkem_impl *impl);
void pqrekey_backend_end(const struct mlkem_impl *used);
bool pqrekey_backend_vectors_allowed(void);
bool pqrekey_backend_simd_usable(void);

/*
 * The backends of the module's KEM cores, one id each, in ascending order of
 * speed. A KEM says which it has (struct pqrekey_kem_ops.backend_in_use);
 * the kpp drivers are named and prioritized after them (kernel/kpp.c).
 */
enum pqrekey_backend {
	PQREKEY_BACKEND_GENERIC,	/* portable C */
	PQREKEY_BACKEND_AVX2,		/* x86-64 AVX2 */
	PQREKEY_BACKEND_AVX512,		/* x86-64 AVX-512 */
	PQREKEY_NR_BACKENDS
};

const char *pqrekey_backend_name(enum pqrekey_backend b);

struct pqrekey_kem;

/**
 * struct pqrekey_kem_ops - the core of a family of KEMs, on byte buffers.
 * @ws_size:        bytes of the per-operation workspace
 * @backend_in_use: whether this module load runs the family on a backend
 * @keygen:         KeyGen_internal from @kem->seed_len coin bytes
 * @encaps:         Encaps_internal with @kem->msg_len coin bytes; checks @ek
 *                  first (-EKEYREJECTED, nothing written)
 * @decaps:         Decaps_internal with a key known to be good; a modified
 *                  ciphertext yields the implicit-rejection secret
 * @check_dk:       the check of an imported decapsulation key
 *                  (-EKEYREJECTED)
 *
 * Buffers have exactly the KEM's lengths (struct pqrekey_kem). Each
 * operation runs its own FPU section on @b (portable code where SIMD is not
 * usable), does not sleep and does not allocate: callable in atomic context.
 */
struct pqrekey_kem_ops {
	size_t ws_size;
	bool (*backend_in_use)(enum pqrekey_backend b);
	int (*keygen)(const struct pqrekey_kem *kem, void *ws,
		      enum pqrekey_backend b, u8 *ek, u8 *dk, const u8 *seed);
	int (*encaps)(const struct pqrekey_kem *kem, void *ws,
		      enum pqrekey_backend b, u8 *ct, u8 *ss, const u8 *ek,
		      const u8 *msg);
	int (*decaps)(const struct pqrekey_kem *kem, void *ws,
		      enum pqrekey_backend b, u8 *ss, const u8 *ct,
		      const u8 *dk);
	int (*check_dk)(const struct pqrekey_kem *kem, const u8 *dk);
};

/**
 * struct pqrekey_kem - one KEM of the module (the table in kernel/kem.c).
 * @id:       uapi id, enum pqrekey_alg
 * @name:     "ML-KEM-768"
 * @cra_name: crypto API name, "mlkem768"
 * @ops:      its core
 * @params:   the core's parameter set
 * @ek_len:   encapsulation key bytes
 * @dk_len:   decapsulation key bytes
 * @ct_len:   ciphertext bytes
 * @ss_len:   shared secret bytes
 * @seed_len: coin bytes of a deterministic keygen
 * @msg_len:  coin bytes of a deterministic encapsulation
 * @ek_in_dk: offset of the encapsulation key inside the decapsulation key
 */
struct pqrekey_kem {
	u32 id;
	const char *name;
	const char *cra_name;
	const struct pqrekey_kem_ops *ops;
	const void *params;
	unsigned int ek_len;
	unsigned int dk_len;
	unsigned int ct_len;
	unsigned int ss_len;
	unsigned int seed_len;
	unsigned int msg_len;
	unsigned int ek_in_dk;
};

/* The largest coin and secret sizes of any KEM of the table. */
#define PQREKEY_KEM_MAX_COINS	112	/* FrodoKEM-1344 keygen */
#define PQREKEY_KEM_MAX_SS	32
static_assert(PQREKEY_KEM_MAX_COINS == PQREKEY_MAX_SEED_LEN);
static_assert(PQREKEY_KEM_MAX_SS == PQREKEY_MAX_SS_LEN);

extern const struct pqrekey_kem pqrekey_mlkem512;
extern const struct pqrekey_kem pqrekey_mlkem768;
extern const struct pqrekey_kem pqrekey_mlkem1024;
extern const struct pqrekey_kem pqrekey_frodo976aes;
extern const struct pqrekey_kem pqrekey_frodo976shake;
extern const struct pqrekey_kem pqrekey_frodo1344aes;
extern const struct pqrekey_kem pqrekey_frodo1344shake;

const struct pqrekey_kem *pqrekey_kem_by_id(u32 id);
const struct pqrekey_kem *pqrekey_kem_by_cra_name(const char *cra_name);
bool pqrekey_kem_backend_in_use(const struct pqrekey_kem *kem,
				enum pqrekey_backend b);
enum pqrekey_backend pqrekey_kem_backend_best(const struct pqrekey_kem *kem);
int pqrekey_kem_keygen(const struct pqrekey_kem *kem, u8 *ek, size_t ek_len,
		       u8 *dk, size_t dk_len, const u8 *seed);
int pqrekey_kem_decaps(const struct pqrekey_kem *kem, u8 *ss, size_t ss_len,
		       const u8 *ct, size_t ct_len, const u8 *dk,
		       size_t dk_len);
int pqrekey_kem_check_dk(const struct pqrekey_kem *kem, const u8 *dk,
			 size_t dk_len);
int pqrekey_kem_encaps(const struct pqrekey_kem *kem, u8 *ct, size_t ct_len,
		       u8 *ss, size_t ss_len, const u8 *ek, size_t ek_len,
		       const u8 *m);

int pqrekey_selftest(const struct mlkem_impl *impl);
int pqrekey_selftest_frodo(void);
int pqrekey_kpp_register(void);
void pqrekey_kpp_unregister(void);

/* ESP AEADs (kernel/aead.c registers, kernel/aead_glue.c runs them) */
struct pqaead_impl;
struct aead_alg;
struct crypto_aead;

/**
 * struct pqrekey_aead_alg - what the glue needs of a registered AEAD.
 * @impl: the variant (kernel/aead/impl.h)
 * @esp: the ESP form (salt in the key, 8-byte IV, assoclen includes it)
 */
struct pqrekey_aead_alg {
	const struct pqaead_impl *impl;
	bool esp;
};

const struct pqrekey_aead_alg *pqrekey_aead_alg_of(struct crypto_aead *tfm);
void pqrekey_aead_fill(struct aead_alg *a, const struct pqrekey_aead_alg *pa);
#ifdef CONFIG_X86_64
int pqrekey_aead_check_param(void);
int pqrekey_aead_register(void);
void pqrekey_aead_unregister(void);
#else	/* the AEAD variants are x86-64 code only */
static inline int pqrekey_aead_check_param(void) { return 0; }
static inline int pqrekey_aead_register(void) { return 0; }
static inline void pqrekey_aead_unregister(void) { }
#endif

int pqrekey_genl_init(void);
void pqrekey_genl_exit(void);

struct crypto_kpp;
struct net;
struct netlink_ext_ack;
struct pqrekey_handle;
struct sock;

struct pqrekey_handle_stats {
	u32 handles;		/* live handles in the netns */
	u32 sock_handles;	/* live handles of the asking socket */
	u32 max_handles;
	u32 max_sock_handles;
	u32 expiry_secs;
	u64 expired;
};

/* The limits of the handle tables: module parameters (kernel/handles.c). */
struct pqrekey_handle_params {
	unsigned int expiry_secs;	/* handle_expiry_secs, 0: none */
	unsigned int per_socket;	/* max_handles_per_socket */
	unsigned int per_netns;		/* max_handles_per_netns */
	unsigned int total;		/* max_handles */
	unsigned int per_user;		/* max_handles_per_user */
	unsigned int release_delay_ms;	/* test_release_delay_ms */
};

extern struct pqrekey_handle_params pqrekey_handle_params;

#define PQREKEY_HANDLE_BITS	8
#define PQREKEY_OWNER_BITS	6

/* The key handles of one netns (kernel/handles.c). */
struct pqrekey_handle_table {
	struct mutex lock;		/* protects everything below */
	DECLARE_HASHTABLE(handles, PQREKEY_HANDLE_BITS);
	DECLARE_HASHTABLE(owners, PQREKEY_OWNER_BITS);
	struct list_head all;		/* every live handle, oldest first */
	unsigned int count;
	u64 next_id;			/* counter, permuted into ids */
	siphash_key_t id_key;		/* random, set before the first id */
	bool id_key_set;
	u64 expired;
	struct delayed_work gc;
	unsigned long gc_at;		/* when gc is due, if pending */
	bool gc_pending;
	bool dying;
};

/* The family's counters in one netns (kernel/nl_stats.c). */
struct pqrekey_nl_stats {
	atomic64_t ops[PQREKEY_CMD_MAX + 1];
	atomic64_t errors[PQREKEY_CMD_MAX + 1];
};

/* The per-netns state of the module, registered by kernel/main.c. */
struct pqrekey_net {
	struct pqrekey_handle_table handles;
	struct pqrekey_nl_stats stats;
};

struct pqrekey_net *pqrekey_net(struct net *net);

int pqrekey_handles_init(void);
void pqrekey_handles_exit(void);
struct pqrekey_handle_table *pqrekey_handles(struct net *net);
void pqrekey_handle_table_init(struct pqrekey_handle_table *pn);
void pqrekey_handle_table_exit(struct pqrekey_handle_table *pn);
struct pqrekey_handle *pqrekey_handle_reserve(struct pqrekey_handle_table *pn,
					      struct sock *sk, u32 portid,
					      struct netlink_ext_ack *extack);
int pqrekey_handle_commit(struct pqrekey_handle *h,
			  const struct pqrekey_kem *kem, u8 *dk, u64 *id);
void pqrekey_handle_cancel(struct pqrekey_handle *h);
struct pqrekey_handle *pqrekey_handle_get(struct pqrekey_handle_table *pn,
					  const struct sock *sk, u64 id);
void pqrekey_handle_put(struct pqrekey_handle *h);
int pqrekey_handle_del(struct pqrekey_handle_table *pn, const struct sock *sk,
		       u64 id);
const u8 *pqrekey_handle_dk(const struct pqrekey_handle *h);
const struct pqrekey_kem *pqrekey_handle_kem(const struct pqrekey_handle *h);
void pqrekey_handles_release(struct pqrekey_handle_table *pn, u32 portid);
void pqrekey_handle_stats(struct pqrekey_handle_table *pn,
			  const struct sock *sk,
			  struct pqrekey_handle_stats *st);

#endif /* _PQREKEY_H */
