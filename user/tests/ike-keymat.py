#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# pqiked's key schedule against an independent one written here from the
# RFCs with Python's hmac: prf, prf+ (RFC 7296 2.13), SKEYSEED and the seven
# keys (2.14), their update after each additional key exchange (RFC 9370
# 2.2.2), IKE SA rekey with new SPIs (RFC 7296 2.18, RFC 9370 2.2.4), Child
# SA KEYMAT with and without key exchanges (RFC 7296 2.17, RFC 9370 2.2.4)
# and IntAuth (RFC 9242 3.3.2), on random inputs for each PRF.
#
#   ike-keymat.py BINDIR/ike_keymat
#
# Prints "ok - ..." / "not ok - ..." per group and "N passed, N failed".
#
# Copyright (C) 2026 The pqrekey authors.

import hashlib
import hmac
import random
import subprocess
import sys

PRFS = {5: hashlib.sha256, 6: hashlib.sha384, 7: hashlib.sha512}


def prf(pid, key, *data):
    return hmac.new(key, b"".join(data), PRFS[pid]).digest()


def prf_plus(pid, key, seed, n):
    out, t, i = b"", b"", 1
    while len(out) < n:
        t = prf(pid, key, t, seed, bytes([i]))
        out += t
        i += 1
    return out[:n]


def seven(pid, skeyseed, ni, nr, spii, spir, integ, encr):
    plen = PRFS[pid]().digest_size
    sizes = [plen, integ, integ, encr, encr, plen, plen]
    km = prf_plus(pid, skeyseed, ni + nr + spii + spir, sum(sizes))
    keys, off = [], 0
    for s in sizes:
        keys.append(km[off:off + s])
        off += s
    return [skeyseed] + keys


def kes(sk, ni, nr):
    """SK(0) | Ni | Nr | SK(1) | ... | SK(n) (Ni | Nr without any)."""
    if not sk:
        return ni + nr
    return sk[0] + ni + nr + b"".join(sk[1:])


def main():
    binary = sys.argv[1]
    rnd = random.Random(20261205)
    rb = lambda n: bytes(rnd.getrandbits(8) for _ in range(n))
    cmds, want, groups = [], [], []

    def add(group, cmd, expect):
        cmds.append(" ".join(w if isinstance(w, str) else (w.hex() or "-")
                             for w in cmd))
        want.append(expect)
        groups.append(group)

    for pid in PRFS:
        plen = PRFS[pid]().digest_size
        for _ in range(20):
            key, seed = rb(rnd.randrange(1, 100)), [rb(rnd.randrange(0, 60)) for _ in range(3)]
            add("prf", ["prf", str(pid), key] + seed, prf(pid, key, *seed).hex())
            n = rnd.choice([1, plen - 1, plen, plen + 1, 3 * plen + 7, 255 * plen])
            add("prf+", ["prfplus", str(pid), key, str(n)] + seed,
                prf_plus(pid, key, b"".join(seed), n).hex())
        add("prf+ limit", ["prfplus", str(pid), rb(32), str(255 * plen + 1), rb(8)], "error")
        for integ, encr in ((0, 36), (0, 20), (32, 32), (64, 16)):
            ni, nr, gir = rb(rnd.choice([16, 32, 256])), rb(32), rb(32)
            spii, spir = rb(8), rb(8)
            k0 = seven(pid, prf(pid, ni + nr, gir), ni, nr, spii, spir, integ, encr)
            add("SKEYSEED and keys (IKE_SA_INIT)",
                ["init", str(pid), str(integ), str(encr), ni, nr, gir, spii, spir],
                " ".join(x.hex() for x in k0))
            d = k0[1]
            for n in range(1, 4):	# ADDKE1..3, each from the previous SK_d
                skn = rb(rnd.choice([32, 24]))
                kn = seven(pid, prf(pid, d, skn, ni, nr), ni, nr, spii, spir, integ, encr)
                add("keys after additional exchange n (RFC 9370)",
                    ["addke", str(pid), str(integ), str(encr), d, skn, ni, nr, spii, spir],
                    " ".join(x.hex() for x in kn))
                d = kn[1]
            sk = [rb(32) for _ in range(rnd.randrange(1, 4))]
            cni, cnr, nspii, nspir = rb(32), rb(32), rb(8), rb(8)
            kr = seven(pid, prf(pid, d, kes(sk, cni, cnr)), cni, cnr, nspii, nspir,
                       integ, encr)
            add("IKE SA rekey (new SPIs, SK(0) | Ni | Nr | SK(1..n))",
                ["rekey", str(pid), str(integ), str(encr), d, cni, cnr, nspii, nspir] + sk,
                " ".join(x.hex() for x in kr))
            for nsk in (0, 1, 3):
                sk = [rb(32) for _ in range(nsk)]
                n = rnd.choice([40, 72, 144])
                add("Child SA KEYMAT",
                    ["child", str(pid), d, str(n), cni, cnr] + sk,
                    prf_plus(pid, d, kes(sk, cni, cnr), n).hex())
        skp, a, p = rb(plen), rb(60), rb(200)
        i1 = prf(pid, skp, a, p)
        add("IntAuth", ["intauth", str(pid), skp, "-", a, p], i1.hex())
        a2, p2 = rb(80), b""
        add("IntAuth", ["intauth", str(pid), skp, i1, a2, "-"], prf(pid, skp, i1, a2).hex())

    proc = subprocess.run([binary], input="\n".join(cmds) + "\n", text=True,
                          capture_output=True)
    got = proc.stdout.split("\n")
    results = {}
    for i, g in enumerate(groups):
        r = results.setdefault(g, [0, 0, None])
        if i < len(got) and got[i] == want[i]:
            r[0] += 1
        else:
            r[1] += 1
            if r[2] is None:
                r[2] = "command %d: %s\n    want %s\n    got  %s" % (
                    i + 1, cmds[i][:120], want[i][:80],
                    (got[i] if i < len(got) else "<none>")[:80])
    passed = failed = 0
    if proc.returncode != 0:
        print("not ok - ike_keymat exited %d: %s" % (proc.returncode, proc.stderr.strip()))
        failed += 1
    for g, (ok, bad, first) in results.items():
        if bad:
            print("not ok - %s: %d of %d differ; first: %s" % (g, bad, ok + bad, first))
            failed += 1
        else:
            print("ok - %s (%d cases)" % (g, ok))
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
