#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pqiked against strongSwan in a guest (tools/vm), strongSwan in namespace
# "east", pqiked in "west" (selftests/lib-tunnel.sh), each case with
# pqiked as initiator and as responder and a ping through ESP each time,
# then a rekeying of the Child SA (CREATE_CHILD_SA, with the ESP proposal's
# key exchanges) and one of the IKE SA (the IKE proposal's key exchanges,
# RFC 9370 IKE_FOLLOWUP_KEs), by pqiked when it initiated the IKE SA, by
# strongSwan when it did, and a ping through the SAs after each:
#  - Debian 12's strongSwan 5.9.8 (tools/deps installs it), x25519 and
#    ECP-256: no ML-KEM and no IKE_INTERMEDIATE there, so this checks the
#    classical core every hybrid exchange builds on;
#  - strongSwan 6.1 from the Debian sid root of tools/deps ($PQ_SID_ROOT,
#    its charon chrooted there), x25519 + ke1_mlkem768, mlkem768 alone,
#    x25519 + ke1_mlkem1024 and x25519 + ke1_mlkem768 + ke2_mlkem1024 (the
#    last two in RFC 7383 fragments both ways): IKE_INTERMEDIATE, IntAuth,
#    fragmentation and the draft's ML-KEM exchanges, with pqiked's ML-KEM in
#    pqrekey.ko; Child SAs that rekey with ML-KEM-768 alone and with x25519
#    + ML-KEM-768 (an IKE_FOLLOWUP_KE, RFC 9370).
# Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
set -uo pipefail

PQIKED=${PQIKED:-build/user/pqiked}
PQIKECTL=${PQIKECTL:-build/user/pqikectl}
SID=${PQ_SID_ROOT:-}
tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/lib-tunnel.sh"
cleanup() {
	pkill -KILL -x charon-systemd 2>/dev/null || true
	tunnel_cleanup
	if [ -n "$SID" ]; then
		umount "$SID/proc" "$SID/dev" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT

for m in xfrm_user esp4 gcm chacha20poly1305 veth pqrekey; do
	modprobe "$m" || { echo "not ok - modprobe $m"; echo "0 passed, 1 failed"; exit 1; }
done
tunnel_netns || { echo "not ok - network namespaces"; echo "0 passed, 1 failed"; exit 1; }

PSK="interop pre-shared key"

# ss_conf DIR PROPOSAL ESP: strongswan.conf and swanctl.conf for east
ss_conf() {
	mkdir -p "$1"
	cat >"$1/strongswan.conf" <<END
charon-systemd {
    load_modular = yes
    plugins {
        include /etc/strongswan.d/charon/*.conf
    }
    filelog {
        charon {
            path = $1/charon.log
            default = 1
            ike = 2
        }
    }
    journal {
        default = -1
    }
}
END
	cat >"$1/swanctl.conf" <<END
connections {
    east-west {
        version = 2
        local_addrs = 192.0.2.2
        remote_addrs = 192.0.2.1
        proposals = $2
        local {
            auth = psk
            id = east
        }
        remote {
            auth = psk
            id = west
        }
        children {
            net {
                local_ts = 10.2.0.0/24
                remote_ts = 10.1.0.0/24
                esp_proposals = $3
                mode = tunnel
            }
        }
    }
}
secrets {
    ike-1 {
        id = west
        secret = "$PSK"
    }
}
END
}

esp_packets() {
	ip netns exec "$1" ip -s xfrm state |
		sed -n 's/.*, \([0-9][0-9]*\)(packets).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

# ping_check LABEL NS: ping west -> east; NS's ESP states must count it
ping_check() {
	local rc n
	"${W[@]}" ping -c 3 -W 5 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" 2>&1
	rc=$?
	n=$(esp_packets "$2")
	if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ]; then
		ok "$1: ping through ESP ($n packets in $2's states)"
	else
		notok "$1: ping (status $rc), $n ESP packets"
		indent <"$tmp/ping"
	fi
}

# rekey_check LABEL WHO LOG DONE GONE: pqiked's LOG must show the rekeying
# (DONE: "rekeyed with" or "rekeyed by the peer with" for the Child SA,
# "IKE SA rekeyed with" for the IKE SA; the key exchanges follow) and the
# old SA gone (GONE); uses $dir (charon.log) of the caller
rekey_check() {
	local log=$tmp/$3 what sa="the Child SA" done=$4
	case $4 in
	IKE*) sa="the IKE SA" ;;
	*) done="Child SA $4" ;;
	esac
	if wait_log "$log" "$done" 30 && wait_log "$log" "$5" 10; then
		what=$(grep -o "$4 [^:]*" "$log" | head -n 1)
		ok "$1: $2 rekeys $sa ($what)"
	else
		notok "$1: $2's rekeying of $sa"
		indent <"$tmp/rekey"
		indent <"$log"
		tail -n 40 "$dir/charon.log" | indent
	fi
}

# strongswan LABEL ROOT PROPOSAL ESP KEM [frag] [SETTING]: both roles against the
# charon of ROOT ("" = the host's); pqiked's ML-KEM in the kernel or
# in-process (KEM); frag: pqiked, initiating, must have sent and
# reassembled RFC 7383 fragments (both at their default 1280 bytes);
# SETTING: one more setting for pqiked as responder (cookie_threshold = 0:
# it must have asked strongSwan for a cookie)
strongswan() {
	local label=$1 root=$2 dir wpid charon version
	local -a ss=("${E[@]}")
	dir=$tmp/$label
	if [ -n "$root" ]; then
		dir=$root/tmp/pqrekey-interop
		ss=("${E[@]}" chroot "$root")
		if ! { mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev"; }; then
			notok "$label: cannot prepare $root"
			return
		fi
	fi
	ss_conf "$dir" "$3" "$4"
	local cdir=${dir#"$root"}
	"${ss[@]}" env STRONGSWAN_CONF="$cdir/strongswan.conf" /usr/sbin/charon-systemd \
		>"$tmp/$label.charon.out" 2>&1 &
	charon=$!
	for _ in $(seq 50); do
		"${ss[@]}" swanctl --stats >/dev/null 2>&1 && break
		sleep 0.2
	done
	# shellcheck disable=SC2016 # a dpkg-query format
	version=$("${ss[@]}" dpkg-query -W -f='${Version}' strongswan-swanctl)
	if "${ss[@]}" swanctl --load-all --file "$cdir/swanctl.conf" >"$tmp/load" 2>&1; then
		ok "$label: strongSwan $version loaded $3"
	else
		notok "$label: strongSwan did not start or load the connection"
		indent <"$tmp/load"
		indent <"$tmp/$label.charon.out"
	fi

	conf "$label-i" west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
		"$3" "$4" start "$PSK" "kem = $5"
	start west "$label-i" "$label-i.log"
	wpid=$pid
	if wait_log "$tmp/$label-i.log" "Child SA net installed" 60; then
		ok "$label: pqiked as initiator, IKE SA and Child SA with strongSwan"
	else
		notok "$label: pqiked as initiator"
		indent <"$tmp/$label-i.log"
		tail -n 40 "$dir/charon.log" | indent
	fi
	ping_check "$label, pqiked initiating" east
	"$PQIKECTL" --socket "$tmp/$label-i.ctl" rekey west-east >"$tmp/rekey" 2>&1
	rekey_check "$label" pqiked "$label-i.log" "rekeyed with" "old Child SA deleted"
	ping_check "$label, after pqiked's rekeying" east
	"$PQIKECTL" --socket "$tmp/$label-i.ctl" rekey --ike west-east >"$tmp/rekey" 2>&1
	rekey_check "$label" pqiked "$label-i.log" "IKE SA rekeyed with" "IKE SA deleted"
	ping_check "$label, after pqiked's IKE SA rekeying" east
	if [ "${6:-}" = frag ]; then
		if grep -q 'in [0-9]* fragments (RFC 7383)' "$tmp/$label-i.log" &&
		   grep -q 'reassembled [0-9]* bytes of payloads from [0-9]* fragments' \
			"$tmp/$label-i.log"; then
			ok "$label: RFC 7383 fragments both ways"
		else
			notok "$label: no RFC 7383 fragments sent and received by pqiked"
		fi
	fi
	kill -TERM "$wpid"
	wait "$wpid"
	"${ss[@]}" swanctl --terminate --ike east-west --force >/dev/null 2>&1 || true
	sleep 1

	conf "$label-r" west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
		"$3" "$4" none "$PSK" "kem = $5
        ${7:-}"
	start west "$label-r" "$label-r.log"
	wpid=$pid
	sleep 0.5
	if "${ss[@]}" swanctl --initiate --child net --timeout 30 >"$tmp/init" 2>&1 &&
	   wait_log "$tmp/$label-r.log" "Child SA net installed" 10; then
		ok "$label: pqiked as responder, strongSwan's IKE SA and Child SA"
	else
		notok "$label: pqiked as responder"
		indent <"$tmp/$label-r.log"
		tail -n 30 "$tmp/init" | indent
	fi
	ping_check "$label, strongSwan initiating" west
	"${ss[@]}" swanctl --rekey --child net >"$tmp/rekey" 2>&1
	rekey_check "$label" strongSwan "$label-r.log" "rekeyed by the peer with" \
		"outbound now on"
	ping_check "$label, after strongSwan's rekeying" west
	"${ss[@]}" swanctl --rekey --ike east-west >"$tmp/rekey" 2>&1
	rekey_check "$label" strongSwan "$label-r.log" "IKE SA rekeyed with" \
		"the peer deleted the IKE SA"
	ping_check "$label, after strongSwan's IKE SA rekeying" west
	case ${7:-} in
	cookie_threshold*)
		if grep -q 'answered an IKE_SA_INIT request with a cookie' "$tmp/$label-r.log"; then
			ok "$label: pqiked asked strongSwan for a cookie (RFC 7296 2.6)"
		else
			notok "$label: no cookie asked for"
		fi
		;;
	esac
	kill -TERM "$wpid"
	wait "$wpid"
	kill -TERM "$charon"
	wait "$charon"
	if [ -n "$root" ]; then
		umount "$root/proc" "$root/dev"
	fi
	if xfrm_empty west && xfrm_empty east; then
		ok "$label: nothing left in XFRM"
	else
		notok "$label: XFRM leftovers"
		"${E[@]}" ip xfrm state | indent
	fi
}

strongswan ss598-x25519 "" aes256gcm16-prfsha256-x25519 aes256gcm16-x25519 user
strongswan ss598-ecp256 "" aes128gcm16-prfsha256-ecp256 aes128gcm16 user
if [ -z "$SID" ] || [ ! -x "$SID/usr/sbin/charon-systemd" ]; then
	notok "no strongSwan 6.1 root at '$SID' (tools/deps makes it; tools/vm --env PQ_SID_ROOT=...)"
else
	strongswan ss61-x25519-mlkem768 "$SID" \
		aes256gcm16-prfsha384-x25519-ke1_mlkem768 aes256gcm16 kernel "" \
		"cookie_threshold = 0"
	strongswan ss61-mlkem768 "$SID" aes128gcm16-prfsha256-mlkem768 \
		aes128gcm16-mlkem768 kernel
	strongswan ss61-x25519-mlkem1024 "$SID" \
		aes256gcm16-prfsha384-x25519-ke1_mlkem1024 \
		aes256gcm16-x25519-ke1_mlkem768 kernel frag
	strongswan ss61-x25519-mlkem768-mlkem1024 "$SID" \
		aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_mlkem1024 chacha20poly1305 \
		kernel frag
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
