// SPDX-License-Identifier: GPL-2.0
/* Probe: drm_fbdev_generic_setup() exists (Linux 5.2 to 6.10). */
#include <drm/drm_fb_helper.h>

void vgpu_probe_fbdev(struct drm_device *drm);
void vgpu_probe_fbdev(struct drm_device *drm)
{
	drm_fbdev_generic_setup(drm, 32);
}
