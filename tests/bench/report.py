#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the display benchmark as tables: per driver and phase the median
of its rounds with their min-max, and vgpu's ratios of medians to the
in-tree virtio_gpu from the same guest."""
import json
import sys

import stats

PHASES = ["idle", "vblank_wait", "flip_full", "flip_async", "flip_small", "flip_clips4",
          "cursor_move"]
DRIVERS = ["vgpu", "vgpu_merged", "vgpu_base", "virtio_gpu"]
# figure -> (column, format)
FIGURES = {
    "fps": ("frames/s", "{:.1f}"),
    "cpu": ("guest CPU us/frame", "{:.0f}"),
    "dev": ("QEMU other us/frame", "{:.0f}"),
    "cmds": ("host cmds/frame", "{:.2f}"),
    "notifies": ("notifications/frame", "{:.2f}"),
}
# Targets of the ratios vgpu / in-tree (lower is better for all of them).
TARGETS = {
    ("flip_full", "cpu"): 0.5, ("flip_small", "cpu"): 0.5, ("flip_clips4", "cpu"): 0.5,
    ("flip_full", "notifies"): 1.0, ("flip_small", "notifies"): 1.0,
    ("cursor_move", "cpu"): 0.5,
}


def value(phase, ph):
    n = ph.get("frames", 0)
    wall = ph.get("wall_us", 0)
    if phase not in PHASES or not n:
        return None
    # Guest CPU: the QEMU vCPU threads' CPU time (TCG runs the guest on
    # them; an idle vCPU sleeps), else the guest's own /proc/stat figure.
    cpu = ph.get("host_vcpu_us", ph.get("cpu_us", 0))
    return {
        "fps": n * 1e6 / wall if wall else None,
        "cpu": cpu / n,
        "dev": ph.get("host_other_us", 0) / n,
        "cmds": ph.get("cmds", 0) / n,
        "notifies": ph.get("notifies", 0) / n,
    }


def fmt_ratio(r):
    return f"{r:.2f}" if r is not None else "n/a"


def main():
    figs = stats.gather(json.load(open(sys.argv[1])), value)
    print(f"Median (min-max) of {stats.rounds_of(figs)} rounds per driver, "
          "drivers alternating in one guest.")
    print()
    print("| phase | driver | " + " | ".join(c for c, _ in FIGURES.values()) + " |")
    print("|---|---|" + "---|" * len(FIGURES))
    for phase in PHASES:
        for drv in DRIVERS:
            if (drv, phase, "cpu") not in figs:
                continue
            cells = [stats.cell(figs.get((drv, phase, f), []), fmt)
                     for f, (_, fmt) in FIGURES.items()]
            print(f"| {phase} | {drv} | " + " | ".join(cells) + " |")
    print()
    print("Ratios of medians, vgpu / in-tree virtio_gpu (CPU and notifications: "
          "lower is better):")
    print()
    print("| phase | frames/s | guest CPU per frame | host cmds per frame | "
          "notifications per frame | targets |")
    print("|---|---|---|---|---|---|")
    for phase in PHASES:
        r = {f: stats.ratio(figs.get(("vgpu", phase, f), []),
                            figs.get(("virtio_gpu", phase, f), []))
             for f in ("fps", "cpu", "cmds", "notifies")}
        if r["cpu"] is None:
            continue
        targets = [f"{f} {stats.verdict(r[f], t, False)}"
                   for (p, f), t in TARGETS.items() if p == phase]
        print(f"| {phase} | {fmt_ratio(r['fps'])} | {fmt_ratio(r['cpu'])} | "
              f"{fmt_ratio(r['cmds'])} | {fmt_ratio(r['notifies'])} | "
              f"{'; '.join(targets) or '-'} |")
    for drv in DRIVERS:
        a = figs.get((drv, "flip_async", "cpu"))
        if a and figs.get((drv, "flip_full", "cpu")):
            print()
            print(f"Async flips / vblank-paced flips ({drv}): frames/s "
                  f"{fmt_ratio(stats.ratio(figs.get((drv, 'flip_async', 'fps'), []), figs.get((drv, 'flip_full', 'fps'), [])))}, "
                  f"guest CPU per frame "
                  f"{fmt_ratio(stats.ratio(a, figs[(drv, 'flip_full', 'cpu')]))}")
    a = [figs.get(("vgpu", "flip_clips4", f)) for f in ("cpu", "dev", "fps")]
    b = [figs.get(("vgpu_merged", "flip_clips4", f)) for f in ("cpu", "dev", "fps")]
    if all(a) and all(b):
        print()
        print("Four damage clips in the corners, vgpu (one by one) / vgpu_merged "
              f"(their bounding box): guest CPU per frame {fmt_ratio(stats.ratio(a[0], b[0]))}, "
              f"QEMU other threads per frame {fmt_ratio(stats.ratio(a[1], b[1]))}, "
              f"frames/s {fmt_ratio(stats.ratio(a[2], b[2]))}")


if __name__ == "__main__":
    main()
