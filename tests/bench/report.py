#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the display benchmark as a table: each driver's figures per phase,
and vgpu's ratios to the in-tree virtio_gpu from the same guest run."""
import json
import sys

PHASES = ["idle", "vblank_wait", "flip_full", "flip_async", "flip_small", "flip_clips4",
          "cursor_move"]
DRIVERS = ["vgpu", "vgpu_perclip", "virtio_gpu"]


def per_frame(ph):
    n = max(ph.get("frames", 0), 1)
    wall = ph.get("wall_us", 0)
    # Guest CPU: the QEMU vCPU threads' CPU time (TCG runs the guest on
    # them; an idle vCPU sleeps), else the guest's own /proc/stat figure.
    cpu = ph.get("host_vcpu_us", ph.get("cpu_us", 0))
    return {
        "fps": n * 1e6 / wall if wall else 0.0,
        "cpu_us": cpu / n,
        "dev_us": ph.get("host_other_us", 0) / n,
        "cmds": ph.get("cmds", 0) / n,
        "notifies": ph.get("notifies", 0) / n,
    }


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def main():
    data = json.load(open(sys.argv[1]))
    print("| phase | driver | frames/s | guest CPU us/frame | QEMU other us/frame | host cmds/frame | notifications/frame |")
    print("|---|---|---|---|---|---|---|")
    rows = {}
    for phase in PHASES:
        for drv in DRIVERS:
            ph = data.get(f"{drv}/{phase}")
            if not ph or not ph.get("frames"):
                continue
            f = per_frame(ph)
            rows[(drv, phase)] = f
            print(f"| {phase} | {drv} | {f['fps']:.1f} | {f['cpu_us']:.0f} | {f['dev_us']:.0f} | "
                  f"{f['cmds']:.2f} | {f['notifies']:.2f} |")
    print()
    print("Ratios, vgpu / in-tree virtio_gpu (CPU and notifications: lower is better):")
    print()
    print("| phase | frames/s | guest CPU per frame | guest CPU per second | host cmds per frame | notifications per frame |")
    print("|---|---|---|---|---|---|")
    for phase in PHASES:
        a, b = rows.get(("vgpu", phase)), rows.get(("virtio_gpu", phase))
        if not a or not b:
            continue
        print(f"| {phase} | {ratio(a['fps'], b['fps'])} | {ratio(a['cpu_us'], b['cpu_us'])} | "
              f"{ratio(a['cpu_us'] * a['fps'], b['cpu_us'] * b['fps'])} | "
              f"{ratio(a['cmds'], b['cmds'])} | {ratio(a['notifies'], b['notifies'])} |")
    for drv in DRIVERS:
        a, b = rows.get((drv, "flip_async")), rows.get((drv, "flip_full"))
        if a and b:
            print()
            print(f"Async flips / vblank-paced flips ({drv}): frames/s "
                  f"{ratio(a['fps'], b['fps'])}, guest CPU per frame "
                  f"{ratio(a['cpu_us'], b['cpu_us'])}, notifications per frame "
                  f"{ratio(a['notifies'], b['notifies'])}")
    a, b = rows.get(("vgpu_perclip", "flip_clips4")), rows.get(("vgpu", "flip_clips4"))
    if a and b:
        print()
        print(f"Four damage clips, one by one / merged (vgpu): guest CPU per frame "
              f"{ratio(a['cpu_us'], b['cpu_us'])}, frames/s {ratio(a['fps'], b['fps'])}, "
              f"notifications per frame {ratio(a['notifies'], b['notifies'])}")


if __name__ == "__main__":
    main()
