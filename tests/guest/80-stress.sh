#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Four clients at once mixing every command while edu raises interrupts;
# afterwards the counters must add up and nothing may be left behind.
#
# Leaks: slab objects in use are counted per cache before insmod and after
# rmmod. In between run, besides the random stress, $cycles full life
# cycles of both devices and of a profiling session (adprof-stress -l) and
# a recording whose per-CPU buffers are small and rotated every 10 ms, so
# that one object leaked per device, vector, session or buffer adds at
# least $cycles objects to one cache; a cache that grew by more than
# $cycles / 2 fails the test. adprof allocates with kmalloc (and kvmalloc,
# which is kmalloc below 8 KiB), and tests/vm/run.sh boots with
# slub_debug=Z,kmalloc-*: SLUB never gives a debug cache per-CPU slabs, so
# their counts are exact. Other caches count the free objects of per-CPU
# slabs as in use: every cache is shrunk (flushing them) before counting,
# and such a cache may also differ by two slabs per CPU. vmap_area is left
# out (vfree() releases its areas lazily); VmallocUsed is exact and must
# not grow by more than 1 MiB.
. /tests/lib.sh

secs=15
cycles=20
for a in $(cat /proc/cmdline); do
	case $a in
	adprof.stress=*) secs=${a#adprof.stress=} ;;
	adprof.leak_cycles=*) cycles=${a#adprof.leak_cycles=} ;;
	esac
done
tol=$((cycles / 2))

# snapshot FILE: "cache objects-in-use objects-per-slab exact" per slab
# cache (exact: a SLUB debug cache), then vmalloc and unreclaimable slab
# memory (kmalloc above 8 KiB included) as "kB:NAME kB".
snapshot() {
	sync
	echo 2 >/proc/sys/vm/drop_caches
	sleep 1		# let RCU-deferred frees happen
	for f in /sys/kernel/slab/*/shrink; do echo 1 >"$f"; done 2>/dev/null
	{
		awk 'BEGIN { split("red_zone poison sanity_checks store_user", flag) }
		NR > 2 {
			exact = 0
			for (i = 1; i <= 4; i++) {
				f = "/sys/kernel/slab/" $1 "/" flag[i]
				if ((getline v <f) > 0 && v == 1)
					exact = 1
				close(f)
			}
			print $1, $2, $5, exact
		}' /proc/slabinfo
		awk '$1 ~ /^(SUnreclaim|VmallocUsed):$/ { print "kB:" $1, $2 }' /proc/meminfo
	} >"$1"
}

# The snapshot opens files: the caches of struct file and of its LSM blob,
# and any SLUB merged with them (shared_policy_node on 6.12), refill a
# per-CPU slab while it reads, up to a slab of objects counted in use.
# adprof opens no file: these are left out.
perfile=
for c in filp lsm_file_cache; do
	t=$(readlink /sys/kernel/slab/$c 2>/dev/null) || t=$c
	for f in /sys/kernel/slab/*; do
		if [ "${f##*/}" = "$t" ] || [ "$(readlink "$f")" = "$t" ]; then
			perfile="$perfile ${f##*/}"
		fi
	done
done

# leaks BEFORE AFTER: what grew by more than its tolerance: $tol objects
# in an exact cache, two slabs per CPU more in another, 1 MiB of vmalloc.
ncpu=$(grep -c '^processor' /proc/cpuinfo)
leaks() {
	awk -v tol="$tol" -v ncpu="$ncpu" -v skip="$perfile vmap_area" '
		BEGIN { n = split(skip, s, " "); for (i = 1; i <= n; i++) x[s[i]] = 1 }
		NR == FNR { b[$1] = $2; next }
		$1 == "kB:VmallocUsed:" && $2 - b[$1] > 1024 { printf "%s +%d kB\n", $1, $2 - b[$1] }
		$1 ~ /^kB:/ || ($1 in x) { next }
		{ t = $4 ? tol : tol + 2 * $3 * ncpu }
		$2 - b[$1] > t { printf "%s +%d (tolerance %d)\n", $1, $2 - b[$1], t }' "$1" "$2"
}
growth() {
	awk 'NR == FNR { b[$1] = $2; next } { print $2 - b[$1], $1 }' "$1" "$2" |
		sort -rn | awk '$1 != 0 && $2 !~ /^kB:/ { printf " %s%+d", $2, $1; if (++n == 5) exit }'
	awk 'NR == FNR { b[$1] = $2; next } $1 ~ /^kB:/ { printf " %s%+dkB", substr($1, 4), $2 - b[$1] }' "$1" "$2"
}

bdf() { # 0000:00:04.0 -> 00:20
	b=${1#*:}; b=${b%%:*}; s=${1##*:}; f=${s#*.}; s=${s%.*}
	printf '%s:%02x' "$b" $(( (0x$s << 3) | f ))
}

edu=$(edu find 1234:11e8)
rng=$(edu find 1af4:1005)
[ -e "/sys/bus/pci/devices/$rng/driver" ] &&
	echo "$rng" >"/sys/bus/pci/devices/$rng/driver/unbind"
if [ -r /proc/slabinfo ] && [ -d /sys/kernel/slab ]; then
	snapshot /tmp/slab.before
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
# Buffers rotated every 10 ms: about 100 allocations per CPU and second.
tick=$(cat /sys/module/adprof/parameters/prof_tick_ms)
echo 10 >/sys/module/adprof/parameters/prof_tick_ms
check "record with 16-sample buffers and a 10 ms tick" \
	adprofctl record -F 1000 --buf-samples 16 --max-bufs 4 -d 3 -o /tmp/leak.rec
diag "$OUT"
echo "$tick" >/sys/module/adprof/parameters/prof_tick_ms
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
if [ -f /tmp/slab.before ]; then
	t0=$(date +%s)
	snapshot /tmp/slab.after
	echo "# a snapshot takes $(( $(date +%s) - t0 ))s"
	leaks /tmp/slab.before /tmp/slab.after >/tmp/leaks
	exact=$(awk '$4 == 1 { n++ } END { print n + 0 }' /tmp/slab.after)
	if [ ! -s /tmp/leaks ] && [ "$(wc -l </tmp/slab.after)" -gt 20 ]; then
		pass "no leak: slab caches within $tol objects ($exact counted exactly), vmalloc within 1 MiB"
	else
		fail "slab or vmalloc grew beyond tolerance ($exact caches counted exactly)"
		diag /tmp/leaks
	fi
	echo "# slab growth, insmod to rmmod:$(growth /tmp/slab.before /tmp/slab.after)"
	echo "# not counted (per open file):$perfile"
fi
check "no adprof vector left in /proc/interrupts" sh -c '! grep -q adprof /proc/interrupts'
check "edu handed back: no driver bound" test ! -e "/sys/bus/pci/devices/$edu/driver"
