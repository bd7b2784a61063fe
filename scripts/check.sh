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
	# The guest's test tools, once: the boots below run side by side.
	quiet_ok "$tap" "build: the guest's test tools" \
		make -s -C tests/tools OUT="$ADPROF_BUILD/guest-bin"
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

# asan_unit TAP WHAT TEST SOURCES...: build userspace/tests/TEST.c with
# SOURCES under ASan+UBSan (as sanitize() sets $san, $nl and $d), run it
# with leak detection, and append its TAP lines to TAP, prefixed "asan:".
# It fails on a build error, a failing case, or anything the sanitizers
# print.
asan_unit() {
	local tap=$1 what=$2 t=$3
	shift 3
	# shellcheck disable=SC2086
	if cc "${san[@]}" -Iuapi -Iuserspace -o "$d/$t" "userspace/tests/$t.c" "$@" $nl \
		>"$d/$t.build.log" 2>&1; then
		ASAN_OPTIONS=detect_leaks=1 "$d/$t" 2>"$d/$t.err" |
			sed -n 's/^\(not \)\{0,1\}ok [0-9]* - /&asan: /p' >>"$tap"
		[ "${PIPESTATUS[0]}" -eq 0 ] && [ ! -s "$d/$t.err" ] ||
			{ echo "not ok - asan: $what reported errors"; sed 's/^/# /' "$d/$t.err" | head -20; } >>"$tap"
	else
		{ echo "not ok - asan: $what do not build"; sed 's/^/# /' "$d/$t.build.log"; } >>"$tap"
	fi
}

# The client's unit tests again under ASan+UBSan; the client and the fuzzer
# must build with them too (the guest runs the normal static builds).
sanitize() {
	local tap=$res/35-asan.tap d=$ADPROF_BUILD/asan nl
	local san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1)
	nl=$(pkg-config --cflags --libs libnl-genl-3.0 libelf libprotobuf-c zlib)
	mkdir -p "$d"
	: >"$tap"
	make -s -C userspace profile.pb-c.c >/dev/null
	asan_unit "$tap" "parser unit tests" test_parse \
		userspace/parse.c userspace/json.c userspace/dump.c
	# shellcheck disable=SC2086
	quiet_ok "$tap" "asan: adprofctl builds with ASan+UBSan" \
		cc "${san[@]}" -Iuapi -Iuserspace -o "$d/adprofctl" $(ls userspace/*.c | grep -v static_nss) $nl
	# shellcheck disable=SC2086
	quiet_ok "$tap" "asan: adprof-fuzz builds with ASan+UBSan" \
		cc "${san[@]}" -Iuapi -o "$d/adprof-fuzz" tests/fuzz/adprof-fuzz.c $nl
	asan_unit "$tap" "recording reader tests" test_recfile \
		userspace/recfile.c userspace/callgraph.c userspace/parse.c
	# The decoder of the irq group's events, on messages built with libnl.
	asan_unit "$tap" "irq event decoder tests" test_nl \
		userspace/nl.c userspace/dump.c userspace/parse.c
	# The file fuzzer: recordings of recgen, cut and corrupted, through
	# every output format of the ASan+UBSan adprofctl (tests/fuzz/).
	rm -rf "$d/fuzz"
	mkdir -p "$d/fuzz"
	if [ -x "$d/adprofctl" ] && make -s -C userspace tests/recgen >"$d/recgen.log" 2>&1 &&
	   userspace/tests/recgen -g -i "$d/fuzz/stacks-irq.data" >>"$d/recgen.log" 2>&1 &&
	   userspace/tests/recgen "$d/fuzz/flat.data" >>"$d/recgen.log" 2>&1 &&
	   userspace/tests/recgen -s -g "$d/fuzz/summary.data" >>"$d/recgen.log" 2>&1; then
		python3 tests/fuzz/recfile-fuzz.py "$d/adprofctl" "$d/fuzz/work" \
			"$d/fuzz/stacks-irq.data" "$d/fuzz/flat.data" "$d/fuzz/summary.data" \
			--iterations "${FUZZ_ITERATIONS:-300}" \
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

# Installing as a user would (issue 7): a DKMS build in a private tree,
# whose module the guest's 95-dkms.sh loads, so before vm; make install
# into a DESTDIR; the man page. See scripts/install-check.sh.
install_check() {
	scripts/install-check.sh --tap "$res/48-install.tap" ||
		grep -q '^not ok' "$res/48-install.tap" ||
		echo "not ok - install: scripts/install-check.sh failed" >>"$res/48-install.tap"
	cat "$res/48-install.tap"
}

# Debian's kernel on pc: every test but 36-interop, which reads recordings
# back with perf, go tool pprof and python (userspace only: the other
# stage's boot runs it, make check-all both).
vm() {
	VM_TCG=single tests/vm/run.sh --skip 36-interop --tap "$res/50-vm.tap" ||
		[ -s "$res/50-vm.tap" ] || echo "not ok - vm: runner failed" >"$res/50-vm.tap"
	cat "$res/50-vm.tap"
}

# The guest suite again on the debug kernel (scripts/debug-kernel.sh, of
# KVER's series; built once and cached): lockdep, KASAN, UBSAN, kmemleak
# and debug objects over every file of kernel/. adprof's KUnit suites run
# there too, loaded as a module (05-kunit): what the sanitized UML run did
# (make kunit-sanitize, 11 minutes cold), with kmemleak as well; that stage
# is left out of make check to pay for this one.
#
# The debug kernel runs 5 to 20 times slower than Debian's under TCG, so
# not all of tests/guest/ runs here (the whole of it: make vm-test-debug,
# about 25 minutes). The core covers every kernel/*.c file:
#   00-module    main.c, debugfs.c
#   05-kunit     the pure files: irq_type.c, msix.c, intx.c, buffer.c,
#                bucket.c, iova.c, stack.c, summary.c
#   10-netlink   netlink.c: policies and privileges of every command
#   20-assign    assign_nl.c, dev.c, intrs.c, irq_type.c, msix.c, intx.c
#   22-race, 24-faults, 26-dump  DEV_ASSIGN against sysfs binds (30
#                rounds here), the fault knobs, interrupted dumps
#   27-failnth   every allocation of every command failed in turn
#                (fail-nth, this kernel only; Debian's runs each command
#                once, clean): assign_nl.c, intrs.c, msix.c, profile.c,
#                buffer.c, backend_perf.c, dma.c, iova.c, netlink.c;
#                DEV_ASSIGN's probe (dev.c) once, clean: its sweep
#                through the PCI core and ACPI is make failnth's
#   30-prof, 32-stacks, 34-hotplug, 37-summary  profile.c, buffer.c,
#                backend_perf.c, callchain.c, stack.c, summary.c, CPU
#                hotplug
#   40-dma       dma.c, iova.c: DMA through intel-iommu
#   80-stress, 85-unload, 90-fuzz  concurrency, unload under load, bad
#                input: shortened here (5 s, 6 leak cycles, 3 unload
#                cycles, 2000 messages), Debian's run keeps the defaults.
# Left to Debian's run: 15-ynl, 60-json and 70-privs drive the same
# commands from python (minutes each here) to check the spec, the JSON
# output and the privilege matrix, which 10-netlink checks command by
# command; 95-dkms needs a DKMS build for the kernel; 36-interop,
# 38-timeline and 39-summary-report record with adprofctl and read the
# recordings back with perf, go tool pprof and python (userspace, two
# minutes or more each here): their kernel side, samples, summary counts
# and IRQ events at once, is 30-prof's, 37-summary's and 80-stress's.
# q35 with intel-iommu: the IOMMU and interrupt remapping run under the
# checks too, and pc's ACPI (a _PRT of 128 loops at every
# pci_enable_device) takes the debug kernel more than its 30 s limit.
DEBUG_SKIP="15-ynl 36-interop 38-timeline 39-summary-report 60-json 70-privs"
DEBUG_APPEND="adprof.stress=5 adprof.leak_cycles=6 adprof.unload=3 adprof.fuzz=2000 adprof.race_rounds=12 adprof.dma_hold_mb=16 adprof.dma_cycles=20"

debug() {
	local tap=$res/55-debug.tap series out
	series=$(echo "${KVER:-}" | sed -n 's/^\([0-9]*\.[0-9]*\)\..*/\1/p')
	series=${series:-6.1}
	out=$ADPROF_BUILD/debug-$series
	mkdir -p "$out"
	if scripts/debug-kernel.sh --kdir "$series" >"$out/kernel.out" 2>"$out/kernel.err"; then
		echo "ok - debug: $series debug kernel ($(cat "$out/kernel.out"))" >"$tap"
	else
		{
			echo "not ok - debug: $series debug kernel builds"
			tail -20 "$out/kernel.err" | sed 's/^/# /'
		} >"$tap"
		cat "$tap"
		return
	fi
	quiet_ok "$tap" "debug: module against the $series debug kernel with W=1, no warnings" \
		scripts/debug-kernel.sh --module "$series"
	quiet_ok "$tap" "debug: KUnit suites as a module against the $series debug kernel with W=1, no warnings" \
		scripts/debug-kernel.sh --kunit "$series"
	VM_TCG=single VM_APPEND="$DEBUG_APPEND" tests/vm/run.sh --debug "$series" --machine q35-intel \
		--skip "$DEBUG_SKIP" --tap "$out/vm.tap" ||
		[ -s "$out/vm.tap" ] || echo "not ok - vm: runner failed" >"$out/vm.tap"
	sed 's/^\(not \)\{0,1\}ok - /&debug: /' "$out/vm.tap" >>"$tap"
	cat "$tap"
}

# The tests that depend on the machine again, where the pc run cannot
# reach, on KVER's kernel: q35 with amd-iommu (40-dma: DMA through the
# IOMMU, and faults as DMA_FAULT events, which Intel's driver does not
# report; intel-iommu runs in the debug stage) with 4 vCPUs (34-hotplug:
# CPUs taken offline during a session). The profiler's other tests run on
# 4 vCPUs in the other stage's boot. One boot.
MORE_ONLY="34-,40-"

# run_vm TAP PREFIX RUN-ARGS...: one boot, its TAP lines prefixed.
run_vm() {
	local tap=$1 prefix=$2 raw
	shift 2
	raw=$(mktemp)
	tests/vm/run.sh --tap "$raw" "$@" ||
		[ -s "$raw" ] || echo "not ok - vm: runner failed" >"$raw"
	sed "s/^\(not \)\{0,1\}ok - /&$prefix: /" "$raw" >>"$tap"
	rm -f "$raw"
}

more() {
	local tap=$res/52-amd4.tap
	: >"$tap"
	VM_SMP=4 run_vm "$tap" amd4 --machine q35-amd --only "$MORE_ONLY"
	cat "$tap"
}

# The other supported kernel (6.12 when KVER is 6.1, else 6.1): the module
# built against it with W=1 (in build/other/, a copy of the sources), and
# one boot on q35 with amd-iommu and 4 vCPUs running what differs most
# between kernel versions: assignment and IRQ routing, the profiler with
# stacks, summary mode and CPU hotplug on more CPUs than the pc run's 2,
# DMA, and what reads recordings back: perf.data read by Debian's perf,
# pprof, the timeline of samples and interrupts.
# make check-all runs everything on both.
OTHER_ONLY="20-,30-,32-,34-,36-,37-,38-,39-,40-"

other() {
	local tap=$res/54-other.tap series v d=$ADPROF_BUILD/other
	case ${KVER:-} in 6.12.*) series=6.1 ;; *) series=6.12 ;; esac
	: >"$tap"
	if ! v=$(scripts/kernels.sh "$series" 2>"$d.err"); then
		{ echo "not ok - other: a $series kernel to test (make deps-$series)"; sed 's/^/# /' "$d.err"; } >"$tap"
		cat "$tap"
		return
	fi
	rm -rf "$d"
	mkdir -p "$d/kernel"
	cp -r Kbuild VERSION uapi "$d/"
	cp kernel/*.[ch] "$d/kernel/"
	rm -f "$d/kernel/adprof.mod.c"	# modpost's, for the first kernel
	quiet_ok "$tap" "other: module against $v with W=1, no warnings" \
		make -C "/usr/src/linux-headers-$v" M="$d" W=1 modules
	[ -f "$d/kernel/adprof.ko" ] || { cat "$tap"; return; }
	KVER=$v ADPROF_KO=$d/kernel/adprof.ko VM_SMP=4 run_vm "$tap" "$series" \
		--machine q35-amd --only "$OTHER_ONLY"
	cat "$tap"
}

# Both kernels: the other stage boots the one KVER is not.
stage deps env ADPROF_KERNELS=6.12 scripts/deps.sh || { echo "not ok - deps: package install failed" >"$res/00-deps.tap"; }
stage build build
# Two cores, two streams of boots. The debug stage (its kernel built if
# the cache has none, then one long boot, about 17 minutes warm) runs in
# the background from the end of the build stage; the other stages and
# the pc, other-kernel and amd4 boots (about 16) in the foreground. The
# pc and debug boots run their vCPUs on one host thread each
# (VM_TCG=single): each keeps one core busy, not two. The background's
# output comes at the end.
stage debug debug >"$ADPROF_BUILD/debug-stage.out" 2>&1 &
debug_pid=$!
stage checkpatch style
stage userspace unit
stage asan sanitize
stage spec spec
stage kunit kunit
stage install install_check
stage vm vm
stage other other
stage more more
log "waiting for the debug stage"
wait "$debug_pid"
cat "$ADPROF_BUILD/debug-stage.out"

passed=$(cat "$res"/*.tap | grep -c '^ok ')
failed=$(cat "$res"/*.tap | grep -c '^not ok')
log "make check: $(( $(date +%s) - t0 ))s"
# Each failure with its diagnostics (the comments after it).
awk 'FNR == 1 { diag = 0 } /^(not )?ok / { diag = /^not ok/ } diag && /^(not ok|#)/ { print "FAILED: " $0 }' \
	"$res"/*.tap >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
