// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: the DRM core prints fdinfo (drm_show_fdinfo() with the driver's
 * &drm_driver.show_fdinfo) and memory keys (drm_print_memory_stats(),
 * Linux 6.5).
 */
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#ifndef VGPU_PROBE_ABSENT
static void vgpu_probe_fdinfo(struct drm_printer *p, struct drm_file *f)
{
	struct drm_memory_stats s = { .private = 1 };

	drm_print_memory_stats(p, &s, DRM_GEM_OBJECT_RESIDENT, "system");
}
#endif

extern const struct drm_driver vgpu_probe_drm_print_memory_stats;
const struct drm_driver vgpu_probe_drm_print_memory_stats = {
#ifndef VGPU_PROBE_ABSENT
	.show_fdinfo = vgpu_probe_fdinfo,
#endif
	.name = "probe",
};
