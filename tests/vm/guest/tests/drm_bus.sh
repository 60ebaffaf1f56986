# SPDX-License-Identifier: GPL-2.0
# libdrm finds the device on the PCI bus (virtio-gpu 1af4:1050) with a
# primary and a render node, as Mesa's loader expects.
. /run/payload/lib.sh
sub=$(basename "$(readlink -f /sys/class/drm/card0/device/subsystem)")
[ "$sub" = pci ] || fail "card0's parent is on bus '$sub', not pci"
for n in card0 renderD128; do
	vgpu-drmcheck bus /dev/dri/$n 1af4 1050 || exit 1
done
