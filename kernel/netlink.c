// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The "pqrekey" generic netlink family: ML-KEM key generation,
 * encapsulation and decapsulation for userspace (an IKE daemon, a test
 * harness), one operation per request or many in a batch. The wire format
 * is include/uapi/linux/pqrekey.h; Documentation/netlink.rst describes the
 * service, its limits and module parameters.
 *
 * Key handles are made and used on the KEM layer (kernel/kem.c, the best
 * backend of this module load): a handle keeps its decapsulation key's
 * bytes. ENCAPS (random, or with the test-only MSG) and DECAPS with an
 * explicit DK (test-only, after the FIPS 203 7.3 check) run on the KEM
 * layer too; the kpp drivers (kernel/kpp.c) serve the crypto API, and
 * GET_ALGS reports which of them the crypto API picks. Algorithm ids,
 * names and sizes come from the KEM table (kernel/kem.c).
 *
 * Requests of any number of sockets run in parallel (parallel_ops): the
 * only shared state is the per-netns handle table (kernel/handles.c) and
 * the per-netns counters (atomics).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/kpp.h>
#include <linux/crypto.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"

static unsigned int max_batch_ops = 64;

static int pqrekey_batch_param_set(const char *val,
				   const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, PQREKEY_BATCH_MAX_OPS);
}

static const struct kernel_param_ops pqrekey_batch_param_ops = {
	.set = pqrekey_batch_param_set,
	.get = param_get_uint,
};

module_param_cb(max_batch_ops, &pqrekey_batch_param_ops, &max_batch_ops,
		0644);
MODULE_PARM_DESC(max_batch_ops,
		 "Operations per PQREKEY_CMD_BATCH request (1-256, default 64)");

static bool allow_test_inputs;
module_param(allow_test_inputs, bool, 0644);
MODULE_PARM_DESC(allow_test_inputs,
		 "Accept the test-only inputs PQREKEY_A_SEED, PQREKEY_A_MSG and PQREKEY_A_DK (caller-chosen keys and randomness; default off)");

static bool allow_user_netns;
module_param(allow_user_netns, bool, 0644);
MODULE_PARM_DESC(allow_user_netns,
		 "Serve callers whose network namespace is owned by a user namespace other than the initial one (default off)");

/* Longest error message string in a batch reply, with its NUL. */
#define PQREKEY_ERRMSG_MAX	128

/* Per-netns counters. */
struct pqrekey_nl_net {
	atomic64_t ops[PQREKEY_CMD_MAX + 1];
	atomic64_t errors[PQREKEY_CMD_MAX + 1];
};

static unsigned int pqrekey_nl_net_id __read_mostly;

static struct pernet_operations pqrekey_nl_net_ops = {
	.id = &pqrekey_nl_net_id,
	.size = sizeof(struct pqrekey_nl_net),
};

/*
 * GENL_UNS_ADMIN_PERM lets root of any user namespace, which any user can
 * create, use the service in a netns that namespace owns. Unless
 * allow_user_netns is set, serve only network namespaces owned by the
 * initial user namespace.
 */
static int pqrekey_netns_allowed(struct genl_info *info)
{
	if (genl_info_net(info)->user_ns == &init_user_ns ||
	    READ_ONCE(allow_user_netns))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "netns owned by a non-initial user namespace: needs allow_user_netns=1");
	return -EPERM;
}

static void pqrekey_count(struct net *net, u32 cmd, int ret)
{
	struct pqrekey_nl_net *nn = net_generic(net, pqrekey_nl_net_id);

	if (cmd > PQREKEY_CMD_MAX)
		return;
	atomic64_inc(&nn->ops[cmd]);
	if (ret)
		atomic64_inc(&nn->errors[cmd]);
}

#define PQREKEY_COMMON_POLICY						\
	[PQREKEY_A_ALG] = NLA_POLICY_RANGE(NLA_U32, PQREKEY_ALG_MLKEM512, \
					   PQREKEY_ALG_MAX),		\
	[PQREKEY_A_HANDLE] = NLA_POLICY_MIN(NLA_U64, 1),		\
	[PQREKEY_A_SEED] = NLA_POLICY_EXACT_LEN(PQREKEY_SEED_LEN),	\
	[PQREKEY_A_MSG] = NLA_POLICY_EXACT_LEN(PQREKEY_MSG_LEN),	\
	[PQREKEY_A_EK] = NLA_POLICY_RANGE(NLA_BINARY,			\
					  PQREKEY_MLKEM512_EK_LEN,	\
					  PQREKEY_MAX_EK_LEN),		\
	[PQREKEY_A_DK] = NLA_POLICY_RANGE(NLA_BINARY,			\
					  PQREKEY_MLKEM512_DK_LEN,	\
					  PQREKEY_MAX_DK_LEN),		\
	[PQREKEY_A_CT] = NLA_POLICY_RANGE(NLA_BINARY,			\
					  PQREKEY_MLKEM512_CT_LEN,	\
					  PQREKEY_MAX_CT_LEN)

/* One batch entry; the reply-only attributes are rejected. */
static const struct nla_policy pqrekey_op_policy[PQREKEY_A_MAX + 1] = {
	PQREKEY_COMMON_POLICY,
	[PQREKEY_A_CMD] = NLA_POLICY_RANGE(NLA_U32, PQREKEY_CMD_KEYGEN,
					   PQREKEY_CMD_KEY_DEL),
	[PQREKEY_A_TAG] = { .type = NLA_U64 },
};

static const struct nla_policy pqrekey_policy[PQREKEY_A_MAX + 1] = {
	PQREKEY_COMMON_POLICY,
	[PQREKEY_A_OP] = NLA_POLICY_NESTED(pqrekey_op_policy),
};

/* Request attributes each command accepts. */
static const unsigned long pqrekey_cmd_attrs[PQREKEY_CMD_MAX + 1] = {
	[PQREKEY_CMD_KEYGEN] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_SEED),
	[PQREKEY_CMD_ENCAPS] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_EK) |
			       BIT(PQREKEY_A_MSG),
	[PQREKEY_CMD_DECAPS] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_HANDLE) |
			       BIT(PQREKEY_A_DK) | BIT(PQREKEY_A_CT),
	[PQREKEY_CMD_KEY_DEL] = BIT(PQREKEY_A_HANDLE),
	[PQREKEY_CMD_BATCH] = BIT(PQREKEY_A_OP),
};

static struct genl_family pqrekey_family;

/* Scratch buffers of one request. */
struct pqrekey_buf {
	u8 out[PQREKEY_MAX_CT_LEN];	/* EK or CT */
	u8 ss[PQREKEY_SS_LEN];
	/* handles made by this request, deleted if the reply is lost */
	u64 made[PQREKEY_BATCH_MAX_OPS];
};

/* State of one request (one command or one batch). */
struct pqrekey_req {
	struct net *net;
	struct sock *sk;	/* the caller's socket, owner of its handles */
	u32 portid;
	struct pqrekey_buf *buf;
	unsigned int nmade;
};

static int pqrekey_req_init(struct pqrekey_req *r, struct sk_buff *skb,
			    struct genl_info *info)
{
	memset(r, 0, sizeof(*r));
	r->net = genl_info_net(info);
	r->sk = NETLINK_CB(skb).sk;
	r->portid = info->snd_portid;
	r->buf = kzalloc(sizeof(*r->buf), GFP_KERNEL);
	return r->buf ? 0 : -ENOMEM;
}

/*
 * The reply of @r will not reach the caller (it failed, or could not be
 * queued on the caller's socket): delete the handles @r made, from its
 * @from-th on, whose ids the caller will never learn. Later entries of a batch may have deleted
 * some already; ids are never reused, so that is harmless.
 */
static void pqrekey_req_unmake(struct pqrekey_req *r, unsigned int from)
{
	unsigned int i;

	for (i = from; i < r->nmade; i++)
		pqrekey_handle_del(r->net, r->sk, r->buf->made[i]);
	r->nmade = from;
}

static void pqrekey_req_fini(struct pqrekey_req *r)
{
	kfree_sensitive(r->buf);
}

/* Is @type missing in @tb? Then say so in @extack. */
#define PQREKEY_MISSING(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ack = (extack);			\
	bool __missing = NL_REQ_ATTR_CHECK(__ack, nest, tb, type);	\
	if (__missing)							\
		NL_SET_ERR_MSG(__ack, msg);				\
	__missing;							\
})

static int pqrekey_check_attrs(struct nlattr **tb, unsigned long allowed,
			       struct netlink_ext_ack *extack)
{
	int i;

	for (i = 1; i <= PQREKEY_A_MAX; i++) {
		if (tb[i] && !(allowed & BIT(i))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "attribute not valid for this command");
			return -EINVAL;
		}
	}
	return 0;
}

static u32 pqrekey_alg_id(struct nlattr **tb)
{
	u32 id = nla_get_u32(tb[PQREKEY_A_ALG]);

	/* The policy allows known ids only. */
	return id <= PQREKEY_ALG_MAX ? id : 0;
}

static bool pqrekey_bad_len(const struct nlattr *attr, unsigned int len,
			    struct netlink_ext_ack *extack)
{
	if (nla_len(attr) == len)
		return false;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "attribute length does not match the algorithm");
	return true;
}

static int pqrekey_keygen(struct pqrekey_req *r, struct nlattr **tb,
			  const struct nlattr *nest, struct sk_buff *skb,
			  struct netlink_ext_ack *extack)
{
	const struct pqrekey_kem *kem;
	struct pqrekey_handle *h;
	u64 handle;
	u8 *dk;
	u32 id;
	int ret;

	if (PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_ALG,
			    "missing algorithm (PQREKEY_A_ALG)"))
		return -EINVAL;
	id = pqrekey_alg_id(tb);
	if (!id)
		return -EINVAL;
	kem = pqrekey_kem_by_id(id);

	if (WARN_ON_ONCE(r->nmade >= ARRAY_SIZE(r->buf->made)))
		return -EOVERFLOW;

	/* Count the handle against the limits before doing the work. */
	h = pqrekey_handle_reserve(r->net, r->sk, r->portid, extack);
	if (IS_ERR(h))
		return PTR_ERR(h);
	/* The key's bytes, charged to the caller's memory cgroup. */
	dk = kvmalloc(kem->dk_len, GFP_KERNEL_ACCOUNT);
	if (!dk) {
		pqrekey_handle_cancel(h);
		return -ENOMEM;
	}
	ret = pqrekey_kem_keygen(kem, r->buf->out, kem->ek_len, dk,
				 kem->dk_len,
				 tb[PQREKEY_A_SEED] ?
				 nla_data(tb[PQREKEY_A_SEED]) : NULL);
	if (ret) {
		NL_SET_ERR_MSG(extack, "key generation failed");
		pqrekey_handle_cancel(h);
		kvfree_sensitive(dk, kem->dk_len);
		return ret;
	}
	/* The handle owns the key now. */
	handle = pqrekey_handle_commit(h, kem, dk);
	r->buf->made[r->nmade++] = handle;
	if (nla_put_u32(skb, PQREKEY_A_ALG, id) ||
	    nla_put_u64_64bit(skb, PQREKEY_A_HANDLE, handle, PQREKEY_A_PAD) ||
	    nla_put(skb, PQREKEY_A_EK, kem->ek_len, r->buf->out)) {
		pqrekey_handle_del(r->net, r->sk, handle);
		return -EMSGSIZE;
	}
	return 0;
}

static int pqrekey_encaps(struct pqrekey_req *r, struct nlattr **tb,
			  const struct nlattr *nest, struct sk_buff *skb,
			  struct netlink_ext_ack *extack)
{
	const struct pqrekey_kem *kem;
	struct nlattr *ek;
	u32 id;
	int ret;

	if (PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_ALG,
			    "missing algorithm (PQREKEY_A_ALG)") ||
	    PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_EK,
			    "missing encapsulation key (PQREKEY_A_EK)"))
		return -EINVAL;
	id = pqrekey_alg_id(tb);
	if (!id)
		return -EINVAL;
	kem = pqrekey_kem_by_id(id);
	ek = tb[PQREKEY_A_EK];
	if (pqrekey_bad_len(ek, kem->ek_len, extack))
		return -EINVAL;

	/* A random m, or the test-only MSG: both on the KEM layer. */
	ret = pqrekey_kem_encaps(kem, r->buf->out, kem->ct_len, r->buf->ss,
				 PQREKEY_SS_LEN, nla_data(ek), nla_len(ek),
				 tb[PQREKEY_A_MSG] ?
				 nla_data(tb[PQREKEY_A_MSG]) : NULL);
	if (ret == -EKEYREJECTED) {
		NL_SET_ERR_MSG_ATTR(extack, ek,
				    "encapsulation key fails the FIPS 203 7.2 modulus check");
		ret = -EINVAL;	/* the uapi's errno for a bad key */
	} else if (ret) {
		NL_SET_ERR_MSG(extack, "encapsulation failed");
	}

	if (!ret && (nla_put_u32(skb, PQREKEY_A_ALG, id) ||
		     nla_put(skb, PQREKEY_A_CT, kem->ct_len, r->buf->out) ||
		     nla_put(skb, PQREKEY_A_SS, PQREKEY_SS_LEN, r->buf->ss)))
		ret = -EMSGSIZE;
	memzero_explicit(r->buf->ss, sizeof(r->buf->ss));
	return ret;
}

static int pqrekey_decaps(struct pqrekey_req *r, struct nlattr **tb,
			  const struct nlattr *nest, struct sk_buff *skb,
			  struct netlink_ext_ack *extack)
{
	struct pqrekey_handle *h = NULL;
	const struct pqrekey_kem *kem;
	struct nlattr *ct, *dk = NULL;
	u32 id;
	int ret;

	if (tb[PQREKEY_A_HANDLE] && tb[PQREKEY_A_DK]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_DK],
				    "PQREKEY_A_HANDLE and PQREKEY_A_DK exclude each other");
		return -EINVAL;
	}
	if (PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_CT,
			    "missing ciphertext (PQREKEY_A_CT)"))
		return -EINVAL;
	ct = tb[PQREKEY_A_CT];

	if (tb[PQREKEY_A_HANDLE]) {
		h = pqrekey_handle_get(r->net, r->sk,
				       nla_get_u64(tb[PQREKEY_A_HANDLE]));
		if (!h) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_HANDLE],
					    "unknown handle");
			return -ENOENT;
		}
		kem = pqrekey_handle_kem(h);
		id = kem->id;
		if (tb[PQREKEY_A_ALG] && pqrekey_alg_id(tb) != id) {
			NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_ALG],
					    "algorithm does not match the handle's");
			ret = -EINVAL;
			goto out;
		}
	} else {
		if (PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_DK,
				    "missing PQREKEY_A_HANDLE or PQREKEY_A_DK") ||
		    PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_ALG,
				    "missing algorithm (PQREKEY_A_ALG)"))
			return -EINVAL;
		id = pqrekey_alg_id(tb);
		if (!id)
			return -EINVAL;
		kem = pqrekey_kem_by_id(id);
		dk = tb[PQREKEY_A_DK];
		if (pqrekey_bad_len(dk, kem->dk_len, extack))
			return -EINVAL;
		/* An explicit DK (test input): the 7.3 check first. */
		ret = pqrekey_kem_check_dk(kem, nla_data(dk), nla_len(dk));
		if (ret) {
			NL_SET_ERR_MSG_ATTR(extack, dk,
					    "decapsulation key fails the FIPS 203 7.3 hash check");
			return -EINVAL;	/* the uapi's errno for a bad key */
		}
	}

	if (pqrekey_bad_len(ct, kem->ct_len, extack)) {
		ret = -EINVAL;
		goto out;
	}
	ret = pqrekey_kem_decaps(kem, r->buf->ss, PQREKEY_SS_LEN,
				 nla_data(ct), nla_len(ct),
				 h ? pqrekey_handle_dk(h) : nla_data(dk),
				 kem->dk_len);
	if (ret)
		NL_SET_ERR_MSG(extack, "decapsulation failed");
	else if (nla_put_u32(skb, PQREKEY_A_ALG, id) ||
		 nla_put(skb, PQREKEY_A_SS, PQREKEY_SS_LEN, r->buf->ss))
		ret = -EMSGSIZE;
	memzero_explicit(r->buf->ss, sizeof(r->buf->ss));
out:
	if (h)
		pqrekey_handle_put(h);
	return ret;
}

static int pqrekey_key_del(struct pqrekey_req *r, struct nlattr **tb,
			   const struct nlattr *nest,
			   struct netlink_ext_ack *extack)
{
	int ret;

	if (PQREKEY_MISSING(extack, nest, tb, PQREKEY_A_HANDLE,
			    "missing handle (PQREKEY_A_HANDLE)"))
		return -EINVAL;
	ret = pqrekey_handle_del(r->net, r->sk,
				 nla_get_u64(tb[PQREKEY_A_HANDLE]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_HANDLE],
				    "unknown handle");
	return ret;
}

/*
 * SEED, MSG and an explicit DK make the kernel's keys and randomness the
 * caller's choice: known-answer tests need them, a production caller must
 * not be able to use them. Refused unless allow_test_inputs is set.
 */
static int pqrekey_check_test_inputs(struct nlattr **tb,
				     struct netlink_ext_ack *extack)
{
	if (READ_ONCE(allow_test_inputs))
		return 0;
	if (tb[PQREKEY_A_SEED])
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_SEED],
				    "SEED (chosen key pair) is a test input: needs allow_test_inputs=1");
	else if (tb[PQREKEY_A_MSG])
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_MSG],
				    "MSG (chosen randomness) is a test input: needs allow_test_inputs=1");
	else if (tb[PQREKEY_A_DK])
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_DK],
				    "DK (key from userspace) is a test input: needs allow_test_inputs=1");
	else
		return 0;
	return -EOPNOTSUPP;
}

static int pqrekey_run_op(struct pqrekey_req *r, u32 cmd, struct nlattr **tb,
			  const struct nlattr *nest, struct sk_buff *skb,
			  struct netlink_ext_ack *extack)
{
	int ret;

	ret = pqrekey_check_test_inputs(tb, extack);
	if (ret)
		return ret;

	switch (cmd) {
	case PQREKEY_CMD_KEYGEN:
		return pqrekey_keygen(r, tb, nest, skb, extack);
	case PQREKEY_CMD_ENCAPS:
		return pqrekey_encaps(r, tb, nest, skb, extack);
	case PQREKEY_CMD_DECAPS:
		return pqrekey_decaps(r, tb, nest, skb, extack);
	case PQREKEY_CMD_KEY_DEL:
		return pqrekey_key_del(r, tb, nest, extack);
	}
	NL_SET_ERR_MSG(extack, "unknown command");
	return -EOPNOTSUPP;
}

/* Upper bound of the reply attributes of one operation. */
static size_t pqrekey_op_size(u32 cmd, struct nlattr **tb)
{
	const struct pqrekey_kem *p = NULL;
	size_t alg = nla_total_size(sizeof(u32));

	if (tb[PQREKEY_A_ALG] && pqrekey_alg_id(tb))
		p = pqrekey_kem_by_id(pqrekey_alg_id(tb));

	switch (cmd) {
	case PQREKEY_CMD_KEYGEN:
		return alg + nla_total_size_64bit(sizeof(u64)) +
		       nla_total_size(p ? p->ek_len : 0);
	case PQREKEY_CMD_ENCAPS:
		return alg + nla_total_size(p ? p->ct_len : 0) +
		       nla_total_size(PQREKEY_SS_LEN);
	case PQREKEY_CMD_DECAPS:
		return alg + nla_total_size(PQREKEY_SS_LEN);
	}
	return 0;
}

static int pqrekey_nl_op(struct sk_buff *skb, struct genl_info *info)
{
	u32 cmd = info->genlhdr->cmd;
	struct pqrekey_req r;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = pqrekey_netns_allowed(info);
	if (!ret)
		ret = pqrekey_check_attrs(info->attrs, pqrekey_cmd_attrs[cmd],
					  info->extack);
	if (ret)
		goto count;
	/* One sendmsg() may carry many requests: stay killable. */
	cond_resched();
	if (fatal_signal_pending(current)) {
		ret = -EINTR;
		goto count;
	}
	ret = pqrekey_req_init(&r, skb, info);
	if (ret)
		goto fini;

	msg = genlmsg_new(pqrekey_op_size(cmd, info->attrs), GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto fini;
	}
	hdr = genlmsg_put_reply(msg, info, &pqrekey_family, 0, cmd);
	if (!hdr) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto fini;
	}
	ret = pqrekey_run_op(&r, cmd, info->attrs, NULL, msg, info->extack);
	if (ret) {
		nlmsg_free(msg);
		goto fini;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	if (ret)
		pqrekey_req_unmake(&r, 0);
fini:
	pqrekey_req_fini(&r);
count:
	pqrekey_count(genl_info_net(info), cmd, ret);
	return ret;
}

static int pqrekey_put_errmsg(struct sk_buff *skb, const char *msg)
{
	size_t len = strnlen(msg, PQREKEY_ERRMSG_MAX - 1);
	struct nlattr *attr;

	attr = nla_reserve(skb, PQREKEY_A_ERR_MSG, len + 1);
	if (!attr)
		return -EMSGSIZE;
	memcpy(nla_data(attr), msg, len);
	((char *)nla_data(attr))[len] = '\0';
	return 0;
}

static size_t pqrekey_entry_size(u32 cmd, struct nlattr **tb)
{
	return nla_total_size(0) +			/* the entry */
	       nla_total_size(sizeof(u32)) +		/* CMD */
	       nla_total_size_64bit(sizeof(u64)) +	/* TAG */
	       nla_total_size(sizeof(u32)) +		/* ERRNO */
	       nla_total_size(PQREKEY_ERRMSG_MAX) +	/* ERR_MSG */
	       pqrekey_op_size(cmd, tb);
}

/*
 * The entries of a batch are PQREKEY_A_OP attributes at the top level of
 * the request (a nest of them could not exceed 64 KiB); they are the only
 * attributes of a BATCH request. The family has no user header.
 */
static struct nlattr *pqrekey_attrs(struct genl_info *info, int *len)
{
	*len = nlmsg_attrlen(info->nlhdr, GENL_HDRLEN);
	return nlmsg_attrdata(info->nlhdr, GENL_HDRLEN);
}

/*
 * Check a batch before running it: entry count, CMD and the attributes of
 * each entry. Returns the reply size or a negative errno.
 */
static long pqrekey_batch_check(struct genl_info *info, struct nlattr **tb,
				struct netlink_ext_ack *extack)
{
	unsigned int n = 0, max = READ_ONCE(max_batch_ops);
	struct nlattr *entry, *head;
	size_t size = 0;
	int len, rem, ret;
	u32 cmd;

	head = pqrekey_attrs(info, &len);
	nla_for_each_attr(entry, head, len, rem) {
		if (++n > max) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "too many operations in one batch (max_batch_ops)");
			return -E2BIG;
		}
		ret = nla_parse_nested(tb, PQREKEY_A_MAX, entry,
				       pqrekey_op_policy, extack);
		if (ret)
			return ret;
		if (PQREKEY_MISSING(extack, entry, tb, PQREKEY_A_CMD,
				    "batch entry without PQREKEY_A_CMD"))
			return -EINVAL;
		cmd = nla_get_u32(tb[PQREKEY_A_CMD]);
		ret = pqrekey_check_attrs(tb, pqrekey_cmd_attrs[cmd] |
					  BIT(PQREKEY_A_CMD) |
					  BIT(PQREKEY_A_TAG), extack);
		if (ret)
			return ret;
		size += pqrekey_entry_size(cmd, tb);
	}
	return size;
}

/*
 * A batch reply goes out in parts, BATCH messages of at most
 * PQREKEY_REPLY_MAX bytes of payload each (an skb of up to 32 KiB, order 3),
 * each holding the results of the next entries in order.
 */
#define PQREKEY_REPLY_MAX	(SZ_32K - SZ_1K)

struct pqrekey_reply {
	struct genl_info *info;
	struct sk_buff *msg;
	void *hdr;
	size_t left;		/* reply bytes of the entries not yet run */
	unsigned int sent;	/* r->buf->made[] entries already delivered */
};

/* Send the part being built, if any. */
static int pqrekey_reply_flush(struct pqrekey_req *r, struct pqrekey_reply *rp)
{
	int ret;

	if (!rp->msg)
		return 0;
	genlmsg_end(rp->msg, rp->hdr);
	ret = genlmsg_reply(rp->msg, rp->info);
	rp->msg = NULL;
	if (!ret)
		rp->sent = r->nmade;
	return ret;
}

/* Make sure the part being built has room for @size more bytes. */
static int pqrekey_reply_room(struct pqrekey_req *r, struct pqrekey_reply *rp,
			      size_t size)
{
	int ret;

	if (rp->msg && skb_tailroom(rp->msg) >= size)
		return 0;
	ret = pqrekey_reply_flush(r, rp);
	if (ret)
		return ret;
	rp->msg = genlmsg_new(min_t(size_t, rp->left, PQREKEY_REPLY_MAX),
			      GFP_KERNEL);
	if (!rp->msg)
		return -ENOMEM;
	rp->hdr = genlmsg_put_reply(rp->msg, rp->info, &pqrekey_family, 0,
				    PQREKEY_CMD_BATCH);
	if (!rp->hdr || WARN_ON_ONCE(skb_tailroom(rp->msg) < size)) {
		nlmsg_free(rp->msg);
		rp->msg = NULL;
		return -EMSGSIZE;
	}
	return 0;
}

static int pqrekey_batch_run(struct pqrekey_req *r, struct pqrekey_reply *rp,
			     struct nlattr **tb)
{
	struct nlattr *entry, *out, *head;
	struct netlink_ext_ack ack;
	struct sk_buff *msg;
	int len, rem, ret;
	size_t size;
	void *mark;
	u32 cmd;

	head = pqrekey_attrs(rp->info, &len);
	nla_for_each_attr(entry, head, len, rem) {
		/*
		 * One sendmsg() may carry many batches, all run before it
		 * returns: let the scheduler in and a fatal signal out.
		 */
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = nla_parse_nested(tb, PQREKEY_A_MAX, entry,
				       pqrekey_op_policy, NULL);
		if (ret)
			return ret;
		cmd = nla_get_u32(tb[PQREKEY_A_CMD]);
		size = pqrekey_entry_size(cmd, tb);
		ret = pqrekey_reply_room(r, rp, size);
		if (ret)
			return ret;
		rp->left -= size;
		msg = rp->msg;

		out = nla_nest_start(msg, PQREKEY_A_OP);
		if (!out)
			return -EMSGSIZE;
		if (nla_put_u32(msg, PQREKEY_A_CMD, cmd))
			return -EMSGSIZE;
		if (tb[PQREKEY_A_TAG] &&
		    nla_put_u64_64bit(msg, PQREKEY_A_TAG,
				      nla_get_u64(tb[PQREKEY_A_TAG]),
				      PQREKEY_A_PAD))
			return -EMSGSIZE;

		memset(&ack, 0, sizeof(ack));
		mark = skb_tail_pointer(msg);
		ret = pqrekey_run_op(r, cmd, tb, entry, msg, &ack);
		pqrekey_count(r->net, cmd, ret);
		/* Only the reply can be too small (not the KEM layer). */
		if (ret == -EMSGSIZE)
			return ret;
		if (ret)
			nlmsg_trim(msg, mark);
		if (nla_put_u32(msg, PQREKEY_A_ERRNO, -ret))
			return -EMSGSIZE;
		if (ret && ack._msg && pqrekey_put_errmsg(msg, ack._msg))
			return -EMSGSIZE;
		nla_nest_end(msg, out);
	}
	return pqrekey_reply_flush(r, rp);
}

static int pqrekey_nl_batch(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[PQREKEY_A_MAX + 1];
	struct netlink_ext_ack *extack = info->extack;
	struct pqrekey_reply rp = { .info = info };
	struct pqrekey_req r;
	long size;
	int ret;

	ret = pqrekey_netns_allowed(info);
	if (!ret)
		ret = pqrekey_check_attrs(info->attrs,
					  pqrekey_cmd_attrs[PQREKEY_CMD_BATCH],
					  extack);
	if (ret)
		goto count;
	if (GENL_REQ_ATTR_CHECK(info, PQREKEY_A_OP)) {
		NL_SET_ERR_MSG(extack, "missing operations (PQREKEY_A_OP)");
		ret = -EINVAL;
		goto count;
	}
	size = pqrekey_batch_check(info, tb, extack);
	if (size < 0) {
		ret = size;
		goto count;
	}
	rp.left = size;
	ret = pqrekey_req_init(&r, skb, info);
	if (ret)
		goto fini;

	ret = pqrekey_batch_run(&r, &rp, tb);
	if (ret) {
		WARN_ON_ONCE(ret == -EMSGSIZE);
		if (rp.msg)
			nlmsg_free(rp.msg);
		/* The handles in parts not delivered are lost to the caller. */
		pqrekey_req_unmake(&r, rp.sent);
	}
fini:
	pqrekey_req_fini(&r);
count:
	pqrekey_count(genl_info_net(info), PQREKEY_CMD_BATCH, ret);
	return ret;
}

static int pqrekey_put_alg(struct sk_buff *msg, u32 id)
{
	const struct pqrekey_kem *alg = pqrekey_kem_by_id(id);
	struct crypto_kpp *tfm;
	struct nlattr *nest;
	int ret = -EMSGSIZE;

	tfm = crypto_alloc_kpp(alg->cra_name, 0, 0);
	if (IS_ERR(tfm))
		return 0;	/* not offered now */

	nest = nla_nest_start(msg, id);
	if (!nest ||
	    nla_put_u32(msg, PQREKEY_ALG_A_ID, id) ||
	    nla_put_string(msg, PQREKEY_ALG_A_NAME, alg->name) ||
	    nla_put_string(msg, PQREKEY_ALG_A_CRA_NAME, alg->cra_name) ||
	    nla_put_string(msg, PQREKEY_ALG_A_DRIVER,
			   crypto_tfm_alg_driver_name(crypto_kpp_tfm(tfm))) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_EK_LEN, alg->ek_len) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_DK_LEN, alg->dk_len) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_CT_LEN, alg->ct_len) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_SS_LEN, PQREKEY_SS_LEN) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_SEED_LEN, PQREKEY_SEED_LEN) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_MSG_LEN, PQREKEY_MSG_LEN))
		goto out;
	nla_nest_end(msg, nest);
	ret = 0;
out:
	crypto_free_kpp(tfm);
	return ret;
}

static int pqrekey_nl_get_algs(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int ret = -EMSGSIZE;
	u32 id;

	ret = pqrekey_netns_allowed(info);
	if (!ret)
		ret = pqrekey_check_attrs(info->attrs, 0, info->extack);
	if (ret)
		goto count;
	ret = -EMSGSIZE;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto count;
	}
	hdr = genlmsg_put_reply(msg, info, &pqrekey_family, 0,
				PQREKEY_CMD_GET_ALGS);
	if (!hdr)
		goto free;
	nest = nla_nest_start(msg, PQREKEY_A_ALGS);
	if (!nest)
		goto free;
	for (id = PQREKEY_ALG_MLKEM512; id <= PQREKEY_ALG_MAX; id++)
		if (pqrekey_put_alg(msg, id))
			goto free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto count;
free:
	nlmsg_free(msg);
count:
	pqrekey_count(genl_info_net(info), PQREKEY_CMD_GET_ALGS, ret);
	return ret;
}

static int pqrekey_put_stats(struct sk_buff *msg, struct net *net,
			     const struct sock *sk)
{
	struct pqrekey_nl_net *nn = net_generic(net, pqrekey_nl_net_id);
	struct pqrekey_handle_stats st;
	struct nlattr *nest, *c;
	u32 cmd;

	pqrekey_handle_stats(net, sk, &st);
	nest = nla_nest_start(msg, PQREKEY_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (cmd = PQREKEY_CMD_GET_ALGS; cmd <= PQREKEY_CMD_MAX; cmd++) {
		c = nla_nest_start(msg, PQREKEY_STATS_A_CMD);
		if (!c ||
		    nla_put_u32(msg, PQREKEY_CMD_STATS_A_CMD, cmd) ||
		    nla_put_u64_64bit(msg, PQREKEY_CMD_STATS_A_OPS,
				      atomic64_read(&nn->ops[cmd]),
				      PQREKEY_CMD_STATS_A_PAD) ||
		    nla_put_u64_64bit(msg, PQREKEY_CMD_STATS_A_ERRORS,
				      atomic64_read(&nn->errors[cmd]),
				      PQREKEY_CMD_STATS_A_PAD))
			return -EMSGSIZE;
		nla_nest_end(msg, c);
	}
	if (nla_put_u32(msg, PQREKEY_STATS_A_HANDLES, st.handles) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_SOCK_HANDLES, st.sock_handles) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_MAX_HANDLES, st.max_handles) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_MAX_SOCK_HANDLES,
			st.max_sock_handles) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_MAX_BATCH_OPS,
			READ_ONCE(max_batch_ops)) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_EXPIRY_SECS, st.expiry_secs) ||
	    nla_put_u64_64bit(msg, PQREKEY_STATS_A_EXPIRED, st.expired,
			      PQREKEY_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int pqrekey_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = pqrekey_netns_allowed(info);
	if (!ret)
		ret = pqrekey_check_attrs(info->attrs, 0, info->extack);
	if (ret)
		goto count;
	ret = -EMSGSIZE;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto count;
	}
	hdr = genlmsg_put_reply(msg, info, &pqrekey_family, 0,
				PQREKEY_CMD_GET_STATS);
	if (!hdr || pqrekey_put_stats(msg, net, NETLINK_CB(skb).sk)) {
		nlmsg_free(msg);
		goto count;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
count:
	pqrekey_count(net, PQREKEY_CMD_GET_STATS, ret);
	return ret;
}

/*
 * GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user namespace owning the
 * caller's network namespace, for every command. The family policy is
 * applied strictly (resv_start_op is 0: every command is "new").
 */
static const struct genl_small_ops pqrekey_nl_ops[] = {
	{
		.cmd = PQREKEY_CMD_GET_ALGS,
		.doit = pqrekey_nl_get_algs,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_KEYGEN,
		.doit = pqrekey_nl_op,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_ENCAPS,
		.doit = pqrekey_nl_op,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_DECAPS,
		.doit = pqrekey_nl_op,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_KEY_DEL,
		.doit = pqrekey_nl_op,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_GET_STATS,
		.doit = pqrekey_nl_get_stats,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = PQREKEY_CMD_BATCH,
		.doit = pqrekey_nl_batch,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family pqrekey_family __ro_after_init = {
	.name = PQREKEY_GENL_NAME,
	.version = PQREKEY_GENL_VERSION,
	.maxattr = PQREKEY_A_MAX,
	.policy = pqrekey_policy,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = pqrekey_nl_ops,
	.n_small_ops = ARRAY_SIZE(pqrekey_nl_ops),
};

/**
 * pqrekey_netlink_init() - register the "pqrekey" generic netlink family.
 *
 * Call after the kpp algorithms are registered.
 * Return: 0 or a negative errno.
 */
int pqrekey_netlink_init(void)
{
	int ret;

	ret = register_pernet_subsys(&pqrekey_nl_net_ops);
	if (ret)
		return ret;
	ret = pqrekey_handles_init();
	if (ret)
		goto err_net;
	ret = genl_register_family(&pqrekey_family);
	if (ret)
		goto err_handles;
	return 0;

err_handles:
	pqrekey_handles_exit();
err_net:
	unregister_pernet_subsys(&pqrekey_nl_net_ops);
	return ret;
}

/**
 * pqrekey_netlink_exit() - unregister the family and free every handle.
 *
 * Call before the kpp algorithms are unregistered.
 */
void pqrekey_netlink_exit(void)
{
	genl_unregister_family(&pqrekey_family);
	pqrekey_handles_exit();
	unregister_pernet_subsys(&pqrekey_nl_net_ops);
}

MODULE_ALIAS_GENL_FAMILY(PQREKEY_GENL_NAME);
