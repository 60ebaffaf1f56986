# SPDX-License-Identifier: GPL-2.0
# Unload and reload the driver LOAD_CYCLES times; the nodes go and come back.
. /run/payload/lib.sh
i=0
while [ $i -lt "$LOAD_CYCLES" ]; do
	unload_driver 10 || fail "rmmod $MOD failed in cycle $i"
	wait_gone /dev/dri/card0 10 || fail "card0 still present after unload (cycle $i)"
	load_driver || fail "reload failed in cycle $i"
	vgpu-drmcheck version /dev/dri/card0 virtio_gpu 1 >/dev/null ||
		fail "card0 broken after reload (cycle $i)"
	i=$((i + 1))
done
echo "$i load/unload cycles"
