#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest booted with a stock Debian kernel (6.1, 6.12, 7.3):
#   make user && tools/vm --kernel 6.1 -- selftests/pqkem-vectors.sh
# The pqkem tool against pqrekey.ko's generic netlink family:
#   - the first request autoloads the module (family alias);
#   - algs, keygen/encaps/decaps/stats/del in one shell session (handles
#     live as long as the socket), kernel and in-process results agree;
#   - a handle is not visible from another socket; no CAP_NET_ADMIN: exit 4;
#   - the Wycheproof final-FIPS-203 vectors ($VECTORS/mlkem/wycheproof,
#     default ../shared/vectors next to the repository) through
#     build/user/pqkem-vectors --backend kernel (every invalid case, a
#     sample of valid ones per file: PQKEM_VALID, default 12) and the same
#     through --backend user; missing vectors: skipped;
#   - FrodoKEM-976/1344 (AES, SHAKE): the first 3 known answers of each
#     set ($VECTORS/frodokem) through the kernel: keygen with the KAT's
#     coins gives its pk, encaps its ct and ss, decaps with its sk its ss;
#   - a short bench run (batch path), and a clean dmesg.
# Prints "ok - ..." / "not ok - ..." and the summary line; exits non-zero
# if anything failed.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
bin=$top/build/user
pqkem=$bin/pqkem
VECTORS=${VECTORS:-$top/../shared/vectors}
wy=$VECTORS/mlkem/wycheproof
valid=${PQKEM_VALID:-12}

pass=0 fail=0 skip=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
skipped() { echo "skip - $*"; skip=$((skip + 1)); }
indent() { sed 's/^/    /'; }
jget() { python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())[sys.argv[1]])' "$1"; }

for b in "$pqkem" "$bin/pqkem-vectors"; do
	if [ ! -x "$b" ]; then
		notok "$b missing: run 'make user' on the host first"
		echo "$pass passed, $fail failed, $skip skipped"
		exit 1
	fi
done

dmesg_start=$(dmesg | wc -l)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- autoload ---
if [ -d /sys/module/pqrekey ]; then
	rmmod pqrekey 2>/dev/null
fi
if [ -d /sys/module/pqrekey ]; then
	skipped "autoload (pqrekey could not be unloaded)"
	"$pqkem" algs >/dev/null 2>&1
else
	out=$("$pqkem" --json algs 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -d /sys/module/pqrekey ]; then
		ok "autoload: first pqkem request loads pqrekey"
	else
		notok "autoload: pqkem algs status $rc, module loaded: $([ -d /sys/module/pqrekey ] && echo yes || echo no)"
		indent <<<"$out"
		modprobe pqrekey 2>&1 | indent
	fi
fi

# Deterministic keygen and encaps, explicit dk: test inputs, off by default.
echo 1 >/sys/module/pqrekey/parameters/allow_test_inputs

# --- algs ---
out=$("$pqkem" --json algs 2>&1)
if python3 -c '
import json, sys
d = json.loads(sys.argv[1])
want = {"mlkem512": (1, 800, 1632, 768, 32), "mlkem768": (2, 1184, 2400, 1088, 32),
        "mlkem1024": (3, 1568, 3168, 1568, 32),
        "frodo976aes": (16, 15632, 31296, 15792, 24), "frodo976shake": (17, 15632, 31296, 15792, 24),
        "frodo1344aes": (18, 21520, 43088, 21696, 32), "frodo1344shake": (19, 21520, 43088, 21696, 32)}
got = {a["name"]: (a["id"], a["ek_len"], a["dk_len"], a["ct_len"], a["ss_len"]) for a in d["algs"]}
drv = all(a["driver"] == a["name"] + "-generic" or a["driver"].startswith(a["name"]) for a in d["algs"])
sys.exit(got != want or not drv)' "$out" 2>/dev/null; then
	ok "algs: the three ML-KEM and four FrodoKEM sets, sizes and drivers"
else
	notok "algs"
	indent <<<"$out"
fi

# --- one session: keygen, encaps, decaps by handle, stats, del ---
seed=$(python3 -c "print('42' * 64)")
m=$(python3 -c "print('17' * 32)")
for alg in mlkem512 mlkem768 mlkem1024; do
	out=$("$pqkem" --alg "$alg" --json shell 2>&1 <<EOF
keygen --seed $seed
encaps --ek last --m $m
decaps --handle last --ct last
stats
del --handle last
EOF
)
	rc=$?
	uek=$("$pqkem" --backend user --alg "$alg" --json keygen --seed "$seed" | jget ek)
	if [ $rc -eq 0 ] && python3 -c '
import json, sys
r = [json.loads(l) for l in sys.argv[1].splitlines()]
kg, en, de, st, dl = r
ok = (kg["handle"] > 0 and "dk" not in kg and kg["ek"] == sys.argv[2]
      and en["ss"] == de["ss"] and de["alg"] == sys.argv[3]
      and st.get("keygen_ops", 0) >= 1 and st.get("socket_handles", 1) == 1
      and dl["deleted"] == kg["handle"])
sys.exit(not ok)' "$out" "$uek" "$alg" 2>/dev/null; then
		ok "$alg: keygen/encaps/decaps/stats/del in one session, ek equals the in-process core's"
	else
		notok "$alg: session (status $rc)"
		indent <<<"$out"
	fi
done

# Encapsulation by the kernel, decapsulation in-process, and vice versa.
out=$("$pqkem" --backend user --json keygen --seed "$seed")
ek=$(jget ek <<<"$out") dk=$(jget dk <<<"$out")
kout=$("$pqkem" --json encaps --ek "$ek" 2>&1)
ct=$(jget ct <<<"$kout" 2>/dev/null) ss=$(jget ss <<<"$kout" 2>/dev/null)
uss=$("$pqkem" --backend user --json decaps --dk "$dk" --ct "$ct" 2>&1 | jget ss 2>/dev/null)
kss=$("$pqkem" --json decaps --dk "$dk" --ct "$ct" 2>&1 | jget ss 2>/dev/null)
if [ -n "$ss" ] && [ "$ss" = "$uss" ] && [ "$ss" = "$kss" ]; then
	ok "kernel encaps (random m) decapsulates in-process and with an explicit dk in the kernel"
else
	notok "kernel/in-process interoperation"
	indent <<<"$kout"
fi

# Handles belong to the socket that created them.
h=$("$pqkem" --json keygen | jget handle 2>/dev/null)
out=$("$pqkem" decaps --handle "${h:-1}" --ct "$ct" 2>&1)
rc=$?
if [ $rc -eq 1 ] && [[ $out == *"andle"* ]]; then
	ok "a handle is gone with its socket (another process: status 1)"
else
	notok "foreign handle: status $rc"
	indent <<<"$out"
fi

# Kernel refusals come back as status 1 with a message.
bad_ek="ffff${ek:4}"
out=$("$pqkem" encaps --ek "$bad_ek" 2>&1)
rc=$?
if [ $rc -eq 1 ] && [ -n "$out" ]; then
	ok "kernel refuses an ek failing the modulus check (status 1: ${out#pqkem: })"
else
	notok "modulus check through the kernel: status $rc"
	indent <<<"$out"
fi

# --- no CAP_NET_ADMIN ---
if command -v setpriv >/dev/null; then
	out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$pqkem" encaps --ek "$ek" 2>&1)
	rc=$?
	if [ $rc -eq 4 ] && [[ $out == *"needs CAP_NET_ADMIN"* ]]; then
		ok "unprivileged: status 4, 'needs CAP_NET_ADMIN'"
	else
		notok "unprivileged: status $rc"
		indent <<<"$out"
	fi
else
	skipped "unprivileged check (no setpriv)"
fi

# --- Wycheproof through both backends ---
vec() {	# vec BACKEND ARGS...
	local be=$1 out rc last
	shift
	out=$("$bin/pqkem-vectors" --backend "$be" "$@" "$wy" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed '$d'
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		skip=$((skip + BASH_REMATCH[3]))
		if [ $rc -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			notok "pqkem-vectors --backend $be: status $rc"
		fi
	else
		notok "pqkem-vectors --backend $be: no summary line (status $rc)"
	fi
}
if [ -d "$wy" ]; then
	vec kernel --valid "$valid"
	vec user --valid "$valid"
else
	skipped "Wycheproof vectors through the kernel (no $wy; set VECTORS=)"
	skipped "Wycheproof vectors through the user backend (no $wy)"
fi

# --- FrodoKEM known answers through the kernel (genl, pqkem) ---
fr=$VECTORS/frodokem
if [ -d "$fr" ]; then
	for set in 976-AES 976-SHAKE 1344-AES 1344-SHAKE; do
		alg=frodo${set//-/}
		alg=${alg,,}
		if out=$(python3 "$top/user/tests/frodo-kat-pqkem.py" \
			"$fr/FrodoKEM-$set.json" "$pqkem" "$alg" 3 2>&1); then
			ok "FrodoKEM-$set through the kernel ($alg): $out"
		else
			notok "FrodoKEM-$set through the kernel ($alg)"
			indent <<<"$out"
		fi
	done
else
	skipped "FrodoKEM known answers through the kernel (no $fr)"
fi

# --- bench: single and batched requests work (numbers are not checked) ---
out=$("$pqkem" --json bench --time 0.2 --batch 16 2>&1)
rc=$?
if [ $rc -eq 0 ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1])
paths = {(r["op"], r["path"]) for r in d["results"] if r["ops_per_sec"] > 0}
sys.exit(not {("encaps", "kernel"), ("decaps", "kernel"), ("encaps", "kernel-batch16"),
              ("decaps", "kernel-batch16")} <= paths)' "$out" 2>/dev/null; then
	ok "bench: single and batched requests"
	python3 -c '
import json, sys
for r in json.loads(sys.argv[1])["results"]:
    print("    # %-10s %-15s %10.1f ops/s" % (r["op"], r["path"], r["ops_per_sec"]))' "$out"
else
	notok "bench (status $rc)"
	indent <<<"$out"
fi

bad=$(dmesg | tail -n +"$((dmesg_start + 1))" |
	grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|UBSAN|KASAN')
if [ -z "$bad" ]; then
	ok "no WARNING/BUG in dmesg"
else
	notok "no WARNING/BUG in dmesg"
	indent <<<"$bad"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
