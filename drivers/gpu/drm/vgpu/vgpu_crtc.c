// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: CRTCs and emulated vblank.
 */
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Vblank
 *
 * The host has no vblank, so each CRTC has an hrtimer at its mode's
 * refresh rate. Vblanks fall on a fixed grid (``anchor + k * period``,
 * anchored when the CRTC is enabled): timestamps are exact grid points
 * whether they are taken in the timer or outside it, and the counter
 * advances by the grid points that passed, also while the timer was off.
 *
 * Page-flip events are armed in ``atomic_flush`` and sent by the next
 * vblank, with its sequence number and timestamp. Async page flips
 * (DRM_CAP_ASYNC_PAGE_FLIP, and the atomic flag where the core offers it;
 * the primary plane lists their formats in ``IN_FORMATS_ASYNC`` where the
 * core has it) send their event at once, with the last vblank's count and
 * time: the host copies a frame at transfer or flush time, so a flip that
 * does not wait cannot tear. WAIT_VBLANK (relative and absolute) and
 * CRTC_GET_SEQUENCE / CRTC_QUEUE_SEQUENCE work on every head.
 *
 * A CRTC goes off at a vblank, as a display does at the end of its frame:
 * ``atomic_disable`` waits (50 ms at most) for the next one before turning
 * vblank off and sending the commit's event, so a nonblocking commit that
 * turns a CRTC off is not done when its ioctl returns (IGT's
 * ``kms_cursor_legacy`` checks that no event is readable then). Turning
 * vblank off never waits for the timer: the core does it with its vblank
 * locks held, which the timer's callback takes, so ``disable_vblank``
 * clears a flag and only dequeues the timer, and a callback already
 * running stops itself.
 *
 * A mode's timings must drive the timer (vgpu_mode_timing_invalid(), in
 * the CRTC's atomic check): ``htotal * vtotal * vscan`` fits the 32 bits
 * the core computes refresh rates in, and the refresh rate is at most
 * 1000 Hz (the timer's 1 ms floor). IGT's ``kms_invalid_mode`` gives a
 * clock of ``INT_MAX`` (about 2 MHz refresh) and a ``vscan`` that
 * overflows: both are refused with -EINVAL.
 */

/* Used when a mode has no pixel clock: 60 Hz. */
#define VGPU_DEFAULT_PERIOD_NS	16666667LL
/* The longest a CRTC going off waits for its last vblank. */
#define VGPU_OFF_WAIT_MS	50

/* The latest grid point at or before @now. */
static ktime_t vgpu_vblank_last(const struct vgpu_output *out, ktime_t now)
{
	s64 period = ktime_to_ns(out->period);
	s64 since = ktime_to_ns(ktime_sub(now, out->anchor));

	if (since < 0)
		return out->anchor;
	return ktime_add_ns(out->anchor, div64_s64(since, period) * period);
}

static enum hrtimer_restart vgpu_vblank_fire(struct hrtimer *timer)
{
	struct vgpu_output *out = container_of(timer, struct vgpu_output,
					       vblank_timer);

	if (!READ_ONCE(out->vblank_on))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(timer, out->period);
	atomic64_inc(&out->vblanks);
	drm_crtc_handle_vblank(&out->crtc);
	/* A cursor move waits for this vblank (see "Cursor" in vgpu_plane.c). */
	if (atomic_read(&out->cursor_vblank))
		queue_work(system_highpri_wq, &out->cursor_work);
	vgpu_crc_vblank(out);
	return HRTIMER_RESTART;
}

static int vgpu_crtc_enable_vblank(struct drm_crtc *crtc)
{
	struct vgpu_output *out = crtc_to_output(crtc);
	ktime_t next = ktime_add(vgpu_vblank_last(out, ktime_get()),
				 out->period);

	WRITE_ONCE(out->vblank_on, true);
	hrtimer_start(&out->vblank_timer, next, HRTIMER_MODE_ABS);
	return 0;
}

/*
 * Called with the core's vblank locks held, which the timer's callback
 * takes in drm_crtc_handle_vblank(): waiting for a running callback here
 * (hrtimer_cancel()) deadlocks on a second CPU. The timer is only dequeued;
 * a callback already running sees vblank_on false next time and stops.
 */
static void vgpu_crtc_disable_vblank(struct drm_crtc *crtc)
{
	struct vgpu_output *out = crtc_to_output(crtc);

	WRITE_ONCE(out->vblank_on, false);
	hrtimer_try_to_cancel(&out->vblank_timer);
}

static bool vgpu_crtc_get_vblank_timestamp(struct drm_crtc *crtc,
					   int *max_error, ktime_t *vblank_time,
					   bool in_vblank_irq)
{
	struct vgpu_output *out = crtc_to_output(crtc);

	*vblank_time = vgpu_vblank_last(out, ktime_get());
	*max_error = 0;
	return true;
}

static const struct drm_crtc_funcs vgpu_crtc_funcs = {
	.reset = drm_atomic_helper_crtc_reset,
	.set_config = drm_atomic_helper_set_config,
	.page_flip = drm_atomic_helper_page_flip,
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = vgpu_crtc_enable_vblank,
	.disable_vblank = vgpu_crtc_disable_vblank,
	.get_vblank_timestamp = vgpu_crtc_get_vblank_timestamp,
	.set_crc_source = vgpu_crtc_set_crc_source,
	.verify_crc_source = vgpu_crtc_verify_crc_source,
	.get_crc_sources = vgpu_crtc_get_crc_sources,
};

/**
 * vgpu_mode_timing_invalid - why a mode's timings cannot drive a CRTC
 * @m: the mode, as userspace gave it
 *
 * The core has checked that the sync and total values are ordered and
 * that the clock is not zero. Left for the driver: the sides fit a
 * framebuffer; htotal * vtotal * vscan fits the 32 bits the core computes
 * the refresh rate in (IGT's kms_invalid_mode@overflow-vrefresh); and the
 * refresh rate is one the vblank timer can follow, at most
 * %VGPU_REFRESH_MAX Hz (kms_invalid_mode@int-max-clock gives one of
 * millions).
 *
 * Return: NULL when the timings are usable, else the reason.
 */
const char *vgpu_mode_timing_invalid(const struct drm_display_mode *m)
{
	u64 frame = (u64)m->htotal * m->vtotal * max_t(u16, m->vscan, 1);

	if (m->hdisplay > VGPU_FB_MAX || m->vdisplay > VGPU_FB_MAX)
		return "larger than a framebuffer";
	if (!frame)
		return "no total size";
	if (frame > U32_MAX)
		return "htotal * vtotal * vscan overflows";
	/* clock is in kHz: refresh = clock * 1000 / frame */
	if ((u64)max(m->clock, 0) * 1000 > frame * VGPU_REFRESH_MAX)
		return "refresh rate above the vblank timer's";
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_mode_timing_invalid);

static int vgpu_crtc_atomic_check(struct drm_crtc *crtc,
				  struct vgpu_atomic_state *state)
{
	struct drm_crtc_state *cs = drm_atomic_get_new_crtc_state(state, crtc);
	const char *why;

	if (!cs->enable)
		return 0;
	why = vgpu_mode_timing_invalid(&cs->mode);
	if (why) {
		drm_dbg_kms(crtc->dev, "[CRTC:%d] mode " DRM_MODE_FMT ": %s\n",
			    crtc->base.id, DRM_MODE_ARG(&cs->mode), why);
		return -EINVAL;
	}
	return 0;
}

static void vgpu_crtc_atomic_enable(struct drm_crtc *crtc,
				    struct vgpu_atomic_state *state)
{
	struct vgpu_output *out = crtc_to_output(crtc);
	const struct drm_display_mode *m = &crtc->state->adjusted_mode;
	s64 ns = VGPU_DEFAULT_PERIOD_NS;

	if (m->crtc_clock > 0 && m->crtc_htotal > 0 && m->crtc_vtotal > 0)
		ns = div_s64((s64)m->crtc_htotal * m->crtc_vtotal * 1000000LL,
			     m->crtc_clock);
	/* The timer is off while the CRTC is: nothing reads these now. */
	out->period = ns_to_ktime(max_t(s64, ns, NSEC_PER_MSEC));
	out->anchor = ktime_get();
	drm_dbg_kms(crtc->dev, "[CRTC:%d] on, %ux%u, vblank every %lld ns\n",
		    crtc->base.id, m->hdisplay, m->vdisplay,
		    ktime_to_ns(out->period));
	drm_crtc_vblank_on(crtc);
}

/*
 * A CRTC goes off at a vblank, as a display does at the end of its frame:
 * a nonblocking commit that turns it off is not done (its event not out)
 * when the ioctl returns, which userspace may rely on (IGT's
 * kms_cursor_legacy polls for that). The wait is bounded and, unlike
 * drm_crtc_wait_one_vblank(), quiet when a loaded host runs the timer late.
 */
static void vgpu_crtc_last_vblank(struct drm_crtc *crtc)
{
	u64 seq;

	if (drm_crtc_vblank_get(crtc))
		return;
	seq = drm_crtc_vblank_count(crtc);
	wait_event_timeout(*drm_crtc_vblank_waitqueue(crtc),
			   drm_crtc_vblank_count(crtc) != seq,
			   msecs_to_jiffies(VGPU_OFF_WAIT_MS));
	drm_crtc_vblank_put(crtc);
}

static void vgpu_crtc_atomic_disable(struct drm_crtc *crtc,
				     struct vgpu_atomic_state *state)
{
	struct vgpu_output *out = crtc_to_output(crtc);

	might_sleep();
	vgpu_crtc_last_vblank(crtc);
	/* No vblank from now on: a cursor move waiting for one goes now. */
	if (atomic_xchg(&out->cursor_vblank, 0)) {
		drm_crtc_vblank_put(crtc);
		queue_work(system_highpri_wq, &out->cursor_work);
	}
	/*
	 * The planes of a CRTC that goes off are in the same commit (a
	 * modeset adds them) and take the scanout and the cursor down.
	 */
	drm_crtc_vblank_off(crtc);
	/* An event of a commit that turns the CRTC off goes out now. */
	spin_lock_irq(&crtc->dev->event_lock);
	if (crtc->state->event && !crtc->state->active) {
		drm_crtc_send_vblank_event(crtc, crtc->state->event);
		crtc->state->event = NULL;
	}
	spin_unlock_irq(&crtc->dev->event_lock);
}

static void vgpu_crtc_atomic_flush(struct drm_crtc *crtc,
				   struct vgpu_atomic_state *state)
{
	struct drm_pending_vblank_event *event = crtc->state->event;

	vgpu_crc_snapshot(crtc_to_output(crtc));
	if (!event)
		return;
	crtc->state->event = NULL;
	/*
	 * A userspace event is sent by the next vblank. A commit nobody asked
	 * an event for (a blocking SETPLANE, a DIRTYFB that waited) completes
	 * now: the host has its commands, and nothing is gained by holding
	 * the next commit until a vblank that the host does not have. So does
	 * an async flip (DRM_MODE_PAGE_FLIP_ASYNC): its frame is the host's
	 * once queued, and its event carries the last vblank's count and time.
	 */
	spin_lock_irq(&crtc->dev->event_lock);
	if (crtc->state->active && event->base.file_priv &&
	    !crtc->state->async_flip && drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static const struct drm_crtc_helper_funcs vgpu_crtc_helper_funcs = {
	.atomic_check = vgpu_crtc_atomic_check,
	.atomic_flush = vgpu_crtc_atomic_flush,
	.atomic_enable = vgpu_crtc_atomic_enable,
	.atomic_disable = vgpu_crtc_atomic_disable,
};

static void vgpu_crtc_fini(struct drm_device *drm, void *arg)
{
	struct vgpu_output *out = arg;

	hrtimer_cancel(&out->vblank_timer);
	vgpu_crc_fini(out);
}

/**
 * vgpu_crtc_init - create the CRTC of an output
 * @out: output with its planes created
 *
 * Return: 0 or a negative errno.
 */
int vgpu_crtc_init(struct vgpu_output *out)
{
	struct drm_device *drm = out->vg->drm;
	int ret;

	vgpu_hrtimer_setup(&out->vblank_timer, vgpu_vblank_fire,
			   CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	out->period = ns_to_ktime(VGPU_DEFAULT_PERIOD_NS);
	out->anchor = ktime_get();
	vgpu_crc_init(out);
	ret = drmm_crtc_init_with_planes(drm, &out->crtc, &out->primary,
					 &out->cursor, &vgpu_crtc_funcs, NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(&out->crtc, &vgpu_crtc_helper_funcs);
	return drmm_add_action_or_reset(drm, vgpu_crtc_fini, out);
}
