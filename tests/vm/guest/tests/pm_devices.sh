# SPDX-License-Identifier: GPL-2.0
# Suspend and resume of the devices alone, PM_CYCLES (3) times, under a
# flipping and a rendering client (frozen with the rest of userspace): the
# PM core's test level "devices" (/sys/power/pm_test, CONFIG_PM_DEBUG)
# freezes userspace, suspends every device (the driver's freeze), waits
# pm_test_delay (1 s here) and resumes them (its restore); the machine
# itself never sleeps. The driver's part is the same as in an S3 cycle, so
# this runs where S3 cannot be trusted or is missing: on multi-threaded
# TCG (see suspend) and on the debug kernel, under KASAN, lockdep and
# kmemleak. The checks are suspend's.
. /run/payload/lib.sh
if [ "$DRIVER" != vgpu ]; then
	load_driver || fail "driver did not load"
	grep -qw virtgpu_freeze /proc/kallsyms ||
		skip "the in-tree driver of $(uname -r) has no freeze/restore"
fi
[ -w /sys/power/pm_test ] || skip "this kernel has no PM test levels (CONFIG_PM_DEBUG)"
grep -qw freeze /sys/power/state 2>/dev/null || skip "this kernel cannot suspend (CONFIG_SUSPEND)"
recovery_start
delay=/sys/module/suspend/parameters/pm_test_delay
old_delay=$(cat $delay)
trap 'echo none >/sys/power/pm_test; echo $old_delay >$delay; kill -TERM $flip $render 2>/dev/null; wait' EXIT
echo devices >/sys/power/pm_test
echo 1 >$delay
resumed() { dmesg | grep -c '\[drm\] resumed (0)'; }
before=$(resumed)
cycles=${PM_CYCLES:-3}
# "freeze" (suspend to idle) is offered wherever CONFIG_SUSPEND is,
# whatever the platform; the test level stops it after the devices
recovery_rounds devices "$cycles" sh -c 'echo freeze >/sys/power/state'
echo none >/sys/power/pm_test
n=$(dmesg | grep -c 'suspend debug: Waiting for')
[ "$n" -ge "$cycles" ] || fail "the PM core stopped at the devices $n times, not $cycles"
if [ "$DRIVER" != vgpu ]; then
	recovery_finish ".*"
	echo "$cycles device suspend/resume cycles: flips went on, new clients work"
	exit 0
fi
[ $(($(resumed) - before)) -eq "$cycles" ] ||
	fail "vgpu reported $(($(resumed) - before)) resumes for $cycles cycles"
recovery_finish "ECANCELED"
echo "$cycles device suspend/resume cycles: display back, flips went on, new clients work"
