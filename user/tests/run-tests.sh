#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make user-test: runs the userspace tests (ASan+UBSan build) and prints one
# summary line for all of them.
#   run-tests.sh BINDIR VECTORS_DIR
# Runners: BINDIR/vectors VECTORS_DIR (units: vector files),
# BINDIR/frodo_vectors VECTORS_DIR (FrodoKEM; units: groups) and
# BINDIR/accumulated 100 10000 (user/tests/accumulated.c; units: its own),
# BINDIR/diff (user/tests/diff.c; units: parameter set x vector backend),
# BINDIR/keccak_vec (user/tests/keccak_vec.c; units: permutations),
# BINDIR/polydiff (user/tests/polydiff.c; units: functions and d),
# BINDIR/aead_vectors VECTORS_DIR (the AES-GCM cores: Wycheproof and
# OpenSSL; units: groups), BINDIR/chachapoly_vectors VECTORS_DIR (the
# ChaCha20-Poly1305 cores, the same),
# pqkem-cli.sh (units: CLI checks), BINDIR/pqkem-vectors-asan (units: files),
# BINDIR/ike_wire and ike-keymat.py with BINDIR/ike_keymat (pqiked's wire
# layer and key schedule; units: checks, groups), BINDIR/ike_exchange and
# BINDIR/ike_rekey (whole exchanges in-process; units: checks),
# pqiked-config.sh with BINDIR/pqiked (units: configuration files).
# Each runner's "N passed, N failed, N skipped" line is shown as a "# NAME:"
# comment and added to the total; a runner that exits non-zero without
# reporting a failure, or prints no summary, counts as one failure.
set -uo pipefail

bin=$1 vectors=$2
pass=0 fail=0 skip=0

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run() {	# run NAME COMMAND...
	local name=$1 out rc last
	shift
	out=$("$@" 2>&1)
	rc=$?
	last=$(printf '%s\n' "$out" | tail -n 1)
	if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ skipped)?$ ]]; then
		printf '%s\n' "$out" | sed '$d'
		echo "# $name: $last"
		pass=$((pass + BASH_REMATCH[1]))
		fail=$((fail + BASH_REMATCH[2]))
		skip=$((skip + ${BASH_REMATCH[4]:-0}))
		if [ "$rc" -ne 0 ] && [ "${BASH_REMATCH[2]}" -eq 0 ]; then
			echo "not ok - $name: exit status $rc"
			fail=$((fail + 1))
		fi
	else
		printf '%s\n' "$out"
		echo "not ok - $name: no summary line (exit status $rc)"
		fail=$((fail + 1))
	fi
}

run vectors "$bin/vectors" "$vectors"

# user/tests/frodo_vectors.c: the FrodoKEM known answers (units: groups)
run frodo_vectors "$bin/frodo_vectors" "$vectors"
# user/tests/frodo_botan.cc: against Botan 3 in the Debian 13 root (units:
# checks; skipped without that root)
run frodo_botan bash "$(dirname "$0")/frodo-botan.sh" test

# pqiked: the wire layer, and the key schedule against Python's hmac
run ike_wire "$bin/ike_wire"
run ike_sk "$bin/ike_sk"
run ike_ke "$bin/ike_ke" "$vectors"
run ike_proposal "$bin/ike_proposal"
run ike_exchange "$bin/ike_exchange"
# user/tests/ike_rekey.c: Child SA and IKE SA rekeying and the request
# queue, in-process
run ike_rekey "$bin/ike_rekey"
# user/tests/pqiked-config.sh: the configuration parser (pqiked --check)
run pqiked_config bash "$(dirname "$0")/pqiked-config.sh" "$bin/pqiked"
run ike_keymat python3 "$(dirname "$0")/ike-keymat.py" "$bin/ike_keymat"

# user/tests/diff.c: every backend against the portable code, same inputs
run diff "$bin/diff"

# user/tests/keccak_vec.c: each vector permutation against the scalar one
run keccak_vec "$bin/keccak_vec"

# user/tests/polydiff.c: each vector polynomial function against its twin
run polydiff "$bin/polydiff"

# user/tests/aead_vectors.c: the AES-GCM cores (kernel/aead/), Wycheproof
# and a differential test against OpenSSL
run aead_vectors "$bin/aead_vectors" "$vectors"
# user/tests/chachapoly_vectors.c: the ChaCha20-Poly1305 cores, likewise
run chachapoly_vectors "$bin/chachapoly_vectors" "$vectors"

if [ -x "$bin/accumulated" ]; then
	run accumulated "$bin/accumulated" 100 10000
else
	echo "skip - accumulated (user/tests/accumulated.c not present)"
	skip=$((skip + 1))
fi

# pqkem (user/pqkem/): the command line with --backend user, and the
# Wycheproof vectors through its user backend (every case; the kernel
# backend runs in guests: selftests/pqkem-vectors.sh).
run pqkem-cli bash "$(dirname "$0")/pqkem-cli.sh" "$bin/pqkem-asan" "$vectors"
run pqkem-vectors "$bin/pqkem-vectors-asan" --backend user --all "$vectors/mlkem/wycheproof"

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
