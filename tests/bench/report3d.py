#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the 3D benchmark as tables: per driver the median of its rounds
with their min-max, and vgpu's ratio of medians to the in-tree
virtio_gpu from the same guest, with the targets the project set."""
import json
import sys

import stats

DRIVERS = ["vgpu", "vgpu_base", "virtio_gpu"]
# phase -> (what is compared, how to read it, target ratio, higher is better)
PHASES = {
    "submit_latency": ("us per submission, waited", "us", 0.7, False),
    "submit_rate": ("submissions/s, not waited", "rate", 1.5, True),
    "bo_4k": ("4 KiB resource create+close/s", "rate", 2.0, True),
    "bo_4m": ("4 MiB resource create+close/s", "rate", 2.0, True),
    "kmscube": ("kmscube frames/s", "rate", 1.0, True),
    "glmark2": ("glmark2-es2-drm score", "score", 1.0, True),
}
PER_OP = ("submit_latency", "submit_rate", "bo_4k", "bo_4m")
# memory phases -> what was kept open
MEMORY = {
    "mem_3d": "32x32 3D resources (RESOURCE_CREATE)",
    "mem_dumb": "32x32 dumb buffers",
}
MEMORY_TARGET = 0.7


def value(phase, ph):
    """The compared figure and, per operation, guest CPU (the QEMU vCPU
    threads' time), host commands and notifications (QEMU's trace)."""
    if phase == "submit_latency_pct":
        if "p50_us" not in ph:
            return None
        return {"p50": float(ph["p50_us"]), "p90": float(ph["p90_us"])}
    if phase in MEMORY:
        if "slab_b" not in ph:
            return None
        return {"slab": float(ph["slab_b"]), "mem": float(ph["mem_b"])}
    if phase not in PHASES:
        return None
    kind = PHASES[phase][1]
    n, wall = ph.get("frames", 0), ph.get("wall_us", 0)
    if kind == "score":
        return {"main": float(ph.get("score", 0))}
    if not n or not wall:
        return None
    out = {"main": wall / n if kind == "us" else n * 1e6 / wall}
    cpu = ph.get("host_vcpu_us", ph.get("cpu_us", 0))
    out["cpu"] = cpu / n
    if "host_other_us" in ph:
        out["other"] = ph["host_other_us"] / n
    out["cmds"] = ph.get("cmds", 0) / n
    out["notifies"] = ph.get("notifies", 0) / n
    if "host_turn_us" in ph:
        out["turn"] = float(ph["host_turn_us"])
        if kind == "us":
            out["guest_part"] = out["main"] - out["turn"]
    return out


def main():
    figs = stats.gather(json.load(open(sys.argv[1])), value)
    base = any(k[0] == "vgpu_base" for k in figs)
    print(f"Median (min-max) of {stats.rounds_of(figs)} rounds per driver, "
          "drivers alternating in one guest.")
    if base:
        print("vgpu_base: the older vgpu.ko given as BENCH_BASE; "
              "\"vs base\" is vgpu / vgpu_base.")
    print()
    print("| phase | measure | vgpu |" + (" vgpu_base | vs base |" if base else "")
          + " in-tree virtio_gpu | ratio | target |")
    print("|---|---|---|" + ("---|---|" if base else "") + "---|---|---|")
    for phase, (what, _, target, higher) in PHASES.items():
        a = figs.get(("vgpu", phase, "main"), [])
        b = figs.get(("virtio_gpu", phase, "main"), [])
        if not a or not b:
            continue
        r = stats.ratio(a, b)
        cells = [phase, what, stats.cell(a)]
        if base:
            c = figs.get(("vgpu_base", phase, "main"), [])
            rb = stats.ratio(a, c)
            cells += [stats.cell(c), f"{rb:.2f}" if rb else "-"]
        cells += [stats.cell(b), f"{r:.2f}", stats.verdict(r, target, higher)]
        print("| " + " | ".join(cells) + " |")
        if phase != "submit_latency":
            continue
        # each round's median and 90th percentile of its round trips
        for pct in ("p50", "p90"):
            a = figs.get(("vgpu", "submit_latency_pct", pct), [])
            b = figs.get(("virtio_gpu", "submit_latency_pct", pct), [])
            if not a or not b:
                continue
            r = stats.ratio(a, b)
            cells = [phase, f"us per submission, waited, {pct} of a round", stats.cell(a)]
            if base:
                c = figs.get(("vgpu_base", "submit_latency_pct", pct), [])
                rb = stats.ratio(a, c)
                cells += [stats.cell(c), f"{rb:.2f}" if rb else "-"]
            cells += [stats.cell(b), f"{r:.2f}",
                      stats.verdict(r, target, higher) if pct == "p50" else "-"]
            print("| " + " | ".join(cells) + " |")
    print()
    print("Per operation, medians: guest CPU (QEMU vCPU threads), QEMU's other "
          "threads (virgl runs there), host commands and notifications (QEMU trace), "
          "the host's turnaround (QEMU trace: from the guest's notification to the "
          "device's next interrupt on that queue) and, for the waited round trip, "
          "what is left of it for the guest:")
    print()
    drivers = [d for d in DRIVERS if d != "vgpu_base" or base]
    print("| phase | figure | " + " | ".join(drivers) + " | ratio vgpu/in-tree |")
    print("|---|---|" + "---|" * len(drivers) + "---|")
    for phase in PER_OP:
        for what, name, fmt in (("cpu", "guest CPU us", "{:.0f}"),
                                ("other", "QEMU other threads us", "{:.0f}"),
                                ("cmds", "host commands", "{:.2f}"),
                                ("notifies", "notifications", "{:.2f}"),
                                ("turn", "host turnaround us", "{:.0f}"),
                                ("guest_part", "round trip less turnaround us",
                                 "{:.0f}")):
            vals = [figs.get((d, phase, what), []) for d in drivers]
            if not any(vals):
                continue
            r = stats.ratio(vals[0], vals[-1])
            print(f"| {phase} | {name} | " + " | ".join(stats.cell(v, fmt) for v in vals)
                  + (f" | {r:.2f} |" if r else " | - |"))
    print()
    print("Memory per buffer kept open, medians in bytes (/proc/meminfo before and "
          f"after; target for kernel slab <= {MEMORY_TARGET}):")
    print()
    print("| buffers | figure | " + " | ".join(drivers) + " | ratio vgpu/in-tree | target |")
    print("|---|---|" + "---|" * len(drivers) + "---|---|")
    for phase, what in MEMORY.items():
        for fig, name in (("slab", "kernel slab"), ("mem", "all memory (MemFree)")):
            vals = [figs.get((d, phase, fig), []) for d in drivers]
            if not any(vals):
                continue
            r = stats.ratio(vals[0], vals[-1])
            target = MEMORY_TARGET if fig == "slab" else None
            print(f"| {what} | {name} | "
                  + " | ".join(stats.cell(v, "{:.0f}") for v in vals)
                  + (f" | {r:.2f}" if r else " | -")
                  + f" | {stats.verdict(r, target, False)} |")


if __name__ == "__main__":
    main()
