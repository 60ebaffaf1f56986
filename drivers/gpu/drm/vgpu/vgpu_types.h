/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu device state.
 *
 * Locking: @vgpu_device.state_lock covers the host-reported state that the
 * config-change worker refreshes (scanouts, EDIDs, event counters). Each
 * virtqueue has its own lock (see vgpu_vq.h). Everything else is written
 * once at probe before the DRM device is registered and read-only after.
 */
#ifndef VGPU_TYPES_H
#define VGPU_TYPES_H

#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <drm/drm_device.h>

#include "vgpu_proto.h"
#include "vgpu_vq.h"

struct virtio_device;

/**
 * struct vgpu_scanout - host-side view of one output
 * @info: position, size and state from GET_DISPLAY_INFO
 * @edid: EDID bytes from GET_EDID
 * @edid_len: valid bytes in @edid (0 when the host gave none)
 */
struct vgpu_scanout {
	struct vgpu_scanout_info info;
	u8 edid[VGPU_EDID_MAX];
	u32 edid_len;
};

/**
 * struct vgpu_device - one virtio-gpu device
 */
struct vgpu_device {
	/** @drm: the DRM device; parent is the PCI function. */
	struct drm_device *drm;
	/** @vdev: the virtio device. */
	struct virtio_device *vdev;

	/** @features_offered: device feature bits as offered. */
	u64 features_offered;
	/** @has_virgl: VIRTIO_GPU_F_VIRGL negotiated. */
	bool has_virgl;
	/** @has_edid: VIRTIO_GPU_F_EDID negotiated. */
	bool has_edid;
	/** @has_resource_uuid: VIRTIO_GPU_F_RESOURCE_UUID negotiated. */
	bool has_resource_uuid;
	/** @has_resource_blob: VIRTIO_GPU_F_RESOURCE_BLOB negotiated. */
	bool has_resource_blob;
	/** @has_context_init: VIRTIO_GPU_F_CONTEXT_INIT negotiated. */
	bool has_context_init;

	/** @ctrlq: control queue. */
	struct vgpu_vq ctrlq;
	/** @cursorq: cursor queue. */
	struct vgpu_vq cursorq;
	/** @cmd_timeout: bound on any wait for the device, in jiffies. */
	unsigned long cmd_timeout;

	/** @num_scanouts: from config space, clamped to VGPU_MAX_SCANOUTS. */
	u32 num_scanouts;
	/** @num_capsets: capsets kept in @capsets. */
	u32 num_capsets;
	/** @capsets: what GET_CAPSET_INFO reported, valid entries only. */
	struct vgpu_capset *capsets;

	/** @state_lock: see the top of this file. */
	struct mutex state_lock;
	/** @scanouts: @num_scanouts entries. */
	struct vgpu_scanout *scanouts;
	/** @events_at_probe: events_read as found at probe. */
	u32 events_at_probe;
	/** @display_events: display-change events the device raised. */
	u32 display_events;
	/** @config_work: handles config-change interrupts. */
	struct work_struct config_work;
};

static inline struct vgpu_device *to_vgpu(struct drm_device *drm)
{
	return drm->dev_private;
}

#endif /* VGPU_TYPES_H */
