// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu command layer: between the protocol's encoders and the features.
 */
#include <linux/scatterlist.h>
#include <linux/seq_file.h>

#include <kunit/visibility.h>

#include <drm/drm_print.h>

#include "vgpu_drv.h"

/**
 * DOC: Commands
 *
 * Every feature talks to the host through this layer, and this layer only
 * through the transport (&struct vgpu_vq) and the protocol's encoders
 * (vgpu_proto.c):
 *
 * - allocation: vgpu_cmd_alloc() for a command with a plain answer,
 *   vgpu_cmd_submit_alloc() for a SUBMIT_3D with its stream,
 *   vgpu_cmd_mem_entries() for a command followed by the memory entries
 *   of a buffer's pages;
 * - sending: vgpu_cmd_exec() queues one command and waits for its answer,
 *   interruptibly and for at most the command timeout, and checks the
 *   answer; vgpu_cmd_async() queues a command nobody waits for, whose
 *   error answer vgpu_cmd_host_error() counts (debugfs ``info``).
 *
 * The features own what they send: which commands, in which order, and
 * when the queue is kicked (one notification per batch).
 */

/**
 * vgpu_cmd_alloc - allocate a command with a ctrl_hdr answer
 * @req_len: request size
 *
 * Return: the buffer or NULL.
 */
struct vgpu_buf *vgpu_cmd_alloc(u32 req_len)
{
	return vgpu_buf_alloc(req_len, sizeof(struct virtio_gpu_ctrl_hdr),
			      GFP_KERNEL);
}

/**
 * vgpu_cmd_submit_alloc - a SUBMIT_3D command with room for its stream
 * @ctx_id: context
 * @size: stream bytes, at most VGPU_EXECBUF_MAX
 * @data: set to where the stream goes (NULL for a zero size)
 *
 * Return: the command, or NULL.
 */
struct vgpu_buf *vgpu_cmd_submit_alloc(u32 ctx_id, u32 size, void **data)
{
	struct vgpu_buf *buf;

	buf = vgpu_buf_alloc_tail(sizeof(struct virtio_gpu_cmd_submit), size,
				  sizeof(struct virtio_gpu_ctrl_hdr), GFP_KERNEL,
				  data);
	if (buf)
		vgpu_proto_submit_3d(buf->req, ctx_id, size);
	return buf;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_cmd_submit_alloc);

/**
 * vgpu_cmd_mem_entries - a command followed by the memory entries of pages
 * @vg: device
 * @sgt: the pages, mapped for the device
 * @req_len: size of the command before the entries
 * @n: set to the number of entries
 *
 * Entries are DMA segments, or physical pages with the virtio DMA quirk.
 *
 * Return: the command with the entries filled in and a ctrl_hdr answer,
 * or NULL.
 */
struct vgpu_buf *vgpu_cmd_mem_entries(struct vgpu_device *vg,
				      struct sg_table *sgt, u32 req_len,
				      u32 *n)
{
	struct virtio_gpu_mem_entry *ents;
	struct scatterlist *sg;
	struct vgpu_buf *buf;
	unsigned int i;

	*n = vg->features.dma_api ? sgt->nents : sgt->orig_nents;
	buf = vgpu_buf_alloc_tail(req_len, array_size(*n, sizeof(*ents)),
				  sizeof(struct virtio_gpu_ctrl_hdr), GFP_KERNEL,
				  (void **)&ents);
	if (!buf)
		return NULL;
	if (vg->features.dma_api) {
		for_each_sgtable_dma_sg(sgt, sg, i)
			vgpu_proto_mem_entry(&ents[i], sg_dma_address(sg),
					     sg_dma_len(sg));
	} else {
		for_each_sgtable_sg(sgt, sg, i)
			vgpu_proto_mem_entry(&ents[i], sg_phys(sg), sg->length);
	}
	return buf;
}

/**
 * vgpu_cmd_exec - send one command and wait for its answer
 * @vg: device
 * @q: queue to use
 * @buf: filled request; the caller keeps its reference
 * @expected: the OK response type
 * @min_len: smallest valid response length
 *
 * Return: 0 with the response in @buf, or a negative errno: the
 * transport's, -ETIMEDOUT, -ERESTARTSYS, or the host's error response.
 */
int vgpu_cmd_exec(struct vgpu_device *vg, struct vgpu_vq *q,
		  struct vgpu_buf *buf, u32 expected, u32 min_len)
{
	u32 type = le32_to_cpu(((struct virtio_gpu_ctrl_hdr *)buf->req)->type);
	int ret;

	ret = vgpu_vq_submit(q, &buf, 1, vg->cmd_timeout);
	if (!ret)
		ret = vgpu_buf_wait(buf, vg->cmd_timeout);
	if (ret) {
		drm_dbg_driver(vg->drm, "cmd 0x%04x on %s: transport error %d\n",
			       type, q->name, ret);
		return ret;
	}
	ret = vgpu_proto_resp_check(buf->resp, buf->used_len, expected, min_len);
	if (ret)
		drm_dbg_driver(vg->drm, "cmd 0x%04x: response 0x%04x len %u: %d\n",
			       type, vgpu_proto_resp_type(buf->resp, buf->used_len),
			       buf->used_len, ret);
	return ret;
}

/**
 * vgpu_cmd_host_error - count an answer nobody waits for that is not OK
 * @vg: device
 * @buf: the answered command
 *
 * Context: any, including the queue's interrupt.
 */
void vgpu_cmd_host_error(struct vgpu_device *vg, struct vgpu_buf *buf)
{
	const struct virtio_gpu_ctrl_hdr *req = buf->req;

	WRITE_ONCE(vg->host_errors.last,
		   vgpu_proto_resp_type(buf->resp, buf->used_len));
	WRITE_ONCE(vg->host_errors.last_cmd, le32_to_cpu(req->type));
	atomic_inc(&vg->host_errors.count);
}

static void vgpu_cmd_async_done(struct vgpu_buf *buf)
{
	if (buf->status)
		return;
	if (vgpu_proto_resp_check(buf->resp, buf->used_len,
				  VIRTIO_GPU_RESP_OK_NODATA,
				  sizeof(struct virtio_gpu_ctrl_hdr)))
		vgpu_cmd_host_error(buf->priv, buf);
}

/**
 * vgpu_cmd_count_errors - count a command's error answer when it comes
 * @vg: device
 * @buf: command with a ctrl_hdr answer and no answer hook of its own
 *
 * For a command queued without waiting: an answer that is not
 * RESP_OK_NODATA goes to vgpu_cmd_host_error().
 */
void vgpu_cmd_count_errors(struct vgpu_device *vg, struct vgpu_buf *buf)
{
	buf->on_done = vgpu_cmd_async_done;
	buf->priv = vg;
}

/**
 * vgpu_cmd_async - queue a command whose answer nobody waits for
 * @vg: device
 * @q: queue
 * @buf: filled request with room for a ctrl_hdr answer; the caller's
 *	 reference is consumed
 *
 * The caller kicks the queue once its batch is complete. Unless @buf has
 * its own answer hook, error answers are counted in
 * &vgpu_device.host_errors.count (debugfs).
 *
 * Return: 0, or the transport's error (the command was dropped).
 */
int vgpu_cmd_async(struct vgpu_device *vg, struct vgpu_vq *q,
		   struct vgpu_buf *buf)
{
	int ret;

	if (!buf->on_done)
		vgpu_cmd_count_errors(vg, buf);
	ret = vgpu_vq_queue(q, buf, vg->cmd_timeout);
	if (ret)
		drm_dbg_driver(vg->drm, "async cmd 0x%04x on %s dropped: %d\n",
			       le32_to_cpu(((struct virtio_gpu_ctrl_hdr *)buf->req)->type),
			       q->name, ret);
	vgpu_buf_put(buf);
	return ret;
}

/**
 * vgpu_cmd_print - the host errors' lines of debugfs vgpu_info
 * @m: the file
 * @vg: device
 */
void vgpu_cmd_print(struct seq_file *m, struct vgpu_device *vg)
{
	seq_printf(m, "host_errors: %d\n", atomic_read(&vg->host_errors.count));
	seq_printf(m, "last_host_error: 0x%04x\n", READ_ONCE(vg->host_errors.last));
	seq_printf(m, "last_host_error_cmd: 0x%04x\n",
		   READ_ONCE(vg->host_errors.last_cmd));
}
