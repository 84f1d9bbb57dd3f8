#!/bin/bash
# mxfallback-query against real servers (NSD, nmbd, an LMHOSTS file): its
# answers are the zone's and the servers' for every test name (and so is
# what the module gives through NSS), it explains each stage, and its exit
# status says found, not found, try again or bad config.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require nsd nmbd
start_nsd
add_test_net 137
start_nmbd '"FILESRV#00" 0 192.0.2.150 66R'
printf '# site hosts\n192.0.2.160 lmonly #PRE\n' >"$SANDBOX/lmhosts"
use_config "wins_server $WINS_NET.137" "lmhosts $SANDBOX/lmhosts"
Q="$top_builddir/mxfallback-query"
addrs_of_tool() { "$Q" "$@" | sed -n 's/^    \([0-9a-f.:]*[0-9a-f]\)$/\1/p' | paste -sd, -; }

sorted() { tr , '\n' | sort | paste -sd, -; }
module_addrs() { "$NSSCALL" "$MODULE" "$@" | sed -n 's/.*addrs=//p' | sorted; }

# NAME  IPv4 answer  answer for both families: literals from zones/ and the
# test's nmbd and LMHOSTS file (mx first, IMS's fallback to the domain's A
# where no exchanger has an address of the family).
while read -r name v4 both; do
	expect "IPv4 answer from the zone: $name" "$v4" "$(addrs_of_tool -4 "$name" | sorted)"
	expect "answer for both families from the zone: $name" "$both" "$(addrs_of_tool "$name" | sorted)"
	expect "the module through NSS gives the same IPv4 answer: $name" "$v4" "$(module_addrs 2 "$name" inet)"
	expect "the module through NSS gives the same 4_r answer: $name" "$both" "$(module_addrs 4 "$name")"
done <<'ANSWERS'
mxdom.example.test	192.0.2.11	192.0.2.11,2001:db8::11
equal.example.test	192.0.2.21,192.0.2.22	192.0.2.21,192.0.2.22
noglue.example.test	198.51.100.200	198.51.100.200,2001:db8:1::200
missing.example.test	192.0.2.50	192.0.2.50
mxcname.example.test	192.0.2.60	192.0.2.60
v6only.example.test	192.0.2.71	2001:db8::70
plain.example.test	192.0.2.90	192.0.2.90,2001:db8::90
www.example.test	192.0.2.80	192.0.2.80,2001:db8::80
ttl.example.test	192.0.2.95	192.0.2.95
big.example.test	198.51.100.1	198.51.100.1
filesrv	192.0.2.150	192.0.2.150
lmonly	192.0.2.160	192.0.2.160
ANSWERS

out=$("$Q" mxdom.example.test)
expect_match "explains the MX set with preferences" "MX 10 mx1.mxdom.example.test" "$out"
expect_match "says the glue was used" "mx1.mxdom.example.test: 1 A from the additional section" "$out"
expect_match "names the answer, its stage and TTL" "answer: mx1.mxdom.example.test \\(stage mx, TTL 300\\)" "$out"
expect_match "times each stage" "-> found, 2 address\\(es\\), [0-9.]+ ms" "$out"
expect_match "says when an extra query was sent" "mail.other.test: no glue, asked A: found" \
	"$("$Q" -4 noglue.example.test)"
expect_match "names the WINS server that answered" "WINS $WINS_NET.137 answered" "$("$Q" filesrv)"
expect_match "names the LMHOSTS file and line" "$SANDBOX/lmhosts:2: lmonly" "$("$Q" lmonly)"
expect_match "names the rule that decided (best)" \
	"rule: best: the most-preferred exchangers that have an address" "$out"
expect_match "names the rule that decided (IMS fallback)" \
	"rule: no exchanger has an address: on to the domain's own addresses \\(mx_fallback a" \
	"$("$Q" -4 missing.example.test)"
expect_match "names the rule that decided (null MX)" "rule: null MX" "$("$Q" nullmx.example.test)"
expect_match "-v shows every DNS query" "DNS mxdom.example.test MX: 2 answers" "$("$Q" -v mxdom.example.test)"

"$Q" mxdom.example.test >/dev/null
expect "exit status 0: found" 0 $?
"$Q" nullmx.example.test nosuch.example.test >/dev/null
expect "exit status 1: not found" 1 $?
"$Q" x.broken.test >/dev/null
expect "exit status 2: try again (SERVFAIL)" 2 $?
printf 'mx_targets sometimes\n' >"$SANDBOX/bad.conf"
"$Q" -c "$SANDBOX/bad.conf" mxdom.example.test >/dev/null 2>"$SANDBOX/err"
expect "exit status 3: bad config" 3 $?
expect "bad config: file and line on stderr" \
	"mxfallback-query: $SANDBOX/bad.conf:1: mx_targets must be best or all" "$(cat "$SANDBOX/err")"
"$Q" >/dev/null 2>&1
expect "exit status 3: no name given" 3 $?

# --- bad -c arguments: the module's loader, limit and verdict -----------------
# A directory, a FIFO, a file over the 64 KB limit (valid lines, 86 KB), a
# missing file (the defaults).  The module, given the same file, must agree:
# UNAVAIL where the tool says "config cannot be used" (3), found where it
# finds.  Under valgrind: no uninitialised byte read, nothing lost.
mkfifo "$SANDBOX/fifo"
awk 'BEGIN { for (i = 0; i < 2000; i++) printf "# a comment line of forty-odd bytes %5d\n", i }' \
	>"$SANDBOX/huge.conf"
verdict_of_module() {
	case "$(NSS_MXFALLBACK_CONF="$1" "$NSSCALL" "$MODULE" 4 mxdom.example.test)" in
	status=UNAVAIL*) echo 3 ;;
	status=SUCCESS*) echo 0 ;;
	*) echo other ;;
	esac
}
for bad in "$SANDBOX" /etc "$SANDBOX/fifo" "$SANDBOX/huge.conf" "$SANDBOX/missing.conf"; do
	case "$bad" in *missing*) want=0 ;; *) want=3 ;; esac
	if command -v valgrind >/dev/null && [ -z "$MXF_SANITIZED" ]; then
		valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--suppressions="$top_srcdir/tests/valgrind.supp" \
			timeout 30 "$Q" -c "$bad" mxdom.example.test >/dev/null 2>"$SANDBOX/vg.log"
	else
		timeout 30 "$Q" -c "$bad" mxdom.example.test >/dev/null 2>"$SANDBOX/vg.log"
	fi
	tool=$? # 124: it hung (a FIFO opened without O_NONBLOCK)
	label=${bad#$SANDBOX/}
	[ "$bad" = "$SANDBOX" ] && label="a directory"
	expect "-c $label: exit status $want, no memory error" "$want" "$tool"
	grep -v '^mxfallback-query: ' "$SANDBOX/vg.log" | sed 's/^/# /'
	expect "-c $label: the module's verdict" "$want" "$(verdict_of_module "$bad")"
done
expect_match "-c over the limit: says so" "huge.conf: not a regular file of at most 65536 bytes" \
	"$(timeout 30 "$Q" -c "$SANDBOX/huge.conf" x 2>&1)"

tap_done
