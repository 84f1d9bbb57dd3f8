#!/bin/bash
# The module exports only _nss_mxfallback_* and installs as one file.
. "$(dirname "$0")/lib.sh"
require nm make

expect "module built" yes "$([ -f "$MODULE" ] && echo yes)"
expect "only _nss_mxfallback_* symbols are exported" "" \
	"$(nm -D --defined-only "$MODULE" | awk '{ print $3 }' | grep -v '^_nss_mxfallback_')"
for fn in gethostbyname_r gethostbyname2_r gethostbyname3_r gethostbyname4_r; do
	expect "exports _nss_mxfallback_$fn" 1 \
		"$(nm -D --defined-only "$MODULE" | grep -c " _nss_mxfallback_$fn\$")"
done
expect "links libresolv, not libnss_dns" 1 \
	"$(objdump -p "$MODULE" | grep -c 'NEEDED.*libresolv.so.2')"

dest=$(mktemp -d)
make -s -C "$top_builddir" install DESTDIR="$dest" >/dev/null 2>&1
libdir=$(sed -n "s/^libdir = //p" "$top_builddir/Makefile")
libdir=${libdir/\$\{exec_prefix\}/$(sed -n "s/^exec_prefix = //p" "$top_builddir/Makefile")}
libdir=${libdir/\$\{prefix\}/$(sed -n "s/^prefix = //p" "$top_builddir/Makefile")}
expect "make install puts exactly libnss_mxfallback.so.2 in libdir" "libnss_mxfallback.so.2" \
	"$(ls "$dest$libdir" 2>/dev/null | paste -sd' ' -)"
rm -rf "$dest"
tap_done
