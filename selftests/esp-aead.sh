#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The pqrekey authors.
#
# Runs INSIDE a guest (6.1, 6.12, 7.3), after selftests/module.sh in the
# stock suites:
#   tools/vm --kernel 6.1 -- selftests/esp-aead.sh
# ESP between pqrekey's AEAD drivers and the kernel's own, in one guest:
# two network namespaces, west and east, joined by a veth pair. An SA's
# AEAD transform is allocated when the SA is added, so the side whose SAs
# are added before pqrekey is loaded uses the kernel's drivers, and the side
# whose SAs are added after `modprobe pqrekey esp_aead=on` uses pqrekey's
# (esp_aead=on: above the kernel's drivers without measuring; the /proc/crypto
# reference count shows ours in use). Fixed keys, for each AEAD pqrekey
# registers on this CPU (ChaCha20-Poly1305 with AVX2 under TCG; AES-GCM needs
# VPCLMULQDQ, which TCG lacks: reported skipped there, tools/esp-uml runs it):
# tunnel and transport mode, each with and without ESN; pings of 56 bytes
# and of 60000 bytes (one ESP packet of 60 KB over a 65535-byte MTU: the
# skb's fragments, a long scatterlist) both ways. Every packet must arrive,
# and /proc/net/xfrm_stat must count no error in either namespace.
# Prints "ok - ..." / "not ok - ..." and the summary line.
# PQREKEY_MODDIR=DIR: modprobe -d DIR (tools/esp-uml: a UML kernel whose
# modules are installed there, not in the host's /lib/modules).
set -u

PQIKED=${PQIKED:-} tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/lib-tunnel.sh"
skip=0
skipped() { echo "ok - $* # SKIP"; skip=$((skip + 1)); }
trap 'tunnel_cleanup; rmmod pqrekey 2>/dev/null; rm -rf "$tmp"' EXIT

cpu_has() { local f; for f; do grep -qw "$f" /proc/cpuinfo || return 1; done; }

# crypto_refcnt DRIVER: its reference count in /proc/crypto (0 if absent)
crypto_refcnt() {
	awk -v d="$1" '$1 == "driver" { cur = $3 }
		cur == d && $1 == "refcnt" { print $3; found = 1; exit }
		END { if (!found) print 0 }' /proc/crypto
}

# xfrm_errors NS: the non-zero error counters of /proc/net/xfrm_stat
# (the file itself missing, CONFIG_XFRM_STATISTICS off, is one)
xfrm_errors() {
	local s
	s=$(ip netns exec "$1" cat /proc/net/xfrm_stat) ||
		{ echo "$1: no /proc/net/xfrm_stat"; return; }
	awk '$2 != 0' <<<"$s"
}

load_pqrekey() {
	modprobe ${PQREKEY_MODDIR:+-d "$PQREKEY_MODDIR"} pqrekey esp_aead=on
}

# sa NS SRC DST SPI MODE ESN ALG KEY: one SA; with MODE tunnel a policy too
sa() {
	local ns=$1 src=$2 dst=$3 spi=$4 mode=$5 esn=$6 alg=$7 key=$8
	local flags=()
	[ "$esn" = esn ] && flags=(flag esn replay-window 128)
	ip netns exec "$ns" ip xfrm state add src "$src" dst "$dst" proto esp \
		spi "$spi" reqid 1 mode "$mode" "${flags[@]}" \
		aead "$alg" "$key" 128
}

policies() {	# policies NS LOCAL REMOTE MODE
	local ns=$1 l=$2 r=$3 mode=$4 dir tmpl
	for dir in out in; do
		if [ $dir = out ]; then tmpl="src $l dst $r"; else tmpl="src $r dst $l"; fi
		# shellcheck disable=SC2086 # tmpl is two words each
		if [ "$mode" = tunnel ]; then
			ip netns exec "$ns" ip xfrm policy add dir $dir \
				src "$( [ $dir = out ] && echo 10.${ns_net[$ns]}.0.0/24 || echo 10.${ns_peer[$ns]}.0.0/24)" \
				dst "$( [ $dir = out ] && echo 10.${ns_peer[$ns]}.0.0/24 || echo 10.${ns_net[$ns]}.0.0/24)" \
				tmpl $tmpl proto esp reqid 1 mode tunnel
		else
			ip netns exec "$ns" ip xfrm policy add dir $dir \
				src "$( [ $dir = out ] && echo "$l" || echo "$r")/32" \
				dst "$( [ $dir = out ] && echo "$r" || echo "$l")/32" \
				tmpl $tmpl proto esp reqid 1 mode transport
		fi
	done
}
declare -A ns_net=([west]=1 [east]=2) ns_peer=([west]=2 [east]=1)
declare -A ns_ip=([west]=192.0.2.1 [east]=192.0.2.2)

# side NS MODE ESN ALG KEY: both SAs and the policies of one namespace
side() {
	local ns=$1 mode=$2 esn=$3 alg=$4 key=$5 peer
	if [ "$ns" = west ]; then peer=east; else peer=west; fi
	sa "$ns" "${ns_ip[$ns]}" "${ns_ip[$peer]}" 0x100"${ns_net[$ns]}" \
		"$mode" "$esn" "$alg" "$key" &&
		sa "$ns" "${ns_ip[$peer]}" "${ns_ip[$ns]}" 0x100"${ns_peer[$ns]}" \
			"$mode" "$esn" "$alg" "$key" &&
		policies "$ns" "${ns_ip[$ns]}" "${ns_ip[$peer]}" "$mode"
}

# pings FROM TO SIZE COUNT SOURCE: all replies back
pings() {
	local out
	out=$(ip netns exec "$1" ping -q -c "$4" -i 0.2 -W 5 -s "$3" -I "$5" "$2" 2>&1)
	grep -q " $4 received" <<<"$out" || { indent <<<"$out"; return 1; }
}

# case NAME DRIVER ALG KEY MODE ESN
run_case() {
	local name=$1 drv=$2 alg=$3 key=$4 mode=$5 esn=$6 before after
	local lw le rw re label="$name $mode${esn:+ $esn}"

	tunnel_cleanup
	# the previous case's SAs are freed by a deferred GC: wait for it
	local i
	for i in $(seq 50); do
		[ -d /sys/module/pqrekey ] || break
		rmmod pqrekey 2>/dev/null || sleep 0.2
	done
	if [ -d /sys/module/pqrekey ]; then notok "$label: rmmod pqrekey"; return; fi
	if ! tunnel_netns; then notok "$label: namespaces"; return; fi
	ip -n west link set vw mtu 65535 && ip -n east link set ve mtu 65535
	# west: the kernel's drivers (no pqrekey loaded yet)
	if ! side west "$mode" "$esn" "$alg" "$key"; then
		notok "$label: west's SAs (kernel drivers)"; return
	fi
	if ! load_pqrekey; then notok "$label: modprobe"; return; fi
	before=$(crypto_refcnt "$drv")
	if ! side east "$mode" "$esn" "$alg" "$key"; then
		notok "$label: east's SAs (pqrekey)"; return
	fi
	after=$(crypto_refcnt "$drv")
	if [ "$after" -gt "$before" ]; then
		ok "$label: east's SAs use $drv (refcnt $before -> $after)"
	else
		notok "$label: east's SAs use $drv (refcnt $before -> $after)"
	fi
	if [ "$mode" = tunnel ]; then lw=10.1.0.1 le=10.2.0.1; else lw=192.0.2.1 le=192.0.2.2; fi
	rw=$le re=$lw
	if pings west "$rw" 56 5 "$lw" && pings east "$re" 56 5 "$le"; then
		ok "$label: 56-byte pings both ways"
	else
		notok "$label: 56-byte pings both ways"
	fi
	if pings west "$rw" 60000 3 "$lw" && pings east "$re" 60000 3 "$le"; then
		ok "$label: 60000-byte pings both ways (one 60 KB ESP packet each)"
	else
		notok "$label: 60000-byte pings both ways"
	fi
	local errs
	errs="$(xfrm_errors west)$(xfrm_errors east)"
	if [ -z "$errs" ]; then
		ok "$label: no error in /proc/net/xfrm_stat"
	else
		notok "$label: no error in /proc/net/xfrm_stat"
		indent <<<"$errs"
	fi
}

CHACHA_KEY=0x$(printf '%072x' 0 | tr 0 a)	# 32-byte key + 4-byte salt
GCM_KEY=0x$(printf '%072x' 0 | tr 0 b)		# AES-256 + salt
families=()
if cpu_has avx2; then
	families+=("chachapoly rfc7539esp-chacha20-poly1305-avx2 rfc7539esp(chacha20,poly1305) $CHACHA_KEY")
else
	skipped "ChaCha20-Poly1305: the CPU lacks AVX2"
fi
if cpu_has avx2 vaes vpclmulqdq; then
	families+=("gcm rfc4106-gcm-aes-vaes_avx2 rfc4106(gcm(aes)) $GCM_KEY")
else
	skipped "AES-GCM: the CPU lacks VAES/VPCLMULQDQ (qemu's TCG: tools/esp-uml runs it)"
fi
for f in "${families[@]}"; do
	read -r name drv alg key <<<"$f"
	if [ "$name" = gcm ] && cpu_has avx512f avx512bw; then
		drv=rfc4106-gcm-aes-vaes_avx512
	elif [ "$name" = chachapoly ] && cpu_has avx512f avx512vl; then
		drv=rfc7539esp-chacha20-poly1305-avx512
	fi
	for mode in tunnel transport; do
		for esn in "" esn; do
			run_case "$name" "pqrekey-$drv" "$alg" "$key" "$mode" "$esn"
		done
	done
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
