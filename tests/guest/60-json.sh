#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every query's -j output parses as JSON and has the fields
# Documentation/adprof.rst calls stable; report's folded output is what
# flamegraph.pl reads. Needs python3 (the host's /usr).
#
# The commands run as the test goes; what their output must hold is
# queued (pycheck) and checked at the end by one python3, whose start
# costs seconds under TCG: one line each, as check would print it.
. /tests/lib.sh

J=/tmp/json.$$
mkdir -p $J
: >$J/checks
EDU=$(edu find 1234:11e8)

# pycheck DESC FUNC FILE...: queue FUNC (below) on FILEs. A FUNC raises
# (assert, KeyError, a JSON error) to fail.
pycheck() {
	d=$1; shift
	printf '%s\t%s\n' "$d" "$*" >>$J/checks
}

pycheck_run() {
	python3 - $J/checks >$J/py.out 2>&1 <<'EOF'
import json, re, sys

def load(f):
    return json.load(open(f))

# FILE is one JSON value; every object in it (the value, or each element
# of an array) has KEYS.
def fields(f, *keys):
    v = load(f)
    for o in v if isinstance(v, list) else [v]:
        miss = [k for k in keys if k not in o]
        assert not miss, f'missing {miss} in {o}'
    return json.dumps(v)[:300]

# JSON lines; each line an object, the events with KEYS, the last one the
# summary.
def lines(f, *keys):
    ls = open(f).read().splitlines()
    objs = [json.loads(l) for l in ls]
    assert objs, 'no line'
    for o in objs[:-1]:
        miss = [k for k in keys if k not in o]
        assert not miss, f'missing {miss} in {o}'
    s = objs[-1]
    for k in ('events', 'interrupts', 'overruns', 'latency'):
        assert k in s, f'summary without {k}: {s}'
    assert s['events'] == len(objs) - 1, f'summary says {s["events"]} events, {len(objs) - 1} lines'
    return f'{len(objs) - 1} events; {ls[-1][:200]}'

# FlameGraph's folded format, "frame;frame... count" per line with a
# positive integer count. Return: the sum of the counts.
def folded_total(f):
    total = n = 0
    for l in open(f).read().splitlines():
        m = re.fullmatch(r'(\S(?:.*\S)?) ([1-9][0-9]*)', l)
        assert m, f'not "stack count": {l!r}'
        frames = m.group(1).split(';')
        assert len(frames) >= 2 and all(x and x == x.strip() for x in frames), f'bad frames: {l!r}'
        total += int(m.group(2))
        n += 1
    assert n, 'no line'
    return total

def folded(f):
    return folded_total(f)

def folded_adds_up(f, report):
    total, want = folded_total(f), load(report)['samples']
    assert total == want, f'folded {total}, report {want}'
    return f'{total} = {want}'

def backends(f):
    b = load(f)['backends']
    assert b and all(set(x) == {'name', 'available'} for x in b), b

def list_one(f):
    v = load(f)
    assert len(v) == 1 and v[0]['id'] == 1 and v[0]['host_irq_type'] == 'msi', v
    assert all({'index', 'count'} <= set(x) for x in v[0]['vectors']), v

def report_lists(f):
    r = load(f)
    assert r['processes'] and r['functions'], r
    assert all({'pid', 'comm', 'samples'} <= set(p) for p in r['processes'])
    assert all({'comm', 'function', 'object', 'kernel', 'samples'} <= set(x) for x in r['functions'])
    assert r['user'] + r['kernel'] == r['samples'], r

def no_stacks(f):
    assert 'stacks' not in load(f)

def stacks(f):
    r = load(f)
    st = r['stacks']
    assert set(st) == {'depth', 'samples', 'distinct', 'truncated', 'user_bad', 'top'}, st
    assert st['depth'] == 16, st
    assert 0 < st['distinct'] <= st['samples'] == r['samples'], (st, r['samples'])
    assert st['truncated'] <= st['samples'] and st['user_bad'] <= st['samples'], st
    top = st['top']
    assert 0 < len(top) <= 10 and all(set(t) == {'comm', 'samples', 'frames'} for t in top), top
    assert all(set(x) == {'function', 'object', 'kernel'} for t in top for x in t['frames']), top
    assert [t['samples'] for t in top] == sorted((t['samples'] for t in top), reverse=True), top
    assert sum(t['samples'] for t in top) <= r['samples'], top
    fs = r['functions']
    assert all({'self', 'total'} <= set(x) and x['samples'] == x['self'] <= x['total'] <= r['samples']
               for x in fs), fs
    assert [x['total'] for x in fs] == sorted((x['total'] for x in fs), reverse=True), fs
    return f'{top[0]["samples"]} ' + '/'.join(x['function'] for x in top[0]['frames'])

# The top stack's leaf: its self is at least that stack's samples.
def top_leaf(f):
    r = load(f)
    t = r['stacks']['top'][0]
    leaf = t['frames'][-1]
    own = sum(x['self'] for x in r['functions'] if x['function'] == leaf['function']
              and x['object'] == leaf['object'] and x['comm'] == t['comm'])
    assert own >= t['samples'] or len(r['functions']) == 10, (t, r['functions'])

def callers(f):
    r = load(f)
    for k, fn in (('callers', 'level2'), ('callees', 'level1')):
        c = r[k]
        assert set(c) == {'function', 'samples', 'entries'} and c['function'] == fn, c
        assert all(set(e) == {'comm', 'function', 'object', 'kernel', 'samples'} for e in c['entries']), c
        assert 0 < c['samples'] <= r['samples'], c
    assert r['callers']['entries'][0]['function'] == 'level1', r['callers']
    assert r['callees']['entries'][0]['function'] == 'level2', r['callees']

n = 0
for line in open(sys.argv[1]).read().splitlines():
    desc, call = line.split('\t')
    fn, *args = call.split()
    try:
        out = globals()[fn](*args)
        print(f'ok\t{desc}')
        if out is not None:
            print(f'# {out}')
    except Exception as e:
        print(f'fail\t{desc}\t{type(e).__name__}: {str(e)[:600]}')
    n += 1
print(f'done {n}')
EOF
	while IFS='	' read -r st d why; do
		case $st in
		ok) pass "$d" ;;
		fail) fail "$d"; echo "# $why" ;;
		*) echo "# $st" ;;
		esac
	done <$J/py.out
	n=$(wc -l <$J/checks)
	check "python3 ran all $n JSON checks" grep -qx "done $n" $J/py.out
}

check "insmod" load

# ---- info, stat, list: one JSON document each ------------------------------
adprofctl -j info >$J/info 2>&1
pycheck "info -j: JSON with version, running, backends" fields $J/info version running backends
pycheck "info -j: backends have name and available" backends $J/info
adprofctl -j stat >$J/stat 2>&1
pycheck "stat -j: JSON with every counter" fields $J/stat sample overflow buf emptybuf dropbuf \
	dropbuf_sample stream_msgs stream_samples stream_errors stream_error_samples \
	onlist_buf onlist_sample summary_sample summary_record summary_evict \
	summary_miss summary_drop
adprofctl -j list >$J/list0 2>&1
expect "list -j with nothing assigned: []" '^\[\]$' cat $J/list0

check "assign edu as 1" adprofctl assign 1 "$EDU"
check "host MSI to guest MSI 42" adprofctl irq 1 host=msi guest=msi --guest-irq 42
check "raise 3 MSIs" edu raise "$EDU" 3 -p adprof:1:0
adprofctl -j list >$J/list 2>&1
pycheck "list -j: array of devices with the documented fields" fields $J/list id address vendor \
	device irq_flags host_irq_type guest_irq_type guest_irq vectors dev_flags
adprofctl -j list 1 >$J/list1 2>&1
pycheck "list -j ID: array of one device, vectors with index and count" list_one $J/list1

# ---- watch-irq: JSON lines --------------------------------------------------
adprofctl -j watch-irq -c 5 -t 120 --latency >$J/watch 2>&1 &
wi=$!
i=0
while kill -0 $wi 2>/dev/null && [ $i -lt 100 ]; do
	edu raise "$EDU" 5 -p adprof:1:0 >/dev/null || break
	i=$((i + 1))
done
check "watch-irq -j -c 5 --latency exits 0" wait $wi
pycheck "watch-irq -j: JSON lines, events then summary" lines $J/watch dev_id vector guest_irq \
	count timestamp_ns latency_ns
check "deassign 1" adprofctl deassign 1

# ---- info while running, record, report ------------------------------------
check "start --detach" adprofctl start -F 500 --detach
adprofctl -j info >$J/info2 2>&1
pycheck "info -j while running: backend and owner" fields $J/info2 version running backend owner
check "stop" adprofctl stop

spin -t 1 3 >/dev/null &
sp=$!
check "record 2 s" adprofctl record -F 1000 -d 2 -o $J/rec.data
wait $sp
adprofctl report --format json $J/rec.data >$J/report 2>&1
pycheck "report --format json: JSON with the documented fields" fields $J/report file samples \
	duration_ms messages lost gaps overruns complete user kernel processes functions
adprofctl -j report $J/rec.data >$J/report2 2>&1
check "-j report is report --format json" cmp $J/report $J/report2
pycheck "report json: processes and functions have their fields" report_lists $J/report

adprofctl report --format folded $J/rec.data >$J/folded 2>&1
pycheck "report --format folded: FlameGraph's folded format" folded $J/folded
pycheck "folded counts add up to the report's samples" folded_adds_up $J/folded $J/report
pycheck "report json: no stacks member without call stacks" no_stacks $J/report

# With call stacks: the stacks member, and folded whole stacks adding up.
check "record -g 2 s" adprofctl record -g --depth 16 -F 1000 -o $J/st.data -- stackprog chain 2
adprofctl -j report $J/st.data >$J/streport 2>&1
pycheck "report json with stacks: the stacks member has its fields" stacks $J/streport
pycheck "report json: the top stack's leaf has at least its samples as self" top_leaf $J/streport
adprofctl -j report --callers level2 --callees level1 $J/st.data >$J/callers 2>&1
pycheck "report json --callers/--callees: members with their fields" callers $J/callers
adprofctl report --format folded $J/st.data >$J/stfolded 2>&1
pycheck "report --format folded with stacks: FlameGraph's folded format" folded $J/stfolded
pycheck "folded stacks add up to the report's samples" folded_adds_up $J/stfolded $J/streport
expect "report text with stacks: the call stacks line" \
	'^call stacks \(depth 16\): [1-9][0-9]* samples, [1-9][0-9]* distinct, [0-9]+ cut at the depth, [0-9]+ with the user walk given up$' \
	adprofctl report $J/st.data
if command -v flamegraph.pl >/dev/null 2>&1; then
	check "flamegraph.pl draws the folded output" sh -c "flamegraph.pl $J/folded >$J/fg.svg && grep -q '<svg' $J/fg.svg"
fi

check "rmmod" unload
pycheck_run
rm -rf $J
