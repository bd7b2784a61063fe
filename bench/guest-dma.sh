#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of bench/dma (installed as /bench/20-dma.sh): edu handed back
# and forth between adprof and vfio-pci in one boot, the two consumers
# (bench/vfio) alternating inside each round, the first of the pair
# swapped every round so drift falls on both. Prints one
# "BENCH key=value ..." line per run for the host to aggregate.
#
# Kernel command line: adprof.bench_reps=N adprof.bench_irqs=N
#   adprof.bench_places=same,cross,sleep adprof.bench_counts=0|1

reps=9 irqs=500 places=same,cross,sleep counts=1
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.bench_reps=*) reps=${a#*=} ;;
	adprof.bench_irqs=*) irqs=${a#*=} ;;
	adprof.bench_places=*) places=${a#*=} ;;
	adprof.bench_counts=*) counts=${a#*=} ;;
	esac
done
places=$(echo "$places" | tr , ' ')
SIZE=$((64 * 1024 * 1024))
CHUNKS="4096 2097152"
SYS=/sys/bus/pci/devices
EDU=$(edu find 1234:11e8)
iommu=$(ls /sys/class/iommu 2>/dev/null | head -1)
case $iommu in
dmar*) kind=intel ;;
ivhd*) kind=amd ;;
*) kind=none ;;
esac
group=$(basename "$(readlink "$SYS/$EDU/iommu_group")")
echo "BENCH info iommu=$kind edu=$EDU group=$group ncpu=$(nproc) reps=$reps irqs=$irqs size=$SIZE"
echo "BENCH info group_devices=$(ls "/sys/kernel/iommu_groups/$group/devices" 2>/dev/null | wc -l)"
echo "BENCH info thp=$(sed 's/.*\[\(.*\)\].*/\1/' /sys/kernel/mm/transparent_hugepage/enabled)"

err() { echo "BENCH error $*"; sed 's/^/BENCH error-text /' /tmp/b.err | head -5; }
insmod /adprof.ko || { err stage=insmod; exit 0; }
# QEMU's intel-iommu with intremap=off remaps no interrupts: type1 refuses
# such a group unless told it may.
modprobe vfio_iommu_type1 allow_unsafe_interrupts=1 2>/tmp/b.err &&
	modprobe vfio-pci 2>>/tmp/b.err || { err stage=modprobe; exit 0; }
# One interrupt at a time stays under adprof's rate limit as long as a
# run (and its 20 untimed) fits in one burst (irq_rate / 10): then no
# event waits for a token. Past that, the limit is lifted, and said.
rate=$(cat /sys/module/adprof/parameters/irq_rate)
if [ "$rate" != 0 ] && [ $((irqs + 20)) -gt $((rate / 10)) ]; then
	echo 0 >/sys/module/adprof/parameters/irq_rate
	echo "BENCH info irq_rate=0 was=$rate reason=run_exceeds_burst"
else
	echo "BENCH info irq_rate=$rate"
fi

# edu to vfio-pci and back, as an administrator does.
to_vfio() {
	echo vfio-pci >"$SYS/$EDU/driver_override" &&
	echo "$EDU" >/sys/bus/pci/drivers_probe &&
	[ "$(basename "$(readlink "$SYS/$EDU/driver")")" = vfio-pci ]
}
from_vfio() {
	echo "$EDU" >/sys/bus/pci/drivers/vfio-pci/unbind
	echo >"$SYS/$EDU/driver_override"
}

# Where things run. The consumer is pinned to CPU 1 and raises its own
# interrupt with its MSI on CPU 1 (same) or on CPU 0 (cross): under TCG
# the MSI is then taken before the consumer reaches its wait, so neither
# sleeps. sleep: a thread on CPU 0 raises once the consumer is asleep in
# its wait on CPU 1, where the MSI goes: the wakeup path.
pargs() {
	case $1 in
	same) echo "--cpu 1 --irq-cpu 1" ;;
	cross) echo "--cpu 1 --irq-cpu 0" ;;
	sleep) echo "--cpu 1 --irq-cpu 1 --raise-cpu 0" ;;
	esac
}

# shellcheck disable=SC2046 # pargs' words are separate options
irq_adprof() {
	if adprofctl assign 1 "$EDU" --iommu 2>/tmp/b.err &&
	   adprofctl irq 1 host=msi guest=msi 2>>/tmp/b.err &&
	   out=$(adprof-bench "$EDU" 1 irq "$irqs" $(pargs "$1") 2>>/tmp/b.err); then
		echo "BENCH irq tool=adprof place=$1 rep=$2 $out"
	else
		err "tool=adprof kind=irq place=$1 rep=$2"
	fi
	adprofctl deassign 1 2>/dev/null
}

# shellcheck disable=SC2046 # as above
irq_vfio() {
	if to_vfio 2>/tmp/b.err &&
	   out=$(vfio-bench "$EDU" irq "$irqs" $(pargs "$1") 2>>/tmp/b.err); then
		echo "BENCH irq tool=vfio place=$1 rep=$2 $out"
	else
		err "tool=vfio kind=irq place=$1 rep=$2"
	fi
	from_vfio 2>/dev/null
}

dma_adprof() {
	if adprofctl assign 1 "$EDU" --iommu 2>/tmp/b.err &&
	   out=$(adprof-bench "$EDU" 1 dma $SIZE "$1" 2>>/tmp/b.err); then
		echo "BENCH dma tool=adprof chunk=$1 rep=$2 $out"
	else
		err "tool=adprof kind=dma chunk=$1 rep=$2"
	fi
	adprofctl deassign 1 2>/dev/null
}

dma_vfio() {
	if to_vfio 2>/tmp/b.err &&
	   out=$(vfio-bench "$EDU" dma $SIZE "$1" 2>>/tmp/b.err); then
		echo "BENCH dma tool=vfio chunk=$1 rep=$2 $out"
	else
		err "tool=vfio kind=dma chunk=$1 rep=$2"
	fi
	from_vfio 2>/dev/null
}

# Kernel counts of one run of each, untimed: the IOMMU core's map and
# unmap calls (and VT-d's queued invalidations where the tracepoint
# exists), perf stat over the whole run. perf is the host's, over 9p.
count_dma() {
	ev=iommu:map,iommu:unmap
	[ $kind = intel ] && [ -d $TR/events/intel_iommu/qi_submit ] &&
		ev=$ev,intel_iommu:qi_submit
	if [ "$1" = adprof ]; then
		adprofctl assign 1 "$EDU" --iommu 2>/tmp/b.err || { err "stage=count tool=$1"; return; }
		set -- "$1" "$2" adprof-bench "$EDU" 1 dma $SIZE "$2"
	else
		to_vfio 2>/tmp/b.err || { err "stage=count tool=$1"; return; }
		set -- "$1" "$2" vfio-bench "$EDU" dma $SIZE "$2"
	fi
	tool=$1 chunk=$2
	shift 2
	if perf stat -a -x, -e "$ev" -o /tmp/stat.csv -- "$@" >/dev/null 2>/tmp/b.err; then
		echo "BENCH counts tool=$tool chunk=$chunk $(awk -F, '!/^#/ && NF > 2 {
			e = $3; gsub(/:/, "_", e); printf "%s=%s ", e, $1 }' /tmp/stat.csv)"
	else
		err "stage=count tool=$tool chunk=$chunk"
	fi
	if [ "$tool" = adprof ]; then adprofctl deassign 1; else from_vfio; fi 2>/dev/null
}

# Where an interrupt's time goes, traced (tracefs, CLOCK_MONOTONIC, us):
# the consumer's hard IRQ; adprof's bottom half, which runs in the TASKLET
# softirq (a tasklet on 6.1, a system_bh_wq item from 6.9), on the CPU that
# took the interrupt, usually on the hard IRQ's way out; the consumer's
# wakeup. Tracing slows every step: for shares, not totals.
trace_irq() {
	echo 0 >$TR/tracing_on
	echo mono >$TR/trace_clock
	echo 2048 >$TR/buffer_size_kb
	echo >$TR/trace
	echo 'name ~ "adprof:*" || name ~ "vfio-msi*"' >$TR/events/irq/irq_handler_entry/filter
	echo 1 >$TR/events/irq/irq_handler_entry/enable
	echo 1 >$TR/events/irq/irq_handler_exit/enable
	# TASKLET_SOFTIRQ is 6 on 6.1 and 6.12 (include/linux/interrupt.h).
	for e in softirq_entry softirq_exit; do
		echo 'vec == 6' >$TR/events/irq/$e/filter &&
			echo 1 >$TR/events/irq/$e/enable ||
			echo "BENCH info trace_softirq=refused"
	done
	echo "prev_comm == \"$1-bench\" || next_comm == \"$1-bench\"" \
		>$TR/events/sched/sched_switch/filter || echo "BENCH info trace_filter=refused"
	echo 1 >$TR/events/sched/sched_switch/enable
	echo 1 >$TR/tracing_on
	n=$irqs
	irqs=$TRACE_IRQS
	irq_$1 "$2" trace
	irqs=$n
	echo 0 >$TR/tracing_on
	echo 0 >$TR/events/enable
	# One compact line per event: time, CPU, what.
	awk -v t="$1" -v p="$2" '{
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) break
		if (i > NF) next
		ts = substr($i, 1, length($i) - 1); cpu = $(i - 2); ev = $(i + 1)
		if (ev == "irq_handler_entry:") what = "H"
		else if (ev == "irq_handler_exit:") what = "X"
		else if (ev == "softirq_entry:") what = "B"
		else if (ev == "softirq_exit:") what = "E"
		else if (ev == "sched_switch:") {
			pc = nc = ""
			for (j = i + 2; j <= NF; j++) {
				if ($j ~ /^prev_comm=/) pc = substr($j, 11)
				if ($j ~ /^next_comm=/) nc = substr($j, 11)
			}
			what = "S " pc " " nc
		} else next
		print "BENCH-T " t " " p " " ts " " cpu " " what
	}' $TR/trace
	echo >$TR/trace
}

TR=/sys/kernel/debug/tracing
TRACE_IRQS=200
r=1
while [ "$r" -le "$reps" ]; do
	if [ $((r % 2)) = 1 ]; then order="adprof vfio"; else order="vfio adprof"; fi
	for p in $places; do
		for t in $order; do irq_$t "$p" "$r"; done
	done
	for c in $CHUNKS; do
		for t in $order; do dma_$t "$c" "$r"; done
	done
	r=$((r + 1))
done

if [ "$counts" = 1 ] && command -v perf >/dev/null 2>&1; then
	for c in $CHUNKS; do
		count_dma adprof "$c"
		count_dma vfio "$c"
	done
else
	echo "BENCH info counts=skipped perf=$(command -v perf || echo missing)"
fi
if [ -d $TR/events/sched ]; then
	for p in $places; do
		trace_irq adprof "$p"
		trace_irq vfio "$p"
	done
fi

echo "BENCH done"
