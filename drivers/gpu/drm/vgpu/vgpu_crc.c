// SPDX-License-Identifier: GPL-2.0
/**
 * DOC: CRC capture
 *
 * vgpu display feature: CRC capture of what a CRTC shows.
 *
 * The host composes the scanout and hands nothing back, so the CRC is
 * computed in the guest, through DRM's debugfs interface
 * (crtc-N/crc/control and data, source "auto"), for the frames userspace
 * reads: IGT's CRC tests compare them. Each commit leaves a snapshot of
 * what the CRTC shows (the primary and cursor framebuffers, with a
 * reference each, and their rectangles); an async cursor update moves or
 * changes the cursor in it too. While capture is on, each vblank of the
 * timer queues the CRC work, which composes the primary plane over black and
 * the cursor over that (premultiplied alpha), row by row, and runs
 * crc32 over the rows; vblanks that pass while the work runs get the
 * same CRC; a frame that changed while it was computed (its old buffer
 * may be being redrawn) is computed again. Until the snapshot changes,
 * later vblanks get that CRC at
 * once, in the timer: a frame is a few tens of milliseconds of work under
 * TCG, and IGT reads a CRC for each vblank (except for guest blobs, whose
 * pixels the host reads in place without a commit: those are computed
 * every time). While no one captures, no work is queued: a commit only
 * swaps the snapshot's references.
 *
 * Only frames whose pixels are in guest memory can be captured: dumb and
 * shmem buffers and guest blobs. A frame rendered on the host (a 3D
 * resource, a host blob) would need a copy back from the host for every
 * frame; capture refuses it instead, with -EINVAL and a debug reason,
 * both when it is turned on and in the atomic check of a commit that
 * would show one while it is on.
 */
#include <linux/crc32.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include <drm/drm_atomic.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_vblank.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

static const char *const vgpu_crc_sources[] = { "auto" };

/*
 * A late timer counts several vblanks at once: each gets its CRC, up to
 * this many (the core keeps 128 entries for the reader).
 */
#define VGPU_CRC_CATCH_UP	16
/*
 * A frame that changed while its CRC was computed is computed again (the
 * pixels read may be of a buffer that is already being redrawn), this
 * many times at most.
 */
#define VGPU_CRC_RETRIES	3

/**
 * vgpu_crc_argb - one pixel as ARGB8888
 * @fourcc: the pixel's format, one of the formats the planes take
 * @px: the pixel's four bytes
 *
 * Return: the pixel with alpha in bits 31-24 (0xff for formats without
 * alpha), red, green and blue below it.
 */
u32 vgpu_crc_argb(u32 fourcc, const u8 *px)
{
	/* pitches and offsets are multiples of 4: pixels are aligned */
	u32 v = le32_to_cpu(*(const __le32 *)px);

	switch (fourcc) {
	case DRM_FORMAT_ARGB8888:
		return v;
	case DRM_FORMAT_XRGB8888:
		return v | 0xff000000;
	case DRM_FORMAT_ABGR8888:
		return (v & 0xff00ff00) | ((v & 0xff) << 16) | ((v >> 16) & 0xff);
	case DRM_FORMAT_XBGR8888:
		return 0xff000000 | (v & 0xff00) | ((v & 0xff) << 16) |
		       ((v >> 16) & 0xff);
	case DRM_FORMAT_BGRA8888:
		return ((v & 0xff) << 24) | ((v >> 8) & 0xff) << 16 |
		       ((v >> 16) & 0xff) << 8 | (v >> 24);
	case DRM_FORMAT_BGRX8888:
		return 0xff000000 | ((v >> 8) & 0xff) << 16 |
		       ((v >> 16) & 0xff) << 8 | (v >> 24);
	case DRM_FORMAT_RGBA8888:
		return ((v & 0xff) << 24) | (v >> 8);
	case DRM_FORMAT_RGBX8888:
		return 0xff000000 | (v >> 8);
	}
	return 0xff000000;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_crc_argb);

/* x * a / 255, rounded to nearest */
static u32 vgpu_crc_mul(u32 x, u32 a)
{
	u32 t = x * a + 0x80;

	return ((t >> 8) + t) >> 8;
}

/**
 * vgpu_crc_over - a premultiplied ARGB pixel over an opaque one
 * @dst: opaque pixel below (XRGB8888; its alpha bits are ignored)
 * @src: premultiplied ARGB8888 pixel on top
 *
 * Return: the opaque result, src + dst * (1 - alpha) per channel.
 */
u32 vgpu_crc_over(u32 dst, u32 src)
{
	u32 inv = 255 - (src >> 24), out = 0xff000000;
	unsigned int shift;

	for (shift = 0; shift < 24; shift += 8) {
		u32 c = ((src >> shift) & 0xff) +
			vgpu_crc_mul((dst >> shift) & 0xff, inv);

		out |= min_t(u32, c, 0xff) << shift;
	}
	return out;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_crc_over);

/* Lays the part of @l that covers row @y into @row (width @width). */
static void vgpu_crc_layer_row(u32 *row, u32 width, u32 y,
			       const struct vgpu_crc_layer *l, bool blend)
{
	s64 x0 = max_t(s64, l->x, 0), x1 = min_t(s64, (s64)l->x + l->w, width);
	const u8 *src;
	s64 x;

	/* as signed: a layer may start above or left of the CRTC */
	if (!l->vaddr || (s64)y < l->y || (s64)y >= (s64)l->y + l->h || x0 >= x1)
		return;
	src = l->vaddr + (size_t)((s64)y - l->y) * l->pitch;
	for (x = x0; x < x1; x++) {
		u32 px = vgpu_crc_argb(l->format, src + (x - l->x) * 4);

		row[x] = blend ? vgpu_crc_over(row[x], px) : px | 0xff000000;
	}
}

/**
 * vgpu_crc_compose - the CRC of a composed frame
 * @primary: the primary plane, or NULL (black)
 * @cursor: the cursor, or NULL
 * @width: the CRTC's width in pixels
 * @height: its height
 * @row: scratch space of @width pixels
 *
 * Each row is black, then the primary plane (its alpha ignored), then the
 * cursor blended over it; the CRC is crc32 (little-endian, seed ~0) over
 * the rows' XRGB8888 pixels, top to bottom.
 *
 * Return: the CRC.
 */
u32 vgpu_crc_compose(const struct vgpu_crc_layer *primary,
		     const struct vgpu_crc_layer *cursor, u32 width, u32 height,
		     u32 *row)
{
	__le32 *le = (__force __le32 *)row;
	u32 crc = ~0u, y, x;

	for (y = 0; y < height; y++) {
		for (x = 0; x < width; x++)
			row[x] = 0xff000000;
		if (primary)
			vgpu_crc_layer_row(row, width, y, primary, false);
		if (cursor)
			vgpu_crc_layer_row(row, width, y, cursor, true);
		for (x = 0; x < width; x++)
			le[x] = cpu_to_le32(row[x]);
		crc = crc32_le(crc, (const u8 *)le, width * 4);
	}
	return crc;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_crc_compose);

/* The framebuffer's pixels are the guest's (not rendered on the host). */
static bool vgpu_crc_fb_ok(struct drm_framebuffer *fb)
{
	struct vgpu_hres *hres = to_vgpu_fb(fb)->hres;

	return hres && vgpu_hres_guest_content(hres);
}

/**
 * vgpu_crc_check_fb - whether a commit may show @fb while capture is on
 * @out: output
 * @fb: the primary plane's new framebuffer
 *
 * Return: 0, or -EINVAL (with a debug reason) for a frame rendered on the
 * host while the CRTC's CRC is captured.
 */
int vgpu_crc_check_fb(struct vgpu_output *out, struct drm_framebuffer *fb)
{
	if (!fb || !READ_ONCE(out->crc.on) || vgpu_crc_fb_ok(fb))
		return 0;
	drm_dbg_kms(out->vg->drm,
		    "[CRTC:%d] CRC capture is on: [FB:%d] is rendered on the host\n",
		    out->crtc.base.id, fb->base.id);
	return -EINVAL;
}

static void vgpu_crc_swap_fb(struct drm_framebuffer **slot,
			     struct drm_framebuffer *fb,
			     struct drm_framebuffer **old)
{
	if (fb)
		drm_framebuffer_get(fb);
	*old = *slot;
	*slot = fb;
}

/**
 * vgpu_crc_snapshot - a commit changed what @out shows
 * @out: output, in its CRTC's atomic_flush (plane states are the new ones)
 */
void vgpu_crc_snapshot(struct vgpu_output *out)
{
	struct drm_plane_state *ps = out->primary.state, *cs = out->cursor.state;
	struct drm_framebuffer *old_p, *old_c;
	struct vgpu_crc *crc = &out->crc;
	bool pv = ps->visible && ps->fb, cv = cs->visible && cs->fb;

	spin_lock_irq(&crc->lock);
	vgpu_crc_swap_fb(&crc->primary, pv ? ps->fb : NULL, &old_p);
	vgpu_crc_swap_fb(&crc->cursor, cv ? cs->fb : NULL, &old_c);
	crc->primary_src = ps->src;
	crc->primary_dst = ps->dst;
	/* the cursor unclipped: it may hang off the CRTC's edges */
	crc->cursor_x = cs->crtc_x;
	crc->cursor_y = cs->crtc_y;
	crc->cursor_w = cs->crtc_w;
	crc->cursor_h = cs->crtc_h;
	crc->cursor_src_x = cs->src_x >> 16;
	crc->cursor_src_y = cs->src_y >> 16;
	crc->width = out->crtc.state->mode.hdisplay;
	crc->height = out->crtc.state->mode.vdisplay;
	crc->seq++;
	crc->valid = false;
	spin_unlock_irq(&crc->lock);
	if (old_p)
		drm_framebuffer_put(old_p);
	if (old_c)
		drm_framebuffer_put(old_c);
}

/**
 * vgpu_crc_cursor - an async update moved the cursor, changed or hid it
 * @out: output
 * @fb: the cursor's framebuffer now, NULL when hidden
 * @x: new position
 * @y: new position
 */
void vgpu_crc_cursor(struct vgpu_output *out, struct drm_framebuffer *fb,
		     s32 x, s32 y)
{
	struct drm_framebuffer *old;
	unsigned long flags;

	spin_lock_irqsave(&out->crc.lock, flags);
	out->crc.cursor_x = x;
	out->crc.cursor_y = y;
	vgpu_crc_swap_fb(&out->crc.cursor, fb, &old);
	out->crc.seq++;
	out->crc.valid = false;
	spin_unlock_irqrestore(&out->crc.lock, flags);
	if (old)
		drm_framebuffer_put(old);
}

/**
 * vgpu_crc_damaged - what @out shows was redrawn in place (DIRTYFB)
 * @out: output
 *
 * The framebuffers stay; a CRC known for them is computed again.
 */
void vgpu_crc_damaged(struct vgpu_output *out)
{
	spin_lock_irq(&out->crc.lock);
	out->crc.seq++;
	out->crc.valid = false;
	spin_unlock_irq(&out->crc.lock);
}

/**
 * vgpu_crc_vblank - a vblank passed: queue its CRC when capture is on
 * @out: output; called from the vblank timer
 */
void vgpu_crc_vblank(struct vgpu_output *out)
{
	struct vgpu_crc *crc = &out->crc;
	u64 frame, from, f;
	u32 value = 0;
	bool known;

	if (!READ_ONCE(crc->on))
		return;
	frame = drm_crtc_vblank_count(&out->crtc);
	spin_lock(&crc->lock);
	if (frame < crc->next) {
		spin_unlock(&crc->lock);
		return;
	}
	from = max(crc->next, frame - min_t(u64, frame, VGPU_CRC_CATCH_UP - 1));
	crc->next = frame + 1;
	known = !crc->queued && crc->valid;
	if (known) {
		value = crc->value;
	} else if (!crc->queued) {
		crc->first = from;
		crc->queued = true;
		queue_work(vgpu_unbound_wq(), &crc->work);
	}
	if (!known)
		crc->last = frame;
	spin_unlock(&crc->lock);
	for (f = from; known && f <= frame; f++)
		drm_crtc_add_crc_entry(&out->crtc, true, f, &value);
}

/* A layer of @fb mapped at @map, its source at @src and place at @x, @y. */
static void vgpu_crc_layer(struct vgpu_crc_layer *l, struct drm_framebuffer *fb,
			   const struct iosys_map *map, s32 src_x, s32 src_y,
			   s32 x, s32 y, u32 w, u32 h)
{
	l->vaddr = (const u8 *)map->vaddr + (size_t)src_y * fb->pitches[0] +
		   (size_t)src_x * 4;
	l->pitch = fb->pitches[0];
	l->format = fb->format->format;
	l->x = x;
	l->y = y;
	l->w = w;
	l->h = h;
}

/* A frame to compute, as the CRTC last showed it. */
struct vgpu_crc_frame {
	u64 first;	/* vblanks it is for */
	u64 last;
	u64 seq;	/* &vgpu_crc.seq when taken */
	struct drm_framebuffer *primary;	/* one reference, or NULL */
	struct drm_framebuffer *cursor;	/* one reference, or NULL */
	struct drm_rect src;
	struct drm_rect dst;
	s32 cx, cy, csx, csy;
	u32 cw, ch;
	u32 width, height;
};

static void vgpu_crc_frame_take(struct vgpu_crc *crc, struct vgpu_crc_frame *fr)
{
	spin_lock_irq(&crc->lock);
	/* @queued stays set until these frames are given: order is kept */
	*fr = (struct vgpu_crc_frame) {
		.first = crc->first, .last = crc->last, .seq = crc->seq,
		.primary = crc->primary, .cursor = crc->cursor,
		.src = crc->primary_src, .dst = crc->primary_dst,
		.cx = crc->cursor_x, .cy = crc->cursor_y,
		.csx = crc->cursor_src_x, .csy = crc->cursor_src_y,
		.cw = crc->cursor_w, .ch = crc->cursor_h,
		.width = crc->width, .height = crc->height,
	};
	if (fr->primary)
		drm_framebuffer_get(fr->primary);
	if (fr->cursor)
		drm_framebuffer_get(fr->cursor);
	spin_unlock_irq(&crc->lock);
}

static void vgpu_crc_frame_put(struct vgpu_crc_frame *fr)
{
	if (fr->cursor)
		drm_framebuffer_put(fr->cursor);
	if (fr->primary)
		drm_framebuffer_put(fr->primary);
}

/*
 * The frame's CRC from its framebuffers' pixels. A cursor that cannot be
 * read is left out. Return: 0, -ENOMEM, or -EIO for a primary framebuffer
 * that cannot be read.
 */
static int vgpu_crc_frame_value(struct vgpu_output *out,
				const struct vgpu_crc_frame *fr, u32 *value)
{
	struct iosys_map pmap[DRM_FORMAT_MAX_PLANES], pdata[DRM_FORMAT_MAX_PLANES];
	struct iosys_map cmap[DRM_FORMAT_MAX_PLANES], cdata[DRM_FORMAT_MAX_PLANES];
	struct vgpu_crc_layer pl = {}, cl = {};
	bool cmapped = false;
	u32 *row;

	row = fr->width ? kvmalloc_array(fr->width, sizeof(*row), GFP_KERNEL) : NULL;
	if (!row)
		return -ENOMEM;
	if (fr->primary && (!vgpu_crc_fb_ok(fr->primary) ||
			    drm_gem_fb_vmap(fr->primary, pmap, pdata))) {
		drm_dbg_kms(out->vg->drm, "[CRTC:%d] CRC: [FB:%d] cannot be read\n",
			    out->crtc.base.id, fr->primary->base.id);
		kvfree(row);
		return -EIO;
	}
	if (fr->primary)
		vgpu_crc_layer(&pl, fr->primary, &pdata[0], fr->src.x1 >> 16,
			       fr->src.y1 >> 16, fr->dst.x1, fr->dst.y1,
			       drm_rect_width(&fr->dst), drm_rect_height(&fr->dst));
	if (fr->cursor && !drm_gem_fb_vmap(fr->cursor, cmap, cdata)) {
		cmapped = true;
		vgpu_crc_layer(&cl, fr->cursor, &cdata[0], fr->csx, fr->csy,
			       fr->cx, fr->cy, fr->cw, fr->ch);
	}
	*value = vgpu_crc_compose(fr->primary ? &pl : NULL, cmapped ? &cl : NULL,
				  fr->width, fr->height, row);
	if (cmapped)
		drm_gem_fb_vunmap(fr->cursor, cmap);
	if (fr->primary)
		drm_gem_fb_vunmap(fr->primary, pmap);
	kvfree(row);
	return 0;
}

/*
 * Give @value to the vblanks it is for, unless the frame changed while it
 * was computed (then compute again, a few times at most). @cache: the
 * value holds until the next commit.
 */
static void vgpu_crc_deliver(struct vgpu_output *out,
			     const struct vgpu_crc_frame *fr, u32 value,
			     bool cache)
{
	struct vgpu_crc *crc = &out->crc;
	u64 f;

	spin_lock_irq(&crc->lock);
	if (crc->seq != fr->seq && crc->retries < VGPU_CRC_RETRIES) {
		/* the old buffer may be redrawn already: read the new one */
		crc->retries++;
		queue_work(vgpu_unbound_wq(), &crc->work);
		spin_unlock_irq(&crc->lock);
		return;
	}
	crc->retries = 0;
	spin_unlock_irq(&crc->lock);
	for (f = fr->first; f <= fr->last; f++)
		drm_crtc_add_crc_entry(&out->crtc, true, f, &value);
	spin_lock_irq(&crc->lock);
	if (crc->seq == fr->seq) {
		/* vblanks that came meanwhile showed the same frame */
		for (f = fr->last + 1; f <= crc->last; f++)
			drm_crtc_add_crc_entry(&out->crtc, true, f, &value);
		crc->queued = false;
		crc->value = value;
		crc->valid = cache;
	} else if (crc->last > fr->last) {
		/* the frame changed meanwhile: those vblanks need another */
		crc->first = fr->last + 1;
		queue_work(vgpu_unbound_wq(), &crc->work);
	} else {
		crc->queued = false;
	}
	spin_unlock_irq(&crc->lock);
}

static void vgpu_crc_work(struct work_struct *work)
{
	struct vgpu_crc *crc = container_of(work, struct vgpu_crc, work);
	struct vgpu_output *out = container_of(crc, struct vgpu_output, crc);
	struct vgpu_crc_frame fr;
	bool cache;
	u32 value;

	vgpu_crc_frame_take(crc, &fr);
	/* a guest blob's pixels change on the host's screen without a commit */
	cache = !fr.primary ||
		(vgpu_crc_fb_ok(fr.primary) &&
		 !vgpu_hres_is_blob(to_vgpu_fb(fr.primary)->hres));
	if (vgpu_crc_frame_value(out, &fr, &value)) {
		spin_lock_irq(&crc->lock);
		crc->queued = false;
		spin_unlock_irq(&crc->lock);
	} else {
		atomic64_inc(&crc->computed);
		vgpu_crc_deliver(out, &fr, value, cache);
	}
	vgpu_crc_frame_put(&fr);
}

/**
 * vgpu_crtc_verify_crc_source - &drm_crtc_funcs.verify_crc_source
 * @crtc: CRTC
 * @source: "auto", or NULL to stop
 * @values: set to the CRC's number of values, 1
 *
 * Return: 0, or -EINVAL for another source.
 */
int vgpu_crtc_verify_crc_source(struct drm_crtc *crtc, const char *source,
				size_t *values)
{
	if (source && strcmp(source, "auto")) {
		drm_dbg_kms(crtc->dev, "[CRTC:%d] no CRC source \"%s\" (auto only)\n",
			    crtc->base.id, source);
		return -EINVAL;
	}
	*values = 1;
	return 0;
}

/**
 * vgpu_crtc_set_crc_source - &drm_crtc_funcs.set_crc_source
 * @crtc: CRTC
 * @source: "auto" to capture, NULL to stop
 *
 * Capture keeps the vblank timer running (a vblank reference while on).
 *
 * Return: 0, -EINVAL when the CRTC shows a frame rendered on the host, or
 * the error of drm_crtc_vblank_get().
 */
int vgpu_crtc_set_crc_source(struct drm_crtc *crtc, const char *source)
{
	struct vgpu_output *out = crtc_to_output(crtc);
	struct vgpu_crc *crc = &out->crc;
	bool on = source && !strcmp(source, "auto"), ok;
	int ret;

	if (on == READ_ONCE(crc->on))
		return 0;
	if (!on) {
		WRITE_ONCE(crc->on, false);
		cancel_work_sync(&crc->work);
		/* a work cancelled before it ran leaves nothing queued */
		spin_lock_irq(&crc->lock);
		crc->queued = false;
		crc->valid = false;
		crc->retries = 0;
		spin_unlock_irq(&crc->lock);
		drm_crtc_vblank_put(crtc);
		return 0;
	}
	ret = drm_crtc_vblank_get(crtc);
	if (ret) {
		drm_dbg_kms(crtc->dev, "[CRTC:%d] CRC capture: no vblanks (%d)\n",
			    crtc->base.id, ret);
		return ret;
	}
	spin_lock_irq(&crc->lock);
	ok = !crc->primary || vgpu_crc_fb_ok(crc->primary);
	if (ok) {
		/* CRCs from the next vblank on */
		crc->next = drm_crtc_vblank_count(crtc) + 1;
		WRITE_ONCE(crc->on, true);
	}
	spin_unlock_irq(&crc->lock);
	if (!ok) {
		drm_crtc_vblank_put(crtc);
		drm_dbg_kms(crtc->dev, "[CRTC:%d] CRC capture: frame rendered on the host\n",
			    crtc->base.id);
		return -EINVAL;
	}
	return 0;
}

/**
 * vgpu_crtc_get_crc_sources - &drm_crtc_funcs.get_crc_sources
 * @crtc: CRTC
 * @count: set to the number of sources
 *
 * Return: the sources: "auto".
 */
const char *const *vgpu_crtc_get_crc_sources(struct drm_crtc *crtc,
					     size_t *count)
{
	*count = ARRAY_SIZE(vgpu_crc_sources);
	return vgpu_crc_sources;
}

/**
 * vgpu_crc_init - set up an output's CRC capture (off)
 * @out: output
 */
void vgpu_crc_init(struct vgpu_output *out)
{
	spin_lock_init(&out->crc.lock);
	INIT_WORK(&out->crc.work, vgpu_crc_work);
}

/**
 * vgpu_crc_fini - stop an output's CRC capture and drop its snapshot
 * @out: output; its vblank timer has stopped
 */
void vgpu_crc_fini(struct vgpu_output *out)
{
	WRITE_ONCE(out->crc.on, false);
	cancel_work_sync(&out->crc.work);
	if (out->crc.primary)
		drm_framebuffer_put(out->crc.primary);
	if (out->crc.cursor)
		drm_framebuffer_put(out->crc.cursor);
	out->crc.primary = NULL;
	out->crc.cursor = NULL;
}
