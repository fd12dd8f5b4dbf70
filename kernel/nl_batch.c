// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * PQREKEY_CMD_BATCH: many operations of kernel/nl_ops.c in one request,
 * checked as a whole first, then run in order; the reply goes out in parts
 * of bounded size.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "nl.h"

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

/* The max_batch_ops parameter, for GET_STATS. */
unsigned int pqrekey_max_batch_ops(void)
{
	return READ_ONCE(max_batch_ops);
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

int pqrekey_nl_batch(struct sk_buff *skb, struct genl_info *info)
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
