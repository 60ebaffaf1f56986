# SPDX-License-Identifier: GPL-2.0
# Helpers for guest tests. A test exits 0 (pass), 77 (skip) or other (fail);
# its first "FAIL:"/"SKIP:" line is the reason the host prints.
P=/run/payload
BIN=$P/bin
. $P/config.env
PATH=$BIN:$PATH

if [ "$DRIVER" = vgpu ]; then
	MOD=vgpu
	OTHER=virtio_gpu
else
	MOD=virtio_gpu
	OTHER=vgpu
fi

fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }

# wait_for PATH SECONDS: wait until PATH exists
wait_for() {
	n=$(($2 * 10))
	while [ ! -e "$1" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -e "$1" ]
}

# wait_gone PATH SECONDS: wait until PATH is gone
wait_gone() {
	n=$(($2 * 10))
	while [ -e "$1" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ ! -e "$1" ]
}

# Load the driver under test (nothing to do when it is loaded). vgpu.ko is not in the guest's modules.dep
# (a depmod of the whole tree takes half a minute in TCG): its
# dependencies, as modinfo lists them, are loaded with modprobe first.
load_driver() {
	if [ -d /sys/module/$MOD ]; then
		wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
		return
	fi
	if [ "$MOD" = vgpu ]; then
		deps=$(modinfo -F depends $P/vgpu.ko | tr , ' ')
		[ -z "$deps" ] || modprobe -a $deps || return 1
		insmod $P/vgpu.ko $VGPU_PARAMS || return 1
	else
		modprobe "$MOD" || return 1
	fi
	wait_for /dev/dri/card0 30 && wait_for /dev/dri/renderD128 10
}

# The virtio device of the GPU (device id 0x0010).
gpu_virtio_dev() {
	for d in /sys/bus/virtio/devices/*; do
		[ "$(cat "$d/device")" = 0x0010 ] && { echo "$d"; return 0; }
	done
	return 1
}

# debugfs_value FILE KEY: the value after "KEY:" (vgpu) or "KEY :" (in-tree)
debugfs_value() {
	sed -n "s/^$2[[:space:]]*:[[:space:]]*//p" "$1" | head -n1
}

# report_case NAME pass|fail|skip [WHY]: one more result for the host,
# for tests that run many cases (KUnit).
report_case() {
	echo "RESULT $1 $2${3:+ $3}" >/dev/ttyS1
}

# run_subtests PREFIX PROGRAM [ARGS...]: run a tests/igt program, report
# each "SUBTEST <name> <result> [why]" line as PREFIX/<name>, and fail
# with the first failure's reason when any subtest failed.
run_subtests() {
	prefix=$1
	shift
	out=$("$@" 2>&1)
	rc=$?
	echo "$out"
	echo "$out" | while read -r tag name res why; do
		[ "$tag" = SUBTEST ] || continue
		report_case "$prefix/$name" "$res" "$why"
	done
	[ $rc = 0 ] || fail "$(echo "$out" | grep -m1 '^SUBTEST .* fail' | cut -d' ' -f2-)"
}
