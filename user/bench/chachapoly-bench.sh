#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The ChaCha20-Poly1305 cores next to OpenSSL 3.0 (Debian 12) and OpenSSL
# 3.5 (the Debian 13 root that tools/deps sets up), not a test:
#   chachapoly-bench.sh [SAMPLES [BATCH]]
# Runs BUILD/user/chachapoly_bench (make user) four times: on the host,
# and in the root, where the same binary finds trixie's libcrypto.so.3
# (3.5; OpenSSL keeps the ABI within 3.x and the root has no OpenSSL
# headers to build against); each once as it is and once with
# OPENSSL_ia32cap=":~0x10000", which masks AVX-512F from OpenSSL so that
# it runs its AVX2 code (the reference for our AVX2 variant). Our cores
# are in the binary, so each run compares against its own OpenSSL. Without
# root or without that root the 3.5 runs are left out (said so).
set -uo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${BUILD:-$top/build}/user/chachapoly_bench
C=${PQREKEY_CACHE:-/var/cache/pqrekey}/debian13/chroot

[ -x "$bin" ] || { echo "chachapoly-bench: no $bin (make user)" >&2; exit 1; }

echo "## host, OpenSSL as it is"
"$bin" "$@"
echo "## host, OpenSSL without AVX-512"
OPENSSL_ia32cap=":~0x10000" "$bin" "$@"

if [ "$(id -u)" != 0 ] || [ ! -e "$C/usr/lib/x86_64-linux-gnu/libcrypto.so.3" ]; then
	echo "## OpenSSL 3.5 left out: needs root and the Debian 13 root at $C (tools/deps)"
	exit 0
fi
inside=/build/pqrekey-chachapoly-$(printf '%s' "$top" | md5sum | cut -c1-8)
mkdir -p "$C$inside" && cp "$bin" "$C$inside/" || exit 1
echo "## Debian 13 root, OpenSSL as it is"
chroot "$C" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	"$inside/chachapoly_bench" "$@"
echo "## Debian 13 root, OpenSSL without AVX-512"
chroot "$C" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	OPENSSL_ia32cap=":~0x10000" "$inside/chachapoly_bench" "$@"
rm -rf "${C:?}$inside"
