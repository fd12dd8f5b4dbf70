// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * KUnit suite pqrekey_handles: the key-handle table of the netlink service
 * (kernel/handles.c) through its interface, with kernel netlink sockets
 * standing in for callers:
 *
 *   - ownership follows the socket, not the port id: another socket cannot
 *     use or delete a handle; the release notifier of a port id whose
 *     socket is still alive (the window in which netlink_release() has
 *     freed the port id of a closing socket and a new socket bound it)
 *     leaves that socket's handles alone; releasing the socket frees them;
 *   - a reserved slot counts until it is committed or cancelled;
 *   - ids are distinct, never 0 and not a sequence;
 *   - the KEM layer (kernel/kem.c) underneath: round trip, implicit
 *     rejection, -EINVAL for a bad length, -EKEYREJECTED for a bad key.
 */

#include <kunit/test.h>
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

/* A new handle of @sk holding an ML-KEM-512 key (zeros); returns its id. */
static u64 kt_handle(struct kunit *test, struct sock *sk, u32 portid)
{
	const struct pqrekey_kem *kem = pqrekey_kem_by_id(1);
	struct pqrekey_handle *h;
	u8 *dk;

	KUNIT_ASSERT_NOT_NULL(test, kem);
	dk = kvzalloc(kem->dk_len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dk);
	h = pqrekey_handle_reserve(&init_net, sk, portid, NULL);
	if (IS_ERR(h))
		kvfree(dk);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	return pqrekey_handle_commit(h, kem, dk);
}

static u32 kt_live(struct sock *sk)
{
	struct pqrekey_handle_stats st;

	pqrekey_handle_stats(&init_net, sk, &st);
	return st.handles;
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
	id = kt_handle(test, a->sk, KT_PORT);
	KUNIT_EXPECT_EQ(test, kt_live(b->sk), n0 + 1);

	/* Another socket presenting A's port id: no access. */
	KUNIT_EXPECT_NULL(test, pqrekey_handle_get(&init_net, b->sk, id));
	KUNIT_EXPECT_EQ(test, pqrekey_handle_del(&init_net, b->sk, id),
			-ENOENT);
	h = pqrekey_handle_get(&init_net, a->sk, id);
	KUNIT_EXPECT_NOT_NULL(test, h);
	if (h)
		pqrekey_handle_put(h);

	/*
	 * The notifier of port KT_PORT while the socket owning handles
	 * under that port id is alive: as when a closing socket's port id
	 * was bound again before its notifier ran. A keeps its handle.
	 */
	pqrekey_handles_release(&init_net, KT_PORT);
	h = pqrekey_handle_get(&init_net, a->sk, id);
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
	h = pqrekey_handle_reserve(&init_net, a->sk, 0, NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(h));
	pqrekey_handle_stats(&init_net, a->sk, &st);
	KUNIT_EXPECT_EQ(test, st.handles, n0 + 1);
	KUNIT_EXPECT_EQ(test, st.sock_handles, 1);
	pqrekey_handle_cancel(h);
	pqrekey_handle_stats(&init_net, a->sk, &st);
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
		ids[i] = kt_handle(test, a->sk, 0);
		KUNIT_EXPECT_NE(test, ids[i], 0);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, ids[i], ids[j]);
		if (i && ids[i] - ids[i - 1] == 1)
			steps++;
	}
	KUNIT_EXPECT_LT(test, steps, 2);
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		KUNIT_EXPECT_EQ(test, pqrekey_handle_del(&init_net, a->sk,
							 ids[i]), 0);
	sock_release(a);
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
	KUNIT_CASE(kt_kem),
	{}
};

static struct kunit_suite kt_handles_suite = {
	.name = "pqrekey_handles",
	.test_cases = kt_handles_cases,
};

kunit_test_suites(&kt_handles_suite);
