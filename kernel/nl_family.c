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
 * This file: the family, its policies and command table, the checks every
 * command shares (netns owner, attributes each command takes, test-only
 * inputs) and the family's registration, called by kernel/main.c. The
 * operations are kernel/nl_ops.c, batches kernel/nl_batch.c, counters and
 * GET_STATS kernel/nl_stats.c.
 *
 * Requests of any number of sockets run in parallel (parallel_ops): the
 * only shared state is the per-netns handle table (kernel/handles.c) and
 * the per-netns counters (atomics).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "nl.h"

static bool allow_test_inputs;
module_param(allow_test_inputs, bool, 0644);
MODULE_PARM_DESC(allow_test_inputs,
		 "Accept the test-only inputs PQREKEY_A_SEED, PQREKEY_A_MSG and PQREKEY_A_DK (caller-chosen keys and randomness; default off)");

static bool allow_user_netns;
module_param(allow_user_netns, bool, 0644);
MODULE_PARM_DESC(allow_user_netns,
		 "Serve callers whose network namespace is owned by a user namespace other than the initial one (default off)");

/*
 * GENL_UNS_ADMIN_PERM lets root of any user namespace, which any user can
 * create, use the service in a netns that namespace owns. Unless
 * allow_user_netns is set, serve only network namespaces owned by the
 * initial user namespace.
 */
int pqrekey_netns_allowed(struct genl_info *info)
{
	if (genl_info_net(info)->user_ns == &init_user_ns ||
	    READ_ONCE(allow_user_netns))
		return 0;
	NL_SET_ERR_MSG(info->extack,
		       "netns owned by a non-initial user namespace: needs allow_user_netns=1");
	return -EPERM;
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
const struct nla_policy pqrekey_op_policy[PQREKEY_A_MAX + 1] = {
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
const unsigned long pqrekey_cmd_attrs[PQREKEY_CMD_MAX + 1] = {
	[PQREKEY_CMD_KEYGEN] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_SEED),
	[PQREKEY_CMD_ENCAPS] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_EK) |
			       BIT(PQREKEY_A_MSG),
	[PQREKEY_CMD_DECAPS] = BIT(PQREKEY_A_ALG) | BIT(PQREKEY_A_HANDLE) |
			       BIT(PQREKEY_A_DK) | BIT(PQREKEY_A_CT),
	[PQREKEY_CMD_KEY_DEL] = BIT(PQREKEY_A_HANDLE),
	[PQREKEY_CMD_BATCH] = BIT(PQREKEY_A_OP),
};

int pqrekey_check_attrs(struct nlattr **tb, unsigned long allowed,
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

/*
 * SEED, MSG and an explicit DK make the kernel's keys and randomness the
 * caller's choice: known-answer tests need them, a production caller must
 * not be able to use them. Refused unless allow_test_inputs is set.
 */
int pqrekey_check_test_inputs(struct nlattr **tb,
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

/*
 * GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user namespace owning the
 * caller's network namespace, for every command. The family policy is
 * applied strictly (resv_start_op is 0: every command is "new").
 */
/**
 * pqrekey_nl_query() - run a query command (no attributes, one reply).
 * @skb: the request
 * @info: its genl info
 * @cmd: the command, for the reply header and the counters
 * @fill: writes the reply's attributes; 0 or -EMSGSIZE
 *
 * The checks every command makes, the reply of at most NLMSG_GOODSIZE
 * bytes, and the count of the outcome (kernel/nl_stats.c).
 *
 * Return: 0 or a negative errno.
 */
int pqrekey_nl_query(struct sk_buff *skb, struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *msg, struct sk_buff *skb,
				 struct genl_info *info))
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = pqrekey_netns_allowed(info);
	if (!ret)
		ret = pqrekey_check_attrs(info->attrs, 0, info->extack);
	if (ret)
		goto count;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto count;
	}
	hdr = genlmsg_put_reply(msg, info, &pqrekey_family, 0, cmd);
	ret = hdr ? fill(msg, skb, info) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		goto count;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
count:
	pqrekey_count(genl_info_net(info), cmd, ret);
	return ret;
}

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

struct genl_family pqrekey_family __ro_after_init = {
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
 * pqrekey_genl_init() - register the "pqrekey" generic netlink family.
 *
 * Call last in module init (kernel/main.c): requests can run as soon as
 * it returns.
 * Return: 0 or a negative errno.
 */
int pqrekey_genl_init(void)
{
	return genl_register_family(&pqrekey_family);
}

/**
 * pqrekey_genl_exit() - unregister the family.
 *
 * Call first in module exit: when it returns, no request runs.
 */
void pqrekey_genl_exit(void)
{
	genl_unregister_family(&pqrekey_family);
}

MODULE_ALIAS_GENL_FAMILY(PQREKEY_GENL_NAME);
