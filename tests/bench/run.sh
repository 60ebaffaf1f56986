#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: display benchmarks, vgpu and the in-tree virtio_gpu in the
# same guest (profile 2d, QEMU tracing the host's GPU commands), printed
# as a table of ratios and saved in out/bench-display.md.
# Environment: BENCH_FRAMES (default 120).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/vm/lib.sh
out=${OUT:-out}
mkdir -p "$out"
KVER=${KVER:-$(vgpu_debian_kver)}
make -s KVER="$KVER" >/dev/null
image=$(tests/vm/mkimage.sh | tail -n1)
rm -f "$out/bench-2d.json"
python3 tests/vm/vm.py --driver vgpu --profile 2d --image "$image" --trace \
	--test-dir tests/bench/guest --tests bench --timeout 900 \
	--out "$out" | grep -E '^(PASS|FAIL|SKIP|     )' || true
[ -f "$out/bench-2d.json" ] || { echo "FAIL: no benchmark figures"; exit 1; }
python3 tests/bench/report.py "$out/bench-2d.json" | tee "$out/bench-display.md"
