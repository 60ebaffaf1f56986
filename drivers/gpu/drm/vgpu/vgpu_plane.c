// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: primary and cursor planes.
 */
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_blend.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Damage
 *
 * The primary plane: a new framebuffer, source rectangle or mode is a full
 * update (TRANSFER_TO_HOST_2D, SET_SCANOUT, RESOURCE_FLUSH). Otherwise
 * only the damage (``FB_DAMAGE_CLIPS`` or DIRTYFB) is transferred and
 * flushed: each clip as it is, or several merged into their bounding box,
 * whichever costs the host less (vgpu_damage_merge()). A clip sent on
 * its own costs two more commands; merging costs the pixels the box
 * covers beyond the clips, which the host copies too. On QEMU (make
 * bench, 1024x768) a clip's transfer and flush cost about what copying
 * 64Ki pixels does, so clips are merged while the box adds at most that
 * much per clip it saves: two neighbouring clips become one, four small
 * clips in the corners of the screen stay four (merged, they cost the
 * host a full-screen copy an update: 1.9 to 4.7 times QEMU's time per
 * update in four runs).
 * A framebuffer the host draws (a 3D resource or a blob) has nothing to
 * transfer, so its clips are always merged into one flush. More clips
 * than the module parameter ``damage_clips_max`` (default 8) are always
 * merged; 1 merges every update. Nothing here waits for the host: the
 * commit tail notifies the device once for the whole commit.
 *
 * A framebuffer on a buffer with a 3D resource of its own is shown from
 * that resource: the host rendered it, so updates and cursor images are
 * SET_SCANOUT/RESOURCE_FLUSH and UPDATE_CURSOR without transfers.
 */

/**
 * DOC: Cursor
 *
 * The cursor plane takes ARGB8888 at the host's 64x64; other sizes fail
 * the atomic check with -EINVAL (the host would show nothing). The hotspot
 * comes from ``drmModeSetCursor2`` (the framebuffer's hotspot on Linux
 * 6.1, the plane state's on newer kernels) and, from Linux 6.8, from
 * atomic clients through the cursor plane's ``HOTSPOT_X`` and
 * ``HOTSPOT_Y`` (DRIVER_CURSOR_HOTSPOT, as on every virtual GPU: the core
 * then shows the cursor plane only to atomic clients that set
 * DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT).
 *
 * Cursor images cross two queues, which are not ordered against each
 * other: the image is transferred on the control queue, and UPDATE_CURSOR
 * goes on the cursor queue only once the host has answered the transfer.
 * The answer's interrupt hook schedules a work item that sends it; every
 * cursor-queue command is sent from that work item, which takes one
 * snapshot of the cursor state under its lock and sends once, so moves and
 * updates keep their order, and a move while an update is pending only
 * changes the position the update will carry. Legacy cursor moves and
 * image changes (a legacy cursor ioctl with a buffer makes a new
 * framebuffer each time) take the atomic async-update path and wait
 * neither for a vblank nor for a pending flip.
 *
 * A move is sent at the next vblank, with the position it finds then, as
 * a display latches its cursor once a frame: however fast the pointer
 * moves, the host gets at most one MOVE_CURSOR a frame. The move holds a
 * vblank reference until the work item has sent it, so the vblank timer
 * runs; with the CRTC off (no vblank to take), it is sent at once, and a
 * CRTC that goes off sends the move waiting for it.
 */

static unsigned int vgpu_damage_clips_max = 8;
module_param_named(damage_clips_max, vgpu_damage_clips_max, uint, 0644);
MODULE_PARM_DESC(damage_clips_max,
		 "Most damage clips sent one by one; more are merged into one rectangle (default 8)");

/*
 * What a damage clip's own transfer and flush cost the host, in pixels it
 * could copy instead (see "Damage").
 */
#define VGPU_DAMAGE_CLIP_PIXELS	SZ_64K

/**
 * vgpu_damage_add - count a damage clip in
 * @dmg: the clips so far (zeroed before the first)
 * @r: the clip, not empty
 */
void vgpu_damage_add(struct vgpu_damage *dmg, const struct drm_rect *r)
{
	if (!dmg->n) {
		dmg->box = *r;
	} else {
		dmg->box.x1 = min(dmg->box.x1, r->x1);
		dmg->box.y1 = min(dmg->box.y1, r->y1);
		dmg->box.x2 = max(dmg->box.x2, r->x2);
		dmg->box.y2 = max(dmg->box.y2, r->y2);
	}
	dmg->area += (u64)drm_rect_width(r) * drm_rect_height(r);
	dmg->n++;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_damage_add);

/**
 * vgpu_damage_merge - whether damage clips go to the host as their
 *	bounding box rather than one by one
 * @dmg: the clips
 * @transfer: whether each is transferred (a framebuffer the guest draws),
 *	not only flushed
 * @max: the most clips sent one by one
 *
 * Return: true to send @dmg->box once: for more than @max clips, for a
 * framebuffer with nothing to transfer, and when the box covers at most
 * %VGPU_DAMAGE_CLIP_PIXELS beyond the clips for each clip it saves
 * (overlapping clips count twice, which favours the box).
 */
bool vgpu_damage_merge(const struct vgpu_damage *dmg, bool transfer,
		       unsigned int max)
{
	u64 box;

	if (dmg->n < 2)
		return false;
	if (dmg->n > max || !transfer)
		return true;
	box = (u64)drm_rect_width(&dmg->box) * drm_rect_height(&dmg->box);
	return box <= dmg->area ||
	       box - dmg->area <= (u64)(dmg->n - 1) * VGPU_DAMAGE_CLIP_PIXELS;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_damage_merge);

static const u64 vgpu_modifiers[] = {
	DRM_FORMAT_MOD_LINEAR,
	DRM_FORMAT_MOD_INVALID,
};

static const u32 vgpu_cursor_formats[] = { DRM_FORMAT_ARGB8888 };

static struct vgpu_output *primary_to_output(struct drm_plane *p)
{
	return container_of(p, struct vgpu_output, primary);
}

static struct vgpu_output *cursor_to_output(struct drm_plane *p)
{
	return container_of(p, struct vgpu_output, cursor);
}

static void vgpu_set_scanout(struct vgpu_output *out, u32 res_id,
			     const struct vgpu_rect *r)
{
	struct vgpu_buf *buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_set_scanout));

	if (!buf) {
		drm_dbg_kms(out->vg->drm, "scanout %u: no memory for SET_SCANOUT\n",
			    out->index);
		return;
	}
	vgpu_proto_set_scanout(buf->req, out->index, res_id, r);
	vgpu_cmd_async(out->vg, &out->vg->ctrlq, buf);
}

/*
 * SET_SCANOUT_BLOB: the host reads the framebuffer straight from the blob,
 * with the framebuffer's own layout (@r is in framebuffer pixels).
 */
static void vgpu_set_scanout_blob(struct vgpu_output *out, struct vgpu_fb *vfb,
				  const struct vgpu_rect *r)
{
	const struct drm_framebuffer *fb = &vfb->base;
	struct vgpu_scanout_blob_desc d = {
		.scanout = out->index, .res_id = vfb->hres->id,
		.x = r->x, .y = r->y, .width = r->width, .height = r->height,
		.fb_width = fb->width, .fb_height = fb->height,
		.format = vgpu_proto_format(fb->format->format),
	};
	struct vgpu_buf *buf;
	unsigned int i;

	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_set_scanout_blob));
	if (!buf) {
		drm_dbg_kms(out->vg->drm, "scanout %u: no memory for SET_SCANOUT_BLOB\n",
			    out->index);
		return;
	}
	for (i = 0; i < fb->format->num_planes; i++) {
		d.strides[i] = fb->pitches[i];
		d.offsets[i] = fb->offsets[i];
	}
	vgpu_proto_set_scanout_blob(buf->req, &d);
	vgpu_cmd_async(out->vg, &out->vg->ctrlq, buf);
}

/* Queue SET_SCANOUT with no resource. */
static void vgpu_scanout_disable(struct vgpu_output *out)
{
	static const struct vgpu_rect none;

	vgpu_set_scanout(out, 0, &none);
}

/**
 * vgpu_scanouts_blank - ask the host to show nothing on any scanout
 * @vg: device
 * @timeout: jiffies to wait for the answers
 *
 * Used before a reset of a device that still answers: QEMU 10 and 11 with a
 * GL display crash when a reset finds a GL scanout in use (they switch GL
 * contexts from the vCPU thread: eglMakeCurrent fails with EGL_BAD_ACCESS,
 * then a NULL dereference or libepoxy's "Couldn't find current GLX or EGL
 * context" assertion), as suspend, which turns the display off first,
 * never does. The KMS state does not change: the reset commits it again.
 *
 * Context: process; sleeps at most @timeout.
 *
 * Return: whether every command on the control queue was answered in time.
 */
bool vgpu_scanouts_blank(struct vgpu_device *vg, unsigned long timeout)
{
	unsigned int i;

	might_sleep();
	for (i = 0; vg->display.outputs && i < vg->display.num_scanouts; i++)
		vgpu_scanout_disable(&vg->display.outputs[i]);
	return vgpu_vq_drain(&vg->ctrlq, timeout);
}

/*
 * TRANSFER_TO_HOST_2D of @r, in resource coordinates. A 3D resource is
 * drawn on the host: its guest pages are not its content; a blob is
 * shared memory: nothing to copy.
 */
static void vgpu_fb_transfer(struct vgpu_device *vg, struct vgpu_fb *vfb,
			     const struct vgpu_rect *r)
{
	u64 offset = (u64)r->y * vfb->base.pitches[0] +
		     (u64)r->x * vfb->base.format->cpp[0];
	struct vgpu_buf *buf;

	if (vfb->hres->kind != VGPU_HRES_2D)
		return;
	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_to_host_2d));
	if (buf) {
		vgpu_proto_transfer_to_host_2d(buf->req, vfb->hres->id, offset, r);
		vgpu_cmd_async(vg, &vg->ctrlq, buf);
	}
}

/* RESOURCE_FLUSH of @r, in resource coordinates. */
static void vgpu_fb_flush(struct vgpu_device *vg, struct vgpu_fb *vfb,
			  const struct vgpu_rect *r)
{
	struct vgpu_buf *buf;

	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_flush));
	if (buf) {
		vgpu_proto_resource_flush(buf->req, vfb->hres->id, r);
		vgpu_cmd_async(vg, &vg->ctrlq, buf);
	}
}

static struct vgpu_rect vgpu_fb_rect(const struct vgpu_fb *vfb,
				     const struct drm_rect *d)
{
	return (struct vgpu_rect) {
		.x = vfb->x0 + d->x1,
		.y = vfb->y0 + d->y1,
		.width = drm_rect_width(d),
		.height = drm_rect_height(d),
	};
}

/* Send @r (resource coordinates) as a damage update: transfer and flush. */
static void vgpu_fb_damage(struct vgpu_device *vg, struct vgpu_fb *vfb,
			   const struct drm_rect *d)
{
	struct vgpu_rect r = vgpu_fb_rect(vfb, d);

	vgpu_fb_transfer(vg, vfb, &r);
	vgpu_fb_flush(vg, vfb, &r);
}

static struct drm_rect vgpu_clip_rect(const struct drm_clip_rect *c)
{
	return (struct drm_rect){ c->x1, c->y1, c->x2, c->y2 };
}

/**
 * vgpu_primary_dirty - send DIRTYFB's damage where @out's primary plane
 * shows @fb
 * @out: output, its primary plane's lock held
 * @fb: the framebuffer redrawn
 * @clips: the damage in framebuffer coordinates, every @inc-th of them
 * @num_clips: how many of @clips count; 0 damages the whole framebuffer
 * @inc: 2 when every other clip is the source of a copy (the ioctl's
 *	 ``DRM_MODE_FB_DIRTY_ANNOTATE_COPY``), else 1
 *
 * The clips are cut to the plane's source and sent as a damage commit
 * would send them (see "Damage"), without a commit: the plane's state
 * does not change. The caller notifies the device.
 *
 * Return: whether anything was queued.
 */
bool vgpu_primary_dirty(struct vgpu_output *out, struct drm_framebuffer *fb,
			const struct drm_clip_rect *clips,
			unsigned int num_clips, unsigned int inc)
{
	struct drm_plane_state *ps = out->primary.state;
	struct vgpu_fb *vfb = to_vgpu_fb(fb);
	struct vgpu_damage dmg = {};
	struct drm_rect src, d;
	unsigned int i;

	drm_modeset_lock_assert_held(&out->primary.mutex);
	if (ps->fb != fb || !ps->visible)
		return false;
	src = drm_plane_state_src(ps);
	drm_rect_fp_to_int(&src, &src);
	if (!num_clips) {
		vgpu_fb_damage(out->vg, vfb, &src);
		vgpu_crc_damaged(out);
		return true;
	}
	for (i = 0; i < num_clips; i++) {
		d = vgpu_clip_rect(&clips[i * inc]);
		if (drm_rect_intersect(&d, &src))
			vgpu_damage_add(&dmg, &d);
	}
	if (!dmg.n)
		return false;
	if (vgpu_damage_merge(&dmg, vfb->hres->kind == VGPU_HRES_2D,
			      READ_ONCE(vgpu_damage_clips_max))) {
		vgpu_fb_damage(out->vg, vfb, &dmg.box);
	} else {
		for (i = 0; i < num_clips; i++) {
			d = vgpu_clip_rect(&clips[i * inc]);
			if (drm_rect_intersect(&d, &src))
				vgpu_fb_damage(out->vg, vfb, &d);
		}
	}
	vgpu_crc_damaged(out);
	return true;
}

static int vgpu_primary_atomic_check(struct drm_plane *plane,
				     struct vgpu_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *cs = NULL;
	int ret;

	if (ps->crtc)
		cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	ret = drm_atomic_helper_check_plane_state(ps, cs, DRM_PLANE_NO_SCALING,
						  DRM_PLANE_NO_SCALING,
						  false, true);
	if (ret || !ps->visible)
		return ret;
	return vgpu_crc_check_fb(primary_to_output(plane), ps->fb);
}

static void vgpu_primary_atomic_update(struct drm_plane *plane,
				       struct vgpu_atomic_state *state)
{
	struct drm_plane_state *old = drm_atomic_get_old_plane_state(state, plane);
	struct drm_plane_state *ps = plane->state;
	struct vgpu_output *out = primary_to_output(plane);
	struct vgpu_device *vg = out->vg;
	struct drm_atomic_helper_damage_iter iter;
	struct vgpu_damage dmg = {};
	struct drm_crtc_state *cs;
	struct drm_rect src, d;
	struct vgpu_rect r;
	struct vgpu_fb *vfb;
	bool full;

	if (!ps->crtc || !ps->fb || !ps->visible) {
		if (old->visible)
			vgpu_scanout_disable(out);
		return;
	}
	cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	vfb = to_vgpu_fb(ps->fb);
	src = drm_plane_state_src(ps);
	drm_rect_fp_to_int(&src, &src);
	full = !old->visible || old->fb != ps->fb ||
	       drm_atomic_crtc_needs_modeset(cs) ||
	       !drm_rect_equals(&old->src, &ps->src);
	if (full) {
		r = vgpu_fb_rect(vfb, &src);
		vgpu_fb_transfer(vg, vfb, &r);
		if (vgpu_hres_is_blob(vfb->hres))
			vgpu_set_scanout_blob(out, vfb, &r);
		else
			vgpu_set_scanout(out, vfb->hres->id, &r);
		vgpu_fb_flush(vg, vfb, &r);
		return;
	}
	drm_atomic_helper_damage_iter_init(&iter, old, ps);
	drm_atomic_for_each_plane_damage(&iter, &d)
		vgpu_damage_add(&dmg, &d);
	if (!dmg.n)
		return;
	if (vgpu_damage_merge(&dmg, vfb->hres->kind == VGPU_HRES_2D,
			      READ_ONCE(vgpu_damage_clips_max))) {
		vgpu_fb_damage(vg, vfb, &dmg.box);
		return;
	}
	drm_atomic_helper_damage_iter_init(&iter, old, ps);
	drm_atomic_for_each_plane_damage(&iter, &d)
		vgpu_fb_damage(vg, vfb, &d);
}

/* Cursor queue: everything is sent from vgpu_cursor_work(), in order. */

/* What the cursor work sends next, taken under &vgpu_output.cursor_lock. */
struct vgpu_cursor_cmd {
	enum { VGPU_CURSOR_NONE, VGPU_CURSOR_MOVE, VGPU_CURSOR_UPDATE } op;
	s32 x;
	s32 y;
	u32 res;	/* 0 hides the cursor */
	u32 hot_x;
	u32 hot_y;
	struct drm_framebuffer *fb;	/* put once sent */
	struct vgpu_buf *upload;	/* put once sent */
};

/* Drop a pending update; the caller puts what it returns, unlocked. */
static void vgpu_cursor_take_pending(struct vgpu_output *out,
				     struct drm_framebuffer **fb,
				     struct vgpu_buf **upload)
{
	lockdep_assert_held(&out->cursor_lock);
	*fb = out->cursor_fb;
	*upload = out->cursor_upload;
	out->cursor_fb = NULL;
	out->cursor_upload = NULL;
	out->cursor_ready = false;
}

static void vgpu_cursor_put_pending(struct drm_framebuffer *fb,
				    struct vgpu_buf *upload)
{
	vgpu_buf_put(upload);
	if (fb)
		drm_framebuffer_put(fb);
}

/*
 * The next command: an update whose image the host has, a hide, or a
 * move. None while an update waits for its image (its upload's answer
 * queues the work again), nor when nothing changed.
 */
static void vgpu_cursor_next(struct vgpu_output *out, struct vgpu_cursor_cmd *c)
{
	lockdep_assert_held(&out->cursor_lock);
	*c = (struct vgpu_cursor_cmd){ .x = out->cursor_x, .y = out->cursor_y };
	if (out->cursor_fb) {
		if (!out->cursor_ready)
			return;
		c->op = VGPU_CURSOR_UPDATE;
		c->res = out->cursor_res;
		c->hot_x = out->cursor_hot_x;
		c->hot_y = out->cursor_hot_y;
		vgpu_cursor_take_pending(out, &c->fb, &c->upload);
	} else if (out->cursor_hide) {
		out->cursor_hide = false;
		c->op = VGPU_CURSOR_UPDATE;
	} else if (out->cursor_move) {
		c->op = VGPU_CURSOR_MOVE;
	}
	/* An update carries the position too. */
	if (c->op != VGPU_CURSOR_NONE)
		out->cursor_move = false;
}

static void vgpu_cursor_send(struct vgpu_output *out,
			     const struct vgpu_cursor_cmd *c)
{
	struct vgpu_device *vg = out->vg;
	struct vgpu_buf *buf;

	/* The host writes no answer on the cursor queue. */
	buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_update_cursor), 0,
			     GFP_KERNEL);
	if (!buf)
		return;
	if (c->op == VGPU_CURSOR_UPDATE)
		vgpu_proto_update_cursor(buf->req, out->index, c->x, c->y, c->res,
					 c->hot_x, c->hot_y);
	else
		vgpu_proto_move_cursor(buf->req, out->index, c->x, c->y);
	if (!vgpu_vq_queue(&vg->cursorq, buf, vg->cmd_timeout)) {
		vgpu_vq_kick(&vg->cursorq);
		if (c->op == VGPU_CURSOR_UPDATE)
			out->cursor_updates++;
		else
			out->cursor_moves++;
	}
	vgpu_buf_put(buf);
}

static void vgpu_cursor_work(struct work_struct *work)
{
	struct vgpu_output *out = container_of(work, struct vgpu_output,
					       cursor_work);
	struct vgpu_cursor_cmd c;
	bool sent = false;

	/*
	 * Before the snapshot: a move made after it takes a reference of its
	 * own and waits for the next vblank.
	 */
	if (atomic_xchg(&out->cursor_vblank, 0))
		drm_crtc_vblank_put(&out->crtc);
	for (;;) {
		spin_lock_irq(&out->cursor_lock);
		/* A move made while this run sent waits for its vblank. */
		if (sent && !out->cursor_fb && !out->cursor_hide) {
			spin_unlock_irq(&out->cursor_lock);
			return;
		}
		vgpu_cursor_next(out, &c);
		spin_unlock_irq(&out->cursor_lock);
		if (c.op == VGPU_CURSOR_NONE)
			return;
		vgpu_cursor_send(out, &c);
		vgpu_cursor_put_pending(c.fb, c.upload);
		sent = true;
	}
}

static void vgpu_cursor_uploaded(struct vgpu_buf *buf)
{
	struct vgpu_output *out = buf->priv;
	unsigned long flags;

	spin_lock_irqsave(&out->cursor_lock, flags);
	if (out->cursor_upload == buf) {
		out->cursor_ready = true;
		queue_work(system_highpri_wq, &out->cursor_work);
	}
	spin_unlock_irqrestore(&out->cursor_lock, flags);
}

/* Forget a pending cursor update (teardown). */
static void vgpu_cursor_cancel(struct vgpu_output *out)
{
	struct drm_framebuffer *fb;
	struct vgpu_buf *upload;

	spin_lock_irq(&out->cursor_lock);
	vgpu_cursor_take_pending(out, &fb, &upload);
	out->cursor_move = false;
	spin_unlock_irq(&out->cursor_lock);
	vgpu_cursor_put_pending(fb, upload);
}

static void vgpu_cursor_hide(struct vgpu_output *out)
{
	struct drm_framebuffer *fb;
	struct vgpu_buf *upload;

	spin_lock_irq(&out->cursor_lock);
	vgpu_cursor_take_pending(out, &fb, &upload);
	out->cursor_hide = true;
	spin_unlock_irq(&out->cursor_lock);
	vgpu_cursor_put_pending(fb, upload);
	queue_work(system_highpri_wq, &out->cursor_work);
}

/* Moves come from async updates, which the plane's lock serialises. */
static void vgpu_cursor_move(struct vgpu_output *out, s32 x, s32 y)
{
	bool first;

	spin_lock_irq(&out->cursor_lock);
	out->cursor_x = x;
	out->cursor_y = y;
	/* A pending update or move carries the position. */
	first = !out->cursor_fb && !out->cursor_move;
	if (!out->cursor_fb)
		out->cursor_move = true;
	spin_unlock_irq(&out->cursor_lock);
	if (!first || atomic_read(&out->cursor_vblank))
		return;
	/* Sent at the next vblank (vgpu_vblank_fire() queues the work). */
	if (!drm_crtc_vblank_get(&out->crtc)) {
		atomic_set(&out->cursor_vblank, 1);
		return;
	}
	queue_work(system_highpri_wq, &out->cursor_work);
}

static void vgpu_cursor_show(struct vgpu_output *out,
			     const struct drm_plane_state *ps)
{
	struct vgpu_fb *vfb = to_vgpu_fb(ps->fb);
	struct vgpu_rect r = { vfb->x0, vfb->y0, VGPU_CURSOR_SIZE,
			       VGPU_CURSOR_SIZE };
	struct drm_framebuffer *old_fb;
	struct vgpu_buf *buf = NULL, *old_upload;
	u32 hot_x, hot_y;

	/* A 3D resource's image is on the host already; a blob is shared. */
	if (vfb->hres->kind == VGPU_HRES_2D) {
		buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_to_host_2d));
		if (!buf) {
			drm_dbg_kms(out->vg->drm, "cursor %u: no memory for the upload\n",
				    out->index);
			return;
		}
		vgpu_proto_transfer_to_host_2d(buf->req, vfb->hres->id, 0, &r);
		buf->on_done = vgpu_cursor_uploaded;
		buf->priv = out;
	}
	vgpu_cursor_hotspot(ps, &hot_x, &hot_y);

	spin_lock_irq(&out->cursor_lock);
	vgpu_cursor_take_pending(out, &old_fb, &old_upload);
	out->cursor_hide = false;
	out->cursor_move = false;
	out->cursor_x = ps->crtc_x;
	out->cursor_y = ps->crtc_y;
	out->cursor_fb = ps->fb;
	drm_framebuffer_get(ps->fb);
	out->cursor_res = vfb->hres->id;
	out->cursor_hot_x = hot_x;
	out->cursor_hot_y = hot_y;
	if (buf) {
		vgpu_buf_get(buf);
		out->cursor_upload = buf;
	} else {
		out->cursor_ready = true;
	}
	spin_unlock_irq(&out->cursor_lock);
	vgpu_cursor_put_pending(old_fb, old_upload);

	if (!buf)
		queue_work(system_highpri_wq, &out->cursor_work);
	/* Not on the ring: show the image as the host has it. */
	else if (vgpu_cmd_async(out->vg, &out->vg->ctrlq, buf))
		vgpu_cursor_uploaded(buf);
}

static int vgpu_cursor_atomic_check(struct drm_plane *plane,
				    struct vgpu_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *cs = NULL;
	struct vgpu_fb *vfb;

	if (ps->crtc)
		cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	if (ps->fb) {
		vfb = to_vgpu_fb(ps->fb);
		if (ps->fb->width != VGPU_CURSOR_SIZE ||
		    ps->fb->height != VGPU_CURSOR_SIZE ||
		    ps->fb->pitches[0] != VGPU_CURSOR_SIZE * 4 ||
		    vfb->x0 || vfb->y0) {
			drm_dbg_atomic(plane->dev, "cursor fb %ux%u pitch %u: must be %ux%u\n",
				       ps->fb->width, ps->fb->height,
				       ps->fb->pitches[0], VGPU_CURSOR_SIZE,
				       VGPU_CURSOR_SIZE);
			return -EINVAL;
		}
	}
	return drm_atomic_helper_check_plane_state(ps, cs, DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   true, true);
}

static void vgpu_cursor_atomic_update(struct drm_plane *plane,
				      struct vgpu_atomic_state *state)
{
	struct drm_plane_state *old = drm_atomic_get_old_plane_state(state, plane);
	struct drm_plane_state *ps = plane->state;
	struct vgpu_output *out = cursor_to_output(plane);

	if (!ps->crtc || !ps->fb || !ps->visible) {
		if (old->visible)
			vgpu_cursor_hide(out);
		return;
	}
	if (old->visible && old->fb == ps->fb &&
	    !drm_plane_get_damage_clips_count(ps))
		vgpu_cursor_move(out, ps->crtc_x, ps->crtc_y);
	else
		vgpu_cursor_show(out, ps);
}

/**
 * vgpu_cursor_atomic_async_check - whether a cursor update can skip the
 *	vblank: a move of the cursor shown, or a new image for it
 * @plane: cursor plane
 * @state: atomic update
 * @flip: an async page flip (not asked of cursors: the answer is the same)
 *
 * A legacy cursor ioctl with a buffer makes a new framebuffer each time:
 * taken async too, it does not wait for a page flip pending on the CRTC
 * (IGT's kms_cursor_legacy cursor-vs-flip). The new image, which the
 * cursor's atomic check has passed, is uploaded as a full commit would.
 *
 * Return: 0, or -EINVAL for an update that needs a full commit (the
 * cursor appears, or moves to another CRTC).
 */
int vgpu_cursor_atomic_async_check(struct drm_plane *plane,
				   struct vgpu_atomic_state *state, bool flip)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_crtc_state *cs;

	if (!ps->crtc || !ps->fb || !plane->state || !plane->state->fb ||
	    plane->state->crtc != ps->crtc || !plane->state->visible)
		return -EINVAL;
	cs = drm_atomic_get_new_crtc_state(state, ps->crtc);
	if (!cs)
		cs = ps->crtc->state;
	return drm_atomic_helper_check_plane_state(ps, cs, DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   true, true);
}

static void vgpu_cursor_atomic_async_update(struct drm_plane *plane,
					    struct vgpu_atomic_state *state)
{
	struct drm_plane_state *ps = drm_atomic_get_new_plane_state(state, plane);
	struct drm_plane_state *cur = plane->state;
	struct vgpu_output *out = cursor_to_output(plane);
	bool new_image = cur->fb != ps->fb;

	cur->crtc_x = ps->crtc_x;
	cur->crtc_y = ps->crtc_y;
	cur->crtc_w = ps->crtc_w;
	cur->crtc_h = ps->crtc_h;
	cur->src_x = ps->src_x;
	cur->src_y = ps->src_y;
	cur->src_w = ps->src_w;
	cur->src_h = ps->src_h;
	cur->src = ps->src;
	cur->dst = ps->dst;
	swap(cur->fb, ps->fb);
	if (!ps->visible) {
		cur->visible = false;
		vgpu_cursor_hide(out);
	} else if (new_image) {
		/* no commit tail here: the upload is notified at once */
		vgpu_cursor_show(out, cur);
		vgpu_vq_kick(&out->vg->ctrlq);
	} else {
		vgpu_cursor_move(out, cur->crtc_x, cur->crtc_y);
	}
	vgpu_crc_cursor(out, cur->visible ? cur->fb : NULL, cur->crtc_x,
			cur->crtc_y);
}

static const struct drm_plane_helper_funcs vgpu_primary_helper_funcs = {
	.atomic_check = vgpu_primary_atomic_check,
	.atomic_update = vgpu_primary_atomic_update,
	VGPU_PANIC_PLANE_FUNCS
};

static const struct drm_plane_helper_funcs vgpu_cursor_helper_funcs = {
	.atomic_check = vgpu_cursor_atomic_check,
	.atomic_update = vgpu_cursor_atomic_update,
	.atomic_async_check = vgpu_cursor_async_check_hook,
	.atomic_async_update = vgpu_cursor_atomic_async_update,
};

/* An async flip shows any of the primary's formats, linear as all are. */
static bool __maybe_unused vgpu_primary_format_mod_async(struct drm_plane *plane,
							 u32 format, u64 modifier)
{
	return modifier == DRM_FORMAT_MOD_LINEAR;
}

/* What both planes' funcs hold: the atomic helpers. */
#define VGPU_PLANE_FUNCS						\
	.update_plane = drm_atomic_helper_update_plane,			\
	.disable_plane = drm_atomic_helper_disable_plane,		\
	.destroy = drm_plane_cleanup,					\
	.reset = drm_atomic_helper_plane_reset,				\
	.atomic_duplicate_state = drm_atomic_helper_plane_duplicate_state, \
	.atomic_destroy_state = drm_atomic_helper_plane_destroy_state

static const struct drm_plane_funcs vgpu_primary_funcs = {
	VGPU_PLANE_FUNCS,
	VGPU_PLANE_FORMAT_MOD_ASYNC(vgpu_primary_format_mod_async)
};

static const struct drm_plane_funcs vgpu_cursor_funcs = {
	VGPU_PLANE_FUNCS,
};

static void vgpu_planes_fini(struct drm_device *drm, void *arg)
{
	struct vgpu_output *out = arg;

	cancel_work_sync(&out->cursor_work);
	vgpu_cursor_cancel(out);
}

/**
 * vgpu_planes_init - create the primary and cursor planes of an output
 * @out: output
 *
 * Return: 0 or a negative errno.
 */
int vgpu_planes_init(struct vgpu_output *out)
{
	struct drm_device *drm = out->vg->drm;
	unsigned int nformats;
	const u32 *formats = vgpu_proto_fourccs(&nformats);
	u32 crtcs = BIT(out->index);
	int ret;

	spin_lock_init(&out->cursor_lock);
	INIT_WORK(&out->cursor_work, vgpu_cursor_work);
	ret = drm_universal_plane_init(drm, &out->primary, crtcs,
				       &vgpu_primary_funcs, formats, nformats,
				       vgpu_modifiers, DRM_PLANE_TYPE_PRIMARY,
				       NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&out->primary, &vgpu_primary_helper_funcs);
	drm_plane_enable_fb_damage_clips(&out->primary);
	/*
	 * Formats with alpha are blended as premultiplied, DRM's default: on
	 * the primary that is what the host shows (over black), and the
	 * property says so to userspace (and to the core, which asks for it).
	 */
	ret = drm_plane_create_blend_mode_property(&out->primary,
						   BIT(DRM_MODE_BLEND_PREMULTI));
	if (ret)
		return ret;

	ret = drm_universal_plane_init(drm, &out->cursor, crtcs,
				       &vgpu_cursor_funcs, vgpu_cursor_formats,
				       ARRAY_SIZE(vgpu_cursor_formats),
				       vgpu_modifiers, DRM_PLANE_TYPE_CURSOR,
				       NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&out->cursor, &vgpu_cursor_helper_funcs);
	ret = drm_plane_create_blend_mode_property(&out->cursor,
						   BIT(DRM_MODE_BLEND_PREMULTI));
	if (ret)
		return ret;
	ret = drmm_add_action_or_reset(drm, vgpu_planes_fini, out);
	if (ret)
		return ret;
	return vgpu_panic_init(out);
}
