#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Native test of the pqkem command line with --backend user (the in-process
# core): parsing, error messages, exit statuses, hex/@file input, JSON
# output, shell sessions, known answers from the Wycheproof vectors, and
# FrodoKEM (round trips, rejection, key check, the first known answers;
# the vector parts skipped without the vectors). Run by user/tests/run-tests.sh (make user-test):
#   pqkem-cli.sh PQKEM VECTORS_DIR
# Prints "ok - ..." / "not ok - ..." per case and the summary line.
set -u

pqkem=$1 vectors=${2:-}
wy=$vectors/mlkem/wycheproof
pass=0 fail=0 skip=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
skipped() { echo "skip - $*"; skip=$((skip + 1)); }

# run ARGS...: runs pqkem, sets $out, $err, $rc
run() {
	"$pqkem" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect NAME STATUS STDERR_SUBSTRING -- ARGS...
expect() {
	local name=$1 want=$2 msg=$3
	shift 4
	run "$@"
	if [ "$rc" -ne "$want" ]; then
		notok "$name: exit status $rc, expected $want (stderr: $err)"
	elif [ -n "$msg" ] && [[ $err != *"$msg"* ]]; then
		notok "$name: stderr lacks '$msg': $err"
	elif [ "$want" -ne 0 ] && [ -n "$out" ]; then
		notok "$name: failed but wrote to stdout: $out"
	else
		ok "$name"
	fi
}

# jget KEY: field KEY of the JSON object in $out
jget() {
	python3 -c 'import json,sys; print(json.loads(sys.stdin.read())[sys.argv[1]])' "$1" <<<"$out"
}

hex() { python3 -c "print('$1' * $2)"; }

U=(--backend user)
SEED0=$(hex 00 64)

# --- help and usage ---
expect "--help" 0 "" -- --help
[[ $out == usage:* ]] || notok "--help prints usage"
for c in algs keygen encaps decaps del stats bench shell; do
	expect "$c --help" 0 "" -- "$c" --help
	[[ $out == *"usage:"*"$c"* ]] || notok "$c --help names the command"
done
expect "no command" 2 "usage:" --
expect "unknown command" 2 "unknown command 'frobnicate'" -- frobnicate
expect "unknown option" 2 "unknown option '--frob'" -- "${U[@]}" keygen --frob
expect "missing option argument" 2 "needs an argument" -- "${U[@]}" keygen --seed
expect "unknown algorithm" 2 "unknown algorithm 'mlkem666'" -- "${U[@]}" --alg mlkem666 keygen
expect "unknown backend" 2 "unknown backend 'gpu'" -- --backend gpu algs
expect "option not for command" 2 "option --ct does not apply to keygen" -- "${U[@]}" keygen --ct 00
expect "stray argument" 2 "unexpected argument 'extra'" -- "${U[@]}" algs extra

# --- input decoding ---
expect "bad hex character" 2 "bad character 'x'" -- "${U[@]}" keygen --seed 0x00
expect "odd hex length" 2 "odd number of digits" -- "${U[@]}" keygen --seed 000
expect "seed too short" 2 "--seed must be 64 bytes for mlkem768, got 63" -- "${U[@]}" keygen --seed "$(hex 00 63)"
expect "missing file" 2 "cannot open '$tmp/nope'" -- "${U[@]}" keygen --seed "@$tmp/nope"
: >"$tmp/empty"
expect "empty file" 2 "is empty" -- "${U[@]}" keygen --seed "@$tmp/empty"
expect "encaps without --ek" 2 "--ek is required" -- "${U[@]}" encaps
expect "decaps without key" 2 "exactly one of --handle and --dk" -- "${U[@]}" decaps --ct 00
expect "bad handle" 2 "not a handle" -- decaps --handle 0 --ct 00
expect "bad --batch" 2 "--batch" -- "${U[@]}" bench --batch 0
expect "bad --time" 2 "--time" -- "${U[@]}" bench --time -1

# --- deterministic keygen, text and JSON, hex and files ---
run "${U[@]}" --json keygen --seed "$SEED0"
if [ "$rc" -eq 0 ] && ek=$(jget ek) && dk=$(jget dk) && [ "$(jget alg)" = mlkem768 ] &&
   [ ${#ek} -eq 2368 ] && [ ${#dk} -eq 4800 ]; then
	ok "keygen --json (mlkem768 sizes)"
else
	notok "keygen --json: rc=$rc out=${out:0:80} err=$err"
fi
run "${U[@]}" keygen --seed "$SEED0"
if [ "$rc" -eq 0 ] && grep -qx "ek: $ek" <<<"$out" && grep -qx "dk: $dk" <<<"$out" &&
   ! grep -q '^handle:' <<<"$out"; then
	ok "keygen text output equals JSON, no handle in user mode"
else
	notok "keygen text output: rc=$rc ${out:0:120}"
fi
printf '%s\n' "${SEED0:0:64}" "  ${SEED0:64}" >"$tmp/seed.hex"
python3 -c "import sys; sys.stdout.buffer.write(bytes(64))" >"$tmp/seed.bin"
for f in seed.hex seed.bin; do
	run "${U[@]}" --json keygen --seed "@$tmp/$f"
	if [ "$rc" -eq 0 ] && [ "$(jget ek)" = "$ek" ]; then
		ok "keygen --seed @$f"
	else
		notok "keygen --seed @$f: rc=$rc err=$err"
	fi
done
run "${U[@]}" --json keygen --seed @- <"$tmp/seed.hex"
if [ "$rc" -eq 0 ] && [ "$(jget ek)" = "$ek" ]; then ok "keygen --seed @-"; else notok "keygen --seed @-: $err"; fi
run "${U[@]}" --json keygen
if [ "$rc" -eq 0 ] && [ "$(jget ek)" != "$ek" ]; then ok "keygen without seed is random"; else notok "random keygen: $err"; fi

for a in mlkem512:800:1632 mlkem1024:1568:3168; do
	IFS=: read -r alg el dl <<<"$a"
	run "${U[@]}" --alg "$alg" --json keygen
	if [ "$rc" -eq 0 ] && [ "$(jget ek | tr -d '\n' | wc -c)" -eq $((2 * el)) ] &&
	   [ "$(jget dk | tr -d '\n' | wc -c)" -eq $((2 * dl)) ]; then
		ok "keygen --alg $alg sizes"
	else
		notok "keygen --alg $alg: rc=$rc $err"
	fi
done

# --- encaps / decaps round trip through files ---
echo "$ek" >"$tmp/ek"
echo "$dk" >"$tmp/dk"
run "${U[@]}" --json encaps --ek "@$tmp/ek"
ct=$(jget ct 2>/dev/null) ss=$(jget ss 2>/dev/null)
if [ "$rc" -eq 0 ] && [ ${#ct} -eq 2176 ] && [ ${#ss} -eq 64 ]; then ok "encaps"; else notok "encaps: rc=$rc $err"; fi
run "${U[@]}" --json decaps --dk "@$tmp/dk" --ct "$ct"
if [ "$rc" -eq 0 ] && [ "$(jget ss)" = "$ss" ]; then ok "decaps recovers ss"; else notok "decaps: rc=$rc $err"; fi
# flip one ciphertext byte: implicit rejection, a different secret, status 0
bad_ct=$(python3 -c "import sys; c=bytearray.fromhex(sys.argv[1]); c[5]^=1; print(c.hex())" "$ct")
run "${U[@]}" --json decaps --dk "@$tmp/dk" --ct "$bad_ct"
if [ "$rc" -eq 0 ] && [ "$(jget ss)" != "$ss" ]; then ok "decaps of a modified ct: implicit rejection"; else notok "decaps modified ct: rc=$rc"; fi
run "${U[@]}" encaps --ek "@$tmp/ek" --m "$(hex 11 32)"
run2=$out
run "${U[@]}" encaps --ek "@$tmp/ek" --m "$(hex 11 32)"
if [ "$rc" -eq 0 ] && [ "$out" = "$run2" ] && grep -q '^ct: ' <<<"$out"; then ok "encaps --m is deterministic"; else notok "encaps --m: $err"; fi

# --- refused inputs ---
# ek whose first coefficient is 0xfff > q: FIPS 203 7.2 modulus check
bad_ek="ffff${ek:4}"
expect "encaps: ek failing the modulus check" 1 "modulus check" -- "${U[@]}" encaps --ek "$bad_ek"
# dk with a corrupted H(ek): FIPS 203 7.3 hash check (dk = dk_PKE || ek || H(ek) || z)
o=$((2 * (3 * 384 + 3 * 384 + 32)))
bad_dk="${dk:0:o}$(python3 -c "print('%02x' % (int('${dk:o:2}', 16) ^ 1))")${dk:o+2}"
expect "decaps: dk failing the hash check" 1 "hash check" -- "${U[@]}" decaps --dk "$bad_dk" --ct "$ct"
expect "decaps: ct of the wrong length" 2 "--ct must be 1088 bytes" -- "${U[@]}" decaps --dk "@$tmp/dk" --ct 00
expect "encaps: ek of the wrong algorithm" 2 "--ek must be 800 bytes for mlkem512" -- "${U[@]}" --alg mlkem512 encaps --ek "@$tmp/ek"
# Handles and counters are the kernel's: asking the user backend for them
# is a usage error (2), not a refused operation.
expect "decaps --handle in user mode" 2 "needs the kernel backend" -- "${U[@]}" decaps --handle 1 --ct "$ct"
expect "del in user mode" 2 "needs the kernel backend" -- "${U[@]}" del --handle 1
expect "stats in user mode" 2 "needs the kernel backend" -- "${U[@]}" stats

# --- option errors ---
expect "unknown short option" 2 "unknown option '-a'" -- -a algs
expect "option without its argument" 2 "option '--seed' needs an argument" -- "${U[@]}" keygen --seed
expect "--impl with the kernel backend" 2 "--impl applies to --backend user only" -- --impl generic algs
expect "unknown --impl" 2 "unknown implementation 'sse9'" -- "${U[@]}" --impl sse9 algs

# --- JSON errors: one object on stdout, nothing on stderr ---
run --json "${U[@]}" decaps --handle 1 --ct "$ct"
if [ "$rc" -eq 2 ] && [ -z "$err" ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1])
sys.exit(not (d["status"] == 2 and d["command"] == "decaps" and "kernel backend" in d["error"]))' "$out"
then ok "--json: an error is a JSON object on stdout"; else notok "--json error: rc=$rc out=$out err=$err"; fi

# --- raw@FILE and hex@FILE: raw bytes that look like hex text ---
m_ascii=0123456789abcdef0123456789abcdef	# 32 bytes, all hex digits
printf '%s' "$m_ascii" >"$tmp/m.raw"
m_hex=$(python3 -c 'import sys; print(sys.argv[1].encode().hex())' "$m_ascii")
expect "@FILE of hex-looking bytes reads as hex" 2 "--m must be 32 bytes" -- "${U[@]}" encaps --ek "@$tmp/ek" --m "@$tmp/m.raw"
run "${U[@]}" encaps --ek "@$tmp/ek" --m "raw@$tmp/m.raw"
raw_out=$out raw_rc=$rc
run "${U[@]}" encaps --ek "@$tmp/ek" --m "$m_hex"
if [ "$raw_rc" -eq 0 ] && [ "$rc" -eq 0 ] && [ "$raw_out" = "$out" ]; then
	ok "raw@FILE forces raw bytes"
else
	notok "raw@FILE: rc=$raw_rc, differs from the hex form"
fi
printf 'not hex\n' >"$tmp/nothex"
expect "hex@FILE of non-hex bytes" 2 "is not hex text" -- "${U[@]}" encaps --ek "hex@$tmp/nothex"

# --- --impl: every implementation the CPU runs gives the same key pair ---
ref=
for impl in generic avx2 avx512; do
	run "${U[@]}" --impl "$impl" algs
	if [ "$rc" -eq 1 ] && [ "$impl" != generic ] && [[ $err == *"cannot run on this CPU"* ]]; then
		ok "--impl $impl: refused on this CPU"
		continue
	fi
	if [ "$rc" -ne 0 ] || ! grep -qx "impl: $impl" <<<"$out"; then
		notok "--impl $impl: algs rc=$rc, impl line missing: $out $err"
		continue
	fi
	run "${U[@]}" --impl "$impl" keygen --seed "$SEED0"
	[ -n "$ref" ] || ref=$out
	if [ "$rc" -eq 0 ] && [ "$out" = "$ref" ]; then
		ok "--impl $impl: algs names it, keygen equals generic's"
	else
		notok "--impl $impl: keygen differs or failed: $err"
	fi
done

# --- algs ---
run "${U[@]}" --json algs
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1])
want = {"mlkem512": (800, 1632, 768), "mlkem768": (1184, 2400, 1088), "mlkem1024": (1568, 3168, 1568),
        "frodo976aes": (15632, 31296, 15792), "frodo976shake": (15632, 31296, 15792),
        "frodo1344aes": (21520, 43088, 21696), "frodo1344shake": (21520, 43088, 21696)}
got = {a["name"]: (a["ek_len"], a["dk_len"], a["ct_len"]) for a in d["algs"]}
sys.exit(got != want)' "$out"; then ok "algs --json"; else notok "algs --json: $out $err"; fi

# --- shell sessions ---
run "${U[@]}" --json shell <<EOF
# comment line

keygen --seed $SEED0
encaps --ek last --m $(hex 22 32)
EOF
if [ "$rc" -eq 0 ] && [ "$(wc -l <<<"$out")" -eq 2 ] &&
   python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' <<<"$out"; then
	ok "shell: keygen, encaps --ek last"
else
	notok "shell: rc=$rc $err"
fi
run "${U[@]}" shell <<EOF
algs
keygen --seed 00
algs
EOF
if [ "$rc" -eq 2 ] && [[ $err == *"stopped at line 2"* ]] && [ "$(grep -c '^backend:' <<<"$out")" -eq 1 ]; then
	ok "shell stops at the first failing command"
else
	notok "shell error: rc=$rc $err"
fi
expect "shell: --ct last without encaps" 2 "no earlier value" -- "${U[@]}" shell <<<"decaps --dk @$tmp/dk --ct last"

# --- kernel backend on a host without the module ---
if [ -d /sys/module/pqrekey ]; then
	skipped "missing-module message (pqrekey is loaded here)"
else
	expect "kernel backend without the module" 3 "pqrekey kernel module not available" -- algs
fi

# --- bench (in-process only), as a smoke test of its output ---
run "${U[@]}" --json bench --time 0.05
if [ "$rc" -eq 0 ] && python3 -c '
import json, sys
d = json.loads(sys.argv[1])
ops = {r["op"] for r in d["results"] if r["path"] == "user" and r["ops_per_sec"] > 0}
sys.exit(ops != {"keygen", "encaps", "decaps"})' "$out"; then ok "bench --backend user --json"; else notok "bench: rc=$rc $out $err"; fi

# --- known answers (Wycheproof) ---
if [ -f "$wy/mlkem_768_keygen_seed_test.json" ] && [ -f "$wy/mlkem_512_encaps_test.json" ]; then
	vals=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["testGroups"][0]["tests"][0]
print(t["seed"], t["ek"], t["dk"])' "$wy/mlkem_768_keygen_seed_test.json") || vals=
	read -r kseed kek kdk <<<"$vals"
	run "${U[@]}" --json keygen --seed "$kseed"
	if [ "$rc" -eq 0 ] && [ "$(jget ek)" = "$kek" ] && [ "$(jget dk)" = "$kdk" ]; then
		ok "keygen --seed: Wycheproof mlkem_768_keygen_seed tcId 1"
	else
		notok "keygen known answer: rc=$rc $err"
	fi
	vals=$(python3 -c '
import json, sys
for g in json.load(open(sys.argv[1]))["testGroups"]:
    for t in g["tests"]:
        if t["result"] == "valid":
            print(t["ek"], t["m"], t["c"], t["K"]); sys.exit()' "$wy/mlkem_512_encaps_test.json") || vals=
	read -r eek em ect ek_ <<<"$vals"
	run "${U[@]}" --alg mlkem512 --json encaps --ek "$eek" --m "$em"
	if [ "$rc" -eq 0 ] && [ "$(jget ct)" = "$ect" ] && [ "$(jget ss)" = "$ek_" ]; then
		ok "encaps --m: Wycheproof mlkem_512_encaps first valid case"
	else
		notok "encaps known answer: rc=$rc $err"
	fi
else
	skipped "known answers (no Wycheproof vectors in '$wy')"
fi

# --- FrodoKEM in the user backend ---
# a round trip per set, a corrupted ciphertext (implicit rejection: another
# secret, exit 0), a dk whose pkh does not match its pk (refused, exit 1),
# wrong lengths, and the first 3 known answers of each set
for alg in frodo976aes frodo976shake frodo1344aes frodo1344shake; do
	run "${U[@]}" --alg "$alg" --json keygen
	fek=$(jget ek 2>/dev/null) fdk=$(jget dk 2>/dev/null)
	run "${U[@]}" --alg "$alg" --json encaps --ek "$fek"
	fct=$(jget ct 2>/dev/null) fss=$(jget ss 2>/dev/null)
	run "${U[@]}" --alg "$alg" --json decaps --dk "$fdk" --ct "$fct"
	if [ "$rc" -eq 0 ] && [ -n "$fss" ] && [ "$(jget ss)" = "$fss" ]; then
		ok "$alg: keygen, encaps, decaps round trip"
	else
		notok "$alg round trip: rc=$rc $err"
	fi
	bad=$(python3 -c 'import sys; s = bytearray.fromhex(sys.argv[1]); s[len(s) // 2] ^= 1; print(s.hex())' "$fct")
	run "${U[@]}" --alg "$alg" --json decaps --dk "$fdk" --ct "$bad"
	if [ "$rc" -eq 0 ] && [ "$(jget ss)" != "$fss" ]; then
		ok "$alg: a corrupted ciphertext gives another secret"
	else
		notok "$alg implicit rejection: rc=$rc $err"
	fi
	bad=$(python3 -c 'import sys; s = bytearray.fromhex(sys.argv[1]); s[-1] ^= 1; print(s.hex())' "$fdk")
	expect "$alg: a dk whose pkh is not its pk's" 1 "FrodoKEM key check" -- \
		"${U[@]}" --alg "$alg" decaps --dk "$bad" --ct "$fct"
done
expect "FrodoKEM seed of the wrong length" 2 "--seed must be 88 bytes for frodo976aes" -- \
	"${U[@]}" --alg frodo976aes keygen --seed "$SEED0"
fr=$vectors/frodokem
if [ -d "$fr" ]; then
	for set in 976-AES 976-SHAKE 1344-AES 1344-SHAKE; do
		alg=frodo${set//-/}
		alg=${alg,,}
		if out=$(python3 "$(dirname "$0")/frodo-kat-pqkem.py" \
			"$fr/FrodoKEM-$set.json" "$pqkem" "$alg" 3 "${U[@]}" 2>&1); then
			ok "FrodoKEM-$set known answers in the user backend: $out"
		else
			notok "FrodoKEM-$set known answers in the user backend"
			printf '    %s\n' "$out"
		fi
	done
else
	skipped "FrodoKEM known answers (no vectors in '$fr')"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
