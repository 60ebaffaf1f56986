// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_fb_helper_restore_fbdev_mode_unlocked() takes a force flag
 * (newer kernels, and stable updates of older ones: Debian's 6.12.117).
 */
#include <drm/drm_fb_helper.h>

int vgpu_probe_fb_helper_restore_force(struct drm_fb_helper *helper);
int vgpu_probe_fb_helper_restore_force(struct drm_fb_helper *helper)
{
#ifndef VGPU_PROBE_ABSENT
	return drm_fb_helper_restore_fbdev_mode_unlocked(helper, false);
#else
	return drm_fb_helper_restore_fbdev_mode_unlocked(helper);
#endif
}
