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

# Debian 13 backports material (tools/deps fills it): its own apt lists,
# the unpacked kernel; the headers go into the trixie chroot above;
# linux-source-7.3's tarball (tools/bench-aead's 7.3 VAES GCM reference;
# user/user.mk's KSRC73_TAR names the same file).
PQ_D13BPO=$PQREKEY_CACHE/debian13-backports
PQ_D13BPO_APT=$PQ_D13BPO/apt
PQ_D13BPO_KERNEL=$PQ_D13BPO/kernel
PQ_D13BPO_SOURCE=$PQ_D13BPO/source

# Debian sid root with strongSwan 6.1 (ML-KEM), the interop peer (tools/deps).
PQ_SID_ROOT=$PQREKEY_CACHE/sid/root

# The table of stock (distribution) kernels: the one place that lists them.
# Every suite that runs on one of them runs on all (tools/check); a name
# maps to where tools/deps puts the kernel (pq_kernel_dir) and where its
# modules are built (tools/build-module):
#   6.1   Debian 12's default kernel, installed on the host (/boot, /lib)
#   6.12  Debian 13's, unpacked in $PQ_D13_KERNEL, built in the trixie root
#   7.3   Debian 13 backports', unpacked in $PQ_D13BPO_KERNEL, built in the
#         trixie root
PQ_STOCK_KERNELS=(6.1 6.12 7.3)

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

# pq_kernel_dir NAME: the directory tools/deps unpacks an unpacked stock
# kernel into (root/ = its package, release = its release); fails for the
# host's own 6.1 and for names not in the table.
pq_kernel_dir() {
	case $1 in
	6.12) echo "$PQ_D13_KERNEL" ;;
	7.3) echo "$PQ_D13BPO_KERNEL" ;;
	*) return 1 ;;
	esac
}

# pq_kernel_image DIR REL: the image in a kernel unpacked by tools/deps
# (6.12: /boot/vmlinuz-REL; from 7.x: /usr/lib/modules/REL/vmlinuz).
pq_kernel_image() {
	local f
	for f in "$1/root/boot/vmlinuz-$2" "$1/root/lib/modules/$2/vmlinuz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	pq_die "no kernel image for $2 in $1/root (run tools/deps)"
}

# Kernel release for a symbolic name: one of PQ_STOCK_KERNELS, or test.
pq_release() {
	local d
	case $1 in
	6.1) pq_debian12_release ;;
	test) "$PQ_TOOLS/test-kernel" --release ;;
	*)
		d=$(pq_kernel_dir "$1") ||
			pq_die "unknown kernel '$1' (${PQ_STOCK_KERNELS[*]} or test)"
		[ -s "$d/release" ] ||
			pq_die "kernel $1 not unpacked in $d (run tools/deps)"
		cat "$d/release"
		;;
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
