// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu resources feature: blob resources and the host-visible region.
 */
#include <linux/io.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/virtio_config.h>

#include <kunit/visibility.h>

#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "vgpu_compat.h"
#include "vgpu_drv.h"

/**
 * DOC: Memory types
 *
 * A blob is memory the host and the guest share by address rather than by
 * transfer (RESOURCE_CREATE_BLOB):
 *
 * ``VIRTGPU_BLOB_MEM_GUEST``
 *   a shmem buffer whose pages are listed in the create command (no
 *   separate ATTACH_BACKING), mapped cached like any shmem buffer.
 * ``VIRTGPU_BLOB_MEM_HOST3D``
 *   memory a host context allocated: named by ``blob_id``, or made by the
 *   command stream ``cmd``/``cmd_size`` sent (as a SUBMIT_3D of the file's
 *   context) right before the create. No guest pages. A mappable one
 *   (``USE_MAPPABLE``) gets a range of the host-visible region and is
 *   mapped there at creation (RESOURCE_MAP_BLOB); mmap() maps that range
 *   with the cache type the host answered: write-combined, uncached, or
 *   cached. A host blob can be mapped in part and from any page inside it
 *   (the driver's mmap finds the blob by range; the GEM core maps other
 *   buffers from their first page only), with the range checked against
 *   the blob.
 * ``VIRTGPU_BLOB_MEM_HOST3D_GUEST``
 *   allocated by a host context, backed by guest pages as a guest blob.
 *
 * The create, the command stream, the map and the attach to the file's
 * context leave with one notification and are not waited for. The first
 * mmap() of a host blob waits for the map's answer (interruptibly, at most
 * the command timeout). Transfers work on blobs with guest pages when the
 * host has 3D (the host checks the box); a host blob has nothing to
 * transfer (-EINVAL).
 */

/**
 * DOC: Host-visible region
 *
 * At probe the driver reads the shared-memory region
 * VIRTIO_GPU_SHM_ID_HOST_VISIBLE, reserves it (request_mem_region(); a
 * busy or unaligned region is not used, with a warning) and hands it out
 * with a drm_mm under &vgpu_device.hostmem.lock. Ranges are aligned to
 * the page size, or to the host's blob alignment when larger. Mappings are
 * not evicted: a host blob stays mapped as long as it exists (Vulkan keeps
 * host-visible memory mapped, and Venus expects its blobs mapped and
 * coherent from creation), so a full region is the allocating client's
 * -ENOSPC. The region size is the limit of mappable host memory on the
 * device; unmapped host blobs and guest blobs do not use it.
 *
 * A released blob's range goes back only when the host has answered its
 * unmap and unref, so no range is ever mapped twice. A creation that finds
 * the region full while such answers are awaited waits for them
 * (interruptibly, at most the command timeout in all) and tries again as
 * each range comes back, so a client that frees host-visible memory and
 * allocates again at once is not refused; -ENOSPC comes at once when
 * nothing is on its way back.
 */

/**
 * DOC: Blob alignment
 *
 * VIRTIO_GPU_F_BLOB_ALIGNMENT (feature bit 5, virtio 1.4) is negotiated
 * when offered. The config field ``blob_alignment`` (byte 16) is then the
 * host's page size: blob sizes must be multiples of it (-EINVAL otherwise,
 * so a 4 KiB Venus ring on a 16 KiB host is refused instead of breaking
 * the host) and every mapping lands on such a boundary. An alignment that
 * is not a power of two turns blobs off with a warning. Without the
 * feature, sizes are rounded up to pages.
 */

/* Largest host blob without guest pages: the host decides, this bounds it. */
#define VGPU_BLOB_HOST_MAX	BIT_ULL(40)

static void vgpu_hostmem_fini(struct drm_device *drm, void *arg)
{
	struct vgpu_device *vg = arg;

	/* Runs after resource release has drained: no range is left. */
	if (vg->features.host_visible) {
		drm_WARN_ON(drm, vg->hostmem.used);
		drm_mm_takedown(&vg->hostmem.mm);
	}
}

/**
 * vgpu_hostmem_init - blob alignment and the host-visible region
 * @vg: device with its features read
 *
 * Reads the host's blob alignment when VGPU_F_BLOB_ALIGNMENT was
 * negotiated (a value that is not a power of two turns blobs off, since
 * no size could be trusted to fit), then finds and reserves the
 * host-visible region. A device without one still has blobs, only no
 * mappable host blobs.
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_hostmem_init(struct vgpu_device *vg)
{
	struct virtio_device *vdev = vg->vdev;
	struct virtio_shm_region r;
	__le32 align;
	int ret;

	ret = drmm_mutex_init(vg->drm, &vg->hostmem.lock);
	if (ret)
		return ret;
	init_waitqueue_head(&vg->hostmem.wq);
	vg->hostmem.blob_align = PAGE_SIZE;
	if (vg->features.blob_alignment) {
		vdev->config->get(vdev, VGPU_CONFIG_BLOB_ALIGNMENT, &align,
				  sizeof(align));
		vg->hostmem.blob_align = le32_to_cpu(align);
		if (!is_power_of_2(vg->hostmem.blob_align)) {
			drm_warn(vg->drm, "blob alignment %u is not a power of two: no blobs\n",
				 vg->hostmem.blob_align);
			vg->features.resource_blob = false;
		}
	}
	ret = drmm_add_action(vg->drm, vgpu_hostmem_fini, vg);
	if (ret || !vg->features.resource_blob)
		return ret;
	if (!virtio_get_shm_region(vdev, &r, VIRTIO_GPU_SHM_ID_HOST_VISIBLE) ||
	    !r.len) {
		drm_dbg_driver(vg->drm, "no host-visible region\n");
		return 0;
	}
	if (!PAGE_ALIGNED(r.addr) || !PAGE_ALIGNED(r.len)) {
		drm_warn(vg->drm, "host-visible region %pa+%llx is not page aligned: not used\n",
			 &r.addr, r.len);
		return 0;
	}
	if (!devm_request_mem_region(&vdev->dev, r.addr, r.len,
				     dev_name(&vdev->dev))) {
		drm_warn(vg->drm, "host-visible region %pa+%llx is busy: not used\n",
			 &r.addr, r.len);
		return 0;
	}
	vg->hostmem.base = r.addr;
	vg->hostmem.size = r.len;
	drm_mm_init(&vg->hostmem.mm, 0, r.len);
	vg->features.host_visible = true;
	drm_dbg_driver(vg->drm, "host-visible region %pa, %llu MiB, blob alignment %u\n",
		       &r.addr, r.len >> 20, vg->hostmem.blob_align);
	return 0;
}

static void vgpu_blob_map_done(struct vgpu_buf *buf)
{
	struct vgpu_hres *hres = buf->priv;
	u32 cache = 0;
	int err;

	err = buf->status;
	if (!err) {
		err = vgpu_proto_parse_map_info(buf->resp, buf->used_len, &cache);
		if (err)
			vgpu_cmd_host_error(hres->vg, buf);
	}
	hres->map_info = cache;
	/* Pairs with the acquire in vgpu_blob_map_wait(). */
	smp_store_release(&hres->map_state, err ?: 1);
}

/*
 * A range of @size for @hres, if the region has one now. When it has not,
 * @freed is set to the ranges given back so far and @releasing to the
 * released blobs still holding one, both read with the failed attempt.
 */
static int vgpu_hostmem_try_insert(struct vgpu_device *vg,
				   struct vgpu_hres *hres, u64 size,
				   int *freed, int *releasing)
{
	int ret;

	mutex_lock(&vg->hostmem.lock);
	ret = drm_mm_insert_node_generic(&vg->hostmem.mm, &hres->map_node, size,
					 max_t(u32, vg->hostmem.blob_align, PAGE_SIZE),
					 0, DRM_MM_INSERT_BEST);
	if (!ret)
		vg->hostmem.used += size;
	*freed = vg->hostmem.freed;
	*releasing = atomic_read(&vg->hostmem.releasing);
	mutex_unlock(&vg->hostmem.lock);
	return ret;
}

/*
 * A range of @size for @hres. While the region is full and released blobs
 * wait for the host's answers, wait for their ranges (interruptibly, for
 * at most the command timeout in all) and try again as each comes back.
 * Return: 0, -ENOSPC, or -ERESTARTSYS.
 */
static int vgpu_hostmem_insert(struct vgpu_device *vg, struct vgpu_hres *hres,
			       u64 size)
{
	long left = vg->cmd_timeout;
	int freed, releasing;

	might_sleep();
	while (vgpu_hostmem_try_insert(vg, hres, size, &freed, &releasing)) {
		if (!releasing || !left) {
			drm_dbg_driver(vg->drm, "blob: region full: %llu/%llu used, %llu asked\n",
				       READ_ONCE(vg->hostmem.used), vg->hostmem.size,
				       size);
			return -ENOSPC;
		}
		drm_dbg_driver(vg->drm, "blob: region full, %d coming back: waiting\n",
			       releasing);
		left = wait_event_interruptible_timeout(vg->hostmem.wq,
							READ_ONCE(vg->hostmem.freed) != freed,
							left);
		if (left < 0)
			return left;
	}
	return 0;
}

/*
 * Give a mappable host blob its range of the region and prepare its map
 * and unmap. Return: 0, -ENOMEM, -ENOSPC when the region is full, or
 * -ERESTARTSYS.
 */
static int vgpu_blob_map_prepare(struct vgpu_device *vg,
				 struct vgpu_hres *hres, u64 size)
{
	int ret;

	hres->map = vgpu_buf_alloc(sizeof(struct virtio_gpu_resource_map_blob),
				   sizeof(struct virtio_gpu_resp_map_info),
				   GFP_KERNEL);
	hres->unmap = vgpu_cmd_alloc(sizeof(struct virtio_gpu_resource_unmap_blob));
	if (!hres->map || !hres->unmap)
		return -ENOMEM;

	ret = vgpu_hostmem_insert(vg, hres, size);
	if (ret)
		return ret;
	vgpu_proto_resource_map_blob(hres->map->req, 0, hres->id,
				     hres->map_node.start);
	vgpu_proto_resource_unmap_blob(hres->unmap->req, 0, hres->id);
	hres->map->on_done = vgpu_blob_map_done;
	hres->map->priv = hres;
	return 0;
}

/**
 * vgpu_blob_check - what the device decides of a blob
 * @vg: device
 * @a: the ioctl's arguments, checked for form
 * @size: set to the object's size (rounded up to pages)
 *
 * Return: 0, or -EINVAL for what the device does not offer (blobs, 3D for
 * host3d, UUIDs for cross-device, a host-visible region for a mappable
 * host blob) or a size that is 0, too large, or not a multiple of the
 * host's blob alignment.
 */
int vgpu_blob_check(struct vgpu_device *vg,
		    const struct drm_virtgpu_resource_create_blob *a, u64 *size)
{
	bool host3d = a->blob_mem != VIRTGPU_BLOB_MEM_GUEST;
	bool guest_pages = a->blob_mem != VIRTGPU_BLOB_MEM_HOST3D;
	u64 max = guest_pages ? (u64)totalram_pages() << PAGE_SHIFT :
				VGPU_BLOB_HOST_MAX;

	if (!vg->features.resource_blob) {
		drm_dbg_driver(vg->drm, "blob: the host offers no blobs\n");
		return -EINVAL;
	}
	if (host3d && !vg->features.virgl) {
		drm_dbg_driver(vg->drm, "blob: host3d memory without 3D\n");
		return -EINVAL;
	}
	if ((a->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE) &&
	    !vg->features.resource_uuid) {
		drm_dbg_driver(vg->drm, "blob: cross-device sharing without resource UUIDs\n");
		return -EINVAL;
	}
	if (!a->size || a->size > max) {
		drm_dbg_driver(vg->drm, "blob: size %llu outside 1..%llu\n",
			       a->size, max);
		return -EINVAL;
	}
	if (vg->features.blob_alignment && !IS_ALIGNED(a->size, vg->hostmem.blob_align)) {
		drm_dbg_driver(vg->drm, "blob: size %llu not a multiple of the alignment %u\n",
			       a->size, vg->hostmem.blob_align);
		return -EINVAL;
	}
	*size = PAGE_ALIGN(a->size);
	if (!guest_pages && (a->blob_flags & VIRTGPU_BLOB_FLAG_USE_MAPPABLE)) {
		if (!vg->features.host_visible) {
			drm_dbg_driver(vg->drm, "blob: mappable host memory without a region\n");
			return -EINVAL;
		}
		if (*size > vg->hostmem.size) {
			drm_dbg_driver(vg->drm, "blob: %llu bytes exceed the region (%llu)\n",
				       *size, vg->hostmem.size);
			return -EINVAL;
		}
	}
	return 0;
}

/* A resource for the blob @d describes; sets @d->res_id. */
static struct vgpu_hres *vgpu_blob_hres_alloc(struct vgpu_device *vg,
					      struct vgpu_blob_desc *d)
{
	struct vgpu_hres *hres = vgpu_hres_alloc(vg);

	if (IS_ERR(hres))
		return hres;
	hres->kind = d->blob_mem == VIRTGPU_BLOB_MEM_GUEST ? VGPU_HRES_BLOB_GUEST :
		     d->blob_mem == VIRTGPU_BLOB_MEM_HOST3D ? VGPU_HRES_BLOB_HOST :
		     VGPU_HRES_BLOB_HOST_GUEST;
	hres->blob_flags = d->blob_flags;
	hres->blob_id = d->blob_id;
	hres->ctx_id = d->ctx_id;
	hres->blob_size = d->size;
	d->res_id = hres->id;
	return hres;
}

static void vgpu_blob_put_cmds(struct vgpu_buf **bufs, int n)
{
	while (n)
		vgpu_buf_put(bufs[--n]);
}

/**
 * vgpu_blob_make - make a buffer a blob resource on the host
 * @vg: device
 * @bo: without a resource: a shmem buffer, or for BLOB_MEM_HOST3D a
 *	buffer without guest memory
 * @d: the blob (memory type, flags, id, context, size); its resource id
 *     is set
 * @submit: the command stream that makes the host's memory, or NULL;
 *	    consumed
 *
 * Queues the stream, RESOURCE_CREATE_BLOB listing the buffer's pages
 * (pinned until the buffer is freed) and, for a mappable host blob,
 * RESOURCE_MAP_BLOB at a range of the host-visible region, without a
 * kick. Once anything is queued @bo->res is set, and the buffer's release
 * releases the resource, also on failure.
 *
 * Return: 0, -ENOMEM, -ENOSPC when the host-visible region is full,
 * -ERESTARTSYS, or a transport error.
 */
int vgpu_blob_make(struct vgpu_device *vg, struct vgpu_bo *bo,
		   struct vgpu_blob_desc *d, struct vgpu_buf *submit)
{
	struct vgpu_buf *create[VGPU_HRES_MAX_CMDS];
	struct sg_table *sgt = NULL;
	struct vgpu_hres *hres;
	int n, ret;

	hres = vgpu_blob_hres_alloc(vg, d);
	if (IS_ERR(hres)) {
		ret = PTR_ERR(hres);
		goto err_submit;
	}
	if (hres->kind != VGPU_HRES_BLOB_HOST) {
		hres->shmem = &bo->base;
		sgt = vgpu_bo_sgt(bo);
		if (IS_ERR(sgt)) {
			ret = PTR_ERR(sgt);
			goto err_hres;
		}
		/* The create lists the pages. */
		hres->backed = true;
	}
	n = vgpu_hres_build(vg, hres, sgt, false, create);
	if (n < 0) {
		ret = n;
		goto err_hres;
	}
	if (hres->kind == VGPU_HRES_BLOB_HOST &&
	    (d->blob_flags & VIRTGPU_BLOB_FLAG_USE_MAPPABLE)) {
		ret = vgpu_blob_map_prepare(vg, hres, d->size);
		if (ret)
			goto err_create;
	}

	/* From here the host may know the resource: release, not discard. */
	bo->res = hres;
	ret = submit ? vgpu_cmd_async(vg, &vg->ctrlq, submit) : 0;
	if (!ret)
		ret = vgpu_hres_queue_create(vg, hres, create, n);
	else
		vgpu_blob_put_cmds(create, n);
	if (!ret && hres->map)
		ret = vgpu_vq_queue(&vg->ctrlq, hres->map, vg->cmd_timeout);
	if (ret && hres->map)
		hres->map_state = ret;	/* never mapped: no unmap either */
	drm_dbg_driver(vg->drm, "res %u: blob %u/0x%x id %llu, %llu B, %u segments: %d\n",
		       hres->id, d->blob_mem, d->blob_flags, d->blob_id, d->size,
		       sgt ? sgt->nents : 0, ret);
	return ret;

err_create:
	vgpu_blob_put_cmds(create, n);
err_hres:
	vgpu_hres_discard(hres);
err_submit:
	vgpu_buf_put(submit);
	return ret;
}

/**
 * vgpu_blob_guest - make a buffer's pages a guest blob
 * @vg: device offering blobs
 * @bo: shmem buffer (own or imported) without a resource
 * @flags: VIRTIO_GPU_BLOB_FLAG_*
 *
 * As vgpu_blob_make() for BLOB_MEM_GUEST, without a command stream.
 *
 * Return: 0, -ENOMEM, or a transport error.
 */
int vgpu_blob_guest(struct vgpu_device *vg, struct vgpu_bo *bo, u32 flags)
{
	struct vgpu_blob_desc d = {
		.blob_mem = VIRTIO_GPU_BLOB_MEM_GUEST, .blob_flags = flags,
		.size = bo->base.base.size,
	};

	return vgpu_blob_make(vg, bo, &d, NULL);
}

/**
 * vgpu_blob_map_wait - wait until the host has mapped a host blob
 * @vg: device
 * @hres: mappable host blob
 *
 * Return: 0 once mapped; the host's refusal (an errno); -ETIMEDOUT after
 * the command timeout; -ERESTARTSYS; -ENODEV when the device went away.
 */
int vgpu_blob_map_wait(struct vgpu_device *vg, struct vgpu_hres *hres)
{
	/* Pairs with the release in vgpu_blob_map_done(). */
	int ret = smp_load_acquire(&hres->map_state);

	if (!ret) {
		ret = vgpu_buf_wait(hres->map, vg->cmd_timeout);
		if (ret)
			return ret;
		/* As above: the answer's cache type is visible after this. */
		ret = smp_load_acquire(&hres->map_state);
	}
	return ret < 0 ? ret : 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_blob_map_wait);

/**
 * vgpu_gem_host_mmap - &drm_gem_object_funcs.mmap of a host blob
 * @obj: the blob's GEM object
 * @vma: mapping of a part of it (the GEM core found the object by offset)
 *
 * Maps the blob's range of the host-visible region, with the cache type
 * the host gave: write-combined, uncached, or cached.
 *
 * Return: 0; -EINVAL for a blob that is not mappable, a private mapping
 * (host memory cannot be copied on write), or a range outside the blob;
 * an error of vgpu_blob_map_wait(); or the page-table error.
 */
int vgpu_gem_host_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct vgpu_device *vg = to_vgpu(obj->dev);
	struct vgpu_hres *hres = to_vgpu_bo(obj)->res;
	unsigned long pages = obj->size >> PAGE_SHIFT;
	unsigned long off = vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
	pgprot_t prot = vm_get_page_prot(vma->vm_flags);
	int ret;

	if (!hres->map) {
		drm_dbg_driver(vg->drm, "mmap: blob %u is not mappable\n", hres->id);
		return -EINVAL;
	}
	if (vgpu_vma_is_cow(vma)) {
		drm_dbg_driver(vg->drm, "mmap: private mapping of host blob %u\n",
			       hres->id);
		return -EINVAL;
	}
	if (off > pages || vma_pages(vma) > pages - off) {
		drm_dbg_driver(vg->drm, "mmap: pages %lu+%lu outside blob %u (%lu)\n",
			       off, vma_pages(vma), hres->id, pages);
		return -EINVAL;
	}
	ret = vgpu_blob_map_wait(vg, hres);
	if (ret) {
		drm_dbg_driver(vg->drm, "mmap: blob %u not mapped by the host: %d\n",
			       hres->id, ret);
		return ret;
	}
	if (hres->map_info == VIRTIO_GPU_MAP_CACHE_WC)
		prot = pgprot_writecombine(prot);
	else if (hres->map_info == VIRTIO_GPU_MAP_CACHE_UNCACHED)
		prot = pgprot_noncached(prot);
	prot = pgprot_decrypted(prot);
	vma->vm_page_prot = prot;
	vgpu_vm_flags_set(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP);
	return io_remap_pfn_range(vma, vma->vm_start,
				  PHYS_PFN(vg->hostmem.base + hres->map_node.start) + off,
				  vma->vm_end - vma->vm_start, prot);
}

/**
 * vgpu_hostmem_print - the host-visible region's line of debugfs vgpu_info
 * @m: the file
 * @vg: device
 */
void vgpu_hostmem_print(struct seq_file *m, struct vgpu_device *vg)
{
	mutex_lock(&vg->hostmem.lock);
	seq_printf(m, "hostmem: used %llu size %llu releasing %d\n",
		   vg->hostmem.used, vg->hostmem.size,
		   atomic_read(&vg->hostmem.releasing));
	mutex_unlock(&vg->hostmem.lock);
}
