#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest booted with the project's test kernel (KUnit, KASAN,
# lockdep, kmemleak):
#   tools/vm --kernel test -- selftests/kunit.sh
# Loads pqrekey_kunit.ko (which pulls in pqrekey.ko; the suites run during
# the load), turns the KTAP output in dmesg into one line per test case -
# "ok - <suite>.<case>[.<param>]" or "not ok - ..." with the failure
# messages - unloads both modules and checks kmemleak. Ends with
# "N passed, N failed, N skipped" (KUnit skips count as skipped) and exits
# non-zero if anything failed.
set -u

SUITES="pqrekey_mlkem_core pqrekey_mlkem_kpp pqrekey_handles pqrekey_frodo_core
	pqrekey_frodo_kpp pqrekey_aead"
DEBUGFS=/sys/kernel/debug
KMEMLEAK=$DEBUGFS/kmemleak

pass=0 fail=0 skip=0
indent() { sed 's/^/    /'; }

mountpoint -q "$DEBUGFS" 2>/dev/null || mount -t debugfs none "$DEBUGFS" 2>/dev/null

if [ -w "$KMEMLEAK" ]; then
	# Report (and then forget) whatever leaked before this test.
	echo scan >"$KMEMLEAK"
	echo clear >"$KMEMLEAK"
fi

dmesg_start=$(dmesg | wc -l)
out=$(modprobe pqrekey_kunit 2>&1)
rc=$?
if [ $rc -ne 0 ]; then
	echo "not ok - modprobe pqrekey_kunit (status $rc)"
	indent <<<"$out"
	fail=$((fail + 1))
fi

# dmesg since the load, without the "[ time] " prefix.
ktap=$(dmesg | tail -n +"$((dmesg_start + 1))" | sed -E 's/^\[[ 0-9.]*\] //')

# KTAP as printed by KUnit (6.1: "ok N name", later "ok N - name"): a
# "# Subtest: X" line at indent i opens X, whose children are at indent i;
# a result line at indent d closes the node opened at d + 4, if any, else
# it is a leaf (a test case, or a parameter of a parameterized case). Leaf
# names are the open nodes' names joined with '.'. Indented diagnostic lines
# since the previous result are printed under a failed leaf. 6.1 prints no
# SKIP directive on a parameter's result line: a leaf whose diagnostics
# include "# <case>: SKIP: <reason>" (kt_skip() in the suites) is skipped.
results=$(awk '
	function indent_of(s) { match(s, /^ */); return RLENGTH }
	{
		line = $0; d = indent_of(line); body = substr(line, d + 1)
	}
	body ~ /^# Subtest: / {
		open[d + 0] = substr(body, 12); ndiag = 0; next
	}
	body ~ /^(not )?ok [0-9]+ / {
		st = (body ~ /^not ok/) ? "not ok" : "ok"
		name = body; sub(/^(not )?ok [0-9]+ (- )?/, "", name)
		directive = ""
		if (match(name, / # SKIP.*/)) {
			directive = substr(name, RSTART + 3); name = substr(name, 1, RSTART - 1)
		}
		if ((d + 4) in open) { delete open[d + 4]; ndiag = 0; next }
		if (st == "ok" && directive == "")
			for (i = 1; i <= ndiag; i++)
				if (match(diag[i], /^# [^ ]+: SKIP: /)) {
					directive = "SKIP " substr(diag[i], RLENGTH + 1)
					break
				}
		path = ""
		for (i = 0; i <= d; i += 4)
			if (i in open) path = path open[i] "."
		path = path name
		if (st == "ok" && directive ~ /^SKIP/)
			print "skipped - " path " (" directive ")"
		else
			print st " - " path
		if (st == "not ok")
			for (i = 1; i <= ndiag; i++) print "    " diag[i]
		ndiag = 0
		next
	}
	d >= 4 && body !~ /^(KTAP version|[0-9]+\.\.[0-9]+$)/ &&
		body !~ /: pass:[0-9]+ fail:/ { diag[++ndiag] = body }
' <<<"$ktap")

if [ -n "$results" ]; then
	printf '%s\n' "$results"
fi
p=$(grep -c '^ok - ' <<<"$results")
f=$(grep -c '^not ok - ' <<<"$results")
s=$(grep -c '^skipped - ' <<<"$results")
pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))

for suite in $SUITES; do
	if ! grep -q "^\(not \)\?ok - $suite\." <<<"$results" &&
		! grep -q "^skipped - $suite\." <<<"$results"; then
		echo "not ok - $suite (no results in dmesg)"
		fail=$((fail + 1))
	fi
done

unload() {
	local m
	for m in pqrekey_kunit pqrekey; do
		if [ -d "/sys/module/$m" ]; then
			rmmod "$m" 2>&1 | indent
		fi
		[ ! -d "/sys/module/$m" ] || return 1
	done
}
if unload; then
	echo "ok - rmmod pqrekey_kunit pqrekey"
	pass=$((pass + 1))
else
	echo "not ok - rmmod pqrekey_kunit pqrekey"
	fail=$((fail + 1))
fi

if [ -w "$KMEMLEAK" ]; then
	# kmemleak reports only objects older than 5 s.
	sleep 6
	echo scan >"$KMEMLEAK"
	sleep 2
	echo scan >"$KMEMLEAK"
	leaks=$(cat "$KMEMLEAK")
	if [ -z "$leaks" ]; then
		echo "ok - kmemleak clean"
		pass=$((pass + 1))
	else
		echo "not ok - kmemleak clean"
		head -n 60 <<<"$leaks" | indent
		fail=$((fail + 1))
	fi
else
	echo "skipped - kmemleak clean (no $KMEMLEAK)"
	skip=$((skip + 1))
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
