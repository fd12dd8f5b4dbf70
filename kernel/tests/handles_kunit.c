// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suite pqrekey_handles: the key-handle table of the netlink service
 * (kernel/handles.c) through its interface, with kernel netlink sockets
 * standing in for callers, the limits set through pqrekey_handle_params
 * (restored after each case):
 *
 *   - ownership follows the socket, not the port id: another socket cannot
 *     use or delete a handle; the release notifier of a port id whose
 *     socket is still alive (the window in which netlink_release() has
 *     freed the port id of a closing socket and a new socket bound it)
 *     leaves that socket's handles alone; releasing the socket frees them;
 *   - a reserved slot counts until it is committed or cancelled;
 *   - ids are distinct, never 0 and not a sequence;
 *   - lifetimes: a handle deleted while a request holds it stays valid
 *     for that request and is freed by its last reference; it cannot be
 *     found or deleted again;
 *   - expiry: a handle is gone after its lifetime, counted as expired,
 *     and a request holding it keeps a valid key until it lets go;
 *   - limits: per socket (-ENOSPC), per table (-EMFILE), per user
 *     (-EDQUOT) and for the module (-ENFILE), each counting reserved
 *     slots; a freed slot can be used again;
 *   - a socket closed while its request runs: the request's handle is not
 *     committed (-ECONNRESET) and nothing stays counted;
 *   - netns exit (the table's exit, which the pernet exit runs, on a table
 *     of the test's own): every handle freed, the one a request still
 *     holds at its last reference (KASAN and kmemleak watch);
 *   - the KEM layer (kernel/kem.c) underneath: round trip, implicit
 *     rejection, -EINVAL for a bad length, -EKEYREJECTED for a bad key.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <uapi/linux/pqrekey.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "../pqrekey.h"

#define KT_PORT		0x7e570001

static struct socket *kt_socket(struct kunit *test, u32 portid)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_pid = portid };
	struct socket *sock;
	int ret;

	ret = sock_create_kern(&init_net, AF_NETLINK, SOCK_RAW, NETLINK_GENERIC,
			       &sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	ret = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr));
	if (ret)
		sock_release(sock);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return sock;
}

#define KT_NET		pqrekey_handles(&init_net)

/* The port id of a kernel netlink socket (autobound ones too). */
static u32 kt_portid(struct kunit *test, struct sock *sk)
{
	struct sockaddr_nl addr = {};
	int ret;

	ret = kernel_getsockname(sk->sk_socket, (struct sockaddr *)&addr);
	KUNIT_EXPECT_GE(test, ret, 0);
	return addr.nl_pid;
}

/*
 * A new handle of @sk in table @pn holding an ML-KEM-512 key whose first
 * byte is @tag; returns its id. Its port id is the socket's, as in a
 * request (NETLINK_CB(skb).portid), for the release notifier.
 */
static u64 kt_handle_in(struct kunit *test, struct pqrekey_handle_table *pn,
			struct sock *sk, u8 tag)
{
	u32 portid = kt_portid(test, sk);
	const struct pqrekey_kem *kem = pqrekey_kem_by_id(1);
	struct pqrekey_handle *h;
	u64 id = 0;
	int ret;
	u8 *dk;

	KUNIT_ASSERT_NOT_NULL(test, kem);
	dk = kvzalloc(kem->dk_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dk);
	dk[0] = tag;
	h = pqrekey_handle_reserve(pn, sk, portid, NULL);
	if (IS_ERR(h))
		kvfree(dk);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	ret = pqrekey_handle_commit(h, kem, dk, &id);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return id;
}

static u64 kt_handle(struct kunit *test, struct sock *sk)
{
	return kt_handle_in(test, KT_NET, sk, 0);
}

static u32 kt_live(struct sock *sk)
{
	struct pqrekey_handle_stats st;

	pqrekey_handle_stats(KT_NET, sk, &st);
	return st.handles;
}

static u32 kt_sock_live(struct pqrekey_handle_table *pn, struct sock *sk)
{
	struct pqrekey_handle_stats st;

	pqrekey_handle_stats(pn, sk, &st);
	return st.sock_handles;
}

static void kt_owner_is_socket(struct kunit *test)
{
	struct socket *a, *b;
	struct pqrekey_handle *h;
	u32 n0;
	u64 id;

	a = kt_socket(test, KT_PORT);
	b = kt_socket(test, 0);
	n0 = kt_live(b->sk);
	id = kt_handle(test, a->sk);
	KUNIT_EXPECT_EQ(test, kt_live(b->sk), n0 + 1);

	/* Another socket presenting A's port id: no access. */
	KUNIT_EXPECT_NULL(test, pqrekey_handle_get(KT_NET, b->sk, id));
	KUNIT_EXPECT_EQ(test, pqrekey_handle_del(KT_NET, b->sk, id),
			-ENOENT);
	h = pqrekey_handle_get(KT_NET, a->sk, id);
	KUNIT_EXPECT_NOT_NULL(test, h);
	if (h)
		pqrekey_handle_put(h);

	/*
	 * The notifier of port KT_PORT while the socket owning handles
	 * under that port id is alive: as when a closing socket's port id
	 * was bound again before its notifier ran. A keeps its handle.
	 */
	pqrekey_handles_release(KT_NET, KT_PORT);
	h = pqrekey_handle_get(KT_NET, a->sk, id);
	KUNIT_EXPECT_NOT_NULL(test, h);
	if (h)
		pqrekey_handle_put(h);

	/* Closing A frees its handle (NETLINK_URELEASE). */
	sock_release(a);
	KUNIT_EXPECT_EQ(test, kt_live(b->sk), n0);
	sock_release(b);
}

static void kt_reserve_cancel(struct kunit *test)
{
	struct pqrekey_handle_stats st;
	struct pqrekey_handle *h;
	struct socket *a;
	u32 n0;

	a = kt_socket(test, 0);
	n0 = kt_live(a->sk);
	h = pqrekey_handle_reserve(KT_NET, a->sk, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	pqrekey_handle_stats(KT_NET, a->sk, &st);
	KUNIT_EXPECT_EQ(test, st.handles, n0 + 1);
	KUNIT_EXPECT_EQ(test, st.sock_handles, 1);
	pqrekey_handle_cancel(h);
	pqrekey_handle_stats(KT_NET, a->sk, &st);
	KUNIT_EXPECT_EQ(test, st.handles, n0);
	KUNIT_EXPECT_EQ(test, st.sock_handles, 0);
	sock_release(a);
}

static void kt_ids(struct kunit *test)
{
	struct socket *a;
	u64 ids[16];
	int i, j, steps = 0;

	a = kt_socket(test, 0);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		ids[i] = kt_handle(test, a->sk);
		KUNIT_EXPECT_NE(test, ids[i], 0);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, ids[i], ids[j]);
		if (i && ids[i] - ids[i - 1] == 1)
			steps++;
	}
	KUNIT_EXPECT_LT(test, steps, 2);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		KUNIT_EXPECT_EQ(test, pqrekey_handle_del(KT_NET, a->sk,
							 ids[i]), 0);
	sock_release(a);
}

/* A handle deleted while a request holds it. */
static void kt_lifetime(struct kunit *test)
{
	struct pqrekey_handle *h;
	struct socket *a;
	u64 id;

	a = kt_socket(test, 0);
	id = kt_handle_in(test, KT_NET, a->sk, 0x5a);
	h = pqrekey_handle_get(KT_NET, a->sk, id);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, kt_sock_live(KT_NET, a->sk), 1);
	KUNIT_EXPECT_EQ(test, pqrekey_handle_del(KT_NET, a->sk, id), 0);
	/* gone from the table and the counts at once ... */
	KUNIT_EXPECT_EQ(test, kt_sock_live(KT_NET, a->sk), 0);
	KUNIT_EXPECT_NULL(test, pqrekey_handle_get(KT_NET, a->sk, id));
	KUNIT_EXPECT_EQ(test, pqrekey_handle_del(KT_NET, a->sk, id), -ENOENT);
	/* ... but the holder's key stays valid (KASAN watches) */
	KUNIT_EXPECT_EQ(test, pqrekey_handle_dk(h)[0], 0x5a);
	KUNIT_EXPECT_PTR_EQ(test, pqrekey_handle_kem(h), pqrekey_kem_by_id(1));
	pqrekey_handle_put(h);
	sock_release(a);
}

static struct pqrekey_handle_params kt_saved_params;

static int kt_init(struct kunit *test)
{
	kt_saved_params = pqrekey_handle_params;
	return 0;
}

static void kt_exit(struct kunit *test)
{
	pqrekey_handle_params = kt_saved_params;
}

/* Expiry: the collector frees a handle after its lifetime. */
static void kt_expiry(struct kunit *test)
{
	struct pqrekey_handle_stats st0, st;
	struct pqrekey_handle *h;
	struct socket *a, *b;
	u64 id, keep;

	a = kt_socket(test, 0);
	b = kt_socket(test, 0);
	pqrekey_handle_params.expiry_secs = 1;
	pqrekey_handle_stats(KT_NET, a->sk, &st0);
	id = kt_handle_in(test, KT_NET, a->sk, 1);
	keep = kt_handle_in(test, KT_NET, a->sk, 2);
	h = pqrekey_handle_get(KT_NET, a->sk, keep);
	KUNIT_ASSERT_NOT_NULL(test, h);
	pqrekey_handle_params.expiry_secs = 0;	/* this one never expires */
	kt_handle_in(test, KT_NET, a->sk, 3);
	KUNIT_EXPECT_EQ(test, kt_sock_live(KT_NET, a->sk), 3);

	msleep(2000);
	pqrekey_handle_stats(KT_NET, a->sk, &st);
	KUNIT_EXPECT_EQ(test, st.sock_handles, 1);
	KUNIT_EXPECT_EQ(test, st.expired, st0.expired + 2);
	KUNIT_EXPECT_NULL(test, pqrekey_handle_get(KT_NET, a->sk, id));
	KUNIT_EXPECT_EQ(test, pqrekey_handle_del(KT_NET, a->sk, keep),
			-ENOENT);
	/* the request that held it still reads its key */
	KUNIT_EXPECT_EQ(test, pqrekey_handle_dk(h)[0], 2);
	pqrekey_handle_put(h);
	sock_release(a);
	KUNIT_EXPECT_EQ(test, kt_live(b->sk), st0.handles);
	sock_release(b);
}

/* Reserve on @sk until it fails; returns the error, counts in *n. */
static int kt_fill(struct pqrekey_handle_table *pn, struct sock *sk,
		   struct pqrekey_handle **hs, unsigned int max,
		   unsigned int *n)
{
	struct pqrekey_handle *h;

	for (*n = 0; *n < max; (*n)++) {
		h = pqrekey_handle_reserve(pn, sk, 0, NULL);
		if (IS_ERR(h))
			return PTR_ERR(h);
		hs[*n] = h;
	}
	return 0;
}

static void kt_unfill(struct pqrekey_handle **hs, unsigned int n)
{
	while (n)
		pqrekey_handle_cancel(hs[--n]);
}

/*
 * Each limit stops reservations at its value, with its own errno, and a
 * cancelled slot is free again. The module and per-user limits count all
 * handles (of the whole module; of the user running KUnit, root), so
 * they are set relative to what is live now.
 */
static void kt_limits(struct kunit *test)
{
	struct pqrekey_handle_table *pn;
	struct pqrekey_handle **hs;
	struct socket *a, *b;
	struct pqrekey_handle_stats st;
	unsigned int n, m;

	hs = kunit_kcalloc(test, 16, sizeof(*hs), GFP_KERNEL);
	pn = kunit_kzalloc(test, sizeof(*pn), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, hs && pn);
	pqrekey_handle_table_init(pn);
	a = kt_socket(test, 0);
	b = kt_socket(test, 0);

	pqrekey_handle_params.per_socket = 3;
	KUNIT_EXPECT_EQ(test, kt_fill(pn, a->sk, hs, 8, &n), -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, 3);
	pqrekey_handle_cancel(hs[--n]);
	KUNIT_EXPECT_EQ(test, kt_fill(pn, a->sk, hs + n, 8, &m), -ENOSPC);
	KUNIT_EXPECT_EQ(test, m, 1);
	kt_unfill(hs, n + m);
	pqrekey_handle_params.per_socket = 0;
	KUNIT_EXPECT_EQ(test, kt_fill(pn, a->sk, hs, 8, &n), -ENOSPC);
	KUNIT_EXPECT_EQ(test, n, 0);
	pqrekey_handle_params = kt_saved_params;

	/* the table's limit spans its sockets */
	pqrekey_handle_params.per_netns = 4;
	KUNIT_EXPECT_EQ(test, kt_fill(pn, a->sk, hs, 3, &n), 0);
	KUNIT_EXPECT_EQ(test, kt_fill(pn, b->sk, hs + 3, 8, &m), -EMFILE);
	KUNIT_EXPECT_EQ(test, m, 1);
	pqrekey_handle_stats(pn, b->sk, &st);
	KUNIT_EXPECT_EQ(test, st.handles, 4);
	KUNIT_EXPECT_EQ(test, st.sock_handles, 1);
	kt_unfill(hs, n + m);
	pqrekey_handle_params = kt_saved_params;

	/* the user's and the module's limits span tables */
	pqrekey_handle_stats(KT_NET, a->sk, &st);
	kt_handle(test, a->sk);	/* one handle elsewhere */
	KUNIT_EXPECT_EQ(test, kt_fill(pn, b->sk, hs, 16, &n), 0);
	kt_unfill(hs, n);
	pqrekey_handle_params.per_user = 2;
	/* at least the one in init_net counts: at most one more here */
	KUNIT_EXPECT_EQ(test, kt_fill(pn, b->sk, hs, 16, &n), -EDQUOT);
	KUNIT_EXPECT_LE(test, n, 1);
	kt_unfill(hs, n);
	pqrekey_handle_params = kt_saved_params;
	pqrekey_handle_params.total = 1;
	KUNIT_EXPECT_EQ(test, kt_fill(pn, b->sk, hs, 16, &n), -ENFILE);
	KUNIT_EXPECT_EQ(test, n, 0);
	pqrekey_handle_params = kt_saved_params;

	sock_release(a);	/* frees its handle in init_net */
	KUNIT_EXPECT_EQ(test, kt_live(b->sk), st.handles);
	KUNIT_EXPECT_EQ(test, kt_fill(pn, b->sk, hs, 16, &n), 0);
	kt_unfill(hs, n);
	sock_release(b);
	pqrekey_handle_table_exit(pn);
}

/*
 * A socket closed while its request runs: the reservation was made, the
 * release notifier ran (finding no committed handle), then the request
 * commits. It must not leave a handle nobody can reach.
 */
static void kt_close_in_flight(struct kunit *test)
{
	const struct pqrekey_kem *kem = pqrekey_kem_by_id(1);
	struct pqrekey_handle_stats st0, st;
	struct pqrekey_handle *h;
	struct socket *a, *b;
	struct sock *sk;
	u64 id = 0;
	u8 *dk;

	b = kt_socket(test, 0);
	pqrekey_handle_stats(KT_NET, b->sk, &st0);
	a = kt_socket(test, KT_PORT);
	/* the request holds the socket, as its skb does */
	sk = a->sk;
	sock_hold(sk);
	h = pqrekey_handle_reserve(KT_NET, sk, KT_PORT, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	sock_release(a);	/* runs the NETLINK_URELEASE notifier */
	dk = kvzalloc(kem->dk_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dk);
	KUNIT_EXPECT_EQ(test, pqrekey_handle_commit(h, kem, dk, &id),
			-ECONNRESET);
	KUNIT_EXPECT_EQ(test, id, 0);
	pqrekey_handle_stats(KT_NET, b->sk, &st);
	KUNIT_EXPECT_EQ(test, st.handles, st0.handles);
	sock_put(sk);
	sock_release(b);
}

/*
 * The exit of a table with live handles, as when its netns goes away:
 * all freed (kmemleak and KASAN watch), a request's reference still
 * valid until it is put; the module-wide counts drop.
 */
static void kt_table_exit(struct kunit *test)
{
	struct pqrekey_handle_table *pn;
	struct pqrekey_handle *h;
	struct socket *a, *b;
	unsigned int i;
	u64 id = 0;

	pn = kunit_kzalloc(test, sizeof(*pn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pn);
	pqrekey_handle_table_init(pn);
	a = kt_socket(test, 0);
	b = kt_socket(test, 0);
	for (i = 0; i < 5; i++)
		id = kt_handle_in(test, pn, i & 1 ? a->sk : b->sk, i);
	h = pqrekey_handle_get(pn, b->sk, id);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_EQ(test, kt_sock_live(pn, a->sk), 2);
	KUNIT_EXPECT_EQ(test, kt_sock_live(pn, b->sk), 3);

	pqrekey_handle_table_exit(pn);
	KUNIT_EXPECT_EQ(test, pqrekey_handle_dk(h)[0], 4);
	pqrekey_handle_put(h);

	/* a fresh table on the same memory starts empty */
	memset(pn, 0, sizeof(*pn));
	pqrekey_handle_table_init(pn);
	KUNIT_EXPECT_EQ(test, kt_sock_live(pn, a->sk), 0);
	pqrekey_handle_table_exit(pn);
	sock_release(a);
	sock_release(b);
}

/*
 * The KEM layer (kernel/kem.c) on byte buffers: round trips with a given
 * and a random m, implicit rejection, the 7.3 check of an imported key,
 * and the distinct errors for a bad length and a bad key.
 */
static void kt_kem(struct kunit *test)
{
	u8 *ek, *dk, *ct, ss[PQREKEY_SS_LEN], ss2[PQREKEY_SS_LEN];
	u8 m[PQREKEY_MSG_LEN] = { 1, 2, 3 };
	const struct pqrekey_kem *kem;
	u32 id;

	KUNIT_EXPECT_NULL(test, pqrekey_kem_by_id(0));
	KUNIT_EXPECT_NULL(test, pqrekey_kem_by_id(PQREKEY_ALG_MAX + 1));
	for (id = PQREKEY_ALG_MLKEM512; id <= PQREKEY_ALG_MAX; id++) {
		kem = pqrekey_kem_by_id(id);
		KUNIT_ASSERT_NOT_NULL(test, kem);
		KUNIT_EXPECT_PTR_EQ(test, pqrekey_kem_by_cra_name(kem->cra_name),
				    kem);
		ek = kunit_kzalloc(test, kem->ek_len, GFP_KERNEL);
		dk = kunit_kzalloc(test, kem->dk_len, GFP_KERNEL);
		ct = kunit_kzalloc(test, kem->ct_len, GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, ek && dk && ct);

		KUNIT_EXPECT_EQ(test, pqrekey_kem_keygen(kem, ek, kem->ek_len, dk,
							 kem->dk_len, NULL), 0);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_encaps(kem, ct, kem->ct_len,
							 ss, sizeof(ss), ek,
							 kem->ek_len, m), 0);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_decaps(kem, ss2, sizeof(ss2),
							 ct, kem->ct_len, dk,
							 kem->dk_len), 0);
		KUNIT_EXPECT_EQ(test, memcmp(ss, ss2, sizeof(ss)), 0);
		/* a random m: another ciphertext, the same round trip */
		memcpy(ss2, ss, sizeof(ss));
		KUNIT_EXPECT_EQ(test, pqrekey_kem_encaps(kem, ct, kem->ct_len,
							 ss, sizeof(ss), ek,
							 kem->ek_len, NULL), 0);
		KUNIT_EXPECT_NE(test, memcmp(ss, ss2, sizeof(ss)), 0);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_check_dk(kem, dk,
							   kem->dk_len), 0);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_decaps(kem, ss2, sizeof(ss2),
							 ct, kem->ct_len, dk,
							 kem->dk_len), 0);
		KUNIT_EXPECT_EQ(test, memcmp(ss, ss2, sizeof(ss)), 0);
		ct[0] ^= 1;
		KUNIT_EXPECT_EQ(test, pqrekey_kem_decaps(kem, ss2, sizeof(ss2),
							 ct, kem->ct_len, dk,
							 kem->dk_len), 0);
		KUNIT_EXPECT_NE(test, memcmp(ss, ss2, sizeof(ss)), 0);

		/* bad lengths: -EINVAL; a bad key: -EKEYREJECTED */
		KUNIT_EXPECT_EQ(test, pqrekey_kem_keygen(kem, ek, kem->ek_len - 1,
							 dk, kem->dk_len, NULL),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_decaps(kem, ss2, sizeof(ss2),
							 ct, kem->ct_len - 1, dk,
							 kem->dk_len), -EINVAL);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_encaps(kem, ct, kem->ct_len,
							 ss, sizeof(ss), ek,
							 kem->ek_len + 1, m),
				-EINVAL);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_check_dk(kem, dk,
							   kem->dk_len - 1),
				-EINVAL);
		/* H(ek) in the key no longer matches: 7.3 rejects it */
		dk[kem->dk_len - 64] ^= 1;
		KUNIT_EXPECT_EQ(test, pqrekey_kem_check_dk(kem, dk,
							   kem->dk_len),
				-EKEYREJECTED);
		memset(ek, 0xff, kem->ek_len - 32);
		KUNIT_EXPECT_EQ(test, pqrekey_kem_encaps(kem, ct, kem->ct_len,
							 ss, sizeof(ss), ek,
							 kem->ek_len, m),
				-EKEYREJECTED);
	}
}

static struct kunit_case kt_handles_cases[] = {
	KUNIT_CASE(kt_owner_is_socket),
	KUNIT_CASE(kt_reserve_cancel),
	KUNIT_CASE(kt_ids),
	KUNIT_CASE(kt_lifetime),
	KUNIT_CASE(kt_expiry),
	KUNIT_CASE(kt_limits),
	KUNIT_CASE(kt_close_in_flight),
	KUNIT_CASE(kt_table_exit),
	KUNIT_CASE(kt_kem),
	{}
};

static struct kunit_suite kt_handles_suite = {
	.name = "pqrekey_handles",
	.init = kt_init,
	.exit = kt_exit,
	.test_cases = kt_handles_cases,
};

kunit_test_suites(&kt_handles_suite);
