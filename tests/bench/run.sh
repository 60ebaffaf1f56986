#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: vgpu and the in-tree virtio_gpu in the same guest, QEMU
# tracing the host's GPU commands, printed as tables of ratios:
#   display  profile 2d, out/bench-display.md (tests/bench/vgpu_bench.c)
#   3d       profile virgl, out/bench-3d.md (vgpu_bench3d.c, kmscube, glmark2)
#   venus    profile venus (trixie's QEMU 10, sid guest), out/bench-venus.md
#            (tests/venus/vgpu_venus: render, allocations, submissions;
#            a guest per round, BENCH_ROUNDS of them (default 5); medians
#            with their spread)
# Environment: BENCH_SUITES (default "display 3d venus"), BENCH_FRAMES,
# BENCH_MESA (0: the 3d suite without kmscube and glmark2),
# BENCH_COUNT, BENCH_ROUNDS, BENCH_BASE (an older vgpu.ko: display and 3d
# run it too, as vgpu_base, for before-and-after figures), BENCH_KERNEL
# (6.1, the default, 6.12, 7.3 or sid: the guest's Debian kernel, against
# that kernel's in-tree driver; vgpu.ko is built for it by
# scripts/kernels.sh).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/vm/lib.sh
out=${OUT:-out}
mkdir -p "$out"
KVER=${KVER:-$(vgpu_debian_kver)}
case ${BENCH_BASE:-vgpu.ko} in
*/vgpu.ko | vgpu.ko) ;;
*) echo "FAIL: BENCH_BASE must name a file vgpu.ko"; exit 1 ;;
esac
kernel=${BENCH_KERNEL:-6.1}
if [ "$kernel" = 6.1 ]; then
	make -s KVER="$KVER" >/dev/null
else
	scripts/kernels.sh "$kernel" >"$out/bench-kernels.log" 2>&1 ||
		{ tail -n5 "$out/bench-kernels.log"; echo "FAIL: vgpu.ko for $kernel"; exit 1; }
fi
image=$(tests/vm/mkimage.sh | tail -n1)
for suite in ${BENCH_SUITES:-display 3d venus}; do
	case $suite in
	display) profile=2d test=bench report=report.py md=bench-display.md ;;
	3d) profile=virgl test=bench3d report=report3d.py md=bench-3d.md ;;
	venus) profile=venus test=benchvenus report=reportvenus.py md=bench-venus.md ;;
	*) echo "FAIL: unknown suite $suite"; exit 1 ;;
	esac
	rm -f "$out/bench-$profile.json"
	# Venus: a guest per round (see tests/bench/guest/benchvenus.sh)
	guests=1 timeout=2400
	[ $suite = venus ] && guests=${BENCH_ROUNDS:-5} timeout=600
	for r in $(seq "$guests"); do
		dir=$out
		[ "$guests" = 1 ] || dir=$out/$suite-$r
		mkdir -p "$dir"
		python3 tests/vm/vm.py --driver vgpu --kernel "$kernel" --profile $profile \
			--image "$image" --trace \
			${BENCH_ROUNDS:+--env BENCH_ROUNDS=$BENCH_ROUNDS} --env BENCH_ROUND="$r" \
			${BENCH_FRAMES:+--env BENCH_FRAMES=$BENCH_FRAMES} \
			${BENCH_COUNT:+--env BENCH_COUNT=$BENCH_COUNT} \
			${BENCH_MESA:+--env BENCH_MESA=$BENCH_MESA} \
			${BENCH_BASE:+--extra $BENCH_BASE} \
			--test-dir tests/bench/guest --tests $test --timeout $timeout \
			--env TEST_TIMEOUT=$((timeout - 60)) \
			--out "$dir" | grep -E '^(PASS|FAIL|SKIP|     )' || true
	done
	if [ "$guests" != 1 ]; then
		python3 -c 'import json, sys
m = {}
for f in sys.argv[2:]:
    m.update(json.load(open(f)))
json.dump(m, open(sys.argv[1], "w"), indent=1, sort_keys=True)' \
			"$out/bench-$profile.json" "$out"/$suite-*/bench-$profile.json 2>/dev/null
	fi
	[ -f "$out/bench-$profile.json" ] || { echo "FAIL: no $suite benchmark figures"; exit 1; }
	echo "## $suite"
	python3 tests/bench/$report "$out/bench-$profile.json" | tee "$out/$md"
done
