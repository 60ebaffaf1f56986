// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu debugfs: what an operator needs to see of the device.
 *
 * dri/N/vgpu_info lists the negotiated features (and what the host
 * offered), each scanout as the host reports it, the capsets, each
 * feature's counters and the state of both virtqueues. The format is one
 * "key: value" per line so scripts can read it. Each feature prints its
 * own section (vgpu_*_print()); this file prints the transport's.
 *
 * dri/N/vgpu_reset resets the device when written to (the write returns
 * once the device is back): what a hang does, on demand.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "vgpu_drv.h"

static void vgpu_debugfs_queue(struct seq_file *m, struct vgpu_vq *q)
{
	struct vgpu_vq_state st;

	vgpu_vq_snapshot(q, &st);
	seq_printf(m, "queue %s: size %u free %u inflight %u dead %d queued %llu completed %llu notifies %llu full_waits %llu full_timeouts %llu flushed %llu callbacks %llu\n",
		   q->name, st.size, st.free, st.inflight, st.dead,
		   st.stats.queued, st.stats.completed, st.stats.notifies,
		   st.stats.full_waits, st.stats.full_timeouts,
		   st.stats.flushed, st.stats.callbacks);
}

static int vgpu_debugfs_info(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct drm_device *drm = node->minor->dev;
	struct vgpu_device *vg = to_vgpu(drm);
	int idx;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;

	/* each feature's own section */
	vgpu_device_print(m, vg);
	vgpu_res_print(m, vg);
	vgpu_hostmem_print(m, vg);
	vgpu_cmd_print(m, vg);
	vgpu_kms_print(m, vg);
	vgpu_recover_print(m, vg);
	vgpu_fence_print(m, vg);
	vgpu_debugfs_queue(m, &vg->ctrlq);
	vgpu_debugfs_queue(m, &vg->cursorq);
	seq_printf(m, "module buffers live: %d\n", vgpu_buf_live_count());
	drm_dev_exit(idx);
	return 0;
}

static ssize_t vgpu_debugfs_reset(struct file *f, const char __user *ubuf,
				  size_t len, loff_t *pos)
{
	struct drm_device *drm = file_inode(f)->i_private;
	struct vgpu_device *vg = to_vgpu(drm);
	int ret;

	ret = vgpu_reset(vg, "asked through debugfs");
	return ret ? ret : len;
}

static const struct file_operations vgpu_debugfs_reset_fops = {
	.owner = THIS_MODULE,
	.write = vgpu_debugfs_reset,
	.llseek = noop_llseek,
};

static const struct drm_info_list vgpu_debugfs_list[] = {
	{ "vgpu_info", vgpu_debugfs_info, 0, NULL },
};

/**
 * vgpu_debugfs_init - create the debugfs files of a minor
 * @minor: DRM minor
 */
void vgpu_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(vgpu_debugfs_list,
				 ARRAY_SIZE(vgpu_debugfs_list),
				 minor->debugfs_root, minor);
	debugfs_create_file("vgpu_reset", 0200, minor->debugfs_root,
			    minor->dev, &vgpu_debugfs_reset_fops);
}
