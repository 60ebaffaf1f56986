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
 * dri/N/vgpu_pending lists the commands still waiting for the device's
 * answer, oldest first, per queue: "queue type ctx ring flags fence age_ms"
 * (at most VGPU_DEBUGFS_PENDING of each queue, then how many more). A
 * fenced command is answered once its fence has passed on the host; one
 * that stays here is what the hang watchdog looks at.
 *
 * dri/N/vgpu_reset resets the device when written to (the write returns
 * once the device is back): what a hang does, on demand.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
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
	seq_printf(m, "queue %s: size %u free %u inflight %u dead %d queued %llu completed %llu notifies %llu full_waits %llu full_timeouts %llu flushed %llu callbacks %llu longest_wait_ms %u\n",
		   q->name, st.size, st.free, st.inflight, st.dead,
		   st.stats.queued, st.stats.completed, st.stats.notifies,
		   st.stats.full_waits, st.stats.full_timeouts,
		   st.stats.flushed, st.stats.callbacks,
		   jiffies_to_msecs(st.stats.longest));
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

/* the oldest commands of each queue vgpu_pending shows */
#define VGPU_DEBUGFS_PENDING 32U
static_assert(sizeof(struct virtio_gpu_ctrl_hdr) <= VGPU_VQ_HEAD_LEN);

static void vgpu_debugfs_queue_pending(struct seq_file *m, struct vgpu_vq *q,
				       struct vgpu_vq_waiting *w)
{
	const struct virtio_gpu_ctrl_hdr *hdr;
	unsigned int i, n;

	n = vgpu_vq_pending(q, w, VGPU_DEBUGFS_PENDING);
	for (i = 0; i < min(n, VGPU_DEBUGFS_PENDING); i++) {
		hdr = (const struct virtio_gpu_ctrl_hdr *)w[i].head;
		seq_printf(m, "%s 0x%04x %u %u 0x%x %llu %u\n", q->name,
			   le32_to_cpu(hdr->type), le32_to_cpu(hdr->ctx_id),
			   hdr->ring_idx, le32_to_cpu(hdr->flags),
			   le64_to_cpu(hdr->fence_id),
			   jiffies_to_msecs(w[i].age));
	}
	if (n > VGPU_DEBUGFS_PENDING)
		seq_printf(m, "%s: %u more\n", q->name, n - VGPU_DEBUGFS_PENDING);
}

static int vgpu_debugfs_pending(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct drm_device *drm = node->minor->dev;
	struct vgpu_device *vg = to_vgpu(drm);
	struct vgpu_vq_waiting *w;
	int idx;

	w = kmalloc_array(VGPU_DEBUGFS_PENDING, sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	if (!drm_dev_enter(drm, &idx)) {
		kfree(w);
		return -ENODEV;
	}
	vgpu_debugfs_queue_pending(m, &vg->ctrlq, w);
	vgpu_debugfs_queue_pending(m, &vg->cursorq, w);
	drm_dev_exit(idx);
	kfree(w);
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
	{ "vgpu_pending", vgpu_debugfs_pending, 0, NULL },
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
