// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: in-kernel DRM clients are set up with drm_client_setup() and the
 * console on GEM shmem comes from DRM_FBDEV_SHMEM_DRIVER_OPS in the
 * driver (Linux 6.13).
 */
#include <drm/drm_drv.h>
#include <drm/drm_fb_helper.h>
#ifndef VGPU_PROBE_ABSENT
#include <drm/clients/drm_client_setup.h>
#include <drm/drm_fbdev_shmem.h>

extern const struct drm_driver vgpu_probe_client_driver;
const struct drm_driver vgpu_probe_client_driver = {
	DRM_FBDEV_SHMEM_DRIVER_OPS,
};
#endif

void vgpu_probe_client_setup(struct drm_device *drm);
void vgpu_probe_client_setup(struct drm_device *drm)
{
#ifndef VGPU_PROBE_ABSENT
	drm_client_setup(drm, NULL);
#endif
}
