#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the Venus benchmark as a table: per driver the median of its rounds
with their min-max spread (a round is one guest: vgpu, then the in-tree
virtio_gpu), and vgpu's ratio to the in-tree driver's median, against the
targets the project set."""
import json
import statistics
import sys

DRIVERS = ["vgpu", "virtio_gpu"]
# figure -> (what, unit, target ratio, higher is better)
FIGURES = {
    "submit_us": ("submit-to-fence round trip, empty submission", "us", 0.7, False),
    "submits_per_s": ("empty submissions/s, not waited", "/s", 1.5, True),
    "allocs_per_s": ("host-visible allocate+map+free/s", "/s", 1.5, True),
    "fps": ("checked render frames/s", "/s", 1.5, True),
    "cmds": ("host commands per round (QEMU trace)", "", None, False),
    "notifies": ("notifications per round (QEMU trace)", "", None, False),
}


def rounds(data):
    """driver -> figure -> [value per round], from phases venus_<drv>@<r>."""
    out = {}
    for key, ph in data.items():
        if not key.startswith("venus_") or "/" in key:
            continue
        drv = key[len("venus_"):].split("@")[0]
        if drv not in DRIVERS:
            continue
        for fig in FIGURES:
            if fig in ph:
                out.setdefault(drv, {}).setdefault(fig, []).append(float(ph[fig]))
    return out


def main():
    data = rounds(json.load(open(sys.argv[1])))
    n = min((len(v) for d in data.values() for v in d.values()), default=0)
    print(f"Median of {n} rounds per driver (min-max); each round one guest, vgpu then the in-tree driver.\n")
    print("| figure | vgpu | virtio_gpu | ratio | target |")
    print("|---|---|---|---|---|")
    for fig, (what, unit, target, higher) in FIGURES.items():
        cells = []
        med = {}
        for drv in DRIVERS:
            vals = data.get(drv, {}).get(fig, [])
            if not vals:
                cells.append("-")
                continue
            med[drv] = statistics.median(vals)
            cells.append(f"{med[drv]:.0f} ({min(vals):.0f}-{max(vals):.0f}){unit}")
        ratio, verdict = "-", "-"
        if len(med) == 2 and med["virtio_gpu"]:
            r = med["vgpu"] / med["virtio_gpu"]
            ratio = f"{r:.2f}"
            if target:
                met = r >= target if higher else r <= target
                verdict = f"{'>=' if higher else '<='} {target} {'met' if met else 'not met'}"
        print(f"| {what} | {cells[0]} | {cells[1]} | {ratio} | {verdict} |")


if __name__ == "__main__":
    main()
