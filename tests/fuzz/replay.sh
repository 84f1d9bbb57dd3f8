#!/bin/bash
# make check: every input of the fuzz corpus, through each target's replay
# program (no libFuzzer needed); valgrind memcheck watches when present.
. "$(dirname "$0")/../integration/lib.sh"
for target in dns netbios lmhosts config; do
	files=("$top_srcdir/tests/fuzz/corpus/$target"/*)
	replay="$top_builddir/tests/fuzz/replay_$target"
	vg=()
	if nm "$replay" 2>/dev/null | grep -q __asan_init; then
		: # ASan watches the replay itself
	elif command -v valgrind >/dev/null; then
		vg=(valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite)
	else
		echo "ok $((tap_n += 1)) # SKIP valgrind is not installed: $target replayed without memcheck"
	fi
	"${vg[@]}" "$replay" "${files[@]}" 2>&1 | sed "s/^/# /"
	expect "fuzz corpus replays cleanly: $target (${#files[@]} inputs)" 0 "${PIPESTATUS[0]}"
done
tap_done
