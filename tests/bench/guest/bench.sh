# SPDX-License-Identifier: GPL-2.0
# Display benchmark, in one guest: vgpu (its default, damage clips sent
# one by one or merged as each costs the host less, then with every
# update merged into one rectangle: vgpu_merged), an older vgpu.ko when
# one was given (vgpu_base), then the in-tree virtio_gpu, BENCH_ROUNDS
# times.
# Not a pass/fail test: it fails only when a run cannot complete.
. /run/payload/lib.sh
N=${BENCH_FRAMES:-120}

bench() { # label
	wait_for /dev/dri/card0 30 || fail "$1: no card0"
	vgpu_bench "$1" "$N" || fail "$1: vgpu_bench failed"
}

[ "$MOD" = vgpu ] || fail "run with --driver vgpu"
# Rounds alternate the drivers (BENCH_ROUNDS, default 5); the report
# gives each driver's median with its min-max. vgpu also runs with every
# update's clips merged (damage_clips_max 1: vgpu_merged).
round() { # driver round
	if [ $1 = vgpu ]; then
		p=/sys/module/vgpu/parameters/damage_clips_max
		max=$(cat $p)
		bench "vgpu@$2"
		echo 1 >$p
		bench "vgpu_merged@$2"
		echo "$max" >$p
	else
		bench "$1@$2"
	fi
}
bench_rounds round
exit 0
