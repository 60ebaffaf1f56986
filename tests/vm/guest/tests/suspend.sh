# SPDX-License-Identifier: GPL-2.0
# Suspend to RAM (ACPI S3) and back, woken by the RTC alarm, under a
# flipping and a rendering client (frozen with the rest of userspace),
# SUSPEND_CYCLES (2) times. After resume the display must be back with no
# modeset from userspace: the flipping client goes on flipping and the
# host sees no command on a resource it lacks (host_errors does not move);
# a client with a 3D context gets ECANCELED (its context was lost with the
# host's state), not a hang; new clients modeset and, with virgl, render.
# The in-tree driver runs the same cycles where it has freeze/restore,
# with the checks that need no vgpu debugfs: S3 entered and left, flips
# went on, new clients work.
. /run/payload/lib.sh
if [ "$DRIVER" != vgpu ]; then
	load_driver || fail "driver did not load"
	grep -qw virtgpu_freeze /proc/kallsyms ||
		skip "the in-tree driver of $(uname -r) has no freeze/restore"
fi
grep -qw mem /sys/power/state 2>/dev/null || skip "this kernel cannot suspend to RAM"
grep -qw deep /sys/power/mem_sleep 2>/dev/null || skip "the machine offers no S3"
command -v rtcwake >/dev/null || skip "no rtcwake"
recovery_start
echo deep >/sys/power/mem_sleep
cycles=${SUSPEND_CYCLES:-2}
i=0
while [ $i -lt "$cycles" ]; do
	# the host wakes the guest if the alarm fired before it slept
	echo "WAKE-AFTER 15" >/dev/ttyS1
	recovery_round "suspend $i" rtcwake -m mem -s 3
	i=$((i + 1))
done
dmesg | grep -E "ACPI: PM: (Preparing to enter|Waking up from) system sleep state S3" | tail -n2
[ "$(dmesg | grep -c 'Waking up from system sleep state S3')" -ge "$cycles" ] ||
	fail "the machine did not go through S3 $cycles times"
if [ "$DRIVER" != vgpu ]; then
	recovery_finish ".*"
	echo "$cycles suspend/resume cycles through S3: flips went on, new clients work"
	exit 0
fi
# vgpu's part of the last resume: from the wake-up to its restore's end
woke=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\].*Waking up from system sleep state S3.*/\1/p' | tail -n1)
back=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\].*\[drm\] resumed (0).*/\1/p' | tail -n1)
[ -n "$back" ] || fail "vgpu did not report its resume"
took=$(echo "$woke $back" | awk '{ printf "%.2f", $2 - $1 }')
echo "last resume: the device was back $took s after the wake-up"
echo "$took" | awk '{ exit !($1 < 5) }' || fail "the device took $took s to come back"
recovery_finish "ECANCELED"
echo "$cycles suspend/resume cycles through S3: display back, flips went on, new clients work"
