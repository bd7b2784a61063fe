#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What make demo shows, inside the guest: adprof's main job, each step
# printed as the command a user would type, then its output.
step() { echo; echo "\$ $*"; "$@" 2>&1; }
say() { echo; echo "## $*"; }

echo "=== adprof demo: $(uname -r), $(nproc) CPUs, QEMU/TCG ==="
step insmod /adprof.ko
step adprofctl info

edu=$(edu find 1234:11e8)
say "Take QEMU's edu device ($edu) away from the host and route its MSI to us"
step adprofctl assign 1 "$edu"
step adprofctl irq 1 host=msi guest=msi --guest-irq 40
step adprofctl list

say "Raise 300 interrupts through BAR0 while watch-irq listens on the irq group"
# One at a time: MSIs raised back to back merge in the APIC before the CPU
# takes them (adprof counts what the CPU takes).
# Interrupts that arrive before the IRQ thread has sent the previous
# event are folded into it, so there may be fewer events than interrupts:
# watch until the last interrupt is in, then stop it as ^C would.
adprofctl watch-irq -t 60 --latency >/tmp/watch.out 2>&1 &
w=$!
sleep 1
edu raise "$edu" 300 -p adprof:1:0 >/dev/null
sleep 1
kill -INT $w
wait $w
echo "\$ adprofctl watch-irq --latency | tail -n 16    # ^C after the 300th"
tail -n 16 /tmp/watch.out
step adprofctl list
step cat /sys/kernel/debug/adprof/devices

say "Profile both CPUs at 1 kHz for 4 s while a two-thread workload runs"
# Piped, so record prints its summary without a progress line.
echo
echo "\$ adprofctl record -F 1000 -d 4 -o /tmp/demo.data -- spin -t 2 4"
adprofctl record -F 1000 -d 4 -o /tmp/demo.data -- spin -t 2 4 2>&1 | cat
step adprofctl report --top 5 /tmp/demo.data
echo
echo "\$ adprofctl report --format folded /tmp/demo.data | sort -k2 -nr | head -5"
adprofctl report --format folded /tmp/demo.data | sort -k2 -nr | head -5
step cat /sys/kernel/debug/adprof/stats

say "The same with call stacks (-g): a program built with frame pointers"
echo
echo "\$ adprofctl record -g -F 1000 -o /tmp/stacks.data -- stackprog read 2"
adprofctl record -g -F 1000 -o /tmp/stacks.data -- stackprog read 2 2>&1 | cat
step adprofctl report --top 3 /tmp/stacks.data
echo
echo "\$ adprofctl report --format folded /tmp/stacks.data | sort -k2 -nr | head -3"
adprofctl report --format folded /tmp/stacks.data | sort -k2 -nr | head -3

say "The same recording for perf's own tools: perf.data, read by Debian's perf"
step adprofctl report --format perf-data -o /tmp/stacks.perf.data /tmp/stacks.data
echo
echo "\$ perf report -i /tmp/stacks.perf.data --stdio --no-children --sort comm,sym -g none | grep '%' | head -5"
perf report -i /tmp/stacks.perf.data --stdio --no-children --sort comm,sym -g none 2>/dev/null |
	grep '%' | head -5

say "Summary mode: counted in the kernel per CPU, one count record per (pid, pc) a second"
echo
echo "\$ adprofctl record --summary -F 1000 -d 3 -o /tmp/sum.data -- spin -t 2 3"
adprofctl record --summary -F 1000 -d 3 -o /tmp/sum.data -- spin -t 2 3 2>&1 | cat
step adprofctl report --top 3 /tmp/sum.data

say "Give the device back as it was found, and unload"
step adprofctl deassign 1
step rmmod adprof
echo
echo "=== demo done ==="
