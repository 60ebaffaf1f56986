// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: contexts, parameters and capsets, driven as the ioctls drive them.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/completion.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/workqueue.h>
#include <linux/dma-buf.h>
#include <linux/uuid.h>
#include <linux/virtio_dma_buf.h>
#include <linux/virtio_config.h>

#include <drm/drm_drv.h>
#include <drm/drm_fb_helper.h>
#include <drm/drm_file.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_tests.h"
#include "vgpu_test_env.h"

static void ctx_params(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
					 BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT) |
					 BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID));
	static const int want[][2] = {
		{ VIRTGPU_PARAM_3D_FEATURES, 1 },
		{ VIRTGPU_PARAM_CAPSET_QUERY_FIX, 1 },
		{ VIRTGPU_PARAM_RESOURCE_BLOB, 0 },
		{ VIRTGPU_PARAM_HOST_VISIBLE, 0 },
		{ VIRTGPU_PARAM_CROSS_DEVICE, 1 },
		{ VIRTGPU_PARAM_CONTEXT_INIT, 1 },
		{ VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, 0x16 },
		{ VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME, 1 },
	};
	unsigned int i;
	int v;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		v = -1;
		KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, want[i][0], &v), 0);
		KUNIT_EXPECT_EQ_MSG(test, v, want[i][1], "param %d", want[i][0]);
	}
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, 0, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, 9, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, 1ULL << 40, &v), -EINVAL);
	vtest_unbind_and_check(test);
}

static void ctx_capsets_cached(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	u8 *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	unsigned int j;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* The whole capset, as the host filled it. */
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 2, 2, buf, 1024), 700);
	for (j = 0; j < 700; j++)
		if (buf[j] != (u8)(2 + 2 + j))
			break;
	KUNIT_EXPECT_EQ(test, j, 700u);
	/* Again, shorter: from the cache, no second query. */
	memset(buf, 0, 1024);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 2, 2, buf, 10), 10);
	KUNIT_EXPECT_EQ(test, buf[9], (u8)(2 + 2 + 9));
	KUNIT_EXPECT_EQ(test, buf[10], 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET), 1u);
	/* Another version is another query; nothing asked, nothing copied. */
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 2, 1, buf, 0), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET), 2u);
	/* What the host lacks fails, so userspace can fall back. */
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 2, 3, buf, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 5, 0, buf, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 0, 0, buf, 16), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET), 2u);
	vtest_unbind_and_check(test);
}

static void ctx_capset_host_error(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_CAPSET, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, .count = 1,
	};
	u8 buf[16];

	vgpu_fake_host_add_rule(host, &rule);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 1, 1, buf, 16), -ENOMEM);
	/* Not cached: the next read asks again and succeeds. */
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 1, 1, buf, 16), 16);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET), 2u);
	vtest_unbind_and_check(test);
}

static void ctx_lazy_default(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true, .capset_id = 1 };
	struct vgpu_file *a = vtest_new_file(test), *b = vtest_new_file(test);
	struct vgpu_fake_ctx *x;
	u32 ida, idb, again;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, a, &ida), 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, a, &again), 0);
	KUNIT_EXPECT_EQ(test, ida, again);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, b, &idb), 0);
	KUNIT_EXPECT_NE(test, ida, idb);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_CREATE), 2u);
	x = vgpu_fake_host_ctx(host, ida);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->capset, 0u);
	KUNIT_EXPECT_STREQ(test, x->name, current->comm);
	/* Without the feature, CONTEXT_INIT is refused. */
	KUNIT_EXPECT_EQ(test, vgpu_ctx_init(vg, b, &p), -EINVAL);
	/* Closing destroys; the id is reused. */
	vgpu_ctx_fini(vg, a);
	KUNIT_EXPECT_EQ(test, a->ctx_id, 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_DESTROY), 1u);
	/* The host answered at the notification; its interrupt frees the id. */
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_ctx(host, ida));
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, a, &again), 0);
	KUNIT_EXPECT_EQ(test, again, ida);
	vgpu_ctx_fini(vg, a);
	vgpu_ctx_fini(vg, b);
	vgpu_ctx_fini(vg, b);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_DESTROY), 3u);
	vtest_unbind_and_check(test);
}

static void ctx_init_venus(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = {
		.has_capset = true, .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
		.num_rings = 64, .poll_rings_mask = 0, .debug_name = "vk-app",
	};
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_fake_ctx *x;
	u32 id;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, f, &p), 0);
	x = vgpu_fake_host_ctx(host, f->ctx_id);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->capset, (u32)VIRTGPU_DRM_CAPSET_VENUS);
	KUNIT_EXPECT_STREQ(test, x->name, "vk-app");
	KUNIT_EXPECT_EQ(test, f->num_rings, 64u);
	/* Once per file; later use finds it. */
	KUNIT_EXPECT_EQ(test, vgpu_ctx_init(vg, f, &p), -EEXIST);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &id), 0);
	KUNIT_EXPECT_EQ(test, id, f->ctx_id);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_CREATE), 1u);
	vgpu_ctx_fini(vg, f);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
}

static void ctx_init_refusals(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	static const struct vgpu_ctx_params bad[] = {
		{ .has_capset = true, .capset_id = VIRTGPU_DRM_CAPSET_DRM },
		{ .has_capset = true, .capset_id = 0 },
		{ .num_rings = 65 },
		{ .num_rings = (1ULL << 32) + 1 },
		{ .has_capset = true, .capset_id = 64 },
		{ .has_capset = true, .capset_id = (1ULL << 32) + VIRTGPU_DRM_CAPSET_VENUS },
		{ .num_rings = 2, .poll_rings_mask = 0x4 },
		{ .poll_rings_mask = 0x2 },
	};
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_CTX_CREATE, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct vgpu_ctx_params ok = { .num_rings = 64, .poll_rings_mask = ~0ULL };
	struct vgpu_file *f = vtest_new_file(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, vgpu_ctx_init(vg, f, &bad[i]), -EINVAL,
				    "case %u", i);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_CREATE), 0u);
	/* The host refuses: an error, no context, and a later try works. */
	vgpu_fake_host_add_rule(host, &rule);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_init(vg, f, &ok), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->ctx_id, 0u);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_init(vg, f, &ok), 0);
	KUNIT_EXPECT_NE(test, f->ctx_id, 0u);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

static void ctx_no_3d(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_device *vg;
	u8 buf[4];
	u32 id;
	int v;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &id), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 1, 0, buf, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_3D_FEATURES, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	vgpu_ctx_fini(vg, f);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_CREATE), 0u);
	vtest_unbind_and_check(test);
}

static struct kunit_case vgpu_context_cases[] = {
	KUNIT_CASE(ctx_params),
	KUNIT_CASE(ctx_capsets_cached),
	KUNIT_CASE(ctx_capset_host_error),
	KUNIT_CASE(ctx_lazy_default),
	KUNIT_CASE(ctx_init_venus),
	KUNIT_CASE(ctx_init_refusals),
	KUNIT_CASE(ctx_no_3d),
	{}
};

struct kunit_suite vgpu_context_suite = {
	.name = "vgpu_context",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_context_cases,
};

/* Fences: submissions answered in order, out of order, lost, refused. */
