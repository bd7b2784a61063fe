#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Linux 6.12's own YNL client drives adprof from
# Documentation/netlink/specs/adprof.yaml alone: if the spec and the kernel
# disagree on a command, an attribute, a type or a nest, these requests
# fail. tools/net/ynl/cli.py runs once (with the schema, so the guest's
# python validates the spec too); then, because python under TCG takes
# tens of seconds to start, one python process drives every other command
# through the same library (lib.YnlFamily, as cli.py does).
#
# Needs python3, python3-yaml and python3-jsonschema (the host's /usr), the
# spec (the runner copies it to /specs/adprof.yaml) and the YNL tree that
# tests/spec/fetch-ynl.sh extracts (copied to /ynl by the runner, or read
# from the host's cache through /host).
. /tests/lib.sh

export PYTHONDONTWRITEBYTECODE=1

spec=
for s in /specs/adprof.yaml /host/work/main/Documentation/netlink/specs/adprof.yaml; do
	[ -f "$s" ] && { spec=$s; break; }
done
ynl=
for d in /ynl /host${ADPROF_CACHE:-/var/cache/adprof}/linux-source-6.12-ynl \
	 /host/var/cache/adprof/linux-source-6.12-ynl; do
	[ -f "$d/tools/net/ynl/cli.py" ] && { ynl=$d; break; }
done
if [ -z "$spec" ] || [ -z "$ynl" ] || ! command -v python3 >/dev/null; then
	fail "YNL prerequisites (spec '${spec:-missing}', YNL tree '${ynl:-missing}', python3)"
	exit 0
fi
pass "YNL prerequisites: spec $spec, YNL tree $ynl"

check "insmod adprof.ko" load

expect "cli.py --spec adprof.yaml --do prof-get-info (schema-checked): version 1" \
	'"version": 1[,}]' \
	python3 "$ynl/tools/net/ynl/cli.py" --spec "$spec" \
	--schema "$ynl/Documentation/netlink/genetlink-legacy.yaml" \
	--output-json --do prof-get-info

python3 - "$ynl" "$spec" <<'EOF' 2>&1
import errno
import json
import os
import struct
import sys
import time

ynl_dir, spec = sys.argv[1], sys.argv[2]
T = os.environ.get('ADPROF_TEST', '15-ynl')
sys.path.insert(0, os.path.join(ynl_dir, 'tools/net/ynl'))
from lib import NlError, YnlFamily  # noqa: E402

UNKNOWN = 4242


def tap(ok, desc, detail=None):
    print(f"{'ok' if ok else 'not ok'} - {T}: {desc}")
    if not ok and detail is not None:
        for line in str(detail).splitlines():
            print('# ' + line)
    sys.stdout.flush()


def family():
    # The spec was validated by cli.py above: skip the slow schema here.
    return YnlFamily(spec, '')


def call(y, op, attrs=None, dump=False):
    """(reply, None) or (None, NlError)."""
    try:
        if dump:
            return y.dump(op, dict(attrs or {})), None
        return y.do(op, dict(attrs or {})), None
    except NlError as e:
        return None, e


def expect_reply(y, desc, op, attrs=None, dump=False, test=None):
    rsp, err = call(y, op, attrs, dump)
    try:
        ok = err is None and (test is None or bool(test(rsp)))
    except (KeyError, IndexError, TypeError) as e:
        ok, err = False, f'{rsp}\n{type(e).__name__}: {e}'
    tap(ok, desc, err if err else rsp)
    return rsp


def expect_error(y, desc, op, attrs, want, extack=None):
    """want: errno; extack: dict of extack keys and values it must have."""
    rsp, err = call(y, op, attrs)
    if err is None:
        tap(False, desc + f' ({errno.errorcode[want]})', f'succeeded: {rsp}')
        return
    ext = err.nl_msg.extack or {}
    ok = err.error == want and all(ext.get(k) == v for k, v in
                                   (extack or {}).items())
    if extack is None:
        ok = ok and bool(ext.get('msg'))
    tap(ok, desc + f' ({errno.errorcode[want]})', err)


try:
    y = family()
except Exception as e:   # noqa: BLE001
    tap(False, 'YnlFamily loads adprof.yaml and finds the family', repr(e))
    sys.exit(0)
tap(True, 'YnlFamily loads adprof.yaml and finds the family')

stat_names = [a['name'] for s in y.yaml['attribute-sets'] if s['name'] == 'stat'
              for a in s['attributes'] if a['type'] != 'pad']

expect_reply(y, 'prof-get-info: version 1, backend cpu-clock in the nests',
             'prof-get-info', test=lambda r: r['version'] == 1 and
             'cpu-clock' in [b['name'] for b in
                             r['backends']['backend-entry']])
expect_reply(y, 'dev-get dump: an empty list', 'dev-get', dump=True,
             test=lambda r: r == [])
expect_reply(y, 'prof-get-stat: every statistic of the spec, by name',
             'prof-get-stat',
             test=lambda r: sorted(r['stats']) == sorted(stat_names))
expect_reply(y, 'prof-stop with nothing running: every statistic of the spec',
             'prof-stop', test=lambda r: sorted(r['stats']) == sorted(stat_names))
expect_reply(y, 'prof-clear: ack', 'prof-clear', test=lambda r: r is None)

# A detached session, streamed to a listener (subscribed before its first
# request: YNL binds the socket to join).
listener = family()
listener.ntf_subscribe('samples')
expect_reply(y, 'prof-start detached, 100 Hz, small buffers: ack', 'prof-start',
             {'backend': 'cpu-clock', 'freq': 100, 'buf-samples': 64,
              'max-bufs': 8, 'prof-flags': 1}, test=lambda r: r is None)
expect_reply(y, 'prof-get-info: running, detached (owner 0)', 'prof-get-info',
             test=lambda r: r['running'] == 1 and r.get('owner', 0) == 0 and
             r.get('backend') == 'cpu-clock')
end = time.monotonic() + 1.0
while time.monotonic() < end:
    sum(range(10000))
stop = expect_reply(y, 'prof-stop of a running session: every statistic of the spec',
                    'prof-stop', test=lambda r: sorted(r['stats']) == sorted(stat_names))
listener.check_ntf()
batches = [m for m in listener.async_msg_queue if m['name'] == 'samples']
tap(bool(batches) and all(set(m['msg']) >= {'cpu', 'seq', 'lost', 'samples'} and
                    len(m['msg']['samples']) % 32 == 0 for m in batches),
    f'samples notifications decoded by the spec ({len(batches)} batches: '
    'cpu, seq, lost, 32-byte records)',
    [m['msg'].keys() for m in listener.async_msg_queue[:3]])
# The stop's statistics are those after the last batch: a listener that
# lost no message received every record of stream-samples in
# stream-msgs batches, and was told the rest (overflow, dropped buffers)
# in LOST.
st = (stop or {}).get('stats', {})
recs = sum(len(m['msg']['samples']) // 32 for m in batches)
lost = sum(m['msg']['lost'] for m in batches)
tap(bool(st) and st['stream-msgs'] == len(batches) and
    st['stream-samples'] == recs and
    recs + lost == st['sample'] + st['dropbuf-sample'] + st['overflow'],
    f'prof-stop\'s statistics: {len(batches)} batches = stream-msgs, {recs} records '
    f'= stream-samples, records + lost {lost} = sample + dropbuf-sample + overflow',
    st)
expect_reply(y, 'prof-get-info: stopped', 'prof-get-info',
             test=lambda r: r['running'] == 0)

# An owned session ends with its socket.
o = family()
expect_reply(o, 'prof-start owned by a second socket: ack', 'prof-start',
             {'freq': 10}, test=lambda r: r is None)
expect_reply(y, 'prof-get-info: running, owned (owner not 0)', 'prof-get-info',
             test=lambda r: r['running'] == 1 and r.get('owner', 0) != 0)
o.sock.close()
expect_reply(y, 'prof-get-info after the owner closed its socket: stopped',
             'prof-get-info', test=lambda r: r['running'] == 0)

# A session with call stacks of at most 8 addresses: record version 2,
# each record's length from its own stack header, as adprof_record_len().
listener = family()
listener.ntf_subscribe('samples')
expect_reply(y, 'prof-start detached with stacks, depth 8: ack', 'prof-start',
             {'freq': 200, 'prof-flags': 3, 'stack-depth': 8},
             test=lambda r: r is None)
expect_reply(y, 'prof-get-info: stack flag and stack-depth 8', 'prof-get-info',
             test=lambda r: r['running'] == 1 and
             set(r.get('prof-flags', ())) == {'detach', 'stack'} and
             r.get('stack-depth') == 8)
end = time.monotonic() + 1.0
while time.monotonic() < end:
    os.stat('/')
expect_reply(y, 'prof-stop with stacks: the statistics', 'prof-stop',
             test=lambda r: r['stats']['sample'] > 0)
listener.check_ntf()
batches = [m['msg'] for m in listener.async_msg_queue if m['name'] == 'samples']


def stack_records(blob):
    """(samples, stacks, deepest) of a version 2 samples attribute, or
    an error string."""
    off = n = stacks = deepest = 0
    while off < len(blob):
        if len(blob) - off < 32:
            return f'{len(blob) - off} bytes left at {off}'
        flags = struct.unpack_from('=I', blob, off + 12)[0]
        length = 32
        if flags & 4:
            if len(blob) - off < 40:
                return f'stack header cut at {off}'
            nk, nu, sflags, res = struct.unpack_from('=4H', blob, off + 32)
            if nk + nu > 8 or res or sflags & ~7:
                return f'stack at {off}: {nk}+{nu} addresses, flags {sflags:#x}, reserved {res}'
            length += 8 + 8 * (nk + nu)
            stacks += 1
            deepest = max(deepest, nk + nu)
        if not flags & 2:
            n += 1
        off += length
    return (n, stacks, deepest) if off == len(blob) else f'overran to {off}'


parsed = [stack_records(b.get('samples', b'')) for b in batches]
bad = [p for p in parsed if isinstance(p, str)]
got = [p for p in parsed if not isinstance(p, str)]
tap(bool(batches) and all(b.get('record-version') == 2 for b in batches),
    f'stack session: every samples batch says record-version 2 ({len(batches)})',
    [b.get('record-version') for b in batches[:5]])
tap(bool(got) and not bad and sum(p[1] for p in got) > 0 and
    max(p[2] for p in got) <= 8,
    'stack session: records walk to the end by their stack headers, '
    f'{sum(p[1] for p in got)} stacks of at most {max((p[2] for p in got), default=0)}',
    bad[:3])

unbound = []  # (address, driver) taken from a host driver, given back below


def pci_find(vendor, devices):
    """(segment, bus, devfn) of the first PCI device with these ids, taken
    from its host driver if it has one (as an administrator would)."""
    base = '/sys/bus/pci/devices'
    for addr in sorted(os.listdir(base)):
        ids = [open(f'{base}/{addr}/{f}').read().strip()
               for f in ('vendor', 'device')]
        if int(ids[0], 16) == vendor and int(ids[1], 16) in devices:
            if os.path.exists(f'{base}/{addr}/driver'):
                drv = os.path.basename(os.readlink(f'{base}/{addr}/driver'))
                with open(f'{base}/{addr}/driver/unbind', 'w') as f:
                    f.write(addr)
                unbound.append((addr, drv))
            seg, bus, rest = addr.split(':')
            slot, fn = rest.split('.')
            return int(seg, 16), int(bus, 16), int(slot, 16) << 3 | int(fn)
    return None


# Replies with nests and flags, decoded by the spec: QEMU's edu device
# (1234:11e8, INTx) and the driverless virtio-rng (1af4:1005/1044, MSI-X).
edu = pci_find(0x1234, (0x11e8,))
if edu is None:
    tap(False, 'edu device present', 'no 1234:11e8 in /sys/bus/pci/devices')
else:
    seg, bus, devfn = edu
    expect_reply(y, 'dev-assign edu as 1: ack', 'dev-assign',
                 {'dev-id': 1, 'pci-segment': seg, 'pci-bus': bus,
                  'pci-devfn': devfn}, test=lambda r: r is None)
    expect_reply(y, 'irq-assign host-intx|guest-intx, guest-irq 5: ack',
                 'irq-assign', {'dev-id': 1, 'irq-flags': 0x101,
                                'guest-irq': 5}, test=lambda r: r is None)
    expect_reply(y, 'dev-get 1: address, ids, irq-flags as the spec\'s '
                 'flags, guest-irq, vectors', 'dev-get', {'dev-id': 1},
                 test=lambda r: r['dev-id'] == 1 and r['pci-bus'] == bus and
                 r['pci-devfn'] == devfn and r['vendor'] in (0x1234, '0x1234') and
                 r['device'] in (0x11e8, '0x11e8') and
                 r['irq-flags'] == {'host-intx', 'guest-intx'} and
                 r['guest-irq'] == 5 and
                 isinstance(r['vectors']['vector'], list) and
                 {'index', 'count'} <= set(r['vectors']['vector'][0]))
    expect_reply(y, 'dev-get dump: the one device', 'dev-get', dump=True,
                 test=lambda r: [d['dev-id'] for d in r] == [1])
    expect_reply(y, 'irq-deassign host-intx|guest-intx: ack', 'irq-deassign',
                 {'dev-id': 1, 'irq-flags': 0x101}, test=lambda r: r is None)
    expect_reply(y, 'dev-deassign 1: ack', 'dev-deassign', {'dev-id': 1},
                 test=lambda r: r is None)

rng = pci_find(0x1af4, (0x1005, 0x1044))
if rng is None:
    tap(False, 'virtio-rng device present', 'no 1af4:1005 or 1af4:1044')
else:
    seg, bus, devfn = rng
    expect_reply(y, 'dev-assign virtio-rng as 2: ack', 'dev-assign',
                 {'dev-id': 2, 'pci-segment': seg, 'pci-bus': bus,
                  'pci-devfn': devfn}, test=lambda r: r is None)
    expect_reply(y, 'msix-set-nr 2: ack', 'msix-set-nr',
                 {'dev-id': 2, 'msix-nr': 2}, test=lambda r: r is None)
    for entry, gsi in ((0, 40), (1, 41)):
        expect_reply(y, f'msix-set-entry {entry} gsi {gsi}: ack',
                     'msix-set-entry', {'dev-id': 2, 'msix-entry': entry,
                                        'gsi': gsi}, test=lambda r: r is None)
    expect_reply(y, 'dev-get 2: msix-nr and msix-table as nests of slots',
                 'dev-get', {'dev-id': 2},
                 test=lambda r: r['msix-nr'] == 2 and
                 sorted((s['entry'], s['gsi'])
                        for s in r['msix-table']['msix-slot']) ==
                 [(0, 40), (1, 41)])
    expect_reply(y, 'dev-deassign 2: ack', 'dev-deassign', {'dev-id': 2},
                 test=lambda r: r is None)
# A device using all of adprof's MSI-X entries, each with its vector:
# about 16.4 KiB of DEV_GET message, more than the 16 KiB that netlink
# gives a dump whose reader asks for 16 KiB at a time, as libnl does
# (adprofctl list). The dump must size its messages for it.
ser = pci_find(0x1af4, (0x1003, 0x1043))
if ser is None:
    tap(False, 'virtio-serial device present', 'no 1af4:1003 or 1af4:1043')
else:
    N = 255
    seg, bus, devfn = ser
    expect_reply(y, 'dev-assign virtio-serial (256 MSI-X entries) as 3: ack',
                 'dev-assign', {'dev-id': 3, 'pci-segment': seg,
                                'pci-bus': bus, 'pci-devfn': devfn},
                 test=lambda r: r is None)
    expect_reply(y, f'msix-set-nr 3 to {N}, the most: ack', 'msix-set-nr',
                 {'dev-id': 3, 'msix-nr': N}, test=lambda r: r is None)
    bad = [e for e in range(N)
           if call(y, 'msix-set-entry', {'dev-id': 3, 'msix-entry': e,
                                         'gsi': 1000 + e})[1]]
    tap(not bad, f'msix-set-entry 0..{N - 1}: each acked', bad[:8])
    expect_reply(y, f'irq-assign host-msix|guest-msix: {N} vectors',
                 'irq-assign', {'dev-id': 3, 'irq-flags': 0x404},
                 test=lambda r: r is None)

    def full(d):
        return (len(d['msix-table']['msix-slot']) == N and
                len(d['vectors']['vector']) == N)
    expect_reply(y, f'dev-get 3: {N} slots and {N} vectors', 'dev-get',
                 {'dev-id': 3}, test=full)
    expect_reply(y, 'dev-get dump: the full device', 'dev-get', dump=True,
                 test=lambda r: len(r) == 1 and full(r[0]))
    out = os.popen('adprofctl -j list 2>&1').read()
    try:
        devs = json.loads(out)
        ok = (len(devs) == 1 and len(devs[0]['msix_table']) == N and
              len(devs[0]['vectors']) == N)
    except (ValueError, KeyError, TypeError, IndexError):
        ok = False
    tap(ok, f'adprofctl list (libnl, 16 KiB reads): the full device, '
        f'{len(out)} bytes of JSON', out[:600])
    expect_reply(y, 'dev-deassign 3: ack', 'dev-deassign', {'dev-id': 3},
                 test=lambda r: r is None)
expect_reply(y, 'dev-get dump: empty again', 'dev-get', dump=True,
             test=lambda r: r == [])
# Later tests expect the guest as it booted: devices back with their drivers.
for addr, drv in unbound:
    with open(f'/sys/bus/pci/drivers/{drv}/bind', 'w') as f:
        f.write(addr)

expect_error(y, 'prof-start freq 0: extack names .freq', 'prof-start',
             {'freq': 0}, errno.ERANGE, {'bad-attr': '.freq'})
expect_error(y, 'prof-start prof-flags 8: extack names .prof-flags',
             'prof-start', {'prof-flags': 8}, errno.EINVAL,
             {'bad-attr': '.prof-flags'})
expect_error(y, 'prof-start summary-entries without the summary flag: EINVAL',
             'prof-start', {'summary-entries': 64}, errno.EINVAL,
             {'bad-attr': '.summary-entries'})
expect_error(y, 'prof-start summary-entries 65537: extack names .summary-entries',
             'prof-start', {'prof-flags': 4, 'summary-entries': 65537},
             errno.ERANGE, {'bad-attr': '.summary-entries'})
expect_error(y, 'prof-start stack-depth 0: extack names .stack-depth',
             'prof-start', {'prof-flags': 2, 'stack-depth': 0}, errno.ERANGE,
             {'bad-attr': '.stack-depth'})
expect_error(y, 'prof-start stack-depth 128: extack names .stack-depth',
             'prof-start', {'prof-flags': 2, 'stack-depth': 128}, errno.ERANGE,
             {'bad-attr': '.stack-depth'})
expect_error(y, 'prof-start stack-depth without the stack flag: EINVAL',
             'prof-start', {'stack-depth': 8}, errno.EINVAL,
             {'bad-attr': '.stack-depth'})
expect_error(y, 'prof-start buf-samples 15: extack names .buf-samples',
             'prof-start', {'buf-samples': 15}, errno.ERANGE,
             {'bad-attr': '.buf-samples'})
expect_error(y, 'dev-get without dev-id: extack names the missing dev-id',
             'dev-get', {}, errno.EINVAL, {'miss-type': 'dev-id'})
expect_error(y, 'dev-get on an unknown id', 'dev-get', {'dev-id': UNKNOWN},
             errno.ENODEV)
expect_error(y, 'dev-assign of an absent PCI device', 'dev-assign',
             {'dev-id': 7, 'pci-segment': 0, 'pci-bus': 0,
              'pci-devfn': 0xff}, errno.ENODEV)
expect_error(y, 'dev-deassign on an unknown id', 'dev-deassign',
             {'dev-id': UNKNOWN}, errno.ENODEV)
expect_error(y, 'irq-assign on an unknown id', 'irq-assign',
             {'dev-id': UNKNOWN, 'irq-flags': 0x101, 'guest-irq': 5},
             errno.ENODEV)
expect_error(y, 'irq-deassign on an unknown id', 'irq-deassign',
             {'dev-id': UNKNOWN, 'irq-flags': 0x101}, errno.ENODEV)
expect_error(y, 'msix-set-nr on an unknown id', 'msix-set-nr',
             {'dev-id': UNKNOWN, 'msix-nr': 2}, errno.ENODEV)
expect_error(y, 'msix-set-entry on an unknown id', 'msix-set-entry',
             {'dev-id': UNKNOWN, 'msix-entry': 0, 'gsi': 1}, errno.ENODEV)
expect_error(y, 'irq-ack on an unknown id', 'irq-ack', {'dev-id': UNKNOWN},
             errno.ENODEV)
EOF
[ $? -eq 0 ] || fail "the YNL driver exited non-zero"

check "rmmod adprof" unload
