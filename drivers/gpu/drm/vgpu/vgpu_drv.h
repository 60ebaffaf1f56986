/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu: internal interfaces between the feature layers.
 */
#ifndef VGPU_DRV_H
#define VGPU_DRV_H

#include "vgpu_types.h"

#define VGPU_DRIVER_NAME	"virtio_gpu"
#define VGPU_DRIVER_DESC	"virtio GPU (vgpu)"
#define VGPU_DRIVER_MAJOR	0
#define VGPU_DRIVER_MINOR	1
#define VGPU_DRIVER_PATCHLEVEL	0

struct drm_minor;

/* vgpu_drv.c */
extern unsigned int vgpu_cmd_timeout_ms;

/* vgpu_device.c: host queries and config events */
void vgpu_device_read_config(struct vgpu_device *vg);
int vgpu_device_query(struct vgpu_device *vg);
void vgpu_device_config_work(struct work_struct *work);
int vgpu_cmd_exec(struct vgpu_device *vg, struct vgpu_vq *q,
		  struct vgpu_buf *buf, u32 expected, u32 min_len);

/* vgpu_debugfs.c */
void vgpu_debugfs_init(struct drm_minor *minor);

#endif /* VGPU_DRV_H */
