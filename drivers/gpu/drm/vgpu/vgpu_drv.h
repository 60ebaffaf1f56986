/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu: internal interfaces between the feature layers.
 */
#ifndef VGPU_DRV_H
#define VGPU_DRV_H

#include <linux/dma-resv.h>

#include <drm/virtgpu_drm.h>

#include "vgpu_cmd.h"
#include "vgpu_compat.h"
#include "vgpu_types.h"

#define VGPU_DRIVER_NAME	"virtio_gpu"
#define VGPU_DRIVER_DESC	"virtio GPU (vgpu)"
#define VGPU_DRIVER_MAJOR	0
#define VGPU_DRIVER_MINOR	1
#define VGPU_DRIVER_PATCHLEVEL	0

struct vgpu_atomic_state;
struct drm_ioctl_desc;
struct drm_printer;
struct drm_file;
struct drm_minor;
struct drm_display_mode;
struct drm_mode_create_dumb;
struct drm_mode_fb_cmd2;
struct seq_file;
struct dma_buf;
struct sg_table;
struct vm_area_struct;
struct file;

/* vgpu_drv.c */
extern unsigned int vgpu_cmd_timeout_ms;

/* vgpu_recover.c: device resets after a hang, suspend and resume */
extern unsigned int vgpu_hang_timeout_ms;
int vgpu_recover_init(struct vgpu_device *vg);
void vgpu_watchdog_start(struct vgpu_device *vg);
void vgpu_recover_stop(struct vgpu_device *vg);
int vgpu_reset(struct vgpu_device *vg, const char *reason);
void vgpu_recover_print(struct seq_file *m, struct vgpu_device *vg);
void vgpu_reset_schedule(struct vgpu_device *vg, const char *reason);
int vgpu_freeze(struct virtio_device *vdev);
int vgpu_restore(struct virtio_device *vdev);

/* vgpu_device.c: virtqueues, host queries and config events */
int vgpu_vqs_init(struct vgpu_device *vg, bool again);
void vgpu_device_read_config(struct vgpu_device *vg);
int vgpu_device_query(struct vgpu_device *vg);
void vgpu_device_config_work(struct work_struct *work);
void vgpu_device_print(struct seq_file *m, struct vgpu_device *vg);

/* vgpu_resource.c: host resources */
void vgpu_res_print(struct seq_file *m, struct vgpu_device *vg);
#define VGPU_HRES_MAX_CMDS	3	/* create, backing, content */
int vgpu_hres_build(struct vgpu_device *vg, struct vgpu_hres *hres,
		    struct sg_table *sgt, bool content,
		    struct vgpu_buf *bufs[VGPU_HRES_MAX_CMDS]);
struct vgpu_hres *vgpu_hres_get_2d(struct vgpu_device *vg, struct vgpu_bo *bo,
				   u32 format, u32 width, u32 height);
void vgpu_hres_put(struct vgpu_hres *hres);
struct vgpu_hres *vgpu_hres_alloc(struct vgpu_device *vg);
void vgpu_res_free_work(struct work_struct *work);
void vgpu_hres_track(struct vgpu_device *vg, struct vgpu_hres *hres);
int vgpu_hres_queue_create(struct vgpu_device *vg, struct vgpu_hres *hres,
			   struct vgpu_buf **bufs, unsigned int n);
unsigned int vgpu_res_restore(struct vgpu_device *vg);
void vgpu_res_reset_begin(struct vgpu_device *vg);
unsigned int vgpu_res_unmap_host_blobs(struct vgpu_device *vg);
void vgpu_hres_discard(struct vgpu_hres *hres);
int vgpu_bo_file(struct vgpu_bo *bo);
struct sg_table *vgpu_bo_sgt(struct vgpu_bo *bo);
int vgpu_bo_res_back(struct vgpu_device *vg, struct vgpu_bo *bo);
int vgpu_bo_res_create(struct vgpu_device *vg, struct vgpu_bo *bo,
		       const struct vgpu_res3d_desc *d,
		       enum vgpu_hres_kind kind);
void vgpu_bo_res_release(struct vgpu_bo *bo,
			 void (*free)(struct vgpu_bo *bo));

/* vgpu_blob.c: blob resources and the host-visible region */
int vgpu_hostmem_init(struct vgpu_device *vg);
void vgpu_hostmem_print(struct seq_file *m, struct vgpu_device *vg);
int vgpu_blob_check(struct vgpu_device *vg,
		    const struct drm_virtgpu_resource_create_blob *a, u64 *size);
int vgpu_blob_make(struct vgpu_device *vg, struct vgpu_bo *bo,
		   struct vgpu_blob_desc *d, struct vgpu_buf *submit);
int vgpu_blob_map_wait(struct vgpu_device *vg, struct vgpu_hres *hres);
int vgpu_blob_guest(struct vgpu_device *vg, struct vgpu_bo *bo, u32 flags);
int vgpu_gem_host_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma);

/* vgpu_prime.c */
struct dma_buf *vgpu_gem_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *vgpu_gem_prime_import(struct drm_device *drm,
					     struct dma_buf *dmabuf);

/* vgpu_gem.c */
int vgpu_gem_init(void);
void vgpu_gem_exit(void);
struct vgpu_bo *vgpu_gem_shmem_create(struct drm_device *drm, size_t size);
bool vgpu_gem_close_detaches(struct drm_gem_object *obj, u32 capset_id);
struct drm_gem_object *vgpu_gem_create_object(struct drm_device *drm,
					      size_t size);
int vgpu_gem_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args);
int vgpu_mmap(struct file *filp, struct vm_area_struct *vma);
int vgpu_gem_create_blob(struct vgpu_device *vg, struct drm_file *file,
			 struct vgpu_blob_desc *d, struct vgpu_buf *submit,
			 u32 *handle);
int vgpu_gem_create_resource(struct vgpu_device *vg, struct drm_file *file,
			     size_t size, const struct vgpu_res3d_desc *d,
			     enum vgpu_hres_kind kind, u32 *handle, u32 *res_id);
int vgpu_gem_wait(struct vgpu_device *vg, struct drm_gem_object *obj,
		  bool nowait);
void vgpu_show_fdinfo(struct seq_file *m, struct file *f);
void vgpu_fdinfo(struct drm_printer *p, struct drm_file *file);

/* vgpu_fb.c: vgpu_fb_create() is in vgpu_compat.h */
bool vgpu_fb_being_written(struct drm_framebuffer *fb);

/* vgpu_plane.c, vgpu_crtc.c, vgpu_connector.c, vgpu_kms.c */
int vgpu_planes_init(struct vgpu_output *out);
bool vgpu_scanouts_blank(struct vgpu_device *vg, unsigned long timeout);
bool vgpu_primary_dirty(struct vgpu_output *out, struct drm_framebuffer *fb,
			const struct drm_clip_rect *clips,
			unsigned int num_clips, unsigned int inc);
void vgpu_damage_add(struct vgpu_damage *dmg, const struct drm_rect *r);
bool vgpu_damage_merge(const struct vgpu_damage *dmg, bool transfer,
		       unsigned int max);
int vgpu_crtc_init(struct vgpu_output *out);
const char *vgpu_mode_timing_invalid(const struct drm_display_mode *m);

/* vgpu_crc.c: CRC capture */
u32 vgpu_crc_argb(u32 fourcc, const u8 *px);
u32 vgpu_crc_over(u32 dst, u32 src);
u32 vgpu_crc_compose(const struct vgpu_crc_layer *primary,
		     const struct vgpu_crc_layer *cursor, u32 width, u32 height,
		     u32 *row);
int vgpu_crc_check_fb(struct vgpu_output *out, struct drm_framebuffer *fb);
void vgpu_crc_snapshot(struct vgpu_output *out);
void vgpu_crc_cursor(struct vgpu_output *out, struct drm_framebuffer *fb,
		     s32 x, s32 y);
void vgpu_crc_damaged(struct vgpu_output *out);
void vgpu_crc_vblank(struct vgpu_output *out);
int vgpu_crtc_verify_crc_source(struct drm_crtc *crtc, const char *source,
				size_t *values);
int vgpu_crtc_set_crc_source(struct drm_crtc *crtc, const char *source);
const char *const *vgpu_crtc_get_crc_sources(struct drm_crtc *crtc,
					     size_t *count);
void vgpu_crc_init(struct vgpu_output *out);
void vgpu_crc_fini(struct vgpu_output *out);
int vgpu_connector_init(struct vgpu_output *out);
int vgpu_kms_init(struct vgpu_device *vg);
void vgpu_kms_print(struct seq_file *m, struct vgpu_device *vg);
void vgpu_kms_commits_flush(struct vgpu_device *vg);
void vgpu_kms_display_changed(struct vgpu_device *vg,
			      const struct vgpu_scanout *before);

/* vgpu_context.c: parameters, capsets, contexts */
int vgpu_context_init_device(struct vgpu_device *vg);
int vgpu_param_get(struct vgpu_device *vg, u64 param, int *value);
u64 vgpu_capset_mask(struct vgpu_device *vg);
int vgpu_capset_read(struct vgpu_device *vg, u32 id, u32 version, void *dst,
		     u32 size);
int vgpu_file_init(struct vgpu_file *vfile);
void vgpu_file_fini(struct vgpu_file *vfile);
bool vgpu_ctx_lost(struct vgpu_device *vg, struct vgpu_file *vfile);
int vgpu_ctx_get(struct vgpu_device *vg, struct vgpu_file *vfile, u32 *ctx_id);
int vgpu_ctx_init(struct vgpu_device *vg, struct vgpu_file *vfile,
		  const struct vgpu_ctx_params *p);
void vgpu_ctx_fini(struct vgpu_device *vg, struct vgpu_file *vfile);
void vgpu_ctx_resource(struct vgpu_device *vg, u32 ctx_id, u32 res_id,
		       bool attach);

/* vgpu_fence.c */
void vgpu_fence_init_device(struct vgpu_device *vg);
struct vgpu_fence *vgpu_fence_alloc(struct vgpu_device *vg, u64 context,
				    u64 seqno);
void vgpu_fence_emit(struct vgpu_fence *f, struct vgpu_timelines *tl,
		     u32 ring, struct vgpu_buf *buf, bool use_ring);
struct vgpu_timelines *vgpu_timelines_new(void);
void vgpu_timelines_put(struct vgpu_timelines *tl);
void vgpu_fence_answered(struct vgpu_buf *buf);
unsigned int vgpu_fence_pending(struct vgpu_device *vg);
void vgpu_fence_print(struct seq_file *m, struct vgpu_device *vg);
struct vgpu_fence_event;
struct vgpu_fence_event *vgpu_fence_event_create(struct drm_device *drm,
						 struct drm_file *file);
void vgpu_fence_event_cancel(struct vgpu_fence_event *ev);
void vgpu_fence_event_arm(struct vgpu_fence_event *ev, struct dma_fence *fence);

/* vgpu_submit.c */
/* Largest EXECBUFFER command stream, in bytes. */
#define VGPU_EXECBUF_MAX	(16 * 1024 * 1024)
/* Most buffers one EXECBUFFER lists, and most syncobjs each way. */
#define VGPU_EXECBUF_BOS_MAX	4096
#define VGPU_EXECBUF_SYNCOBJS_MAX	256

/**
 * struct vgpu_job - one command on a ring, fenced when anyone can wait for it
 * @buf: the command, filled; consumed by vgpu_job_run()
 * @objs: buffers the fence goes on
 * @num_objs: entries in @objs
 * @usage: how the command uses them
 * @use_ring: @ring_idx was given (the header names the ring)
 * @ring_idx: ring of the file's context
 * @in_fences: fences to wait for first
 * @num_in: entries in @in_fences
 * @event: FENCE_SIGNALED event to arm on the fence, or NULL
 * @want_out: the caller takes @out (a sync file, syncobjs)
 * @out: the job's fence (one reference) after success; NULL for a job
 *	 nobody can wait for (see vgpu_job_run())
 */
struct vgpu_job {
	struct vgpu_buf *buf;
	struct drm_gem_object **objs;
	unsigned int num_objs;
	enum dma_resv_usage usage;
	bool use_ring;
	u32 ring_idx;
	struct dma_fence **in_fences;
	unsigned int num_in;
	struct vgpu_fence_event *event;
	bool want_out;
	struct dma_fence *out;
};

int vgpu_job_run(struct vgpu_device *vg, struct vgpu_file *vfile,
		 struct vgpu_job *job);
int vgpu_transfer(struct vgpu_device *vg, struct vgpu_file *vfile,
		  struct vgpu_bo *bo, bool to_host, struct vgpu_transfer_desc *t);

/* vgpu_quota.c */
struct vgpu_quota *vgpu_quota_new(void);
void vgpu_quota_put(struct vgpu_quota *q);
int vgpu_quota_charge(struct vgpu_device *vg, struct drm_file *file,
		      struct vgpu_bo *bo);
void vgpu_quota_uncharge(struct vgpu_device *vg, struct vgpu_bo *bo);

/* vgpu_ioctl.c */
#define VGPU_NUM_IOCTLS	(DRM_VIRTGPU_CONTEXT_INIT + 1)
extern const struct drm_ioctl_desc vgpu_ioctls[VGPU_NUM_IOCTLS];
int vgpu_open(struct drm_device *drm, struct drm_file *file);
void vgpu_postclose(struct drm_device *drm, struct drm_file *file);
long vgpu_drm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg);
long vgpu_drm_compat_ioctl(struct file *filp, unsigned int cmd,
			   unsigned long arg);
int vgpu_ioctl_resource_create_blob(struct drm_device *drm, void *data,
				    struct drm_file *file);

/* vgpu_debugfs.c */
void vgpu_debugfs_init(struct drm_minor *minor);

#endif /* VGPU_DRV_H */
