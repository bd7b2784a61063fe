#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Four clients at once mixing every command while edu raises interrupts;
# afterwards the counters must add up and nothing may be left behind.
. /tests/lib.sh

secs=15
for a in $(cat /proc/cmdline); do
	case $a in adprof.stress=*) secs=${a#adprof.stress=} ;; esac
done

bdf() { # 0000:00:04.0 -> 00:20
	b=${1#*:}; b=${b%%:*}; s=${1##*:}; f=${s#*.}; s=${s%.*}
	printf '%s:%02x' "$b" $(( (0x$s << 3) | f ))
}

check "insmod adprof.ko" load
edu=$(edu find 1234:11e8)
rng=$(edu find 1af4:1005)
[ -e "/sys/bus/pci/devices/$rng/driver" ] &&
	echo "$rng" >"/sys/bus/pci/devices/$rng/driver/unbind"

(while :; do edu raise "$edu" 20 -a >/dev/null 2>&1 || sleep 0.05; done) &
raiser=$!
check "4 clients for ${secs}s: only documented errnos" \
	adprof-stress -d "$secs" -c 4 "$(bdf "$edu")" "$(bdf "$rng")"
diag "$OUT"
kill "$raiser"
wait "$raiser" 2>/dev/null

adprofctl stop >/dev/null 2>&1
adprofctl stat >/tmp/stat 2>&1
v() { awk -v k="$1" '$1 == k { print $2 }' /tmp/stat; }
if [ -n "$(v sample)" ] &&
   [ "$(v sample)" -eq $(( $(v stream_samples) + $(v stream_error_samples) + $(v onlist_sample) )) ]; then
	pass "samples on the list = streamed + failed to stream + still queued"
else
	fail "sample accounting does not add up"; diag /tmp/stat
fi

for id in 1 2 3; do adprofctl deassign $id >/dev/null 2>&1; done
expect "no device left assigned" '^\[\]$' adprofctl -j list
check "rmmod after stress" unload
check "no adprof vector left in /proc/interrupts" sh -c '! grep -q adprof /proc/interrupts'
check "edu handed back: no driver bound" test ! -e "/sys/bus/pci/devices/$edu/driver"
