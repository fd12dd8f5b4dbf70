#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest (stock 6.1 / 6.12 / 7.3 or the test kernel):
#   tools/vm --kernel 6.1 -- selftests/netlink.sh
#   tools/vm --kernel test --kmemleak -- selftests/netlink.sh
# Checks the "pqrekey" generic netlink family (Documentation/netlink.rst):
# autoload, results against the userspace core (pqkem), every command's
# errors and extack messages for malformed requests, EPERM without
# CAP_NET_ADMIN (and the user-namespace rule), netns isolation of handles,
# handle lifecycle (socket close, expiry, limits), rmmod with live handles,
# a concurrent stress run, and a clean dmesg.
# Uses build/user/pqkem (PQKEM=) where the tool can express the check and
# selftests/netlink-raw.py (python3, raw netlink) where exact messages or
# sockets held open are needed.
# Environment: STRESS_PROCS (default 4), STRESS_OPS per process (default 2000).
# Prints "ok - ..." / "not ok - ..." per check and the summary line; exits
# non-zero if anything failed.
# The checks are command strings run by eval: their $ expand there, and the
# variables they read are set for them.
# shellcheck disable=SC2016,SC2034
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
RAW=$here/netlink-raw.py
PQKEM=${PQKEM:-$top/build/user/pqkem}
STRESS_PROCS=${STRESS_PROCS:-4}
STRESS_OPS=${STRESS_OPS:-2000}
PARAMS=/sys/module/pqrekey/parameters
tmp=$(mktemp -d)

pass=0 fail=0 skip=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
skipped() { echo "skipped - $*"; skip=$((skip + 1)); }
check() {
	local what=$1; shift
	if "$@"; then ok "$what"; else notok "$what"; fi
}
indent() { sed 's/^/    /'; }
# Tell a netlink-raw.py holder to go on: write FILE.go atomically (the
# holder reads it as soon as it exists).
release_holder() { echo "$2" >"$1.go.tmp" && mv "$1.go.tmp" "$1.go"; }
loaded() { [ -d /sys/module/pqrekey ]; }

# Run a netlink-raw.py group (optionally behind a prefix command such as
# "ip netns exec X"), pass its lines through and add them to the counts.
raw() {
	local out rc n
	out=$("$@" 2>&1)
	rc=$?
	[ -n "$out" ] && echo "$out"
	n=$(grep -c '^ok - ' <<<"$out")
	pass=$((pass + n))
	n=$(grep -c '^not ok - ' <<<"$out")
	fail=$((fail + n))
	if [ $rc -ne 0 ] && [ "$n" -eq 0 ]; then
		notok "$* exited with status $rc"
	fi
}

cleanup() {
	local ns
	for ns in pqA pqB pqL pqS; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! command -v python3 >/dev/null; then
	skipped "all netlink checks (no python3)"
	echo "$pass passed, $fail failed, $skip skipped"
	exit 0
fi
have_pqkem=1
if [ ! -x "$PQKEM" ]; then
	have_pqkem=0
	notok "pqkem at $PQKEM (run 'make user'): its checks cannot run"
fi

dmesg_start=$(dmesg | wc -l)

# --- autoload -------------------------------------------------------------
loaded && rmmod pqrekey 2>/dev/null
if loaded; then
	notok "pqrekey unloaded before the autoload check"
elif [ $have_pqkem = 1 ]; then
	out=$("$PQKEM" algs 2>&1)
	rc=$?
	check "autoload: 'pqkem algs' with the module unloaded loads it" \
		eval '[ $rc -eq 0 ] && loaded && grep -q mlkem768 <<<"$out"'
	[ $rc -eq 0 ] || indent <<<"$out"
else
	out=$(python3 "$RAW" stats handles 2>&1)
	check "autoload: first request loads the module" \
		eval 'loaded && [ "$out" = 0 ]'
fi
loaded || modprobe pqrekey
# SEED, MSG, DK: refused by default; the rest of this script needs them.
check "allow_test_inputs is off by default" \
	eval '[ "$(cat $PARAMS/allow_test_inputs)" = N ]'
raw python3 "$RAW" testinputs
echo 1 >$PARAMS/allow_test_inputs
raw python3 "$RAW" ids "$tmp/ids"

# --- results against the userspace core (pqkem) ------------------------------
if [ $have_pqkem = 1 ]; then
	seed=$(printf '%02x' $(seq 0 63))
	m=$(printf '%02x' $(seq 100 131))
	for alg in mlkem512 mlkem768 mlkem1024; do
		k=$("$PQKEM" --alg $alg keygen --seed "$seed" | sed -n 's/^ek: //p')
		u=$("$PQKEM" --backend user --alg $alg keygen --seed "$seed" |
			sed -n 's/^ek: //p')
		check "pqkem $alg: kernel keygen --seed = userspace core" \
			eval '[ -n "$k" ] && [ "$k" = "$u" ]'
		k=$("$PQKEM" --alg $alg encaps --ek "$u" --m "$m" | grep -v backend)
		u=$("$PQKEM" --backend user --alg $alg encaps --ek "$u" --m "$m" |
			grep -v backend)
		check "pqkem $alg: kernel encaps --m = userspace core" \
			eval '[ -n "$k" ] && [ "$k" = "$u" ]'
	done
	out=$(printf 'keygen\nencaps --ek last\ndecaps --handle last --ct last\n' |
		"$PQKEM" shell 2>&1)
	rc=$?
	check "pqkem shell: keygen, encaps, decaps on one socket" [ $rc -eq 0 ]
	[ $rc -eq 0 ] || indent <<<"$out"
else
	skipped "pqkem cross-checks (no $PQKEM)"
fi

# --- functional and malformed requests --------------------------------------
raw python3 "$RAW" functional
raw python3 "$RAW" malformed
raw python3 "$RAW" dropped
raw python3 "$RAW" reuse
raw python3 "$RAW" killable
raw python3 "$RAW" bigreply

# --- privilege ---------------------------------------------------------------
NOPRIV=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
raw "${NOPRIV[@]}" python3 "$RAW" eperm
if [ $have_pqkem = 1 ]; then
	for c in algs keygen "encaps --ek $(printf '00%.0s' $(seq 1184))" \
		"decaps --handle 1 --ct $(printf '00%.0s' $(seq 1088))" \
		"del --handle 1" stats; do
		# shellcheck disable=SC2086 # $c is a command line, split on purpose
		"${NOPRIV[@]}" "$PQKEM" $c >/dev/null 2>"$tmp/err"
		rc=$?
		check "pqkem ${c%% *} without CAP_NET_ADMIN: exit 4 (status $rc)" \
			eval '[ $rc -eq 4 ] && grep -q CAP_NET_ADMIN "$tmp/err"'
	done
fi
if unshare -U -r true 2>/dev/null; then
	# root of a new user namespace, but the netns is the initial one's
	raw unshare -U -r python3 "$RAW" eperm
	# root of a user namespace that owns its netns: refused unless
	# allow_user_netns=1, then allowed there
	raw unshare -U -r -n python3 "$RAW" eperm allow_user_netns
	echo 1 >$PARAMS/allow_user_netns
	raw unshare -U -r -n python3 "$RAW" functional
	echo 0 >$PARAMS/allow_user_netns
else
	skipped "user namespace checks (unshare -U unavailable)"
fi

# --- memory: memcg charging, per-user and module-wide limits ---------------
cg=$tmp/cg
mkdir -p "$cg"
if mount -t cgroup2 none "$cg" 2>/dev/null &&
	grep -qw memory "$cg/cgroup.controllers" &&
	echo +memory >"$cg/cgroup.subtree_control" && mkdir "$cg/pq"; then
	raw python3 "$RAW" memcg "$cg" "$cg/pq" 1000
else
	skipped "memcg charging of handles (no cgroup2 memory controller)"
fi
mountpoint -q "$cg" && umount "$cg"

# (nobody writes its results into a world-writable directory)
fl=$(mktemp -d)
chmod 1777 "$fl"
# Floods: processes in the background making handles until refused; the
# total and the errnos go to $tmp/NAME, then they are let go.
flood() {	# $1 = name; then one prefix command per flooder, ';'-separated
	local name=$1 i=0 cmd pids=() total=0 errs="" f n e
	shift
	for cmd in "$@"; do
		i=$((i + 1))
		rm -f "$fl/fl$i" "$fl/fl$i.go"
		$cmd python3 "$RAW" flood "$fl/fl$i" 4 >"$fl/fl$i.out" 2>&1 &
		pids+=($!)
	done
	for f in $(seq "$i"); do
		for _ in $(seq 600); do [ -f "$fl/fl$f" ] && break; sleep 0.2; done
		read -r n e <"$fl/fl$f" 2>/dev/null || { n=0 e=none; indent <"$fl/fl$f.out"; }
		total=$((total + n)) errs="$errs $e"
	done
	echo "$total$errs" >"$tmp/$name"
	for f in $(seq "$i"); do touch "$fl/fl$f.go"; done
	wait "${pids[@]}"
}
if "${NOPRIV[@]}" unshare -U -r -n true 2>/dev/null; then
	save=$(cat $PARAMS/max_handles $PARAMS/max_handles_per_user)
	echo 1 >$PARAMS/allow_user_netns
	echo 300 >$PARAMS/max_handles_per_user
	U="${NOPRIV[*]} unshare -U -r -n"
	flood user "$U" "$U" "$U"
	read -r n e1 e2 e3 <"$tmp/user"
	check "nobody, 3 user+net namespaces x 4 sockets: stopped at max_handles_per_user=300 ($n, $e1 $e2 $e3)" \
		eval '[ "$n" = 300 ] && [ "$e1 $e2 $e3" = "EDQUOT EDQUOT EDQUOT" ]'
	echo 100000 >$PARAMS/max_handles_per_user
	echo 250 >$PARAMS/max_handles
	ip netns add pqF
	flood module "$U" "ip netns exec pqF"
	ip netns del pqF
	read -r n e1 e2 <"$tmp/module"
	check "nobody in a user namespace and root in a netns: stopped at max_handles=250 ($n, $e1 $e2)" \
		eval '[ "$n" = 250 ] && [ "$e1 $e2" = "ENFILE ENFILE" ]'
	read -r a b <<<"${save//$'\n'/ }"	# one line of two values
	echo "$a" >$PARAMS/max_handles
	echo "$b" >$PARAMS/max_handles_per_user
	echo 0 >$PARAMS/allow_user_netns
	n=$(python3 "$RAW" stats handles)
	check "after the floods: no live handles ($n)" [ "$n" = 0 ]
else
	skipped "handle limits of unprivileged users (nobody cannot unshare -U -r -n)"
fi
rm -rf "$fl"

# --- netns isolation -----------------------------------------------------------
ip netns add pqA && ip netns add pqB
ip netns exec pqA python3 "$RAW" hold "$tmp/hA" 3 >"$tmp/hA.out" 2>&1 &
holder=$!
for _ in $(seq 100); do [ -f "$tmp/hA" ] && break; sleep 0.2; done
if [ -f "$tmp/hA" ]; then
	raw ip netns exec pqB python3 "$RAW" foreign "$tmp/hA" 0
	raw ip netns exec pqA python3 "$RAW" foreign "$tmp/hA" 3
	raw python3 "$RAW" foreign "$tmp/hA"
	release_holder "$tmp/hA" "netns checks"
	wait $holder
	raw cat "$tmp/hA.out"
	n=$(ip netns exec pqA python3 "$RAW" stats handles)
	check "netns pqA: holder exited, $n live handles" [ "$n" = 0 ]
else
	kill $holder 2>/dev/null
	notok "netns holder did not start"
	indent <"$tmp/hA.out"
fi

# --- lifecycle: socket close, limits, expiry -----------------------------------
save=$(cat $PARAMS/max_handles_per_socket $PARAMS/max_handles_per_netns \
	$PARAMS/handle_expiry_secs)
echo 4 >$PARAMS/max_handles_per_socket
echo 6 >$PARAMS/max_handles_per_netns
echo 2 >$PARAMS/handle_expiry_secs
ip netns add pqL
raw ip netns exec pqL python3 "$RAW" lifecycle
{ read -r s n e; } <<<"${save//$'\n'/ }"	# one line of three values
echo "$s" >$PARAMS/max_handles_per_socket
echo "$n" >$PARAMS/max_handles_per_netns
echo "$e" >$PARAMS/handle_expiry_secs
check "max_batch_ops refuses 0 and 257" \
	eval '! echo 0 2>/dev/null >$PARAMS/max_batch_ops &&
	      ! echo 257 2>/dev/null >$PARAMS/max_batch_ops &&
	      [ "$(cat $PARAMS/max_batch_ops)" = 64 ]'

# --- stress --------------------------------------------------------------------
ip netns add pqS
start=$(date +%s)
pids=()
for i in $(seq "$STRESS_PROCS"); do
	pre=()
	[ $((i % 2)) = 0 ] && pre=(ip netns exec pqS)
	"${pre[@]}" python3 "$RAW" stress "$STRESS_OPS" "$i" >"$tmp/stress$i" 2>&1 &
	pids+=($!)
done
bench=
if [ $have_pqkem = 1 ]; then
	"$PQKEM" bench --time 3 --batch 16 >"$tmp/bench" 2>&1 &
	bench=$!
fi
for p in "${pids[@]}"; do wait "$p"; done
if [ -n "$bench" ]; then
	wait "$bench"
	bench_rc=$?
	check "pqkem bench, single and batched, during the stress run" \
		eval '[ $bench_rc -eq 0 ]'
fi
for i in $(seq "$STRESS_PROCS"); do raw cat "$tmp/stress$i"; done
echo "# stress: $STRESS_PROCS processes x $STRESS_OPS operations in $(($(date +%s) - start)) s"
[ $have_pqkem = 1 ] && indent <"$tmp/bench" | sed 's/^/#/'
n=$(python3 "$RAW" stats handles)
m=$(ip netns exec pqS python3 "$RAW" stats handles)
check "after the stress run: no live handles (init $n, pqS $m)" \
	eval '[ "$n" = 0 ] && [ "$m" = 0 ]'

# --- rmmod with live handles -------------------------------------------------------
python3 "$RAW" hold "$tmp/hR" 5 >"$tmp/hR.out" 2>&1 &
holder=$!
ip netns exec pqS python3 "$RAW" hold "$tmp/hS" 5 >"$tmp/hS.out" 2>&1 &
holder2=$!
for _ in $(seq 100); do [ -f "$tmp/hR" ] && [ -f "$tmp/hS" ] && break; sleep 0.2; done
out=$(rmmod pqrekey 2>&1)
rc=$?
check "rmmod with 10 live handles in two netns (status $rc)" \
	eval '[ $rc -eq 0 ] && ! loaded'
[ $rc -eq 0 ] || indent <<<"$out"
release_holder "$tmp/hR" rmmod
release_holder "$tmp/hS" rmmod
wait $holder $holder2
raw cat "$tmp/hR.out" "$tmp/hS.out"
check "modprobe pqrekey again" modprobe pqrekey
n=$(python3 "$RAW" stats handles 2>&1)
check "after reload: family works, no handles ($n)" [ "$n" = 0 ]
raw python3 "$RAW" ids "$tmp/ids"
rmmod pqrekey

# --- dmesg ------------------------------------------------------------------------
bad=$(dmesg | tail -n +"$((dmesg_start + 1))" |
	grep -E 'WARNING|BUG|KASAN|UBSAN|circular locking|possible recursive|suspicious RCU|Call Trace|kmemleak|refcount_t' |
	grep -v 'kmemleak: Automatic' || true)
if [ -z "$bad" ]; then
	ok "no warning in dmesg"
else
	notok "no warning in dmesg"
	indent <<<"$bad" | head -40
fi

echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
