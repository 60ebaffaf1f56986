#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the 3D benchmark as a table: each driver's figures per phase, and
vgpu's ratios to the in-tree virtio_gpu from the same guest run, with the
targets the project set."""
import json
import sys

DRIVERS = ["vgpu", "virtio_gpu"]
# phase -> (what is compared, how to read it, target ratio, higher is better)
PHASES = {
    "submit_latency": ("us per submission, waited", "us", 0.7, False),
    "submit_rate": ("submissions/s, not waited", "rate", 1.5, True),
    "bo_4k": ("4 KiB resource create+close/s", "rate", 2.0, True),
    "bo_4m": ("4 MiB resource create+close/s", "rate", 2.0, True),
    "kmscube": ("kmscube frames/s", "rate", 1.0, True),
    "glmark2": ("glmark2-es2-drm score", "score", 1.0, True),
}


def value(ph, kind):
    n = ph.get("frames", 0)
    wall = ph.get("wall_us", 0)
    if kind == "score":
        return float(ph.get("score", 0))
    if not n or not wall:
        return 0.0
    return wall / n if kind == "us" else n * 1e6 / wall


def best_rounds(data):
    """Each driver's best round per phase: keys "driver@round/phase"."""
    best = {}
    for key, ph in data.items():
        drv, _, phase = key.partition("/")
        drv = drv.split("@")[0]
        kind = PHASES.get(phase, (None, "rate"))[1]
        v = value(ph, kind)
        if not v:
            continue
        cur = best.get(f"{drv}/{phase}")
        better = cur is None or (v < value(cur, kind) if kind == "us" else v > value(cur, kind))
        if better:
            best[f"{drv}/{phase}"] = ph
    return best


def main():
    raw = json.load(open(sys.argv[1]))
    rounds = len({k.split("/")[0] for k in raw if k.startswith("vgpu@")}) or 1
    data = best_rounds(raw)
    print(f"Best of {rounds} round(s) per driver, drivers alternating in one guest.")
    print()
    print("| phase | measure | vgpu | in-tree virtio_gpu | ratio vgpu/in-tree | target | met |")
    print("|---|---|---|---|---|---|---|")
    for phase, (what, kind, target, higher) in PHASES.items():
        a, b = data.get(f"vgpu/{phase}"), data.get(f"virtio_gpu/{phase}")
        if not a or not b:
            continue
        va, vb = value(a, kind), value(b, kind)
        if not vb:
            continue
        r = va / vb
        met = r >= target if higher else r <= target
        sign = ">=" if higher else "<="
        print(f"| {phase} | {what} | {va:.1f} | {vb:.1f} | {r:.2f} | {sign} {target} | "
              f"{'yes' if met else 'no'} |")
    print()
    print("Guest CPU per operation (QEMU vCPU threads), vgpu / in-tree:")
    print()
    print("| phase | vgpu us | in-tree us | ratio | host cmds/op vgpu | in-tree | notifications/op vgpu | in-tree |")
    print("|---|---|---|---|---|---|---|---|")
    for phase in ("submit_latency", "submit_rate", "bo_4k", "bo_4m"):
        a, b = data.get(f"vgpu/{phase}"), data.get(f"virtio_gpu/{phase}")
        if not a or not b or not a.get("frames") or not b.get("frames"):
            continue
        ca = a.get("host_vcpu_us", a.get("cpu_us", 0)) / a["frames"]
        cb = b.get("host_vcpu_us", b.get("cpu_us", 0)) / b["frames"]
        print(f"| {phase} | {ca:.0f} | {cb:.0f} | {ca / cb if cb else 0:.2f} | "
              f"{a.get('cmds', 0) / a['frames']:.2f} | {b.get('cmds', 0) / b['frames']:.2f} | "
              f"{a.get('notifies', 0) / a['frames']:.2f} | {b.get('notifies', 0) / b['frames']:.2f} |")


if __name__ == "__main__":
    main()
