// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &drm_mode_config_funcs.fb_create and drm_gem_fb_init_with_funcs()
 * take the format info the core looked up (Linux 6.17).
 */
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_mode_config.h>

#ifndef VGPU_PROBE_ABSENT
static struct drm_framebuffer *
vgpu_probe_fb_create(struct drm_device *drm, struct drm_file *file,
		     const struct drm_format_info *info,
		     const struct drm_mode_fb_cmd2 *cmd)
{
	return ERR_PTR(drm_gem_fb_init_with_funcs(drm, NULL, file, info, cmd, NULL));
}
#else
static struct drm_framebuffer *
vgpu_probe_fb_create(struct drm_device *drm, struct drm_file *file,
		     const struct drm_mode_fb_cmd2 *cmd)
{
	return ERR_PTR(drm_gem_fb_init_with_funcs(drm, NULL, file, cmd, NULL));
}
#endif

extern const struct drm_mode_config_funcs vgpu_probe_fb_create_info;
const struct drm_mode_config_funcs vgpu_probe_fb_create_info = {
	.fb_create = vgpu_probe_fb_create,
};
