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

void vgpu_proto_hdr(struct virtio_gpu_ctrl_hdr *hdr, u32 type);
void vgpu_proto_get_display_info(struct virtio_gpu_ctrl_hdr *req);
void vgpu_proto_get_edid(struct virtio_gpu_cmd_get_edid *req, u32 scanout);
void vgpu_proto_get_capset_info(struct virtio_gpu_get_capset_info *req,
				u32 index);

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
int vgpu_proto_parse_edid(const struct virtio_gpu_resp_edid *resp, u32 len,
			  u32 *edid_size);

const char *vgpu_proto_capset_name(u32 id);
const char *vgpu_proto_feature_name(unsigned int bit);

#endif /* VGPU_PROTO_H */
