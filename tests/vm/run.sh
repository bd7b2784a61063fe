#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's own kernel ($KVER) under QEMU/TCG with a busybox initramfs
# holding adprof.ko, a static adprofctl and the guest tests, plus QEMU's
# edu device, a driverless virtio-rng with an MSI-X table of 4 and two
# driverless virtio-serials with one of 256 (a DEV_GET message of a device
# using all of adprof's 255 entries; two make a dump of several parts). One boot runs every test; TAP comes
# back on the serial console.
#
# With --debug SERIES it boots the debug kernel instead (lockdep, KASAN,
# UBSAN, kmemleak, debug objects: scripts/debug-kernel.sh) with the module
# and the KUnit suites built against it (debug-kernel.sh --module, --kunit),
# and the verdict also fails on a kmemleak report or on a check that
# switched itself off.
#
# Usage: tests/vm/run.sh [--debug SERIES] [--machine MACHINE] [--skip TESTS]
#                        [--demo] [--only PATTERN] [--tap FILE] [--results DIR]
#   --machine  pc (default), q35-intel (-device intel-iommu, intel_iommu=on)
#              or q35-amd (-device amd-iommu)
#   --skip     tests/guest/ scripts left out, e.g. "90-fuzz 95-dkms"
#   --only     only the tests whose names match one of these globs,
#              comma-separated, e.g. "30-,3[24]-"
# A test may print a file between "# FILE-BEGIN NAME" and "# FILE-END"
# (each line behind "# "); it is saved as DIR/NAME (default $vm/results).
# Env:   KVER, VM_TIMEOUT (s, default 1500; 2400 with --debug), VM_SMP
#        (default 2), VM_MEM (MiB, default 1024), VM_APPEND (more kernel
#        arguments), VM_QEMU_ARGS (more QEMU arguments, e.g. -s for gdb),
#        ADPROF_KO (the module to load, default kernel/adprof.ko),
#        VM_TCG=single (all vCPUs on one host thread, QEMU's round robin,
#        instead of a thread each: a guest then keeps at most one host
#        core busy, so two guests share two cores without starving each
#        other; tests that spin for a fixed time cost a third less CPU)
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

mode=tests
only=
tap=
results=
debug=
machine=pc
skip=
while [ $# -gt 0 ]; do
	case $1 in
	--debug) debug=$2; shift ;;
	--machine) machine=$2; shift ;;
	--skip) skip=${2//,/ }; shift ;;
	--demo) mode=demo ;;
	--only) only=$2; shift ;;
	--tap) tap=$2; shift ;;
	--results) results=$2; shift ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done

# The machine: intel-iommu must come before any other PCI device.
case $machine in
pc) qmachine=(-machine pc) iommu=none ;;
q35-intel) qmachine=(-machine q35 -device intel-iommu) iommu=intel ;;
q35-amd) qmachine=(-machine q35 -device amd-iommu) iommu=amd ;;
*) die "unknown machine $machine (pc, q35-intel, q35-amd)" ;;
esac

kunit_ko=
if [ -n "$debug" ]; then
	# No modules: what the guest needs is built in.
	kdir=$("$ADPROF_TOP/scripts/debug-kernel.sh" --kdir "$debug")
	kernel=$kdir/arch/x86/boot/bzImage
	KVER=$(cat "$kdir/include/config/kernel.release")
	mods=
	ko=$ADPROF_BUILD/debug-$debug/mod/kernel/adprof.ko
	kunit_ko=$ADPROF_BUILD/debug-$debug/kunit/adprof_kunit.ko
	[ -f "$ko" ] || die "$ko missing (scripts/debug-kernel.sh --module $debug)"
	[ -f "$kunit_ko" ] || die "$kunit_ko missing (scripts/debug-kernel.sh --kunit $debug)"
	# DKMS builds for Debian's kernels only.
	skip="$skip 95-dkms"
else
	KVER=${KVER:-$("$ADPROF_TOP/scripts/kdir.sh" --kver "$("$ADPROF_TOP/scripts/kdir.sh" 2>/dev/null)")}
	kernel=/boot/vmlinuz-$KVER
	mods=/lib/modules/$KVER
	ko=${ADPROF_KO:-$ADPROF_TOP/kernel/adprof.ko}
	[ -f "$ko" ] || die "$ko missing (make)"
fi
ctl=${ADPROF_CTL:-$ADPROF_TOP/userspace/adprofctl.static}
[ -r "$kernel" ] || die "$kernel missing (make deps)"
[ -x "$ctl" ] || die "$ctl missing (make -C userspace adprofctl.static)"
modinfo -F vermagic "$ko" | grep -q "^$KVER " || die "$ko was not built for $KVER"

make -s -C "$ADPROF_TOP/tests/tools" OUT="$ADPROF_BUILD/guest-bin" || die "building tests/tools failed"

vm=$ADPROF_BUILD/vm-$KVER
[ "$machine" = pc ] || vm=$vm-$machine
[ "${VM_SMP:-2}" = 2 ] || vm=$vm-smp$VM_SMP
root=$vm/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,usr,lib64,lib/modules,host,tests,demo,root}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
file -b "$root/bin/busybox" 2>/dev/null | grep -q 'statically' ||
	ldd "$root/bin/busybox" 2>&1 | grep -q 'not a dynamic' || die "/bin/busybox is not static (busybox-static)"
install -m 755 "$ADPROF_TOP/tests/vm/init" "$root/init"
install -m 644 "$ko" "$root/adprof.ko"
[ -z "$kunit_ko" ] || install -m 644 "$kunit_ko" "$root/adprof_kunit.ko"
# The DKMS-built module at DKMS's place, for tests/guest/95-dkms.sh; made
# (again) by scripts/dkms.sh when that test runs and it is missing or was
# built from other sources than $ko.
dk=$ADPROF_BUILD/dkms/adprof-$KVER.ko
case " $skip " in
*" 95-dkms "*) ;;
*)
	case ,$only, in
	*,,* | *9* | *dkms*)
		[ -f "$dk" ] && [ "$(modinfo -F srcversion "$dk")" = "$(modinfo -F srcversion "$ko")" ] ||
			KVER=$KVER "$ADPROF_TOP/scripts/dkms.sh" --tap "$ADPROF_BUILD/dkms/run.tap" ||
			log "scripts/dkms.sh failed: $ADPROF_BUILD/dkms/run.tap"
		;;
	esac
	;;
esac
if [ -f "$dk" ]; then
	mkdir -p "$root/lib/modules/$KVER/updates/dkms"
	install -m 644 "$dk" "$root/lib/modules/$KVER/updates/dkms/adprof.ko"
fi
install -m 755 "$ctl" "$root/bin/adprofctl"
for f in "$ADPROF_TOP"/tests/guest/*.sh "$ADPROF_TOP"/tests/guest/*.py; do
	case " $skip " in *" $(basename "$f" .sh) "*) continue ;; esac
	[ -f "$f" ] && install -m 755 "$f" "$root/tests/"
done
mkdir -p "$root/specs"
cp "$ADPROF_TOP"/Documentation/netlink/specs/*.yaml "$root/specs/" 2>/dev/null || true
# The kernel's own YNL (6.12) for tests that drive the family through it.
if "$ADPROF_TOP/tests/spec/fetch-ynl.sh" >/dev/null &&
   ynl=$("$ADPROF_TOP/tests/spec/fetch-ynl.sh" --print) && [ -d "$ynl" ]; then
	cp -r "$ynl" "$root/ynl"
fi
for f in "$ADPROF_TOP"/tests/demo/*.sh; do
	[ -f "$f" ] && install -m 755 "$f" "$root/demo/"
done
for f in "$ADPROF_BUILD"/guest-bin/*; do
	[ -x "$f" ] && install -m 755 "$f" "$root/bin/"
done
# Loader and library paths resolve once the host's /usr is bound on /usr.
ln -sfn /usr/lib64/ld-linux-x86-64.so.2 "$root/lib64/ld-linux-x86-64.so.2"
ln -sfn /usr/lib/x86_64-linux-gnu "$root/lib/x86_64-linux-gnu"

# The host modules the guest may load (9p for the host root, virtio_pci),
# with modules.dep so busybox modprobe resolves their dependencies. The
# debug kernel has them built in.
mkdir -p "$root/lib/modules/$KVER"
if [ -n "$mods" ]; then
	cp "$mods"/modules.dep "$mods"/modules.alias "$mods"/modules.builtin "$root/lib/modules/$KVER/" 2>/dev/null || true
	for m in kernel/fs/9p/9p.ko kernel/net/9p/9pnet_virtio.ko kernel/drivers/virtio/virtio_pci.ko; do
		# 6.12's modules.dep names them .ko.xz: match, then strip, the suffix.
		for dep in $m $(grep -E "^$m(\.xz|\.zst)?:" "$mods/modules.dep" | cut -d: -f2 |
				sed 's/\.ko\.\(xz\|zst\)/.ko/g'); do
			for c in "$mods/$dep" "$mods/$dep.xz" "$mods/$dep.zst"; do
				[ -f "$c" ] || continue
				mkdir -p "$root/lib/modules/$KVER/$(dirname "$dep")"
				case $c in
				*.xz) xz -dc "$c" >"$root/lib/modules/$KVER/$dep" ;;
				*.zst) zstd -qdc "$c" >"$root/lib/modules/$KVER/$dep" ;;
				*) cp "$c" "$root/lib/modules/$KVER/$dep" ;;
				esac
			done
		done
	done
	sed -i 's/\.ko\.\(xz\|zst\)/.ko/g' "$root/lib/modules/$KVER/modules.dep"
fi

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initramfs.gz"

# Room for a host that runs other guests: make check boots two at once,
# and a suite that takes 10 minutes alone took 15 beside a benchmark.
timeout_s=${VM_TIMEOUT:-$([ -n "$debug" ] && echo 2400 || echo 1500)}
log=$vm/console.log
append="console=ttyS0 quiet loglevel=4 panic_on_warn=1 panic=-1 oops=panic"
append+=" softlockup_panic=1 hung_task_panic=1 hung_task_timeout_secs=60"
# The guest CPU has no CMPXCHG16B (-cx16). Debian 12's QEMU 7.2 emulates
# it with a helper that computes the flags from a condition-code state the
# translator has not stored (helper_cmpxchg16b_unlocked() reads CC_OP with
# no gen_update_cc_op() before it): where an IRET left that state as whole
# EFLAGS, RFLAGS after the instruction is an earlier one's operand. SLUB's
# allocation fast path runs cmpxchg16b; under an interrupt storm with
# allocations in softirq (20-assign's rmmod while edu fires) the 6.12 guest
# on 4 vCPUs took #DB (TF set), #DF or an IRET #GP right after it, with
# pointer bits in RFLAGS (RDI | 0x242 in one): 1 boot of 12 running
# 20-assign, 4 of 10 repeating its storm; none of 8 without CX16. Later
# QEMU computes the flags inline. Without CX16 the kernel takes its other
# paths (SLUB's locked one, the this_cpu_cmpxchg16b_emu() fallback).
#
# But 6.12's AMD IOMMU driver refuses to start without CX16, so q35-amd
# keeps it and, on Debian's kernels (the debug kernel boots q35-intel in
# make check), red-zones every slab cache instead of kmalloc's alone:
# SLUB (6.1 and 6.12 alike) gives a debug cache no per-CPU slab and frees
# to its partial list under a lock, so it runs no cmpxchg16b at all. What
# is left there: the AMD driver's own 128-bit DTE and IRTE updates, at
# attach and IRQ set-up, not in an interrupt storm.
cpu=max,-cx16 slub_all=
[ "$machine" != q35-amd ] || cpu=max slub_all=Z
# Red zones on every kmalloc object: an overrun is reported when the object
# is freed, and debug caches have no per-CPU slabs, so /proc/slabinfo counts
# them exactly (the leak check of 80-stress.sh).
# The debug kernel also marks caches for failslab (A), which matters only
# once failslab's cache-filter is on (tests/guest/27-failnth.sh says why
# proc_dir_entry and ACPICA's are left out).
if [ -z "$debug" ]; then
	append+=" slub_debug=${slub_all:-Z,kmalloc-*}"
else
	append+=" slub_debug=A;ZA,kmalloc-*;-,proc_dir_entry,Acpi-*,kmemleak_*,debug_objects_cache"
fi
[ "$machine" != q35-intel ] || append+=" intel_iommu=on"
# The IOMMU the guest must find (tests/guest/lib.sh: machine_iommu).
append+=" adprof.iommu=$iommu"
# No panic at boot on a starved host: the IO-APIC timer check counts
# ticks over a busy-wait that a vCPU thread the host does not run misses
# ("timer doesn't work through Interrupt-remapped IO-APIC", seen on
# q35-amd with 4 vCPUs on 2 loaded cores); virtual machines skip it.
append+=" no_timer_check"
# Room for the whole run's kernel log: the verdict reads it from the dump
# at the end (init), and the debug kernel's boot lines (KASAN and
# kmemleak initialized) were gone from the default 128 KiB by then.
append+=" log_buf_len=16M"
append+=" adprof.run=$mode${only:+ adprof.only=$only}"
# A hung test dumps where its tasks wait before QEMU is killed (init).
[ "$timeout_s" -le 120 ] || append+=" adprof.test_timeout=$((timeout_s - 60))"
append+=" ${VM_APPEND:-}"
log "booting $KVER on $machine under QEMU/TCG (timeout ${timeout_s}s, log $log)"
start=$(date +%s)
set +e
timeout --foreground "$timeout_s" qemu-system-x86_64 \
	"${qmachine[@]}" -cpu "$cpu" -smp "${VM_SMP:-2}" -m "${VM_MEM:-1024}" \
	-nographic -no-reboot -monitor none -serial stdio -nic none \
	-kernel "$kernel" -initrd "$vm/initramfs.gz" -append "$append" \
	-device edu -device virtio-rng-pci,vectors=4 \
	-device virtio-serial-pci,vectors=256 -device virtio-serial-pci,vectors=256 \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	${VM_TCG:+-accel tcg,thread=$VM_TCG} ${VM_QEMU_ARGS:-} \
	</dev/null 2>&1 | sed -u 's/\r//g; s/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' | tee "$log" |
	if [ "$mode" = demo ]; then sed -un '/ADPROF-BEGIN$/,/^ADPROF-DMESG-BEGIN/p' | grep --line-buffered -v 'ADPROF-'; else cat >/dev/null; fi
qrc=${PIPESTATUS[0]}
set -e
log "guest ran $(( $(date +%s) - start ))s (qemu exit $qrc)"

# Files the tests printed, written whole once their end marker is seen.
results=${results:-$vm/results}
mkdir -p "$results"
awk -v dir="$results" '
	/^# FILE-BEGIN [A-Za-z0-9._-]+$/ { name = $3; text = ""; next }
	name != "" && /^# FILE-END$/ {
		printf "%s", text > (dir "/" name); close(dir "/" name)
		log_saved = log_saved " " name; name = ""; next
	}
	name != "" && /^#( |$)/ { sub(/^# ?/, ""); text = text $0 "\n" }
	END { if (log_saved != "") print "==> saved" log_saved " in " dir > "/dev/stderr" }
' "$log"

# Verdict: the tests' own TAP lines, then the boot as a whole.
out=${tap:-$vm/results.tap}
{
	# The TAP lines, and the comments that follow a failure (its
	# diagnostics, at most 40 lines): what CI shows of a failure.
	results=$(sed -n '/ADPROF-BEGIN$/,/^ADPROF-DMESG-BEGIN/p' "$log" | awk '
		/^(not )?ok / { print; diag = /^not ok/ ? 40 : 0; next }
		/^#/ && diag > 0 { print; diag--; next }')
	if [ -n "$results" ]; then
		echo "$results"
	elif [ "$mode" != demo ]; then
		# A boot that ran no test must never pass.
		echo "not ok - vm: no test results from the guest"
	fi
	if grep -q '^ADPROF-DONE' "$log"; then
		echo "ok - vm: guest finished the suite"
	else
		echo "not ok - vm: guest did not finish (timeout ${timeout_s}s, qemu exit $qrc)"
	fi
	# The verdict below reads the dump of the kernel log after the last
	# test: it must still begin at boot. A test that clears the ring
	# (dmesg -c; lib.sh's klog_mark instead) or a run that overflows it
	# would hide every warning logged before.
	first=$(sed -n '/^ADPROF-DMESG-BEGIN$/{n;p;q}' "$log")
	if [ "$mode" = demo ] || echo "$first" | grep -q '\] Linux version '; then
		echo "ok - vm: kernel log dump holds the whole run, from boot"
	else
		echo "not ok - vm: kernel log dump holds the whole run, from boot (it begins: ${first:-nothing})"
	fi
	# Besides oopses and warnings, the reports of the debug kernel's
	# checks, some of which are not WARN()s: lockdep, KASAN, UBSAN,
	# debug objects, DEBUG_LIST, kmemleak giving up.
	bad=$(grep -nE 'WARNING:|BUG:|BUG [^ ]+ \((Not t|T)ainted\)|Oops|Call Trace|soft lockup|hard LOCKUP|blocked for more than|Kernel panic|kernel BUG|UBSAN:|KASAN:|general protection fault|ODEBUG: .*object type|ODEBUG disabled|possible circular|possible recursive|inconsistent lock|suspicious RCU usage|sleeping function called from invalid context|bad unlock balance|held lock freed|lock held when returning|lock held at task exit|non-static key|DEBUG_LOCKS_WARN_ON|list_(add|del) corruption|kmemleak: (Kernel memory leak detector disabled|Cannot allocate|Memory pool empty)' "$log" || true)
	if [ -n "$bad" ]; then
		echo "not ok - vm: guest kernel log has warnings"
		echo "$bad" | head -20 | sed 's/^/# /'
	else
		echo "ok - vm: guest kernel log clean"
	fi
	# The debug kernel: kmemleak's scan after the last test (tests/vm/init),
	# and every check still on at the end.
	if [ -n "$debug" ] && [ "$mode" != demo ]; then
		leaks=$(sed -n '/^ADPROF-KMEMLEAK-BEGIN$/,/^ADPROF-KMEMLEAK-END$/p' "$log" | sed '1d;$d')
		if ! grep -q '^ADPROF-KMEMLEAK-END$' "$log"; then
			echo "not ok - vm: kmemleak scanned after the last test"
			grep 'ADPROF-KMEMLEAK-OFF' "$log" | sed 's/^/# /'
		elif echo "$leaks" | grep -q '^unreferenced object'; then
			echo "not ok - vm: kmemleak: $(echo "$leaks" | grep -c '^unreferenced object') unreferenced objects after the last test"
			echo "$leaks" | head -60 | sed 's/^/# /'
		else
			echo "ok - vm: kmemleak: no unreferenced object after the last test"
		fi
		off=
		grep -q 'KernelAddressSanitizer initialized' "$log" || off+=" KASAN"
		grep -qE '^ADPROF-LOCKDEP +debug_locks: +1$' "$log" || off+=" lockdep"
		grep -q 'kmemleak: Kernel memory leak detector initialized' "$log" || off+=" kmemleak"
		grep -qE '^ADPROF-ODEBUG warnings :0 pool_used :[1-9]' "$log" || off+=" debug-objects"
		if [ -z "$off" ]; then
			echo "ok - vm: KASAN, lockdep, kmemleak and debug objects on to the end"
		else
			echo "not ok - vm: debug checks off:$off"
		fi
	fi
} >"$out"
grep -q '^not ok' "$out" && exit 1
exit 0
