#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run adprof's KUnit suites under kunit.py (UML) in Debian's linux-source
# tree. The tree is extracted once into $ADPROF_CACHE, the pure kernel/
# files and kunit/ suites are overlaid as drivers/adprof/, and the UML
# build directory is cached beside the tree so a rebuild takes seconds.
#
# Usage: kunit/run.sh [--sanitize] [--tap FILE]
#   --sanitize  also enable KASAN and lockdep (own build directory)
#   --tap FILE  write one TAP line per KUnit case to FILE
# Env: KSRC_VER, the source tree's series (6.1 or 6.12; default: KVER's
#      series, else 6.1)
set -euo pipefail
. "$(dirname "$0")/../scripts/common.sh"

# The source series follows the guest kernel: KVER=6.12.x -> 6.12.
kver_series=$(echo "${KVER:-}" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
KSRC_VER=${KSRC_VER:-${kver_series:-6.1}}
variant=plain
tap=
while [ $# -gt 0 ]; do
	case $1 in
	--sanitize) variant=sanitize ;;
	--tap) tap=$2; shift ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done

tarball=/usr/src/linux-source-$KSRC_VER.tar.xz
src=$ADPROF_CACHE/linux-source-$KSRC_VER
build=$ADPROF_CACHE/kunit-build-$KSRC_VER-$variant

[ -f "$tarball" ] || die "$tarball missing: run 'make deps'"
mkdir -p "$ADPROF_CACHE"
# Extract into a temporary directory and rename, so an interrupted
# extraction never leaves a half tree that looks complete.
if [ ! -f "$src/.adprof-extracted" ] || [ "$tarball" -nt "$src/.adprof-extracted" ]; then
	log "extracting $tarball into $src (once)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.adprof-extracted"
	mv "$src.tmp" "$src"
	rm -rf "$build"
fi

# Overlay: drivers/adprof/ with our Kconfig entry. install -C keeps mtimes
# of unchanged files, so kbuild only rebuilds what changed.
ov=$src/drivers/adprof
mkdir -p "$ov/include/linux"
want=$(mktemp)
trap 'rm -f "$want"' EXIT
{
	grep -v '^#' "$ADPROF_TOP/kunit/pure.list" | while read -r f; do
		[ -n "$f" ] || continue
		[ -f "$ADPROF_TOP/kernel/$f" ] || die "kunit/pure.list names missing kernel/$f"
		install -C -m 644 "$ADPROF_TOP/kernel/$f" "$ov/$f"
		echo "$f"
	done
	for f in "$ADPROF_TOP"/kunit/*_test.c; do
		[ -f "$f" ] || continue
		install -C -m 644 "$f" "$ov/$(basename "$f")"
		basename "$f"
	done
	install -C -m 644 "$ADPROF_TOP/kunit/overlay/Kconfig" "$ov/Kconfig"
	install -C -m 644 "$ADPROF_TOP/kunit/overlay/Makefile" "$ov/Makefile"
	echo Kconfig; echo Makefile
} >"$want"
install -C -m 644 "$ADPROF_TOP/uapi/linux/adprof.h" "$ov/include/linux/adprof.h"
# Drop files a previous overlay left that the repo no longer has.
for f in "$ov"/*; do
	[ -f "$f" ] || continue
	grep -qxF "$(basename "$f")" "$want" || rm -f "$f"
done
grep -q 'drivers/adprof/Kconfig' "$src/drivers/Kconfig" ||
	sed -i 's|^endmenu$|source "drivers/adprof/Kconfig"\n\nendmenu|' "$src/drivers/Kconfig"
grep -q 'ADPROF_KUNIT_TEST' "$src/drivers/Makefile" ||
	echo 'obj-$(CONFIG_ADPROF_KUNIT_TEST) += adprof/' >>"$src/drivers/Makefile"

kconf=$ADPROF_TOP/kunit/.kunitconfig
extra=()
if [ "$variant" = sanitize ]; then
	for o in CONFIG_DEBUG_KERNEL=y CONFIG_KASAN=y CONFIG_KASAN_VMALLOC=y CONFIG_PROVE_LOCKING=y \
		 CONFIG_DEBUG_SPINLOCK=y; do
		extra+=(--kconfig_add "$o")
	done
fi

json=$(mktemp)
trap 'rm -f "$want" "$json"' EXIT
log "kunit.py run ($variant, build dir $build)"
rc=0
(cd "$src" && python3 tools/testing/kunit/kunit.py run \
	--kunitconfig="$kconf" --build_dir="$build" --jobs="$(nproc)" \
	--timeout=300 --json="$json" "${extra[@]}") || rc=$?

# One TAP line per case from kunit.py's JSON, never from raw output.
if [ -n "$tap" ]; then
	python3 "$ADPROF_TOP/kunit/json2tap.py" "$json" "kunit-$variant" >"$tap" 2>/dev/null || {
		echo "not ok - kunit-$variant: kunit.py produced no results (rc $rc)" >"$tap"
		rc=1
	}
	# KASAN and lockdep report in the kernel log, not always as a failed
	# case. UML's own virt-pci warns once at boot when no virtio PCI
	# device is configured; that one line is not ours.
	bad=$(grep -E 'WARNING:|BUG:|KASAN:|UBSAN:|possible circular|possible recursive|inconsistent lock' \
		"$build/test.log" 2>/dev/null | grep -v 'arch/um/drivers/virt-pci.c' || true)
	if [ -z "$bad" ]; then
		echo "ok - kunit-$variant: kernel log clean"
	else
		echo "not ok - kunit-$variant: kernel log has reports"
		echo "$bad" | head -10 | sed 's/^/# /'
		rc=1
	fi >>"$tap"
	[ $rc -eq 0 ] || grep -q '^not ok' "$tap" ||
		echo "not ok - kunit-$variant: kunit.py exited $rc" >>"$tap"
fi
exit $rc
