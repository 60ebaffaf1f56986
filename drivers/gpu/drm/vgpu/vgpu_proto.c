// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu protocol layer: encoders and decoders for <linux/virtio_gpu.h>.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include <drm/drm_fourcc.h>

#include "vgpu_compat.h"
#include "vgpu_proto.h"

/**
 * DOC: Protocol
 *
 * Pure functions over the little-endian structures of
 * ``<linux/virtio_gpu.h>``: encoders fill requests, decoders validate and
 * convert answers. No allocation, locking or I/O, so each one is unit
 * tested byte for byte (KUnit suite ``vgpu_proto``).
 *
 * - Encoders expect zeroed memory for the padding they do not touch; the
 *   transport allocates buffers zeroed.
 * - vgpu_proto_resp_check() maps error answers to errnos (OUT_OF_MEMORY
 *   to -ENOMEM, the INVALID_* ones to -EINVAL, UNSPEC and unknown types to
 *   -EIO) and refuses truncated or unexpected answers with -EPROTO.
 * - Decoders never trust a count or size the device reports: each is
 *   checked against the bytes actually received and the protocol's
 *   limits. Scanouts are clamped to 16; capset ids must be 1..63 with a
 *   size of 1 byte..64 KiB; an EDID must be whole 128-byte blocks within
 *   what the device wrote, and its length is the smaller of the reported
 *   size and its own extension count (QEMU reports the whole 1024-byte
 *   buffer).
 */

/**
 * vgpu_proto_hdr - fill a control header
 * @hdr: header to fill
 * @type: VIRTIO_GPU_CMD_*
 *
 * Flags, fence id, context and ring index are cleared.
 */
void vgpu_proto_hdr(struct virtio_gpu_ctrl_hdr *hdr, u32 type)
{
	memset(hdr, 0, sizeof(*hdr));
	hdr->type = cpu_to_le32(type);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_hdr);

/**
 * vgpu_proto_get_display_info - encode GET_DISPLAY_INFO
 * @req: request (just a header)
 */
void vgpu_proto_get_display_info(struct virtio_gpu_ctrl_hdr *req)
{
	vgpu_proto_hdr(req, VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_get_display_info);

/**
 * vgpu_proto_get_edid - encode GET_EDID
 * @req: request
 * @scanout: scanout index
 */
void vgpu_proto_get_edid(struct virtio_gpu_cmd_get_edid *req, u32 scanout)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_GET_EDID);
	req->scanout = cpu_to_le32(scanout);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_get_edid);

/**
 * vgpu_proto_get_capset_info - encode GET_CAPSET_INFO
 * @req: request
 * @index: capset index, below the config space's num_capsets
 */
void vgpu_proto_get_capset_info(struct virtio_gpu_get_capset_info *req,
				u32 index)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_GET_CAPSET_INFO);
	req->capset_index = cpu_to_le32(index);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_get_capset_info);

/**
 * vgpu_proto_hdr_ctx - address a command to a context
 * @hdr: header already filled by vgpu_proto_hdr()
 * @ctx_id: context id
 */
void vgpu_proto_hdr_ctx(struct virtio_gpu_ctrl_hdr *hdr, u32 ctx_id)
{
	hdr->ctx_id = cpu_to_le32(ctx_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_hdr_ctx);

/**
 * vgpu_proto_hdr_fence - ask the host to signal a fence on completion
 * @hdr: header already filled by vgpu_proto_hdr()
 * @fence_id: fence id
 * @use_ring: the fence belongs to ring @ring_idx of the context
 * @ring_idx: ring index (only with @use_ring)
 */
void vgpu_proto_hdr_fence(struct virtio_gpu_ctrl_hdr *hdr, u64 fence_id,
			  bool use_ring, u8 ring_idx)
{
	u32 flags = VIRTIO_GPU_FLAG_FENCE;

	if (use_ring) {
		flags |= VIRTIO_GPU_FLAG_INFO_RING_IDX;
		hdr->ring_idx = ring_idx;
	}
	hdr->flags = cpu_to_le32(flags);
	hdr->fence_id = cpu_to_le64(fence_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_hdr_fence);

/**
 * vgpu_proto_get_capset - encode GET_CAPSET
 * @req: request
 * @id: capset id
 * @version: capset version
 */
void vgpu_proto_get_capset(struct virtio_gpu_get_capset *req, u32 id,
			   u32 version)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_GET_CAPSET);
	req->capset_id = cpu_to_le32(id);
	req->capset_version = cpu_to_le32(version);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_get_capset);

/**
 * vgpu_proto_resource_create_2d - encode RESOURCE_CREATE_2D
 * @req: request
 * @res_id: resource id
 * @format: VIRTIO_GPU_FORMAT_*
 * @width: width in pixels
 * @height: height in pixels
 */
void vgpu_proto_resource_create_2d(struct virtio_gpu_resource_create_2d *req,
				   u32 res_id, u32 format, u32 width, u32 height)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D);
	req->resource_id = cpu_to_le32(res_id);
	req->format = cpu_to_le32(format);
	req->width = cpu_to_le32(width);
	req->height = cpu_to_le32(height);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_create_2d);

/**
 * vgpu_proto_resource_unref - encode RESOURCE_UNREF
 * @req: request
 * @res_id: resource id
 */
void vgpu_proto_resource_unref(struct virtio_gpu_resource_unref *req,
			       u32 res_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_UNREF);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_unref);

/**
 * vgpu_proto_attach_backing - encode RESOURCE_ATTACH_BACKING
 * @req: request; @nr_entries &struct virtio_gpu_mem_entry follow it
 * @res_id: resource id
 * @nr_entries: number of memory entries
 */
void vgpu_proto_attach_backing(struct virtio_gpu_resource_attach_backing *req,
			       u32 res_id, u32 nr_entries)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING);
	req->resource_id = cpu_to_le32(res_id);
	req->nr_entries = cpu_to_le32(nr_entries);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_attach_backing);

/**
 * vgpu_proto_mem_entry - encode one guest memory entry
 * @e: entry
 * @addr: device address of the range
 * @len: length in bytes
 */
void vgpu_proto_mem_entry(struct virtio_gpu_mem_entry *e, u64 addr, u32 len)
{
	e->addr = cpu_to_le64(addr);
	e->length = cpu_to_le32(len);
	e->padding = 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_mem_entry);

/**
 * vgpu_proto_detach_backing - encode RESOURCE_DETACH_BACKING
 * @req: request
 * @res_id: resource id
 */
void vgpu_proto_detach_backing(struct virtio_gpu_resource_detach_backing *req,
			       u32 res_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_detach_backing);

static void vgpu_proto_rect(struct virtio_gpu_rect *out,
			    const struct vgpu_rect *r)
{
	out->x = cpu_to_le32(r->x);
	out->y = cpu_to_le32(r->y);
	out->width = cpu_to_le32(r->width);
	out->height = cpu_to_le32(r->height);
}

/**
 * vgpu_proto_set_scanout - encode SET_SCANOUT
 * @req: request
 * @scanout: scanout index
 * @res_id: resource to show, 0 to disable the scanout
 * @r: the part of the resource shown
 */
void vgpu_proto_set_scanout(struct virtio_gpu_set_scanout *req, u32 scanout,
			    u32 res_id, const struct vgpu_rect *r)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_SET_SCANOUT);
	vgpu_proto_rect(&req->r, r);
	req->scanout_id = cpu_to_le32(scanout);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_set_scanout);

/**
 * vgpu_proto_resource_flush - encode RESOURCE_FLUSH
 * @req: request
 * @res_id: resource id
 * @r: area to show again
 */
void vgpu_proto_resource_flush(struct virtio_gpu_resource_flush *req,
			       u32 res_id, const struct vgpu_rect *r)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_FLUSH);
	vgpu_proto_rect(&req->r, r);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_flush);

/**
 * vgpu_proto_transfer_to_host_2d - encode TRANSFER_TO_HOST_2D
 * @req: request
 * @res_id: resource id
 * @offset: byte offset of the area in the backing
 * @r: area to copy from the backing to the host resource
 */
void vgpu_proto_transfer_to_host_2d(struct virtio_gpu_transfer_to_host_2d *req,
				    u32 res_id, u64 offset,
				    const struct vgpu_rect *r)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D);
	vgpu_proto_rect(&req->r, r);
	req->offset = cpu_to_le64(offset);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_transfer_to_host_2d);

/**
 * vgpu_proto_resource_create_3d - encode RESOURCE_CREATE_3D
 * @req: request
 * @d: what to create
 */
void vgpu_proto_resource_create_3d(struct virtio_gpu_resource_create_3d *req,
				   const struct vgpu_res3d_desc *d)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D);
	req->resource_id = cpu_to_le32(d->res_id);
	req->target = cpu_to_le32(d->target);
	req->format = cpu_to_le32(d->format);
	req->bind = cpu_to_le32(d->bind);
	req->width = cpu_to_le32(d->width);
	req->height = cpu_to_le32(d->height);
	req->depth = cpu_to_le32(d->depth);
	req->array_size = cpu_to_le32(d->array_size);
	req->last_level = cpu_to_le32(d->last_level);
	req->nr_samples = cpu_to_le32(d->nr_samples);
	req->flags = cpu_to_le32(d->flags);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_create_3d);

/**
 * vgpu_proto_transfer_3d - encode TRANSFER_TO_HOST_3D or TRANSFER_FROM_HOST_3D
 * @req: request
 * @to_host: guest backing to host resource (else host to guest)
 * @t: what to move
 */
void vgpu_proto_transfer_3d(struct virtio_gpu_transfer_host_3d *req,
			    bool to_host, const struct vgpu_transfer_desc *t)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, to_host ? VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D :
					    VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D);
	vgpu_proto_hdr_ctx(&req->hdr, t->ctx_id);
	req->box.x = cpu_to_le32(t->x);
	req->box.y = cpu_to_le32(t->y);
	req->box.z = cpu_to_le32(t->z);
	req->box.w = cpu_to_le32(t->w);
	req->box.h = cpu_to_le32(t->h);
	req->box.d = cpu_to_le32(t->d);
	req->offset = cpu_to_le64(t->offset);
	req->resource_id = cpu_to_le32(t->res_id);
	req->level = cpu_to_le32(t->level);
	req->stride = cpu_to_le32(t->stride);
	req->layer_stride = cpu_to_le32(t->layer_stride);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_transfer_3d);

/**
 * vgpu_proto_update_cursor - encode UPDATE_CURSOR
 * @req: request
 * @scanout: scanout index
 * @x: position
 * @y: position
 * @res_id: cursor image resource, 0 to hide the cursor
 * @hot_x: hotspot
 * @hot_y: hotspot
 */
void vgpu_proto_update_cursor(struct virtio_gpu_update_cursor *req,
			      u32 scanout, u32 x, u32 y, u32 res_id,
			      u32 hot_x, u32 hot_y)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_UPDATE_CURSOR);
	req->pos.scanout_id = cpu_to_le32(scanout);
	req->pos.x = cpu_to_le32(x);
	req->pos.y = cpu_to_le32(y);
	req->resource_id = cpu_to_le32(res_id);
	req->hot_x = cpu_to_le32(hot_x);
	req->hot_y = cpu_to_le32(hot_y);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_update_cursor);

/**
 * vgpu_proto_move_cursor - encode MOVE_CURSOR
 * @req: request
 * @scanout: scanout index
 * @x: position
 * @y: position
 */
void vgpu_proto_move_cursor(struct virtio_gpu_update_cursor *req,
			    u32 scanout, u32 x, u32 y)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_MOVE_CURSOR);
	req->pos.scanout_id = cpu_to_le32(scanout);
	req->pos.x = cpu_to_le32(x);
	req->pos.y = cpu_to_le32(y);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_move_cursor);

/**
 * vgpu_proto_ctx_create - encode CTX_CREATE
 * @req: request
 * @ctx_id: context id
 * @context_init: capset id in the low 8 bits (0 for the default), with
 *	VIRTIO_GPU_F_CONTEXT_INIT
 * @name: debug name, NUL-terminated; truncated to 63 bytes
 */
void vgpu_proto_ctx_create(struct virtio_gpu_ctx_create *req, u32 ctx_id,
			   u32 context_init, const char *name)
{
	size_t n = strnlen(name, sizeof(req->debug_name) - 1);

	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_CTX_CREATE);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
	req->context_init = cpu_to_le32(context_init);
	req->nlen = cpu_to_le32(n);
	memcpy(req->debug_name, name, n);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_ctx_create);

/**
 * vgpu_proto_ctx_destroy - encode CTX_DESTROY
 * @req: request
 * @ctx_id: context id
 */
void vgpu_proto_ctx_destroy(struct virtio_gpu_ctx_destroy *req, u32 ctx_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_CTX_DESTROY);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_ctx_destroy);

/**
 * vgpu_proto_ctx_resource - encode CTX_ATTACH_RESOURCE or CTX_DETACH_RESOURCE
 * @req: request
 * @attach: attach (else detach)
 * @ctx_id: context id
 * @res_id: resource id
 */
void vgpu_proto_ctx_resource(struct virtio_gpu_ctx_resource *req, bool attach,
			     u32 ctx_id, u32 res_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, attach ? VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE :
					   VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_ctx_resource);

/**
 * vgpu_proto_submit_3d - encode SUBMIT_3D
 * @req: request; @size bytes of command stream follow it
 * @ctx_id: context id
 * @size: bytes of command stream
 */
void vgpu_proto_submit_3d(struct virtio_gpu_cmd_submit *req, u32 ctx_id,
			  u32 size)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_SUBMIT_3D);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
	req->size = cpu_to_le32(size);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_submit_3d);

/**
 * vgpu_proto_resource_create_blob - encode RESOURCE_CREATE_BLOB
 * @req: request; @d->nr_entries memory entries follow it
 * @d: what to create
 */
void vgpu_proto_resource_create_blob(struct virtio_gpu_resource_create_blob *req,
				     const struct vgpu_blob_desc *d)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB);
	vgpu_proto_hdr_ctx(&req->hdr, d->ctx_id);
	req->resource_id = cpu_to_le32(d->res_id);
	req->blob_mem = cpu_to_le32(d->blob_mem);
	req->blob_flags = cpu_to_le32(d->blob_flags);
	req->nr_entries = cpu_to_le32(d->nr_entries);
	req->blob_id = cpu_to_le64(d->blob_id);
	req->size = cpu_to_le64(d->size);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_create_blob);

/**
 * vgpu_proto_resource_map_blob - encode RESOURCE_MAP_BLOB
 * @req: request
 * @ctx_id: context of the blob
 * @res_id: resource id
 * @offset: where in the host-visible region to map it
 */
void vgpu_proto_resource_map_blob(struct virtio_gpu_resource_map_blob *req,
				  u32 ctx_id, u32 res_id, u64 offset)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
	req->resource_id = cpu_to_le32(res_id);
	req->offset = cpu_to_le64(offset);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_map_blob);

/**
 * vgpu_proto_resource_unmap_blob - encode RESOURCE_UNMAP_BLOB
 * @req: request
 * @ctx_id: context of the blob
 * @res_id: resource id
 */
void vgpu_proto_resource_unmap_blob(struct virtio_gpu_resource_unmap_blob *req,
				    u32 ctx_id, u32 res_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB);
	vgpu_proto_hdr_ctx(&req->hdr, ctx_id);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resource_unmap_blob);

/**
 * vgpu_proto_set_scanout_blob - encode SET_SCANOUT_BLOB
 * @req: request
 * @d: scanout, resource, rectangle and layout
 */
void vgpu_proto_set_scanout_blob(struct virtio_gpu_set_scanout_blob *req,
				 const struct vgpu_scanout_blob_desc *d)
{
	unsigned int i;

	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_SET_SCANOUT_BLOB);
	req->r.x = cpu_to_le32(d->x);
	req->r.y = cpu_to_le32(d->y);
	req->r.width = cpu_to_le32(d->width);
	req->r.height = cpu_to_le32(d->height);
	req->scanout_id = cpu_to_le32(d->scanout);
	req->resource_id = cpu_to_le32(d->res_id);
	req->width = cpu_to_le32(d->fb_width);
	req->height = cpu_to_le32(d->fb_height);
	req->format = cpu_to_le32(d->format);
	for (i = 0; i < 4; i++) {
		req->strides[i] = cpu_to_le32(d->strides[i]);
		req->offsets[i] = cpu_to_le32(d->offsets[i]);
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_set_scanout_blob);

/**
 * vgpu_proto_assign_uuid - encode RESOURCE_ASSIGN_UUID
 * @req: request
 * @res_id: resource id
 */
void vgpu_proto_assign_uuid(struct virtio_gpu_resource_assign_uuid *req,
			    u32 res_id)
{
	memset(req, 0, sizeof(*req));
	vgpu_proto_hdr(&req->hdr, VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID);
	req->resource_id = cpu_to_le32(res_id);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_assign_uuid);

/**
 * vgpu_proto_resp_errno - errno for a response type
 * @type: VIRTIO_GPU_RESP_*
 *
 * Return: 0 for any OK type, a negative errno for an error type or a type
 * that is not a response at all.
 */
int vgpu_proto_resp_errno(u32 type)
{
	switch (type) {
	case VIRTIO_GPU_RESP_OK_NODATA ... VIRTIO_GPU_RESP_OK_MAP_INFO:
		return 0;
	case VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY:
		return -ENOMEM;
	case VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER:
		return -EINVAL;
	case VIRTIO_GPU_RESP_ERR_UNSPEC:
	default:
		return -EIO;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resp_errno);

/**
 * vgpu_proto_resp_type - the type of a response, if it has a header
 * @resp: response bytes
 * @len: bytes the device wrote
 *
 * Return: the type, or VIRTIO_GPU_UNDEFINED for a truncated response.
 */
u32 vgpu_proto_resp_type(const void *resp, u32 len)
{
	const struct virtio_gpu_ctrl_hdr *hdr = resp;

	if (len < sizeof(*hdr))
		return VIRTIO_GPU_UNDEFINED;
	return le32_to_cpu(hdr->type);
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resp_type);

/**
 * vgpu_proto_resp_check - validate a response
 * @resp: response bytes
 * @len: bytes the device wrote
 * @expected: the OK type the command calls for
 * @min_len: bytes a valid response of that type has at least
 *
 * Return: 0; the errno of an error response; -EPROTO for a truncated
 * response or an OK type other than @expected.
 */
int vgpu_proto_resp_check(const void *resp, u32 len, u32 expected,
			  u32 min_len)
{
	u32 type = vgpu_proto_resp_type(resp, len);
	int err;

	if (type == VIRTIO_GPU_UNDEFINED)
		return -EPROTO;
	err = vgpu_proto_resp_errno(type);
	if (err)
		return err;
	if (type != expected || len < min_len)
		return -EPROTO;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_resp_check);

/**
 * vgpu_proto_parse_display_info - decode RESP_OK_DISPLAY_INFO
 * @resp: a checked response
 * @num_scanouts: scanouts the device has (at most VGPU_MAX_SCANOUTS)
 * @out: @num_scanouts entries to fill
 *
 * A scanout the host reports disabled keeps its size, which is the
 * host's preference for when it gets enabled.
 *
 * Return: number of enabled scanouts.
 */
unsigned int
vgpu_proto_parse_display_info(const struct virtio_gpu_resp_display_info *resp,
			      unsigned int num_scanouts,
			      struct vgpu_scanout_info *out)
{
	unsigned int i, enabled = 0;

	num_scanouts = min_t(unsigned int, num_scanouts, VGPU_MAX_SCANOUTS);
	for (i = 0; i < num_scanouts; i++) {
		const struct virtio_gpu_display_one *p = &resp->pmodes[i];

		out[i].enabled = le32_to_cpu(p->enabled) != 0;
		out[i].x = le32_to_cpu(p->r.x);
		out[i].y = le32_to_cpu(p->r.y);
		out[i].width = le32_to_cpu(p->r.width);
		out[i].height = le32_to_cpu(p->r.height);
		out[i].flags = le32_to_cpu(p->flags);
		enabled += out[i].enabled;
	}
	return enabled;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_parse_display_info);

/**
 * vgpu_proto_parse_capset_info - decode RESP_OK_CAPSET_INFO
 * @resp: a checked response
 * @out: filled on success
 *
 * Return: 0, or -EPROTO for an id outside 1..63 or a size of 0 or above
 * VGPU_CAPSET_MAX_SIZE.
 */
int vgpu_proto_parse_capset_info(const struct virtio_gpu_resp_capset_info *resp,
				 struct vgpu_capset *out)
{
	u32 id = le32_to_cpu(resp->capset_id);
	u32 size = le32_to_cpu(resp->capset_max_size);

	if (!id || id > VGPU_CAPSET_ID_MAX)
		return -EPROTO;
	if (!size || size > VGPU_CAPSET_MAX_SIZE)
		return -EPROTO;
	out->id = id;
	out->max_version = le32_to_cpu(resp->capset_max_version);
	out->max_size = size;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_parse_capset_info);

/**
 * vgpu_proto_parse_map_info - decode the answer to RESOURCE_MAP_BLOB
 * @resp: response bytes
 * @len: bytes the device wrote
 * @cache: set to VIRTIO_GPU_MAP_CACHE_CACHED, _UNCACHED or _WC
 *
 * VIRTIO_GPU_MAP_CACHE_NONE (a host that names no type) maps cached, as
 * guest memory does; the bits above VIRTIO_GPU_MAP_CACHE_MASK are ignored.
 *
 * Return: 0; the errno of an error answer; -EPROTO for a truncated answer,
 * another OK type, or a cache type the protocol does not define.
 */
int vgpu_proto_parse_map_info(const void *resp, u32 len, u32 *cache)
{
	const struct virtio_gpu_resp_map_info *r = resp;
	int err;
	u32 c;

	err = vgpu_proto_resp_check(resp, len, VIRTIO_GPU_RESP_OK_MAP_INFO,
				    sizeof(*r));
	if (err)
		return err;
	c = le32_to_cpu((__force __le32)r->map_info) & VIRTIO_GPU_MAP_CACHE_MASK;
	switch (c) {
	case VIRTIO_GPU_MAP_CACHE_NONE:
		c = VIRTIO_GPU_MAP_CACHE_CACHED;
		fallthrough;
	case VIRTIO_GPU_MAP_CACHE_CACHED:
	case VIRTIO_GPU_MAP_CACHE_UNCACHED:
	case VIRTIO_GPU_MAP_CACHE_WC:
		*cache = c;
		return 0;
	default:
		return -EPROTO;
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_parse_map_info);

/**
 * vgpu_proto_parse_uuid - decode the answer to RESOURCE_ASSIGN_UUID
 * @resp: response bytes
 * @len: bytes the device wrote
 * @uuid: set to the 16 bytes of the UUID
 *
 * Return: 0; the errno of an error answer; -EPROTO for a truncated answer
 * or another OK type.
 */
int vgpu_proto_parse_uuid(const void *resp, u32 len, u8 uuid[16])
{
	const struct virtio_gpu_resp_resource_uuid *r = resp;
	int err;

	err = vgpu_proto_resp_check(resp, len, VIRTIO_GPU_RESP_OK_RESOURCE_UUID,
				    sizeof(*r));
	if (!err)
		memcpy(uuid, r->uuid, sizeof(r->uuid));
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_parse_uuid);

/**
 * vgpu_proto_parse_edid - decode RESP_OK_EDID
 * @resp: a checked response
 * @len: bytes the device wrote
 * @edid_size: the EDID's size in bytes, on success
 *
 * Hosts may report the whole 1024-byte buffer as the size; the EDID's own
 * extension count (byte 126 of the base block) says how many blocks are
 * meaningful, so the result is the smaller of the two.
 *
 * Return: 0, or -EPROTO when the size is 0, above 1024, not a whole
 * number of 128-byte blocks, or more than the device wrote.
 */
int vgpu_proto_parse_edid(const struct virtio_gpu_resp_edid *resp, u32 len,
			  u32 *edid_size)
{
	u32 size = le32_to_cpu(resp->size);
	u32 blocks;

	if (!size || size > VGPU_EDID_MAX || size % 128)
		return -EPROTO;
	if (len < offsetof(struct virtio_gpu_resp_edid, edid) + size)
		return -EPROTO;
	blocks = 1 + resp->edid[126];
	*edid_size = min(size, blocks * 128);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_parse_edid);

/*
 * DRM fourccs name a little-endian word, virtio-gpu formats name bytes in
 * memory order: XRGB8888 is the bytes B, G, R, X. The map does not depend
 * on the CPU's byte order.
 */
static const struct {
	u32 fourcc;
	u32 format;
} vgpu_proto_formats[] = {
	{ DRM_FORMAT_XRGB8888, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM },
	{ DRM_FORMAT_ARGB8888, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM },
	{ DRM_FORMAT_XBGR8888, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM },
	{ DRM_FORMAT_ABGR8888, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM },
	{ DRM_FORMAT_BGRX8888, VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM },
	{ DRM_FORMAT_BGRA8888, VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM },
	{ DRM_FORMAT_RGBX8888, VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM },
	{ DRM_FORMAT_RGBA8888, VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM },
};

/**
 * vgpu_proto_format - virtio-gpu format of a DRM fourcc
 * @fourcc: DRM_FORMAT_*
 *
 * Return: VIRTIO_GPU_FORMAT_*, or 0 for a fourcc the protocol cannot
 * scan out.
 */
u32 vgpu_proto_format(u32 fourcc)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vgpu_proto_formats); i++)
		if (vgpu_proto_formats[i].fourcc == fourcc)
			return vgpu_proto_formats[i].format;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_format);

/**
 * vgpu_proto_format_2d - whether a virtio-gpu format is a 2D one
 * @format: VIRTIO_GPU_FORMAT_*
 *
 * Return: true for the eight formats a 2D resource may have.
 */
bool vgpu_proto_format_2d(u32 format)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vgpu_proto_formats); i++)
		if (vgpu_proto_formats[i].format == format)
			return true;
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_format_2d);

/**
 * vgpu_proto_fourccs - the DRM fourccs vgpu_proto_format() maps
 * @count: set to the number of entries
 *
 * Return: a static array, XRGB8888 first.
 */
const u32 *vgpu_proto_fourccs(unsigned int *count)
{
	static const u32 fourccs[] = {
		DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888,
		DRM_FORMAT_XBGR8888, DRM_FORMAT_ABGR8888,
		DRM_FORMAT_BGRX8888, DRM_FORMAT_BGRA8888,
		DRM_FORMAT_RGBX8888, DRM_FORMAT_RGBA8888,
	};

	static_assert(ARRAY_SIZE(fourccs) == ARRAY_SIZE(vgpu_proto_formats));
	*count = ARRAY_SIZE(fourccs);
	return fourccs;
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_fourccs);

/**
 * vgpu_proto_capset_name - readable name of a capset id
 * @id: capset id
 *
 * Return: a static string; "unknown" for ids the protocol does not name.
 */
const char *vgpu_proto_capset_name(u32 id)
{
	switch (id) {
	case 1:
		return "virgl";
	case 2:
		return "virgl2";
	case 3:
		return "gfxstream-vulkan";
	case 4:
		return "venus";
	case 5:
		return "cross-domain";
	case 6:
		return "drm";
	default:
		return "unknown";
	}
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_capset_name);

/**
 * vgpu_proto_feature_name - readable name of a device feature bit
 * @bit: VIRTIO_GPU_F_* bit number
 *
 * Return: a static string, or NULL for bits the protocol does not name.
 */
const char *vgpu_proto_feature_name(unsigned int bit)
{
	static const char * const names[] = {
		[VIRTIO_GPU_F_VIRGL] = "virgl",
		[VIRTIO_GPU_F_EDID] = "edid",
		[VIRTIO_GPU_F_RESOURCE_UUID] = "resource_uuid",
		[VIRTIO_GPU_F_RESOURCE_BLOB] = "resource_blob",
		[VIRTIO_GPU_F_CONTEXT_INIT] = "context_init",
		[5] = "blob_alignment",
	};

	if (bit >= ARRAY_SIZE(names))
		return NULL;
	return names[bit];
}
EXPORT_SYMBOL_IF_KUNIT(vgpu_proto_feature_name);
