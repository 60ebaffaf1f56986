// SPDX-License-Identifier: GPL-2.0
/* Probe: <linux/virtio_gpu.h> knows VIRTIO_GPU_F_BLOB_ALIGNMENT and its config field. */
#include <linux/stddef.h>
#include <linux/virtio_gpu.h>

int vgpu_probe_blob_alignment(void);
int vgpu_probe_blob_alignment(void)
{
#ifndef VGPU_PROBE_ABSENT
	return VIRTIO_GPU_F_BLOB_ALIGNMENT +
	       offsetof(struct virtio_gpu_config, blob_alignment);
#else
	return VIRTIO_GPU_F_RESOURCE_BLOB + sizeof(struct virtio_gpu_config);
#endif
}
