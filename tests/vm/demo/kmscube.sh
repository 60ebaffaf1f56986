# SPDX-License-Identifier: GPL-2.0
# The demo shown by "make demo": vgpu with virgl, kmscube drawn by Mesa
# through vgpu on the host's GPU emulation, and a host screenshot of it.
. /run/payload/lib.sh
load_driver || fail "modprobe $MOD failed"
# kmscube stops at input on stdin: give it a pipe that stays quiet.
sleep 60 | kmscube -D /dev/dri/card0 -c 100000 >/tmp/kmscube.log 2>&1 &
sleep 1
pid=$(pidof kmscube)
[ -n "$pid" ] || fail "kmscube did not start: $(tail -n1 /tmp/kmscube.log)"
# TCG renders a few dozen frames a second: let the cube turn a little.
sleep 8
kill -0 $pid 2>/dev/null || fail "kmscube stopped: $(tail -n1 /tmp/kmscube.log)"
echo "SCREENSHOT vgpu-demo" >/dev/ttyS1
sleep 4
kill $pid
wait $pid 2>/dev/null
grep -m1 'renderer' /tmp/kmscube.log
exit 0
