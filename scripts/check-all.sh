#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-all: make check on each supported Debian kernel (6.1, then
# 6.12, whose packages scripts/deps.sh installs if needed), one after the
# other; each run's TAP files are kept in build/check-all/$KVER/ (make
# check empties build/ when it starts). Ends with the sum of the runs,
# "N passed, N failed", and fails if any run failed.
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$ADPROF_TOP" || exit 1

kvers=()
for s in 6.1 6.12; do
	v=$(scripts/kernels.sh "$s" 2>/dev/null)
	if [ -z "$v" ] && [ "$s" != 6.1 ]; then
		ADPROF_KERNELS=$s scripts/deps.sh >&2 && v=$(scripts/kernels.sh "$s")
	fi
	[ -n "$v" ] || v=unknown-$s
	kvers+=("$v")
done

keep=$(mktemp -d)
trap 'rm -rf "$keep"' EXIT
passed=0 failed=0 rc=0
for v in "${kvers[@]}"; do
	log "make check KVER=$v"
	if [ "${v#unknown-}" != "$v" ]; then
		echo "not ok - check-all: no ${v#unknown-} kernel to test (make deps-${v#unknown-})" >"$keep/$v.tap"
		mkdir -p "$keep/$v" && mv "$keep/$v.tap" "$keep/$v/"
		failed=$((failed + 1)) rc=1
		continue
	fi
	out=$(mktemp)
	make -s check KVER="$v" 2>&1 | tee "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	rm -f "$out"
	if [ -z "$line" ]; then
		failed=$((failed + 1)) rc=1
		echo "not ok - check-all: make check KVER=$v printed no count" >&2
	else
		set -- $line
		passed=$((passed + $1)) failed=$((failed + $3))
	fi
	mkdir -p "$keep/$v"
	cp -r "$ADPROF_BUILD/results/." "$keep/$v/" 2>/dev/null
	log "KVER=$v: ${line:-no result}"
done
mkdir -p "$ADPROF_BUILD/check-all"
cp -r "$keep/." "$ADPROF_BUILD/check-all/"
for v in "${kvers[@]}"; do
	awk -v v="$v" 'FNR == 1 { diag = 0 } /^(not )?ok / { diag = /^not ok/ }
		diag && /^(not ok|#)/ { print "FAILED (" v "): " $0 }' \
		"$ADPROF_BUILD/check-all/$v"/*.tap 2>/dev/null >&2
done
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
