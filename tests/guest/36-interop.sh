#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Recordings in other tools' formats, read by the real tools (issue 13):
# report --format perf-data through Debian's perf report and perf script,
# --format pprof through go tool pprof (golang-go), both from the host's
# /usr. One recording with call stacks of two processes, user and kernel
# (stackprog's chain and its read(2) loop): the tools must show the same
# top processes and functions, with the same shares, as adprofctl report.
. /tests/lib.sh

P=/tmp/interop
mkdir -p $P
export HOME=/tmp	# perf and go look there for their configuration

check "insmod" load

stackprog read 4 >/dev/null 2>&1 &
rd=$!
adprofctl record -g -F 1000 -o $P/rec.data -- stackprog chain 3 >$P/rec.log 2>&1
wait $rd
diag $P/rec.log
adprofctl report --no-children -n 8 $P/rec.data >$P/report.txt 2>&1
diag $P/report.txt
adprofctl -j report --no-children -n 100000 $P/rec.data >$P/report.json

# ---- perf.data -----------------------------------------------------------------
check "report --format perf-data -o FILE" \
	adprofctl report --format perf-data -o $P/perf.data $P/rec.data
check "perf report reads it" sh -c "perf report -i $P/perf.data --stdio --no-children \
	--sort comm,sym -g none >$P/perf.sym 2>$P/perf.err"
diag $P/perf.err
sed -n '/^#/d; /^$/d; 1,8p' $P/perf.sym | diag
perf report -i $P/perf.data --stdio --no-children --sort comm -g none >$P/perf.comm 2>/dev/null
# The top functions of adprofctl report, each with perf's share: same
# (process, function) rows, percentages within rounding (0.02%). Rows
# adprof could not name ("[unknown]": vdso, no symbol) are left out:
# perf names those its own way.
check "perf report: adprof's top 5 functions with the same shares" python3 -c '
import json, re, subprocess, sys
r = json.load(open(sys.argv[1]))
total = r["samples"]
perf = {}
for l in open(sys.argv[2]):
    m = re.match(r"\s+([0-9.]+)%\s+(\S+)\s+\[[.k]\]\s+(\S+)", l)
    if m:
        perf[(m.group(2), m.group(3))] = float(m.group(1))
named = [f for f in r["functions"] if not f["function"].startswith("[")]
# Two names of one address (__read and __libc_read) are one function:
# perf and adprof may pick either.
def aliases(obj, name):
    try:
        if obj.startswith("["):
            lines = open("/proc/kallsyms").read().splitlines()
        else:
            lines = subprocess.run(["nm", obj], capture_output=True, text=True).stdout.splitlines()
    except OSError:
        return {name}
    syms = [l.split() for l in lines]
    addrs = {x[0] for x in syms if len(x) >= 3 and x[2] == name}
    return {x[2] for x in syms if len(x) >= 3 and x[0] in addrs} | {name}
for f in named[:5]:
    ours = 100.0 * f["samples"] / total
    theirs = perf.get((f["comm"], f["function"]))
    if theirs is None:
        for a in aliases(f["object"], f["function"]):
            theirs = perf.get((f["comm"], a), theirs)
    print("# %-10s %-28s adprof %6.2f%%  perf %s" % (f["comm"], f["function"], ours,
          "-" if theirs is None else "%6.2f%%" % theirs))
    assert theirs is not None and abs(theirs - ours) <= 0.02, (f, theirs)
' $P/report.json $P/perf.sym
check "perf report: the same processes with the same shares" python3 -c '
import json, re, sys
r = json.load(open(sys.argv[1]))
perf = {}
for l in open(sys.argv[2]):
    m = re.match(r"\s+([0-9.]+)%\s+(\S+)\s*$", l)
    if m:
        perf[m.group(2)] = float(m.group(1))
ours = {}
for p in r["processes"]:
    ours[p["comm"]] = ours.get(p["comm"], 0) + 100.0 * p["samples"] / r["samples"]
for c, v in sorted(ours.items(), key=lambda x: -x[1])[:3]:
    print("# %-16s adprof %6.2f%%  perf %s" % (c, v, perf.get(c)))
    assert c in perf and abs(perf[c] - v) <= 0.02, (c, v, perf.get(c))
' $P/report.json $P/perf.comm
# perf script: every sample, with its stack when recorded.
perf script -i $P/perf.data >$P/perf.script 2>/dev/null
n=$(grep -c '^stackprog ' $P/perf.script)
samples=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["samples"])' $P/report.json)
check "perf script: one event per sample ($(grep -c 'cpu-clock' $P/perf.script) of $samples)" \
	test "$(grep -c 'cpu-clock' $P/perf.script)" = "$samples"
# main -> level1 -> level2 -> leaf, leaf first as perf prints it
chain=$(awk '/^stackprog /{ s = "" } /^\t/{ s = s " " $2 } /^$/{ if (s ~ /^ leaf\+[^ ]* level2\+[^ ]* level1\+[^ ]* main\+/) n++ } END { print n + 0 }' $P/perf.script)
echo "# perf script: $chain of $n stackprog samples with leaf, level2, level1, main"
check "perf script: the stacks are there (leaf level2 level1 main: $chain)" test "$chain" -gt 100
check "perf script: kernel stacks down from the syscall entry" \
	grep -q 'entry_SYSCALL_64.*(\[kernel.kallsyms\])' $P/perf.script
awk '/^stackprog /{ p = 1 } p { print } /^$/{ if (p) exit }' $P/perf.script | diag

# ---- pprof ---------------------------------------------------------------------
check "report --format pprof -o FILE" \
	adprofctl report --format pprof -o $P/prof.pb.gz $P/rec.data
check "it is gzip" sh -c "gzip -t <$P/prof.pb.gz"
check "go tool pprof -top reads it" sh -c "go tool pprof -top -nodefraction=0 \
	-sample_index=samples $P/prof.pb.gz >$P/pprof.top 2>$P/pprof.err"
diag $P/pprof.err
sed -n 1,12p $P/pprof.top | diag
# pprof names functions across processes: adprof's counts summed by name.
check "go tool pprof: adprof's top 5 functions with the same counts" python3 -c '
import json, re, sys
r = json.load(open(sys.argv[1]))
ours = {}
for f in r["functions"]:
    if not f["function"].startswith("["):
        ours[f["function"]] = ours.get(f["function"], 0) + f["samples"]
theirs = {}
for l in open(sys.argv[2]):
    m = re.match(r"\s+(\d+)\s+[0-9.]+%\s+[0-9.]+%\s+\d+\s+[0-9.]+%\s+(\S.*)$", l)
    if m:
        theirs[m.group(2)] = theirs.get(m.group(2), 0) + int(m.group(1))
for name, n in sorted(ours.items(), key=lambda x: -x[1])[:5]:
    print("# %-28s adprof %6d  pprof %s" % (name, n, theirs.get(name)))
    assert theirs.get(name) == n, (name, n, theirs.get(name))
' $P/report.json $P/pprof.top
go tool pprof -traces $P/prof.pb.gz >$P/pprof.traces 2>/dev/null
check "go tool pprof -traces: main level1 level2 leaf stacks, labelled" \
	awk '/comm:.*stackprog/ { c = 1 } /^-----/ { s = ""; c = 0 } { s = s " " $NF }
	     s ~ / leaf level2 level1 main$/ && c { ok = 1 } END { exit !ok }' $P/pprof.traces

# ---- refused --------------------------------------------------------------------
fails "perf-data without -o: usage" '-o FILE' adprofctl report --format perf-data $P/rec.data
head -c 1000 $P/rec.data >$P/cut.data
fails "a cut recording: no perf.data written" 'truncated' \
	adprofctl report --format perf-data -o $P/cut.perf $P/cut.data
check "... and no file left" test ! -e $P/cut.perf

# The three views of one recording, for the record (tests/vm/run.sh saves
# them in its results directory).
{
	echo "## adprofctl report --no-children"
	cat $P/report.txt
	echo "## perf report -i perf.data --stdio --no-children --sort comm,sym -g none"
	grep -v '^$' $P/perf.sym | head -30
	echo "## perf report -i perf.data --stdio (children, call graphs; head)"
	perf report -i $P/perf.data --stdio 2>/dev/null | head -60
	echo "## go tool pprof -top -sample_index=samples prof.pb.gz"
	head -25 $P/pprof.top
} >$P/views.txt
echo "# FILE-BEGIN interop-views.txt"
sed 's/^/# /; s/ *$//' $P/views.txt
echo "# FILE-END"

check "rmmod" unload
