/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: kernel differences
 *
 * vgpu_compat.h is the only file that knows kernels differ; nothing tests
 * LINUX_VERSION_CODE. Each VGPU_HAVE_<NAME> comes from a probe,
 * drivers/gpu/drm/vgpu/compat/<name>.c, that scripts/compat-probe.sh
 * compiles against the target kernel twice: as it is (the feature) and
 * with VGPU_PROBE_ABSENT defined (what this header does without the
 * feature). The feature is present when the first builds and absent when
 * only the second does. When neither builds, the probe broke for a reason
 * it does not test (a renamed type in a header it includes, a new
 * warning under -Werror) and the build stops with both compiler outputs,
 * rather than pick a branch that may be wrong. A baseline probe that
 * includes every header the probes use must build first. The answers
 * also reach Kbuild as make variables (vgpu_compat_gen.mk), for files
 * built only where the kernel has what they need (vgpu_panic.c).
 *
 * Driver code is written against one set of names: where a kernel renamed
 * a type or changed a hook's arguments, this header gives the name
 * (struct vgpu_atomic_state) or the hook (vgpu_fb_create_hook()) for the
 * kernel being built.
 */
#ifndef VGPU_COMPAT_H
#define VGPU_COMPAT_H

#include "vgpu_compat_gen.h"

#include <linux/dma-buf.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kconfig.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/shmem_fs.h>
#include <linux/stddef.h>
#include <linux/virtio_gpu.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>

#include <drm/drm_connector.h>
#include <drm/drm_edid.h>
#include <drm/drm_fb_helper.h>
#ifdef VGPU_HAVE_CLIENT_SETUP
#include <drm/clients/drm_client_setup.h>
#endif
#if defined(VGPU_HAVE_CLIENT_SETUP) || defined(VGPU_HAVE_FBDEV_SHMEM_SETUP)
#include <drm/drm_fbdev_shmem.h>
#endif
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_prime.h>
#include <drm/drm_print.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_plane.h>

struct drm_format_info;
struct drm_mode_fb_cmd2;
struct vgpu_output;

/**
 * vgpu_find_vqs - find virtqueues with callbacks and names
 * @vdev: virtio device
 * @n: number of queues (at most 2)
 * @vqs: filled with the queues
 * @cbs: callback of each queue
 * @names: name of each queue
 *
 * Return: 0 or a negative errno.
 */
static inline int vgpu_find_vqs(struct virtio_device *vdev, unsigned int n,
				struct virtqueue *vqs[], vq_callback_t *cbs[],
				const char * const names[])
{
#ifdef VGPU_HAVE_VIRTQUEUE_INFO
	struct virtqueue_info info[2] = {};
	unsigned int i;

	if (n > ARRAY_SIZE(info))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		info[i].name = names[i];
		info[i].callback = cbs[i];
	}
	return virtio_find_vqs(vdev, n, vqs, info, NULL);
#else
	return virtio_find_vqs(vdev, n, vqs, cbs, names, NULL);
#endif
}

/*
 * VGPU_DEFINE_FIND_VQS(prefix, fn) defines prefix_find_vqs(), a
 * &virtio_config_ops.find_vqs for the kernel's signature (an array of
 * &struct virtqueue_info, or arrays of callbacks and names before it),
 * that passes the request on as fn(vdev, nvqs, vqs, callbacks, names).
 * For a transport of vgpu's own: the KUnit fake host.
 */
#define VGPU_FIND_VQS_MAX	4
#ifdef VGPU_HAVE_VIRTQUEUE_INFO
#define VGPU_DEFINE_FIND_VQS(prefix, fn)				\
static int prefix##_find_vqs(struct virtio_device *vdev,		\
			     unsigned int nvqs, struct virtqueue *vqs[],	\
			     struct virtqueue_info info[],		\
			     struct irq_affinity *desc)			\
{									\
	vq_callback_t *cbs[VGPU_FIND_VQS_MAX];				\
	const char *names[VGPU_FIND_VQS_MAX];				\
	unsigned int i;							\
									\
	if (nvqs > VGPU_FIND_VQS_MAX)					\
		return -EINVAL;						\
	for (i = 0; i < nvqs; i++) {					\
		cbs[i] = info[i].callback;				\
		names[i] = info[i].name;				\
	}								\
	return fn(vdev, nvqs, vqs, cbs, names);				\
}
#else
#define VGPU_DEFINE_FIND_VQS(prefix, fn)				\
static int prefix##_find_vqs(struct virtio_device *vdev,		\
			     unsigned int nvqs, struct virtqueue *vqs[],	\
			     vq_callback_t *cbs[],			\
			     const char * const names[],		\
			     const bool *ctx, struct irq_affinity *desc)	\
{									\
	return fn(vdev, nvqs, vqs, cbs, names);				\
}
#endif

/**
 * vgpu_virtio_offered_features - the first 64 feature bits the device offers
 * @vdev: virtio device
 *
 * Newer transports may answer only through virtio_get_features() (their
 * &virtio_config_ops.get_features is unset).
 *
 * Return: the offered feature bits 0 to 63.
 */
static inline u64 vgpu_virtio_offered_features(struct virtio_device *vdev)
{
#ifdef VGPU_HAVE_VIRTIO_GET_FEATURES
	u64 f[VIRTIO_FEATURES_U64S];

	virtio_get_features(vdev, f);
	return f[0];
#else
	return vdev->config->get_features(vdev);
#endif
}

#ifdef VGPU_HAVE_DRM_DRIVER_DATE
#define VGPU_DRM_DRIVER_DATE(d)	.date = (d),
#else
#define VGPU_DRM_DRIVER_DATE(d)
#endif

/*
 * VGPU_IMPORT_KUNIT_NS - in the test module: the symbols the driver exports
 * with EXPORT_SYMBOL_IF_KUNIT() (<kunit/visibility.h>). The namespace is a
 * string literal from Linux 6.13 on.
 */
#ifdef VGPU_HAVE_EXPORT_NS_STRING
#define VGPU_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#else
#define VGPU_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#endif
#ifdef VGPU_HAVE_EXPORT_NS_STRING
#define VGPU_IMPORT_DMA_BUF_NS() MODULE_IMPORT_NS("DMA_BUF")
#else
#define VGPU_IMPORT_DMA_BUF_NS() MODULE_IMPORT_NS(DMA_BUF)
#endif

/**
 * vgpu_hrtimer_setup - initialise an hrtimer and set its callback
 * @t: timer
 * @fn: callback
 * @clock: clock id
 * @mode: timer mode
 */
static inline void vgpu_hrtimer_setup(struct hrtimer *t,
				      enum hrtimer_restart (*fn)(struct hrtimer *),
				      clockid_t clock, enum hrtimer_mode mode)
{
#ifdef VGPU_HAVE_HRTIMER_SETUP
	hrtimer_setup(t, fn, clock, mode);
#else
	hrtimer_init(t, clock, mode);
	t->function = fn;
#endif
}

/**
 * vgpu_unbound_wq - the system's unbound workqueue
 *
 * Return: system_dfl_wq where the kernel has it, else system_unbound_wq
 * (which newer kernels keep only as a deprecated name).
 */
static inline struct workqueue_struct *vgpu_unbound_wq(void)
{
#ifdef VGPU_HAVE_SYSTEM_DFL_WQ
	return system_dfl_wq;
#else
	return system_unbound_wq;
#endif
}

/**
 * vgpu_edid_connector_update - update a connector from an EDID, add its modes
 * @c: connector
 * @drm_edid: EDID, or NULL to clear
 *
 * Return: the number of modes added.
 */
static inline int vgpu_edid_connector_update(struct drm_connector *c,
					     const struct drm_edid *drm_edid)
{
#ifdef VGPU_HAVE_EDID_CONNECTOR_ADD_MODES
	drm_edid_connector_update(c, drm_edid);
	return drm_edid_connector_add_modes(c);
#else
	int n = drm_edid_connector_update(c, drm_edid);

	return n > 0 ? n : 0;
#endif
}

/*
 * VGPU_DRM_FBDEV_DRIVER_OPS - &drm_driver members the console emulation
 * needs: the GEM shmem fbdev probe on kernels whose clients are set up
 * with drm_client_setup(), nothing before.
 */
#ifdef VGPU_HAVE_CLIENT_SETUP
#define VGPU_DRM_FBDEV_DRIVER_OPS	DRM_FBDEV_SHMEM_DRIVER_OPS,
#else
#define VGPU_DRM_FBDEV_DRIVER_OPS
#endif

/**
 * vgpu_fbdev_setup - console emulation on the device
 * @drm: registered DRM device
 *
 * The kernel's in-kernel clients (drm_client_setup()), else its fbdev
 * emulation on GEM shmem, else the generic one. A kernel with none of
 * them gets no console.
 */
static inline void vgpu_fbdev_setup(struct drm_device *drm)
{
#if defined(VGPU_HAVE_CLIENT_SETUP)
	drm_client_setup(drm, NULL);
#elif defined(VGPU_HAVE_FBDEV_SHMEM_SETUP)
	drm_fbdev_shmem_setup(drm, 32);
#elif defined(VGPU_HAVE_FBDEV_GENERIC_SETUP)
	drm_fbdev_generic_setup(drm, 32);
#endif
}

/**
 * vgpu_fbdev_restore - show the console emulation's mode again
 * @helper: the device's fbdev helper
 *
 * What the kernel does when the last master goes: a restore that yields
 * to a DRM master (newer kernels take a force flag; it stays off).
 *
 * Return: 0 or a negative errno.
 */
static inline int vgpu_fbdev_restore(struct drm_fb_helper *helper)
{
#ifdef VGPU_HAVE_FB_HELPER_RESTORE_FORCE
	return drm_fb_helper_restore_fbdev_mode_unlocked(helper, false);
#else
	return drm_fb_helper_restore_fbdev_mode_unlocked(helper);
#endif
}

/**
 * vgpu_dma_buf_map - map an attachment without holding its reservation lock
 * @attach: the attachment
 * @dir: direction of the mapping
 *
 * dma_buf_map_attachment_unlocked() where it exists: from Linux 6.2 on,
 * dma_buf_map_attachment() wants the lock held.
 *
 * Return: the mapping or an ERR_PTR().
 */
static inline struct sg_table *vgpu_dma_buf_map(struct dma_buf_attachment *attach,
						enum dma_data_direction dir)
{
#ifdef VGPU_HAVE_DMA_BUF_MAP_UNLOCKED
	return dma_buf_map_attachment_unlocked(attach, dir);
#else
	return dma_buf_map_attachment(attach, dir);
#endif
}

/**
 * vgpu_dma_buf_unmap - undo vgpu_dma_buf_map()
 * @attach: the attachment
 * @sgt: the mapping
 * @dir: direction of the mapping
 */
static inline void vgpu_dma_buf_unmap(struct dma_buf_attachment *attach,
				      struct sg_table *sgt,
				      enum dma_data_direction dir)
{
#ifdef VGPU_HAVE_DMA_BUF_MAP_UNLOCKED
	dma_buf_unmap_attachment_unlocked(attach, sgt, dir);
#else
	dma_buf_unmap_attachment(attach, sgt, dir);
#endif
}

/*
 * VGPU_FOP_FLAGS - &file_operations.fop_flags a DRM node needs: the core
 * refuses to open a node whose file operations lack FOP_UNSIGNED_OFFSET
 * on kernels that have it (Linux 6.12).
 */
#ifdef VGPU_HAVE_FOP_UNSIGNED_OFFSET
#define VGPU_FOP_FLAGS	.fop_flags = FOP_UNSIGNED_OFFSET,
#else
#define VGPU_FOP_FLAGS
#endif

/*
 * fdinfo: where the DRM core prints a client's fdinfo (Linux 6.5), the
 * node's file operations use drm_show_fdinfo() and the driver adds its
 * memory through &drm_driver.show_fdinfo (VGPU_FDINFO_DRIVER); before,
 * the file operations print everything (vgpu_show_fdinfo()).
 */
#ifdef VGPU_HAVE_DRM_PRINT_MEMORY_STATS
#define VGPU_FDINFO_FOPS	.show_fdinfo = drm_show_fdinfo,
#define VGPU_FDINFO_DRIVER	.show_fdinfo = vgpu_fdinfo,
#else
#define VGPU_FDINFO_FOPS	.show_fdinfo = vgpu_show_fdinfo,
#define VGPU_FDINFO_DRIVER
#endif

/**
 * vgpu_print_memory_stats - fdinfo keys of a client's system memory
 * @p: printer
 * @total: bytes of all the client's buffers
 * @shared: bytes of those shared with other clients
 * @resident: bytes of those whose pages are allocated
 *
 * The core's drm_print_memory_stats() where it exists (drm-total-system,
 * drm-shared-system, drm-resident-system); before, the same keys and the
 * drm-memory-system key of the Linux 6.1 document.
 */
static inline void vgpu_print_memory_stats(struct drm_printer *p, u64 total,
					   u64 shared, u64 resident)
{
#ifdef VGPU_HAVE_DRM_PRINT_MEMORY_STATS
	struct drm_memory_stats s = {
		.shared = shared, .private = total - shared, .resident = resident,
	};

	drm_print_memory_stats(p, &s, DRM_GEM_OBJECT_RESIDENT, "system");
#else
	drm_printf(p, "drm-total-system:\t%llu KiB\n", total >> 10);
	drm_printf(p, "drm-shared-system:\t%llu KiB\n", shared >> 10);
	drm_printf(p, "drm-resident-system:\t%llu KiB\n", resident >> 10);
	drm_printf(p, "drm-memory-system:\t%llu KiB\n", resident >> 10);
#endif
}

/*
 * VGPU_DRM_GEM_PRIME_MMAP - &drm_driver.gem_prime_mmap where the member
 * exists (it went in Linux 6.6, when the core began mmapping exported
 * GEM objects itself).
 */
#ifdef VGPU_HAVE_GEM_PRIME_MMAP
#define VGPU_DRM_GEM_PRIME_MMAP	.gem_prime_mmap = drm_gem_prime_mmap,
#else
#define VGPU_DRM_GEM_PRIME_MMAP
#endif

/*
 * VGPU_DRIVER_CURSOR_HOTSPOT - the driver feature that gives cursor planes
 * their HOTSPOT_X/HOTSPOT_Y properties, where the hotspot is in the plane
 * state (atomic clients then see the cursor plane once they set
 * DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT, as on every virtual GPU); none
 * before, where only the legacy cursor ioctl carries a hotspot.
 */
#ifdef VGPU_HAVE_PLANE_STATE_HOTSPOT
#define VGPU_DRIVER_CURSOR_HOTSPOT	DRIVER_CURSOR_HOTSPOT
#else
#define VGPU_DRIVER_CURSOR_HOTSPOT	0
#endif

/**
 * vgpu_cursor_hotspot - the hotspot of a cursor plane state
 * @s: plane state with a framebuffer
 * @x: set to the hotspot column
 * @y: set to the hotspot row
 */
static inline void vgpu_cursor_hotspot(const struct drm_plane_state *s,
				       u32 *x, u32 *y)
{
#ifdef VGPU_HAVE_PLANE_STATE_HOTSPOT
	*x = s->hotspot_x;
	*y = s->hotspot_y;
#else
	*x = s->fb->hot_x;
	*y = s->fb->hot_y;
#endif
}

/*
 * VGPU_F_BLOB_ALIGNMENT - feature bit: blob sizes and map offsets are
 * multiples of the config field blob_alignment (the host's page size), at
 * byte VGPU_CONFIG_BLOB_ALIGNMENT of the config space. Older headers lack
 * both; the values are the virtio specification's.
 */
#ifdef VGPU_HAVE_VIRTIO_GPU_BLOB_ALIGNMENT
#define VGPU_F_BLOB_ALIGNMENT		VIRTIO_GPU_F_BLOB_ALIGNMENT
#define VGPU_CONFIG_BLOB_ALIGNMENT	offsetof(struct virtio_gpu_config, blob_alignment)
#else
#define VGPU_F_BLOB_ALIGNMENT		5
#define VGPU_CONFIG_BLOB_ALIGNMENT	(sizeof(struct virtio_gpu_config))
#endif

/**
 * vgpu_vm_flags_set - add flags to a mapping being set up
 * @vma: mapping
 * @flags: VM_* flags
 */
static inline void vgpu_vm_flags_set(struct vm_area_struct *vma,
				     unsigned long flags)
{
#ifdef VGPU_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/**
 * vgpu_vma_is_cow - whether a mapping could be copied on write (private
 * and writable)
 * @vma: mapping
 *
 * Return: true for a copy-on-write mapping.
 */
static inline bool vgpu_vma_is_cow(const struct vm_area_struct *vma)
{
#ifdef VGPU_HAVE_VMA_IS_COW_MAPPING
	return vma_is_cow_mapping(vma);
#else
	return is_cow_mapping(vma->vm_flags);
#endif
}

/**
 * vgpu_shmem_init_fileless - set up a shmem GEM object with no shmem file yet
 * @drm: DRM device
 * @shmem: zeroed object
 * @size: size in bytes, a multiple of the page size
 *
 * What drm_gem_shmem_create() does for an object without a file of its own
 * (the kernel keeps that path private, for imports): the GEM object, the
 * helper's own locks where the kernel has them, and an mmap offset. The
 * caller gives the object its file (vgpu_shmem_file()) before the helper
 * touches its pages; drm_gem_shmem_free() frees it with or without one.
 *
 * Return: 0 or a negative errno; the object is freed with
 * drm_gem_shmem_free() either way.
 */
static inline int vgpu_shmem_init_fileless(struct drm_device *drm,
					   struct drm_gem_shmem_object *shmem,
					   size_t size)
{
	drm_gem_private_object_init(drm, &shmem->base, size);
#ifdef VGPU_HAVE_SHMEM_OBJECT_LOCKS
	mutex_init(&shmem->pages_lock);
	mutex_init(&shmem->vmap_lock);
#endif
	INIT_LIST_HEAD(&shmem->madv_list);
	return drm_gem_create_mmap_offset(&shmem->base);
}

/**
 * vgpu_shmem_file - a shmem file for a GEM object's pages
 * @size: size in bytes
 *
 * As drm_gem_object_init() makes it: no swap reserved up front, pages
 * from any zone but the movable one (they are pinned for the host), and
 * allocation failures reported to the caller rather than logged.
 *
 * Return: the file, or an ERR_PTR.
 */
static inline struct file *vgpu_shmem_file(loff_t size)
{
	struct file *filp;

#ifdef VGPU_HAVE_SHMEM_FILE_VMA_FLAGS
	filp = shmem_file_setup("drm mm object", size,
				mk_vma_flags(VMA_NORESERVE_BIT));
#else
	filp = shmem_file_setup("drm mm object", size, VM_NORESERVE);
#endif
	if (!IS_ERR(filp))
		mapping_set_gfp_mask(filp->f_mapping, GFP_HIGHUSER |
				     __GFP_RETRY_MAYFAIL | __GFP_NOWARN);
	return filp;
}

/*
 * VGPU_COMPAT_IOCTL - &file_operations.compat_ioctl: @fn on kernels built
 * with CONFIG_COMPAT, none otherwise (there are no 32-bit callers, and
 * drm_compat_ioctl is NULL). vgpu_core_compat_ioctl() is the DRM core's.
 */
#ifdef CONFIG_COMPAT
#define VGPU_COMPAT_IOCTL(fn)	(fn)
#define vgpu_core_compat_ioctl	drm_compat_ioctl
#else
#define VGPU_COMPAT_IOCTL(fn)	NULL
static inline long vgpu_core_compat_ioctl(struct file *filp, unsigned int cmd,
					  unsigned long arg)
{
	return -ENOTTY;
}
#endif

/*
 * VGPU_VIRTIO_PM - &virtio_driver.freeze and .restore, which exist on
 * kernels built with CONFIG_PM only (without it there is no suspend).
 */
#ifdef CONFIG_PM
#define VGPU_VIRTIO_PM(freeze_fn, restore_fn) \
	.freeze = (freeze_fn), .restore = (restore_fn),
#else
#define VGPU_VIRTIO_PM(freeze_fn, restore_fn)
#endif

/*
 * VGPU_VIRTIO_SHUTDOWN - the driver's power-off hook, fn(struct
 * virtio_device *): &virtio_driver.shutdown where the virtio core has it
 * (it resets the device itself otherwise), else &device_driver.shutdown,
 * which the driver core calls for a bus without a shutdown of its own.
 * VGPU_VIRTIO_SHUTDOWN_GLUE(fn) goes before the driver structure.
 */
#ifdef VGPU_HAVE_VIRTIO_DRIVER_SHUTDOWN
#define VGPU_VIRTIO_SHUTDOWN_GLUE(fn)
#define VGPU_VIRTIO_SHUTDOWN(fn)	.shutdown = (fn),
#else
#define VGPU_VIRTIO_SHUTDOWN_GLUE(fn)					\
	static void fn##_device(struct device *dev)			\
	{								\
		fn(dev_to_virtio(dev));					\
	}
#define VGPU_VIRTIO_SHUTDOWN(fn)	.driver.shutdown = fn##_device,
#endif

/*
 * VGPU_PLANE_FORMAT_MOD_ASYNC(fn) - in a &drm_plane_funcs: fn(plane, format,
 * modifier) says which formats and modifiers async page flips take, and
 * the core lists them in the plane's IN_FORMATS_ASYNC property; nothing
 * where the core has no such property (async flips then take the plane's
 * IN_FORMATS).
 */
#ifdef VGPU_HAVE_PLANE_FORMAT_MOD_ASYNC
#define VGPU_PLANE_FORMAT_MOD_ASYNC(fn)	.format_mod_supported_async = (fn),
#else
#define VGPU_PLANE_FORMAT_MOD_ASYNC(fn)
#endif

/*
 * struct vgpu_atomic_state - the atomic update handed to the modeset hooks
 * and helpers: struct drm_atomic_commit from Linux 7.2, struct
 * drm_atomic_state before. vgpu_atomic_state_get() takes a reference,
 * vgpu_atomic_state_put() drops one.
 */
#ifdef VGPU_HAVE_ATOMIC_COMMIT
#define vgpu_atomic_state	drm_atomic_commit
#define vgpu_atomic_state_get	drm_atomic_commit_get
#define vgpu_atomic_state_put	drm_atomic_commit_put
#else
#define vgpu_atomic_state	drm_atomic_state
#define vgpu_atomic_state_get	drm_atomic_state_get
#define vgpu_atomic_state_put	drm_atomic_state_put
#endif

/*
 * vgpu_atomic_unprepare_planes - undo drm_atomic_helper_prepare_planes()
 * for a commit that fails before its state is swapped in:
 * drm_atomic_helper_unprepare_planes() from Linux 6.7, and before it
 * drm_atomic_helper_cleanup_planes(), which the helpers used for that.
 */
#ifdef VGPU_HAVE_ATOMIC_UNPREPARE_PLANES
#define vgpu_atomic_unprepare_planes	drm_atomic_helper_unprepare_planes
#else
#define vgpu_atomic_unprepare_planes	drm_atomic_helper_cleanup_planes
#endif

struct drm_framebuffer *vgpu_fb_create(struct drm_device *drm,
				       struct drm_file *file,
				       const struct drm_format_info *info,
				       const struct drm_mode_fb_cmd2 *cmd);

/*
 * vgpu_fb_create_hook - &drm_mode_config_funcs.fb_create of this kernel:
 * vgpu_fb_create() itself where the core passes the format info it looked
 * up (Linux 6.17), else a call of it with none (vgpu_gem_fb_init() then
 * needs none).
 */
#ifdef VGPU_HAVE_FB_CREATE_INFO
#define vgpu_fb_create_hook	vgpu_fb_create
#else
static inline struct drm_framebuffer *
vgpu_fb_create_hook(struct drm_device *drm, struct drm_file *file,
		    const struct drm_mode_fb_cmd2 *cmd)
{
	return vgpu_fb_create(drm, file, NULL, cmd);
}
#endif

/**
 * vgpu_gem_fb_init - drm_gem_fb_init_with_funcs() on any kernel
 * @drm: DRM device
 * @fb: framebuffer to initialise
 * @file: DRM file that owns the handles
 * @info: format info from the core, or NULL where the core passes none
 * @cmd: ADDFB2 arguments
 * @funcs: framebuffer functions
 *
 * Return: 0 or a negative errno.
 */
static inline int vgpu_gem_fb_init(struct drm_device *drm,
				   struct drm_framebuffer *fb,
				   struct drm_file *file,
				   const struct drm_format_info *info,
				   const struct drm_mode_fb_cmd2 *cmd,
				   const struct drm_framebuffer_funcs *funcs)
{
#ifdef VGPU_HAVE_FB_CREATE_INFO
	return drm_gem_fb_init_with_funcs(drm, fb, file, info, cmd, funcs);
#else
	return drm_gem_fb_init_with_funcs(drm, fb, file, cmd, funcs);
#endif
}

int vgpu_cursor_atomic_async_check(struct drm_plane *plane,
				   struct vgpu_atomic_state *state, bool flip);

/*
 * vgpu_cursor_async_check_hook - &drm_plane_helper_funcs.atomic_async_check
 * of this kernel: from Linux 6.15 the hook learns whether the update is an
 * async page flip, and is vgpu_cursor_atomic_async_check() itself; before,
 * a call of it for an update that is not one.
 */
#ifdef VGPU_HAVE_ASYNC_CHECK_FLIP
#define vgpu_cursor_async_check_hook	vgpu_cursor_atomic_async_check
#else
static inline int vgpu_cursor_async_check_hook(struct drm_plane *plane,
					       struct vgpu_atomic_state *state)
{
	return vgpu_cursor_atomic_async_check(plane, state, false);
}
#endif

/*
 * VGPU_DMA_BUF_CACHE_SGT - &dma_buf_ops.cache_sgt_mapping where it exists:
 * the dma-buf core keeps an importer's mapping instead of asking the
 * exporter again (until Linux 6.16).
 */
#ifdef VGPU_HAVE_DMA_BUF_CACHE_SGT
#define VGPU_DMA_BUF_CACHE_SGT	.cache_sgt_mapping = true,
#else
#define VGPU_DMA_BUF_CACHE_SGT
#endif

struct drm_scanout_buffer;

/*
 * The panic screen (vgpu_panic.c) on kernels whose drm_panic takes a
 * buffer as pages: VGPU_PANIC_PLANE_FUNCS are the primary plane's hooks.
 * Elsewhere there are no hooks and vgpu_panic_init() does nothing.
 */
#ifdef VGPU_HAVE_DRM_PANIC
int vgpu_panic_init(struct vgpu_output *out);
int vgpu_panic_get_scanout_buffer(struct drm_plane *plane,
				  struct drm_scanout_buffer *sb);
void vgpu_panic_flush(struct drm_plane *plane);
#define VGPU_PANIC_PLANE_FUNCS					\
	.get_scanout_buffer = vgpu_panic_get_scanout_buffer,	\
	.panic_flush = vgpu_panic_flush,
#else
static inline int vgpu_panic_init(struct vgpu_output *out)
{
	return 0;
}

#define VGPU_PANIC_PLANE_FUNCS
#endif

#endif /* VGPU_COMPAT_H */
