#!/bin/bash
# Stage lmhosts and reverse lookups through the real getent, inside a mount
# namespace: nested #INCLUDEs, #BEGIN_ALTERNATE, a loop, bad lines logged
# with file and line, rewrites seen at once, a missing file, 100,000 lines.
. "$(dirname "$0")/lib.sh"
enter_sandbox "$@"
require getent
start_logsink
L="$SANDBOX/lmhosts"
mkdir -p "$SANDBOX/site"
call() { "$NSSCALL" "$MODULE" "$@"; }

printf '\xef\xbb\xbf# LMHOSTS written on Windows: BOM and CRLF\r\n' >"$L"
cat >>"$L" <<EOF
192.0.2.10   FileSrv            #PRE
192.0.2.11   pdc                #PRE #DOM:SALES    # the domain controller
192.0.2.12   "app            \\0x14"
192.0.2.13   web#20
192.0.2.14   mh    #MH
192.0.2.15   mh    #MH
192.0.2.16   FileSrv
300.1.2.3    badaddress
192.0.2.17   waytoolongname-16
#INCLUDE     $SANDBOX/site/first
#INCLUDE     \\\\server\\share\\lmhosts
#BEGIN_ALTERNATE
#INCLUDE     $SANDBOX/site/missing
#INCLUDE     site/alt-two
#INCLUDE     $SANDBOX/site/alt-three
#END_ALTERNATE
EOF
printf '192.0.2.20 crlfhost\r\n' >>"$L"
# A circular #INCLUDE stops the reading of the file (MS-NBTE 3.1.8.1).
printf '#INCLUDE %s\n192.0.2.21 afterloop\n' "$L" >>"$L"
printf '192.0.2.30 nested1\n#INCLUDE %s/site/second\n' "$SANDBOX" >"$SANDBOX/site/first"
printf '192.0.2.31 nested2\n' >"$SANDBOX/site/second"
printf '192.0.2.40 alt2\n' >"$SANDBOX/site/alt-two"
printf '192.0.2.41 alt3\n' >"$SANDBOX/site/alt-three"
use_config "stages lmhosts" "lmhosts $L" "debug yes"

expect "a name: case-insensitive" "192.0.2.10      FileSrv" "$(getent hosts FileSrv)"
expect "first entry for a name wins" "192.0.2.10      filesrv" "$(getent hosts filesrv)"
expect "#PRE #DOM: are accepted and ignored" "192.0.2.11      PDC" "$(getent hosts PDC)"
expect "a quoted name with a 16th byte other than 00/20 answers no host lookup" "" \
	"$(getent hosts app)"
expect "Samba's NAME#20" "192.0.2.13      web" "$(getent hosts web)"
expect "#MH: every address of the name" \
	"status=SUCCESS errno=0 herrno=0 ttl=600 name=mh addrs=192.0.2.14,192.0.2.15" "$(call 4 mh)"
expect "CRLF line ends" "192.0.2.20      crlfhost" "$(getent hosts crlfhost)"
expect "a circular #INCLUDE: no line after it is read" "" "$(getent hosts afterloop)"
expect "#INCLUDE" "192.0.2.30      nested1" "$(getent hosts nested1)"
expect "nested #INCLUDE" "192.0.2.31      nested2" "$(getent hosts nested2)"
expect "#BEGIN_ALTERNATE: the first readable include is used" "192.0.2.40      alt2" \
	"$(getent hosts alt2)"
expect "#BEGIN_ALTERNATE: the rest are skipped" "" "$(getent hosts alt3)"
expect "a trailing dot is stripped" "192.0.2.30      nested1." "$(getent hosts nested1.)"
expect "IPv6 lookups skip the stage" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 2 filesrv inet6)"
expect "reverse: the first name of an address" "192.0.2.10      FileSrv" \
	"$(getent hosts 192.0.2.10)"
expect "reverse: from an include" "192.0.2.31      nested2" "$(getent hosts 192.0.2.31)"
expect "reverse: an unknown address" "" "$(getent hosts 192.0.2.99)"
wait_for_syslog "line skipped" || true
log=$(cat "$SANDBOX/syslog")
expect_match "bad address logged with file and line" "$L:9: line skipped: bad IPv4 address" "$log"
expect_match "long name logged with file and line" "$L:10: line skipped: name must have 1 to 15" "$log"
expect_match "UNC include skipped with a debug line" "UNC #INCLUDE" "$log"
expect_match "an include loop is noticed" "include loop" "$log"

# A rewrite is seen by the very next lookup.
printf '192.0.2.50 FileSrv\n' >"$L.new"
mv "$L.new" "$L"
expect "a rewritten file is seen at once" "192.0.2.50      FileSrv" "$(getent hosts FileSrv)"
printf '192.0.2.51 FileSrv\n' >"$L"
expect "rewritten in place, same size: seen at once" "192.0.2.51      FileSrv" \
	"$(getent hosts FileSrv)"
printf '192.0.2.52 changed\n' >"$SANDBOX/site/second"
printf '192.0.2.53 FileSrv\n#INCLUDE %s/site/second\n' "$SANDBOX" >"$L"
getent hosts FileSrv >/dev/null
printf '192.0.2.54 changed\n' >"$SANDBOX/site/second"
expect "a change in an included file is seen at once" "192.0.2.54      changed" \
	"$(getent hosts changed)"

rm -f "$L"
: >"$SANDBOX/syslog"
use_config "stages lmhosts" "lmhosts $L"
expect "missing file: not found" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" "$(call 4 FileSrv)"
sleep 0.2
expect "missing file: no error logged" "" "$(cat "$SANDBOX/syslog")"
use_config "stages lmhosts" "lmhosts none"
printf '192.0.2.10 FileSrv\n' >"$L"
expect "lmhosts none: the stage is off" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 4 FileSrv)"

# 100,000 entries: the last one is found.
awk 'BEGIN { for (i = 0; i < 100000; i++)
	printf "10.%d.%d.%d h%d\n", int(i / 65536), int(i / 256) % 256, i % 256, i }' >"$L"
use_config "stages lmhosts" "lmhosts $L"
expect "100,000 lines: the last name" "10.1.134.159    h99999" "$(getent hosts h99999)"
expect "100,000 lines: reverse of the last address" "10.1.134.159    h99999" \
	"$(getent hosts 10.1.134.159)"
head -c 100000 /dev/urandom >"$L"
expect "a binary file: not found, no crash" "status=NOTFOUND errno=0 herrno=HOST_NOT_FOUND" \
	"$(call 4 FileSrv)"

# --- memory: nothing lost; the table the module keeps for the life of the
# process (never freed: see nss_mxfallback/snapshot.h) and the main thread's
# workspace (freed at thread exit: workspace.h) are all that is left.
if [ -n "$MXF_SANITIZED" ]; then
	omitted "lmhosts.sh valgrind check in the sanitizer tree: ASan checks memory there"
elif ! command -v valgrind >/dev/null; then
	not_ok "valgrind is installed (tests/install-deps installs it)"
else
	printf '192.0.2.31 vgbox\n#INCLUDE %s\n' "$SANDBOX/vg-included" >"$L"
	printf '192.0.2.32 vgother\n' >"$SANDBOX/vg-included"
	valgrind -q --error-exitcode=9 --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=definite,indirect \
		--suppressions="$top_srcdir/tests/valgrind.supp" getent hosts vgother >"$SANDBOX/vg.out" 2>"$SANDBOX/vg.log"
	expect "valgrind: an lmhosts lookup with an include, no errors or leaks" 0 $?
	expect "valgrind: every block of ours still held is a kept snapshot or the thread's workspace (tests/valgrind.supp)" "" \
		"$(grep -E 'by 0x[0-9A-F]+: mxf_' "$SANDBOX/vg.log" | head -3)"
	sed 's/^/# /' "$SANDBOX/vg.log"
	expect "valgrind: ...and the answer" "192.0.2.32      vgother" "$(cat "$SANDBOX/vg.out")"
fi

tap_done
