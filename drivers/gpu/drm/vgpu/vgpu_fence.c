// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu fences feature: dma_fence timelines from the host's fence answers.
 *
 * Each (file, ring) is a timeline: a dma_fence context of its own with its
 * own sequence numbers and its own list of pending fences
 * (&struct vgpu_timelines). A fenced command carries a device-unique wire
 * id; the host answers it when the fence has passed. That answer signals
 * the command's fence and every earlier fence of its timeline, in one pass
 * from the head of the timeline's list, so an answer that is lost or comes
 * out of order cannot wedge a timeline. An error answer sets the error on
 * the command's fence; a device that goes away signals everything with
 * -ENODEV. Signalling happens in the answer's interrupt, never behind a
 * workqueue.
 *
 * &vgpu_device.fences.lock covers the timelines' pending lists and the
 * counters. Each fence has a lock of its own (a sync file may outlive the
 * device), taken inside &vgpu_device.fences.lock when signalling.
 */
#include <linux/dma-fence.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

static const char *vgpu_fence_driver_name(struct dma_fence *f)
{
	return VGPU_DRIVER_NAME;
}

static const char *vgpu_fence_timeline_name(struct dma_fence *f)
{
	return "vgpu-ring";
}

static const struct dma_fence_ops vgpu_fence_ops = {
	.get_driver_name = vgpu_fence_driver_name,
	.get_timeline_name = vgpu_fence_timeline_name,
};

/**
 * vgpu_fence_init_device - the device's fence state
 * @vg: device
 */
void vgpu_fence_init_device(struct vgpu_device *vg)
{
	spin_lock_init(&vg->fences.lock);
	vg->fences.next_id = 1;
}

/**
 * vgpu_timelines_new - the fence timelines of a new file's rings
 *
 * Return: the timelines (one reference), or NULL.
 */
struct vgpu_timelines *vgpu_timelines_new(void)
{
	struct vgpu_timelines *tl = kmalloc(sizeof(*tl), GFP_KERNEL);
	unsigned int i;

	if (!tl)
		return NULL;
	kref_init(&tl->ref);
	tl->context = dma_fence_context_alloc(VGPU_MAX_RINGS);
	for (i = 0; i < VGPU_MAX_RINGS; i++)
		INIT_LIST_HEAD(&tl->pending[i]);
	return tl;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_timelines_new);

static void vgpu_timelines_free(struct kref *ref)
{
	kfree(container_of(ref, struct vgpu_timelines, ref));
}

/**
 * vgpu_timelines_put - drop a reference to a file's timelines
 * @tl: timelines, or NULL
 *
 * Context: any; the last reference may go in the answer's interrupt.
 */
void vgpu_timelines_put(struct vgpu_timelines *tl)
{
	if (tl)
		kref_put(&tl->ref, vgpu_timelines_free);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_timelines_put);

/**
 * vgpu_fence_alloc - a fence for the next command of a ring
 * @vg: device
 * @context: dma_fence context of the ring
 * @seqno: the ring's next sequence number, taken by the caller
 *
 * Return: the fence (one reference, not yet emitted), or NULL.
 */
struct vgpu_fence *vgpu_fence_alloc(struct vgpu_device *vg, u64 context,
				    u64 seqno)
{
	struct vgpu_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	f->vg = vg;
	INIT_LIST_HEAD(&f->link);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &vgpu_fence_ops, &f->lock, context, seqno);
	return f;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_alloc);

/**
 * vgpu_fence_emit - give a fence its wire id and put it on a command
 * @f: fence from vgpu_fence_alloc() with the context of @tl's ring @ring
 *     and the ring's next sequence number
 * @tl: the file's timelines
 * @ring: the ring
 * @buf: the fenced command, not yet queued; its header is filled
 * @use_ring: the command names @ring (VIRTIO_GPU_FLAG_INFO_RING_IDX)
 *
 * The fence is pending from now on (its ring's list holds a reference to
 * it, and it one to @tl) and @buf's answer hook will signal it. The
 * caller emits a ring's fences in sequence order. Queue @buf with
 * vgpu_vq_submit(), which completes a buffer it could not queue with the
 * error: the fence is then signalled with it.
 */
void vgpu_fence_emit(struct vgpu_fence *f, struct vgpu_timelines *tl,
		     u32 ring, struct vgpu_buf *buf, bool use_ring)
{
	struct vgpu_device *vg = f->vg;
	unsigned long flags;

	if (drm_WARN_ON(vg->drm, ring >= VGPU_MAX_RINGS ||
			f->base.context != tl->context + ring))
		ring = 0;
	kref_get(&tl->ref);
	f->tl = tl;
	f->ring = ring;
	spin_lock_irqsave(&vg->fences.lock, flags);
	f->wire_id = vg->fences.next_id++;
	dma_fence_get(&f->base);
	list_add_tail(&f->link, &tl->pending[ring]);
	vg->fences.pending++;
	spin_unlock_irqrestore(&vg->fences.lock, flags);

	vgpu_proto_hdr_fence(buf->req, f->wire_id, use_ring, ring);
	dma_fence_get(&f->base);
	buf->priv = f;
	buf->on_done = vgpu_fence_answered;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_emit);

/*
 * Signal @f and every earlier pending fence of its timeline: its ring's
 * list holds them in sequence order, so they are the ones from the head
 * to @f. Nothing to do when a later fence's answer came first.
 */
static void vgpu_fence_signal_upto(struct vgpu_device *vg,
				   struct vgpu_fence *f, int error)
{
	struct vgpu_timelines *tl = f->tl;
	struct vgpu_fence *p, *tmp;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&vg->fences.lock, flags);
	vg->fences.signalled++;
	if (list_empty(&f->link)) {
		spin_unlock_irqrestore(&vg->fences.lock, flags);
		return;
	}
	list_for_each_entry_safe(p, tmp, &tl->pending[f->ring], link) {
		if (p == f && error)
			dma_fence_set_error(&p->base, error);
		dma_fence_signal(&p->base);
		list_del_init(&p->link);
		dma_fence_put(&p->base);
		n++;
		if (p == f)
			break;
	}
	vg->fences.pending -= n;
	spin_unlock_irqrestore(&vg->fences.lock, flags);
	/* The fences' references to the timelines, the last maybe the file's. */
	while (n--)
		vgpu_timelines_put(tl);
}

/**
 * vgpu_fence_answered - answer hook of a fenced command
 * @buf: the command; @buf->priv is its fence (one reference)
 *
 * The host answers a fenced command once its fence has passed. An error
 * answer or a device that went away puts the error on the fence.
 */
void vgpu_fence_answered(struct vgpu_buf *buf)
{
	struct vgpu_fence *f = buf->priv;
	int error = buf->status;

	if (!error)
		error = vgpu_proto_resp_check(buf->resp, buf->used_len,
					      VIRTIO_GPU_RESP_OK_NODATA,
					      sizeof(struct virtio_gpu_ctrl_hdr));
	vgpu_fence_signal_upto(f->vg, f, error);
	dma_fence_put(&f->base);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_answered);

/**
 * vgpu_fence_pending - fences emitted and not yet signalled
 * @vg: device
 *
 * Return: the count, for debugfs and tests.
 */
unsigned int vgpu_fence_pending(struct vgpu_device *vg)
{
	return READ_ONCE(vg->fences.pending);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_pending);

/**
 * struct vgpu_fence_event - a FENCE_SIGNALED event waiting for its fence
 * @base: the pending DRM event
 * @event: what userspace reads
 * @cb: callback on the fence
 * @drm: device the event is sent on
 */
struct vgpu_fence_event {
	struct drm_pending_event base;
	struct drm_event event;
	struct dma_fence_cb cb;
	struct drm_device *drm;
};

/**
 * vgpu_fence_event_create - reserve a FENCE_SIGNALED event for a file
 * @drm: DRM device
 * @file: file that reads the event
 *
 * Return: the event, or an ERR_PTR: -ENOMEM when memory or the file's
 * event space is exhausted.
 */
struct vgpu_fence_event *vgpu_fence_event_create(struct drm_device *drm,
						 struct drm_file *file)
{
	struct vgpu_fence_event *ev = kzalloc(sizeof(*ev), GFP_KERNEL);
	int ret;

	if (!ev)
		return ERR_PTR(-ENOMEM);
	ev->event.type = VIRTGPU_EVENT_FENCE_SIGNALED;
	ev->event.length = sizeof(ev->event);
	ev->drm = drm;
	ret = drm_event_reserve_init(drm, file, &ev->base, &ev->event);
	if (ret) {
		drm_dbg_driver(drm, "fence event: no event space (%d)\n", ret);
		kfree(ev);
		return ERR_PTR(ret);
	}
	return ev;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_event_create);

/**
 * vgpu_fence_event_cancel - give back an event that was never armed
 * @ev: event
 */
void vgpu_fence_event_cancel(struct vgpu_fence_event *ev)
{
	drm_event_cancel_free(ev->drm, &ev->base);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_event_cancel);

static void vgpu_fence_event_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct vgpu_fence_event *ev = container_of(cb, struct vgpu_fence_event, cb);
	struct vgpu_device *vg = to_vgpu(ev->drm);

	atomic64_inc(&vg->fences.events);
	/* Frees the event, also when its file has closed meanwhile. */
	drm_send_event(ev->drm, &ev->base);
}

/**
 * vgpu_fence_event_arm - send the event when the fence signals
 * @ev: event from vgpu_fence_event_create(), consumed
 * @fence: the fence
 */
void vgpu_fence_event_arm(struct vgpu_fence_event *ev, struct dma_fence *fence)
{
	if (dma_fence_add_callback(fence, &ev->cb, vgpu_fence_event_cb))
		vgpu_fence_event_cb(fence, &ev->cb);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_fence_event_arm);

/**
 * vgpu_fence_print - the fences' lines of debugfs vgpu_info
 * @m: the file
 * @vg: device
 */
void vgpu_fence_print(struct seq_file *m, struct vgpu_device *vg)
{
	seq_printf(m, "fences_pending: %u\n", vgpu_fence_pending(vg));
	seq_printf(m, "fence_answers: %llu\n", READ_ONCE(vg->fences.signalled));
	seq_printf(m, "fence_events: %lld\n",
		   (long long)atomic64_read(&vg->fences.events));
	seq_printf(m, "jobs_unfenced: %lld\n",
		   (long long)atomic64_read(&vg->fences.unfenced));
}
