#!/bin/bash
# make bench: the module against glibc's own modules doing the nearest job,
# in one run, inside the same sandbox the integration tests use (NSD on
# 127.0.0.1, nmbd-like responders on a veth pair).  Prints a Markdown table.
# Query counts are read at the DNS server; instruction counts come from
# valgrind --tool=callgrind (deterministic): (a process doing 21 lookups -
# one doing 1) / 20.  Rates are medians of three runs.
. "$(dirname "$0")/../integration/lib.sh"
enter_sandbox "$@"
require valgrind nsd
start_nsd
B="$top_builddir/tests/bench/bench"
RESP="$top_builddir/tests/client/nbns_responder"
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 |"); }

queries() { # queries CMD... -> DNS queries NSD answered while CMD ran
	local q0
	q0=$(dns_queries)
	"$@" >/dev/null || echo "# failed: $*" >&2
	echo $(($(dns_queries) - q0))
}
instructions() { # instructions MODE NAME COUNT -> total Ir of the bench process
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$B" "$@" 2>&1 |
		sed -n 's/.*Collected : //p'
}
per_lookup() { # per_lookup MODE NAME
	local one many
	one=$(instructions "$1" "$2" 1)
	many=$(instructions "$1" "$2" 21)
	echo $(((many - one) / 20))
}
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
rate() { # rate NAME THREADS
	median3 "$("$B" rate "$1" "$2" 2000)" "$("$B" rate "$1" "$2" 2000)" "$("$B" rate "$1" "$2" 2000)"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }

MX=mxdom.example.test
MX_HOST=mx1.mxdom.example.test

# --- DNS queries per lookup ------------------------------------------------
use_nsswitch mxfallback
a=$(queries "$B" lookups $MX 1)
use_nsswitch dns
b=$(queries "$B" lookups $MX_HOST 1)
row "DNS queries: MX answer with glue, gethostbyname2(AF_INET)" "$a" "$b" "dns resolves the exchanger by name"
use_nsswitch mxfallback
a=$(queries "$B" gai $MX 1)
use_nsswitch dns
b=$(queries "$B" gai $MX_HOST 1)
row "DNS queries: MX answer with glue, getaddrinfo(AF_UNSPEC)" "$a" "$b" "dns asks A and AAAA"
use_nsswitch mxfallback
a=$(queries "$B" lookups noglue.example.test 1)
use_nsswitch dns
b=$(queries "$B" lookups mail.other.test 1)
row "DNS queries: MX answer without glue" "$a" "$b" "the MX, then the exchanger's A"
use_nsswitch mxfallback
a=$(queries "$B" lookups plain.example.test 1)
use_nsswitch dns
b=$(queries "$B" lookups plain.example.test 1)
row "DNS queries: name without MX" "$a" "$b" "the MX search (no data), then the A search"
use_nsswitch mxfallback
calls=$("$B" grow many.example.test 64)
a=$(queries "$B" grow many.example.test 64)
use_nsswitch dns
b=$(queries "$B" grow many.example.test 64)
row "DNS queries: ERANGE retries ($calls calls from a 64-byte buffer)" "$a" "$b" "the retries replay the kept answer"

# --- CPU ------------------------------------------------------------------
use_nsswitch mxfallback
use_config "stages a"
a=$(per_lookup lookups plain.example.test)
use_config ""
a2=$(per_lookup lookups plain.example.test)
use_nsswitch dns
b=$(per_lookup lookups plain.example.test)
row "instructions/lookup: a stage alone (stages a)" "$a" "$b" "ratio $(ratio "$a" "$b")"
row "instructions/lookup: no MX, default stages (MX, then A)" "$a2" "$b" "ratio $(ratio "$a2" "$b")"
use_nsswitch mxfallback
a=$(per_lookup lookups $MX)
use_nsswitch dns
b=$(per_lookup lookups $MX_HOST)
row "instructions/lookup: mx stage (glue) vs dns on the exchanger" "$a" "$b" "ratio $(ratio "$a" "$b")"

# --- throughput -----------------------------------------------------------
for threads in 1 2; do
	use_nsswitch mxfallback
	a=$(rate $MX "$threads")
	use_nsswitch dns
	b=$(rate $MX_HOST "$threads")
	row "lookups/s, $threads thread(s), NSD on loopback" "$a" "$b" "median of 3 runs of 2 s"
done

# --- lmhosts against files --------------------------------------------------
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "10.%d.%d.%d h%d\n", int(i / 65536), int(i / 256) % 256, i % 256, i }' >"$SANDBOX/lmhosts"
cp "$SANDBOX/lmhosts" "$SANDBOX/hosts"
mount --bind "$SANDBOX/hosts" /etc/hosts
use_config "stages lmhosts" "lmhosts $SANDBOX/lmhosts"
use_nsswitch mxfallback
zero=$(instructions lookups h99999 0)
first=$(($(instructions lookups h99999 1) - zero))
a=$(per_lookup lookups h99999)
use_nsswitch files
fzero=$(instructions lookups h99999 0)
ffirst=$(($(instructions lookups h99999 1) - fzero))
b=$(per_lookup lookups h99999)
row "lmhosts, 100,000 entries, last name: instructions/lookup after the first" "$a" "$b" "files is $(ratio "$b" "$a")x dearer"
row "lmhosts, 100,000 entries: the first lookup (parse)" "$first" "$ffirst" "ratio $(ratio "$first" "$ffirst")"
umount /etc/hosts

# --- WINS ---------------------------------------------------------------------
add_test_net 140 141
"$RESP" "$WINS_NET.140" good 192.0.2.77 "$SANDBOX/good.log" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
"$RESP" "$WINS_NET.141" negative 192.0.2.77 "$SANDBOX/neg.log" </dev/null >/dev/null 2>&1 &
PIDS="$PIDS $!"
sleep 0.3
use_nsswitch mxfallback
use_config "stages wins" "wins_server $WINS_NET.140"
"$B" lookups box 1 >/dev/null
row "WINS: packets for one positive answer" "$(wc -l <"$SANDBOX/good.log") query, 1 reply" "-" "responder counts"
use_config "stages wins" "wins_server $WINS_NET.141 $WINS_NET.140" "wins_timeout 1500"
t0=$(date +%s%3N)
"$B" lookups box 1 >/dev/null
row "WINS: negative from the first server, then an answer" "$(($(date +%s%3N) - t0)) ms" "-" "wins_timeout is 1500 ms"

# --- memory -------------------------------------------------------------------
use_config ""
use_nsswitch mxfallback
r1=$("$B" rss $MX 1)
r2=$("$B" rss $MX 10000)
use_nsswitch dns
d1=$("$B" rss $MX_HOST 1)
d2=$("$B" rss $MX_HOST 10000)
row "peak RSS (KiB) after 1 / 10,000 lookups" "$r1 / $r2" "$d1 / $d2" "growth $((r2 - r1)) vs $((d2 - d1)) KiB"

echo "Measured on: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), glibc $(getconf GNU_LIBC_VERSION | cut -d' ' -f2), $(date -u +%Y-%m-%d)"
echo
echo "| case | mxfallback | glibc (dns/files) | note |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
