// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: drm_atomic_helper_unprepare_planes() undoes prepare_planes for a
 * commit that failed before its swap (Linux 6.7); before, the helpers use
 * drm_atomic_helper_cleanup_planes() for it.
 */
#include <drm/drm_atomic_helper.h>

#ifndef VGPU_PROBE_ABSENT
#define vgpu_probe_unprepare	drm_atomic_helper_unprepare_planes
#else
#define vgpu_probe_unprepare	drm_atomic_helper_cleanup_planes
#endif

void *vgpu_probe_atomic_unprepare_planes(void);
void *vgpu_probe_atomic_unprepare_planes(void)
{
	return vgpu_probe_unprepare;
}
