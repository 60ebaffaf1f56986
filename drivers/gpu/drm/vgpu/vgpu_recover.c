// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu recovery feature: device resets after a hang, suspend and resume.
 */
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_modeset_lock.h>
#include <drm/drm_managed.h>
#include <drm/drm_modeset_helper.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Reset
 *
 * Every reset goes the same way:
 *
 * 1. Quiesce: the host is asked to unmap every mapped host blob
 *    (vgpu_res_unmap_host_blobs(): QEMU 10 aborts at the next MAP_BLOB
 *    after a reset that found one mapped; the blobs are lost in the reset
 *    anyway and are marked so) and to show nothing on any scanout
 *    (vgpu_scanouts_blank(): QEMU 10 and 11 with a GL display crash when a
 *    reset finds a GL scanout in use), waiting at most 500 ms for the
 *    answers (2 s with blobs to unmap: QEMU answers an unmap once its
 *    memory region is freed). Both queues are paused (other submitters
 *    wait, boundedly), the reset generation moves on (contexts made before
 *    are lost), the device is reset, every unanswered command completes
 *    with -EIO (its fence is signalled with -EIO, its waiter wakes) and the
 *    virtqueues are deleted.
 * 2. Revive: the features are negotiated again (ACKNOWLEDGE, DRIVER,
 *    FEATURES_OK), new virtqueues are made, DRIVER_OK.
 * 3. Restore: every resource is made again from guest state
 *    (vgpu_res_restore()): 2D resources with their backing and their
 *    content sent again from the guest pages (TRANSFER_TO_HOST_2D of the
 *    whole resource), 3D resources with their backing (their content lived
 *    on the host and is gone), guest blobs. Host blobs are marked lost:
 *    their memory was the host's. The queues go on.
 * 4. Display: the current KMS state is committed again as a full modeset
 *    of every enabled CRTC (SET_SCANOUT, the planes' whole content, the
 *    cursor), with no help from userspace; a page flip that comes meanwhile
 *    waits for the commit.
 *
 * If the device does not come back (FEATURES_OK refused, no virtqueues),
 * it is stopped for good: ``reset_failed: 1`` in ``vgpu_info``, every
 * command fails with -ENODEV, nothing waits.
 *
 * &vgpu_device.recovery.lock serialises the steps 1 to 3 of resets,
 * suspend and resume.
 */

/**
 * DOC: When resets happen
 *
 * Hang
 *   A command unanswered for ``hang_timeout_ms`` (module parameter, 10,000
 *   by default, read at probe; 0 turns the watchdog off). The watchdog
 *   looks four times per timeout and schedules the reset. Long GPU work
 *   counts: a submission whose fence does not pass within the timeout is a
 *   hang, as with the DRM scheduler's job timeouts.
 * On demand
 *   Writing to ``/sys/kernel/debug/dri/N/vgpu_reset`` resets the device and
 *   returns once it is back (the write fails with ENODEV when it did not
 *   come back or the device is suspended).
 * Suspend and resume
 *   ``freeze`` turns the display off (drm_mode_config_helper_suspend()),
 *   unmaps the host blobs, drains both queues (bounded by the command
 *   timeout: nothing in flight is lost when the device answers) and
 *   quiesces. ``restore`` (after the virtio core has reset the device and
 *   negotiated the features) does steps 2 and 3 and turns the display back
 *   on (drm_mode_config_helper_resume()). virtio-pci uses the same
 *   callbacks for S3, s2idle and hibernation.
 */

/* How long a reset waits for the host to blank the scanouts. */
#define VGPU_BLANK_WAIT_MS 500
/* ... and to unmap its blobs too, when some are mapped (QEMU unmaps late). */
#define VGPU_UNMAP_WAIT_MS 2000

unsigned int vgpu_hang_timeout_ms = 10000;
EXPORT_SYMBOL_IF_KUNIT(vgpu_hang_timeout_ms);
module_param_named(hang_timeout_ms, vgpu_hang_timeout_ms, uint, 0644);
MODULE_PARM_DESC(hang_timeout_ms,
		 "A command unanswered this long resets the device, in ms; 0: never; read at probe (default 10000)");

static void vgpu_watchdog(struct work_struct *work);
static void vgpu_reset_work(struct work_struct *work);

static const char *vgpu_recover_3d_note(struct vgpu_device *vg)
{
	return vg->features.virgl || vg->features.context_init ?
	       "; 3D contexts were lost" : "";
}

/**
 * vgpu_recover_init - the device's recovery state
 * @vg: device
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_recover_init(struct vgpu_device *vg)
{
	int ret;

	INIT_LIST_HEAD(&vg->res.list);
	INIT_WORK(&vg->recovery.work, vgpu_reset_work);
	INIT_DELAYED_WORK(&vg->recovery.watchdog, vgpu_watchdog);
	vg->recovery.hang_timeout = msecs_to_jiffies(READ_ONCE(vgpu_hang_timeout_ms));
	ret = drmm_mutex_init(vg->drm, &vg->res.lock);
	if (!ret)
		ret = drmm_mutex_init(vg->drm, &vg->recovery.lock);
	return ret;
}

static unsigned long vgpu_watchdog_period(struct vgpu_device *vg)
{
	return max(vg->recovery.hang_timeout / 4, 1UL);
}

/**
 * vgpu_watchdog_start - look for hangs from now on
 * @vg: device, ready
 */
void vgpu_watchdog_start(struct vgpu_device *vg)
{
	if (vg->recovery.hang_timeout)
		queue_delayed_work(system_power_efficient_wq, &vg->recovery.watchdog,
				   vgpu_watchdog_period(vg));
}

static void vgpu_watchdog(struct work_struct *work)
{
	struct vgpu_device *vg = container_of(to_delayed_work(work),
					      struct vgpu_device, recovery.watchdog);
	struct virtio_gpu_ctrl_hdr hdr = {};
	struct vgpu_vq *q = NULL;
	int idx;

	if (!drm_dev_enter(vg->drm, &idx))
		return;
	if (vgpu_vq_stuck(&vg->ctrlq, vg->recovery.hang_timeout, &hdr, sizeof(hdr)))
		q = &vg->ctrlq;
	else if (vgpu_vq_stuck(&vg->cursorq, vg->recovery.hang_timeout, &hdr, sizeof(hdr)))
		q = &vg->cursorq;
	if (q) {
		drm_warn(vg->drm, "%s: command 0x%04x (context %u, ring %u) unanswered for %u ms\n",
			 q->name, le32_to_cpu(hdr.type), le32_to_cpu(hdr.ctx_id),
			 hdr.ring_idx, jiffies_to_msecs(vg->recovery.hang_timeout));
		vgpu_reset_schedule(vg, "a command was not answered in time");
	} else {
		vgpu_watchdog_start(vg);
	}
	drm_dev_exit(idx);
}

/**
 * vgpu_reset_schedule - reset the device from a work item
 * @vg: device
 * @reason: why, a constant string for the log and debugfs
 */
void vgpu_reset_schedule(struct vgpu_device *vg, const char *reason)
{
	WRITE_ONCE(vg->recovery.reason, reason);
	queue_work(vgpu_unbound_wq(), &vg->recovery.work);
}

static void vgpu_reset_work(struct work_struct *work)
{
	struct vgpu_device *vg = container_of(work, struct vgpu_device,
					      recovery.work);

	vgpu_reset(vg, READ_ONCE(vg->recovery.reason));
}

/**
 * vgpu_recover_stop - no more resets: the device is being removed
 * @vg: device, unplugged (the watchdog and resets see it and stop)
 */
void vgpu_recover_stop(struct vgpu_device *vg)
{
	cancel_delayed_work_sync(&vg->recovery.watchdog);
	cancel_work_sync(&vg->recovery.work);
}

/* Step 1: nothing on the rings, no virtqueues; the queues are paused. */
static void vgpu_quiesce(struct vgpu_device *vg)
{
	lockdep_assert_held(&vg->recovery.lock);
	vgpu_vq_pause(&vg->ctrlq);
	vgpu_vq_pause(&vg->cursorq);
	vgpu_res_reset_begin(vg);
	virtio_reset_device(vg->vdev);
	vgpu_vq_flush(&vg->ctrlq, -EIO);
	vgpu_vq_flush(&vg->cursorq, -EIO);
	vgpu_vq_detach(&vg->ctrlq);
	vgpu_vq_detach(&vg->cursorq);
	vg->vdev->config->del_vqs(vg->vdev);
}

/* Steps 2 and 3 once the status says FEATURES_OK. */
static int vgpu_revive(struct vgpu_device *vg)
{
	unsigned int n;
	int ret;

	lockdep_assert_held(&vg->recovery.lock);
	/* Resume may run in another task than suspend did: own the queues. */
	vgpu_vq_pause(&vg->ctrlq);
	vgpu_vq_pause(&vg->cursorq);
	ret = vgpu_vqs_init(vg, true);
	if (ret)
		return ret;
	virtio_device_ready(vg->vdev);
	n = vgpu_res_restore(vg);
	vgpu_vq_unpause(&vg->ctrlq);
	vgpu_vq_unpause(&vg->cursorq);
	drm_dbg_driver(vg->drm, "revived: %u resource(s) made again\n", n);
	return 0;
}

/* The device did not come back: fail everything from now on. */
static void vgpu_give_up(struct vgpu_device *vg, int ret)
{
	lockdep_assert_held(&vg->recovery.lock);
	drm_err(vg->drm, "the device did not come back (%d); it stays stopped\n",
		ret);
	vg->recovery.failed = true;
	vgpu_vq_stop(&vg->ctrlq);
	vgpu_vq_stop(&vg->cursorq);
	vgpu_vq_unpause(&vg->ctrlq);
	vgpu_vq_unpause(&vg->cursorq);
}

/* What virtio_device_restore() does before calling a driver's restore. */
static int vgpu_renegotiate(struct virtio_device *vdev)
{
	int ret;

	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	ret = vdev->config->finalize_features(vdev);
	if (ret)
		return ret;
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
	if (!(vdev->config->get_status(vdev) & VIRTIO_CONFIG_S_FEATURES_OK))
		return -ENODEV;
	return 0;
}

/*
 * Step 4: show again what was shown. The current state is committed again
 * as a full modeset of every enabled CRTC (SET_SCANOUT, the planes' whole
 * content, the cursor). Userspace's state never changes: its page flips
 * wait for the commit instead of failing on a CRTC turned off.
 */
static void vgpu_display_restore(struct vgpu_device *vg)
{
	struct drm_modeset_acquire_ctx ctx;
	struct vgpu_atomic_state *state;
	struct drm_crtc_state *cs;
	struct drm_crtc *crtc;
	int ret, i;

	if (!vg->display.outputs)
		return;
	DRM_MODESET_LOCK_ALL_BEGIN(vg->drm, ctx, 0, ret);
	state = drm_atomic_helper_duplicate_state(vg->drm, &ctx);
	if (IS_ERR(state)) {
		ret = PTR_ERR(state);
		goto unlock;
	}
	for_each_new_crtc_in_state(state, crtc, cs, i)
		cs->mode_changed = cs->enable;
	ret = drm_atomic_helper_commit_duplicated_state(state, &ctx);
	vgpu_atomic_state_put(state);
unlock:
	DRM_MODESET_LOCK_ALL_END(vg->drm, ctx, ret);
	if (ret)
		drm_err(vg->drm, "display not restored after the reset: %d\n",
			ret);
}

/**
 * vgpu_reset - reset the device and bring it back
 * @vg: device
 * @reason: why, for the log
 *
 * Commands in flight fail with -EIO and their fences are signalled with
 * it; submitters that come meanwhile wait for the device to be back.
 * Resources are made again and the display shows what it showed. Every
 * context is lost: its file gets -ECANCELED from then on.
 *
 * Context: process; sleeps.
 *
 * Return: 0; -ENODEV when the device is gone, did not come back, or is
 * suspended.
 */
int vgpu_reset(struct vgpu_device *vg, const char *reason)
{
	unsigned int unmaps;
	int idx, ret;

	might_sleep();
	if (!drm_dev_enter(vg->drm, &idx))
		return -ENODEV;
	mutex_lock(&vg->recovery.lock);
	if (vg->recovery.failed || vg->recovery.suspended) {
		mutex_unlock(&vg->recovery.lock);
		drm_dev_exit(idx);
		return -ENODEV;
	}
	WRITE_ONCE(vg->recovery.reason, reason);
	drm_warn(vg->drm, "resetting the device: %s\n", reason);
	cancel_delayed_work(&vg->recovery.watchdog);
	/*
	 * Nothing on the scanouts and no blob mapped when the device resets
	 * (QEMU with a GL display crashes otherwise); a device that does not
	 * answer costs VGPU_BLANK_WAIT_MS more (VGPU_UNMAP_WAIT_MS with
	 * blobs to unmap).
	 */
	unmaps = vgpu_res_unmap_host_blobs(vg);
	if (!vgpu_scanouts_blank(vg, msecs_to_jiffies(unmaps ? VGPU_UNMAP_WAIT_MS :
								VGPU_BLANK_WAIT_MS)))
		drm_dbg_driver(vg->drm, "reset: blanking and %u unmap(s) not answered\n",
			       unmaps);
	vgpu_quiesce(vg);
	ret = vgpu_renegotiate(vg->vdev);
	if (!ret)
		ret = vgpu_revive(vg);
	if (ret)
		vgpu_give_up(vg, ret);
	mutex_unlock(&vg->recovery.lock);
	if (!ret) {
		vgpu_display_restore(vg);
		vgpu_watchdog_start(vg);
		drm_info(vg->drm, "device reset %u done%s\n",
			 READ_ONCE(vg->recovery.reset_gen), vgpu_recover_3d_note(vg));
	}
	drm_dev_exit(idx);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_reset);

/**
 * vgpu_freeze - &virtio_driver.freeze: before suspend or hibernation
 * @vdev: the virtio device
 *
 * The display is turned off, the queues drained (boundedly), then the
 * device is quiesced as for a reset.
 *
 * Return: 0.
 */
int vgpu_freeze(struct virtio_device *vdev)
{
	struct vgpu_device *vg = vdev->priv;
	int ret;

	cancel_delayed_work_sync(&vg->recovery.watchdog);
	cancel_work_sync(&vg->recovery.work);
	if (vg->display.outputs) {
		ret = drm_mode_config_helper_suspend(vg->drm);
		if (ret)
			drm_warn(vg->drm, "display not turned off for suspend: %d\n",
				 ret);
		vg->display.off = !ret;
		vgpu_kms_commits_flush(vg);
	}
	mutex_lock(&vg->recovery.lock);
	if (!vg->recovery.failed) {
		vgpu_res_unmap_host_blobs(vg);
		if (!vgpu_vq_drain(&vg->ctrlq, vg->cmd_timeout) ||
		    !vgpu_vq_drain(&vg->cursorq, vg->cmd_timeout))
			drm_warn(vg->drm, "commands unanswered at suspend fail with -EIO\n");
		vgpu_quiesce(vg);
	}
	vg->recovery.suspended = true;
	mutex_unlock(&vg->recovery.lock);
	drm_dbg_driver(vg->drm, "frozen\n");
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_freeze);

/**
 * vgpu_restore - &virtio_driver.restore: after resume
 * @vdev: the virtio device, reset, with its features negotiated
 *
 * Return: 0, or the transport's error (the device then stays stopped).
 */
int vgpu_restore(struct virtio_device *vdev)
{
	struct vgpu_device *vg = vdev->priv;
	int ret = -ENODEV;

	mutex_lock(&vg->recovery.lock);
	vg->recovery.suspended = false;
	if (!vg->recovery.failed) {
		ret = vgpu_revive(vg);
		if (ret)
			vgpu_give_up(vg, ret);
	}
	mutex_unlock(&vg->recovery.lock);
	if (vg->display.off) {
		int err = drm_mode_config_helper_resume(vg->drm);

		vg->display.off = false;
		if (err)
			drm_err(vg->drm, "display not restored after resume: %d\n",
				err);
	}
	if (!ret)
		vgpu_watchdog_start(vg);
	drm_info(vg->drm, "resumed (%d)%s\n", ret, vgpu_recover_3d_note(vg));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_restore);

/**
 * vgpu_recover_print - the resets' lines of debugfs vgpu_info
 * @m: the file
 * @vg: device
 */
void vgpu_recover_print(struct seq_file *m, struct vgpu_device *vg)
{
	seq_printf(m, "resets: %u\n", READ_ONCE(vg->recovery.reset_gen));
	seq_printf(m, "last_reset: %s\n", READ_ONCE(vg->recovery.reason) ?: "none");
	seq_printf(m, "reset_failed: %d\n", READ_ONCE(vg->recovery.failed));
	seq_printf(m, "restore_errors: %d\n", atomic_read(&vg->recovery.restore_errors));
}
