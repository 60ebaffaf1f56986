// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu submission feature: command streams to a context's rings.
 *
 * A submission waits (on the CPU, interruptibly and bounded) for its in
 * fence, takes the next sequence number of its ring and queues SUBMIT_3D
 * with a fence, all under the file's lock, so a ring's commands reach the
 * host in sequence-number order. The stream travels as the command's
 * payload (kvmalloc'd, page by page), so large streams need no high-order
 * allocation. A zero-size submission is allowed: it is just a fence.
 */
#include <linux/dma-fence.h>
#include <linux/string.h>

#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * vgpu_submit - queue a command stream on a ring of the file's context
 * @vg: device
 * @vfile: file state
 * @cmds: the stream (kernel memory)
 * @size: its size in bytes, at most VGPU_EXECBUF_MAX
 * @use_ring: @ring_idx was given (VIRTGPU_EXECBUF_RING_IDX)
 * @ring_idx: ring, below the context's ring count
 * @in_fence: fence to wait for first, or NULL
 * @out_fence: set to the submission's fence (one reference), or NULL
 *
 * Return: 0; -EINVAL for a ring the context does not have or too large a
 * stream; -ENODEV without 3D; -ETIMEDOUT when the in fence does not
 * signal within the command timeout; -ERESTARTSYS; -ENOMEM; or the
 * context's creation error. A command the device never took signals its
 * fence with the error.
 */
int vgpu_submit(struct vgpu_device *vg, struct vgpu_file *vfile,
		const void *cmds, u32 size, bool use_ring, u32 ring_idx,
		struct dma_fence *in_fence, struct dma_fence **out_fence)
{
	struct vgpu_fence *f;
	struct vgpu_buf *buf;
	u32 ctx_id;
	long left;
	void *data;
	int ret;

	if (size > VGPU_EXECBUF_MAX) {
		drm_dbg_driver(vg->drm, "submit: %u bytes, at most %u\n", size,
			       VGPU_EXECBUF_MAX);
		return -EINVAL;
	}
	ret = vgpu_ctx_get(vg, vfile, &ctx_id);
	if (ret)
		return ret;
	if (!use_ring)
		ring_idx = 0;
	if (ring_idx >= vfile->num_rings) {
		drm_dbg_driver(vg->drm, "submit: ring %u of %u\n", ring_idx,
			       vfile->num_rings);
		return -EINVAL;
	}
	if (in_fence) {
		left = dma_fence_wait_timeout(in_fence, true, vg->cmd_timeout);
		if (left < 0)
			return left;
		if (!left) {
			drm_dbg_driver(vg->drm, "submit: in fence not signalled in time\n");
			return -ETIMEDOUT;
		}
	}

	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_cmd_submit));
	if (!buf)
		return -ENOMEM;
	if (size) {
		data = vgpu_buf_alloc_data(buf, size, GFP_KERNEL);
		if (!data) {
			vgpu_buf_put(buf);
			return -ENOMEM;
		}
		memcpy(data, cmds, size);
	}
	vgpu_proto_submit_3d(buf->req, ctx_id, size);

	ret = mutex_lock_interruptible(&vfile->lock);
	if (ret) {
		vgpu_buf_put(buf);
		return ret;
	}
	f = vgpu_fence_alloc(vg, vfile->fence_context + ring_idx,
			     vfile->ring_seqno[ring_idx] + 1);
	if (!f) {
		mutex_unlock(&vfile->lock);
		vgpu_buf_put(buf);
		return -ENOMEM;
	}
	vfile->ring_seqno[ring_idx]++;
	vgpu_fence_emit(f, buf, use_ring, ring_idx);
	/* Not queued: the buffer completes with the error, and so does f. */
	ret = vgpu_vq_submit(&vg->ctrlq, &buf, 1, vg->cmd_timeout);
	mutex_unlock(&vfile->lock);
	vgpu_buf_put(buf);
	if (ret)
		drm_dbg_driver(vg->drm, "submit: not queued (%d)\n", ret);
	if (out_fence && !ret)
		*out_fence = &f->base;
	else
		dma_fence_put(&f->base);
	return ret;
}
EXPORT_SYMBOL_FOR_VGPU_TESTS(vgpu_submit);
