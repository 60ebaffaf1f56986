#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: vgpu and the in-tree virtio_gpu in the same guest, QEMU
# tracing the host's GPU commands, printed as tables of ratios:
#   display  profile 2d, out/bench-display.md (tests/bench/vgpu_bench.c)
#   3d       profile virgl, out/bench-3d.md (vgpu_bench3d.c, kmscube, glmark2)
#   venus    profile venus (trixie's QEMU 10, sid guest), out/bench-venus.md
#            (tests/venus/vgpu_venus: render, allocations, submissions;
#            medians of BENCH_ROUNDS, default 5, with their spread)
# Environment: BENCH_SUITES (default "display 3d venus"), BENCH_FRAMES,
# BENCH_COUNT, BENCH_ROUNDS.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/vm/lib.sh
out=${OUT:-out}
mkdir -p "$out"
KVER=${KVER:-$(vgpu_debian_kver)}
make -s KVER="$KVER" >/dev/null
image=$(tests/vm/mkimage.sh | tail -n1)
for suite in ${BENCH_SUITES:-display 3d venus}; do
	case $suite in
	display) profile=2d test=bench report=report.py md=bench-display.md ;;
	3d) profile=virgl test=bench3d report=report3d.py md=bench-3d.md ;;
	venus) profile=venus test=benchvenus report=reportvenus.py md=bench-venus.md ;;
	*) echo "FAIL: unknown suite $suite"; exit 1 ;;
	esac
	rm -f "$out/bench-$profile.json"
	python3 tests/vm/vm.py --driver vgpu --profile $profile --image "$image" --trace \
		${BENCH_ROUNDS:+--env BENCH_ROUNDS=$BENCH_ROUNDS} \
		${BENCH_FRAMES:+--env BENCH_FRAMES=$BENCH_FRAMES} \
		${BENCH_COUNT:+--env BENCH_COUNT=$BENCH_COUNT} \
		--test-dir tests/bench/guest --tests $test --timeout 2400 \
		--out "$out" | grep -E '^(PASS|FAIL|SKIP|     )' || true
	[ -f "$out/bench-$profile.json" ] || { echo "FAIL: no $suite benchmark figures"; exit 1; }
	echo "## $suite"
	python3 tests/bench/$report "$out/bench-$profile.json" | tee "$out/$md"
done
