// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_fbdev_shmem_setup() exists (Linux 6.11 and 6.12), the
 * console on GEM shmem buffers. Without it, vgpu_compat.h asks the next
 * probe (client_setup). Its header is older than the function.
 */
#include <drm/drm_fb_helper.h>
#ifndef VGPU_PROBE_ABSENT
#include <drm/drm_fbdev_shmem.h>
#endif

void vgpu_probe_fbdev_shmem(struct drm_device *drm);
void vgpu_probe_fbdev_shmem(struct drm_device *drm)
{
#ifndef VGPU_PROBE_ABSENT
	drm_fbdev_shmem_setup(drm, 32);
#endif
}
