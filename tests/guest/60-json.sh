#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every query's -j output parses as JSON and has the fields
# Documentation/adprof.rst calls stable; report's folded output is what
# flamegraph.pl reads. Needs python3 (the host's /usr).
. /tests/lib.sh

J=/tmp/json.$$
mkdir -p $J
EDU=$(edu find 1234:11e8)

# json FILE KEYS...: FILE is one JSON value; every object in it (the value,
# or each element of an array) has KEYS.
json() {
	python3 - "$@" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
objs = v if isinstance(v, list) else [v]
for o in objs:
    miss = [k for k in sys.argv[2:] if k not in o]
    if miss:
        sys.exit(f'missing {miss} in {o}')
print(json.dumps(v)[:300])
EOF
}
# jsonl FILE KEYS...: JSON lines; each line an object, the events with
# KEYS, the last one the summary.
jsonl() {
	python3 - "$@" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objs = [json.loads(l) for l in lines]
if not objs:
    sys.exit('no line')
for o in objs[:-1]:
    miss = [k for k in sys.argv[2:] if k not in o]
    if miss:
        sys.exit(f'missing {miss} in {o}')
s = objs[-1]
for k in ('events', 'interrupts', 'overruns', 'latency'):
    if k not in s:
        sys.exit(f'summary without {k}: {s}')
if s['events'] != len(objs) - 1:
    sys.exit(f'summary says {s["events"]} events, {len(objs) - 1} lines')
print(len(objs) - 1, 'events;', lines[-1][:200])
EOF
}
# folded FILE: FlameGraph's folded format, "frame;frame... count" per
# line with a positive integer count; prints the sum of the counts.
folded() {
	python3 - "$@" <<'EOF'
import re, sys
total = n = 0
for l in open(sys.argv[1]).read().splitlines():
    m = re.fullmatch(r'(\S(?:.*\S)?) ([1-9][0-9]*)', l)
    if not m:
        sys.exit(f'not "stack count": {l!r}')
    frames = m.group(1).split(';')
    if len(frames) < 2 or any(not f or f != f.strip() for f in frames):
        sys.exit(f'bad frames: {l!r}')
    total += int(m.group(2))
    n += 1
if not n:
    sys.exit('no line')
print(total)
EOF
}

check "insmod" load

# ---- info, stat, list: one JSON document each ------------------------------
adprofctl -j info >$J/info 2>&1
check "info -j: JSON with version, running, backends" json $J/info version running backends
check "info -j: backends have name and available" \
	python3 -c 'import json,sys; b = json.load(open(sys.argv[1]))["backends"]; sys.exit(not b or any(set(x) != {"name", "available"} for x in b))' $J/info
adprofctl -j stat >$J/stat 2>&1
check "stat -j: JSON with every counter" json $J/stat sample overflow buf emptybuf dropbuf \
	dropbuf_sample stream_msgs stream_samples stream_errors stream_error_samples \
	onlist_buf onlist_sample summary_sample summary_record summary_evict \
	summary_miss summary_drop
adprofctl -j list >$J/list0 2>&1
expect "list -j with nothing assigned: []" '^\[\]$' cat $J/list0

check "assign edu as 1" adprofctl assign 1 "$EDU"
check "host MSI to guest MSI 42" adprofctl irq 1 host=msi guest=msi --guest-irq 42
check "raise 3 MSIs" edu raise "$EDU" 3 -p adprof:1:0
adprofctl -j list >$J/list 2>&1
check "list -j: array of devices with the documented fields" json $J/list id address vendor \
	device irq_flags host_irq_type guest_irq_type guest_irq vectors dev_flags
adprofctl -j list 1 >$J/list1 2>&1
check "list -j ID: array of one device, vectors with index and count" python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
assert len(v) == 1 and v[0]["id"] == 1 and v[0]["host_irq_type"] == "msi", v
assert all({"index", "count"} <= set(x) for x in v[0]["vectors"]), v' $J/list1

# ---- watch-irq: JSON lines --------------------------------------------------
adprofctl -j watch-irq -c 5 -t 120 --latency >$J/watch 2>&1 &
wi=$!
i=0
while kill -0 $wi 2>/dev/null && [ $i -lt 100 ]; do
	edu raise "$EDU" 5 -p adprof:1:0 >/dev/null || break
	i=$((i + 1))
done
check "watch-irq -j -c 5 --latency exits 0" wait $wi
check "watch-irq -j: JSON lines, events then summary" jsonl $J/watch dev_id vector guest_irq \
	count timestamp_ns latency_ns
check "deassign 1" adprofctl deassign 1

# ---- info while running, record, report ------------------------------------
check "start --detach" adprofctl start -F 500 --detach
adprofctl -j info >$J/info2 2>&1
check "info -j while running: backend and owner" json $J/info2 version running backend owner
check "stop" adprofctl stop

spin -t 1 3 >/dev/null &
sp=$!
check "record 2 s" adprofctl record -F 1000 -d 2 -o $J/rec.data
wait $sp
adprofctl report --format json $J/rec.data >$J/report 2>&1
check "report --format json: JSON with the documented fields" json $J/report file samples \
	duration_ms messages lost gaps overruns complete user kernel processes functions
adprofctl -j report $J/rec.data >$J/report2 2>&1
check "-j report is report --format json" cmp $J/report $J/report2
check "report json: processes and functions have their fields" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["processes"] and r["functions"], r
assert all({"pid", "comm", "samples"} <= set(p) for p in r["processes"])
assert all({"comm", "function", "object", "kernel", "samples"} <= set(f) for f in r["functions"])
assert r["user"] + r["kernel"] == r["samples"], r' $J/report

adprofctl report --format folded $J/rec.data >$J/folded 2>&1
check "report --format folded: FlameGraph's folded format" folded $J/folded
total=$(folded $J/folded 2>/dev/null)
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["samples"])' $J/report 2>/dev/null)
check "folded counts add up to the report's samples ($total = $want)" \
	test -n "$total" -a "$total" = "$want"
check "report json: no stacks member without call stacks" python3 -c '
import json, sys
assert "stacks" not in json.load(open(sys.argv[1]))' $J/report

# With call stacks: the stacks member, and folded whole stacks adding up.
check "record -g 2 s" adprofctl record -g --depth 16 -F 1000 -o $J/st.data -- stackprog chain 2
adprofctl -j report $J/st.data >$J/streport 2>&1
check "report json with stacks: the stacks member has its fields" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
st = r["stacks"]
assert set(st) == {"depth", "samples", "distinct", "truncated", "user_bad", "top"}, st
assert st["depth"] == 16, st
assert 0 < st["distinct"] <= st["samples"] == r["samples"], (st, r["samples"])
assert st["truncated"] <= st["samples"] and st["user_bad"] <= st["samples"], st
top = st["top"]
assert 0 < len(top) <= 10 and all(set(t) == {"comm", "samples", "frames"} for t in top), top
assert all(set(f) == {"function", "object", "kernel"} for t in top for f in t["frames"]), top
assert [t["samples"] for t in top] == sorted((t["samples"] for t in top), reverse=True), top
assert sum(t["samples"] for t in top) <= r["samples"], top
fs = r["functions"]
assert all({"self", "total"} <= set(f) and f["samples"] == f["self"] <= f["total"] <= r["samples"]
           for f in fs), fs
assert [f["total"] for f in fs] == sorted((f["total"] for f in fs), reverse=True), fs
print(top[0]["samples"], "/".join(f["function"] for f in top[0]["frames"]))' $J/streport
# The top stack's leaf: its self is at least that stack's samples.
check "report json: the top stack's leaf has at least its samples as self" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
t = r["stacks"]["top"][0]
leaf = t["frames"][-1]
self = sum(f["self"] for f in r["functions"] if f["function"] == leaf["function"]
           and f["object"] == leaf["object"] and f["comm"] == t["comm"])
assert self >= t["samples"] or len(r["functions"]) == 10, (t, r["functions"])' $J/streport
adprofctl -j report --callers level2 --callees level1 $J/st.data >$J/callers 2>&1
check "report json --callers/--callees: members with their fields" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
for k, fn in (("callers", "level2"), ("callees", "level1")):
    c = r[k]
    assert set(c) == {"function", "samples", "entries"} and c["function"] == fn, c
    assert all(set(e) == {"comm", "function", "object", "kernel", "samples"} for e in c["entries"]), c
    assert 0 < c["samples"] <= r["samples"], c
assert r["callers"]["entries"][0]["function"] == "level1", r["callers"]
assert r["callees"]["entries"][0]["function"] == "level2", r["callees"]' $J/callers
adprofctl report --format folded $J/st.data >$J/stfolded 2>&1
check "report --format folded with stacks: FlameGraph's folded format" folded $J/stfolded
total=$(folded $J/stfolded 2>/dev/null)
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["samples"])' $J/streport 2>/dev/null)
check "folded stacks add up to the report's samples ($total = $want)" \
	test -n "$total" -a "$total" = "$want"
expect "report text with stacks: the call stacks line" \
	'^call stacks \(depth 16\): [1-9][0-9]* samples, [1-9][0-9]* distinct, [0-9]+ cut at the depth, [0-9]+ with the user walk given up$' \
	adprofctl report $J/st.data
if command -v flamegraph.pl >/dev/null 2>&1; then
	check "flamegraph.pl draws the folded output" sh -c "flamegraph.pl $J/folded >$J/fg.svg && grep -q '<svg' $J/fg.svg"
fi

check "rmmod" unload
rm -rf $J
