#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# The first N FrodoKEM known answers of one set through the pqkem command:
#   frodo-kat-pqkem.py KAT_JSON PQKEM ALG N [PQKEM_OPTION ...]
# KAT_JSON is ../shared/vectors/frodokem/FrodoKEM-<set>.json; the options
# (e.g. --backend user) go before the command. For each KAT: keygen with
# its keygen randomness gives its pk, encaps of its pk with its encaps
# randomness gives its ct and ss, decaps of its ct with its sk gives its
# ss. Prints "K of N known answers" (and each differing KAT); exits 1 if
# any differs or a command fails. Used by user/tests/pqkem-cli.sh (user
# backend) and selftests/pqkem-vectors.sh (kernel).
import json
import subprocess
import sys

path, pqkem, alg, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
opts = sys.argv[5:]
with open(path) as f:
    kats = json.load(f)["kat"][:n]


def run(*args):
    out = subprocess.run([pqkem, *opts, "--alg", alg, *args], check=True,
                         capture_output=True, text=True).stdout
    return dict(line.split(": ", 1) for line in out.splitlines()
                if ": " in line)


bad = 0
for k in kats:
    g = run("keygen", "--seed", k["keygen_randomness"])
    e = run("encaps", "--ek", k["pk"], "--m", k["encaps_randomness"])
    d = run("decaps", "--dk", k["sk"], "--ct", k["ct"])
    if (g["ek"] != k["pk"] or e["ct"] != k["ct"] or e["ss"] != k["ss"]
            or d["ss"] != k["ss"]):
        bad += 1
        print("KAT %d differs" % k["count"])
print("%d of %d known answers" % (len(kats) - bad, len(kats)))
sys.exit(bad != 0)
