// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu protocol layer: encoders and decoders for <linux/virtio_gpu.h>.
 *
 * Encoders expect zeroed memory for padding they do not touch; the
 * transport allocates buffers zeroed. Decoders never trust a length or a
 * count the device reports: each is checked against the bytes actually
 * received and the protocol's limits.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "vgpu_proto.h"

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

/**
 * vgpu_proto_get_display_info - encode GET_DISPLAY_INFO
 * @req: request (just a header)
 */
void vgpu_proto_get_display_info(struct virtio_gpu_ctrl_hdr *req)
{
	vgpu_proto_hdr(req, VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
}

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
