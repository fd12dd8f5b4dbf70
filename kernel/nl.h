/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * Internal interfaces of the "pqrekey" generic netlink family, between
 * kernel/nl_family.c (family, policies, attribute checks), nl_ops.c (the
 * single operations), nl_batch.c (BATCH) and nl_stats.c (counters,
 * GET_STATS).
 */
#ifndef _PQREKEY_NL_H
#define _PQREKEY_NL_H

#include <net/genetlink.h>
#include <uapi/linux/pqrekey.h>

/* Longest error message string in a batch reply, with its NUL. */
#define PQREKEY_ERRMSG_MAX	128

/* Scratch buffers of one request. */
struct pqrekey_buf {
	u8 out[PQREKEY_MAX_CT_LEN];	/* EK or CT */
	u8 ss[PQREKEY_KEM_MAX_SS];
	/* handles made by this request, deleted if the reply is lost */
	u64 made[PQREKEY_BATCH_MAX_OPS];
};

/* State of one request (one command or one batch). */
struct pqrekey_req {
	struct net *net;
	struct pqrekey_handle_table *handles;	/* of net */
	struct sock *sk;	/* the caller's socket, owner of its handles */
	u32 portid;
	struct pqrekey_buf *buf;
	unsigned int nmade;
};

/* Is @type missing in @tb? Then say so in @extack. */
#define PQREKEY_MISSING(extack, nest, tb, type, msg) ({			\
	struct netlink_ext_ack *__ack = (extack);			\
	bool __missing = NL_REQ_ATTR_CHECK(__ack, nest, tb, type);	\
	if (__missing)							\
		NL_SET_ERR_MSG(__ack, msg);				\
	__missing;							\
})

extern struct genl_family pqrekey_family;
extern const struct nla_policy pqrekey_op_policy[PQREKEY_A_MAX + 1];
extern const unsigned long pqrekey_cmd_attrs[PQREKEY_CMD_MAX + 1];

/* nl_family.c */
int pqrekey_netns_allowed(struct genl_info *info);
int pqrekey_check_attrs(struct nlattr **tb, unsigned long allowed,
			struct netlink_ext_ack *extack);
int pqrekey_check_test_inputs(struct nlattr **tb,
			      struct netlink_ext_ack *extack);
int pqrekey_nl_query(struct sk_buff *skb, struct genl_info *info, u8 cmd,
		     int (*fill)(struct sk_buff *msg, struct sk_buff *skb,
				 struct genl_info *info));

/* nl_ops.c */
int pqrekey_req_init(struct pqrekey_req *r, struct sk_buff *skb,
		     struct genl_info *info);
void pqrekey_req_unmake(struct pqrekey_req *r, unsigned int from);
void pqrekey_req_fini(struct pqrekey_req *r);
int pqrekey_run_op(struct pqrekey_req *r, u32 cmd, struct nlattr **tb,
		   const struct nlattr *nest, struct sk_buff *skb,
		   struct netlink_ext_ack *extack);
size_t pqrekey_op_size(u32 cmd, struct nlattr **tb);
int pqrekey_nl_op(struct sk_buff *skb, struct genl_info *info);
int pqrekey_nl_get_algs(struct sk_buff *skb, struct genl_info *info);

/* nl_batch.c */
unsigned int pqrekey_max_batch_ops(void);
int pqrekey_nl_batch(struct sk_buff *skb, struct genl_info *info);

/* nl_stats.c */
void pqrekey_count(struct net *net, u32 cmd, int ret);
int pqrekey_nl_get_stats(struct sk_buff *skb, struct genl_info *info);

#endif /* _PQREKEY_NL_H */
