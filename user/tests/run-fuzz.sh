#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make user-fuzz: runs a libFuzzer target for a bounded time on a copy of
# its seed corpus (the tree's corpus is not modified), one case:
#   run-fuzz.sh FUZZER CORPUS_DIR SECONDS
# "ok" when libFuzzer ends without a crash, leak, timeout or sanitizer
# report; "not ok" with its report otherwise (the crashing input is kept in
# build/fuzz-artifacts/). Ends with "N passed, N failed".
set -uo pipefail

fuzzer=$1 corpus=$2 seconds=$3
name=$(basename "$fuzzer")
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
art=$top/build/fuzz-artifacts/$name
trap 'rm -rf "$work"' EXIT
mkdir -p "$art"

if [ ! -d "$corpus" ] || [ -z "$(ls -A "$corpus")" ]; then
	echo "not ok - $name: no seed corpus in $corpus"
	echo "0 passed, 1 failed"
	exit 1
fi
cp -r "$corpus"/. "$work/"
log=$work.log
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$art/" "$work" >"$log" 2>&1
rc=$?
runs=$(grep -Eo '#[0-9]+' "$log" | tail -n 1)
cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -n 1)
if [ "$rc" -eq 0 ]; then
	echo "ok - $name: ${seconds} s, ${runs#\#} inputs, $cov"
	echo "1 passed, 0 failed"
	rm -f "$log"
	exit 0
fi
echo "not ok - $name: exit status $rc after ${runs#\#} inputs (artifacts: $art)"
grep -E 'ERROR|SUMMARY|runtime error|fuzz_ike:' "$log" | head -n 20 | sed 's/^/    /'
rm -f "$log"
echo "0 passed, 1 failed"
exit 1
