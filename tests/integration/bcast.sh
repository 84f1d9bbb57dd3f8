#!/bin/bash
# Stage bcast: NetBIOS broadcast name queries on a veth pair of the test
# namespace (never a real interface).  Samba's nmbd answers broadcasts for its
# netbios name and aliases; a second nmbd, the WINS server of the order tests,
# sits at the pair's other end in a network namespace of its own (two nmbds
# in one namespace take each other's packets on 0.0.0.0:137);
# tests/client/nbns_responder answers on purpose with a wrong ID, from a wrong
# port or subnet, for another name, negatively, or twice.
. "$(dirname "$0")/lib.sh"
RESP="$top_builddir/tests/client/nbns_responder"
RPIDS=""

call() { "$NSSCALL" "$MODULE" "$@"; }
addrs_of() { sed -n 's/.*addrs=//p'; }
ms() { date +%s%3N; }

# RFC 1001 §14.1 first-level encoding of NAME (space padded, upper case)
# with the suffix byte HEX: what the responders log for each query.
nbenc() {
	local name out="" i c
	name=$(printf '%-15s' "${1^^}")
	for ((i = 0; i < 15; i++)); do
		c=$(printf '%d' "'${name:i:1}")
		out+=$(printf "\\x$(printf %x $((65 + c / 16)))\\x$(printf %x $((65 + c % 16)))")
	done
	c=$((16#$2))
	out+=$(printf "\\x$(printf %x $((65 + c / 16)))\\x$(printf %x $((65 + c % 16)))")
	echo "$out"
}
BOX=$(nbenc box 00)

stop_responders() {
	for pid in $RPIDS; do kill "$pid" 2>/dev/null; done
	for pid in $RPIDS; do wait "$pid" 2>/dev/null; done
	RPIDS=""
}

# The rules that decide an answer need no privilege: responders on an
# unprivileged port of loopback addresses, the module called by a user.
# 127.0.0.2 hears the query sent to 127.0.0.3 and answers at once, from
# outside both /32s asked; 127.0.0.1 answers 200 ms later.
# rules_without_root DIR PORT [COMMAND...]: COMMAND runs each program as a user.
rules_without_root() {
	local dir=$1 port=$2
	shift 2
	printf '%s\n' "stages bcast" "bcast_address 127.0.0.1/32:$port 127.0.0.3/32:$port" \
		"bcast_timeout 400" >"$dir/mxf.conf"
	chmod 644 "$dir/mxf.conf"
	"$@" "$RESP" "127.0.0.1:$port" good 192.0.2.77 "$dir/good.log" - 200 </dev/null >/dev/null 2>&1 &
	RPIDS="$RPIDS $!"
	"$@" "$RESP" "127.0.0.2:$port" good 192.0.2.66 "$dir/outside.log" 127.0.0.3 0 \
		</dev/null >/dev/null 2>&1 &
	RPIDS="$RPIDS $!"
	PIDS="${PIDS:-} $RPIDS"
	for _ in $(seq 50); do
		[ -e "$dir/good.log" ] && [ -e "$dir/outside.log" ] && break
		sleep 0.05
	done
	expect_match "without root: the client and the responders run as a user" "^[1-9][0-9]*$" \
		"$("$@" id -u)"
	expect "without root: the answer from 127.0.0.1:$port, not the outsider's" \
		"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" \
		"$(NSS_MXFALLBACK_CONF="$dir/mxf.conf" "$@" "$NSSCALL" "$MODULE" 2 box inet)"
	expect_match "without root: the outsider was asked and answered" "^[1-9]$" \
		"$(grep -c "^query $BOX " "$dir/outside.log" 2>&1)"
	stop_responders
}

# Without root there is no namespace: only the rules above run, on the
# host's loopback, on an unprivileged port picked at random.
if [ "$(id -u)" -ne 0 ]; then
	dir=$(mktemp -d /tmp/mxf-bcast.XXXXXX)
	rules_without_root "$dir" $((20000 + RANDOM % 20000))
	rm -rf "$dir"
	tap_done
	exit
fi

enter_sandbox "$@"
require getent nmbd nmblookup setpriv strace nsenter
start_logsink
add_test_net 138 140 141 142 143 144 145 146 147
BC="$WINS_NET.255"
# The far end of the pair: its own network namespace, holding 198.18.0.137.
"${UNSANITIZED[@]}" unshare --net sleep 900 </dev/null >/dev/null 2>&1 &
FAR=$!
PIDS="$PIDS $FAR"
until [ "$(readlink "/proc/$FAR/ns/net")" != "$(readlink /proc/self/ns/net)" ]; do sleep 0.05; done
ip link set mxf1 netns "$FAR"
far() { nsenter --net="/proc/$FAR/ns/net" "$@"; }
far ip link set lo up
far ip link set mxf1 up
far ip addr add "$WINS_NET.137/24" brd + dev mxf1
# An address outside the subnet, on lo: `auto` never takes loopback.
ip addr add 198.18.1.5/32 dev lo

# responder HOST MODE GOOD [DELAY]: on $WINS_NET.HOST:137, hearing $BC too.
responder() {
	local log="$SANDBOX/resp-$1.log"
	rm -f "$log"
	"$RESP" "$WINS_NET.$1" "$2" "$3" "$log" "$BC" "${4:-0}" </dev/null >>"$SANDBOX/resp.out" 2>&1 &
	RPIDS="$RPIDS $!"
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		[ -e "$log" ] && return 0
		sleep 0.05
	done
	echo "# responder $1 did not start: $(cat "$SANDBOX/resp.out")"
}
# Lines the responder at HOST logged for our queries of BOX (through SOCKET).
box_queries() { grep -c "^query $BOX .*to ${2:-}" "$SANDBOX/resp-$1.log"; }

# --- nmbd: a B-node answering broadcasts for its own names ----------------
# KB is its netbios name, KWB KBL KWBL its aliases (the letters say which
# sources of the order test know the name: Wins, Bcast, Lmhosts).
BNMB="$SANDBOX/bnmb"
write_smb_conf "$BNMB" "$WINS_NET.138" "netbios name = KB" "netbios aliases = KWB KBL KWBL"
"${UNSANITIZED[@]}" nmbd -F --no-process-group -s "$BNMB/smb.conf" </dev/null >"$BNMB/nmbd.out" 2>&1 &
PIDS="$PIDS $!"
BNMB_START=$(ms)
# The WINS server of the order tests, static names only, at the far end:
# lib.sh's start_nmbd, with its programs run in the far namespace.
UNSANITIZED_HERE=("${UNSANITIZED[@]}")
UNSANITIZED=(nsenter --net="/proc/$FAR/ns/net" "${UNSANITIZED_HERE[@]}")
start_nmbd '"KW#00" 0 192.0.2.11 66R' '"KWB#00" 0 192.0.2.12 66R' '"KWL#00" 0 192.0.2.13 66R' \
	'"KWBL#00" 0 192.0.2.14 66R'
UNSANITIZED=("${UNSANITIZED_HERE[@]}")
WINS="$WINS_NET.137"

# --- off unless configured ------------------------------------------------
# The hostile cases run while nmbd claims its names (several seconds).
responder 140 good 192.0.2.77
use_config "wins_server $WINS" "bcast_address $BC/24" "lmhosts none"
call 4 box >/dev/null
expect "default stages, an address configured: bcast does not run, nothing is broadcast" 0 \
	"$(box_queries 140)"
use_config "stages bcast" "lmhosts none"
t0=$(ms)
expect "stages bcast without an address: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 4 box)"
expect_match "stages bcast without an address: at once" "^[0-9]{1,2}$" "$(($(ms) - t0))"
expect "stages bcast without an address: nothing is sent" 0 "$(box_queries 140)"

use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 300"
expect "a responder's answer to the broadcast is taken" \
	"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" "$(call 2 box inet)"
expect_match "the query came to the broadcast address, none to the responder's own" \
	"^[1-3] 0$" "$(box_queries 140 listen) $(box_queries 140 addr)"
expect "the request: B set, RD clear (RFC 1002 §4.2.12)" "flags 0010" \
	"$(grep "^query $BOX " "$SANDBOX/resp-140.log" | grep -o 'flags [0-9a-f]*' | sort -u)"
# Only requests with the module's flags (B set, RD clear) count: nmbd, still
# claiming its names on the same subnet, broadcasts registrations meanwhile.
module_requests() { grep -c ' flags 0010 ' "$SANDBOX/resp-$1.log"; }
before=$(module_requests 140)
call 4 box.example.test >/dev/null
call 4 sixteen-chars-xx >/dev/null
call 4 'bad*name' >/dev/null
expect "DNS names, long names and bad characters are never broadcast" "$before" \
	"$(module_requests 140)"
expect "IPv6 lookups skip the stage" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 box inet6)"
expect "IPv6 lookups send nothing" "$before" "$(module_requests 140)"
use_config "stages bcast" "bcast_address $BC/24" "wins_suffix 0x20"
call 2 box inet >/dev/null
expect_match "wins_suffix is the 16th byte asked" "^[1-3]$" \
	"$(grep -c "^query $(nbenc box 20) " "$SANDBOX/resp-140.log")"
stop_responders

# Only the configured addresses get a packet; one close-on-exec socket
# with SO_BROADCAST (strace sees every sendto of the lookup).
use_config "stages bcast" "bcast_address $BC/24 $WINS_NET.99" "bcast_timeout 200" "bcast_retries 2"
strace -f -qq -e trace=socket,setsockopt,sendto -o "$SANDBOX/strace" "$NSSCALL" "$MODULE" 2 nosuch inet \
	>/dev/null
expect "strace: packets only to the configured addresses, port 137, each attempt" \
	"$BC:137 $BC:137 $WINS_NET.99:137 $WINS_NET.99:137" \
	"$(sed -n 's/.*sin_port=htons(\([0-9]*\)), sin_addr=inet_addr("\([0-9.]*\)").*/\2:\1/p' \
		"$SANDBOX/strace" | sort | paste -sd' ')"
expect "strace: the socket is close-on-exec" "1" \
	"$(grep -c 'socket(AF_INET, SOCK_DGRAM|SOCK_CLOEXEC' "$SANDBOX/strace")"
expect "strace: with SO_BROADCAST" "1" "$(grep -c 'SO_BROADCAST, \[1\]' "$SANDBOX/strace")"

# --- replies that do not count --------------------------------------------
for mode in wrongid wrongport othername; do
	responder 141 "$mode" 192.0.2.77
	use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 500"
	expect "responder '$mode': its bad reply is ignored, the right one taken" \
		"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" "$(call 2 box inet)"
	if [ "$mode" = wrongport ]; then
		# The responder sends its bad reply from port 137 + 1000.
		out=$("$top_builddir/mxfallback-query" -4 box)
		expect_match "mxfallback-query: the reply ignored, and why" \
			"reply from $WINS_NET\.141:1137 ignored: not from port 137" "$out"
		expect_match "mxfallback-query: the host that answered" \
			"$WINS_NET\.141:137 answered: 1 address\(es\)" "$out"
		expect_match "mxfallback-query: the answer and its stage" "answer: box \(stage bcast" "$out"
	fi
	stop_responders
done
responder 141 negative 192.0.2.66
responder 142 good 192.0.2.78 200
use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 500"
expect "a negative reply is ignored; a later positive one is taken" \
	"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.78" "$(call 2 box inet)"
stop_responders
# 198.18.1.5 hears the broadcast too, and answers first, from outside.
"$RESP" 198.18.1.5 good 192.0.2.66 "$SANDBOX/resp-outside.log" "$BC" 0 </dev/null >/dev/null 2>&1 &
RPIDS="$RPIDS $!"
PIDS="$PIDS $!"
for _ in $(seq 50); do
	[ -e "$SANDBOX/resp-outside.log" ] && break
	sleep 0.05
done
responder 142 good 192.0.2.78 200
for conf in "$BC/24" auto; do
	use_config "stages bcast" "bcast_address $conf" "bcast_timeout 1000"
	expect "bcast_address $conf: a reply from outside the subnet is ignored" \
		"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.78" "$(call 2 box inet)"
done
expect_match "...and the outsider did answer each lookup" "^[2-9]$" \
	"$(grep -c "^query $BOX " "$SANDBOX/resp-outside.log")"
stop_responders
responder 141 negative 192.0.2.66
use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 200" "bcast_retries 2"
expect "only a negative reply: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 box inet)"
stop_responders

# --- two answers -----------------------------------------------------------
responder 143 good 0.0.0.0,192.0.2.81,255.255.255.255,192.0.2.82
responder 144 good 192.0.2.91,192.0.2.92
use_config "stages bcast" "bcast_address $BC/24"
for i in 1 2 3 4 5; do
	expect_match "two hosts answer: one answer whole, never a mix ($i)" \
		"^(192\.0\.2\.81,192\.0\.2\.82|192\.0\.2\.91,192\.0\.2\.92)$" "$(call 4 box | addrs_of)"
done
stop_responders
# Both replies of the conflicting host must be waiting when the client
# reads: it is stopped from the moment the query arrives (the responder
# answers 400 ms later) until 800 ms after.
responder 145 conflict 192.0.2.77 400
use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 1500" "bcast_retries 1" "debug yes"
"$NSSCALL" "$MODULE" 2 box inet >"$SANDBOX/conflict.out" &
client=$!
for _ in $(seq 300); do
	grep -q "^query $BOX " "$SANDBOX/resp-145.log" && break
	sleep 0.01
done
kill -STOP "$client"
sleep 0.8
kill -CONT "$client"
wait "$client"
expect "the first answer wins" "status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" \
	"$(cat "$SANDBOX/conflict.out")"
wait_for_syslog "bcast: box: a later reply from $WINS_NET.145:137 \(192.0.2.66, ...\) disagrees: ignored"
expect "debug: the later disagreeing reply is logged" 0 $?
expect "debug: once" 1 "$(grep -c 'disagrees' "$SANDBOX/syslog")"
stop_responders

# --- silence ---------------------------------------------------------------
responder 146 silent 192.0.2.77
use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 300" "bcast_retries 3"
t0=$(ms)
expect "silence: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 2 box inet)"
elapsed=$(($(ms) - t0))
expect_match "silence costs timeout x retries (900 ms), not more" "^(9[0-9][0-9]|1[0-3][0-9][0-9])$" "$elapsed"
expect "silence: bcast_retries attempts were broadcast" 3 "$(box_queries 146 listen)"
echo "# a miss took $elapsed ms"
# The NetBIOS stages share one bound: a silent WINS server (198.18.0.99 is
# nobody) spends it all (3000 ms x 3 = the 9 s of nss_mxfallback.conf(5)),
# so the broadcast that follows sends nothing; alone it would add 4.5 s.
use_config "stages wins bcast" "wins_server $WINS_NET.99" "wins_timeout 3000" "wins_retries 3" \
	"bcast_address $BC/24" "bcast_timeout 1500" "bcast_retries 3"
t0=$(ms)
expect "silent WINS, then silence: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 box inet)"
elapsed=$(($(ms) - t0))
expect_match "wins and bcast together end within their 9 s (not 9 + 4.5 s)" "^(8[89][0-9][0-9]|9[0-7][0-9][0-9])$" "$elapsed"
echo "# silent WINS then bcast took $elapsed ms"
stop_responders

# --- nmbd ------------------------------------------------------------------
nmb_b() { # what nmblookup -B hears for NAME<00>, or nothing
	"${UNSANITIZED[@]}" nmblookup -s "$BNMB/smb.conf" -B "$BC" "$1" 2>/dev/null |
		awk '/<00>$/ { print $1 }' | paste -sd, -
}
nmb_w() { # what the WINS server says for NAME<00>
	"${UNSANITIZED[@]}" nmblookup -s "$BNMB/smb.conf" -U "$WINS" --recursion "$1" 2>/dev/null |
		awk '/<00>$/ { print $1 }' | paste -sd, -
}
for name in KB KWB KBL KWBL; do
	until [ -n "$(nmb_b "$name")" ] || [ $(($(ms) - BNMB_START)) -gt 30000 ]; do
		sleep 0.5
	done
done
echo "# nmbd claimed its names after $(($(ms) - BNMB_START)) ms"
if [ -z "$(nmb_b KWBL)" ]; then
	echo "# nmbd did not claim its names:"
	tail -20 "$BNMB/log/nmbd.log" | sed 's/^/#   /'
fi
expect "nmblookup -B: nmbd answers for its netbios name with its address" "$WINS_NET.138" "$(nmb_b KB)"
use_config "stages bcast" "bcast_address $BC/24" "bcast_timeout 300"
for name in KB kwb Kbl kwbl; do
	expect "nmbd's name $name: the module agrees with nmblookup -B" \
		"$(nmb_b "$name")" "$(call 2 "$name" inet | addrs_of)"
done
out=$("$top_builddir/tests/client/threads" 8 25 "kb=$(nmb_b KB)" "kwb=$(nmb_b KWB)" "kbl=$(nmb_b KBL)" \
	"kwbl=$(nmb_b KWBL)")
expect "8 threads x 25 broadcast lookups: every answer nmblookup's" "200 lookups, 0 wrong" "$out"
expect "getent hosts: a name only nmbd's broadcast answer knows" "$(printf '%-15s %s' "$(nmb_b KBL)" kbl)" \
	"$(getent hosts kbl)"
expect_match "4_r: h_name as written, nmbd's address" \
	"^status=SUCCESS errno=0 herrno=0 ttl=[0-9]+ name=Kb addrs=$(nmb_b KB)$" "$(call 4 Kb)"

# --- auto --------------------------------------------------------------------
up_broadcasts() { # the broadcast addresses of the up, non-loopback interfaces
	ip -4 -o addr show up | awk '$2 != "lo" { for (i = 1; i < NF; i++) if ($i == "brd") print $(i + 1) ":137" }' |
		sort -u | paste -sd' '
}
theirs=$(up_broadcasts)
expect "the namespace has one veth with IPv4: one broadcast address" "$BC:137" "$theirs"
use_config "stages bcast" "bcast_address auto" "bcast_timeout 300"
ours=$("$top_builddir/mxfallback-query" -4 kwb | sed -n 's/^ *broadcast to //p' | paste -sd' ')
expect "auto: broadcasts to what ip(8) lists, and only there" "$theirs" "$ours"
expect "auto: nmbd's alias as nmblookup -B hears it" "$(nmb_b KWB)" "$(call 2 kwb inet | addrs_of)"
if [ -n "$MXF_SANITIZED" ]; then
	omitted "bcast.sh valgrind check in the sanitizer tree: ASan checks memory there"
elif ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed (tests/install-deps installs it)"
else
	valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		getent hosts kwb nosuch >/dev/null 2>"$SANDBOX/vg.log"
	expect "valgrind: auto, an answer and a miss through getent, no errors or leaks" 2 $?
	sed 's/^/# /' "$SANDBOX/vg.log"
fi

# --- stage order: wins, then bcast, then lmhosts ------------------------------
printf '192.0.2.21 kl\n192.0.2.22 kwl\n192.0.2.23 kbl\n192.0.2.24 kwbl\n' >"$SANDBOX/lmhosts"
declare -A wins_has=([kw]=192.0.2.11 [kwb]=192.0.2.12 [kwl]=192.0.2.13 [kwbl]=192.0.2.14)
declare -A lm_has=([kl]=192.0.2.21 [kwl]=192.0.2.22 [kbl]=192.0.2.23 [kwbl]=192.0.2.24)
use_config "stages wins bcast lmhosts" "wins_server $WINS" "bcast_address $BC/24" \
	"bcast_timeout 200" "bcast_retries 2" "lmhosts $SANDBOX/lmhosts"
for name in knone kw kb kl kwb kwl kbl kwbl; do
	w=$(nmb_w "$name")
	b=$(nmb_b "$name")
	expect "fixture: WINS knows $name as wins.dat says" "${wins_has[$name]:-}" "$w"
	[[ $name == *b* ]] && expect "fixture: nmbd answers the broadcast for $name" "$WINS_NET.138" "$b"
	[[ $name == *b* ]] || expect "fixture: no broadcast answer for $name" "" "$b"
	want=${w:-${b:-${lm_has[$name]:-}}}
	expect "order wins, bcast, lmhosts: $name" "${want:-NOTFOUND}" \
		"$(call 2 "$name" inet | sed -n 's/.*addrs=//p; s/^status=NOTFOUND.*/NOTFOUND/p')"
done

# --- without root ------------------------------------------------------------
chmod 711 "$SANDBOX"
mkdir -m 777 "$SANDBOX/user"
rules_without_root "$SANDBOX/user" 5137 setpriv --reuid=65534 --regid=65534 --clear-groups

# Last: nmbd does not like its interface going away.
use_config "stages bcast" "bcast_address auto" "bcast_timeout 300"
ip link set mxf0 down
expect "auto: with the veth down, ip(8) lists no broadcast address" "" "$(up_broadcasts)"
expect "auto: with the veth down, nothing is sent" "$(up_broadcasts)" \
	"$("$top_builddir/mxfallback-query" -4 kwb | sed -n 's/^ *broadcast to //p')"
t0=$(ms)
expect "auto: with the veth down, not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 kwb inet)"
expect_match "auto: with the veth down, not found at once" "^[0-9]{1,2}$" "$(($(ms) - t0))"

tap_done
