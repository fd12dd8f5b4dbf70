#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Raw generic netlink client for selftests/netlink.sh (runs inside a guest):
# the checks that need exact control over the messages (malformed requests,
# extack contents, holding a socket open across checks, concurrent stress),
# which the pqkem tool deliberately cannot produce.
#
#   netlink-raw.py GROUP [ARGS...]
#
# Prints "ok - ..." / "not ok - ..." per check (netlink.sh counts them) and
# exits 1 if any check failed. Constants mirror include/uapi/linux/pqrekey.h.
import errno
import os
import random
import socket
import struct
import sys
import threading
import time

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 1 << 15

# include/uapi/linux/pqrekey.h (checked against
# Documentation/netlink/specs/pqrekey.yaml by tools/genl-spec-check)
(CMD_GET_ALGS, CMD_KEYGEN, CMD_ENCAPS, CMD_DECAPS, CMD_KEY_DEL, CMD_GET_STATS,
 CMD_BATCH) = range(1, 8)
(A_ALG, A_HANDLE, A_SEED, A_MSG, A_EK, A_DK, A_CT, A_SS, A_OP, A_CMD, A_TAG,
 A_ERRNO, A_ERR_MSG, A_ALGS, A_STATS, A_PAD) = range(1, 17)
(ALG_A_ID, ALG_A_NAME, ALG_A_CRA_NAME, ALG_A_DRIVER, ALG_A_EK_LEN, ALG_A_DK_LEN,
 ALG_A_CT_LEN, ALG_A_SS_LEN, ALG_A_SEED_LEN, ALG_A_MSG_LEN) = range(1, 11)
(STATS_A_CMD, STATS_A_HANDLES, STATS_A_SOCK_HANDLES, STATS_A_MAX_HANDLES,
 STATS_A_MAX_SOCK_HANDLES, STATS_A_MAX_BATCH_OPS, STATS_A_EXPIRY_SECS,
 STATS_A_EXPIRED) = range(1, 9)
CMD_STATS_A_CMD, CMD_STATS_A_OPS, CMD_STATS_A_ERRORS = 1, 2, 3
ALGS = {1: (800, 1632, 768), 2: (1184, 2400, 1088), 3: (1568, 3168, 1568),
        16: (15632, 31296, 15792), 17: (15632, 31296, 15792),
        18: (21520, 43088, 21696), 19: (21520, 43088, 21696)}
SS_LEN = {1: 32, 2: 32, 3: 32, 16: 24, 17: 24, 18: 32, 19: 32}

passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print("ok - " + what, flush=True)


def notok(what, detail=""):
    global failed
    failed += 1
    print("not ok - " + what, flush=True)
    if detail:
        print("    " + detail, flush=True)


def check(what, cond, detail=""):
    if cond:
        ok(what)
    else:
        notok(what, detail)
    return cond


def attr(t, data):
    hdr = struct.pack("=HH", 4 + len(data), t)
    return hdr + data + b"\0" * ((4 - len(data) % 4) % 4)


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def u64(t, v):
    return attr(t, struct.pack("=Q", v))


def nest(t, *parts):
    return attr(t | NLA_F_NESTED, b"".join(parts))


def parse(data):
    out = {}
    while len(data) >= 4:
        ln, t = struct.unpack_from("=HH", data)
        if ln < 4:
            break
        out.setdefault(t & 0x3fff, []).append(data[4:ln])
        data = data[(ln + 3) & ~3:]
    return out


def one(attrs, t):
    return attrs[t][0] if t in attrs else None


def get_u32(attrs, t):
    v = one(attrs, t)
    return struct.unpack("=I", v)[0] if v is not None else None


def get_u64(attrs, t):
    v = one(attrs, t)
    return struct.unpack("=Q", v)[0] if v is not None else None


class NlError(Exception):
    def __init__(self, err, msg, miss):
        super().__init__("%s (%s)" % (errno.errorcode.get(err, err), msg))
        self.errno, self.msg, self.miss = err, msg, miss


class Genl:
    def __init__(self, family="pqrekey", portid=0):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        self.sk.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 21)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((portid, 0))
        self.seq = 0
        self.replies = []	# lengths of the reply messages received
        self.fam = None
        if family:
            a = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                             attr(CTRL_ATTR_FAMILY_NAME,
                                  family.encode() + b"\0"))
            self.fam = struct.unpack("=H", one(a, CTRL_ATTR_FAMILY_ID))[0]

    def close(self):
        self.sk.close()

    def portid(self):
        return self.sk.getsockname()[0]

    def request(self, fam, cmd, payload=b"", version=1):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        hdr = struct.pack("=IHHII", 16 + len(body), fam,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0)
        self.sk.send(hdr + body)
        result = None
        while True:
            data = self.sk.recv(1 << 21)
            while data:
                ln, typ, flags, seq, _ = struct.unpack_from("=IHHII", data)
                msg, data = data[16:ln], data[(ln + 3) & ~3:]
                if seq != self.seq:
                    continue
                if typ == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", msg)[0]
                    if err == 0:
                        return result
                    text, miss = "", None
                    if flags & NLM_F_ACK_TLVS:
                        inner = struct.unpack_from("=I", msg, 4)[0]
                        tl = parse(msg[4 + 16:] if flags & 0x100 else
                                   msg[4 + ((inner + 3) & ~3):])
                        m = one(tl, NLMSGERR_ATTR_MSG)
                        text = m.rstrip(b"\0").decode() if m else ""
                        mt = one(tl, NLMSGERR_ATTR_MISS_TYPE)
                        miss = struct.unpack("=I", mt)[0] if mt else None
                    raise NlError(err, text, miss)
                # a batch reply may come in several messages: merge them
                a = parse(msg[4:])
                if result is None:
                    result = a
                else:
                    for k, v in a.items():
                        result.setdefault(k, []).extend(v)
                self.replies.append(ln)

    def cmd(self, cmd, *attrs, version=1):
        return self.request(self.fam, cmd, b"".join(attrs), version)

    def keygen(self, alg=2, seed=None):
        a = self.cmd(CMD_KEYGEN, u32(A_ALG, alg),
                     *([attr(A_SEED, seed)] if seed else []))
        return get_u64(a, A_HANDLE), one(a, A_EK)

    def encaps(self, alg, ek, m=None):
        a = self.cmd(CMD_ENCAPS, u32(A_ALG, alg), attr(A_EK, ek),
                     *([attr(A_MSG, m)] if m else []))
        return one(a, A_CT), one(a, A_SS)

    def decaps(self, handle, ct):
        return one(self.cmd(CMD_DECAPS, u64(A_HANDLE, handle),
                            attr(A_CT, ct)), A_SS)

    def stats(self):
        a = parse(one(self.cmd(CMD_GET_STATS), A_STATS))
        s = {k: get_u32(a, k) for k in (STATS_A_HANDLES, STATS_A_SOCK_HANDLES,
                                         STATS_A_MAX_HANDLES,
                                         STATS_A_MAX_SOCK_HANDLES,
                                         STATS_A_MAX_BATCH_OPS,
                                         STATS_A_EXPIRY_SECS)}
        s[STATS_A_EXPIRED] = get_u64(a, STATS_A_EXPIRED)
        s["cmd"] = {}
        for c in a.get(STATS_A_CMD, []):
            c = parse(c)
            s["cmd"][get_u32(c, CMD_STATS_A_CMD)] = (
                get_u64(c, CMD_STATS_A_OPS), get_u64(c, CMD_STATS_A_ERRORS))
        return s

    def batch(self, entries):
        a = self.cmd(CMD_BATCH, *[nest(A_OP, *e) for e in entries])
        out = [parse(e) for e in a.get(A_OP, [])]
        if len(out) != len(entries):
            raise NlError(errno.EPROTO, "%d results for %d entries" %
                          (len(out), len(entries)), None)
        return out


def expect_err(what, want, fn, want_msg=None, want_miss=None):
    """Run fn(), which must fail with errno want and an extack message."""
    try:
        fn()
    except NlError as e:
        good = e.errno == want and (e.msg != "" if want_msg is None
                                    else want_msg in e.msg)
        if want_miss is not None:
            good = good and e.miss == want_miss
        return check("%s -> %s \"%s\"" % (what, errno.errorcode.get(
            e.errno, e.errno), e.msg), good,
            "wanted %s%s" % (errno.errorcode[want],
                             " with '%s'" % want_msg if want_msg else ""))
    except OSError as e:
        return check(what, e.errno == want, "OSError " + str(e))
    notok(what, "succeeded, wanted " + errno.errorcode[want])
    return False


# ---------------------------------------------------------------- groups

def g_functional(_args):
    g = Genl()
    a = g.cmd(CMD_GET_ALGS)
    algs = {}
    for e in parse(one(a, A_ALGS)).values():
        e = parse(e[0])
        algs[get_u32(e, ALG_A_ID)] = (
            one(e, ALG_A_DRIVER).rstrip(b"\0").decode(),
            get_u32(e, ALG_A_EK_LEN), get_u32(e, ALG_A_DK_LEN),
            get_u32(e, ALG_A_CT_LEN))
    check("GET_ALGS lists the ML-KEM and FrodoKEM sets with sizes and driver",
          sorted(algs) == sorted(ALGS) and all(
              algs[i][1:] == ALGS[i] and
              algs[i][0].startswith("mlkem" if i < 16 else "frodo")
              for i in algs), str(algs))
    for alg, (ekl, _dkl, ctl) in ALGS.items():
        h, ek = g.keygen(alg)
        ct, ss = g.encaps(alg, ek)
        ss2 = g.decaps(h, ct)
        check("alg %d: keygen/encaps/decaps agree (ek %d, ct %d, ss %d)" %
              (alg, len(ek), len(ct), len(ss)),
              len(ek) == ekl and len(ct) == ctl and len(ss) == SS_LEN[alg] and
              ss == ss2)
        bad = bytearray(ct)
        bad[5] ^= 1
        ss3 = g.decaps(h, bytes(bad))
        check("alg %d: modified ciphertext gives the rejection secret" % alg,
              len(ss3) == SS_LEN[alg] and ss3 != ss)
        g.cmd(CMD_KEY_DEL, u64(A_HANDLE, h))
        expect_err("alg %d: decaps after KEY_DEL" % alg, errno.ENOENT,
                   lambda: g.decaps(h, ct), "unknown handle")
    seed = bytes(range(64))
    h1, ek1 = g.keygen(2, seed)
    h2, ek2 = g.keygen(2, seed)
    check("keygen with a seed is deterministic, handles differ",
          ek1 == ek2 and h1 != h2)
    m = bytes(range(32))
    ct1, ss1 = g.encaps(2, ek1, m)
    ct2, ss2 = g.encaps(2, ek1, m)
    check("encaps with m is deterministic and decapsulates",
          ct1 == ct2 and ss1 == ss2 and g.decaps(h1, ct1) == ss1)
    # decaps with an explicit dk: make one from the seed with the
    # userspace-visible relation dk = dk_pke || ek || H(ek) || z is not
    # needed: a dk failing the 7.3 check must be refused.
    dk = bytearray(2400)
    expect_err("decaps with a dk failing the 7.3 hash check", errno.EINVAL,
               lambda: g.cmd(CMD_DECAPS, u32(A_ALG, 2), attr(A_DK, bytes(dk)),
                             attr(A_CT, ct1)), "7.3")
    # batch: keygen, encaps (to a known ek), decaps, del, a failing entry
    ents = [[u32(A_CMD, CMD_KEYGEN), u64(A_TAG, 7), u32(A_ALG, 1)],
            [u32(A_CMD, CMD_ENCAPS), u32(A_ALG, 2), attr(A_EK, ek1)],
            [u32(A_CMD, CMD_DECAPS), u64(A_HANDLE, 1 << 60),
             attr(A_CT, ct1)],
            [u32(A_CMD, CMD_DECAPS), u64(A_HANDLE, h1), attr(A_CT, ct1)],
            [u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, h1)]]
    r = g.batch(ents)
    good = (len(r) == 5 and
            [get_u32(e, A_ERRNO) for e in r] == [0, 0, errno.ENOENT, 0, 0] and
            get_u64(r[0], A_TAG) == 7 and len(one(r[0], A_EK)) == 800 and
            get_u64(r[0], A_HANDLE) and
            one(r[2], A_ERR_MSG) == b"unknown handle\0" and
            one(r[2], A_SS) is None and one(r[3], A_SS) == ss1 and
            [get_u32(e, A_CMD) for e in r] == [2, 3, 4, 4, 5])
    check("batch: per-entry results, errno, error message and tag", good,
          repr(r)[:300])
    ss_b = g.decaps(get_u64(r[0], A_HANDLE),
                    g.encaps(1, one(r[0], A_EK))[0])
    check("handle created in a batch works in a later request",
          len(ss_b) == 32)
    s = g.stats()
    check("GET_STATS counts operations and errors per command",
          s["cmd"][CMD_DECAPS][0] >= 8 and s["cmd"][CMD_DECAPS][1] >= 2 and
          s["cmd"][CMD_BATCH][0] >= 1 and s[STATS_A_SOCK_HANDLES] >= 1,
          str(s))
    g.close()


def g_malformed(_args):
    g = Genl()
    h, ek = g.keygen(2)
    ct, _ = g.encaps(2, ek)
    E = errno
    cases = [
        ("KEYGEN without ALG", E.EINVAL, [CMD_KEYGEN], "missing", A_ALG),
        ("KEYGEN unknown alg 4", E.ERANGE, [CMD_KEYGEN, u32(A_ALG, 4)],
         "", None),
        ("KEYGEN alg 0", E.ERANGE, [CMD_KEYGEN, u32(A_ALG, 0)], "", None),
        ("KEYGEN unknown alg 15 (FrodoKEM's range starts at 16)", E.ERANGE,
         [CMD_KEYGEN, u32(A_ALG, 15)], "not implemented", None),
        ("KEYGEN alg 20 (above the last)", E.ERANGE,
         [CMD_KEYGEN, u32(A_ALG, 20)], "", None),
        ("KEYGEN ALG as u16", E.EINVAL,
         [CMD_KEYGEN, attr(A_ALG, b"\2\0")], "", None),
        ("KEYGEN seed 63 bytes", E.ERANGE,
         [CMD_KEYGEN, u32(A_ALG, 2), attr(A_SEED, bytes(63))], "", None),
        ("KEYGEN seed 65 bytes for ML-KEM", E.EINVAL,
         [CMD_KEYGEN, u32(A_ALG, 2), attr(A_SEED, bytes(65))], "length",
         None),
        ("KEYGEN seed 64 bytes for FrodoKEM-976", E.EINVAL,
         [CMD_KEYGEN, u32(A_ALG, 16), attr(A_SEED, bytes(64))], "length",
         None),
        ("KEYGEN seed 113 bytes (above the largest)", E.ERANGE,
         [CMD_KEYGEN, u32(A_ALG, 18), attr(A_SEED, bytes(113))], "", None),
        ("KEYGEN with a stray CT", E.EINVAL,
         [CMD_KEYGEN, u32(A_ALG, 2), attr(A_CT, ct)], "not valid", None),
        ("KEYGEN with reply-only SS", E.EINVAL,
         [CMD_KEYGEN, u32(A_ALG, 2), attr(A_SS, bytes(32))], "", None),
        ("KEYGEN unknown attribute 99", E.EINVAL,
         [CMD_KEYGEN, u32(A_ALG, 2), u32(99, 1)], "", None),
        ("ENCAPS without EK", E.EINVAL, [CMD_ENCAPS, u32(A_ALG, 2)],
         "missing", A_EK),
        ("ENCAPS ek of 768's size for 512", E.EINVAL,
         [CMD_ENCAPS, u32(A_ALG, 1), attr(A_EK, ek)], "length", None),
        ("ENCAPS ek undersized (799)", E.ERANGE,
         [CMD_ENCAPS, u32(A_ALG, 1), attr(A_EK, bytes(799))], "", None),
        ("ENCAPS ek 1569 bytes for ML-KEM-1024", E.EINVAL,
         [CMD_ENCAPS, u32(A_ALG, 3), attr(A_EK, bytes(1569))], "length",
         None),
        ("ENCAPS ek oversized (21521)", E.ERANGE,
         [CMD_ENCAPS, u32(A_ALG, 18), attr(A_EK, bytes(21521))], "", None),
        ("ENCAPS ek failing the modulus check", E.EINVAL,
         [CMD_ENCAPS, u32(A_ALG, 2), attr(A_EK, b"\xff" * 1184)], "7.2",
         None),
        ("ENCAPS ek failing the modulus check, with m", E.EINVAL,
         [CMD_ENCAPS, u32(A_ALG, 2), attr(A_EK, b"\xff" * 1184),
          attr(A_MSG, bytes(32))], "7.2", None),
        ("ENCAPS m 31 bytes", E.ERANGE,
         [CMD_ENCAPS, u32(A_ALG, 2), attr(A_EK, ek), attr(A_MSG, bytes(31))],
         "", None),
        ("DECAPS without CT", E.EINVAL, [CMD_DECAPS, u64(A_HANDLE, h)],
         "missing", A_CT),
        ("DECAPS without HANDLE or DK", E.EINVAL,
         [CMD_DECAPS, u32(A_ALG, 2), attr(A_CT, ct)], "missing", A_DK),
        ("DECAPS HANDLE and DK", E.EINVAL,
         [CMD_DECAPS, u64(A_HANDLE, h), u32(A_ALG, 2),
          attr(A_DK, bytes(2400)), attr(A_CT, ct)], "exclude", None),
        ("DECAPS unknown handle", E.ENOENT,
         [CMD_DECAPS, u64(A_HANDLE, h ^ 0x5a5a), attr(A_CT, ct)],
         "unknown handle", None),
        ("DECAPS handle 0", E.ERANGE,
         [CMD_DECAPS, u64(A_HANDLE, 0), attr(A_CT, ct)], "", None),
        ("DECAPS handle as u32", E.EINVAL,
         [CMD_DECAPS, u32(A_HANDLE, h & 0xffffffff), attr(A_CT, ct)], "",
         None),
        ("DECAPS ct size of another alg", E.EINVAL,
         [CMD_DECAPS, u64(A_HANDLE, h), attr(A_CT, bytes(768))], "length",
         None),
        ("DECAPS ct undersized (767)", E.ERANGE,
         [CMD_DECAPS, u64(A_HANDLE, h), attr(A_CT, bytes(767))], "", None),
        ("DECAPS alg not the handle's", E.EINVAL,
         [CMD_DECAPS, u64(A_HANDLE, h), u32(A_ALG, 3), attr(A_CT, ct)],
         "match", None),
        ("DECAPS dk 3169 bytes for ML-KEM-1024", E.EINVAL,
         [CMD_DECAPS, u32(A_ALG, 3), attr(A_DK, bytes(3169)),
          attr(A_CT, bytes(1568))], "length", None),
        ("DECAPS dk oversized (43089)", E.ERANGE,
         [CMD_DECAPS, u32(A_ALG, 18), attr(A_DK, bytes(43089)),
          attr(A_CT, bytes(21696))], "", None),
        ("KEY_DEL without HANDLE", E.EINVAL, [CMD_KEY_DEL], "missing",
         A_HANDLE),
        ("KEY_DEL unknown handle", E.ENOENT,
         [CMD_KEY_DEL, u64(A_HANDLE, h ^ 0x5a5a)], "unknown handle", None),
        ("GET_STATS with an attribute", E.EINVAL,
         [CMD_GET_STATS, u32(A_ALG, 2)], "", None),
        ("BATCH without OP", E.EINVAL, [CMD_BATCH], "missing", A_OP),
        ("BATCH entry without CMD", E.EINVAL,
         [CMD_BATCH, nest(A_OP, u32(A_ALG, 2))], "CMD", A_CMD),
        ("BATCH entry CMD=BATCH", E.ERANGE,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_BATCH))], "", None),
        ("BATCH entry CMD=GET_STATS", E.ERANGE,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_GET_STATS))], "",
         None),
        ("BATCH nested OPS in an entry", E.EINVAL,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_KEYGEN),
                          nest(A_OP, b""))], "", None),
        ("BATCH entry with an oversized CT (21697)", E.ERANGE,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_DECAPS), u64(A_HANDLE, h),
                          attr(A_CT, bytes(21697)))], "", None),
        ("BATCH with a stray top-level ALG", E.EINVAL,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, h)),
          u32(A_ALG, 2)], "not valid", None),
        ("BATCH entry with an attribute of another command", E.EINVAL,
         [CMD_BATCH, nest(A_OP, u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, h),
                          attr(A_CT, ct))],
         "not valid", None),
        ("unknown command 8", E.EOPNOTSUPP, [8], None, None),
    ]
    for what, want, msg, text, miss in cases:
        cmd, attrs = msg[0], msg[1:]
        if text is None:	# the genl core gives no message for this one
            try:
                g.cmd(cmd, *attrs)
                notok(what, "succeeded")
            except NlError as e:
                check("%s -> %s" % (what, errno.errorcode.get(e.errno)),
                      e.errno == want)
            continue
        expect_err(what, want, lambda: g.cmd(cmd, *attrs), text, miss)

    mx = g.stats()[STATS_A_MAX_BATCH_OPS]
    ents = [nest(A_OP, u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, 1))] * (mx + 1)
    expect_err("BATCH with max_batch_ops + 1 = %d entries" % (mx + 1),
               errno.E2BIG, lambda: g.cmd(CMD_BATCH, *ents), "too many")
    ents = [[u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, 1 << 50)]] * mx
    r = g.batch(ents)
    check("BATCH with max_batch_ops = %d entries runs them all" % mx,
          len(r) == mx and all(get_u32(e, A_ERRNO) == errno.ENOENT
                               for e in r))
    # biggest reply: max_batch_ops ML-KEM-1024 key generations
    r = g.batch([[u32(A_CMD, CMD_KEYGEN), u32(A_ALG, 3)]] * mx)
    check("BATCH of %d ML-KEM-1024 keygens (largest reply)" % mx,
          len(r) == mx and all(get_u32(e, A_ERRNO) == 0 and
                               len(one(e, A_EK)) == 1568 for e in r))
    check("socket still usable after the errors",
          len(g.decaps(h, ct)) == 32)
    g.close()


def g_eperm(args):
    """Run unprivileged: every command must fail with EPERM (and, given
    TEXT, an extack message containing it)."""
    text = args[0] if args else None
    try:
        g = Genl()
    except NlError as e:
        notok("resolving the family unprivileged", str(e))
        return
    reqs = {
        CMD_GET_ALGS: [], CMD_KEYGEN: [u32(A_ALG, 2)],
        CMD_ENCAPS: [u32(A_ALG, 1), attr(A_EK, bytes(800))],
        CMD_DECAPS: [u64(A_HANDLE, 1), attr(A_CT, bytes(1088))],
        CMD_KEY_DEL: [u64(A_HANDLE, 1)], CMD_GET_STATS: [],
        CMD_BATCH: [nest(A_OP, u32(A_CMD, CMD_KEYGEN), u32(A_ALG, 2))],
    }
    for cmd, attrs in reqs.items():
        try:
            g.cmd(cmd, *attrs)
            notok("command %d without CAP_NET_ADMIN" % cmd, "succeeded")
        except NlError as e:
            check("command %d without CAP_NET_ADMIN -> %s%s" %
                  (cmd, errno.errorcode.get(e.errno),
                   " \"%s\"" % e.msg if text else ""),
                  e.errno == errno.EPERM and (not text or text in e.msg))


def g_hold(args):
    """hold FILE N: make N handles, write 'portid handle ...' to FILE, wait
    for FILE.go to appear, then check them and report."""
    path, n = args[0], int(args[1])
    g = Genl()
    hs = [g.keygen(1) for _ in range(n)]
    with open(path + ".tmp", "w") as f:
        f.write("%d %s\n" % (g.portid(), " ".join(str(h) for h, _ in hs)))
    os.rename(path + ".tmp", path)
    while not os.path.exists(path + ".go"):
        time.sleep(0.1)
    what = open(path + ".go").read().strip()
    try:
        ct, ss = g.encaps(1, hs[0][1])
        good = g.decaps(hs[0][0], ct) == ss
        check("holder: its own handle still works (%s)" % what, good)
    except NlError as e:
        check("holder: request after '%s' -> %s" % (what, e), what == "rmmod"
              and e.errno in (errno.ENOENT, errno.EOPNOTSUPP))
    except OSError as e:
        check("holder: request after '%s' -> %s" % (what, e), what == "rmmod")


def g_foreign(args):
    """foreign FILE: another socket (maybe in another netns) must neither
    use nor see the handles listed in FILE."""
    line = open(args[0]).read().split()
    handles = [int(x) for x in line[1:]]
    g = Genl()
    for h in handles[:3]:
        expect_err("foreign socket: decaps with handle %d" % h, errno.ENOENT,
                   lambda: g.decaps(h, bytes(768)), "unknown handle")
        expect_err("foreign socket: KEY_DEL of handle %d" % h, errno.ENOENT,
                   lambda: g.cmd(CMD_KEY_DEL, u64(A_HANDLE, h)),
                   "unknown handle")
    s = g.stats()
    print("# foreign stats: handles=%d sock=%d" %
          (s[STATS_A_HANDLES], s[STATS_A_SOCK_HANDLES]))
    want = int(args[1]) if len(args) > 1 else None
    if want is not None:
        check("foreign socket: netns handle count is %d" % want,
              s[STATS_A_HANDLES] == want, str(s[STATS_A_HANDLES]))


def g_stats(args):
    """stats KEY: print one number."""
    s = Genl().stats()
    key = {"handles": STATS_A_HANDLES, "expired": STATS_A_EXPIRED}[args[0]]
    print(s[key])


def g_lifecycle(args):
    g = Genl()
    other = Genl()
    base = other.stats()[STATS_A_HANDLES]
    for _ in range(4):
        g.keygen(1)
    check("4 live handles counted", other.stats()[STATS_A_HANDLES] ==
          base + 4 and g.stats()[STATS_A_SOCK_HANDLES] == 4)
    g.close()
    n = other.stats()[STATS_A_HANDLES]
    check("socket close frees its handles", n == base, "%d live" % n)
    # limits (the script set max_handles_per_socket=4, per netns=6)
    a, b = Genl(), Genl()
    for _ in range(4):
        a.keygen(1)
    expect_err("5th handle on a socket (max_handles_per_socket=4)",
               errno.ENOSPC, lambda: a.keygen(1), "socket")
    b.keygen(1)
    b.keygen(1)
    expect_err("7th handle in the netns (max_handles_per_netns=6)",
               errno.EMFILE, lambda: b.keygen(1), "netns")
    r = b.batch([[u32(A_CMD, CMD_KEYGEN), u32(A_ALG, 1)]])
    check("limit in a batch entry: EMFILE with message",
          get_u32(r[0], A_ERRNO) == errno.EMFILE and
          b"netns" in (one(r[0], A_ERR_MSG) or b""))
    a.close()
    check("after closing: room again", len(b.keygen(1)[1]) == 800)
    b.close()
    # expiry (the script set handle_expiry_secs=2)
    c = Genl()
    exp0 = c.stats()[STATS_A_EXPIRED]
    h, ek = c.keygen(2)
    ct, ss = c.encaps(2, ek)
    check("fresh handle usable before expiry", c.decaps(h, ct) == ss)
    time.sleep(3.5)
    expect_err("handle after handle_expiry_secs", errno.ENOENT,
               lambda: c.decaps(h, ct), "unknown handle")
    s = c.stats()
    check("expired counter moved, no live handle",
          s[STATS_A_EXPIRED] >= exp0 + 1 and s[STATS_A_SOCK_HANDLES] == 0,
          str(s))
    c.close()


def g_stress(args):
    """stress OPS SEED: mixed single and batched operations, checking
    every shared secret."""
    nops, seed = int(args[0]), int(args[1])
    rnd = random.Random(seed)
    g = Genl()
    done = errs = 0
    live = []
    while done < nops:
        alg = rnd.choice([1, 2, 3])
        if rnd.random() < 0.5:
            h, ek = g.keygen(alg)
            ct, ss = g.encaps(alg, ek)
            if g.decaps(h, ct) != ss:
                errs += 1
            if rnd.random() < 0.5:
                g.cmd(CMD_KEY_DEL, u64(A_HANDLE, h))
            else:
                live.append(h)	# freed when the socket closes
            done += 4
        else:
            n = rnd.randint(1, 16)
            r = g.batch([[u32(A_CMD, CMD_KEYGEN), u32(A_ALG, alg)]] * n)
            hs = [(get_u64(e, A_HANDLE), one(e, A_EK)) for e in r]
            r2 = g.batch([[u32(A_CMD, CMD_ENCAPS), u32(A_ALG, alg),
                           attr(A_EK, ek)] for _, ek in hs])
            r3 = g.batch([[u32(A_CMD, CMD_DECAPS), u64(A_HANDLE, h),
                           attr(A_CT, one(e, A_CT))]
                          for (h, _), e in zip(hs, r2)] +
                         [[u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, h)]
                          for h, _ in hs] +
                         [[u32(A_CMD, CMD_KEY_DEL), u64(A_HANDLE, 1 << 40)]])
            errs += sum(one(e, A_SS) != one(d, A_SS) for e, d in zip(r2, r3))
            errs += sum(get_u32(e, A_ERRNO) != 0 for e in r3[:-1])
            errs += get_u32(r3[-1], A_ERRNO) != errno.ENOENT
            done += 4 * n + 1
        if len(live) > 64:
            g.close()
            g = Genl()
            live = []
    check("stress worker %d: %d operations, %d mismatches" %
          (seed, done, errs), errs == 0)


def drain(g):
    """Read everything queued on g's socket without blocking: return the
    messages (type, seq, payload) and how many receive errors (ENOBUFS:
    replies the kernel had to drop) were reported."""
    msgs, errs = [], 0
    while True:
        try:
            data = g.sk.recv(1 << 21, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return msgs, errs
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            errs += 1
            continue
        while data:
            ln, typ, _flags, seq, _ = struct.unpack_from("=IHHII", data)
            msgs.append((typ, seq, data[16:ln]))
            data = data[(ln + 3) & ~3:]


def g_dropped(_args):
    """Replies the kernel cannot queue (receive buffer full) must not leave
    handles behind: the socket's handle count equals the ids it received."""
    def keygens(n, alg):
        return b"".join(nest(A_OP, u32(A_CMD, CMD_KEYGEN), u32(A_ALG, alg))
                        for _ in range(n))
    for what, cmd, payload, sent, per in (
            ("BATCH of 4 ML-KEM-512 keygens", CMD_BATCH, keygens(4, 1), 8, 4),
            ("single KEYGEN", CMD_KEYGEN, u32(A_ALG, 1), 8, 1),
            ("BATCH of 64 ML-KEM-1024 keygens (a reply in parts)", CMD_BATCH,
             keygens(64, 3), 1, 64)):
        g = Genl()
        g.sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        for _ in range(sent):
            g.seq += 1
            body = struct.pack("=BBH", cmd, 1, 0) + payload
            g.sk.send(struct.pack("=IHHII", 16 + len(body), g.fam,
                                  NLM_F_REQUEST, g.seq, 0) + body)
        time.sleep(0.2)
        msgs, errs = drain(g)
        ids, replies = [], 0
        for typ, _seq, m in msgs:
            if typ != g.fam:
                continue
            replies += 1
            a = parse(m[4:])
            if cmd == CMD_BATCH:
                ids += [get_u64(parse(e), A_HANDLE) for e in a.get(A_OP, [])]
            else:
                ids.append(get_u64(a, A_HANDLE))
        ids = [h for h in ids if h]
        g.sk.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        n = g.stats()[STATS_A_SOCK_HANDLES]
        check("%s x %d, receive buffer full: %d replies, %d ids received, "
              "%d live handles (%d ENOBUFS)" % (what, sent, replies,
                                                len(ids), n, errs),
              0 < len(ids) < sent * per and n == len(ids) and errs > 0)
        g.close()


def g_reuse(_args):
    """Handles belong to the socket, not to its port id: while a closing
    socket's handles are being freed (the module's test_release_delay_ms
    hook holds that window open), a new socket that binds the same port id
    can neither use them nor lose its own handles when they are freed."""
    param = "/sys/module/pqrekey/parameters/test_release_delay_ms"
    port = 0x50000000 + os.getpid()
    a = Genl(portid=port)
    h, ek = a.keygen(1)
    ct, ss = a.encaps(1, ek)
    with open(param, "w") as f:
        f.write("3000")
    closer = threading.Thread(target=a.close)
    closer.start()
    b = None
    try:
        for _ in range(200):
            try:
                b = Genl(portid=port)
                break
            except OSError as e:
                if e.errno != errno.EADDRINUSE:
                    raise
                time.sleep(0.01)
        if not check("new socket binds the closing socket's port id %#x" %
                     port, b is not None and closer.is_alive()):
            return
        expect_err("new socket, same port id: decaps with the old socket's "
                   "handle", errno.ENOENT, lambda: b.decaps(h, ct),
                   "unknown handle")
        expect_err("new socket, same port id: KEY_DEL of the old socket's "
                   "handle", errno.ENOENT,
                   lambda: b.cmd(CMD_KEY_DEL, u64(A_HANDLE, h)),
                   "unknown handle")
        hb, ekb = b.keygen(1)
        ctb, ssb = b.encaps(1, ekb)
        closer.join()
        s = b.stats()
        good = s[STATS_A_SOCK_HANDLES] == 1
        try:
            good = good and b.decaps(hb, ctb) == ssb
        except NlError:
            good = False
        check("old socket's release leaves the new socket's handle alone",
              good, str(s))
        b.close()
    finally:
        closer.join()
        with open(param, "w") as f:
            f.write("0")


def g_killable(_args):
    """One sendmsg() carrying many full batches must stay killable: after
    SIGKILL the sender exits without running the rest of its entries."""
    g = Genl()
    _h, ek = g.keygen(1)
    mx = g.stats()[STATS_A_MAX_BATCH_OPS]
    nmsg = 160
    total = nmsg * mx
    ent = nest(A_OP, u32(A_CMD, CMD_ENCAPS), u32(A_ALG, 1), attr(A_EK, ek))
    body = struct.pack("=BBH", CMD_BATCH, 1, 0) + ent * mx
    buf = b"".join(struct.pack("=IHHII", 16 + len(body), g.fam,
                               NLM_F_REQUEST, i + 1, 0) + body
                   for i in range(nmsg))
    before = g.stats()["cmd"][CMD_ENCAPS][0]
    pid = os.fork()
    if pid == 0:
        try:
            c = Genl()
            c.sk.setsockopt(socket.SOL_SOCKET, 32, len(buf) + 65536)
            c.sk.send(buf)	# SO_SNDBUFFORCE above
        finally:
            os._exit(0)
    started = False
    for _ in range(600):
        if g.stats()["cmd"][CMD_ENCAPS][0] > before:
            started = True
            break
        time.sleep(0.05)
    t0 = time.time()
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    dt = time.time() - t0
    done = g.stats()["cmd"][CMD_ENCAPS][0] - before
    check("SIGKILL during one sendmsg() of %d batches x %d ENCAPS: exited "
          "after %.1f s, %d of %d entries ran" % (nmsg, mx, dt, done, total),
          started and done < total and dt < 5, "")
    g.close()


def g_ids(args):
    """ids FILE: handle ids are not consecutive (not guessable from one
    another) and not ids seen before, across module reloads: FILE (kept by
    the caller) collects every id this group has seen."""
    seen = set()
    if os.path.exists(args[0]):
        seen = {int(x) for x in open(args[0]).read().split()}
    g = Genl()
    ids = [g.keygen(1)[0] for _ in range(8)]
    steps = {b - a for a, b in zip(ids, ids[1:])}
    check("8 handle ids, none 0, not a sequence (%s ...)" %
          " ".join("%#x" % i for i in ids[:3]),
          0 not in ids and len(set(ids)) == 8 and len(steps) > 1 and
          all(abs(d) > 1 << 16 for d in steps))
    check("handle ids never seen before (%d ids from earlier loads)" %
          len(seen), not seen & set(ids), str(sorted(seen & set(ids))))
    with open(args[0], "a") as f:
        f.write("".join("%d\n" % i for i in ids))
    g.close()


def g_testinputs(_args):
    """With allow_test_inputs=0 (the default) SEED, MSG and DK are refused,
    each with a message naming the parameter; the same operations without
    them still work."""
    g = Genl()
    h, ek = g.keygen(1)
    ct, _ = g.encaps(1, ek)
    expect_err("KEYGEN with SEED, allow_test_inputs=0", errno.EOPNOTSUPP,
               lambda: g.keygen(1, bytes(64)), "allow_test_inputs=1")
    expect_err("ENCAPS with MSG, allow_test_inputs=0", errno.EOPNOTSUPP,
               lambda: g.encaps(1, ek, bytes(32)), "allow_test_inputs=1")
    expect_err("DECAPS with DK, allow_test_inputs=0", errno.EOPNOTSUPP,
               lambda: g.cmd(CMD_DECAPS, u32(A_ALG, 1),
                             attr(A_DK, bytes(1632)), attr(A_CT, ct)),
               "allow_test_inputs=1")
    r = g.batch([[u32(A_CMD, CMD_KEYGEN), u32(A_ALG, 1),
                  attr(A_SEED, bytes(64))],
                 [u32(A_CMD, CMD_ENCAPS), u32(A_ALG, 1), attr(A_EK, ek),
                  attr(A_MSG, bytes(32))],
                 [u32(A_CMD, CMD_DECAPS), u64(A_HANDLE, h), attr(A_CT, ct)]])
    check("batch: SEED and MSG entries refused, the others run",
          [get_u32(e, A_ERRNO) for e in r] ==
          [errno.EOPNOTSUPP, errno.EOPNOTSUPP, 0] and
          b"allow_test_inputs" in (one(r[0], A_ERR_MSG) or b"") and
          one(r[0], A_HANDLE) is None and g.stats()[STATS_A_SOCK_HANDLES] == 1,
          repr(r)[:300])
    g.close()


def g_flood(args):
    """flood FILE NSOCK: make ML-KEM-512 handles on NSOCK sockets, round
    robin, until the first error; write "COUNT ERRNO" to FILE, then keep
    the sockets (and handles) until FILE.go exists."""
    path, nsock = args[0], int(args[1])
    socks = [Genl() for _ in range(nsock)]
    n, err = 0, 0
    while n < 100000:
        try:
            socks[n % nsock].keygen(1)
            n += 1
        except NlError as e:
            err = e.errno
            break
    with open(path + ".tmp", "w") as f:
        f.write("%d %s\n" % (n, errno.errorcode.get(err, err)))
    os.rename(path + ".tmp", path)
    while not os.path.exists(path + ".go"):
        time.sleep(0.1)


def memcg_slab():
    with open("/proc/self/cgroup") as f:
        cg = f.read().strip().split("::")[-1]
    with open(MEMCG_ROOT + cg + "/memory.stat") as f:
        for line in f:
            k, v = line.split()
            if k == "slab_unreclaimable":
                return int(v)
    return None


MEMCG_ROOT = ""


def g_memcg(args):
    """memcg ROOT CGROUP N: move into CGROUP (a cgroup2 directory under
    ROOT with the memory controller), make N ML-KEM-1024 handles: the
    cgroup's unreclaimable slab grows by (at least most of) their keys."""
    global MEMCG_ROOT
    MEMCG_ROOT, cg, n = args[0], args[1], int(args[2])
    with open(cg + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))
    g = Genl()
    g.keygen(3)
    time.sleep(2.5)	# memcg statistics are flushed every 2 s
    before = memcg_slab()
    for _ in range(n):
        g.keygen(3)
    time.sleep(2.5)
    after = memcg_slab()
    check("%d ML-KEM-1024 handles charged to the caller's memory cgroup: "
          "slab_unreclaimable +%d KiB" % (n, (after - before) // 1024),
          after - before >= n * 3168 * 3 // 4)
    g.close()


def g_bigreply(_args):
    """The largest batch reply (max_batch_ops=256 ML-KEM-1024 encapsulations,
    ~440 KiB) comes in parts of at most 32 KiB (no allocation above order
    3), all entries in order."""
    param = "/sys/module/pqrekey/parameters/max_batch_ops"
    old = open(param).read().strip()
    with open(param, "w") as f:
        f.write("256")
    try:
        g = Genl()
        g.sk.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)	# SO_RCVBUFFORCE
        _h, ek = g.keygen(3)
        g.replies = []
        r = g.batch([[u32(A_CMD, CMD_ENCAPS), u32(A_ALG, 3), attr(A_EK, ek),
                      u64(A_TAG, i)] for i in range(256)])
        check("256 ML-KEM-1024 ENCAPS: %d entries in order, in %d reply "
              "messages of at most %d bytes" % (len(r), len(g.replies),
                                                max(g.replies)),
              len(r) == 256 and max(g.replies) <= 32768 and
              [get_u64(e, A_TAG) for e in r] == list(range(256)) and
              all(get_u32(e, A_ERRNO) == 0 and len(one(e, A_CT)) == 1568
                  for e in r))
        g.close()
    finally:
        with open(param, "w") as f:
            f.write(old)


GROUPS = {"functional": g_functional, "malformed": g_malformed,
          "eperm": g_eperm, "hold": g_hold, "foreign": g_foreign,
          "stats": g_stats, "lifecycle": g_lifecycle, "stress": g_stress,
          "dropped": g_dropped, "reuse": g_reuse,
          "killable": g_killable, "ids": g_ids,
          "testinputs": g_testinputs, "flood": g_flood,
          "memcg": g_memcg, "bigreply": g_bigreply}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in GROUPS:
        sys.exit("usage: netlink-raw.py %s [ARGS]" % "|".join(GROUPS))
    try:
        GROUPS[sys.argv[1]](sys.argv[2:])
    except (NlError, OSError) as e:
        notok("%s: unexpected error: %s" % (sys.argv[1], e))
    sys.exit(1 if failed else 0)
