// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu debugfs: what an operator needs to see of the device.
 *
 * dri/N/vgpu_info lists the negotiated features (and what the host
 * offered), each scanout as the host reports it, the capsets, and the
 * state of both virtqueues. The format is one "key: value" per line so
 * scripts can read it.
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

static void vgpu_debugfs_features(struct seq_file *m, const char *what,
				  u64 bits)
{
	unsigned int bit;

	seq_printf(m, "features %s: 0x%llx", what, bits);
	for (bit = 0; bit < 24; bit++) {
		const char *name = vgpu_proto_feature_name(bit);

		if (bits & BIT_ULL(bit))
			seq_printf(m, " %s", name ? name : "?");
	}
	seq_putc(m, '\n');
}

static void vgpu_debugfs_queue(struct seq_file *m, struct vgpu_vq *q)
{
	struct vgpu_vq_state st;

	vgpu_vq_snapshot(q, &st);
	seq_printf(m, "queue %s: size %u free %u inflight %u dead %d queued %llu completed %llu notifies %llu full_waits %llu full_timeouts %llu flushed %llu\n",
		   q->name, st.size, st.free, st.inflight, st.dead,
		   st.stats.queued, st.stats.completed, st.stats.notifies,
		   st.stats.full_waits, st.stats.full_timeouts,
		   st.stats.flushed);
}

static int vgpu_debugfs_info(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct drm_device *drm = node->minor->dev;
	struct vgpu_device *vg = to_vgpu(drm);
	unsigned int i;
	int idx;

	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;

	vgpu_debugfs_features(m, "offered", vg->features_offered);
	vgpu_debugfs_features(m, "negotiated", vg->vdev->features);
	seq_printf(m, "version_1: %s\n",
		   virtio_has_feature(vg->vdev, VIRTIO_F_VERSION_1) ? "yes" : "no");
	seq_printf(m, "virgl: %s\n", vg->has_virgl ? "yes" : "no");
	seq_printf(m, "edid: %s\n", vg->has_edid ? "yes" : "no");
	seq_printf(m, "resource_uuid: %s\n", vg->has_resource_uuid ? "yes" : "no");
	seq_printf(m, "resource_blob: %s\n", vg->has_resource_blob ? "yes" : "no");
	seq_printf(m, "context_init: %s\n", vg->has_context_init ? "yes" : "no");

	mutex_lock(&vg->state_lock);
	seq_printf(m, "scanouts: %u\n", vg->num_scanouts);
	for (i = 0; i < vg->num_scanouts; i++) {
		const struct vgpu_scanout *s = &vg->scanouts[i];

		seq_printf(m, "scanout %u: enabled %d size %ux%u pos %u,%u flags 0x%x edid %u\n",
			   i, s->info.enabled, s->info.width, s->info.height,
			   s->info.x, s->info.y, s->info.flags, s->edid_len);
	}
	seq_printf(m, "events_at_probe: 0x%x\n", vg->events_at_probe);
	seq_printf(m, "display_events: %u\n", vg->display_events);

	seq_printf(m, "capsets: %u\n", vg->num_capsets);
	for (i = 0; i < vg->num_capsets; i++) {
		const struct vgpu_capset *c = &vg->capsets[i];

		seq_printf(m, "capset %u: id %u %s max_version %u max_size %u\n",
			   i, c->id, vgpu_proto_capset_name(c->id),
			   c->max_version, c->max_size);
	}

	seq_printf(m, "hotplug_events: %u\n", vg->hotplug_events);
	mutex_unlock(&vg->state_lock);
	seq_printf(m, "resources_live: %d\n", atomic_read(&vg->res_live));
	seq_printf(m, "mem_held: %lld\n", (long long)atomic64_read(&vg->mem_held));
	mutex_lock(&vg->hostmem_lock);
	seq_printf(m, "hostmem: used %llu size %llu releasing %d\n", vg->hostmem_used,
		   vg->hostmem_size, atomic_read(&vg->hostmem_releasing));
	mutex_unlock(&vg->hostmem_lock);
	seq_printf(m, "host_errors: %d\n", atomic_read(&vg->host_errors));
	seq_printf(m, "last_host_error: 0x%04x\n", READ_ONCE(vg->last_host_error));
	seq_printf(m, "last_host_error_cmd: 0x%04x\n", READ_ONCE(vg->last_host_error_cmd));
	for (i = 0; vg->outputs && i < vg->num_scanouts; i++) {
		struct vgpu_output *out = &vg->outputs[i];

		seq_printf(m, "output %u: vblanks %lld period_ns %lld cursor_updates %llu cursor_moves %llu crc %s crcs %lld\n",
			   i, (long long)atomic64_read(&out->vblanks),
			   ktime_to_ns(out->period), out->cursor_updates,
			   out->cursor_moves, str_on_off(READ_ONCE(out->crc.on)),
			   (long long)atomic64_read(&out->crc.computed));
	}

	seq_printf(m, "resets: %u\n", READ_ONCE(vg->reset_gen));
	seq_printf(m, "last_reset: %s\n", READ_ONCE(vg->reset_reason) ?: "none");
	seq_printf(m, "reset_failed: %d\n", READ_ONCE(vg->reset_failed));
	seq_printf(m, "restore_errors: %d\n", atomic_read(&vg->restore_errors));
	seq_printf(m, "fences_pending: %u\n", vgpu_fence_pending(vg));
	seq_printf(m, "fence_answers: %llu\n", READ_ONCE(vg->fences_signalled));
	seq_printf(m, "fence_events: %lld\n", (long long)atomic64_read(&vg->fence_events));

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
