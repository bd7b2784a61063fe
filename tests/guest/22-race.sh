#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# DEV_ASSIGN against binds through sysfs. Between pointing the device's
# driver_override at adprof and attaching the driver, a write to
# drivers/adprof/bind or drivers_probe can bind the device first; then
# DEV_ASSIGN's own attach finds it bound. Whatever wins, the outcome must
# be one of two: DEV_ASSIGN succeeds and the device is bound and listed,
# or it fails and nothing is bound, no override is left, no DEV_ID taken.
#
# The module is loaded with max_devs=1, so one DEV_ID counted twice or
# never given back shows as ENOSPC on the next assignment; an assignment
# freed while still bound shows as a device bound to adprof that DEV_GET
# does not know (and as a use after free in the debug kernel).
. /tests/lib.sh

SYS=/sys/bus/pci/devices
DRV=/sys/bus/pci/drivers/adprof
EDU=$(edu find 1234:11e8)
ROUNDS=80
for a in $(cat /proc/cmdline); do
	case $a in adprof.race_rounds=*) ROUNDS=${a#*=} ;; esac
done

drv() { basename "$(readlink "$SYS/$EDU/driver" 2>/dev/null)" 2>/dev/null; }

check "insmod max_devs=1" load max_devs=1

# Binders: keep offering edu to adprof both ways while DEV_ASSIGN runs.
(while :; do echo "$EDU" >$DRV/bind; done) 2>/dev/null &
b1=$!
(while :; do echo "$EDU" >/sys/bus/pci/drivers_probe; done) 2>/dev/null &
b2=$!

ok=0 refused=0 bad=0 i=0
: >/tmp/race.why
while [ $i -lt $ROUNDS ]; do
	i=$((i + 1))
	if adprofctl assign 1 "$EDU" >/tmp/race.out 2>&1; then
		if [ "$(drv)" = adprof ] && adprofctl list 1 >/dev/null 2>&1; then
			ok=$((ok + 1))
		else
			bad=$((bad + 1))
			echo "# round $i: assign succeeded, driver '$(drv)', DEV_GET: $(adprofctl list 1 2>&1)"
		fi
	else
		if [ -z "$(drv)" ] && [ "$(cat $SYS/$EDU/driver_override)" = "(null)" ] &&
		   ! adprofctl list 1 >/dev/null 2>&1; then
			refused=$((refused + 1))
			cat /tmp/race.out >>/tmp/race.why
		else
			bad=$((bad + 1))
			echo "# round $i: assign failed ($(cat /tmp/race.out)), driver '$(drv)'," \
				"override '$(cat $SYS/$EDU/driver_override)', DEV_GET: $(adprofctl list 1 2>&1)"
		fi
	fi
	# Give it back, whichever way it is held.
	adprofctl deassign 1 >/dev/null 2>&1
	[ -e "$SYS/$EDU/driver" ] && echo "$EDU" >"$SYS/$EDU/driver/unbind"
	[ "$(cat $SYS/$EDU/driver_override)" = "(null)" ] || echo >"$SYS/$EDU/driver_override"
done
kill $b1 $b2
wait $b1 $b2 2>/dev/null
echo "# $ROUNDS rounds: $ok assigned, $refused refused cleanly, $bad inconsistent"
sort /tmp/race.why | uniq -c | sed 's/^/#   /'
check "DEV_ASSIGN racing sysfs binds: every outcome consistent" test $bad -eq 0
check "the DEV_ID is free again: assign after the race" adprofctl assign 1 "$EDU"
expect "and edu is bound and listed" "^1 $EDU " adprofctl list 1
check "deassign" adprofctl deassign 1
check "rmmod" unload
check "edu unbound at the end" test -z "$(drv)"
exit 0
