#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Failures QEMU's devices cannot produce on demand, through adprof's
# debugfs fault knobs (Documentation/adprof.rst, debugfs): a device reset
# that fails, an IRQ request that fails part way through the vectors. Each
# must be reported with a message and leave no trace: not bound, no
# override, no DEV_ID, no vector in /proc/interrupts, config space as
# found; and the next clean attempt works.
. /tests/lib.sh

SYS=/sys/bus/pci/devices
DBG=/sys/kernel/debug/adprof
EDU=$(edu find 1234:11e8)
VRNG=$(edu find 1af4:1005)

drv() { basename "$(readlink "$SYS/$1/driver" 2>/dev/null)" 2>/dev/null; }
knob() { echo "$2" >"$DBG/$1"; }

[ -e "$SYS/$VRNG/driver" ] && echo "$VRNG" >"$SYS/$VRNG/driver/unbind"
cat "$SYS/$EDU/config" >/tmp/f.edu.cfg
cat "$SYS/$VRNG/config" >/tmp/f.vrng.cfg

check "insmod" load
check "the fault knobs exist, off" sh -c "grep -qx N $DBG/fail_reset &&
	grep -qx 0 $DBG/fail_irq_request && grep -qx 0 $DBG/fail_perf_create"

# ---- a reset that fails ----------------------------------------------------
knob fail_reset Y
klog_mark
refuse "DEV_ASSIGN with a failing reset: EIO" \
	'resetting the device failed.*Input/output error' adprofctl assign 1 "$EDU"
check "the failure is in the kernel log" klog_has 'reset failed \(-5\)'
check "edu not bound" test -z "$(drv "$EDU")"
expect "no driver_override left" '^\(null\)$' cat "$SYS/$EDU/driver_override"
refuse "no DEV_ID left" 'No such device' adprofctl list 1
check "edu config space as found" cmp /tmp/f.edu.cfg "$SYS/$EDU/config"
knob fail_reset N
check "assign works once the reset does" adprofctl assign 1 "$EDU"
# A reset failing at deassign is logged; the device goes back anyway.
knob fail_reset Y
klog_mark
check "deassign with a failing reset" adprofctl deassign 1
check "the failure is in the kernel log" klog_has 'reset failed \(-5\)'
knob fail_reset N
check "edu unbound all the same" test -z "$(drv "$EDU")"
check "edu config space as found after it" cmp /tmp/f.edu.cfg "$SYS/$EDU/config"

# ---- an IRQ request that fails part way ------------------------------------
check "assign edu and virtio-rng" sh -c "adprofctl assign 1 $EDU && adprofctl assign 2 $VRNG"
check "virtio-rng MSI-X table of 4" sh -c 'adprofctl msix 2 nr 4 &&
	for e in 0 1 2 3; do adprofctl msix 2 entry $e gsi $e || exit 1; done'
knob fail_irq_request 3
refuse "host MSI-X with vector 2's request failing: EIO" \
	'requesting the host IRQ failed.*Input/output error' adprofctl irq 2 host=msix guest=msix
check "vectors 0 and 1 released again" sh -c '! grep -q adprof: /proc/interrupts'
expect "the device masked every entry again" '^0:1 1:1 2:1 3:1$' edu msixmask "$VRNG"
expect "DEV_GET: nothing assigned" '^2 .*host=none guest=none' adprofctl list 2
expect "DEV_GET: the routing table kept" 'msix nr 4 table 0=0 1=1 2=2 3=3$' adprofctl list 2
refuse "host MSI on edu with its request failing: EIO" 'requesting the host IRQ failed' \
	sh -c 'echo 1 >'"$DBG"'/fail_irq_request && adprofctl irq 1 host=msi guest=msi'
check "no vector left" sh -c '! grep -q adprof: /proc/interrupts'
knob fail_irq_request 0
check "host MSI-X works once requests do" adprofctl irq 2 host=msix guest=msix
expect "4 MSI-X vectors" '^4$' grep -c 'adprof:2:[0-3]$' /proc/interrupts
check "host MSI on edu works" adprofctl irq 1 host=msi guest=msi
check "deassign both" sh -c 'adprofctl deassign 1 && adprofctl deassign 2'
check "rmmod" unload
check "edu config space as found at the end" cmp /tmp/f.edu.cfg "$SYS/$EDU/config"
check "virtio-rng config space as found at the end" cmp /tmp/f.vrng.cfg "$SYS/$VRNG/config"
exit 0
