#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn kunit.py's --json output into one TAP line per test case."""
import json
import sys


def walk(node, prefix, out):
    name = node.get("name", "")
    path = f"{prefix}.{name}" if prefix and name else (name or prefix)
    subs = node.get("sub_groups") or []
    cases = node.get("test_cases") or []
    for s in subs:
        walk(s, path, out)
    for c in cases:
        ok = c.get("status") in ("PASS", "SKIP")
        out.append((ok, f"{path}.{c.get('name')}", c.get("status")))


def main():
    try:
        with open(sys.argv[1]) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return 1
    label = sys.argv[2]
    out = []
    walk(data.get("results", data), "", out)
    if not out:
        return 1
    for ok, name, status in out:
        print(f"{'ok' if ok else 'not ok'} - {label}: {name.strip('.')}"
              + ("" if ok else f" ({status})"))
    return 0


sys.exit(main())
