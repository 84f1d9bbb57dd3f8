#!/bin/bash
# The manual pages render without a warning (mandoc -T lint, groff -wall)
# and man -l shows them.
. "$(dirname "$0")/integration/lib.sh"
require mandoc groff man col
for page in "$top_srcdir"/nss_mxfallback/*.[158]; do
	name=$(basename "$page")
	expect "mandoc -T lint: $name" "" "$("${UNSANITIZED[@]}" mandoc -T lint -W warning "$page" 2>&1)"
	expect "groff -wall: $name" "" \
		"$(LC_ALL=C.UTF-8 "${UNSANITIZED[@]}" groff -wall -mandoc -z "$page" 2>&1)"
	expect_match "man -l renders: $name" "NAME" \
		"$(MANWIDTH=80 "${UNSANITIZED[@]}" man -l "$page" 2>&1 | col -b)"
done
# The default mx_programs is said the same way everywhere it is said.
default=$(sed -n 's/^#define MXF_DEFAULT_MX_PROGRAMS //p' "$top_srcdir/nss_mxfallback/config.h" |
	tr -d '",')
expect "the shipped config spells out the built-in mx_programs" "mx_programs $default" \
	"$(grep '^mx_programs' "$top_srcdir/nss_mxfallback/nss_mxfallback.conf" | tr -s ' ')"
expect "nss_mxfallback.conf(5) names the built-in mx_programs" 1 \
	"$(grep -c "^.BR \"$default\" \\.\$" "$top_srcdir/nss_mxfallback/nss_mxfallback.conf.5")"
expect "nss-mxfallback(8) names the built-in mx_programs" 1 \
	"$(grep -c "^.RB ( \"$default\" ,\$" "$top_srcdir/nss_mxfallback/nss-mxfallback.8")"
expect "README names the built-in mx_programs in its deployments and settings" 4 \
	"$(grep -c "mx_programs  *$default\b" "$top_srcdir/README")"
tap_done
