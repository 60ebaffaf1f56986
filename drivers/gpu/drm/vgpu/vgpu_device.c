// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu device feature: the virtqueues and what the host offers.
 *
 * Sets up the control and cursor virtqueues (at probe and after a reset),
 * reads the config space, asks the host for its displays, EDIDs and
 * capsets, and refreshes the display state when the host raises a
 * config-change event. Commands go through the command layer with
 * bounded, interruptible waits; every host error is returned to the
 * caller.
 */
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

static void vgpu_ctrlq_done(struct virtqueue *vq)
{
	struct vgpu_device *vg = vq->vdev->priv;

	vgpu_vq_reclaim(&vg->ctrlq);
}

static void vgpu_cursorq_done(struct virtqueue *vq)
{
	struct vgpu_device *vg = vq->vdev->priv;

	vgpu_vq_reclaim(&vg->cursorq);
}

/**
 * vgpu_vqs_init - set up the control and cursor virtqueues
 * @vg: device
 * @again: after a reset: give the paused queues their new virtqueues
 *	   (else initialise the queues)
 *
 * Return: 0 or the virtio transport's error.
 */
int vgpu_vqs_init(struct vgpu_device *vg, bool again)
{
	static const char * const names[] = { "control", "cursor" };
	vq_callback_t *cbs[] = { vgpu_ctrlq_done, vgpu_cursorq_done };
	struct virtqueue *vqs[2];
	int ret;

	ret = vgpu_find_vqs(vg->vdev, 2, vqs, cbs, names);
	if (ret) {
		drm_err(vg->drm, "cannot set up virtqueues: %d\n", ret);
		return ret;
	}
	if (again) {
		vgpu_vq_attach(&vg->ctrlq, vqs[0]);
		vgpu_vq_attach(&vg->cursorq, vqs[1]);
	} else {
		vgpu_vq_init(&vg->ctrlq, names[0], vqs[0]);
		vgpu_vq_init(&vg->cursorq, names[1], vqs[1]);
	}
	return 0;
}

/**
 * vgpu_device_read_config - read scanout and capset counts and events
 * @vg: device
 *
 * Counts above the protocol's or vgpu's limits are clamped with a warning.
 * Events raised before the driver bound are recorded; vgpu_device_query()
 * answers and acknowledges them.
 */
void vgpu_device_read_config(struct vgpu_device *vg)
{
	u32 scanouts, capsets;

	virtio_cread_le(vg->vdev, struct virtio_gpu_config, events_read,
			&vg->display.events_at_probe);
	virtio_cread_le(vg->vdev, struct virtio_gpu_config, num_scanouts,
			&scanouts);
	virtio_cread_le(vg->vdev, struct virtio_gpu_config, num_capsets,
			&capsets);
	if (scanouts > VGPU_MAX_SCANOUTS) {
		drm_warn(vg->drm, "host reports %u scanouts, using %u\n",
			 scanouts, VGPU_MAX_SCANOUTS);
		scanouts = VGPU_MAX_SCANOUTS;
	}
	if (capsets > VGPU_MAX_CAPSETS) {
		drm_warn(vg->drm, "host reports %u capsets, using %u\n",
			 capsets, VGPU_MAX_CAPSETS);
		capsets = VGPU_MAX_CAPSETS;
	}
	vg->display.num_scanouts = scanouts;
	vg->ctx.num_capsets = capsets;
}

static int vgpu_query_display_info(struct vgpu_device *vg)
{
	struct vgpu_scanout_info info[VGPU_MAX_SCANOUTS];
	struct vgpu_buf *buf;
	unsigned int i;
	int ret;

	buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_ctrl_hdr),
			     sizeof(struct virtio_gpu_resp_display_info),
			     GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	vgpu_proto_get_display_info(buf->req);
	ret = vgpu_cmd_exec(vg, &vg->ctrlq, buf, VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
			    sizeof(struct virtio_gpu_resp_display_info));
	if (!ret) {
		vgpu_proto_parse_display_info(buf->resp, vg->display.num_scanouts, info);
		mutex_lock(&vg->display.state_lock);
		for (i = 0; i < vg->display.num_scanouts; i++)
			vg->display.scanouts[i].info = info[i];
		mutex_unlock(&vg->display.state_lock);
	}
	vgpu_buf_put(buf);
	return ret;
}

/* One GET_EDID per scanout, sent as one batch. Failures leave no EDID. */
static void vgpu_query_edids(struct vgpu_device *vg)
{
	struct vgpu_buf *bufs[VGPU_MAX_SCANOUTS] = {};
	unsigned int i, n = vg->display.num_scanouts;
	u32 size;
	int ret;

	for (i = 0; i < n; i++) {
		bufs[i] = vgpu_buf_alloc(sizeof(struct virtio_gpu_cmd_get_edid),
					 sizeof(struct virtio_gpu_resp_edid),
					 GFP_KERNEL);
		if (!bufs[i])
			break;
		vgpu_proto_get_edid(bufs[i]->req, i);
	}
	n = i;
	vgpu_vq_submit(&vg->ctrlq, bufs, n, vg->cmd_timeout);

	for (i = 0; i < n; i++) {
		struct vgpu_buf *buf = bufs[i];

		ret = vgpu_buf_wait(buf, vg->cmd_timeout);
		if (!ret)
			ret = vgpu_proto_resp_check(buf->resp, buf->used_len,
						    VIRTIO_GPU_RESP_OK_EDID,
						    offsetof(struct virtio_gpu_resp_edid, edid));
		if (!ret)
			ret = vgpu_proto_parse_edid(buf->resp, buf->used_len, &size);
		mutex_lock(&vg->display.state_lock);
		if (ret) {
			drm_dbg_kms(vg->drm, "scanout %u: no EDID (%d)\n", i, ret);
			vg->display.scanouts[i].edid_len = 0;
		} else {
			struct virtio_gpu_resp_edid *resp = buf->resp;

			memcpy(vg->display.scanouts[i].edid, resp->edid, size);
			vg->display.scanouts[i].edid_len = size;
		}
		mutex_unlock(&vg->display.state_lock);
		vgpu_buf_put(buf);
	}
	for (i = n; i < vg->display.num_scanouts; i++) {
		mutex_lock(&vg->display.state_lock);
		vg->display.scanouts[i].edid_len = 0;
		mutex_unlock(&vg->display.state_lock);
	}
}

/* Validate one capset answer; 0 and @cap filled, or why it is rejected. */
static int vgpu_capset_answer(struct vgpu_buf *buf, u64 seen,
			      struct vgpu_capset *cap)
{
	int err;

	err = vgpu_proto_resp_check(buf->resp, buf->used_len,
				    VIRTIO_GPU_RESP_OK_CAPSET_INFO,
				    sizeof(struct virtio_gpu_resp_capset_info));
	if (!err)
		err = vgpu_proto_parse_capset_info(buf->resp, cap);
	if (!err && (seen & BIT_ULL(cap->id)))
		err = -EEXIST;
	return err;
}

/*
 * Ask for every capset's info as one batch. A transport failure (no
 * memory, timeout, signal, dead queue) fails the query; a host error, a
 * bad id or size, or an id seen before only drops that entry.
 */
static int vgpu_query_capsets(struct vgpu_device *vg)
{
	u32 asked = vg->ctx.num_capsets;
	struct vgpu_capset cap;
	struct vgpu_buf **bufs;
	unsigned int i, kept = 0;
	u64 seen = 0;
	int ret = 0;

	vg->ctx.num_capsets = 0;
	if (!asked)
		return 0;
	vg->ctx.capsets = drmm_kcalloc(vg->drm, asked,
				       sizeof(*vg->ctx.capsets), GFP_KERNEL);
	bufs = kcalloc(asked, sizeof(*bufs), GFP_KERNEL);
	if (!vg->ctx.capsets || !bufs) {
		kfree(bufs);
		return -ENOMEM;
	}
	for (i = 0; i < asked && !ret; i++) {
		bufs[i] = vgpu_buf_alloc(sizeof(struct virtio_gpu_get_capset_info),
					 sizeof(struct virtio_gpu_resp_capset_info),
					 GFP_KERNEL);
		if (bufs[i])
			vgpu_proto_get_capset_info(bufs[i]->req, i);
		else
			ret = -ENOMEM;
	}
	if (!ret)
		ret = vgpu_vq_submit(&vg->ctrlq, bufs, asked, vg->cmd_timeout);

	for (i = 0; i < asked && bufs[i]; i++) {
		int err;

		if (!ret)
			ret = vgpu_buf_wait(bufs[i], vg->cmd_timeout);
		if (!ret) {
			err = vgpu_capset_answer(bufs[i], seen, &cap);
			if (err) {
				drm_warn(vg->drm, "capset %u rejected (%d)\n", i, err);
			} else {
				seen |= BIT_ULL(cap.id);
				vg->ctx.capsets[kept++] = cap;
			}
		}
		vgpu_buf_put(bufs[i]);
	}
	kfree(bufs);
	vg->ctx.num_capsets = ret ? 0 : kept;
	return ret;
}

/**
 * vgpu_device_query - learn the host's displays, EDIDs and capsets
 * @vg: device with its queues ready
 *
 * Return: 0, or the error that kept the device from answering.
 */
int vgpu_device_query(struct vgpu_device *vg)
{
	int ret;

	if (vg->display.num_scanouts) {
		ret = vgpu_query_display_info(vg);
		if (ret) {
			drm_err(vg->drm, "GET_DISPLAY_INFO failed: %d\n", ret);
			return ret;
		}
		if (vg->features.edid)
			vgpu_query_edids(vg);
	}
	if (vg->features.virgl || vg->features.context_init) {
		ret = vgpu_query_capsets(vg);
		if (ret) {
			drm_err(vg->drm, "GET_CAPSET_INFO failed: %d\n", ret);
			return ret;
		}
	} else {
		vg->ctx.num_capsets = 0;
	}
	/* The display state was just read: earlier events are answered. */
	if (vg->display.events_at_probe)
		virtio_cwrite_le(vg->vdev, struct virtio_gpu_config,
				 events_clear, &vg->display.events_at_probe);
	return 0;
}

/**
 * vgpu_device_config_work - handle a config-change interrupt
 * @work: &vgpu_device.display.config_work
 *
 * Acknowledges the events it read; a display event refreshes the
 * display info and EDIDs, and tells userspace when an output changed.
 */
void vgpu_device_config_work(struct work_struct *work)
{
	struct vgpu_device *vg = container_of(work, struct vgpu_device,
					      display.config_work);
	u32 events;

	virtio_cread_le(vg->vdev, struct virtio_gpu_config, events_read,
			&events);
	if (events & VIRTIO_GPU_EVENT_DISPLAY) {
		struct vgpu_scanout *before = NULL;

		mutex_lock(&vg->display.state_lock);
		vg->display.events++;
		if (vg->display.num_scanouts)
			before = kmemdup(vg->display.scanouts,
					 vg->display.num_scanouts * sizeof(*before),
					 GFP_KERNEL);
		mutex_unlock(&vg->display.state_lock);
		if (vg->display.num_scanouts && !vgpu_query_display_info(vg)) {
			if (vg->features.edid)
				vgpu_query_edids(vg);
			if (before && READ_ONCE(vg->display.kms_ready))
				vgpu_kms_display_changed(vg, before);
		}
		kfree(before);
	}
	virtio_cwrite_le(vg->vdev, struct virtio_gpu_config, events_clear,
			 &events);
}

static void vgpu_device_print_features(struct seq_file *m, const char *what,
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

/**
 * vgpu_device_print - the device's section of debugfs vgpu_info
 * @m: the file
 * @vg: device
 *
 * Features offered and negotiated, each scanout as the host reports it,
 * display events and the capsets.
 */
void vgpu_device_print(struct seq_file *m, struct vgpu_device *vg)
{
	unsigned int i;

	vgpu_device_print_features(m, "offered", vg->features.offered);
	vgpu_device_print_features(m, "negotiated", vg->vdev->features);
	seq_printf(m, "version_1: %s\n",
		   str_yes_no(virtio_has_feature(vg->vdev, VIRTIO_F_VERSION_1)));
	seq_printf(m, "virgl: %s\n", str_yes_no(vg->features.virgl));
	seq_printf(m, "edid: %s\n", str_yes_no(vg->features.edid));
	seq_printf(m, "resource_uuid: %s\n", str_yes_no(vg->features.resource_uuid));
	seq_printf(m, "resource_blob: %s\n", str_yes_no(vg->features.resource_blob));
	seq_printf(m, "context_init: %s\n", str_yes_no(vg->features.context_init));

	mutex_lock(&vg->display.state_lock);
	seq_printf(m, "scanouts: %u\n", vg->display.num_scanouts);
	for (i = 0; i < vg->display.num_scanouts; i++) {
		const struct vgpu_scanout *s = &vg->display.scanouts[i];

		seq_printf(m, "scanout %u: enabled %d size %ux%u pos %u,%u flags 0x%x edid %u\n",
			   i, s->info.enabled, s->info.width, s->info.height,
			   s->info.x, s->info.y, s->info.flags, s->edid_len);
	}
	seq_printf(m, "events_at_probe: 0x%x\n", vg->display.events_at_probe);
	seq_printf(m, "display_events: %u\n", vg->display.events);
	seq_printf(m, "capsets: %u\n", vg->ctx.num_capsets);
	for (i = 0; i < vg->ctx.num_capsets; i++) {
		const struct vgpu_capset *c = &vg->ctx.capsets[i];

		seq_printf(m, "capset %u: id %u %s max_version %u max_size %u\n",
			   i, c->id, vgpu_proto_capset_name(c->id),
			   c->max_version, c->max_size);
	}
	seq_printf(m, "hotplug_events: %u\n", vg->display.hotplug_events);
	mutex_unlock(&vg->display.state_lock);
}
