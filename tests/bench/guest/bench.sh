# SPDX-License-Identifier: GPL-2.0
# Display benchmark, in one guest: vgpu (damage clips merged, the
# default, then sent one by one: vgpu_perclip), then the in-tree virtio_gpu. Not a pass/fail test: it
# fails only when a run cannot complete.
. /run/payload/lib.sh
N=${BENCH_FRAMES:-120}

bench() { # label
	wait_for /dev/dri/card0 30 || fail "$1: no card0"
	vgpu_bench "$1" "$N" || fail "$1: vgpu_bench failed"
}

[ "$MOD" = vgpu ] || fail "run with --driver vgpu"
load_driver || fail "vgpu did not load"
echo 1 >/sys/module/vgpu/parameters/damage_clips_max
bench vgpu
echo 8 >/sys/module/vgpu/parameters/damage_clips_max
bench vgpu_perclip
rmmod vgpu || fail "rmmod vgpu"
wait_gone /dev/dri/card0 10 || fail "card0 stayed"
modprobe virtio_gpu || fail "virtio_gpu did not load"
bench virtio_gpu
rmmod virtio_gpu
exit 0
