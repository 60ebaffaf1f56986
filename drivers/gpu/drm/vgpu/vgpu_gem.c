// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: GEM objects, dumb buffers and resource buffers.
 *
 * Objects are the kernel's shmem GEM objects, mapped cached (the host
 * reads guest memory coherently). A dumb buffer has no host resource of
 * its own; a framebuffer on it gets one (vgpu_fb.c). A buffer made with
 * RESOURCE_CREATE has one for its whole life: it is attached to the
 * context of every file that has a handle to it (so imported buffers are
 * usable in the importer's command streams), detached when the handle
 * goes (by the resource's unref, when it was the buffer's last; see
 * vgpu_gem_close_detaches()), and the buffer's pages are freed only once
 * the host has answered the resource's unref. PRIME export and import are
 * vgpu_prime.c's (its own dma-buf ops, so that host blobs and resource
 * UUIDs can be lent); a buffer exported by this device and imported again
 * is the same object.
 * Blobs are made here as GEM objects (shmem, or without guest memory for
 * a host blob) and handed to vgpu_blob.c for their resource.
 */
#include <linux/dma-resv.h>
#include <linux/idr.h>
#include <linux/pci.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Buffer memory
 *
 * A buffer costs the kernel as little as it can until it is used:
 *
 * - &struct vgpu_bo comes from a slab cache of its own size. It is a
 *   little over 512 bytes on some kernels (6.1), where kmalloc() would
 *   round it up to 1024. drm_gem_shmem_free() frees it with kfree(), which
 *   takes an object of any cache.
 * - It is made without the shmem file its pages come from (an inode, a
 *   file and a dentry: about 1.2 KiB). A 3D resource the host renders to,
 *   or a dumb buffer never mapped, never needs one. vgpu_bo_file() makes
 *   it on the first path to the pages: vgpu_bo_sgt() (a resource's
 *   backing, at its first transfer or submission), and the GEM object's
 *   pin, vmap, mmap and get_sg_table hooks. An imported buffer's pages are
 *   the exporter's.
 * - A 3D resource's pages are allocated and given to the host at their
 *   first use too (vgpu_bo_res_back()).
 *
 * The memory a buffer takes is measured by ``make bench`` (slab and all
 * memory per open buffer; Documentation/benchmarks.rst).
 */

static const struct drm_gem_object_funcs vgpu_gem_host_funcs;

static struct kmem_cache *vgpu_bo_cache;

/**
 * vgpu_gem_init - make the buffers' cache, at module load
 *
 * Return: 0 or -ENOMEM.
 */
int __init vgpu_gem_init(void)
{
	vgpu_bo_cache = KMEM_CACHE(vgpu_bo, 0);
	return vgpu_bo_cache ? 0 : -ENOMEM;
}

/**
 * vgpu_gem_exit - destroy the buffers' cache, at module unload
 *
 * Every buffer is gone: each device's removal freed its own, and open
 * files and dma-bufs hold the module.
 */
void vgpu_gem_exit(void)
{
	kmem_cache_destroy(vgpu_bo_cache);
}

/* Free a buffer nobody references, whose resource the host has let go of. */
static void vgpu_gem_free_now(struct vgpu_bo *bo)
{
	vgpu_quota_uncharge(to_vgpu(bo->base.base.dev), bo);
	mutex_destroy(&bo->lock);
	if (bo->base.base.funcs == &vgpu_gem_host_funcs) {
		drm_gem_object_release(&bo->base.base);
		kmem_cache_free(vgpu_bo_cache, bo);
		return;
	}
	/* Frees @bo: the shmem object is its first member. */
	drm_gem_shmem_free(&bo->base);
}

static void vgpu_gem_free(struct drm_gem_object *obj)
{
	struct vgpu_bo *bo = to_vgpu_bo(obj);

	if (bo->res)
		vgpu_bo_res_release(bo, vgpu_gem_free_now);
	else
		vgpu_gem_free_now(bo);
}

static int vgpu_gem_open(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_bo *bo = to_vgpu_bo(obj);
	u32 ctx_id;
	int ret;

	if (!bo->res || !vg->features.virgl)
		return 0;
	/* A file that uses 3D resources gets its context now. */
	ret = vgpu_ctx_get(vg, to_vgpu_file(file), &ctx_id);
	if (ret)
		return ret;
	vgpu_ctx_resource(vg, ctx_id, bo->res->id, true);
	return 0;
}

/*
 * The host detaches a resource from every context when it destroys it:
 * virglrenderer, which runs the contexts of these capsets, does so in
 * its resource unref. Cross-domain and gfxstream contexts are detached
 * one by one.
 */
static bool vgpu_capset_unref_detaches(u32 capset_id)
{
	switch (capset_id) {
	case 0:
	case VIRTGPU_DRM_CAPSET_VIRGL:
	case VIRTGPU_DRM_CAPSET_VIRGL2:
	case VIRTGPU_DRM_CAPSET_VENUS:
	case VIRTGPU_DRM_CAPSET_DRM:
		return true;
	default:
		return false;
	}
}

/**
 * vgpu_gem_close_detaches - whether closing a handle sends CTX_DETACH_RESOURCE
 * @obj: buffer with a resource, whose handle in the file is being closed
 * @capset_id: capset of the file's context
 *
 * Not for the last handle of a buffer nothing else holds (no other
 * handle, mapping, dma-buf or framebuffer): its resource's
 * RESOURCE_UNREF is queued as the handle goes, and on a host that
 * detaches at unref a CTX_DETACH_RESOURCE before it is one more command
 * for nothing. A reference taken after the check (an mmap of the offset
 * racing the close) only keeps the resource attached to the context that
 * had it until the buffer goes.
 *
 * Return: true when the detach is to be sent.
 */
bool vgpu_gem_close_detaches(struct drm_gem_object *obj, u32 capset_id)
{
	return !vgpu_capset_unref_detaches(capset_id) ||
	       READ_ONCE(obj->handle_count) > 1 ||
	       kref_read(&obj->refcount) > 1;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_gem_close_detaches);

static void vgpu_gem_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_file *vfile = to_vgpu_file(file);
	struct vgpu_bo *bo = to_vgpu_bo(obj);
	u32 ctx_id = READ_ONCE(vfile->ctx_id);

	if (bo->res && vg->features.virgl && ctx_id &&
	    !vgpu_ctx_lost(vg, vfile) &&
	    vgpu_gem_close_detaches(obj, READ_ONCE(vfile->capset_id)))
		vgpu_ctx_resource(vg, ctx_id, bo->res->id, false);
}

/* The shmem helpers' hooks that reach the pages, once there is a file. */
static int vgpu_gem_pin(struct drm_gem_object *obj)
{
	return vgpu_bo_file(to_vgpu_bo(obj)) ?: drm_gem_shmem_object_pin(obj);
}

static struct sg_table *vgpu_gem_get_sg_table(struct drm_gem_object *obj)
{
	int ret = vgpu_bo_file(to_vgpu_bo(obj));

	return ret ? ERR_PTR(ret) : drm_gem_shmem_object_get_sg_table(obj);
}

static int vgpu_gem_vmap(struct drm_gem_object *obj, struct iosys_map *map)
{
	return vgpu_bo_file(to_vgpu_bo(obj)) ?: drm_gem_shmem_object_vmap(obj, map);
}

static int vgpu_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	return vgpu_bo_file(to_vgpu_bo(obj)) ?: drm_gem_shmem_object_mmap(obj, vma);
}

static const struct drm_gem_object_funcs vgpu_gem_funcs = {
	.free = vgpu_gem_free,
	.open = vgpu_gem_open,
	.close = vgpu_gem_close,
	.export = vgpu_gem_prime_export,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = vgpu_gem_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = vgpu_gem_get_sg_table,
	.vmap = vgpu_gem_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = vgpu_gem_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

static const struct vm_operations_struct vgpu_gem_host_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

/* A host blob: no pages in the guest, mapped from the host-visible region. */
static const struct drm_gem_object_funcs vgpu_gem_host_funcs = {
	.free = vgpu_gem_free,
	.open = vgpu_gem_open,
	.close = vgpu_gem_close,
	.export = vgpu_gem_prime_export,
	.mmap = vgpu_gem_host_mmap,
	.vm_ops = &vgpu_gem_host_vm_ops,
};

/* A GEM object without guest memory, with an mmap offset (one reference). */
static struct vgpu_bo *vgpu_gem_host_create(struct drm_device *drm, size_t size)
{
	struct vgpu_bo *bo = kmem_cache_zalloc(vgpu_bo_cache, GFP_KERNEL);
	int ret;

	if (!bo)
		return ERR_PTR(-ENOMEM);
	mutex_init(&bo->lock);
	bo->base.base.funcs = &vgpu_gem_host_funcs;
	drm_gem_private_object_init(drm, &bo->base.base, size);
	ret = drm_gem_create_mmap_offset(&bo->base.base);
	if (ret) {
		vgpu_gem_free_now(bo);
		return ERR_PTR(ret);
	}
	return bo;
}

/**
 * vgpu_gem_shmem_create - a shmem buffer, without its shmem file yet
 * @drm: DRM device
 * @size: size in bytes, rounded up to pages
 *
 * vgpu_bo_file() makes the file at the first use of the pages.
 *
 * Return: the buffer (one reference), or an ERR_PTR.
 */
struct vgpu_bo *vgpu_gem_shmem_create(struct drm_device *drm, size_t size)
{
	struct drm_gem_object *obj = vgpu_gem_create_object(drm, size);
	struct vgpu_bo *bo;
	int ret;

	if (IS_ERR(obj))
		return ERR_CAST(obj);
	bo = to_vgpu_bo(obj);
	ret = vgpu_shmem_init_fileless(drm, &bo->base, PAGE_ALIGN(size));
	if (ret) {
		vgpu_gem_free_now(bo);
		return ERR_PTR(ret);
	}
	return bo;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_gem_shmem_create);

/**
 * vgpu_mmap - &file_operations.mmap of the DRM file
 * @filp: DRM file
 * @vma: mapping; its offset names a buffer
 *
 * drm_gem_mmap() with one difference: the GEM core maps a buffer from its
 * first page only, while a host blob may also be mapped from any page
 * inside it (Vulkan maps ranges of a memory object).
 *
 * Return: 0 or a negative errno.
 */
int vgpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *priv = filp->private_data;
	struct drm_device *drm = priv->minor->dev;
	struct drm_vma_offset_manager *mgr = drm->vma_offset_manager;
	struct drm_gem_object *obj = NULL;
	struct drm_vma_offset_node *node;
	int idx, ret;

	/* vgpu_remove() zaps every mapping after unplug: none may follow. */
	if (!drm_dev_enter(drm, &idx))
		return -ENODEV;
	drm_vma_offset_lock_lookup(mgr);
	node = drm_vma_offset_lookup_locked(mgr, vma->vm_pgoff, vma_pages(vma));
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		/* Not from the first page: host blobs only. A buffer being freed is not mapped. */
		if ((drm_vma_node_start(node) != vma->vm_pgoff &&
		     !vgpu_bo_host_only(to_vgpu_bo(obj))) ||
		    !kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(mgr);
	if (!obj) {
		ret = -EINVAL;
	} else if (!drm_vma_node_is_allowed(node, priv)) {
		ret = -EACCES;
	} else {
		ret = drm_gem_mmap_obj(obj, drm_vma_node_size(node) << PAGE_SHIFT,
				       vma);
	}
	if (obj)
		drm_gem_object_put(obj);
	drm_dev_exit(idx);
	return ret;
}

/**
 * vgpu_gem_create_object - allocate the driver's GEM object
 * @drm: DRM device
 * @size: size in bytes
 *
 * Return: the embedded GEM object, or an ERR_PTR.
 */
struct drm_gem_object *vgpu_gem_create_object(struct drm_device *drm,
					      size_t size)
{
	struct vgpu_bo *bo = kmem_cache_zalloc(vgpu_bo_cache, GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	/* Mapped cached (map_wc stays false): the host reads coherently. */
	mutex_init(&bo->lock);
	bo->base.base.funcs = &vgpu_gem_funcs;
	return &bo->base.base;
}

/**
 * vgpu_gem_dumb_create - DRM_IOCTL_MODE_CREATE_DUMB
 * @file: DRM file
 * @drm: DRM device
 * @args: width, height and bpp in; handle, pitch and size out
 *
 * The core has already rejected zero sizes and overflowing pitch * height.
 * Scanout formats are 32 bits per pixel. The sides are not bounded by the
 * largest framebuffer: a dumb buffer is memory first (IGT's dumb_buffer
 * asks for 4 KiB-wide buffers of up to 102,400 rows), the memory quota
 * bounds its size, and a framebuffer made of it is checked when it is
 * added. When the host offers blobs but
 * no 3D, the buffer is a shareable guest blob (scanned out in place, no
 * transfers), its size a multiple of the blob alignment. The buffer is
 * charged to the client's memory quota.
 *
 * Return: 0 or a negative errno (-ENOMEM over the quota).
 */
int vgpu_gem_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args)
{
	struct vgpu_device *vg = to_vgpu(drm);
	struct vgpu_bo *bo;
	bool blob;
	int ret;

	if (args->bpp != 32) {
		drm_dbg_kms(drm, "dumb create: bpp %u, only 32 is supported\n",
			    args->bpp);
		return -EINVAL;
	}
	blob = vg->features.resource_blob && !vg->features.virgl;
	args->pitch = args->width * VGPU_PROTO_CPP;
	args->size = ALIGN((u64)args->pitch * args->height,
			   blob ? max_t(u32, vg->hostmem.blob_align, PAGE_SIZE) : PAGE_SIZE);
	bo = vgpu_gem_shmem_create(drm, args->size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = vgpu_quota_charge(vg, file, bo);
	/* Blobs without 3D: a dumb buffer is a shareable guest blob. */
	if (!ret && blob)
		ret = vgpu_blob_guest(vg, bo, VIRTIO_GPU_BLOB_FLAG_USE_SHAREABLE);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->base.base, &args->handle);
	drm_gem_object_put(&bo->base.base);
	if (blob)
		vgpu_vq_kick(&vg->ctrlq);
	return ret;
}

/**
 * vgpu_gem_create_blob - a buffer that is a blob resource
 * @vg: device
 * @file: file that gets the handle (and whose quota pays for guest pages)
 * @d: the blob, checked by vgpu_blob_check(); its resource id is set
 * @submit: the command stream that makes the host's memory, or NULL;
 *	    consumed
 * @handle: set to the new handle
 *
 * Guest pages (BLOB_MEM_GUEST, HOST3D_GUEST) come from shmem and are
 * charged to the file; a host blob has none. Everything queued goes out
 * with one notification.
 *
 * Return: 0, -EDQUOT or -ENOMEM for the quota, an error of
 * vgpu_blob_make(), or the handle's error.
 */
int vgpu_gem_create_blob(struct vgpu_device *vg, struct drm_file *file,
			 struct vgpu_blob_desc *d, struct vgpu_buf *submit,
			 u32 *handle)
{
	struct vgpu_bo *bo;
	int ret;

	if (d->blob_mem == VIRTGPU_BLOB_MEM_HOST3D) {
		bo = vgpu_gem_host_create(vg->drm, d->size);
		if (IS_ERR(bo)) {
			vgpu_buf_put(submit);
			return PTR_ERR(bo);
		}
	} else {
		bo = vgpu_gem_shmem_create(vg->drm, d->size);
		if (IS_ERR(bo)) {
			vgpu_buf_put(submit);
			return PTR_ERR(bo);
		}
		ret = vgpu_quota_charge(vg, file, bo);
		if (ret) {
			vgpu_buf_put(submit);
			goto out;
		}
	}
	ret = vgpu_blob_make(vg, bo, d, submit);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->base.base, handle);
	vgpu_vq_kick(&vg->ctrlq);
out:
	/* The handle keeps the buffer; on failure this releases it all. */
	drm_gem_object_put(&bo->base.base);
	return ret;
}

/**
 * vgpu_gem_create_resource - a buffer with its own host resource
 * @vg: device
 * @file: file that gets the handle
 * @size: buffer size in bytes (rounded up to pages)
 * @d: the resource
 * @kind: %VGPU_HRES_3D or %VGPU_HRES_2D
 * @handle: set to the new handle
 * @res_id: set to the resource id
 *
 * Return: 0 or a negative errno; nothing is left behind on failure.
 */
int vgpu_gem_create_resource(struct vgpu_device *vg, struct drm_file *file,
			     size_t size, const struct vgpu_res3d_desc *d,
			     enum vgpu_hres_kind kind, u32 *handle, u32 *res_id)
{
	struct vgpu_bo *bo;
	int ret;

	bo = vgpu_gem_shmem_create(vg->drm, size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	ret = vgpu_quota_charge(vg, file, bo);
	if (!ret)
		ret = vgpu_bo_res_create(vg, bo, d, kind);
	if (!ret) {
		*res_id = bo->res->id;
		/* Attaches the resource to the file's context. */
		ret = drm_gem_handle_create(file, &bo->base.base, handle);
	}
	drm_gem_object_put(&bo->base.base);
	vgpu_vq_kick(&vg->ctrlq);
	return ret;
}

/**
 * vgpu_gem_wait - DRM_IOCTL_VIRTGPU_WAIT: wait until the host is done
 * @vg: device
 * @obj: buffer
 * @nowait: only test
 *
 * Waits for every fence of the buffer: transfers and submissions that
 * listed it. The wait is interruptible and bounded by the command timeout.
 *
 * Return: 0 when idle; -EBUSY when busy with @nowait, or still busy after
 * the timeout; -ERESTARTSYS.
 */
int vgpu_gem_wait(struct vgpu_device *vg, struct drm_gem_object *obj,
		  bool nowait)
{
	long ret;

	if (nowait)
		return dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ) ?
		       0 : -EBUSY;
	ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true,
				    vg->cmd_timeout);
	if (ret < 0)
		return ret;
	if (!ret) {
		drm_dbg_driver(vg->drm, "wait: still busy after %u ms\n",
			       jiffies_to_msecs(vg->cmd_timeout));
		return -EBUSY;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_gem_wait);

/**
 * struct vgpu_mem_stats - memory of one file's buffers, in bytes
 * @total: all buffers with a handle
 * @resident: those whose pages are allocated
 * @shared: those with handles in other files too, or exported
 */
struct vgpu_mem_stats {
	u64 total;
	u64 resident;
	u64 shared;
};

static int vgpu_mem_stats_add(int id, void *ptr, void *data)
{
	struct drm_gem_object *obj = ptr;
	struct vgpu_mem_stats *st = data;

	/* A handle being created has no object yet. */
	if (!obj)
		return 0;
	st->total += obj->size;
	if (to_vgpu_bo(obj)->base.pages || obj->import_attach)
		st->resident += obj->size;
	if (obj->handle_count > 1 || obj->dma_buf)
		st->shared += obj->size;
	return 0;
}

/**
 * vgpu_fdinfo - a client's memory, for fdinfo
 * @p: printer
 * @file: the DRM file
 *
 * The memory keys of Documentation/gpu/drm-usage-stats.rst for the file's
 * buffers (all of it is system memory). Where the core prints fdinfo, this
 * is &drm_driver.show_fdinfo and the core adds the driver, device and
 * client keys.
 */
void vgpu_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	struct vgpu_mem_stats st = {};

	spin_lock(&file->table_lock);
	idr_for_each(&file->object_idr, vgpu_mem_stats_add, &st);
	spin_unlock(&file->table_lock);
	vgpu_print_memory_stats(p, st.total, st.shared, st.resident);
}

/**
 * vgpu_show_fdinfo - &file_operations.show_fdinfo where the core prints none
 * @m: output
 * @f: the DRM file
 *
 * The driver, the PCI device, a client id unique on the device, then
 * vgpu_fdinfo().
 */
void vgpu_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct drm_device *drm = file->minor->dev;
	struct drm_printer p = drm_seq_file_printer(m);

	drm_printf(&p, "drm-driver:\t%s\n", drm->driver->name);
	if (dev_is_pci(drm->dev))
		drm_printf(&p, "drm-pdev:\t%s\n", dev_name(drm->dev));
	drm_printf(&p, "drm-client-id:\t%llu\n", to_vgpu_file(file)->client_id);
	vgpu_fdinfo(&p, file);
}
