// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: how much guest memory buffers may hold.
 *
 * Every buffer a client creates with guest pages (dumb buffers, 3D
 * resources, guest blobs) is charged to the client's quota and to the
 * device when it is created, before any page is allocated or pinned, and
 * uncharged when its memory is freed (after the host let go of it, which
 * may be after the client closed its file: the quota is reference
 * counted). A creation over either limit fails with -ENOMEM:
 *
 *   client_mem_mb  per DRM file     (0: half of the guest's RAM)
 *   device_mem_mb  all files        (0: three quarters of the guest's RAM)
 *
 * Both are read at each creation, so they can be changed at run time.
 * Imported buffers are the exporter's to account; host blobs hold no
 * guest memory (the host-visible region bounds them).
 */
#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "vgpu_drv.h"

static unsigned int vgpu_client_mem_mb;
module_param_named(client_mem_mb, vgpu_client_mem_mb, uint, 0644);
MODULE_PARM_DESC(client_mem_mb,
		 "Guest memory the buffers of one DRM file may hold, in MiB (0: half of RAM)");

static unsigned int vgpu_device_mem_mb;
module_param_named(device_mem_mb, vgpu_device_mem_mb, uint, 0644);
MODULE_PARM_DESC(device_mem_mb,
		 "Guest memory all buffers of a device may hold, in MiB (0: 3/4 of RAM)");

static u64 vgpu_quota_limit(unsigned int mb, unsigned int num, unsigned int den)
{
	u64 ram = (u64)totalram_pages() << PAGE_SHIFT;

	return mb ? (u64)mb << 20 : div_u64(ram * num, den);
}

/**
 * vgpu_quota_new - a client's quota
 *
 * Return: the quota (one reference), or NULL.
 */
struct vgpu_quota *vgpu_quota_new(void)
{
	struct vgpu_quota *q = kzalloc(sizeof(*q), GFP_KERNEL);

	if (q)
		kref_init(&q->ref);
	return q;
}

static void vgpu_quota_free(struct kref *ref)
{
	kfree(container_of(ref, struct vgpu_quota, ref));
}

/**
 * vgpu_quota_put - drop a reference to a quota
 * @q: quota, may be NULL
 */
void vgpu_quota_put(struct vgpu_quota *q)
{
	if (q)
		kref_put(&q->ref, vgpu_quota_free);
}

/**
 * vgpu_quota_charge - charge a new buffer to its client and the device
 * @vg: device
 * @file: creating client; its quota is charged when it has one
 * @bo: buffer with guest pages, not yet charged
 *
 * Return: 0, or -ENOMEM (with a debug reason) when the buffer would take
 * the client or the device over its limit; nothing is charged then.
 */
int vgpu_quota_charge(struct vgpu_device *vg, struct drm_file *file,
		      struct vgpu_bo *bo)
{
	struct vgpu_quota *q = to_vgpu_file(file)->quota;
	u64 size = bo->base.base.size;
	u64 max;

	if (drm_WARN_ON(vg->drm, bo->charged))
		return -EINVAL;
	max = vgpu_quota_limit(READ_ONCE(vgpu_client_mem_mb), 1, 2);
	if (q && atomic64_add_return(size, &q->bytes) > max) {
		drm_dbg_driver(vg->drm, "client holds %lld bytes, %llu more is over %llu\n",
			       atomic64_read(&q->bytes) - size, size, max);
		atomic64_sub(size, &q->bytes);
		return -ENOMEM;
	}
	max = vgpu_quota_limit(READ_ONCE(vgpu_device_mem_mb), 3, 4);
	if (atomic64_add_return(size, &vg->res.held) > max) {
		drm_dbg_driver(vg->drm, "device holds %lld bytes, %llu more is over %llu\n",
			       atomic64_read(&vg->res.held) - size, size, max);
		atomic64_sub(size, &vg->res.held);
		if (q)
			atomic64_sub(size, &q->bytes);
		return -ENOMEM;
	}
	if (q)
		kref_get(&q->ref);
	bo->quota = q;
	bo->charged = size;
	return 0;
}

/**
 * vgpu_quota_uncharge - a buffer's memory is freed
 * @vg: device
 * @bo: buffer, charged or not
 */
void vgpu_quota_uncharge(struct vgpu_device *vg, struct vgpu_bo *bo)
{
	if (!bo->charged)
		return;
	atomic64_sub(bo->charged, &vg->res.held);
	if (bo->quota)
		atomic64_sub(bo->charged, &bo->quota->bytes);
	vgpu_quota_put(bo->quota);
	bo->quota = NULL;
	bo->charged = 0;
}
