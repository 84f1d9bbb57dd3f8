#!/bin/bash
# Stage wins against Samba's nmbd as a real WINS server, and against a
# responder that misbehaves on purpose, inside a private network + mount
# namespace (a veth pair of its own carries 198.18.0.0/24).
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require getent nmbd nmblookup
start_logsink
add_test_net 137 140 141 142 143 144 145 146 147 148 149
start_nmbd '"FILESRV#00" 0 192.0.2.150 66R' '"FILESRV#20" 0 192.0.2.150 66R' \
	'"MULTI#00" 0 192.0.2.151 192.0.2.152 66R' '"SRVONLY#20" 0 192.0.2.153 66R'
W="$WINS_NET.137"
RESP="$top_builddir/tests/client/nbns_responder"
NMB_CONF="$SANDBOX/samba/smb.conf"

call() { "$NSSCALL" "$MODULE" "$@"; }
ms() { date +%s%3N; }
responder() { # responder HOST MODE
	"$RESP" "$WINS_NET.$1" "$2" 192.0.2.77 "$SANDBOX/resp-$1.log" </dev/null >/dev/null 2>&1 &
	PIDS="$PIDS $!"
	touch "$SANDBOX/resp-$1.log"
}
queries_at() { wc -l <"$SANDBOX/resp-$1.log"; }

use_config "stages wins lmhosts" "wins_server $W" "lmhosts none"
expect "getent hosts: a name WINS knows" "192.0.2.150     filesrv" "$(getent hosts filesrv)"
expect "4_r: IPv4 from WINS, h_name as the caller wrote it" \
	"status=SUCCESS errno=0 herrno=0 ttl=518400 name=FileSrv addrs=192.0.2.150" "$(call 4 FileSrv)"
expect "a multihomed name: every address, in order" \
	"status=SUCCESS errno=0 herrno=0 name=multi aliases= addrs=192.0.2.151,192.0.2.152" \
	"$(call 2 multi inet)"
expect "a trailing dot is stripped before asking" \
	"status=SUCCESS errno=0 herrno=0 name=filesrv. aliases= addrs=192.0.2.150" "$(call 2 filesrv. inet)"
for name in FILESRV MULTI filesrv; do
	theirs=$(nmblookup -s "$NMB_CONF" -U "$W" --recursion "$name" 2>/dev/null |
		awk '/<00>$/ { print $1 }' | paste -sd, -)
	ours=$(call 2 "$name" inet | sed -n 's/.*addrs=//p')
	expect "nmblookup -U agrees with the module on $name" "$theirs" "$ours"
done
printf '192.0.2.160 lmonly\n192.0.2.161 filesrv\n' >"$SANDBOX/lmhosts"
use_config "stages wins lmhosts" "wins_server $W" "lmhosts $SANDBOX/lmhosts"
expect "a name WINS does not know falls through to lmhosts" "192.0.2.160     lmonly" \
	"$(getent hosts lmonly)"
expect "WINS answers before lmhosts" "192.0.2.150     filesrv" "$(getent hosts filesrv)"
use_config "stages wins lmhosts" "wins_server $W" "lmhosts none"
expect "IPv6 lookups skip the stage" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 filesrv inet6)"
expect "unknown name: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 nosuchbox)"
expect "<20>-only name: not found with the default suffix <00>" \
	"status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 srvonly)"
use_config "stages wins" "wins_server $W" "wins_suffix 0x20"
expect "wins_suffix 0x20 asks <20>" "status=SUCCESS errno=0 herrno=0 ttl=518400 name=srvonly addrs=192.0.2.153" \
	"$(call 4 srvonly)"

responder 140 ttl
use_config "stages wins" "wins_server $WINS_NET.140"
expect "TTL: the WINS record's" "status=SUCCESS errno=0 herrno=0 ttl=1234 name=box addrs=192.0.2.77" \
	"$(call 4 box)"
before=$(queries_at 140)
call 4 box.example.test >/dev/null
call 4 sixteen-chars-xx >/dev/null
call 4 'bad*name' >/dev/null
expect "DNS names, long names and bad characters are never asked" "$before" "$(queries_at 140)"
use_config "stages wins"
expect "no wins_server: not found at once" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 box)"

# --- reverse lookups by NODE STATUS ---------------------------------------
use_config "stages wins" "wins_server $W" "wins_timeout 300" "wins_retries 2"
before=$(queries_at 140)
expect "reverse: off by default, nothing is sent" "" "$(getent hosts "$WINS_NET.140")"
expect "reverse: off by default, the host saw no packet" "$before" "$(queries_at 140)"
use_config "stages wins" "wins_server $W" "wins_node_status yes" "wins_timeout 300"
theirs=$(nmblookup -s "$NMB_CONF" -A "$W" 2>/dev/null | awk '$2 == "<00>" && $4 != "<GROUP>" { print $1; exit }')
expect "reverse: wins_node_status yes asks the host its <00> name, as nmblookup -A" \
	"$W $theirs" "$(getent hosts "$W" | awk '{ print $1, $2 }')"
expect "reverse: the name is WINSSRV" "WINSSRV" "$theirs"
expect "reverse: a silent address is not found" "" "$(getent hosts "$WINS_NET.99")"

# --- several servers ------------------------------------------------------
responder 141 negative
use_config "stages wins" "wins_server $WINS_NET.141 $W" "wins_timeout 2000"
t0=$(ms)
expect "negative from the first server: the second is asked" \
	"status=SUCCESS errno=0 herrno=0 ttl=518400 name=filesrv addrs=192.0.2.150" "$(call 4 filesrv)"
expect_match "negative from the first server: no timeout waited" "^[0-9]{1,3}$" "$(($(ms) - t0))"

use_config "stages wins" "wins_server $WINS_NET.99 $W" "wins_timeout 300" "wins_retries 2" "debug yes"
t0=$(ms)
out=$(getent hosts filesrv)
t1=$(ms)
expect "silent first server, second answers" "192.0.2.150     filesrv" "$out"
expect_match "silent first server costs timeout x retries (600 ms), not more" \
	"^(6[0-9][0-9]|7[0-9][0-9]|8[0-9][0-9]|9[0-9][0-9]|1[01][0-9][0-9])$" "$((t1 - t0))"
out=$(call timed4 filesrv 2)
expect_match "in one process: the first lookup waits for the silent server" \
	"^ms=(6[0-9][0-9]|7[0-9][0-9]|8[0-9][0-9]|9[0-9][0-9]|1[01][0-9][0-9])$" "$(echo "$out" | sed -n 2p)"
expect_match "in one process: the next lookup skips it (WinsDownTimeout)" \
	"^ms=[0-9]{1,3}$" "$(echo "$out" | sed -n 4p)"
expect "...and still gets the answer" \
	"status=SUCCESS errno=0 herrno=0 ttl=518400 name=filesrv addrs=192.0.2.150" "$(echo "$out" | sed -n 3p)"
wait_for_syslog "WINS $WINS_NET.99 skipped: silent in the last 15 s"
expect "debug: the skip is logged" 0 $?

# --- hostile replies ------------------------------------------------------
for mode in wrongid wrongport othername twice; do
	host=$((142 + $(echo "wrongid wrongport othername twice" | tr ' ' '\n' | grep -n "^$mode$" | cut -d: -f1) - 1))
	responder "$host" "$mode"
	use_config "stages wins" "wins_server $WINS_NET.$host" "wins_timeout 500"
	expect "responder '$mode': only the right answer is taken" \
		"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" "$(call 2 box inet)"
done
responder 146 wack
use_config "stages wins" "wins_server $WINS_NET.146" "wins_timeout 500" "wins_retries 3"
expect "WACK: the answer after the wait is taken" \
	"status=SUCCESS errno=0 herrno=0 name=box aliases= addrs=192.0.2.77" "$(call 2 box inet)"
responder 147 late
use_config "stages wins" "wins_server $WINS_NET.147" "wins_timeout 200" "wins_retries 2"
t0=$(ms)
expect "a reply later than the budget: not found, never the late address" \
	"status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 2 box inet)"
expect_match "a late server costs timeout x retries (400 ms)" "^(4[0-9][0-9]|[5-9][0-9][0-9])$" "$(($(ms) - t0))"
expect "late server: asked wins_retries times" 2 "$(queries_at 147)"

# --- bound ----------------------------------------------------------------
responder 148 silent
use_config "stages wins" "wins_server $WINS_NET.148 $WINS_NET.99 $WINS_NET.149" \
	"wins_timeout 250" "wins_retries 2"
t0=$(ms)
expect "every server silent: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 box)"
elapsed=$(($(ms) - t0))
expect_match "every server silent: at most timeout x retries x servers (1500 ms) plus a little" \
	"^(1[5-9][0-9][0-9]|2[0-4][0-9][0-9])$" "$elapsed"
echo "# three silent servers took $elapsed ms"

tap_done
