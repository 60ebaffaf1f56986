// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: the cursor hotspot lives in the plane state (Linux 6.8) instead
 * of the framebuffer.
 */
#include <drm/drm_framebuffer.h>
#include <drm/drm_plane.h>

int vgpu_probe_hotspot(const struct drm_plane_state *s);
int vgpu_probe_hotspot(const struct drm_plane_state *s)
{
#ifndef VGPU_PROBE_ABSENT
	return s->hotspot_x + s->hotspot_y;
#else
	return s->fb->hot_x + s->fb->hot_y;
#endif
}
