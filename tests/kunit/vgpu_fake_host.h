/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake virtio-gpu host for KUnit.
 *
 * It plays the device side of the protocol on real split virtqueues whose
 * ring memory it owns: the driver adds buffers with the ordinary virtqueue
 * API, the host reads the descriptors exactly as a device would, checks
 * each command byte for byte against <linux/virtio_gpu.h>, keeps host
 * state, writes responses into the device-writable buffers and raises the
 * queue interrupt. It can also be registered on the virtio bus as device
 * id 16, so the real vgpu driver probes it.
 *
 * Answers go out at once, or are held until the test releases them (in
 * order or reversed). Faults are injected per command type: error
 * responses, truncated or oversize responses, commands never answered, a
 * queue the host stops consuming.
 */
#ifndef VGPU_FAKE_HOST_H
#define VGPU_FAKE_HOST_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/virtio.h>
#include <linux/virtio_gpu.h>
#include <linux/virtio_ring.h>
#include <linux/workqueue.h>

#define VGPU_FAKE_QUEUES	2
#define VGPU_FAKE_MAX_RULES	8
#define VGPU_FAKE_MAX_CAPSETS	8
#define VGPU_FAKE_MAX_SEGS	16
#define VGPU_FAKE_MAX_RES	64
#define VGPU_FAKE_MAX_CTX	16
/* Feature bit 5 (virtio 1.4): blob sizes and map offsets are aligned. */
#define VGPU_FAKE_F_BLOB_ALIGNMENT	5

struct pci_dev;

/** enum vgpu_fake_fault - what the host does instead of answering properly */
enum vgpu_fake_fault {
	/** @VGPU_FAKE_OK: answer normally. */
	VGPU_FAKE_OK,
	/** @VGPU_FAKE_ERROR: refuse: do nothing, answer with the rule's error type. */
	VGPU_FAKE_ERROR,
	/** @VGPU_FAKE_TRUNCATE: write and report only the rule's length. */
	VGPU_FAKE_TRUNCATE,
	/** @VGPU_FAKE_OVERSIZE: answer, but report more bytes than there was room for. */
	VGPU_FAKE_OVERSIZE,
	/** @VGPU_FAKE_DROP: take the command off the ring and never answer it. */
	VGPU_FAKE_DROP,
	/**
	 * @VGPU_FAKE_FENCE_ID: answer, with the fence flag and the rule's
	 * fence id in the header, whatever the command asked (an unknown id,
	 * or the same id on several answers).
	 */
	VGPU_FAKE_FENCE_ID,
};

/**
 * struct vgpu_fake_rule - a fault for commands of one type
 * @type: VIRTIO_GPU_CMD_* it applies to, 0 for every command
 * @fault: what to do
 * @resp_type: response type for VGPU_FAKE_ERROR
 * @len: bytes for VGPU_FAKE_TRUNCATE, extra bytes for VGPU_FAKE_OVERSIZE
 * @fence_id: fence id for VGPU_FAKE_FENCE_ID
 * @count: how many commands it applies to; negative for all
 */
struct vgpu_fake_rule {
	u32 type;
	enum vgpu_fake_fault fault;
	u32 resp_type;
	u32 len;
	u64 fence_id;
	int count;
};

/**
 * struct vgpu_fake_cmd - a command as the host received it
 * @link: in &vgpu_fake_host.log
 * @queue: 0 control, 1 cursor
 * @type: the header's type
 * @req_len: device-readable bytes of the chain
 * @resp_room: device-writable bytes of the chain
 * @req: the first min(@req_len, 256) request bytes
 */
struct vgpu_fake_cmd {
	struct list_head link;
	unsigned int queue;
	u32 type;
	u32 req_len;
	u32 resp_room;
	u8 req[256];
};

/**
 * struct vgpu_fake_res - a host resource
 * @id: resource id, 0 for a free slot
 * @blob: created with RESOURCE_CREATE_BLOB
 * @format: 2D format
 * @width: 2D width
 * @height: 2D height
 * @blob_mem: VIRTIO_GPU_BLOB_MEM_* of a blob
 * @blob_flags: VIRTIO_GPU_BLOB_FLAG_* of a blob
 * @blob_id: host-side id of a blob
 * @size: blob size in bytes
 * @nr_entries: guest memory entries attached (0: no backing)
 * @backing_bytes: total length of those entries
 * @ctx_mask: contexts (by slot) it is attached to
 * @mapped: mapped in the host-visible region
 * @map_offset: where
 * @map_info: cache type it was mapped with
 * @uuid: a UUID was assigned
 * @transfers: TRANSFER_TO_HOST_2D and TRANSFER_TO_HOST_3D received
 * @flushes: RESOURCE_FLUSH received
 * @is_3d: created with RESOURCE_CREATE_3D
 * @target: 3D target
 * @bind: 3D bind flags
 * @reads: TRANSFER_FROM_HOST_3D received
 * @last_box: box of the latest 3D transfer
 */
struct vgpu_fake_res {
	u32 id;
	bool blob;
	bool is_3d;
	u32 target, bind;
	unsigned int reads;
	struct virtio_gpu_box last_box;
	u32 format, width, height;
	u32 blob_mem, blob_flags;
	u64 blob_id, size;
	u32 nr_entries;
	u64 backing_bytes;
	u32 ctx_mask;
	bool mapped;
	u64 map_offset;
	u32 map_info;
	bool uuid;
	unsigned int transfers, flushes;
};

/**
 * struct vgpu_fake_ctx - a host context
 * @id: context id, 0 for a free slot
 * @capset: capset id from context_init (0: the default)
 * @name: debug name
 * @submits: SUBMIT_3D received
 * @submitted_bytes: command stream bytes received
 */
struct vgpu_fake_ctx {
	u32 id;
	u32 capset;
	char name[64];
	unsigned int submits;
	u64 submitted_bytes;
};

/* A chain taken off the ring and not yet answered. */
struct vgpu_fake_pending {
	struct list_head link;
	u16 head;
	u32 used_len;
};

/**
 * struct vgpu_fake_queue - device side of one virtqueue
 * @vq: the driver's virtqueue on this ring
 * @ring: ring memory (owned by the host)
 * @ring_size: bytes at @ring
 * @vr: ring layout over @ring
 * @num: descriptors
 * @last_avail: next avail entry the host has not taken
 * @notifies: notifications received
 * @stalled: the host does not take buffers off this ring
 * @hold: answers are held on @pending until released
 * @pending: answers held back
 * @irq: raises the queue interrupt after a notification (the driver may
 *	notify with its own locks held, so the answer cannot come back
 *	from inside the notification, just as with a real device)
 */
struct vgpu_fake_queue {
	struct virtqueue *vq;
	void *ring;
	size_t ring_size;
	struct vring vr;
	unsigned int num;
	u16 last_avail;
	unsigned int notifies;
	bool stalled;
	bool hold;
	struct list_head pending;
	struct work_struct irq;
};

/**
 * struct vgpu_fake_host - the fake device
 *
 * @lock (irq-safe) covers everything below it; configuration fields above
 * it are set by the test before the driver runs.
 */
struct vgpu_fake_host {
	/** @vdev: the virtio device the driver sees. */
	struct virtio_device vdev;
	/** @registered: @vdev is on the virtio bus. */
	bool registered;

	/**
	 * @query_notifies: control-queue notifications before the first
	 * command that is not a GET_* query (the probe's queries, without
	 * the display set-up that follows); see vgpu_fake_host_query_notifies().
	 */
	unsigned int query_notifies;
	/** @queries_over: a command other than a query has arrived. */
	bool queries_over;

	/** @features: device feature bits offered. */
	u64 features;
	/** @ring_num: descriptors per queue (power of two). */
	unsigned int ring_num;
	/** @num_scanouts: config-space scanout count (may exceed 16). */
	u32 num_scanouts;
	/** @num_capsets: config-space capset count (may exceed @caps). */
	u32 num_capsets;
	/** @pmodes: what GET_DISPLAY_INFO reports. */
	struct virtio_gpu_display_one pmodes[VIRTIO_GPU_MAX_SCANOUTS];
	/** @edid: per-scanout EDID bytes. */
	u8 edid[VIRTIO_GPU_MAX_SCANOUTS][1024];
	/** @edid_size: what GET_EDID reports as the size. */
	u32 edid_size[VIRTIO_GPU_MAX_SCANOUTS];
	/** @caps: what GET_CAPSET_INFO reports, by index. */
	struct virtio_gpu_resp_capset_info caps[VGPU_FAKE_MAX_CAPSETS];
	/** @hostmem_size: bytes of host-visible region (0: none). */
	u64 hostmem_size;
	/**
	 * @hostmem: the host's mapping of the region: BAR 2 of the rig's
	 * ivshmem device, claimed at register.
	 */
	void *hostmem;
	/** @hostmem_phys: physical address of the region. */
	phys_addr_t hostmem_phys;
	/** @hostmem_pdev: the ivshmem device, while claimed. */
	struct pci_dev *hostmem_pdev;
	/** @map_info: cache type MAP_BLOB answers with. */
	u32 map_info;
	/**
	 * @align: required alignment of blob sizes and map offsets; the
	 * config's blob_alignment with VGPU_FAKE_F_BLOB_ALIGNMENT.
	 */
	u32 align;

	/** @lock: see above. */
	spinlock_t lock;
	/** @status: device status register. */
	u8 status;
	/** @negotiated: features the driver accepted. */
	u64 negotiated;
	/** @events_read: config events_read. */
	u32 events_read;
	/** @events_cleared: bits the driver wrote to events_clear. */
	u32 events_cleared;
	/** @resets: device resets. */
	unsigned int resets;
	/**
	 * @resets_shown: device resets that found a scanout in use (QEMU 10
	 * and 11 with a GL display crash on those).
	 */
	unsigned int resets_shown;
	/** @refuse_features: FEATURES_OK does not stick (a broken device). */
	bool refuse_features;
	/** @q: the queues. */
	struct vgpu_fake_queue q[VGPU_FAKE_QUEUES];
	/** @rules: injected faults, first match wins. */
	struct vgpu_fake_rule rules[VGPU_FAKE_MAX_RULES];
	/** @res: resources. */
	struct vgpu_fake_res res[VGPU_FAKE_MAX_RES];
	/** @ctx: contexts. */
	struct vgpu_fake_ctx ctx[VGPU_FAKE_MAX_CTX];
	/** @scanout_res: resource shown on each scanout (0: disabled). */
	u32 scanout_res[VIRTIO_GPU_MAX_SCANOUTS];
	/** @cursor: last cursor command (position, resource, hotspot). */
	struct virtio_gpu_update_cursor cursor;
	/** @scanout_blobs: SET_SCANOUT_BLOB commands carried out. */
	unsigned int scanout_blobs;
	/** @cursor_updates: UPDATE_CURSOR received. */
	unsigned int cursor_updates;
	/** @cursor_moves: MOVE_CURSOR received. */
	unsigned int cursor_moves;
	/** @log: every command received, oldest first. */
	struct list_head log;
	/** @commands: entries in @log. */
	unsigned int commands;
	/** @protocol_errors: commands that broke the protocol's layout rules. */
	unsigned int protocol_errors;
	/** @last_error: why the last protocol error was counted. */
	char last_error[128];
};

struct vgpu_fake_host *vgpu_fake_host_create(u64 features);
void vgpu_fake_host_destroy(struct vgpu_fake_host *host);
void vgpu_fake_host_default_display(struct vgpu_fake_host *host,
				    unsigned int scanouts);
void vgpu_fake_host_add_capset(struct vgpu_fake_host *host, u32 id,
			       u32 max_version, u32 max_size);
void vgpu_fake_host_add_rule(struct vgpu_fake_host *host,
			     const struct vgpu_fake_rule *rule);

int vgpu_fake_host_register(struct vgpu_fake_host *host);
void vgpu_fake_host_unregister(struct vgpu_fake_host *host);

struct virtqueue *vgpu_fake_host_new_vq(struct vgpu_fake_host *host,
					unsigned int index,
					void (*callback)(struct virtqueue *vq),
					const char *name);
void vgpu_fake_host_del_vqs(struct vgpu_fake_host *host);

void vgpu_fake_host_process(struct vgpu_fake_host *host, unsigned int index);
unsigned int vgpu_fake_host_release(struct vgpu_fake_host *host,
				    unsigned int index, bool reverse);
unsigned int vgpu_fake_host_count(struct vgpu_fake_host *host, u32 type);
unsigned int vgpu_fake_host_query_notifies(struct vgpu_fake_host *host);
struct vgpu_fake_res *vgpu_fake_host_res(struct vgpu_fake_host *host, u32 id);
struct vgpu_fake_ctx *vgpu_fake_host_ctx(struct vgpu_fake_host *host, u32 id);
void vgpu_fake_host_raise_event(struct vgpu_fake_host *host, u32 events);

#endif /* VGPU_FAKE_HOST_H */
