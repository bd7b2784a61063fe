#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# rmmod while devices are assigned, interrupts fire, subscribers listen
# and samples stream: clean every time, and nothing leaked over all the
# cycles (tests/guest/leak.sh; one object per cycle would be $cycles, the
# tolerance is half of that, at least 5).
. /tests/lib.sh
. /tests/leak.sh

cycles=10
for a in $(cat /proc/cmdline); do
	case $a in adprof.unload=*) cycles=${a#adprof.unload=} ;; esac
done

edu=$(edu find 1234:11e8)
slab_usable && slab_snapshot /tmp/unload.before
bad=0
i=0
while [ $i -lt "$cycles" ]; do
	i=$((i + 1))
	load || { bad=$((bad + 1)); echo "# cycle $i: insmod failed"; break; }
	adprofctl assign 1 "$edu" &&
		adprofctl irq 1 host=msi guest=msi --guest-irq 40 ||
		{ bad=$((bad + 1)); echo "# cycle $i: assign failed"; }
	adprofctl watch-irq -t 60 >/dev/null 2>&1 &
	w=$!
	adprofctl record -F 2000 -d 60 -o /tmp/unload.rec >/dev/null 2>&1 &
	r=$!
	(while :; do edu raise "$edu" 10 >/dev/null 2>&1 || exit 0; done) &
	e=$!
	sleep 1
	if ! unload; then
		bad=$((bad + 1)); echo "# cycle $i: rmmod failed"
	fi
	kill $w $r $e 2>/dev/null
	wait $w $r $e 2>/dev/null
	if [ -e /sys/module/adprof ] || grep -q adprof /proc/interrupts; then
		bad=$((bad + 1)); echo "# cycle $i: left behind"
		unload 2>/dev/null
	fi
done
if [ $bad -eq 0 ]; then
	pass "$cycles cycles of load, assign, stream, raise, rmmod"
else
	fail "$bad of $cycles unload cycles went wrong"
fi
check "edu handed back after the last cycle" test ! -e "/sys/bus/pci/devices/$edu/driver"
if [ -f /tmp/unload.before ]; then
	slab_snapshot /tmp/unload.after
	tol=$((cycles / 2))
	[ $tol -ge 5 ] || tol=5
	slab_check "over $cycles unload cycles" $tol /tmp/unload.before /tmp/unload.after
else
	fail "slab counts readable (/proc/slabinfo, /sys/kernel/slab)"
fi
