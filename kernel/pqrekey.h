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

/*
 * One KEM (kernel/kem.c): its uapi id (enum pqrekey_alg), names and sizes.
 */
struct pqrekey_kem {
	u32 id;
	const char *name;		/* "ML-KEM-768" */
	const char *cra_name;		/* crypto API name, "mlkem768" */
	const struct mlkem_params *params;
	unsigned int ek_len;
	unsigned int dk_len;
	unsigned int ct_len;
};

const struct pqrekey_kem *pqrekey_kem_by_id(u32 id);
const struct pqrekey_kem *pqrekey_kem_by_cra_name(const char *cra_name);
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
int pqrekey_kpp_register(void);
void pqrekey_kpp_unregister(void);

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
void pqrekey_handles_net_init(struct net *net);
void pqrekey_handles_net_exit(struct net *net);
struct pqrekey_handle *pqrekey_handle_reserve(struct net *net,
					      struct sock *sk, u32 portid,
					      struct netlink_ext_ack *extack);
u64 pqrekey_handle_commit(struct pqrekey_handle *h,
			  const struct pqrekey_kem *kem, u8 *dk);
void pqrekey_handle_cancel(struct pqrekey_handle *h);
struct pqrekey_handle *pqrekey_handle_get(struct net *net,
					  const struct sock *sk, u64 id);
void pqrekey_handle_put(struct pqrekey_handle *h);
int pqrekey_handle_del(struct net *net, const struct sock *sk, u64 id);
const u8 *pqrekey_handle_dk(const struct pqrekey_handle *h);
const struct pqrekey_kem *pqrekey_handle_kem(const struct pqrekey_handle *h);
void pqrekey_handles_release(struct net *net, u32 portid);
void pqrekey_handle_stats(struct net *net, const struct sock *sk,
			  struct pqrekey_handle_stats *st);

#endif /* _PQREKEY_H */
