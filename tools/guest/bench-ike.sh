#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# IKE SA set-up cost in a guest (run by tools/bench-ike; not a test: it
# never fails on numbers). Two namespaces as in selftests/lib-tunnel.sh,
# x25519 + ML-KEM-768 (aes256gcm16-prfsha384-x25519-ke1_mlkem768, ESP
# aes256gcm16), N sequential cycles of "bring the IKE SA and its Child SA
# up, then delete them", for each pair:
#   pqiked  <-> pqiked      (ML-KEM in pqrekey.ko; pqikectl up/down)
#   strongSwan 6.1 <-> strongSwan 6.1  (sid root; swanctl --initiate and
#                            --terminate, which wait for the exchanges)
#   pqiked  -> strongSwan 6.1 (pqiked initiating)
# For each: cycles per second (wall clock, the tools' process starts
# included) and the CPU time (user + system, from /proc/PID/stat) of the
# initiator and the responder per cycle. Under TCG the absolute figures
# are far from a real machine's; the ratios between the pairs, measured in
# the same guest one after the other, are what to read.
#   BENCH_N=100 (cycles per pair), PQ_SID_ROOT (the strongSwan 6.1 root)
set -uo pipefail

PQIKED=${PQIKED:-build/user/pqiked}
PQIKECTL=${PQIKECTL:-build/user/pqikectl}
SID=${PQ_SID_ROOT:-}
CYCLES=${BENCH_N:-100}
PROP=aes256gcm16-prfsha384-x25519-ke1_mlkem768
ESP=aes256gcm16
tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/../../selftests/lib-tunnel.sh"
cleanup() {
	pkill -KILL -x charon-systemd 2>/dev/null || true
	tunnel_cleanup
	if [ -n "$SID" ]; then
		umount "$SID/proc" "$SID/dev" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
die() { echo "bench-ike: $*" >&2; exit 1; }

for m in xfrm_user esp4 gcm veth pqrekey; do
	modprobe "$m" || die "modprobe $m"
done
tunnel_netns || die "network namespaces"
hz=$(getconf CLK_TCK)

# cpu PID: user + system time of PID in clock ticks
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
now() { date +%s.%N; }

# report LABEL T0 T1 IPID I0 I1 RPID R0 R1
report() {
	awk -v l="$1" -v n="$CYCLES" -v t0="$2" -v t1="$3" -v i0="$4" -v i1="$5" \
		-v r0="$6" -v r1="$7" -v hz="$hz" 'BEGIN {
		w = t1 - t0
		printf "%-34s %4d cycles in %6.1f s: %6.2f cycles/s, CPU per cycle: initiator %6.1f ms, responder %6.1f ms\n",
			l, n, w, n / w, (i1 - i0) * 1000 / hz / n, (r1 - r0) * 1000 / hz / n
	}'
}

# pqiked_wait CTL STATE: poll pqikectl status until STATE ("up"/"down")
pqiked_wait() {
	local i
	for i in $(seq 1000); do
		if [ "$2" = up ]; then
			grep -q 'net: INSTALLED' <<<"$("$PQIKECTL" --socket "$1" status)" && return 0
		else
			grep -q 'no IKE SA' <<<"$("$PQIKECTL" --socket "$1" status)" && return 0
		fi
		[ "$i" -gt 0 ] && sleep 0.01
	done
	return 1
}

# cycle LABEL: pqikectl up, wait for the Child SA, down, wait until gone
cycle() {
	if ! "$PQIKECTL" --socket "$tmp/w-bench.ctl" up west-east >/dev/null ||
	   ! pqiked_wait "$tmp/w-bench.ctl" up; then
		die "$1: no SA"
	fi
	if ! "$PQIKECTL" --socket "$tmp/w-bench.ctl" down west-east >/dev/null ||
	   ! pqiked_wait "$tmp/w-bench.ctl" down; then
		die "$1: no delete"
	fi
}

# --- pqiked <-> pqiked ------------------------------------------------------
conf w-bench west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 "$PROP" "$ESP" \
	none "bench key" "kem = kernel"
conf e-bench east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 "$PROP" "$ESP" \
	none "bench key" "kem = kernel"
start east e-bench e-bench.log
epid=$pid
start west w-bench w-bench.log
wpid=$pid
sleep 1
i0=$(cpu "$wpid") r0=$(cpu "$epid") t0=$(now)
for _ in $(seq "$CYCLES"); do
	cycle "pqiked <-> pqiked"
done
t1=$(now) i1=$(cpu "$wpid") r1=$(cpu "$epid")
report "pqiked <-> pqiked" "$t0" "$t1" "$i0" "$i1" "$r0" "$r1"
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

if [ -z "$SID" ] || [ ! -x "$SID/usr/sbin/charon-systemd" ]; then
	die "no strongSwan 6.1 root at '$SID' (tools/deps makes it)"
fi
if ! mount -t proc proc "$SID/proc" || ! mount --bind /dev "$SID/dev"; then
	die "cannot prepare $SID"
fi

# ss_start NS NAME LOCAL REMOTE LID RID LNET RNET: a charon in NS, its
# swanctl.conf loaded; its pid in $pid, its vici URI in $uri
ss_start() {
	local dir=$SID/tmp/bench-$2 cdir=/tmp/bench-$2 i
	mkdir -p "$dir"
	cat >"$dir/strongswan.conf" <<END
charon-systemd {
    load_modular = yes
    plugins {
        include /etc/strongswan.d/charon/*.conf
        vici {
            socket = unix://$cdir/vici
        }
    }
    journal {
        default = -1
    }
}
END
	cat >"$dir/swanctl.conf" <<END
connections {
    $2 {
        local_addrs = $3
        remote_addrs = $4
        proposals = $PROP
        local {
            auth = psk
            id = $5
        }
        remote {
            auth = psk
            id = $6
        }
        children {
            net {
                local_ts = $7
                remote_ts = $8
                esp_proposals = $ESP
            }
        }
    }
}
secrets {
    ike-1 {
        id = $6
        secret = "bench key"
    }
}
END
	ip netns exec "$1" chroot "$SID" env STRONGSWAN_CONF="$cdir/strongswan.conf" \
		/usr/sbin/charon-systemd >"$tmp/$2.charon" 2>&1 &
	pid=$!
	uri=unix://$cdir/vici
	for i in $(seq 100); do
		ip netns exec "$1" chroot "$SID" swanctl --stats --uri "$uri" >/dev/null 2>&1 && break
		[ "$i" = 100 ] && die "charon $2 did not start"
		sleep 0.1
	done
	if ! ip netns exec "$1" chroot "$SID" swanctl --load-all --uri "$uri" \
		--file "$cdir/swanctl.conf" >"$tmp/$2.load" 2>&1; then
		cat "$tmp/$2.load" >&2
		die "charon $2: load"
	fi
}

ss_start east ss-e 192.0.2.2 192.0.2.1 east west 10.2.0.0/24 10.1.0.0/24
epid=$pid
# --- strongSwan <-> strongSwan ---------------------------------------------
ss_start west ss-w 192.0.2.1 192.0.2.2 west east 10.1.0.0/24 10.2.0.0/24
wpid=$pid wuri=$uri
SW=("${W[@]}" chroot "$SID" swanctl --uri "$wuri")
sleep 1
i0=$(cpu "$wpid") r0=$(cpu "$epid") t0=$(now)
for _ in $(seq "$CYCLES"); do
	"${SW[@]}" --initiate --child net --timeout 30 >/dev/null || die "strongSwan: no SA"
	"${SW[@]}" --terminate --ike ss-w --timeout 30 >/dev/null || die "strongSwan: no delete"
done
t1=$(now) i1=$(cpu "$wpid") r1=$(cpu "$epid")
report "strongSwan 6.1 <-> strongSwan 6.1" "$t0" "$t1" "$i0" "$i1" "$r0" "$r1"
kill -TERM "$wpid"
wait "$wpid"

# --- pqiked -> strongSwan ---------------------------------------------------
start west w-bench w-bench2.log
wpid=$pid
sleep 1
i0=$(cpu "$wpid") r0=$(cpu "$epid") t0=$(now)
for _ in $(seq "$CYCLES"); do
	cycle "pqiked -> strongSwan"
done
t1=$(now) i1=$(cpu "$wpid") r1=$(cpu "$epid")
report "pqiked -> strongSwan 6.1" "$t0" "$t1" "$i0" "$i1" "$r0" "$r1"
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"
