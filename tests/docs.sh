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
tap_done
