# SPDX-License-Identifier: GPL-2.0
# Sourced by every guest test: TAP helpers. Each check prints one line,
# "ok - TEST: what" or "not ok - TEST: what", and on failure the output
# of the command as "# " comments.

T=${ADPROF_TEST:-test}
OUT=/tmp/out.$$

pass() { echo "ok - $T: $*"; }
fail() { echo "not ok - $T: $*"; }
diag() { sed 's/^/# /' "$@"; }

# check DESC CMD...: CMD must succeed.
check() {
	d=$1; shift
	if "$@" >"$OUT" 2>&1; then pass "$d"; else fail "$d (exit $?)"; diag "$OUT"; fi
}

# A kernel refusal with its extended ack message, as the two clients
# print it: adprofctl "adprofctl: WHO: MESSAGE (STRERROR)", nlraw
# 'extack="MESSAGE"'. Without a message adprofctl prints only
# "adprofctl: WHO: STRERROR", which does not match.
KMSG='^adprofctl: [^:]+: [^ (].* \([^()]+\)$|extack="[^"]+"'

# refuse DESC WANT CMD...: the kernel refuses CMD: it must exit non-zero,
# print WANT (a grep -E pattern, e.g. an errno text) and a non-empty
# kernel message (KMSG).
refuse() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1; then
		fail "$d (succeeded)"; diag "$OUT"
	elif ! grep -Eq -- "$want" "$OUT"; then
		fail "$d (wanted /$want/)"; diag "$OUT"
	elif ! grep -Eq -- "$KMSG" "$OUT"; then
		fail "$d (no kernel message)"; diag "$OUT"
	else
		pass "$d"
	fi
}

# fails DESC WANT CMD...: CMD must exit non-zero and print WANT. For
# refusals that carry no kernel message: sysfs writes, group joins, the
# clients' own checks.
fails() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1; then
		fail "$d (succeeded)"; diag "$OUT"
	elif grep -Eq -- "$want" "$OUT"; then
		pass "$d"
	else
		fail "$d (wanted /$want/)"; diag "$OUT"
	fi
}

# expect DESC WANT CMD...: CMD must succeed and print WANT.
expect() {
	d=$1 want=$2; shift 2
	if "$@" >"$OUT" 2>&1 && grep -Eq -- "$want" "$OUT"; then
		pass "$d"
	else
		fail "$d (wanted /$want/)"; diag "$OUT"
	fi
}

load() { insmod /adprof.ko "$@"; }

# The kernel log from a mark on. Tests never clear the ring (dmesg -c):
# the host scans the whole of it after the last test (tests/vm/run.sh),
# and a clear would hide every warning logged before it.
klog_mark() { KLOG_MARK=$(dmesg | wc -l); }
klog_since() { dmesg | tail -n +$((KLOG_MARK + 1)); }
# klog_has PATTERN: a line since the mark matches the grep -E PATTERN.
klog_has() { klog_since | grep -qE "$1"; }
unload() { rmmod adprof; }

# iommu_kind: the IOMMU this guest has (intel, amd, none or other).
# machine_iommu: the one tests/vm/run.sh gave its machine (adprof.iommu=,
# empty where it did not say), so that a test that adapts to the IOMMU it
# finds cannot quietly test "none" where a driver failed to start.
iommu_kind() {
	case $(ls /sys/class/iommu 2>/dev/null | head -1) in
	dmar*) echo intel ;;
	ivhd*) echo amd ;;
	"") echo none ;;
	*) echo other ;;
	esac
}
machine_iommu() { sed -n 's/.*adprof\.iommu=\([a-z]*\).*/\1/p' /proc/cmdline; }

# small_rcvbuf NAME DIR ARGS...: adprofctl record ARGS (a session with
# spin running) into DIR/NAME.data with a 1 KiB socket (ADPROFCTL_RCVBUF;
# the kernel makes it 4.5 KiB), the socket certain to overflow and the
# last messages certain to be lost in it: record is held with SIGSTOP
# for 4 s, long enough to fill it however small the messages (summary
# mode's are a few hundred bytes), and the session is stopped meanwhile
# by another adprofctl, so its flush, and the LOST that would report
# what the socket dropped, go nowhere; then record goes on and is ended
# by SIGINT (its own PROF_STOP finds the session stopped, and answers
# the statistics). The totals must still be exact: record's samples +
# comm records + lost = sample + dropbuf_sample + overflow of the
# statistics after the stop (every record taken or not, adprof.rst),
# what the socket dropped said on a line of its own, and report's lost
# the same as record's.
small_rcvbuf() {
	n=$1 dir=$2
	shift 2
	spin -t "$(nproc)" 60 >/dev/null &
	sp=$!
	ADPROFCTL_RCVBUF=1024 adprofctl record -d 60 -o "$dir/$n.data" "$@" >"$dir/$n.out" 2>&1 &
	rp=$!
	sleep 1
	kill -STOP $rp
	sleep 4
	adprofctl stop
	kill -CONT $rp
	kill -INT $rp
	wait $rp
	rc=$?
	kill $sp
	wait $sp 2>/dev/null
	adprofctl stat >"$dir/$n.stat"
	diag "$dir/$n.out"
	sv() { awk -v k="$1" '$1 == k { print $2; exit }' "$dir/$n.stat"; }
	line=$(grep 'messages written to' "$dir/$n.out")
	s=$(echo "$line" | sed -n 's/.*record: \([0-9]*\) samples, \([0-9]*\) comm records.*lost \([0-9]*\), .*overruns \([0-9]*\);.*/\1 \2 \3 \4/p')
	set -- $s
	want=$(( $(sv sample) + $(sv dropbuf_sample) + $(sv overflow) ))
	check "$n: record with a 1 KiB socket succeeded" test "$rc" = 0
	check "$n: the socket overflowed (${4:-?} overruns)" test "${4:-0}" -gt 0
	check "$n: what it dropped is said" \
		grep -Eq "record: [1-9][0-9]* records in messages the socket dropped \(${4:-x} overruns\): counted lost" "$dir/$n.out"
	check "$n: samples ${1:-?} + comm ${2:-?} + lost ${3:-?} = sample + dropbuf_sample + overflow $want" \
		test "$(( ${1:-0} + ${2:-0} + ${3:-0} ))" = "$want"
	expect "$n: report's lost is record's (${3:-?})" ", lost ${3:-x}, " adprofctl report "$dir/$n.data"
}
