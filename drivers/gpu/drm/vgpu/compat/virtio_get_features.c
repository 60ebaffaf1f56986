// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: virtio_get_features() reads the device's offered features, which
 * may pass 64 bits (Linux 6.18); transports may then leave
 * &virtio_config_ops.get_features unset.
 */
#include <linux/virtio_config.h>

u64 vgpu_probe_virtio_get_features(struct virtio_device *vdev);
u64 vgpu_probe_virtio_get_features(struct virtio_device *vdev)
{
#ifndef VGPU_PROBE_ABSENT
	u64 f[VIRTIO_FEATURES_U64S];

	virtio_get_features(vdev, f);
	return f[0];
#else
	return vdev->config->get_features(vdev);
#endif
}
