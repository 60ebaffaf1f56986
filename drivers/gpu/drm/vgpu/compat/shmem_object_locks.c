// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: a shmem GEM object has mutexes of its own for its pages and its
 * mapping (Linux 6.1; later kernels use the reservation lock).
 */
#include <drm/drm_gem_shmem_helper.h>

void vgpu_probe_shmem_object_locks(struct drm_gem_shmem_object *shmem);
void vgpu_probe_shmem_object_locks(struct drm_gem_shmem_object *shmem)
{
#ifndef VGPU_PROBE_ABSENT
	mutex_init(&shmem->pages_lock);
	mutex_init(&shmem->vmap_lock);
#else
	dma_resv_assert_held(shmem->base.resv);
#endif
}
