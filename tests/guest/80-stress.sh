#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Four clients at once mixing every command while edu raises interrupts;
# afterwards the counters must add up and nothing may be left behind.
#
# Leaks (tests/guest/leak.sh): slab objects in use per cache before
# insmod and after rmmod. In between run, besides the random stress,
# $cycles full life cycles of both devices and of a profiling session
# (adprof-stress -l) and a recording whose per-CPU buffers are small and
# rotated every 10 ms, so that one object leaked per device, vector,
# session or buffer adds at least $cycles objects to one cache; a cache
# that grows by more than $cycles / 2 fails the test.
. /tests/lib.sh
. /tests/leak.sh

secs=15
cycles=20
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.stress=*) secs=${a#adprof.stress=} ;;
	adprof.leak_cycles=*) cycles=${a#adprof.leak_cycles=} ;;
	esac
done
tol=$((cycles / 2))

bdf() { # 0000:00:04.0 -> 00:20
	b=${1#*:}; b=${b%%:*}; s=${1##*:}; f=${s#*.}; s=${s%.*}
	printf '%s:%02x' "$b" $(( (0x$s << 3) | f ))
}

edu=$(edu find 1234:11e8)
rng=$(edu find 1af4:1005)
[ -e "/sys/bus/pci/devices/$rng/driver" ] &&
	echo "$rng" >"/sys/bus/pci/devices/$rng/driver/unbind"
if slab_usable; then
	slab_snapshot /tmp/slab.before
else
	fail "slab counts readable (/proc/slabinfo, /sys/kernel/slab)"
fi
check "insmod adprof.ko" load
t0=$(date +%s)
check "$cycles life cycles of both devices and a session, each request answered as expected" \
	adprof-stress -d 0 -l "$cycles" "$(bdf "$edu")" "$(bdf "$rng")"
diag "$OUT"
echo "# $cycles cycles took $(( $(date +%s) - t0 ))s"

(while :; do edu raise "$edu" 20 -a >/dev/null 2>&1 || sleep 0.05; done) &
raiser=$!
check "4 clients for ${secs}s: only documented errnos" \
	adprof-stress -d "$secs" -c 4 "$(bdf "$edu")" "$(bdf "$rng")"
diag "$OUT"
kill "$raiser"
wait "$raiser" 2>/dev/null

adprofctl stop >/dev/null 2>&1
# 16-sample buffers kick their rotation half full, every 8 ms or so:
# more than 100 rotations and allocations per CPU and second.
check "record with 16-sample buffers" \
	adprofctl record -F 1000 --buf-samples 16 --max-bufs 4 -d 3 -o /tmp/leak.rec
diag "$OUT"
adprofctl stat >/tmp/stat 2>&1
v() { awk -v k="$1" '$1 == k { print $2 }' /tmp/stat; }
if [ "$(v sample)" -gt 0 ] 2>/dev/null &&
   [ "$(v sample)" -eq $(( $(v stream_samples) + $(v stream_error_samples) + $(v onlist_sample) )) ]; then
	pass "samples on the list $(v sample) = streamed $(v stream_samples) + failed to stream $(v stream_error_samples) + still queued $(v onlist_sample)"
else
	fail "sample accounting does not add up"; diag /tmp/stat
fi

for id in 1 2 3; do adprofctl deassign $id >/dev/null 2>&1; done
expect "no device left assigned" '^\[\]$' adprofctl -j list
check "rmmod after stress" unload
if [ -f /tmp/slab.before ]; then
	t0=$(date +%s)
	slab_snapshot /tmp/slab.after
	echo "# a snapshot takes $(( $(date +%s) - t0 ))s"
	slab_check "over the stress" "$tol" /tmp/slab.before /tmp/slab.after
fi
check "debugfs directory gone with the module" test ! -e /sys/kernel/debug/adprof
check "no adprof vector left in /proc/interrupts" sh -c '! grep -q adprof /proc/interrupts'
check "edu handed back: no driver bound" test ! -e "/sys/bus/pci/devices/$edu/driver"
