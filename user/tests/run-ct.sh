#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make user-ct: the valgrind constant-time check of the core.
#   run-ct.sh CT_PROGRAM [CT_PROGRAM_KFLAGS]
# 1. CT_PROGRAM under memcheck: keygen, encaps, decaps, decaps-reject and
#    decaps_internal for each parameter set and each backend the CPU
#    supports, one "ok/not ok" line each;
#    valgrind's reports, if any, are shown as "# " lines (they name the code).
# 2. The same with CT_PROGRAM_KFLAGS: the core built with the kernel's
#    code-gen flags, since the compiler may emit different code there.
# 3. CT_PROGRAM --self-check: proves that the check can fail - toys with a
#    secret branch and a secret memory index must be caught (and valgrind
#    must exit with the error exit code); a constant-time toy must not be.
# 4. CT_MSAN (user/tests/ct-msan.c, clang MemorySanitizer), which also runs
#    the AVX-512 code valgrind cannot: keygen, encaps, decaps,
#    decaps-reject, decaps_internal, check_ek and check_dk for each
#    parameter set and backend, then its self-check (leaky AVX2 and AVX-512
#    toys must be reported, constant-time ones must not). MSan's reports
#    are shown as "# " lines. A missing CT_MSAN (no clang-16) is a failure.
# 5. FrodoKEM (user/tests/frodo_ct.c, next to CT_PROGRAM as frodo_ct and
#    frodo_ct-kflags) under memcheck: keygen, encaps, decaps and
#    decaps-reject for each of the four sets on each usable backend (portable,
#    AVX2 with AES-NI), then its self-check (a secret
#    branch must be reported). A missing program is a failure.
# 6. FrodoKEM under MemorySanitizer (user/tests/frodo_ct_msan.c, next to
#    CT_MSAN): the same four cases per set on every usable backend (AVX-512
#    included), then its self-check. A missing program is a failure.
# 7. ChaCha20-Poly1305 (user/tests/chachapoly_ct.c, next to CT_PROGRAM as
#    chachapoly_ct) under memcheck: the AVX2 variant's encryption and
#    decryption with the key and plaintext secret (the AVX-512 one is
#    reported skipped), then its self-check (a secret branch must be
#    reported).
# 8. ChaCha20-Poly1305 under MemorySanitizer (user/tests/chachapoly_ct_msan.c,
#    as chachapoly_ct_msan): both variants, AVX-512 included, and its
#    self-check.
# Ends with "N passed, N failed, N skipped" (cases); non-zero exit on failure.
set -uo pipefail

ct=$1 ctk=${2:-} ctm=${3:-}
pass=0 fail=0 skip=0
if ! command -v valgrind >/dev/null; then
	echo "not ok - valgrind not installed (apt-get install valgrind)"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

VG=(valgrind -q --tool=memcheck --track-origins=yes --num-callers=30
    --error-limit=no)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() {	# count OUTPUT: adds up its ok / not ok lines
	pass=$((pass + $(grep -c '^ok - ' <<<"$1")))
	fail=$((fail + $(grep -c '^not ok - ' <<<"$1")))
	skip=$((skip + $(grep -c '^skip - ' <<<"$1")))
}

show_log() {	# show_log TOOL: the tool's reports in $log, at most 200 lines
	head -n 200 "$log" | sed 's/^/# /'
	[ "$(wc -l <"$log")" -gt 200 ] &&
		echo "# ... $(($(wc -l <"$log") - 200)) more lines of $1 output"
	return 0
}

result() {	# result NAME OUTPUT RC: shows and counts a run's results
	printf '%s\n' "$2"
	count "$2"
	if [ "$3" -ne 0 ] && ! grep -q '^not ok - ' <<<"$2"; then
		echo "not ok - $1: exit status $3"
		fail=$((fail + 1))
	fi
}

check() {	# check NAME PROGRAM [ARGS]
	local name=$1 out rc
	shift
	: >"$log"
	out=$("${VG[@]}" --error-exitcode=1 --log-fd=3 "$@" 3>"$log" 2>&1)
	rc=$?
	[ -s "$log" ] && show_log valgrind
	result "$name" "$out" "$rc"
	# 5 per parameter set and backend; ct prints "# backends: N"
	nb=$(sed -n 's/^# backends: \([0-9]\+\)$/\1/p' <<<"$out")
	if [ -z "$nb" ] || [ "$(grep -c '^\(not \)\?ok - ' <<<"$out")" -ne $((15 * nb)) ]; then
		echo "not ok - $name: expected $((15 * ${nb:-1})) results (5 per parameter set and backend)"
		fail=$((fail + 1))
	fi
}

check "ct run" "$ct"
[ -n "$ctk" ] && check "ct run (kflags)" "$ctk" --label kflags

: >"$log"
out=$("${VG[@]}" --error-exitcode=99 --log-fd=3 "$ct" --self-check 3>"$log" 2>&1)
rc=$?
printf '%s\n' "$out"
count "$out"
if [ "$rc" -eq 99 ]; then
	echo "ok - ct self-check: valgrind exits with the error exit code"
	pass=$((pass + 1))
else
	echo "not ok - ct self-check: valgrind exit status $rc, expected 99"
	head -n 200 "$log" | sed 's/^/# /'
	fail=$((fail + 1))
fi

# 4. MemorySanitizer
msan() {	# msan NAME EXPECTED_RESULTS [ARGS]: runs CT_MSAN, counts
	local name=$1 want=$2 out rc n
	shift 2
	: >"$log"
	out=$("$ctm" "$@" 2>"$log")
	rc=$?
	# MSan's reports, at most 200 lines (the self-check's expected ones
	# only when it failed)
	if [ -s "$log" ] && { [ "$1" != --self-check ] || [ "$rc" -ne 0 ]; }; then
		show_log MemorySanitizer
	fi
	result "$name" "$out" "$rc"
	n=$(grep -c '^\(not ok\|ok\|skip\) - ct-msan ' <<<"$out")
	if [ "$n" -ne "$want" ]; then
		echo "not ok - $name: expected $want results, got $n"
		fail=$((fail + 1))
	fi
}

if [ -z "$ctm" ] || [ ! -x "$ctm" ]; then
	echo "not ok - ct-msan: no MemorySanitizer build '$ctm' (clang-16: tools/deps installs it)"
	fail=$((fail + 1))
else
	if [ -z "${MSAN_SYMBOLIZER_PATH:-}" ]; then
		for s in llvm-symbolizer-16 /usr/lib/llvm-16/bin/llvm-symbolizer \
			 llvm-symbolizer /usr/lib/llvm-*/bin/llvm-symbolizer; do
			s=$(command -v "$s") && { export MSAN_SYMBOLIZER_PATH=$s; break; }
		done
	fi
	# 7 per parameter set and usable backend, one skip per unusable one
	nb=$("$ctm" --count 2>/dev/null)
	msan "ct-msan run" "${nb:-0}" --run
	msan "ct-msan self-check" 8 --self-check
fi

# 5. FrodoKEM under memcheck
frodo() {	# frodo NAME PROGRAM [ARGS]: 16 results per usable backend
	local name=$1 out rc nb
	shift
	if [ ! -x "$1" ]; then
		echo "not ok - $name: no program $1"
		fail=$((fail + 1))
		return
	fi
	: >"$log"
	out=$("${VG[@]}" --error-exitcode=1 --log-fd=3 "$@" 3>"$log" 2>&1)
	rc=$?
	[ -s "$log" ] && show_log valgrind
	result "$name" "$out" "$rc"
	# 16 per backend built in, less those skipped (valgrind's CPU has no
	# AVX-512): each backend either runs or prints one skip line
	nb=$("$1" --count) || nb=0
	nb=$((nb - $(grep -c '^skip - ' <<<"$out")))
	if [ "$nb" -lt 1 ] ||
		[ "$(grep -c '^\(not \)\?ok - ' <<<"$out")" -ne $((16 * nb)) ]; then
		echo "not ok - $name: expected $((16 * nb)) results (4 per parameter set and backend run, $nb)"
		fail=$((fail + 1))
	fi
}
fct=$(dirname "$ct")/frodo_ct
frodo "frodo-ct run" "$fct"
frodo "frodo-ct run (kflags)" "$fct-kflags" --label kflags
if [ -x "$fct" ]; then
	: >"$log"
	out=$("${VG[@]}" --error-exitcode=99 --log-fd=3 "$fct" --self-check 3>"$log" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	count "$out"
	if [ "$rc" -eq 99 ]; then
		echo "ok - frodo-ct self-check: valgrind exits with the error exit code"
		pass=$((pass + 1))
	else
		echo "not ok - frodo-ct self-check: valgrind exit status $rc, expected 99"
		head -n 200 "$log" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
fi

# 6. FrodoKEM under MemorySanitizer (frodo_ct_msan, next to CT_MSAN): every
#    backend, the AVX-512 one included, and its self-check.
fmsan() {	# fmsan NAME EXPECTED_RESULTS ARGS: runs frodo_ct_msan, counts
	local name=$1 want=$2 out rc n
	shift 2
	: >"$log"
	out=$("$fcm" "$@" 2>"$log")
	rc=$?
	if [ -s "$log" ] && { [ "$1" != --self-check ] || [ "$rc" -ne 0 ]; }; then
		show_log MemorySanitizer
	fi
	result "$name" "$out" "$rc"
	n=$(grep -c '^\(not ok\|ok\|skip\) - frodo-ct-msan ' <<<"$out")
	if [ "$n" -ne "$want" ]; then
		echo "not ok - $name: expected $want results, got $n"
		fail=$((fail + 1))
	fi
}
fcm=${ctm:+$(dirname "$ctm")/frodo_ct_msan}
if [ -z "$fcm" ] || [ ! -x "$fcm" ]; then
	echo "not ok - frodo-ct-msan: no MemorySanitizer build '$fcm' (clang-16: tools/deps installs it)"
	fail=$((fail + 1))
else
	nb=$("$fcm" --count 2>/dev/null)
	fmsan "frodo-ct-msan run" "${nb:-0}" --run
	fmsan "frodo-ct-msan self-check" 1 --self-check
fi

# 7. ChaCha20-Poly1305 (user/tests/chachapoly_ct.c, next to CT_PROGRAM)
# under memcheck: encrypt and decrypt at eight lengths with the AVX2
# variant (AVX-512 reported skipped), then its self-check.
cct=$(dirname "$ct")/chachapoly_ct
if [ ! -x "$cct" ]; then
	echo "not ok - chachapoly-ct: no program $cct"
	fail=$((fail + 1))
else
	: >"$log"
	out=$("${VG[@]}" --error-exitcode=1 --log-fd=3 "$cct" 3>"$log" 2>&1)
	rc=$?
	[ -s "$log" ] && show_log valgrind
	# its own summary line is not shown (the ok/not ok lines are counted)
	out=$(sed '$d' <<<"$out")
	result "chachapoly-ct run" "$out" "$rc"
	# 16 with AVX2 and the AVX-512 skip; two skips without AVX2
	want=17
	grep -q '^skip - ct chacha_avx2 ' <<<"$out" && want=2
	if [ "$(grep -c '^\(not ok\|ok\|skip\) - ' <<<"$out")" -ne "$want" ]; then
		echo "not ok - chachapoly-ct run: expected $want results"
		fail=$((fail + 1))
	fi
	: >"$log"
	out=$("${VG[@]}" --error-exitcode=99 --log-fd=3 "$cct" --self-check 3>"$log" 2>&1)
	rc=$?
	if [ "$rc" -eq 99 ]; then
		echo "ok - chachapoly-ct self-check: valgrind exits with the error exit code"
		pass=$((pass + 1))
	else
		echo "not ok - chachapoly-ct self-check: valgrind exit status $rc, expected 99"
		head -n 200 "$log" | sed 's/^/# /'
		fail=$((fail + 1))
	fi
fi

# 8. ChaCha20-Poly1305 under MemorySanitizer (user/tests/chachapoly_ct_msan.c,
# next to CT_PROGRAM): both variants, AVX-512 included, then its
# self-check. Its own summary line is not counted (the ok/not ok lines are).
ccm=$(dirname "$ct")/chachapoly_ct_msan
if [ ! -x "$ccm" ]; then
	echo "not ok - chachapoly-ct-msan: no program $ccm (clang-16: tools/deps installs it)"
	fail=$((fail + 1))
else
	: >"$log"
	out=$("$ccm" 2>"$log")
	rc=$?
	[ -s "$log" ] && show_log MemorySanitizer
	out=$(sed '$d' <<<"$out")
	result "chachapoly-ct-msan run" "$out" "$rc"
	# nine lengths per usable variant, one skip per other one
	ns=$(grep -c '^skip - ' <<<"$out")
	if [ "$(grep -c '^\(not ok\|ok\|skip\) - ' <<<"$out")" -ne $((9 * (2 - ns) + ns)) ]; then
		echo "not ok - chachapoly-ct-msan run: expected nine results per usable variant"
		fail=$((fail + 1))
	fi
	: >"$log"
	out=$("$ccm" --self-check 2>"$log")
	rc=$?
	[ "$rc" -ne 0 ] && show_log MemorySanitizer
	out=$(sed '$d' <<<"$out")
	result "chachapoly-ct-msan self-check" "$out" "$rc"
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
