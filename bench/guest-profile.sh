#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of bench/profile (installed as /bench/10-profile.sh), run
# under QEMU/TCG with the insn plugin counting instructions. insnmark
# marks each run: LABEL.launch before the profiler starts, LABEL.start and
# LABEL.work around the fixed workload, LABEL.end once the profiler has
# exited. All INSNMARK lines reach the console in the order executed, for
# the host to pair with the plugin's markers; one "BENCH key=value ..."
# line per run gives the samples each tool took inside the workload
# (w_inside) and whatever else it reported; runs with call stacks also
# what the stacks held (st_*: stackstat of the workload's call chain).
#
# Kernel command line: adprof.bench_reps=N adprof.bench_calls=C
#   adprof.bench_rates=R1,R2,... (the sweep) adprof.bench_max=HZ (skip the
#   sweep) adprof.bench_parts=0 (no adprof cost breakdown)
#   adprof.bench_syms=1 (print the kernel's text symbols at the end, for
#   the plugin's hot blocks: gzip and base64 between KALLSYMS- lines)
#   adprof.bench_stacks=0 (no runs with call stacks)
#   adprof.bench_depth=N (adprofctl record --depth N; default none: 127)
#   adprof.bench_summary=0 (no runs of summary mode)
#   adprof.bench_tools=T1,T2,... (only these configurations of the
#   rounds, by the names of $configs below: adprof, perf, bpftrace, floor,
#   sum, sum-g...; the bare runs always)

reps=9 calls=400 rates=1000,2000,5000,10000,20000,50000,100000 max= parts=1 syms=0
stacks=1 depth= summary=1 tools=
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.bench_reps=*) reps=${a#*=} ;;
	adprof.bench_calls=*) calls=${a#*=} ;;
	adprof.bench_rates=*) rates=${a#*=} ;;
	adprof.bench_max=*) max=${a#*=} ;;
	adprof.bench_parts=*) parts=${a#*=} ;;
	adprof.bench_syms=*) syms=${a#*=} ;;
	adprof.bench_stacks=*) stacks=${a#*=} ;;
	adprof.bench_depth=*) depth=${a#*=} ;;
	adprof.bench_summary=*) summary=${a#*=} ;;
	adprof.bench_tools=*) tools=${a#*=} ;;
	esac
done
rates=$(echo "$rates" | tr , ' ')
NCPU=$(nproc)

# perf and bpftrace come from the host's /usr over 9p.
if ! command -v perf >/dev/null 2>&1; then
	modprobe virtio_pci 2>/dev/null
	modprobe 9pnet_virtio 2>/dev/null && modprobe 9p 2>/dev/null &&
		mkdir -p /host &&
		mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot /host &&
		mount --bind /host/usr /usr
fi
have_perf=0 have_bt=0
command -v perf >/dev/null 2>&1 && have_perf=1
command -v bpftrace >/dev/null 2>&1 && have_bt=1
echo "BENCH info perf=$( [ $have_perf = 1 ] && perf --version | tr ' ' _ || echo missing)" \
	"bpftrace=$( [ $have_bt = 1 ] && bpftrace --version | tr ' ' _ || echo missing)"
# The kernel lowers perf_event_max_sample_rate when sampling interrupts
# take long, which under TCG they do: keep the limits fixed for the boot.
# bpf_stats makes each BPF program count its runs (bpftrace's samples
# inside the workload); what that costs is measured below and taken out.
sysctl -qw kernel.perf_cpu_time_max_percent=0
sysctl -qw kernel.bpf_stats_enabled=1
# Debian's THP "always" lets khugepaged collapse the pages of bpftrace's
# few hundred MB at random times: 5-7 M instructions in a third of the
# windows, not the profiler's doing. Only regions that ask get THP here.
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo "BENCH info ncpu=$NCPU reps=$reps calls=$calls parts=$parts" \
	"max_sample_rate=$(sysctl -n kernel.perf_event_max_sample_rate)" \
	"stacks=$stacks perf_event_max_stack=$(sysctl -n kernel.perf_event_max_stack)"
insmod /adprof.ko || { echo "BENCH info error=insmod"; exit 0; }

# quiet CMD...: CMD with its output in /tmp/out, its errors in /tmp/err.
quiet() { "$@" >/tmp/out 2>/tmp/err; }

# The call stacks a tool recorded, as stackstat's lines in /tmp/stacks:
# how many samples had the workload's chain (bench/spinfix.syms, from the
# host's nm), and their median length. stackst prints "st_KEY=VALUE ...".
chain=bench_spin_hot,spin_level3,spin_level2,spin_level1,spin_thread
stackst() {
	stackstat /bench/spinfix.syms $chain </tmp/stacks |
		awk '{ printf "st_%s=%s ", $1, $2 }'
}
val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
mtime() { awk -v l="$1" '$1 == "INSNMARK" && $2 == l { print $3; exit }' /tmp/marks; }

# The workload between two markers: $1 label, $2 calls, $3 "bpf" when the
# parent is bpftrace, whose program's run count is read (with the shell's
# read, no process) just outside the markers into /tmp/runcnt; "sum" or
# "sum-g" runs the workload under adprofctl record --summary [-g] -F $4,
# the whole recording inside the markers (run_sum). $2 may be
# "sysloop:N" for the bpf_stats calibration.
cat >/tmp/win.sh <<'EOF'
runs() {
	while read -r k v; do [ "$k" = run_cnt: ] && echo "$v"; done <"$fd"
}
if [ "$3" = bpf ]; then
	for f in /proc/$PPID/fdinfo/*; do
		grep -q '^prog_type' "$f" && fd=$f
	done
	c0=$(runs)
fi
insnmark "$1.start" >>/tmp/marks
case $3 in
sum*)	# a whole summary session inside the window: $4 its rate
	g=; [ "$3" = sum-g ] && g=-g
	adprofctl record --summary -F "$4" $g -o /tmp/a.data -- \
		spinfix -t 2 "$2" >/dev/null 2>/tmp/err
	echo $? >/tmp/rc ;;
*)	case $2 in
	sysloop:*) sysloop "${2#*:}" ;;
	*) spinfix -t 2 "$2" >/dev/null ;;
	esac ;;
esac
insnmark "$1.work" >>/tmp/marks
if [ "$3" = bpf ]; then
	echo "$c0 $(runs)" >/tmp/runcnt
fi
EOF

# window LABEL CMD...: mark, run CMD (which runs /tmp/win.sh), mark the
# end, show the marks. CMD's output goes where the caller says: a
# redirection of window itself would take the marks with it.
window() {
	label=$1
	shift
	: >/tmp/marks
	insnmark "$label.launch" >>/tmp/marks
	"$@"
	rc=$?
	insnmark "$label.end" >>/tmp/marks
	cat /tmp/marks
	return $rc
}

run_none() {	# rep calls
	window "$1-none-$2" sh /tmp/win.sh "$1-none-$2" "$2"
	echo "BENCH run tool=none rate=0 rep=$1 calls=$2 label=$1-none-$2"
}

# adprof-tick: the same with the module's prof_latency_ms at 100 (1000 by
# default): a rotation, a message and its wakeups every 100 ms tick per
# CPU, as before the latency: what the work per message costs.
run_adprof() {	# rep rate calls [-g] [-tick]
	g=$4 v=$5
	l=$1-adprof$g$v-$2
	lat=$(cat /sys/module/adprof/parameters/prof_latency_ms)
	[ "$v" = -tick ] && echo 100 >/sys/module/adprof/parameters/prof_latency_ms
	window "$l" quiet adprofctl record -F "$2" $g ${g:+${depth:+--depth $depth}} \
		-o /tmp/a.data -- sh /tmp/win.sh "$l" "$3"
	rc=$?
	echo "$lat" >/sys/module/adprof/parameters/prof_latency_ms
	# "adprofctl: record: N samples, C comm records in M messages ...; lost L, sequence gaps G, socket overruns O"
	rx=$(sed -n 's/.* \([0-9]*\) bytes received.*/\1/p' /tmp/err)
	set -- "$1" "$2" "$3" $(sed -n 's/.*record: \([0-9]*\) samples, \([0-9]*\) comm records in \([0-9]*\) messages.*lost \([0-9]*\), sequence gaps \([0-9]*\), socket overruns \([0-9]*\).*/\1 \2 \3 \4 \5 \6/p' /tmp/err)
	w=$(recwin /tmp/a.data "$(mtime "$l.start")" "$(mtime "$l.work")" ${g:+/tmp/stacks} | tr '\n' ' ' |
	    awk '{ for (i = 1; i < NF; i += 2) printf "w_%s=%s ", $i, $(i + 1) }')
	[ -n "$g" ] && w="$w $(stackst)"
	echo "BENCH run tool=adprof$g$v rate=$2 rep=$1 calls=$3 label=$l rc=$rc samples=${4:-0} comm=${5:-0} msgs=${6:-0} lost=${7:-0} gaps=${8:-0} overruns=${9:-0} rx=${rx:-0} $w"
	[ $rc = 0 ] || sed 's/^/BENCH error adprof /' /tmp/err | head -3
}

# adprof-sum: summary mode (adprofctl record --summary). Its count
# records carry no time, so the samples inside the workload cannot be
# told from those around it the way run_adprof's are. Instead the whole
# recording runs inside the window: adprofctl record starts the session
# after LABEL.start and has stopped it, received every message and
# exited before LABEL.work, so the samples it reports (the counts it
# received; lost ones reported apart) are exactly the samples of the
# window. The window also holds adprofctl's start and stop, fixed costs
# that the report cancels by running every round at two workload
# lengths, as the bare runs are: (extra of the long - extra of the
# short) / (samples of the long - samples of the short). rx: the bytes
# of the netlink messages adprofctl received, per the same line of
# run_adprof.
run_sum() {	# rep rate calls [-g]
	g=$4
	l=$1-adprof-sum$g-$2-$3
	: >/tmp/err
	window "$l" sh /tmp/win.sh "$l" "$3" "sum$g" "$2"
	rc=$(cat /tmp/rc)
	set -- "$1" "$2" "$3" "$4" $(sed -n 's/.*record: \([0-9]*\) samples, \([0-9]*\) comm records in \([0-9]*\) messages.*lost \([0-9]*\), sequence gaps \([0-9]*\), socket overruns \([0-9]*\); \([0-9]*\) bytes received, \([0-9]*\) count records.*/\1 \2 \3 \4 \5 \6 \7 \8/p' /tmp/err)
	echo "BENCH run tool=adprof-sum$g rate=$2 rep=$1 calls=$3 label=$l rc=$rc samples=${5:-0} comm=${6:-0} msgs=${7:-0} lost=${8:-0} gaps=${9:-0} overruns=${10:-0} rx=${11:-0} counts=${12:-0} file=$(stat -c %s /tmp/a.data 2>/dev/null || echo 0)"
	[ "$rc" = 0 ] || sed 's/^/BENCH error adprof-sum /' /tmp/err | head -3
}

# perf: the samples inside the workload are those between the exec of the
# two insnmark processes around it, in perf's own clock.
# With -g (frame pointers, perf's default), perf script's callchains of
# the samples inside give /tmp/stacks: a sample is a line "comm time:",
# then a line "ADDR SYM" per frame, the sample's own pc first; kernel
# addresses are printed whole, user ones relative to their map, so the
# frames go by name.
run_perf() {	# rep rate calls [-g]
	[ $have_perf = 1 ] || return 0
	g=$4
	l=$1-perf$g-$2
	rm -f /tmp/p.data
	window "$l" quiet perf record -e cpu-clock -a $g -F "$2" -o /tmp/p.data -- sh /tmp/win.sh "$l" "$3"
	rc=$?
	samples=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' /tmp/err | tail -1)
	st=
	if [ -n "$g" ]; then
		perf script -i /tmp/p.data -F comm,time,ip,sym --show-task-events 2>/dev/null | awk '
			function put() { if (inwin && nf) print 1, nk, fr; nf = 0; nk = 0; fr = "" }
			/PERF_RECORD_COMM exec: insnmark/ { put(); m++; inwin = 0; next }
			/PERF_RECORD/ { put(); next }
			/^[ \t]*$/ { put(); next }
			/^[ \t]/ { nf++; if (length($1) == 16 && $1 ~ /^ffff/) nk++
				fr = fr " " ($2 == "" ? "?" : $2); next }
			{ put(); inwin = (m == 1); if (inwin) n++ }
			END { put(); print n + 0 >"/tmp/inside" }' >/tmp/stacks
		inside=$(cat /tmp/inside)
		st=$(stackst)
	else
		inside=$(perf script -i /tmp/p.data -F time --show-task-events 2>/dev/null | awk '
			/PERF_RECORD_COMM exec: insnmark/ { m++; next }
			/PERF_RECORD/ { next }
			m == 1 { n++ }
			END { print n + 0 }')
	fi
	perf report -i /tmp/p.data --stats >/tmp/stats 2>/dev/null
	lost=$(awk '/LOST(_SAMPLES)? events:/ { n += $3 } END { print n + 0 }' /tmp/stats)
	thr=$(awk '/ THROTTLE events:/ { n += $3 } END { print n + 0 }' /tmp/stats)
	echo "BENCH run tool=perf$g rate=$2 rep=$1 calls=$3 label=$l rc=$rc samples=${samples:-0} w_inside=$inside lost=$lost throttle=$thr bytes=$(stat -c %s /tmp/p.data 2>/dev/null || echo 0) $st"
	[ $rc = 0 ] || sed 's/^/BENCH error perf /' /tmp/err | head -3
}

# bpftrace: a map keyed by (pid, ip), or by (kstack, ustack) with call
# stacks, or the floor: a probe that does nothing. Samples inside the
# workload: the program's run count. A stack entry of the map it prints
# is "@[" KFRAMES "," UFRAMES "]: COUNT", a frame a line, either list
# possibly empty; user frames are hex addresses (the process has exited
# when bpftrace prints), kernel frames names. Its stacks are those of the
# whole run of bpftrace -c (the shell around the workload too), a few
# more than the window's.
run_bpftrace() {	# rep rate calls tool
	[ $have_bt = 1 ] || return 0
	l=$1-$4-$2
	case $4 in
	bpftrace) prog="profile:hz:$2 { @[pid, reg(\"ip\")] = count(); }" ;;
	bpftrace-g) prog="profile:hz:$2 { @[kstack, ustack] = count(); }" ;;
	*) prog="profile:hz:$2 { }" ;;
	esac
	: >/tmp/runcnt
	# bpftrace 0.17 caps a map at 4096 keys by default and drops the
	# rest: at high rates the (pid, ip) map holds more (kernel pcs).
	# A cap the boot never reaches keeps its counts whole (keys= below
	# shows how many it held).
	window "$l" quiet env BPFTRACE_MAP_KEYS_MAX=65536 \
		bpftrace -e "$prog" -c "/bin/sh /tmp/win.sh $l $3 bpf"
	rc=$?
	st=
	if [ "$4" = bpftrace-g ]; then
		awk '/^@\[/ { in_k = 1; nk = 0; fr = ""; sub(/^@\[/, "") }
			/^,/ { in_k = 0; sub(/^, */, "") }
			/^\]: [0-9]+$/ { print $NF, nk, fr; n += $NF; k++; next }
			/^    / { fr = fr " " $1; if (in_k) nk++ }
			END { print n + 0, k + 0 >"/tmp/keys" }' /tmp/out >/tmp/stacks
		st="$(stackst) st_errors=$(grep -c 'failed to look up stack id' /tmp/err)"
		set -- "$1" "$2" "$3" "$4" $(cat /tmp/keys) $(awk '{ print $2 - $1 }' /tmp/runcnt)
	else
		set -- "$1" "$2" "$3" "$4" $(awk '/^@.*: [0-9]+$/ { n += $NF; k++ } END { print n + 0, k + 0 }' /tmp/out) \
			$(awk '{ print $2 - $1 }' /tmp/runcnt)
	fi
	echo "BENCH run tool=$4 rate=$2 rep=$1 calls=$3 label=$l rc=$rc samples=$5 keys=$6 w_inside=${7:-0} bytes=$(stat -c %s /tmp/out) $st"
	[ $rc = 0 ] || sed 's/^/BENCH error bpftrace /' /tmp/err | head -3
}

# adprof's cost breakdown. kernel: a detached session nobody listens to,
# so the samples stay on the kernel's list (handler and rotation only);
# nlsink subscribes afterwards and takes them when the session stops.
# sink: nlsink subscribed all along (adds the stream worker, netlink
# send and the socket receive). The full record is run_adprof.
sink_start() {
	nlsink -w /tmp/marks >/tmp/sink.out 2>&1 &
	sink=$!
	while ! grep -q ready /tmp/sink.out 2>/dev/null; do usleep 20000; done
}

run_part() {	# rep rate calls kernel|sink|kernel-g|sink-g
	l=$1-$4-$2
	g=
	case $4 in *-g) g=-g ;; esac
	[ "${4%-g}" = sink ] && sink_start
	adprofctl start -F "$2" $g ${g:+${depth:+--depth $depth}} --max-bufs 1024 --detach
	window "$l" sh /tmp/win.sh "$l" "$3"
	[ "${4%-g}" = kernel ] && sink_start
	adprofctl stat >/tmp/stat
	adprofctl stop
	kill -INT $sink
	wait $sink
	echo "BENCH run tool=$4 rate=$2 rep=$1 calls=$3 label=$l samples=$(val samples /tmp/sink.out) comm=$(val comm /tmp/sink.out) w_inside=$(val inside /tmp/sink.out) msgs=$(val msgs /tmp/sink.out) bytes=$(val bytes /tmp/sink.out) overruns=$(val overruns /tmp/sink.out) records=$(val sample /tmp/stat) dropbuf=$(val dropbuf /tmp/stat) overflow=$(val overflow /tmp/stat)"
}

# The counter is exact: the same loop three times, and twice as long.
n=10000000
for l in 1 2 3; do
	insnmark -l $n loop$l-$n
done
insnmark -l $((2 * n)) loop4-$((2 * n))

# Calibrations, 3 times each. What kernel.bpf_stats_enabled adds to a BPF
# program run: 200000 getppid() under an empty tracepoint program, with
# and without it, on the same CPU (under bpftrace's tracepoint a syscall
# costs 500 instructions more on CPU 0 than on CPU 1). For the breakdown:
# writing 8 MiB to tmpfs in 4 KiB writes (stdio's buffer) against
# /dev/null; reading a small /proc/PID/maps (that of a static sleep) 100
# times against /dev/null.
for r in 1 2 3; do
	if [ $have_bt = 1 ]; then
		for s in 1 0; do
			sysctl -qw kernel.bpf_stats_enabled=$s
			window "cal$r-bpfstats$s" quiet bpftrace -e 'tracepoint:syscalls:sys_enter_getppid { }' \
				-c "/bin/taskset -c 1 /bin/sh /tmp/win.sh cal$r-bpfstats$s sysloop:200000"
		done
		sysctl -qw kernel.bpf_stats_enabled=1
	fi
	[ "$parts" = 1 ] || continue
	sleep 1000 &
	sl=$!
	for t in tmpfs null; do
		[ $t = tmpfs ] && of=/tmp/cal || of=/dev/null
		: >/tmp/marks
		insnmark "cal$r-write-$t.start" >>/tmp/marks
		dd if=/dev/zero of=$of bs=4096 count=2048 2>/dev/null
		insnmark "cal$r-write-$t.work" >>/tmp/marks
		cat /tmp/marks
		rm -f /tmp/cal
	done
	for t in maps null; do
		[ $t = maps ] && f=/proc/$sl/maps || f=/dev/null
		: >/tmp/marks
		insnmark "cal$r-read-$t.start" >>/tmp/marks
		i=0
		while [ $i -lt 100 ]; do cat $f >/dev/null; i=$((i + 1)); done
		insnmark "cal$r-read-$t.work" >>/tmp/marks
		cat /tmp/marks
	done
	echo "BENCH info maps_lines=$(wc -l </proc/$sl/maps)"
	kill $sl
done

# The sweep: where samples per second stop growing with -F. One run of
# adprof and perf per rate, shorter; also their loss at each rate.
sweep_calls=$((calls / 3))
: >/tmp/sweep
for f in $rates; do
	for t in adprof perf; do
		run_$t sweep "$f" $sweep_calls >/tmp/run
		cat /tmp/run
		awk -v f="$f" -v n="$NCPU" '$1 == "INSNMARK" && $2 ~ /\.start$/ { s = $3 }
			$1 == "INSNMARK" && $2 ~ /\.work$/ { w = $3 }
			$1 == "BENCH" { for (i = 3; i <= NF; i++) if ($i ~ /^w_inside=/) k = substr($i, 10) }
			END { if (w > s) printf "%d %.1f\n", f, k / ((w - s) / 1e9) / n }' /tmp/run >>/tmp/sweep
	done
done
# The lowest rate with 90% of the best samples per second (the better
# of the two tools at each rate).
[ -n "$max" ] || max=$(awk '{ if ($2 > r[$1]) r[$1] = $2; if (!($1 in seen)) { seen[$1] = 1; f[++n] = $1 }
		if ($2 > best) best = $2 }
	END { for (i = 1; i <= n; i++) if (r[f[i]] >= 0.9 * best) { print f[i]; exit } }' /tmp/sweep)
echo "BENCH info max_rate=$max"

# The rounds: every configuration once per round, the order rotated by
# one each round. none runs the workload bare, at two lengths: the
# background that grows with wall time is fitted on them.
half=$((calls / 2))
configs="none:0:$calls adprof:1000 perf:1000 bpftrace:1000 floor:1000 none:0:$half
	adprof:$max perf:$max bpftrace:$max floor:$max"
[ "$parts" = 1 ] && configs="$configs kernel:1000 sink:1000 kernel:$max sink:$max"
# With call stacks: at 1 kHz, against the same bare runs and floor.
if [ "$stacks" = 1 ]; then
	configs="$configs adprof-g:1000 perf-g:1000 bpftrace-g:1000"
	[ "$parts" = 1 ] && configs="$configs kernel-g:1000 sink-g:1000"
fi
[ "$parts" = 1 ] && configs="$configs adprof-tick:1000"
# Summary mode, whole recordings at two lengths (see run_sum). At 1 kHz
# the short and long runs differ by ~2000 samples only at 4x the length:
# calls/2 and 2*calls, with bare runs of 2*calls to take them against.
# Both lengths' fixed costs (adprofctl's start and stop) cancel whatever
# the lengths; the difference of samples is what the spread divides.
if [ "$summary" = 1 ]; then
	long=$((2 * calls))
	configs="$configs none:0:$long sum:1000:$long sum:1000:$half"
	configs="$configs sum:$max:$calls sum:$max:$half"
	[ "$stacks" = 1 ] && configs="$configs sum-g:1000:$long sum-g:1000:$half"
fi
# adprof.bench_tools=T1,T2,...: only those tools (and the bare runs;
# those of 2*calls only for summary mode's).
if [ -n "$tools" ]; then
	keep=
	for c in $configs; do
		case ",none,$tools," in *",${c%%:*},"*) keep="$keep $c" ;; esac
	done
	case ",$tools," in
	*,sum,*|*,sum-g,*) ;;
	*) keep=$(echo $keep | tr ' ' '\n' | grep -vx "none:0:$((2 * calls))" | tr '\n' ' ') ;;
	esac
	configs=$keep
fi
echo "BENCH info configs=$(echo $configs | tr ' ' ,)"
nconf=$(echo $configs | wc -w)
r=1
while [ "$r" -le "$reps" ]; do
	i=0
	while [ $i -lt "$nconf" ]; do
		c=$(echo $configs | tr ' ' '\n' | sed -n "$(( (i + r - 1) % nconf + 1 ))p")
		tool=${c%%:*} rate=${c#*:} n=$calls
		case $rate in *:*) n=${rate#*:} rate=${rate%%:*} ;; esac
		case $tool in
		none) run_none $r "$n" ;;
		adprof|perf) run_$tool $r "$rate" "$n" ;;
		adprof-g|perf-g) run_${tool%-g} $r "$rate" "$n" -g ;;
		adprof-tick) run_adprof $r "$rate" "$n" "" -tick ;;
		sum) run_sum $r "$rate" "$n" ;;
		sum-g) run_sum $r "$rate" "$n" -g ;;
		bpftrace|floor|bpftrace-g) run_bpftrace $r "$rate" "$n" $tool ;;
		kernel|sink|kernel-g|sink-g) run_part $r "$rate" "$n" $tool ;;
		esac
		i=$((i + 1))
	done
	echo "BENCH info round=$r done"
	r=$((r + 1))
done

# How often adprofctl record enters the kernel, per message (perf stat of
# its syscalls, children included: the workload makes a handful).
if [ "$parts" = 1 ] && [ $have_perf = 1 ]; then
	for f in 1000 $max; do
		ev=syscalls:sys_enter_recvfrom,syscalls:sys_enter_recvmsg,syscalls:sys_enter_poll
		ev=$ev,syscalls:sys_enter_write,syscalls:sys_enter_writev
		ev=$ev,syscalls:sys_enter_openat,syscalls:sys_enter_read,syscalls:sys_enter_wait4
		window "diag-$f" quiet perf stat -x, -o /tmp/pstat -e $ev -- \
			adprofctl record -F "$f" -o /tmp/a.data -- sh /tmp/win.sh "diag-$f" "$calls"
		echo "BENCH diag rate=$f $(sed -n 's/.*record: \([0-9]*\) samples, \([0-9]*\) comm records in \([0-9]*\) messages.*/samples=\1 comm=\2 msgs=\3/p' /tmp/err)" \
			"$(awk -F, '$3 ~ /sys_enter_/ { sub(/.*sys_enter_/, "", $3); printf "%s=%s ", $3, $1 }' /tmp/pstat)"
	done
fi

if [ "$syms" = 1 ]; then
	echo "KALLSYMS-BEGIN"
	awk '$2 ~ /^[tT]$/' /proc/kallsyms | gzip -1 | base64
	echo "KALLSYMS-END"
fi
rmmod adprof
echo "BENCH done"
