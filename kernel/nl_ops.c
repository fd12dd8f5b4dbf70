// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * The single operations of the "pqrekey" family (KEYGEN, ENCAPS, DECAPS,
 * KEY_DEL, GET_ALGS), also run one by one by BATCH (kernel/nl_batch.c).
 *
 * Every operation runs on the KEM layer (kernel/kem.c, the best backend
 * of this module load): KEYGEN keeps the decapsulation key's bytes in a
 * handle (kernel/handles.c), DECAPS with a handle decapsulates with them.
 * ENCAPS (random, or with the test-only MSG) and DECAPS with an explicit
 * DK (test-only, after the FIPS 203 7.3 check) run on the KEM layer too;
 * the kpp drivers (kernel/kpp.c) serve the crypto API, and GET_ALGS
 * reports which of them the crypto API picks. Algorithm ids, names and
 * sizes come from the KEM table (kernel/kem.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/kpp.h>
#include <linux/crypto.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include <uapi/linux/pqrekey.h>

#include "pqrekey.h"
#include "nl.h"

int pqrekey_req_init(struct pqrekey_req *r, struct sk_buff *skb,
		     struct genl_info *info)
{
	memset(r, 0, sizeof(*r));
	r->net = genl_info_net(info);
	r->handles = pqrekey_handles(r->net);
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
void pqrekey_req_unmake(struct pqrekey_req *r, unsigned int from)
{
	unsigned int i;

	for (i = from; i < r->nmade; i++)
		pqrekey_handle_del(r->handles, r->sk, r->buf->made[i]);
	r->nmade = from;
}

void pqrekey_req_fini(struct pqrekey_req *r)
{
	kfree_sensitive(r->buf);
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
	/* The policy bounds SEED; its length is the KEM's. */
	if (tb[PQREKEY_A_SEED] &&
	    pqrekey_bad_len(tb[PQREKEY_A_SEED], kem->seed_len, extack))
		return -EINVAL;

	if (WARN_ON_ONCE(r->nmade >= ARRAY_SIZE(r->buf->made)))
		return -EOVERFLOW;

	/* Count the handle against the limits before doing the work. */
	h = pqrekey_handle_reserve(r->handles, r->sk, r->portid, extack);
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
	/* The handle owns the key now, even if the socket is closed. */
	ret = pqrekey_handle_commit(h, kem, dk, &handle);
	if (ret)
		return ret;
	r->buf->made[r->nmade++] = handle;
	if (nla_put_u32(skb, PQREKEY_A_ALG, id) ||
	    nla_put_u64_64bit(skb, PQREKEY_A_HANDLE, handle, PQREKEY_A_PAD) ||
	    nla_put(skb, PQREKEY_A_EK, kem->ek_len, r->buf->out)) {
		pqrekey_handle_del(r->handles, r->sk, handle);
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
	/* The policy bounds MSG; its length is the KEM's. */
	if (tb[PQREKEY_A_MSG] &&
	    pqrekey_bad_len(tb[PQREKEY_A_MSG], kem->msg_len, extack))
		return -EINVAL;

	/* A random m, or the test-only MSG: both on the KEM layer. */
	ret = pqrekey_kem_encaps(kem, r->buf->out, kem->ct_len, r->buf->ss,
				 kem->ss_len, nla_data(ek), nla_len(ek),
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
		     nla_put(skb, PQREKEY_A_SS, kem->ss_len, r->buf->ss)))
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
		h = pqrekey_handle_get(r->handles, r->sk,
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
	ret = pqrekey_kem_decaps(kem, r->buf->ss, kem->ss_len,
				 nla_data(ct), nla_len(ct),
				 h ? pqrekey_handle_dk(h) : nla_data(dk),
				 kem->dk_len);
	if (ret)
		NL_SET_ERR_MSG(extack, "decapsulation failed");
	else if (nla_put_u32(skb, PQREKEY_A_ALG, id) ||
		 nla_put(skb, PQREKEY_A_SS, kem->ss_len, r->buf->ss))
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
	ret = pqrekey_handle_del(r->handles, r->sk,
				 nla_get_u64(tb[PQREKEY_A_HANDLE]));
	if (ret)
		NL_SET_ERR_MSG_ATTR(extack, tb[PQREKEY_A_HANDLE],
				    "unknown handle");
	return ret;
}

int pqrekey_run_op(struct pqrekey_req *r, u32 cmd, struct nlattr **tb,
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
size_t pqrekey_op_size(u32 cmd, struct nlattr **tb)
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
		       nla_total_size(PQREKEY_KEM_MAX_SS);
	case PQREKEY_CMD_DECAPS:
		return alg + nla_total_size(PQREKEY_KEM_MAX_SS);
	}
	return 0;
}

int pqrekey_nl_op(struct sk_buff *skb, struct genl_info *info)
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
	    nla_put_u32(msg, PQREKEY_ALG_A_SS_LEN, alg->ss_len) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_SEED_LEN, alg->seed_len) ||
	    nla_put_u32(msg, PQREKEY_ALG_A_MSG_LEN, alg->msg_len))
		goto out;
	nla_nest_end(msg, nest);
	ret = 0;
out:
	crypto_free_kpp(tfm);
	return ret;
}

static int pqrekey_fill_algs(struct sk_buff *msg, struct sk_buff *skb,
			     struct genl_info *info)
{
	struct nlattr *nest;
	u32 id;

	nest = nla_nest_start(msg, PQREKEY_A_ALGS);
	if (!nest)
		return -EMSGSIZE;
	for (id = 1; id <= PQREKEY_ALG_MAX; id++)
		if (pqrekey_kem_by_id(id) && pqrekey_put_alg(msg, id))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int pqrekey_nl_get_algs(struct sk_buff *skb, struct genl_info *info)
{
	return pqrekey_nl_query(skb, info, PQREKEY_CMD_GET_ALGS,
				pqrekey_fill_algs);
}
