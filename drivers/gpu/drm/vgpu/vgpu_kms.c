// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: mode configuration, commits and hotplug.
 */
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_mode_config.h>
#include <drm/drm_modeset_helper_vtables.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_vblank.h>

#include "vgpu_drv.h"

/**
 * DOC: Commits
 *
 * One output (CRTC, primary and cursor plane, encoder, connector) per
 * scanout, all atomic, with drmm-managed lifetimes: the outputs are
 * allocated before the mode configuration so they outlive its cleanup.
 *
 * Commits never wait for the host. A commit queues its commands and
 * notifies each queue once, after the planes (vgpu_commit_tail()). Answers
 * are checked in the interrupt; error answers are counted in debugfs
 * (``host_errors``, ``last_host_error``). The host copied what it shows at
 * transfer time, and the release of an old framebuffer (RESOURCE_UNREF) is
 * queued behind the commit's SET_SCANOUT on the same ordered queue. The
 * only waits in a commit are the helpers' bounded waits for a vblank
 * (``flip_done``: the previous commit's on the same CRTC, and its own when
 * it carries an event) and a bounded, interruptible wait for ring space.
 *
 * A commit that carries a userspace event completes at the next vblank: a
 * blocking commit returns with its event readable (IGT's
 * ``kms_atomic_transition`` checks), a nonblocking one returns at once
 * (see below for where its vblank is waited for). A commit without one
 * (a blocking SETPLANE, DIRTYFB of a framebuffer still being rendered)
 * and a legacy cursor update complete at once, so damage updates are not
 * held to the emulated refresh rate of a host that has no vblank.
 */

/* What every commit does, in its ioctl or in the helpers' worker. */
static void vgpu_commit_hw(struct vgpu_atomic_state *state)
{
	struct drm_device *drm = state->dev;
	struct vgpu_device *vg = to_vgpu(drm);

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	/* One notification per queue for the whole commit. */
	vgpu_vq_kick(&vg->ctrlq);
	drm_atomic_helper_commit_hw_done(state);
}

static void vgpu_commit_tail(struct vgpu_atomic_state *state)
{
	vgpu_commit_hw(state);
	/*
	 * A commit is done when its events are out: a blocking commit that
	 * asked for one returns with it readable (IGT's kms_atomic_transition
	 * checks), a nonblocking one waits here in its worker. Commits without
	 * a userspace event, and legacy cursor updates, complete at once. The
	 * wait is the helpers' bounded one (10 s a CRTC).
	 */
	drm_atomic_helper_wait_for_flip_done(state->dev, state);
	drm_atomic_helper_cleanup_planes(state->dev, state);
}

/**
 * DOC: Page flips in the ioctl
 *
 * A nonblocking commit that changes no mode (a page flip, an atomic plane
 * update) is done in its ioctl rather than in the atomic helpers' worker,
 * when nothing it shows is still being rendered: no plane has an unsignaled
 * in-fence and no framebuffer's buffer an unsignaled writer. Its commands
 * (transfer, flush, SET_SCANOUT) go out as one batch with one notification
 * before the ioctl returns, and no worker is woken, neither to commit nor
 * to wait for the vblank. The vblank timer sends its event and completes
 * its ``flip_done`` as for any commit.
 *
 * What remains of such a commit after its vblank (the helpers' cleanup:
 * the old framebuffers' references, ``cleanup_done``) is done by the next
 * commit, which cleans up every parked commit whose vblank has passed
 * before it starts, or, when no commit follows, by
 * &vgpu_display.reap_work 100 ms later. The atomic helpers let a
 * nonblocking commit start only once the previous commit on its CRTCs and
 * planes has had its vblank, so a flip that follows a flip always finds
 * the previous one ready to clean up, and the helpers' wait for the
 * commit before that (``cleanup_done``) never waits. One commit is parked
 * per CRTC, on the first CRTC it changes; a commit that finds its slot
 * taken, that changes a mode or that has to wait for rendering goes to the
 * helpers' worker as before. Removal, shutdown and suspend clean up what
 * is parked after turning the display off. debugfs ``vgpu_info`` counts
 * both kinds, blocking commits and what is parked (``commits: inline ...
 * worker ... blocking ... reaped_late ... parked ...``).
 */

/* How long a parked commit waits for a next commit to clean it up. */
#define VGPU_REAP_MS	100

/* Every CRTC's vblank of this commit has come (its flip_done). */
static bool vgpu_commit_flipped(struct vgpu_atomic_state *state)
{
	unsigned int i;

	for (i = 0; i < state->dev->mode_config.num_crtc; i++) {
		struct drm_crtc_commit *commit = state->crtcs[i].commit;

		if (state->crtcs[i].ptr && commit &&
		    !try_wait_for_completion(&commit->flip_done))
			return false;
	}
	return true;
}

/* The helpers' end of a commit, as their worker does it. */
static void vgpu_commit_finish(struct vgpu_atomic_state *state)
{
	/* Returns at once unless @state is cleaned up before its vblank. */
	drm_atomic_helper_wait_for_flip_done(state->dev, state);
	drm_atomic_helper_cleanup_planes(state->dev, state);
	drm_atomic_helper_commit_cleanup_done(state);
	vgpu_atomic_state_put(state);
}

/*
 * Cleans up the parked commits whose vblank came, or all of them with
 * @all (after the display was turned off). Returns how many it cleaned
 * up; @left gets how many stay parked.
 */
static unsigned int vgpu_commits_reap(struct vgpu_device *vg, bool all,
				      unsigned int *left)
{
	unsigned int i, done = 0;

	might_sleep();
	*left = 0;
	for (i = 0; i < vg->display.num_scanouts; i++) {
		struct vgpu_output *out = &vg->display.outputs[i];
		struct vgpu_atomic_state *state;

		/* Every commit comes here first: most find nothing parked. */
		if (!READ_ONCE(out->parked))
			continue;
		spin_lock(&vg->display.parked_lock);
		state = out->parked;
		if (state && (all || vgpu_commit_flipped(state)))
			out->parked = NULL;
		else
			state = NULL;
		*left += !!out->parked;
		spin_unlock(&vg->display.parked_lock);
		if (state) {
			vgpu_commit_finish(state);
			done++;
		}
	}
	return done;
}

static void vgpu_commits_reap_work(struct work_struct *work)
{
	struct vgpu_device *vg = container_of(to_delayed_work(work),
					      struct vgpu_device,
					      display.reap_work);
	unsigned int left;

	atomic64_add(vgpu_commits_reap(vg, false, &left),
		     &vg->display.commits_reaped_late);
	/* A vblank still to come (a stopped timer ends in its 10 s wait). */
	if (left)
		mod_delayed_work(vgpu_unbound_wq(), &vg->display.reap_work,
				 msecs_to_jiffies(VGPU_REAP_MS));
}

/**
 * vgpu_kms_commits_flush - clean up every parked commit
 * @vg: device, display turned off (removal, shutdown, suspend)
 */
void vgpu_kms_commits_flush(struct vgpu_device *vg)
{
	unsigned int left;

	if (!vg->display.outputs)
		return;
	cancel_delayed_work_sync(&vg->display.reap_work);
	vgpu_commits_reap(vg, true, &left);
}

/*
 * The output whose slot a nonblocking commit may be parked in, or NULL
 * when it goes to the worker: it changes a mode, has no CRTC, has to wait
 * for rendering, or its slot is taken.
 */
static struct vgpu_output *vgpu_commit_inline_slot(struct vgpu_atomic_state *state)
{
	struct vgpu_output *out = NULL;
	struct drm_crtc_state *crtc_state;
	struct drm_plane_state *plane_state;
	struct drm_crtc *crtc;
	struct drm_plane *plane;
	int i;

	for_each_new_crtc_in_state(state, crtc, crtc_state, i) {
		if (drm_atomic_crtc_needs_modeset(crtc_state))
			return NULL;
		if (!out)
			out = container_of(crtc, struct vgpu_output, crtc);
	}
	if (!out || READ_ONCE(out->parked))
		return NULL;
	for_each_new_plane_in_state(state, plane, plane_state, i) {
		if (plane_state->fence &&
		    !dma_fence_is_signaled(plane_state->fence))
			return NULL;
		if (plane_state->fb && vgpu_fb_being_written(plane_state->fb))
			return NULL;
	}
	return out;
}

/* A nonblocking commit done in its ioctl; as drm_atomic_helper_commit(). */
static int vgpu_commit_inline(struct drm_device *drm,
			      struct vgpu_atomic_state *state,
			      struct vgpu_output *out)
{
	struct vgpu_device *vg = to_vgpu(drm);
	int ret;

	ret = drm_atomic_helper_setup_commit(state, true);
	if (ret)
		return ret;
	ret = drm_atomic_helper_prepare_planes(drm, state);
	if (ret)
		return ret;
	/* A fence added since the check above: wait as a blocking commit. */
	ret = drm_atomic_helper_wait_for_fences(drm, state, true);
	if (ret)
		goto err;
	ret = drm_atomic_helper_swap_state(state, true);
	if (ret)
		goto err;
	vgpu_atomic_state_get(state);
	drm_atomic_helper_wait_for_dependencies(state);
	vgpu_commit_hw(state);
	atomic64_inc(&vg->display.commits_inline);
	if (vgpu_commit_flipped(state)) {
		/* No event to wait for (an async flip's went out at once). */
		vgpu_commit_finish(state);
		return 0;
	}
	/* The slot's CRTC is locked by this commit; the reaper only empties it. */
	spin_lock(&vg->display.parked_lock);
	drm_WARN_ON(drm, out->parked);
	out->parked = state;
	spin_unlock(&vg->display.parked_lock);
	mod_delayed_work(vgpu_unbound_wq(), &vg->display.reap_work,
			 msecs_to_jiffies(VGPU_REAP_MS));
	return 0;

err:
	vgpu_atomic_unprepare_planes(drm, state);
	return ret;
}

static int vgpu_atomic_commit(struct drm_device *drm,
			      struct vgpu_atomic_state *state, bool nonblock)
{
	struct vgpu_device *vg = to_vgpu(drm);
	struct vgpu_output *out;
	unsigned int left;
	int ret;

	vgpu_commits_reap(vg, false, &left);
	if (state->async_update)
		return drm_atomic_helper_commit(drm, state, nonblock);
	if (!nonblock) {
		ret = drm_atomic_helper_commit(drm, state, false);
		if (!ret)
			atomic64_inc(&vg->display.commits_blocking);
		return ret;
	}
	out = vgpu_commit_inline_slot(state);
	if (out)
		return vgpu_commit_inline(drm, state, out);
	ret = drm_atomic_helper_commit(drm, state, true);
	if (!ret)
		atomic64_inc(&vg->display.commits_worker);
	return ret;
}

static const struct drm_mode_config_helper_funcs vgpu_mode_config_helpers = {
	.atomic_commit_tail = vgpu_commit_tail,
};

static const struct drm_mode_config_funcs vgpu_mode_config_funcs = {
	.fb_create = vgpu_fb_create_hook,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = vgpu_atomic_commit,
};

/**
 * vgpu_kms_init - create the display of a device with scanouts
 * @vg: device, queried
 *
 * Return: 0 or a negative errno.
 */
int vgpu_kms_init(struct vgpu_device *vg)
{
	struct drm_device *drm = vg->drm;
	unsigned int i;
	int ret;

	spin_lock_init(&vg->display.parked_lock);
	INIT_DELAYED_WORK(&vg->display.reap_work, vgpu_commits_reap_work);
	vg->display.outputs = drmm_kcalloc(drm, vg->display.num_scanouts,
					   sizeof(*vg->display.outputs), GFP_KERNEL);
	if (!vg->display.outputs)
		return -ENOMEM;
	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.funcs = &vgpu_mode_config_funcs;
	drm->mode_config.helper_private = &vgpu_mode_config_helpers;
	drm->mode_config.min_width = 1;
	drm->mode_config.min_height = 1;
	drm->mode_config.max_width = VGPU_FB_MAX;
	drm->mode_config.max_height = VGPU_FB_MAX;
	drm->mode_config.cursor_width = VGPU_CURSOR_SIZE;
	drm->mode_config.cursor_height = VGPU_CURSOR_SIZE;
	drm->mode_config.preferred_depth = 24;
	/*
	 * Async page flips: the host copies a frame at transfer or flush
	 * time, so a flip that does not wait for the vblank cannot tear.
	 */
	drm->mode_config.async_page_flip = true;

	for (i = 0; i < vg->display.num_scanouts; i++) {
		struct vgpu_output *out = &vg->display.outputs[i];

		out->index = i;
		out->vg = vg;
		ret = vgpu_planes_init(out);
		if (!ret)
			ret = vgpu_crtc_init(out);
		if (!ret)
			ret = vgpu_connector_init(out);
		if (ret)
			return ret;
	}
	ret = drm_vblank_init(drm, vg->display.num_scanouts);
	if (ret)
		return ret;
	drm_mode_config_reset(drm);
	return 0;
}

/**
 * vgpu_kms_display_changed - the host's display state was re-read
 * @vg: device
 * @before: scanouts as they were before the re-read
 *
 * Sends a hotplug uevent only when an output's state, size or EDID changed.
 */
void vgpu_kms_display_changed(struct vgpu_device *vg,
			      const struct vgpu_scanout *before)
{
	bool changed = false;
	unsigned int i;

	if (!vg->display.outputs)
		return;
	mutex_lock(&vg->display.state_lock);
	for (i = 0; i < vg->display.num_scanouts && !changed; i++) {
		const struct vgpu_scanout *a = &before[i], *b = &vg->display.scanouts[i];

		changed = a->info.enabled != b->info.enabled ||
			  a->info.width != b->info.width ||
			  a->info.height != b->info.height ||
			  a->edid_len != b->edid_len ||
			  memcmp(a->edid, b->edid, a->edid_len);
	}
	if (changed)
		vg->display.hotplug_events++;
	mutex_unlock(&vg->display.state_lock);
	drm_dbg_kms(vg->drm, "display event: %s\n",
		    changed ? "outputs changed, hotplug" : "nothing changed");
	if (changed)
		drm_kms_helper_hotplug_event(vg->drm);
}

/**
 * vgpu_kms_print - the outputs' lines of debugfs vgpu_info
 * @m: the file
 * @vg: device
 *
 * Per output: vblanks and their period, cursor commands, CRC capture.
 * Then the nonblocking commits: done in their ioctl, handed to the
 * helpers' worker, cleaned up by &vgpu_display.reap_work, and parked now.
 */
void vgpu_kms_print(struct seq_file *m, struct vgpu_device *vg)
{
	unsigned int i, parked = 0;

	for (i = 0; vg->display.outputs && i < vg->display.num_scanouts; i++) {
		struct vgpu_output *out = &vg->display.outputs[i];

		seq_printf(m, "output %u: vblanks %lld period_ns %lld cursor_updates %llu cursor_moves %llu crc %s crcs %lld\n",
			   i, (long long)atomic64_read(&out->vblanks),
			   ktime_to_ns(out->period), out->cursor_updates,
			   out->cursor_moves, str_on_off(READ_ONCE(out->crc.on)),
			   (long long)atomic64_read(&out->crc.computed));
	}
	if (!vg->display.outputs)
		return;
	spin_lock(&vg->display.parked_lock);
	for (i = 0; i < vg->display.num_scanouts; i++)
		parked += !!vg->display.outputs[i].parked;
	spin_unlock(&vg->display.parked_lock);
	seq_printf(m, "commits: inline %lld worker %lld blocking %lld reaped_late %lld parked %u\n",
		   (long long)atomic64_read(&vg->display.commits_inline),
		   (long long)atomic64_read(&vg->display.commits_worker),
		   (long long)atomic64_read(&vg->display.commits_blocking),
		   (long long)atomic64_read(&vg->display.commits_reaped_late),
		   parked);
}
