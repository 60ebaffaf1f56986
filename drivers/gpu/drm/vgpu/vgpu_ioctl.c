// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu uapi: the virtgpu ioctls.
 *
 * This file copies arguments in and out and checks them for form (flags,
 * padding, sizes, pointers); the feature files decide. Every refusal has a
 * drm_dbg reason. Every ioctl is allowed on the render node. A few core
 * ioctls are bounded here before the DRM core sees them.
 */
#include <linux/compat.h>
#include <linux/dma-fence.h>
#include <linux/dma-fence-chain.h>
#include <linux/file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <kunit/visibility.h>

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_syncobj.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/* CONTEXT_INIT takes each parameter at most once. */
#define VGPU_CTX_PARAMS_MAX	4

static int vgpu_ioctl_getparam(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_virtgpu_getparam *args = data;
	int value, ret;

	ret = vgpu_param_get(to_vgpu(drm), args->param, &value);
	if (ret)
		return ret;
	if (copy_to_user(u64_to_user_ptr(args->value), &value, sizeof(value))) {
		drm_dbg_driver(drm, "getparam: bad value pointer\n");
		return -EFAULT;
	}
	return 0;
}

static int vgpu_ioctl_get_caps(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct vgpu_device *vg = to_vgpu(drm);
	struct drm_virtgpu_get_caps *args = data;
	u32 size = min_t(u32, args->size, VGPU_CAPSET_MAX_SIZE);
	void *tmp;
	int ret;

	if (args->pad) {
		drm_dbg_driver(drm, "get_caps: pad is not zero\n");
		return -EINVAL;
	}
	if (!vg->ctx.num_capsets) {
		drm_dbg_driver(drm, "get_caps: the host has no capsets\n");
		return -ENODEV;
	}
	if (!args->size) {
		drm_dbg_driver(drm, "get_caps: size 0\n");
		return -EINVAL;
	}
	tmp = kvzalloc(size, GFP_KERNEL);
	if (!tmp)
		return -ENOMEM;
	ret = vgpu_capset_read(vg, args->cap_set_id, args->cap_set_ver, tmp,
			       size);
	if (ret >= 0 && copy_to_user(u64_to_user_ptr(args->addr), tmp, ret)) {
		drm_dbg_driver(drm, "get_caps: bad destination pointer\n");
		ret = -EFAULT;
	}
	kvfree(tmp);
	return ret < 0 ? ret : 0;
}

static int vgpu_ctx_param_copy(struct drm_device *drm,
			       const struct drm_virtgpu_context_set_param *in,
			       unsigned int n, struct vgpu_ctx_params *p)
{
	unsigned long seen = 0;
	unsigned int i;
	long len;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < n; i++) {
		u64 v = in[i].value;

		if (!in[i].param || in[i].param > VGPU_CTX_PARAMS_MAX) {
			drm_dbg_driver(drm, "context init: unknown parameter %llu\n",
				       in[i].param);
			return -EINVAL;
		}
		if (test_and_set_bit(in[i].param, &seen)) {
			drm_dbg_driver(drm, "context init: parameter %llu given twice\n",
				       in[i].param);
			return -EINVAL;
		}
		switch (in[i].param) {
		case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
			p->has_capset = true;
			p->capset_id = v;
			break;
		case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
			p->num_rings = v;
			break;
		case VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK:
			p->poll_rings_mask = v;
			break;
		case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
			len = strncpy_from_user(p->debug_name, u64_to_user_ptr(v),
						sizeof(p->debug_name) - 1);
			if (len < 0) {
				drm_dbg_driver(drm, "context init: bad debug name pointer\n");
				return -EFAULT;
			}
			p->debug_name[len] = 0;
			break;
		}
	}
	return 0;
}

static int vgpu_ioctl_context_init(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct drm_virtgpu_context_init *args = data;
	struct drm_virtgpu_context_set_param *in;
	struct vgpu_ctx_params p;
	int ret;

	if (args->pad) {
		drm_dbg_driver(drm, "context init: pad is not zero\n");
		return -EINVAL;
	}
	if (args->num_params > VGPU_CTX_PARAMS_MAX) {
		drm_dbg_driver(drm, "context init: %u parameters, at most %u\n",
			       args->num_params, VGPU_CTX_PARAMS_MAX);
		return -EINVAL;
	}
	in = memdup_user(u64_to_user_ptr(args->ctx_set_params),
			 array_size(args->num_params, sizeof(*in)));
	if (IS_ERR(in)) {
		ret = PTR_ERR(in);
		/* An empty list needs no pointer. */
		if (args->num_params)
			return ret;
		in = NULL;
	}
	ret = vgpu_ctx_param_copy(drm, in, args->num_params, &p);
	kfree(in);
	if (ret)
		return ret;
	return vgpu_ctx_init(to_vgpu(drm), to_vgpu_file(file), &p);
}

/* gallium's PIPE_TEXTURE_2D, the only target without 3D. */
#define VGPU_TARGET_TEXTURE_2D	2

static int vgpu_ioctl_resource_create(struct drm_device *drm, void *data,
				      struct drm_file *file)
{
	struct vgpu_device *vg = to_vgpu(drm);
	struct drm_virtgpu_resource_create *args = data;
	struct vgpu_res3d_desc d = {
		.target = args->target, .format = args->format,
		.bind = args->bind, .width = args->width,
		.height = args->height, .depth = args->depth,
		.array_size = args->array_size, .last_level = args->last_level,
		.nr_samples = args->nr_samples, .flags = args->flags,
	};
	u64 size = args->size;
	int ret;

	if (!args->width || !args->height || !args->depth || !args->array_size) {
		drm_dbg_driver(drm, "resource create: empty %ux%ux%u, %u layers\n",
			       args->width, args->height, args->depth,
			       args->array_size);
		return -EINVAL;
	}
	if (!vg->features.virgl) {
		if (args->target != VGPU_TARGET_TEXTURE_2D || args->depth != 1 ||
		    args->array_size != 1 || args->last_level ||
		    args->nr_samples > 1) {
			drm_dbg_driver(drm, "resource create: only 2D textures without 3D\n");
			return -EINVAL;
		}
		if (!vgpu_proto_format_2d(args->format) ||
		    args->width > VGPU_FB_MAX || args->height > VGPU_FB_MAX) {
			drm_dbg_driver(drm, "resource create: 2D format %u %ux%u not supported\n",
				       args->format, args->width, args->height);
			return -EINVAL;
		}
		/* The host reads width * cpp bytes per row from the backing. */
		if (!size)
			size = (u64)args->width * args->height * VGPU_PROTO_CPP;
		if (size < (u64)args->width * args->height * VGPU_PROTO_CPP) {
			drm_dbg_driver(drm, "resource create: %llu bytes for %ux%u\n",
				       size, args->width, args->height);
			return -EINVAL;
		}
	}
	if (!size)
		size = PAGE_SIZE;
	ret = vgpu_gem_create_resource(vg, file, size, &d,
				       vg->features.virgl ? VGPU_HRES_3D : VGPU_HRES_2D,
				       &args->bo_handle, &args->res_handle);
	if (ret)
		drm_dbg_driver(drm, "resource create: failed %d\n", ret);
	return ret;
}

/*
 * The blob once its form is checked: the device's checks, the file's
 * context for host memory, then the command stream copied in.
 */
static int vgpu_create_blob(struct vgpu_device *vg, struct drm_file *file,
			    struct drm_virtgpu_resource_create_blob *args)
{
	struct vgpu_blob_desc d = {
		.blob_mem = args->blob_mem, .blob_flags = args->blob_flags,
		.blob_id = args->blob_id,
	};
	struct vgpu_buf *submit = NULL;
	void *stream;
	int ret;

	ret = vgpu_blob_check(vg, args, &d.size);
	if (ret)
		return ret;
	if (args->blob_mem != VIRTGPU_BLOB_MEM_GUEST) {
		ret = vgpu_ctx_get(vg, to_vgpu_file(file), &d.ctx_id);
		if (ret)
			return ret;
	}
	if (args->cmd_size) {
		submit = vgpu_cmd_submit_alloc(d.ctx_id, args->cmd_size, &stream);
		if (!submit)
			return -ENOMEM;
		if (copy_from_user(stream, u64_to_user_ptr(args->cmd),
				   args->cmd_size)) {
			drm_dbg_driver(vg->drm, "blob: bad command pointer\n");
			vgpu_buf_put(submit);
			return -EFAULT;
		}
	}
	ret = vgpu_gem_create_blob(vg, file, &d, submit, &args->bo_handle);
	if (!ret)
		args->res_handle = d.res_id;
	return ret;
}

/**
 * vgpu_ioctl_resource_create_blob - DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB
 * @drm: DRM device
 * @data: &struct drm_virtgpu_resource_create_blob; the handle and resource
 *	  id are set on success
 * @file: file that gets the handle
 *
 * Return: 0; -EINVAL for a bad form (memory type, flags, pad, blob_id or
 * a command for guest memory, a command size not a multiple of 4) or what
 * vgpu_blob_check() refuses; -E2BIG for a command above VGPU_EXECBUF_MAX;
 * -EFAULT; the context's creation error; or an error of
 * vgpu_gem_create_blob().
 */
int vgpu_ioctl_resource_create_blob(struct drm_device *drm, void *data,
				    struct drm_file *file)
{
	struct drm_virtgpu_resource_create_blob *args = data;
	bool host3d;

	switch (args->blob_mem) {
	case VIRTGPU_BLOB_MEM_GUEST:
	case VIRTGPU_BLOB_MEM_HOST3D:
	case VIRTGPU_BLOB_MEM_HOST3D_GUEST:
		break;
	default:
		drm_dbg_driver(drm, "blob: unknown memory type %u\n", args->blob_mem);
		return -EINVAL;
	}
	if (args->blob_flags & ~(VIRTGPU_BLOB_FLAG_USE_MAPPABLE |
				 VIRTGPU_BLOB_FLAG_USE_SHAREABLE |
				 VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE)) {
		drm_dbg_driver(drm, "blob: unknown flags 0x%x\n", args->blob_flags);
		return -EINVAL;
	}
	if (args->pad) {
		drm_dbg_driver(drm, "blob: pad is not zero\n");
		return -EINVAL;
	}
	host3d = args->blob_mem != VIRTGPU_BLOB_MEM_GUEST;
	if (!host3d && (args->blob_id || args->cmd_size)) {
		drm_dbg_driver(drm, "blob: blob_id or a command for guest memory\n");
		return -EINVAL;
	}
	if (args->cmd_size % 4) {
		drm_dbg_driver(drm, "blob: command size %u is not a multiple of 4\n",
			       args->cmd_size);
		return -EINVAL;
	}
	if (args->cmd_size > VGPU_EXECBUF_MAX) {
		drm_dbg_driver(drm, "blob: command of %u bytes exceeds %u\n",
			       args->cmd_size, VGPU_EXECBUF_MAX);
		return -E2BIG;
	}
	return vgpu_create_blob(to_vgpu(drm), file, args);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ioctl_resource_create_blob);

static struct vgpu_bo *vgpu_lookup_res(struct drm_device *drm,
				       struct drm_file *file, u32 handle,
				       const char *what)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (!obj) {
		drm_dbg_driver(drm, "%s: no buffer %u\n", what, handle);
		return ERR_PTR(-ENOENT);
	}
	if (!to_vgpu_bo(obj)->res) {
		drm_dbg_driver(drm, "%s: buffer %u has no host resource\n",
			       what, handle);
		drm_gem_object_put(obj);
		return ERR_PTR(-EINVAL);
	}
	return to_vgpu_bo(obj);
}

static int vgpu_ioctl_resource_info(struct drm_device *drm, void *data,
				    struct drm_file *file)
{
	struct drm_virtgpu_resource_info *args = data;
	struct vgpu_bo *bo;

	bo = vgpu_lookup_res(drm, file, args->bo_handle, "resource info");
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	args->res_handle = bo->res->id;
	args->size = bo->base.base.size;
	args->blob_mem = vgpu_hres_blob_mem(bo->res);
	drm_gem_object_put(&bo->base.base);
	return 0;
}

static int vgpu_ioctl_map(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct drm_virtgpu_map *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->pad) {
		drm_dbg_driver(drm, "map: pad is not zero\n");
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg_driver(drm, "map: no buffer %u\n", args->handle);
		return -ENOENT;
	}
	/* Imported buffers too: their mmap goes to the exporter. */
	ret = drm_gem_create_mmap_offset(obj);
	if (!ret)
		args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return ret;
}

static int vgpu_transfer_ioctl(struct drm_device *drm, struct drm_file *file,
			       u32 handle, const struct drm_virtgpu_3d_box *box,
			       u32 level, u32 offset, u32 stride,
			       u32 layer_stride, bool to_host)
{
	struct vgpu_transfer_desc t = {
		.x = box->x, .y = box->y, .z = box->z,
		.w = box->w, .h = box->h, .d = box->d,
		.offset = offset, .level = level, .stride = stride,
		.layer_stride = layer_stride,
	};
	struct vgpu_bo *bo;
	int ret;

	bo = vgpu_lookup_res(drm, file, handle, "transfer");
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = vgpu_transfer(to_vgpu(drm), to_vgpu_file(file), bo, to_host, &t);
	drm_gem_object_put(&bo->base.base);
	return ret;
}

static int vgpu_ioctl_transfer_to_host(struct drm_device *drm, void *data,
				       struct drm_file *file)
{
	struct drm_virtgpu_3d_transfer_to_host *a = data;

	return vgpu_transfer_ioctl(drm, file, a->bo_handle, &a->box, a->level,
				   a->offset, a->stride, a->layer_stride, true);
}

static int vgpu_ioctl_transfer_from_host(struct drm_device *drm, void *data,
					 struct drm_file *file)
{
	struct drm_virtgpu_3d_transfer_from_host *a = data;

	return vgpu_transfer_ioctl(drm, file, a->bo_handle, &a->box, a->level,
				   a->offset, a->stride, a->layer_stride, false);
}

static int vgpu_ioctl_wait(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_virtgpu_3d_wait *args = data;
	struct drm_gem_object *obj;
	int ret;

	if (args->flags & ~VIRTGPU_WAIT_NOWAIT) {
		drm_dbg_driver(drm, "wait: unknown flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj) {
		drm_dbg_driver(drm, "wait: no buffer %u\n", args->handle);
		return -ENOENT;
	}
	ret = vgpu_gem_wait(to_vgpu(drm), obj, args->flags & VIRTGPU_WAIT_NOWAIT);
	drm_gem_object_put(obj);
	return ret;
}

/**
 * struct vgpu_exec - what one EXECBUFFER holds while it runs
 * @job: the job
 * @in: fences of the in-syncobjs and of the fence fd
 * @num_in: entries in @in
 * @reset: in-syncobjs to reset after the submission (NULL entries skipped)
 * @num_reset: entries in @reset
 * @out: out-syncobjs
 * @out_points: their timeline points (0: binary)
 * @out_chains: preallocated chain nodes for the timeline points
 * @num_out: entries in @out
 * @in_fd: @in without in-syncobjs (no allocation)
 */
struct vgpu_exec {
	struct vgpu_job job;
	struct dma_fence **in;
	unsigned int num_in;
	struct drm_syncobj **reset;
	unsigned int num_reset;
	struct drm_syncobj **out;
	u64 *out_points;
	struct dma_fence_chain **out_chains;
	unsigned int num_out;
	struct dma_fence *in_fd[1];
};

static int vgpu_exec_syncobj_desc(struct drm_device *drm,
				  const struct drm_virtgpu_execbuffer *args,
				  u64 base, u32 i,
				  struct drm_virtgpu_execbuffer_syncobj *desc)
{
	u64 addr = base + (u64)i * args->syncobj_stride;

	memset(desc, 0, sizeof(*desc));
	if (copy_from_user(desc, u64_to_user_ptr(addr),
			   min_t(u32, args->syncobj_stride, sizeof(*desc)))) {
		drm_dbg_driver(drm, "execbuffer: bad syncobj pointer\n");
		return -EFAULT;
	}
	return 0;
}

static int vgpu_exec_in_syncobjs(struct drm_device *drm, struct drm_file *file,
				 const struct drm_virtgpu_execbuffer *args,
				 struct vgpu_exec *ex)
{
	struct drm_virtgpu_execbuffer_syncobj desc;
	unsigned int i;
	int ret;

	for (i = 0; i < args->num_in_syncobjs; i++) {
		ret = vgpu_exec_syncobj_desc(drm, args, args->in_syncobjs, i, &desc);
		if (ret)
			return ret;
		if (desc.flags & ~VIRTGPU_EXECBUF_SYNCOBJ_FLAGS) {
			drm_dbg_driver(drm, "execbuffer: in-syncobj flags 0x%x\n",
				       desc.flags);
			return -EINVAL;
		}
		ret = drm_syncobj_find_fence(file, desc.handle, desc.point, 0,
					     &ex->in[ex->num_in]);
		if (ret) {
			drm_dbg_driver(drm, "execbuffer: in-syncobj %u point %llu: %d\n",
				       desc.handle, desc.point, ret);
			return ret;
		}
		ex->num_in++;
		if (desc.flags & VIRTGPU_EXECBUF_SYNCOBJ_RESET) {
			ex->reset[ex->num_reset] = drm_syncobj_find(file, desc.handle);
			if (!ex->reset[ex->num_reset])
				return -ENOENT;
			ex->num_reset++;
		}
	}
	return 0;
}

static int vgpu_exec_out_syncobjs(struct drm_device *drm, struct drm_file *file,
				  const struct drm_virtgpu_execbuffer *args,
				  struct vgpu_exec *ex)
{
	struct drm_virtgpu_execbuffer_syncobj desc;
	unsigned int i;
	int ret;

	for (i = 0; i < args->num_out_syncobjs; i++) {
		ret = vgpu_exec_syncobj_desc(drm, args, args->out_syncobjs, i,
					     &desc);
		if (ret)
			return ret;
		if (desc.flags) {
			drm_dbg_driver(drm, "execbuffer: out-syncobj flags 0x%x\n",
				       desc.flags);
			return -EINVAL;
		}
		ex->out[i] = drm_syncobj_find(file, desc.handle);
		if (!ex->out[i]) {
			drm_dbg_driver(drm, "execbuffer: no out-syncobj %u\n",
				       desc.handle);
			return -ENOENT;
		}
		ex->num_out++;
		ex->out_points[i] = desc.point;
		if (desc.point) {
			ex->out_chains[i] = dma_fence_chain_alloc();
			if (!ex->out_chains[i])
				return -ENOMEM;
		}
	}
	return 0;
}

static void vgpu_exec_fini(struct vgpu_exec *ex)
{
	unsigned int i;

	for (i = 0; i < ex->num_in; i++)
		dma_fence_put(ex->in[i]);
	for (i = 0; i < ex->num_reset; i++)
		drm_syncobj_put(ex->reset[i]);
	for (i = 0; i < ex->num_out; i++) {
		drm_syncobj_put(ex->out[i]);
		dma_fence_chain_free(ex->out_chains[i]);
	}
	/* A failed lookup leaves the entries after the bad handle NULL. */
	for (i = 0; ex->job.objs && i < ex->job.num_objs; i++)
		if (ex->job.objs[i])
			drm_gem_object_put(ex->job.objs[i]);
	kvfree(ex->job.objs);
	if (ex->in != ex->in_fd)
		kvfree(ex->in);
	kvfree(ex->reset);
	kvfree(ex->out);
	kvfree(ex->out_points);
	kvfree(ex->out_chains);
	vgpu_buf_put(ex->job.buf);
}

static int vgpu_exec_check(struct drm_device *drm,
			   const struct drm_virtgpu_execbuffer *args)
{
	if (args->flags & ~VIRTGPU_EXECBUF_FLAGS) {
		drm_dbg_driver(drm, "execbuffer: unknown flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	if (args->size > VGPU_EXECBUF_MAX) {
		drm_dbg_driver(drm, "execbuffer: %u bytes, at most %u\n",
			       args->size, VGPU_EXECBUF_MAX);
		return -E2BIG;
	}
	if (args->num_bo_handles > VGPU_EXECBUF_BOS_MAX) {
		drm_dbg_driver(drm, "execbuffer: %u buffers, at most %u\n",
			       args->num_bo_handles, VGPU_EXECBUF_BOS_MAX);
		return -E2BIG;
	}
	if (args->num_in_syncobjs > VGPU_EXECBUF_SYNCOBJS_MAX ||
	    args->num_out_syncobjs > VGPU_EXECBUF_SYNCOBJS_MAX) {
		drm_dbg_driver(drm, "execbuffer: %u/%u syncobjs, at most %u each\n",
			       args->num_in_syncobjs, args->num_out_syncobjs,
			       VGPU_EXECBUF_SYNCOBJS_MAX);
		return -E2BIG;
	}
	if ((args->num_in_syncobjs || args->num_out_syncobjs) &&
	    !args->syncobj_stride) {
		drm_dbg_driver(drm, "execbuffer: syncobjs with stride 0\n");
		return -EINVAL;
	}
	if (!(args->flags & VIRTGPU_EXECBUF_RING_IDX) && args->ring_idx) {
		drm_dbg_driver(drm, "execbuffer: ring_idx without the flag\n");
		return -EINVAL;
	}
	return 0;
}

static int vgpu_exec_alloc(struct vgpu_exec *ex,
			   const struct drm_virtgpu_execbuffer *args)
{
	u32 n_in = args->num_in_syncobjs, n_out = args->num_out_syncobjs;

	/* The common case, no syncobjs, allocates nothing. */
	ex->in = ex->in_fd;
	if (n_in) {
		ex->in = kvcalloc(n_in + 1, sizeof(*ex->in), GFP_KERNEL);
		ex->reset = kvcalloc(n_in, sizeof(*ex->reset), GFP_KERNEL);
		if (!ex->in || !ex->reset)
			return -ENOMEM;
	}
	if (n_out) {
		ex->out = kvcalloc(n_out, sizeof(*ex->out), GFP_KERNEL);
		ex->out_points = kvcalloc(n_out, sizeof(*ex->out_points), GFP_KERNEL);
		ex->out_chains = kvcalloc(n_out, sizeof(*ex->out_chains), GFP_KERNEL);
		if (!ex->out || !ex->out_points || !ex->out_chains)
			return -ENOMEM;
	}
	return 0;
}

static void vgpu_exec_signal(struct vgpu_exec *ex, struct dma_fence *fence)
{
	unsigned int i;

	for (i = 0; i < ex->num_out; i++) {
		if (ex->out_points[i]) {
			drm_syncobj_add_point(ex->out[i], ex->out_chains[i],
					      fence, ex->out_points[i]);
			ex->out_chains[i] = NULL;
		} else {
			drm_syncobj_replace_fence(ex->out[i], fence);
		}
	}
	for (i = 0; i < ex->num_reset; i++)
		drm_syncobj_replace_fence(ex->reset[i], NULL);
}

/* The stream, the buffers and the fences to wait for, copied in. */
static int vgpu_exec_copy_in(struct drm_device *drm, struct drm_file *file,
			     const struct drm_virtgpu_execbuffer *args,
			     u32 ctx_id, struct vgpu_exec *ex)
{
	void *cmds;
	int ret;

	ex->job.buf = vgpu_cmd_submit_alloc(ctx_id, args->size, &cmds);
	if (!ex->job.buf)
		return -ENOMEM;
	if (args->size &&
	    copy_from_user(cmds, u64_to_user_ptr(args->command), args->size)) {
		drm_dbg_driver(drm, "execbuffer: bad command pointer\n");
		return -EFAULT;
	}
	if (args->num_bo_handles) {
		ret = drm_gem_objects_lookup(file, u64_to_user_ptr(args->bo_handles),
					     args->num_bo_handles, &ex->job.objs);
		ex->job.num_objs = args->num_bo_handles;
		if (ret) {
			drm_dbg_driver(drm, "execbuffer: bad buffer list (%d)\n", ret);
			return ret;
		}
		ex->job.usage = DMA_RESV_USAGE_WRITE;
	}
	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_IN) {
		ex->in[0] = sync_file_get_fence(args->fence_fd);
		if (!ex->in[0]) {
			drm_dbg_driver(drm, "execbuffer: fence fd %d is not a sync file\n",
				       args->fence_fd);
			return -EINVAL;
		}
		ex->num_in = 1;
	}
	ret = vgpu_exec_in_syncobjs(drm, file, args, ex);
	if (!ret)
		ret = vgpu_exec_out_syncobjs(drm, file, args, ex);
	return ret;
}

/* The ring and, when the file polls it, the FENCE_SIGNALED event. */
static int vgpu_exec_ring(struct drm_device *drm, struct drm_file *file,
			  const struct drm_virtgpu_execbuffer *args,
			  struct vgpu_exec *ex)
{
	struct vgpu_file *vfile = to_vgpu_file(file);

	ex->job.use_ring = args->flags & VIRTGPU_EXECBUF_RING_IDX;
	ex->job.ring_idx = args->ring_idx;
	if (ex->job.use_ring && args->ring_idx < VGPU_MAX_RINGS &&
	    (READ_ONCE(vfile->poll_rings_mask) & BIT_ULL(args->ring_idx))) {
		ex->job.event = vgpu_fence_event_create(drm, file);
		if (IS_ERR(ex->job.event)) {
			int ret = PTR_ERR(ex->job.event);

			ex->job.event = NULL;
			return ret;
		}
	}
	return 0;
}

/* The submission's fence as a sync file at @out_fd (consumed on success). */
static int vgpu_exec_fence_out(struct vgpu_exec *ex,
			       struct drm_virtgpu_execbuffer *args, int *out_fd)
{
	struct sync_file *sync_file;

	if (*out_fd < 0)
		return 0;
	sync_file = sync_file_create(ex->job.out);
	if (!sync_file)
		return -ENOMEM;	/* submitted, syncobjs signalled: only the fd is missing */
	fd_install(*out_fd, sync_file->file);
	args->fence_fd = *out_fd;
	*out_fd = -1;
	return 0;
}

static int vgpu_ioctl_execbuffer(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_virtgpu_execbuffer *args = data;
	struct vgpu_device *vg = to_vgpu(drm);
	struct vgpu_exec ex = {};
	int out_fd = -1, ret;
	u32 ctx_id;

	ret = vgpu_exec_check(drm, args);
	if (ret)
		return ret;
	ret = vgpu_ctx_get(vg, to_vgpu_file(file), &ctx_id);
	if (ret)
		return ret;
	ret = vgpu_exec_alloc(&ex, args);
	if (!ret)
		ret = vgpu_exec_copy_in(drm, file, args, ctx_id, &ex);
	if (!ret && (args->flags & VIRTGPU_EXECBUF_FENCE_FD_OUT)) {
		out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (out_fd < 0)
			ret = out_fd;
	}
	if (!ret)
		ret = vgpu_exec_ring(drm, file, args, &ex);
	if (ret)
		goto out;
	ex.job.in_fences = ex.in;
	ex.job.num_in = ex.num_in;
	ex.job.want_out = out_fd >= 0 || ex.num_out;
	ret = vgpu_job_run(vg, to_vgpu_file(file), &ex.job);
	if (ret) {
		/* Not armed: still ours. */
		if (ex.job.event)
			vgpu_fence_event_cancel(ex.job.event);
		goto out;
	}
	vgpu_exec_signal(&ex, ex.job.out);
	ret = vgpu_exec_fence_out(&ex, args, &out_fd);
	dma_fence_put(ex.job.out);
out:
	if (out_fd >= 0)
		put_unused_fd(out_fd);
	vgpu_exec_fini(&ex);
	return ret;
}

#define VGPU_IOCTL(name, fn) \
	DRM_IOCTL_DEF_DRV(VIRTGPU_##name, fn, DRM_RENDER_ALLOW)

/* Indexed by ioctl number; the holes fail with -EINVAL in drm_ioctl(). */
const struct drm_ioctl_desc vgpu_ioctls[VGPU_NUM_IOCTLS] = {
	VGPU_IOCTL(MAP, vgpu_ioctl_map),
	VGPU_IOCTL(EXECBUFFER, vgpu_ioctl_execbuffer),
	VGPU_IOCTL(GETPARAM, vgpu_ioctl_getparam),
	VGPU_IOCTL(RESOURCE_CREATE, vgpu_ioctl_resource_create),
	VGPU_IOCTL(RESOURCE_INFO, vgpu_ioctl_resource_info),
	VGPU_IOCTL(TRANSFER_FROM_HOST, vgpu_ioctl_transfer_from_host),
	VGPU_IOCTL(TRANSFER_TO_HOST, vgpu_ioctl_transfer_to_host),
	VGPU_IOCTL(WAIT, vgpu_ioctl_wait),
	VGPU_IOCTL(GET_CAPS, vgpu_ioctl_get_caps),
	VGPU_IOCTL(RESOURCE_CREATE_BLOB, vgpu_ioctl_resource_create_blob),
	VGPU_IOCTL(CONTEXT_INIT, vgpu_ioctl_context_init),
};

/**
 * vgpu_open - &drm_driver.open: the file's state
 * @drm: DRM device
 * @file: new file
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_open(struct drm_device *drm, struct drm_file *file)
{
	struct vgpu_file *vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);

	if (!vfile)
		return -ENOMEM;
	if (vgpu_file_init(vfile)) {
		kfree(vfile);
		return -ENOMEM;
	}
	vfile->quota = vgpu_quota_new();
	if (!vfile->quota) {
		vgpu_file_fini(vfile);
		kfree(vfile);
		return -ENOMEM;
	}
	file->driver_priv = vfile;
	return 0;
}

/**
 * vgpu_postclose - &drm_driver.postclose: the file's context goes
 * @drm: DRM device
 * @file: closing file
 */
void vgpu_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vgpu_file *vfile = to_vgpu_file(file);

	vgpu_ctx_fini(to_vgpu(drm), vfile);
	vgpu_quota_put(vfile->quota);
	vgpu_file_fini(vfile);
	kfree(vfile);
	file->driver_priv = NULL;
}

/*
 * Core ioctls that allocate what the caller asks for. On the kernels vgpu
 * supports, a syncobj array of 2^32 handles is a multi-GiB kmalloc (a
 * WARN, then -ENOMEM) and a property blob may take 2 GiB of vmalloc (the
 * OOM killer): any client could do either. vgpu bounds them at its node
 * before the DRM core sees them; no real client comes near the bounds.
 * The core reads the argument again: a client that rewrites the count
 * from another thread between the two reads still reaches the core's
 * unbounded kmalloc (one WARN per boot, then -ENOMEM); only the core can
 * close that.
 */
#define VGPU_MAX_SYNCOBJ_ARRAY	SZ_64K
#define VGPU_MAX_PROP_BLOB	SZ_1M

struct vgpu_core_bound {
	unsigned int nr;
	unsigned int offset;
	u32 max;
	const char *what;
};

static const struct vgpu_core_bound vgpu_core_bounds[] = {
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_WAIT),
	  offsetof(struct drm_syncobj_wait, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj wait" },
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT),
	  offsetof(struct drm_syncobj_timeline_wait, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj timeline wait" },
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_RESET),
	  offsetof(struct drm_syncobj_array, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj reset" },
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_SIGNAL),
	  offsetof(struct drm_syncobj_array, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj signal" },
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_QUERY),
	  offsetof(struct drm_syncobj_timeline_array, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj query" },
	{ DRM_IOCTL_NR(DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL),
	  offsetof(struct drm_syncobj_timeline_array, count_handles),
	  VGPU_MAX_SYNCOBJ_ARRAY, "syncobj timeline signal" },
	{ DRM_IOCTL_NR(DRM_IOCTL_MODE_CREATEPROPBLOB),
	  offsetof(struct drm_mode_create_blob, length),
	  VGPU_MAX_PROP_BLOB, "property blob" },
};

/**
 * vgpu_core_ioctl_check - bound a core ioctl's allocation
 * @filp: DRM file
 * @cmd: ioctl number
 * @uarg: its argument
 *
 * Return: 0 to go on, -EINVAL for a count or length over vgpu's bound,
 * -EFAULT when the argument cannot be read.
 */
static int vgpu_core_ioctl_check(struct file *filp, unsigned int cmd,
				 void __user *uarg)
{
	const struct vgpu_core_bound *b;
	unsigned int i;
	u32 val;

	/* The driver's own range is vgpu's to check. */
	if (_IOC_TYPE(cmd) != DRM_IOCTL_BASE ||
	    (_IOC_NR(cmd) >= DRM_COMMAND_BASE && _IOC_NR(cmd) < DRM_COMMAND_END))
		return 0;
	for (i = 0; i < ARRAY_SIZE(vgpu_core_bounds); i++) {
		b = &vgpu_core_bounds[i];
		if (b->nr != _IOC_NR(cmd))
			continue;
		/*
		 * Read what the core will: the bytes of the field inside the
		 * caller's size, zero above them, nothing without IOC_IN.
		 */
		if (!(_IOC_DIR(cmd) & _IOC_WRITE) || _IOC_SIZE(cmd) <= b->offset)
			return 0;
		val = 0;
		if (copy_from_user(&val, uarg + b->offset,
				   min_t(unsigned int, _IOC_SIZE(cmd) - b->offset,
					 sizeof(val))))
			return -EFAULT;
		if (val <= b->max)
			return 0;
		drm_dbg_core(((struct drm_file *)filp->private_data)->minor->dev,
			     "%s: %u entries or bytes, at most %u\n", b->what,
			     val, b->max);
		return -EINVAL;
	}
	return 0;
}

/**
 * vgpu_drm_ioctl - &file_operations.unlocked_ioctl: drm_ioctl() behind
 * vgpu's bounds on core ioctls
 * @filp: DRM file
 * @cmd: ioctl number
 * @arg: argument
 *
 * Return: what drm_ioctl() returns, or vgpu_core_ioctl_check()'s refusal.
 */
long vgpu_drm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	int ret = vgpu_core_ioctl_check(filp, cmd, (void __user *)arg);

	return ret ?: drm_ioctl(filp, cmd, arg);
}

/**
 * vgpu_drm_compat_ioctl - &file_operations.compat_ioctl, bounded likewise
 * @filp: DRM file
 * @cmd: ioctl number
 * @arg: argument (a 32-bit pointer)
 *
 * Return: what drm_compat_ioctl() returns, or the bound's refusal.
 */
long vgpu_drm_compat_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg)
{
	int ret = vgpu_core_ioctl_check(filp, cmd, compat_ptr(arg));

	return ret ?: vgpu_core_compat_ioctl(filp, cmd, arg);
}
