// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Key handles of the generic netlink service: a handle holds the bytes of
 * a decapsulation key generated in the kernel and its KEM (kernel/kem.c).
 * Handles live in a per-netns table and belong to the netlink socket that
 * created them (its struct sock, not its port id); only that socket, in
 * that netns, can use or delete them. A handle is freed (its key wiped,
 * kvfree_sensitive()) on KEY_DEL, when its socket closes (NETLINK_URELEASE notifier), when it
 * expires (per-netns delayed work), when the netns goes away and when the
 * module is unloaded.
 *
 * Why the socket and not the port id: netlink_release() unhashes the port
 * id (a new socket may bind it at once) before it calls the release
 * notifier. Owned by port id, the handles of a closing socket would be
 * usable, in that window, by the new socket, and the notifier would free
 * the new socket's handles. So an owner holds a reference to its struct
 * sock, requests are matched by the sending socket (NETLINK_CB(skb).sk),
 * and the notifier, which only knows the port id, frees the owners of that
 * port id whose socket is dead (sock_orphan() runs before the notifier).
 * genetlink's per-socket private data (genl_sk_priv_get(), 6.8+) would do
 * the same, but it is not exported to modules (6.12).
 *
 * Locking: one mutex per netns protects the tables, the counters and the
 * expiry list; it is never held during an ML-KEM operation. Users take a
 * reference (pqrekey_handle_get()), so a handle deleted or expired while in
 * use is freed by the last pqrekey_handle_put().
 *
 * Memory: the key bytes (kvmalloc() by the caller), the handle and its
 * owner are allocated with __GFP_ACCOUNT, charged to the memory cgroup of
 * the task that made the handle.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/cred.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/random.h>
#include <linux/refcount.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/delay.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "pqrekey.h"

/* The limits, as module parameters (pqrekey_handle_params in pqrekey.h). */
struct pqrekey_handle_params pqrekey_handle_params = {
	.expiry_secs = 300,
	.per_socket = 1024,
	.per_netns = 8192,
	.total = 32768,
	.per_user = 8192,
};

module_param_named(handle_expiry_secs, pqrekey_handle_params.expiry_secs,
		   uint, 0644);
MODULE_PARM_DESC(handle_expiry_secs,
		 "Lifetime of a key handle in seconds, from its creation (0 = unlimited; default 300)");
module_param_named(max_handles_per_socket, pqrekey_handle_params.per_socket,
		   uint, 0644);
MODULE_PARM_DESC(max_handles_per_socket,
		 "Live key handles per netlink socket (default 1024)");
module_param_named(max_handles_per_netns, pqrekey_handle_params.per_netns,
		   uint, 0644);
MODULE_PARM_DESC(max_handles_per_netns,
		 "Live key handles per network namespace (default 8192)");
module_param_named(max_handles, pqrekey_handle_params.total, uint, 0644);
MODULE_PARM_DESC(max_handles,
		 "Live key handles of the whole module, all netns together (default 32768)");
module_param_named(max_handles_per_user, pqrekey_handle_params.per_user,
		   uint, 0644);
MODULE_PARM_DESC(max_handles_per_user,
		 "Live key handles created by one user (real uid), all netns together (default 8192)");
module_param_named(test_release_delay_ms,
		   pqrekey_handle_params.release_delay_ms, uint, 0644);
MODULE_PARM_DESC(test_release_delay_ms,
		 "Test hook: sleep this long before freeing the handles of a closed socket, widening the window in which its port id is free (default 0)");

/*
 * Handle ids: a counter (per netns) through a 64-bit permutation keyed at
 * random (per netns and module load): a 4-round Feistel network with
 * SipHash as its round function. Distinct within the netns, never 0, and
 * neither guessable from other ids nor repeated after a module reload
 * (other than by chance, 2^-64 per pair of ids).
 */
static u64 pqrekey_id_permute(const siphash_key_t *key, u64 x)
{
	u32 l = upper_32_bits(x), r = lower_32_bits(x), t;
	int i;

	for (i = 0; i < 4; i++) {
		t = l ^ (u32)siphash_2u32(r, i, key);
		l = r;
		r = t;
	}
	return (u64)l << 32 | r;
}

/* Expired handles are collected at most this often. */
#define PQREKEY_GC_MIN_DELAY	(HZ / 10)

struct pqrekey_owner {
	struct hlist_node node;		/* in pqrekey_handle_table.owners */
	struct list_head handles;	/* pqrekey_handle.owner_node */
	struct sock *sk;		/* the owning socket, referenced */
	u32 portid;			/* its port id, for the notifier */
	unsigned int count;
};

/*
 * Handles per user (the creating task's real uid, as the initial user
 * namespace sees it: the same for root of any user namespace that user
 * creates) and of the whole module, protected by pqrekey_users_lock.
 */
struct pqrekey_user {
	struct hlist_node node;		/* in pqrekey_users */
	kuid_t uid;
	unsigned int count;
};

static DEFINE_SPINLOCK(pqrekey_users_lock);
static DEFINE_HASHTABLE(pqrekey_users, 6);
static unsigned int pqrekey_users_total;

struct pqrekey_handle {
	struct hlist_node node;		/* in pqrekey_handle_table.handles */
	struct list_head owner_node;	/* in pqrekey_owner.handles */
	struct list_head all_node;	/* in pqrekey_handle_table.all */
	struct pqrekey_owner *owner;
	struct pqrekey_user *user;
	struct pqrekey_handle_table *pn;
	const struct pqrekey_kem *kem;
	u8 *dk;				/* kem->dk_len bytes, kvmalloc()ed */
	refcount_t ref;
	u64 id;
	unsigned long expires;		/* jiffies; valid if expiry is set */
	bool expiry;
};

/**
 * pqrekey_handles() - the handle table of a netns.
 * @net: the netns
 *
 * Return: its table, valid while @net exists.
 */
struct pqrekey_handle_table *pqrekey_handles(struct net *net)
{
	return &pqrekey_net(net)->handles;
}

static void pqrekey_handle_free(struct pqrekey_handle *h)
{
	kvfree_sensitive(h->dk, h->kem->dk_len);
	kfree_sensitive(h);
}

/**
 * pqrekey_handle_put() - drop a reference taken by pqrekey_handle_get().
 * @h: the handle; freed (key wiped) with the last reference.
 */
void pqrekey_handle_put(struct pqrekey_handle *h)
{
	if (refcount_dec_and_test(&h->ref))
		pqrekey_handle_free(h);
}

/**
 * pqrekey_handle_dk() - the decapsulation key of a handle.
 * @h: a handle the caller holds a reference to.
 *
 * Return: pqrekey_handle_kem(@h)->dk_len bytes, constant and valid as long
 * as the reference.
 */
const u8 *pqrekey_handle_dk(const struct pqrekey_handle *h)
{
	return h->dk;
}

/**
 * pqrekey_handle_kem() - the KEM of a handle.
 * @h: a handle the caller holds a reference to.
 *
 * Return: the KEM.
 */
const struct pqrekey_kem *pqrekey_handle_kem(const struct pqrekey_handle *h)
{
	return h->kem;
}

static struct pqrekey_owner *pqrekey_owner_find(struct pqrekey_handle_table *pn,
						const struct sock *sk)
{
	struct pqrekey_owner *o;

	hash_for_each_possible(pn->owners, o, node, (unsigned long)sk)
		if (o->sk == sk)
			return o;
	return NULL;
}

static struct pqrekey_handle *pqrekey_handle_find(struct pqrekey_handle_table *pn,
						  const struct sock *sk, u64 id)
{
	struct pqrekey_handle *h;

	hash_for_each_possible(pn->handles, h, node, id)
		if (h->id == id && h->owner->sk == sk)
			return h;
	return NULL;
}

/*
 * Take @h out of every table (it must be in them); the table's reference
 * is the caller's to drop, outside the lock.
 */
/* Give a reserved or unlinked handle's slot back. */
static void pqrekey_handle_unreserve(struct pqrekey_handle_table *pn,
				     struct pqrekey_handle *h)
{
	struct pqrekey_owner *o = h->owner;
	struct pqrekey_user *u = h->user;

	lockdep_assert_held(&pn->lock);
	spin_lock(&pqrekey_users_lock);
	pqrekey_users_total--;
	if (!--u->count) {
		hash_del(&u->node);
		kfree(u);
	}
	spin_unlock(&pqrekey_users_lock);
	h->user = NULL;
	pn->count--;
	if (!--o->count) {
		hash_del(&o->node);
		sock_put(o->sk);
		kfree(o);
	}
	h->owner = NULL;
}

static void pqrekey_handle_unlink(struct pqrekey_handle_table *pn,
				  struct pqrekey_handle *h)
{
	lockdep_assert_held(&pn->lock);
	hash_del(&h->node);
	list_del(&h->owner_node);
	list_del(&h->all_node);
	pqrekey_handle_unreserve(pn, h);
}

/* Make sure the collector runs by @when (jiffies). */
static void pqrekey_gc_arm(struct pqrekey_handle_table *pn, unsigned long when)
{
	unsigned long now = jiffies, delay;

	lockdep_assert_held(&pn->lock);
	if (pn->dying || (pn->gc_pending && time_before_eq(pn->gc_at, when)))
		return;
	delay = time_after(when, now) ? when - now : 0;
	delay = max_t(unsigned long, delay, PQREKEY_GC_MIN_DELAY);
	pn->gc_at = now + delay;
	pn->gc_pending = true;
	mod_delayed_work(system_wq, &pn->gc, delay);
}

static void pqrekey_gc(struct work_struct *work)
{
	struct pqrekey_handle_table *pn = container_of(to_delayed_work(work),
					      struct pqrekey_handle_table, gc);
	struct pqrekey_handle *h, *tmp;
	unsigned long now = jiffies, next = 0;
	bool have_next = false;
	LIST_HEAD(dead);

	mutex_lock(&pn->lock);
	pn->gc_pending = false;
	list_for_each_entry_safe(h, tmp, &pn->all, all_node) {
		if (!h->expiry)
			continue;
		if (time_after_eq(now, h->expires)) {
			pqrekey_handle_unlink(pn, h);
			list_add(&h->all_node, &dead);
			pn->expired++;
		} else if (!have_next || time_before(h->expires, next)) {
			next = h->expires;
			have_next = true;
		}
	}
	if (have_next)
		pqrekey_gc_arm(pn, next);
	mutex_unlock(&pn->lock);

	list_for_each_entry_safe(h, tmp, &dead, all_node)
		pqrekey_handle_put(h);
}

/**
 * pqrekey_handle_reserve() - count a handle against the limits before the
 * work that makes its key.
 * @pn: the handle table of the caller's netns
 * @sk: the calling netlink socket (NETLINK_CB(skb).sk), the owner
 * @portid: its port id
 * @extack: extended ack for error messages
 *
 * The reserved handle counts against every limit but has no id and cannot
 * be found; pqrekey_handle_commit() gives it its key and id,
 * pqrekey_handle_cancel() gives the slot back. The caller must do one of
 * them before its request ends.
 *
 * Context: process context, may sleep.
 * Return: the reserved handle; ERR_PTR(-ENOSPC) if the socket,
 * ERR_PTR(-EMFILE) if the netns has the maximum number of live handles,
 * ERR_PTR(-EDQUOT) if the calling user, ERR_PTR(-ENFILE) if the module;
 * ERR_PTR(-ENOMEM); ERR_PTR(-ERESTARTSYS) if interrupted while waiting
 * for the RNG to be seeded (first handle of the netns only).
 */
struct pqrekey_handle *pqrekey_handle_reserve(struct pqrekey_handle_table *pn,
					      struct sock *sk, u32 portid,
					      struct netlink_ext_ack *extack)
{
	struct pqrekey_owner *o, *new_o;
	struct pqrekey_user *u, *new_u;
	kuid_t uid = current_uid();
	struct pqrekey_handle *h;
	int ret = 0;

	/* The id key (and the key pair) need a seeded RNG. */
	if (!READ_ONCE(pn->id_key_set)) {
		ret = wait_for_random_bytes();
		if (ret)
			return ERR_PTR(ret);
	}

	h = kzalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	new_o = kzalloc(sizeof(*new_o), GFP_KERNEL_ACCOUNT);
	new_u = kzalloc(sizeof(*new_u), GFP_KERNEL_ACCOUNT);
	if (!h || !new_o || !new_u) {
		kfree(h);
		kfree(new_o);
		kfree(new_u);
		return ERR_PTR(-ENOMEM);
	}

	mutex_lock(&pn->lock);
	o = pqrekey_owner_find(pn, sk);
	if (o && o->count >= READ_ONCE(pqrekey_handle_params.per_socket)) {
		NL_SET_ERR_MSG(extack, "handle limit of this socket reached");
		ret = -ENOSPC;
		goto unlock;
	}
	if (pn->count >= READ_ONCE(pqrekey_handle_params.per_netns)) {
		NL_SET_ERR_MSG(extack, "handle limit of this netns reached");
		ret = -EMFILE;
		goto unlock;
	}
	if (!o && !READ_ONCE(pqrekey_handle_params.per_socket)) {
		NL_SET_ERR_MSG(extack, "handle limit of this socket reached");
		ret = -ENOSPC;
		goto unlock;
	}

	spin_lock(&pqrekey_users_lock);
	hash_for_each_possible(pqrekey_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			break;
	if (pqrekey_users_total >= READ_ONCE(pqrekey_handle_params.total)) {
		NL_SET_ERR_MSG(extack, "handle limit of the module reached (max_handles)");
		ret = -ENFILE;
	} else if ((u ? u->count : 0) >= READ_ONCE(pqrekey_handle_params.per_user)) {
		NL_SET_ERR_MSG(extack, "handle limit of this user reached (max_handles_per_user)");
		ret = -EDQUOT;
	} else {
		if (!u) {
			u = new_u;
			new_u = NULL;
			u->uid = uid;
			hash_add(pqrekey_users, &u->node, __kuid_val(uid));
		}
		u->count++;
		pqrekey_users_total++;
	}
	spin_unlock(&pqrekey_users_lock);
	if (ret)
		goto unlock;

	if (!pn->id_key_set) {
		get_random_bytes(&pn->id_key, sizeof(pn->id_key));
		WRITE_ONCE(pn->id_key_set, true);
	}
	if (!o) {
		o = new_o;
		new_o = NULL;
		sock_hold(sk);
		o->sk = sk;
		o->portid = portid;
		INIT_LIST_HEAD(&o->handles);
		hash_add(pn->owners, &o->node, (unsigned long)sk);
	}
	h->pn = pn;
	h->owner = o;
	h->user = u;
	o->count++;
	pn->count++;
unlock:
	mutex_unlock(&pn->lock);
	kfree(new_o);
	kfree(new_u);
	if (ret) {
		kfree(h);
		return ERR_PTR(ret);
	}
	return h;
}

/**
 * pqrekey_handle_cancel() - give back a slot pqrekey_handle_reserve() took.
 * @h: the reserved handle, freed
 */
void pqrekey_handle_cancel(struct pqrekey_handle *h)
{
	struct pqrekey_handle_table *pn = h->pn;

	mutex_lock(&pn->lock);
	pqrekey_handle_unreserve(pn, h);
	mutex_unlock(&pn->lock);
	kfree(h);
}

/* Lifetime of a new handle in jiffies, 0 for unlimited. */
static unsigned long pqrekey_expiry_jiffies(void)
{
	u64 j = (u64)READ_ONCE(pqrekey_handle_params.expiry_secs) * HZ;

	/* No overflow of * HZ, even with 32-bit jiffies. */
	return min_t(u64, j, MAX_JIFFY_OFFSET);
}

/**
 * pqrekey_handle_commit() - make a reserved handle live.
 * @h: a handle from pqrekey_handle_reserve()
 * @kem: the key's KEM
 * @dk: the decapsulation key, @kem->dk_len bytes from kvmalloc() (with
 *      __GFP_ACCOUNT); the handle owns it now and wipes it when freed,
 *      also on failure
 * @id: the id of the new handle, out
 *
 * A socket closed while its request ran (its release notifier has run or
 * will run, having found no committed handle) gets no handle: it could
 * never use or delete it, and the handle would count against the limits
 * until it expired.
 *
 * Return: 0; -ECONNRESET if the owning socket is closed (@h is freed, as
 * by pqrekey_handle_cancel()).
 */
int pqrekey_handle_commit(struct pqrekey_handle *h,
			  const struct pqrekey_kem *kem, u8 *dk, u64 *id)
{
	struct pqrekey_handle_table *pn = h->pn;
	unsigned long expiry = pqrekey_expiry_jiffies();

	h->kem = kem;
	h->dk = dk;
	refcount_set(&h->ref, 1);

	mutex_lock(&pn->lock);
	/*
	 * sock_orphan() marks the socket dead before the notifier runs, and
	 * the notifier takes pn->lock: a handle committed here while the
	 * socket is alive is on the owner's list when the notifier looks.
	 */
	if (sock_flag(h->owner->sk, SOCK_DEAD)) {
		pqrekey_handle_unreserve(pn, h);
		mutex_unlock(&pn->lock);
		pqrekey_handle_free(h);
		return -ECONNRESET;
	}
	do
		h->id = pqrekey_id_permute(&pn->id_key, ++pn->next_id);
	while (!h->id);
	hash_add(pn->handles, &h->node, h->id);
	list_add_tail(&h->owner_node, &h->owner->handles);
	list_add_tail(&h->all_node, &pn->all);
	if (expiry) {
		h->expiry = true;
		h->expires = jiffies + expiry;
		pqrekey_gc_arm(pn, h->expires);
	}
	*id = h->id;
	mutex_unlock(&pn->lock);
	return 0;
}

/**
 * pqrekey_handle_get() - look a handle up and take a reference.
 * @pn: the handle table of the caller's netns
 * @sk: the calling netlink socket
 * @id: the handle id
 *
 * Only the socket that created a handle finds it.
 * Return: the handle (release with pqrekey_handle_put()) or NULL.
 */
struct pqrekey_handle *pqrekey_handle_get(struct pqrekey_handle_table *pn,
					  const struct sock *sk, u64 id)
{
	struct pqrekey_handle *h;

	mutex_lock(&pn->lock);
	h = pqrekey_handle_find(pn, sk, id);
	if (h)
		refcount_inc(&h->ref);
	mutex_unlock(&pn->lock);
	return h;
}

/**
 * pqrekey_handle_del() - delete a handle of the calling socket.
 * @pn: the handle table of the caller's netns
 * @sk: the calling netlink socket
 * @id: the handle id
 *
 * Return: 0, or -ENOENT if the socket has no such handle.
 */
int pqrekey_handle_del(struct pqrekey_handle_table *pn, const struct sock *sk,
		       u64 id)
{
	struct pqrekey_handle *h;

	mutex_lock(&pn->lock);
	h = pqrekey_handle_find(pn, sk, id);
	if (h)
		pqrekey_handle_unlink(pn, h);
	mutex_unlock(&pn->lock);
	if (!h)
		return -ENOENT;
	pqrekey_handle_put(h);
	return 0;
}

/**
 * pqrekey_handle_stats() - handle counters of a netns.
 * @pn: its handle table
 * @sk: a socket whose live handles to count
 * @st: filled in
 */
void pqrekey_handle_stats(struct pqrekey_handle_table *pn,
			  const struct sock *sk,
			  struct pqrekey_handle_stats *st)
{
	struct pqrekey_owner *o;

	mutex_lock(&pn->lock);
	o = pqrekey_owner_find(pn, sk);
	st->sock_handles = o ? o->count : 0;
	st->handles = pn->count;
	st->expired = pn->expired;
	mutex_unlock(&pn->lock);
	st->max_handles = READ_ONCE(pqrekey_handle_params.per_netns);
	st->max_sock_handles = READ_ONCE(pqrekey_handle_params.per_socket);
	st->expiry_secs = READ_ONCE(pqrekey_handle_params.expiry_secs);
}

/**
 * pqrekey_handles_release() - a socket with port id @portid is being
 * released: free the handles of every dead socket that had that port id.
 * @pn: the handle table of the socket's network namespace
 * @portid: its port id
 *
 * A live socket that has bound the port id since keeps its own handles.
 * Called by the NETLINK_URELEASE notifier (and by KUnit).
 */
void pqrekey_handles_release(struct pqrekey_handle_table *pn, u32 portid)
{
	struct pqrekey_handle *h, *tmp;
	struct pqrekey_owner *o;
	struct hlist_node *next;
	unsigned int delay = READ_ONCE(pqrekey_handle_params.release_delay_ms);
	LIST_HEAD(dead);
	int bkt;

	if (delay)
		msleep(delay);
	mutex_lock(&pn->lock);
	hash_for_each_safe(pn->owners, bkt, next, o, node) {
		if (o->portid != portid || !sock_flag(o->sk, SOCK_DEAD))
			continue;
		/* The owner is freed with its last handle. */
		while (!list_empty(&o->handles)) {
			bool last = o->count == 1;

			h = list_first_entry(&o->handles,
					     struct pqrekey_handle, owner_node);
			pqrekey_handle_unlink(pn, h);
			list_add(&h->all_node, &dead);
			if (last)
				break;
		}
	}
	mutex_unlock(&pn->lock);

	list_for_each_entry_safe(h, tmp, &dead, all_node)
		pqrekey_handle_put(h);
}

static int pqrekey_netlink_event(struct notifier_block *nb,
				 unsigned long event, void *ptr)
{
	struct netlink_notify *n = ptr;

	if (event == NETLINK_URELEASE && n->protocol == NETLINK_GENERIC &&
	    n->portid)
		pqrekey_handles_release(pqrekey_handles(n->net), n->portid);
	return NOTIFY_DONE;
}

static struct notifier_block pqrekey_netlink_notifier = {
	.notifier_call = pqrekey_netlink_event,
};

/**
 * pqrekey_handle_table_init() - set up the handle table of a new netns.
 * @pn: the table, zeroed
 *
 * Called by the pernet init of kernel/main.c (and by KUnit).
 */
void pqrekey_handle_table_init(struct pqrekey_handle_table *pn)
{
	mutex_init(&pn->lock);
	hash_init(pn->handles);
	hash_init(pn->owners);
	INIT_LIST_HEAD(&pn->all);
	INIT_DELAYED_WORK(&pn->gc, pqrekey_gc);
}

/**
 * pqrekey_handle_table_exit() - free every handle of a netns going away.
 * @pn: its table
 *
 * Called by the pernet exit of kernel/main.c, also at module unload,
 * after the family is unregistered (no request can run), and by KUnit.
 * A handle a caller still holds a reference to is freed by its last
 * pqrekey_handle_put().
 */
void pqrekey_handle_table_exit(struct pqrekey_handle_table *pn)
{
	struct pqrekey_handle *h, *tmp;
	LIST_HEAD(dead);

	mutex_lock(&pn->lock);
	pn->dying = true;	/* the collector does not re-arm itself */
	mutex_unlock(&pn->lock);
	cancel_delayed_work_sync(&pn->gc);

	mutex_lock(&pn->lock);
	list_for_each_entry_safe(h, tmp, &pn->all, all_node) {
		pqrekey_handle_unlink(pn, h);
		list_add(&h->all_node, &dead);
	}
	mutex_unlock(&pn->lock);

	/* No request can run now: all references are the tables'. */
	list_for_each_entry_safe(h, tmp, &dead, all_node)
		pqrekey_handle_put(h);
	mutex_destroy(&pn->lock);
}

/**
 * pqrekey_handles_init() - register the socket release notifier.
 *
 * Call after the per-netns structure is registered (kernel/main.c).
 * Return: 0 or a negative errno.
 */
int pqrekey_handles_init(void)
{
	return netlink_register_notifier(&pqrekey_netlink_notifier);
}

/**
 * pqrekey_handles_exit() - unregister the socket release notifier.
 *
 * Call after the netlink family is gone, before the per-netns structure.
 */
void pqrekey_handles_exit(void)
{
	netlink_unregister_notifier(&pqrekey_netlink_notifier);
}
