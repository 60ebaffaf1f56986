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
recovery_start
resets=$(debugfs_value $dbg/vgpu_info resets)
cycles=${RESET_CYCLES:-3}
recovery_rounds reset "$cycles" sh -c "echo 1 >$dbg/vgpu_reset"
[ "$(debugfs_value $dbg/vgpu_info resets)" = $((resets + cycles)) ] ||
	fail "resets: $(debugfs_value $dbg/vgpu_info resets), wanted $((resets + cycles))"
recovery_finish "ECANCELED|EIO"
echo "$cycles resets under a flipping and a rendering client: flips went on, no host error, new clients work"
