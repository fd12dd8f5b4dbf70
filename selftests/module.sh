#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest booted with a stock Debian kernel (6.1, 6.12, 7.3):
#   tools/vm --kernel 6.1 -- selftests/module.sh
# Checks that pqrekey.ko loads, passes its self-test on every backend,
# registers the three kpp algorithms with one driver per backend
# (mlkem*-generic, priority 100, always; mlkem*-avx2, priority 200, exactly
# when the guest CPU has AVX2, BMI1/2 and POPCNT; mlkem*-avx512, priority 300,
# exactly when it also has AVX-512F/VL/BW/DQ, which qemu's TCG never has:
# tools/kunit-uml runs that backend natively), that force_generic=1 registers only the
# generic drivers, that the four FrodoKEM kpp algorithms are registered
# after their own self-test on each backend, with -generic (100), -avx2
# (200) exactly when the CPU also has AES-NI, -avx512 (300) exactly when it
# also has VAES, that the ESP AEAD drivers of the variants the CPU has are
# registered (self-tested, priority as measured, logged) and those it lacks
# are not, that esp_aead=off registers none,
# that every crypto alias resolves to the module (what request_module()
# does for crypto_alloc_kpp("mlkem768")) and one per family loads it,
# unloads cleanly,
# taints the kernel with O/E at most, and leaves no WARNING/BUG in dmesg.
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
FRODO_ALGS="frodo976aes frodo976shake frodo1344aes frodo1344shake"
loaded() { [ -d /sys/module/pqrekey ]; }
# rmmod pqrekey, retried for up to 5 s: on 6.12 the crypto manager may still
# be testing the newly registered ESP AEADs when modprobe returns, and holds
# a reference to the module until it is done (seen in the stock suite).
unload_pqrekey() {
	local _ out
	for _ in $(seq 25); do
		out=$(rmmod pqrekey 2>&1) && return 0
		loaded || return 0
		sleep 0.2
	done
	echo "$out"
	return 1
}
cpu_has() {	# all flags in /proc/cpuinfo
	local f
	for f; do grep -qw "$f" /proc/cpuinfo || return 1; done
}
if cpu_has avx2 bmi1 bmi2 popcnt; then have_avx2=1; else have_avx2=0; fi
if [ "$have_avx2" = 1 ] && cpu_has avx512f avx512vl avx512bw avx512dq; then
	have_avx512=1
else
	have_avx512=0
fi
have_frodo_avx2=0 have_frodo_avx512=0
if [ "$have_avx2" = 1 ] && cpu_has aes; then
	have_frodo_avx2=1
	if [ "$have_avx512" = 1 ] && cpu_has vaes; then
		have_frodo_avx512=1
	fi
fi
echo "# guest CPU AVX2+BMI2: $have_avx2, AVX-512: $have_avx512," \
	"FrodoKEM avx2 (AES-NI): $have_frodo_avx2, avx512 (VAES): $have_frodo_avx512"

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

check_alg() {	# $1 = name, $2 = backend, $3 = priority
	local alg=$1 drv=$1-$2 e
	e=$(crypto_entry "$drv")
	if [ -z "$e" ]; then
		echo "    $drv not in /proc/crypto"
		return 1
	fi
	local want
	for want in "name=$alg" "driver=$drv" "module=pqrekey" \
		"priority=$3" "type=kpp" "selftest=passed"; do
		if ! grep -qxF "$want" <<<"$e"; then
			echo "    $alg: expected '$want' in:"
			indent <<<"$e" | indent
			return 1
		fi
	done
}

dmesg_start=$(dmesg | wc -l)

if loaded; then
	unload_pqrekey >/dev/null
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

no_driver() {	# $1 = driver
	[ -z "$(crypto_entry "$1")" ]
}

for alg in $ALGS; do
	check "/proc/crypto $alg-generic" check_alg "$alg" generic 100
	if [ "$have_avx2" = 1 ]; then
		check "/proc/crypto $alg-avx2" check_alg "$alg" avx2 200
	else
		check "no $alg-avx2 without AVX2" no_driver "$alg-avx2"
	fi
	if [ "$have_avx512" = 1 ]; then
		check "/proc/crypto $alg-avx512" check_alg "$alg" avx512 300
	else
		check "no $alg-avx512 without AVX-512" no_driver "$alg-avx512"
	fi
done

# FrodoKEM: -avx2 also needs AES-NI, -avx512 also VAES
for alg in $FRODO_ALGS; do
	check "/proc/crypto $alg-generic" check_alg "$alg" generic 100
	if [ "$have_frodo_avx2" = 1 ]; then
		check "/proc/crypto $alg-avx2" check_alg "$alg" avx2 200
	else
		check "no $alg-avx2 without AVX2 and AES-NI" no_driver "$alg-avx2"
	fi
	if [ "$have_frodo_avx512" = 1 ]; then
		check "/proc/crypto $alg-avx512" check_alg "$alg" avx512 300
	else
		check "no $alg-avx512 without AVX-512 and VAES" \
			no_driver "$alg-avx512"
	fi
done

selftest_passed() {	# $1 = dmesg lines, $2 = backend
	! grep -q 'self-test failed' <<<"$1" &&
		grep -q "known-answer self-tests passed ($2)" <<<"$1"
}

new_dmesg=$(dmesg | tail -n +"$((dmesg_start + 1))")
backends=generic
[ "$have_avx2" = 1 ] && backends="$backends avx2"
[ "$have_avx512" = 1 ] && backends="$backends avx512"
for b in $backends; do
	if selftest_passed "$new_dmesg" "$b"; then
		ok "load-time self-test ($b)"
	else
		notok "load-time self-test ($b)"
		grep 'pqrekey' <<<"$new_dmesg" | indent
	fi
done
frodo_backends=generic
[ "$have_frodo_avx2" = 1 ] && frodo_backends="$frodo_backends, avx2"
[ "$have_frodo_avx512" = 1 ] && frodo_backends="$frodo_backends, avx512"
if grep -qF "FrodoKEM-976/1344 AES/SHAKE known-answer self-tests passed ($frodo_backends)" \
	<<<"$new_dmesg"; then
	ok "load-time self-test (FrodoKEM: $frodo_backends)"
else
	notok "load-time self-test (FrodoKEM: $frodo_backends)"
	grep 'pqrekey' <<<"$new_dmesg" | indent
fi

# ESP AEADs (kernel/aead.c): both forms of every variant the CPU has, with
# the kernel's self-test passed, in front of the kernel's drivers
# (1001/1002) or stepped aside (101/102) as measured at load, which the log
# says; none of a variant the CPU lacks.
check_aead() {	# $1 = name, $2 = driver
	local e
	e=$(crypto_entry "$2")
	if [ -z "$e" ]; then
		echo "    $2 not in /proc/crypto"
		return 1
	fi
	if ! grep -qxF "name=$1" <<<"$e" || ! grep -qxF "module=pqrekey" <<<"$e" ||
		! grep -qxF "type=aead" <<<"$e" ||
		! grep -qxF "selftest=passed" <<<"$e" ||
		! grep -qE '^priority=(1001|1002|101|102)$' <<<"$e"; then
		indent <<<"$e"
		return 1
	fi
}
aead_variants=()
cpu_has avx2 && aead_variants+=("chacha avx2")
cpu_has avx2 avx512f avx512vl && aead_variants+=("chacha avx512")
cpu_has avx2 aes pclmulqdq vaes vpclmulqdq && aead_variants+=("gcm vaes_avx2")
cpu_has avx2 aes pclmulqdq vaes vpclmulqdq avx512f avx512bw &&
	aead_variants+=("gcm vaes_avx512")
for v in "chacha avx2" "chacha avx512" "gcm vaes_avx2" "gcm vaes_avx512"; do
	read -r fam var <<<"$v"
	if [ "$fam" = chacha ]; then
		forms=("rfc7539(chacha20,poly1305) rfc7539-chacha20-poly1305"
		       "rfc7539esp(chacha20,poly1305) rfc7539esp-chacha20-poly1305")
	else
		forms=("gcm(aes) gcm-aes" "rfc4106(gcm(aes)) rfc4106-gcm-aes")
	fi
	for f in "${forms[@]}"; do
		read -r name stem <<<"$f"
		if [[ " ${aead_variants[*]} " == *" $v "* ]]; then
			check "/proc/crypto pqrekey-$stem-$var" check_aead \
				"$name" "pqrekey-$stem-$var"
		else
			check "no pqrekey-$stem-$var without its CPU features" \
				no_driver "pqrekey-$stem-$var"
		fi
	done
done
if [ "${#aead_variants[@]}" -gt 0 ]; then
	if grep -qE 'pqrekey: (rfc4106\(gcm\(aes\)\)|rfc7539esp\(chacha20,poly1305\)): .*(in front|stepping aside)' \
		<<<"$new_dmesg"; then
		ok "esp_aead=auto: measured, and the log says so"
		grep -E 'in front|stepping aside' <<<"$new_dmesg" | indent
	else
		notok "esp_aead=auto: measured, and the log says so"
		grep 'pqrekey' <<<"$new_dmesg" | indent
	fi
fi

unload() {
	unload_pqrekey 2>&1 | indent
	! loaded && ! grep -q '^driver *: \(mlkem\|frodo\|pqrekey-\|__pqrekey-\)' /proc/crypto
}
check "rmmod pqrekey" unload

# esp_aead=off: no AEAD driver; the KEMs as before.
aead_off() {
	modprobe pqrekey esp_aead=off 2>&1 | indent
	loaded && [ -n "$(crypto_entry mlkem768-generic)" ] &&
		! grep -q '^driver *: _*pqrekey-' /proc/crypto &&
		unload_pqrekey && ! loaded
}
check "esp_aead=off registers no AEAD" aead_off

# a bad esp_aead: refused at once, with a message
aead_bad() {
	local d0
	d0=$(dmesg | wc -l)
	! modprobe pqrekey esp_aead=fast 2>/dev/null && ! loaded &&
		dmesg | tail -n +"$((d0 + 1))" | grep -q 'esp_aead=fast: expected auto, on or off'
}
check "esp_aead=fast refused" aead_bad

# force_generic=1: the portable drivers only, self-tested; read-only.
force_generic() {
	local alg out
	out=$(modprobe pqrekey force_generic=1 2>&1) || {
		indent <<<"$out"
		return 1
	}
	[ "$(cat /sys/module/pqrekey/parameters/force_generic)" = Y ] || {
		echo "    force_generic reads back as not Y"
		return 1
	}
	for alg in $FRODO_ALGS; do
		check_alg "$alg" generic 100 || return 1
	done
	for alg in $ALGS; do
		check_alg "$alg" generic 100 || return 1
		if ! { no_driver "$alg-avx2" && no_driver "$alg-avx512"; }; then
			echo "    a vector $alg driver registered despite force_generic=1"
			return 1
		fi
	done
	# 0444: not writable at run time
	if echo N 2>/dev/null >/sys/module/pqrekey/parameters/force_generic
	then
		echo "    force_generic is writable"
		return 1
	fi
	unload
}
check "modprobe pqrekey force_generic=1: generic drivers only" force_generic

# Autoload: crypto_alloc_kpp() calls request_module("crypto-<name>"), which
# runs modprobe with that alias. Every name and driver name must resolve to
# pqrekey through the installed modules.alias (modprobe -R, what modprobe
# itself looks up, without loading); one name of each family is then
# really loaded that way (each load runs every self-test again).
for alg in $ALGS $FRODO_ALGS; do
	names="$alg $alg-generic"
	case $alg in
	mlkem*)
		[ "$have_avx2" = 1 ] && names="$names $alg-avx2"
		[ "$have_avx512" = 1 ] && names="$names $alg-avx512"
		;;
	frodo*)
		[ "$have_frodo_avx2" = 1 ] && names="$names $alg-avx2"
		[ "$have_frodo_avx512" = 1 ] && names="$names $alg-avx512"
		;;
	esac
	for name in $names; do
		resolves() {
			local m
			m=$(modprobe -R "crypto-$name" 2>&1)
			[ "$m" = pqrekey ] || { echo "    resolves to: $m"; return 1; }
		}
		check "alias crypto-$name resolves to pqrekey" resolves
	done
done
for name in mlkem768 frodo976aes; do
	autoload() {
		modprobe "crypto-$name" 2>&1 | indent
		loaded && [ -n "$(crypto_entry "$name-generic")" ] &&
			unload_pqrekey && ! loaded
	}
	check "autoload crypto-$name" autoload
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
