#!/bin/bash
# Safe inside the host process from load to exit, against the real NSD and
# nmbd in a private namespace:
#  - a lookup through every stage (a 30-exchanger MX set, WINS, an LMHOSTS
#    name 8 includes deep) on a thread with a 64 KB stack, using < 16 KB;
#  - a 9-deep include chain is read once per change, not once per lookup,
#    and 16 threads noticing one change cause one rebuild (opens counted by
#    strace);
#  - threads resolving through every stage while the main thread calls
#    exit(): through NSS and through dlopen, 500 runs, no crash;
#  - fork() while threads resolve: the child's lookup never waits for a lock
#    a thread of the parent held (500 children).
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require strace nsd nmbd
start_nsd
add_test_net 137
start_nmbd '"FILESRV#00" 0 192.0.2.150 66R'
CLIENT="$top_builddir/tests/client"

# An include chain: lmhosts -> chain/1 -> ... -> chain/9; file N names
# deepN at 192.0.2.(100+N).  Eight levels are read, the ninth is too deep.
L="$SANDBOX/lmhosts"
mkdir "$SANDBOX/chain"
awk 'BEGIN { for (i = 0; i < 20000; i++)
	printf "10.%d.%d.%d filler%d\n", int(i / 65536), int(i / 256) % 256, i % 256, i }' >"$L"
printf '192.0.2.100 deep0\n#INCLUDE %s\n' "$SANDBOX/chain/1" >>"$L"
for n in 1 2 3 4 5 6 7 8 9; do
	printf '192.0.2.%d deep%d\n#INCLUDE %s\n' $((100 + n)) $n "$SANDBOX/chain/$((n + 1))" \
		>"$SANDBOX/chain/$n"
done
ALL_STAGES=("stages mx a wins lmhosts" "wins_server $WINS_NET.137" "lmhosts $L"
	"mx_targets all" "mx_max_hosts 100")

# --- a 64 KB thread stack ---------------------------------------------------
use_config "${ALL_STAGES[@]}"
out=$("$CLIENT/smallstack" "$MODULE" big.example.test=198.51.100.1 plain.example.test=192.0.2.90 \
	filesrv=192.0.2.150 deep8=192.0.2.108)
expect "64 KB stack: every stage answers, directly and through getaddrinfo" 0 $?
echo "$out" | sed 's/^/# /'
if [ -z "$MXF_SANITIZED" ]; then # ASan's redzones make every frame bigger
	for name in big.example.test plain.example.test filesrv deep8; do
		used=$(echo "$out" | sed -n "s/^$name module=.* stack=\([0-9]*\) .*/\1/p")
		expect "64 KB stack: the lookup of $name uses < 16 KB of it" yes \
			"$([ -n "$used" ] && [ "$used" -lt 16384 ] && echo yes || echo "no: $used")"
	done
fi
expect "the ninth include level is not read" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$("$NSSCALL" "$MODULE" 4 deep9 | sed 's/ ttl=[0-9]*//')"

# --- files read once per change ---------------------------------------------
use_config "stages lmhosts" "lmhosts $L"
opens() { grep -c "openat(AT_FDCWD, \"$1\", O_RDONLY" "$SANDBOX/strace.log"; }
for changed in "$L" "$SANDBOX/chain/8"; do
	strace -f -qq -o "$SANDBOX/strace.log" -e trace=openat \
		"$CLIENT/rebuild" "$changed" 16 deep8 192.0.2.108 >"$SANDBOX/out" 2>&1
	expect "change of ${changed#$SANDBOX/}: every answer right" "36 lookups, 0 wrong" \
		"$(cat "$SANDBOX/out")"
	reads="$(opens "$L")"
	for n in 1 2 3 4 5 6 7 8; do reads="$reads $(opens "$SANDBOX/chain/$n")"; done
	expect "change of ${changed#$SANDBOX/}: 20 lookups, then 16 threads: each of the 9 files read twice" \
		"2 2 2 2 2 2 2 2 2" "$reads"
	expect "change of ${changed#$SANDBOX/}: the file too deep is never read" 0 \
		"$(opens "$SANDBOX/chain/9")"
	expect "change of ${changed#$SANDBOX/}: the config read once" 1 "$(opens "$NSS_MXFALLBACK_CONF")"
done
strace -f -qq -o "$SANDBOX/strace.log" -e trace=openat \
	"$CLIENT/rebuild" "$NSS_MXFALLBACK_CONF" 16 deep8 192.0.2.108 >"$SANDBOX/out" 2>&1
expect "change of the config: every answer right" "36 lookups, 0 wrong" "$(cat "$SANDBOX/out")"
expect "change of the config, noticed by 16 threads: read twice in all" 2 \
	"$(opens "$NSS_MXFALLBACK_CONF")"
expect "change of the config: the LMHOSTS files read once" 1 "$(opens "$L")"

# --- fork() while threads resolve ---------------------------------------------
# Without the fork handlers about 1 child in 40 hangs on a cache lock.
use_config "stages lmhosts" "lmhosts $L"
expect "fork() while 4 threads resolve: every child's lookup answers" \
	"500 children, 0 hung, 0 failed" "$("$CLIENT/forkrace" "$MODULE" 4 500 deep8)"

# --- exit() while threads resolve ---------------------------------------------
# LMHOSTS first, so the threads spend most of their time in the table the
# old destructor freed; every stage still runs (nosuch goes through all).
# Blocks over 4 KB come from mmap() and go back with munmap(), freed bytes
# are overwritten: a use after free crashes instead of reading stale data.
use_config "stages lmhosts wins mx a" "wins_server $WINS_NET.137" "lmhosts $L" "mx_targets all" \
	"mx_max_hosts 100"
NAMES=(deep8 big.example.test filler7 plain.example.test deep0 filesrv 192.0.2.108 filler19999
	nosuch.example.test 10.0.0.1)
for how in nss dlopen; do
	crashes=0
	for run in $(seq 250); do
		MALLOC_MMAP_THRESHOLD_=4096 MALLOC_PERTURB_=165 \
			"$CLIENT/exitrace" "$how" "$MODULE" 6 $((RANDOM % 5000)) "${NAMES[@]}" \
			>/dev/null 2>"$SANDBOX/exitrace.err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			crashes=$((crashes + 1))
			echo "# run $run: exit status $rc"
			head -5 "$SANDBOX/exitrace.err" | sed 's/^/#   /'
		fi
	done
	expect "exit() while 6 threads resolve ($how): no crash in 250 runs" 0 "$crashes"
done

tap_done
