// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu uapi: the virtgpu ioctls.
 *
 * This file copies arguments in and out and checks them for form (flags,
 * padding, sizes, pointers); the feature files decide. Every refusal has a
 * drm_dbg reason. Every ioctl is allowed on the render node.
 */
#include <linux/dma-fence.h>
#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/virtgpu_drm.h>

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
	if (!vg->num_capsets) {
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

static int vgpu_ioctl_execbuffer(struct drm_device *drm, void *data,
				 struct drm_file *file)
{
	struct drm_virtgpu_execbuffer *args = data;
	struct dma_fence *in_fence = NULL, *out_fence = NULL;
	struct sync_file *sync_file = NULL;
	int out_fd = -1, ret;
	void *cmds = NULL;

	if (args->flags & ~VIRTGPU_EXECBUF_FLAGS) {
		drm_dbg_driver(drm, "execbuffer: unknown flags 0x%x\n", args->flags);
		return -EINVAL;
	}
	if (args->size > VGPU_EXECBUF_MAX) {
		drm_dbg_driver(drm, "execbuffer: %u bytes, at most %u\n",
			       args->size, VGPU_EXECBUF_MAX);
		return -E2BIG;
	}
	if (!(args->flags & VIRTGPU_EXECBUF_RING_IDX) && args->ring_idx) {
		drm_dbg_driver(drm, "execbuffer: ring_idx without the flag\n");
		return -EINVAL;
	}
	if (args->num_bo_handles || args->num_in_syncobjs ||
	    args->num_out_syncobjs) {
		/* Buffer lists and syncobjs come with 3D resources. */
		drm_dbg_driver(drm, "execbuffer: no buffer lists or syncobjs yet\n");
		return -EINVAL;
	}
	if (args->size) {
		cmds = vmemdup_user(u64_to_user_ptr(args->command), args->size);
		if (IS_ERR(cmds)) {
			drm_dbg_driver(drm, "execbuffer: bad command pointer\n");
			return PTR_ERR(cmds);
		}
	}
	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_IN) {
		in_fence = sync_file_get_fence(args->fence_fd);
		if (!in_fence) {
			drm_dbg_driver(drm, "execbuffer: fence fd %d is not a sync file\n",
				       args->fence_fd);
			ret = -EINVAL;
			goto out;
		}
	}
	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_OUT) {
		out_fd = get_unused_fd_flags(O_CLOEXEC);
		if (out_fd < 0) {
			ret = out_fd;
			goto out;
		}
	}
	ret = vgpu_submit(to_vgpu(drm), to_vgpu_file(file), cmds, args->size,
			  args->flags & VIRTGPU_EXECBUF_RING_IDX, args->ring_idx,
			  in_fence, out_fd >= 0 ? &out_fence : NULL);
	if (ret)
		goto out;
	if (out_fd >= 0) {
		sync_file = sync_file_create(out_fence);
		if (!sync_file) {
			/* Submitted: only the fd is missing. */
			ret = -ENOMEM;
			goto out;
		}
		fd_install(out_fd, sync_file->file);
		args->fence_fd = out_fd;
		out_fd = -1;
	}
out:
	if (out_fd >= 0)
		put_unused_fd(out_fd);
	if (out_fence)
		dma_fence_put(out_fence);
	if (in_fence)
		dma_fence_put(in_fence);
	kvfree(cmds);
	return ret;
}

#define VGPU_IOCTL(name, fn) \
	DRM_IOCTL_DEF_DRV(VIRTGPU_##name, fn, DRM_RENDER_ALLOW)

/* Indexed by ioctl number; the holes fail with -EINVAL in drm_ioctl(). */
const struct drm_ioctl_desc vgpu_ioctls[VGPU_NUM_IOCTLS] = {
	VGPU_IOCTL(EXECBUFFER, vgpu_ioctl_execbuffer),
	VGPU_IOCTL(GETPARAM, vgpu_ioctl_getparam),
	VGPU_IOCTL(GET_CAPS, vgpu_ioctl_get_caps),
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
	vgpu_file_init(vfile);
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
	mutex_destroy(&vfile->lock);
	kfree(vfile);
	file->driver_priv = NULL;
}
