// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The per-netns counters of the "pqrekey" family (operations and errors
 * per command, in the per-netns structure of kernel/main.c) and
 * PQREKEY_CMD_GET_STATS, which reports them with the handle table's.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/netlink.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "nl.h"

void pqrekey_count(struct net *net, u32 cmd, int ret)
{
	struct pqrekey_nl_stats *nn = &pqrekey_net(net)->stats;

	if (cmd > PQREKEY_CMD_MAX)
		return;
	atomic64_inc(&nn->ops[cmd]);
	if (ret)
		atomic64_inc(&nn->errors[cmd]);
}

static int pqrekey_put_stats(struct sk_buff *msg, struct net *net,
			     const struct sock *sk)
{
	struct pqrekey_nl_stats *nn = &pqrekey_net(net)->stats;
	struct pqrekey_handle_stats st;
	struct nlattr *nest, *c;
	u32 cmd;

	pqrekey_handle_stats(pqrekey_handles(net), sk, &st);
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
			pqrekey_max_batch_ops()) ||
	    nla_put_u32(msg, PQREKEY_STATS_A_EXPIRY_SECS, st.expiry_secs) ||
	    nla_put_u64_64bit(msg, PQREKEY_STATS_A_EXPIRED, st.expired,
			      PQREKEY_STATS_A_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int pqrekey_fill_stats(struct sk_buff *msg, struct sk_buff *skb,
			      struct genl_info *info)
{
	return pqrekey_put_stats(msg, genl_info_net(info), NETLINK_CB(skb).sk);
}

int pqrekey_nl_get_stats(struct sk_buff *skb, struct genl_info *info)
{
	return pqrekey_nl_query(skb, info, PQREKEY_CMD_GET_STATS,
				pqrekey_fill_stats);
}
