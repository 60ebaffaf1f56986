// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu transport layer: command buffers on virtqueues.
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/virtio.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include "vgpu_compat.h"
#include "vgpu_vq.h"

/**
 * DOC: Transport
 *
 * Virtqueues, command buffers, notifications and reclaim. No DRM, no KMS,
 * no knowledge of what the bytes mean.
 *
 * - A &struct vgpu_buf holds a request (device-readable), an optional
 *   scatterlist payload, and a response (device-writable), allocated
 *   together and zeroed. It is reference counted: the submitter holds one
 *   reference, the ring another from queueing until the device returns it.
 *   A submitter that gives up (timeout, signal) drops its reference, and
 *   the response memory stays valid for a late answer.
 * - vgpu_vq_queue() places a buffer on the ring without notifying;
 *   vgpu_vq_kick() notifies once for everything queued since the last
 *   kick, and not at all when nothing was (without EVENT_IDX the ring
 *   would notify again); vgpu_vq_submit() does both for a batch. Every
 *   buffer of a batch ends up completed: by the device, or at once with
 *   the error that kept it off the ring.
 * - The split ring notifies the device by itself when an add finds it
 *   full, with the queue lock held. A device answers by interrupt, which
 *   cannot reach this CPU while the lock is held with interrupts off, so
 *   the reclaim path never runs nested inside the queue lock.
 * - vgpu_vq_submit() takes the queue lock once for a whole batch and its
 *   kick when the ring has room and no reset is under way, the common
 *   case; otherwise each buffer goes through vgpu_vq_queue().
 * - A full ring: the submitter kicks (the device may be waiting for what
 *   was queued) and sleeps interruptibly, bounded by the command timeout,
 *   until the device returns buffers. Giving up returns -ETIMEDOUT.
 * - Completion: the virtqueue callback calls vgpu_vq_reclaim(), which
 *   keeps callbacks off while it takes every returned buffer off the ring,
 *   runs its ``on_done`` hook, completes it and drops the ring's
 *   reference. Nothing waits for a workqueue, and a waiter is woken by
 *   its own answer's interrupt (debugfs ``callbacks``).
 * - Teardown: vgpu_vq_stop() refuses new buffers and wakes sleepers;
 *   after the device reset, vgpu_vq_flush() returns every buffer still on
 *   the ring to its owner with -ENODEV.
 * - Reset: vgpu_vq_pause() makes every submitter but the resetting task
 *   wait (interruptibly, bounded by its timeout); after the device reset,
 *   vgpu_vq_flush() gives the buffers back with -EIO, vgpu_vq_detach() and
 *   vgpu_vq_attach() swap the virtqueue, and vgpu_vq_unpause() lets the
 *   waiters go on. Each attach starts an epoch (vgpu_vq_epoch()) that the
 *   buffers queued in it record, so a caller knows whether a buffer
 *   reached the device there now. vgpu_vq_stuck() tells whether the
 *   oldest buffer has waited longer than a bound (each buffer records
 *   when it was queued).
 *
 * Lock: &vgpu_vq.lock (irq-safe spinlock) covers every virtqueue
 * operation, the pending list, the in-flight count, the dead flag and the
 * counters.
 */

/* Buffers allocated and not yet freed, module-wide: leaks show here. */
static atomic_t vgpu_buf_live = ATOMIC_INIT(0);

/**
 * vgpu_buf_live_count - buffers allocated and not yet freed
 *
 * Return: the count, for debugfs and leak tests.
 */
int vgpu_buf_live_count(void)
{
	return atomic_read(&vgpu_buf_live);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_live_count);

/**
 * vgpu_buf_alloc - allocate a zeroed command buffer
 * @req_len: request size in bytes (non-zero)
 * @resp_len: response size in bytes (0 for none)
 * @gfp: allocation flags
 *
 * Return: the buffer holding one reference, or NULL.
 */
struct vgpu_buf *vgpu_buf_alloc(u32 req_len, u32 resp_len, gfp_t gfp)
{
	size_t req_room = ALIGN((size_t)req_len, 8);
	struct vgpu_buf *buf;

	if (!req_len)
		return NULL;
	buf = kzalloc(struct_size(buf, storage, req_room + resp_len), gfp);
	if (!buf)
		return NULL;
	atomic_inc(&vgpu_buf_live);
	kref_init(&buf->ref);
	INIT_LIST_HEAD(&buf->link);
	init_completion(&buf->done);
	buf->req = buf->storage;
	buf->req_len = req_len;
	if (resp_len) {
		buf->resp = buf->storage + req_room;
		buf->resp_len = resp_len;
	}
	return buf;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_alloc);

/**
 * vgpu_buf_get - take a reference
 * @buf: buffer
 */
void vgpu_buf_get(struct vgpu_buf *buf)
{
	kref_get(&buf->ref);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_get);

static void vgpu_buf_release(struct kref *ref)
{
	struct vgpu_buf *buf = container_of(ref, struct vgpu_buf, ref);

	if (buf->own_mem) {
		sg_free_table(&buf->own_sgt);
		kvfree(buf->own_mem);
	}
	kfree(buf);
	atomic_dec(&vgpu_buf_live);
}

/**
 * vgpu_buf_put - drop a reference; the last one frees the buffer
 * @buf: buffer, may be NULL
 */
void vgpu_buf_put(struct vgpu_buf *buf)
{
	if (buf)
		kref_put(&buf->ref, vgpu_buf_release);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_put);

/**
 * vgpu_buf_set_data - attach an extra payload
 * @buf: buffer not yet queued
 * @sgl: terminated scatterlist; must stay valid until @buf completes
 * @nents: number of entries (0 to detach)
 * @to_device: the device reads the payload (else it writes it)
 */
void vgpu_buf_set_data(struct vgpu_buf *buf, struct scatterlist *sgl,
		       unsigned int nents, bool to_device)
{
	struct scatterlist *sg;
	unsigned int i;
	u64 len = 0;

	for_each_sg(sgl, sg, nents, i)
		len += sg->length;
	buf->data_len = (u32)min_t(u64, len, U32_MAX - buf->resp_len);
	buf->data = nents ? sgl : NULL;
	buf->data_nents = nents;
	buf->data_to_device = to_device;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_set_data);

/**
 * vgpu_buf_alloc_data - give a buffer a device-readable payload it owns
 * @buf: buffer not yet queued and without a payload
 * @len: payload size in bytes (non-zero)
 * @gfp: allocation flags
 *
 * Large payloads (long memory-entry lists) come from vmalloc, one
 * scatterlist entry per page, so no high-order allocation is needed. The
 * payload is freed with the buffer, which may happen in interrupt context.
 *
 * Return: the zeroed payload, or NULL.
 */
void *vgpu_buf_alloc_data(struct vgpu_buf *buf, size_t len, gfp_t gfp)
{
	struct scatterlist *sg;
	unsigned int i, n;
	void *mem;

	if (!len || len > U32_MAX || buf->data_nents)
		return NULL;
	mem = kvzalloc(len, gfp);
	if (!mem)
		return NULL;
	n = is_vmalloc_addr(mem) ? DIV_ROUND_UP(len, PAGE_SIZE) : 1;
	if (sg_alloc_table(&buf->own_sgt, n, gfp)) {
		kvfree(mem);
		return NULL;
	}
	if (n == 1 && !is_vmalloc_addr(mem)) {
		sg_set_buf(buf->own_sgt.sgl, mem, len);
	} else {
		for_each_sg(buf->own_sgt.sgl, sg, n, i) {
			size_t off = (size_t)i * PAGE_SIZE;

			sg_set_page(sg, vmalloc_to_page(mem + off),
				    min_t(size_t, PAGE_SIZE, len - off), 0);
		}
	}
	buf->own_mem = mem;
	vgpu_buf_set_data(buf, buf->own_sgt.sgl, n, true);
	return mem;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_alloc_data);

/**
 * vgpu_buf_alloc_tail - a buffer whose request is followed by more bytes
 * @req_len: request size
 * @len: bytes the device reads right after the request (may be 0)
 * @resp_len: response room
 * @gfp: allocation flags
 * @tail: set to where those bytes go (NULL when @len is 0)
 *
 * Up to a page in all, the bytes are part of the request (one allocation,
 * one descriptor); beyond, they are a payload of their own
 * (vgpu_buf_alloc_data()). The device sees the same bytes either way.
 *
 * Return: the buffer, or NULL.
 */
struct vgpu_buf *vgpu_buf_alloc_tail(u32 req_len, size_t len, u32 resp_len,
				     gfp_t gfp, void **tail)
{
	bool in_req = len <= PAGE_SIZE - min_t(u32, req_len, PAGE_SIZE);
	struct vgpu_buf *buf;

	*tail = NULL;
	buf = vgpu_buf_alloc(req_len + (in_req ? len : 0), resp_len, gfp);
	if (!buf || !len)
		return buf;
	if (in_req) {
		*tail = (u8 *)buf->req + req_len;
	} else {
		*tail = vgpu_buf_alloc_data(buf, len, gfp);
		if (!*tail) {
			vgpu_buf_put(buf);
			return NULL;
		}
	}
	return buf;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_alloc_tail);

/**
 * vgpu_buf_wait - wait until the device returned a buffer
 * @buf: a queued buffer the caller holds a reference to
 * @timeout: longest wait, in jiffies
 *
 * Interruptible and bounded. Giving up does not cancel the command: the
 * ring keeps its reference until the device answers or teardown.
 *
 * Return: @buf->status once done, -ETIMEDOUT, or -ERESTARTSYS.
 */
int vgpu_buf_wait(struct vgpu_buf *buf, unsigned long timeout)
{
	long ret;

	might_sleep();
	ret = wait_for_completion_interruptible_timeout(&buf->done, timeout);
	if (ret < 0)
		return ret;
	if (!ret)
		return -ETIMEDOUT;
	return buf->status;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_buf_wait);

/**
 * vgpu_vq_init - bind a queue to its virtqueue
 * @q: queue
 * @name: name for reporting
 * @vq: the virtqueue; its callback must call vgpu_vq_reclaim()
 */
void vgpu_vq_init(struct vgpu_vq *q, const char *name, struct virtqueue *vq)
{
	q->name = name;
	q->vq = vq;
	q->epoch = 1;
	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->space);
	INIT_LIST_HEAD(&q->pending);
	q->inflight = 0;
	q->unkicked = 0;
	q->dead = false;
	q->paused = false;
	q->pause_owner = NULL;
	q->reclaim_seq = 0;
	memset(&q->stats, 0, sizeof(q->stats));
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_init);

/* Hand a buffer back to its owner; drops the ring's reference. */
static void vgpu_buf_finish(struct vgpu_buf *buf, int status)
{
	buf->status = status;
	if (buf->on_done)
		buf->on_done(buf);
	complete_all(&buf->done);
	vgpu_buf_put(buf);
}

static bool vgpu_vq_progressed(struct vgpu_vq *q, unsigned int seq)
{
	return READ_ONCE(q->reclaim_seq) != seq || READ_ONCE(q->dead);
}

static bool vgpu_vq_unpaused(struct vgpu_vq *q)
{
	return !READ_ONCE(q->paused) || READ_ONCE(q->dead);
}

/*
 * Place @buf on the ring and track it (the ring's reference, @pending);
 * nothing is notified. Returns the virtqueue's error.
 */
static int vgpu_vq_add_locked(struct vgpu_vq *q, struct vgpu_buf *buf)
{
	struct scatterlist req_sg, resp_sg;
	struct scatterlist *sgs[3];
	unsigned int out = 0, in = 0;
	int ret;

	lockdep_assert_held(&q->lock);
	sg_init_one(&req_sg, buf->req, buf->req_len);
	sgs[out++] = &req_sg;
	if (buf->data_nents && buf->data_to_device)
		sgs[out++] = buf->data;
	if (buf->data_nents && !buf->data_to_device)
		sgs[out + in++] = buf->data;
	if (buf->resp_len) {
		sg_init_one(&resp_sg, buf->resp, buf->resp_len);
		sgs[out + in++] = &resp_sg;
	}
	ret = virtqueue_add_sgs(q->vq, sgs, out, in, buf, GFP_ATOMIC);
	if (ret)
		return ret;
	kref_get(&buf->ref);
	reinit_completion(&buf->done);
	buf->queued_at = jiffies;
	buf->epoch = q->epoch;
	list_add_tail(&buf->link, &q->pending);
	q->inflight++;
	q->unkicked++;
	q->stats.queued++;
	return 0;
}

/**
 * vgpu_vq_queue - place a buffer on the ring without notifying the device
 * @q: queue
 * @buf: buffer; on success the ring takes its own reference
 * @timeout: longest wait for ring space, in jiffies
 *
 * Context: may sleep when the ring is full or the queue is paused.
 *
 * Return: 0, -ENODEV once the queue is stopped, -ETIMEDOUT when no space
 * came free (or the reset did not end) in time, -ERESTARTSYS on a signal,
 * or the virtqueue's error.
 * On failure the buffer is not on the ring and is left untouched.
 */
int vgpu_vq_queue(struct vgpu_vq *q, struct vgpu_buf *buf,
		  unsigned long timeout)
{
	unsigned long deadline = jiffies + timeout;
	unsigned long flags;
	unsigned int seq;
	long left;
	int ret;

	for (;;) {
		bool paused = false;

		spin_lock_irqsave(&q->lock, flags);
		if (q->dead) {
			ret = -ENODEV;
		} else if (q->paused && q->pause_owner != current) {
			ret = -EAGAIN;
			paused = true;
		} else if (!q->vq) {
			ret = -ENODEV;
		} else {
			ret = vgpu_vq_add_locked(q, buf);
		}
		if (ret == -ENOSPC)
			q->stats.full_waits++;
		seq = q->reclaim_seq;
		spin_unlock_irqrestore(&q->lock, flags);

		if (ret != -ENOSPC && !paused)
			return ret;

		/* The device may be waiting for what we queued: tell it. */
		if (!paused)
			vgpu_vq_kick(q);
		might_sleep();
		left = (long)(deadline - jiffies);
		if (left <= 0)
			left = 0;
		else if (paused)
			left = wait_event_interruptible_timeout(q->space,
								vgpu_vq_unpaused(q),
								left);
		else
			left = wait_event_interruptible_timeout(q->space,
								vgpu_vq_progressed(q, seq),
								left);
		if (left < 0)
			return left;
		if (!left) {
			spin_lock_irqsave(&q->lock, flags);
			q->stats.full_timeouts++;
			spin_unlock_irqrestore(&q->lock, flags);
			return -ETIMEDOUT;
		}
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_queue);

/* Whether the device wants a notification for what was queued (counted). */
static bool vgpu_vq_kick_prepare(struct vgpu_vq *q)
{
	lockdep_assert_held(&q->lock);
	q->unkicked = 0;
	if (!virtqueue_kick_prepare(q->vq))
		return false;
	q->stats.notifies++;
	return true;
}

/**
 * vgpu_vq_kick - notify the device of everything queued since the last kick
 * @q: queue
 *
 * Nothing new, no notification (without VIRTIO_RING_F_EVENT_IDX the ring
 * itself would notify again). The device may also have asked not to be
 * notified; only real notifications are counted.
 */
void vgpu_vq_kick(struct vgpu_vq *q)
{
	unsigned long flags;
	bool notify = false;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->dead && q->vq && q->unkicked)
		notify = vgpu_vq_kick_prepare(q);
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(q->vq);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_kick);

/**
 * vgpu_vq_submit - queue a batch and notify the device once
 * @q: queue
 * @bufs: buffers, in order
 * @count: number of buffers
 * @timeout: longest wait for ring space per buffer, in jiffies
 *
 * Every buffer of the batch ends up completed: by the device, or at once
 * with the error that kept it off the ring, so callers can wait on each
 * buffer and read its status without tracking where the batch stopped.
 * Buffers after the first failure are not queued.
 *
 * Return: 0 if all were queued, else the first error.
 */
int vgpu_vq_submit(struct vgpu_vq *q, struct vgpu_buf **bufs,
		   unsigned int count, unsigned long timeout)
{
	unsigned int i = 0, queued;
	unsigned long flags;
	bool notify = false;
	int ret = 0;

	/* The common case, room and no reset: one lock hold, one kick. */
	spin_lock_irqsave(&q->lock, flags);
	if (!q->dead && q->vq && (!q->paused || q->pause_owner == current)) {
		for (; i < count; i++) {
			if (vgpu_vq_add_locked(q, bufs[i]))
				break;
		}
		if (i)
			notify = vgpu_vq_kick_prepare(q);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(q->vq);

	/* The rest wait for room or for the reset (bounded), as one does. */
	for (queued = i; i < count; i++) {
		ret = vgpu_vq_queue(q, bufs[i], timeout);
		if (ret)
			break;
	}
	if (i > queued)
		vgpu_vq_kick(q);
	for (; i < count; i++) {
		/* Not on the ring: complete with the error, keep the caller's ref. */
		vgpu_buf_get(bufs[i]);
		vgpu_buf_finish(bufs[i], ret);
	}
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_submit);

/**
 * vgpu_vq_panic_submit - queue a batch and notify the device from a panic
 * @q: queue
 * @bufs: buffers allocated beforehand, in order
 * @count: number of buffers
 *
 * Context: any, including a panic handler with the other CPUs stopped: it
 * never sleeps and never spins on the queue lock (a lock held elsewhere,
 * perhaps by a stopped CPU, makes it give up). It allocates nothing of
 * its own; the virtio core may try an indirect descriptor table with
 * GFP_ATOMIC and uses ring descriptors when that fails. A buffer still on
 * the ring from an earlier call is not queued again. Nobody waits for the
 * answers; the buffers keep a reference of the ring's until the device
 * returns them.
 *
 * Return: 0 if all were queued, -EBUSY when the lock was held or a buffer
 * is still on the ring, -ENODEV when the queue is stopped, paused or
 * gone, else the virtqueue's error (nothing after it is queued).
 */
int vgpu_vq_panic_submit(struct vgpu_vq *q, struct vgpu_buf **bufs,
			 unsigned int count)
{
	unsigned long flags;
	bool notify = false;
	unsigned int i;
	int ret = 0;

	if (!spin_trylock_irqsave(&q->lock, flags))
		return -EBUSY;
	if (q->dead || q->paused || !q->vq) {
		ret = -ENODEV;
		goto unlock;
	}
	for (i = 0; i < count; i++) {
		if (!list_empty(&bufs[i]->link)) {
			ret = -EBUSY;
			goto unlock;
		}
	}
	for (i = 0; i < count; i++) {
		ret = vgpu_vq_add_locked(q, bufs[i]);
		if (ret)
			break;
	}
	if (i)
		notify = vgpu_vq_kick_prepare(q);
unlock:
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(q->vq);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_panic_submit);

static unsigned int vgpu_vq_take_used(struct vgpu_vq *q,
				      struct list_head *done)
{
	unsigned long now = jiffies;
	struct vgpu_buf *buf;
	unsigned int len, n = 0;
	u32 room;

	lockdep_assert_held(&q->lock);
	while ((buf = virtqueue_get_buf(q->vq, &len))) {
		q->stats.longest = max(q->stats.longest, now - buf->queued_at);
		room = buf->resp_len;
		if (!buf->data_to_device)
			room += buf->data_len;
		buf->used_len = min(len, room);
		list_move_tail(&buf->link, done);
		n++;
	}
	q->inflight -= n;
	q->stats.completed += n;
	return n;
}

static void vgpu_vq_finish_list(struct list_head *done, int status)
{
	struct vgpu_buf *buf, *tmp;

	list_for_each_entry_safe(buf, tmp, done, link) {
		list_del_init(&buf->link);
		vgpu_buf_finish(buf, status);
	}
}

/**
 * vgpu_vq_reclaim - take answered buffers off the ring
 * @q: queue
 *
 * The callbacks stay off while the ring is drained, and are re-armed
 * once it is empty.
 *
 * Context: the virtqueue callback (hard interrupt) or any context.
 */
void vgpu_vq_reclaim(struct vgpu_vq *q)
{
	unsigned long flags;
	LIST_HEAD(done);
	unsigned int n = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->vq) {
		/* Between a reset's detach and attach. */
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	do {
		virtqueue_disable_cb(q->vq);
		n += vgpu_vq_take_used(q, &done);
	} while (!virtqueue_enable_cb(q->vq));
	if (n) {
		q->reclaim_seq++;
		q->stats.callbacks++;
	}
	spin_unlock_irqrestore(&q->lock, flags);

	vgpu_vq_finish_list(&done, 0);
	if (n)
		wake_up_all(&q->space);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_reclaim);

/**
 * vgpu_vq_stop - refuse new buffers and wake every submitter
 * @q: queue
 */
void vgpu_vq_stop(struct vgpu_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->dead = true;
	spin_unlock_irqrestore(&q->lock, flags);
	wake_up_all(&q->space);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_stop);

/**
 * vgpu_vq_flush - give back every buffer after the device was reset
 * @q: queue, stopped or paused
 * @status: what the buffers the device did not answer complete with
 *	    (-ENODEV at teardown, -EIO at a reset)
 *
 * Buffers the device answered before the reset complete normally; the
 * rest complete with @status. Call after the device reset and before the
 * virtqueue is deleted.
 */
void vgpu_vq_flush(struct vgpu_vq *q, int status)
{
	struct vgpu_buf *buf;
	unsigned long flags;
	LIST_HEAD(answered);
	LIST_HEAD(orphans);

	spin_lock_irqsave(&q->lock, flags);
	if (q->vq) {
		vgpu_vq_take_used(q, &answered);
		while ((buf = virtqueue_detach_unused_buf(q->vq))) {
			list_move_tail(&buf->link, &orphans);
			q->inflight--;
			q->stats.flushed++;
		}
	}
	q->unkicked = 0;
	q->reclaim_seq++;
	spin_unlock_irqrestore(&q->lock, flags);

	vgpu_vq_finish_list(&answered, 0);
	vgpu_vq_finish_list(&orphans, status);
	wake_up_all(&q->space);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_flush);

/**
 * vgpu_vq_pause - make every submitter but the caller wait
 * @q: queue
 *
 * The caller (the task resetting the device) may go on queueing once a
 * virtqueue is attached; others sleep in vgpu_vq_queue() until
 * vgpu_vq_unpause(), bounded by their timeout.
 */
void vgpu_vq_pause(struct vgpu_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->paused = true;
	q->pause_owner = current;
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_pause);

/**
 * vgpu_vq_detach - forget the virtqueue before it is deleted
 * @q: paused or stopped queue, flushed
 */
void vgpu_vq_detach(struct vgpu_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	WARN_ON(q->inflight);
	q->vq = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_detach);

/**
 * vgpu_vq_attach - give a detached queue its new virtqueue
 * @q: paused queue
 * @vq: the virtqueue; its callback must call vgpu_vq_reclaim()
 */
void vgpu_vq_attach(struct vgpu_vq *q, struct virtqueue *vq)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->vq = vq;
	q->epoch++;
	q->inflight = 0;
	q->unkicked = 0;
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_attach);

/**
 * vgpu_vq_unpause - let waiting submitters go on
 * @q: queue
 */
void vgpu_vq_unpause(struct vgpu_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	q->paused = false;
	q->pause_owner = NULL;
	q->reclaim_seq++;
	spin_unlock_irqrestore(&q->lock, flags);
	wake_up_all(&q->space);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_unpause);

/**
 * vgpu_vq_epoch - which virtqueue the queue has now
 * @q: queue
 *
 * Context: any.
 *
 * Return: &vgpu_vq.epoch; compare it with a buffer's &vgpu_buf.epoch.
 */
u32 vgpu_vq_epoch(struct vgpu_vq *q)
{
	unsigned long flags;
	u32 epoch;

	spin_lock_irqsave(&q->lock, flags);
	epoch = q->epoch;
	spin_unlock_irqrestore(&q->lock, flags);
	return epoch;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_epoch);

/**
 * vgpu_vq_stuck - has the oldest buffer waited too long for its answer?
 * @q: queue
 * @timeout: the bound, in jiffies
 * @head: when stuck, filled with the first bytes of that buffer's request
 *	  (for the log); may be NULL
 * @len: size of @head
 *
 * Context: any.
 *
 * Return: true when a buffer has been on the ring longer than @timeout.
 */
bool vgpu_vq_stuck(struct vgpu_vq *q, unsigned long timeout, void *head,
		   size_t len)
{
	struct vgpu_buf *oldest;
	unsigned long flags;
	bool stuck = false;

	spin_lock_irqsave(&q->lock, flags);
	oldest = list_first_entry_or_null(&q->pending, struct vgpu_buf, link);
	if (oldest && !q->dead && !q->paused)
		stuck = time_after(jiffies, oldest->queued_at + timeout);
	if (stuck && head)
		memcpy(head, oldest->req, min_t(size_t, len, oldest->req_len));
	spin_unlock_irqrestore(&q->lock, flags);
	return stuck;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_stuck);

/**
 * vgpu_vq_drain - wait until the device has answered everything queued
 * @q: queue
 * @timeout: longest wait, in jiffies
 *
 * Not interruptible (suspend calls it from a task that cannot take
 * signals), but bounded.
 *
 * Return: true when the ring is empty.
 */
bool vgpu_vq_drain(struct vgpu_vq *q, unsigned long timeout)
{
	might_sleep();
	vgpu_vq_kick(q);
	return wait_event_timeout(q->space, !READ_ONCE(q->inflight) ||
				  READ_ONCE(q->dead), timeout) &&
	       !READ_ONCE(q->inflight);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_drain);

/**
 * vgpu_vq_snapshot - read a queue's state under its lock
 * @q: queue
 * @st: filled in
 */
void vgpu_vq_snapshot(struct vgpu_vq *q, struct vgpu_vq_state *st)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	st->dead = q->dead;
	st->size = (q->vq && !q->dead) ? virtqueue_get_vring_size(q->vq) : 0;
	st->free = st->size ? q->vq->num_free : 0;
	st->inflight = q->inflight;
	st->stats = q->stats;
	spin_unlock_irqrestore(&q->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_snapshot);

/**
 * vgpu_vq_pending - the buffers still waiting for their answer, oldest first
 * @q: queue
 * @out: filled with up to @max entries
 * @max: room in @out
 *
 * Context: any.
 *
 * Return: the number of buffers on the ring (may exceed @max; only @max
 * are described).
 */
unsigned int vgpu_vq_pending(struct vgpu_vq *q, struct vgpu_vq_waiting *out,
			     unsigned int max)
{
	unsigned long flags, now = jiffies;
	struct vgpu_buf *buf;
	unsigned int n = 0;

	spin_lock_irqsave(&q->lock, flags);
	list_for_each_entry(buf, &q->pending, link) {
		if (n < max) {
			memset(out[n].head, 0, sizeof(out[n].head));
			memcpy(out[n].head, buf->req,
			       min_t(size_t, sizeof(out[n].head), buf->req_len));
			out[n].age = now - buf->queued_at;
		}
		n++;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_vq_pending);
