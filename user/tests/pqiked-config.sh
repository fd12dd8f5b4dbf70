#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pqiked's configuration parser through pqiked --check (no root, no
# network): a good file passes (status 0), and each broken variant of it
# is refused with status 2 and a message naming the file, the line and the
# setting. The rekeying settings are among them: the connection's
# rekey_time (the IKE SA's), the child's rekey_time and life_time, key
# exchanges in esp_proposals.
#   pqiked-config.sh PQIKED
# Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
#
# Copyright (C) 2026 The pqrekey authors.
set -uo pipefail

pqiked=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# the good file; the cases below replace one of its lines
good() {
	cat <<'END'
connections {
    west-east {
        local_addrs = 192.0.2.1
        remote_addrs = 192.0.2.2
        proposals = aes256gcm16-prfsha384-x25519-ke1_mlkem768
        rekey_time = 4h
        dpd_delay = 30s
        local {
            auth = psk
            id = west
        }
        remote {
            auth = psk
            id = east
        }
        children {
            net {
                local_ts = 10.1.0.0/24
                remote_ts = 10.2.0.0/24
                esp_proposals = aes256gcm16-x25519-ke1_mlkem768
                rekey_time = 1h
                life_time = 66m
            }
        }
    }
}
secrets {
    ike-1 {
        id = "east"
        secret = "a long pre-shared key"
    }
}
END
}

# case LABEL FROM TO WANT: line FROM replaced by TO must give status 2 and
# a message with WANT and the file:line, a real line (WANT empty: status
# 0, "OK")
case_() {
	local label=$1 out rc
	good | sed "s|$2|$3|" >"$tmp/c.conf"
	if ! grep -qF -- "$3" "$tmp/c.conf"; then
		echo "not ok - $label: the case did not apply"
		fail=$((fail + 1))
		return
	fi
	out=$("$pqiked" --check --config "$tmp/c.conf" 2>&1)
	rc=$?
	if [ -z "$4" ] && [ "$rc" -eq 0 ] && [[ $out == *"1 connection(s) OK"* ]]; then
		echo "ok - $label: accepted"
		pass=$((pass + 1))
	elif [ -n "$4" ] && [ "$rc" -eq 2 ] && [[ $out == *"$tmp/c.conf:"[1-9]*": "*"$4"* ]]; then
		echo "ok - $label: refused ($out)"
		pass=$((pass + 1))
	else
		echo "not ok - $label: status $rc: $out"
		fail=$((fail + 1))
	fi
}

case_ "the good file" "rekey_time = 4h" "rekey_time = 4h" ""
case_ "IKE SA rekey_time = 0 (never)" "rekey_time = 4h" "rekey_time = 0" ""
case_ "IKE SA rekey_time in days" "rekey_time = 4h" "rekey_time = 1d" ""
case_ "IKE SA rekey_time garbage" "rekey_time = 4h" "rekey_time = 4x" "rekey_time = '4x'"
case_ "IKE SA rekey_time negative" "rekey_time = 4h" "rekey_time = -5" "rekey_time = '-5'"
case_ "IKE SA rekey_time over 30d" "rekey_time = 4h" "rekey_time = 31d" "expected a time up to 30d"
case_ "child rekey_time garbage" "rekey_time = 1h" "rekey_time = soon" "rekey_time = 'soon'"
case_ "child life_time not after rekey_time" "life_time = 66m" "life_time = 1h" \
	"life_time must be longer than rekey_time"
case_ "dpd_delay in days" "dpd_delay = 30s" "dpd_delay = 1d" "dpd_delay = '1d'"
case_ "ESP proposal with ML-KEM alone" "esp_proposals = .*" "esp_proposals = aes256gcm16-mlkem768" ""
case_ "ESP proposal with a PRF" "esp_proposals = .*" "esp_proposals = aes256gcm16-prfsha256" \
	"a PRF is for IKE proposals only"
case_ "ESP proposal with an unknown method" "esp_proposals = .*" \
	"esp_proposals = aes256gcm16-x448" "unknown algorithm 'x448'"
case_ "FrodoKEM as the IKE_SA_INIT method" "proposals = aes256gcm16-prfsha384.*" \
	"proposals = aes256gcm16-prfsha384-frodo976aes" "FrodoKEM only as an additional exchange"
case_ "an unknown connection setting" "dpd_delay = 30s" "reauth_time = 1h" "unknown setting 'reauth_time'"
case_ "no secret for the peer" 'id = "east"' 'id = "nobody"' "no secret with id = east"

# many connections: the limit (IKED_MAX_CONNS, 4096) and one more
many() {	# many N: N connections, each its own peer address and subnets
	local i
	echo "connections {"
	for ((i = 0; i < $1; i++)); do
		printf '    c%d {\n        local_addrs = 192.0.2.1\n' "$i"
		printf '        remote_addrs = 10.%d.%d.1\n' $((i / 256)) $((i % 256))
		printf '        proposals = aes256gcm16-prfsha256-x25519-ke1_mlkem768\n'
		printf '        local {\n            auth = psk\n            id = west\n        }\n'
		printf '        remote {\n            auth = psk\n            id = east\n        }\n'
		printf '        children {\n            net {\n'
		printf '                local_ts = 172.16.%d.%d/32\n' $((i / 256)) $((i % 256))
		printf '                remote_ts = 172.17.%d.%d/32\n' $((i / 256)) $((i % 256))
		printf '            }\n        }\n    }\n'
	done
	printf '}\nsecrets {\n    ike-1 {\n        id = east\n        secret = "k"\n    }\n}\n'
}
many 4096 >"$tmp/many.conf"
out=$("$pqiked" --check --config "$tmp/many.conf" 2>&1)
if [[ $out == *"4096 connection(s) OK"* ]]; then
	echo "ok - 4096 connections: accepted"
	pass=$((pass + 1))
else
	echo "not ok - 4096 connections: $out"
	fail=$((fail + 1))
fi
many 4097 >"$tmp/many.conf"
out=$("$pqiked" --check --config "$tmp/many.conf" 2>&1)
rc=$?
if [ "$rc" -eq 2 ] && [[ $out == *"many.conf:"[1-9]*": more than 4096 connections"* ]]; then
	echo "ok - 4097 connections: refused ($out)"
	pass=$((pass + 1))
else
	echo "not ok - 4097 connections: status $rc: $out"
	fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
