#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of tools/demo (run there by tools/vm from the repository
# root): the ML-KEM algorithms pqrekey.ko registered, one ML-KEM-768
# exchange through its netlink service, then a hybrid x25519 + ML-KEM-768
# IPsec tunnel between two network namespaces with pqiked whose Child SA
# rekeys with x25519 + ML-KEM-768 every 5 s (and once on pqikectl rekey)
# while a ping runs through it, which must lose nothing. Exits non-zero if
# any step fails.
#
# Copyright (C) 2026 The pqrekey authors.
set -euo pipefail

PQIKED=build/user/pqiked
PQKEM=build/user/pqkem
tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. selftests/lib-tunnel.sh
trap 'tunnel_cleanup; rm -rf "$tmp"' EXIT

echo "guest kernel: $(uname -r)"
modprobe pqrekey
echo "--- kernel log"
dmesg | grep "pqrekey:" || true
echo "--- /proc/crypto (ML-KEM)"
awk -v RS= '/name *: mlkem/' /proc/crypto
names=$(awk -v RS= '/name *: mlkem/' /proc/crypto | sed -n 's/^name *: //p' | sort -u | tr '\n' ' ')
n=$(grep -c '^name *: mlkem' /proc/crypto)
bad=$(awk -v RS= '/name *: mlkem/ && !/selftest *: passed/' /proc/crypto | grep -c '^name' || true)
echo "--- ML-KEM algorithms: ${names}($n drivers), $bad without a passed self-test"
[ "$names" = "mlkem1024 mlkem512 mlkem768 " ] && [ "$bad" -eq 0 ]

echo "--- ML-KEM-768 through the pqrekey netlink family (pqkem shell, one socket)"
out=$(printf 'keygen\nencaps --ek last\ndecaps --handle last --ct last\n' |
	"$PQKEM" --alg mlkem768 shell)
cut -c1-100 <<<"$out"
[ "$(sed -n 's/^ss: //p' <<<"$out" | sort -u | wc -l)" -eq 1 ]
[ "$(grep -c '^ss: ' <<<"$out")" -eq 2 ]
echo "--- the decapsulation key stayed in the kernel; both shared secrets match"

echo "--- a hybrid x25519 + ML-KEM-768 tunnel: pqiked in namespaces west and east"
echo "    (the Child SA rekeys with x25519 + ML-KEM-768 every 5 s: rekey_time)"
for m in xfrm_user esp4 gcm veth; do modprobe "$m"; done
tunnel_netns
export CHILD_EXTRA="rekey_time = 5s"
conf west west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha384-x25519-ke1_mlkem768 aes256gcm16-x25519-ke1_mlkem768 \
	start "demo key" "require_mlkem = yes"
conf east east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha384-x25519-ke1_mlkem768 aes256gcm16-x25519-ke1_mlkem768 \
	none "demo key" "require_mlkem = yes"
sed -n '/connections/,/^}/p' "$tmp/west.conf" | sed 's/^/    /'
start east east east.log
epid=$pid
sleep 0.5
start west west west.log
wpid=$pid
if ! { wait_log "$tmp/west.log" "Child SA net installed" 60 &&
	wait_log "$tmp/east.log" "Child SA net installed" 10; }; then
	cat "$tmp/west.log" "$tmp/east.log"
	exit 1
fi
echo "--- pqiked's log (west, the initiator)"
cat "$tmp/west.log"
echo "--- pqikectl status (west)"
build/user/pqikectl --socket "$tmp/west.ctl" status
echo "--- ip xfrm state (west)"
"${W[@]}" ip xfrm state | grep -v '^\s*aead'	# not the keys
spis0=$("${W[@]}" ip xfrm state | sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p' | sort | tr '\n' ' ')
echo "--- 150 pings from 10.1.0.1 to 10.2.0.1, one every 0.1 s, while the Child SA rekeys"
"${W[@]}" ping -q -i 0.1 -c 150 -W 2 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" &
ppid=$!
sleep 7
echo "--- pqikectl rekey east-west (on east: one more rekeying, now)"
build/user/pqikectl --socket "$tmp/east.ctl" rekey east-west
wait "$ppid"
cat "$tmp/ping"
grep -q ' 150 received, 0% packet loss' "$tmp/ping"
echo "--- the rekeyings in pqiked's log (west)"
grep -E 'rekey(ing|ed)|IKE_FOLLOWUP_KE|outbound|inbound SA' "$tmp/west.log"
n=$(grep -c 'Child SA rekeyed' "$tmp/west.log")
spis1=$("${W[@]}" ip xfrm state | sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p' | sort | tr '\n' ' ')
echo "--- $n rekeyings, no ping lost; ESP SPIs before: $spis0, now: $spis1"
[ "$n" -ge 3 ]
for x in $spis1; do
	[[ " $spis0 " != *" $x "* ]]
done
echo "--- pqikectl status (west)"
build/user/pqikectl --socket "$tmp/west.ctl" status
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"
xfrm_empty west && xfrm_empty east
echo "--- pqiked stopped: no XFRM state or policy left, $(handles) key handles in pqrekey.ko"
[ "$(handles)" = 0 ]
rmmod pqrekey 2>/dev/null || true
echo "--- demo complete"
