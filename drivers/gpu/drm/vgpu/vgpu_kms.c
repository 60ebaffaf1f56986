// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu display feature: mode configuration, commits and hotplug.
 */
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/string_helpers.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_gem_framebuffer_helper.h>
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
 * ``kms_atomic_transition`` checks), a nonblocking one returns at once and
 * its worker waits. A commit without one (DIRTYFB, a blocking SETPLANE,
 * the console) and a legacy cursor update complete at once, so damage
 * updates are not held to the emulated refresh rate of a host that has no
 * vblank.
 */

static void vgpu_commit_tail(struct vgpu_atomic_state *state)
{
	struct drm_device *drm = state->dev;
	struct vgpu_device *vg = to_vgpu(drm);

	drm_atomic_helper_commit_modeset_disables(drm, state);
	drm_atomic_helper_commit_modeset_enables(drm, state);
	drm_atomic_helper_commit_planes(drm, state, 0);
	/* One notification per queue for the whole commit. */
	vgpu_vq_kick(&vg->ctrlq);
	drm_atomic_helper_commit_hw_done(state);
	/*
	 * A commit is done when its events are out: a blocking commit that
	 * asked for one returns with it readable (IGT's kms_atomic_transition
	 * checks), a nonblocking one waits here in its worker. Commits without
	 * a userspace event, and legacy cursor updates, complete at once. The
	 * wait is the helpers' bounded one (10 s a CRTC).
	 */
	drm_atomic_helper_wait_for_flip_done(drm, state);
	drm_atomic_helper_cleanup_planes(drm, state);
}

static const struct drm_mode_config_helper_funcs vgpu_mode_config_helpers = {
	.atomic_commit_tail = vgpu_commit_tail,
};

static const struct drm_mode_config_funcs vgpu_mode_config_funcs = {
	.fb_create = vgpu_fb_create_hook,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
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
 */
void vgpu_kms_print(struct seq_file *m, struct vgpu_device *vg)
{
	unsigned int i;

	for (i = 0; vg->display.outputs && i < vg->display.num_scanouts; i++) {
		struct vgpu_output *out = &vg->display.outputs[i];

		seq_printf(m, "output %u: vblanks %lld period_ns %lld cursor_updates %llu cursor_moves %llu crc %s crcs %lld\n",
			   i, (long long)atomic64_read(&out->vblanks),
			   ktime_to_ns(out->period), out->cursor_updates,
			   out->cursor_moves, str_on_off(READ_ONCE(out->crc.on)),
			   (long long)atomic64_read(&out->crc.computed));
	}
}
