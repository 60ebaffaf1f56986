/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu protocol layer: pure functions that fill and decode the
 * little-endian structures of <linux/virtio_gpu.h>.
 *
 * No allocation, no locking, no I/O: every function here takes memory and
 * values and returns values, so KUnit can check each one byte for byte.
 */
#ifndef VGPU_PROTO_H
#define VGPU_PROTO_H

#include <linux/types.h>
#include <linux/virtio_gpu.h>

/* The protocol's own limits. */
#define VGPU_MAX_SCANOUTS	VIRTIO_GPU_MAX_SCANOUTS
#define VGPU_EDID_MAX		1024
/* Bytes per pixel of every 2D resource format. */
#define VGPU_PROTO_CPP		4
/* Limits vgpu puts on what a device may report. */
#define VGPU_MAX_CAPSETS	64
/* Capset ids fit the 64-bit SUPPORTED_CAPSET_IDs mask. */
#define VGPU_CAPSET_ID_MAX	63
#define VGPU_CAPSET_MAX_SIZE	(64 * 1024)

/**
 * struct vgpu_scanout_info - one scanout as the host describes it
 * @enabled: the host has a display attached
 * @x: position of the scanout in the host's layout
 * @y: position of the scanout in the host's layout
 * @width: preferred width in pixels (0 when unknown)
 * @height: preferred height in pixels (0 when unknown)
 * @flags: the host's flags field
 */
struct vgpu_scanout_info {
	bool enabled;
	u32 x, y, width, height;
	u32 flags;
};

/**
 * struct vgpu_capset - one capability set the host offers
 * @id: capset id (VIRTIO_GPU_CAPSET_*, 1..63)
 * @max_version: newest version the host has
 * @max_size: size of the largest version, in bytes
 */
struct vgpu_capset {
	u32 id;
	u32 max_version;
	u32 max_size;
};

/**
 * struct vgpu_rect - a rectangle in pixels
 * @x: left
 * @y: top
 * @width: width
 * @height: height
 */
struct vgpu_rect {
	u32 x, y, width, height;
};

/**
 * struct vgpu_blob_desc - what a RESOURCE_CREATE_BLOB asks for
 * @res_id: resource id
 * @ctx_id: context of a host3d blob, 0 otherwise
 * @blob_mem: VIRTIO_GPU_BLOB_MEM_*
 * @blob_flags: VIRTIO_GPU_BLOB_FLAG_*
 * @blob_id: host-side id (host3d only)
 * @size: bytes
 * @nr_entries: guest memory entries that follow the command
 */
struct vgpu_blob_desc {
	u32 res_id;
	u32 ctx_id;
	u32 blob_mem;
	u32 blob_flags;
	u64 blob_id;
	u64 size;
	u32 nr_entries;
};

/**
 * struct vgpu_scanout_blob_desc - what a SET_SCANOUT_BLOB asks for
 * @scanout: scanout id
 * @res_id: blob resource shown
 * @x: left of the shown rectangle, in framebuffer pixels
 * @y: top of the shown rectangle
 * @width: width of the shown rectangle
 * @height: height of the shown rectangle
 * @fb_width: framebuffer width
 * @fb_height: framebuffer height
 * @format: VIRTIO_GPU_FORMAT_*
 * @strides: bytes per row of each plane
 * @offsets: offset of each plane in the blob
 */
struct vgpu_scanout_blob_desc {
	u32 scanout;
	u32 res_id;
	u32 x, y, width, height;
	u32 fb_width, fb_height;
	u32 format;
	u32 strides[4];
	u32 offsets[4];
};

/**
 * struct vgpu_res3d_desc - what a RESOURCE_CREATE_3D asks for
 * @res_id: resource id
 * @target: gallium texture target (PIPE_BUFFER, PIPE_TEXTURE_2D, ...)
 * @format: virgl format
 * @bind: virgl bind flags
 * @width: width in pixels (bytes for a buffer)
 * @height: height
 * @depth: depth
 * @array_size: array layers
 * @last_level: last mipmap level
 * @nr_samples: samples per pixel
 * @flags: VIRTIO_GPU_RESOURCE_FLAG_*
 */
struct vgpu_res3d_desc {
	u32 res_id, target, format, bind;
	u32 width, height, depth, array_size;
	u32 last_level, nr_samples, flags;
};

/**
 * struct vgpu_transfer_desc - what a TRANSFER_{TO,FROM}_HOST_3D moves
 * @ctx_id: context the transfer belongs to
 * @res_id: resource id
 * @x: box left
 * @y: box top
 * @z: box front
 * @w: box width
 * @h: box height
 * @d: box depth
 * @offset: byte offset in the guest backing
 * @level: mipmap level
 * @stride: bytes per row in the backing (0: tightly packed)
 * @layer_stride: bytes per layer in the backing (0: tightly packed)
 */
struct vgpu_transfer_desc {
	u32 ctx_id, res_id;
	u32 x, y, z, w, h, d;
	u64 offset;
	u32 level, stride, layer_stride;
};

void vgpu_proto_hdr(struct virtio_gpu_ctrl_hdr *hdr, u32 type);
void vgpu_proto_hdr_ctx(struct virtio_gpu_ctrl_hdr *hdr, u32 ctx_id);
void vgpu_proto_hdr_fence(struct virtio_gpu_ctrl_hdr *hdr, u64 fence_id,
			  bool use_ring, u8 ring_idx);
void vgpu_proto_get_display_info(struct virtio_gpu_ctrl_hdr *req);
void vgpu_proto_get_edid(struct virtio_gpu_cmd_get_edid *req, u32 scanout);
void vgpu_proto_get_capset_info(struct virtio_gpu_get_capset_info *req,
				u32 index);
void vgpu_proto_get_capset(struct virtio_gpu_get_capset *req, u32 id,
			   u32 version);
void vgpu_proto_resource_create_2d(struct virtio_gpu_resource_create_2d *req,
				   u32 res_id, u32 format, u32 width, u32 height);
void vgpu_proto_resource_unref(struct virtio_gpu_resource_unref *req,
			       u32 res_id);
void vgpu_proto_attach_backing(struct virtio_gpu_resource_attach_backing *req,
			       u32 res_id, u32 nr_entries);
void vgpu_proto_mem_entry(struct virtio_gpu_mem_entry *e, u64 addr, u32 len);
void vgpu_proto_detach_backing(struct virtio_gpu_resource_detach_backing *req,
			       u32 res_id);
void vgpu_proto_set_scanout(struct virtio_gpu_set_scanout *req, u32 scanout,
			    u32 res_id, const struct vgpu_rect *r);
void vgpu_proto_resource_flush(struct virtio_gpu_resource_flush *req,
			       u32 res_id, const struct vgpu_rect *r);
void vgpu_proto_transfer_to_host_2d(struct virtio_gpu_transfer_to_host_2d *req,
				    u32 res_id, u64 offset,
				    const struct vgpu_rect *r);
void vgpu_proto_resource_create_3d(struct virtio_gpu_resource_create_3d *req,
				   const struct vgpu_res3d_desc *d);
void vgpu_proto_transfer_3d(struct virtio_gpu_transfer_host_3d *req,
			    bool to_host, const struct vgpu_transfer_desc *t);
void vgpu_proto_update_cursor(struct virtio_gpu_update_cursor *req,
			      u32 scanout, u32 x, u32 y, u32 res_id,
			      u32 hot_x, u32 hot_y);
void vgpu_proto_move_cursor(struct virtio_gpu_update_cursor *req,
			    u32 scanout, u32 x, u32 y);
void vgpu_proto_ctx_create(struct virtio_gpu_ctx_create *req, u32 ctx_id,
			   u32 context_init, const char *name);
void vgpu_proto_ctx_destroy(struct virtio_gpu_ctx_destroy *req, u32 ctx_id);
void vgpu_proto_ctx_resource(struct virtio_gpu_ctx_resource *req, bool attach,
			     u32 ctx_id, u32 res_id);
void vgpu_proto_submit_3d(struct virtio_gpu_cmd_submit *req, u32 ctx_id,
			  u32 size);
void vgpu_proto_resource_create_blob(struct virtio_gpu_resource_create_blob *req,
				     const struct vgpu_blob_desc *d);
void vgpu_proto_resource_map_blob(struct virtio_gpu_resource_map_blob *req,
				  u32 ctx_id, u32 res_id, u64 offset);
void vgpu_proto_resource_unmap_blob(struct virtio_gpu_resource_unmap_blob *req,
				    u32 ctx_id, u32 res_id);
void vgpu_proto_set_scanout_blob(struct virtio_gpu_set_scanout_blob *req,
				 const struct vgpu_scanout_blob_desc *d);
void vgpu_proto_assign_uuid(struct virtio_gpu_resource_assign_uuid *req,
			    u32 res_id);

int vgpu_proto_resp_errno(u32 type);
int vgpu_proto_resp_check(const void *resp, u32 len, u32 expected,
			  u32 min_len);
u32 vgpu_proto_resp_type(const void *resp, u32 len);

unsigned int
vgpu_proto_parse_display_info(const struct virtio_gpu_resp_display_info *resp,
			      unsigned int num_scanouts,
			      struct vgpu_scanout_info *out);
int vgpu_proto_parse_capset_info(const struct virtio_gpu_resp_capset_info *resp,
				 struct vgpu_capset *out);
int vgpu_proto_parse_map_info(const void *resp, u32 len, u32 *cache);
int vgpu_proto_parse_uuid(const void *resp, u32 len, u8 uuid[16]);
int vgpu_proto_parse_edid(const struct virtio_gpu_resp_edid *resp, u32 len,
			  u32 *edid_size);

u32 vgpu_proto_format(u32 fourcc);
bool vgpu_proto_format_2d(u32 format);
const u32 *vgpu_proto_fourccs(unsigned int *count);

const char *vgpu_proto_capset_name(u32 id);
const char *vgpu_proto_feature_name(unsigned int bit);

#endif /* VGPU_PROTO_H */
