# SPDX-License-Identifier: GPL-2.0
# Device reset under load: one client page-flips, another creates and
# submits buffers, and the device is reset RESET_CYCLES (3) times through
# debugfs (what a hang does, on demand). The flipping client must go on
# flipping without an error; a rendering client with a 3D context gets a
# clear error (ECANCELED, or EIO for a command in flight), never a hang;
# the host must see no command on a resource it lacks (host_errors does
# not move); and new clients must modeset and, with virgl, render.
. /run/payload/lib.sh
[ "$DRIVER" = vgpu ] || skip "vgpu only: the in-tree driver cannot reset the device"
load_driver || fail "driver did not load"
dbg=/sys/kernel/debug/dri/0
[ -e $dbg/vgpu_reset ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -e $dbg/vgpu_reset ] || fail "no $dbg/vgpu_reset"
info() { debugfs_value $dbg/vgpu_info "$1"; }
wait_ready() {
	n=100
	while ! grep -q READY "$1" && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	grep -q READY "$1" || fail "client not ready: $(cat "$1")"
}
# count PID FILE: the client's progress so far
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
resets=$(info resets)
cycles=${RESET_CYCLES:-3}
i=0
while [ $i -lt "$cycles" ]; do
	f0=$(count $flip /tmp/flip.out)
	echo 1 >$dbg/vgpu_reset || fail "reset $i failed"
	sleep 1
	f1=$(count $flip /tmp/flip.out)
	[ -n "$f1" ] && [ "$f1" -gt "$f0" ] || fail "no flips after reset $i ($f0 then $f1)"
	echo "reset $i: flips $f0 -> $f1"
	i=$((i + 1))
done
[ "$(info resets)" = $((resets + cycles)) ] || fail "resets: $(info resets), wanted $((resets + cycles))"
[ "$(info reset_failed)" = 0 ] || fail "the device did not come back"
[ "$(info restore_errors)" = 0 ] || fail "resources not made again: $(info restore_errors)"
[ "$(info host_errors)" = "$errors" ] ||
	fail "host errors after the resets: $errors -> $(info host_errors) (last $(info last_host_error))"
kill -TERM $flip $render
wait $flip || fail "flip client: $(tr '\n' ' ' </tmp/flip.out)"
wait $render || fail "render client: $(tr '\n' ' ' </tmp/render.out)"
grep -q STOPPED /tmp/flip.out && fail "flip client: $(grep STOPPED /tmp/flip.out)"
grep -q "^MAPPING ok" /tmp/flip.out || fail "flip client's mapping: $(grep MAPPING /tmp/flip.out)"
grep -q "^AFTER card ok render ok mmap ok" /tmp/flip.out ||
	fail "flip client after the resets: $(grep AFTER /tmp/flip.out)"
if [ "$virgl" = yes ]; then
	grep -Eq "^STOPPED (resource_create|execbuffer|wait) (ECANCELED|EIO)" /tmp/render.out ||
		fail "3D client: wanted ECANCELED or EIO, got: $(grep -E 'STOPPED|COUNT' /tmp/render.out | tail -n1)"
	echo "3D client: $(grep STOPPED /tmp/render.out)"
else
	grep -q STOPPED /tmp/render.out && fail "2D client: $(grep STOPPED /tmp/render.out)"
fi
vgpu_kms modeset flip_events >/tmp/after 2>&1 ||
	fail "display after the resets: $(grep -m1 fail /tmp/after)"
if [ "$virgl" = yes ]; then
	timeout 120 kmscube -D /dev/dri/card0 -c 30 >/tmp/cube 2>&1 &&
		grep -qE '^Rendered [0-9]+ frames' /tmp/cube ||
		fail "kmscube after the resets: $(tail -n2 /tmp/cube | tr '\n' ' ')"
	grep -m1 '^Rendered' /tmp/cube
fi
echo "$cycles resets under a flipping and a rendering client: flips went on, host errors $errors -> $(info host_errors), new clients work"
