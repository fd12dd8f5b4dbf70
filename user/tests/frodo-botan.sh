#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# FrodoKEM against Botan 3, in the Debian 13 root that tools/deps sets up
# (Debian 12 has no Botan 3; trixie's libbotan-3-dev 3.7 has the salted
# FrodoKEM as FrodoKEMMode::FrodoKEM{976,1344}_{AES,SHAKE}).
#   frodo-botan.sh test         the differential test (user/tests/frodo_botan.cc)
#   frodo-botan.sh bench [ARGS] Botan's timings (user/bench/frodo_botan_bench.cc)
# Copies the FrodoKEM core (its portable backend: MLKEM_PORTABLE_ONLY; the
# vector backends are compared with it by frodo_vectors), the Keccak it
# uses and the driver into
# $PQREKEY_CACHE/debian13/chroot/build/pqrekey-botan-HASH/ (one directory
# per source tree), builds them there with trixie's gcc/g++ and runs the
# program in the root. Without root or without that root the test reports
# "skip" (it cannot run), never "ok". The test's last line is
# "N passed, N failed, N skipped".
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
C=${PQREKEY_CACHE:-/var/cache/pqrekey}/debian13/chroot
what=${1:-test}
shift || true

skip() {
	echo "skip - frodo_botan ($1)"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}
fail() {
	echo "not ok - frodo_botan: $1"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

case $what in
test) src=user/tests/frodo_botan.cc prog=frodo_botan ;;
bench) src=user/bench/frodo_botan_bench.cc prog=frodo_botan_bench ;;
*) echo "usage: $0 test | bench [ARGS]" >&2; exit 2 ;;
esac

[ "$(id -u)" = 0 ] || skip "chroot needs root"
if [ ! -f "$C/usr/include/botan-3/botan/frodokem.h" ] || [ ! -x "$C/usr/bin/g++" ]; then
	skip "no Debian 13 root with g++ and libbotan-3-dev at $C (tools/deps)"
fi

inside=/build/pqrekey-botan-$(printf '%s' "$top" | md5sum | cut -c1-8)
rm -rf "${C:?}$inside"
mkdir -p "$C$inside"
(cd "$top" && cp --parents kernel/mlkem/keccak.c kernel/mlkem/keccak.h \
	kernel/mlkem/keccak_f1600.h kernel/mlkem/platform.h kernel/frodo/*.c \
	kernel/frodo/*.h user/lib/random.c user/lib/kcompat.h \
	user/bench/bench_util.h "$src" \
	"$C$inside/") || fail "copying the sources to $C$inside failed"

log=$C$inside/build.log
if ! chroot "$C" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	sh -ec "cd $inside
		for f in kernel/mlkem/keccak.c kernel/frodo/*.c user/lib/random.c; do
			gcc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O2 \
				-DMLKEM_PORTABLE_ONLY -Ikernel/mlkem -Iuser/lib \
				-c \$f -o \${f%.c}.o
		done
		g++ -std=c++20 -Wall -Wextra -Werror -O2 -DMLKEM_PORTABLE_ONLY \
			-I/usr/include/botan-3 \
			-Ikernel/frodo -Ikernel/mlkem -Iuser/lib -o $prog $src \
			kernel/frodo/*.o kernel/mlkem/keccak.o user/lib/random.o \
			-lbotan-3" >"$log" 2>&1; then
	sed 's/^/# /' "$log"
	fail "building $src in the Debian 13 root failed"
fi
chroot "$C" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	"$inside/$prog" "$@"
