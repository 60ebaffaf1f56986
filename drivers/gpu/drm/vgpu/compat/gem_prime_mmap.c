// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &drm_driver.gem_prime_mmap exists (until Linux 6.6; from then on
 * the core mmaps exported GEM objects itself).
 */
#include <drm/drm_drv.h>
#include <drm/drm_prime.h>

extern const struct drm_driver vgpu_probe_gem_prime_mmap;
const struct drm_driver vgpu_probe_gem_prime_mmap = {
#ifndef VGPU_PROBE_ABSENT
	.gem_prime_mmap = drm_gem_prime_mmap,
#endif
	.name = "probe",
};
