#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Keep the YNL spec, the uapi header, the kernel policies and the admin
guide in step.

  (a) the spec validates against Linux 6.12's genetlink-legacy schema and
      loads in 6.12's YNL library;
  (b) every command, attribute, flag, constant and struct member of
      uapi/linux/adprof.h is in the spec with the same value, and the other
      way round; the header's values come from compiling a C program, not
      from reading the text;
  (c) every request attribute, its type and its checks (min, max,
      flags-mask, max-len) match the per-command policies of
      kernel/netlink.c, and do/dump match the op table;
  (d) Documentation/adprof.rst documents every command with the spec's
      attributes, no command the spec lacks, and the adprofctl subcommands.

One TAP line per check ("ok - spec: ..." / "not ok - spec: ..."), details
as "# " lines; exit status 1 if any check failed.

Usage: tests/spec/check.py [--ynl DIR] [--top TREE]
  DIR: tests/spec/fetch-ynl.sh --print; TREE: a copy of the repo to check
  (tests/spec/selftest.sh checks mutated copies)
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import jsonschema
import yaml

TOP = SPEC = HEADER = NETLINK_C = RST = USERSPACE = None


def set_top(top):
    global TOP, SPEC, HEADER, NETLINK_C, RST, USERSPACE
    TOP = os.path.realpath(top)
    SPEC = os.path.join(TOP, 'Documentation/netlink/specs/adprof.yaml')
    HEADER = os.path.join(TOP, 'uapi/linux/adprof.h')
    NETLINK_C = os.path.join(TOP, 'kernel/netlink.c')
    RST = os.path.join(TOP, 'Documentation/adprof.rst')
    USERSPACE = os.path.join(TOP, 'userspace')


set_top(os.path.join(os.path.dirname(__file__), '..', '..'))

# adprofctl subcommands: design.md's, and those of DMA (issue 14).
SUBCOMMANDS = ['assign', 'deassign', 'list', 'irq', 'msix', 'ack',
               'watch-irq', 'dma-map', 'dma-unmap', 'dma-list', 'info',
               'start', 'stop', 'stat', 'clear', 'record', 'report']

# Struct definitions of the spec and the C struct each one is a view of
# (struct adprof_sample is a union of the sample, count and comm records).
STRUCT_VIEWS = {'sample': 'adprof_sample', 'sample-comm': 'adprof_sample',
                'sample-count': 'adprof_sample'}

NLA_TYPES = {'u8': 'NLA_U8', 'u16': 'NLA_U16', 'u32': 'NLA_U32',
             'u64': 'NLA_U64', 's32': 'NLA_S32', 's64': 'NLA_S64',
             'binary': 'NLA_BINARY', 'flag': 'NLA_FLAG',
             'nest': 'NLA_NESTED'}
TYPE_SIZES = {'u8': 1, 'u16': 2, 'u32': 4, 'u64': 8, 's8': 1, 's16': 2,
              's32': 4, 's64': 8}

failed = 0


def tap(ok, desc, details=()):
    global failed
    print(('ok' if ok else 'not ok') + ' - spec: ' + desc)
    if not ok:
        failed += 1
        for d in list(details)[:40]:
            print('# ' + str(d))
    sys.stdout.flush()
    return ok


def c_upper(name):
    return name.upper().replace('-', '_')


def strip_c_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def split_top(body, sep=','):
    """Split body at sep outside (), {} and []."""
    parts, depth, cur = [], 0, ''
    for ch in body:
        if ch in '({[':
            depth += 1
        elif ch in ')}]':
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


# ---------------------------------------------------------------- header

def header_names(text):
    """Names the header defines: enum members, object-like ADPROF_ macros,
    and the members of its structs."""
    text = strip_c_comments(text)
    enums = {}
    for m in re.finditer(r'enum\s+(\w+)\s*\{(.*?)\}\s*;', text, re.S):
        enums[m.group(1)] = [p.split('=')[0].strip()
                             for p in split_top(m.group(2))]
    defines = re.findall(r'^#define\s+(ADPROF_\w+)(?!\()\s', text, re.M)
    structs = {}
    for m in re.finditer(r'struct\s+(\w+)\s*\{', text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {'{': 1, '}': -1}.get(text[i], 0)
            i += 1
        body = text[m.end():i - 1]
        structs[m.group(1)] = [
            (name, bool(flex)) for name, flex in re.findall(
                r'(?:__[us]\d+|char)\s+(\w+)\s*(?:(\[\s*\])|\[[^\]]*\])?'
                r'\s*;', body)]
    return enums, defines, structs


def header_values(names, structs):
    """Compile a program printing every name's value and every struct
    member's offset and size: what the compiler sees, not what we parse.
    A flexible array member has its offset and the size -1."""
    lines = ['#include <stdio.h>', '#include <stddef.h>',
             '#include <sys/types.h>',
             '#include <linux/adprof.h>',
             'static void pi(const char *n, long long v)'
             ' { printf("%s int %lld\\n", n, v); }',
             'static void ps(const char *n, const char *v)'
             ' { printf("%s str %s\\n", n, v); }',
             '#define P(x) _Generic((x), char *: ps, const char *: ps,'
             ' default: pi)(#x, x)',
             'int main(void)', '{']
    for n in names:
        lines.append(f'\tP({n});')
    for s, members in structs.items():
        lines.append(f'\tprintf("sizeof {s} %zu\\n", sizeof(struct {s}));')
        for mem, flex in members:
            size = '(size_t)-1' if flex else f'sizeof(((struct {s} *)0)->{mem})'
            lines.append(f'\tprintf("member {s} {mem} %zu %zd\\n", '
                         f'offsetof(struct {s}, {mem}), (ssize_t){size});')
    lines += ['\treturn 0;', '}']
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, 'v.c'), os.path.join(tmp, 'v')
        with open(src, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        cc = os.environ.get('CC', 'cc')
        r = subprocess.run([cc, '-std=gnu11', '-Wall', '-Werror',
                            '-I', os.path.join(TOP, 'uapi'), '-o', exe, src],
                           capture_output=True, text=True)
        if r.returncode:
            raise RuntimeError('compiling the header probe failed:\n' +
                               r.stderr)
        out = subprocess.run([exe], capture_output=True, text=True,
                             check=True).stdout
    values, layout, sizes = {}, {}, {}
    for line in out.splitlines():
        f = line.split(' ')
        if f[0] == 'sizeof':
            sizes[f[1]] = int(f[2])
        elif f[0] == 'member':
            layout.setdefault(f[1], {})[f[2]] = (int(f[3]), int(f[4]))
        elif f[1] == 'int':
            values[f[0]] = int(f[2])
        else:
            values[f[0]] = ' '.join(f[2:])
    return values, layout, sizes


# ------------------------------------------------------------ kernel side

def eval_expr(expr, values):
    """Evaluate a small C constant expression over header values."""
    expr = expr.strip()
    e = re.sub(r'\b(ADPROF_\w+)\b',
               lambda m: str(values[m.group(1)]), expr)
    e = re.sub(r'\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b', r'\1', e)
    if not re.fullmatch(r'[0-9a-fA-Fx()+\-*|<> ]*', e):
        raise ValueError(f'cannot evaluate "{expr}"')
    return eval(e, {'__builtins__': {}})


def parse_policy_entry(expr, ranges, macros, values):
    """One nla_policy initializer -> dict(type, min, max, mask, len)."""
    expr = expr.strip()
    while expr in macros:
        expr = macros[expr]
    pol = {'type': None, 'min': None, 'max': None, 'mask': None, 'len': None}
    m = re.fullmatch(r'(NLA_POLICY_\w+)\((.*)\)', expr, re.S)
    if m:
        kind, args = m.group(1), split_top(m.group(2))
        pol['type'] = args[0]
        if kind == 'NLA_POLICY_MIN':
            pol['min'] = eval_expr(args[1], values)
        elif kind == 'NLA_POLICY_MAX':
            pol['max'] = eval_expr(args[1], values)
        elif kind == 'NLA_POLICY_RANGE':
            pol['min'] = eval_expr(args[1], values)
            pol['max'] = eval_expr(args[2], values)
        elif kind == 'NLA_POLICY_FULL_RANGE':
            r = ranges[args[1].lstrip('&').strip()]
            pol['min'], pol['max'] = r
        elif kind == 'NLA_POLICY_MASK':
            pol['mask'] = eval_expr(args[1], values)
        else:
            raise ValueError(f'policy macro {kind} not understood')
        return pol
    m = re.fullmatch(r'\{(.*)\}', expr, re.S)
    if not m:
        raise ValueError(f'policy "{expr}" not understood')
    for field in split_top(m.group(1)):
        k, v = (s.strip() for s in field.split('=', 1))
        if k == '.type':
            pol['type'] = v
        elif k == '.len':
            pol['len'] = eval_expr(v, values)
        else:
            raise ValueError(f'policy field {k} not understood')
    return pol


def kernel_ops(values):
    """Parse kernel/netlink.c: per command, its policy and handlers."""
    text = strip_c_comments(open(NETLINK_C).read())
    ranges = {}
    for m in re.finditer(r'struct\s+netlink_range_validation\s+(\w+)[^=]*='
                         r'\s*\{(.*?)\}\s*;', text, re.S):
        f = dict((k.strip(), v.strip()) for k, v in
                 (p.split('=', 1) for p in split_top(m.group(2))))
        ranges[m.group(1)] = (eval_expr(f['.min'], values),
                              eval_expr(f['.max'], values))
    macros = {}
    for m in re.finditer(r'^#define\s+(\w+)\s+(.*(?:\\\n.*)*)$', text, re.M):
        macros[m.group(1)] = m.group(2).replace('\\\n', ' ').strip()
    policies = {}
    for m in re.finditer(r'struct\s+nla_policy\s+(\w+)\s*\[[^\]]*\]\s*='
                         r'\s*\{(.*?)\}\s*;\s*$', text, re.S | re.M):
        pol = {}
        for entry in split_top(m.group(2)):
            k = re.fullmatch(r'\[\s*(\w+)\s*\]\s*=\s*(.*)', entry, re.S)
            if not k:
                raise ValueError(f'policy {m.group(1)}: "{entry}"')
            pol[k.group(1)] = parse_policy_entry(k.group(2), ranges, macros,
                                                 values)
        policies[m.group(1)] = pol
    m = re.search(r'struct\s+genl_ops\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\n\}\s*;',
                  text, re.S)
    if not m:
        raise ValueError('op table (struct genl_ops ...[]) not found')
    ops = {}
    for block in split_top(m.group(1)):
        b = re.fullmatch(r'\{(.*)\}', block.strip(), re.S)
        f = dict((k.strip(), v.strip()) for k, v in
                 (p.split('=', 1) for p in split_top(b.group(1))))
        ops[f['.cmd']] = {
            'policy': policies[f['.policy']] if '.policy' in f else {},
            'do': '.doit' in f, 'dump': '.dumpit' in f,
            'flags': f.get('.internal_flags', ''),
        }
    return ops


# ------------------------------------------------------------------ spec

def limit(check, spec_consts):
    """Resolve a spec check value (int, const name, "u32-max",
    "name - 1") to a number."""
    if isinstance(check, int):
        return check
    m = re.fullmatch(r'([\w-]+)( - 1)?', check)
    name, minus = m.group(1), 1 if m.group(2) else 0
    if name in spec_consts and spec_consts[name]['type'] == 'const':
        return spec_consts[name]['value'] - minus
    m = re.fullmatch(r'([us])(8|16|32|64)-(min|max)', name)
    if m:
        bits = int(m.group(2))
        if m.group(1) == 'u':
            v = 0 if m.group(3) == 'min' else (1 << bits) - 1
        else:
            v = -(1 << (bits - 1)) if m.group(3) == 'min' else \
                (1 << (bits - 1)) - 1
        return v - minus
    raise ValueError(f'cannot resolve limit "{check}"')


def flags_mask(defn):
    mask, bit = 0, -1
    for e in defn.get('entries', []):
        e = {'name': e} if isinstance(e, str) else e
        bit = e.get('value', bit + 1)
        mask |= 1 << bit
    return mask


def spec_policy(attr, consts):
    """What the kernel policy of a spec attribute must be."""
    checks = attr.get('checks', {})
    t = attr['type']
    if t == 'string':
        nla = 'NLA_STRING' if checks.get('unterminated-ok') else \
            'NLA_NUL_STRING'
    else:
        nla = NLA_TYPES.get(t, t)
    pol = {'type': nla, 'min': None, 'max': None, 'mask': None, 'len': None}
    for k in ('min', 'max'):
        if k in checks:
            pol[k] = limit(checks[k], consts)
    if 'flags-mask' in checks:
        pol['mask'] = flags_mask(consts[checks['flags-mask']])
    if 'max-len' in checks:
        pol['len'] = limit(checks['max-len'], consts)
    for k in ('min-len', 'exact-len'):
        if k in checks:
            pol[k] = limit(checks[k], consts)
    return pol


def attr_values(aset):
    """Attribute name -> value for a non-subset set, as YNL numbers them."""
    vals, v = {}, 1
    for a in aset['attributes']:
        v = a.get('value', v)
        vals[a['name']] = v
        v += 1
    return vals


def op_values(spec):
    vals, v = {}, 1
    for op in spec['operations']['list']:
        v = op.get('value', v)
        vals[op['name']] = v
        v += 1
    return vals


# ------------------------------------------------------------------- rst

def rst_sections(text):
    """(title, body) for every section of the document."""
    lines = text.split('\n')
    heads = []
    for i in range(len(lines) - 1):
        t, u = lines[i], lines[i + 1]
        if t.strip() and re.fullmatch(r'([=\-~^"\'`#*+])\1+', u) and \
                len(u) >= len(t.rstrip()) and not t.startswith(' '):
            heads.append(i)
    out = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        out.append((lines[i].strip(), '\n'.join(lines[i + 2:end])))
    return out


def rst_field(body, name):
    """Text of the ":name:" field of a field list, or None."""
    m = re.search(r'^:' + re.escape(name) + r':(.*(?:\n[ \t]+\S.*)*)',
                  body, re.M)
    return m.group(1) if m else None


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    cache = os.environ.get('ADPROF_CACHE', '/var/cache/adprof')
    ap.add_argument('--ynl', default=os.path.join(cache,
                                                  'linux-source-6.12-ynl'))
    ap.add_argument('--top', help='tree to check (default: this one)')
    args = ap.parse_args()
    if args.top:
        set_top(args.top)
    schema_path = os.path.join(args.ynl,
                               'Documentation/netlink/genetlink-legacy.yaml')

    # (a) schema and YNL ------------------------------------------------
    spec = yaml.safe_load(open(SPEC))
    if not tap(os.path.exists(schema_path),
               'Linux 6.12 YNL tree present',
               [f'{schema_path} missing: run tests/spec/fetch-ynl.sh']):
        return
    schema = yaml.safe_load(open(schema_path))
    errs = sorted(jsonschema.Draft7Validator(schema).iter_errors(spec),
                  key=lambda e: list(e.path))
    tap(not errs, 'adprof.yaml validates against 6.12 genetlink-legacy.yaml',
        ['/'.join(map(str, e.path)) + ': ' + e.message for e in errs])

    sys.path.insert(0, os.path.join(args.ynl, 'tools/net/ynl'))
    try:
        from lib.nlspec import SpecFamily
        fam = SpecFamily(SPEC, schema_path)
        ynl_err = None
    except Exception as e:   # noqa: BLE001 - any failure is the finding
        fam, ynl_err = None, f'{type(e).__name__}: {e}'
    tap(fam is not None, 'YNL 6.12 library (nlspec) resolves the spec',
        [ynl_err])

    consts = {d['name']: d for d in spec.get('definitions', [])}
    sets = {s['name']: s for s in spec['attribute-sets']}
    ops = {o['name']: o for o in spec['operations']['list']}
    opvals = op_values(spec)
    if fam is not None:
        tap(opvals == {n: o.value for n, o in fam.msgs.items()} and
            all(attr_values(s) == {n: a.value for n, a in
                                   fam.attr_sets[s['name']].items()}
                for s in sets.values() if 'subset-of' not in s),
            'values numbered here as YNL numbers them')

    # (b) header --------------------------------------------------------
    htext = open(HEADER).read()
    enums, defines, structs = header_names(htext)
    names = [n for members in enums.values() for n in members] + defines
    try:
        hval, layout, sizes = header_values(names, structs)
        ok, err = True, None
    except (RuntimeError, subprocess.CalledProcessError) as e:
        ok, err = False, str(e)
    if not tap(ok, 'header values come from compiling uapi/linux/adprof.h',
               str(err).splitlines()):
        return
    claimed = set()

    def expect(cname, want, errs, what):
        claimed.add(cname)
        if cname not in hval:
            errs.append(f'{what}: {cname} not in the header')
        elif hval[cname] != want:
            errs.append(f'{what}: {cname} is {hval[cname]!r} in the header, '
                        f'{want!r} in the spec')

    # family and groups
    errs = []
    expect(c_upper(spec.get('c-family-name', spec['name'] + '-family-name')),
           spec['name'], errs, 'family name')
    expect(c_upper(spec.get('c-version-name',
                            spec['name'] + '-family-version')),
           spec.get('version', 1), errs, 'version')
    tap(not errs, 'family name and version match the header', errs)
    errs = []
    for g in spec.get('mcast-groups', {}).get('list', []):
        expect(c_upper(g.get('c-define-name',
                             f"{spec['name']}-mcgrp-{g['name']}")),
               g['name'], errs, 'group')
    hgroups = {d for d in defines if d.startswith('ADPROF_MCGRP_')}
    for d in sorted(hgroups - claimed):
        errs.append(f'{d} is a group in the header, not in the spec')
    tap(not errs, 'multicast groups match the header', errs)

    def check_enum(enum, prefix, want, what):
        """want: spec name -> value; enum: C enum name."""
        errs = []
        members = enums.get(enum)
        if members is None:
            return [f'enum {enum} not in the header']
        for n, v in want.items():
            expect(c_upper(prefix + n), v, errs, what)
        cprefix = c_upper(prefix)
        unspec, cnt, mx = cprefix + 'UNSPEC', '__' + cprefix + 'MAX', \
            cprefix + 'MAX'
        top = max(want.values()) if want else 0
        for n, v in ((unspec, 0), (cnt, top + 1), (mx, top)):
            expect(n, v, errs, what)
        for n in members:
            if n not in claimed:
                errs.append(f'{n} is in enum {enum}, not in the spec')
        return errs

    ops_prefix = spec['operations'].get('name-prefix',
                                        spec['name'] + '-cmd-')
    ops_enum = spec['operations'].get('enum-name', spec['name'] + '-cmd')
    errs = check_enum(ops_enum.replace('-', '_'), ops_prefix, opvals,
                      'command')
    tap(not errs, f'commands match enum {ops_enum.replace("-", "_")}', errs)

    for s in sets.values():
        if 'subset-of' in s:
            continue
        pfx = s.get('name-prefix', f"{spec['name']}-a-{s['name']}-")
        enum = s.get('enum-name', f"{spec['name']}-{s['name']}-attrs")
        errs = check_enum(enum.replace('-', '_'), pfx, attr_values(s),
                          f"set {s['name']}")
        tap(not errs, f"attribute set {s['name']} matches enum "
            f"{enum.replace('-', '_')}", errs)

    errs = []
    for d in consts.values():
        if d['type'] == 'const':
            expect(c_upper(f"{spec['name']}-{d['name']}"), d['value'], errs,
                   'const')
        elif d['type'] in ('flags', 'enum'):
            pfx = d.get('name-prefix', f"{spec['name']}-{d['name']}-")
            v = d.get('value-start', 0) - 1
            for e in d.get('entries', []):
                e = {'name': e} if isinstance(e, str) else e
                v = e.get('value', v + 1)
                expect(c_upper(pfx + e['name']),
                       1 << v if d['type'] == 'flags' else v, errs,
                       d['name'])
    tap(not errs, 'definitions (flags, enums, constants) match the header',
        errs)

    # *_ALL masks are the union of their flags
    errs = []
    for d in consts.values():
        if d['type'] != 'flags':
            continue
        pfx = d.get('name-prefix', '')
        short = re.sub(r'^' + spec['name'] + '-', '', pfx)
        allc = consts.get(short + 'all')
        if allc is None:
            continue
        if allc['value'] != flags_mask(d):
            errs.append(f"{allc['name']} is {allc['value']:#x}, "
                        f"flags {d['name']} make {flags_mask(d):#x}")
    tap(not errs, 'every *-all constant is the union of its flags', errs)

    # structs: every member at the header's offset and size
    errs = []
    covered = {}
    for d in consts.values():
        if d['type'] != 'struct':
            continue
        cs = STRUCT_VIEWS.get(d['name'],
                              f"{spec['name']}_{d['name']}".replace('-', '_'))
        if cs not in sizes:
            errs.append(f"struct {d['name']}: struct {cs} not in the header")
            continue
        off = 0
        for mem in d['members']:
            cm = mem['name'].replace('-', '_')
            size = TYPE_SIZES.get(mem['type'], mem.get('len'))
            if isinstance(size, str):
                size = limit(size, consts)
            covered.setdefault(cs, set()).add(cm)
            got = layout.get(cs, {}).get(cm)
            if got is None:
                errs.append(f"struct {d['name']}: {cm} not a member of "
                            f"struct {cs}")
            elif got != (off, size):
                errs.append(f"struct {d['name']}: {cm} at {off}+{size} in "
                            f"the spec, {got[0]}+{got[1]} in struct {cs}")
            off += size or 0
        if off != sizes[cs]:
            errs.append(f"struct {d['name']}: {off} bytes in the spec, "
                        f"sizeof(struct {cs}) = {sizes[cs]}")
    # YNL has no flexible array member: the spec struct's doc names it
    # ("pc[]"), and it must follow the members the spec lists.
    docs = {}
    for d in consts.values():
        if d['type'] == 'struct':
            cs = STRUCT_VIEWS.get(
                d['name'], f"{spec['name']}_{d['name']}".replace('-', '_'))
            docs[cs] = docs.get(cs, '') + d.get('doc', '')
    for cs, members in layout.items():
        for cm, (off, size) in members.items():
            if size == -1:
                if f'{cm}[]' not in docs.get(cs, ''):
                    errs.append(f'struct {cs}: flexible array {cm}[] not '
                                f'named in its spec struct\'s doc')
                if off != sizes[cs]:
                    errs.append(f'struct {cs}: flexible array {cm}[] at '
                                f'{off}, not at the end ({sizes[cs]})')
            elif cm not in covered.get(cs, set()):
                errs.append(f'struct {cs}: member {cm} not in any spec struct')
    tap(not errs, 'struct definitions match the header\'s layout', errs)

    errs = [f'{n} is in the header, not in the spec'
            for n in names if n not in claimed]
    tap(not errs, 'every name in the header is in the spec', errs)

    # (c) kernel policies -----------------------------------------------
    try:
        kops, err = kernel_ops(hval), None
    except (ValueError, KeyError, AttributeError) as e:
        kops, err = None, f'{type(e).__name__}: {e}'
    if not tap(kops is not None, 'kernel/netlink.c policies parsed', [err]):
        kops = {}
    main_set = sets[spec['operations']['list'][0]['attribute-set']]
    main_pfx = c_upper(main_set['name-prefix'])
    by_c = {main_pfx + c_upper(a['name']): a for a in main_set['attributes']}
    for op in spec['operations']['list']:
        cname = c_upper(ops_prefix + op['name'])
        if 'event' in op:
            errs = [] if cname not in kops else \
                [f'{cname} is a notification in the spec but has an op']
            if op.get('mcgrp') not in [g['name'] for g in
                                       spec['mcast-groups']['list']]:
                errs.append(f"mcgrp {op.get('mcgrp')} is not a group")
            tap(not errs, f"{op['name']}: notification on group "
                f"{op.get('mcgrp')}, no request op", errs)
            continue
        if not kops:
            continue
        k = kops.get(cname)
        if k is None:
            tap(False, f"{op['name']}: in the kernel's op table",
                [f'{cname} missing from kernel/netlink.c'])
            continue
        errs = []
        for mode in ('do', 'dump'):
            if (mode in op) != k[mode]:
                errs.append(f"{mode}: {'in' if mode in op else 'not in'} "
                            f"the spec, {'a' if k[mode] else 'no'} "
                            f"{mode}it in the kernel")
        want = []
        for mode in ('do', 'dump'):
            want += op.get(mode, {}).get('request', {}) \
                      .get('attributes', [])
        have = {}
        for ca, pol in k['policy'].items():
            a = by_c.get(ca)
            if a is None:
                errs.append(f'policy admits {ca}, unknown to the spec')
                continue
            have[a['name']] = pol
        for n in sorted(set(want) - set(have)):
            errs.append(f'{n}: a request attribute in the spec, not in '
                        'the policy')
        for n in sorted(set(have) - set(want)):
            errs.append(f'{n}: in the policy, not a request attribute '
                        'in the spec')
        for n in sorted(set(want) & set(have)):
            sp = spec_policy(next(a for a in main_set['attributes']
                                  if a['name'] == n), consts)
            kp = dict(have[n])
            for key in sorted(set(sp) | set(kp)):
                if sp.get(key) != kp.get(key):
                    errs.append(f'{n}: {key} {sp.get(key)!r} in the spec, '
                                f'{kp.get(key)!r} in the policy')
        # Privileges live in pre_doit flags; the spec says so in the doc.
        need = []
        if 'ADPROF_NL_F_ADMIN' in k['flags']:
            need.append('CAP_SYS_ADMIN')
        if 'ADPROF_NL_F_PERFMON' in k['flags']:
            need.append('CAP_PERFMON')
        for cap in need:
            if cap not in op['doc']:
                errs.append(f'doc does not say {cap} is needed')
        if not need and 'no privilege' not in op['doc']:
            errs.append('doc does not say that no privilege is needed')
        tap(not errs, f"{op['name']}: modes, request attributes, types, "
            "checks and privilege match kernel/netlink.c", errs)
    for cname in sorted(set(kops) - {c_upper(ops_prefix + o) for o in ops}):
        tap(False, f'{cname}: in the kernel op table, not in the spec')

    # (d) the admin guide -----------------------------------------------
    if not tap(os.path.exists(RST), 'Documentation/adprof.rst exists'):
        return
    rst_text = open(RST).read()
    try:
        import io
        import docutils.core
        warn = io.StringIO()
        docutils.core.publish_doctree(
            rst_text, source_path=RST,
            settings_overrides={'report_level': 2, 'halt_level': 5,
                                'warning_stream': warn})
        tap(not warn.getvalue(), 'adprof.rst is valid reStructuredText '
            '(docutils, no warning)', warn.getvalue().splitlines())
    except ImportError:
        # make deps installs python3-docutils: its absence is a failure.
        tap(False, 'adprof.rst is valid reStructuredText (docutils, '
            'no warning)', ['python3-docutils is not installed'])
    sections = rst_sections(rst_text)
    documented = {}
    for title, body in sections:
        m = re.fullmatch(r'``([A-Z0-9_]+)`` \(``([a-z0-9-]+)``\)', title)
        if m:
            documented[m.group(2)] = (m.group(1), body)
    errs = []
    for n in ops:
        if n not in documented:
            errs.append(f'{n} ({c_upper(n)}) has no section')
    for n, (cn, _) in documented.items():
        if n not in ops:
            errs.append(f'section {cn} ({n}): no such operation')
        elif cn != c_upper(n):
            errs.append(f'section {cn} ({n}): names disagree')
    tap(not errs, 'adprof.rst documents every operation and no other', errs)

    errs = []
    for n, (cn, body) in sorted(documented.items()):
        if n not in ops:
            continue
        op = ops[n]
        field = 'Attributes'
        if 'event' in op:
            want = set(op['event']['attributes'])
        else:
            want = set()
            for mode in ('do', 'dump'):
                want |= set(op.get(mode, {}).get('request', {})
                            .get('attributes', []))
        text = rst_field(body, field)
        if text is None:
            errs.append(f'{cn}: no :{field}: field')
            continue
        # Names in parentheses describe, they are not attributes.
        text = re.sub(r'\([^()]*\)', '', text)
        got = {a.lower().replace('_', '-')
               for a in re.findall(r'``([A-Z][A-Z0-9_]*)``', text)}
        if got != want:
            errs.append(f'{cn}: :{field}: lists {sorted(got)}, the spec '
                        f'{sorted(want)}')
        if 'event' not in op and rst_field(body, 'Privilege') is None:
            errs.append(f'{cn}: no :Privilege: field')
        if 'event' not in op and rst_field(body, 'Errors') is None:
            errs.append(f'{cn}: no :Errors: field')
    tap(not errs, 'adprof.rst lists each command\'s attributes as the spec '
        'does, with privilege and errors', errs)

    subs = {}
    for title, body in sections:
        m = re.fullmatch(r'``adprofctl ([a-z-]+)``', title)
        if m:
            subs[m.group(1)] = body
    errs = [f'adprofctl {s}: no section' for s in SUBCOMMANDS
            if s not in subs]
    errs += [f'adprofctl {s}: documented, not a subcommand of the design'
             for s in subs if s not in SUBCOMMANDS]
    for s, body in subs.items():
        sends = rst_field(body, 'Sends')
        if sends is None:
            errs.append(f'adprofctl {s}: no :Sends: field')
            continue
        for cn in re.findall(r'``([A-Z][A-Z0-9_]*)``', sends):
            if cn.lower().replace('_', '-') not in ops:
                errs.append(f'adprofctl {s}: sends {cn}, not an operation')
        if not re.search(r'^\s*[#$] adprofctl ' + re.escape(s) + r'\b',
                         body, re.M):
            errs.append(f'adprofctl {s}: no example ("# adprofctl {s} ...")')
    used = set()
    for body in subs.values():
        used |= {c.lower().replace('_', '-') for c in
                 re.findall(r'``([A-Z][A-Z0-9_]*)``',
                            rst_field(body, 'Sends') or '')}
    for n, op in ops.items():
        if n not in used:
            errs.append(f'{c_upper(n)}: no adprofctl subcommand uses it')
    tap(not errs, 'adprof.rst documents every adprofctl subcommand, each '
        'naming operations of the spec and with an example', errs)

    # The tool's own command table, where it can be read.
    table = set()
    for f in sorted(os.listdir(USERSPACE)) if os.path.isdir(USERSPACE) \
            else []:
        if f.endswith('.c'):
            src = open(os.path.join(USERSPACE, f), errors='replace').read()
            table |= set(re.findall(r'\{\s*\.?(?:name\s*=\s*)?"([a-z-]+)"'
                                    r'\s*,\s*(?:\.handler\s*=\s*)?cmd_\w+',
                                    src))
    table.discard('help')   # documented with the tool's synopsis
    if table:
        errs = [f'adprofctl {s}: in the tool, not documented'
                for s in sorted(table - set(subs))]
        errs += [f'adprofctl {s}: documented, not in the tool'
                 for s in sorted(set(subs) - table)]
        tap(not errs, 'adprofctl\'s command table and adprof.rst agree',
            errs)
    else:
        tap(False, 'adprofctl\'s command table and adprof.rst agree',
            ['command table not found in userspace/*.c'])


if __name__ == '__main__':
    main()
    sys.exit(1 if failed else 0)
