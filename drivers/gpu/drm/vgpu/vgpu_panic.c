// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: panic screen
 *
 * On a kernel panic, drm_panic draws its screen into the primary plane's
 * framebuffer and asks the driver to show it. vgpu hands over the pages of
 * a framebuffer whose pixels live in guest memory (dumb, shmem and guest
 * blob buffers), then sends TRANSFER_TO_HOST_2D (not for blobs: the host
 * reads those pages itself) and RESOURCE_FLUSH. Nothing on that path
 * sleeps or waits for a lock, and vgpu allocates nothing on it: the two
 * command buffers of each output are allocated when the output is made,
 * and the transport queues them with vgpu_vq_panic_submit(), which gives
 * up when the control queue is locked by a CPU the panic stopped (the
 * virtio core may try an indirect descriptor table with GFP_ATOMIC, and
 * uses ring descriptors when that fails). Nobody waits for the answers.
 * Framebuffers drawn by the host (virgl, Venus) and foreign imports have
 * no guest pixels to draw into: they are refused, and drm_panic leaves
 * that screen alone.
 *
 * Built on kernels whose drm_panic takes a buffer as pages (the
 * drm_panic compat probe); vgpu_compat.h gives the others a no-op
 * vgpu_panic_init() and no plane hooks.
 */
#include <drm/drm_fourcc.h>
#include <drm/drm_managed.h>
#include <drm/drm_panic.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

enum { VGPU_PANIC_TRANSFER, VGPU_PANIC_FLUSH };

static void vgpu_panic_fini(struct drm_device *drm, void *arg)
{
	struct vgpu_output *out = arg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(out->panic_bufs); i++)
		vgpu_buf_put(out->panic_bufs[i]);
}

/**
 * vgpu_panic_init - allocate the commands an output's panic screen needs
 * @out: output
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_panic_init(struct vgpu_output *out)
{
	out->panic_bufs[VGPU_PANIC_TRANSFER] =
		vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_to_host_2d));
	out->panic_bufs[VGPU_PANIC_FLUSH] =
		vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_flush));
	if (!out->panic_bufs[VGPU_PANIC_TRANSFER] ||
	    !out->panic_bufs[VGPU_PANIC_FLUSH]) {
		vgpu_panic_fini(out->vg->drm, out);
		return -ENOMEM;
	}
	return drmm_add_action_or_reset(out->vg->drm, vgpu_panic_fini, out);
}

/* The framebuffer drm_panic may draw into, or NULL. */
static struct vgpu_fb *vgpu_panic_fb(struct drm_plane *plane)
{
	struct drm_plane_state *ps = plane->state;
	struct vgpu_bo *bo;
	struct vgpu_fb *vfb;

	if (!ps || !ps->fb || !ps->visible)
		return NULL;
	vfb = to_vgpu_fb(ps->fb);
	bo = to_vgpu_bo(ps->fb->obj[0]);
	if (!vfb->hres || vfb->hres->kind == VGPU_HRES_3D || vgpu_bo_host_only(bo) ||
	    !bo->base.pages)
		return NULL;
	if (ps->fb->format->num_planes != 1 || ps->fb->offsets[0] % PAGE_SIZE)
		return NULL;
	return vfb;
}

/**
 * vgpu_panic_get_scanout_buffer - &drm_plane_helper_funcs.get_scanout_buffer
 * @plane: primary plane
 * @sb: filled with the framebuffer's format, size and pages
 *
 * Context: a panic handler.
 *
 * Return: 0, or -ENODEV when the plane shows nothing the guest can draw.
 */
int vgpu_panic_get_scanout_buffer(struct drm_plane *plane,
				  struct drm_scanout_buffer *sb)
{
	struct vgpu_fb *vfb = vgpu_panic_fb(plane);
	struct drm_framebuffer *fb;

	if (!vfb)
		return -ENODEV;
	fb = &vfb->base;
	sb->format = fb->format;
	sb->width = fb->width;
	sb->height = fb->height;
	sb->pitch[0] = fb->pitches[0];
	sb->pages = to_vgpu_bo(fb->obj[0])->base.pages +
		    (fb->offsets[0] >> PAGE_SHIFT);
	return 0;
}

/**
 * vgpu_panic_flush - &drm_plane_helper_funcs.panic_flush
 * @plane: primary plane, whose buffer drm_panic has drawn
 *
 * Context: a panic handler: no sleeping, no lock waits, no allocation.
 */
void vgpu_panic_flush(struct drm_plane *plane)
{
	struct vgpu_output *out = container_of(plane, struct vgpu_output, primary);
	struct vgpu_fb *vfb = vgpu_panic_fb(plane);
	struct vgpu_buf *bufs[2];
	struct vgpu_rect r;
	unsigned int n = 0;

	if (!vfb)
		return;
	/* An earlier panic's commands the host has not answered yet. */
	if (!list_empty(&out->panic_bufs[VGPU_PANIC_TRANSFER]->link) ||
	    !list_empty(&out->panic_bufs[VGPU_PANIC_FLUSH]->link))
		return;
	r = (struct vgpu_rect) {
		.x = vfb->x0, .y = vfb->y0,
		.width = vfb->base.width, .height = vfb->base.height,
	};
	if (!vgpu_hres_is_blob(vfb->hres)) {
		bufs[n] = out->panic_bufs[VGPU_PANIC_TRANSFER];
		vgpu_proto_transfer_to_host_2d(bufs[n++]->req, vfb->hres->id,
					       (u64)r.y * vfb->base.pitches[0] +
					       (u64)r.x * vfb->base.format->cpp[0],
					       &r);
	}
	bufs[n] = out->panic_bufs[VGPU_PANIC_FLUSH];
	vgpu_proto_resource_flush(bufs[n++]->req, vfb->hres->id, &r);
	vgpu_vq_panic_submit(&out->vg->ctrlq, bufs, n);
}
