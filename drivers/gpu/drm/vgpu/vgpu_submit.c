// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu submission feature: fenced commands on a file's rings.
 *
 * A job is one command (SUBMIT_3D or a transfer) on a ring of the
 * file's context. Running it waits (on the CPU, interruptibly and bounded)
 * for its in fences that the ring does not already order, locks the
 * reservations of its buffers, takes the ring's next sequence number and
 * queues the command under the file's lock, so a ring's commands reach
 * the host in sequence-number order, and adds the job's fence to every
 * buffer. A stream follows its command (vgpu_buf_alloc_tail(): in the
 * command's buffer when small, else a page-by-page payload, so large ones
 * need no high-order allocation). A zero-size submission is allowed:
 * with an out fence it is just a fence.
 *
 * A job nobody can wait for (no buffers, no out fence or syncobj, no
 * FENCE_SIGNALED event) goes without a fence: the host answers it as soon
 * as it has run it, instead of creating a fence in the renderer and
 * holding the answer until that fence signals. The ring's order still
 * holds, so a later fence on the ring covers it; an error answer is
 * counted in debugfs ``host_errors``.
 */
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

static int vgpu_job_wait_in(struct vgpu_device *vg, struct vgpu_job *job,
			    u64 context)
{
	unsigned int i;
	long left;

	for (i = 0; i < job->num_in; i++) {
		struct dma_fence *in = job->in_fences[i];

		/* The ring runs in order: its own fences need no wait. */
		if (in->context == context)
			continue;
		left = dma_fence_wait_timeout(in, true, vg->cmd_timeout);
		if (left < 0)
			return left;
		if (!left) {
			drm_dbg_driver(vg->drm, "submit: in fence %llu:%llu timed out\n",
				       in->context, in->seqno);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* The pages a job's command may use go to the host ahead of it. */
static int vgpu_job_back(struct vgpu_device *vg, struct vgpu_job *job)
{
	unsigned int i;
	int ret;

	for (i = 0; i < job->num_objs; i++) {
		ret = vgpu_bo_res_back(vg, to_vgpu_bo(job->objs[i]));
		if (ret)
			return ret;
	}
	return 0;
}

/* Lock the buffers' reservations, each with room for one more fence. */
static int vgpu_job_lock(struct vgpu_job *job, struct ww_acquire_ctx *ticket)
{
	unsigned int i;
	int ret;

	if (!job->num_objs)
		return 0;
	ret = drm_gem_lock_reservations(job->objs, job->num_objs, ticket);
	if (ret)
		return ret;
	for (i = 0; i < job->num_objs; i++) {
		ret = dma_resv_reserve_fences(job->objs[i]->resv, 1);
		if (ret) {
			drm_gem_unlock_reservations(job->objs, job->num_objs,
						    ticket);
			return ret;
		}
	}
	return 0;
}

/* Whether anyone can wait for the job's command to complete. */
static bool vgpu_job_fenced(const struct vgpu_job *job)
{
	return job->want_out || job->num_objs || job->event;
}

/*
 * The ring's next fence on the command, and the command queued, in the
 * ring's order (&vgpu_file.lock). Return: the fence (one reference, also
 * when not queued: the command then completes with the error, and so does
 * the fence), NULL for a job without one, or an ERR_PTR.
 */
static struct vgpu_fence *vgpu_job_queue(struct vgpu_device *vg,
					 struct vgpu_file *vfile,
					 struct vgpu_job *job, u32 ring,
					 int *submit_err)
{
	struct vgpu_fence *f;
	int ret;

	ret = mutex_lock_interruptible(&vfile->lock);
	if (ret)
		return ERR_PTR(ret);
	if (!vgpu_job_fenced(job)) {
		/* No fence to carry an error answer: it is counted instead. */
		vgpu_cmd_count_errors(vg, job->buf);
		*submit_err = vgpu_vq_submit(&vg->ctrlq, &job->buf, 1,
					     vg->cmd_timeout);
		mutex_unlock(&vfile->lock);
		if (!*submit_err)
			atomic64_inc(&vg->fences.unfenced);
		return NULL;
	}
	f = vgpu_fence_alloc(vg, vfile->timelines->context + ring,
			     vfile->ring_seqno[ring] + 1);
	if (!f) {
		mutex_unlock(&vfile->lock);
		return ERR_PTR(-ENOMEM);
	}
	vfile->ring_seqno[ring]++;
	vgpu_fence_emit(f, vfile->timelines, ring, job->buf, job->use_ring);
	if (job->event) {
		vgpu_fence_event_arm(job->event, &f->base);
		job->event = NULL;
	}
	*submit_err = vgpu_vq_submit(&vg->ctrlq, &job->buf, 1, vg->cmd_timeout);
	mutex_unlock(&vfile->lock);
	if (*submit_err)
		drm_dbg_driver(vg->drm, "submit: not queued (%d)\n", *submit_err);
	return f;
}

/**
 * vgpu_job_run - fence and queue a command on a ring of the file
 * @vg: device
 * @vfile: file state; its context exists when the command names it
 * @job: the job; @job->buf is consumed, and @job->event once armed (it
 *	  stays with the caller when the job failed before); @job->out is
 *	  set on success, to NULL for a job nobody can wait for
 *
 * Return: 0; -EINVAL for a ring the context does not have; -ETIMEDOUT
 * when an in fence does not signal within the command timeout;
 * -ERESTARTSYS; -ENOMEM; -EDEADLK never (reservations are taken with a
 * ticket); or the transport's error. A command the device never took
 * signals its fence with the error.
 */
int vgpu_job_run(struct vgpu_device *vg, struct vgpu_file *vfile,
		 struct vgpu_job *job)
{
	struct ww_acquire_ctx ticket;
	struct vgpu_fence *f;
	unsigned int i;
	u32 ring = job->use_ring ? job->ring_idx : 0;
	int ret;

	job->out = NULL;
	if (ring >= READ_ONCE(vfile->num_rings)) {
		drm_dbg_driver(vg->drm, "submit: ring %u of %u\n", ring,
			       vfile->num_rings);
		ret = -EINVAL;
		goto out_buf;
	}
	ret = vgpu_job_back(vg, job);
	if (!ret)
		ret = vgpu_job_wait_in(vg, job, vfile->timelines->context + ring);
	if (!ret)
		ret = vgpu_job_lock(job, &ticket);
	if (ret)
		goto out_buf;
	f = vgpu_job_queue(vg, vfile, job, ring, &ret);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
	} else if (f) {
		for (i = 0; i < job->num_objs; i++)
			dma_resv_add_fence(job->objs[i]->resv, &f->base,
					   job->usage);
		if (ret)
			dma_fence_put(&f->base);
		else
			job->out = &f->base;
	}
	if (job->num_objs)
		drm_gem_unlock_reservations(job->objs, job->num_objs, &ticket);
out_buf:
	vgpu_buf_put(job->buf);
	job->buf = NULL;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_job_run);

/* What the device decides of a transfer (see vgpu_transfer()). */
static int vgpu_transfer_check(struct vgpu_device *vg, struct vgpu_bo *bo,
			       bool to_host, const struct vgpu_transfer_desc *t)
{
	struct vgpu_hres *res = bo->res;
	size_t size = bo->base.base.size;
	u32 end;

	if (t->offset >= size) {
		drm_dbg_driver(vg->drm, "transfer: offset %llu beyond %zu bytes\n",
			       t->offset, size);
		return -EINVAL;
	}
	if (vgpu_hres_is_blob(res)) {
		/* A blob's layout is the host's: it checks the box. */
		if (res->kind != VGPU_HRES_BLOB_HOST && vg->features.virgl)
			return 0;
		drm_dbg_driver(vg->drm, "transfer: blob %u %s\n", res->id,
			       res->kind == VGPU_HRES_BLOB_HOST ?
			       "has no guest memory" : "without 3D");
		return -EINVAL;
	}
	if (check_add_overflow(t->x, t->w, &end) || end > res->width ||
	    check_add_overflow(t->y, t->h, &end) ||
	    check_add_overflow(t->z, t->d, &end) ||
	    t->level > res->last_level) {
		drm_dbg_driver(vg->drm, "transfer: box %u,%u,%u %ux%ux%u level %u outside res %u\n",
			       t->x, t->y, t->z, t->w, t->h, t->d, t->level,
			       res->id);
		return -EINVAL;
	}
	if (res->kind != VGPU_HRES_2D)
		return 0;
	if (!to_host) {
		drm_dbg_driver(vg->drm, "transfer from host: needs 3D\n");
		return -ENODEV;
	}
	if (t->y + t->h > res->height) {
		drm_dbg_driver(vg->drm, "transfer: rows %u..%u of %u\n",
			       t->y, t->y + t->h, res->height);
		return -EINVAL;
	}
	/*
	 * The host reads row n of the box at offset + n * its stride and does
	 * not survive reading past the backing.
	 */
	if (t->h && t->w &&
	    t->offset + (u64)(t->h - 1) * res->width * VGPU_PROTO_CPP +
	    (u64)t->w * VGPU_PROTO_CPP > size) {
		drm_dbg_driver(vg->drm, "transfer: %ux%u at %llu passes %zu bytes\n",
			       t->w, t->h, t->offset, size);
		return -EINVAL;
	}
	return 0;
}

/**
 * vgpu_transfer - TRANSFER_TO_HOST or TRANSFER_FROM_HOST of a buffer
 * @vg: device
 * @vfile: file state
 * @bo: buffer with its own resource
 * @to_host: guest to host (else host to guest)
 * @t: box, level, offset and strides (@t->ctx_id and @t->res_id are set here)
 *
 * With 3D the transfer is a fenced TRANSFER_{TO,FROM}_HOST_3D in the
 * file's context on ring 0; without, a fenced TRANSFER_TO_HOST_2D of the
 * box (host-to-guest needs 3D). The fence goes on the buffer (as a write
 * when the host writes guest memory), so DRM_IOCTL_VIRTGPU_WAIT waits for
 * it.
 *
 * A blob with guest memory is transferred as a 3D resource whose layout
 * the host knows (the host checks the box); a host blob has nothing to
 * transfer.
 *
 * Return: 0; -EINVAL for a box or level outside the resource, an offset
 * outside the buffer, a 2D box whose rows pass the buffer's end, or a blob
 * without guest memory or without 3D;
 * -ENODEV for host-to-guest without 3D; or an error of vgpu_ctx_get() or
 * vgpu_job_run().
 */
int vgpu_transfer(struct vgpu_device *vg, struct vgpu_file *vfile,
		  struct vgpu_bo *bo, bool to_host, struct vgpu_transfer_desc *t)
{
	struct drm_gem_object *obj = &bo->base.base;
	struct vgpu_hres *res = bo->res;
	struct vgpu_job job = {
		.objs = &obj,
		.num_objs = 1,
		.usage = to_host ? DMA_RESV_USAGE_READ : DMA_RESV_USAGE_WRITE,
	};
	int ret;

	ret = vgpu_transfer_check(vg, bo, to_host, t);
	if (ret)
		return ret;
	t->res_id = res->id;
	if (res->kind == VGPU_HRES_2D) {
		struct vgpu_rect r = { t->x, t->y, t->w, t->h };

		job.buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_to_host_2d));
		if (!job.buf)
			return -ENOMEM;
		vgpu_proto_transfer_to_host_2d(job.buf->req, res->id, t->offset,
					       &r);
	} else {
		ret = vgpu_ctx_get(vg, vfile, &t->ctx_id);
		if (ret)
			return ret;
		job.buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_transfer_host_3d));
		if (!job.buf)
			return -ENOMEM;
		vgpu_proto_transfer_3d(job.buf->req, to_host, t);
	}
	ret = vgpu_job_run(vg, vfile, &job);
	if (!ret)
		dma_fence_put(job.out);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_transfer);
