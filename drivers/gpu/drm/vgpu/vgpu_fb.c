// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: framebuffers.
 */
#include <linux/dma-resv.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_damage_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_print.h>

#include "vgpu_drv.h"

/**
 * DOC: Framebuffers
 *
 * A dumb buffer has no host resource of its own. A framebuffer gets a 2D
 * resource in its own format, ``pitch / cpp`` pixels wide, on the buffer's
 * pages, so one buffer can be scanned out as XRGB8888 on one plane and
 * ARGB8888 on another, and framebuffer offsets work (the first pixel is at
 * resource column ``(offset % pitch) / cpp``, row ``offset / pitch``).
 * Framebuffers of one buffer with the same format and size share the
 * resource; it is released (asynchronously) with the last of them, and the
 * buffer stays pinned until the host has let it go. Legacy cursor calls
 * create a framebuffer per image and reuse it.
 *
 * A buffer with a 3D resource of its own (RESOURCE_CREATE with virgl: what
 * Mesa's GBM allocates for kmscube or glmark2) is shown from that resource
 * directly; the framebuffer must then start at offset 0 and fit the
 * resource (else -EINVAL). A framebuffer on a blob is shown with
 * SET_SCANOUT_BLOB, its format, pitch and offset within the blob.
 * A buffer imported from another device is a guest blob where the host
 * offers blobs; where it does not, it cannot be scanned out (-EINVAL).
 */

static void vgpu_fb_destroy(struct drm_framebuffer *fb)
{
	struct vgpu_fb *vfb = to_vgpu_fb(fb);

	vgpu_hres_put(vfb->hres);
	/* Frees @vfb: the DRM framebuffer is its first member. */
	drm_gem_fb_destroy(fb);
}

/**
 * vgpu_fb_being_written - whether rendering into @fb may still be going on
 * @fb: framebuffer
 *
 * Return: true when one of its buffers has an unsignaled writer (an
 * implicit fence), which a commit showing it waits for.
 */
bool vgpu_fb_being_written(struct drm_framebuffer *fb)
{
	unsigned int i;

	for (i = 0; i < fb->format->num_planes; i++) {
		struct drm_gem_object *obj = drm_gem_fb_get_obj(fb, i);

		if (obj && !dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_WRITE))
			return true;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fb_being_written);

/**
 * DOC: DIRTYFB
 *
 * DRM_IOCTL_MODE_DIRTYFB (and the fbdev console, which redraws through it)
 * tells the driver which part of a framebuffer was drawn. vgpu sends that
 * damage (TRANSFER_TO_HOST_2D and RESOURCE_FLUSH, as a damage commit
 * would, see "Damage") to every output whose primary plane shows the
 * framebuffer, under the primary planes' locks, with one notification and
 * without an atomic commit: nothing in the display's state changes, so
 * duplicating and checking it would be all of the cost. When one of the
 * framebuffer's buffers still has an unsignaled writer, or when a cursor
 * plane shows it (the cursor's image is sent again by a commit with
 * damage), the update goes through the atomic helpers' blocking commit
 * instead, which waits for the rendering first. As with the helpers, an
 * update of a framebuffer that no plane shows does nothing and succeeds.
 */
static int vgpu_fb_dirty(struct drm_framebuffer *fb, struct drm_file *file,
			 unsigned int flags, unsigned int color,
			 struct drm_clip_rect *clips, unsigned int num_clips)
{
	struct vgpu_device *vg = to_vgpu(fb->dev);
	struct drm_modeset_acquire_ctx ctx;
	unsigned int n = num_clips, inc = 1, i;
	bool sent = false, cursor = false;
	int ret;

	if (vgpu_fb_being_written(fb))
		return drm_atomic_helper_dirtyfb(fb, file, flags, color, clips,
						 num_clips);
	if (flags & DRM_MODE_FB_DIRTY_ANNOTATE_COPY) {
		inc = 2;
		n = num_clips / 2;
	}
	drm_modeset_acquire_init(&ctx, DRM_MODESET_ACQUIRE_INTERRUPTIBLE);
retry:
	for (i = 0, ret = 0; !ret && i < vg->display.num_scanouts; i++) {
		struct vgpu_output *out = &vg->display.outputs[i];

		ret = drm_modeset_lock(&out->primary.mutex, &ctx);
		if (!ret)
			ret = drm_modeset_lock(&out->cursor.mutex, &ctx);
		if (!ret)
			cursor |= out->cursor.state->fb == fb;
	}
	if (ret == -EDEADLK) {
		ret = drm_modeset_backoff(&ctx);
		if (!ret) {
			cursor = false;
			goto retry;
		}
	}
	for (i = 0; !ret && !cursor && i < vg->display.num_scanouts; i++)
		sent |= vgpu_primary_dirty(&vg->display.outputs[i], fb, clips,
					   n, inc);
	if (sent)
		vgpu_vq_kick(&vg->ctrlq);
	drm_modeset_drop_locks(&ctx);
	drm_modeset_acquire_fini(&ctx);
	if (!ret && cursor)
		return drm_atomic_helper_dirtyfb(fb, file, flags, color, clips,
						 num_clips);
	return ret;
}

static const struct drm_framebuffer_funcs vgpu_fb_funcs = {
	.destroy = vgpu_fb_destroy,
	.create_handle = drm_gem_fb_create_handle,
	.dirty = vgpu_fb_dirty,
};

/*
 * The host reads a resource's backing as rows of width * cpp bytes, so the
 * resource is pitch / cpp wide and the framebuffer must lie within a row.
 */
static int vgpu_fb_geometry(struct drm_device *drm,
			    const struct drm_mode_fb_cmd2 *cmd, u32 cpp,
			    u32 *res_w, u32 *res_h, u32 *x0, u32 *y0)
{
	u32 pitch = cmd->pitches[0], offset = cmd->offsets[0];

	if (pitch % cpp || offset % cpp) {
		drm_dbg_kms(drm, "fb: pitch %u / offset %u not a multiple of %u\n",
			    pitch, offset, cpp);
		return -EINVAL;
	}
	*res_w = pitch / cpp;
	*x0 = (offset % pitch) / cpp;
	*y0 = offset / pitch;
	if (*x0 + cmd->width > *res_w) {
		drm_dbg_kms(drm, "fb: offset %u + width %u crosses the pitch %u\n",
			    offset, cmd->width, pitch);
		return -EINVAL;
	}
	*res_h = *y0 + cmd->height;
	if (*res_w > VGPU_FB_MAX || *res_h > VGPU_FB_MAX) {
		drm_dbg_kms(drm, "fb: resource %ux%u exceeds %u\n",
			    *res_w, *res_h, VGPU_FB_MAX);
		return -EINVAL;
	}
	return 0;
}

/*
 * A buffer with a 3D resource is shown from that resource as the host
 * rendered it: no transfers, and no offset (the host's layout of the
 * resource is its own).
 */
static struct vgpu_hres *vgpu_fb_hres_3d(struct drm_device *drm,
					 struct vgpu_fb *vfb,
					 struct vgpu_hres *res)
{
	struct drm_framebuffer *fb = &vfb->base;

	if (fb->offsets[0] || fb->width > res->width ||
	    fb->height > res->height) {
		drm_dbg_kms(drm, "fb: %ux%u at offset %u does not fit 3D resource %u (%ux%u)\n",
			    fb->width, fb->height, fb->offsets[0], res->id,
			    res->width, res->height);
		return ERR_PTR(-EINVAL);
	}
	vfb->x0 = 0;
	vfb->y0 = 0;
	kref_get(&res->ref);
	return res;
}

/*
 * A blob is scanned out in place (SET_SCANOUT_BLOB) with the
 * framebuffer's own offset and pitch, which must lie within the blob.
 */
static struct vgpu_hres *vgpu_fb_hres_blob(struct drm_device *drm,
					   struct vgpu_fb *vfb,
					   struct vgpu_bo *bo)
{
	struct drm_framebuffer *fb = &vfb->base;
	struct vgpu_hres *res = bo->res;
	u64 end = fb->offsets[0] + (u64)fb->pitches[0] * (fb->height - 1) +
		  (u64)fb->width * fb->format->cpp[0];

	if (end > bo->base.base.size) {
		drm_dbg_kms(drm, "fb: %ux%u pitch %u at offset %u ends past blob %u (%zu bytes)\n",
			    fb->width, fb->height, fb->pitches[0], fb->offsets[0],
			    res->id, bo->base.base.size);
		return ERR_PTR(-EINVAL);
	}
	vfb->x0 = 0;
	vfb->y0 = 0;
	kref_get(&res->ref);
	return res;
}

/**
 * vgpu_fb_create - &drm_mode_config_funcs.fb_create
 * @drm: DRM device
 * @file: DRM file that owns the handles
 * @info: the format's info from the core, or NULL where it passes none
 * @cmd: ADDFB2 arguments
 *
 * Return: the framebuffer, or an ERR_PTR: -EINVAL for a format or layout
 * the device cannot scan out, -ENOENT for a bad handle, or the error that
 * kept the host resource from being created.
 */
struct drm_framebuffer *vgpu_fb_create(struct drm_device *drm,
				       struct drm_file *file,
				       const struct drm_format_info *info,
				       const struct drm_mode_fb_cmd2 *cmd)
{
	struct vgpu_device *vg = to_vgpu(drm);
	u32 format = vgpu_proto_format(cmd->pixel_format);
	u32 res_w, res_h;
	struct vgpu_hres *hres;
	struct vgpu_fb *vfb;
	struct vgpu_bo *bo;
	int ret;

	if (!format) {
		drm_dbg_kms(drm, "fb: format %p4cc cannot be scanned out\n",
			    &cmd->pixel_format);
		return ERR_PTR(-EINVAL);
	}
	if (cmd->modifier[0] != DRM_FORMAT_MOD_LINEAR &&
	    (cmd->flags & DRM_MODE_FB_MODIFIERS)) {
		drm_dbg_kms(drm, "fb: modifier 0x%llx, only linear\n",
			    cmd->modifier[0]);
		return ERR_PTR(-EINVAL);
	}
	vfb = kzalloc(sizeof(*vfb), GFP_KERNEL);
	if (!vfb)
		return ERR_PTR(-ENOMEM);
	ret = vgpu_gem_fb_init(drm, &vfb->base, file, info, cmd,
			       &vgpu_fb_funcs);
	if (ret) {
		kfree(vfb);
		return ERR_PTR(ret);
	}
	ret = vgpu_fb_geometry(drm, cmd, vfb->base.format->cpp[0], &res_w,
			       &res_h, &vfb->x0, &vfb->y0);
	if (ret)
		goto err_fb;
	bo = to_vgpu_bo(vfb->base.obj[0]);
	/* A foreign buffer is shown only as a blob (the host reads its pages). */
	if (vfb->base.obj[0]->import_attach && !bo->res) {
		drm_dbg_kms(drm, "fb: buffers from other devices need host blobs\n");
		ret = -EINVAL;
		goto err_fb;
	}
	if (bo->res && vgpu_hres_is_blob(bo->res))
		hres = vgpu_fb_hres_blob(drm, vfb, bo);
	else if (bo->res && bo->res->kind == VGPU_HRES_3D)
		hres = vgpu_fb_hres_3d(drm, vfb, bo->res);
	else
		hres = vgpu_hres_get_2d(vg, bo, format, res_w, res_h);
	if (IS_ERR(hres)) {
		ret = PTR_ERR(hres);
		goto err_fb;
	}
	vfb->hres = hres;
	return &vfb->base;

err_fb:
	/* hres is NULL: unregisters and frees the framebuffer. */
	drm_framebuffer_put(&vfb->base);
	return ERR_PTR(ret);
}
