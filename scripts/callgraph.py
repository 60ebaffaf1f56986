#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cross-file calls between vgpu's driver files, from the object files'
symbols (nm): file A calls file B when A leaves a symbol undefined that B
defines. Prints every edge (A -> B: the symbols) and fails on a cycle, so
that the layers' one-way order (Documentation/design.rst) stays true.

  scripts/callgraph.py [--quiet|--levels] [DIR]
                                      (DIR: drivers/gpu/drm/vgpu, built)

--levels prints the files by layer instead of the edges: each file above
every file it calls (the picture in Documentation/design.rst).
"""
import glob
import os
import subprocess
import sys


def symbols(obj):
    """(defined global symbols, undefined symbols) of an object file."""
    out = subprocess.run(["nm", obj], capture_output=True, text=True,
                         check=True).stdout
    defined, undefined = set(), set()
    for ln in out.splitlines():
        parts = ln.split()
        if len(parts) == 2 and parts[0] == "U":
            undefined.add(parts[1])
        elif len(parts) == 3 and parts[1] in "TDBR":
            defined.add(parts[2])
    return defined, undefined


def graph(objs):
    """{caller: {callee: [symbols]}} of the files' cross-file references."""
    syms = {os.path.basename(o)[:-2]: symbols(o) for o in objs}
    owner = {s: f for f, (d, _) in syms.items() for s in d}
    edges = {}
    for f, (_, undef) in syms.items():
        for s in sorted(undef):
            g = owner.get(s)
            if g and g != f:
                edges.setdefault(f, {}).setdefault(g, []).append(s)
    return syms.keys(), edges


def cycles(nodes, edges):
    """The strongly connected components with more than one file
    (Tarjan's algorithm): each holds at least one cycle."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return out


def levels(nodes, edges):
    """{level: files}: a file's level is one more than the highest level
    of the files it calls (0: calls no other file). Only without cycles."""
    memo = {}

    def level(v):
        if v not in memo:
            memo[v] = 1 + max((level(w) for w in edges.get(v, {})), default=-1)
        return memo[v]

    out = {}
    for v in nodes:
        out.setdefault(level(v), []).append(v)
    return out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quiet = "--quiet" in sys.argv[1:]
    show_levels = "--levels" in sys.argv[1:]
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    d = args[0] if args else os.path.join(top, "drivers/gpu/drm/vgpu")
    objs = sorted(o for o in glob.glob(os.path.join(d, "vgpu_*.o"))
                  if not o.endswith(".mod.o"))
    if not objs:
        print(f"callgraph: no object files in {d} (build vgpu.ko first)")
        return 1
    nodes, edges = graph(objs)
    bad = cycles(nodes, edges)
    if show_levels and not bad:
        by = levels(nodes, edges)
        for lv in sorted(by, reverse=True):
            print(f"{lv}  {' '.join(sorted(f[len('vgpu_'):] for f in by[lv]))}")
        return 0
    if not quiet and not show_levels:
        for f in sorted(edges):
            for g in sorted(edges[f]):
                print(f"{f} -> {g}: {' '.join(edges[f][g])}")
    for comp in bad:
        inner = [f"{f} -> {g}" for f in comp for g in sorted(edges.get(f, {}))
                 if g in comp]
        print(f"callgraph: cycle among {' '.join(comp)}: {', '.join(inner)}")
    n = sum(len(v) for v in edges.values())
    print(f"callgraph: {len(objs)} files, {n} cross-file edges, {len(bad)} cycles")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
