// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the fake host's model of a virtio-gpu device, driven through the
 * transport with the protocol encoders: resources and their backing,
 * scanouts, contexts, submissions, capsets, blobs in a host-visible region,
 * cursors, UUIDs and fenced answers. Later features test the driver against
 * this model; these cases make sure the model answers as the protocol says.
 */
#include <kunit/test.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include "vgpu_tests.h"
#include "vgpu_fake_host.h"
#include "vgpu_proto.h"
#include "vgpu_vq.h"

struct host_ctx {
	struct vgpu_fake_host *host;
	struct vgpu_vq q, cq;
	int live_before;
	u64 fences[4];
	unsigned int nfences;
};

static struct host_ctx *hctx_of(struct virtqueue *vq)
{
	return container_of(vq->vdev, struct vgpu_fake_host, vdev)->vdev.priv;
}

static void host_ctrl_cb(struct virtqueue *vq)
{
	vgpu_vq_reclaim(&hctx_of(vq)->q);
}

static void host_cursor_cb(struct virtqueue *vq)
{
	vgpu_vq_reclaim(&hctx_of(vq)->cq);
}

static int host_init(struct kunit *test)
{
	struct host_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct virtqueue *vq, *cvq;

	if (!c)
		return -ENOMEM;
	c->live_before = vgpu_buf_live_count();
	c->host = vgpu_fake_host_create(BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB) |
					BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT) |
					BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID));
	if (!c->host)
		return -ENOMEM;
	c->host->vdev.priv = c;
	c->host->hostmem_size = SZ_1M;
	vgpu_fake_host_default_display(c->host, 2);
	vgpu_fake_host_add_capset(c->host, 2, 2, 1376);
	vgpu_fake_host_add_capset(c->host, 4, 0, 160);
	vq = vgpu_fake_host_new_vq(c->host, 0, host_ctrl_cb, "control");
	cvq = vgpu_fake_host_new_vq(c->host, 1, host_cursor_cb, "cursor");
	if (!vq || !cvq) {
		vgpu_fake_host_destroy(c->host);
		return -ENOMEM;
	}
	vgpu_vq_init(&c->q, "control", vq);
	vgpu_vq_init(&c->cq, "cursor", cvq);
	test->priv = c;
	return 0;
}

static void host_exit(struct kunit *test)
{
	struct host_ctx *c = test->priv;

	vgpu_vq_stop(&c->q);
	vgpu_vq_stop(&c->cq);
	vgpu_vq_flush(&c->q, -ENODEV);
	vgpu_vq_flush(&c->cq, -ENODEV);
	vgpu_fake_host_del_vqs(c->host);
	vgpu_fake_host_destroy(c->host);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), c->live_before);
}

/*
 * Send a request (and an optional device-readable payload) on a queue and
 * return the response type; the response is copied to @resp if given. The
 * payload is copied to kmalloc memory first: the device reaches it by
 * physical address, which module data and vmapped stacks do not have.
 */
static u32 send_q(struct kunit *test, struct vgpu_vq *q, const void *req,
		  u32 len, const void *data, u32 data_len, void *resp,
		  u32 resp_len)
{
	struct scatterlist sg;
	struct vgpu_buf *buf;
	void *bounce = NULL;
	u32 type;

	buf = vgpu_buf_alloc(len, resp_len ?: sizeof(struct virtio_gpu_ctrl_hdr),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf->req, req, len);
	if (data_len) {
		bounce = kmemdup(data, data_len, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, bounce);
		sg_init_one(&sg, bounce, data_len);
		vgpu_buf_set_data(buf, &sg, 1, true);
	}
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(q, &buf, 1, HZ), 0);
	KUNIT_ASSERT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
	type = vgpu_proto_resp_type(buf->resp, buf->used_len);
	if (resp)
		memcpy(resp, buf->resp, min(buf->used_len, resp_len));
	vgpu_buf_put(buf);
	kfree(bounce);
	return type;
}

static u32 send(struct kunit *test, const void *req, u32 len)
{
	struct host_ctx *c = test->priv;

	return send_q(test, &c->q, req, len, NULL, 0, NULL, 0);
}

#define OK	VIRTIO_GPU_RESP_OK_NODATA
#define E_RES	VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID
#define E_CTX	VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID
#define E_PARAM	VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER
#define E_SCAN	VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID

static u32 create_2d(struct kunit *test, u32 id, u32 fmt, u32 w, u32 h)
{
	struct virtio_gpu_resource_create_2d req;

	vgpu_proto_resource_create_2d(&req, id, fmt, w, h);
	return send(test, &req, sizeof(req));
}

/* ATTACH_BACKING with its entries sent as a separate payload. */
static u32 attach(struct kunit *test, u32 id, const u32 *lens, u32 n)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resource_attach_backing req;
	struct virtio_gpu_mem_entry *e;
	u32 i, type;

	e = kcalloc(n ?: 1, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	for (i = 0; i < n; i++)
		vgpu_proto_mem_entry(&e[i], 0x100000ull * (i + 1), lens[i]);
	vgpu_proto_attach_backing(&req, id, n);
	type = send_q(test, &c->q, &req, sizeof(req), e, n * sizeof(*e), NULL, 0);
	kfree(e);
	return type;
}

static void host_2d_lifecycle(struct kunit *test)
{
	static const u32 lens[] = { 4096 * 100, 4096 * 92 };
	const struct vgpu_rect full = { 0, 0, 320, 200 }, part = { 10, 20, 30, 40 };
	struct host_ctx *c = test->priv;
	struct virtio_gpu_transfer_to_host_2d t;
	struct virtio_gpu_resource_detach_backing d;
	struct virtio_gpu_resource_unref u;
	struct virtio_gpu_resource_flush f;
	struct virtio_gpu_set_scanout s;
	struct vgpu_fake_res *r;

	KUNIT_EXPECT_EQ(test, create_2d(test, 5, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 320, 200), OK);
	r = vgpu_fake_host_res(c->host, 5);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->width, 320u);
	KUNIT_EXPECT_EQ(test, attach(test, 5, lens, 2), OK);
	KUNIT_EXPECT_EQ(test, r->nr_entries, 2u);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 4096ull * 192);
	/* backing twice is an error */
	KUNIT_EXPECT_EQ(test, attach(test, 5, lens, 2), E_PARAM);

	vgpu_proto_transfer_to_host_2d(&t, 5, 0, &part);
	KUNIT_EXPECT_EQ(test, send(test, &t, sizeof(t)), OK);
	vgpu_proto_set_scanout(&s, 1, 5, &full);
	KUNIT_EXPECT_EQ(test, send(test, &s, sizeof(s)), OK);
	KUNIT_EXPECT_EQ(test, c->host->scanout_res[1], 5u);
	vgpu_proto_resource_flush(&f, 5, &part);
	KUNIT_EXPECT_EQ(test, send(test, &f, sizeof(f)), OK);
	KUNIT_EXPECT_EQ(test, r->transfers, 1u);
	KUNIT_EXPECT_EQ(test, r->flushes, 1u);

	vgpu_proto_detach_backing(&d, 5);
	KUNIT_EXPECT_EQ(test, send(test, &d, sizeof(d)), OK);
	KUNIT_EXPECT_EQ(test, r->nr_entries, 0u);
	/* no backing: nothing to transfer from */
	KUNIT_EXPECT_EQ(test, send(test, &t, sizeof(t)), E_PARAM);
	vgpu_proto_resource_unref(&u, 5);
	KUNIT_EXPECT_EQ(test, send(test, &u, sizeof(u)), OK);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(c->host, 5));
	KUNIT_EXPECT_EQ(test, c->host->scanout_res[1], 0u);
	KUNIT_EXPECT_EQ(test, send(test, &u, sizeof(u)), E_RES);
	KUNIT_EXPECT_EQ_MSG(test, c->host->protocol_errors, 0u, "%s", c->host->last_error);
}

static void host_2d_errors(struct kunit *test)
{
	const struct vgpu_rect big = { 0, 0, 65, 64 }, ok = { 0, 0, 64, 64 };
	struct host_ctx *c = test->priv;
	struct virtio_gpu_set_scanout s;

	KUNIT_EXPECT_EQ(test, create_2d(test, 0, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 64, 64), E_RES);
	KUNIT_EXPECT_EQ(test, create_2d(test, 1, 99, 64, 64), E_PARAM);
	KUNIT_EXPECT_EQ(test, create_2d(test, 1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 0, 64), E_PARAM);
	KUNIT_EXPECT_EQ(test, create_2d(test, 1, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, 64, 64), OK);
	KUNIT_EXPECT_EQ(test, create_2d(test, 1, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM, 64, 64), E_RES);
	vgpu_proto_set_scanout(&s, 2, 1, &ok);
	KUNIT_EXPECT_EQ(test, send(test, &s, sizeof(s)), E_SCAN);
	vgpu_proto_set_scanout(&s, 0, 1, &big);
	KUNIT_EXPECT_EQ(test, send(test, &s, sizeof(s)), E_PARAM);
	vgpu_proto_set_scanout(&s, 0, 77, &ok);
	KUNIT_EXPECT_EQ(test, send(test, &s, sizeof(s)), E_RES);
	/* resource 0 disables the scanout */
	vgpu_proto_set_scanout(&s, 0, 0, &ok);
	KUNIT_EXPECT_EQ(test, send(test, &s, sizeof(s)), OK);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 0u);
}

static void host_layout_violations_counted(struct kunit *test)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resource_attach_backing a;
	struct virtio_gpu_resource_unref u;
	struct virtio_gpu_mem_entry e[2];

	/* nr_entries says 3, two entries follow */
	vgpu_proto_attach_backing(&a, 1, 3);
	vgpu_proto_mem_entry(&e[0], 0x1000, 4096);
	vgpu_proto_mem_entry(&e[1], 0x2000, 4096);
	KUNIT_EXPECT_NE(test, send_q(test, &c->q, &a, sizeof(a), e, sizeof(e), NULL, 0), OK);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 1u);
	/* padding not zero */
	vgpu_proto_resource_unref(&u, 1);
	u.padding = cpu_to_le32(1);
	KUNIT_EXPECT_NE(test, send(test, &u, sizeof(u)), OK);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 2u);
	/* one byte too long */
	KUNIT_EXPECT_NE(test, send_q(test, &c->q, &u, sizeof(u), "x", 1, NULL, 0), OK);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 3u);
	/* a control command on the cursor queue */
	vgpu_proto_resource_unref(&u, 1);
	send_q(test, &c->cq, &u, sizeof(u), NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 4u);
	c->host->protocol_errors = 0;
}

static void host_contexts_and_submit(struct kunit *test)
{
	static const u8 stream[64] = { 1, 2, 3 };
	struct host_ctx *c = test->priv;
	struct virtio_gpu_ctx_create cc;
	struct virtio_gpu_ctx_destroy cd;
	struct virtio_gpu_ctx_resource cr;
	struct virtio_gpu_cmd_submit sub;
	struct vgpu_fake_ctx *x;
	struct vgpu_fake_res *r;

	vgpu_proto_ctx_create(&cc, 3, 0, "default");
	KUNIT_EXPECT_EQ(test, send(test, &cc, sizeof(cc)), OK);
	KUNIT_EXPECT_EQ(test, send(test, &cc, sizeof(cc)), E_CTX);
	vgpu_proto_ctx_create(&cc, 4, 4, "vk");	/* venus */
	KUNIT_EXPECT_EQ(test, send(test, &cc, sizeof(cc)), OK);
	x = vgpu_fake_host_ctx(c->host, 4);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->capset, 4u);
	KUNIT_EXPECT_STREQ(test, x->name, "vk");
	/* a capset the host does not have */
	vgpu_proto_ctx_create(&cc, 5, 9, "x");
	KUNIT_EXPECT_EQ(test, send(test, &cc, sizeof(cc)), E_PARAM);

	KUNIT_EXPECT_EQ(test, create_2d(test, 8, VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM, 16, 16), OK);
	vgpu_proto_ctx_resource(&cr, true, 3, 8);
	KUNIT_EXPECT_EQ(test, send(test, &cr, sizeof(cr)), OK);
	r = vgpu_fake_host_res(c->host, 8);
	KUNIT_EXPECT_NE(test, r->ctx_mask, 0u);
	vgpu_proto_ctx_resource(&cr, true, 99, 8);
	KUNIT_EXPECT_EQ(test, send(test, &cr, sizeof(cr)), E_CTX);

	vgpu_proto_submit_3d(&sub, 3, sizeof(stream));
	KUNIT_EXPECT_EQ(test, send_q(test, &c->q, &sub, sizeof(sub), stream,
				     sizeof(stream), NULL, 0), OK);
	x = vgpu_fake_host_ctx(c->host, 3);
	KUNIT_EXPECT_EQ(test, x->submits, 1u);
	KUNIT_EXPECT_EQ(test, x->submitted_bytes, 64ull);
	/* an empty submission is valid */
	vgpu_proto_submit_3d(&sub, 3, 0);
	KUNIT_EXPECT_EQ(test, send(test, &sub, sizeof(sub)), OK);

	vgpu_proto_ctx_destroy(&cd, 3);
	KUNIT_EXPECT_EQ(test, send(test, &cd, sizeof(cd)), OK);
	KUNIT_EXPECT_EQ(test, r->ctx_mask, 0u);
	KUNIT_EXPECT_EQ(test, send(test, &cd, sizeof(cd)), E_CTX);
	KUNIT_EXPECT_EQ(test, send_q(test, &c->q, &sub, sizeof(sub), NULL, 0, NULL, 0), E_CTX);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 0u);
}

static u32 create_blob(struct kunit *test, u32 id, u32 ctx, u32 mem, u32 flags,
		       u64 size, const u32 *lens, u32 n)
{
	struct host_ctx *c = test->priv;
	struct vgpu_blob_desc d = {
		.res_id = id, .ctx_id = ctx, .blob_mem = mem, .blob_flags = flags,
		.blob_id = mem == VIRTIO_GPU_BLOB_MEM_GUEST ? 0 : 42, .size = size,
		.nr_entries = n,
	};
	struct virtio_gpu_resource_create_blob req;
	struct virtio_gpu_mem_entry e[4];
	u32 i;

	for (i = 0; i < n; i++)
		vgpu_proto_mem_entry(&e[i], 0x200000ull * (i + 1), lens[i]);
	vgpu_proto_resource_create_blob(&req, &d);
	return send_q(test, &c->q, &req, sizeof(req), e, n * sizeof(e[0]), NULL, 0);
}

static u32 map_blob(struct kunit *test, u32 id, u64 off, u32 *map_info)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resource_map_blob req;
	struct virtio_gpu_resp_map_info resp = {};
	u32 type;

	vgpu_proto_resource_map_blob(&req, 1, id, off);
	type = send_q(test, &c->q, &req, sizeof(req), NULL, 0, &resp, sizeof(resp));
	if (map_info)
		*map_info = resp.map_info;
	return type;
}

static void host_blobs_and_hostmem(struct kunit *test)
{
	static const u32 two[] = { SZ_64K, SZ_64K }, short_one[] = { SZ_64K };
	const u32 map = VIRTIO_GPU_BLOB_FLAG_USE_MAPPABLE;
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resource_unmap_blob um;
	struct virtio_gpu_ctx_create cc;
	u32 info = 0;

	vgpu_proto_ctx_create(&cc, 1, 0, "blobs");
	KUNIT_ASSERT_EQ(test, send(test, &cc, sizeof(cc)), OK);

	KUNIT_EXPECT_EQ(test, create_blob(test, 10, 1, VIRTIO_GPU_BLOB_MEM_HOST3D, map,
					  SZ_256K, NULL, 0), OK);
	KUNIT_EXPECT_EQ(test, create_blob(test, 11, 1, VIRTIO_GPU_BLOB_MEM_HOST3D, map,
					  SZ_256K, NULL, 0), OK);
	/* host3d needs an existing context */
	KUNIT_EXPECT_EQ(test, create_blob(test, 12, 7, VIRTIO_GPU_BLOB_MEM_HOST3D, map,
					  SZ_64K, NULL, 0), E_CTX);
	/* sizes must be aligned; blob_mem must be known */
	KUNIT_EXPECT_EQ(test, create_blob(test, 12, 1, VIRTIO_GPU_BLOB_MEM_HOST3D, map,
					  SZ_64K + 1, NULL, 0), E_PARAM);
	KUNIT_EXPECT_EQ(test, create_blob(test, 12, 1, 4, map, SZ_64K, NULL, 0), E_PARAM);
	/* guest blobs bring exactly their size in entries */
	KUNIT_EXPECT_EQ(test, create_blob(test, 13, 0, VIRTIO_GPU_BLOB_MEM_GUEST, 0,
					  SZ_128K, two, 2), OK);
	KUNIT_EXPECT_EQ(test, create_blob(test, 14, 0, VIRTIO_GPU_BLOB_MEM_GUEST, 0,
					  SZ_128K, short_one, 1), E_PARAM);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_res(c->host, 13)->backing_bytes, (u64)SZ_128K);

	KUNIT_EXPECT_EQ(test, map_blob(test, 10, 0, &info), VIRTIO_GPU_RESP_OK_MAP_INFO);
	KUNIT_EXPECT_EQ(test, info, (u32)VIRTIO_GPU_MAP_CACHE_WC);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(c->host, 10)->mapped);
	/* overlap, unaligned, past the end of the region, twice, not mappable */
	KUNIT_EXPECT_EQ(test, map_blob(test, 11, SZ_128K, NULL), E_PARAM);
	KUNIT_EXPECT_EQ(test, map_blob(test, 11, SZ_256K + 16, NULL), E_PARAM);
	KUNIT_EXPECT_EQ(test, map_blob(test, 11, SZ_1M - SZ_128K, NULL), E_PARAM);
	KUNIT_EXPECT_EQ(test, map_blob(test, 10, SZ_512K, NULL), E_PARAM);
	KUNIT_EXPECT_EQ(test, map_blob(test, 13, SZ_512K, NULL), E_PARAM);
	KUNIT_EXPECT_EQ(test, map_blob(test, 11, SZ_256K, NULL), VIRTIO_GPU_RESP_OK_MAP_INFO);

	vgpu_proto_resource_unmap_blob(&um, 1, 10);
	KUNIT_EXPECT_EQ(test, send(test, &um, sizeof(um)), OK);
	KUNIT_EXPECT_EQ(test, send(test, &um, sizeof(um)), E_PARAM);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_res(c->host, 10)->mapped);
	vgpu_proto_resource_unmap_blob(&um, 1, 11);
	KUNIT_EXPECT_EQ(test, send(test, &um, sizeof(um)), OK);
	KUNIT_EXPECT_EQ_MSG(test, c->host->protocol_errors, 0u, "%s", c->host->last_error);
}

static void host_get_capset(struct kunit *test)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resp_capset *resp;
	struct virtio_gpu_get_capset req;
	const u32 room = sizeof(*resp) + 1376;

	resp = kunit_kzalloc(test, room, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	vgpu_proto_get_capset(&req, 2, 2);
	KUNIT_EXPECT_EQ(test, send_q(test, &c->q, &req, sizeof(req), NULL, 0, resp, room),
			VIRTIO_GPU_RESP_OK_CAPSET);
	KUNIT_EXPECT_EQ(test, resp->capset_data[0], 4);		/* id + version */
	KUNIT_EXPECT_EQ(test, resp->capset_data[1375], (u8)(4 + 1375));
	vgpu_proto_get_capset(&req, 2, 3);	/* newer than the host has */
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)), E_PARAM);
	vgpu_proto_get_capset(&req, 5, 0);	/* not offered */
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)), E_PARAM);
}

static void host_cursor_queue(struct kunit *test)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_update_cursor cur;

	vgpu_proto_update_cursor(&cur, 1, 10, 20, 7, 3, 4);
	KUNIT_EXPECT_EQ(test, send_q(test, &c->cq, &cur, sizeof(cur), NULL, 0, NULL, 0), OK);
	vgpu_proto_move_cursor(&cur, 1, 30, 40);
	KUNIT_EXPECT_EQ(test, send_q(test, &c->cq, &cur, sizeof(cur), NULL, 0, NULL, 0), OK);
	KUNIT_EXPECT_EQ(test, c->host->cursor_updates, 1u);
	KUNIT_EXPECT_EQ(test, c->host->cursor_moves, 1u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->host->cursor.resource_id), 7u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->host->cursor.hot_y), 4u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c->host->cursor.pos.x), 30u);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 0u);
}

static void host_assign_uuid(struct kunit *test)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_resp_resource_uuid resp = {};
	struct virtio_gpu_resource_assign_uuid req;

	KUNIT_ASSERT_EQ(test, create_2d(test, 0x0a0b0c0d, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
					8, 8), OK);
	vgpu_proto_assign_uuid(&req, 0x0a0b0c0d);
	KUNIT_EXPECT_EQ(test, send_q(test, &c->q, &req, sizeof(req), NULL, 0, &resp,
				     sizeof(resp)), VIRTIO_GPU_RESP_OK_RESOURCE_UUID);
	KUNIT_EXPECT_EQ(test, resp.uuid[0], 0x0d);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(c->host, 0x0a0b0c0d)->uuid);
	vgpu_proto_assign_uuid(&req, 99);
	KUNIT_EXPECT_EQ(test, send(test, &req, sizeof(req)), E_RES);
}

static void record_fence(struct vgpu_buf *buf)
{
	const struct virtio_gpu_ctrl_hdr *h = buf->resp;
	struct host_ctx *c = buf->priv;

	if (c->nfences < ARRAY_SIZE(c->fences) &&
	    le32_to_cpu(h->flags) & VIRTIO_GPU_FLAG_FENCE)
		c->fences[c->nfences++] = le64_to_cpu(h->fence_id);
}

/* Fenced commands answered later and in reverse: each answer carries its fence. */
static void host_fences_out_of_order(struct kunit *test)
{
	struct host_ctx *c = test->priv;
	struct virtio_gpu_ctx_create cc;
	struct vgpu_buf *bufs[3];
	unsigned int i;

	vgpu_proto_ctx_create(&cc, 2, 0, "f");
	KUNIT_ASSERT_EQ(test, send(test, &cc, sizeof(cc)), OK);
	c->host->q[0].hold = true;
	for (i = 0; i < 3; i++) {
		bufs[i] = vgpu_buf_alloc(sizeof(struct virtio_gpu_cmd_submit),
					 sizeof(struct virtio_gpu_ctrl_hdr), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, bufs[i]);
		vgpu_proto_submit_3d(bufs[i]->req, 2, 0);
		vgpu_proto_hdr_fence(bufs[i]->req, 100 + i, true, 1);
		bufs[i]->on_done = record_fence;
		bufs[i]->priv = c;
	}
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&c->q, bufs, 3, HZ), 0);
	KUNIT_EXPECT_EQ(test, c->nfences, 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(c->host, 0, true), 3u);
	KUNIT_ASSERT_EQ(test, c->nfences, 3u);
	KUNIT_EXPECT_EQ(test, c->fences[0], 102ull);
	KUNIT_EXPECT_EQ(test, c->fences[1], 101ull);
	KUNIT_EXPECT_EQ(test, c->fences[2], 100ull);
	for (i = 0; i < 3; i++)
		vgpu_buf_put(bufs[i]);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_ctx(c->host, 2)->submits, 3u);
	KUNIT_EXPECT_EQ(test, c->host->protocol_errors, 0u);
}

static struct kunit_case vgpu_fake_host_cases[] = {
	KUNIT_CASE(host_2d_lifecycle),
	KUNIT_CASE(host_2d_errors),
	KUNIT_CASE(host_layout_violations_counted),
	KUNIT_CASE(host_contexts_and_submit),
	KUNIT_CASE(host_blobs_and_hostmem),
	KUNIT_CASE(host_get_capset),
	KUNIT_CASE(host_cursor_queue),
	KUNIT_CASE(host_assign_uuid),
	KUNIT_CASE(host_fences_out_of_order),
	{}
};

struct kunit_suite vgpu_fake_host_suite = {
	.name = "vgpu_fake_host",
	.init = host_init,
	.exit = host_exit,
	.test_cases = vgpu_fake_host_cases,
};
