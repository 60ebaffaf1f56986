// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &drm_plane_funcs.format_mod_supported_async, from which the core
 * makes a plane's IN_FORMATS_ASYNC property (Linux 6.16).
 */
#include <drm/drm_plane.h>

static bool vgpu_probe_format_mod(struct drm_plane *plane, u32 format,
				  u64 modifier)
{
	return true;
}

const struct drm_plane_funcs vgpu_probe_plane_format_mod_async;
const struct drm_plane_funcs vgpu_probe_plane_format_mod_async = {
#ifndef VGPU_PROBE_ABSENT
	.format_mod_supported_async = vgpu_probe_format_mod,
#else
	.format_mod_supported = vgpu_probe_format_mod,
#endif
};
