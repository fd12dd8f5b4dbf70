#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest booted with a stock Debian kernel (6.1, 6.12):
#   tools/vm --kernel 6.1 -- selftests/module.sh
# Checks that pqrekey.ko loads, passes its self-test, registers the three
# kpp algorithms, is found through every crypto alias (what request_module()
# does for crypto_alloc_kpp("mlkem768")), unloads cleanly, taints the
# kernel with O/E at most, and leaves no WARNING/BUG in dmesg.
# Prints "ok - ..." / "not ok - ..." per check and the summary line; exits
# non-zero if anything failed.
set -u

pass=0 fail=0 skip=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
indent() { sed 's/^/    /'; }

ALGS="mlkem512 mlkem768 mlkem1024"
loaded() { [ -d /sys/module/pqrekey ]; }

# /proc/crypto entry of driver $1 as "key=value" lines.
crypto_entry() {
	awk -v drv="$1" '
		/^$/ { if (found) exit; n = 0; next }
		{
			k = $0; sub(/[ \t]*:.*/, "", k)
			v = $0; sub(/^[^:]*:[ \t]*/, "", v)
			lines[++n] = k "=" v
			if (k == "driver" && v == drv) found = 1
		}
		END { if (found) for (i = 1; i <= n; i++) print lines[i] }
	' /proc/crypto
}

check_alg() {
	local alg=$1 e
	e=$(crypto_entry "$alg-generic")
	if [ -z "$e" ]; then
		echo "    $alg-generic not in /proc/crypto"
		return 1
	fi
	local want
	for want in "name=$alg" "driver=$alg-generic" "module=pqrekey" \
		"type=kpp" "selftest=passed"; do
		if ! grep -qxF "$want" <<<"$e"; then
			echo "    $alg: expected '$want' in:"
			indent <<<"$e" | indent
			return 1
		fi
	done
}

dmesg_start=$(dmesg | wc -l)

if loaded; then
	rmmod pqrekey 2>/dev/null
fi

out=$(modprobe pqrekey 2>&1)
rc=$?
if [ $rc -eq 0 ] && loaded; then
	ok "modprobe pqrekey"
else
	notok "modprobe pqrekey (status $rc)"
	indent <<<"$out"
	dmesg | tail -n +"$((dmesg_start + 1))" | grep -i pqrekey | indent
fi

for alg in $ALGS; do
	check "/proc/crypto $alg" check_alg "$alg"
done

new_dmesg=$(dmesg | tail -n +"$((dmesg_start + 1))")
if grep -q 'self-test failed' <<<"$new_dmesg" ||
   ! grep -q 'known-answer self-tests passed' <<<"$new_dmesg"; then
	notok "load-time self-test"
	grep 'pqrekey' <<<"$new_dmesg" | indent
else
	ok "load-time self-test"
fi

unload() {
	rmmod pqrekey 2>&1 | indent
	! loaded && ! grep -q '^driver *: mlkem' /proc/crypto
}
check "rmmod pqrekey" unload

# Autoload: crypto_alloc_kpp() calls request_module("crypto-<name>").
for alg in $ALGS; do
	for name in "$alg" "$alg-generic"; do
		autoload() {
			modprobe "crypto-$name" 2>&1 | indent
			loaded && [ -n "$(crypto_entry "$alg-generic")" ] &&
				rmmod pqrekey && ! loaded
		}
		check "autoload crypto-$name" autoload
	done
done

taint=$(cat /proc/sys/kernel/tainted)
# Allowed: bit 12 (O, out-of-tree module), bit 13 (E, unsigned module).
if [ $((taint & ~((1 << 12) | (1 << 13)))) -eq 0 ]; then
	ok "tainted only O/E (tainted=$taint)"
else
	notok "tainted only O/E (tainted=$taint)"
fi

bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|general protection|UBSAN|KASAN')
if [ -z "$bad" ]; then
	ok "no WARNING/BUG in dmesg"
else
	notok "no WARNING/BUG in dmesg"
	indent <<<"$bad"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
