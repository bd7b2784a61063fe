#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# CPU hotplug during a streamed session: CPU 1 goes offline a second into
# it and comes back a second later. The session goes on, the other CPUs
# keep sampling to the end, and every sample is still accounted for:
# streamed, or lost and counted. Runs on however many vCPUs the guest has
# (make check boots it with 2 and with 4).
. /tests/lib.sh

NCPU=$(nproc)
P=/tmp/hotplug.$$
mkdir -p $P
ONL=/sys/devices/system/cpu/cpu1/online
HZ=1000
# Long enough that CPU 1 is offline and back well inside the session,
# even on the debug kernel, where taking a CPU down takes seconds: beside
# a busy host it took 6 of an 8 s session's, which then ended before the
# check that it runs.
SECS=12

val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
running() { adprofctl info | grep -q '^running yes'; }

check "insmod adprof.ko" load
check "$NCPU CPUs, CPU 1 can go offline" test "$NCPU" -ge 2 -a -w $ONL

spin -t "$NCPU" $((SECS + 1)) >/dev/null &
sp=$!
profsub run -F $HZ -d $SECS >$P/hp.out 2>&1 &
ps=$!
sleep 1
check "CPU 1 offline during the session" sh -c "echo 0 > $ONL"
sleep 1
check "the session still runs with CPU 1 offline" running
check "CPU 1 back online" sh -c "echo 1 > $ONL"
check "profsub's session ran to its end" wait $ps
wait $sp
diag $P/hp.out
adprofctl stat >$P/hp.stat
diag $P/hp.stat

# Each CPU other than 1 sampled all along: from near the session's start
# to its end (a starved TCG guest takes fewer than HZ samples a second and
# runs timers in bursts, so the span, at least half the session, not the
# count). CPU 1 was sampled before it went
# offline, and not after (Documentation/adprof.rst, "CPUs").
span0=$(val cpu0_span_ms $P/hp.out)
for c in $(seq 0 $((NCPU - 1))); do
	[ "$c" = 1 ] && continue
	s=$(val cpu${c}_span_ms $P/hp.out)
	check "CPU $c sampled through the hotplug (${s:-no} ms of the ${SECS} s; $(val cpu$c $P/hp.out) samples)" \
		test "${s:-0}" -ge $((SECS * 1000 / 2))
done
n1=$(val cpu1 $P/hp.out)
s1=$(val cpu1_span_ms $P/hp.out)
check "CPU 1 sampled before it went offline ($n1)" test "${n1:-0}" -gt 0
check "CPU 1 not sampled once offline (${s1:-no} ms < 3/4 of CPU 0's ${span0:-no} ms)" \
	test "${s1:-0}" -lt $((${span0:-0} * 3 / 4))

lost=$(val lost $P/hp.out)
ovf=$(val overflow $P/hp.stat)
drop=$(val dropbuf_sample $P/hp.stat)
err=$(val stream_error_samples $P/hp.stat)
check "no sequence gap ($(val gaps $P/hp.out))" test "$(val gaps $P/hp.out)" = 0
check "stream LOST $lost = overflow $ovf + dropbuf_sample $drop + error $err" \
	test "$lost" = $((ovf + drop + err))
check "stream_samples = sample ($(val stream_samples $P/hp.stat))" \
	test "$(val stream_samples $P/hp.stat)" = "$(val sample $P/hp.stat)"
check "records received = stream_samples ($(val records $P/hp.out))" \
	test "$(val records $P/hp.out)" = "$(val stream_samples $P/hp.stat)"
check "nothing left on the list" test "$(val onlist_sample $P/hp.stat)" = 0

# And again while nobody listens: a detached session across the hotplug,
# stopped and streamed afterwards, still accounts for every record.
check "clear" adprofctl clear
check "start detached" adprofctl start --detach -F $HZ
check "CPU 1 offline" sh -c "echo 0 > $ONL"
sleep 1
check "CPU 1 online" sh -c "echo 1 > $ONL"
profsub listen -d 60 >$P/hp2.out 2>&1 &
li=$!
sleep 1
check "stop" adprofctl stop
kill -USR1 $li
wait $li
adprofctl stat >$P/hp2.stat
check "detached: records received = stream_samples ($(val records $P/hp2.out))" \
	test "$(val records $P/hp2.out)" = "$(val stream_samples $P/hp2.stat)"
check "detached: every listed record streamed" \
	test "$(val sample $P/hp2.stat)" = "$(val stream_samples $P/hp2.stat)"
check "rmmod" unload
rm -rf $P
