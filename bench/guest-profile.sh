#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of bench/profile (installed as /bench/10-profile.sh). Prints
# one "BENCH key=value ..." line per run for the host to aggregate.
#
# Kernel command line: adprof.bench_reps=N adprof.bench_secs=S
#   adprof.bench_rates="1000 2000 ..." (the lossless steps, comma separated)

reps=3 secs=5 rates=1000,2000,5000,10000,20000,50000,100000
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.bench_reps=*) reps=${a#*=} ;;
	adprof.bench_secs=*) secs=${a#*=} ;;
	adprof.bench_rates=*) rates=${a#*=} ;;
	esac
done
rates=$(echo "$rates" | tr , ' ')
NCPU=$(nproc)

# perf comes from the host's /usr over 9p; mount it if init could not.
if ! command -v perf >/dev/null 2>&1; then
	modprobe virtio_pci 2>/dev/null
	modprobe 9pnet_virtio 2>/dev/null && modprobe 9p 2>/dev/null &&
		mkdir -p /host &&
		mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000 hostroot /host &&
		mount --bind /host/usr /usr
fi
if command -v perf >/dev/null 2>&1; then
	echo "BENCH info perf=$(perf --version | tr ' ' _)"
	have_perf=1
else
	echo "BENCH info perf=missing"
	have_perf=0
fi
echo "BENCH info ncpu=$NCPU secs=$secs reps=$reps"
insmod /adprof.ko || { echo "BENCH info error=insmod"; exit 0; }

val() { awk -v k="$1" '$1 == k { print $2; exit }' "$2"; }
calls() { awk '/^spin:/ { print $4; exit }' "$1"; }

run_none() {
	spin -t 2 "$secs" >/tmp/b.out 2>&1
	echo "BENCH run tool=none rate=0 rep=$2 calls=$(calls /tmp/b.out)"
}

# adprof: profsub starts the session, runs spin, stops, reads the rest.
run_adprof() {
	profsub run -F "$1" -- spin -t 2 "$secs" >/tmp/b.out 2>&1
	set -- "$1" "$2" $(for k in samples records lost gaps overruns bytes msgs; do
		echo "$k=$(val $k /tmp/b.out)"; done)
	echo "BENCH run tool=adprof rate=$1 rep=$2 calls=$(calls /tmp/b.out) $3 $4 $5 $6 $7 $8 $9"
}

# perf: the same workload under perf record -a, then perf's own count of
# lost events (LOST and LOST_SAMPLES records).
run_perf() {
	[ $have_perf = 1 ] || return 0
	rm -f /tmp/perf.data
	perf record -q -e cpu-clock -a -F "$1" -o /tmp/perf.data -- spin -t 2 "$secs" \
		>/tmp/b.out 2>/tmp/b.err
	rc=$?
	samples=$(sed -n 's/.*(\([0-9]*\) samples).*/\1/p' /tmp/b.err | tail -1)
	if [ -z "$samples" ] && [ -s /tmp/perf.data ]; then
		samples=$(perf report -i /tmp/perf.data --stats 2>/dev/null |
			  awk '/SAMPLE events:/ { print $3; exit }')
	fi
	lost=$(perf report -i /tmp/perf.data --stats 2>/dev/null |
	       awk '/LOST(_SAMPLES)? events:/ { n += $3 } END { print n + 0 }')
	bytes=$(stat -c %s /tmp/perf.data 2>/dev/null || echo 0)
	echo "BENCH run tool=perf rate=$1 rep=$2 rc=$rc calls=$(calls /tmp/b.out) samples=${samples:-0} lost=$lost bytes=$bytes"
	[ $rc = 0 ] || sed 's/^/BENCH perf-error /' /tmp/b.err | head -3
}

# Overhead: configurations alternate inside each round.
r=1
while [ $r -le "$reps" ]; do
	run_none 0 $r
	run_adprof 1000 $r
	run_perf 1000 $r
	run_adprof 10000 $r
	run_perf 10000 $r
	r=$((r + 1))
done

# Loss: step the rate up, one run each, alternating the two profilers.
for f in $rates; do
	run_adprof "$f" step
	run_perf "$f" step
done

rmmod adprof
echo "BENCH done"
