// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the protocol layer, byte for byte against the layouts of
 * <linux/virtio_gpu.h>. Expected bytes are written out by hand from the
 * specification, not produced by the code under test. Request buffers are
 * filled with 0xaa first so that padding the encoder forgets shows up.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include <drm/drm_fourcc.h>

#include "vgpu_tests.h"
#include "vgpu_proto.h"

static void expect_bytes(struct kunit *test, const void *got, const u8 *want,
			 size_t len)
{
	if (memcmp(got, want, len)) {
		print_hex_dump(KERN_INFO, "got:  ", DUMP_PREFIX_OFFSET, 16, 1,
			       got, len, false);
		print_hex_dump(KERN_INFO, "want: ", DUMP_PREFIX_OFFSET, 16, 1,
			       want, len, false);
		KUNIT_FAIL(test, "encoded bytes differ (dumped above)");
	}
}

static void proto_layout_sizes(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_ctrl_hdr), 24);
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_cmd_get_edid), 32);
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_get_capset_info), 32);
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_resp_display_info), 24 + 16 * 24);
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_resp_capset_info), 40);
	KUNIT_EXPECT_EQ(test, sizeof(struct virtio_gpu_resp_edid), 32 + 1024);
}

static void proto_hdr(struct kunit *test)
{
	static const u8 want[24] = { 0x04, 0x01, 0x00, 0x00 };
	struct virtio_gpu_ctrl_hdr hdr;

	memset(&hdr, 0xaa, sizeof(hdr));
	vgpu_proto_hdr(&hdr, VIRTIO_GPU_CMD_RESOURCE_FLUSH);
	expect_bytes(test, &hdr, want, sizeof(want));
}

static void proto_get_display_info(struct kunit *test)
{
	static const u8 want[24] = { 0x00, 0x01, 0x00, 0x00 };
	struct virtio_gpu_ctrl_hdr req;

	memset(&req, 0xaa, sizeof(req));
	vgpu_proto_get_display_info(&req);
	expect_bytes(test, &req, want, sizeof(want));
}

static void proto_get_edid(struct kunit *test)
{
	static const u8 want[32] = {
		0x0a, 0x01, 0x00, 0x00,	0, 0, 0, 0,	/* type, flags */
		0, 0, 0, 0, 0, 0, 0, 0,			/* fence_id */
		0, 0, 0, 0, 0, 0, 0, 0,			/* ctx_id, ring_idx, padding */
		0x0f, 0x00, 0x00, 0x00,	0, 0, 0, 0,	/* scanout 15, padding */
	};
	struct virtio_gpu_cmd_get_edid req;

	memset(&req, 0xaa, sizeof(req));
	vgpu_proto_get_edid(&req, 15);
	expect_bytes(test, &req, want, sizeof(want));
}

static void proto_get_capset_info(struct kunit *test)
{
	static const u8 want[32] = {
		0x08, 0x01, 0x00, 0x00,	0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0,
		0x02, 0x01, 0x00, 0x00,	0, 0, 0, 0,	/* index 0x102 */
	};
	struct virtio_gpu_get_capset_info req;

	memset(&req, 0xaa, sizeof(req));
	vgpu_proto_get_capset_info(&req, 0x102);
	expect_bytes(test, &req, want, sizeof(want));
}

/* Expected bytes are built from the specification's offsets. */
static void put32(u8 *w, unsigned int off, u32 v)
{
	w[off] = v;
	w[off + 1] = v >> 8;
	w[off + 2] = v >> 16;
	w[off + 3] = v >> 24;
}

static void put64(u8 *w, unsigned int off, u64 v)
{
	put32(w, off, (u32)v);
	put32(w, off + 4, (u32)(v >> 32));
}

/* want: len bytes of zero with a header of type, flags, fence, ctx, ring */
static u8 *want_cmd(struct kunit *test, size_t len, u32 type, u32 flags,
		    u64 fence, u32 ctx, u8 ring)
{
	u8 *w = kunit_kzalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	put32(w, 0, type);
	put32(w, 4, flags);
	put64(w, 8, fence);
	put32(w, 16, ctx);
	w[20] = ring;
	return w;
}

static void *poisoned(struct kunit *test, size_t len)
{
	void *p = kunit_kmalloc(test, len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xaa, len);
	return p;
}

static const struct vgpu_rect rect = { 0x11, 0x22, 0x333, 0x444 };

static void put_rect(u8 *w, unsigned int off)
{
	put32(w, off, 0x11);
	put32(w, off + 4, 0x22);
	put32(w, off + 8, 0x333);
	put32(w, off + 12, 0x444);
}

static void proto_hdr_ctx_fence(struct kunit *test)
{
	struct virtio_gpu_ctrl_hdr *h = poisoned(test, 24);
	u8 *w;

	vgpu_proto_hdr(h, VIRTIO_GPU_CMD_SUBMIT_3D);
	vgpu_proto_hdr_ctx(h, 0x01020304);
	vgpu_proto_hdr_fence(h, 0x1122334455667788ull, false, 9);
	w = want_cmd(test, 24, 0x0207, 1, 0x1122334455667788ull, 0x01020304, 0);
	expect_bytes(test, h, w, 24);

	vgpu_proto_hdr(h, VIRTIO_GPU_CMD_SUBMIT_3D);
	vgpu_proto_hdr_fence(h, 5, true, 63);
	w = want_cmd(test, 24, 0x0207, 3, 5, 0, 63);
	expect_bytes(test, h, w, 24);
}

static void proto_get_capset(struct kunit *test)
{
	void *req = poisoned(test, 32);
	u8 *w = want_cmd(test, 32, 0x0109, 0, 0, 0, 0);

	put32(w, 24, 4);
	put32(w, 28, 2);
	vgpu_proto_get_capset(req, 4, 2);
	expect_bytes(test, req, w, 32);
}

static void proto_resource_2d(struct kunit *test)
{
	void *req = poisoned(test, 56);
	u8 *w;

	w = want_cmd(test, 40, 0x0101, 0, 0, 0, 0);
	put32(w, 24, 7);
	put32(w, 28, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM);
	put32(w, 32, 1024);
	put32(w, 36, 768);
	vgpu_proto_resource_create_2d(req, 7, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 1024, 768);
	expect_bytes(test, req, w, 40);

	w = want_cmd(test, 32, 0x0102, 0, 0, 0, 0);
	put32(w, 24, 7);
	vgpu_proto_resource_unref(req, 7);
	expect_bytes(test, req, w, 32);

	w = want_cmd(test, 32, 0x0106, 0, 0, 0, 0);
	put32(w, 24, 7);
	put32(w, 28, 3);
	vgpu_proto_attach_backing(req, 7, 3);
	expect_bytes(test, req, w, 32);

	w = want_cmd(test, 32, 0x0107, 0, 0, 0, 0);
	put32(w, 24, 7);
	vgpu_proto_detach_backing(req, 7);
	expect_bytes(test, req, w, 32);

	w = kunit_kzalloc(test, 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	put64(w, 0, 0x0000000123456000ull);
	put32(w, 8, 0x3000);
	req = poisoned(test, 16);
	vgpu_proto_mem_entry(req, 0x0000000123456000ull, 0x3000);
	expect_bytes(test, req, w, 16);
}

static void proto_scanout_flush_transfer(struct kunit *test)
{
	void *req = poisoned(test, 56);
	u8 *w;

	w = want_cmd(test, 48, 0x0103, 0, 0, 0, 0);
	put_rect(w, 24);
	put32(w, 40, 3);
	put32(w, 44, 9);
	vgpu_proto_set_scanout(req, 3, 9, &rect);
	expect_bytes(test, req, w, 48);

	w = want_cmd(test, 48, 0x0104, 0, 0, 0, 0);
	put_rect(w, 24);
	put32(w, 40, 9);
	vgpu_proto_resource_flush(req, 9, &rect);
	expect_bytes(test, req, w, 48);

	w = want_cmd(test, 56, 0x0105, 0, 0, 0, 0);
	put_rect(w, 24);
	put64(w, 40, 0x100000040ull);
	put32(w, 48, 9);
	vgpu_proto_transfer_to_host_2d(req, 9, 0x100000040ull, &rect);
	expect_bytes(test, req, w, 56);
}

static void proto_cursor(struct kunit *test)
{
	void *req = poisoned(test, 56);
	u8 *w;

	w = want_cmd(test, 56, 0x0300, 0, 0, 0, 0);
	put32(w, 24, 1);
	put32(w, 28, 100);
	put32(w, 32, 200);
	put32(w, 40, 5);
	put32(w, 44, 3);
	put32(w, 48, 4);
	vgpu_proto_update_cursor(req, 1, 100, 200, 5, 3, 4);
	expect_bytes(test, req, w, 56);

	w = want_cmd(test, 56, 0x0301, 0, 0, 0, 0);
	put32(w, 24, 1);
	put32(w, 28, 101);
	put32(w, 32, 202);
	vgpu_proto_move_cursor(req, 1, 101, 202);
	expect_bytes(test, req, w, 56);
}

static void proto_contexts(struct kunit *test)
{
	static const char long_name[] =
		"0123456789012345678901234567890123456789012345678901234567890123456789";
	void *req = poisoned(test, 96);
	u8 *w;

	w = want_cmd(test, 96, 0x0200, 0, 0, 6, 0);
	put32(w, 24, 5);
	put32(w, 28, 4);
	memcpy(w + 32, "venus", 5);
	vgpu_proto_ctx_create(req, 6, 4, "venus");
	expect_bytes(test, req, w, 96);

	/* a long name is cut to 63 bytes and stays NUL-terminated */
	w = want_cmd(test, 96, 0x0200, 0, 0, 6, 0);
	put32(w, 24, 63);
	memcpy(w + 32, long_name, 63);
	vgpu_proto_ctx_create(req, 6, 0, long_name);
	expect_bytes(test, req, w, 96);

	w = want_cmd(test, 24, 0x0201, 0, 0, 6, 0);
	vgpu_proto_ctx_destroy(req, 6);
	expect_bytes(test, req, w, 24);

	w = want_cmd(test, 32, 0x0202, 0, 0, 6, 0);
	put32(w, 24, 9);
	vgpu_proto_ctx_resource(req, true, 6, 9);
	expect_bytes(test, req, w, 32);

	w = want_cmd(test, 32, 0x0203, 0, 0, 6, 0);
	put32(w, 24, 9);
	vgpu_proto_ctx_resource(req, false, 6, 9);
	expect_bytes(test, req, w, 32);

	w = want_cmd(test, 32, 0x0207, 0, 0, 6, 0);
	put32(w, 24, 0x1000);
	vgpu_proto_submit_3d(req, 6, 0x1000);
	expect_bytes(test, req, w, 32);
}

static void proto_3d(struct kunit *test)
{
	const struct vgpu_res3d_desc d = {
		.res_id = 7, .target = 2, .format = 1, .bind = 0x40002,
		.width = 640, .height = 480, .depth = 1, .array_size = 3,
		.last_level = 4, .nr_samples = 2, .flags = 1,
	};
	const struct vgpu_transfer_desc t = {
		.ctx_id = 5, .res_id = 7, .x = 1, .y = 2, .z = 3, .w = 4, .h = 5,
		.d = 6, .offset = 0x1000000080ull, .level = 2, .stride = 256,
		.layer_stride = 0x10000,
	};
	void *req = poisoned(test, 72);
	unsigned int i;
	u8 *w;

	w = want_cmd(test, 72, 0x0204, 0, 0, 0, 0);
	put32(w, 24, 7);
	put32(w, 28, 2);
	put32(w, 32, 1);
	put32(w, 36, 0x40002);
	put32(w, 40, 640);
	put32(w, 44, 480);
	put32(w, 48, 1);
	put32(w, 52, 3);
	put32(w, 56, 4);
	put32(w, 60, 2);
	put32(w, 64, 1);
	vgpu_proto_resource_create_3d(req, &d);
	expect_bytes(test, req, w, 72);

	for (i = 0; i < 2; i++) {
		w = want_cmd(test, 72, i ? 0x0206 : 0x0205, 0, 0, 5, 0);
		put32(w, 24, 1);
		put32(w, 28, 2);
		put32(w, 32, 3);
		put32(w, 36, 4);
		put32(w, 40, 5);
		put32(w, 44, 6);
		put64(w, 48, 0x1000000080ull);
		put32(w, 56, 7);
		put32(w, 60, 2);
		put32(w, 64, 256);
		put32(w, 68, 0x10000);
		vgpu_proto_transfer_3d(req, !i, &t);
		expect_bytes(test, req, w, 72);
	}
}

static void proto_blobs(struct kunit *test)
{
	const struct vgpu_blob_desc d = {
		.res_id = 12, .ctx_id = 6, .blob_mem = VIRTIO_GPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTIO_GPU_BLOB_FLAG_USE_MAPPABLE, .blob_id = 0xabcdef0123ull,
		.size = 0x200000, .nr_entries = 0,
	};
	void *req = poisoned(test, 56);
	u8 *w;

	w = want_cmd(test, 56, 0x010c, 0, 0, 6, 0);
	put32(w, 24, 12);
	put32(w, 28, 2);
	put32(w, 32, 1);
	put32(w, 36, 0);
	put64(w, 40, 0xabcdef0123ull);
	put64(w, 48, 0x200000);
	vgpu_proto_resource_create_blob(req, &d);
	expect_bytes(test, req, w, 56);

	w = want_cmd(test, 40, 0x0208, 0, 0, 6, 0);
	put32(w, 24, 12);
	put64(w, 32, 0x7000000);
	vgpu_proto_resource_map_blob(req, 6, 12, 0x7000000);
	expect_bytes(test, req, w, 40);

	w = want_cmd(test, 32, 0x0209, 0, 0, 6, 0);
	put32(w, 24, 12);
	vgpu_proto_resource_unmap_blob(req, 6, 12);
	expect_bytes(test, req, w, 32);

	w = want_cmd(test, 32, 0x010b, 0, 0, 0, 0);
	put32(w, 24, 12);
	vgpu_proto_assign_uuid(req, 12);
	expect_bytes(test, req, w, 32);
}

static void proto_scanout_blob(struct kunit *test)
{
	const struct vgpu_scanout_blob_desc d = {
		.scanout = 2, .res_id = 9, .x = 16, .y = 8, .width = 640, .height = 480,
		.fb_width = 1024, .fb_height = 768, .format = 2,
		.strides = { 4096, 1, 2, 3 }, .offsets = { 64, 4, 5, 6 },
	};
	void *req = poisoned(test, 96);
	unsigned int i;
	u8 *w;

	w = want_cmd(test, 96, 0x010d, 0, 0, 0, 0);
	put32(w, 24, 16);
	put32(w, 28, 8);
	put32(w, 32, 640);
	put32(w, 36, 480);
	put32(w, 40, 2);
	put32(w, 44, 9);
	put32(w, 48, 1024);
	put32(w, 52, 768);
	put32(w, 56, 2);
	put32(w, 60, 0);
	for (i = 0; i < 4; i++) {
		put32(w, 64 + 4 * i, d.strides[i]);
		put32(w, 80 + 4 * i, d.offsets[i]);
	}
	vgpu_proto_set_scanout_blob(req, &d);
	expect_bytes(test, req, w, 96);
}

/* MAP_BLOB answers: the cache type, refusals, and what is not protocol. */
static void proto_map_info(struct kunit *test)
{
	struct virtio_gpu_resp_map_info r = {};
	u32 cache = 99;

	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_OK_MAP_INFO);
	r.map_info = (__force u32)cpu_to_le32(VIRTIO_GPU_MAP_CACHE_WC);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r), &cache), 0);
	KUNIT_EXPECT_EQ(test, cache, (u32)VIRTIO_GPU_MAP_CACHE_WC);
	r.map_info = (__force u32)cpu_to_le32(VIRTIO_GPU_MAP_CACHE_UNCACHED | 0x100);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r), &cache), 0);
	KUNIT_EXPECT_EQ(test, cache, (u32)VIRTIO_GPU_MAP_CACHE_UNCACHED);
	/* no type named: cached, like guest memory */
	r.map_info = (__force u32)cpu_to_le32(VIRTIO_GPU_MAP_CACHE_NONE);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r), &cache), 0);
	KUNIT_EXPECT_EQ(test, cache, (u32)VIRTIO_GPU_MAP_CACHE_CACHED);
	r.map_info = (__force u32)cpu_to_le32(7);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r), &cache), -EPROTO);
	r.map_info = (__force u32)cpu_to_le32(VIRTIO_GPU_MAP_CACHE_CACHED);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r) - 4, &cache), -EPROTO);
	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_OK_NODATA);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r), &cache), -EPROTO);
	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_map_info(&r, sizeof(r.hdr), &cache), -EINVAL);
}

static void proto_uuid(struct kunit *test)
{
	struct virtio_gpu_resp_resource_uuid r = {};
	u8 uuid[16] = {};
	unsigned int i;

	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_OK_RESOURCE_UUID);
	for (i = 0; i < 16; i++)
		r.uuid[i] = 0xa0 + i;
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_uuid(&r, sizeof(r), uuid), 0);
	KUNIT_EXPECT_EQ(test, memcmp(uuid, r.uuid, 16), 0);
	memset(uuid, 0, sizeof(uuid));
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_uuid(&r, sizeof(r) - 1, uuid), -EPROTO);
	KUNIT_EXPECT_EQ(test, uuid[0], 0);
	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_uuid(&r, sizeof(r), uuid), -ENOMEM);
}

struct errno_case {
	u32 type;
	int err;
};

static const struct errno_case errno_cases[] = {
	{ VIRTIO_GPU_RESP_OK_NODATA, 0 },
	{ VIRTIO_GPU_RESP_OK_DISPLAY_INFO, 0 },
	{ VIRTIO_GPU_RESP_OK_MAP_INFO, 0 },
	{ VIRTIO_GPU_RESP_ERR_UNSPEC, -EIO },
	{ VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, -ENOMEM },
	{ VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, -EINVAL },
	{ VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, -EINVAL },
	{ VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID, -EINVAL },
	{ VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, -EINVAL },
	{ VIRTIO_GPU_RESP_OK_MAP_INFO + 1, -EIO },	/* not a response type */
	{ VIRTIO_GPU_CMD_GET_DISPLAY_INFO, -EIO },	/* a command, not a response */
	{ 0, -EIO },
};

static void errno_desc(const struct errno_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "type 0x%04x -> %d", c->type, c->err);
}

KUNIT_ARRAY_PARAM(errno_cases, errno_cases, errno_desc);

static void proto_resp_errno(struct kunit *test)
{
	const struct errno_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_errno(c->type), c->err);
}

static void proto_resp_check(struct kunit *test)
{
	const u32 ok = VIRTIO_GPU_RESP_OK_CAPSET_INFO;
	struct virtio_gpu_resp_capset_info r = {};
	const u32 full = sizeof(r);

	r.hdr.type = cpu_to_le32(ok);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, full, ok, full), 0);
	/* truncated: no whole header, or less than the type needs */
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, 0, ok, full), -EPROTO);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, 23, ok, full), -EPROTO);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, full - 1, ok, full), -EPROTO);
	/* an OK type other than the one asked for */
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, full, VIRTIO_GPU_RESP_OK_EDID, full),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_type(&r, 23), VIRTIO_GPU_UNDEFINED);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_type(&r, 24), ok);
	/* error responses are a bare header: their errno, not -EPROTO */
	r.hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY);
	KUNIT_EXPECT_EQ(test, vgpu_proto_resp_check(&r, 24, ok, full), -ENOMEM);
}

static void proto_parse_display_info(struct kunit *test)
{
	struct virtio_gpu_resp_display_info *r;
	struct vgpu_scanout_info out[VGPU_MAX_SCANOUTS + 1];
	unsigned int i;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < VIRTIO_GPU_MAX_SCANOUTS; i++) {
		r->pmodes[i].r.x = cpu_to_le32(100 * i);
		r->pmodes[i].r.y = cpu_to_le32(7);
		r->pmodes[i].r.width = cpu_to_le32(640 + i);
		r->pmodes[i].r.height = cpu_to_le32(480 + i);
		r->pmodes[i].enabled = cpu_to_le32(i % 2);
		r->pmodes[i].flags = cpu_to_le32(0x10 + i);
	}
	memset(out, 0x5a, sizeof(out));
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_display_info(r, 3, out), 1u);
	KUNIT_EXPECT_FALSE(test, out[0].enabled);
	KUNIT_EXPECT_TRUE(test, out[1].enabled);
	KUNIT_EXPECT_EQ(test, out[2].x, 200u);
	KUNIT_EXPECT_EQ(test, out[2].y, 7u);
	KUNIT_EXPECT_EQ(test, out[2].width, 642u);
	KUNIT_EXPECT_EQ(test, out[2].height, 482u);
	KUNIT_EXPECT_EQ(test, out[2].flags, 0x12u);
	/* untouched past the count */
	KUNIT_EXPECT_EQ(test, out[3].width, 0x5a5a5a5au);

	/* a count above 16 is clamped: entry 16 stays untouched */
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_display_info(r, 40, out), 8u);
	KUNIT_EXPECT_EQ(test, out[15].width, 655u);
	KUNIT_EXPECT_EQ(test, out[16].width, 0x5a5a5a5au);
}

static void proto_parse_capset_info(struct kunit *test)
{
	struct virtio_gpu_resp_capset_info r = {};
	struct vgpu_capset c = {};

	r.capset_id = cpu_to_le32(4);
	r.capset_max_version = cpu_to_le32(0);
	r.capset_max_size = cpu_to_le32(160);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), 0);
	KUNIT_EXPECT_EQ(test, c.id, 4u);
	KUNIT_EXPECT_EQ(test, c.max_version, 0u);
	KUNIT_EXPECT_EQ(test, c.max_size, 160u);

	r.capset_id = cpu_to_le32(63);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), 0);
	r.capset_id = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), -EPROTO);
	r.capset_id = cpu_to_le32(64);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), -EPROTO);
	r.capset_id = cpu_to_le32(0xffffffff);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), -EPROTO);

	r.capset_id = cpu_to_le32(1);
	r.capset_max_size = cpu_to_le32(VGPU_CAPSET_MAX_SIZE);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), 0);
	r.capset_max_size = cpu_to_le32(VGPU_CAPSET_MAX_SIZE + 1);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), -EPROTO);
	r.capset_max_size = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_capset_info(&r, &c), -EPROTO);
	/* a rejected entry leaves the output alone */
	KUNIT_EXPECT_EQ(test, c.max_size, (u32)VGPU_CAPSET_MAX_SIZE);
}

static void proto_parse_edid(struct kunit *test)
{
	const u32 hdr = offsetof(struct virtio_gpu_resp_edid, edid);
	struct virtio_gpu_resp_edid *r;
	u32 size = 0xdead;

	r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);

	/* QEMU: size 1024, one extension block -> 256 meaningful bytes */
	r->size = cpu_to_le32(1024);
	r->edid[126] = 1;
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), 0);
	KUNIT_EXPECT_EQ(test, size, 256u);
	/* the reported size wins when it is smaller than the blocks claimed */
	r->size = cpu_to_le32(128);
	r->edid[126] = 3;
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, hdr + 128, &size), 0);
	KUNIT_EXPECT_EQ(test, size, 128u);
	/* an extension count beyond the buffer is capped at the size */
	r->size = cpu_to_le32(1024);
	r->edid[126] = 255;
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), 0);
	KUNIT_EXPECT_EQ(test, size, 1024u);

	size = 0xdead;
	r->size = cpu_to_le32(0);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), -EPROTO);
	r->size = cpu_to_le32(1025);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), -EPROTO);
	r->size = cpu_to_le32(1152);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), -EPROTO);
	r->size = cpu_to_le32(100);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, sizeof(*r), &size), -EPROTO);
	/* more EDID claimed than the device wrote */
	r->size = cpu_to_le32(256);
	KUNIT_EXPECT_EQ(test, vgpu_proto_parse_edid(r, hdr + 255, &size), -EPROTO);
	KUNIT_EXPECT_EQ(test, size, 0xdeadu);
}

static void proto_formats(struct kunit *test)
{
	static const struct { u32 fourcc, format; } map[] = {
		{ DRM_FORMAT_XRGB8888, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM },
		{ DRM_FORMAT_ARGB8888, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM },
		{ DRM_FORMAT_XBGR8888, VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM },
		{ DRM_FORMAT_ABGR8888, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM },
		{ DRM_FORMAT_BGRX8888, VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM },
		{ DRM_FORMAT_BGRA8888, VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM },
		{ DRM_FORMAT_RGBX8888, VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM },
		{ DRM_FORMAT_RGBA8888, VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM },
	};
	unsigned int i, j, n;
	const u32 *list = vgpu_proto_fourccs(&n);

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		KUNIT_EXPECT_EQ_MSG(test, vgpu_proto_format(map[i].fourcc),
				    map[i].format, "fourcc %p4cc", &map[i].fourcc);
		KUNIT_EXPECT_TRUE(test, vgpu_proto_format_2d(map[i].format));
	}
	/* No other value is a 2D format (the ids run below 200). */
	for (i = 0, j = 0; i < 200; i++)
		j += vgpu_proto_format_2d(i);
	KUNIT_EXPECT_EQ(test, j, (unsigned int)ARRAY_SIZE(map));
	/* Formats the protocol cannot scan out map to 0. */
	KUNIT_EXPECT_EQ(test, vgpu_proto_format(DRM_FORMAT_RGB565), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_proto_format(DRM_FORMAT_XRGB2101010), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_proto_format(DRM_FORMAT_NV12), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_proto_format(0), 0u);
	/* The advertised list is exactly the mapped set, XRGB8888 first. */
	KUNIT_ASSERT_EQ(test, n, (unsigned int)ARRAY_SIZE(map));
	KUNIT_EXPECT_EQ(test, list[0], (u32)DRM_FORMAT_XRGB8888);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_NE(test, vgpu_proto_format(list[i]), 0u);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, list[i], list[j]);
	}
}

static void proto_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(1), "virgl");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(2), "virgl2");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(4), "venus");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(5), "cross-domain");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(6), "drm");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(0), "unknown");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_capset_name(99), "unknown");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_feature_name(VIRTIO_GPU_F_VIRGL), "virgl");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_feature_name(VIRTIO_GPU_F_CONTEXT_INIT),
			   "context_init");
	KUNIT_EXPECT_STREQ(test, vgpu_proto_feature_name(5), "blob_alignment");
	KUNIT_EXPECT_NULL(test, vgpu_proto_feature_name(6));
	KUNIT_EXPECT_NULL(test, vgpu_proto_feature_name(1000));
}

static struct kunit_case vgpu_proto_cases[] = {
	KUNIT_CASE(proto_layout_sizes),
	KUNIT_CASE(proto_hdr),
	KUNIT_CASE(proto_get_display_info),
	KUNIT_CASE(proto_get_edid),
	KUNIT_CASE(proto_get_capset_info),
	KUNIT_CASE(proto_hdr_ctx_fence),
	KUNIT_CASE(proto_get_capset),
	KUNIT_CASE(proto_resource_2d),
	KUNIT_CASE(proto_scanout_flush_transfer),
	KUNIT_CASE(proto_cursor),
	KUNIT_CASE(proto_contexts),
	KUNIT_CASE(proto_3d),
	KUNIT_CASE(proto_blobs),
	KUNIT_CASE(proto_scanout_blob),
	KUNIT_CASE(proto_map_info),
	KUNIT_CASE(proto_uuid),
	KUNIT_CASE_PARAM(proto_resp_errno, errno_cases_gen_params),
	KUNIT_CASE(proto_resp_check),
	KUNIT_CASE(proto_parse_display_info),
	KUNIT_CASE(proto_parse_capset_info),
	KUNIT_CASE(proto_parse_edid),
	KUNIT_CASE(proto_formats),
	KUNIT_CASE(proto_names),
	{}
};

struct kunit_suite vgpu_proto_suite = {
	.name = "vgpu_proto",
	.test_cases = vgpu_proto_cases,
};
