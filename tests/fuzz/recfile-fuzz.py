#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""File fuzzer of adprofctl report and its converters (issue 13).

Cuts and corrupts recordings (made by userspace/tests/recgen, or real ones
from the guest) and runs every output format of an adprofctl built with
ASan+UBSan on each. Every run must end with exit 0 or 1 (never a signal,
a sanitizer report, or a hang); a refusal (1) must say why on stderr as
"adprofctl: report: FILE: ...". A file cut inside a chunk must be refused
as truncated. TAP on stdout, one line per check, and the offending file
kept in the work directory on failure.

usage: recfile-fuzz.py ADPROFCTL WORKDIR SEED_FILE... [--iterations N] [--seed S]
"""
import argparse
import os
import random
import struct
import subprocess
import sys

FORMATS = [
    ['--format', 'text'],
    ['--format', 'json', '--timeline', '100ms', '--callers', 'gen_b'],
    ['--format', 'folded'],
    ['--format', 'text', '--timeline', '--callees', 'gen_a', '--no-children'],
    ['--format', 'perf-data', '-o', '{out}'],
    ['--format', 'pprof', '-o', '{out}'],
]
SANITIZER = (b'AddressSanitizer', b'runtime error', b'LeakSanitizer',
             b'UndefinedBehaviorSanitizer')


def chunk_bounds(data):
    """Offsets where chunks start and the file's end: cuts there are whole."""
    off = struct.unpack_from('<I', data, 12)[0]
    bounds = {off}
    while off + 8 <= len(data):
        _, ln = struct.unpack_from('<II', data, off)
        off += 8 + ln
        off += -off & 7
        bounds.add(min(off, len(data)))
        # the padding of the last chunk may be missing
        bounds.add(min(off - (-(ln) & 7), len(data)))
    return bounds


def mutate(rng, data):
    """A mutant and whether it must be refused as truncated."""
    kind = rng.choice(['cut', 'flip', 'flip', 'cut+flip', 'len'])
    buf = bytearray(data)
    truncated = False
    if kind in ('flip', 'cut+flip'):
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(buf))
            buf[i] ^= 1 << rng.randrange(8)
    if kind == 'len':
        # a chunk length or a record count set to something wild
        off = rng.randrange(64, len(buf) - 4) & ~3
        struct.pack_into('<I', buf, off, rng.choice(
            [0, 1, 7, 0xffff, 0x7fffffff, 0xffffffff, rng.getrandbits(32)]))
    if kind in ('cut', 'cut+flip'):
        cut = rng.randrange(len(buf))
        if kind == 'cut' and cut >= 64 and cut not in chunk_bounds(data):
            truncated = True
        buf = buf[:cut]
    return bytes(buf), kind, truncated


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('adprofctl')
    ap.add_argument('workdir')
    ap.add_argument('seeds', nargs='+')
    ap.add_argument('--iterations', type=int, default=150)
    ap.add_argument('--seed', type=int, default=13)
    a = ap.parse_args()

    os.makedirs(a.workdir, exist_ok=True)
    env = dict(os.environ,
               ASAN_OPTIONS='detect_leaks=1:abort_on_error=1:exitcode=99',
               UBSAN_OPTIONS='halt_on_error=1:abort_on_error=1:print_stacktrace=1')
    rng = random.Random(a.seed)
    runs = refused = 0
    failures = []
    seeds = [open(s, 'rb').read() for s in a.seeds]
    # The seeds themselves must read.
    # (with this machine's kallsyms too: the mutants go without, for speed)
    for path in a.seeds:
        for fmt, ks in [(f, k) for f in FORMATS for k in ('/dev/null', '/proc/kallsyms')]:
            out = os.path.join(a.workdir, 'seed.out')
            args = [x.format(out=out) for x in fmt]
            p = subprocess.run([a.adprofctl, 'report', '--kallsyms', ks]
                               + args + [path], capture_output=True, env=env,
                               timeout=60)
            if p.returncode != 0:
                failures.append(f'seed {path} {" ".join(fmt)} {ks}: exit {p.returncode}: '
                                f'{p.stderr[-300:]!r}')
    ok_seeds = not failures
    print(f'{"ok" if ok_seeds else "not ok"} - fuzz: the {len(seeds)} seed recordings '
          f'read in every format, with and without kallsyms')
    for f in failures:
        print(f'# {f}')
    failures = []
    for it in range(a.iterations):
        src = rng.randrange(len(seeds))
        data, kind, truncated = mutate(rng, seeds[src])
        path = os.path.join(a.workdir, 'mutant.data')
        with open(path, 'wb') as f:
            f.write(data)
        for fmt in FORMATS:
            out = os.path.join(a.workdir, 'mutant.out')
            args = [x.format(out=out) for x in fmt]
            cmd = [a.adprofctl, 'report', '--kallsyms', '/dev/null'] + args + [path]
            runs += 1
            try:
                p = subprocess.run(cmd, capture_output=True, env=env, timeout=60)
            except subprocess.TimeoutExpired:
                failures.append((it, kind, fmt, 'hung (60 s)'))
                continue
            why = None
            if any(s in p.stderr for s in SANITIZER):
                why = 'sanitizer: ' + p.stderr.decode(errors='replace')[-600:]
            elif p.returncode not in (0, 1):
                why = f'exit {p.returncode}: ' + p.stderr.decode(errors='replace')[-300:]
            elif p.returncode == 1:
                refused += 1
                if not p.stderr.startswith(b'adprofctl: report: ' + path.encode() + b': '):
                    why = 'refused without saying why: ' + p.stderr.decode(errors='replace')[-300:]
                elif truncated and b'truncated' not in p.stderr:
                    why = 'a cut file not called truncated: ' + p.stderr.decode(errors='replace')[-300:]
            elif truncated:
                why = 'a file cut inside a chunk was read'
            if why:
                keep = os.path.join(a.workdir, f'fail-{it}.data')
                os.replace(path, keep)
                with open(path, 'wb') as f:
                    f.write(data)
                failures.append((it, kind, fmt, f'{why} (kept as {keep})'))
    print(f'{"ok" if not failures else "not ok"} - fuzz: {a.iterations} cut or corrupted '
          f'recordings x {len(FORMATS)} formats under ASan+UBSan: {runs} runs, '
          f'{refused} refused with a reason, none crashed, hung or read out of bounds')
    for it, kind, fmt, why in failures[:10]:
        print(f'# iteration {it} ({kind}) {" ".join(fmt)}: {why}')
    return 0 if ok_seeds and not failures else 1


if __name__ == '__main__':
    sys.exit(main())
