/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu device state.
 *
 * Locking: @vgpu_device.display.state_lock covers the host-reported state
 * that the config-change worker refreshes (scanouts, EDIDs, event
 * counters). Each virtqueue has its own lock (see vgpu_vq.h). KMS state is
 * covered by the DRM modeset locks; what an output shares with interrupt
 * context has its own spinlock (&vgpu_output.cursor_lock) or is written
 * once per enable (&vgpu_output.period, &vgpu_output.anchor) while the
 * vblank timer is stopped. A nonblocking commit parked on an output
 * (&vgpu_output.parked) is under &vgpu_display.parked_lock. Resource ids
 * come from an IDA, which locks itself; ranges of the host-visible region
 * from a drm_mm under &vgpu_device.hostmem.lock; a buffer's UUID command
 * is set once under its &vgpu_bo.lock. Everything else is written once at
 * probe before the DRM device is registered and read-only after.
 */
#ifndef VGPU_TYPES_H
#define VGPU_TYPES_H

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/hrtimer.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_device.h>
#include <drm/drm_encoder.h>
#include <drm/drm_file.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_mm.h>
#include <drm/drm_plane.h>
#include <drm/drm_rect.h>

#include "vgpu_compat.h"
#include "vgpu_proto.h"
#include "vgpu_vq.h"

struct virtio_device;

/* Largest framebuffer and mode side, in pixels. */
#define VGPU_FB_MAX		16384
/* Highest refresh rate a mode may ask for: the vblank timer's 1 ms floor. */
#define VGPU_REFRESH_MAX	1000
/* The host's cursor image is this many pixels square. */
#define VGPU_CURSOR_SIZE	64

/**
 * struct vgpu_scanout - host-side view of one output
 * @info: position, size and state from GET_DISPLAY_INFO
 * @edid: EDID bytes from GET_EDID
 * @edid_len: valid bytes in @edid (0 when the host gave none)
 */
struct vgpu_scanout {
	struct vgpu_scanout_info info;
	u8 edid[VGPU_EDID_MAX];
	u32 edid_len;
};

/**
 * enum vgpu_hres_kind - how a resource is made, and where its content is
 * @VGPU_HRES_2D: RESOURCE_CREATE_2D with guest pages attached; the content
 *	is the guest's, sent to the host with transfers.
 * @VGPU_HRES_3D: RESOURCE_CREATE_3D with guest pages attached; the content
 *	is the host's (rendered there).
 * @VGPU_HRES_BLOB_GUEST: a blob of guest pages, which the host reads by
 *	address (BLOB_MEM_GUEST).
 * @VGPU_HRES_BLOB_HOST: a blob of a host context's memory, without guest
 *	pages (BLOB_MEM_HOST3D).
 * @VGPU_HRES_BLOB_HOST_GUEST: a blob a host context made on guest pages
 *	(BLOB_MEM_HOST3D_GUEST).
 */
enum vgpu_hres_kind {
	VGPU_HRES_2D,
	VGPU_HRES_3D,
	VGPU_HRES_BLOB_GUEST,
	VGPU_HRES_BLOB_HOST,
	VGPU_HRES_BLOB_HOST_GUEST,
};

/**
 * struct vgpu_hres - a resource on the host
 *
 * Created with its guest backing attached; released asynchronously: the
 * RESOURCE_UNREF is queued from a work item, and only once the host has
 * answered it are the backing pages let go and the id given back for
 * reuse. It is allocated on its own so that it can outlive its owner.
 */
struct vgpu_hres {
	/** @vg: device. */
	struct vgpu_device *vg;
	/** @ref: users (framebuffers); the last one releases the resource. */
	struct kref ref;
	/** @id: resource id, from &vgpu_device.res.ida. */
	u32 id;
	/** @format: VIRTIO_GPU_FORMAT_* of a 2D resource. */
	u32 format;
	/** @width: width in pixels. */
	u32 width;
	/** @height: height in pixels. */
	u32 height;
	/** @kind: how the resource is made (and made again after a reset). */
	enum vgpu_hres_kind kind;
	/** @cache: buffer whose &vgpu_bo.hres may point here, or NULL. */
	struct vgpu_bo *cache;
	/** @backing: GEM object whose pages the host may read; one reference. */
	struct drm_gem_object *backing;
	/**
	 * @owner: buffer this resource belongs to (RESOURCE_CREATE), set when
	 * the buffer is freed: its memory goes once the host let go of it.
	 */
	struct vgpu_bo *owner;
	/** @owner_free: frees @owner's memory (vgpu_gem.c). */
	void (*owner_free)(struct vgpu_bo *bo);
	/** @last_level: last mipmap level (3D). */
	u32 last_level;
	/** @blob_flags: VIRTIO_GPU_BLOB_FLAG_* of a blob. */
	u32 blob_flags;
	/** @ctx_id: the context that makes a host blob. */
	u32 ctx_id;
	/** @blob_id: the host context's name for a host blob's memory. */
	u64 blob_id;
	/**
	 * @map_node: range of the host-visible region a mappable host blob is
	 * mapped at (offsets from the region's start); &vgpu_device.hostmem.lock.
	 */
	struct drm_mm_node map_node;
	/** @map: RESOURCE_MAP_BLOB; its answer carries the cache type. */
	struct vgpu_buf *map;
	/** @map_info: VIRTIO_GPU_MAP_CACHE_* once @map_state is 1. */
	u32 map_info;
	/** @map_state: 0 unanswered, 1 mapped, or the host's refusal (errno). */
	int map_state;
	/**
	 * @map_releasing: released with @map_node still allocated: counted in
	 * &vgpu_device.hostmem.releasing until the range goes back.
	 */
	bool map_releasing;
	/**
	 * @backed: the host was given @shmem's pages (RESOURCE_ATTACH_BACKING
	 * or a blob's create). A 3D resource gets them only before the first
	 * command that may use them (vgpu_bo_res_back()). Set under the
	 * owner's &vgpu_bo.lock and &vgpu_device.res.lock; a reset makes the
	 * resource again with its backing when set.
	 */
	bool backed;
	/** @lost: a host blob a reset took away; it cannot be re-created. */
	bool lost;
	/** @unmap: RESOURCE_UNMAP_BLOB, sent before @unref when mapped. */
	struct vgpu_buf *unmap;
	/** @uuid_cmd: RESOURCE_ASSIGN_UUID once sent (owner's &vgpu_bo.lock). */
	struct vgpu_buf *uuid_cmd;
	/** @uuid_state: 0 unanswered, 1 assigned, or the host's refusal. */
	int uuid_state;
	/** @uuid: the UUID once @uuid_state is 1. */
	u8 uuid[16];
	/**
	 * @epoch: the control queue's &vgpu_vq.epoch when the host was last
	 * asked to make the resource (0: not yet); set before @link is.
	 */
	u32 epoch;
	/** @unref: RESOURCE_UNREF, allocated up front so release cannot fail. */
	struct vgpu_buf *unref;
	/**
	 * @work: sends @unref when it could not be queued at once (a paused
	 * queue or a full ring), or frees everything once the device is gone.
	 */
	struct delayed_work work;
	/**
	 * @answered: entry in &vgpu_resources.answered once the host answered
	 * @unref.
	 */
	struct llist_node answered;
	/**
	 * @link: entry in &vgpu_device.res.list from creation until the
	 * unref is sent (&vgpu_device.res.lock): what a reset re-creates.
	 */
	struct list_head link;
	/** @shmem: the guest pages the host reads, NULL for a host blob. */
	struct drm_gem_shmem_object *shmem;
	/** @desc3d: what RESOURCE_CREATE_3D asked for (%VGPU_HRES_3D). */
	struct vgpu_res3d_desc desc3d;
	/** @blob_size: size of a blob. */
	u64 blob_size;
};

/**
 * struct vgpu_bo - a GEM object
 *
 * A buffer made with RESOURCE_CREATE has a host resource of its own,
 * @res, for its whole life. Other buffers (dumb, imported) get 2D
 * resources from their framebuffers; framebuffers of the same buffer,
 * format and size share one: legacy cursor calls make a new framebuffer
 * for every image.
 */
struct vgpu_bo {
	/** @base: shmem GEM object. */
	struct drm_gem_shmem_object base;
	/**
	 * @lock: covers @hres (and the last put of it), @res's uuid_cmd, and
	 * the attach of @res's pages at their first use.
	 */
	struct mutex lock;
	/** @hres: the latest 2D resource made on these pages; no reference. */
	struct vgpu_hres *hres;
	/** @res: the buffer's own resource (one reference), or NULL; set once. */
	struct vgpu_hres *res;
	/** @charged: bytes charged to @quota and the device, 0 for none. */
	u64 charged;
	/** @quota: the creating client's quota (one reference), or NULL. */
	struct vgpu_quota *quota;
};

/**
 * struct vgpu_fb - a framebuffer and the host resource it is shown from
 *
 * A shmem buffer has no host resource of its own: each framebuffer gets a
 * 2D resource in its own format, @hres, attached to the buffer's pages.
 * The resource is pitch / cpp pixels wide, so resource coordinates map to
 * buffer bytes as y * pitch + x * cpp, and (@x0, @y0) is where the
 * framebuffer's offset puts its first pixel.
 */
struct vgpu_fb {
	/** @base: DRM framebuffer; must stay first (drm_gem_fb_destroy frees it). */
	struct drm_framebuffer base;
	/** @hres: host resource. */
	struct vgpu_hres *hres;
	/** @x0: resource column of the framebuffer's first pixel. */
	u32 x0;
	/** @y0: resource row of the framebuffer's first pixel. */
	u32 y0;
};

/**
 * struct vgpu_crc_layer - a plane's pixels as CRC composition reads them
 * @vaddr: first pixel of the part shown (NULL: nothing)
 * @pitch: bytes from one row to the next
 * @format: DRM fourcc, one of the planes' 32-bit formats
 * @x: column of the first pixel on the CRTC (may be negative)
 * @y: row of the first pixel on the CRTC (may be negative)
 * @w: width shown
 * @h: height shown
 */
struct vgpu_crc_layer {
	const u8 *vaddr;
	u32 pitch;
	u32 format;
	s32 x;
	s32 y;
	u32 w;
	u32 h;
};

/**
 * struct vgpu_damage - damage clips summed up, to choose how they are sent
 *	(vgpu_damage_merge())
 * @box: their bounding box
 * @area: the sum of their areas, in pixels
 * @n: how many
 */
struct vgpu_damage {
	struct drm_rect box;
	u64 area;
	unsigned int n;
};

/**
 * struct vgpu_crc - an output's CRC capture (vgpu_crc.c)
 */
struct vgpu_crc {
	/**
	 * @lock: covers the fields below but @on, @work and @computed; taken
	 * in the vblank timer.
	 */
	spinlock_t lock;
	/** @on: capture is on (source "auto"); read without the lock. */
	bool on;
	/** @queued: @work is queued for the vblanks @first to @last. */
	bool queued;
	/** @first: first vblank waiting for its CRC. */
	u64 first;
	/** @last: last vblank waiting for its CRC. */
	u64 last;
	/** @next: first vblank not yet given a CRC nor queued for one. */
	u64 next;
	/** @retries: computations of @first thrown away for a newer frame. */
	unsigned int retries;
	/** @seq: counts the snapshot's changes. */
	u64 seq;
	/**
	 * @valid: @value is the CRC of the snapshot as it is (computed at
	 * @seq); vblanks then get it at once, without the work.
	 */
	bool valid;
	/** @value: the last CRC computed. */
	u32 value;
	/** @primary: the primary plane's framebuffer shown (a reference). */
	struct drm_framebuffer *primary;
	/** @primary_src: its source rectangle (16.16), clipped. */
	struct drm_rect primary_src;
	/** @primary_dst: where it shows on the CRTC, clipped. */
	struct drm_rect primary_dst;
	/** @cursor: the cursor's framebuffer shown (a reference), or NULL. */
	struct drm_framebuffer *cursor;
	/** @cursor_x: cursor column on the CRTC. */
	s32 cursor_x;
	/** @cursor_y: cursor row on the CRTC. */
	s32 cursor_y;
	/** @cursor_w: cursor width. */
	u32 cursor_w;
	/** @cursor_h: cursor height. */
	u32 cursor_h;
	/** @cursor_src_x: first column of the cursor image shown. */
	s32 cursor_src_x;
	/** @cursor_src_y: first row of the cursor image shown. */
	s32 cursor_src_y;
	/** @width: the CRTC's width. */
	u32 width;
	/** @height: the CRTC's height. */
	u32 height;
	/** @work: computes the CRC of the frame shown. */
	struct work_struct work;
	/** @computed: CRCs computed (debugfs). */
	atomic64_t computed;
};

/**
 * struct vgpu_output - one scanout: CRTC, planes, encoder, connector
 */
struct vgpu_output {
	/** @index: scanout id. */
	unsigned int index;
	/** @vg: device. */
	struct vgpu_device *vg;
	/** @crtc: CRTC. */
	struct drm_crtc crtc;
	/** @primary: primary plane. */
	struct drm_plane primary;
	/** @cursor: cursor plane. */
	struct drm_plane cursor;
	/** @encoder: virtual encoder. */
	struct drm_encoder encoder;
	/** @connector: virtual connector. */
	struct drm_connector connector;

	/** @vblank_timer: emulated vblank interrupt. */
	struct hrtimer vblank_timer;
	/**
	 * @vblank_on: the core wants vblank interrupts; the timer stops
	 * itself once this is false (it cannot be waited for where it is
	 * turned off, under the core's vblank locks).
	 */
	bool vblank_on;
	/** @period: frame duration of the current mode. */
	ktime_t period;
	/** @anchor: time of one vblank; every vblank is anchor + k * period. */
	ktime_t anchor;
	/** @vblanks: vblank interrupts raised. */
	atomic64_t vblanks;
	/** @crc: CRC capture of what the CRTC shows. */
	struct vgpu_crc crc;

	/** @cursor_lock: covers the cursor_* fields below; taken in IRQ context. */
	spinlock_t cursor_lock;
	/** @cursor_x: cursor position as last set. */
	s32 cursor_x;
	/** @cursor_y: cursor position as last set. */
	s32 cursor_y;
	/** @cursor_upload: transfer of the new image; UPDATE_CURSOR waits for it. */
	struct vgpu_buf *cursor_upload;
	/** @cursor_fb: framebuffer of the pending update (one reference). */
	struct drm_framebuffer *cursor_fb;
	/** @cursor_res: resource of the pending update. */
	u32 cursor_res;
	/** @cursor_hot_x: hotspot of the pending update. */
	u32 cursor_hot_x;
	/** @cursor_hot_y: hotspot of the pending update. */
	u32 cursor_hot_y;
	/** @cursor_ready: the host has answered @cursor_upload. */
	bool cursor_ready;
	/** @cursor_hide: an UPDATE_CURSOR without a resource is to be sent. */
	bool cursor_hide;
	/** @cursor_move: a MOVE_CURSOR is to be sent. */
	bool cursor_move;
	/** @cursor_work: sends the pending update once its upload is done. */
	struct work_struct cursor_work;
	/** @cursor_updates: UPDATE_CURSOR commands sent. */
	u64 cursor_updates;
	/** @cursor_moves: MOVE_CURSOR commands sent. */
	u64 cursor_moves;
	/**
	 * @cursor_vblank: 1 while a move waits for the next vblank, holding a
	 * vblank reference: the vblank queues @cursor_work, which drops it
	 * (or the CRTC's disable does, sending the move at once). Atomic,
	 * not under @cursor_lock: the vblank timer reads it.
	 */
	atomic_t cursor_vblank;

	/**
	 * @parked: a nonblocking commit whose first CRTC is this one, done in
	 * its ioctl and waiting for its vblank before it can be cleaned up
	 * (vgpu_kms.c); under &vgpu_display.parked_lock.
	 */
	struct vgpu_atomic_state *parked;

	/**
	 * @panic_bufs: the transfer and flush that show the panic screen,
	 * allocated beforehand (vgpu_panic.c); NULL where the kernel has no
	 * drm_panic for vgpu.
	 */
	struct vgpu_buf *panic_bufs[2];
};

/* Rings (fence timelines) a context may have. */
#define VGPU_MAX_RINGS		64

/**
 * struct vgpu_ctx_params - what CONTEXT_INIT asks for
 * @has_capset: @capset_id was given
 * @capset_id: capset the context speaks
 * @num_rings: rings (0: the default, one)
 * @poll_rings_mask: rings whose fences raise FENCE_SIGNALED events
 * @debug_name: name for the host ("" for the task's)
 */
struct vgpu_ctx_params {
	bool has_capset;
	u64 capset_id;
	u64 num_rings;
	u64 poll_rings_mask;
	char debug_name[64];
};

/**
 * struct vgpu_fence - a fence of a ring, signalled by the host's answer
 */
struct vgpu_fence {
	/** @base: the dma_fence; its lock is @lock. */
	struct dma_fence base;
	/** @lock: the dma_fence's lock. */
	spinlock_t lock;
	/** @vg: device. */
	struct vgpu_device *vg;
	/** @wire_id: the id sent to the host, unique on the device. */
	u64 wire_id;
	/** @tl: the timelines of its file, referenced while it is pending. */
	struct vgpu_timelines *tl;
	/** @ring: its ring, an index into @tl's lists. */
	u32 ring;
	/**
	 * @link: entry in its ring's &vgpu_timelines.pending while
	 * unsignalled (&vgpu_fences.lock).
	 */
	struct list_head link;
};

/**
 * struct vgpu_timelines - the rings of a file as fence timelines
 *
 * The file holds a reference, and so does each fence pending on one of
 * the rings, so a fence answered after its file closed still finds its
 * list. An answer signals from the head of one ring's list: the fences
 * of other rings and files are never looked at.
 */
struct vgpu_timelines {
	/** @ref: lifetime. */
	struct kref ref;
	/** @context: dma_fence context of ring 0; ring N is + N. */
	u64 context;
	/**
	 * @pending: per ring, the emitted and unsignalled fences in sequence
	 * order (&vgpu_fences.lock).
	 */
	struct list_head pending[VGPU_MAX_RINGS];
};

/**
 * struct vgpu_quota - guest memory the buffers of one client hold
 *
 * Referenced by the client's file and by every buffer charged to it.
 */
struct vgpu_quota {
	/** @ref: lifetime. */
	struct kref ref;
	/** @bytes: sizes of the buffers charged and not yet freed. */
	atomic64_t bytes;
};

/**
 * struct vgpu_file - what a DRM file of the device owns
 *
 * @lock covers every field below it.
 */
struct vgpu_file {
	/** @lock: see above. */
	struct mutex lock;
	/** @ctx_id: host context, 0 before it exists. */
	u32 ctx_id;
	/**
	 * @ctx_gen: &vgpu_device.recovery.reset_gen when the context was created; a
	 * reset since took it away on the host (the context is lost).
	 */
	u32 ctx_gen;
	/** @capset_id: capset of the context (0: the host's default). */
	u32 capset_id;
	/** @num_rings: rings of the context. */
	u32 num_rings;
	/** @poll_rings_mask: rings with FENCE_SIGNALED events. */
	u64 poll_rings_mask;
	/** @debug_name: name given with CONTEXT_INIT. */
	char debug_name[64];
	/** @timelines: the rings' fence timelines (one reference). */
	struct vgpu_timelines *timelines;
	/** @ring_seqno: last sequence number of each ring. */
	u64 ring_seqno[VGPU_MAX_RINGS];
	/** @client_id: unique number of the file, for fdinfo. */
	u64 client_id;
	/** @quota: memory the file's buffers hold (NULL: not accounted). */
	struct vgpu_quota *quota;
};

/**
 * struct vgpu_features - what the device and the driver agreed on
 *
 * Written once during probe, before the DRM device is registered.
 */
struct vgpu_features {
	/** @offered: device feature bits as offered. */
	u64 offered;
	/** @virgl: VIRTIO_GPU_F_VIRGL negotiated. */
	bool virgl;
	/** @edid: VIRTIO_GPU_F_EDID negotiated. */
	bool edid;
	/** @resource_uuid: VIRTIO_GPU_F_RESOURCE_UUID negotiated. */
	bool resource_uuid;
	/** @resource_blob: VIRTIO_GPU_F_RESOURCE_BLOB negotiated. */
	bool resource_blob;
	/** @context_init: VIRTIO_GPU_F_CONTEXT_INIT negotiated. */
	bool context_init;
	/** @host_visible: the host-visible memory region is mapped. */
	bool host_visible;
	/** @blob_alignment: VGPU_F_BLOB_ALIGNMENT negotiated. */
	bool blob_alignment;
	/** @dma_api: backing addresses are DMA addresses (else physical). */
	bool dma_api;
};

/**
 * struct vgpu_hostmem - the host-visible region (vgpu_blob.c)
 */
struct vgpu_hostmem {
	/**
	 * @blob_align: what blob sizes and map offsets must be multiples of:
	 * the host's blob_alignment with &vgpu_features.blob_alignment, else
	 * the page size (ranges of the region are aligned to the larger of
	 * the two).
	 */
	u32 blob_align;
	/** @base: physical address of the region. */
	phys_addr_t base;
	/** @size: bytes of the region. */
	u64 size;
	/** @lock: covers @mm, @used, @freed and the lowering of @releasing. */
	struct mutex lock;
	/** @mm: ranges of the region given to mapped blobs. */
	struct drm_mm mm;
	/** @used: bytes of the region in use. */
	u64 used;
	/**
	 * @releasing: released blobs whose range waits for the host's unmap
	 * and unref; a creation that finds the region full waits for them on
	 * @wq rather than failing at once. Raised without @lock (a release
	 * may come in atomic context), lowered under it together with @freed.
	 */
	atomic_t releasing;
	/** @freed: ranges given back so far (waiters watch it move); @lock. */
	int freed;
	/** @wq: woken when a range of the region goes back. */
	wait_queue_head_t wq;
};

/**
 * struct vgpu_display - the scanouts and their outputs
 */
struct vgpu_display {
	/** @num_scanouts: from config space, clamped to VGPU_MAX_SCANOUTS. */
	u32 num_scanouts;
	/** @state_lock: see the top of this file. */
	struct mutex state_lock;
	/** @scanouts: @num_scanouts entries. */
	struct vgpu_scanout *scanouts;
	/** @events_at_probe: events_read as found at probe. */
	u32 events_at_probe;
	/** @events: display-change events the device raised. */
	u32 events;
	/** @config_work: handles config-change interrupts. */
	struct work_struct config_work;
	/** @hotplug_events: uevents sent because the displays changed. */
	u32 hotplug_events;
	/** @outputs: @num_scanouts outputs, when the device has KMS. */
	struct vgpu_output *outputs;
	/** @kms_ready: the display is registered; hotplug events may go out. */
	bool kms_ready;
	/** @off: the display was turned off for suspend. */
	bool off;
	/** @parked_lock: covers &vgpu_output.parked of every output. */
	spinlock_t parked_lock;
	/**
	 * @reap_work: cleans up the parked commits that no later commit
	 * cleaned up; armed by each parking.
	 */
	struct delayed_work reap_work;
	/** @commits_inline: nonblocking commits done in their ioctl. */
	atomic64_t commits_inline;
	/** @commits_worker: nonblocking commits handed to the helpers' worker. */
	atomic64_t commits_worker;
	/** @commits_blocking: blocking commits (not legacy cursor updates). */
	atomic64_t commits_blocking;
	/** @commits_reaped_late: parked commits cleaned up by @reap_work. */
	atomic64_t commits_reaped_late;
};

/**
 * struct vgpu_contexts - capsets and context ids (vgpu_context.c)
 */
struct vgpu_contexts {
	/** @num_capsets: capsets kept in @capsets. */
	u32 num_capsets;
	/** @capsets: what GET_CAPSET_INFO reported, valid entries only. */
	struct vgpu_capset *capsets;
	/** @ida: context ids in use. */
	struct ida ida;
	/** @capset_lock: covers @capset_cache. */
	struct mutex capset_lock;
	/** @capset_cache: capsets read from the host. */
	struct list_head capset_cache;
};

/**
 * struct vgpu_resources - host resources (vgpu_resource.c)
 */
struct vgpu_resources {
	/** @ida: resource ids in use; ids are reused once released. */
	struct ida ida;
	/** @live: host resources created and not yet released. */
	atomic_t live;
	/** @wq: ordered queue for resource release. */
	struct workqueue_struct *wq;
	/**
	 * @answered: resources whose unref the host answered, to be freed
	 * (filled in the answers' interrupt, emptied by @free_work).
	 */
	struct llist_head answered;
	/** @free_work: frees the @answered resources, all in one run. */
	struct work_struct free_work;
	/**
	 * @lock: covers @list and the writes of &vgpu_recovery.reset_gen;
	 * held while a reset re-creates resources.
	 */
	struct mutex lock;
	/** @list: resources the host holds (&vgpu_hres.link). */
	struct list_head list;
	/** @held: bytes of guest memory charged buffers hold (vgpu_quota.c). */
	atomic64_t held;
};

/**
 * struct vgpu_host_errors - error answers to commands nobody waits for
 * (vgpu_cmd.c)
 */
struct vgpu_host_errors {
	/** @count: asynchronous commands the host answered with an error. */
	atomic_t count;
	/** @last: type of the latest such answer. */
	u32 last;
	/** @last_cmd: type of the command it answered. */
	u32 last_cmd;
};

/**
 * struct vgpu_fences - fences on the wire (vgpu_fence.c)
 */
struct vgpu_fences {
	/** @lock: covers the fields below. */
	spinlock_t lock;
	/** @pending: emitted, unsignalled fences, on every timeline. */
	unsigned int pending;
	/** @next_id: next wire fence id. */
	u64 next_id;
	/** @signalled: fence answers handled. */
	u64 signalled;
	/** @unfenced: jobs queued without a fence (nobody could wait). */
	atomic64_t unfenced;
	/** @events: FENCE_SIGNALED events sent. */
	atomic64_t events;
};

/**
 * struct vgpu_recovery - resets, suspend and resume (vgpu_recover.c)
 */
struct vgpu_recovery {
	/**
	 * @reset_gen: resets so far; contexts and resource creations of an
	 * older generation were lost (read with READ_ONCE).
	 */
	u32 reset_gen;
	/**
	 * @restored_gen: @reset_gen whose resources were made again
	 * (&vgpu_resources.lock).
	 */
	u32 restored_gen;
	/** @lock: serialises resets, suspend and resume. */
	struct mutex lock;
	/** @work: resets the device after a hang. */
	struct work_struct work;
	/** @watchdog: looks for commands the device has not answered in time. */
	struct delayed_work watchdog;
	/** @hang_timeout: an unanswered command older than this is a hang (0: never). */
	unsigned long hang_timeout;
	/** @reason: why the latest reset happened (a constant string). */
	const char *reason;
	/** @restore_errors: resources a reset could not make again. */
	atomic_t restore_errors;
	/** @failed: the device did not come back; it stays stopped. */
	bool failed;
	/** @suspended: frozen for suspend; commands wait for the resume. */
	bool suspended;
};

/**
 * struct vgpu_device - one virtio-gpu device
 *
 * Each feature's state is a member of its own, covered by its own lock.
 */
struct vgpu_device {
	/** @drm: the DRM device; parent is the PCI function. */
	struct drm_device *drm;
	/** @vdev: the virtio device. */
	struct virtio_device *vdev;
	/** @features: what was negotiated. */
	struct vgpu_features features;
	/** @ctrlq: control queue. */
	struct vgpu_vq ctrlq;
	/** @cursorq: cursor queue. */
	struct vgpu_vq cursorq;
	/** @cmd_timeout: bound on any wait for the device, in jiffies. */
	unsigned long cmd_timeout;
	/** @host_errors: error answers nobody waited for. */
	struct vgpu_host_errors host_errors;
	/** @display: scanouts and outputs. */
	struct vgpu_display display;
	/** @ctx: capsets and contexts. */
	struct vgpu_contexts ctx;
	/** @res: host resources. */
	struct vgpu_resources res;
	/** @hostmem: the host-visible region. */
	struct vgpu_hostmem hostmem;
	/** @fences: fences on the wire. */
	struct vgpu_fences fences;
	/** @recovery: resets, suspend and resume. */
	struct vgpu_recovery recovery;
};

static inline struct vgpu_device *to_vgpu(struct drm_device *drm)
{
	return drm->dev_private;
}

static inline struct vgpu_file *to_vgpu_file(struct drm_file *file)
{
	return file->driver_priv;
}

static inline struct vgpu_bo *to_vgpu_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct vgpu_bo, base.base);
}

/* A blob resource (shared by address rather than by transfer). */
static inline bool vgpu_hres_is_blob(const struct vgpu_hres *hres)
{
	return hres->kind >= VGPU_HRES_BLOB_GUEST;
}

/* VIRTIO_GPU_BLOB_MEM_* of a blob, 0 for other resources. */
static inline u32 vgpu_hres_blob_mem(const struct vgpu_hres *hres)
{
	switch (hres->kind) {
	case VGPU_HRES_BLOB_GUEST:
		return VIRTIO_GPU_BLOB_MEM_GUEST;
	case VGPU_HRES_BLOB_HOST:
		return VIRTIO_GPU_BLOB_MEM_HOST3D;
	case VGPU_HRES_BLOB_HOST_GUEST:
		return VIRTIO_GPU_BLOB_MEM_HOST3D_GUEST;
	default:
		return 0;
	}
}

/* The content is what the guest wrote in its pages (not rendered on the host). */
static inline bool vgpu_hres_guest_content(const struct vgpu_hres *hres)
{
	return hres->kind == VGPU_HRES_2D || hres->kind == VGPU_HRES_BLOB_GUEST;
}

/* A host blob: no guest pages; mapped from the host-visible region. */
static inline bool vgpu_bo_host_only(const struct vgpu_bo *bo)
{
	return bo->res && bo->res->kind == VGPU_HRES_BLOB_HOST;
}

static inline struct vgpu_fb *to_vgpu_fb(struct drm_framebuffer *fb)
{
	return container_of(fb, struct vgpu_fb, base);
}

static inline struct vgpu_output *crtc_to_output(struct drm_crtc *crtc)
{
	return container_of(crtc, struct vgpu_output, crtc);
}

static inline struct vgpu_output *connector_to_output(struct drm_connector *c)
{
	return container_of(c, struct vgpu_output, connector);
}

#endif /* VGPU_TYPES_H */
