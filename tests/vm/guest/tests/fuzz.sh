# SPDX-License-Identifier: GPL-2.0
# Hostile ioctls (tests/fuzz/vgpu_fuzz.c) on the card and render nodes:
# FUZZ_IOCTLS ioctls from FUZZ_PROCS processes x FUZZ_THREADS threads,
# seeded by FUZZ_SEED (else a fresh seed, printed). The device must work
# afterwards: a modeset and, with 3D, a virgl frame. Splats and kmemleak
# reports fail the run on the host's side (kernel_log_clean, kmemleak).
. /run/payload/lib.sh
# The in-tree driver has no memory bounds: fuzzing it ends in the OOM killer.
[ "$DRIVER" = vgpu ] || skip "vgpu only"
load_driver || fail "driver did not load"
modprobe vgem 2>/dev/null
n=${FUZZ_IOCTLS:-20000}
# within the test's time, leaving two minutes for the checks after it
out=$(vgpu_fuzz -T $((${TEST_TIMEOUT:-300} - 120)) -n "$n" -p "${FUZZ_PROCS:-3}" -t "${FUZZ_THREADS:-3}" ${FUZZ_SEED:+-s $FUZZ_SEED} 2>&1)
rc=$?
echo "$out" | tail -n 20
summary=$(echo "$out" | grep '^vgpu_fuzz: seed .*ioctls (' | tail -n1)
[ $rc = 0 ] || fail "vgpu_fuzz exit $rc: $(echo "$out" | grep -m1 'ended badly')"
[ -n "$summary" ] || fail "vgpu_fuzz printed no summary"
done=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) ioctls (.*/\1/p')
[ "$done" -ge "$n" ] || fail "only $done of $n ioctls in the time given"
echo "BENCH fuzz ioctls=$done" >/dev/ttyS1
# The device still works: a fresh client sets a mode and flips.
vgpu_kms modeset flip_events >/tmp/after 2>&1 ||
	{ cat /tmp/after; card_holders; fail "display broken after fuzzing: $(grep -m1 fail /tmp/after)"; }
cat /tmp/after
if [ "$EXPECT_VIRGL" = yes ]; then
	timeout 120 kmscube -D /dev/dri/card0 -c 30 >/tmp/cube 2>&1 &&
		grep -qE '^Rendered [0-9]+ frames' /tmp/cube ||
		{ tail -n 5 /tmp/cube; fail "3D broken after fuzzing"; }
	grep -m1 '^Rendered' /tmp/cube
fi
echo "$summary"
