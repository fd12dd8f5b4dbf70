# shellcheck shell=bash disable=SC2034
# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for tools/deps, tools/vm, tools/build-module and
# tools/test-kernel. Source it; it defines functions and variables only.
#
# Copyright (C) 2026 The pqrekey authors.

PQREKEY_CACHE=${PQREKEY_CACHE:-/var/cache/pqrekey}
PQ_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PQ_ROOT=$(cd "$PQ_TOOLS/.." && pwd)

# Debian 13 material (tools/deps fills it).
PQ_D13=$PQREKEY_CACHE/debian13
PQ_D13_APT=$PQ_D13/apt
PQ_D13_KERNEL=$PQ_D13/kernel
PQ_D13_CHROOT=$PQ_D13/chroot

# Debian sid root with strongSwan 6.1 (ML-KEM), the interop peer (tools/deps).
PQ_SID_ROOT=$PQREKEY_CACHE/sid/root

pq_log() { printf '%s: %s\n' "${PQ_PROG:-pqrekey}" "$*" >&2; }
pq_die() { printf '%s: error: %s\n' "${PQ_PROG:-pqrekey}" "$*" >&2; exit 1; }

# Release of Debian 12's default kernel (what linux-image-amd64 depends on).
pq_debian12_release() {
	local d
	d=$(dpkg-query -W -f='${Depends}\n' linux-image-amd64 2>/dev/null |
		sed -n 's/.*linux-image-\([0-9][^ ,]*\).*/\1/p')
	[ -n "$d" ] || pq_die "linux-image-amd64 not installed (run tools/deps)"
	echo "$d"
}

# Release of the unpacked Debian 13 kernel (from tools/deps).
pq_debian13_release() {
	local f=$PQ_D13_KERNEL/release
	[ -s "$f" ] || return 1
	cat "$f"
}

# Kernel release for a symbolic name: 6.1, 6.12 or test.
pq_release() {
	case $1 in
	6.1) pq_debian12_release ;;
	6.12) pq_debian13_release ||
		pq_die "Debian 13 kernel not unpacked (run tools/deps)" ;;
	test) "$PQ_TOOLS/test-kernel" --release ;;
	*) pq_die "unknown kernel '$1' (6.1, 6.12 or test)" ;;
	esac
}

# sha256 of stdin, hex only.
pq_sha256() { sha256sum | cut -c1-64; }

# pq_usage SCRIPT: the script's header comment (its --help text), without
# the licence, copyright and shellcheck lines; up to the first code line.
pq_usage() {
	awk 'NR == 1 { next }
	     !/^#/ { exit }
	     /^# (SPDX-License-Identifier|Copyright \(C\))|^# shellcheck / { next }
	     { sub(/^# ?/, ""); out = out $0 "\n" }
	     END { sub(/\n+$/, "\n", out); sub(/^\n+/, "", out); printf "%s", out }' "$1"
}
