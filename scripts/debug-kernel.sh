#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug guest kernel: Debian's linux-source-SERIES configured with
# "make allnoconfig" plus tests/vm/debug.config and, if there is one,
# tests/vm/debug-SERIES.config (lockdep, KASAN, UBSAN,
# kmemleak, debug objects, fault injection, KUnit, and only what the test
# guests boot on), so that the lockdep_assert_held() and the rest in
# kernel/ run somewhere. Debian's kernels have none of these checks.
#
# Built once into $ADPROF_CACHE/debug-kernel-SERIES-KEY. KEY hashes the
# config fragments, this script, the source package's version and size and
# the compiler: a change to any of them rebuilds, nothing else does. The
# build runs in a temporary directory renamed on success, so an
# interrupted build never looks complete, under a lock, so that two runs
# never build the same kernel twice. Builds use O=, the source tree (the
# one kunit/run.sh extracts) is never written to.
#
# Usage: scripts/debug-kernel.sh [--kdir|--bzimage|--module|--kunit] SERIES
#   (none)     build if needed; print the build directory (a KDIR for
#              external modules: headers, scripts, Module.symvers) and
#              the bzImage, one per line
#   --kdir, --bzimage  the same, that line only
#   --module   build adprof.ko against it with W=1 in
#              build/debug-SERIES/mod/ (kernel/adprof.ko, the Debian
#              kernel's, is left alone); print the .ko
#   --kunit    build kunit/*_test.c and the files of kunit/pure.list as
#              adprof_kunit.ko (kunit/overlay/Makefile) with W=1 in
#              build/debug-SERIES/kunit/; print the .ko
# SERIES is 6.1 or 6.12. Env: ADPROF_JOBS (default: nproc).
set -euo pipefail
. "$(dirname "$0")/common.sh"

what=all
case ${1:-} in
--kdir|--bzimage|--module|--kunit) what=${1#--}; shift ;;
esac
[ $# -eq 1 ] || die "usage: $0 [--kdir|--bzimage|--module|--kunit] SERIES"
series=$1
case $series in
6.1|6.12) ;;
*) die "unknown series $series (6.1 or 6.12)" ;;
esac

tarball=/usr/src/linux-source-$series.tar.xz
src=$ADPROF_CACHE/linux-source-$series
frags=("$ADPROF_TOP/tests/vm/debug.config")
[ ! -f "$ADPROF_TOP/tests/vm/debug-$series.config" ] || frags+=("$ADPROF_TOP/tests/vm/debug-$series.config")
jobs=${ADPROF_JOBS:-$(nproc)}
[ -f "$tarball" ] || die "$tarball missing: run 'make deps'"
mkdir -p "$ADPROF_CACHE"
# One extraction and one build of a series at a time: a second run waits,
# then finds them done.
exec 9>"$ADPROF_CACHE/debug-kernel-$series.lock"
flock 9

# The tree kunit/run.sh uses, extracted the same way (same marker) when it
# is not there yet: into a temporary directory, then renamed.
if [ ! -f "$src/.adprof-extracted" ] || [ "$tarball" -nt "$src/.adprof-extracted" ]; then
	log "extracting $tarball into $src (once)"
	t=$(mktemp -d "$src.tmp.XXXXXX")
	tar -xJf "$tarball" -C "$t" --strip-components=1
	touch "$t/.adprof-extracted"
	rm -rf "$src"
	mv -T "$t" "$src" || rm -rf "$t"
fi

# The cache key. The package's version and the tarball's size stand for
# its contents (hashing 140 MB on every run would cost seconds).
ver=$(dpkg-query -W -f='${Version}' "linux-source-$series" 2>/dev/null || echo unpackaged)
key=$(
	{
		cat "${frags[@]}"
		cat "$0"
		echo "linux-source-$series $ver $(stat -c %s "$tarball")"
		${CC:-gcc} --version | head -1
	} | sha256sum | cut -c1-16
)
kdir=$ADPROF_CACHE/debug-kernel-$series-$key
bzimage=$kdir/arch/x86/boot/bzImage

build_kernel() {
	local tmp s=$SECONDS bad frag
	tmp=$(mktemp -d "$kdir.tmp.XXXXXX")
	log "building the $series debug kernel in $tmp (6 to 20 minutes on 2 cores, by how busy they are)"
	frag=$tmp/adprof.config
	cat "${frags[@]}" >"$frag"
	{
		echo "linux-source-$series $ver"
		${CC:-gcc} --version | head -1
	} >"$tmp/adprof-inputs"
	make -s -C "$src" O="$tmp" ARCH=x86_64 KCONFIG_ALLCONFIG="$frag" allnoconfig >"$tmp/adprof-build.log" 2>&1 &&
		make -s -C "$src" O="$tmp" ARCH=x86_64 olddefconfig >>"$tmp/adprof-build.log" 2>&1 ||
		{ tail -20 "$tmp/adprof-build.log" >&2; rm -rf "$tmp"; die "configuring the $series debug kernel failed"; }
	# Kconfig drops what it cannot satisfy without a word: every line of
	# the fragment must be in .config as written.
	bad=$(grep -E '^CONFIG_|^# CONFIG_.* is not set$' "$frag" | grep -vxFf "$tmp/.config" || true)
	if [ -n "$bad" ]; then
		echo "$bad" | sed 's/^/    /' >&2
		rm -rf "$tmp"
		die "tests/vm/debug*.config: these lines did not make it into $series's .config (a dependency missing?)"
	fi
	if ! make -C "$src" O="$tmp" ARCH=x86_64 -j"$jobs" >>"$tmp/adprof-build.log" 2>&1; then
		grep -E 'error|Error' "$tmp/adprof-build.log" | head -20 >&2
		tail -5 "$tmp/adprof-build.log" >&2
		log "build log kept in $tmp/adprof-build.log"
		die "building the $series debug kernel failed"
	fi
	[ -f "$tmp/arch/x86/boot/bzImage" ] && [ -f "$tmp/Module.symvers" ] ||
		die "the $series debug kernel built without a bzImage or Module.symvers ($tmp)"
	echo "$((SECONDS - s))" >"$tmp/adprof-build-seconds"
	mv -T "$tmp" "$kdir"
	log "$series debug kernel built in $((SECONDS - s))s: $kdir"
}

if [ ! -f "$bzimage" ]; then
	rm -rf "$kdir".tmp.*
	build_kernel
	# Keep the three most recently used builds of this series (other
	# branches may use other fragments); each takes about 350 MB.
	ls -dt "$ADPROF_CACHE/debug-kernel-$series-"* 2>/dev/null | grep -v '\.tmp\.' |
		tail -n +4 | while read -r old; do
			log "removing the old debug kernel $old"
			rm -rf "$old"
		done
fi
touch "$kdir"
flock -u 9

# build_ext DIR TARGET MAKE-ARGS...: an external module in DIR, W=1.
build_ext() {
	local dir=$1 ko=$2
	shift 2
	make -C "$kdir" M="$dir" W=1 "$@" modules >&2 ||
		die "building $ko against the $series debug kernel failed"
	echo "$dir/$ko"
}

case $what in
all) echo "$kdir"; echo "$bzimage" ;;
kdir) echo "$kdir" ;;
bzimage) echo "$bzimage" ;;
module)
	# Sources only: kernel/ also holds the Debian kernel's objects.
	mod=$ADPROF_BUILD/debug-$series/mod
	rm -rf "$mod"
	mkdir -p "$mod/kernel"
	cp "$ADPROF_TOP/Kbuild" "$ADPROF_TOP/VERSION" "$mod/"
	cp -r "$ADPROF_TOP/uapi" "$mod/"
	cp "$ADPROF_TOP"/kernel/*.[ch] "$mod/kernel/"
	build_ext "$mod" kernel/adprof.ko
	;;
kunit)
	# What kunit/run.sh overlays into the UML tree, as a module:
	# kunit/overlay/Makefile with its config symbol set on the command line.
	ku=$ADPROF_BUILD/debug-$series/kunit
	rm -rf "$ku"
	mkdir -p "$ku/include/linux"
	grep -v '^#' "$ADPROF_TOP/kunit/pure.list" | while read -r f; do
		[ -z "$f" ] || cp "$ADPROF_TOP/kernel/$f" "$ku/"
	done
	cp "$ADPROF_TOP"/kunit/*_test.c "$ku/"
	cp "$ADPROF_TOP/kunit/overlay/Makefile" "$ku/Makefile"
	cp "$ADPROF_TOP/uapi/linux/adprof.h" "$ku/include/linux/"
	build_ext "$ku" adprof_kunit.ko CONFIG_ADPROF_KUNIT_TEST=m
	;;
esac
