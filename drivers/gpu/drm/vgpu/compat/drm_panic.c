// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_panic draws into a plane's buffer given as pages
 * (&drm_scanout_buffer.pages, Linux 6.16), through the plane's
 * get_scanout_buffer and panic_flush hooks.
 */
#include <drm/drm_modeset_helper_vtables.h>
#ifndef VGPU_PROBE_ABSENT
#include <drm/drm_panic.h>

static int vgpu_probe_get_sb(struct drm_plane *plane, struct drm_scanout_buffer *sb)
{
	sb->pages = NULL;
	return -ENODEV;
}

static void vgpu_probe_panic_flush(struct drm_plane *plane)
{
}
#endif

extern const struct drm_plane_helper_funcs vgpu_probe_drm_panic;
const struct drm_plane_helper_funcs vgpu_probe_drm_panic = {
#ifndef VGPU_PROBE_ABSENT
	.get_scanout_buffer = vgpu_probe_get_sb,
	.panic_flush = vgpu_probe_panic_flush,
#endif
	.atomic_check = NULL,
};
