#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch --strict on every kernel-side file (module, KUnit suites,
# uapi), with the script from the cached linux-source tree.
# Usage: scripts/checkpatch.sh [--tap FILE]
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$ADPROF_TOP" || exit 1

tap=/dev/stdout
[ "${1:-}" = --tap ] && tap=$2
cp=$ADPROF_CACHE/linux-source-6.1/scripts/checkpatch.pl
if [ ! -f "$cp" ]; then
	# The tree comes with the KUnit cache; extract just the script if absent.
	mkdir -p "$ADPROF_CACHE/checkpatch"
	tar -xJf /usr/src/linux-source-6.1.tar.xz -C "$ADPROF_CACHE/checkpatch" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || exit 1
	cp=$ADPROF_CACHE/checkpatch/scripts/checkpatch.pl
fi
: >"$tap.tmp"
rc=0
for f in kernel/*.[ch] kunit/*.c uapi/linux/*.h; do
	case $f in *.mod.c) continue ;; esac
	[ -f "$f" ] || continue
	out=$(perl "$cp" --no-tree --strict --terse --show-types -f "$f" 2>&1 | grep -E 'ERROR|WARNING|CHECK')
	if [ -z "$out" ]; then
		echo "ok - checkpatch: $f"
	else
		echo "not ok - checkpatch: $f"
		echo "$out" | head -10 | sed 's/^/# /'
		rc=1
	fi
done >"$tap.tmp"
cat "$tap.tmp" >"$tap"
rm -f "$tap.tmp"
exit $rc
