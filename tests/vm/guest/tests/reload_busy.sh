# SPDX-License-Identifier: GPL-2.0
# Unload attempts while clients hold the device: RELOAD_CYCLES (10) times, a
# client opens the card and render nodes, maps a buffer and exports it;
# rmmod must fail cleanly (EBUSY) and leave the device working, the client's
# mapping intact; once the client is gone, rmmod and a reload succeed.
. /run/payload/lib.sh
[ "$DRIVER" = vgpu ] || skip "vgpu only"
load_driver || fail "driver did not load"
cycles=${RELOAD_CYCLES:-10}
i=0
while [ $i -lt "$cycles" ]; do
	hold_start hold
	pid=$hold_pid
	if rmmod $MOD 2>/tmp/rmmod.err; then
		fail "rmmod succeeded with a client holding the device (cycle $i)"
	fi
	grep -q "in use" /tmp/rmmod.err || fail "rmmod: $(cat /tmp/rmmod.err)"
	vgpu-drmcheck version /dev/dri/card0 virtio_gpu 1 >/dev/null ||
		fail "device broken after a refused unload (cycle $i)"
	kill -TERM $pid
	wait $pid || fail "client (cycle $i): $(tr '\n' ' ' </tmp/hold.out)"
	grep -q "MAPPING ok" /tmp/hold.out || fail "mapping lost (cycle $i)"
	grep -q "AFTER card ok render ok mmap ok" /tmp/hold.out ||
		fail "client's ioctls failed (cycle $i): $(grep AFTER /tmp/hold.out)"
	unload_driver 10 || fail "rmmod failed after the client left (cycle $i)"
	wait_gone /dev/dri/card0 10 || fail "card0 still present after unload (cycle $i)"
	load_driver || fail "reload failed in cycle $i"
	i=$((i + 1))
done
echo "$i unload attempts refused with a client holding fds, a mapping and a dma-buf; $i unloads and reloads after"
