# SPDX-License-Identifier: GPL-2.0
# Suspend to RAM (ACPI S3) and back, woken by the RTC alarm, under a
# flipping and a rendering client (frozen with the rest of userspace).
# After resume the display must be back with no modeset from userspace:
# the flipping client goes on flipping and the host sees no command on a
# resource it lacks (host_errors does not move); a client with a 3D
# context gets ECANCELED (its context was lost with the host's state),
# not a hang; new clients modeset and, with virgl, render.
. /run/payload/lib.sh
[ "$DRIVER" = vgpu ] || skip "vgpu only: the in-tree driver has no freeze/restore"
grep -qw mem /sys/power/state 2>/dev/null || skip "this kernel cannot suspend to RAM"
grep -qw deep /sys/power/mem_sleep 2>/dev/null || skip "the machine offers no S3"
command -v rtcwake >/dev/null || skip "no rtcwake"
load_driver || fail "driver did not load"
dbg=/sys/kernel/debug/dri/0
[ -e $dbg/vgpu_info ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
info() { debugfs_value $dbg/vgpu_info "$1"; }
wait_ready() {
	n=100
	while ! grep -q READY "$1" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	grep -q READY "$1" || fail "client not ready: $(cat "$1")"
}
count() {
	before=$(grep -c COUNT "$2")
	kill -USR1 "$1"
	n=50
	while [ "$(grep -c COUNT "$2")" = "$before" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	grep COUNT "$2" | tail -n1 | cut -d' ' -f2
}
virgl=$(info virgl)
vgpu_hold flip >/tmp/flip.out 2>&1 &
flip=$!
wait_ready /tmp/flip.out
vgpu_hold render >/tmp/render.out 2>&1 &
render=$!
wait_ready /tmp/render.out
sleep 1
errors=$(info host_errors)
cycles=${SUSPEND_CYCLES:-2}
i=0
while [ $i -lt "$cycles" ]; do
	f0=$(count $flip /tmp/flip.out)
	echo deep >/sys/power/mem_sleep
	rtcwake -m mem -s 3 >/tmp/rtcwake 2>&1 || fail "suspend $i: $(tr '\n' ' ' </tmp/rtcwake)"
	dmesg | grep -q "PM: suspend exit" || fail "suspend $i: no suspend exit in the kernel log"
	sleep 1
	f1=$(count $flip /tmp/flip.out)
	[ -n "$f1" ] && [ "$f1" -gt "$f0" ] || fail "no flips after resume $i ($f0 then $f1)"
	echo "suspend $i: flips $f0 -> $f1"
	i=$((i + 1))
done
dmesg | grep -E "ACPI: PM: (Preparing to enter|Waking up from) system sleep state S3" | tail -n2
[ "$(dmesg | grep -c 'Waking up from system sleep state S3')" -ge "$cycles" ] ||
	fail "the machine did not go through S3 $cycles times"
# vgpu's part of the last resume: from the wake-up to its restore's end
woke=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\].*Waking up from system sleep state S3.*/\1/p' | tail -n1)
back=$(dmesg | sed -n 's/^\[ *\([0-9.]*\)\].*\[drm\] resumed (0).*/\1/p' | tail -n1)
[ -n "$back" ] || fail "vgpu did not report its resume"
took=$(echo "$woke $back" | awk '{ printf "%.2f", $2 - $1 }')
echo "last resume: the device was back $took s after the wake-up"
echo "$took" | awk '{ exit !($1 < 5) }' || fail "the device took $took s to come back"
[ "$(info reset_failed)" = 0 ] || fail "the device did not come back"
[ "$(info restore_errors)" = 0 ] || fail "resources not made again: $(info restore_errors)"
[ "$(info host_errors)" = "$errors" ] ||
	fail "host errors after resume: $errors -> $(info host_errors) (last $(info last_host_error))"
kill -TERM $flip $render
wait $flip || fail "flip client: $(tr '\n' ' ' </tmp/flip.out)"
wait $render || fail "render client: $(tr '\n' ' ' </tmp/render.out)"
grep -q STOPPED /tmp/flip.out && fail "flip client: $(grep STOPPED /tmp/flip.out)"
grep -q "^AFTER card ok render ok mmap ok" /tmp/flip.out ||
	fail "flip client after resume: $(grep AFTER /tmp/flip.out)"
if [ "$virgl" = yes ]; then
	grep -Eq "^STOPPED (resource_create|execbuffer|wait) ECANCELED" /tmp/render.out ||
		fail "3D client: wanted ECANCELED, got: $(grep -E 'STOPPED|COUNT' /tmp/render.out | tail -n1)"
	echo "3D client: $(grep STOPPED /tmp/render.out)"
else
	grep -q STOPPED /tmp/render.out && fail "2D client: $(grep STOPPED /tmp/render.out)"
fi
vgpu_kms modeset flip_events >/tmp/after 2>&1 ||
	fail "display after resume: $(grep -m1 fail /tmp/after)"
if [ "$virgl" = yes ]; then
	timeout 120 kmscube -D /dev/dri/card0 -c 30 >/tmp/cube 2>&1 &&
		grep -qE '^Rendered [0-9]+ frames' /tmp/cube ||
		fail "kmscube after resume: $(tail -n2 /tmp/cube | tr '\n' ' ')"
	grep -m1 '^Rendered' /tmp/cube
fi
echo "$cycles suspend/resume cycles through S3: display back, flips went on, new clients work"
