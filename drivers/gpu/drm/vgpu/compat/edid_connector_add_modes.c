// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_edid_connector_add_modes() exists (Linux 6.3); from then on
 * drm_edid_connector_update() no longer adds modes itself.
 */
#include <drm/drm_edid.h>

int vgpu_probe_edid_add_modes(struct drm_connector *c);
int vgpu_probe_edid_add_modes(struct drm_connector *c)
{
#ifndef VGPU_PROBE_ABSENT
	return drm_edid_connector_add_modes(c);
#else
	return drm_edid_connector_update(c, NULL);
#endif
}
