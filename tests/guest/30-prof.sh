#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The sampling profiler end to end: record and report, the stream, loss
# accounting, ownership, privileges, statistics, unload while streaming.
# spin's hot function adprof_spin_hot is the known answer; profsub is a
# client of its own that checks the stream without adprofctl.
. /tests/lib.sh

NCPU=$(nproc)
P=/tmp/prof.$$
mkdir -p $P

# val KEY FILE: the value of a "key value" line.
val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
# rec KEY FILE: a number from record's summary line, e.g. "lost 0".
rec() { sed -n "s/.*[ ;]$1 \([0-9]*\).*/\1/p; s/.*: \([0-9]*\) $1,.*/\1/p" "$2" | head -1; }
running() { adprofctl info | grep -q '^running yes'; }
not_running() { adprofctl info | grep -q '^running no'; }

check "insmod adprof.ko" load
expect "info lists cpu-clock as available" 'backends.* cpu-clock( |$)' adprofctl info
expect "info: cycles unavailable without a PMU (TCG)" 'cycles\(unavailable\)' adprofctl info
check "debugfs stats file exists" test -r /sys/kernel/debug/adprof/stats

# Refusals, each with the kernel's reason.
refuse "start: unknown backend is ENOENT" 'unknown backend' adprofctl start --detach -b nosuch
refuse "start: cycles without a PMU is EOPNOTSUPP" 'not available' adprofctl start --detach -b cycles
refuse "start: empty CPU mask is EINVAL" '^errno=EINVAL .*CPU mask is empty' nlraw PROF_START CPUMASK=bin:00
refuse "start: CPU that does not exist is EINVAL" 'does not exist' adprofctl start --detach -C 9
check "nothing runs after refused starts" not_running

# The main run: 2 spinning threads, 1 kHz on every CPU for 5 s. How many
# samples that gives is not checked: under TCG it depends on how much of
# the host the guest gets (bench/ measures rates); the stream check below
# verifies the sampling period from the samples' own timestamps. spin
# runs longer than the recording and is ended after it: on the debug
# kernel beside a busy host, record's start took long enough that an 8 s
# spin ended inside the window and the idle task came out on top.
spin -t $NCPU 30 >$P/spin.out &
spin_pid=$!
sleep 1
# Local timer interrupts, to tell a guest short of timer interrupts (TCG
# on a busy host delivers fewer) from samples lost by adprof.
loc() { awk '/LOC:/ { n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i; print n }' /proc/interrupts; }
loc0=$(loc)
adprofctl record -F 1000 -d 5 -o $P/spin.data >$P/rec.out 2>&1
loc1=$(loc)
kill $spin_pid
wait $spin_pid 2>/dev/null
diag $P/rec.out
samples=$(rec samples $P/rec.out)
echo "# record 1 kHz x $NCPU CPUs x 5 s: $samples samples of $((NCPU * 5000));" \
	"the guest had $(( (loc1 - loc0) / 5 / NCPU )) timer interrupts/s/CPU"
check "record: samples taken ($samples)" test "${samples:-0}" -gt 0
check "record: no sample lost" test "$(rec lost $P/rec.out)" = 0
check "record: sequences contiguous" test "$(rec gaps $P/rec.out)" = 0
check "record: no socket overrun" test "$(rec overruns $P/rec.out)" = 0
adprofctl report $P/spin.data >$P/report.txt 2>&1
diag $P/report.txt
top=$(awk '/^top processes:/ { getline; getline; print $4; exit }' $P/report.txt)
check "report: top process is spin (got $top)" test "$top" = spin
hot=$(adprofctl report --format folded $P/spin.data | grep '^spin;' | sort -k2 -n -r | head -1)
check "report: spin's top function is adprof_spin_hot ($hot)" \
	sh -c "echo '$hot' | grep -q '^spin;adprof_spin_hot [0-9]*$'"
expect "report: user/kernel split" '^user [0-9]+ \([0-9.]+%\), kernel [0-9]+' cat $P/report.txt
expect "report json: samples and processes" '"samples":[0-9]+.*"processes":\[\{"pid"' \
	adprofctl report --format json --top 3 $P/spin.data
expect "report: kernel functions named from kallsyms" '_\[k\] [0-9]+$' \
	adprofctl report --format folded $P/spin.data

# A command recorded to its end: its maps were kept though it has exited.
adprofctl record -F 1000 -o $P/cmd.data -- spin -t $NCPU 2 >$P/cmd.out 2>&1
diag $P/cmd.out
check "record -- spin: spin ran to its end" grep -q "^spin: $NCPU threads" $P/cmd.out
hot=$(adprofctl report --format folded $P/cmd.data | sort -t' ' -k2 -n -r | head -1)
check "record -- spin: top is spin;adprof_spin_hot ($hot)" \
	sh -c "echo '$hot' | grep -q '^spin;adprof_spin_hot [0-9]*$'"
check "record -- spin: the session ended with it" not_running

# An idle machine: every CPU's idle task is pid 0 (swapper/N on each CPU),
# reported as one process, swapper, as perf does.
adprofctl record -F 1000 -d 1 -o $P/idle.data >/dev/null 2>&1
adprofctl report --format folded $P/idle.data >$P/idle.folded
diag $P/idle.folded
check "report: idle CPUs sampled as swapper" grep -q '^swapper;' $P/idle.folded
check "report: no swapper/N of one CPU names them all" sh -c "! grep -q '^swapper/' $P/idle.folded"

# The stream seen by a client of its own: per-CPU batches, comm records,
# the sampled address of the hot function checked against the linker's.
spin -t $NCPU 4 >$P/spin2.out &
spin_pid=$!
sleep 1
profsub run -F 1000 -d 2 >$P/run.out 2>&1
wait $spin_pid
diag $P/run.out
for c in $(seq 0 $((NCPU - 1))); do
	check "stream: CPU $c has samples ($(val cpu$c $P/run.out))" test "$(val cpu$c $P/run.out)" -gt 0
done
adprofctl stat >$P/run.stat
check "stream: no gap" test "$(val gaps $P/run.out)" = 0
# A listener starved of CPU (4 vCPUs spinning on 2 host cores) may lose
# samples from a full socket; each one is counted.
lost=$(val lost $P/run.out)
acc=$(( $(val overflow $P/run.stat) + $(val dropbuf_sample $P/run.stat) + $(val stream_error_samples $P/run.stat) ))
check "stream: LOST $lost = overflow + dropbuf_sample + error ($acc)" test "$lost" = "$acc"
check "stream: every record streamed or lost (records $(val records $P/run.out) + lost $lost = sample $(val sample $P/run.stat))" \
	test $(( $(val records $P/run.out) + lost )) = "$(val sample $P/run.stat)"
# The period: what the session runs at, and what the samples' times show.
# The times are printed, not checked: a starved TCG guest (a loaded host)
# runs its timers late and in bursts, so no interval statistic holds.
check "stream: sample times never go back on a CPU" test "$(val backwards $P/run.out)" = 0
echo "# 1 kHz: a CPU's intervals: median $(val interval_median_us $P/run.out) us, mode $(val interval_mode_us $P/run.out) us over $(val intervals $P/run.out)"
check "start at 250 Hz" adprofctl start --detach -F 250
expect "info: the session runs at 250 Hz" '^freq 250$' adprofctl info
check "stop" adprofctl stop
profsub run -F 250 -d 2 -- spin -t $NCPU 2 >$P/run250.out 2>&1
echo "# 250 Hz: median $(val interval_median_us $P/run250.out) us, mode $(val interval_mode_us $P/run250.out) us over $(val intervals $P/run250.out)"
check "stream: samples at 250 Hz" test "$(val samples $P/run250.out)" -gt 0
check "stream: pids named by comm records" test "$(val comm $P/run.out)" -gt 0

# Rotation: a buffer goes once it has been current for prof_latency_ms
# (1 s by default), or when the sampler finds it half full. At 1 kHz a
# default buffer (two latencies' worth) goes by time: a few messages a
# CPU in 3 s (one at each second, or at 840 records, and one at the
# stop), where a rotation every 100 ms sends 30. A buffer of 128
# records goes half full every 64 samples, however slowly a starved
# guest samples, long before the latency, and holds as much again.
PL=/sys/module/adprof/parameters/prof_latency_ms
spin -t $NCPU 19 >/dev/null &
spin_pid=$!
sleep 1
profsub run -F 1000 -d 3 >$P/lat.out 2>&1
m=$(val msgs $P/lat.out)
check "1 s latency: at most 8 messages a CPU in 3 s ($m on $NCPU CPUs)" \
	test "$m" -gt 0 -a "$m" -le $((8 * NCPU))
# A buffer that fills goes as one message: 2000-record buffers with a
# 10 s latency are kicked at 840 records (at 1000 they went as messages
# of 960 and of 40 or so), whatever rate a loaded host samples at.
lat=$(cat $PL)
echo 10000 >$PL
profsub run -F 1000 -d 4 -s 2000 >$P/msg.out 2>&1
echo "$lat" >$PL
adprofctl stat >$P/msg.stat
m=$(val msgs $P/msg.out)
nb=$(val buf $P/msg.stat)
check "2000-record buffers: each went as one message ($m messages, $nb buffers, $(val samples $P/msg.out) samples, LOST $(val lost $P/msg.out))" \
	test "$nb" -gt $NCPU -a "$m" -le "$nb"
echo 100 >$PL
profsub run -F 1000 -d 3 >$P/lat100.out 2>&1
echo "$lat" >$PL
m100=$(val msgs $P/lat100.out)
check "prof_latency_ms=100: a message a CPU every 100 ms ($m100 on $NCPU CPUs)" \
	test "$m100" -ge $((15 * NCPU))
profsub run -F 1000 -d 4 -s 128 >$P/half.out 2>&1
mh=$(val msgs $P/half.out)
n=$(val samples $P/half.out)
check "128-record buffers: rotated half full, $mh messages for $n samples (at least one per 128)" \
	test "$mh" -ge $((n / 128)) -a "$n" -gt 0
# With a spinner on every CPU the debug kernel's worker may take longer
# than 64 samples to run: whatever overflows is counted, not lost unseen.
adprofctl stat >$P/half.stat
check "... and its LOST is what the kernel counted ($(val lost $P/half.out) = overflow $(val overflow $P/half.stat))" \
	test "$(val lost $P/half.out)" = "$(( $(val overflow $P/half.stat) + $(val dropbuf_sample $P/half.stat) + $(val stream_error_samples $P/half.stat) ))"
kill $spin_pid
wait $spin_pid 2>/dev/null
# The user address, not the overall top one: on a starved guest a single
# kernel address (interrupt return) can outweigh the hot loop's spread.
pc=$(awk '$1 == "top_upc" { print $2 }' $P/run.out)
set -- $(head -1 $P/spin2.out)
in_hot() { [ $(($pc)) -ge $(($2)) ] && [ $(($pc)) -lt $(($3)) ]; }
check "stream: spin's top user pc $pc is in $1 [$2, $3)" in_hot "$@"

# One session at a time.
check "start detached" adprofctl start --detach
check "running, owner detached" sh -c 'adprofctl info | grep -q "^owner detached"'
refuse "second start is EBUSY" 'already running' adprofctl start --detach
check "stop" adprofctl stop
check "stop again (idempotent)" adprofctl stop
check "not running after stop" not_running

# A start that fails leaves the earlier session's unread samples and its
# statistics as they were: with nobody subscribed they wait on the list.
check "a detached session with nobody listening" \
	sh -c 'adprofctl start --detach -F 1000 && sleep 1 && adprofctl stop'
adprofctl stat >$P/stat.before
check "its samples wait on the list ($(val onlist_sample $P/stat.before))" \
	test "$(val onlist_sample $P/stat.before)" -gt 0
echo "$NCPU" >/sys/kernel/debug/adprof/fail_perf_create
refuse "start with the last CPU's perf event failing: ENOMEM" \
	'cannot create the perf event.*memory' adprofctl start --detach
echo 0 >/sys/kernel/debug/adprof/fail_perf_create
check "nothing runs after the failed start" not_running
adprofctl stat >$P/stat.after
check "the earlier session's statistics and buffers are untouched" cmp $P/stat.before $P/stat.after
diag $P/stat.after
check "a clean start works and clears them" sh -c 'adprofctl start --detach && adprofctl stop'
adprofctl stat >$P/stat.clean
check "the start that succeeded cleared them ($(val sample $P/stat.clean) < $(val sample $P/stat.before) samples)" \
	test "$(val sample $P/stat.clean)" -lt "$(val sample $P/stat.before)"

# The owner's socket closing ends its session.
adprofctl record -d 60 -o $P/killed.data >/dev/null 2>&1 &
owner=$!
sleep 2
check "record's session running" running
kill -9 $owner
wait $owner 2>/dev/null
sleep 1
check "record killed: session stopped" not_running

# CPU hotplug: a CPU that goes offline stops sampling for the session;
# a mask naming an offline CPU is refused; no mask means the online ones.
ONL=/sys/devices/system/cpu/cpu1/online
if [ -w $ONL ]; then
	check "start detached on every CPU" adprofctl start --detach -F 2000
	check "CPU 1 offline during a session" sh -c "echo 0 > $ONL"
	sleep 1
	check "CPU 1 back online" sh -c "echo 1 > $ONL"
	sleep 1
	check "stop after hotplug" adprofctl stop
	check "CPU 1 offline again" sh -c "echo 0 > $ONL"
	refuse "start: offline CPU in the mask is EINVAL" 'offline CPU' adprofctl start --detach -C 1
	check "start without a mask: online CPUs only" adprofctl start --detach
	check "stop" adprofctl stop
	check "CPU 1 online" sh -c "echo 1 > $ONL"
	check "clear" adprofctl clear
fi

# Privileges: starting needs CAP_PERFMON or CAP_SYS_ADMIN, joining
# "samples" CAP_SYS_ADMIN (samples carry kernel addresses).
refuse "unprivileged start refused" 'not permitted|needs CAP' nobody adprofctl start --detach
fails "unprivileged join of samples refused" 'join: .*(permitted|Permission)' nobody profsub listen -d 0
fails "unprivileged record refused" 'samples' nobody adprofctl record -d 1 -o /tmp/nobody.data
check "unprivileged info allowed" nobody adprofctl info
check "CAP_PERFMON alone may start" nlraw --drop-caps=CAP_PERFMON PROF_START
fails "CAP_PERFMON alone may not join samples" 'EPERM' nlraw --drop-caps=CAP_PERFMON --join samples
check "nlraw's session ended with its socket" not_running

# Accounting with 64-record buffers at 1 kHz: the sampler kicks each
# one's rotation at 32 records, so a buffer goes every 32 ms, and only
# what comes while its worker is late overflows: none on Debian's kernel
# and on the 6.1 debug kernel, a fifth on 6.12's debug kernel (its
# workers are slower under TCG). Rotation by the 1 s latency alone would
# lose 15 samples in 16, a rotation every 100 ms lost 36 in 100: less
# than half lost, with a message a rotation, is the kick's doing.
# Whatever is lost is counted, in the statistics and in the stream's
# LOST. (Samples refused
# by a full buffer are counted end to end in 37-summary's 16-record
# buffers, which rotate on their period only, and 80-stress's.)
check "clear" adprofctl clear
profsub run -F 1000 -d 2 -s 64 >$P/ovf.out 2>&1
adprofctl stat >$P/ovf.stat
ovf=$(val overflow $P/ovf.stat)
lost=$(val lost $P/ovf.out)
drop=$(val dropbuf_sample $P/ovf.stat)
err=$(val stream_error_samples $P/ovf.stat)
tot=$(( ovf + $(val sample $P/ovf.stat) ))
check "64-record buffers rotated half full: $(val msgs $P/ovf.out) messages in 2 s, overflow $ovf of $tot (less than half)" \
	test $((2 * ovf)) -lt "$tot" -a "$(val msgs $P/ovf.out)" -gt 40
check "stream LOST $lost = overflow $ovf + dropbuf_sample $drop + error $err" \
	test "$lost" = $((ovf + drop + err))
check "stream_samples = sample: all sent ($(val stream_samples $P/ovf.stat))" \
	test "$(val stream_samples $P/ovf.stat)" = "$(val sample $P/ovf.stat)"
check "records received = stream_samples ($(val records $P/ovf.out))" \
	test "$(val records $P/ovf.out)" = "$(val stream_samples $P/ovf.stat)"

# record's socket too small for the stream: ENOBUFS drops whole
# messages, their records and their LOST; record counts them lost from
# PROF_STOP's statistics, so its totals stay exact.
small_rcvbuf rcvbuf $P -F 1000
fails "record: ADPROFCTL_RCVBUF 100 refused" 'ADPROFCTL_RCVBUF 100: not a number of bytes in 1024\.\.33554432' \
	env ADPROFCTL_RCVBUF=100 adprofctl record -d 1 -o $P/x.data
fails "record: ADPROFCTL_RCVBUF 1k refused" 'ADPROFCTL_RCVBUF 1k' \
	env ADPROFCTL_RCVBUF=1k adprofctl record -d 1 -o $P/x.data

# Nobody listening: the list keeps MAX_BUFS buffers, rotation drops the rest.
check "clear" adprofctl clear
check "start detached, 3 buffers at most" adprofctl start --detach --max-bufs 3
sleep 2
check "stop" adprofctl stop
adprofctl stat >$P/nl.stat
check "list holds max_bufs=3 ($(val onlist_buf $P/nl.stat))" test "$(val onlist_buf $P/nl.stat)" = 3
check "excess buffers dropped and counted ($(val dropbuf $P/nl.stat))" test "$(val dropbuf $P/nl.stat)" -gt 0
check "buf = onlist_buf: nothing sent" test "$(val buf $P/nl.stat)" = 3

# debugfs and PROF_GET_STAT read the same counters.
adprofctl stat >$P/stat.nl
cat /sys/kernel/debug/adprof/stats >$P/stat.dbg
check "debugfs stats = PROF_GET_STAT" cmp $P/stat.nl $P/stat.dbg
check "clear" adprofctl clear
check "clear zeroes every counter" sh -c "adprofctl stat | awk '\$2 != 0 { exit 1 }'"
check "debugfs zeroed too" sh -c "awk '\$2 != 0 { exit 1 }' /sys/kernel/debug/adprof/stats"

# Unload in the middle of a stream; record then fails to stop, says so.
adprofctl record -d 60 -o $P/rmmod.data >$P/rmmod.out 2>&1 &
sub=$!
sleep 2
check "rmmod while streaming" unload
kill -INT $sub
wait $sub
check "record reports the failed stop (exit $?)" test $? != 0
check "no module left" test ! -e /sys/module/adprof
rm -rf $P
