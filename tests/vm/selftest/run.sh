#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The rig detects what it must: a kernel splat fails kernel_log_clean and
# a guest that hangs is killed at the timeout and counted failed, with its
# last console lines printed; a test that outlives the guest's own timeout
# for it is stopped by the host's watchdog and failed by name; a kernel
# that never starts the rig's init is booted once more, then failed. Passes
# only if the rig reports exactly that.
set -u
top=$(cd "$(dirname "$0")/../../.." && pwd)
. "$top/tests/vm/lib.sh"
kver=${KVER:-$(vgpu_debian_kver)}
dir="$top/tests/vm/selftest"
make -s -C "/lib/modules/$kver/build" M="$dir" modules >/dev/null 2>&1 ||
	{ echo "FAIL: cannot build the self-test module"; exit 1; }
# the boots at once (each guest takes about one CPU)
stuck_log=$(mktemp)
VGPU_STUCK_GRACE=15 python3 "$top/tests/vm/vm.py" --profile 2d --driver vgpu \
	--tests "stuck module_load" --test-dir "$dir" --env TIMEOUT_stuck=5 \
	--timeout 600 ${IMAGE:+--image "$IMAGE"} >"$stuck_log" 2>&1 &
stuck_pid=$!
# The rig's init never starts: init=/bin/sleep hangs the boot, and
# init=/bin/false ends it (the kernel panics as init exits)
noinit_log=$(mktemp)
for init in "/bin/sleep -- 3600" /bin/false; do
	VGPU_BOOT_GRACE=60 python3 "$top/tests/vm/vm.py" --profile 2d --driver vgpu \
		--tests module_load --append "init=$init" --timeout 600 \
		${IMAGE:+--image "$IMAGE"} 2>&1
done >"$noinit_log" &
noinit_pid=$!
out=$(python3 "$top/tests/vm/vm.py" --profile 2d --driver vgpu --tests "splat hang" \
	--test-dir "$dir" --extra "$dir/vgpu_splat.ko" --timeout 75 ${IMAGE:+--image "$IMAGE"} 2>&1)
rc=$?
wait "$stuck_pid"
wait "$noinit_pid"
stuck=$(cat "$stuck_log")
noinit=$(cat "$noinit_log")
rm -f "$stuck_log" "$noinit_log"
make -s -C "/lib/modules/$kver/build" M="$dir" clean >/dev/null 2>&1
echo "$out" | grep -E '^(PASS|FAIL|SKIP|[0-9]+ passed)'
[ $rc != 0 ] || { echo "FAIL: the rig passed a run with a splat and a hang"; exit 1; }
echo "$out" | grep -q '^PASS vgpu/2d/splat$' || { echo "FAIL: splat test did not run"; exit 1; }
echo "$out" | grep -q '^FAIL vgpu/2d/kernel_log_clean' || { echo "FAIL: splat not detected"; exit 1; }
echo "$out" | grep -q '^FAIL vgpu/2d/guest_completed  (timed out' || { echo "FAIL: hang not detected"; exit 1; }
echo "$out" | grep -q '^     | .*WARNING: .*vgpu_splat' || { echo "FAIL: splat lines not printed"; exit 1; }
echo "$stuck" | grep -E '^(PASS|FAIL|SKIP|[0-9]+ passed)'
echo "$stuck" | grep -q '^FAIL vgpu/2d/stuck  (the guest stuck in it' ||
	{ echo "FAIL: a test stuck past its budget was not named"; exit 1; }
echo "$stuck" | grep -q 'vgpu/2d/module_load' &&
	{ echo "FAIL: the guest went on after the watchdog"; exit 1; }
echo "$noinit" | grep -E '^(PASS|FAIL|SKIP|[0-9]+ passed)'
[ "$(echo "$noinit" | grep -c "^     boot 1: the kernel never started the rig's init")" = 2 ] ||
	{ echo "FAIL: a boot that never started the rig's init was not booted again"; exit 1; }
[ "$(echo "$noinit" | grep -c "^FAIL vgpu/2d/guest_completed  (the kernel never started the rig's init, in two boots; the second ended")" = 2 ] ||
	{ echo "FAIL: a second boot without the rig's init did not fail the run"; exit 1; }
echo "rig detects splats, hangs, stuck tests and boots that never start its init"
