// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu: virtio-gpu DRM driver - virtio binding and DRM device.
 *
 * Probe order: DRM device (parent: the PCI function, so libdrm and Mesa
 * find it by its bus), features, config space, virtqueues, device ready,
 * host queries with bounded waits, then registration. Remove undoes it in
 * reverse: unplug (no new ioctls or mmaps, existing mappings zapped),
 * stop the config worker, stop the queues, reset the device, give back
 * every buffer, delete the queues. Open files keep the DRM device; their
 * ioctls fail with -ENODEV and their buffers are freed when they close.
 */
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/string_helpers.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>

#include <kunit/visibility.h>

#include <drm/drm_atomic_helper.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

#define VGPU_VERSION "0.1.0"

/* The project's uapi header is the one in use, not the kernel's copy. */
static_assert(sizeof(struct drm_virtgpu_execbuffer) == 64);
static_assert(sizeof(struct drm_virtgpu_execbuffer_syncobj) == 16);

unsigned int vgpu_cmd_timeout_ms = 10000;
EXPORT_SYMBOL_IF_KUNIT(vgpu_cmd_timeout_ms);
module_param_named(cmd_timeout_ms, vgpu_cmd_timeout_ms, uint, 0644);
MODULE_PARM_DESC(cmd_timeout_ms,
		 "Longest wait for the device to answer or free ring space, in ms; read at probe (default 10000)");

/*
 * DRM_GEM_FOPS but for mmap, which also maps host blobs at an offset, and
 * ioctl, which bounds a few core ioctls first.
 */
static const struct file_operations vgpu_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = vgpu_drm_ioctl,
	.compat_ioctl = VGPU_COMPAT_IOCTL(vgpu_drm_compat_ioctl),
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = vgpu_mmap,
	VGPU_FDINFO_FOPS
	VGPU_FOP_FLAGS
};

static const struct drm_driver vgpu_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_MODESET | DRIVER_ATOMIC |
			   DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | VGPU_DRIVER_CURSOR_HOTSPOT,
	.fops = &vgpu_fops,
	.open = vgpu_open,
	.postclose = vgpu_postclose,
	.ioctls = vgpu_ioctls,
	.num_ioctls = VGPU_NUM_IOCTLS,
	.gem_create_object = vgpu_gem_create_object,
	.dumb_create = vgpu_gem_dumb_create,
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd,
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle,
	.gem_prime_import = vgpu_gem_prime_import,
	.gem_prime_import_sg_table = drm_gem_shmem_prime_import_sg_table,
	VGPU_DRM_GEM_PRIME_MMAP
	VGPU_DRM_FBDEV_DRIVER_OPS
	.debugfs_init = vgpu_debugfs_init,
	VGPU_FDINFO_DRIVER
	.name = VGPU_DRIVER_NAME,
	.desc = VGPU_DRIVER_DESC,
	VGPU_DRM_DRIVER_DATE("20261121")
	.major = VGPU_DRIVER_MAJOR,
	.minor = VGPU_DRIVER_MINOR,
	.patchlevel = VGPU_DRIVER_PATCHLEVEL,
};

static void vgpu_vqs_fini(struct vgpu_device *vg)
{
	vgpu_vq_stop(&vg->ctrlq);
	vgpu_vq_stop(&vg->cursorq);
	virtio_reset_device(vg->vdev);
	vgpu_vq_flush(&vg->ctrlq, -ENODEV);
	vgpu_vq_flush(&vg->cursorq, -ENODEV);
	vg->vdev->config->del_vqs(vg->vdev);
}

static void vgpu_read_features(struct vgpu_device *vg)
{
	struct virtio_device *vdev = vg->vdev;

	vg->features.offered = vgpu_virtio_offered_features(vdev);
	vg->features.virgl = virtio_has_feature(vdev, VIRTIO_GPU_F_VIRGL);
	vg->features.edid = virtio_has_feature(vdev, VIRTIO_GPU_F_EDID);
	vg->features.resource_uuid = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_UUID);
	vg->features.resource_blob = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_BLOB);
	vg->features.context_init = virtio_has_feature(vdev, VIRTIO_GPU_F_CONTEXT_INIT);
	vg->features.blob_alignment = virtio_has_feature(vdev, VGPU_F_BLOB_ALIGNMENT);
	drm_dbg_driver(vg->drm, "features offered 0x%llx negotiated 0x%llx\n",
		       vg->features.offered, vdev->features);
}

static void vgpu_res_fini(struct drm_device *drm, void *arg)
{
	struct vgpu_device *vg = arg;

	/* Runs after the mode configuration is gone: no framebuffers left. */
	destroy_workqueue(vg->res.wq);
	drm_WARN_ON(drm, atomic_read(&vg->res.live));
	ida_destroy(&vg->res.ida);
}

static int vgpu_res_init(struct vgpu_device *vg)
{
	ida_init(&vg->res.ida);
	init_llist_head(&vg->res.answered);
	INIT_WORK(&vg->res.free_work, vgpu_res_free_work);
	vg->res.wq = alloc_ordered_workqueue("vgpu-res", 0);
	if (!vg->res.wq) {
		ida_destroy(&vg->res.ida);
		return -ENOMEM;
	}
	return drmm_add_action_or_reset(vg->drm, vgpu_res_fini, vg);
}

/*
 * The driver's state before the queues exist: locks, features, each
 * feature's own state, the config space. Everything is drmm-managed.
 */
static int vgpu_setup(struct vgpu_device *vg)
{
	struct drm_device *drm = vg->drm;
	int ret;

	vg->cmd_timeout = msecs_to_jiffies(READ_ONCE(vgpu_cmd_timeout_ms)) ?: 1;
	INIT_WORK(&vg->display.config_work, vgpu_device_config_work);
	ret = drmm_mutex_init(drm, &vg->display.state_lock);
	if (!ret)
		ret = vgpu_recover_init(vg);
	if (ret)
		return ret;

	vgpu_read_features(vg);
	vgpu_fence_init_device(vg);
	/* Before vgpu_res_init(): its release drains before the region goes. */
	ret = vgpu_hostmem_init(vg);
	if (!ret)
		ret = vgpu_res_init(vg);
	if (!ret)
		ret = vgpu_context_init_device(vg);
	if (ret)
		return ret;

	vg->features.dma_api = !virtio_has_dma_quirk(vg->vdev);
	vgpu_device_read_config(vg);
	if (vg->display.num_scanouts) {
		vg->display.scanouts = drmm_kcalloc(drm, vg->display.num_scanouts,
						    sizeof(*vg->display.scanouts),
						    GFP_KERNEL);
		if (!vg->display.scanouts)
			return -ENOMEM;
	}
	return 0;
}

static int vgpu_probe(struct virtio_device *vdev)
{
	struct vgpu_device *vg;
	struct drm_device *drm;
	int ret;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
		dev_err(&vdev->dev, "device does not offer VIRTIO_F_VERSION_1\n");
		return -ENODEV;
	}

	drm = drm_dev_alloc(&vgpu_drm_driver, vdev->dev.parent);
	if (IS_ERR(drm))
		return PTR_ERR(drm);
	vg = drmm_kzalloc(drm, sizeof(*vg), GFP_KERNEL);
	if (!vg) {
		ret = -ENOMEM;
		goto err_put;
	}
	drm->dev_private = vg;
	vg->drm = drm;
	vg->vdev = vdev;
	ret = vgpu_setup(vg);
	if (ret)
		goto err_put;

	vdev->priv = vg;
	ret = vgpu_vqs_init(vg, false);
	if (ret)
		goto err_put;
	virtio_device_ready(vdev);

	ret = vgpu_device_query(vg);
	if (!ret && vg->display.num_scanouts)
		ret = vgpu_kms_init(vg);
	if (!vg->display.num_scanouts)
		drm->driver_features &= ~(DRIVER_MODESET | DRIVER_ATOMIC);
	if (!ret)
		ret = drm_dev_register(drm, 0);
	if (ret)
		goto err_vqs;
	if (vg->display.outputs) {
		WRITE_ONCE(vg->display.kms_ready, true);
		vgpu_fbdev_setup(drm);
	}
	vgpu_watchdog_start(vg);

	drm_info(drm, "vgpu %s: %u scanout(s), %u capset(s), virgl %s, edid %s\n",
		 VGPU_VERSION, vg->display.num_scanouts, vg->ctx.num_capsets,
		 str_yes_no(vg->features.virgl), str_yes_no(vg->features.edid));
	return 0;

err_vqs:
	vgpu_vqs_fini(vg);
err_put:
	vdev->priv = NULL;
	drm_dev_put(drm);
	return ret;
}

/* How long removal waits for the host to answer what is in flight. */
#define VGPU_REMOVE_WAIT_MS 2000

static void vgpu_remove(struct virtio_device *vdev)
{
	struct vgpu_device *vg = vdev->priv;
	struct drm_device *drm = vg->drm;

	drm_dev_unplug(drm);
	/*
	 * Mappings must not outlive the device: a host blob's points into a
	 * BAR that may be given to another device. Buffers with guest pages
	 * fault back in; host blobs raise SIGBUS.
	 */
	unmap_mapping_range(drm->anon_inode->i_mapping, 0, 0, 1);
	vgpu_recover_stop(vg);
	if (vg->display.outputs)
		drm_atomic_helper_shutdown(drm);
	vgpu_kms_commits_flush(vg);
	cancel_work_sync(&vg->display.config_work);
	/*
	 * What clients released goes out and is answered before the reset:
	 * QEMU 10 keeps a blob whose unmap a reset cut short, and aborts when
	 * the next driver maps one. Blobs of files still open are unmapped.
	 * Bounded: a device that is gone does not answer.
	 */
	flush_workqueue(vg->res.wq);
	vgpu_res_unmap_host_blobs(vg);
	if (!vgpu_vq_drain(&vg->ctrlq, msecs_to_jiffies(VGPU_REMOVE_WAIT_MS)))
		drm_dbg_driver(drm, "remove: commands unanswered at the reset\n");
	vgpu_vqs_fini(vg);
	vdev->priv = NULL;
	drm_dev_put(drm);
}

/*
 * Power-off: the host is left with nothing to finish. The display goes
 * off, released buffers reach the host, host blobs are unmapped, what is
 * queued is answered (bounded, as at removal) and the device is reset,
 * which ends its contexts and resources on the host; QEMU 10 with Venus
 * was seen never to exit after a guest powered off with them live. The
 * queues are broken first, so a client still running gets -EIO rather
 * than waiting on a device that no longer answers.
 */
static void vgpu_shutdown(struct virtio_device *vdev)
{
	struct vgpu_device *vg = vdev->priv;

	if (!vg)
		return;
	vgpu_recover_stop(vg);
	if (vg->display.outputs)
		drm_atomic_helper_shutdown(vg->drm);
	vgpu_kms_commits_flush(vg);
	cancel_work_sync(&vg->display.config_work);
	flush_workqueue(vg->res.wq);
	vgpu_res_unmap_host_blobs(vg);
	if (!vgpu_vq_drain(&vg->ctrlq, msecs_to_jiffies(VGPU_REMOVE_WAIT_MS)))
		drm_dbg_driver(vg->drm, "shutdown: commands unanswered at the reset\n");
	virtio_break_device(vdev);
	virtio_reset_device(vdev);
	drm_dbg_driver(vg->drm, "shutdown: device reset\n");
}

VGPU_VIRTIO_SHUTDOWN_GLUE(vgpu_shutdown)

static void vgpu_config_changed(struct virtio_device *vdev)
{
	struct vgpu_device *vg = vdev->priv;

	schedule_work(&vg->display.config_work);
}

static const struct virtio_device_id vgpu_id_table[] = {
	{ VIRTIO_ID_GPU, VIRTIO_DEV_ANY_ID },
	{ 0 },
};
MODULE_DEVICE_TABLE(virtio, vgpu_id_table);

static const unsigned int vgpu_features[] = {
	VIRTIO_GPU_F_VIRGL,
	VIRTIO_GPU_F_EDID,
	VIRTIO_GPU_F_RESOURCE_UUID,
	VIRTIO_GPU_F_RESOURCE_BLOB,
	VIRTIO_GPU_F_CONTEXT_INIT,
	VGPU_F_BLOB_ALIGNMENT,
};

static struct virtio_driver vgpu_virtio_driver = {
	.feature_table = vgpu_features,
	.feature_table_size = ARRAY_SIZE(vgpu_features),
	.driver.name = KBUILD_MODNAME,
	.driver.owner = THIS_MODULE,
	.id_table = vgpu_id_table,
	.probe = vgpu_probe,
	.remove = vgpu_remove,
	.config_changed = vgpu_config_changed,
	VGPU_VIRTIO_SHUTDOWN(vgpu_shutdown)
	VGPU_VIRTIO_PM(vgpu_freeze, vgpu_restore)
};

static int __init vgpu_init(void)
{
	int ret = vgpu_gem_init();

	if (ret)
		return ret;
	ret = register_virtio_driver(&vgpu_virtio_driver);
	if (ret)
		vgpu_gem_exit();
	return ret;
}
module_init(vgpu_init);

static void __exit vgpu_exit(void)
{
	unregister_virtio_driver(&vgpu_virtio_driver);
	vgpu_gem_exit();
}
module_exit(vgpu_exit);

MODULE_DESCRIPTION("virtio GPU DRM/KMS driver (vgpu)");
MODULE_LICENSE("GPL");
MODULE_VERSION(VGPU_VERSION);
