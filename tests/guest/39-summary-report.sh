#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Summary mode's recordings: adprofctl record --summary writes count
# records, and report reads them in every format (text, folded, JSON,
# perf.data weighted by period for Debian's perf, pprof for go tool
# pprof), with the same totals as the recording; a summary recording
# costs at most a tenth of a raw one's bytes per sample. The kernel side
# of summary mode is 37-summary's; this one is mostly userspace, so the
# debug kernel's run leaves it out (scripts/check.sh).
. /tests/lib.sh

NCPU=$(nproc)

P=/tmp/sumrep
mkdir -p $P

check "insmod" load

# ---- record and report: every format reads counts -----------------------------
spin -t $NCPU 120 >/dev/null &
spin_pid=$!
sleep 1
adprofctl record -F 1000 -d 4 -o $P/raw.data >$P/raw.rec 2>&1
adprofctl record --summary -F 1000 -d 4 -o $P/sum.data >$P/sum.rec 2>&1
kill $spin_pid
wait $spin_pid
diag $P/sum.rec
adprofctl report $P/sum.data >$P/sum.txt 2>&1
diag $P/sum.txt
rsamp=$(sed -n 's/.*record: \([0-9]*\) samples.*/\1/p' $P/sum.rec)
check "record --summary: count records reported" grep -q ', [0-9]* count records$' $P/sum.rec
expect "report: the summary line" '^summary: [0-9]+ count records for [0-9]+ samples$' cat $P/sum.txt
check "report: samples = record's ($rsamp)" grep -q "^$P/sum.data: $rsamp samples" $P/sum.txt
top=$(awk '/^top processes:/ { getline; getline; print $4; exit }' $P/sum.txt)
check "report: top process is spin (got $top)" test "$top" = spin
for f in raw sum; do
	adprofctl report --format folded $P/$f.data >$P/$f.folded
	hot=$(grep '^spin;' $P/$f.folded | sort -k2 -n -r | head -1)
	check "report folded ($f): spin's top function is adprof_spin_hot ($hot)" \
		sh -c "echo '$hot' | grep -q '^spin;adprof_spin_hot [0-9]*$'"
done
fsum=$(awk '{ n += $NF } END { print n }' $P/sum.folded)
check "report folded: the counts add up to the samples ($fsum)" test "$fsum" = "$rsamp"
adprofctl report --format json --top 3 $P/sum.data >$P/sum.json
check "report json: samples, summary.records, spin first" python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["samples"] == int(sys.argv[2]), j["samples"]
assert j["summary"]["records"] > 0
assert j["processes"][0]["comm"] == "spin"
assert j["functions"][0]["samples"] <= j["samples"]
' $P/sum.json "$rsamp"
# The converters weigh count records too: perf by period, pprof by count.
if command -v perf >/dev/null 2>&1; then
	export HOME=/tmp
	check "report --format perf-data of a summary" \
		adprofctl report --format perf-data -o $P/sum.perf $P/sum.data
	perf report -i $P/sum.perf --stdio --no-children --sort comm -g none \
		>$P/sum.perfcomm 2>/dev/null
	pct=$(awk '$1 ~ /%$/ && $2 == "spin" { sub("%", "", $1); print $1; exit }' $P/sum.perfcomm)
	ours=$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print("%.2f" % (100.0 * j["processes"][0]["samples"] / j["samples"]))' $P/sum.json)
	check "perf report: spin's share by period is report's ($pct% vs $ours%)" \
		python3 -c 'import sys; sys.exit(abs(float(sys.argv[1] or -1) - float(sys.argv[2])) > 0.02)' "${pct:-}" "$ours"
else
	fail "perf not found in the guest (the host's /usr over 9p)"
fi
if command -v go >/dev/null 2>&1; then
	check "report --format pprof of a summary" \
		adprofctl report --format pprof -o $P/sum.pb.gz $P/sum.data
	go tool pprof -top -nodefraction=0 -sample_index=samples $P/sum.pb.gz \
		>$P/sum.pptop 2>/dev/null
	n=$(awk '$NF == "adprof_spin_hot" { print $1; exit }' $P/sum.pptop)
	want=$(grep '^spin;adprof_spin_hot ' $P/sum.folded | awk '{ print $2 }')
	check "go tool pprof: adprof_spin_hot has its counts' sum (${n:-none} vs $want)" \
		test "${n:-x}" = "$want"
else
	fail "go not found in the guest (the host's /usr over 9p)"
fi
rb=$(sed -n 's/.*; \([0-9]*\) bytes received.*/\1/p' $P/raw.rec)
sb=$(sed -n 's/.*; \([0-9]*\) bytes received.*/\1/p' $P/sum.rec)
rsr=$(sed -n 's/.*record: \([0-9]*\) samples.*/\1/p' $P/raw.rec)
check "record: summary bytes per sample at most 1/10 of raw's ($sb/$rsamp vs $rb/$rsr)" \
	test $((sb * rsr * 10)) -le $((rb * rsamp))

check "rmmod" unload
rm -rf $P
