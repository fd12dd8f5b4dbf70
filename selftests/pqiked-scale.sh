#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Many tunnels at once, in a guest (tools/vm): one pqiked in namespace
# "west" with N connections (N local addresses in 198.18.0.0/15, traffic
# selectors 10.64.0.0/10 <-> 10.128.0.0/10 cut in /24s), one in "east"
# answering them all from 198.19.255.254. Both start together; west initiates START_BURST (64) at
# a time. Then:
#   - all N Child SAs installed on both sides, in XFRM 2N SAs and 3N
#     policies each, pqikectl status --json with N established IKE SAs;
#   - pings through three of the tunnels (first, middle, last);
#   - the first and the last connection rekeyed (Child SA, then IKE SA)
#     while the others stay as they are;
#   - SIGTERM: nothing left in XFRM, no key handle left in pqrekey.ko.
# The time to bring all N up is printed (not a pass/fail number).
#   selftests/pqiked-scale.sh [N]      (default 200, at most 4000)
# Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
#
# Copyright (C) 2026 The pqrekey authors.
set -uo pipefail

PQIKED=${PQIKED:-build/user/pqiked}
PQIKECTL=${PQIKECTL:-build/user/pqikectl}
PQKEM=${PQKEM:-build/user/pqkem}
n=${1:-200}
tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/lib-tunnel.sh"
trap 'tunnel_cleanup; rm -rf "$tmp"' EXIT

if ! [[ $n =~ ^[0-9]+$ ]] || [ "$n" -lt 3 ] || [ "$n" -gt 4000 ]; then
	echo "usage: pqiked-scale.sh [N]   (3 <= N <= 4000)" >&2
	exit 2
fi
for m in xfrm_user esp4 gcm veth pqrekey; do
	modprobe "$m" || { echo "not ok - modprobe $m"; echo "0 passed, 1 failed"; exit 1; }
done

# addr I: tunnel I's addresses (no subshell: thousands of them) into
# OUTER (west's outer address), WNET and ENET (the /24 prefixes of west's
# and east's traffic selectors)
OUTER='' WNET='' ENET=''
addr() {
	OUTER=198.18.$(($1 / 250)).$(($1 % 250 + 1))
	WNET=10.$((64 + $1 / 256)).$(($1 % 256))
	ENET=10.$((128 + $1 / 256)).$(($1 % 256))
}
EAST=198.19.255.254

setup() {
	local i
	ip netns add west && ip netns add east &&
		ip link add vw netns west type veth peer name ve netns east &&
		"${E[@]}" ip addr add "$EAST/15" dev ve &&
		"${W[@]}" ip link set lo up && "${E[@]}" ip link set lo up &&
		"${W[@]}" ip link set vw up && "${E[@]}" ip link set ve up &&
		"${W[@]}" ip route add 10.128.0.0/10 dev vw &&
		"${E[@]}" ip route add 10.64.0.0/10 dev ve || return 1
	for ((i = 1; i <= n; i++)); do
		addr "$i"
		echo "address add $OUTER/15 dev vw"
	done >"$tmp/addrs"
	"${W[@]}" ip -batch "$tmp/addrs" || return 1
	for i in 1 $((n / 2)) "$n"; do
		addr "$i"
		"${W[@]}" ip addr add "$WNET.1/32" dev lo &&
			"${E[@]}" ip addr add "$ENET.1/32" dev lo || return 1
	done
}

# scale_conf FILE ME: N connections, west's initiating (one printf each:
# no fork per connection)
scale_conf() {
	local i me=$2 peer=west la ra ln rn st fmt
	[ "$me" = west ] && peer=east
	fmt='    t%s {
        local_addrs = %s
        remote_addrs = %s
        proposals = aes256gcm16-prfsha256-x25519-ke1_mlkem768
        kem = kernel
        local {
            auth = psk
            id = %s
        }
        remote {
            auth = psk
            id = %s
        }
        children {
            net {
                local_ts = %s
                remote_ts = %s
                esp_proposals = aes256gcm16-mlkem768
                start_action = %s
            }
        }
    }
'
	{
		echo "connections {"
		for ((i = 1; i <= n; i++)); do
			addr "$i"
			la=$OUTER ra=$EAST ln=$WNET.0/24 rn=$ENET.0/24 st=start
			if [ "$me" = east ]; then
				la=$EAST ra=$OUTER ln=$ENET.0/24 rn=$WNET.0/24 st=none
			fi
			# shellcheck disable=SC2059 # the format is ours
			printf "$fmt" "$i" "$la" "$ra" "$me" "$peer" "$ln" "$rn" "$st"
		done
		printf '}\nsecrets {\n    ike-1 {\n        id = %s\n        secret = "many tunnels"\n    }\n}\n' "$peer"
	} >"$1"
}

count() {	# count NS: "SAs policies"
	local st pol
	st=$(ip netns exec "$1" ip xfrm state) &&
		pol=$(ip netns exec "$1" ip xfrm policy) || return 1
	echo "$(grep -c '^src' <<<"$st") $(grep -c '^[[:space:]]*dir ' <<<"$pol")"
}

if ! setup; then
	echo "not ok - network namespaces with $n addresses"
	echo "0 passed, 1 failed"
	exit 1
fi
scale_conf "$tmp/east.conf" east
scale_conf "$tmp/west.conf" west
t0=$(date +%s.%N)
"${E[@]}" "$PQIKED" --config "$tmp/east.conf" --control "$tmp/east.ctl" >"$tmp/east.log" 2>&1 &
epid=$!
sleep 0.5
"${W[@]}" "$PQIKED" --config "$tmp/west.conf" --control "$tmp/west.ctl" >"$tmp/west.log" 2>&1 &
wpid=$!

up=0
for _ in $(seq $((240 + n))); do
	up=$(grep -c 'Child SA net installed' "$tmp/west.log")
	[ "$up" -ge "$n" ] && break
	kill -0 "$wpid" 2>/dev/null || break
	sleep 0.5
done
t1=$(date +%s.%N)
secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$t1")
eup=$(grep -c 'Child SA net installed' "$tmp/east.log")
if [ "$up" -eq "$n" ] && [ "$eup" -eq "$n" ]; then
	ok "$n tunnels up on both sides in $secs s (x25519 + ML-KEM-768 in pqrekey.ko; $n IKE SAs and $((2 * n)) ESP SAs each side)"
else
	notok "$n tunnels: west installed $up, east $eup Child SAs in $secs s"
	grep -v 'installed\|IKE_\|established\|listening' "$tmp/west.log" | tail -n 20 | indent
	grep -v 'installed\|IKE_\|established\|listening' "$tmp/east.log" | tail -n 20 | indent
fi
for ns in west east; do
	c=$(count "$ns")
	if [ "$c" = "$((2 * n)) $((3 * n))" ]; then
		ok "$ns: $((2 * n)) ESP SAs and $((3 * n)) policies in XFRM"
	else
		notok "$ns: XFRM has '$c' (SAs policies), expected $((2 * n)) $((3 * n))"
	fi
done
if "$PQIKECTL" --socket "$tmp/east.ctl" status --json >"$tmp/st" 2>&1 &&
   python3 -c '
import json, sys
sas = json.load(open(sys.argv[1]))["ike_sas"]
n = int(sys.argv[2])
sys.exit(not (len(sas) == n and all(s["state"] == "established" and s["child"] for s in sas)
              and len({s["connection"] for s in sas}) == n))' "$tmp/st" "$n"; then
	ok "pqikectl status --json: $n established IKE SAs with their Child SAs, one per connection"
else
	notok "pqikectl status with $n tunnels"
	head -c 600 "$tmp/st" | indent
fi
for i in 1 $((n / 2)) "$n"; do
	addr "$i"
	if "${W[@]}" ping -c 2 -W 5 -I "$WNET.1" "$ENET.1" >"$tmp/ping" 2>&1; then
		ok "ping through tunnel t$i"
	else
		notok "ping through tunnel t$i"
		indent <"$tmp/ping"
	fi
done
# rekeying at scale: the first and the last, Child SA then IKE SA
for i in 1 "$n"; do
	"$PQIKECTL" --socket "$tmp/west.ctl" rekey "t$i" >/dev/null 2>&1
	"$PQIKECTL" --socket "$tmp/west.ctl" rekey --ike "t$i" >/dev/null 2>&1
done
addr "$n"
if wait_log "$tmp/west.log" "pqiked\[t$n\]: info: IKE SA rekeyed" 30 &&
   wait_log "$tmp/west.log" "pqiked\[t1\]: info: IKE SA rekeyed" 5 &&
   [ "$(grep -c 'Child SA rekeyed with mlkem768' "$tmp/west.log")" -eq 2 ] &&
   "${W[@]}" ping -c 2 -W 5 -I "$WNET.1" "$ENET.1" >/dev/null 2>&1 &&
   [ "$(grep -c 'Child SA rekeyed' "$tmp/east.log")" -eq 2 ]; then
	ok "t1 and t$n rekeyed (Child SA with ML-KEM-768, then IKE SA), the other tunnels untouched, ping through t$n"
else
	notok "rekeying among $n tunnels"
	grep -E 'rekey|IKE SA' "$tmp/west.log" | tail -n 20 | indent
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"
if xfrm_empty west && xfrm_empty east; then
	ok "after SIGTERM no XFRM state or policy is left"
else
	notok "XFRM leftovers after SIGTERM: west '$(count west)', east '$(count east)'"
fi
h=$(handles)
if [ "$h" = 0 ]; then
	ok "no key handle left in pqrekey.ko"
else
	notok "$h key handles left (999: stats unreadable)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
