// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: the atomic update is struct drm_atomic_commit, released with
 * drm_atomic_commit_put() (Linux 7.2; struct drm_atomic_state before).
 */
#include <drm/drm_atomic.h>

#ifndef VGPU_PROBE_ABSENT
#define VGPU_PROBE_STATE	drm_atomic_commit
#define vgpu_probe_put		drm_atomic_commit_put
#else
#define VGPU_PROBE_STATE	drm_atomic_state
#define vgpu_probe_put		drm_atomic_state_put
#endif

void vgpu_probe_atomic_commit(struct VGPU_PROBE_STATE *state);
void vgpu_probe_atomic_commit(struct VGPU_PROBE_STATE *state)
{
	vgpu_probe_put(state);
}
