#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# pqiked <-> pqiked in a guest (tools/vm): two network namespaces, "west"
# (192.0.2.1, subnet 10.1.0.0/24) and "east" (192.0.2.2, 10.2.0.0/24),
# joined by a veth pair. For each case a pair of configurations, both
# daemons started, then:
#   - both log the Child SA installed; ping from 10.1.0.1 to 10.2.0.1
#     goes through; the ESP state's packet counter moved;
#   - after SIGTERM: no XFRM state or policy left in either namespace and
#     no key handle left in pqrekey.ko;
# Cases: x25519 + ML-KEM-768; transport mode with iperf3 for 3 s; ECP-256 + ML-KEM-768 + ML-KEM-512 with
# ChaCha20-Poly1305; ML-KEM-512 alone in IKE_SA_INIT with ESN; ML-KEM-1024
# in 576-byte RFC 7383 fragments; two additional exchanges (ML-KEM-1024,
# ML-KEM-512) fragmented at the default 1280 bytes; x25519 + ML-KEM-768 +
# FrodoKEM-976-AES (ADDKE2, in pqrekey.ko, 15.8 KB shares in fragments); a responder that asks
# for cookies (RFC 7296 2.6), liveness checks (dpd_delay), pqikectl down
# (INFORMATIONAL Delete) while both run, pqikectl reload and SIGHUP;
# rekeying with x25519 + ML-KEM-768 every 4 s and on pqikectl rekey, and
# of the IKE SA (rekey_time, pqikectl rekey --ike), while a ping runs (none
# lost, new SPIs, old SAs gone), a rekeying the peer
# refuses (then life_time ends the Child SA); west
# behind a NAT that rewrites addresses and ports (NAT detection, port
# 4500, ESP in UDP);
# and the failure paths: two peers on one address at once, one with a wrong
# key (the other is served); a peer that goes silent mid-exchange
# (retransmissions, then cleanup); crafted peers (build/user/ike_peer) with
# a bad-modulus or short ML-KEM key (INVALID_SYNTAX) and a short ciphertext
# (abort); a wrong pre-shared key (AUTHENTICATION_FAILED,
# nothing installed), a classical peer when ML-KEM is required
# (NO_PROPOSAL_CHOSEN), and a daemon killed with SIGKILL whose successor
# removes its leftovers (and only pqiked's: a hand-made SA stays).
# Run from the repository root: tools/vm --kernel 6.1 -- selftests/pqiked.sh
# Prints "ok - ..." / "not ok - ..." and "N passed, N failed".
set -uo pipefail

PQIKED=${PQIKED:-build/user/pqiked}
PQKEM=${PQKEM:-build/user/pqkem}
PQIKECTL=${PQIKECTL:-build/user/pqikectl}
IKE_PEER=${IKE_PEER:-build/user/ike_peer}
tmp=$(mktemp -d)
# shellcheck source=selftests/lib-tunnel.sh
. "$(dirname "$0")/lib-tunnel.sh"
cleanup() {
	tunnel_cleanup
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -x "$PQIKED" ] || [ ! -x "$IKE_PEER" ]; then
	echo "not ok - no $PQIKED or $IKE_PEER (make user first)"
	echo "0 passed, 1 failed"
	exit 1
fi
for m in xfrm_user esp4 gcm chacha20poly1305 veth pqrekey; do
	modprobe "$m" || { echo "not ok - modprobe $m"; echo "0 passed, 1 failed"; exit 1; }
done
tunnel_netns || { echo "not ok - network namespaces"; echo "0 passed, 1 failed"; exit 1; }

# tunnel NAME PROPOSALS ESP KES [SETTING [FRAGMENTS]]: a good case, end
# to end; KES: the key exchange methods pqikectl status must name, joined by
# '-'; SETTING: one more connection setting for both sides; FRAGMENTS=frag:
# both sides must have sent and reassembled RFC 7383 fragments

tunnel() {
	local name=$1 wpid epid n extra=${5:-} side
	conf "west-$name" west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
		"$2" "$3" start "the key $name" "kem = kernel
        $extra"
	conf "east-$name" east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
		"$2" "$3" none "the key $name" "kem = kernel
        $extra"
	pair "$name"
	if wait_log "$tmp/west-$name.log" "Child SA net installed" 60 &&
	   wait_log "$tmp/east-$name.log" "Child SA net installed" 10; then
		ok "$name: both sides installed the Child SA"
	else
		notok "$name: no Child SA"
		indent <"$tmp/west-$name.log"
		indent <"$tmp/east-$name.log"
	fi
	if [ "${6:-}" = frag ]; then
		for side in west east; do
			if grep -q 'in [0-9]* fragments (RFC 7383)' "$tmp/$side-$name.log" &&
			   grep -q 'reassembled [0-9]* bytes of payloads from [0-9]* fragments' \
				"$tmp/$side-$name.log"; then
				ok "$name: $side sent and reassembled RFC 7383 fragments"
			else
				notok "$name: $side did not use RFC 7383 fragmentation"
			fi
		done
	fi
	# pqikectl status: JSON for scripts, text for people
	if "$PQIKECTL" --socket "$tmp/west-$name.ctl" status --json >"$tmp/st" 2>&1 &&
	   python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sa = d["ike_sas"][0]
want = sys.argv[2].split("-")
ok = (len(d["ike_sas"]) == 1 and sa["state"] == "established" and
      sa["role"] == "initiator" and sa["child"] and
      sa["child"]["mode"] == "tunnel" and
      all(k in sa["key_exchanges"].split("+") for k in want))
sys.exit(not ok)' "$tmp/st" "$4" &&
	   grep -q 'net: INSTALLED, TUNNEL' <<<"$("$PQIKECTL" --socket "$tmp/west-$name.ctl" status)"; then
		ok "$name: pqikectl status (text and --json) shows the SA and its key exchanges"
	else
		notok "$name: pqikectl status"
		indent <"$tmp/st"
	fi
	"$PQIKECTL" --socket "$tmp/west-$name.ctl" up west-east >"$tmp/up" 2>&1
	rc=$?
	if [ "$rc" -eq 1 ] && grep -q 'already established' "$tmp/up"; then
		ok "$name: pqikectl up of an established connection is refused"
	else
		notok "$name: pqikectl up: status $rc"
		indent <"$tmp/up"
	fi
	# CAP_NET_ADMIN (12) and CAP_NET_BIND_SERVICE (10) only, no new privileges
	if grep -q '^CapEff:[[:space:]]*0*1400$' "/proc/$wpid/status" &&
	   grep -q '^CapBnd:[[:space:]]*0*1400$' "/proc/$wpid/status" &&
	   grep -q '^NoNewPrivs:[[:space:]]*1$' "/proc/$wpid/status"; then
		ok "$name: pqiked kept CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only"
	else
		notok "$name: pqiked's capabilities"
		grep -E '^(Cap|NoNewPrivs)' "/proc/$wpid/status" | indent
	fi
	# the routes alone would carry the ping in clear: the ESP states'
	# counters must show it (3 requests in, 3 replies out)
	"${W[@]}" ping -c 3 -W 5 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" 2>&1
	rc=$?
	n=$("${E[@]}" ip -s xfrm state | sed -n 's/.*, \([0-9][0-9]*\)(packets).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }')
	if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ]; then
		ok "$name: ping 10.1.0.1 -> 10.2.0.1 through ESP ($n packets in east's states)"
	else
		notok "$name: ping (status $rc) through ESP: $n packets"
		indent <"$tmp/ping"
		"${E[@]}" ip -s xfrm state | indent
	fi
	# the kernel's counters through pqikectl status
	if "$PQIKECTL" --socket "$tmp/west-$name.ctl" status --json >"$tmp/st2" 2>&1 &&
	   python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["ike_sas"][0]["child"]
sys.exit(not (c["packets_out"] >= 3 and c["packets_in"] >= 3 and
              c["bytes_out"] > 0 and c["bytes_in"] > 0))' "$tmp/st2" &&
	   grep -q '^    out [1-9][0-9]* bytes, [1-9][0-9]* packets' <<<"$("$PQIKECTL" --socket "$tmp/west-$name.ctl" status)"; then
		ok "$name: pqikectl status shows the ESP byte and packet counters"
	else
		notok "$name: pqikectl status counters"
		indent <"$tmp/st2"
	fi
	stop_pair "$name"
	n=$(handles)
	if [ "$n" = 0 ]; then
		ok "$name: no key handle left in pqrekey.ko"
	else
		notok "$name: $n key handles left (999: stats unreadable)"
	fi
}

tunnel x25519-mlkem768 aes256gcm16-prfsha384-x25519-ke1_mlkem768 aes256gcm16 \
	x25519-mlkem768
tunnel ecp256-mlkem768-mlkem512 \
	chacha20poly1305-prfsha256-ecp256-ke1_mlkem768-ke2_mlkem512 chacha20poly1305 \
	ecp256-mlkem768-mlkem512
tunnel mlkem512-alone aes128gcm16-prfsha256-mlkem512 aes128gcm16-esn mlkem512
tunnel x25519-mlkem1024-frag aes256gcm16-prfsha384-x25519-ke1_mlkem1024 aes256gcm16 \
	x25519-mlkem1024 "fragment_size = 576" frag
tunnel x25519-mlkem768-frodo976aes \
	aes256gcm16-prfsha384-x25519-ke1_mlkem768-ke2_frodo976aes aes256gcm16 \
	x25519-mlkem768-frodo976aes "fragmentation = yes" frag
tunnel x25519-mlkem1024-mlkem512 \
	aes256gcm16-prfsha512-x25519-ke1_mlkem1024-ke2_mlkem512 aes128gcm16 \
	x25519-mlkem1024-mlkem512 "fragmentation = yes" frag

# --- transport mode (USE_TRANSPORT_MODE), and iperf3 through it ---
MODE=transport conf west-tr west east 192.0.2.1 192.0.2.2 192.0.2.1/32 192.0.2.2/32 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes128gcm16 start "k" "kem = kernel"
MODE=transport conf east-tr east west 192.0.2.2 192.0.2.1 192.0.2.2/32 192.0.2.1/32 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes128gcm16 none "k" "kem = kernel"
pair tr
if wait_log "$tmp/west-tr.log" "transport mode" 60 &&
   wait_log "$tmp/east-tr.log" "transport mode" 10 &&
   grep -q 'mode transport' <<<"$("${E[@]}" ip xfrm state)"; then
	ok "transport mode negotiated (USE_TRANSPORT_MODE), transport-mode SAs in XFRM"
else
	notok "transport mode"
	indent <"$tmp/west-tr.log"
	indent <"$tmp/east-tr.log"
fi
"${E[@]}" iperf3 -s -1 -B 192.0.2.2 >"$tmp/iperf-s" 2>&1 &
ipid=$!
sleep 1
"${W[@]}" iperf3 -c 192.0.2.2 -t 3 -J >"$tmp/iperf" 2>&1
rc=$?
wait "$ipid"
bytes=$(python3 -c 'import json, sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' \
	"$tmp/iperf" 2>/dev/null || echo 0)
n=$("${E[@]}" ip -s xfrm state | sed -n 's/.*current:.*//; s/^[[:space:]]*\([0-9][0-9]*\)(bytes).*/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
if [ "$rc" -eq 0 ] && [ "$bytes" -gt 100000 ] && [ "$n" -ge "$bytes" ]; then
	ok "iperf3 for 3 s through transport-mode ESP: $bytes bytes received, $n bytes in east's ESP states"
else
	notok "iperf3 through ESP (status $rc, $bytes bytes, $n ESP bytes)"
	tail -n 20 "$tmp/iperf" | indent
	"${E[@]}" ip -s xfrm state | indent
fi
stop_pair "transport mode"

# --- rekeying while traffic flows: rekey_time, pqikectl rekey ---
# the Child SA's ESP proposal rekeys with x25519 in the CREATE_CHILD_SA and
# ML-KEM-768 (in pqrekey.ko) in an IKE_FOLLOWUP_KE, every 4 s (rekey_time:
# XFRM's soft expiry), and once more on pqikectl rekey from east; a ping
# meanwhile must lose nothing (make before break); the IKE SA rekeys too
# (x25519 + ML-KEM-768), after 7 s (west's connection rekey_time) and on
# pqikectl rekey --ike from east
rk_esp=aes256gcm16-x25519-ke1_mlkem768
CHILD_EXTRA="rekey_time = 4s
                life_time = 30s" conf west-rk west east 192.0.2.1 192.0.2.2 \
	10.1.0.0/24 10.2.0.0/24 aes256gcm16-prfsha256-x25519-ke1_mlkem768 "$rk_esp" \
	start "k" "kem = kernel
        rekey_time = 7s"
CHILD_EXTRA="rekey_time = 4s
                life_time = 30s" conf east-rk east west 192.0.2.2 192.0.2.1 \
	10.2.0.0/24 10.1.0.0/24 aes256gcm16-prfsha256-x25519-ke1_mlkem768 "$rk_esp" \
	none "k" "kem = kernel"
pair rk
if wait_log "$tmp/west-rk.log" "Child SA net installed" 60 &&
   wait_log "$tmp/east-rk.log" "Child SA net installed" 10; then
	spis0=$("${W[@]}" ip xfrm state | sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p' | sort | tr '\n' ' ')
	"${W[@]}" ping -q -i 0.05 -c 240 -W 2 -I 10.1.0.1 10.2.0.1 >"$tmp/rk-ping" 2>&1 &
	ppid=$!
	ike0=$("$PQIKECTL" --socket "$tmp/west-rk.ctl" status --json |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["ike_sas"][0]["spi_i"])')
	sleep 5
	"$PQIKECTL" --socket "$tmp/east-rk.ctl" rekey east-west >"$tmp/rk-ctl" 2>&1
	rc=$?
	sleep 4
	"$PQIKECTL" --socket "$tmp/east-rk.ctl" rekey --ike east-west >"$tmp/rk-ike" 2>&1
	irc=$?
	wait "$ppid"
	prc=$?
	nrk=$(cat "$tmp/west-rk.log" "$tmp/east-rk.log" | grep -c 'Child SA rekeyed' || true)
	if [ "$prc" -eq 0 ] && grep -q ' 240 received, 0% packet loss' "$tmp/rk-ping" &&
	   [ "$nrk" -ge 4 ]; then
		ok "rekeying under traffic: $((nrk / 2)) Child SA rekeyings in 12 s, 240 of 240 pings answered"
	else
		notok "rekeying under traffic: ping status $prc, $nrk rekey log lines"
		indent <"$tmp/rk-ping"
		grep -E 'rekey|SA ' "$tmp/west-rk.log" | indent
		grep -E 'rekey|SA ' "$tmp/east-rk.log" | indent
	fi
	if [ "$rc" -eq 0 ] && grep -q 'rekeying 1 Child SA' "$tmp/rk-ctl" &&
	   grep -q 'Child SA rekeyed with x25519 + mlkem768' "$tmp/east-rk.log" &&
	   grep -q 'Child SA rekeyed by the peer with x25519 + mlkem768' "$tmp/west-rk.log" &&
	   grep -q 'IKE_FOLLOWUP_KE' "$tmp/east-rk.log"; then
		ok "pqikectl rekey: east rekeys with x25519 + ML-KEM-768 (IKE_FOLLOWUP_KE)"
	else
		notok "pqikectl rekey (status $rc)"
		indent <"$tmp/rk-ctl"
	fi
	nike=$(grep -c 'IKE SA rekeyed with x25519 + mlkem768' "$tmp/west-rk.log" || true)
	if [ "$irc" -eq 0 ] && grep -q 'rekeying 1 IKE SA' "$tmp/rk-ike" && [ "$nike" -ge 2 ] &&
	   grep -q 'the IKE SA reached rekey_time: rekeying' "$tmp/west-rk.log" &&
	   grep -q 'IKE SA rekeyed with x25519 + mlkem768 by the peer' "$tmp/west-rk.log" &&
	   "$PQIKECTL" --socket "$tmp/west-rk.ctl" status --json >"$tmp/rk-ist" 2>&1 &&
	   python3 -c '
import json, sys
sas = json.load(open(sys.argv[1]))["ike_sas"]
sys.exit(not (len(sas) == 1 and sas[0]["state"] == "established" and
              sas[0]["spi_i"] != sys.argv[2] and sas[0]["child"]))' "$tmp/rk-ist" "$ike0"; then
		ok "IKE SA rekeyed $nike times (rekey_time, pqikectl rekey --ike) with x25519 + ML-KEM-768: one IKE SA left, new SPIs, the Child SA kept"
	else
		notok "IKE SA rekeying (status $irc, $nike rekeyings)"
		indent <"$tmp/rk-ike"
		indent <"$tmp/rk-ist"
		grep -E 'IKE SA|rekey' "$tmp/west-rk.log" | indent
	fi
	spis1=$("${W[@]}" ip xfrm state | sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p' | sort | tr '\n' ' ')
	n=$(wc -w <<<"$spis1")
	both=0
	for x in $spis1; do
		[[ " $spis0 " == *" $x "* ]] && both=$((both + 1))
	done
	if [ "$both" -eq 0 ] && [ "$n" -ge 2 ] && [ "$n" -le 4 ]; then
		ok "rekeying: new SPIs ($spis1), the old SAs gone (no more than 2 retiring)"
	else
		notok "rekeying: SPIs before '$spis0', after '$spis1'"
		"${W[@]}" ip xfrm state | indent
	fi
	# the Child SA rekeys every 4 s: status and XFRM read together, a few tries
	st_ok=false
	for _ in 1 2 3 4 5; do
		if ! "$PQIKECTL" --socket "$tmp/west-rk.ctl" status --json >"$tmp/rk-st" 2>&1; then
			break
		fi
		spis2=$("${W[@]}" ip xfrm state | sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p')
		if python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["ike_sas"][0]["child"]
spis = sys.argv[2].split()
sys.exit(not ("0x%08x" % int(c["spi_in"], 16) in spis and
              "0x%08x" % int(c["spi_out"], 16) in spis))' "$tmp/rk-st" "$spis2"; then
			st_ok=true
			break
		fi
		sleep 0.5
	done
	if $st_ok; then
		ok "rekeying: pqikectl status shows the Child SA's current SPIs"
	else
		notok "rekeying: pqikectl status SPIs"
		indent <"$tmp/rk-st"
	fi
else
	notok "rekeying: no Child SA"
	indent <"$tmp/west-rk.log"
	indent <"$tmp/east-rk.log"
fi
stop_pair "rekeying"

# --- a rekeying the peer refuses: life_time (XFRM's hard expiry) ends it ---
# west's ESP proposal wants ML-KEM-768 in rekeyings, east's x25519 (a PFS
# mismatch the first Child SA, made without a key exchange, does not show)
CHILD_EXTRA="rekey_time = 2s
                life_time = 4s" conf west-life west east 192.0.2.1 192.0.2.2 \
	10.1.0.0/24 10.2.0.0/24 aes256gcm16-prfsha256-x25519 aes256gcm16-mlkem768 start "k" ""
conf east-life east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519 aes256gcm16-x25519 none "k" ""
pair life
if wait_log "$tmp/west-life.log" "Child SA net installed" 60 &&
   wait_log "$tmp/west-life.log" "reached rekey_time: rekeying" 15 &&
   wait_log "$tmp/west-life.log" "rekeying refused by the peer: NO_PROPOSAL_CHOSEN" 10 &&
   wait_log "$tmp/west-life.log" "reached life_time: the Child SA is removed" 15 &&
   wait_log "$tmp/west-life.log" "Child SA removed (SPIs" 5 &&
   xfrm_empty west; then
	ok "rekey_time and life_time: soft expiry starts a rekeying, the peer refuses it, hard expiry removes the Child SA"
else
	notok "XFRM expiry events"
	indent <"$tmp/west-life.log"
	"${W[@]}" ip xfrm state | indent
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

# --- cookies, liveness checks (dpd_delay), then pqikectl down ---
conf west-del west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "k" "dpd_delay = 1s"
conf east-del east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "k" "dpd_delay = 1s
        cookie_threshold = 0"
pair del
if wait_log "$tmp/west-del.log" "Child SA net installed" 60 &&
   grep -q 'answered an IKE_SA_INIT request with a cookie' "$tmp/east-del.log" &&
   grep -q 'asks for a cookie' "$tmp/west-del.log"; then
	ok "cookie_threshold = 0: east asked for a cookie, west returned it, SAs up"
else
	notok "cookies: no IKE SA, or no cookie round trip"
	indent <"$tmp/west-del.log"
	indent <"$tmp/east-del.log"
fi
sleep 4
if grep -q 'liveness check' "$tmp/west-del.log" "$tmp/east-del.log" &&
   grep -q 'west-east: established' <<<"$("$PQIKECTL" --socket "$tmp/west-del.ctl" status)"; then
	ok "dpd_delay = 1s: liveness checks answered, the IKE SA stays"
else
	notok "dpd_delay: no liveness check, or the SA did not stay"
	indent <"$tmp/west-del.log"
fi
# garbage at both of east's ports from west's address: dropped, east serves on
"${W[@]}" python3 - <<'PY' >"$tmp/garbage" 2>&1
import os, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.1", 0))
hdr = os.urandom(16) + bytes([46, 0x20, 37, 0x08]) + struct.pack(">II", 7, 28)
msgs = [b"x" * 10, os.urandom(200), hdr, hdr[:20], b"\0" * 60000,
        hdr[:24] + struct.pack(">I", 4000) + os.urandom(100)]
for port in (500, 4500):
    for m in msgs:
        s.sendto(m, ("192.0.2.2", port))
        if port == 4500:
            s.sendto(b"\0\0\0\0" + m, ("192.0.2.2", port))
print("sent", 3 * len(msgs))
PY
sleep 1
if grep -q sent "$tmp/garbage" && kill -0 "$epid" &&
   grep -q 'east-west: established' <<<"$("$PQIKECTL" --socket "$tmp/east-del.ctl" status)" &&
   "${W[@]}" ping -c 2 -W 5 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1; then
	ok "truncated, oversized and garbage datagrams on 500 and 4500: dropped, the SA serves on"
else
	notok "garbage datagrams"
	indent <"$tmp/garbage"
	tail -n 20 "$tmp/east-del.log" | indent
fi
"$PQIKECTL" --socket "$tmp/west-del.ctl" down west-east >"$tmp/down" 2>&1
rc=$?
if [ "$rc" -eq 0 ] && wait_log "$tmp/east-del.log" "the peer deleted the IKE SA" 10 &&
   wait_log "$tmp/west-del.log" "IKE SA deleted" 10 &&
   xfrm_empty west && xfrm_empty east &&
   grep -q 'no IKE SA' <<<"$("$PQIKECTL" --socket "$tmp/east-del.ctl" status)"; then
	ok "pqikectl down: INFORMATIONAL Delete, both sides removed the SAs, daemons still running"
else
	notok "pqikectl down (status $rc)"
	indent <"$tmp/down"
	indent <"$tmp/west-del.log"
	indent <"$tmp/east-del.log"
fi
"$PQIKECTL" --socket "$tmp/west-del.ctl" down west-east >"$tmp/down" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'no IKE SA' "$tmp/down"; then
	ok "pqikectl down without an IKE SA: refused (status 1)"
else
	notok "pqikectl down twice: status $rc"
	indent <"$tmp/down"
fi
# reload: unchanged keeps the SA, changed replaces it, broken changes nothing
"$PQIKECTL" --socket "$tmp/west-del.ctl" up west-east >/dev/null 2>&1
wait_log "$tmp/west-del.log" "Child SA net installed" 60
spi=$("$PQIKECTL" --socket "$tmp/west-del.ctl" status --json |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["ike_sas"][0]["spi_i"])')
if "$PQIKECTL" --socket "$tmp/west-del.ctl" reload >"$tmp/rl" 2>&1 &&
   grep -q '1 connection(s) unchanged' "$tmp/rl" &&
   grep -q "$spi" <<<"$("$PQIKECTL" --socket "$tmp/west-del.ctl" status)"; then
	ok "pqikectl reload of an unchanged file keeps the IKE SA ($spi)"
else
	notok "pqikectl reload (unchanged)"
	indent <"$tmp/rl"
fi
cp "$tmp/west-del.conf" "$tmp/west-del.conf.orig"
sed -i 's/dpd_delay = 1s/dpd_delay = 2s/' "$tmp/west-del.conf"
kill -HUP "$wpid"
renewed=no
if wait_log "$tmp/west-del.log" "reload: the connection changed or went" 10; then
	for _ in $(seq 40); do
		if [ "$(grep -c 'Child SA net installed' "$tmp/west-del.log")" -ge 3 ]; then
			renewed=yes
			break
		fi
		sleep 0.5
	done
fi
if [ "$renewed" = yes ]; then
	ok "SIGHUP with a changed connection: its SA deleted, a new one set up"
else
	notok "SIGHUP reload of a changed connection"
	indent <"$tmp/west-del.log"
fi
echo "connections {" >"$tmp/west-del.conf"
"$PQIKECTL" --socket "$tmp/west-del.ctl" reload >"$tmp/rl" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'running configuration stays' "$tmp/rl" &&
   grep -q 'west-east: established' <<<"$("$PQIKECTL" --socket "$tmp/west-del.ctl" status)"; then
	ok "pqikectl reload of a broken file: refused with the parse error, the SA stays"
else
	notok "pqikectl reload of a broken file: status $rc"
	indent <"$tmp/rl"
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"
n=$(handles)
if [ "$n" = 0 ]; then
	ok "after down and exit: no key handle left in pqrekey.ko"
else
	notok "after down: $n key handles left"
fi

# --- two peers at once on one address: one good, one with a wrong key ---
# east serves both from 192.0.2.2 (one socket pair, datagrams go to the
# connection of the peer that sent them); west's second address 192.0.2.11
# is the second peer, whose key east does not know
"${W[@]}" ip addr add 192.0.2.11/24 dev vw
"${W[@]}" ip addr add 10.3.0.1/32 dev lo
"${E[@]}" ip addr add 10.4.0.1/32 dev lo
"${W[@]}" ip route add 10.4.0.0/24 via 192.0.2.2 src 10.3.0.1
"${E[@]}" ip route add 10.3.0.0/24 via 192.0.2.11
two_conf() {	# two_conf FILE ME PEER1 PEER2 L1 R1 L2 R2 NET1L NET1R NET2L NET2R START KEY2
	cat >"$tmp/$1.conf" <<EOF
connections {
    one {
        local_addrs = $5
        remote_addrs = $6
        proposals = aes256gcm16-prfsha256-x25519-ke1_mlkem768
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
                local_ts = $9
                remote_ts = ${10}
                esp_proposals = aes256gcm16
                start_action = ${13}
            }
        }
    }
    two {
        local_addrs = $7
        remote_addrs = $8
        proposals = aes256gcm16-prfsha256-x25519-ke1_mlkem768
        local {
            auth = psk
            id = $2-2
        }
        remote {
            auth = psk
            id = $4
        }
        children {
            net {
                local_ts = ${11}
                remote_ts = ${12}
                esp_proposals = aes256gcm16
                start_action = ${13}
            }
        }
    }
}
secrets {
    ike-1 {
        id = $3
        secret = "key one"
    }
    ike-2 {
        id = $4
        secret = "${14}"
    }
}
EOF
}
two_conf west-two west east east-2 192.0.2.1 192.0.2.2 192.0.2.11 192.0.2.2 \
	10.1.0.0/24 10.2.0.0/24 10.3.0.0/24 10.4.0.0/24 start "key two"
two_conf east-two east west west-2 192.0.2.2 192.0.2.1 192.0.2.2 192.0.2.11 \
	10.2.0.0/24 10.1.0.0/24 10.4.0.0/24 10.3.0.0/24 none "not key two"
pair two
if wait_log "$tmp/west-two.log" "AUTHENTICATION_FAILED" 60 &&
   wait_log "$tmp/east-two.log" "Child SA net installed" 30 &&
   grep -q '^one: established' <<<"$("$PQIKECTL" --socket "$tmp/east-two.ctl" status)" &&
   "${W[@]}" ping -c 2 -W 5 -I 10.1.0.1 10.2.0.1 >/dev/null 2>&1; then
	ok "two peers on one address at once: the one with a wrong key refused, the other served (ping through ESP)"
else
	notok "two peers at once"
	indent <"$tmp/west-two.log"
	indent <"$tmp/east-two.log"
fi
stop_pair "two peers"

# --- a peer that goes silent mid-exchange: retransmissions, then cleanup ---
conf west-silent west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "k" "kem = kernel
        retransmit_tries = 2
        retransmit_timeout = 1s"
conf east-silent east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "k" "kem = kernel"
# east answers IKE_SA_INIT on port 500; everything after it comes to port
# 4500 (NAT-T), which a filter drops: west's IKE_INTERMEDIATE goes unanswered
if ! "${E[@]}" nft add table inet silent ||
   ! "${E[@]}" nft add chain inet silent in '{ type filter hook input priority 0; }' ||
   ! "${E[@]}" nft add rule inet silent in udp dport 4500 drop; then
	notok "silent peer: the filter could not be set up"
fi
pair silent
if wait_log "$tmp/west-silent.log" "no answer after 2 retransmissions: giving up" 30 &&
   grep -q 'retransmitting (2 of 2)' "$tmp/west-silent.log" &&
   grep -q 'no IKE SA' <<<"$("$PQIKECTL" --socket "$tmp/west-silent.ctl" status)" &&
   xfrm_empty west &&
   [ "$("${W[@]}" "$PQKEM" stats 2>/dev/null | sed -n 's/^handles: //p')" = 0 ]; then
	ok "a peer silent mid-exchange: 2 retransmissions, then the IKE SA and its kernel key handle are gone"
else
	notok "silent peer"
	indent <"$tmp/west-silent.log"
fi
"${E[@]}" nft delete table inet silent
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

# --- crafted peers (build/user/ike_peer): a bad ML-KEM key, a short ciphertext ---
conf east-craft east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "k" "kem = kernel"
start east east-craft east-craft.log
epid=$pid
wait_log "$tmp/east-craft.log" "listening" 10
for c in bad-ek-modulus bad-ek-length; do
	n=$(grep -c "the peer's mlkem768 key is invalid: INVALID_SYNTAX" "$tmp/east-craft.log")
	if "${W[@]}" "$IKE_PEER" "$c" 192.0.2.1 192.0.2.2 >"$tmp/peer-$c" 2>&1 &&
	   [ "$(grep -c "the peer's mlkem768 key is invalid: INVALID_SYNTAX" \
		"$tmp/east-craft.log")" -eq $((n + 1)) ] &&
	   grep -q 'no IKE SA' <<<"$("$PQIKECTL" --socket "$tmp/east-craft.ctl" status)"; then
		ok "$c from a crafted initiator: INVALID_SYNTAX, logged, the IKE SA gone"
	else
		notok "$c from a crafted initiator"
		indent <"$tmp/peer-$c"
		indent <"$tmp/east-craft.log"
	fi
done
kill -TERM "$epid"
wait "$epid"
conf east-craft2 east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "k" "kem = kernel"
"${W[@]}" "$IKE_PEER" bad-ct-length 192.0.2.1 192.0.2.2 >"$tmp/peer-ct" 2>&1 &
ppid=$!
sleep 0.5
start east east-craft2 east-craft2.log
epid=$pid
if wait "$ppid" &&
   grep -q "the responder's mlkem768 share is invalid: abort" "$tmp/east-craft2.log" &&
   grep -q 'no IKE SA' <<<"$("$PQIKECTL" --socket "$tmp/east-craft2.ctl" status)"; then
	ok "a short ML-KEM ciphertext from a crafted responder: the exchange aborted, nothing retransmitted"
else
	notok "bad-ct-length from a crafted responder"
	indent <"$tmp/peer-ct"
	indent <"$tmp/east-craft2.log"
fi
kill -TERM "$epid"
wait "$epid"
if xfrm_empty west && xfrm_empty east && [ "$(handles)" = 0 ]; then
	ok "crafted peers: no XFRM state and no key handle left"
else
	notok "crafted peers: leftovers ($(handles) handles)"
fi

# --- wrong pre-shared key ---
conf west-psk west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "one key" ""
conf east-psk east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "another key" ""
pair psk
if wait_log "$tmp/west-psk.log" "AUTHENTICATION_FAILED" 60 &&
   grep -q "does not verify" "$tmp/east-psk.log"; then
	ok "wrong PSK: AUTHENTICATION_FAILED, logged on both sides"
else
	notok "wrong PSK"
	indent <"$tmp/west-psk.log"
	indent <"$tmp/east-psk.log"
fi
if xfrm_empty west && xfrm_empty east; then
	ok "wrong PSK: nothing installed"
else
	notok "wrong PSK: XFRM state installed"
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

# --- ML-KEM required, the peer offers none ---
conf west-down west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha256-x25519 aes256gcm16 start "k" ""
conf east-down east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	"aes256gcm16-prfsha256-x25519,aes256gcm16-prfsha256-x25519-ke1_mlkem768" \
	aes256gcm16 none "k" "require_mlkem = yes"
pair down
if wait_log "$tmp/east-down.log" "requires one" 60 &&
   wait_log "$tmp/west-down.log" "notify 14" 10; then
	ok "a classical peer under require_mlkem: refused (NO_PROPOSAL_CHOSEN)"
else
	notok "require_mlkem"
	indent <"$tmp/east-down.log"
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

# --- SIGKILL, then the successor removes the leftovers (only its own) ---
conf west-kill west east 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "k" ""
conf east-kill east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
	aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "k" ""
"${E[@]}" ip xfrm state add src 192.0.2.9 dst 192.0.2.2 proto esp spi 0x4242 \
	reqid 7 mode tunnel aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
pair kill
wait_log "$tmp/east-kill.log" "Child SA net installed" 60
kill -KILL "$epid"
wait "$epid" 2>/dev/null
n=$("${E[@]}" ip xfrm state | grep -c '^src')
start east east-kill east-kill2.log
epid=$pid
if wait_log "$tmp/east-kill2.log" "left" 20 && [ "$n" -ge 3 ] &&
   [ "$("${E[@]}" ip xfrm state | grep -c '^src')" = 1 ] &&
   "${E[@]}" ip xfrm state get src 192.0.2.9 dst 192.0.2.2 proto esp spi 0x4242 >/dev/null; then
	ok "after SIGKILL: the next pqiked removed its leftovers and kept the foreign SA"
else
	notok "leftovers after SIGKILL ($n states before)"
	indent <"$tmp/east-kill2.log"
	"${E[@]}" ip xfrm state | indent
fi
kill -TERM "$wpid" "$epid"
wait "$wpid" "$epid"

# --- NAT traversal: west behind a NAT that changes addresses and ports ---
tunnel_cleanup
if tunnel_nat_netns; then
	conf west-nat west east 192.168.1.2 192.0.2.2 10.1.0.0/24 10.2.0.0/24 \
		aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 start "k" "kem = kernel"
	conf east-nat east west 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 \
		aes256gcm16-prfsha256-x25519-ke1_mlkem768 aes256gcm16 none "k" "kem = kernel"
	pair nat
	if wait_log "$tmp/west-nat.log" "ESP in UDP (NAT)" 60 &&
	   wait_log "$tmp/east-nat.log" "ESP in UDP (NAT)" 10 &&
	   grep -q 'NAT detected (this side)' "$tmp/west-nat.log" &&
	   grep -q 'encap type espinudp sport 4500 dport 40' <<<"$("${E[@]}" ip xfrm state)"; then
		ok "NAT: detected, IKE moved to 4500, ESP in UDP to the NAT's port on both sides"
	else
		notok "NAT traversal: no encapsulated Child SA"
		indent <"$tmp/west-nat.log"
		indent <"$tmp/east-nat.log"
		"${E[@]}" ip xfrm state | indent
	fi
	"${W[@]}" ping -c 3 -W 5 -I 10.1.0.1 10.2.0.1 >"$tmp/ping" 2>&1
	rc=$?
	n=$("${E[@]}" ip -s xfrm state | sed -n 's/.*, \([0-9][0-9]*\)(packets).*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }')
	if [ "$rc" -eq 0 ] && [ "$n" -ge 6 ]; then
		ok "NAT: ping through ESP in UDP across the NAT ($n packets in east's states)"
	else
		notok "NAT: ping (status $rc), $n ESP packets"
		indent <"$tmp/ping"
	fi
	stop_pair "NAT"
else
	notok "NAT topology (nftables masquerade) could not be set up"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
