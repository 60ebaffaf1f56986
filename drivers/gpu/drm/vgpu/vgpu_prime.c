// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: PRIME export and import.
 *
 * Every buffer is exported as a virtio dma-buf, so that other virtio
 * devices (a video decoder, a second GPU) can name the same host resource
 * by UUID. The UUID is asked for (RESOURCE_ASSIGN_UUID) once, at the
 * first export, when the host offers VIRTIO_GPU_F_RESOURCE_UUID and the
 * buffer has a resource of its own; a blob gets one only when it was made
 * with VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE. Importers on other devices get
 * the guest pages (an sg table) or, for a mappable host blob, its range of
 * the host-visible region (dma_map_resource()).
 *
 * A dma-buf of this device imported again is the same GEM object (and so
 * the same handle in a file). A foreign dma-buf is imported as a shmem
 * object on the exporter's sg table; when the host offers blobs it also
 * becomes a shareable guest blob listing those pages, so it can be
 * scanned out and used by host contexts. The attachment is static: the
 * exporter keeps the buffer pinned in place while it is imported, so the
 * pages the host was given never move.
 */
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/virtio_dma_buf.h>

#include <kunit/visibility.h>

#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

static void vgpu_uuid_done(struct vgpu_buf *buf)
{
	struct vgpu_hres *hres = buf->priv;
	int err = buf->status;

	if (!err)
		err = vgpu_proto_parse_uuid(buf->resp, buf->used_len, hres->uuid);
	/* Pairs with the acquire in vgpu_dmabuf_get_uuid(). */
	smp_store_release(&hres->uuid_state, err ?: 1);
}

/* Ask for the resource's UUID once; the answer is not waited for. */
static void vgpu_uuid_assign(struct vgpu_device *vg, struct vgpu_bo *bo)
{
	struct vgpu_hres *hres = bo->res;
	struct vgpu_buf *buf;
	int ret;

	mutex_lock(&bo->lock);
	if (hres->uuid_cmd)
		goto out;
	buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_resource_assign_uuid),
			     sizeof(struct virtio_gpu_resp_resource_uuid),
			     GFP_KERNEL);
	if (!buf)
		goto out;	/* no UUID: get_uuid reports -ENODEV */
	vgpu_proto_assign_uuid(buf->req, hres->id);
	buf->on_done = vgpu_uuid_done;
	buf->priv = hres;
	ret = vgpu_vq_queue(&vg->ctrlq, buf, vg->cmd_timeout);
	if (ret) {
		drm_dbg_prime(vg->drm, "resource %u: UUID not asked for: %d\n",
			      hres->id, ret);
		vgpu_buf_put(buf);
		goto out;
	}
	vgpu_vq_kick(&vg->ctrlq);
	hres->uuid_cmd = buf;
out:
	mutex_unlock(&bo->lock);
}

static int vgpu_dmabuf_get_uuid(struct dma_buf *dmabuf, uuid_t *uuid)
{
	struct drm_gem_object *obj = dmabuf->priv;
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_bo *bo = to_vgpu_bo(obj);
	struct vgpu_hres *hres = bo->res;
	struct vgpu_buf *cmd;
	int ret;

	mutex_lock(&bo->lock);
	cmd = hres ? hres->uuid_cmd : NULL;
	mutex_unlock(&bo->lock);
	if (!cmd)
		return -ENODEV;
	ret = vgpu_buf_wait(cmd, vg->cmd_timeout);
	if (ret)
		return ret;
	/* Pairs with the release in vgpu_uuid_done(). */
	ret = smp_load_acquire(&hres->uuid_state);
	if (ret < 0) {
		drm_dbg_prime(vg->drm, "resource %u: no UUID from the host: %d\n",
			      hres->id, ret);
		return ret;
	}
	memcpy(uuid, hres->uuid, sizeof(*uuid));
	return 0;
}

static int vgpu_dmabuf_device_attach(struct dma_buf *dmabuf,
				     struct dma_buf_attachment *attach)
{
	struct drm_gem_object *obj = dmabuf->priv;

	if (vgpu_bo_host_only(to_vgpu_bo(obj)))
		return 0;
	/* Pins the pages for the importer. */
	return drm_gem_map_attach(dmabuf, attach);
}

static void vgpu_dmabuf_detach(struct dma_buf *dmabuf,
			       struct dma_buf_attachment *attach)
{
	struct drm_gem_object *obj = dmabuf->priv;

	if (!vgpu_bo_host_only(to_vgpu_bo(obj)))
		drm_gem_map_detach(dmabuf, attach);
}

/* A host blob is lent as its range of the host-visible region. */
static struct sg_table *vgpu_host_map_dma_buf(struct dma_buf_attachment *attach,
					      enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_hres *hres = to_vgpu_bo(obj)->res;
	struct sg_table *sgt;
	dma_addr_t addr;
	int ret;

	if (!hres->map) {
		drm_dbg_prime(vg->drm, "resource %u: host blob is not mappable\n",
			      hres->id);
		return ERR_PTR(-EINVAL);
	}
	ret = vgpu_blob_map_wait(vg, hres);
	if (ret)
		return ERR_PTR(ret);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret)
		goto err_free;
	addr = dma_map_resource(attach->dev, vg->hostmem.base + hres->map_node.start,
				obj->size, dir, DMA_ATTR_SKIP_CPU_SYNC);
	ret = dma_mapping_error(attach->dev, addr);
	if (ret)
		goto err_table;
	sg_set_page(sgt->sgl, NULL, obj->size, 0);
	sg_dma_address(sgt->sgl) = addr;
	sg_dma_len(sgt->sgl) = obj->size;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static struct sg_table *vgpu_dmabuf_map(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;

	if (vgpu_bo_host_only(to_vgpu_bo(obj)))
		return vgpu_host_map_dma_buf(attach, dir);
	return drm_gem_map_dma_buf(attach, dir);
}

static void vgpu_dmabuf_unmap(struct dma_buf_attachment *attach,
			      struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;

	if (!vgpu_bo_host_only(to_vgpu_bo(obj))) {
		drm_gem_unmap_dma_buf(attach, sgt, dir);
		return;
	}
	dma_unmap_resource(attach->dev, sg_dma_address(sgt->sgl),
			   sg_dma_len(sgt->sgl), dir, DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
}

static const struct virtio_dma_buf_ops vgpu_dmabuf_ops = {
	.ops = {
		VGPU_DMA_BUF_CACHE_SGT
		.attach = virtio_dma_buf_attach,
		.detach = vgpu_dmabuf_detach,
		.map_dma_buf = vgpu_dmabuf_map,
		.unmap_dma_buf = vgpu_dmabuf_unmap,
		.release = drm_gem_dmabuf_release,
		.mmap = drm_gem_dmabuf_mmap,
		.vmap = drm_gem_dmabuf_vmap,
		.vunmap = drm_gem_dmabuf_vunmap,
	},
	.device_attach = vgpu_dmabuf_device_attach,
	.get_uuid = vgpu_dmabuf_get_uuid,
};

/**
 * vgpu_gem_prime_export - &drm_gem_object_funcs.export
 * @obj: buffer
 * @flags: file flags of the dma-buf
 *
 * Return: a virtio dma-buf, or an ERR_PTR.
 */
struct dma_buf *vgpu_gem_prime_export(struct drm_gem_object *obj, int flags)
{
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_bo *bo = to_vgpu_bo(obj);
	struct dma_buf_export_info exp = {
		.exp_name = KBUILD_MODNAME,
		.owner = THIS_MODULE,
		.ops = &vgpu_dmabuf_ops.ops,
		.size = obj->size,
		.flags = flags,
		.priv = obj,
		.resv = obj->resv,
	};

	if (bo->res && vg->features.resource_uuid &&
	    (!vgpu_hres_is_blob(bo->res) ||
	     (bo->res->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE)))
		vgpu_uuid_assign(vg, bo);
	return drm_gem_dmabuf_export(obj->dev, &exp);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_gem_prime_export);

/**
 * vgpu_gem_prime_import - &drm_driver.gem_prime_import
 * @drm: DRM device
 * @dmabuf: buffer to import
 *
 * Return: the GEM object (one reference), or an ERR_PTR.
 */
struct drm_gem_object *vgpu_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dmabuf)
{
	struct vgpu_device *vg = to_vgpu(drm);
	struct drm_gem_object *obj;
	int ret;

	if (dmabuf->ops == &vgpu_dmabuf_ops.ops) {
		obj = dmabuf->priv;
		if (obj->dev == drm) {
			drm_gem_object_get(obj);
			return obj;
		}
	}
	obj = drm_gem_prime_import(drm, dmabuf);
	if (IS_ERR(obj) || !vg->features.resource_blob)
		return obj;
	/* A foreign buffer becomes a shareable guest blob on its pages. */
	if (vg->features.blob_alignment && !IS_ALIGNED(obj->size, vg->hostmem.blob_align)) {
		drm_dbg_prime(drm, "import: %zu bytes, alignment %u: no blob\n",
			      obj->size, vg->hostmem.blob_align);
		return obj;
	}
	ret = vgpu_blob_guest(vg, to_vgpu_bo(obj), VIRTIO_GPU_BLOB_FLAG_USE_SHAREABLE);
	vgpu_vq_kick(&vg->ctrlq);
	if (ret) {
		/* The buffer's release releases the resource. */
		drm_gem_object_put(obj);
		return ERR_PTR(ret);
	}
	return obj;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_gem_prime_import);
