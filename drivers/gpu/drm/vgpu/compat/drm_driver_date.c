// SPDX-License-Identifier: GPL-2.0
/* Probe: struct drm_driver still has a .date field (removed in Linux 6.14). */
#include <drm/drm_drv.h>

extern const struct drm_driver vgpu_probe_drm_driver_date;
#ifndef VGPU_PROBE_ABSENT
const struct drm_driver vgpu_probe_drm_driver_date = { .date = "0" };
#else
const struct drm_driver vgpu_probe_drm_driver_date = { .name = "0" };
#endif
