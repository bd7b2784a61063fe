#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Systematic fault injection, as syzkaller does it: for every command that
# allocates or calls into the kernel, fail the 1st, 2nd, ... Nth
# fault-injection point (slab or page allocation) of that one call through
# /proc/thread-self/fail-nth, until the call succeeds with no fault
# injected (tests/tools/failnth.c). Each failed call must say why (an
# extended ack message, unless the fault hit the netlink core before or
# after adprof) and leave no trace: DEV_GET, PROF_GET_INFO/STAT, DMA_GET,
# adprof's debugfs, the adprof lines of /proc/interrupts, the device's
# driver, override, MSI vectors, enable count and config space, the pages
# pinned all as before; each call the fault did not fail is undone and
# must leave them as before too; the clean call at the end works. What
# leaks is kmemleak's to find: tests/vm/init scans after the last test.
#
# Needs CONFIG_FAULT_INJECTION_DEBUG_FS and FAILSLAB/FAIL_PAGE_ALLOC: the
# debug kernel (make check's debug stage). On a kernel without them
# (Debian's) every command runs once, clean, with the same undo and state
# checks, and the test says that no fault was injected.
#
# The DMA commands need an IOMMU (q35-intel, q35-amd: the debug stage's
# machine); without one they are left out, as the test says.
#
# DEV_ASSIGN's probe runs the PCI core and ACPI's _PRT (pci_enable_device)
# at about a second a call on the debug kernel under TCG. So its sweeps
# (DEV_ASSIGN of edu, of virtio-rng and with DEV_F_IOMMU, and DEV_DEASSIGN,
# whose undo is one) run only with adprof.failnth=full on the kernel
# command line (make failnth: 26 commands, 640 points, 5.5 minutes of the
# guest); make check's debug stage sweeps every other command (22, 429
# points, 1.5 minutes) and runs these once, clean.
. /tests/lib.sh

SYS=/sys/bus/pci/devices
DBG=/sys/kernel/debug/adprof
EDU=$(edu find 1234:11e8)
VRNG=$(edu find 1af4:1005)
TOTALS=/tmp/failnth.totals
: >$TOTALS

full=
grep -q 'adprof.failnth=full' /proc/cmdline && full=1
if [ -e /proc/self/fail-nth ]; then
	MODE=
	[ -n "$full" ] || echo "# DEV_ASSIGN and DEV_DEASSIGN run once, clean: their sweeps need adprof.failnth=full (make failnth)"
else
	MODE=--clean
	echo "# no /proc/self/fail-nth (CONFIG_FAULT_INJECTION_DEBUG_FS): no fault injected here;"
	echo "# each command runs once, clean; make check's debug stage injects"
fi

# DEV_ASSIGN's address attributes of a PCI address SSSS:BB:DD.F
addr() {
	b=${1#*:}; b=${b%%:*}
	d=${1##*:}; s=${d%.*}; f=${d#*.}
	echo "PCI_SEGMENT=u16:0 PCI_BUS=u8:$((0x$b)) PCI_DEVFN=u8:$(((0x$s << 3) | f))"
}

# What a failed device command must leave as it was.
devstate() {
	for d in "$@"; do
		echo "--file $SYS/$d/driver --file $SYS/$d/driver_override --dir $SYS/$d/msi_irqs"
		echo "--file $SYS/$d/enable --file $SYS/$d/config --file $SYS/$d/iommu_group"
	done
	echo "--state DEV_GET,--dump --file $DBG/devices --irqs"
}
profstate="--state PROF_GET_INFO --state PROF_GET_STAT --file $DBG/stats"

# fnth DESC FAILNTH-ARGS...: one command through failnth; its figures go
# to $TOTALS. fnth_probe: the same for a command that goes through
# DEV_ASSIGN's probe, swept only with adprof.failnth=full.
fnth_probe() {
	if [ -n "$full" ] || [ -n "$MODE" ]; then
		fnth "$@"
	else
		MODE=--clean
		fnth "$@"
		MODE=
	fi
}
fnth() {
	d=$1; shift
	if failnth $MODE -v --label "$d" "$@" >"$OUT" 2>&1; then
		pass "$d: $(sed -n 's/^failnth: [^=]* \(points=\)/\1/p; s/^failnth: .*clean call/clean call/p' "$OUT")"
	else
		fail "$d (exit $?)"
		# The problems, and what the calls they name returned.
		awk '/^problem: N=/ { split($2, a, /[=:]/); bad[a[2]] = 1 }
		     { line[NR] = $0 }
		     END { for (i = 1; i <= NR; i++) {
				if (line[i] !~ /^# N=/) { print line[i]; continue }
				split(line[i], b, /[=:]/)
				if (b[2] in bad) print line[i]
		     } }' "$OUT" | head -60 | diag
	fi
	sed -n 's/^failnth: .* points=\([0-9]*\) adprof=\([0-9]*\) core=\([0-9]*\) absorbed=\([0-9]*\)$/\1 \2 \3 \4/p' \
		"$OUT" >>$TOTALS
}

[ -e "$SYS/$VRNG/driver" ] && echo "$VRNG" >"$SYS/$VRNG/driver/unbind"

# ---- the knobs: fail-nth only ---------------------------------------------
# fail-nth takes precedence over probability, interval and times; the
# per-type filters still apply. By default both types skip allocations
# that may sleep (ignore-gfp-wait) and fail_page_alloc skips order 0 and
# highmem, which would leave almost every allocation of ours out. A
# probability of 0 keeps every other task clear; verbose 0 keeps the
# injected failures' stack dumps out of the log the host scans.
FI=/sys/kernel/debug
if [ -z "$MODE" ]; then
	for t in failslab fail_page_alloc; do
		check "$t: probability 0, no task of the guest fails but ours" \
			sh -c "grep -qx 0 $FI/$t/probability"
		cat $FI/$t/verbose $FI/$t/ignore-gfp-wait >/tmp/failnth.$t
		echo 0 >$FI/$t/verbose
		echo N >$FI/$t/ignore-gfp-wait
	done
	cat $FI/fail_page_alloc/ignore-gfp-highmem $FI/fail_page_alloc/min-order >/tmp/failnth.pa
	echo N >$FI/fail_page_alloc/ignore-gfp-highmem
	echo 0 >$FI/fail_page_alloc/min-order
	# Every slab cache but the kernel's own that do not survive a failure
	# (6.1 and 6.12 alike): register_irq_proc() ignores a failure to
	# create an IRQ's /proc/irq/N entries (proc_dir_entry) and WARNs
	# removing the missing ones when an MSI vector is freed, which the
	# panic_on_warn guest does not survive; ACPICA, which evaluates _PRT
	# in pci_enable_device(), loses a reference count when its Acpi-State
	# cache fails and then reads freed memory (KASAN). kmemleak's and
	# debug objects' caches are left out too: they cope (kmemleak says
	# so in the log, which the host's verdict takes for a failure), and
	# a failure there is not adprof's. With cache-filter
	# on, a cache without the failslab mark takes no fail-nth count; the
	# marks are set at boot (tests/vm/run.sh: slub_debug's A flag).
	check "failslab marks: proc_dir_entry, ACPICA, kmemleak left out, kmalloc in" sh -c \
		'grep -qx 0 /sys/kernel/slab/proc_dir_entry/failslab &&
		 grep -qx 0 /sys/kernel/slab/Acpi-State/failslab &&
		 grep -qx 0 /sys/kernel/slab/kmemleak_object/failslab &&
		 grep -qx 1 /sys/kernel/slab/kmalloc-64/failslab'
	echo Y >$FI/failslab/cache-filter
fi

check "insmod" load
start=$(cut -d' ' -f1 /proc/uptime)

# ---- devices -----------------------------------------------------------------
fnth_probe "DEV_ASSIGN edu" $(devstate "$EDU") --undo DEV_DEASSIGN,DEV_ID=u32:1 \
	-- DEV_ASSIGN DEV_ID=u32:1 $(addr "$EDU")
fnth_probe "DEV_ASSIGN virtio-rng" $(devstate "$VRNG") --undo DEV_DEASSIGN,DEV_ID=u32:2 \
	-- DEV_ASSIGN DEV_ID=u32:2 $(addr "$VRNG")
check "assign edu as 1, virtio-rng as 2" sh -c "adprofctl assign 1 $EDU && adprofctl assign 2 $VRNG"

# MSIX_SET_NR holds once an assignment: undone by assigning again.
fnth "MSIX_SET_NR 4" $(devstate "$VRNG") \
	--undo DEV_DEASSIGN,DEV_ID=u32:2 --undo "DEV_ASSIGN DEV_ID=u32:2 $(addr "$VRNG")" \
	-- MSIX_SET_NR DEV_ID=u32:2 MSIX_NR=u32:4
check "virtio-rng MSI-X table of 4" sh -c 'adprofctl msix 2 nr 4 &&
	for e in 0 1 2 3; do adprofctl msix 2 entry $e gsi $e || exit 1; done'
# The entry as it is: a failure that changed it would show.
fnth "MSIX_SET_ENTRY" $(devstate "$VRNG") -- MSIX_SET_ENTRY DEV_ID=u32:2 MSIX_ENTRY=u32:3 GSI=u32:3
# Releasing host MSI-X drops the routing table, as KVM does: set it again.
MSIX_AGAIN="--undo MSIX_SET_NR,DEV_ID=u32:2,MSIX_NR=u32:4"
for e in 0 1 2 3; do
	MSIX_AGAIN="$MSIX_AGAIN --undo MSIX_SET_ENTRY,DEV_ID=u32:2,MSIX_ENTRY=u32:$e,GSI=u32:$e"
done

# Each IRQ_ASSIGN type on its own, then both sides at once.
for t in host:intx:0x1 host:msi:0x2 guest:intx:0x100 guest:msi:0x200 both:msi:0x202 both:intx:0x101; do
	side=${t%%:*}; t=${t#*:}; kind=${t%%:*}; flags=${t#*:}
	fnth "IRQ_ASSIGN $side $kind (edu)" $(devstate "$EDU") \
		--undo IRQ_DEASSIGN,DEV_ID=u32:1,IRQ_FLAGS=u32:$flags \
		-- IRQ_ASSIGN DEV_ID=u32:1 IRQ_FLAGS=u32:$flags GUEST_IRQ=u32:7
done
for t in host:0x4 guest:0x400 both:0x404; do
	side=${t%%:*}; flags=${t#*:}
	again=
	[ $side = guest ] || again=$MSIX_AGAIN
	fnth "IRQ_ASSIGN $side msix (virtio-rng)" $(devstate "$VRNG") \
		--undo IRQ_DEASSIGN,DEV_ID=u32:2,IRQ_FLAGS=u32:$flags $again \
		-- IRQ_ASSIGN DEV_ID=u32:2 IRQ_FLAGS=u32:$flags
done

# ---- dumps, with something to dump -----------------------------------------
check "edu host MSI, virtio-rng host MSI-X" sh -c \
	'adprofctl irq 1 host=msi guest=msi --guest-irq 7 && adprofctl irq 2 host=msix guest=msix'
fnth "DEV_GET dump" $(devstate "$EDU" "$VRNG") -- DEV_GET --dump
fnth "DEV_GET" $(devstate "$EDU") -- DEV_GET DEV_ID=u32:2
fnth "PROF_GET_INFO" $profstate -- PROF_GET_INFO
fnth "PROF_GET_STAT" $profstate -- PROF_GET_STAT
check "deassign both" sh -c 'adprofctl deassign 1 && adprofctl deassign 2'
check "assign virtio-rng as 2" adprofctl assign 2 "$VRNG"
fnth_probe "DEV_DEASSIGN" $(devstate "$VRNG") \
	--undo "DEV_ASSIGN DEV_ID=u32:2 $(addr "$VRNG")" -- DEV_DEASSIGN DEV_ID=u32:2
check "deassign virtio-rng" adprofctl deassign 2

# ---- the profiler: each backend, with call stacks, detached, summary mode ---
check "no session, statistics cleared" adprofctl clear
backends=$(adprofctl info | sed -n 's/^backends //p')
echo "# backends: $backends"
for b in $backends; do
	case $b in
	*"(unavailable)") echo "# backend ${b%(*} is unavailable here: not started"; continue ;;
	esac
	for fl in 0x0 0x2 0x1 0x4 0x6; do
		fnth "PROF_START $b flags $fl" $profstate --undo PROF_STOP --undo PROF_CLEAR \
			-- PROF_START BACKEND=str:$b FREQ=u32:100 BUF_SAMPLES=u32:64 MAX_BUFS=u32:4 \
			PROF_FLAGS=u32:$fl
	done
done

# PROF_STOP answers the statistics: its reply is allocated before the
# stop, so a fault there leaves the session running as it was (its
# statistics move while it runs: the state is PROF_GET_INFO's).
START="PROF_START FREQ=u32:100 BUF_SAMPLES=u32:64 MAX_BUFS=u32:4 PROF_FLAGS=u32:1"
fnth "PROF_STOP of a running session" --state PROF_GET_INFO --pre "$START" \
	--undo "$START" --undo-changes --post PROF_STOP -- PROF_STOP
check "no session after the sweep" sh -c 'adprofctl info | grep -q "^running no"'

# ---- DMA through the IOMMU ---------------------------------------------------
check "the machine's IOMMU is up: $(iommu_kind), $(machine_iommu) wanted" \
	test "$(iommu_kind)" = "$(machine_iommu)"
if [ -z "$(ls /sys/class/iommu 2>/dev/null)" ]; then
	echo "# no IOMMU on this machine: the DMA commands are left out (q35-intel, q35-amd)"
else
	dmastate="$(devstate "$EDU") --state DMA_GET,--dump --file $DBG/dma --vmpin"
	fnth_probe "DEV_ASSIGN edu with DEV_F_IOMMU" $dmastate --undo DEV_DEASSIGN,DEV_ID=u32:3 \
		-- DEV_ASSIGN DEV_ID=u32:3 $(addr "$EDU") DEV_FLAGS=u32:1
	check "assign edu with DEV_F_IOMMU as 3" adprofctl assign 3 "$EDU" --iommu
	MAP="DMA_MAP DEV_ID=u32:3 VADDR=u64:@buf IOVA=u64:0x100000 SIZE=u64:65536 DMA_FLAGS=u32:3"
	UNMAP="DMA_UNMAP DEV_ID=u32:3 IOVA=u64:0x100000 SIZE=u64:65536"
	fnth "DMA_MAP 16 pages" $dmastate --undo "$UNMAP" -- $MAP
	fnth "DMA_UNMAP 16 pages" $dmastate --pre "$MAP" --undo "$MAP" -- $UNMAP
	fnth "DMA_GET" $dmastate --pre "$MAP" -- DMA_GET DEV_ID=u32:3 IOVA=u64:0x100000
	fnth "DMA_GET dump" $dmastate --pre "$MAP" -- DMA_GET --dump
	check "deassign edu" adprofctl deassign 3
fi

end=$(cut -d' ' -f1 /proc/uptime)
check "rmmod" unload

if [ -z "$MODE" ]; then
	for t in failslab fail_page_alloc; do
		{ read -r v; read -r w; } </tmp/failnth.$t
		echo "$v" >$FI/$t/verbose
		echo "$w" >$FI/$t/ignore-gfp-wait
	done
	{ read -r h; read -r o; } </tmp/failnth.pa
	echo "$h" >$FI/fail_page_alloc/ignore-gfp-highmem
	echo "$o" >$FI/fail_page_alloc/min-order
	echo N >$FI/failslab/cache-filter
	awk -v t="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')" '
		{ c++; p += $1; a += $2; k += $3; s += $4 }
		END { printf "# fault injection: %d commands x %d failure points survived " \
			"(%d failed in adprof with a message, %d in the netlink core, " \
			"%d absorbed) in %d s\n", c, p, a, k, s, t }' $TOTALS
fi
