# SPDX-License-Identifier: GPL-2.0
# drmGetVersion on both nodes: name virtio_gpu, major 0, minor >= 1.
. /run/payload/lib.sh
for n in card0 renderD128; do
	vgpu-drmcheck version /dev/dri/$n virtio_gpu 1 || exit 1
done
