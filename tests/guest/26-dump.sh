#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A DEV_GET dump that the registry changes under. A dump comes in parts
# (one skb each); a part built after a device came or went carries
# NLM_F_DUMP_INTR, and adprofctl must never show such a dump as the list:
# it dumps again (ADPROFCTL_DUMP_TRIES times, default 5) or fails saying
# so. dumprace runs adprofctl's own dump code (userspace/nl.c) and changes
# the registry right after the first request is sent, when the kernel has
# built only the first part. Two virtio-serial devices with 255 MSI-X
# entries (one with its vectors: 16 KiB, the other 5 KiB) make the dump
# two parts at least: the checks below fail if it ever comes in one.
. /tests/lib.sh

SYS=/sys/bus/pci/devices
EDU=$(edu find 1234:11e8)
VRNG=$(edu find 1af4:1005)
SER0=$(edu find 1af4:1003 0)
SER1=$(edu find 1af4:1003 1)

for d in "$VRNG" "$SER0" "$SER1"; do
	[ -e "$SYS/$d/driver" ] && echo "$d" >"$SYS/$d/driver/unbind"
done
check "insmod" load
# msix255 ID [irq]: a routing table of 255 entries (5 KiB of DEV_GET),
# and with "irq" their 255 host vectors (11 KiB more; two CPUs do not have
# the vectors for two such devices).
msix255() {
	adprofctl msix "$1" nr 255 || return 1
	adprofctl msix "$1" $(seq 0 254 | sed 's/.*/entry & gsi &/') || return 1
	[ -z "$2" ] || adprofctl irq "$1" host=msix guest=msix
}
check "assign virtio-serial as 1 and 3, virtio-rng as 2, edu as 4" \
	sh -c "adprofctl assign 1 $SER0 && adprofctl assign 2 $VRNG &&
	       adprofctl assign 3 $SER1 && adprofctl assign 4 $EDU"
check "virtio-serial 1: 255 MSI-X vectors" msix255 1 irq
check "virtio-serial 3: a routing table of 255 entries" msix255 3

devs() { grep '^dev ' /tmp/dr.out | cut -d' ' -f2 | tr '\n' ' '; }

dumprace true >/tmp/dr.out 2>&1
check "an undisturbed dump: one attempt, four devices ($(devs))" \
	test "$(devs)" = "1 2 3 4 " -a "$(grep attempts /tmp/dr.out)" = "attempts 1"

ADPROFCTL_DUMP_TRIES=1 dumprace "adprofctl deassign 2" >/tmp/dr.out 2>&1
rc=$?
diag /tmp/dr.out
check "interrupted, and no retry allowed: it fails (exit $rc)" test $rc -eq 1
check "... saying why" grep -q 'list changed during each of 1 dumps (NLM_F_DUMP_INTR)' /tmp/dr.out
check "... and shows no device of the interrupted dump" test -z "$(devs)"

check "assign virtio-rng as 2 again" adprofctl assign 2 "$VRNG"
dumprace "adprofctl deassign 2" >/tmp/dr.out 2>&1
rc=$?
diag /tmp/dr.out
check "interrupted, then dumped again: exit $rc, $(grep attempts /tmp/dr.out)" \
	test $rc -eq 0 -a "$(grep attempts /tmp/dr.out)" = "attempts 2"
check "... and the list is the registry after the change ($(devs))" test "$(devs)" = "1 3 4 "
check "adprofctl list agrees" \
	test "$(adprofctl list | sed -n 's/^\([0-9]*\) .*/\1/p' | tr '\n' ' ')" = "1 3 4 "

check "deassign all" sh -c 'for i in 1 3 4; do adprofctl deassign $i || exit 1; done'
check "rmmod" unload
exit 0
