// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: vgpu probing the fake host through the virtio bus: features,
 * displays and EDIDs, capsets, refusals and timeouts at probe, display
 * events.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-fence.h>
#include <linux/completion.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
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
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_tests.h"
#include "vgpu_test_env.h"

static void probe_features(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, ALL_FEATURES |
					       BIT_ULL(F_BLOB_ALIGNMENT) |
					       BIT_ULL(F_UNKNOWN), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

static void probe_no_features(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_FALSE(test, vg->features.virgl);
	KUNIT_EXPECT_FALSE(test, vg->features.edid);
	KUNIT_EXPECT_FALSE(test, vg->features.context_init);
	/* no EDID or capset queries without their features */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_DISPLAY_INFO), 1u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 0u);
	vtest_unbind_and_check(test);
}

static void probe_display_and_edid(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 4);
	struct vgpu_device *vg;

	host->pmodes[1].enabled = cpu_to_le32(1);
	host->pmodes[1].r.width = cpu_to_le32(1920);
	host->pmodes[1].r.height = cpu_to_le32(1080);
	/* QEMU style: the whole buffer as the size, one extension block */
	host->edid_size[1] = 1024;
	host->edid[1][126] = 1;
	host->edid[1][200] = 0x42;
	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

static void probe_edid_error_leaves_none(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_EDID, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_UNSPEC, .count = 1,
	};
	struct vgpu_device *vg;

	vgpu_fake_host_add_rule(host, &rule);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[0].edid_len, 0u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[1].edid_len, 128u);
	vtest_unbind_and_check(test);
}

/* Answers carrying fence ids nobody asked for (and the same one four
 * times) are still just answers.
 */
static void probe_unknown_and_duplicate_fence_ids(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 4);
	struct vgpu_fake_rule rule = {
		.fault = VGPU_FAKE_FENCE_ID, .fence_id = 0xdeadbeef, .count = -1,
	};
	struct vgpu_device *vg;

	vgpu_fake_host_add_rule(host, &rule);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 4u);
	KUNIT_EXPECT_EQ(test, vg->display.scanouts[3].edid_len, 128u);
	vtest_unbind_and_check(test);
}

static void probe_capsets(struct kunit *test)
{
	static const u32 ids[] = { 1, 2, 4, 5, 6 };
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
					       BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT), 1);
	struct vgpu_device *vg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		vgpu_fake_host_add_capset(host, ids[i], i, 100 + i);
	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

static void probe_bad_capsets_dropped(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 0, 1, 100);		/* id 0 */
	vgpu_fake_host_add_capset(host, 1, 1, 308);		/* kept */
	vgpu_fake_host_add_capset(host, 64, 1, 100);		/* id too big */
	vgpu_fake_host_add_capset(host, 1, 2, 400);		/* duplicate id */
	vgpu_fake_host_add_capset(host, 2, 2, 0);		/* size 0 */
	vgpu_fake_host_add_capset(host, 3, 1, 1 << 20);	/* size too big */
	vgpu_fake_host_add_capset(host, 4, 0, 160);		/* kept */
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vg->ctx.num_capsets, 2u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[0].id, 1u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[0].max_size, 308u);
	KUNIT_EXPECT_EQ(test, vg->ctx.capsets[1].id, 4u);
	vtest_unbind_and_check(test);
}

static void probe_capset_count_clamped(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 1, 1, 308);
	vgpu_fake_host_add_capset(host, 2, 2, 1376);
	host->num_capsets = 1000;	/* config space lies about the count */
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	/* asked for 64 at most; the host refused the indexes it lacks */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 64u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 2u);
	vtest_unbind_and_check(test);
}

static void probe_scanouts_clamped(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 16);
	struct vgpu_device *vg;

	host->num_scanouts = 20;
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 16u);
	vtest_unbind_and_check(test);
}

static void probe_zero_scanouts_render_only(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL) |
					       BIT_ULL(VIRTIO_GPU_F_EDID), 0);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, 2, 2, 1376);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.num_scanouts, 0u);
	KUNIT_EXPECT_NULL(test, vg->display.scanouts);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_DISPLAY_INFO), 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_GET_EDID), 0u);
	KUNIT_EXPECT_EQ(test, vg->ctx.num_capsets, 1u);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->render);
	vtest_unbind_and_check(test);
}

static void expect_probe_fails(struct kunit *test)
{
	struct vtest_ctx *ctx = test->priv;

	KUNIT_EXPECT_NULL(test, vtest_bind(test));
	KUNIT_EXPECT_NULL(test, ctx->host->vdev.dev.driver);
	/* the failed probe reset the device and gave back every buffer */
	KUNIT_EXPECT_GE(test, ctx->host->resets, 2u);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), ctx->live_before);
	vtest_unbind_and_check(test);
}

static void probe_display_info_error_fails(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, .count = 1,
	};

	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
}

static void probe_silent_device_times_out(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_fake_rule rule = { .fault = VGPU_FAKE_DROP, .count = -1 };
	unsigned long start = jiffies;

	vgpu_cmd_timeout_ms = 100;
	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
	KUNIT_EXPECT_LT(test, jiffies - start, 2ul * HZ);
}

static void probe_capset_timeout_fails(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
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
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO, .fault = VGPU_FAKE_TRUNCATE,
		.len = 100, .count = 1,
	};

	vgpu_fake_host_add_rule(host, &rule);
	expect_probe_fails(test);
}

static void probe_display_event(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_device *vg;

	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

/*
 * The console's buffer reaches head 0: a 2D resource in XRGB8888
 * (B8G8R8X8) with its pages attached, shown on scanout 0, transferred and
 * flushed, and every command answered without error. (Without fbcon the
 * console is only shown when restored, as on a switch back to it.)
 */
static void probe_console_on_head0(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 2);
	struct vgpu_fake_res *res;
	struct vgpu_device *vg;

	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

/* A writer that has not finished: what a commit showing its buffer waits for. */
struct vtest_writer {
	struct dma_fence base;	/* first: the default release frees the whole */
	spinlock_t lock;	/* the fence's */
};

static const char *vtest_writer_name(struct dma_fence *f)
{
	return "vgpu_test_writer";
}

static const struct dma_fence_ops vtest_writer_ops = {
	.get_driver_name = vtest_writer_name,
	.get_timeline_name = vtest_writer_name,
};

struct vtest_dirty {
	struct completion done;
	struct drm_framebuffer *fb;
	int ret;
};

static int vtest_dirty_thread(void *arg)
{
	struct vtest_dirty *d = arg;
	struct drm_clip_rect clip = { 0, 0, 16, 16 };

	d->ret = d->fb->funcs->dirty(d->fb, NULL, 0, 0, &clip, 1);
	complete(&d->done);
	return 0;
}

/*
 * DIRTYFB on the console's framebuffer: sent at once, without a commit; a
 * framebuffer whose buffer has an unsignaled writer goes through a
 * blocking commit, which waits for the writer before the transfer. The
 * console itself may redraw meanwhile (its updates take the same paths),
 * so the host's counts are lower bounds.
 */
static void probe_console_dirtyfb(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 1);
	struct vtest_dirty d = {};
	struct vtest_writer *writer;
	struct task_struct *task;
	struct vgpu_fake_res *res;
	struct drm_gem_object *obj;
	struct vgpu_device *vg;
	s64 blocking;
	u32 transfers;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	d.fb = vg->display.outputs[0].primary.state->fb;
	KUNIT_ASSERT_NOT_NULL(test, d.fb);
	vtest_settle(vg, host);
	res = vgpu_fake_host_res(host, host->scanout_res[0]);
	KUNIT_ASSERT_NOT_NULL(test, res);
	transfers = res->transfers;
	blocking = atomic64_read(&vg->display.commits_blocking);
	init_completion(&d.done);
	vtest_dirty_thread(&d);
	KUNIT_EXPECT_EQ(test, d.ret, 0);
	vtest_settle(vg, host);
	KUNIT_EXPECT_GE(test, res->transfers, transfers + 1);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vg->display.commits_blocking), blocking);

	/* A writer on the buffer: the update waits for it. */
	writer = kzalloc(sizeof(*writer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, writer);
	spin_lock_init(&writer->lock);
	dma_fence_init(&writer->base, &vtest_writer_ops, &writer->lock,
		       dma_fence_context_alloc(1), 1);
	obj = d.fb->obj[0];
	KUNIT_ASSERT_EQ(test, dma_resv_lock(obj->resv, NULL), 0);
	KUNIT_ASSERT_EQ(test, dma_resv_reserve_fences(obj->resv, 1), 0);
	dma_resv_add_fence(obj->resv, &writer->base, DMA_RESV_USAGE_WRITE);
	dma_resv_unlock(obj->resv);
	KUNIT_EXPECT_TRUE(test, vgpu_fb_being_written(d.fb));
	transfers = res->transfers;
	reinit_completion(&d.done);
	task = kthread_run(vtest_dirty_thread, &d, "vtest_dirty");
	if (IS_ERR(task))
		dma_fence_signal(&writer->base);
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&d.done, msecs_to_jiffies(200)), 0ul);
	dma_fence_signal(&writer->base);
	/* the thread has the fb until it completes: wait for it in any case */
	wait_for_completion(&d.done);
	KUNIT_EXPECT_EQ(test, d.ret, 0);
	vtest_settle(vg, host);
	KUNIT_EXPECT_GE(test, res->transfers, transfers + 1);
	KUNIT_EXPECT_GE(test, atomic64_read(&vg->display.commits_blocking), blocking + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	dma_fence_put(&writer->base);
	vtest_unbind_and_check(test);
}

static void probe_event_pending_at_probe(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_device *vg;

	host->events_read = VIRTIO_GPU_EVENT_DISPLAY;
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_EQ(test, vg->display.events_at_probe, (u32)VIRTIO_GPU_EVENT_DISPLAY);
	KUNIT_EXPECT_EQ(test, host->events_cleared, (u32)VIRTIO_GPU_EVENT_DISPLAY);
	vtest_unbind_and_check(test);
}

static void probe_drm_device(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
	struct vgpu_device *vg;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_EXPECT_STREQ(test, vg->drm->driver->name, "virtio_gpu");
	KUNIT_EXPECT_EQ(test, vg->drm->driver->major, 0);
	KUNIT_EXPECT_GE(test, vg->drm->driver->minor, 1);
	/* parented on the transport's device, as the PCI function in a guest */
	KUNIT_EXPECT_PTR_EQ(test, vg->drm->dev, host->vdev.dev.parent);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->primary);
	KUNIT_EXPECT_NOT_NULL(test, vg->drm->render);
	vtest_unbind_and_check(test);
}

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
	KUNIT_CASE(probe_console_dirtyfb),
	KUNIT_CASE(probe_event_pending_at_probe),
	KUNIT_CASE(probe_drm_device),
	{}
};

struct kunit_suite vgpu_probe_suite = {
	.name = "vgpu_probe",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_probe_cases,
};
