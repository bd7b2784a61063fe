#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DMA through the IOMMU (DEV_F_IOMMU, DMA_MAP/DMA_UNMAP/DMA_GET) with
# QEMU's edu and its DMA engine, through adprofctl and through raw netlink
# (edudma). What is checked depends on the machine:
#   no IOMMU (pc)        DEV_F_IOMMU and the DMA commands are refused
#   q35 + intel-iommu    DMA works, reaches only what is mapped; VT-d
#                        only logs faults: DEV_GET says so, the test checks
#                        the stray DMA did not land
#   q35 + amd-iommu      the same, and each fault is a DMA_FAULT event
. /tests/lib.sh
. /tests/leak.sh

SYS=/sys/bus/pci/devices
DBG=/sys/kernel/debug/adprof
EDU=$(edu find 1234:11e8)
iommu=$(ls /sys/class/iommu 2>/dev/null | head -1)
kind=$(iommu_kind)
echo "# IOMMU: ${iommu:-none} ($kind)"
check "the machine's IOMMU is up: $kind, $(machine_iommu) wanted" \
	test "$kind" = "$(machine_iommu)"

drv() { basename "$(readlink "$SYS/$1/driver" 2>/dev/null)" 2>/dev/null; }
pinned() { awk '$1 == "pinned_pages" { print $2 }' $DBG/dma; }
# Pages pinned in the whole system, by the kernel's own count (FOLL_PIN,
# per-CPU counters folded first): nobody but adprof pins in this guest.
syspinned() {
	echo 1 >/proc/sys/vm/stat_refresh	# fold the per-CPU deltas
	awk '$1 == "nr_foll_pin_acquired" { a = $2 } $1 == "nr_foll_pin_released" { r = $2 }
	     END { print a - r }' /proc/vmstat
}
devfield() { adprofctl list "$1" | sed -n "s/.*dma .*$2 \([0-9a-z]*\).*/\1/p"; }

cat "$SYS/$EDU/config" >/tmp/dma.edu.cfg

# The long hold and the map/unmap cycles; the debug kernel's boot asks
# for less (KASAN makes each pinned page and each process slow).
HOLD_MB=64 CYCLES=50
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.dma_hold_mb=*) HOLD_MB=${a#*=} ;;
	adprof.dma_cycles=*) CYCLES=${a#*=} ;;
	esac
done
HOLD_PAGES=$((HOLD_MB * 256))

if [ $kind = none ]; then
	check "insmod" load
	refuse "DEV_F_IOMMU without an IOMMU: EOPNOTSUPP" \
		'no IOMMU translates.*not supported' adprofctl assign 1 "$EDU" --iommu
	check "edu not bound after the refusal" test -z "$(drv "$EDU")"
	expect "no driver_override left" '^\(null\)$' cat "$SYS/$EDU/driver_override"
	check "assign edu without DEV_F_IOMMU" adprofctl assign 1 "$EDU"
	refuse "DMA_MAP on a device without a domain: EOPNOTSUPP" \
		'without ADPROF_DEV_F_IOMMU.*not supported' adprofctl dma-map 1 0x100000 4096 -- true
	refuse "DMA_UNMAP likewise" 'without ADPROF_DEV_F_IOMMU' adprofctl dma-unmap 1 0x100000 4096
	refuse "DMA_GET likewise" '^errno=EOPNOTSUPP .*without ADPROF_DEV_F_IOMMU' \
		nlraw DMA_GET DEV_ID=u32:1 IOVA=u64:0x100000
	expect "DMA_GET dump: no mapping anywhere" '^\[\]$' adprofctl -j dma-list
	check "deassign" adprofctl deassign 1
	check "rmmod" unload
	exit 0
fi

group=$(basename "$(readlink "$SYS/$EDU/iommu_group")")
expect "edu is alone in IOMMU group $group" '^1$' sh -c "ls /sys/kernel/iommu_groups/$group/devices | wc -l"
slab_usable && slab_snapshot /tmp/dma.before
check "insmod" load

# ---- assignment with a domain -------------------------------------------
check "assign edu without DEV_F_IOMMU" adprofctl assign 1 "$EDU"
refuse "DMA_MAP without DEV_F_IOMMU: EOPNOTSUPP" 'without ADPROF_DEV_F_IOMMU' \
	adprofctl dma-map 1 0x100000 4096 -- true
check "deassign" adprofctl deassign 1
check "assign edu with DEV_F_IOMMU" adprofctl assign 1 "$EDU" --iommu
expect "DEV_GET: flag, group, nothing mapped" "iommu_group $group mappings 0 bytes 0 faults 0" adprofctl list 1
expect "DEV_GET head line says iommu" "^1 $EDU 1234:11e8 .* iommu$" adprofctl list 1
if [ $kind = amd ]; then want=yes; else want=no; fi
expect "DEV_GET: fault reporting $want on $kind" "fault_reporting $want" adprofctl list 1
expect "debugfs: group and mappings" "iommu_group=$group mappings=0 mapped=0 " cat $DBG/devices
expect "JSON: dma object" '"dma":\{"iommu_group":'"$group"',"mappings":0,"bytes":0,"faults":0,"fault_reporting":' \
	adprofctl -j list 1
refuse "the same device again under another id: EEXIST" 'already assigned' \
	adprofctl assign 2 "$EDU" --iommu

# ---- the round trip --------------------------------------------------------
# QEMU 7.2's edu takes at most 4095 bytes a transfer (tests/tools/edudma.h).
check "raw netlink: A -> edu -> B at 1, 64, 1000, 4095 bytes" \
	edudma "$EDU" 1 roundtrip 1 64 1000 4095
diag "$OUT"
expect "nothing left mapped after edudma's DMA_UNMAP" 'mappings 0 bytes 0' adprofctl list 1
check "pinned pages back to 0" test "$(pinned)" = 0

head -c 4095 /dev/urandom >/tmp/dma.a
: >/tmp/dma.b
check "adprofctl: A (read-only) and B (write-only) from tmpfs files, edu copies A to B" \
	adprofctl dma-map 1 0x100000 4K --file /tmp/dma.a --read-only -- \
	adprofctl dma-map 1 0x200000 4K --file /tmp/dma.b --write-only -- \
	sh -c "edu dma $EDU to-dev 0x100000 4095 && edu dma $EDU to-ram 0x200000 4095 &&
	       adprofctl dma-list 1 >/tmp/dma.list && adprofctl -j dma-list >/tmp/dma.json &&
	       adprofctl list 1 >/tmp/dma.dev"
check "B is A, byte for byte" sh -c 'head -c 4095 /tmp/dma.a >/tmp/dma.a1 &&
	head -c 4095 /tmp/dma.b >/tmp/dma.b1 && cmp /tmp/dma.a1 /tmp/dma.b1'
expect "and nothing more: B's last byte still 0" '^ 00$' sh -c 'tail -c 1 /tmp/dma.b | od -An -tx1'
diag /tmp/dma.list
expect "dma-list showed both mappings with owners" '^2$' \
	grep -cE '^1 iova 0x(1|2)00000 size 4096 vaddr 0x[0-9a-f]+ access (read|write) owner [0-9]+$' /tmp/dma.list
expect "JSON dma-list" '^\[\{"dev_id":1,"iova":1048576,"size":4096,"vaddr":[0-9]+,"read":true,"write":false,"owner":[0-9]+\},' \
	cat /tmp/dma.json
expect "DEV_GET counted 2 mappings, 8 KiB" 'mappings 2 bytes 8192' cat /tmp/dma.dev
expect "unmapped when the commands ended" 'mappings 0 bytes 0' adprofctl list 1

# ---- what the domain refuses ---------------------------------------------
klog_mark
adprofctl watch-irq -t 8 >/tmp/dma.watch 2>&1 &
watch=$!
sleep 1
check "raw netlink: edu writes to an unmapped IOVA (a page of ours by phys)" \
	edudma "$EDU" 1 unmapped phys
diag "$OUT"
check "raw netlink: edu writes to a read-only mapping: refused" edudma "$EDU" 1 readonly
wait $watch
diag /tmp/dma.watch
reported=$(devfield 1 faults)
if [ $kind = intel ]; then
	check "VT-d logs the blocked writes" klog_has 'DMAR: \[DMA Write'
	expect "DEV_GET: no fault reported to adprof, and says so" 'faults 0 fault_reporting no' adprofctl list 1
fi
# AMD's driver reports faults; QEMU 7.2's AMD-Vi model logs none for a DMA
# it refuses (its page walk returns on a missing entry without an event),
# so here $reported is 0. Whatever the IOMMU reported became events.
expect "every fault reported ($reported) became a DMA_FAULT event" "dma_faults $reported\$" cat /tmp/dma.watch

# ---- fault events, reported through the IOMMU core ------------------------
INJ=$DBG/inject_dma_fault
adprofctl watch-irq -t 6 >/tmp/dma.watch 2>&1 &
watch=$!
sleep 1
# The second fault once the first one's event is out: one reported before
# then would be folded into the same event (its COUNT), as documented.
check "report a write fault at 0x3000, its event, then a read fault at 0x5000" \
	sh -c "echo '1 0x3000 write' >$INJ &&
	       i=0; until grep -q 'iova 0x3000' /tmp/dma.watch || [ \$i -ge 50 ]; do sleep 0.1; i=\$((i + 1)); done &&
	       echo '1 0x5000 read' >$INJ"
wait $watch
diag /tmp/dma.watch
expect "one DMA_FAULT event for the write" '^1$' \
	grep -c '^dev 1 dma_fault iova 0x3000 access write count 1 ts [0-9]*$' /tmp/dma.watch
expect "one for the read" '^1$' \
	grep -c '^dev 1 dma_fault iova 0x5000 access read count 1 ts [0-9]*$' /tmp/dma.watch
expect "watch-irq's summary: 2 faults, no interrupt" '^events 2 interrupts 0 overruns 0 dma_faults 2$' cat /tmp/dma.watch
expect "DEV_GET counts them" "faults $((reported + 2)) fault_reporting" adprofctl list 1
echo 1 >/sys/module/adprof/parameters/irq_rate
adprofctl watch-irq -t 6 >/tmp/dma.watch 2>&1 &
watch=$!
sleep 1
check "20 faults at once under irq_rate=1" sh -c "i=0; while [ \$i -lt 20 ]; do echo '1 0x7000 write' >$INJ; i=\$((i + 1)); done"
wait $watch
echo 10000 >/sys/module/adprof/parameters/irq_rate
diag /tmp/dma.watch
expect "rate-limited: all 20 counted in fewer events" '^events ([1-9]|1[0-9]) interrupts 0 overruns 0 dma_faults 20$' cat /tmp/dma.watch
check "faults nobody listens to are counted unheard" sh -c "echo '1 0x9000 write' >$INJ && sleep 1 &&
	grep -q 'fault_unheard=1 ' $DBG/devices"
fails "inject: unknown device" 'No such device' sh -c "echo '7 0x1000 write' >$INJ"
fails "inject: malformed" 'Invalid argument' sh -c "echo '1 0x1000 sideways' >$INJ"

# ---- bad input -------------------------------------------------------------
m="DMA_MAP DEV_ID=u32:1 VADDR=u64:0x10000"
refuse "SIZE 0: EINVAL" '^errno=EINVAL .*SIZE is 0' nlraw $m IOVA=u64:0x100000 SIZE=u64:0 DMA_FLAGS=u32:3
refuse "IOVA not page-aligned: EINVAL" '^errno=EINVAL .*multiples of the page size' \
	nlraw $m IOVA=u64:0x100800 SIZE=u64:4096 DMA_FLAGS=u32:3
refuse "IOVA + SIZE overflows: EINVAL" '^errno=EINVAL .*overflows' \
	nlraw $m IOVA=u64:0xfffffffffffff000 SIZE=u64:0x2000 DMA_FLAGS=u32:3
# VT-d's domain spans its address width; AMD's v1 table all 64 bits.
if [ $kind = intel ]; then
	refuse "outside the domain's aperture: EINVAL" '^errno=EINVAL .*aperture' \
		nlraw $m IOVA=u64:0xfff0000000000000 SIZE=u64:4096 DMA_FLAGS=u32:3
fi
refuse "DMA_FLAGS 0: EINVAL" '^errno=EINVAL .*READ, WRITE or both' \
	nlraw $m IOVA=u64:0x100000 SIZE=u64:4096 DMA_FLAGS=u32:0
refuse "DMA_FLAGS unknown bit: EINVAL by the policy" '^errno=EINVAL .*bad-attr=DMA_FLAGS' \
	nlraw $m IOVA=u64:0x100000 SIZE=u64:4096 DMA_FLAGS=u32:4
refuse "VADDR not mapped in the caller: EFAULT" '^errno=EFAULT .*cannot pin' \
	nlraw DMA_MAP DEV_ID=u32:1 VADDR=u64:0x1000 IOVA=u64:0x100000 SIZE=u64:4096 DMA_FLAGS=u32:3
refuse "unknown DEV_ID: ENODEV" '^errno=ENODEV .*no device' \
	nlraw DMA_MAP DEV_ID=u32:9 VADDR=u64:0x1000 IOVA=u64:0x100000 SIZE=u64:4096 DMA_FLAGS=u32:3
check "a mapping, and over it:" adprofctl dma-map 1 0x100000 8K -- sh -c "
	adprofctl dma-map 1 0x101000 4K -- true 2>/tmp/dma.overlap;
	adprofctl dma-unmap 1 0x100000 4K 2>/tmp/dma.cut;
	adprofctl dma-unmap 1 0x300000 4K 2>/tmp/dma.gap;
	nlraw DMA_GET DEV_ID=u32:1 IOVA=u64:0x101fff >/tmp/dma.get;
	nlraw DMA_GET DEV_ID=u32:1 IOVA=u64:0x102000 >/tmp/dma.noget; true"
expect "overlap: EEXIST" 'overlaps a mapping \(File exists\)' cat /tmp/dma.overlap
expect "unmap cutting a mapping: ENOENT" 'inside a mapping: unmap whole mappings \(No such file or directory\)' cat /tmp/dma.cut
expect "unmap of a gap: ENOENT" 'nothing is mapped in the range \(No such file or directory\)' cat /tmp/dma.gap
expect "DMA_GET at the mapping's last byte" '^reply DMA_GET DEV_ID=1 IOVA=1048576 SIZE=8192 VADDR=[0-9]+ DMA_FLAGS=3 OWNER=[0-9]+' cat /tmp/dma.get
expect "DMA_GET past it: ENOENT" '^errno=ENOENT .*nothing is mapped at IOVA' cat /tmp/dma.noget
check "the limit on mappings: dma_max_mappings=2, read at DEV_ASSIGN" sh -c "
	adprofctl deassign 1 && echo 2 >/sys/module/adprof/parameters/dma_max_mappings &&
	adprofctl assign 1 $EDU --iommu"
adprofctl dma-map 1 0x100000 4K -- adprofctl dma-map 1 0x200000 4K -- \
	adprofctl dma-map 1 0x300000 4K -- true >/tmp/dma.limit 2>&1
expect "a third mapping: ENOSPC" 'dma_max_mappings allows \(No space left on device\)' cat /tmp/dma.limit
echo 65535 >/sys/module/adprof/parameters/dma_max_mappings
refuse "an unprivileged dma-map: EPERM" 'needs CAP_SYS_ADMIN.*not permitted' \
	nobody adprofctl dma-map 1 0x100000 4K -- true
refuse "an unprivileged dma-list: EPERM" 'needs CAP_SYS_ADMIN.*not permitted' \
	nobody adprofctl dma-list

# ---- locked memory ---------------------------------------------------------
expect "VmLck rises by the mapping and falls after DMA_UNMAP" \
	'mapped VmLck 1024 kB unmapped VmLck 0 kB' sh -c "edudma $EDU 1 unmap 1M | tr '\n' ' '"
expect "... and after the socket closes, without DMA_UNMAP" \
	'mapped VmLck 1024 kB closed VmLck 0 kB' sh -c "edudma $EDU 1 close 1M | tr '\n' ' '"
refuse "past RLIMIT_MEMLOCK without CAP_IPC_LOCK: ENOMEM" \
	'^errno=Cannot allocate memory extack=".*RLIMIT_MEMLOCK' \
	edudma --no-ipc-lock --memlock 1048576 "$EDU" 1 map 2M
expect "within it: VmLck 512 kB" '^mapped 524288 VmLck 512 kB$' \
	edudma --no-ipc-lock --memlock 1048576 "$EDU" 1 map 512K
expect "CAP_IPC_LOCK lifts the limit" '^mapped 2097152 VmLck 2048 kB$' \
	edudma --memlock 1048576 "$EDU" 1 map 2M
check "nothing pinned after those processes ended" test "$(pinned)" = 0

base=$(syspinned)
edudma "$EDU" 1 hold ${HOLD_MB}M >/tmp/dma.hold 2>&1 &
holder=$!
i=0
while ! grep -q '^held' /tmp/dma.hold && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
diag /tmp/dma.hold
check "$HOLD_MB MiB held: $HOLD_PAGES pages pinned by adprof's count" test "$(pinned)" = $HOLD_PAGES
check "... and by the kernel's (nr_foll_pin_*)" test $(($(syspinned) - base)) = $HOLD_PAGES
expect "VmLck of the holder $((HOLD_MB * 1024)) kB" "VmLck $((HOLD_MB * 1024)) kB" cat /tmp/dma.hold
kill -9 $holder
wait $holder 2>/dev/null
check "kill -9 of the owner: every page unpinned, by adprof's count" test "$(pinned)" = 0
check "... and by the kernel's ($(($(syspinned) - base)))" test "$(syspinned)" = "$base"
expect "... and unmapped" 'mappings 0 bytes 0' adprofctl list 1

edudma "$EDU" 1 hold 1M >/tmp/dma.hold 2>&1 &
holder=$!
i=0
while ! grep -q '^held' /tmp/dma.hold && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
diag /tmp/dma.hold
check "deassign with a live mapping" adprofctl deassign 1
check "... unpins it" test "$(pinned)" = 0 -a "$(syspinned)" = "$base"
expect "... and gives the holder its locked memory back" '^VmLck:[[:space:]]+0 kB' grep VmLck /proc/$holder/status
kill $holder
wait $holder 2>/dev/null
check "edu back in its default domain: assign and map again" sh -c "
	adprofctl assign 1 $EDU --iommu && edudma $EDU 1 roundtrip 4095 >/dev/null"
edudma "$EDU" 1 hold 1M >/tmp/dma.hold 2>&1 &
holder=$!
i=0
while ! grep -q '^held' /tmp/dma.hold && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
diag /tmp/dma.hold
check "rmmod with a live mapping" unload
check "... unpins it, by the kernel's count" test "$(syspinned)" = "$base"
expect "... gives the holder its locked memory back" '^VmLck:[[:space:]]+0 kB' grep VmLck /proc/$holder/status
kill $holder
wait $holder 2>/dev/null
check "edu unbound" test -z "$(drv "$EDU")"
check "edu config space as found" cmp /tmp/dma.edu.cfg "$SYS/$EDU/config"

# Map/unmap cycles, then the same leak check as the stress test.
check "insmod for the leak check" load
check "assign with DEV_F_IOMMU" adprofctl assign 1 "$EDU" --iommu
i=0
while [ $i -lt $CYCLES ]; do
	edudma "$EDU" 1 roundtrip 64 >/dev/null || break
	edudma "$EDU" 1 close 64K >/dev/null || break
	i=$((i + 1))
done
check "$CYCLES map/unmap and map/close cycles" test $i -eq $CYCLES
check "deassign and rmmod" sh -c 'adprofctl deassign 1 && rmmod adprof'
if slab_usable; then
	slab_snapshot /tmp/dma.after
	slab_check "over the DMA tests" 25 /tmp/dma.before /tmp/dma.after
fi
exit 0
