/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu transport layer: command buffers on virtqueues.
 *
 * This layer knows virtqueues, scatterlists and completions. It knows
 * nothing of DRM, KMS or the meaning of the bytes it carries: a buffer is
 * a request (device-readable), optional extra data, and a response
 * (device-writable). The protocol layer fills and decodes the bytes; the
 * feature layers decide what to send.
 */
#ifndef VGPU_VQ_H
#define VGPU_VQ_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct task_struct;
struct virtqueue;
struct vgpu_buf;

/**
 * typedef vgpu_buf_done_t - completion hook of a buffer
 * @buf: the buffer the device has answered (or that teardown flushed)
 *
 * Called from the virtqueue interrupt with no lock held, in atomic context,
 * before waiters are woken. @buf->status and @buf->used_len are valid.
 */
typedef void (*vgpu_buf_done_t)(struct vgpu_buf *buf);

/**
 * struct vgpu_buf - one command in flight
 *
 * Reference counted: the submitter holds one reference, the ring holds one
 * from a successful queue until the device returns the buffer (or teardown
 * flushes it). A submitter that stops waiting (timeout, signal) simply drops
 * its reference; the response memory stays valid for the device.
 */
struct vgpu_buf {
	/** @ref: lifetime, see above. */
	struct kref ref;
	/** @link: entry in &vgpu_vq.pending while on the ring. */
	struct list_head link;
	/** @done: completed once the device returned the buffer. */
	struct completion done;
	/** @req: request bytes, read by the device. */
	void *req;
	/** @req_len: length of @req. */
	u32 req_len;
	/** @resp: response bytes, written by the device. */
	void *resp;
	/** @resp_len: room in @resp. */
	u32 resp_len;
	/** @data: optional extra payload, placed between request and response. */
	struct scatterlist *data;
	/** @data_nents: entries in @data (0 for none). */
	unsigned int data_nents;
	/** @data_len: total bytes in @data. */
	u32 data_len;
	/** @data_to_device: @data is device-readable (else device-writable). */
	bool data_to_device;
	/** @used_len: bytes the device wrote, valid after @done. */
	u32 used_len;
	/**
	 * @status: 0 when answered; when flushed, the flush's error (-ENODEV
	 * at teardown, -EIO at a reset).
	 */
	int status;
	/** @queued_at: jiffies when placed on the ring (hang detection). */
	unsigned long queued_at;
	/** @epoch: the queue's &vgpu_vq.epoch when placed on the ring. */
	u32 epoch;
	/** @on_done: optional hook, see &vgpu_buf_done_t. */
	vgpu_buf_done_t on_done;
	/** @priv: owner's cookie for @on_done. */
	void *priv;
	/** @own_mem: payload from vgpu_buf_alloc_data(), freed with the buffer. */
	void *own_mem;
	/** @own_sgt: scatterlist of @own_mem. */
	struct sg_table own_sgt;
	/** @storage: request and response, allocated with the buffer. */
	u8 storage[] __aligned(8);
};

/**
 * struct vgpu_vq_stats - counters for debugfs and tests
 * @queued: buffers placed on the ring
 * @completed: buffers the device returned
 * @notifies: device notifications (one per kicked batch)
 * @full_waits: times a submitter waited for ring space
 * @full_timeouts: ring-space waits that gave up
 * @flushed: buffers reclaimed by teardown without an answer
 * @callbacks: virtqueue callbacks (the device's interrupts) that found
 *	       answers
 * @longest: the longest a buffer waited for its answer, in jiffies (how
 *	     close the device came to the hang timeout)
 */
struct vgpu_vq_stats {
	u64 queued;
	u64 completed;
	u64 notifies;
	u64 full_waits;
	u64 full_timeouts;
	u64 flushed;
	u64 callbacks;
	unsigned long longest;
};

/**
 * struct vgpu_vq - one virtqueue and the buffers on it
 *
 * @lock covers every virtqueue operation (add, kick_prepare, get_buf,
 * detach), @vq, @epoch, @pending, @inflight, @unkicked, @dead, @paused,
 * @pause_owner and @stats. It is taken from the virtqueue interrupt, so
 * always with interrupts disabled.
 *
 * A queue is paused while its device is reset: the virtqueue is replaced
 * underneath, and submitters other than the one doing the reset wait
 * (interruptibly, boundedly) until it is back.
 */
struct vgpu_vq {
	/** @name: queue name, for debugfs. */
	const char *name;
	/** @vq: the virtqueue; NULL before init and after teardown. */
	struct virtqueue *vq;
	/**
	 * @epoch: which virtqueue @vq is: 1 for the first, one more for each
	 * vgpu_vq_attach(). A buffer queued in an older epoch went to a device
	 * that has been reset since.
	 */
	u32 epoch;
	/** @lock: see above. */
	spinlock_t lock;
	/** @space: woken when the device returns buffers or the queue dies. */
	wait_queue_head_t space;
	/** @pending: buffers on the ring, oldest first. */
	struct list_head pending;
	/** @inflight: number of entries in @pending. */
	unsigned int inflight;
	/** @unkicked: buffers queued since the last kick. */
	unsigned int unkicked;
	/** @dead: no new buffers are accepted. */
	bool dead;
	/** @paused: only @pause_owner may queue; others wait. */
	bool paused;
	/** @pause_owner: the task resetting the device. */
	struct task_struct *pause_owner;
	/** @reclaim_seq: bumped whenever buffers leave the ring. */
	unsigned int reclaim_seq;
	/** @stats: counters. */
	struct vgpu_vq_stats stats;
};

struct vgpu_buf *vgpu_buf_alloc(u32 req_len, u32 resp_len, gfp_t gfp);
int vgpu_buf_live_count(void);
void vgpu_buf_get(struct vgpu_buf *buf);
void vgpu_buf_put(struct vgpu_buf *buf);
void vgpu_buf_set_data(struct vgpu_buf *buf, struct scatterlist *sgl,
		       unsigned int nents, bool to_device);
void *vgpu_buf_alloc_data(struct vgpu_buf *buf, size_t len, gfp_t gfp);
struct vgpu_buf *vgpu_buf_alloc_tail(u32 req_len, size_t len, u32 resp_len,
				     gfp_t gfp, void **tail);
int vgpu_buf_wait(struct vgpu_buf *buf, unsigned long timeout);

void vgpu_vq_init(struct vgpu_vq *q, const char *name, struct virtqueue *vq);
int vgpu_vq_queue(struct vgpu_vq *q, struct vgpu_buf *buf,
		  unsigned long timeout);
void vgpu_vq_kick(struct vgpu_vq *q);
int vgpu_vq_submit(struct vgpu_vq *q, struct vgpu_buf **bufs,
		   unsigned int count, unsigned long timeout);
int vgpu_vq_panic_submit(struct vgpu_vq *q, struct vgpu_buf **bufs,
			 unsigned int count);
void vgpu_vq_reclaim(struct vgpu_vq *q);
void vgpu_vq_stop(struct vgpu_vq *q);
void vgpu_vq_flush(struct vgpu_vq *q, int status);
void vgpu_vq_pause(struct vgpu_vq *q);
void vgpu_vq_detach(struct vgpu_vq *q);
void vgpu_vq_attach(struct vgpu_vq *q, struct virtqueue *vq);
void vgpu_vq_unpause(struct vgpu_vq *q);
u32 vgpu_vq_epoch(struct vgpu_vq *q);
bool vgpu_vq_stuck(struct vgpu_vq *q, unsigned long timeout, void *head,
		   size_t len);
bool vgpu_vq_drain(struct vgpu_vq *q, unsigned long timeout);

/**
 * struct vgpu_vq_state - a consistent snapshot of a queue for reporting
 * @size: ring size in descriptors (0 when the queue is gone)
 * @free: free descriptors
 * @inflight: buffers on the ring
 * @dead: the queue no longer accepts buffers
 * @stats: counters
 */
struct vgpu_vq_state {
	unsigned int size;
	unsigned int free;
	unsigned int inflight;
	bool dead;
	struct vgpu_vq_stats stats;
};

void vgpu_vq_snapshot(struct vgpu_vq *q, struct vgpu_vq_state *st);

/* The bytes of a request kept by vgpu_vq_pending(): a command's header. */
#define VGPU_VQ_HEAD_LEN 24

/**
 * struct vgpu_vq_waiting - one buffer on the ring, for reporting
 * @head: the first bytes of its request (zero-padded)
 * @age: jiffies since it was placed on the ring
 */
struct vgpu_vq_waiting {
	u8 head[VGPU_VQ_HEAD_LEN];
	unsigned long age;
};

unsigned int vgpu_vq_pending(struct vgpu_vq *q, struct vgpu_vq_waiting *out,
			     unsigned int max);

#endif /* VGPU_VQ_H */
