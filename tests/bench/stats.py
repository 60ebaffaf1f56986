# SPDX-License-Identifier: GPL-2.0
"""Rounds, medians and spreads of the benchmark figures (make bench).

A guest's figures are keyed "<driver>@<round>/<phase>" (a key without
"@<round>" is round 1). Each report turns a phase's figures into the
values it compares; this module gathers them per driver and phase over
the rounds, and prints medians with their min-max and ratios of medians.
"""
import statistics


def split_key(key):
    """("driver", round, "phase") of a figure's key, or None."""
    label, sep, phase = key.partition("/")
    if not sep:
        return None
    drv, _, rnd = label.partition("@")
    return drv, int(rnd) if rnd.isdigit() else 1, phase


def gather(data, value):
    """{(driver, phase, what): [value per round]} for every figure that
    value(phase, figures) turns into a dict {what: number} (None is a
    missing figure)."""
    out = {}
    for key in sorted(data, key=lambda k: split_key(k) or ("", 0, "")):
        parts = split_key(key)
        if not parts:
            continue
        drv, _, phase = parts
        for what, v in (value(phase, data[key]) or {}).items():
            if v is not None:
                out.setdefault((drv, phase, what), []).append(float(v))
    return out


def median(vals):
    return statistics.median(vals) if vals else None


def cell(vals, fmt="{:.1f}"):
    """"median (min-max)" of a figure's rounds, "-" without any."""
    if not vals:
        return "-"
    if len(vals) == 1:
        return fmt.format(vals[0])
    return (fmt.format(median(vals)) + " (" + fmt.format(min(vals)) + "-"
            + fmt.format(max(vals)) + ")")


def ratio(a, b):
    """The ratio of two figures' medians, or None."""
    ma, mb = median(a), median(b)
    return ma / mb if ma is not None and mb else None


def verdict(r, target, higher):
    """"<= 0.7 met" / ">= 1.5 not met", or "-" without a target."""
    if r is None or target is None:
        return "-"
    met = r >= target if higher else r <= target
    return f"{'>=' if higher else '<='} {target} {'met' if met else 'not met'}"


def rounds_of(figs):
    """How many rounds the figures have: "5", or "3-5" where some lack
    rounds (a run that failed, say)."""
    counts = [len(v) for v in figs.values()]
    if not counts:
        return "0"
    lo, hi = min(counts), max(counts)
    return str(hi) if lo == hi else f"{lo}-{hi}"
