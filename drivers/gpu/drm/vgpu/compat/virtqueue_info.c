// SPDX-License-Identifier: GPL-2.0
/* Probe: virtio_find_vqs() takes struct virtqueue_info (Linux 6.11+). */
#include <linux/virtio_config.h>

int vgpu_probe_virtqueue_info(struct virtio_device *vdev);
int vgpu_probe_virtqueue_info(struct virtio_device *vdev)
{
	struct virtqueue_info info[1] = { { "probe", NULL } };
	struct virtqueue *vqs[1];

	return virtio_find_vqs(vdev, 1, vqs, info, NULL);
}
