# SPDX-License-Identifier: GPL-2.0
# Venus benchmark, in one guest (profile venus): vgpu and the in-tree
# virtio_gpu alternating, BENCH_ROUNDS rounds (default 5). Per driver and
# round, tests/venus/vgpu_venus: frames/s of its checked render,
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

# The in-tree driver resets the device on unload with its console on the
# scanout, which QEMU 10 does not survive (Documentation/rig.rst): its
# console is unbound and the display blanked first.
unload_intree() {
	for c in /sys/class/vtconsole/vtcon*; do
		grep -q 'frame buffer' $c/name 2>/dev/null && echo 0 >$c/bind
	done
	echo 1 >/sys/class/graphics/fb0/blank 2>/dev/null
	sleep 1
	rmmod virtio_gpu || fail "rmmod virtio_gpu"
	wait_gone /dev/dri/card0 10 || fail "card0 stayed"
}

[ "$EXPECT_VENUS" = yes ] || fail "run in the venus profile"
[ "$MOD" = vgpu ] || fail "run with --driver vgpu"
ICD=$(ls /usr/share/vulkan/icd.d/virtio_icd*.json 2>/dev/null | head -n1)
[ -n "$ICD" ] || fail "no Venus ICD in the guest image"
export VK_ICD_FILENAMES=$ICD
load_driver || fail "vgpu did not load"
# Unmeasured: the host compiles and caches the pipeline on first use.
vgpu_venus -f 10 -m 5 -l 20 -n warm_up >/dev/null 2>&1 || fail "warm-up failed"
r=1
while :; do
	bench "vgpu@$r"
	rmmod vgpu || fail "rmmod vgpu"
	wait_gone /dev/dri/card0 10 || fail "card0 stayed"
	modprobe virtio_gpu || fail "virtio_gpu did not load"
	bench "virtio_gpu@$r"
	unload_intree
	[ $r -lt "${BENCH_ROUNDS:-5}" ] || break
	r=$((r + 1))
	load_driver || fail "vgpu did not load again"
done
exit 0
