// SPDX-License-Identifier: GPL-2.0
/*
 * Baseline: the headers every probe includes build with the kernel's
 * compiler and -Werror. When this fails, no probe's answer means anything.
 */
#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpu.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_edid.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_plane.h>

int vgpu_probe_baseline(struct drm_device *drm);
int vgpu_probe_baseline(struct drm_device *drm)
{
	return drm->driver ? VIRTIO_GPU_F_VIRGL : 0;
}
