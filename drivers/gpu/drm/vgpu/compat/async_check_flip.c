// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &drm_plane_helper_funcs.atomic_async_check is told whether the
 * update is an async page flip (Linux 6.15).
 */
#include <drm/drm_atomic.h>
#include <drm/drm_modeset_helper_vtables.h>

int vgpu_probe_async_check(const struct drm_plane_helper_funcs *f,
			   struct drm_plane *plane);
int vgpu_probe_async_check(const struct drm_plane_helper_funcs *f,
			   struct drm_plane *plane)
{
#ifndef VGPU_PROBE_ABSENT
	return f->atomic_async_check(plane, NULL, true);
#else
	return f->atomic_async_check(plane, NULL);
#endif
}
