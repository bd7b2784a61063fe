#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every stage writes TAP lines into build/results/, a failing
# stage does not stop the later ones, and the last line counts every test
# that ran: "N passed, N failed". Exit status is non-zero on any failure.
set -uo pipefail
. "$(dirname "$0")/common.sh"
cd "$ADPROF_TOP" || exit 1

# A full rebuild, so that every warning shows; this also empties build/.
make -s clean >/dev/null 2>&1
res=$ADPROF_BUILD/results
rm -rf "$res"
mkdir -p "$res"
t0=$(date +%s)

stage() {
	local name=$1 s
	shift
	s=$(date +%s)
	log "$name"
	"$@"
	log "$name: $(( $(date +%s) - s ))s"
}

# A command that must succeed and print no warning: one TAP line.
quiet_ok() {
	local tap=$1 desc=$2 out
	shift 2
	out=$(mktemp)
	if "$@" >"$out" 2>&1 && ! grep -qiE '(warning|error):' "$out"; then
		echo "ok - $desc" >>"$tap"
	else
		echo "not ok - $desc" >>"$tap"
		grep -iE '(warning|error):' "$out" | head -30 | sed 's/^/# /' >>"$tap"
		tail -5 "$out" | sed 's/^/# /' >>"$tap"
	fi
	rm -f "$out"
}

build() {
	local tap=$res/10-build.tap
	quiet_ok "$tap" "build: module with W=1, no warnings" make module W=1
	quiet_ok "$tap" "build: adprofctl, no warnings" make userspace
	quiet_ok "$tap" "build: static adprofctl for the guest" make -C userspace adprofctl.static
	quiet_ok "$tap" "build: sparse (C=2) on every module file, no warnings" make sparse
	cat "$tap"
}

style() {
	local tap=$res/20-checkpatch.tap
	scripts/checkpatch.sh --tap "$tap"
	cat "$tap"
}

unit() {
	local tap=$res/30-userspace.tap
	make -s -C userspace test >"$tap" 2>&1 ||
		grep -q '^not ok' "$tap" || echo "not ok - userspace: unit tests exited non-zero" >>"$tap"
	grep -E '^(not )?ok' "$tap" | tail -n +1 >/dev/null
	cat "$tap"
}

# The client's unit tests again under ASan+UBSan; the client and the fuzzer
# must build with them too (the guest runs the normal static builds).
sanitize() {
	local tap=$res/35-asan.tap d=$ADPROF_BUILD/asan nl
	local san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
	nl=$(pkg-config --cflags --libs libnl-genl-3.0 libelf libprotobuf-c zlib)
	mkdir -p "$d"
	make -s -C userspace profile.pb-c.c >/dev/null
	if cc "${san[@]}" -Iuapi -Iuserspace -o "$d/test_parse" userspace/tests/test_parse.c \
		userspace/parse.c userspace/json.c userspace/dump.c >"$d/build.log" 2>&1; then
		ASAN_OPTIONS=detect_leaks=1 "$d/test_parse" 2>"$d/run.err" |
			sed -n 's/^\(not \)\{0,1\}ok [0-9]* - /&asan: /p' >"$tap"
		[ "${PIPESTATUS[0]}" -eq 0 ] && [ ! -s "$d/run.err" ] ||
			{ echo "not ok - asan: unit tests reported errors"; sed 's/^/# /' "$d/run.err" | head -20; } >>"$tap"
	else
		{ echo "not ok - asan: unit tests do not build"; sed 's/^/# /' "$d/build.log"; } >"$tap"
	fi
	# shellcheck disable=SC2086
	quiet_ok "$tap" "asan: adprofctl builds with ASan+UBSan" \
		cc "${san[@]}" -Iuapi -Iuserspace -o "$d/adprofctl" $(ls userspace/*.c | grep -v static_nss) $nl
	# shellcheck disable=SC2086
	quiet_ok "$tap" "asan: adprof-fuzz builds with ASan+UBSan" \
		cc "${san[@]}" -Iuapi -o "$d/adprof-fuzz" tests/fuzz/adprof-fuzz.c $nl
	if cc "${san[@]}" -Iuapi -Iuserspace -o "$d/test_recfile" userspace/tests/test_recfile.c \
		userspace/recfile.c userspace/callgraph.c userspace/parse.c >"$d/build-rf.log" 2>&1; then
		ASAN_OPTIONS=detect_leaks=1 "$d/test_recfile" 2>"$d/run-rf.err" |
			sed -n 's/^\(not \)\{0,1\}ok [0-9]* - /&asan: /p' >>"$tap"
		[ "${PIPESTATUS[0]}" -eq 0 ] && [ ! -s "$d/run-rf.err" ] ||
			{ echo "not ok - asan: recording reader tests reported errors"; sed 's/^/# /' "$d/run-rf.err" | head -20; } >>"$tap"
	else
		{ echo "not ok - asan: recording reader tests do not build"; sed 's/^/# /' "$d/build-rf.log"; } >>"$tap"
	fi
	# The file fuzzer: recordings of recgen, cut and corrupted, through
	# every output format of the ASan+UBSan adprofctl (tests/fuzz/).
	rm -rf "$d/fuzz"
	mkdir -p "$d/fuzz"
	if [ -x "$d/adprofctl" ] && make -s -C userspace tests/recgen >"$d/recgen.log" 2>&1 &&
	   userspace/tests/recgen -g -i "$d/fuzz/stacks-irq.data" >>"$d/recgen.log" 2>&1 &&
	   userspace/tests/recgen "$d/fuzz/flat.data" >>"$d/recgen.log" 2>&1; then
		python3 tests/fuzz/recfile-fuzz.py "$d/adprofctl" "$d/fuzz/work" \
			"$d/fuzz/stacks-irq.data" "$d/fuzz/flat.data" --iterations "${FUZZ_ITERATIONS:-300}" \
			>>"$tap" 2>&1 || grep -q '^not ok' "$tap" ||
			echo "not ok - fuzz: recfile-fuzz.py failed" >>"$tap"
	else
		{ echo "not ok - fuzz: no ASan adprofctl or no seed recordings"; sed 's/^/# /' "$d/recgen.log"; } >>"$tap"
	fi
	cat "$tap"
}

spec() {
	tests/spec/run.sh >"$res/25-spec.tap" 2>"$res/spec.err" ||
		grep -q '^not ok' "$res/25-spec.tap" ||
		{ echo "not ok - spec: checker failed"; sed 's/^/# /' "$res/spec.err"; } >>"$res/25-spec.tap"
	cat "$res/25-spec.tap"
}

kunit() {
	kunit/run.sh --tap "$res/40-kunit.tap"
	cat "$res/40-kunit.tap"
}

kunit_sanitize() {
	kunit/run.sh --sanitize --tap "$res/45-kunit-sanitize.tap"
	cat "$res/45-kunit-sanitize.tap"
}

# Installing as a user would (issue 7): a DKMS build in a private tree,
# whose module the guest's 95-dkms.sh loads, so before vm; make install
# into a DESTDIR; the man page. See scripts/install-check.sh.
install_check() {
	scripts/install-check.sh --tap "$res/48-install.tap" ||
		grep -q '^not ok' "$res/48-install.tap" ||
		echo "not ok - install: scripts/install-check.sh failed" >>"$res/48-install.tap"
	cat "$res/48-install.tap"
}

vm() {
	tests/vm/run.sh --tap "$res/50-vm.tap" ||
		[ -s "$res/50-vm.tap" ] || echo "not ok - vm: runner failed" >"$res/50-vm.tap"
	cat "$res/50-vm.tap"
}

stage deps scripts/deps.sh || { echo "not ok - deps: package install failed" >"$res/00-deps.tap"; }
stage build build
stage checkpatch style
stage userspace unit
stage asan sanitize
stage spec spec
stage kunit kunit
stage kunit-sanitize kunit_sanitize
stage install install_check
stage vm vm

passed=$(cat "$res"/*.tap | grep -c '^ok ')
failed=$(cat "$res"/*.tap | grep -c '^not ok')
log "make check: $(( $(date +%s) - t0 ))s"
grep -h '^not ok' "$res"/*.tap | sed 's/^/FAILED: /' >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
