// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Copyright (C) 2026 The pqrekey authors.
 *
 * kemc: client of the "pqrekey" generic netlink family (kemclient.h).
 */
#include <errno.h>
#include <stdarg.h>
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

#include "kemclient.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define KEMC_MAX_ALGS 32

struct kemc {
	struct nl_sock *sk;
	int family;
	struct kemc_alg algs[KEMC_MAX_ALGS];
	size_t nalgs;
	char err[KEMC_ERRLEN];
};

__attribute__((format(printf, 2, 3)))
static void seterr(struct kemc *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
}

const char *kemc_error(const struct kemc *c)
{
	return c->err;
}

static const char *cmd_name(uint32_t cmd)
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

	if (cmd < sizeof(names) / sizeof(names[0]) && names[cmd])
		return names[cmd];
	return "unknown";
}

/* ---- one request and its replies -------------------------------------- */

struct xfer {
	struct kemc *c;
	/* called for every reply message; 0 or a negative errno */
	int (*parse)(struct xfer *x, struct nlmsghdr *h, struct nlattr **tb);
	void *arg;
	int err;
	bool done, got_reply;
};

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;
	struct nlattr *tb[PQREKEY_A_MAX + 1];
	int rc;

	rc = genlmsg_parse(nlmsg_hdr(msg), 0, tb, PQREKEY_A_MAX, NULL);
	if (rc < 0) {
		seterr(x->c, "malformed reply from the kernel: %s",
		       nl_geterror(rc));
		x->err = -EPROTO;
		return NL_SKIP;
	}
	x->got_reply = true;
	if (x->parse && !x->err)
		x->err = x->parse(x, nlmsg_hdr(msg), tb);
	return NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
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

/* The extended-ack message of an error reply, or NULL. */
static const char *extack_msg(struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	size_t total = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (off >= total ||
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      (int)(total - off), NULL) != 0 ||
	    !tb[NLMSGERR_ATTR_MSG])
		return NULL;
	return nla_get_string(tb[NLMSGERR_ATTR_MSG]);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct xfer *x = arg;
	int err = -e->error;
	const char *msg;

	(void)nla;
	x->done = true;
	if (err <= 0)
		return NL_STOP;
	x->err = -err;
	msg = extack_msg(e);
	if (err == EPERM)
		seterr(x->c, "needs CAP_NET_ADMIN (%s)", msg ? msg : strerror(err));
	else if (msg)
		seterr(x->c, "%s (%s)", msg, strerror(err));
	else
		seterr(x->c, "%s", errno_hint(err));
	return NL_STOP;
}

/* Sends @msg (consumed) and processes replies until the ack. */
static int transact(struct kemc *c, struct nl_msg *msg,
		    int (*parse)(struct xfer *, struct nlmsghdr *,
				 struct nlattr **),
		    void *arg)
{
	struct xfer x = { .c = c, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int rc;

	c->err[0] = '\0';
	rc = nl_send_auto(c->sk, msg);
	nlmsg_free(msg);
	if (rc < 0) {
		seterr(c, "sending to the kernel: %s", nl_geterror(rc));
		return -EIO;
	}
	cb = nl_cb_alloc(NL_CB_CUSTOM);
	if (!cb) {
		seterr(c, "out of memory");
		return -ENOMEM;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &x);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &x);
	while (!x.done) {
		rc = nl_recvmsgs(c->sk, cb);
		if (rc < 0 && !x.done) {
			seterr(c, "receiving from the kernel: %s",
			       nl_geterror(rc));
			x.err = x.err ? x.err : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	if (!x.err && parse && !x.got_reply) {
		seterr(c, "the kernel sent no reply");
		return -EPROTO;
	}
	return x.err;
}

static struct nl_msg *new_msg(struct kemc *c, uint8_t cmd, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0,
			 0, cmd, PQREKEY_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int put_failed(struct kemc *c, struct nl_msg *msg, uint32_t cmd)
{
	nlmsg_free(msg);
	seterr(c, "%s: the request does not fit in a netlink message",
	       cmd_name(cmd));
	return -EMSGSIZE;
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

/* Copies a binary attribute that must be exactly @len bytes. */
static int get_exact(struct kemc *c, struct nlattr *a, const char *what,
		     uint8_t *out, size_t len)
{
	if (!a) {
		seterr(c, "the kernel's reply lacks the %s", what);
		return -EPROTO;
	}
	if ((size_t)nla_len(a) != len) {
		seterr(c, "the kernel's reply: %s of %d bytes, expected %zu",
		       what, nla_len(a), len);
		return -EPROTO;
	}
	memcpy(out, nla_data(a), len);
	return 0;
}

/* ---- algorithms -------------------------------------------------------- */

static int parse_algs(struct xfer *x, struct nlmsghdr *h, struct nlattr **tb)
{
	struct kemc *c = x->c;
	struct nlattr *e;
	int rem;

	(void)h;
	if (!tb[PQREKEY_A_ALGS]) {
		seterr(c, "the kernel's reply lacks the algorithm list");
		return -EPROTO;
	}
	c->nalgs = 0;
	nla_for_each_nested(e, tb[PQREKEY_A_ALGS], rem) {
		struct nlattr *a[PQREKEY_ALG_A_MAX + 1];
		struct kemc_alg *ai;

		if (c->nalgs >= KEMC_MAX_ALGS)
			break;
		if (nla_parse_nested(a, PQREKEY_ALG_A_MAX, e, NULL) < 0) {
			seterr(c, "malformed algorithm entry");
			return -EPROTO;
		}
		ai = &c->algs[c->nalgs];
		memset(ai, 0, sizeof(*ai));
		if (get_u32(a[PQREKEY_ALG_A_ID], &ai->id) ||
		    get_u32(a[PQREKEY_ALG_A_EK_LEN], &ai->ek_len) ||
		    get_u32(a[PQREKEY_ALG_A_DK_LEN], &ai->dk_len) ||
		    get_u32(a[PQREKEY_ALG_A_CT_LEN], &ai->ct_len) ||
		    get_u32(a[PQREKEY_ALG_A_SS_LEN], &ai->ss_len)) {
			seterr(c, "an algorithm entry lacks its id or sizes");
			return -EPROTO;
		}
		get_u32(a[PQREKEY_ALG_A_SEED_LEN], &ai->seed_len);
		get_u32(a[PQREKEY_ALG_A_MSG_LEN], &ai->msg_len);
		if (a[PQREKEY_ALG_A_CRA_NAME])
			snprintf(ai->name, sizeof(ai->name), "%s",
				 nla_get_string(a[PQREKEY_ALG_A_CRA_NAME]));
		if (a[PQREKEY_ALG_A_DRIVER])
			snprintf(ai->driver, sizeof(ai->driver), "%s",
				 nla_get_string(a[PQREKEY_ALG_A_DRIVER]));
		c->nalgs++;
	}
	return 0;
}

int kemc_refresh_algs(struct kemc *c)
{
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_GET_ALGS, 0);

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_GET_ALGS);
	return transact(c, msg, parse_algs, NULL);
}

const struct kemc_alg *kemc_alg_info(const struct kemc *c, uint32_t id)
{
	size_t i;

	for (i = 0; i < c->nalgs; i++)
		if (c->algs[i].id == id)
			return &c->algs[i];
	return NULL;
}

size_t kemc_algs(const struct kemc *c, const struct kemc_alg **algs)
{
	*algs = c->algs;
	return c->nalgs;
}

/* ---- open, close -------------------------------------------------------- */

int kemc_open(struct kemc **out, char *err, size_t errlen)
{
	struct kemc *c = calloc(1, sizeof(*c));
	int one = 1, rc, fd;

	*out = NULL;
	if (!c) {
		if (err)
			snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = -ENOMEM;
	c->sk = nl_socket_alloc();
	if (!c->sk) {
		seterr(c, "out of memory");
		goto fail;
	}
	rc = genl_connect(c->sk);
	if (rc < 0) {
		seterr(c, "cannot open a generic netlink socket: %s",
		       nl_geterror(rc));
		rc = -EIO;
		goto fail;
	}
	fd = nl_socket_get_fd(c->sk);
	/* extack messages; no copy of (large) requests in error replies */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(c->sk, 4 << 20, 4 << 20);
	/* replies larger than libnl's default buffer (batches) */
	nl_socket_enable_msg_peek(c->sk);
	/* CTRL_CMD_GETFAMILY loads the module through its family alias. */
	c->family = genl_ctrl_resolve(c->sk, PQREKEY_GENL_NAME);
	if (c->family < 0) {
		seterr(c, "pqrekey kernel module not available: generic netlink family '%s' not found (%s); load it with 'modprobe pqrekey'",
		       PQREKEY_GENL_NAME, nl_geterror(c->family));
		rc = -ENOENT;
		goto fail;
	}
	rc = kemc_refresh_algs(c);
	if (rc)
		goto fail;
	*out = c;
	return 0;
fail:
	if (err)
		snprintf(err, errlen, "%s", c->err);
	kemc_close(c);
	return rc;
}

void kemc_close(struct kemc *c)
{
	if (!c)
		return;
	if (c->sk)
		nl_socket_free(c->sk);	/* the kernel drops our handles */
	free(c);
}

/* ---- single operations -------------------------------------------------- */

struct op_out {
	uint32_t alg;		/* expected (0: any), then the reply's */
	uint8_t *ek, *ct, *ss;
	uint64_t *handle;
};

/* Reply attributes of one operation (also those of a batch entry). */
static int parse_op_attrs(struct kemc *c, struct nlattr **tb,
			  struct op_out *o)
{
	const struct kemc_alg *ai;
	uint32_t id;
	int rc = 0;

	if (get_u32(tb[PQREKEY_A_ALG], &id)) {
		seterr(c, "the kernel's reply lacks the algorithm");
		return -EPROTO;
	}
	ai = kemc_alg_info(c, id);
	if (!ai || (o->alg && o->alg != id)) {
		seterr(c, "the kernel's reply: unexpected algorithm %u", id);
		return -EPROTO;
	}
	o->alg = id;
	if (o->handle && get_u64(tb[PQREKEY_A_HANDLE], o->handle)) {
		seterr(c, "the kernel's reply lacks the handle");
		return -EPROTO;
	}
	if (o->ek)
		rc = get_exact(c, tb[PQREKEY_A_EK], "encapsulation key", o->ek,
			       ai->ek_len);
	if (!rc && o->ct)
		rc = get_exact(c, tb[PQREKEY_A_CT], "ciphertext", o->ct,
			       ai->ct_len);
	if (!rc && o->ss)
		rc = get_exact(c, tb[PQREKEY_A_SS], "shared secret", o->ss,
			       ai->ss_len);
	return rc;
}

static int parse_op(struct xfer *x, struct nlmsghdr *h, struct nlattr **tb)
{
	(void)h;
	return parse_op_attrs(x->c, tb, x->arg);
}

int kemc_keygen(struct kemc *c, uint32_t alg, const uint8_t *seed,
		size_t seed_len, uint8_t *ek, uint64_t *handle)
{
	struct op_out o = { .alg = alg, .ek = ek, .handle = handle };
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_KEYGEN, 0);

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_KEYGEN);
	if (nla_put_u32(msg, PQREKEY_A_ALG, alg) < 0 ||
	    (seed && nla_put(msg, PQREKEY_A_SEED, (int)seed_len, seed) < 0))
		return put_failed(c, msg, PQREKEY_CMD_KEYGEN);
	return transact(c, msg, parse_op, &o);
}

int kemc_encaps(struct kemc *c, uint32_t alg, const uint8_t *ek,
		size_t ek_len, const uint8_t *m, size_t m_len, uint8_t *ct,
		uint8_t *ss)
{
	struct op_out o = { .alg = alg, .ct = ct, .ss = ss };
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_ENCAPS, ek_len + 256);

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_ENCAPS);
	if (nla_put_u32(msg, PQREKEY_A_ALG, alg) < 0 ||
	    nla_put(msg, PQREKEY_A_EK, (int)ek_len, ek) < 0 ||
	    (m && nla_put(msg, PQREKEY_A_MSG, (int)m_len, m) < 0))
		return put_failed(c, msg, PQREKEY_CMD_ENCAPS);
	return transact(c, msg, parse_op, &o);
}

int kemc_decaps(struct kemc *c, uint32_t *alg, uint64_t handle,
		const uint8_t *dk, size_t dk_len, const uint8_t *ct,
		size_t ct_len, uint8_t *ss)
{
	struct op_out o = { .alg = *alg, .ss = ss };
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_DECAPS,
				     ct_len + (dk ? dk_len : 0) + 256);
	int rc;

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_DECAPS);
	if ((*alg && nla_put_u32(msg, PQREKEY_A_ALG, *alg) < 0) ||
	    (dk && nla_put(msg, PQREKEY_A_DK, (int)dk_len, dk) < 0) ||
	    (!dk && nla_put_u64(msg, PQREKEY_A_HANDLE, handle) < 0) ||
	    nla_put(msg, PQREKEY_A_CT, (int)ct_len, ct) < 0)
		return put_failed(c, msg, PQREKEY_CMD_DECAPS);
	rc = transact(c, msg, parse_op, &o);
	if (!rc)
		*alg = o.alg;
	if (rc == -ENOENT && !dk && !strstr(c->err, "andle"))
		seterr(c, "no handle %llu on this socket (handles live only as long as the netlink socket that created them)",
		       (unsigned long long)handle);
	return rc;
}

int kemc_del(struct kemc *c, uint64_t handle)
{
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_KEY_DEL, 0);

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_KEY_DEL);
	if (nla_put_u64(msg, PQREKEY_A_HANDLE, handle) < 0)
		return put_failed(c, msg, PQREKEY_CMD_KEY_DEL);
	return transact(c, msg, NULL, NULL);
}

/* ---- statistics --------------------------------------------------------- */

struct stats_out {
	struct kemc_stat *out;
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

static int parse_stats(struct xfer *x, struct nlmsghdr *h, struct nlattr **tb)
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

	(void)h;
	if (!tb[PQREKEY_A_STATS] ||
	    nla_parse_nested(s, PQREKEY_STATS_A_MAX, tb[PQREKEY_A_STATS],
			     NULL) < 0) {
		seterr(x->c, "the kernel's reply lacks the statistics");
		return -EPROTO;
	}
	nla_for_each_nested(e, tb[PQREKEY_A_STATS], rem) {
		struct nlattr *cs[PQREKEY_CMD_STATS_A_MAX + 1];
		uint32_t cmd;
		uint64_t ops = 0, errs = 0;
		char name[48];

		if (nla_type(e) != PQREKEY_STATS_A_CMD)
			continue;
		if (nla_parse_nested(cs, PQREKEY_CMD_STATS_A_MAX, e, NULL) < 0 ||
		    get_u32(cs[PQREKEY_CMD_STATS_A_CMD], &cmd)) {
			seterr(x->c, "malformed per-command statistics");
			return -EPROTO;
		}
		get_u64(cs[PQREKEY_CMD_STATS_A_OPS], &ops);
		get_u64(cs[PQREKEY_CMD_STATS_A_ERRORS], &errs);
		snprintf(name, sizeof(name), "%s_ops", cmd_name(cmd));
		stat_add(o, name, ops);
		snprintf(name, sizeof(name), "%s_errors", cmd_name(cmd));
		stat_add(o, name, errs);
	}
	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
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

int kemc_stats(struct kemc *c, struct kemc_stat *out, size_t max, size_t *n)
{
	struct stats_out o = { .out = out, .max = max };
	struct nl_msg *msg = new_msg(c, PQREKEY_CMD_GET_STATS, 0);
	int rc;

	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_GET_STATS);
	rc = transact(c, msg, parse_stats, &o);
	*n = o.n;
	return rc;
}

/* ---- batches ------------------------------------------------------------ */

unsigned int kemc_max_batch(void)
{
	return PQREKEY_BATCH_MAX_OPS;
}

struct batch_out {
	struct kemc_op *ops;
	size_t n, seen;
};

/*
 * A batch reply carries one PQREKEY_A_OP nest per request entry, repeated
 * at the top level (tb[] holds only the last one), in request order, each
 * with its index as PQREKEY_A_TAG; a reply may span several messages.
 */
static int parse_batch(struct xfer *x, struct nlmsghdr *h, struct nlattr **tb)
{
	struct genlmsghdr *gh = nlmsg_data(h);
	struct batch_out *o = x->arg;
	struct nlattr *e;
	int rem;

	(void)tb;
	nla_for_each_attr(e, genlmsg_attrdata(gh, 0), genlmsg_attrlen(gh, 0),
			  rem) {
		struct nlattr *a[PQREKEY_A_MAX + 1];
		struct op_out oo = { 0 };
		struct kemc_op *op;
		uint64_t tag;
		uint32_t err;
		int rc;

		if (nla_type(e) != PQREKEY_A_OP)
			continue;
		if (nla_parse_nested(a, PQREKEY_A_MAX, e, NULL) < 0 ||
		    get_u32(a[PQREKEY_A_ERRNO], &err) ||
		    get_u64(a[PQREKEY_A_TAG], &tag) || tag != o->seen ||
		    tag >= o->n) {
			seterr(x->c, "malformed or out-of-order batch reply entry %zu",
			       o->seen);
			return -EPROTO;
		}
		op = &o->ops[o->seen++];
		if (err) {
			op->err = -(int)err;
			snprintf(op->err_msg, sizeof(op->err_msg), "%s",
				 a[PQREKEY_A_ERR_MSG] ?
				 nla_get_string(a[PQREKEY_A_ERR_MSG]) :
				 errno_hint((int)err));
			continue;
		}
		oo.alg = op->alg;
		oo.ek = op->cmd == PQREKEY_CMD_KEYGEN ? op->out_ek : NULL;
		oo.handle = op->cmd == PQREKEY_CMD_KEYGEN ? &op->out_handle : NULL;
		oo.ct = op->cmd == PQREKEY_CMD_ENCAPS ? op->out_ct : NULL;
		oo.ss = op->cmd == PQREKEY_CMD_ENCAPS ||
			op->cmd == PQREKEY_CMD_DECAPS ? op->out_ss : NULL;
		if (op->cmd == PQREKEY_CMD_KEY_DEL)
			continue;
		rc = parse_op_attrs(x->c, a, &oo);
		if (rc)
			return rc;
	}
	return 0;
}

int kemc_batch(struct kemc *c, struct kemc_op *ops, size_t n)
{
	struct batch_out o = { .ops = ops, .n = n };
	size_t i, size = 256;
	struct nl_msg *msg;
	int rc;

	if (n == 0 || n > kemc_max_batch()) {
		seterr(c, "a batch holds 1 to %u operations, not %zu",
		       kemc_max_batch(), n);
		return -E2BIG;
	}
	for (i = 0; i < n; i++)
		size += ops[i].ek_len + ops[i].ct_len + 64;
	msg = new_msg(c, PQREKEY_CMD_BATCH, size);
	if (!msg)
		return put_failed(c, NULL, PQREKEY_CMD_BATCH);
	for (i = 0; i < n; i++) {
		struct kemc_op *op = &ops[i];
		struct nlattr *nest = nla_nest_start(msg, PQREKEY_A_OP);
		bool with_handle = op->cmd == PQREKEY_CMD_DECAPS ||
				   op->cmd == PQREKEY_CMD_KEY_DEL;

		op->err = 0;
		op->err_msg[0] = '\0';
		if (!nest ||
		    nla_put_u32(msg, PQREKEY_A_CMD, op->cmd) < 0 ||
		    nla_put_u64(msg, PQREKEY_A_TAG, i) < 0 ||
		    (op->alg && nla_put_u32(msg, PQREKEY_A_ALG, op->alg) < 0) ||
		    (with_handle &&
		     nla_put_u64(msg, PQREKEY_A_HANDLE, op->handle) < 0) ||
		    (op->ek && nla_put(msg, PQREKEY_A_EK, (int)op->ek_len,
				       op->ek) < 0) ||
		    (op->ct && nla_put(msg, PQREKEY_A_CT, (int)op->ct_len,
				       op->ct) < 0))
			return put_failed(c, msg, PQREKEY_CMD_BATCH);
		nla_nest_end(msg, nest);
	}
	rc = transact(c, msg, parse_batch, &o);
	if (rc)
		return rc;
	if (o.seen != n) {
		seterr(c, "the batch reply has %zu entries for %zu operations",
		       o.seen, n);
		return -EPROTO;
	}
	return 0;
}
