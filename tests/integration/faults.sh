#!/bin/bash
# Faults and resources, with every stage in play (NSD, nmbd, an LMHOSTS
# file): the DNS server killed and restarted under 16 threads, LMHOSTS and
# the config rewritten under 16 threads, 10,000 lookups that must leave the
# descriptors and the heap as they were, descriptors a child inherits, the
# close-on-exec flag on every socket and file (strace), and the time bound
# with every DNS and WINS server silent.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require nsd nmbd getent
start_nsd
add_test_net 137
start_nmbd '"FILESRV#00" 0 192.0.2.150 66R'
L="$SANDBOX/lmhosts"
printf '192.0.2.160 lmonly\n' >"$L"
use_config "wins_server $WINS_NET.137" "lmhosts $L"
THREADS="$top_builddir/tests/client/threads"
ms() { date +%s%3N; }

# --- resources ------------------------------------------------------------
for name in mxdom.example.test filesrv lmonly; do
	out=$("$NSSCALL" resources "$name" 10000)
	read -r _ fds0 fds1 _ heap0 heap1 <<<"$out"
	expect "10,000 lookups ($name): open descriptors unchanged" "$fds0" "$fds1"
	expect "10,000 lookups ($name): heap in use unchanged" "$heap0" "$heap1"
done
expect "a child exec'd after lookups of every stage inherits no descriptor of the module's" \
	"$("$NSSCALL" execfds | paste -sd' ' -)" \
	"$("$NSSCALL" execfds mxdom.example.test plain.example.test filesrv lmonly nosuch | paste -sd' ' -)"

if [ -n "$MXF_SANITIZED" ]; then
	omitted "faults.sh strace checks in the sanitizer tree: its runtime opens /proc files of its own"
elif ! command -v strace >/dev/null; then
	not_ok "strace is installed (tests/install-deps installs it)"
else
	strace -f -qq -e trace=socket,openat,open,accept4,socketpair -o "$SANDBOX/strace" \
		getent hosts mxdom.example.test filesrv lmonly nosuch >/dev/null
	expect "strace: every socket the lookups open is close-on-exec" "" \
		"$(grep -E '(^| )socket\(' "$SANDBOX/strace" | grep -v SOCK_CLOEXEC)"
	# (glibc's iconv opens its gconv cache without the flag, module or not)
	expect "strace: every file the lookups open is close-on-exec" "" \
		"$(grep -E 'open(at)?\(' "$SANDBOX/strace" | grep -v -e O_CLOEXEC -e ENOENT -e /gconv/)"
	expect_match "strace saw the module's own sockets (DNS, WINS)" "SOCK_DGRAM\\|SOCK_CLOEXEC\\|SOCK_NONBLOCK" \
		"$(cat "$SANDBOX/strace")"
fi

# --- the DNS server killed and restarted under load --------------------------
"$THREADS" -f 16 5000 mxdom.example.test=192.0.2.11 plain.example.test=192.0.2.90 \
	filesrv=192.0.2.150 lmonly=192.0.2.160 >"$SANDBOX/threads.out" 2>&1 &
load=$!
sleep 0.3
kill "$NSD_PID"
wait "$NSD_PID" 2>/dev/null
# NSD's server child may outlive the main process for a moment: DNS is
# down only once nothing answers.
for _ in $(seq 20); do wait_for_dns_once || break; sleep 0.05; done
expect "NSD is down: nothing answers on 127.0.0.1:53" 1 "$(wait_for_dns_once; echo $?)"
expect "the lookups are still running while NSD is down" 0 "$(kill -0 "$load" 2>/dev/null; echo $?)"
sleep 0.5
start_nsd
wait "$load"
summary=$(tail -1 "$SANDBOX/threads.out")
expect_match "DNS server killed and restarted: no wrong address, only right or failed" \
	"^80000 lookups, 0 wrong, [0-9]+ failed$" "$summary"
failed=$(echo "$summary" | sed -n 's/.*, \([0-9]*\) failed$/\1/p')
echo "# while NSD was down: ${failed:-?} of 80000 lookups failed"
# NSD is down for 0.5 s of a run that lasts longer: a lookup caught by the
# outage fails (TRY_AGAIN) or is answered by a retry after the restart,
# never with a wrong address; most lookups are answered.
expect "DNS server killed and restarted: most lookups still answered right" yes \
	"$([ -n "$failed" ] && [ "$failed" -lt 40000 ] && echo yes || echo "no ($summary)")"
expect "after the restart the next lookup answers from the zone" "2001:db8::11    mx1.mxdom.example.test mxdom.example.test" \
	"$(getent hosts mxdom.example.test)"

# --- LMHOSTS and config rewritten under load ---------------------------------
(
	for i in $(seq 60); do
		printf '192.0.2.%d lmonly\n' $((160 + i % 2)) >"$L.new"
		mv "$L.new" "$L"
		if [ $((i % 3)) -eq 0 ]; then
			use_config "wins_server $WINS_NET.137" "lmhosts $L" "stages lmhosts mx a wins"
		else
			use_config "wins_server $WINS_NET.137" "lmhosts $L"
		fi
		sleep 0.02
	done
) &
writer=$!
"$THREADS" -f 16 200 "lmonly=192.0.2.160|192.0.2.161" mxdom.example.test=192.0.2.11 \
	filesrv=192.0.2.150 >"$SANDBOX/threads.out" 2>&1
wait "$writer"
expect_match "files rewritten under 16 threads: every answer is the old or the new content" \
	"^3200 lookups, 0 wrong, 0 failed$" "$(tail -1 "$SANDBOX/threads.out")"
printf '192.0.2.170 lmonly\n' >"$L"
expect "after the rewrites the very next lookup sees the new content" \
	"192.0.2.170     lmonly" "$(getent hosts lmonly)"

# --- bounded time -----------------------------------------------------------
# 198.18.0.99 and .98 are nobody on the veth pair: queries to them vanish.
use_config "dns_server $WINS_NET.99" "wins_server $WINS_NET.98" "wins_timeout 300" \
	"wins_retries 2" "lmhosts $L"
printf 'nameserver %s.99\noptions timeout:1 attempts:2\n' "$WINS_NET" >"$SANDBOX/resolv.conf"
t0=$(ms)
out=$("$NSSCALL" "$MODULE" 2 silentbox inet) # a NetBIOS name: every stage runs
elapsed=$(($(ms) - t0))
expect "every DNS and WINS server silent: TRY_AGAIN (the MX query's failure is final: NOTFOUND)" \
	"status=NOTFOUND errno=EAGAIN herrno=TRY_AGAIN" "$out"
expect_match "every server silent: DNS 1 s x 2 attempts, once, + WINS 300 ms x 2, + a margin" \
	"^(2[6-9][0-9][0-9]|3[0-5][0-9][0-9])$" "$elapsed"
echo "# every server silent: $elapsed ms"

tap_done
