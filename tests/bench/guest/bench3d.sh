# SPDX-License-Identifier: GPL-2.0
# 3D benchmark, in one guest (profile virgl): vgpu, an older vgpu.ko
# when one was given (vgpu_base), then the in-tree virtio_gpu,
# BENCH_ROUNDS times (default 5). Per driver and round: vgpu_bench3d
# (submission latency and rate, resource churn), kmscube's frame rate and
# a glmark2-es2-drm score. Not a pass/fail test: it fails only when a run
# cannot complete.
. /run/payload/lib.sh
N=${BENCH_COUNT:-500}
FRAMES=${BENCH_FRAMES:-300}

rig() { echo "$*" >/dev/ttyS1; }

glmark() {
	glmark2-es2-drm --size 640x480 -b build:use-vbo=true:duration=$1 \
		-b texture:duration=$1 -b shading:shading=phong:duration=$1 2>&1
}

# Whoever runs first must not pay for the machine warming up: QEMU backs
# guest memory on first touch, and the host's Mesa compiles and caches
# the shaders on first use. So, unmeasured: touch most of the guest's
# memory once, and run the Mesa workloads once.
warm_up() {
	mkdir -p /tmp/warm
	mount -t tmpfs -o size=1400m tmpfs /tmp/warm &&
		dd if=/dev/zero of=/tmp/warm/f bs=1M count=1300 2>/dev/null
	rm -f /tmp/warm/f
	umount /tmp/warm 2>/dev/null
	[ "${BENCH_MESA:-1}" = 1 ] || return 0
	kmscube -D /dev/dri/card0 -c 60 >/dev/null 2>&1
	glmark 1 >/dev/null
}

bench() { # label
	wait_for /dev/dri/renderD128 30 || fail "$1: no render node"
	vgpu_bench3d "$1" "$N" || fail "$1: vgpu_bench3d failed"
	# BENCH_MESA=0: the uapi phases only (quicker, for a driver change)
	[ "${BENCH_MESA:-1}" = 1 ] || return 0
	rig "BENCH-MARK $1/kmscube"
	sleep 2
	out=$(kmscube -D /dev/dri/card0 -c "$FRAMES" 2>&1) || fail "$1: kmscube: $(echo "$out" | tail -n1)"
	# "Rendered N frames in S sec (F fps)": the last, whole-run line
	line=$(echo "$out" | grep '^Rendered' | tail -n1)
	echo "$line"
	frames=$(echo "$line" | awk '{ print $2 }')
	us=$(echo "$line" | awk '{ printf "%d", $5 * 1000000 }')
	rig "BENCH $1/kmscube frames=$frames wall_us=$us"
	rig "BENCH-MARK $1/glmark2"
	sleep 2
	out=$(glmark 5) || fail "$1: glmark2: $(echo "$out" | tail -n1)"
	score=$(echo "$out" | sed -n 's/.*glmark2 Score: *\([0-9]*\).*/\1/p')
	echo "$1 glmark2 score $score"
	rig "BENCH $1/glmark2 score=$score"
	rig "BENCH-MARK $1/end"
}

[ "$EXPECT_VIRGL" = yes ] || fail "run in the virgl profile"
[ "$MOD" = vgpu ] || fail "run with --driver vgpu"
load_driver || fail "vgpu did not load"
warm_up
# Rounds alternate the drivers; the report gives each driver's median
# with its min-max (TCG timing varies by tens of percent from one minute
# to the next).
round() { # driver round
	bench "$1@$2"
}
bench_rounds round
exit 0
