#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check-layers.py - fail when lib/ breaks its layering (docs/architecture.md).

Layers, lowest first; a file may include headers of its own module and of lower
layers only:

    util < model < {parse, pack} < enrich < store < rules < core

parse and pack are peers and may not include each other. Inside enrich each module
(geo, lists, names, phone) is its own unit: enrich/enrich.h is the layer's base, and
the module graph must have no cycle (lists may use names; then names may not use
lists); the .c files beside enrich.h drive the modules and may include any of them. lib/internal.h, the tests' umbrella header, is never included from lib/.
Exit status 0 when clean, 1 with one line per violation.
"""
import os
import re
import sys

RANK = {"util": 0, "model": 1, "parse": 2, "pack": 2, "enrich": 3, "store": 4, "rules": 5,
        "core": 6}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def unit_of(path):
    """(layer, module) of a path relative to lib/, or None for files outside layers."""
    parts = path.split("/")
    layer = parts[0]
    if layer not in RANK:
        return None
    if layer == "enrich":
        if len(parts) > 2:
            return (layer, parts[1])
        # enrich/enrich.h is the layer's base (modules build on it); the .c files
        # beside it drive the modules (open them in order, enrich a record).
        return (layer, "base" if path.endswith(".h") else "driver")
    return (layer, None)


def main(root):
    lib = os.path.join(root, "lib")
    errors = []
    edges = {}
    for dirpath, _, files in os.walk(lib):
        for f in sorted(files):
            if not f.endswith((".c", ".h", ".cc")):
                continue
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, lib)
            if rel == "internal.h":
                continue
            me = unit_of(rel)
            if me is None:
                errors.append(f"lib/{rel}: file outside the layer folders {sorted(RANK)}")
                continue
            text = open(full, encoding="utf-8").read()
            for inc in INCLUDE.findall(text):
                if inc.startswith("idrisk/"):
                    continue  # the public header: every layer may use it
                if inc == "internal.h":
                    errors.append(f"lib/{rel}: includes internal.h (tests only)")
                    continue
                other = unit_of(inc)
                if other is None:
                    errors.append(f"lib/{rel}: includes \"{inc}\", not a layer header")
                    continue
                if other == me:
                    continue
                lm, lo = RANK[me[0]], RANK[other[0]]
                if lo > lm:
                    errors.append(f"lib/{rel}: layer {me[0]} includes higher layer "
                                  f"{other[0]} (\"{inc}\")")
                elif lo == lm and me[0] != other[0]:
                    errors.append(f"lib/{rel}: peer layers {me[0]} and {other[0]} "
                                  f"may not include each other (\"{inc}\")")
                elif me == ("enrich", "base") and other[0] == "enrich":
                    errors.append(f"lib/{rel}: the enrich base header includes a "
                                  f"module (\"{inc}\")")
                if me[0] == other[0] and me[1] != other[1]:
                    edges.setdefault(me, set()).add(other)
    # cycles between modules of one layer
    state = {}

    def visit(n, stack):
        state[n] = 1
        for m in sorted(edges.get(n, ()), key=str):
            if state.get(m) == 1:
                cyc = stack[stack.index(m):] + [m] if m in stack else [n, m]
                errors.append("include cycle: " + " -> ".join(
                    "/".join(x for x in u if x) for u in cyc))
            elif not state.get(m):
                visit(m, stack + [m])
        state[n] = 2

    for n in sorted(edges, key=str):
        if not state.get(n):
            visit(n, [n])
    for e in errors:
        print(e)
    if errors:
        print(f"check-layers: {len(errors)} violation(s)")
        return 1
    print("check-layers: lib/ is layered, no upward include, no cycle")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
