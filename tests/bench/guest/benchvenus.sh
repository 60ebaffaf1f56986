# SPDX-License-Identifier: GPL-2.0
# Venus benchmark, one round (BENCH_ROUND, default 1) in one guest
# (profile venus): vgpu, then the in-tree virtio_gpu. Per driver,
# tests/venus/vgpu_venus: frames/s of its checked render,
# host-visible allocate+map+free per second, the submit-to-fence round
# trip of empty submissions and their rate unwaited. Not a pass/fail
# test: it fails only when a run cannot complete.
. /run/payload/lib.sh
FRAMES=${BENCH_FRAMES:-120}
N=${BENCH_COUNT:-300}
ALLOCS=${BENCH_ALLOCS:-60}

rig() { echo "$*" >/dev/ttyS1; }

bench() { # label
	wait_for /dev/dri/renderD128 30 || fail "$1: no render node"
	rig "BENCH-MARK venus_$1"
	out=$(timeout 900 vgpu_venus -f "$FRAMES" -m "$ALLOCS" -l "$N" -n "$1" 2>&1) ||
		fail "$1: vgpu_venus: $(echo "$out" | grep -m1 -E '^(FAIL|SKIP)')"
	rig "BENCH-MARK venus_$1/end"
	echo "$out" | grep '^BENCH '
	echo "$out" | grep '^BENCH ' >/dev/ttyS1
}

[ "$EXPECT_VENUS" = yes ] || fail "run in the venus profile"
[ "$MOD" = vgpu ] || fail "run with --driver vgpu"
ICD=$(ls /usr/share/vulkan/icd.d/virtio_icd*.json 2>/dev/null | head -n1)
[ -n "$ICD" ] || fail "no Venus ICD in the guest image"
export VK_ICD_FILENAMES=$ICD
load_driver || fail "vgpu did not load"
# Unmeasured: the host compiles and caches the pipeline on first use.
vgpu_venus -f 10 -m 5 -l 20 -n warm_up >/dev/null 2>&1 || fail "warm-up failed"
# One round per guest: the in-tree driver's unload leaves blobs mapped in
# QEMU 10 (6.1 warns "Memory manager not clean during takedown"), after
# which the next driver's mappings fail or hang; tests/bench/run.sh boots
# a guest for each round.
r=${BENCH_ROUND:-1}
bench "vgpu@$r"
rmmod vgpu || fail "rmmod vgpu"
wait_gone /dev/dri/card0 10 || fail "card0 stayed"
modprobe virtio_gpu || fail "virtio_gpu did not load"
bench "virtio_gpu@$r"
exit 0
