#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot Debian's own kernel ($KVER) under QEMU/TCG with a busybox initramfs
# holding adprof.ko, a static adprofctl and the guest tests, plus QEMU's
# edu device, a driverless virtio-rng with an MSI-X table of 4 and a
# driverless virtio-serial with one of 256 (a DEV_GET message of a device
# using all of adprof's 255 entries). One boot runs every test; TAP comes
# back on the serial console.
#
# Usage: tests/vm/run.sh [--demo] [--only PATTERN] [--tap FILE] [--results DIR]
# A test may print a file between "# FILE-BEGIN NAME" and "# FILE-END"
# (each line behind "# "); it is saved as DIR/NAME (default $vm/results).
# Env:   KVER, VM_TIMEOUT (s, default 900), VM_SMP (default 2), VM_APPEND
#        (more kernel arguments), VM_QEMU_ARGS (more QEMU arguments, e.g. -s
#        for gdb)
set -euo pipefail
. "$(dirname "$0")/../../scripts/common.sh"

mode=tests
only=
tap=
results=
while [ $# -gt 0 ]; do
	case $1 in
	--demo) mode=demo ;;
	--only) only=$2; shift ;;
	--tap) tap=$2; shift ;;
	--results) results=$2; shift ;;
	*) die "unknown argument $1" ;;
	esac
	shift
done

KVER=${KVER:-$("$ADPROF_TOP/scripts/kdir.sh" --kver "$("$ADPROF_TOP/scripts/kdir.sh" 2>/dev/null)")}
kernel=/boot/vmlinuz-$KVER
mods=/lib/modules/$KVER
ko=$ADPROF_TOP/kernel/adprof.ko
ctl=${ADPROF_CTL:-$ADPROF_TOP/userspace/adprofctl.static}
[ -r "$kernel" ] || die "$kernel missing (make deps)"
[ -f "$ko" ] || die "$ko missing (make)"
[ -x "$ctl" ] || die "$ctl missing (make -C userspace adprofctl.static)"
modinfo -F vermagic "$ko" | grep -q "^$KVER " || die "$ko was not built for $KVER"

make -s -C "$ADPROF_TOP/tests/tools" OUT="$ADPROF_BUILD/guest-bin" || die "building tests/tools failed"

vm=$ADPROF_BUILD/vm-$KVER
root=$vm/root
rm -rf "$root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,usr,lib64,lib/modules,host,tests,demo,root}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
file -b "$root/bin/busybox" 2>/dev/null | grep -q 'statically' ||
	ldd "$root/bin/busybox" 2>&1 | grep -q 'not a dynamic' || die "/bin/busybox is not static (busybox-static)"
install -m 755 "$ADPROF_TOP/tests/vm/init" "$root/init"
install -m 644 "$ko" "$root/adprof.ko"
# The DKMS-built module at DKMS's place, for tests/guest/95-dkms.sh; made
# (again) by scripts/dkms.sh when that test runs and it is missing or was
# built from other sources than $ko.
dk=$ADPROF_BUILD/dkms/adprof-$KVER.ko
case 95-dkms in
*"$only"*)
	[ -f "$dk" ] && [ "$(modinfo -F srcversion "$dk")" = "$(modinfo -F srcversion "$ko")" ] ||
		KVER=$KVER "$ADPROF_TOP/scripts/dkms.sh" --tap "$ADPROF_BUILD/dkms/run.tap" ||
		log "scripts/dkms.sh failed: $ADPROF_BUILD/dkms/run.tap"
	;;
esac
if [ -f "$dk" ]; then
	mkdir -p "$root/lib/modules/$KVER/updates/dkms"
	install -m 644 "$dk" "$root/lib/modules/$KVER/updates/dkms/adprof.ko"
fi
install -m 755 "$ctl" "$root/bin/adprofctl"
for f in "$ADPROF_TOP"/tests/guest/*.sh "$ADPROF_TOP"/tests/guest/*.py; do
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
# with modules.dep so busybox modprobe resolves their dependencies.
mkdir -p "$root/lib/modules/$KVER"
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

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$vm/initramfs.gz"

timeout_s=${VM_TIMEOUT:-900}
log=$vm/console.log
append="console=ttyS0 quiet loglevel=4 panic_on_warn=1 panic=-1 oops=panic"
append+=" softlockup_panic=1 hung_task_panic=1 hung_task_timeout_secs=60"
# Red zones on every kmalloc object: an overrun is reported when the object
# is freed, and debug caches have no per-CPU slabs, so /proc/slabinfo counts
# them exactly (the leak check of 80-stress.sh).
append+=" slub_debug=Z,kmalloc-*"
append+=" adprof.run=$mode${only:+ adprof.only=$only}"
# A hung test dumps where its tasks wait before QEMU is killed (init).
[ "$timeout_s" -le 120 ] || append+=" adprof.test_timeout=$((timeout_s - 60))"
append+=" ${VM_APPEND:-}"
log "booting $KVER under QEMU/TCG (timeout ${timeout_s}s, log $log)"
start=$(date +%s)
set +e
timeout --foreground "$timeout_s" qemu-system-x86_64 \
	-machine pc -cpu max -smp "${VM_SMP:-2}" -m 1024 \
	-nographic -no-reboot -monitor none -serial stdio -nic none \
	-kernel "$kernel" -initrd "$vm/initramfs.gz" -append "$append" \
	-device edu -device virtio-rng-pci,vectors=4 -device virtio-serial-pci,vectors=256 \
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
	${VM_QEMU_ARGS:-} \
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
	results=$(sed -n '/ADPROF-BEGIN$/,/^ADPROF-DMESG-BEGIN/p' "$log" | grep -E '^(not )?ok ' || true)
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
	bad=$(grep -nE 'WARNING:|BUG:|BUG [^ ]+ \((Not t|T)ainted\)|Oops|Call Trace|soft lockup|hard LOCKUP|blocked for more than|Kernel panic|kernel BUG|UBSAN:|KASAN:|general protection fault' "$log" || true)
	if [ -n "$bad" ]; then
		echo "not ok - vm: guest kernel log has warnings"
		echo "$bad" | head -20 | sed 's/^/# /'
	else
		echo "ok - vm: guest kernel log clean"
	fi
} >"$out"
grep -q '^not ok' "$out" && exit 1
exit 0
