/* SPDX-License-Identifier: MIT */
/*
 * virtgpu uapi: the ioctls of the virtio_gpu DRM driver.
 *
 * ABI-identical to the upstream Linux header of the same name: every
 * ioctl number, struct layout and constant is the same, so userspace built
 * against either header runs on either driver.
 *
 * Structures are shared by 32- and 64-bit userspace: pointers travel as
 * __u64, every field is aligned to its size, and existing structures only
 * grow at the end (the kernel accepts the shorter, older size).
 */
#ifndef VIRTGPU_DRM_H
#define VIRTGPU_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_VIRTGPU_MAP                  0x01
#define DRM_VIRTGPU_EXECBUFFER           0x02
#define DRM_VIRTGPU_GETPARAM             0x03
#define DRM_VIRTGPU_RESOURCE_CREATE      0x04
#define DRM_VIRTGPU_RESOURCE_INFO        0x05
#define DRM_VIRTGPU_TRANSFER_FROM_HOST   0x06
#define DRM_VIRTGPU_TRANSFER_TO_HOST     0x07
#define DRM_VIRTGPU_WAIT                 0x08
#define DRM_VIRTGPU_GET_CAPS             0x09
#define DRM_VIRTGPU_RESOURCE_CREATE_BLOB 0x0a
#define DRM_VIRTGPU_CONTEXT_INIT         0x0b

/* Flags of &drm_virtgpu_execbuffer.flags. */
/* VIRTGPU_EXECBUF_FENCE_FD_IN: wait for the sync_file in fence_fd first. */
#define VIRTGPU_EXECBUF_FENCE_FD_IN	0x01
/* VIRTGPU_EXECBUF_FENCE_FD_OUT: return a sync_file of the submission in fence_fd. */
#define VIRTGPU_EXECBUF_FENCE_FD_OUT	0x02
/* VIRTGPU_EXECBUF_RING_IDX: submit on the ring given by ring_idx. */
#define VIRTGPU_EXECBUF_RING_IDX	0x04
/* All flags the kernel accepts; any other bit is rejected with -EINVAL. */
#define VIRTGPU_EXECBUF_FLAGS  (\
		VIRTGPU_EXECBUF_FENCE_FD_IN |\
		VIRTGPU_EXECBUF_FENCE_FD_OUT |\
		VIRTGPU_EXECBUF_RING_IDX |\
		0)

/**
 * struct drm_virtgpu_map - DRM_IOCTL_VIRTGPU_MAP: prepare a BO for mmap
 * @offset: out: fake offset to pass to mmap() on the DRM fd
 * @handle: in: GEM handle of the BO
 * @pad: must be zero
 */
struct drm_virtgpu_map {
	__u64 offset;
	__u32 handle;
	__u32 pad;
};

/* Flags of &drm_virtgpu_execbuffer_syncobj.flags. */
/* VIRTGPU_EXECBUF_SYNCOBJ_RESET: reset an in-syncobj once its fence is taken. */
#define VIRTGPU_EXECBUF_SYNCOBJ_RESET		0x01
#define VIRTGPU_EXECBUF_SYNCOBJ_FLAGS ( \
		VIRTGPU_EXECBUF_SYNCOBJ_RESET | \
		0)

/**
 * struct drm_virtgpu_execbuffer_syncobj - one syncobj of a submission
 * @handle: syncobj handle
 * @flags: VIRTGPU_EXECBUF_SYNCOBJ_* (in-syncobjs only)
 * @point: timeline point, 0 for a binary syncobj
 */
struct drm_virtgpu_execbuffer_syncobj {
	__u32 handle;
	__u32 flags;
	__u64 point;
};

/**
 * struct drm_virtgpu_execbuffer - DRM_IOCTL_VIRTGPU_EXECBUFFER: submit commands
 *
 * Sends a command stream to the host for the file's context. The kernel
 * accepts the 40-byte layout that ends at @ring_idx as well as the full one.
 *
 * @flags: VIRTGPU_EXECBUF_* flags
 * @size: bytes of command stream at @command (may be 0)
 * @command: user pointer to the command stream
 * @bo_handles: user pointer to an array of __u32 GEM handles the commands use
 * @num_bo_handles: entries at @bo_handles
 * @fence_fd: in: sync_file fd to wait for (FENCE_FD_IN); out: sync_file fd
 *	signalled when the host completes the submission (FENCE_FD_OUT)
 * @ring_idx: ring of the context to submit on (with VIRTGPU_EXECBUF_RING_IDX)
 * @syncobj_stride: size of one &drm_virtgpu_execbuffer_syncobj entry
 * @num_in_syncobjs: entries at @in_syncobjs, waited for before the submission
 * @num_out_syncobjs: entries at @out_syncobjs, signalled with its fence
 * @in_syncobjs: user pointer to the in-syncobj array
 * @out_syncobjs: user pointer to the out-syncobj array
 */
struct drm_virtgpu_execbuffer {
	__u32 flags;
	__u32 size;
	__u64 command;
	__u64 bo_handles;
	__u32 num_bo_handles;
	__s32 fence_fd;
	__u32 ring_idx;
	__u32 syncobj_stride;
	__u32 num_in_syncobjs;
	__u32 num_out_syncobjs;
	__u64 in_syncobjs;
	__u64 out_syncobjs;
};

/* Parameters of DRM_IOCTL_VIRTGPU_GETPARAM. */
/* VIRTGPU_PARAM_3D_FEATURES: 1 when the host renders 3D (virgl). */
#define VIRTGPU_PARAM_3D_FEATURES 1
/* VIRTGPU_PARAM_CAPSET_QUERY_FIX: 1: GET_CAPS takes any capset id and version. */
#define VIRTGPU_PARAM_CAPSET_QUERY_FIX 2
/* VIRTGPU_PARAM_RESOURCE_BLOB: 1 when RESOURCE_CREATE_BLOB is available. */
#define VIRTGPU_PARAM_RESOURCE_BLOB 3
/* VIRTGPU_PARAM_HOST_VISIBLE: 1 when host blobs can be mapped (host-visible region). */
#define VIRTGPU_PARAM_HOST_VISIBLE 4
/* VIRTGPU_PARAM_CROSS_DEVICE: 1 when resources can be shared with other virtio devices. */
#define VIRTGPU_PARAM_CROSS_DEVICE 5
/* VIRTGPU_PARAM_CONTEXT_INIT: 1 when CONTEXT_INIT is available. */
#define VIRTGPU_PARAM_CONTEXT_INIT 6
/* VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs: bit N set when the host has capset id N. */
#define VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs 7
/* VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME: 1 when CONTEXT_INIT takes DEBUG_NAME. */
#define VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME 8

/**
 * struct drm_virtgpu_getparam - DRM_IOCTL_VIRTGPU_GETPARAM: query the driver
 * @param: in: VIRTGPU_PARAM_*
 * @value: in: user pointer to an int the value is written to
 */
struct drm_virtgpu_getparam {
	__u64 param;
	__u64 value;
};

/**
 * struct drm_virtgpu_resource_create - DRM_IOCTL_VIRTGPU_RESOURCE_CREATE
 *
 * Creates a host resource and a BO backing it. With 3D the fields are
 * passed to the host as a RESOURCE_CREATE_3D; without, only 2D textures
 * (target 2, depth 1, one level, no array) are accepted.
 *
 * @target: pipe texture target (gallium enum pipe_texture_target)
 * @format: pipe format (gallium enum pipe_format)
 * @bind: pipe bind flags
 * @width: width in pixels
 * @height: height in pixels
 * @depth: depth in pixels
 * @array_size: number of array layers
 * @last_level: index of the last mipmap level
 * @nr_samples: samples per pixel
 * @flags: resource flags, passed to the host
 * @bo_handle: out: GEM handle of the new BO
 * @res_handle: out: host resource id
 * @size: in: size of the guest backing in bytes (0 allowed with 3D)
 * @stride: in: row stride in bytes, for the host to validate transfers
 */
struct drm_virtgpu_resource_create {
	__u32 target;
	__u32 format;
	__u32 bind;
	__u32 width;
	__u32 height;
	__u32 depth;
	__u32 array_size;
	__u32 last_level;
	__u32 nr_samples;
	__u32 flags;
	__u32 bo_handle;
	__u32 res_handle;
	__u32 size;
	__u32 stride;
};

/**
 * struct drm_virtgpu_resource_info - DRM_IOCTL_VIRTGPU_RESOURCE_INFO
 * @bo_handle: in: GEM handle
 * @res_handle: out: host resource id
 * @size: out: BO size in bytes
 * @blob_mem: out: VIRTGPU_BLOB_MEM_* of a blob BO, else 0
 */
struct drm_virtgpu_resource_info {
	__u32 bo_handle;
	__u32 res_handle;
	__u32 size;
	__u32 blob_mem;
};

/**
 * struct drm_virtgpu_3d_box - a box in a resource, in pixels
 * @x: left
 * @y: top
 * @z: front
 * @w: width
 * @h: height
 * @d: depth
 */
struct drm_virtgpu_3d_box {
	__u32 x;
	__u32 y;
	__u32 z;
	__u32 w;
	__u32 h;
	__u32 d;
};

/**
 * struct drm_virtgpu_3d_transfer_to_host - DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST
 * @bo_handle: GEM handle
 * @box: region to copy from the guest backing to the host resource
 * @level: mipmap level
 * @offset: byte offset of the box in the guest backing
 * @stride: row stride in bytes (0: the resource's)
 * @layer_stride: layer stride in bytes (0: the resource's)
 */
struct drm_virtgpu_3d_transfer_to_host {
	__u32 bo_handle;
	struct drm_virtgpu_3d_box box;
	__u32 level;
	__u32 offset;
	__u32 stride;
	__u32 layer_stride;
};

/**
 * struct drm_virtgpu_3d_transfer_from_host - DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST
 * @bo_handle: GEM handle
 * @box: region to copy from the host resource to the guest backing
 * @level: mipmap level
 * @offset: byte offset of the box in the guest backing
 * @stride: row stride in bytes (0: the resource's)
 * @layer_stride: layer stride in bytes (0: the resource's)
 */
struct drm_virtgpu_3d_transfer_from_host {
	__u32 bo_handle;
	struct drm_virtgpu_3d_box box;
	__u32 level;
	__u32 offset;
	__u32 stride;
	__u32 layer_stride;
};

/* VIRTGPU_WAIT_NOWAIT: return -EBUSY instead of waiting for a busy BO. */
#define VIRTGPU_WAIT_NOWAIT 1

/**
 * struct drm_virtgpu_3d_wait - DRM_IOCTL_VIRTGPU_WAIT: wait for a BO to be idle
 * @handle: GEM handle (0 is invalid)
 * @flags: 0 or VIRTGPU_WAIT_NOWAIT
 */
struct drm_virtgpu_3d_wait {
	__u32 handle;
	__u32 flags;
};

/* Capset ids, for GET_CAPS and VIRTGPU_CONTEXT_PARAM_CAPSET_ID. */
#define VIRTGPU_DRM_CAPSET_VIRGL 1
#define VIRTGPU_DRM_CAPSET_VIRGL2 2
#define VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN 3
#define VIRTGPU_DRM_CAPSET_VENUS 4
#define VIRTGPU_DRM_CAPSET_CROSS_DOMAIN 5
#define VIRTGPU_DRM_CAPSET_DRM 6

/**
 * struct drm_virtgpu_get_caps - DRM_IOCTL_VIRTGPU_GET_CAPS: read a capset
 * @cap_set_id: capset id (VIRTGPU_DRM_CAPSET_*)
 * @cap_set_ver: capset version
 * @addr: user pointer the capset is copied to
 * @size: bytes at @addr; the copy is the smaller of this and the capset
 * @pad: must be zero
 */
struct drm_virtgpu_get_caps {
	__u32 cap_set_id;
	__u32 cap_set_ver;
	__u64 addr;
	__u32 size;
	__u32 pad;
};

/**
 * struct drm_virtgpu_resource_create_blob - DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB
 *
 * Creates a blob resource: memory that the host and guest share by
 * address rather than by transfer.
 *
 * @blob_mem: VIRTGPU_BLOB_MEM_* (0 is invalid)
 * @blob_flags: VIRTGPU_BLOB_FLAG_*
 * @bo_handle: out: GEM handle
 * @res_handle: out: host resource id
 * @size: size in bytes, a multiple of the page size
 * @pad: must be zero
 * @cmd_size: bytes of command at @cmd, for HOST3D and HOST3D_GUEST only
 * @cmd: user pointer to a command the host runs to create the blob
 * @blob_id: host-side id of the blob, for HOST3D and HOST3D_GUEST only
 */
struct drm_virtgpu_resource_create_blob {
#define VIRTGPU_BLOB_MEM_GUEST             0x0001
#define VIRTGPU_BLOB_MEM_HOST3D            0x0002
#define VIRTGPU_BLOB_MEM_HOST3D_GUEST      0x0003

#define VIRTGPU_BLOB_FLAG_USE_MAPPABLE     0x0001
#define VIRTGPU_BLOB_FLAG_USE_SHAREABLE    0x0002
#define VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE 0x0004
	__u32 blob_mem;
	__u32 blob_flags;
	__u32 bo_handle;
	__u32 res_handle;
	__u64 size;
	__u32 pad;
	__u32 cmd_size;
	__u64 cmd;
	__u64 blob_id;
};

/* Parameters of DRM_IOCTL_VIRTGPU_CONTEXT_INIT. */
/* VIRTGPU_CONTEXT_PARAM_CAPSET_ID: capset the context speaks. */
#define VIRTGPU_CONTEXT_PARAM_CAPSET_ID       0x0001
/* VIRTGPU_CONTEXT_PARAM_NUM_RINGS: number of rings, each its own fence timeline (max 64). */
#define VIRTGPU_CONTEXT_PARAM_NUM_RINGS       0x0002
/* VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK: rings whose fences raise FENCE_SIGNALED events. */
#define VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK 0x0003
/* VIRTGPU_CONTEXT_PARAM_DEBUG_NAME: user pointer to a NUL-terminated name for the host. */
#define VIRTGPU_CONTEXT_PARAM_DEBUG_NAME      0x0004

/**
 * struct drm_virtgpu_context_set_param - one parameter of CONTEXT_INIT
 * @param: VIRTGPU_CONTEXT_PARAM_*
 * @value: its value
 */
struct drm_virtgpu_context_set_param {
	__u64 param;
	__u64 value;
};

/**
 * struct drm_virtgpu_context_init - DRM_IOCTL_VIRTGPU_CONTEXT_INIT
 *
 * Creates the file's context with explicit parameters; allowed once per
 * file and before any other 3D use.
 *
 * @num_params: entries at @ctx_set_params
 * @pad: must be zero
 * @ctx_set_params: user pointer to &drm_virtgpu_context_set_param entries
 */
struct drm_virtgpu_context_init {
	__u32 num_params;
	__u32 pad;
	__u64 ctx_set_params;
};

/*
 * VIRTGPU_EVENT_FENCE_SIGNALED - DRM event type read from the fd when a
 * fence on a ring in POLL_RINGS_MASK signals. The event is a bare
 * struct drm_event with no payload.
 */
#define VIRTGPU_EVENT_FENCE_SIGNALED 0x90000000

#define DRM_IOCTL_VIRTGPU_MAP \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_MAP, struct drm_virtgpu_map)

#define DRM_IOCTL_VIRTGPU_EXECBUFFER \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_EXECBUFFER, \
		 struct drm_virtgpu_execbuffer)

#define DRM_IOCTL_VIRTGPU_GETPARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_GETPARAM, \
		 struct drm_virtgpu_getparam)

#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_CREATE, \
		 struct drm_virtgpu_resource_create)

#define DRM_IOCTL_VIRTGPU_RESOURCE_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_INFO, \
		 struct drm_virtgpu_resource_info)

#define DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_TRANSFER_FROM_HOST, \
		 struct drm_virtgpu_3d_transfer_from_host)

#define DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_TRANSFER_TO_HOST, \
		 struct drm_virtgpu_3d_transfer_to_host)

#define DRM_IOCTL_VIRTGPU_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_WAIT, \
		 struct drm_virtgpu_3d_wait)

#define DRM_IOCTL_VIRTGPU_GET_CAPS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_GET_CAPS, \
		 struct drm_virtgpu_get_caps)

#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_CREATE_BLOB, \
		 struct drm_virtgpu_resource_create_blob)

#define DRM_IOCTL_VIRTGPU_CONTEXT_INIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_CONTEXT_INIT, \
		 struct drm_virtgpu_context_init)

#if defined(__cplusplus)
}
#endif

#endif /* VIRTGPU_DRM_H */
