// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_fbdev_generic_setup() exists (Linux 5.2 to 6.10).
 * Without it, vgpu_compat.h asks the next probe (fbdev_shmem_setup).
 */
#include <drm/drm_fb_helper.h>

void vgpu_probe_fbdev(struct drm_device *drm);
void vgpu_probe_fbdev(struct drm_device *drm)
{
#ifndef VGPU_PROBE_ABSENT
	drm_fbdev_generic_setup(drm, 32);
#endif
}
