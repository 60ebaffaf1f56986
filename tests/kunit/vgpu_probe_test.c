// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: vgpu probing the fake host through the virtio bus. Each case
 * configures the host, registers it (the real driver probes), checks what
 * the driver learned and what the host saw, then unregisters it (the
 * driver removes) and checks that the device was reset, no command buffer
 * is left and no command broke the protocol.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/completion.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
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
#include "vgpu_drv.h"
#include "vgpu_fake_host.h"

#define ALL_FEATURES (BIT_ULL(VIRTIO_GPU_F_VIRGL) | BIT_ULL(VIRTIO_GPU_F_EDID) | \
		      BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID) | \
		      BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB) | \
		      BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT))
#define F_BLOB_ALIGNMENT 5
/* A feature bit no virtio-gpu specification defines. */
#define F_UNKNOWN 23

struct probe_ctx {
	struct vgpu_fake_host *host;
	int live_before;
	unsigned int timeout_before;
	unsigned int hang_before;
};

static int probe_init(struct kunit *test)
{
	struct probe_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->live_before = vgpu_buf_live_count();
	ctx->timeout_before = vgpu_cmd_timeout_ms;
	ctx->hang_before = vgpu_hang_timeout_ms;
	test->priv = ctx;
	return 0;
}

static void probe_exit(struct kunit *test)
{
	struct probe_ctx *ctx = test->priv;

	vgpu_fake_host_destroy(ctx->host);
	vgpu_cmd_timeout_ms = ctx->timeout_before;
	vgpu_hang_timeout_ms = ctx->hang_before;
}

static struct vgpu_fake_host *new_host(struct kunit *test, u64 features,
				       unsigned int scanouts)
{
	struct probe_ctx *ctx = test->priv;

	ctx->host = vgpu_fake_host_create(features);
	KUNIT_ASSERT_NOT_NULL(test, ctx->host);
	vgpu_fake_host_default_display(ctx->host, scanouts);
	return ctx->host;
}

/* Register; return the driver's device state, or NULL if it did not bind. */
static struct vgpu_device *bind(struct kunit *test)
{
	struct probe_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ_MSG(test, vgpu_fake_host_register(ctx->host), 0, "%s",
			    ctx->host->last_error);
	if (!ctx->host->vdev.dev.driver)
		return NULL;
	return ctx->host->vdev.priv;
}

static void unbind_and_check(struct kunit *test)
{
	struct probe_ctx *ctx = test->priv;
	struct vgpu_fake_host *host = ctx->host;
	unsigned int resets = host->resets;
	bool bound = host->vdev.dev.driver;

	vgpu_fake_host_unregister(host);
	/* the driver's remove resets the device (a failed probe already did) */
	if (bound)
		KUNIT_EXPECT_GT(test, host->resets, resets);
	KUNIT_EXPECT_EQ_MSG(test, host->protocol_errors, 0u, "%s", host->last_error);
	KUNIT_EXPECT_EQ_MSG(test, vgpu_buf_live_count(), ctx->live_before,
			    "command buffers leaked");
}

static void probe_features(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, ALL_FEATURES |
					       BIT_ULL(F_BLOB_ALIGNMENT) |
					       BIT_ULL(F_UNKNOWN), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_TRUE(test, vg->features.virgl);
	KUNIT_EXPECT_TRUE(test, vg->features.edid);
	KUNIT_EXPECT_TRUE(test, vg->features.resource_uuid);
	KUNIT_EXPECT_TRUE(test, vg->features.resource_blob);
	KUNIT_EXPECT_TRUE(test, vg->features.context_init);
	/* what was offered is recorded, what the driver does not know is not taken */
	KUNIT_EXPECT_TRUE(test, vg->features.offered & BIT_ULL(F_UNKNOWN));
	KUNIT_EXPECT_FALSE(test, host->negotiated & BIT_ULL(F_UNKNOWN));
	KUNIT_EXPECT_TRUE(test, host->negotiated & BIT_ULL(F_BLOB_ALIGNMENT));
	KUNIT_EXPECT_TRUE(test, vg->features.blob_alignment);
	KUNIT_EXPECT_EQ(test, vg->hostmem.blob_align, (u32)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, host->negotiated & ALL_FEATURES, ALL_FEATURES);
	KUNIT_EXPECT_TRUE(test, host->negotiated & BIT_ULL(VIRTIO_F_VERSION_1));
	KUNIT_EXPECT_TRUE(test, host->status & VIRTIO_CONFIG_S_DRIVER_OK);
	unbind_and_check(test);
}

static void probe_no_features(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_FALSE(test, vg->features.virgl);
	KUNIT_EXPECT_FALSE(test, vg->features.edid);
	KUNIT_EXPECT_FALSE(test, vg->features.context_init);
	/* no EDID or capset queries without their features */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_DISPLAY_INFO), 1u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 0u);
	unbind_and_check(test);
}

static void probe_display_and_edid(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 4);
	struct vgpu_device *vg;

	host->pmodes[1].enabled = cpu_to_le32(1);
	host->pmodes[1].r.width = cpu_to_le32(1920);
	host->pmodes[1].r.height = cpu_to_le32(1080);
	/* QEMU style: the whole buffer as the size, one extension block */
	host->edid_size[1] = 1024;
	host->edid[1][126] = 1;
	host->edid[1][200] = 0x42;
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 4u);
	KUNIT_EXPECT_TRUE(test, vg->display.scanouts[0].info.enabled);
	KUNIT_EXPECT_TRUE(test, vg->display.scanouts[1].info.enabled);
	KUNIT_EXPECT_FALSE(test, vg->display.scanouts[2].info.enabled);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].info.width, 1920u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].info.height, 1080u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].info.x, 1024u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[0].edid_len, 128u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].edid_len, 256u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].edid[200], 0x42);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 4u);
	/* display info, then all four EDIDs in one notification */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_query_notifies(host), 2u);
	unbind_and_check(test);
}

static void probe_edid_error_leaves_none(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_EDID, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_UNSPEC, .count = 1,
	};
	struct vgpu_device *vg;

	vgpu_fake_host_add_rule(host, &rule);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[0].edid_len, 0u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].edid_len, 128u);
	unbind_and_check(test);
}

/* Answers carrying fence ids nobody asked for (and the same one four
 * times) are still just answers.
 */
static void probe_unknown_and_duplicate_fence_ids(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 4);
	struct vgpu_fake_rule rule = {
		.fault = VGPU_FAKE_FENCE_ID, .fence_id = 0xdeadbeef, .count = -1,
	};
	struct vgpu_device *vg;

	vgpu_fake_host_add_rule(host, &rule);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 4u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[3].edid_len, 128u);
	unbind_and_check(test);
}

static void probe_capsets(struct kunit *test)
{
	static const u32 ids[] = { 1, 2, 4, 5, 6 };
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
					       BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT), 1);
	struct vgpu_device *vg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		vgpu_fake_host_add_capset(host, ids[i], i, 100 + i);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vg->ctx.num_capsets, 5u);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		KUNIT_EXPECT_EQ(test, vg->ctx.capsets[i].id, ids[i]);
		KUNIT_EXPECT_EQ(test, vg->ctx.capsets[i].max_version, i);
		KUNIT_EXPECT_EQ(test, vg->ctx.capsets[i].max_size, 100 + i);
	}
	/* display info, then five capset queries in one notification */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 5u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_query_notifies(host), 2u);
	unbind_and_check(test);
}

static void probe_bad_capsets_dropped(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 0, 1, 100);		/* id 0 */
	vgpu_fake_host_add_capset(host, 1, 1, 308);		/* kept */
	vgpu_fake_host_add_capset(host, 64, 1, 100);		/* id too big */
	vgpu_fake_host_add_capset(host, 1, 2, 400);		/* duplicate id */
	vgpu_fake_host_add_capset(host, 2, 2, 0);		/* size 0 */
	vgpu_fake_host_add_capset(host, 3, 1, 1 << 20);	/* size too big */
	vgpu_fake_host_add_capset(host, 4, 0, 160);		/* kept */
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vg->ctx.num_capsets, 2u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[0].id, 1u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[0].max_size, 308u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[1].id, 4u);
	unbind_and_check(test);
}

static void probe_capset_count_clamped(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vgpu_fake_host_add_capset(host, 2, 2, 1376);
	host->num_capsets = 1000;	/* config space lies about the count */
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	/* asked for 64 at most; the host refused the indexes it lacks */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 64u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 2u);
	unbind_and_check(test);
}

static void probe_scanouts_clamped(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 16);
	struct vgpu_device *vg;

	host->num_scanouts = 20;
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 16u);
	unbind_and_check(test);
}

static void probe_zero_scanouts_render_only(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
					       BIT_ULL(VIRTIO_GPU_F_EDID), 0);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 2, 2, 1376);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 0u);
	KUNIT_EXPECT_NULL(test, vg->display.scanouts);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_DISPLAY_INFO), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 0u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 1u);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->render);
	unbind_and_check(test);
}

static void expect_probe_fails(struct kunit *test)
{
	struct probe_ctx *ctx = test->priv;

	KUNIT_EXPECT_NULL(test, bind(test));
	KUNIT_EXPECT_NULL(test, ctx->host->vdev.dev.driver);
	/* the failed probe reset the device and gave back every buffer */
	KUNIT_EXPECT_GE(test, ctx->host->resets, 2u);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), ctx->live_before);
	unbind_and_check(test);
}

static void probe_display_info_error_fails(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, .count = 1,
	};

	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
}

static void probe_silent_device_times_out(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_fake_rule rule = { .fault = VGPU_FAKE_DROP, .count = -1 };
	unsigned long start = jiffies;

	vgpu_cmd_timeout_ms = 100;
	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
	KUNIT_EXPECT_LT(test, jiffies - start, 2ul * HZ);
}

static void probe_capset_timeout_fails(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_CAPSET_INFO, .fault = VGPU_FAKE_DROP,
		.count = 1,
	};

	vgpu_cmd_timeout_ms = 100;
	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vgpu_fake_host_add_capset(host, 2, 2, 1376);
	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
}

static void probe_truncated_display_info_fails(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .fault = VGPU_FAKE_TRUNCATE,
		.len = 100, .count = 1,
	};

	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
}

static void probe_display_event(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_device *vg;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_FALSE(test, vg->display.scanouts[1].info.enabled);
	host->pmodes[1].enabled = cpu_to_le32(1);
	vgpu_fake_host_raise_event(host, VIRTIO_GPU_EVENT_DISPLAY);
	flush_work(&vg->display.config_work);
	KUNIT_EXPECT_EQ(test, vg->display.events, 1u);
	KUNIT_EXPECT_TRUE(test, vg->display.scanouts[1].info.enabled);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_DISPLAY_INFO), 2u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 4u);
	KUNIT_EXPECT_EQ(test, host->events_cleared, (u32)VIRTIO_GPU_EVENT_DISPLAY);
	KUNIT_EXPECT_EQ(test, host->events_read, 0u);
	/* Head 1 came on: one hotplug uevent. */
	KUNIT_EXPECT_EQ(test, vg->display.hotplug_events, 1u);
	/* The same state again: an event, but no uevent. */
	vgpu_fake_host_raise_event(host, VIRTIO_GPU_EVENT_DISPLAY);
	flush_work(&vg->display.config_work);
	KUNIT_EXPECT_EQ(test, vg->display.events, 2u);
	KUNIT_EXPECT_EQ(test, vg->display.hotplug_events, 1u);
	/* A new size is a change. */
	host->pmodes[0].r.width = cpu_to_le32(800);
	vgpu_fake_host_raise_event(host, VIRTIO_GPU_EVENT_DISPLAY);
	flush_work(&vg->display.config_work);
	KUNIT_EXPECT_EQ(test, vg->display.hotplug_events, 2u);
	unbind_and_check(test);
}

/*
 * The console's buffer reaches head 0: a 2D resource in XRGB8888
 * (B8G8R8X8) with its pages attached, shown on scanout 0, transferred and
 * flushed, and every command answered without error. (Without fbcon the
 * console is only shown when restored, as on a switch back to it.)
 */
static void probe_console_on_head0(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_fake_res *res;
	struct vgpu_device *vg;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_NOT_NULL(test, vg->display.outputs);
	KUNIT_ASSERT_NOT_NULL(test, vg->drm->fb_helper);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	KUNIT_EXPECT_GE(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D), 1u);
	KUNIT_EXPECT_GE(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_SET_SCANOUT), 1u);
	KUNIT_ASSERT_NE(test, host->scanout_res[0], 0u);
	KUNIT_EXPECT_EQ(test, host->scanout_res[1], 0u);
	res = vgpu_fake_host_res(host, host->scanout_res[0]);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, res->format, (u32)VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM);
	KUNIT_EXPECT_GE(test, res->width, 1024u);
	KUNIT_EXPECT_GE(test, res->height, 768u);
	KUNIT_EXPECT_GE(test, res->backing_bytes, (u64)res->width * res->height * 4);
	KUNIT_EXPECT_GE(test, res->transfers, 1u);
	KUNIT_EXPECT_GE(test, res->flushes, 1u);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), 1);
	unbind_and_check(test);
}

static void probe_event_pending_at_probe(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_device *vg;

	host->events_read = VIRTIO_GPU_EVENT_DISPLAY;
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.events_at_probe, (u32)VIRTIO_GPU_EVENT_DISPLAY);
	KUNIT_EXPECT_EQ(test, host->events_cleared, (u32)VIRTIO_GPU_EVENT_DISPLAY);
	unbind_and_check(test);
}

static void probe_drm_device(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_device *vg;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_STREQ(test, vg->drm->driver->name, "virtio_gpu");
	KUNIT_EXPECT_EQ(test, vg->drm->driver->major, 0);
	KUNIT_EXPECT_GE(test, vg->drm->driver->minor, 1);
	/* parented on the transport's device, as the PCI function in a guest */
	KUNIT_EXPECT_PTR_EQ(test, vg->drm->dev, host->vdev.dev.parent);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->primary);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->render);
	unbind_and_check(test);
}

/* Contexts, parameters and capsets, driven as the ioctls drive them. */

static struct vgpu_file *new_file(struct kunit *test)
{
	struct vgpu_file *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	vgpu_file_init(f);
	return f;
}

static struct vgpu_device *bind_3d(struct kunit *test, u64 features)
{
	struct vgpu_fake_host *host = new_host(test, features, 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL, 1, 308);
	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VENUS, 0, 160);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	return vg;
}

static void ctx_params(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
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
	unbind_and_check(test);
}

static void ctx_capsets_cached(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
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
	unbind_and_check(test);
}

static void ctx_capset_host_error(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
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
	unbind_and_check(test);
}

static void ctx_lazy_default(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true, .capset_id = 1 };
	struct vgpu_file *a = new_file(test), *b = new_file(test);
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
	unbind_and_check(test);
}

static void ctx_init_venus(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = {
		.has_capset = true, .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
		.num_rings = 64, .poll_rings_mask = 0, .debug_name = "vk-app",
	};
	struct vgpu_file *f = new_file(test);
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
	unbind_and_check(test);
}

static void ctx_init_refusals(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
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
	struct vgpu_file *f = new_file(test);
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
	unbind_and_check(test);
}

static void ctx_no_3d(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_file *f = new_file(test);
	struct vgpu_device *vg;
	u8 buf[4];
	u32 id;
	int v;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &id), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_capset_read(vg, 1, 0, buf, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_3D_FEATURES, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 0);
	vgpu_ctx_fini(vg, f);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_CREATE), 0u);
	unbind_and_check(test);
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
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_context_cases,
};

/* Fences: submissions answered in order, out of order, lost, refused. */

static struct dma_fence *submit_ok(struct kunit *test, struct vgpu_device *vg,
				   struct vgpu_file *f, u32 ring, bool use_ring)
{
	struct dma_fence *out = NULL;
	static const u32 cmds[4] = { 1, 2, 3, 4 };

	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, cmds, sizeof(cmds), use_ring,
					  ring, NULL, &out), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	return out;
}

static void fence_in_order(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct dma_fence *fs[3];
	struct vgpu_file *f = new_file(test);
	struct vgpu_fake_ctx *x;
	unsigned int i;
	u32 id;

	/* The context first: its creation waits for an answer. */
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &id), 0);
	host->q[0].hold = true;
	for (i = 0; i < 3; i++)
		fs[i] = submit_ok(test, vg, f, 0, false);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(fs[i]));
		KUNIT_EXPECT_EQ(test, fs[i]->seqno, (u64)i + 1);
		KUNIT_EXPECT_EQ(test, fs[i]->context, fs[0]->context);
	}
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 3u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 3u);
	flush_work(&host->q[0].irq);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fs[i]));
		KUNIT_EXPECT_EQ(test, fs[i]->error, 0);
		dma_fence_put(fs[i]);
	}
	x = vgpu_fake_host_ctx(host, f->ctx_id);
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_EXPECT_EQ(test, x->submits, 3u);
	KUNIT_EXPECT_EQ(test, x->submitted_bytes, 48ull);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	host->q[0].hold = false;
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

/* A lost answer does not wedge the timeline; a refusal is an error. */
static void fence_lost_and_refused(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_fake_rule refuse = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct dma_fence *lost, *next, *bad;
	struct vgpu_file *f = new_file(test);

	vgpu_fake_host_add_rule(host, &drop);
	lost = submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(lost));
	next = submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(next));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(lost));
	KUNIT_EXPECT_EQ(test, lost->error, 0);
	vgpu_fake_host_add_rule(host, &refuse);
	bad = submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(bad));
	KUNIT_EXPECT_EQ(test, bad->error, -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	dma_fence_put(lost);
	dma_fence_put(next);
	dma_fence_put(bad);
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

/* Rings are timelines of their own. */
static void fence_rings(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true,
				     .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
				     .num_rings = 2 };
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct dma_fence *r0, *r1, *r0b, *out = NULL;
	struct vgpu_file *f = new_file(test);

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, f, &p), 0);
	vgpu_fake_host_add_rule(host, &drop);
	r0 = submit_ok(test, vg, f, 0, true);
	r1 = submit_ok(test, vg, f, 1, true);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_NE(test, r0->context, r1->context);
	KUNIT_EXPECT_EQ(test, r1->seqno, 1ull);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(r1));
	/* Ring 1's answer says nothing of ring 0. */
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(r0));
	r0b = submit_ok(test, vg, f, 0, true);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(r0));
	KUNIT_EXPECT_EQ(test, r0b->seqno, 2ull);
	/* A ring the context does not have. */
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, 0, true, 2, NULL, &out),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, out);
	/* Zero-size submissions are fences; oversize ones are refused. */
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, 0, true, 1, NULL, &out), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(out));
	dma_fence_put(out);
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, VGPU_EXECBUF_MAX + 1,
					  false, 0, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	dma_fence_put(r0);
	dma_fence_put(r1);
	dma_fence_put(r0b);
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

/* In fences are waited for, boundedly; a device that goes fails fences. */
static void fence_in_fence_and_unplug(struct kunit *test)
{
	struct vgpu_device *vg;
	struct vgpu_fake_host *host;
	struct dma_fence *stub = dma_fence_get_stub(), *out = NULL, *held;
	struct dma_fence *never;
	struct vgpu_file *f = new_file(test);

	vgpu_cmd_timeout_ms = 300;
	vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct probe_ctx *)test->priv)->host;
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, 0, false, 0, stub, &out), 0);
	dma_fence_put(stub);
	KUNIT_ASSERT_NOT_NULL(test, out);
	never = &vgpu_fence_alloc(vg, dma_fence_context_alloc(1), 1)->base;
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, 0, false, 0, never, NULL),
			-ETIMEDOUT);
	dma_fence_signal(never);
	dma_fence_put(never);
	host->q[0].hold = true;
	held = submit_ok(test, vg, f, 0, false);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(held));
	unbind_and_check(test);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(held));
	KUNIT_EXPECT_EQ(test, held->error, -ENODEV);
	dma_fence_put(held);
	dma_fence_put(out);
}

static struct kunit_case vgpu_fence_cases[] = {
	KUNIT_CASE(fence_in_order),
	KUNIT_CASE(fence_lost_and_refused),
	KUNIT_CASE(fence_rings),
	KUNIT_CASE(fence_in_fence_and_unplug),
	{}
};

struct kunit_suite vgpu_fence_suite = {
	.name = "vgpu_fence",
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_fence_cases,
};

/* Resources of their own, transfers, jobs on buffers and fence events. */

static struct vgpu_bo *new_bo(struct kunit *test, struct vgpu_device *vg,
			      size_t size)
{
	struct drm_gem_shmem_object *shmem = drm_gem_shmem_create(vg->drm, size);

	KUNIT_ASSERT_FALSE(test, IS_ERR(shmem));
	return to_vgpu_bo(&shmem->base);
}

/* Wait until released resources are gone: unref sent, answered, freed. */
static void settle(struct vgpu_device *vg, struct vgpu_fake_host *host)
{
	flush_workqueue(vg->res.wq);
	flush_work(&host->q[0].irq);
	flush_workqueue(vg->res.wq);
}

/* Drop a buffer and wait until the host has let its resource go. */
static void put_bo_settled(struct vgpu_device *vg, struct vgpu_fake_host *host,
			   struct vgpu_bo *bo)
{
	drm_gem_object_put(&bo->base.base);
	settle(vg, host);
}

static const struct vgpu_res3d_desc tex64x32 = {
	.target = 2, .format = 1, .bind = 0x2, .width = 64, .height = 32,
	.depth = 1, .array_size = 1,
};

static void res_3d_lifecycle(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_file *f = new_file(test);
	struct vgpu_transfer_desc t = {
		.x = 8, .y = 4, .w = 16, .h = 8, .d = 1, .offset = 4 * 256 + 32,
	};
	struct vgpu_bo *bo = new_bo(test, vg, 64 * 32 * 4);
	struct drm_gem_object *obj = &bo->base.base;
	int live = atomic_read(&vg->res.live);	/* the console's */
	struct vgpu_fake_res *r;
	u32 ctx, id;

	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &tex64x32, VGPU_HRES_3D), 0);
	id = bo->res->id;
	vgpu_vq_kick(&vg->ctrlq);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, r->is_3d);
	KUNIT_EXPECT_EQ(test, r->target, 2u);
	KUNIT_EXPECT_EQ(test, r->bind, 2u);
	KUNIT_EXPECT_EQ(test, r->width, 64u);
	KUNIT_EXPECT_EQ(test, r->height, 32u);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	/* What opening a handle does (the ioctl kicks). */
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	vgpu_ctx_resource(vg, ctx, id, true);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE),
			0u);
	vgpu_vq_kick(&vg->ctrlq);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE),
			1u);

	/* A transfer is a fence on the buffer until the host answers. */
	host->q[0].hold = true;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), 0);
	KUNIT_EXPECT_FALSE(test, dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ));
	KUNIT_EXPECT_EQ(test, vgpu_gem_wait(vg, obj, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 1u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_EQ(test, vgpu_gem_wait(vg, obj, true), 0);
	KUNIT_EXPECT_EQ(test, vgpu_gem_wait(vg, obj, false), 0);
	KUNIT_EXPECT_EQ(test, r->transfers, 1u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->last_box.x), 8u);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->last_box.w), 16u);
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, false, &t), 0);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, r->reads, 1u);
	/* Refused before the host sees them. */
	t.x = 60;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), -EINVAL);
	t.x = 0;
	t.level = 1;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), -EINVAL);
	t.level = 0;
	t.offset = 64 * 32 * 4;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D),
			1u);
	/* Closing the handle detaches; the last reference unrefs. */
	vgpu_ctx_resource(vg, ctx, id, false);
	put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

/* Without 3D: 2D resources, transfers to the host only. */
static void res_2d_without_virgl(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, 0);
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_res3d_desc d = { .format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
				     .width = 32, .height = 16, .depth = 1,
				     .array_size = 1 };
	struct vgpu_transfer_desc t = { .w = 32, .h = 16, .d = 1 };
	struct vgpu_file *f = new_file(test);
	struct vgpu_bo *bo = new_bo(test, vg, 32 * 16 * 4);
	int live = atomic_read(&vg->res.live);	/* the console's */
	struct vgpu_fake_res *r;
	u32 id;

	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &d, VGPU_HRES_2D), 0);
	id = bo->res->id;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), 0);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_FALSE(test, r->is_3d);
	KUNIT_EXPECT_EQ(test, r->transfers, 1u);
	KUNIT_EXPECT_EQ(test, vgpu_gem_wait(vg, &bo->base.base, false), 0);
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, false, &t), -ENODEV);
	t.h = 17;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->ctx_id, 0u);
	put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* A create the host refuses is counted, and the buffer still goes. */
static void res_create_refused(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_fake_rule refuse = {
		.type = VIRTIO_GPU_CMD_RESOURCE_CREATE_3D, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct vgpu_bo *bo = new_bo(test, vg, PAGE_SIZE);
	int live = atomic_read(&vg->res.live);	/* the console's */

	vgpu_fake_host_add_rule(host, &refuse);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &tex64x32, VGPU_HRES_3D), 0);
	vgpu_vq_kick(&vg->ctrlq);
	flush_work(&host->q[0].irq);
	/* The create and the backing for a resource the host does not have. */
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 2);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, bo->res->id));
	put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	unbind_and_check(test);
}

/*
 * A job's fence goes on each of its buffers; an in fence of the job's own
 * ring is not waited for (the ring is ordered), so a held ring does not
 * block the next job.
 */
static void job_buffers_and_own_ring(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_file *f = new_file(test);
	struct drm_gem_object *objs[2];
	struct dma_fence *first;
	struct vgpu_job job = {};
	unsigned long t0;
	void *data;
	u32 ctx;

	objs[0] = &new_bo(test, vg, PAGE_SIZE)->base.base;
	objs[1] = &new_bo(test, vg, PAGE_SIZE)->base.base;
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	host->q[0].hold = true;
	job.buf = vgpu_cmd_submit_alloc(ctx, 16, &data);
	KUNIT_ASSERT_NOT_NULL(test, job.buf);
	memset(data, 0, 16);
	job.objs = objs;
	job.num_objs = 2;
	job.usage = DMA_RESV_USAGE_WRITE;
	KUNIT_ASSERT_EQ(test, vgpu_job_run(vg, f, &job), 0);
	first = job.out;
	KUNIT_EXPECT_FALSE(test, dma_resv_test_signaled(objs[0]->resv, DMA_RESV_USAGE_WRITE));
	KUNIT_EXPECT_FALSE(test, dma_resv_test_signaled(objs[1]->resv, DMA_RESV_USAGE_WRITE));
	job = (struct vgpu_job){ .in_fences = &first, .num_in = 1 };
	job.buf = vgpu_cmd_submit_alloc(ctx, 0, &data);
	t0 = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_job_run(vg, f, &job), 0);
	KUNIT_EXPECT_LT(test, jiffies - t0, vg->cmd_timeout / 2);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 2u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(first));
	KUNIT_EXPECT_TRUE(test, dma_resv_test_signaled(objs[0]->resv, DMA_RESV_USAGE_READ));
	KUNIT_EXPECT_TRUE(test, dma_resv_test_signaled(objs[1]->resv, DMA_RESV_USAGE_READ));
	dma_fence_put(first);
	dma_fence_put(job.out);
	drm_gem_object_put(objs[0]);
	drm_gem_object_put(objs[1]);
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

/*
 * Open @drm's render node as a process would. A KUnit case runs in a
 * kernel thread, whose root may hold nothing (7.x gives kernel threads an
 * empty file system): the node is looked up in a private mount of
 * devtmpfs instead of through "/dev".
 */
static struct file *open_render_node(struct drm_device *drm)
{
	struct file_system_type *type = get_fs_type("devtmpfs");
	struct vfsmount *mnt;
	struct file *filp;
	char path[32];

	if (!type)
		return ERR_PTR(-ENODEV);
	mnt = vfs_kern_mount(type, 0, "devtmpfs", NULL);
	module_put(type->owner);
	if (IS_ERR(mnt))
		return ERR_CAST(mnt);
	snprintf(path, sizeof(path), "dri/renderD%d", drm->render->index);
	/* the open file holds the mount while it lives */
	filp = file_open_root_mnt(mnt, path, O_RDWR, 0);
	mntput(mnt);
	return filp;
}

/* A polled ring's fence sends FENCE_SIGNALED to the file, once. */
static void fence_event_polled_ring(struct kunit *test)
{
	struct vgpu_device *vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true,
				     .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
				     .num_rings = 2, .poll_rings_mask = 0x2 };
	struct drm_pending_event *e;
	struct vgpu_job job = {};
	struct drm_file *df;
	struct file *filp;
	void *data;

	/* A real open of the render node: events need a DRM file. */
	filp = open_render_node(vg->drm);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(filp), "open the render node: %ld",
			       PTR_ERR(filp));
	df = filp->private_data;
	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, to_vgpu_file(df), &p), 0);
	job.event = vgpu_fence_event_create(vg->drm, df);
	KUNIT_ASSERT_FALSE(test, IS_ERR(job.event));
	job.buf = vgpu_cmd_submit_alloc(to_vgpu_file(df)->ctx_id, 0, &data);
	job.use_ring = true;
	job.ring_idx = 1;
	host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_job_run(vg, to_vgpu_file(df), &job), 0);
	KUNIT_EXPECT_NULL(test, job.event);
	KUNIT_EXPECT_TRUE(test, list_empty(&df->event_list));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 1u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(job.out));
	KUNIT_ASSERT_FALSE(test, list_empty(&df->event_list));
	e = list_first_entry(&df->event_list, struct drm_pending_event, link);
	KUNIT_EXPECT_EQ(test, e->event->type, (u32)VIRTGPU_EVENT_FENCE_SIGNALED);
	KUNIT_EXPECT_EQ(test, e->event->length, (u32)sizeof(struct drm_event));
	KUNIT_EXPECT_TRUE(test, list_is_singular(&df->event_list));
	KUNIT_EXPECT_EQ(test, atomic64_read(&vg->fences.events), 1ll);
	/* An event never armed goes back. */
	job.event = vgpu_fence_event_create(vg->drm, df);
	KUNIT_ASSERT_FALSE(test, IS_ERR(job.event));
	vgpu_fence_event_cancel(job.event);
	dma_fence_put(job.out);
	/* Closes the file: its context and its unread event go. */
	__fput_sync(filp);
	flush_work(&host->q[0].irq);
	unbind_and_check(test);
}

/*
 * Blobs, the host-visible region and PRIME, through the ioctl's entry
 * point on a real DRM file of the render node.
 */

#define BLOB_FEATURES (BIT_ULL(VIRTIO_GPU_F_VIRGL) | \
		       BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB) | \
		       BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT) | \
		       BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID))

struct blob_env {
	struct vgpu_device *vg;
	struct vgpu_fake_host *host;
	struct file *filp;
	struct drm_file *df;
};

static void blob_env_exit(struct kunit_resource *res)
{
	struct blob_env *env = res->data;

	/* After a failed assertion: not a kernel thread here, so deferred. */
	if (env->filp)
		fput(env->filp);
}

/* Bind a host with @features, a host-visible region of @hostmem bytes. */
static struct blob_env *blob_bind(struct kunit *test, u64 features,
				  u64 hostmem, u32 align)
{
	struct probe_ctx *ctx = test->priv;
	struct blob_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->host = new_host(test, features, 1);
	env->host->hostmem_size = hostmem;
	/* 64 submissions held at once, two descriptors each */
	env->host->ring_num = 256;
	if (align)
		env->host->align = align;
	vgpu_fake_host_add_capset(env->host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vgpu_fake_host_add_capset(env->host, VIRTGPU_DRM_CAPSET_VENUS, 0, 160);
	env->vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, env->vg);
	env->filp = open_render_node(env->vg->drm);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(env->filp), "open the render node: %ld",
			       PTR_ERR(env->filp));
	env->df = env->filp->private_data;
	kunit_alloc_resource(test, NULL, blob_env_exit, GFP_KERNEL, env);
	ctx->host = env->host;
	return env;
}

/* Close the file (its handles, its context) and let the host settle. */
static void blob_close(struct blob_env *env)
{
	__fput_sync(env->filp);
	env->filp = NULL;
	/* the context goes with the file: its destroy is answered too */
	settle(env->vg, env->host);
	flush_work(&env->host->q[0].irq);
}

static int mkblob(struct blob_env *env, u32 mem, u32 flags, u64 size,
		  u64 blob_id, struct drm_virtgpu_resource_create_blob *a)
{
	int ret;

	memset(a, 0, sizeof(*a));
	a->blob_mem = mem;
	a->blob_flags = flags;
	a->size = size;
	a->blob_id = blob_id;
	ret = vgpu_ioctl_resource_create_blob(env->vg->drm, a, env->df);
	flush_work(&env->host->q[0].irq);
	return ret;
}

static struct vgpu_bo *blob_bo(struct kunit *test, struct blob_env *env,
			       u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(env->df, handle);

	KUNIT_ASSERT_NOT_NULL(test, obj);
	drm_gem_object_put(obj);	/* the handle keeps it */
	return to_vgpu_bo(obj);
}

static const struct vgpu_ctx_params venus_params = {
	.has_capset = true, .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
	.num_rings = 64, .poll_rings_mask = 0,
};

/*
 * A reset first has the host unmap the mapped host blobs (QEMU 10 aborts
 * at the next MAP_BLOB otherwise); the blob is then lost, and its release
 * sends no second unmap.
 */
static void blob_reset_unmaps(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_1M, 0);
	struct vgpu_device *vg = env->vg;
	struct vgpu_fake_host *host = env->host;
	struct drm_virtgpu_resource_create_blob a;
	unsigned int resets = host->resets;
	struct vgpu_bo *bo;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, to_vgpu_file(env->df), &venus_params), 0);
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 0, &a), 0);
	bo = blob_bo(test, env, a.bo_handle);
	KUNIT_ASSERT_EQ(test, vgpu_blob_map_wait(vg, bo->res), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB), 0u);
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	KUNIT_EXPECT_EQ(test, host->resets, resets + 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB), 1u);
	KUNIT_EXPECT_TRUE(test, bo->res->lost);
	/* Nothing mapped any more: a second call queues nothing. */
	KUNIT_EXPECT_EQ(test, vgpu_res_unmap_host_blobs(vg), 0u);
	blob_close(env);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB), 1u);
	KUNIT_EXPECT_EQ(test, vg->hostmem.used, 0ull);
	unbind_and_check(test);
}

/*
 * What Venus does: a context with capset 4 and 64 rings, host blobs with
 * blob_id 0 mapped at creation, submissions on every ring retiring per
 * ring.
 */
static void blob_venus_sequence(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_1M, 0);
	struct vgpu_device *vg = env->vg;
	struct vgpu_fake_host *host = env->host;
	struct vgpu_file *f = to_vgpu_file(env->df);
	struct drm_virtgpu_resource_create_blob a;
	unsigned int notifies, ring;
	struct dma_fence *fence[VGPU_MAX_RINGS];
	struct vgpu_fake_res *r;
	struct vgpu_bo *bo;
	int value, live = atomic_read(&vg->res.live);

	/* GETPARAMs Venus reads */
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_3D_FEATURES, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_RESOURCE_BLOB, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_HOST_VISIBLE, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_CROSS_DEVICE, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_CONTEXT_INIT, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 1);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(vg, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &value), 0);
	KUNIT_EXPECT_TRUE(test, value & BIT(VIRTGPU_DRM_CAPSET_VENUS));
	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, f, &venus_params), 0);

	/* Create, map and attach: one notification, nothing waited for. */
	notifies = host->q[0].notifies;
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 0, &a), 0);
	KUNIT_EXPECT_EQ(test, host->q[0].notifies, notifies + 1);
	r = vgpu_fake_host_res(host, a.res_handle);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, r->blob);
	KUNIT_EXPECT_EQ(test, r->blob_mem, (u32)VIRTIO_GPU_BLOB_MEM_HOST3D);
	KUNIT_EXPECT_EQ(test, r->blob_flags, (u32)VIRTIO_GPU_BLOB_FLAG_USE_MAPPABLE);
	KUNIT_EXPECT_EQ(test, r->blob_id, 0ull);
	KUNIT_EXPECT_EQ(test, r->size, (u64)SZ_64K);
	KUNIT_EXPECT_EQ(test, r->nr_entries, 0u);
	KUNIT_EXPECT_TRUE(test, r->ctx_mask != 0);
	KUNIT_EXPECT_TRUE(test, r->mapped);
	bo = blob_bo(test, env, a.bo_handle);
	KUNIT_EXPECT_TRUE(test, vgpu_bo_host_only(bo));
	KUNIT_EXPECT_EQ(test, vgpu_blob_map_wait(vg, bo->res), 0);
	KUNIT_EXPECT_EQ(test, bo->res->map_info, (u32)VIRTIO_GPU_MAP_CACHE_WC);
	KUNIT_EXPECT_EQ(test, r->map_offset, bo->res->map_node.start);
	KUNIT_EXPECT_EQ(test, vg->hostmem.used, (u64)SZ_64K);
	/* The host's bytes are where the guest maps them. */
	KUNIT_EXPECT_EQ(test, ((u32 *)host->hostmem)[r->map_offset / 4 + 5],
			a.res_handle);
	/* A host blob has no guest memory to transfer. */
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true,
					    &(struct vgpu_transfer_desc){ .w = 1 }),
			-EINVAL);

	/* Submissions on rings 0..63, size 0 included; fences per ring. */
	host->q[0].hold = true;
	for (ring = 0; ring < VGPU_MAX_RINGS; ring++) {
		KUNIT_ASSERT_EQ(test, vgpu_submit(vg, f, NULL, 0, true, ring, NULL,
						  &fence[ring]), 0);
		KUNIT_EXPECT_EQ(test, fence[ring]->context, f->fence_context + ring);
	}
	/* answered last to first: each ring retires on its own */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, true), 64u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	for (ring = 0; ring < VGPU_MAX_RINGS; ring++) {
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence[ring]));
		dma_fence_put(fence[ring]);
	}

	/* Closing: unmap, then unref, then the range is free again. */
	blob_close(env);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB), 1u);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, a.res_handle));
	KUNIT_EXPECT_EQ(test, vg->hostmem.used, 0ull);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	unbind_and_check(test);
}

/* Guest blobs list their pages; host3d_guest ones also name the context. */
static void blob_guest_memory(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, 0, 0);
	struct drm_virtgpu_resource_create_blob a, b;
	struct vgpu_fake_res *r;
	struct vgpu_bo *bo;
	u32 cmd = 0;

	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE |
				     VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
				     SZ_128K + 100, 0, &a), 0);
	r = vgpu_fake_host_res(env->host, a.res_handle);
	KUNIT_ASSERT_NOT_NULL(test, r);
	/* rounded up to pages; every byte listed */
	KUNIT_EXPECT_EQ(test, r->size, (u64)SZ_128K + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, r->size);
	KUNIT_EXPECT_GE(test, r->nr_entries, 1u);
	bo = blob_bo(test, env, a.bo_handle);
	KUNIT_EXPECT_FALSE(test, vgpu_bo_host_only(bo));
	KUNIT_EXPECT_NOT_NULL(test, bo->base.pages);
	/* host3d_guest: pages and the file's context, with a command */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D_GUEST, 0,
				     SZ_64K, 7, &b), 0);
	r = vgpu_fake_host_res(env->host, b.res_handle);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->blob_id, 7ull);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, (u64)SZ_64K);
	KUNIT_EXPECT_TRUE(test, r->ctx_mask != 0);
	/* A command stream from kernel memory is not a user pointer. */
	b.cmd = (u64)(uintptr_t)&cmd;
	b.cmd_size = 4;
	b.bo_handle = 0;
	KUNIT_EXPECT_EQ(test, vgpu_ioctl_resource_create_blob(env->vg->drm, &b, env->df),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, env->host->protocol_errors, 0u);
	blob_close(env);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(env->host, a.res_handle));
	unbind_and_check(test);
}

/* Every refusal the device decides, before the host hears of it. */
static void blob_refusals(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB),
					 0, 0);
	struct drm_virtgpu_resource_create_blob a;
	unsigned int cmds = env->host->commands;

	/* host3d without 3D, cross-device without UUIDs */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, SZ_64K, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D_GUEST, 0, SZ_64K, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST,
				     VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE, SZ_64K, 0, &a),
			-EINVAL);
	/* sizes */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, 0, 0, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0,
				     (u64)totalram_pages() * PAGE_SIZE + PAGE_SIZE, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, U64_MAX, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, env->host->commands, cmds);
	/* without the alignment feature a size is rounded up to pages */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, 1, 0, &a), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_res(env->host, a.res_handle)->size,
			(u64)PAGE_SIZE);
	blob_close(env);
	unbind_and_check(test);
}

static void blob_refusals_3d(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_256K, 0);
	struct drm_virtgpu_resource_create_blob a;
	unsigned int cmds;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	cmds = env->host->commands;
	/* larger than the whole region */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_512K, 0, &a),
			-EINVAL);
	/* host blobs beyond the bound */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, 1ULL << 41, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, env->host->commands, cmds);
	/* a large host blob that is not mapped needs no region */
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, SZ_1G, 0, &a), 0);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	blob_close(env);
	unbind_and_check(test);
}

/* No region: mappable host blobs are refused, others work. */
static void blob_no_region(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, 0, 0);
	struct drm_virtgpu_resource_create_blob a;
	int value;

	KUNIT_EXPECT_EQ(test, vgpu_param_get(env->vg, VIRTGPU_PARAM_HOST_VISIBLE, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 0);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, SZ_64K, 0, &a), 0);
	blob_close(env);
	unbind_and_check(test);
}

/* Without blobs on the host, the ioctl refuses every kind. */
static void blob_not_offered(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 0, 0);
	struct drm_virtgpu_resource_create_blob a;
	int value;

	KUNIT_EXPECT_EQ(test, vgpu_param_get(env->vg, VIRTGPU_PARAM_RESOURCE_BLOB, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 0);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, SZ_64K, 0, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, SZ_64K, 0, &a), -EINVAL);
	blob_close(env);
	unbind_and_check(test);
}

/*
 * A host with 16 KiB pages: sizes must be multiples of 16 KiB, and mapped
 * blobs land on 16 KiB boundaries of the region.
 */
static void blob_alignment(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES | BIT_ULL(F_BLOB_ALIGNMENT),
					 SZ_1M, SZ_16K);
	struct drm_virtgpu_resource_create_blob a, b;
	struct vgpu_bo *bo;

	KUNIT_EXPECT_TRUE(test, env->vg->features.blob_alignment);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.blob_align, (u32)SZ_16K);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_4K, 0, &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, SZ_16K + SZ_4K, 0, &a),
			-EINVAL);
	/* a 4 KiB guest blob would leave the next mapping 4 KiB aligned */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_16K, 0, &a), 0);
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_32K, 0, &b), 0);
	bo = blob_bo(test, env, b.bo_handle);
	KUNIT_EXPECT_EQ(test, bo->res->map_node.start % SZ_16K, 0ull);
	KUNIT_EXPECT_EQ(test, vgpu_blob_map_wait(env->vg, bo->res), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, a.res_handle)->mapped);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, b.res_handle)->mapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	blob_close(env);
	unbind_and_check(test);
}

/* An alignment that is not a power of two: no blobs rather than wrong ones. */
static void blob_alignment_bad(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES | BIT_ULL(F_BLOB_ALIGNMENT),
					 0, 3000);
	struct drm_virtgpu_resource_create_blob a;
	int value;

	KUNIT_EXPECT_FALSE(test, env->vg->features.resource_blob);
	KUNIT_EXPECT_EQ(test, vgpu_param_get(env->vg, VIRTGPU_PARAM_RESOURCE_BLOB, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 0);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, SZ_64K, 0, &a), -EINVAL);
	blob_close(env);
	unbind_and_check(test);
}

/* A Venus context and @n mappable 64 KiB host blobs (blob ids 0 to n - 1). */
static void blob_fill(struct kunit *test, struct blob_env *env,
		      struct drm_virtgpu_resource_create_blob *a, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
					     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K,
					     i, &a[i]), 0);
}

/* The region fills up: -ENOSPC, and space comes back with the blobs. */
static void blob_region_exhausted(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_256K, 0);
	struct drm_virtgpu_resource_create_blob a[4], x;

	blob_fill(test, env, a, ARRAY_SIZE(a));
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_256K);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_4K, 9, &x),
			-ENOSPC);
	/* one goes: its range is free once the host let go of it */
	KUNIT_ASSERT_EQ(test, drm_gem_handle_delete(env->df, a[1].bo_handle), 0);
	settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_256K - SZ_64K);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 9, &x), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, x.res_handle)->mapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	blob_close(env);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	unbind_and_check(test);
}

struct held_answers {
	struct delayed_work work;
	struct vgpu_fake_host *host;
};

static void held_answers_release(struct work_struct *work)
{
	struct held_answers *h = container_of(to_delayed_work(work),
					      struct held_answers, work);

	vgpu_fake_host_release(h->host, 0, false);
}

/*
 * A creation that finds the region full while a released blob waits for
 * the host's answers waits for its range: it gets the range when the host
 * answers meanwhile, -ENOSPC after the command timeout when it never does,
 * and -ERESTARTSYS at once on a signal. With nothing on its way back,
 * -ENOSPC comes at once.
 */
/* A 64 KiB mappable host blob's creation: its result and how long it took. */
static int blob_try_timed(struct blob_env *env, unsigned long *took)
{
	struct drm_virtgpu_resource_create_blob x;
	unsigned long t0 = jiffies;
	int ret;

	ret = mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		     SZ_64K, 9, &x);
	*took = jiffies - t0;
	return ret;
}

static void blob_region_waits_for_release(struct kunit *test)
{
	struct drm_virtgpu_resource_create_blob a[2], x;
	struct held_answers held;
	struct blob_env *env;
	unsigned long took;

	vgpu_cmd_timeout_ms = 300;
	env = blob_bind(test, BLOB_FEATURES, SZ_128K, 0);
	blob_fill(test, env, a, ARRAY_SIZE(a));
	settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, blob_try_timed(env, &took), -ENOSPC);
	KUNIT_EXPECT_LT(test, took, env->vg->cmd_timeout);

	/* a[0] goes; the host holds its unmap and unref */
	env->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, drm_gem_handle_delete(env->df, a[0].bo_handle), 0);
	settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->hostmem.releasing), 1);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_128K);
	KUNIT_EXPECT_EQ(test, blob_try_timed(env, &took), -ENOSPC);
	KUNIT_EXPECT_GE(test, took, env->vg->cmd_timeout);
	/* a signal ends the wait at once; the call is restarted */
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	KUNIT_EXPECT_EQ(test, blob_try_timed(env, &took), -ERESTARTSYS);
	KUNIT_EXPECT_LT(test, took, env->vg->cmd_timeout);
	flush_signals(current);
	disallow_signal(SIGUSR1);

	/* the host answers while the next creation waits: it gets the range */
	held.host = env->host;
	INIT_DELAYED_WORK(&held.work, held_answers_release);
	schedule_delayed_work(&held.work, msecs_to_jiffies(50));
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 9, &x), 0);
	cancel_delayed_work_sync(&held.work);
	env->host->q[0].hold = false;
	vgpu_fake_host_release(env->host, 0, false);
	settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->hostmem.releasing), 0);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_128K);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, x.res_handle)->mapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	blob_close(env);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	unbind_and_check(test);
}

/* Host errors on CREATE_BLOB and MAP_BLOB reach the client. */
static void blob_host_errors(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_1M, 0);
	struct vgpu_fake_rule create_err = {
		.type = VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, .count = 1,
	};
	struct vgpu_fake_rule map_err = {
		.type = VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct drm_virtgpu_resource_create_blob a, b;
	struct vgpu_bo *bo;
	int errors;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	vgpu_fake_host_add_rule(env->host, &create_err);
	/* counted (the context attach of the missing resource fails too) */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST, 0, SZ_64K, 0, &a), 0);
	errors = atomic_read(&env->vg->host_errors.count);
	KUNIT_EXPECT_GE(test, errors, 1);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(env->host, a.res_handle));

	vgpu_fake_host_add_rule(env->host, &map_err);
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 0, &b), 0);
	bo = blob_bo(test, env, b.bo_handle);
	KUNIT_EXPECT_EQ(test, vgpu_blob_map_wait(env->vg, bo->res), -EINVAL);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), errors + 1);
	KUNIT_EXPECT_EQ(test, env->vg->host_errors.last,
			(u32)VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, env->vg->host_errors.last_cmd,
			(u32)VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB);
	blob_close(env);
	/* never mapped: no unmap; the range still comes back */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(env->host,
						   VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB), 0u);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	unbind_and_check(test);
}

/* The host stops answering: the first mmap's wait gives up in time. */
static void blob_map_unanswered(struct kunit *test)
{
	struct blob_env *env;
	struct drm_virtgpu_resource_create_blob a;
	struct vgpu_bo *bo;

	vgpu_cmd_timeout_ms = 200;
	env = blob_bind(test, BLOB_FEATURES, SZ_1M, 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	env->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 0, &a), 0);
	bo = blob_bo(test, env, a.bo_handle);
	KUNIT_EXPECT_EQ(test, vgpu_blob_map_wait(env->vg, bo->res), -ETIMEDOUT);
	vgpu_fake_host_release(env->host, 0, false);
	flush_work(&env->host->q[0].irq);
	env->host->q[0].hold = false;
	KUNIT_EXPECT_EQ(test, vgpu_blob_map_wait(env->vg, bo->res), 0);
	blob_close(env);
	unbind_and_check(test);
}

/*
 * Map @dmabuf for another device (the fake host's parent, without an
 * IOMMU): the DMA address of its one segment (the first of several), or
 * the mapping's errno as a u64.
 */
static u64 map_for_device(struct kunit *test, struct blob_env *env,
			  struct dma_buf *dmabuf)
{
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	u64 addr;

	attach = dma_buf_attach(dmabuf, env->host->vdev.dev.parent);
	if (IS_ERR(attach))
		return (u64)PTR_ERR(attach);
	sgt = vgpu_dma_buf_map(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		dma_buf_detach(dmabuf, attach);
		return (u64)PTR_ERR(sgt);
	}
	KUNIT_EXPECT_GE(test, sgt->nents, 1u);
	addr = sg_dma_address(sgt->sgl);
	if (vgpu_bo_host_only(to_vgpu_bo(dmabuf->priv)))
		KUNIT_EXPECT_EQ(test, sg_dma_len(sgt->sgl), (u32)dmabuf->size);
	vgpu_dma_buf_unmap(attach, sgt, DMA_BIDIRECTIONAL);
	dma_buf_detach(dmabuf, attach);
	return addr;
}

/* PRIME: UUIDs for other devices, our own buffers come back as themselves. */
static void blob_prime_uuid(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, SZ_1M, 0);
	struct vgpu_fake_rule uuid_err = {
		.type = VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_UNSPEC, .count = 1,
	};
	struct drm_virtgpu_resource_create_blob a, b, c;
	struct drm_gem_object *obj, *back;
	struct dma_buf *dmabuf;
	__le32 uuid_id;
	uuid_t uuid;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	/* cross-device blob: a UUID, the host's */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE |
				     VIRTGPU_BLOB_FLAG_USE_SHAREABLE |
				     VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE, SZ_64K, 0, &a), 0);
	obj = &blob_bo(test, env, a.bo_handle)->base.base;
	dmabuf = vgpu_gem_prime_export(obj, O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_TRUE(test, is_virtio_dma_buf(dmabuf));
	KUNIT_ASSERT_EQ(test, virtio_dma_buf_get_uuid(dmabuf, &uuid), 0);
	/* the fake host's UUIDs begin with the resource id, little-endian */
	memcpy(&uuid_id, uuid.b, sizeof(uuid_id));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(uuid_id), a.res_handle);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, a.res_handle)->uuid);
	/* another device gets the blob's range of the region */
	KUNIT_EXPECT_EQ(test, map_for_device(test, env, dmabuf),
			env->host->hostmem_phys +
			vgpu_fake_host_res(env->host, a.res_handle)->map_offset);
	/* imported again: the same object */
	back = vgpu_gem_prime_import(env->vg->drm, dmabuf);
	KUNIT_ASSERT_FALSE(test, IS_ERR(back));
	KUNIT_EXPECT_PTR_EQ(test, back, obj);
	drm_gem_object_put(back);
	dma_buf_put(dmabuf);

	/* a blob without CROSS_DEVICE gets none; its pages are lent */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST,
				     VIRTGPU_BLOB_FLAG_USE_SHAREABLE, SZ_64K, 0, &b), 0);
	dmabuf = vgpu_gem_prime_export(&blob_bo(test, env, b.bo_handle)->base.base,
				       O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_EQ(test, virtio_dma_buf_get_uuid(dmabuf, &uuid), -ENODEV);
	KUNIT_EXPECT_NE(test, map_for_device(test, env, dmabuf), 0ull);
	dma_buf_put(dmabuf);

	/* a host blob that is not mappable cannot be lent */
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D, 0, SZ_64K, 0, &b), 0);
	dmabuf = vgpu_gem_prime_export(&blob_bo(test, env, b.bo_handle)->base.base,
				       O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_EQ(test, map_for_device(test, env, dmabuf), (u64)-EINVAL);
	dma_buf_put(dmabuf);

	/* the host refuses: the importer hears it */
	vgpu_fake_host_add_rule(env->host, &uuid_err);
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_GUEST,
				     VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE, SZ_64K, 0, &c), 0);
	dmabuf = vgpu_gem_prime_export(&blob_bo(test, env, c.bo_handle)->base.base,
				       O_RDWR);
	KUNIT_ASSERT_FALSE(test, IS_ERR(dmabuf));
	KUNIT_EXPECT_EQ(test, virtio_dma_buf_get_uuid(dmabuf, &uuid), -EIO);
	dma_buf_put(dmabuf);
	blob_close(env);
	unbind_and_check(test);
}

/*
 * Blobs without 3D: dumb buffers are shareable guest blobs, and the
 * console is scanned out of one in place (SET_SCANOUT_BLOB, no transfers).
 */
static void blob_dumb_console(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB), 1);
	struct vgpu_fake_res *res;
	struct vgpu_device *vg;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_NOT_NULL(test, vg->drm->fb_helper);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D), 0u);
	KUNIT_EXPECT_GE(test, host->scanout_blobs, 1u);
	KUNIT_ASSERT_NE(test, host->scanout_res[0], 0u);
	res = vgpu_fake_host_res(host, host->scanout_res[0]);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_TRUE(test, res->blob);
	KUNIT_EXPECT_EQ(test, res->blob_mem, (u32)VIRTIO_GPU_BLOB_MEM_GUEST);
	KUNIT_EXPECT_EQ(test, res->blob_flags, (u32)VIRTIO_GPU_BLOB_FLAG_USE_SHAREABLE);
	KUNIT_EXPECT_GE(test, res->size, 1024ull * 768 * 4);
	KUNIT_EXPECT_EQ(test, res->backing_bytes, res->size);
	KUNIT_EXPECT_EQ(test, res->transfers, 0u);
	KUNIT_EXPECT_GE(test, res->flushes, 1u);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

static struct kunit_case vgpu_blob_cases[] = {
	KUNIT_CASE(blob_venus_sequence),
	KUNIT_CASE(blob_reset_unmaps),
	KUNIT_CASE(blob_guest_memory),
	KUNIT_CASE(blob_refusals),
	KUNIT_CASE(blob_refusals_3d),
	KUNIT_CASE(blob_no_region),
	KUNIT_CASE(blob_not_offered),
	KUNIT_CASE(blob_alignment),
	KUNIT_CASE(blob_alignment_bad),
	KUNIT_CASE(blob_region_exhausted),
	KUNIT_CASE(blob_region_waits_for_release),
	KUNIT_CASE(blob_host_errors),
	KUNIT_CASE(blob_map_unanswered),
	KUNIT_CASE(blob_prime_uuid),
	KUNIT_CASE(blob_dumb_console),
	{}
};

struct kunit_suite vgpu_blob_suite = {
	.name = "vgpu_blob",
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_blob_cases,
};

static struct kunit_case vgpu_resource_cases[] = {
	KUNIT_CASE(res_3d_lifecycle),
	KUNIT_CASE(res_2d_without_virgl),
	KUNIT_CASE(res_create_refused),
	KUNIT_CASE(job_buffers_and_own_ring),
	KUNIT_CASE(fence_event_polled_ring),
	{}
};

struct kunit_suite vgpu_resource_suite = {
	.name = "vgpu_resource",
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_resource_cases,
};

/* Recovery: hangs reset the device; suspend and resume rebuild it. */

/* What virtio_device_restore() does before a driver's restore. */
static void renegotiate(struct kunit *test, struct virtio_device *vdev)
{
	virtio_reset_device(vdev);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_DRIVER);
	KUNIT_ASSERT_EQ(test, vdev->config->finalize_features(vdev), 0);
	virtio_add_status(vdev, VIRTIO_CONFIG_S_FEATURES_OK);
}

/*
 * A fenced submission the host never answers: the watchdog resets the
 * device, the fence is signalled with -EIO, resources come back, the
 * file's context is lost and a new file works.
 */
static void recover_hang_fence(struct kunit *test)
{
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_file *f = new_file(test), *g = new_file(test);
	struct vgpu_fake_host *host;
	struct dma_fence *hung, *fresh;
	struct vgpu_fake_res *r;
	struct vgpu_device *vg;
	struct vgpu_bo *bo;
	unsigned int resets;
	u32 ctx, id;
	long left;

	vgpu_hang_timeout_ms = 200;
	vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct probe_ctx *)test->priv)->host;
	bo = new_bo(test, vg, 64 * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &tex64x32, VGPU_HRES_3D), 0);
	id = bo->res->id;
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	resets = host->resets;
	vgpu_fake_host_add_rule(host, &drop);
	hung = submit_ok(test, vg, f, 0, false);
	left = dma_fence_wait_timeout(hung, true, 10 * HZ);
	KUNIT_EXPECT_GT(test, left, 0L);
	KUNIT_EXPECT_EQ(test, hung->error, -EIO);
	flush_work(&vg->recovery.work);
	KUNIT_EXPECT_EQ(test, host->resets, resets + 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vg->recovery.reset_gen), 1u);
	KUNIT_EXPECT_FALSE(test, vg->recovery.failed);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	/* The resource is back, with its backing; the context is not. */
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_TRUE(test, r->is_3d);
	KUNIT_EXPECT_EQ(test, r->bind, 2u);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_ctx(host, ctx));
	KUNIT_EXPECT_TRUE(test, vgpu_ctx_lost(vg, f));
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), -ECANCELED);
	KUNIT_EXPECT_EQ(test, vgpu_submit(vg, f, NULL, 0, false, 0, NULL, NULL),
			-ECANCELED);
	/* A new client works. */
	fresh = submit_ok(test, vg, g, 0, false);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fresh, true, 5 * HZ), 0L);
	KUNIT_EXPECT_EQ(test, fresh->error, 0);
	KUNIT_EXPECT_FALSE(test, vgpu_ctx_lost(vg, g));
	dma_fence_put(hung);
	dma_fence_put(fresh);
	vgpu_ctx_fini(vg, f);
	vgpu_ctx_fini(vg, g);
	put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* A waiter for an answer that never comes is released by the reset. */
static void recover_hang_waiter(struct kunit *test)
{
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_CTX_CREATE, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_file *f = new_file(test);
	struct vgpu_fake_host *host;
	struct vgpu_device *vg;
	unsigned long start;
	u32 ctx;

	vgpu_cmd_timeout_ms = 20000;
	vgpu_hang_timeout_ms = 200;
	vg = bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct probe_ctx *)test->priv)->host;
	vgpu_fake_host_add_rule(host, &drop);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), -EIO);
	KUNIT_EXPECT_LT(test, jiffies - start, msecs_to_jiffies(5000));
	flush_work(&vg->recovery.work);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vg->recovery.reset_gen), 1u);
	/* The refused creation left nothing: the next one works. */
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	KUNIT_EXPECT_NOT_NULL(test, vgpu_fake_host_ctx(host, ctx));
	vgpu_ctx_fini(vg, f);
	unbind_and_check(test);
}

static void expect_console_shown(struct kunit *test, struct vgpu_fake_host *host,
				 unsigned int transfers)
{
	struct vgpu_fake_res *res;

	KUNIT_ASSERT_NE(test, host->scanout_res[0], 0u);
	res = vgpu_fake_host_res(host, host->scanout_res[0]);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_GE(test, res->backing_bytes, (u64)res->width * res->height * 4);
	KUNIT_EXPECT_GE(test, res->transfers, transfers);
	KUNIT_EXPECT_GE(test, res->flushes, 1u);
}

/* Bind the device and show the console on its first scanout. */
static struct vgpu_device *bind_console(struct kunit *test, struct vgpu_fake_host *host)
{
	struct vgpu_device *vg = bind(test);

	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	flush_work(&host->q[0].irq);
	expect_console_shown(test, host, 1);
	return vg;
}

/* A reset brings the display back with no commit from userspace. */
static void recover_reset_display(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 1);
	unsigned int sets, resets;
	struct vgpu_device *vg;

	vg = bind_console(test, host);
	sets = vgpu_fake_host_count(host, VIRTIO_GPU_CMD_SET_SCANOUT);
	resets = host->resets;
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), 0);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_GT(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_SET_SCANOUT), sets);
	/* The scanout was blanked before the device reset. */
	KUNIT_EXPECT_EQ(test, host->resets, resets + 1);
	KUNIT_EXPECT_EQ(test, host->resets_shown, 0u);
	/* Made again, its content sent again from the guest pages. */
	expect_console_shown(test, host, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/*
 * A host that does not answer the blanking costs the reset a bounded wait,
 * and the display still comes back.
 */
static void recover_reset_blank_unanswered(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 1);
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SET_SCANOUT, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_device *vg;
	unsigned long start;

	vg = bind_console(test, host);
	vgpu_fake_host_add_rule(host, &drop);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), 0);
	KUNIT_EXPECT_GE(test, jiffies - start, msecs_to_jiffies(500));
	KUNIT_EXPECT_LT(test, jiffies - start, msecs_to_jiffies(5000));
	flush_work(&host->q[0].irq);
	expect_console_shown(test, host, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* A bound device with a 64x32 3D texture on a buffer of its own. */
static struct vgpu_bo *bind_tex(struct kunit *test, struct vgpu_device **vg)
{
	struct vgpu_bo *bo;

	*vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, *vg);
	bo = new_bo(test, *vg, 64 * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(*vg, bo, &tex64x32, VGPU_HRES_3D), 0);
	return bo;
}

struct reset_call {
	struct work_struct work;
	struct completion done;
	struct vgpu_device *vg;
	int ret;
};

static void reset_call_fn(struct work_struct *work)
{
	struct reset_call *rc = container_of(work, struct reset_call, work);

	rc->ret = vgpu_reset(rc->vg, "test");
	complete(&rc->done);
}

/*
 * A reset does not need the reservation lock of the resources it makes
 * again: a submitter holds it while it waits for the paused queue.
 */
static void recover_reset_resv_held(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct reset_call rc = {};
	struct vgpu_device *vg;
	struct vgpu_fake_res *r;
	struct vgpu_bo *bo;
	bool in_time;
	u32 id;

	bo = bind_tex(test, &vg);
	id = bo->res->id;
	rc.vg = vg;
	init_completion(&rc.done);
	INIT_WORK_ONSTACK(&rc.work, reset_call_fn);
	dma_resv_lock(bo->base.base.resv, NULL);
	queue_work(system_unbound_wq, &rc.work);
	in_time = wait_for_completion_timeout(&rc.done, 5 * HZ);
	dma_resv_unlock(bo->base.base.resv);
	flush_work(&rc.work);
	destroy_work_on_stack(&rc.work);
	KUNIT_EXPECT_TRUE_MSG(test, in_time, "the reset waited for a held reservation");
	KUNIT_EXPECT_EQ(test, rc.ret, 0);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* Suspend drains what is in flight; resume rebuilds it all. */
static void recover_freeze_restore(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_file *f = new_file(test), *g = new_file(test);
	struct dma_fence *held, *fresh;
	struct vgpu_device *vg;
	unsigned int resets;
	u32 ctx;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	held = submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	resets = host->resets;
	KUNIT_ASSERT_EQ(test, vgpu_freeze(&host->vdev), 0);
	/* What was in flight was answered first, not failed. */
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(held));
	KUNIT_EXPECT_EQ(test, held->error, 0);
	KUNIT_EXPECT_EQ(test, host->resets, resets + 1);
	/* suspend turned the display off first */
	KUNIT_EXPECT_EQ(test, host->resets_shown, 0u);
	KUNIT_EXPECT_EQ(test, host->scanout_res[0], 0u);
	KUNIT_EXPECT_TRUE(test, vg->recovery.suspended);
	/* While suspended, a reset is refused. */
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), -ENODEV);
	renegotiate(test, &host->vdev);
	KUNIT_ASSERT_EQ(test, vgpu_restore(&host->vdev), 0);
	flush_work(&host->q[0].irq);
	expect_console_shown(test, host, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), -ECANCELED);
	fresh = submit_ok(test, vg, g, 0, false);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fresh, true, 5 * HZ), 0L);
	KUNIT_EXPECT_EQ(test, fresh->error, 0);
	dma_fence_put(held);
	dma_fence_put(fresh);
	vgpu_ctx_fini(vg, f);
	vgpu_ctx_fini(vg, g);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* A 64x64 2D resource on @bo's pages, allocated but not yet sent. */
static struct vgpu_hres *raced_hres(struct kunit *test, struct vgpu_device *vg,
				    struct vgpu_bo *bo)
{
	struct vgpu_hres *hres = vgpu_hres_alloc(vg);

	KUNIT_ASSERT_FALSE(test, IS_ERR(hres));
	hres->format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
	hres->width = 64;
	hres->height = 64;
	/* The creator pins the pages and makes their table first. */
	KUNIT_ASSERT_FALSE(test, IS_ERR(drm_gem_shmem_get_pages_sgt(&bo->base)));
	hres->shmem = &bo->base;
	return hres;
}

static void raced_put(struct kunit *test, struct vgpu_device *vg,
		      struct vgpu_hres *hres, struct vgpu_bo *bo)
{
	struct vgpu_fake_host *host = ((struct probe_ctx *)test->priv)->host;
	u32 id = hres->id;

	vgpu_hres_put(hres);
	settle(vg, host);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, id));
	drm_gem_object_put(&bo->base.base);
}

/*
 * A reset between a resource's allocation and the queueing of its
 * creation, or between the queueing (to the old device) and the tracking:
 * tracking it makes it again at once (create, backing, content).
 */
static void recover_creation_raced(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 0);
	struct vgpu_fake_res *r;
	struct vgpu_hres *hres, *sent;
	struct vgpu_device *vg;
	struct vgpu_bo *bo, *bo2;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	bo = new_bo(test, vg, 64 * 64 * 4);
	bo2 = new_bo(test, vg, 64 * 64 * 4);
	hres = raced_hres(test, vg, bo);
	/* As if its creation had gone to the device the reset replaces. */
	sent = raced_hres(test, vg, bo2);
	sent->epoch = vgpu_vq_epoch(&vg->ctrlq);
	/* The reset and its walk are over when the creators track them. */
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	vgpu_hres_track(vg, hres);
	vgpu_hres_track(vg, sent);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, hres->id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->width, 64u);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 64 * 4);
	KUNIT_EXPECT_EQ(test, r->transfers, 1u);
	KUNIT_EXPECT_NOT_NULL(test, vgpu_fake_host_res(host, sent->id));
	KUNIT_EXPECT_EQ(test, hres->epoch, vgpu_vq_epoch(&vg->ctrlq));
	KUNIT_EXPECT_EQ(test, sent->epoch, vgpu_vq_epoch(&vg->ctrlq));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	raced_put(test, vg, hres, bo);
	raced_put(test, vg, sent, bo2);
	unbind_and_check(test);
}

/*
 * A creation that waited for a reset to end goes to the new device once:
 * tracking it does not make it a second time (the host would answer
 * ERR_INVALID_RESOURCE_ID), and the next reset makes it again.
 */
static void recover_creation_after_reset(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, 0, 0);
	struct vgpu_fake_res *r;
	struct vgpu_buf *create;
	struct vgpu_hres *hres;
	struct vgpu_device *vg;
	struct vgpu_bo *bo;
	u32 epoch;

	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	bo = new_bo(test, vg, 64 * 64 * 4);
	hres = raced_hres(test, vg, bo);
	epoch = vgpu_vq_epoch(&vg->ctrlq);
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	KUNIT_EXPECT_EQ(test, vgpu_vq_epoch(&vg->ctrlq), epoch + 1);
	/* The creation alone; the next reset sends the backing too. */
	create = vgpu_buf_alloc(sizeof(struct virtio_gpu_resource_create_2d),
				sizeof(struct virtio_gpu_ctrl_hdr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, create);
	vgpu_proto_resource_create_2d(create->req, hres->id, hres->format,
				      64, 64);
	KUNIT_ASSERT_EQ(test, vgpu_hres_queue_create(vg, hres, &create, 1), 0);
	vgpu_vq_kick(&vg->ctrlq);
	settle(vg, host);
	KUNIT_EXPECT_EQ(test, hres->epoch, vgpu_vq_epoch(&vg->ctrlq));
	KUNIT_EXPECT_NOT_NULL(test, vgpu_fake_host_res(host, hres->id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	/* Listed: the next reset brings it back, with its backing. */
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	settle(vg, host);
	r = vgpu_fake_host_res(host, hres->id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 64 * 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	raced_put(test, vg, hres, bo);
	unbind_and_check(test);
}

/*
 * A resource that cannot be made again is counted and logged, and the
 * reset goes on. Here the host never answers the console's creation nor
 * its backing in a ring of four descriptors: the two commands hold all
 * four (or the backing, when its entries take a descriptor of their own,
 * finds no room), so what follows finds no room in time (-ETIMEDOUT),
 * however the console's pages lie. The next reset brings it back.
 */
static void recover_restore_error(struct kunit *test)
{
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, .fault = VGPU_FAKE_DROP,
		.count = 1,
	};
	struct vgpu_fake_rule drop_backing = {
		.type = VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, .fault = VGPU_FAKE_DROP,
		.count = 1,
	};
	struct vgpu_fake_host *host = new_host(test, 0, 1);
	struct vgpu_device *vg;
	unsigned long flags;

	vgpu_cmd_timeout_ms = 200;
	vgpu_hang_timeout_ms = 0;
	host->ring_num = 4;
	vg = bind_console(test, host);
	vgpu_fake_host_add_rule(host, &drop);
	vgpu_fake_host_add_rule(host, &drop_backing);
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), 0);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 1);
	KUNIT_EXPECT_FALSE(test, vg->recovery.failed);
	/* A backing that found no room never met its rule: drop it too. */
	spin_lock_irqsave(&host->lock, flags);
	memset(host->rules, 0, sizeof(host->rules));
	spin_unlock_irqrestore(&host->lock, flags);
	/* This reset makes the console again. */
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), 0);
	flush_work(&host->q[0].irq);
	expect_console_shown(test, host, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 1);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	unbind_and_check(test);
}

/* A device that does not come back stays stopped: errors, no hang. */
static void recover_device_gone(struct kunit *test)
{
	struct vgpu_fake_host *host = new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 0);
	struct vgpu_file *f = new_file(test);
	struct vgpu_device *vg;
	u32 ctx;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vg = bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	/* The device refuses the driver's features from now on. */
	host->refuse_features = true;
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), -ENODEV);
	KUNIT_EXPECT_TRUE(test, vg->recovery.failed);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), -ENODEV);
	host->refuse_features = false;
	unbind_and_check(test);
}

static struct kunit_case vgpu_recover_cases[] = {
	KUNIT_CASE(recover_hang_fence),
	KUNIT_CASE(recover_hang_waiter),
	KUNIT_CASE(recover_reset_display),
	KUNIT_CASE(recover_reset_blank_unanswered),
	KUNIT_CASE(recover_reset_resv_held),
	KUNIT_CASE(recover_freeze_restore),
	KUNIT_CASE(recover_creation_raced),
	KUNIT_CASE(recover_creation_after_reset),
	KUNIT_CASE(recover_restore_error),
	KUNIT_CASE(recover_device_gone),
	{}
};

struct kunit_suite vgpu_recover_suite = {
	.name = "vgpu_recover",
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_recover_cases,
};

static struct kunit_case vgpu_probe_cases[] = {
	KUNIT_CASE(probe_features),
	KUNIT_CASE(probe_no_features),
	KUNIT_CASE(probe_display_and_edid),
	KUNIT_CASE(probe_edid_error_leaves_none),
	KUNIT_CASE(probe_unknown_and_duplicate_fence_ids),
	KUNIT_CASE(probe_capsets),
	KUNIT_CASE(probe_bad_capsets_dropped),
	KUNIT_CASE(probe_capset_count_clamped),
	KUNIT_CASE(probe_scanouts_clamped),
	KUNIT_CASE(probe_zero_scanouts_render_only),
	KUNIT_CASE(probe_display_info_error_fails),
	KUNIT_CASE(probe_silent_device_times_out),
	KUNIT_CASE(probe_capset_timeout_fails),
	KUNIT_CASE(probe_truncated_display_info_fails),
	KUNIT_CASE(probe_display_event),
	KUNIT_CASE(probe_console_on_head0),
	KUNIT_CASE(probe_event_pending_at_probe),
	KUNIT_CASE(probe_drm_device),
	{}
};

struct kunit_suite vgpu_probe_suite = {
	.name = "vgpu_probe",
	.init = probe_init,
	.exit = probe_exit,
	.test_cases = vgpu_probe_cases,
};
