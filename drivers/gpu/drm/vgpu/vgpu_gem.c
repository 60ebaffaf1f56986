// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: GEM objects and dumb buffers.
 *
 * Objects are the kernel's shmem GEM objects, mapped cached (the host
 * reads guest memory coherently). A dumb buffer has no host resource of
 * its own; a framebuffer on it gets one (vgpu_fb.c). PRIME export and
 * import come from the GEM helpers: a buffer exported by this device and
 * imported again is the same object.
 */
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>

#include "vgpu_drv.h"

/**
 * vgpu_gem_create_object - allocate the driver's GEM object
 * @drm: DRM device
 * @size: size in bytes
 *
 * Return: the embedded GEM object, or an ERR_PTR.
 */
struct drm_gem_object *vgpu_gem_create_object(struct drm_device *drm,
					      size_t size)
{
	struct vgpu_bo *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	/* Mapped cached (map_wc stays false): the host reads coherently. */
	mutex_init(&bo->lock);
	return &bo->base.base;
}

/**
 * vgpu_gem_dumb_create - DRM_IOCTL_MODE_CREATE_DUMB
 * @file: DRM file
 * @drm: DRM device
 * @args: width, height and bpp in; handle, pitch and size out
 *
 * The core has already rejected zero sizes and overflowing pitch * height.
 * Scanout formats are 32 bits per pixel, and each side is bounded by the
 * largest framebuffer the device takes.
 *
 * Return: 0 or a negative errno.
 */
int vgpu_gem_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args)
{
	if (args->bpp != 32) {
		drm_dbg_kms(drm, "dumb create: bpp %u, only 32 is supported\n",
			    args->bpp);
		return -EINVAL;
	}
	if (args->width > VGPU_FB_MAX || args->height > VGPU_FB_MAX) {
		drm_dbg_kms(drm, "dumb create: %ux%u exceeds %ux%u\n",
			    args->width, args->height, VGPU_FB_MAX, VGPU_FB_MAX);
		return -EINVAL;
	}
	return drm_gem_shmem_dumb_create(file, drm, args);
}
