// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu contexts feature: parameters, capsets and per-file 3D contexts.
 *
 * Everything here takes the device and the file's &vgpu_file, not a DRM
 * file or user pointers, so KUnit drives it directly; vgpu_ioctl.c does
 * the copying in and out.
 *
 * A file gets its host context once: explicitly with CONTEXT_INIT, or with
 * the defaults on its first 3D use. It is destroyed when the file closes.
 * Capsets are fetched from the host on first use and kept until the
 * device goes.
 */
#include <linux/dma-fence.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * vgpu_param_get - DRM_IOCTL_VIRTGPU_GETPARAM's value
 * @vg: device
 * @param: VIRTGPU_PARAM_*
 * @value: set to the value
 *
 * Return: 0, or -EINVAL for an unknown parameter.
 */
int vgpu_param_get(struct vgpu_device *vg, u64 param, int *value)
{
	switch (param) {
	case VIRTGPU_PARAM_3D_FEATURES:
		*value = vg->features.virgl;
		return 0;
	case VIRTGPU_PARAM_CAPSET_QUERY_FIX:
		*value = 1;
		return 0;
	case VIRTGPU_PARAM_RESOURCE_BLOB:
		*value = vg->features.resource_blob;
		return 0;
	case VIRTGPU_PARAM_HOST_VISIBLE:
		*value = vg->features.host_visible;
		return 0;
	case VIRTGPU_PARAM_CROSS_DEVICE:
		*value = vg->features.resource_uuid;
		return 0;
	case VIRTGPU_PARAM_CONTEXT_INIT:
		*value = vg->features.context_init;
		return 0;
	case VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs:
		/* The uapi hands out an int: ids 0..31 fit. */
		*value = (int)lower_32_bits(vgpu_capset_mask(vg));
		return 0;
	case VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME:
		*value = vg->features.context_init;
		return 0;
	default:
		drm_dbg_driver(vg->drm, "getparam: unknown parameter %llu\n", param);
		return -EINVAL;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_param_get);

/**
 * vgpu_capset_mask - the capset ids the host offers, as a bit mask
 * @vg: device
 *
 * Return: bit N set when capset id N is offered.
 */
u64 vgpu_capset_mask(struct vgpu_device *vg)
{
	u64 mask = 0;
	unsigned int i;

	for (i = 0; i < vg->ctx.num_capsets; i++)
		mask |= BIT_ULL(vg->ctx.capsets[i].id);
	return mask;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_capset_mask);

static const struct vgpu_capset *vgpu_capset_find(struct vgpu_device *vg,
						  u32 id)
{
	unsigned int i;

	for (i = 0; i < vg->ctx.num_capsets; i++)
		if (vg->ctx.capsets[i].id == id)
			return &vg->ctx.capsets[i];
	return NULL;
}

/**
 * struct vgpu_capset_data - one capset version as the host sent it
 * @link: entry in &vgpu_device.ctx.capset_cache
 * @id: capset id
 * @version: version
 * @size: bytes in @data
 * @data: the capset
 */
struct vgpu_capset_data {
	struct list_head link;
	u32 id;
	u32 version;
	u32 size;
	u8 data[];
};

static void vgpu_context_fini_device(struct drm_device *drm, void *arg)
{
	struct vgpu_device *vg = arg;
	struct vgpu_capset_data *c, *tmp;

	list_for_each_entry_safe(c, tmp, &vg->ctx.capset_cache, link)
		kfree(c);
	ida_destroy(&vg->ctx.ida);
}

/**
 * vgpu_context_init_device - the device's capset cache and context ids
 * @vg: device
 *
 * Return: 0 or a negative errno.
 */
int vgpu_context_init_device(struct vgpu_device *vg)
{
	int ret;

	INIT_LIST_HEAD(&vg->ctx.capset_cache);
	ret = drmm_mutex_init(vg->drm, &vg->ctx.capset_lock);
	if (ret)
		return ret;
	ida_init(&vg->ctx.ida);
	return drmm_add_action_or_reset(vg->drm, vgpu_context_fini_device, vg);
}

/**
 * vgpu_capset_read - copy a capset, fetching it from the host once
 * @vg: device
 * @id: capset id
 * @version: version, at most the host's max_version
 * @dst: destination (kernel memory)
 * @size: bytes wanted; the smaller of this and the capset's size is copied
 *
 * Return: the number of bytes copied, or a negative errno: -EINVAL for a
 * capset or version the host does not offer (so userspace falls back),
 * -ENOMEM, or the error of the host query.
 */
int vgpu_capset_read(struct vgpu_device *vg, u32 id, u32 version, void *dst,
		     u32 size)
{
	const struct vgpu_capset *cap = vgpu_capset_find(vg, id);
	struct vgpu_capset_data *c;
	struct vgpu_buf *buf;
	u32 resp_len, got;
	int ret;

	if (!cap || version > cap->max_version) {
		drm_dbg_driver(vg->drm, "capset %u version %u: not offered\n",
			       id, version);
		return -EINVAL;
	}
	ret = mutex_lock_interruptible(&vg->ctx.capset_lock);
	if (ret)
		return ret;
	list_for_each_entry(c, &vg->ctx.capset_cache, link) {
		if (c->id == id && c->version == version)
			goto found;
	}
	resp_len = offsetof(struct virtio_gpu_resp_capset, capset_data) +
		   cap->max_size;
	buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_get_capset), resp_len,
			     GFP_KERNEL);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	vgpu_proto_get_capset(buf->req, id, version);
	ret = vgpu_cmd_exec(vg, &vg->ctrlq, buf, VIRTIO_GPU_RESP_OK_CAPSET,
			    offsetof(struct virtio_gpu_resp_capset, capset_data));
	if (ret) {
		vgpu_buf_put(buf);
		goto out;
	}
	got = min(buf->used_len, resp_len) -
	      offsetof(struct virtio_gpu_resp_capset, capset_data);
	c = kmalloc(struct_size(c, data, got), GFP_KERNEL);
	if (!c) {
		vgpu_buf_put(buf);
		ret = -ENOMEM;
		goto out;
	}
	c->id = id;
	c->version = version;
	c->size = got;
	memcpy(c->data, ((struct virtio_gpu_resp_capset *)buf->resp)->capset_data,
	       got);
	vgpu_buf_put(buf);
	list_add_tail(&c->link, &vg->ctx.capset_cache);
found:
	ret = min(size, c->size);
	memcpy(dst, c->data, ret);
out:
	mutex_unlock(&vg->ctx.capset_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_capset_read);

/**
 * vgpu_file_init - a new file's context state
 * @vfile: file state, zeroed
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_file_init(struct vgpu_file *vfile)
{
	static atomic64_t client_ids = ATOMIC64_INIT(0);

	vfile->timelines = vgpu_timelines_new();
	if (!vfile->timelines)
		return -ENOMEM;
	mutex_init(&vfile->lock);
	vfile->client_id = atomic64_inc_return(&client_ids);
	vfile->num_rings = 1;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_file_init);

/**
 * vgpu_file_fini - the end of a file's state, after vgpu_ctx_fini()
 * @vfile: file state
 *
 * Fences still pending keep the file's timelines until they signal.
 */
void vgpu_file_fini(struct vgpu_file *vfile)
{
	vgpu_timelines_put(vfile->timelines);
	vfile->timelines = NULL;
	mutex_destroy(&vfile->lock);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_file_fini);

static int vgpu_ctx_create_locked(struct vgpu_device *vg,
				  struct vgpu_file *vfile)
{
	struct vgpu_buf *buf;
	int id, ret;

	lockdep_assert_held(&vfile->lock);
	/* Before the create goes out: a reset from here on loses it. */
	vfile->ctx_gen = READ_ONCE(vg->recovery.reset_gen);
	id = ida_alloc_range(&vg->ctx.ida, 1, INT_MAX, GFP_KERNEL);
	if (id < 0)
		return id;
	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_ctx_create));
	if (!buf) {
		ida_free(&vg->ctx.ida, id);
		return -ENOMEM;
	}
	vgpu_proto_ctx_create(buf->req, id,
			      vg->features.context_init ? vfile->capset_id : 0,
			      vfile->debug_name[0] ? vfile->debug_name :
						     current->comm);
	ret = vgpu_cmd_exec(vg, &vg->ctrlq, buf, VIRTIO_GPU_RESP_OK_NODATA,
			    sizeof(struct virtio_gpu_ctrl_hdr));
	vgpu_buf_put(buf);
	if (ret && ret != -ETIMEDOUT && ret != -ERESTARTSYS) {
		/* The host refused it: the id is free again. */
		ida_free(&vg->ctx.ida, id);
		return ret;
	}
	/* Created, or maybe created: destroyed with the file either way. */
	vfile->ctx_id = id;
	drm_dbg_driver(vg->drm, "context %d: capset %u, %u ring(s), %s\n", id,
		       vfile->capset_id, vfile->num_rings,
		       ret ? "answer not seen" : "created");
	return ret;
}

/**
 * vgpu_ctx_lost - did a device reset take the file's context away?
 * @vg: device
 * @vfile: file state
 *
 * Return: true when the file has a context and the device was reset
 * since it was created.
 */
bool vgpu_ctx_lost(struct vgpu_device *vg, struct vgpu_file *vfile)
{
	return READ_ONCE(vfile->ctx_id) &&
	       READ_ONCE(vfile->ctx_gen) != READ_ONCE(vg->recovery.reset_gen);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ctx_lost);

/**
 * vgpu_ctx_get - the file's context, created with the defaults if needed
 * @vg: device
 * @vfile: file state
 * @ctx_id: set to the context id
 *
 * A context a device reset took away stays lost: the host forgot its
 * state and its resources, so the file cannot go on. Its client must open
 * the device again.
 *
 * Return: 0, -ENODEV without 3D, -ECANCELED for a lost context, or the
 * creation's error.
 */
int vgpu_ctx_get(struct vgpu_device *vg, struct vgpu_file *vfile, u32 *ctx_id)
{
	int ret = 0;

	if (!vg->features.virgl && !vg->features.context_init) {
		drm_dbg_driver(vg->drm, "no 3D on this device\n");
		return -ENODEV;
	}
	ret = mutex_lock_interruptible(&vfile->lock);
	if (ret)
		return ret;
	if (!vfile->ctx_id) {
		ret = vgpu_ctx_create_locked(vg, vfile);
	} else if (vgpu_ctx_lost(vg, vfile)) {
		drm_dbg_driver(vg->drm, "context %u: lost in a device reset; reopen the device\n",
			       vfile->ctx_id);
		ret = -ECANCELED;
	}
	*ctx_id = vfile->ctx_id;
	mutex_unlock(&vfile->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ctx_get);

/**
 * vgpu_ctx_init - DRM_IOCTL_VIRTGPU_CONTEXT_INIT
 * @vg: device
 * @vfile: file state
 * @p: the parameters as userspace gave them
 *
 * Return: 0; -EINVAL without VIRTIO_GPU_F_CONTEXT_INIT, for a capset the
 * host does not offer (or no capset id at all) or more than 64 rings, or a
 * poll mask beyond the rings; -EEXIST when the file already has its context; or the
 * creation's error.
 */
int vgpu_ctx_init(struct vgpu_device *vg, struct vgpu_file *vfile,
		  const struct vgpu_ctx_params *p)
{
	int ret;

	if (!vg->features.context_init) {
		drm_dbg_driver(vg->drm, "context init: not offered by the host\n");
		return -EINVAL;
	}
	if (p->has_capset && (p->capset_id > VGPU_CAPSET_ID_MAX ||
			      !(vgpu_capset_mask(vg) & BIT_ULL(p->capset_id)))) {
		drm_dbg_driver(vg->drm, "context init: capset %llu not offered\n",
			       p->capset_id);
		return -EINVAL;
	}
	if (p->num_rings > VGPU_MAX_RINGS) {
		drm_dbg_driver(vg->drm, "context init: %llu rings, at most %u\n",
			       p->num_rings, VGPU_MAX_RINGS);
		return -EINVAL;
	}
	if ((p->num_rings ?: 1) < 64 &&
	    (p->poll_rings_mask >> (p->num_rings ?: 1))) {
		drm_dbg_driver(vg->drm, "context init: poll mask 0x%llx beyond %llu rings\n",
			       p->poll_rings_mask, p->num_rings ?: 1);
		return -EINVAL;
	}
	ret = mutex_lock_interruptible(&vfile->lock);
	if (ret)
		return ret;
	if (vfile->ctx_id) {
		drm_dbg_driver(vg->drm, "context init: the file has its context\n");
		ret = -EEXIST;
		goto out;
	}
	vfile->capset_id = p->has_capset ? p->capset_id : 0;
	vfile->num_rings = p->num_rings ?: 1;
	vfile->poll_rings_mask = p->poll_rings_mask;
	strscpy(vfile->debug_name, p->debug_name, sizeof(vfile->debug_name));
	ret = vgpu_ctx_create_locked(vg, vfile);
out:
	mutex_unlock(&vfile->lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ctx_init);

static void vgpu_ctx_destroyed(struct vgpu_buf *buf)
{
	struct vgpu_device *vg = buf->priv;
	const struct virtio_gpu_ctrl_hdr *hdr = buf->req;

	/* Answered, or the device is gone: the id is free. */
	ida_free(&vg->ctx.ida, le32_to_cpu(hdr->ctx_id));
}

/**
 * vgpu_ctx_fini - destroy the file's context, if it has one
 * @vg: device
 * @vfile: file state, going away
 *
 * CTX_DESTROY is queued and not waited for (the file may belong to a
 * killed process); the id is given back once the host has answered. An id
 * whose destroy could not be queued is retired, not reused.
 */
void vgpu_ctx_fini(struct vgpu_device *vg, struct vgpu_file *vfile)
{
	struct vgpu_buf *buf;
	int ret = -ENOMEM;

	if (!vfile->ctx_id)
		return;
	if (vgpu_ctx_lost(vg, vfile)) {
		/* The host forgot it in a reset: nothing to destroy. */
		ida_free(&vg->ctx.ida, vfile->ctx_id);
		vfile->ctx_id = 0;
		return;
	}
	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_ctx_destroy));
	if (buf) {
		vgpu_proto_ctx_destroy(buf->req, vfile->ctx_id);
		buf->on_done = vgpu_ctx_destroyed;
		buf->priv = vg;
		ret = vgpu_vq_queue(&vg->ctrlq, buf, vg->cmd_timeout);
		if (!ret)
			vgpu_vq_kick(&vg->ctrlq);
		vgpu_buf_put(buf);
	}
	if (ret == -ENODEV)
		ida_free(&vg->ctx.ida, vfile->ctx_id);
	else if (ret)
		drm_dbg_driver(vg->drm, "context %u: destroy not queued (%d), id retired\n",
			       vfile->ctx_id, ret);
	vfile->ctx_id = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ctx_fini);

/**
 * vgpu_ctx_resource - attach a resource to a context, or detach it
 * @vg: device
 * @ctx_id: context
 * @res_id: resource
 * @attach: attach (else detach)
 *
 * Queued, neither kicked nor waited for: the control queue is processed
 * in order, so every later command (of this context or any other) comes
 * after it, and the next kick sends it along. An error answer is counted
 * in &vgpu_device.host_errors.count.
 */
void vgpu_ctx_resource(struct vgpu_device *vg, u32 ctx_id, u32 res_id,
		       bool attach)
{
	struct vgpu_buf *buf;

	buf = vgpu_cmd_alloc(sizeof(struct virtio_gpu_ctx_resource));
	if (!buf) {
		drm_dbg_driver(vg->drm, "context %u: no memory to %s resource %u\n",
			       ctx_id, attach ? "attach" : "detach", res_id);
		return;
	}
	vgpu_proto_ctx_resource(buf->req, attach, ctx_id, res_id);
	vgpu_cmd_async(vg, &vg->ctrlq, buf);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_ctx_resource);
