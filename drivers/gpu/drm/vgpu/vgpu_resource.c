// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: host resources backed by guest pages.
 */
#include <linux/delay.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Resource lifetime
 *
 * A resource id comes from an IDA and goes back to it after the host has
 * answered RESOURCE_UNREF, or, for a resource whose guest pages the host
 * was never given (a 3D resource only the host touched), as soon as the
 * unref is queued: a new resource with that id is created behind the
 * unref on the same ordered queue, so the host never sees the id twice.
 * Such a resource and its buffer are freed at once; nothing waits for
 * the answer but the count of host errors. The RESOURCE_UNREF is
 * allocated when the resource is created, so a release cannot fail. The
 * last reference queues it at once and kicks, without waiting; only a
 * paused queue (a reset) or a full ring hands it to a work item that
 * tries again. The backing pages stay pinned (one GEM reference) until
 * the host's answer: the host may read them for any transfer queued
 * before. The answers' interrupt puts the resources on a list that one
 * run of a work item frees, however many came in. If the device is gone,
 * the release completes at once.
 *
 * A resource's creation and its backing (RESOURCE_ATTACH_BACKING, or the
 * memory entries of a blob's create) go out as one batch with one
 * notification. A 3D resource (RESOURCE_CREATE with virgl) is the
 * exception: it is made without pages, which are pinned and attached
 * only before the first command that may use them, a transfer or a
 * submission that lists the buffer (vgpu_bo_res_back()). Render targets,
 * depth buffers and other resources only the host touches never cost the
 * guest their memory, and their creation and release are a handful of
 * commands. The memory entries are DMA addresses when the device goes
 * through the platform's DMA translation (VIRTIO_F_ACCESS_PLATFORM), and
 * guest physical addresses otherwise (the virtio DMA quirk). Long entry
 * lists come from kvzalloc() and are sent as a scatterlist, so a large
 * buffer needs no high-order allocation.
 */

/**
 * DOC: Restore after a reset
 *
 * Every resource the host holds is on &vgpu_device.res.list (under its
 * ``lock``) from the queueing of its creation to the queueing of its
 * unref, with what it was made of: the 2D format and size, the 3D
 * description, the blob flags and size, and the guest pages.
 * vgpu_res_restore() queues its creation again after a reset.
 * vgpu_hres_queue_create() records the transport epoch its creation went
 * to, and vgpu_hres_track() lists it: a creation queued before a reset
 * whose walk is over is made again at once; a creation that waited for
 * the reset and went to the new device is not (the host would refuse the
 * second with ERR_INVALID_RESOURCE_ID). A release queues its unmap and
 * unref without waiting, under the list's lock and with the resource
 * still listed, retrying every 5 ms while the queues are paused or full:
 * a reset in between makes the resource again, so the unref reaches a
 * host that knows it.
 */

/**
 * DOC: Resource kinds
 *
 * A resource's &enum vgpu_hres_kind says how it is made and where its
 * content is: 2D (the guest's pages, sent with transfers), 3D (rendered on
 * the host), and the three blobs (guest pages shared by address, a host
 * context's memory, or a host context's resource on guest pages).
 * vgpu_hres_build() is the one place that knows each kind's command
 * sequence: the create, the backing of a 2D or 3D resource, and after a
 * reset a 2D resource's content. A framebuffer's resource, a buffer's own
 * resource, a blob and the restore after a reset or a resume all take
 * their commands from it; they differ only in how they are sent
 * (waited for, or queued for the caller's kick).
 */

/* Largest id handed out; keeps ids positive in any signed view. */
#define VGPU_RES_ID_MAX	(INT_MAX - 1)

static void vgpu_hres_work(struct work_struct *work);

static void vgpu_hres_free(struct vgpu_hres *hres);

/*
 * Answered or flushed by teardown: either way the host is done. The
 * answers of a batch are freed by one run of the free work, queued by the
 * first of them.
 */
static void vgpu_hres_unref_done(struct vgpu_buf *buf)
{
	struct vgpu_hres *hres = buf->priv;
	struct vgpu_device *vg = hres->vg;

	if (llist_add(&hres->answered, &vg->res.answered))
		queue_work(vg->res.wq, &vg->res.free_work);
}

/**
 * vgpu_res_free_work - free the resources whose unref the host answered
 * @work: &vgpu_resources.free_work
 */
void vgpu_res_free_work(struct work_struct *work)
{
	struct vgpu_device *vg = container_of(work, struct vgpu_device,
					      res.free_work);
	struct llist_node *list = llist_reverse_order(llist_del_all(&vg->res.answered));
	struct vgpu_hres *hres, *next;

	llist_for_each_entry_safe(hres, next, list, answered)
		vgpu_hres_free(hres);
}

/* Give back a blob's range of the host-visible region and its commands. */
static void vgpu_hres_put_blob(struct vgpu_hres *hres)
{
	struct vgpu_device *vg = hres->vg;

	if (drm_mm_node_allocated(&hres->map_node)) {
		mutex_lock(&vg->hostmem.lock);
		vg->hostmem.used -= hres->map_node.size;
		drm_mm_remove_node(&hres->map_node);
		if (hres->map_releasing)
			atomic_dec(&vg->hostmem.releasing);
		WRITE_ONCE(vg->hostmem.freed, vg->hostmem.freed + 1);
		mutex_unlock(&vg->hostmem.lock);
		wake_up_all(&vg->hostmem.wq);
	}
	vgpu_buf_put(hres->map);
	vgpu_buf_put(hres->unmap);
	vgpu_buf_put(hres->uuid_cmd);
}

static void vgpu_hres_free(struct vgpu_hres *hres)
{
	struct vgpu_device *vg = hres->vg;

	/* The host answered the unmap before the unref. */
	vgpu_hres_put_blob(hres);
	if (hres->backing)
		drm_gem_object_put(hres->backing);
	if (hres->owner)
		hres->owner_free(hres->owner);
	ida_free(&vg->res.ida, hres->id);
	vgpu_buf_put(hres->unref);
	atomic_dec(&vg->res.live);
	kfree(hres);
}

/* A paused queue (a reset) or a full ring: how soon the release tries again. */
#define VGPU_RELEASE_RETRY_MS	5

/*
 * Nothing of the guest's is the host's to read until the unref's answer:
 * a 3D resource never given its pages (and not made over after a failed
 * create, which keeps them in @backing). Under &vgpu_device.res.lock,
 * which covers &vgpu_hres.backed.
 */
static bool vgpu_hres_unread(struct vgpu_hres *hres)
{
	lockdep_assert_held(&hres->vg->res.lock);
	return hres->kind == VGPU_HRES_3D && !hres->backed && !hres->backing;
}

/*
 * Queue the unmap (if any) and the unref without waiting, under res_lock:
 * a reset pauses the queues before it makes the listed resources again
 * (under res_lock), so the host a release reaches always knows the
 * resource. The resource leaves the reset's list just before its unref
 * is queued (once queued, its answer may free it at any moment, on
 * another CPU), and goes back on it (if it was there) when the unref
 * could not be queued: a reset then makes it again, and the release tries
 * later. A resource the host reads nothing of (vgpu_hres_unread()) is
 * not waited for: its unref's answer only counts an error, and *@free_now
 * tells the caller to free it at once. Its id may then be given to a new
 * resource at once: that resource's create is queued behind the unref on
 * the same ordered queue. Return: 0 when the unref is queued (@hres must
 * not be touched any more unless *@free_now), else the error.
 */
static int vgpu_hres_queue_release(struct vgpu_device *vg,
				   struct vgpu_hres *hres, bool *free_now)
{
	int ret = 0;

	*free_now = false;
	mutex_lock(&vg->res.lock);
	if (hres->unmap) {
		/* Only a mapping the host made (and kept) is undone. */
		vgpu_cmd_count_errors(vg, hres->unmap);
		if (READ_ONCE(hres->map_state) >= 0 && !hres->lost)
			ret = vgpu_vq_queue(&vg->ctrlq, hres->unmap, 0);
		if (!ret) {
			vgpu_buf_put(hres->unmap);
			hres->unmap = NULL;
		}
	}
	if (!ret) {
		bool listed = !list_empty(&hres->link);
		bool unread = vgpu_hres_unread(hres);

		list_del_init(&hres->link);
		if (unread)
			vgpu_cmd_count_errors(vg, hres->unref);
		ret = vgpu_vq_queue(&vg->ctrlq, hres->unref, 0);
		if (ret && unread) {
			hres->unref->on_done = vgpu_hres_unref_done;
			hres->unref->priv = hres;
		}
		if (ret && ret != -ENODEV && listed)
			list_add_tail(&hres->link, &vg->res.list);
		*free_now = !ret && unread;
	} else if (ret == -ENODEV) {
		list_del_init(&hres->link);
	}
	mutex_unlock(&vg->res.lock);
	return ret;
}

static void vgpu_hres_work(struct work_struct *work)
{
	struct vgpu_hres *hres = container_of(to_delayed_work(work),
					      struct vgpu_hres, work);
	struct vgpu_device *vg = hres->vg;
	unsigned long deadline = jiffies + vg->cmd_timeout;
	bool free_now;
	int ret;

	/* Paused for a reset, or the ring full: try again for a while. */
	while ((ret = vgpu_hres_queue_release(vg, hres, &free_now)) == -ETIMEDOUT &&
	       time_before(jiffies, deadline)) {
		vgpu_vq_kick(&vg->ctrlq);
		msleep(VGPU_RELEASE_RETRY_MS);
	}
	if (!ret) {
		vgpu_vq_kick(&vg->ctrlq);
		if (free_now)
			vgpu_hres_free(hres);
		return;
	}
	if (ret == -ENODEV) {
		/* The device is gone: nothing on the host to wait for. */
		vgpu_hres_free(hres);
		return;
	}
	/* Not queued for a whole timeout: try again later, keep the pages. */
	drm_err_ratelimited(vg->drm, "resource %u: release not queued (%d), retrying\n",
			    hres->id, ret);
	queue_delayed_work(vg->res.wq, &hres->work, vg->cmd_timeout);
}

/*
 * Queue the unmap (if mapped) and the unref; free once answered, or at
 * once when the host reads nothing of it. Queued at once when the queue
 * takes them without waiting; a paused queue (a reset) or a full ring
 * leaves them to the work item, which tries again.
 */
static void vgpu_hres_release(struct vgpu_hres *hres)
{
	struct vgpu_device *vg = hres->vg;
	bool free_now;
	int ret;

	/* Nothing else touches the node now: its range is on its way back. */
	if (drm_mm_node_allocated(&hres->map_node)) {
		hres->map_releasing = true;
		atomic_inc(&vg->hostmem.releasing);
	}
	ret = vgpu_hres_queue_release(vg, hres, &free_now);
	if (!ret) {
		vgpu_vq_kick(&vg->ctrlq);
		if (free_now)
			vgpu_hres_free(hres);
	} else if (ret == -ENODEV) {
		/* The device is gone: nothing on the host to wait for. */
		vgpu_hres_free(hres);
	} else {
		queue_delayed_work(vg->res.wq, &hres->work, 0);
	}
}

static void vgpu_hres_last_put(struct kref *ref)
{
	vgpu_hres_release(container_of(ref, struct vgpu_hres, ref));
}

/* Called with the cache's lock held; drops it. */
static void vgpu_hres_last_put_cached(struct kref *ref)
{
	struct vgpu_hres *hres = container_of(ref, struct vgpu_hres, ref);
	struct vgpu_bo *bo = hres->cache;

	if (bo->hres == hres)
		bo->hres = NULL;
	mutex_unlock(&bo->lock);
	vgpu_hres_release(hres);
}

/**
 * vgpu_hres_put - drop a reference to a host resource
 * @hres: resource, may be NULL
 *
 * Never fails and never waits for the device: after the last reference
 * the unref is queued (from a work item when the queue is paused or full),
 * and the id and the backing are freed once the host has answered (at
 * once when the host was given nothing of the guest's to read).
 *
 * Context: process; takes &vgpu_device.res.lock after the last reference.
 */
void vgpu_hres_put(struct vgpu_hres *hres)
{
	if (!hres)
		return;
	might_sleep();
	if (hres->cache)
		kref_put_mutex(&hres->ref, vgpu_hres_last_put_cached,
			       &hres->cache->lock);
	else
		kref_put(&hres->ref, vgpu_hres_last_put);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_hres_put);

static struct vgpu_buf *vgpu_attach_buf(struct vgpu_device *vg, u32 res_id,
					struct sg_table *sgt)
{
	struct vgpu_buf *buf;
	u32 n;

	buf = vgpu_cmd_mem_entries(vg, sgt,
				   sizeof(struct virtio_gpu_resource_attach_backing),
				   &n);
	if (buf)
		vgpu_proto_attach_backing(buf->req, res_id, n);
	return buf;
}

/* RESOURCE_CREATE_BLOB of @hres, listing the pages of @sgt (if any). */
static struct vgpu_buf *vgpu_hres_blob_cmd(struct vgpu_device *vg,
					   struct vgpu_hres *hres,
					   struct sg_table *sgt)
{
	struct vgpu_blob_desc d = {
		.res_id = hres->id, .ctx_id = hres->ctx_id,
		.blob_mem = vgpu_hres_blob_mem(hres), .blob_flags = hres->blob_flags,
		.blob_id = hres->blob_id, .size = hres->blob_size,
	};
	struct vgpu_buf *buf;

	if (sgt)
		buf = vgpu_cmd_mem_entries(vg, sgt,
					   sizeof(struct virtio_gpu_resource_create_blob),
					   &d.nr_entries);
	else
		buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_create_blob));
	if (buf)
		vgpu_proto_resource_create_blob(buf->req, &d);
	return buf;
}

/**
 * vgpu_hres_build - the commands that make a resource on the host
 * @vg: device
 * @hres: resource with its kind and description set
 * @sgt: its guest pages, mapped for the device (NULL for a host blob)
 * @content: also send the guest's content of a 2D resource (after a
 *	     reset: the new device has none)
 * @bufs: set to the commands, in the order they must go
 *
 * The one place that knows each kind's sequence: the create (a blob lists
 * its pages in it), the backing of a 2D resource and of a 3D resource that
 * has it (&vgpu_hres.backed), and with @content a 2D resource's pages sent
 * again. Creation and the restore after a reset or a resume both use it.
 *
 * Return: how many commands (at most %VGPU_HRES_MAX_CMDS), or -ENOMEM
 * (none is left).
 */
int vgpu_hres_build(struct vgpu_device *vg, struct vgpu_hres *hres,
		    struct sg_table *sgt, bool content,
		    struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS])
{
	struct vgpu_rect all = { .width = hres->width, .height = hres->height };
	unsigned int n = 0;

	switch (hres->kind) {
	case VGPU_HRES_2D:
		bufs[n] = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_create_2d));
		if (!bufs[n])
			goto nomem;
		vgpu_proto_resource_create_2d(bufs[n++]->req, hres->id,
					      hres->format, hres->width,
					      hres->height);
		break;
	case VGPU_HRES_3D:
		bufs[n] = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_create_3d));
		if (!bufs[n])
			goto nomem;
		vgpu_proto_resource_create_3d(bufs[n++]->req, &hres->desc3d);
		break;
	default:
		bufs[n] = vgpu_hres_blob_cmd(vg, hres, sgt);
		return bufs[n] ? 1 : -ENOMEM;
	}
	if (!hres->backed)
		return n;
	bufs[n] = vgpu_attach_buf(vg, hres->id, sgt);
	if (!bufs[n])
		goto nomem;
	n++;
	if (content && hres->kind == VGPU_HRES_2D &&
	    (u64)hres->width * hres->height * VGPU_PROTO_CPP <=
	    hres->shmem->base.size) {
		bufs[n] = vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_to_host_2d));
		if (!bufs[n])
			goto nomem;
		vgpu_proto_transfer_to_host_2d(bufs[n++]->req, hres->id, 0, &all);
	}
	return n;

nomem:
	while (n)
		vgpu_buf_put(bufs[--n]);
	return -ENOMEM;
}

/*
 * Queue what makes @hres again on a device that lost it in a reset.
 * Resources of host memory cannot be made again: they are marked lost.
 */
static int vgpu_hres_recreate(struct vgpu_device *vg, struct vgpu_hres *hres)
{
	struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS];
	int i, n, ret = 0;

	lockdep_assert_held(&vg->res.lock);
	if (!hres->shmem || hres->kind == VGPU_HRES_BLOB_HOST ||
	    hres->kind == VGPU_HRES_BLOB_HOST_GUEST) {
		hres->lost = true;
		return 0;
	}
	/*
	 * Pinned since the creation, which made the table: read it without
	 * the reservation lock (drm_gem_shmem_get_pages_sgt() takes it on
	 * newer kernels), which a submitter waiting for this reset may hold.
	 */
	if (drm_WARN_ON(vg->drm, hres->backed && !hres->shmem->sgt))
		return -EINVAL;
	n = vgpu_hres_build(vg, hres, hres->shmem->sgt, true, bufs);
	for (i = 0; i < n; i++) {
		if (ret)
			vgpu_buf_put(bufs[i]);
		else
			ret = vgpu_cmd_async(vg, &vg->ctrlq, bufs[i]);
	}
	return n < 0 ? n : ret;
}

/* Make @hres again; a failure is counted and logged. Return: 1 if made. */
static unsigned int vgpu_hres_restore_one(struct vgpu_device *vg,
					  struct vgpu_hres *hres)
{
	int ret;

	hres->epoch = vgpu_vq_epoch(&vg->ctrlq);
	ret = vgpu_hres_recreate(vg, hres);

	if (ret) {
		atomic_inc(&vg->recovery.restore_errors);
		drm_err_ratelimited(vg->drm, "resource %u not made again after the reset: %d\n",
				    hres->id, ret);
		return 0;
	}
	return !hres->lost;
}

/**
 * vgpu_hres_track - the creation of a resource is on the ring
 * @vg: device
 * @hres: resource; &vgpu_hres.epoch says which virtqueue its creation
 *	  went to
 *
 * From now on a reset makes the resource again. A creation that went to a
 * virtqueue a reset has replaced since was lost with the old device: if
 * that reset has already made the others again, this one is made again
 * now; if its walk is still to come, the walk makes it. A creation that
 * went to the current virtqueue (it waited for a reset to end) is not
 * repeated: the host would refuse the second with ERR_INVALID_RESOURCE_ID.
 *
 * Making it again here may wait for ring space or for the queue's pause
 * to end with &vgpu_device.res.lock held. A reset that has made the others
 * again no longer needs the lock; only a further reset, paused but not yet
 * started, waits for it, and that wait is bounded (the creation then
 * fails and the further reset makes the resource).
 */
void vgpu_hres_track(struct vgpu_device *vg, struct vgpu_hres *hres)
{
	mutex_lock(&vg->res.lock);
	list_add_tail(&hres->link, &vg->res.list);
	if (hres->epoch != vgpu_vq_epoch(&vg->ctrlq) &&
	    vg->recovery.restored_gen == vg->recovery.reset_gen) {
		vgpu_hres_restore_one(vg, hres);
		vgpu_vq_kick(&vg->ctrlq);
	}
	mutex_unlock(&vg->res.lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_hres_track);

/**
 * vgpu_res_restore - make every resource again after a reset
 * @vg: device, freshly reset, its queues paused for everyone but the caller
 *
 * Everything is queued and notified at once; answers are not waited for
 * (what comes after on the queue runs after them). Host blobs are marked
 * lost.
 *
 * Return: resources made again; failures are counted in
 * &vgpu_device.recovery.restore_errors.
 */
unsigned int vgpu_res_restore(struct vgpu_device *vg)
{
	struct vgpu_hres *hres;
	unsigned int n = 0;

	mutex_lock(&vg->res.lock);
	list_for_each_entry(hres, &vg->res.list, link)
		n += vgpu_hres_restore_one(vg, hres);
	vg->recovery.restored_gen = vg->recovery.reset_gen;
	vgpu_vq_kick(&vg->ctrlq);
	mutex_unlock(&vg->res.lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_res_restore);

/**
 * vgpu_res_unmap_host_blobs - ask the host to unmap every mapped host blob
 * @vg: device
 *
 * Before a reset or suspend of a device that still answers: QEMU 10 aborts
 * at the first MAP_BLOB after a reset that found a blob still mapped in
 * the host-visible region ("attempt to add duplicate property
 * 'blob[N]'"). Such blobs are lost in the reset anyway: they are marked
 * lost now, so their release sends no second unmap, and their ranges of
 * the region stay taken until then (a mapping userspace still has never
 * shows another blob). The caller kicks and waits.
 *
 * Return: how many unmaps were queued.
 */
unsigned int vgpu_res_unmap_host_blobs(struct vgpu_device *vg)
{
	struct vgpu_hres *hres;
	struct vgpu_buf *buf;
	unsigned int n = 0;

	mutex_lock(&vg->res.lock);
	list_for_each_entry(hres, &vg->res.list, link) {
		/* Pairs with the release in vgpu_blob_map_done(). */
		int state = smp_load_acquire(&hres->map_state);

		if (!hres->unmap || hres->lost || state != 1)
			continue;
		buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_unmap_blob));
		if (!buf)
			break;
		vgpu_proto_resource_unmap_blob(buf->req, 0, hres->id);
		if (vgpu_cmd_async(vg, &vg->ctrlq, buf))
			break;
		hres->lost = true;
		n++;
	}
	mutex_unlock(&vg->res.lock);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_res_unmap_host_blobs);

/**
 * vgpu_res_reset_begin - a reset starts: creations from now on are newer
 * @vg: device
 */
void vgpu_res_reset_begin(struct vgpu_device *vg)
{
	mutex_lock(&vg->res.lock);
	WRITE_ONCE(vg->recovery.reset_gen, vg->recovery.reset_gen + 1);
	mutex_unlock(&vg->res.lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_res_reset_begin);

/**
 * vgpu_hres_alloc - a new resource id and its preallocated unref
 * @vg: device
 *
 * Return: the resource (one reference), or an ERR_PTR.
 */
struct vgpu_hres *vgpu_hres_alloc(struct vgpu_device *vg)
{
	struct vgpu_hres *hres;
	int id;

	hres = kzalloc(sizeof(*hres), GFP_KERNEL);
	if (!hres)
		return ERR_PTR(-ENOMEM);
	hres->unref = vgpu_buf_alloc(sizeof(struct virtio_gpu_resource_unref),
				     sizeof(struct virtio_gpu_ctrl_hdr),
				     GFP_KERNEL);
	if (!hres->unref) {
		kfree(hres);
		return ERR_PTR(-ENOMEM);
	}
	id = ida_alloc_range(&vg->res.ida, 1, VGPU_RES_ID_MAX, GFP_KERNEL);
	if (id < 0) {
		vgpu_buf_put(hres->unref);
		kfree(hres);
		return ERR_PTR(id);
	}
	hres->vg = vg;
	kref_init(&hres->ref);
	hres->id = id;
	INIT_LIST_HEAD(&hres->link);
	INIT_DELAYED_WORK(&hres->work, vgpu_hres_work);
	vgpu_proto_resource_unref(hres->unref->req, id);
	hres->unref->on_done = vgpu_hres_unref_done;
	hres->unref->priv = hres;
	atomic_inc(&vg->res.live);
	return hres;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_hres_alloc);

/**
 * vgpu_hres_queue_create - queue what makes a resource, then track it
 * @vg: device
 * @hres: resource from vgpu_hres_alloc()
 * @bufs: its creation command and what must follow it (the backing), in
 *	  order; consumed
 * @n: number of commands
 *
 * Queued without a kick and not waited for: an error answer is counted in
 * &vgpu_device.host_errors.count. &vgpu_hres.epoch records the virtqueue the
 * creation went to (vgpu_hres_track() decides by it). From the first
 * command on the ring the host may know the resource: on failure the
 * caller releases it, never discards it.
 *
 * Return: 0, or the transport's error (the rest is not queued).
 */
int vgpu_hres_queue_create(struct vgpu_device *vg, struct vgpu_hres *hres,
			   struct vgpu_buf **bufs, unsigned int n)
{
	unsigned int i;
	int ret;

	vgpu_buf_get(bufs[0]);
	ret = vgpu_cmd_async(vg, &vg->ctrlq, bufs[0]);
	/* Written under the queue's lock before it returned. */
	hres->epoch = bufs[0]->epoch;
	vgpu_buf_put(bufs[0]);
	for (i = 1; i < n; i++) {
		if (ret)
			vgpu_buf_put(bufs[i]);
		else
			ret = vgpu_cmd_async(vg, &vg->ctrlq, bufs[i]);
	}
	if (!ret)
		vgpu_hres_track(vg, hres);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_hres_queue_create);

/**
 * vgpu_hres_discard - free a resource the host never heard of
 * @hres: resource from vgpu_hres_alloc(), nothing sent for it
 */
void vgpu_hres_discard(struct vgpu_hres *hres)
{
	struct vgpu_device *vg = hres->vg;

	vgpu_hres_put_blob(hres);
	vgpu_buf_put(hres->unref);
	ida_free(&vg->res.ida, hres->id);
	atomic_dec(&vg->res.live);
	kfree(hres);
}

/*
 * Build @hres's commands on @shmem's pages (pinned from now on). Return:
 * their number, or an errno with @hres discarded.
 */
static int vgpu_hres_build_on(struct vgpu_device *vg, struct vgpu_hres *hres,
			      struct drm_gem_shmem_object *shmem,
			      struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS])
{
	struct sg_table *sgt = NULL;
	int n;

	might_sleep();
	/* A 3D resource gets its pages at their first use. */
	hres->backed = hres->kind != VGPU_HRES_3D;
	if (hres->backed)
		sgt = vgpu_bo_sgt(to_vgpu_bo(&shmem->base));
	n = IS_ERR(sgt) ? PTR_ERR(sgt) : vgpu_hres_build(vg, hres, sgt, false, bufs);
	if (n < 0)
		vgpu_hres_discard(hres);
	else
		hres->shmem = shmem;
	return n;
}

/* Sending failed: the host may hold @hres and read its pages until the unref. */
static void vgpu_hres_failed(struct vgpu_device *vg, struct vgpu_hres *hres,
			     int ret)
{
	drm_dbg_driver(vg->drm, "resource %u: create failed %d\n", hres->id, ret);
	drm_gem_object_get(&hres->shmem->base);
	hres->backing = &hres->shmem->base;
	vgpu_hres_release(hres);
}

/*
 * Make @hres on @shmem's pages and wait (bounded, interruptibly) for every
 * answer. On failure the resource is released.
 */
static int vgpu_hres_create_wait(struct vgpu_device *vg, struct vgpu_hres *hres,
				 struct drm_gem_shmem_object *shmem)
{
	struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS];
	int i, n, ret;

	n = vgpu_hres_build_on(vg, hres, shmem, bufs);
	if (n < 0)
		return n;
	ret = vgpu_vq_submit(&vg->ctrlq, bufs, n, vg->cmd_timeout);
	if (!ret) {
		hres->epoch = bufs[0]->epoch;
		vgpu_hres_track(vg, hres);
	}
	for (i = 0; i < n; i++) {
		int err = vgpu_buf_wait(bufs[i], vg->cmd_timeout);

		if (!err)
			err = vgpu_proto_resp_check(bufs[i]->resp, bufs[i]->used_len,
						    VIRTIO_GPU_RESP_OK_NODATA,
						    sizeof(struct virtio_gpu_ctrl_hdr));
		if (err && !ret)
			ret = err;
		vgpu_buf_put(bufs[i]);
	}
	if (ret)
		vgpu_hres_failed(vg, hres, ret);
	return ret;
}

/*
 * Queue what makes @hres on @shmem's pages, without a kick and without
 * waiting: an error answer is counted in &vgpu_device.host_errors.count. On
 * failure the resource is released.
 */
static int vgpu_hres_create_async(struct vgpu_device *vg,
				  struct vgpu_hres *hres,
				  struct drm_gem_shmem_object *shmem)
{
	struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS];
	int n, ret;

	n = vgpu_hres_build_on(vg, hres, shmem, bufs);
	if (n < 0)
		return n;
	ret = vgpu_hres_queue_create(vg, hres, bufs, n);
	if (ret)
		vgpu_hres_failed(vg, hres, ret);
	return ret;
}

/*
 * vgpu_hres_create_2d - create a 2D resource on the pages of a shmem object
 * @vg: device
 * @shmem: backing; pinned, and referenced until the resource is released
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: width in pixels
 * @height: height in pixels
 *
 * RESOURCE_CREATE_2D and RESOURCE_ATTACH_BACKING go out as one batch with
 * one notification; the wait for the answers is bounded and interruptible.
 *
 * Return: the resource, or an ERR_PTR: -ENOMEM, a transport error, or the
 * host's error answer. Nothing is left behind on failure.
 */
static struct vgpu_hres *vgpu_hres_create_2d(struct vgpu_device *vg,
					     struct drm_gem_shmem_object *shmem,
					     u32 format, u32 width, u32 height)
{
	struct vgpu_hres *hres;
	int ret;

	hres = vgpu_hres_alloc(vg);
	if (IS_ERR(hres))
		return hres;
	hres->kind = VGPU_HRES_2D;
	hres->format = format;
	hres->width = width;
	hres->height = height;
	ret = vgpu_hres_create_wait(vg, hres, shmem);
	if (ret)
		return ERR_PTR(ret);
	drm_gem_object_get(&shmem->base);
	hres->backing = &shmem->base;
	drm_dbg_driver(vg->drm, "resource %u: %ux%u format %u, %zu bytes backing\n",
		       hres->id, width, height, format, shmem->base.size);
	return hres;
}

/**
 * vgpu_bo_res_create - give a new buffer its own host resource
 * @vg: device
 * @bo: buffer, not yet visible to userspace
 * @d: the resource (@d->res_id is ignored)
 * @kind: %VGPU_HRES_3D (RESOURCE_CREATE_3D of @d) or %VGPU_HRES_2D
 *	  (RESOURCE_CREATE_2D of @d->format, @d->width and @d->height)
 *
 * The create and the backing are queued, not waited for and not kicked:
 * the caller kicks once the handle exists. An error answer from the host
 * is counted in &vgpu_device.host_errors.count; later commands on the resource
 * then fail on the host, and their fences carry the error.
 *
 * Return: 0, or -ENOMEM or a transport error (nothing is left behind).
 */
int vgpu_bo_res_create(struct vgpu_device *vg, struct vgpu_bo *bo,
		       const struct vgpu_res3d_desc *d,
		       enum vgpu_hres_kind kind)
{
	struct vgpu_hres *hres;
	int ret;

	if (drm_WARN_ON(vg->drm, kind != VGPU_HRES_2D && kind != VGPU_HRES_3D))
		return -EINVAL;
	hres = vgpu_hres_alloc(vg);
	if (IS_ERR(hres))
		return PTR_ERR(hres);
	hres->kind = kind;
	hres->format = d->format;
	hres->width = d->width;
	hres->height = d->height;
	hres->last_level = d->last_level;
	hres->desc3d = *d;
	hres->desc3d.res_id = hres->id;
	ret = vgpu_hres_create_async(vg, hres, &bo->base);
	if (ret)
		return ret;
	bo->res = hres;
	drm_dbg_driver(vg->drm, "resource %u: %s %ux%ux%u format %u bind 0x%x, %zu bytes\n",
		       hres->id, kind == VGPU_HRES_3D ? "3D" : "2D", d->width,
		       d->height, d->depth, d->format, d->bind, bo->base.base.size);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_bo_res_create);

/**
 * vgpu_bo_res_release - the buffer is freed: release its resource
 * @bo: buffer whose GEM reference count reached zero, with @bo->res
 * @free: what frees the buffer's memory (its GEM code's)
 *
 * @free runs once the host has answered the unref, after every command
 * queued before it, or at once when the resource never had the buffer's
 * pages (see "Resource lifetime").
 */
void vgpu_bo_res_release(struct vgpu_bo *bo, void (*free)(struct vgpu_bo *bo))
{
	struct vgpu_hres *hres = bo->res;

	hres->owner_free = free;
	hres->owner = bo;
	vgpu_hres_put(hres);
}

/*
 * The attach of vgpu_bo_res_back() is on the ring: mark the resource
 * backed for the resets to come. If the attach went to a device that a
 * reset has replaced, and that reset's restore (which saw no backing) is
 * over, the new device gets the backing now.
 */
static int vgpu_hres_backed(struct vgpu_device *vg, struct vgpu_hres *hres,
			    u32 epoch)
{
	struct vgpu_buf *buf;
	int ret = 0;

	mutex_lock(&vg->res.lock);
	hres->backed = true;
	if (epoch != vgpu_vq_epoch(&vg->ctrlq) &&
	    vg->recovery.restored_gen == vg->recovery.reset_gen) {
		buf = vgpu_attach_buf(vg, hres->id, hres->shmem->sgt);
		ret = buf ? vgpu_cmd_async(vg, &vg->ctrlq, buf) : -ENOMEM;
	}
	mutex_unlock(&vg->res.lock);
	return ret;
}

/**
 * vgpu_bo_file - give a buffer its shmem file before its pages are used
 * @bo: buffer with guest memory (own or imported)
 *
 * A buffer is made without the shmem file its pages come from (see "Buffer
 * memory" in vgpu_gem.c); every path to the pages calls this first. Two
 * callers racing both make a file and one keeps it.
 *
 * Context: process.
 *
 * Return: 0 or a negative errno.
 */
int vgpu_bo_file(struct vgpu_bo *bo)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct file *filp;

	/* Pairs with the cmpxchg_release() below: the file is seen whole. */
	if (smp_load_acquire(&obj->filp) || obj->import_attach)
		return 0;
	filp = vgpu_shmem_file(obj->size);
	if (IS_ERR(filp)) {
		drm_dbg_driver(obj->dev, "no shmem file for %zu bytes: %ld\n",
			       obj->size, PTR_ERR(filp));
		return PTR_ERR(filp);
	}
	/*
	 * Published whole (its mapping's gfp mask set); the loser of a race
	 * drops its own. Helpers read the pointer bare after this returned.
	 */
	if (cmpxchg_release(&obj->filp, NULL, filp))
		fput(filp);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_bo_file);

/**
 * vgpu_bo_sgt - a buffer's pages, pinned, as a scatter table
 * @bo: buffer with guest memory
 *
 * drm_gem_shmem_get_pages_sgt() once the buffer has its file.
 *
 * Context: process; takes the buffer's reservation.
 *
 * Return: the table, owned by the buffer, or an ERR_PTR.
 */
struct sg_table *vgpu_bo_sgt(struct vgpu_bo *bo)
{
	int ret = vgpu_bo_file(bo);

	return ret ? ERR_PTR(ret) : drm_gem_shmem_get_pages_sgt(&bo->base);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_bo_sgt);

/**
 * vgpu_bo_res_back - give the host a 3D resource's pages before their use
 * @vg: device
 * @bo: buffer, maybe with a resource of its own
 *
 * A 3D resource is made without guest pages: what the host renders and
 * reads itself (render targets, depth buffers, textures filled on the
 * host) never needs them, and pinning them costs the guest memory and
 * time. A transfer, or a submission that lists the buffer (a stream may
 * copy through its pages), calls this first: the pages are pinned and
 * RESOURCE_ATTACH_BACKING is queued ahead of the caller's command, which
 * kicks. Nothing to do for other buffers, or once done.
 *
 * Context: process, before the buffers' reservations are taken.
 *
 * Return: 0, -ERESTARTSYS, -ENOMEM, or the transport's error.
 */
int vgpu_bo_res_back(struct vgpu_device *vg, struct vgpu_bo *bo)
{
	struct vgpu_hres *hres = bo->res;
	struct sg_table *sgt;
	struct vgpu_buf *buf;
	u32 epoch;
	int ret;

	if (!hres || hres->kind != VGPU_HRES_3D || READ_ONCE(hres->backed))
		return 0;
	ret = mutex_lock_interruptible(&bo->lock);
	if (ret)
		return ret;
	if (hres->backed)
		goto unlock;
	sgt = vgpu_bo_sgt(bo);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto unlock;
	}
	buf = vgpu_attach_buf(vg, hres->id, sgt);
	if (!buf) {
		ret = -ENOMEM;
		goto unlock;
	}
	vgpu_buf_get(buf);
	ret = vgpu_cmd_async(vg, &vg->ctrlq, buf);
	/* Written under the queue's lock before it returned. */
	epoch = buf->epoch;
	vgpu_buf_put(buf);
	if (!ret)
		ret = vgpu_hres_backed(vg, hres, epoch);
	drm_dbg_driver(vg->drm, "resource %u: backing attached at first use (%d)\n",
		       hres->id, ret);
unlock:
	mutex_unlock(&bo->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_bo_res_back);

/**
 * vgpu_hres_get_2d - the buffer's 2D resource of this format and size
 * @vg: device
 * @bo: buffer
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: width in pixels
 * @height: height in pixels
 *
 * Shares the resource made last on @bo when it matches, else makes one.
 *
 * Return: a reference to the resource, or an ERR_PTR as for
 * vgpu_hres_create_2d().
 */
struct vgpu_hres *vgpu_hres_get_2d(struct vgpu_device *vg, struct vgpu_bo *bo,
				   u32 format, u32 width, u32 height)
{
	struct vgpu_hres *hres;

	mutex_lock(&bo->lock);
	hres = bo->hres;
	if (hres && hres->format == format && hres->width == width &&
	    hres->height == height) {
		kref_get(&hres->ref);
	} else {
		hres = vgpu_hres_create_2d(vg, &bo->base, format, width, height);
		if (!IS_ERR(hres)) {
			hres->cache = bo;
			bo->hres = hres;
		}
	}
	mutex_unlock(&bo->lock);
	return hres;
}

/**
 * vgpu_res_print - the resources' section of debugfs vgpu_info
 * @m: the file
 * @vg: device
 */
void vgpu_res_print(struct seq_file *m, struct vgpu_device *vg)
{
	seq_printf(m, "resources_live: %d\n", atomic_read(&vg->res.live));
	seq_printf(m, "mem_held: %lld\n", (long long)atomic64_read(&vg->res.held));
}
