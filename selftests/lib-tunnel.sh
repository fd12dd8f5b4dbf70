# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
#
# Two network namespaces joined by a veth pair, and pqiked configurations
# for them: what selftests/pqiked.sh and the demo (tools/demo) share.
# Source it in a guest after setting PQIKED and tmp (a directory); it
# defines W and E (commands prefixes for "west" and "east"), and:
#   tunnel_netns      west 192.0.2.1 + 10.1.0.1, east 192.0.2.2 + 10.2.0.1
#   tunnel_nat_netns  the same with west behind a NAT (see there)
#   conf NAME ME PEER LOCAL REMOTE LNET RNET PROPOSALS ESP START PSK EXTRA
#                     writes $tmp/NAME.conf (MODE=transport: the child's mode;
#                     CHILD_EXTRA: one more line in the child section)
#   start NS CONF LOG pqiked in NS in the background, its pid in $pid, its
#                     control socket $tmp/CONF.ctl (pqikectl --socket)
#   pair NAME         east-NAME, then west-NAME: $epid, $wpid
#   stop_pair LABEL   SIGTERM to both, then nothing may be left in XFRM
#   wait_log FILE PATTERN SECONDS
#   xfrm_empty NS     no XFRM state or policy in NS (socket policies aside)
#   handles           live pqrekey key handles in both namespaces
#   ok, notok, indent the tests' result lines, counted in $pass and $fail
#
# Copyright (C) 2026 The pqrekey authors.

# shellcheck disable=SC2154,SC2034 # tmp is the caller's; pid is for it
# The guest tests' counters: ok/notok count, "N passed, N failed" is theirs.
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
indent() { sed 's/^/    /'; }

W=(ip netns exec west)
E=(ip netns exec east)

tunnel_cleanup() {	# never fails: it runs from EXIT traps
	pkill -KILL -x pqiked 2>/dev/null || true
	ip netns del west 2>/dev/null || true
	ip netns del east 2>/dev/null || true
	ip netns del nat 2>/dev/null || true
}

# tunnel_nat_netns: west 192.168.1.2 + 10.1.0.1 behind "nat", which
# masquerades it as 192.0.2.1 with source ports 40000-40999 (so addresses
# and ports change); east 192.0.2.2 + 10.2.0.1
tunnel_nat_netns() {
	local N=(ip netns exec nat)
	modprobe -a nf_tables nft_chain_nat nft_masq nf_nat &&
	ip netns add west && ip netns add east && ip netns add nat &&
	ip link add vw netns west type veth peer name n1 netns nat &&
	ip link add ve netns east type veth peer name n2 netns nat &&
	"${W[@]}" ip addr add 192.168.1.2/24 dev vw &&
	"${N[@]}" ip addr add 192.168.1.1/24 dev n1 &&
	"${N[@]}" ip addr add 192.0.2.1/24 dev n2 &&
	"${E[@]}" ip addr add 192.0.2.2/24 dev ve &&
	"${W[@]}" ip addr add 10.1.0.1/32 dev lo &&
	"${E[@]}" ip addr add 10.2.0.1/32 dev lo &&
	for ns in west east nat; do ip -n "$ns" link set lo up || return 1; done &&
	"${W[@]}" ip link set vw up && "${E[@]}" ip link set ve up &&
	"${N[@]}" ip link set n1 up && "${N[@]}" ip link set n2 up &&
	"${N[@]}" sysctl -qw net.ipv4.ip_forward=1 &&
	"${W[@]}" ip route add default via 192.168.1.1 &&
	"${E[@]}" ip route add 10.1.0.0/24 via 192.0.2.1 &&
	"${N[@]}" nft add table ip nat &&
	"${N[@]}" nft add chain ip nat post '{ type nat hook postrouting priority 100; }' &&
	"${N[@]}" nft add rule ip nat post oifname n2 meta l4proto udp \
		masquerade to :40000-40999 &&
	"${N[@]}" nft add rule ip nat post oifname n2 masquerade
}

tunnel_netns() {
	ip netns add west && ip netns add east &&
	ip link add vw netns west type veth peer name ve netns east &&
	"${W[@]}" ip addr add 192.0.2.1/24 dev vw &&
	"${E[@]}" ip addr add 192.0.2.2/24 dev ve &&
	"${W[@]}" ip addr add 10.1.0.1/32 dev lo &&
	"${E[@]}" ip addr add 10.2.0.1/32 dev lo &&
	"${W[@]}" ip link set lo up && "${E[@]}" ip link set lo up &&
	"${W[@]}" ip link set vw up && "${E[@]}" ip link set ve up &&
	"${W[@]}" ip route add 10.2.0.0/24 via 192.0.2.2 &&
	"${E[@]}" ip route add 10.1.0.0/24 via 192.0.2.1
}

# pair NAME: pqiked in east ($tmp/east-NAME.conf), then in west
# ($tmp/west-NAME.conf), logs east-NAME.log and west-NAME.log; pids in
# $epid and $wpid
pair() {
	start east "east-$1" "east-$1.log"
	epid=$pid
	sleep 0.5
	start west "west-$1" "west-$1.log"
	wpid=$pid
}

# stop_pair LABEL: SIGTERM to both daemons of pair; then no XFRM state or
# policy may be left in either namespace
stop_pair() {
	kill -TERM "$wpid" "$epid"
	wait "$wpid" "$epid"
	if xfrm_empty west && xfrm_empty east; then
		ok "$1: after SIGTERM no XFRM state or policy is left"
	else
		notok "$1: XFRM leftovers after SIGTERM"
		"${W[@]}" ip xfrm state | indent
		"${E[@]}" ip xfrm state | indent
	fi
}

# conf NAME ME PEER LOCAL REMOTE LNET RNET PROPOSALS ESP START PSK EXTRA
conf() {
	cat >"$tmp/$1.conf" <<EOF
# pqiked test configuration ($1)
connections {
    $2-$3 {
        local_addrs = $4
        remote_addrs = $5
        proposals = $8
        ${12}
        local {
            auth = psk
            id = $2
        }
        remote {
            auth = psk
            id = $3
        }
        children {
            net {
                local_ts = $6
                remote_ts = $7
                esp_proposals = $9
                mode = ${MODE:-tunnel}
                ${CHILD_EXTRA:-}
                start_action = ${10}
            }
        }
    }
}
secrets {
    ike-1 {
        id = $3
        secret = "${11}"
    }
}
EOF
}

pid=
start() {	# start NS CONF LOG: the daemon in the background, its pid in $pid
	ip netns exec "$1" "$PQIKED" --config "$tmp/$2.conf" --control "$tmp/$2.ctl" \
		>"$tmp/$3" 2>&1 &
	pid=$!
}

# wait_log FILE PATTERN SECONDS
wait_log() {
	local i
	for ((i = 0; i < $3 * 5; i++)); do
		grep -q -- "$2" "$1" && return 0
		sleep 0.2
	done
	return 1
}

# xfrm_empty NS: no state, no policy (but the per-socket policies with
# which a running pqiked's IKE sockets bypass IPsec: "socket in/out")
xfrm_empty() {
	local st pol
	st=$(ip netns exec "$1" ip xfrm state) &&
		pol=$(ip netns exec "$1" ip xfrm policy) &&
		[ -z "$st" ] && ! grep -q '^[[:space:]]*dir ' <<<"$pol"
}

handles() {	# live key handles in both namespaces
	local a b
	a=$("${W[@]}" "$PQKEM" stats 2>/dev/null | sed -n 's/^handles: //p')
	b=$("${E[@]}" "$PQKEM" stats 2>/dev/null | sed -n 's/^handles: //p')
	echo $((${a:-999} + ${b:-999}))
}

