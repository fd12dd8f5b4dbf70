// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * pqkem --backend kernel: the "pqrekey" generic netlink family of
 * pqrekey.ko (include/uapi/linux/pqrekey.h), through libnl-genl-3.
 *
 * One netlink socket per backend instance: handles belong to the socket
 * that created them, so they live as long as this process keeps it open.
 * Errors come back as negative errnos with the kernel's extended ack
 * message in be->err.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>

#include <linux/pqrekey.h>

#include "pqkem.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct kstate {
	struct nl_sock *sk;
	int family;
};

/* One request/reply exchange. */
struct xfer {
	struct pqkem_be *be;
	int (*parse)(struct xfer *x, struct nlattr **tb);
	void *arg;
	struct nlmsghdr *hdr;	/* the reply being parsed */
	int err;		/* 0 or negative errno */
	bool done;
	bool got_reply;
};

static const char *cmd_name(int cmd)
{
	static const char *const names[] = {
		[PQREKEY_CMD_GET_ALGS] = "get_algs",
		[PQREKEY_CMD_KEYGEN] = "keygen",
		[PQREKEY_CMD_ENCAPS] = "encaps",
		[PQREKEY_CMD_DECAPS] = "decaps",
		[PQREKEY_CMD_KEY_DEL] = "key_del",
		[PQREKEY_CMD_GET_STATS] = "get_stats",
		[PQREKEY_CMD_BATCH] = "batch",
	};

	if (cmd > 0 && cmd < (int)ARRAY_SIZE(names) && names[cmd])
		return names[cmd];
	return "unknown";
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;
	struct nlattr *tb[PQREKEY_A_MAX + 1];
	int rc;

	rc = genlmsg_parse(nlmsg_hdr(msg), 0, tb, PQREKEY_A_MAX, NULL);
	if (rc < 0) {
		pqkem_seterr(x->be, "malformed reply from the kernel: %s",
			     nl_geterror(rc));
		x->err = -EPROTO;
		return NL_SKIP;
	}
	x->got_reply = true;
	x->hdr = nlmsg_hdr(msg);
	if (x->parse && !x->err)
		x->err = x->parse(x, tb);
	return NL_OK;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

/* Default message for an errno when the kernel gave no extack message. */
static const char *errno_hint(int err)
{
	switch (err) {
	case EPERM:
		return "needs CAP_NET_ADMIN";
	case ENOENT:
		return "no such handle";
	case E2BIG:
		return "too many operations in one batch";
	case ENOSPC:
		return "too many live handles on this socket";
	case EMFILE:
		return "too many live handles in this network namespace";
	case EDQUOT:
		return "too many live handles of this user";
	case ENFILE:
		return "too many live handles in the pqrekey module";
	default:
		return strerror(err);
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xfer *x = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	const char *msg = NULL;
	int err = -e->error;

	(void)nla;
	x->done = true;
	if (err <= 0) {
		x->err = 0;
		return NL_STOP;
	}
	x->err = -err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
		size_t off = sizeof(*e);
		size_t total = nlh->nlmsg_len - NLMSG_HDRLEN;

		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		if (off < total &&
		    nla_parse(tb, NLMSGERR_ATTR_MAX,
			      (struct nlattr *)((char *)e + off),
			      (int)(total - off), NULL) == 0 &&
		    tb[NLMSGERR_ATTR_MSG])
			msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	}
	if (err == EPERM)
		pqkem_seterr(x->be, "needs CAP_NET_ADMIN (%s)",
			     msg ? msg : strerror(err));
	else if (msg)
		pqkem_seterr(x->be, "%s (%s)", msg, strerror(err));
	else
		pqkem_seterr(x->be, "%s", errno_hint(err));
	return NL_STOP;
}

/* Sends @msg (consumed) and processes replies until the ack. */
static int transact(struct pqkem_be *be, struct nl_msg *msg,
		    int (*parse)(struct xfer *, struct nlattr **), void *arg)
{
	struct kstate *ks = be->priv;
	struct xfer x = { .be = be, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int rc;

	be->err[0] = '\0';
	rc = nl_send_auto(ks->sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		pqkem_seterr(be, "sending to the kernel: %s", nl_geterror(rc));
		return -EIO;
	}
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		pqkem_seterr(be, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &x);
	while (!x.done) {
		rc = nl_recvmsgs(ks->sk, cb);
		if (rc < 0 && !x.done) {
			pqkem_seterr(be, "receiving from the kernel: %s",
				     nl_geterror(rc));
			x.err = x.err ? x.err : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	if (!x.err && parse && !x.got_reply) {
		pqkem_seterr(be, "the kernel sent no reply");
		return -EPROTO;
	}
	return x.err;
}

static struct nl_msg *new_msg(struct pqkem_be *be, int cmd, size_t size)
{
	struct kstate *ks = be->priv;
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ks->family, 0, 0,
			 (uint8_t)cmd, PQREKEY_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_failed(struct pqkem_be *be, struct nl_msg *msg, int cmd)
{
	nlmsg_free(msg);
	pqkem_seterr(be, "%s: request does not fit in a netlink message",
		     cmd_name(cmd));
	return -EMSGSIZE;
}

/* Copies a binary attribute that must be exactly @len bytes. */
static int get_exact(struct xfer *x, struct nlattr *a, const char *what,
		     uint8_t *out, size_t len)
{
	if (!a) {
		pqkem_seterr(x->be, "kernel reply lacks %s", what);
		return -EPROTO;
	}
	if ((size_t)nla_len(a) != len) {
		pqkem_seterr(x->be, "kernel reply: %s is %d bytes, expected %zu",
			     what, nla_len(a), len);
		return -EPROTO;
	}
	memcpy(out, nla_data(a), len);
	return 0;
}

static int get_u32(struct nlattr *a, uint32_t *v)
{
	if (!a || nla_len(a) != 4)
		return -1;
	*v = nla_get_u32(a);
	return 0;
}

static int get_u64(struct nlattr *a, uint64_t *v)
{
	if (!a || nla_len(a) != 8)
		return -1;
	*v = nla_get_u64(a);
	return 0;
}

static int kernel_open(struct pqkem_be *be)
{
	struct kstate *ks = calloc(1, sizeof(*ks));
	int one = 1, rc, fd;

	be->open_status = PQKEM_EXIT_FAIL;
	if (!ks) {
		pqkem_seterr(be, "out of memory");
		return -ENOMEM;
	}
	be->priv = ks;
	ks->sk = nl_socket_alloc();
	if (!ks->sk) {
		pqkem_seterr(be, "out of memory");
		return -ENOMEM;
	}
	rc = genl_connect(ks->sk);
	if (rc < 0) {
		pqkem_seterr(be, "cannot open a generic netlink socket: %s",
			     nl_geterror(rc));
		return -EIO;
	}
	fd = nl_socket_get_fd(ks->sk);
	/* extack messages; no copy of (large) requests in error replies */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(ks->sk, 4 << 20, 4 << 20);
	nl_socket_enable_msg_peek(ks->sk);
	/* CTRL_CMD_GETFAMILY loads the module through its family alias. */
	ks->family = genl_ctrl_resolve(ks->sk, PQREKEY_GENL_NAME);
	if (ks->family < 0) {
		pqkem_seterr(be,
			     "pqrekey kernel module not available: generic netlink family '%s' not found (%s); load it with 'modprobe pqrekey'",
			     PQREKEY_GENL_NAME, nl_geterror(ks->family));
		be->open_status = PQKEM_EXIT_NOMOD;
		return -ENOENT;
	}
	be->open_status = PQKEM_EXIT_OK;
	return 0;
}

static void kernel_close(struct pqkem_be *be)
{
	struct kstate *ks = be->priv;

	if (!ks)
		return;
	if (ks->sk)
		nl_socket_free(ks->sk);	/* closes: the kernel drops our handles */
	free(ks);
	be->priv = NULL;
}

/* ---- algs ---- */

struct algs_out {
	struct pqkem_alginfo *out;
	size_t max, n;
};

static int parse_algs(struct xfer *x, struct nlattr **tb)
{
	struct algs_out *o = x->arg;
	struct nlattr *e;
	int rem;

	if (!tb[PQREKEY_A_ALGS]) {
		pqkem_seterr(x->be, "kernel reply lacks the algorithm list");
		return -EPROTO;
	}
	nla_for_each_nested(e, tb[PQREKEY_A_ALGS], rem) {
		struct nlattr *a[PQREKEY_ALG_A_MAX + 1];
		struct pqkem_alginfo *ai;

		if (o->n >= o->max)
			break;
		if (nla_parse_nested(a, PQREKEY_ALG_A_MAX, e, NULL) < 0) {
			pqkem_seterr(x->be, "malformed algorithm entry");
			return -EPROTO;
		}
		ai = &o->out[o->n];
		memset(ai, 0, sizeof(*ai));
		if (get_u32(a[PQREKEY_ALG_A_ID], &ai->id) ||
		    get_u32(a[PQREKEY_ALG_A_EK_LEN], &ai->ek_len) ||
		    get_u32(a[PQREKEY_ALG_A_DK_LEN], &ai->dk_len) ||
		    get_u32(a[PQREKEY_ALG_A_CT_LEN], &ai->ct_len) ||
		    get_u32(a[PQREKEY_ALG_A_SS_LEN], &ai->ss_len)) {
			pqkem_seterr(x->be, "algorithm entry lacks id or sizes");
			return -EPROTO;
		}
		if (a[PQREKEY_ALG_A_CRA_NAME])
			snprintf(ai->name, sizeof(ai->name), "%s",
				 nla_get_string(a[PQREKEY_ALG_A_CRA_NAME]));
		if (a[PQREKEY_ALG_A_DRIVER])
			snprintf(ai->driver, sizeof(ai->driver), "%s",
				 nla_get_string(a[PQREKEY_ALG_A_DRIVER]));
		o->n++;
	}
	return 0;
}

static int kernel_algs(struct pqkem_be *be, struct pqkem_alginfo *out,
		       size_t max, size_t *n)
{
	struct algs_out o = { .out = out, .max = max };
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_GET_ALGS, 0);
	int rc;

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_GET_ALGS);
	rc = transact(be, msg, parse_algs, &o);
	*n = o.n;
	return rc;
}

/* ---- keygen, encaps, decaps, del ---- */

struct op_out {
	const struct pqkem_alg *a;
	uint8_t *ek, *ct, *ss;
	uint64_t *handle;
};

static int check_alg(struct xfer *x, struct nlattr **tb,
		     const struct pqkem_alg **a)
{
	uint32_t id;
	const struct pqkem_alg *r;

	if (get_u32(tb[PQREKEY_A_ALG], &id)) {
		pqkem_seterr(x->be, "kernel reply lacks the algorithm");
		return -EPROTO;
	}
	r = pqkem_alg_by_id(id);
	if (!r || (*a && *a != r)) {
		pqkem_seterr(x->be, "kernel reply: unexpected algorithm %u", id);
		return -EPROTO;
	}
	*a = r;
	return 0;
}

/* Reply attributes of one operation (also used for batch entries). */
static int parse_op(struct xfer *x, struct nlattr **tb)
{
	struct op_out *o = x->arg;
	int rc = check_alg(x, tb, &o->a);

	if (rc)
		return rc;
	if (o->handle && get_u64(tb[PQREKEY_A_HANDLE], o->handle)) {
		pqkem_seterr(x->be, "kernel reply lacks the handle");
		return -EPROTO;
	}
	if (o->ek)
		rc = get_exact(x, tb[PQREKEY_A_EK], "ek", o->ek,
			       o->a->p->ek_len);
	if (!rc && o->ct)
		rc = get_exact(x, tb[PQREKEY_A_CT], "ciphertext", o->ct,
			       o->a->p->ct_len);
	if (!rc && o->ss)
		rc = get_exact(x, tb[PQREKEY_A_SS], "shared secret", o->ss,
			       PQREKEY_SS_LEN);
	return rc;
}

static int kernel_keygen(struct pqkem_be *be, const struct pqkem_alg *a,
			 const struct pqkem_buf *seed, uint8_t *ek, uint8_t *dk,
			 uint64_t *handle)
{
	struct op_out o = { .a = a, .ek = ek, .handle = handle };
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_KEYGEN, 0);

	(void)dk;	/* never leaves the kernel */
	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_KEYGEN);
	if (nla_put_u32(msg, PQREKEY_A_ALG, a->id) < 0 ||
	    (seed && nla_put(msg, PQREKEY_A_SEED, (int)seed->n, seed->p) < 0))
		return put_failed(be, msg, PQREKEY_CMD_KEYGEN);
	return transact(be, msg, parse_op, &o);
}

static int kernel_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
			 const struct pqkem_buf *ek, const struct pqkem_buf *m,
			 uint8_t *ct, uint8_t *ss)
{
	struct op_out o = { .a = a, .ct = ct, .ss = ss };
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_ENCAPS, ek->n + 256);

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_ENCAPS);
	if (nla_put_u32(msg, PQREKEY_A_ALG, a->id) < 0 ||
	    nla_put(msg, PQREKEY_A_EK, (int)ek->n, ek->p) < 0 ||
	    (m && nla_put(msg, PQREKEY_A_MSG, (int)m->n, m->p) < 0))
		return put_failed(be, msg, PQREKEY_CMD_ENCAPS);
	return transact(be, msg, parse_op, &o);
}

static int kernel_decaps(struct pqkem_be *be, const struct pqkem_alg **ap,
			 uint64_t handle, const struct pqkem_buf *dk,
			 const struct pqkem_buf *ct, uint8_t *ss)
{
	const struct pqkem_alg *a = *ap;
	struct op_out o = { .a = a, .ss = ss };
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_DECAPS,
				     ct->n + (dk ? dk->n : 0) + 256);
	int rc;

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_DECAPS);
	if ((a && nla_put_u32(msg, PQREKEY_A_ALG, a->id) < 0) ||
	    (dk && nla_put(msg, PQREKEY_A_DK, (int)dk->n, dk->p) < 0) ||
	    (!dk && nla_put_u64(msg, PQREKEY_A_HANDLE, handle) < 0) ||
	    nla_put(msg, PQREKEY_A_CT, (int)ct->n, ct->p) < 0)
		return put_failed(be, msg, PQREKEY_CMD_DECAPS);
	rc = transact(be, msg, parse_op, &o);
	if (!rc)
		*ap = o.a;
	if (rc == -ENOENT && !dk && !strstr(be->err, "andle"))
		pqkem_seterr(be, "no handle %llu on this socket (handles live only as long as the netlink socket that created them)",
			     (unsigned long long)handle);
	return rc;
}

static int kernel_del(struct pqkem_be *be, uint64_t handle)
{
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_KEY_DEL, 0);

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_KEY_DEL);
	if (nla_put_u64(msg, PQREKEY_A_HANDLE, handle) < 0)
		return put_failed(be, msg, PQREKEY_CMD_KEY_DEL);
	return transact(be, msg, NULL, NULL);
}

/* ---- stats ---- */

struct stats_out {
	struct pqkem_stat *out;
	size_t max, n;
};

static void stat_add(struct stats_out *o, const char *name, uint64_t v)
{
	if (o->n >= o->max)
		return;
	snprintf(o->out[o->n].name, sizeof(o->out[o->n].name), "%s", name);
	o->out[o->n].value = v;
	o->n++;
}

static int parse_stats(struct xfer *x, struct nlattr **tb)
{
	static const struct {
		int type;
		const char *name;
	} scalars[] = {
		{ PQREKEY_STATS_A_HANDLES, "handles" },
		{ PQREKEY_STATS_A_SOCK_HANDLES, "socket_handles" },
		{ PQREKEY_STATS_A_MAX_HANDLES, "max_handles" },
		{ PQREKEY_STATS_A_MAX_SOCK_HANDLES, "max_socket_handles" },
		{ PQREKEY_STATS_A_MAX_BATCH_OPS, "max_batch_ops" },
		{ PQREKEY_STATS_A_EXPIRY_SECS, "handle_expiry_secs" },
		{ PQREKEY_STATS_A_EXPIRED, "expired" },
	};
	struct stats_out *o = x->arg;
	struct nlattr *s[PQREKEY_STATS_A_MAX + 1], *e;
	size_t i;
	int rem;

	if (!tb[PQREKEY_A_STATS] ||
	    nla_parse_nested(s, PQREKEY_STATS_A_MAX, tb[PQREKEY_A_STATS],
			     NULL) < 0) {
		pqkem_seterr(x->be, "kernel reply lacks statistics");
		return -EPROTO;
	}
	nla_for_each_nested(e, tb[PQREKEY_A_STATS], rem) {
		struct nlattr *c[PQREKEY_CMD_STATS_A_MAX + 1];
		uint32_t cmd;
		uint64_t ops = 0, errs = 0;
		char name[48];

		if (nla_type(e) != PQREKEY_STATS_A_CMD)
			continue;
		if (nla_parse_nested(c, PQREKEY_CMD_STATS_A_MAX, e, NULL) < 0 ||
		    get_u32(c[PQREKEY_CMD_STATS_A_CMD], &cmd)) {
			pqkem_seterr(x->be, "malformed per-command statistics");
			return -EPROTO;
		}
		get_u64(c[PQREKEY_CMD_STATS_A_OPS], &ops);
		get_u64(c[PQREKEY_CMD_STATS_A_ERRORS], &errs);
		snprintf(name, sizeof(name), "%s_ops", cmd_name((int)cmd));
		stat_add(o, name, ops);
		snprintf(name, sizeof(name), "%s_errors", cmd_name((int)cmd));
		stat_add(o, name, errs);
	}
	for (i = 0; i < ARRAY_SIZE(scalars); i++) {
		struct nlattr *a = s[scalars[i].type];
		uint64_t v;
		uint32_t v32;

		if (!a)
			continue;
		if (nla_len(a) == 8 && !get_u64(a, &v))
			stat_add(o, scalars[i].name, v);
		else if (!get_u32(a, &v32))
			stat_add(o, scalars[i].name, v32);
	}
	return 0;
}

static int kernel_stats(struct pqkem_be *be, struct pqkem_stat *out,
			size_t max, size_t *n)
{
	struct stats_out o = { .out = out, .max = max };
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_GET_STATS, 0);
	int rc;

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_GET_STATS);
	rc = transact(be, msg, parse_stats, &o);
	*n = o.n;
	return rc;
}

/* ---- batches (bench) ---- */

struct batch_out {
	const struct pqkem_alg *a;
	unsigned int want, n, failed;
	int first_err;
	char first_msg[128];
};

/*
 * A batch reply carries one PQREKEY_A_OP nest per request entry, repeated
 * at the top level of the message (tb[] only holds the last of them).
 */
static int parse_batch(struct xfer *x, struct nlattr **tb)
{
	struct genlmsghdr *gh = nlmsg_data(x->hdr);
	struct batch_out *o = x->arg;
	struct nlattr *e;
	int rem;

	if (!tb[PQREKEY_A_OP]) {
		pqkem_seterr(x->be, "batch reply lacks the operations");
		return -EPROTO;
	}
	nla_for_each_attr(e, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem) {
		struct nlattr *a[PQREKEY_A_MAX + 1];
		uint32_t err;

		if (nla_type(e) != PQREKEY_A_OP)
			continue;

		if (nla_parse_nested(a, PQREKEY_A_MAX, e, NULL) < 0 ||
		    get_u32(a[PQREKEY_A_ERRNO], &err)) {
			pqkem_seterr(x->be, "malformed batch reply entry");
			return -EPROTO;
		}
		o->n++;
		if (err) {
			if (!o->failed++) {
				o->first_err = (int)err;
				snprintf(o->first_msg, sizeof(o->first_msg), "%s",
					 a[PQREKEY_A_ERR_MSG] ?
					 nla_get_string(a[PQREKEY_A_ERR_MSG]) :
					 strerror((int)err));
			}
		}
	}
	return 0;
}

static int batch_run(struct pqkem_be *be, const struct pqkem_alg *a, int cmd,
		     const struct pqkem_buf *ek, uint64_t handle,
		     const struct pqkem_buf *ct, unsigned int n)
{
	struct batch_out o = { .a = a, .want = n };
	size_t per = (ek ? ek->n : 0) + (ct ? ct->n : 0) + 64;
	struct nl_msg *msg = new_msg(be, PQREKEY_CMD_BATCH, n * per + 256);
	unsigned int i;
	int rc;

	if (!msg)
		return put_failed(be, NULL, PQREKEY_CMD_BATCH);
	for (i = 0; i < n; i++) {
		struct nlattr *op = nla_nest_start(msg, PQREKEY_A_OP);

		if (!op || nla_put_u32(msg, PQREKEY_A_CMD, (uint32_t)cmd) < 0 ||
		    nla_put_u32(msg, PQREKEY_A_ALG, a->id) < 0 ||
		    (ek && nla_put(msg, PQREKEY_A_EK, (int)ek->n, ek->p) < 0) ||
		    (ct && nla_put_u64(msg, PQREKEY_A_HANDLE, handle) < 0) ||
		    (ct && nla_put(msg, PQREKEY_A_CT, (int)ct->n, ct->p) < 0))
			return put_failed(be, msg, PQREKEY_CMD_BATCH);
		nla_nest_end(msg, op);
	}
	rc = transact(be, msg, parse_batch, &o);
	if (rc)
		return rc;
	if (o.failed) {
		pqkem_seterr(be, "%u of %u batch operations failed, first: %s",
			     o.failed, n, o.first_msg);
		return -o.first_err;
	}
	if (o.n != n) {
		pqkem_seterr(be, "batch reply has %u entries for %u operations",
			     o.n, n);
		return -EPROTO;
	}
	return 0;
}

int pqkem_kernel_batch_encaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      const struct pqkem_buf *ek, unsigned int count,
			      unsigned int per_msg)
{
	while (count) {
		unsigned int n = count < per_msg ? count : per_msg;
		int rc = batch_run(be, a, PQREKEY_CMD_ENCAPS, ek, 0, NULL, n);

		if (rc)
			return rc;
		count -= n;
	}
	return 0;
}

int pqkem_kernel_batch_decaps(struct pqkem_be *be, const struct pqkem_alg *a,
			      uint64_t handle, const struct pqkem_buf *ct,
			      unsigned int count, unsigned int per_msg)
{
	while (count) {
		unsigned int n = count < per_msg ? count : per_msg;
		int rc = batch_run(be, a, PQREKEY_CMD_DECAPS, NULL, handle, ct,
				   n);

		if (rc)
			return rc;
		count -= n;
	}
	return 0;
}

unsigned int pqkem_kernel_max_batch(void)
{
	return PQREKEY_BATCH_MAX_OPS;
}

const struct pqkem_be_ops pqkem_kernel_ops = {
	.name = "kernel",
	.open = kernel_open,
	.close = kernel_close,
	.algs = kernel_algs,
	.keygen = kernel_keygen,
	.encaps = kernel_encaps,
	.decaps = kernel_decaps,
	.del = kernel_del,
	.stats = kernel_stats,
};
