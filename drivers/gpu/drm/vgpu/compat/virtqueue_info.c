// SPDX-License-Identifier: GPL-2.0
/* Probe: virtio_find_vqs() takes struct virtqueue_info (Linux 6.11+). */
#include <linux/virtio_config.h>

int vgpu_probe_virtqueue_info(struct virtio_device *vdev);
int vgpu_probe_virtqueue_info(struct virtio_device *vdev)
{
	struct virtqueue *vqs[1];
#ifndef VGPU_PROBE_ABSENT
	struct virtqueue_info info[1] = { { "probe", NULL } };

	return virtio_find_vqs(vdev, 1, vqs, info, NULL);
#else
	vq_callback_t *cbs[1] = { NULL };
	const char * const names[1] = { "probe" };

	return virtio_find_vqs(vdev, 1, vqs, cbs, names, NULL);
#endif
}
