#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pqiked against strongSwan in a guest (tools/vm): Debian 12's strongSwan
# 5.9.8 (charon-systemd, swanctl; tools/deps installs them) in namespace
# "east", pqiked in "west" (selftests/lib-tunnel.sh). strongSwan 5.9.8 has
# no ML-KEM and no IKE_INTERMEDIATE: this checks the classical core that
# every hybrid exchange builds on (x25519, the key schedule, SK payloads,
# PSK AUTH, Child SA KEYMAT, ESP) against an independent implementation,
# with pqiked as initiator and as responder, and ping through ESP each
# time. Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
set -uo pipefail

PQIKED=${PQIKED:-build/user/pqiked}
tmp=$(mktemp -d)
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
indent() { sed 's/^/    /'; }

# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/lib-tunnel.sh"
cleanup() {
	pkill -KILL -x charon-systemd 2>/dev/null || true
	tunnel_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT

for m in xfrm_user esp4 gcm veth; do
	modprobe "$m" || { echo "not ok - modprobe $m"; echo "0 passed, 1 failed"; exit 1; }
done
tunnel_netns || { echo "not ok - network namespaces"; echo "0 passed, 1 failed"; exit 1; }

PROPOSAL=aes256gcm16-prfsha256-x25519
ESP=aes256gcm16
PSK="interop pre-shared key"

cat >"$tmp/strongswan.conf" <<END
charon-systemd {
    load_modular = yes
    plugins {
        include /etc/strongswan.d/charon/*.conf
    }
    filelog {
        charon {
            path = $tmp/charon.log
            default = 1
            ike = 2
        }
    }
    journal {
        default = -1
    }
}
END
cat >"$tmp/swanctl.conf" <<END
connections {
    east-west {
        version = 2
        local_addrs = 192.0.2.2
        remote_addrs = 192.0.2.1
        proposals = $PROPOSAL
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
                esp_proposals = $ESP
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

"${E[@]}" env STRONGSWAN_CONF="$tmp/strongswan.conf" /usr/sbin/charon-systemd \
	>"$tmp/charon.out" 2>&1 &
charon=$!
for _ in $(seq 50); do
	swanctl --stats >/dev/null 2>&1 && break
	sleep 0.2
done
if swanctl --load-all --file "$tmp/swanctl.conf" >"$tmp/load" 2>&1; then
	ok "strongSwan $(dpkg-query -W -f='${Version}' strongswan-swanctl) loaded the connection"
else
	notok "strongSwan did not start or load the connection"
	indent <"$tmp/load"
	indent <"$tmp/charon.out"
fi

esp_packets() {
	ip netns exec "$1" ip -s xfrm state |
		sed -n 's/.*, \([0-9][0-9]*\)(packets).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

# pqiked initiates
conf west-i west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	"$PROPOSAL" "$ESP" start "$PSK" "kem = user"
start west west-i west-i.log
wpid=$pid
if wait_log "$tmp/west-i.log" "Child SA net installed" 60; then
	ok "pqiked as initiator: IKE SA and Child SA with strongSwan"
else
	notok "pqiked as initiator"
	indent <"$tmp/west-i.log"
	tail -n 40 "$tmp/charon.log" | indent
fi
"${W[@]}" ping -c 3 -W 5 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" 2>&1
rc=$?
n=$(esp_packets east)
if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ]; then
	ok "pqiked as initiator: ping through ESP ($n packets in strongSwan's states)"
else
	notok "pqiked as initiator: ping (status $rc), $n ESP packets"
	indent <"$tmp/ping"
fi
kill -TERM "$wpid"
wait "$wpid"
swanctl --terminate --ike east-west --force >/dev/null 2>&1 || true
sleep 1

# strongSwan initiates, pqiked responds
conf west-r west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	"$PROPOSAL" "$ESP" none "$PSK" "kem = user"
start west west-r west-r.log
wpid=$pid
sleep 0.5
if swanctl --initiate --child net --timeout 30 >"$tmp/init" 2>&1 &&
   wait_log "$tmp/west-r.log" "Child SA net installed" 10; then
	ok "pqiked as responder: strongSwan's IKE SA and Child SA"
else
	notok "pqiked as responder"
	indent <"$tmp/west-r.log"
	tail -n 30 "$tmp/init" | indent
fi
"${W[@]}" ping -c 3 -W 5 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" 2>&1
rc=$?
n=$(esp_packets west)
if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ]; then
	ok "pqiked as responder: ping through ESP ($n packets in pqiked's states)"
else
	notok "pqiked as responder: ping (status $rc), $n ESP packets"
	indent <"$tmp/ping"
fi
kill -TERM "$wpid"
wait "$wpid"
kill -TERM "$charon"
wait "$charon"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
