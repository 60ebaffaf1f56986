// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the transport layer on a real virtqueue served by the fake host.
 * Every case ends by stopping and flushing the queue and checking that the
 * module's count of live buffers is back where it started.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/workqueue.h>

#include "vgpu_tests.h"
#include "vgpu_fake_host.h"
#include "vgpu_proto.h"
#include "vgpu_vq.h"

struct vq_ctx {
	struct vgpu_fake_host *host;
	struct vgpu_vq q;
	int live_before;
	bool torn_down;
	/* out-of-order test: completion order */
	int order[8];
	unsigned int done;
	struct delayed_work unstall;
};

static struct vq_ctx *ctx_of(struct virtqueue *vq)
{
	struct vgpu_fake_host *host = container_of(vq->vdev, struct vgpu_fake_host, vdev);

	return host->vdev.priv;
}

static void vq_test_cb(struct virtqueue *vq)
{
	vgpu_vq_reclaim(&ctx_of(vq)->q);
}

static int vq_setup_features(struct kunit *test, unsigned int ring_num,
			     u64 features)
{
	struct vq_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct virtqueue *vq;

	if (!ctx)
		return -ENOMEM;
	ctx->live_before = vgpu_buf_live_count();
	ctx->host = vgpu_fake_host_create(BIT_ULL(VIRTIO_GPU_F_EDID) | features);
	if (!ctx->host)
		return -ENOMEM;
	ctx->host->ring_num = ring_num;
	ctx->host->vdev.priv = ctx;
	vgpu_fake_host_default_display(ctx->host, 1);
	vgpu_fake_host_add_capset(ctx->host, 1, 1, 308);
	vgpu_fake_host_add_capset(ctx->host, 2, 2, 1376);
	vq = vgpu_fake_host_new_vq(ctx->host, 0, vq_test_cb, "control");
	if (!vq) {
		vgpu_fake_host_destroy(ctx->host);
		return -ENOMEM;
	}
	vgpu_vq_init(&ctx->q, "control", vq);
	test->priv = ctx;
	return 0;
}

static int vq_setup(struct kunit *test, unsigned int ring_num)
{
	return vq_setup_features(test, ring_num, 0);
}

static int vq_init(struct kunit *test)
{
	return vq_setup(test, 64);
}

/* Stop, "reset" (the host stops serving), flush, delete: nothing may leak. */
static void vq_teardown(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;

	if (ctx->torn_down)
		return;
	ctx->torn_down = true;
	vgpu_vq_stop(&ctx->q);
	ctx->host->q[0].stalled = true;
	vgpu_vq_flush(&ctx->q, -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->q.inflight, 0u);
	vgpu_fake_host_del_vqs(ctx->host);
	KUNIT_EXPECT_EQ_MSG(test, ctx->host->protocol_errors, 0u, "%s",
			    ctx->host->last_error);
	vgpu_fake_host_destroy(ctx->host);
	KUNIT_EXPECT_EQ_MSG(test, vgpu_buf_live_count(), ctx->live_before,
			    "command buffers leaked");
}

static void vq_exit(struct kunit *test)
{
	if (test->priv)
		vq_teardown(test);
}

static struct vgpu_buf *display_info_buf(struct kunit *test)
{
	struct vgpu_buf *buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_ctrl_hdr),
					      sizeof(struct virtio_gpu_resp_display_info),
					      GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	vgpu_proto_get_display_info(buf->req);
	return buf;
}

static struct vgpu_buf *capset_buf(struct kunit *test, u32 index)
{
	struct vgpu_buf *buf = vgpu_buf_alloc(sizeof(struct virtio_gpu_get_capset_info),
					      sizeof(struct virtio_gpu_resp_capset_info),
					      GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	vgpu_proto_get_capset_info(buf->req, index);
	return buf;
}

static int check_display_info(struct vgpu_buf *buf)
{
	return vgpu_proto_resp_check(buf->resp, buf->used_len,
				     VIRTIO_GPU_RESP_OK_DISPLAY_INFO,
				     sizeof(struct virtio_gpu_resp_display_info));
}

static int check_capset_info(struct vgpu_buf *buf)
{
	return vgpu_proto_resp_check(buf->resp, buf->used_len,
				     VIRTIO_GPU_RESP_OK_CAPSET_INFO,
				     sizeof(struct virtio_gpu_resp_capset_info));
}

static void vq_one_command(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *buf = display_info_buf(test);
	struct virtio_gpu_resp_display_info *r = buf->resp;

	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
	KUNIT_EXPECT_EQ(test, buf->used_len, (u32)sizeof(*r));
	KUNIT_EXPECT_EQ(test, check_display_info(buf), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(r->pmodes[0].r.width), 1024u);
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 1u);
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 1u);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.queued, 1ull);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.completed, 1ull);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.notifies, 1ull);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_batch_one_notify(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[6];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bufs); i++)
		bufs[i] = capset_buf(test, i);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, bufs, ARRAY_SIZE(bufs), HZ), 0);
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 1u);
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 6u);
	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		int want = i < 2 ? 0 : -EINVAL;	/* the host has two capsets */

		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], HZ), 0);
		KUNIT_EXPECT_EQ(test, check_capset_info(bufs[i]), want);
		vgpu_buf_put(bufs[i]);
	}
	vq_teardown(test);
}

static void vq_separate_submits_notify_each(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		struct vgpu_buf *buf = capset_buf(test, 0);

		KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
		vgpu_buf_put(buf);
	}
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 3u);
	vq_teardown(test);
}

static void vq_queue_then_kick(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *a = capset_buf(test, 0), *b = capset_buf(test, 1);

	KUNIT_ASSERT_EQ(test, vgpu_vq_queue(&ctx->q, a, HZ), 0);
	KUNIT_ASSERT_EQ(test, vgpu_vq_queue(&ctx->q, b, HZ), 0);
	/* queued but not kicked: the device has not been told */
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 0u);
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 0u);
	KUNIT_EXPECT_EQ(test, ctx->q.inflight, 2u);
	vgpu_vq_kick(&ctx->q);
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 1u);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(a, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(b, HZ), 0);
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 2u);
	/* a kick with nothing new does not notify */
	vgpu_vq_kick(&ctx->q);
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 1u);
	vgpu_buf_put(a);
	vgpu_buf_put(b);
	vq_teardown(test);
}

static const u32 error_types[] = {
	VIRTIO_GPU_RESP_ERR_UNSPEC,
	VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY,
	VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID,
	VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
};

static void error_type_desc(const u32 *t, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "0x%04x", *t);
}

KUNIT_ARRAY_PARAM(error_types, error_types, error_type_desc);

static void vq_error_response_reaches_caller(struct kunit *test)
{
	const u32 *type = test->param_value;
	struct vq_ctx *ctx = test->priv;
	struct vgpu_fake_rule rule = {
		.type = VIRTIO_GPU_CMD_GET_DISPLAY_INFO,
		.fault = VGPU_FAKE_ERROR,
		.resp_type = *type,
		.count = 1,
	};
	struct vgpu_buf *buf = display_info_buf(test);

	vgpu_fake_host_add_rule(ctx->host, &rule);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
	KUNIT_EXPECT_EQ(test, buf->used_len, 24u);
	KUNIT_EXPECT_EQ(test, check_display_info(buf), vgpu_proto_resp_errno(*type));
	KUNIT_EXPECT_NE(test, vgpu_proto_resp_errno(*type), 0);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_truncated_response(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_fake_rule rule = {
		.fault = VGPU_FAKE_TRUNCATE, .len = 10, .count = 1,
	};
	struct vgpu_buf *buf = display_info_buf(test);

	vgpu_fake_host_add_rule(ctx->host, &rule);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
	KUNIT_EXPECT_EQ(test, buf->used_len, 10u);
	KUNIT_EXPECT_EQ(test, check_display_info(buf), -EPROTO);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_oversize_response_clamped(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_fake_rule rule = {
		.fault = VGPU_FAKE_OVERSIZE, .len = 4096, .count = 1,
	};
	struct vgpu_buf *buf = display_info_buf(test);

	vgpu_fake_host_add_rule(ctx->host, &rule);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, HZ), 0);
	/* the device claimed 4096 bytes more than it was given */
	KUNIT_EXPECT_EQ(test, buf->used_len, buf->resp_len);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_unanswered_times_out(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_fake_rule rule = { .fault = VGPU_FAKE_DROP, .count = 1 };
	struct vgpu_buf *buf = display_info_buf(test);
	unsigned long start;

	vgpu_fake_host_add_rule(ctx->host, &rule);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, msecs_to_jiffies(50)), -ETIMEDOUT);
	KUNIT_EXPECT_LT(test, jiffies - start, (unsigned long)HZ);
	KUNIT_EXPECT_EQ(test, ctx->q.inflight, 1u);
	/* teardown returns it to its owner with -ENODEV */
	vgpu_vq_stop(&ctx->q);
	vgpu_vq_flush(&ctx->q, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.flushed, 1ull);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_abandoned_buffer_freed_on_late_answer(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *buf = display_info_buf(test);

	ctx->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(buf, 1), -ETIMEDOUT);
	/* the waiter gives up and drops its reference ... */
	vgpu_buf_put(buf);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), ctx->live_before + 1);
	/* ... the late answer frees it */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(ctx->host, 0, false), 1u);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), ctx->live_before);
	vq_teardown(test);
}

/* Fill an 8-entry ring (two descriptors per buffer) that the host ignores. */
static void fill_ring(struct kunit *test, struct vgpu_buf **bufs, unsigned int n)
{
	struct vq_ctx *ctx = test->priv;
	unsigned int i;

	ctx->host->q[0].stalled = true;
	for (i = 0; i < n; i++) {
		bufs[i] = capset_buf(test, 0);
		KUNIT_ASSERT_EQ(test, vgpu_vq_queue(&ctx->q, bufs[i], HZ), 0);
	}
}

static int vq_small_init(struct kunit *test)
{
	return vq_setup(test, 8);
}

static void vq_full_ring_waits_bounded(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[4], *extra = capset_buf(test, 1);
	unsigned long start;
	unsigned int i;

	fill_ring(test, bufs, ARRAY_SIZE(bufs));
	start = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_vq_queue(&ctx->q, extra, msecs_to_jiffies(100)),
			-ETIMEDOUT);
	KUNIT_EXPECT_GE(test, jiffies - start, msecs_to_jiffies(100));
	KUNIT_EXPECT_LT(test, jiffies - start, 2ul * HZ);
	KUNIT_EXPECT_GE(test, ctx->q.stats.full_waits, 1ull);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.full_timeouts, 1ull);
	/* the waiter kicked so the device could see what was queued */
	KUNIT_EXPECT_GE(test, ctx->host->q[0].notifies, 1u);
	/* the host wakes up: everything completes, the ring has room again */
	ctx->host->q[0].stalled = false;
	vgpu_fake_host_process(ctx->host, 0);
	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], HZ), 0);
		vgpu_buf_put(bufs[i]);
	}
	KUNIT_EXPECT_EQ(test, vgpu_vq_submit(&ctx->q, &extra, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(extra, HZ), 0);
	vgpu_buf_put(extra);
	vq_teardown(test);
}

static void vq_full_ring_wait_interruptible(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[4], *extra = capset_buf(test, 1);
	unsigned long start;
	unsigned int i;

	fill_ring(test, bufs, ARRAY_SIZE(bufs));
	allow_signal(SIGUSR1);
	send_sig(SIGUSR1, current, 0);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_vq_queue(&ctx->q, extra, 10 * HZ), -ERESTARTSYS);
	KUNIT_EXPECT_LT(test, jiffies - start, (unsigned long)HZ);
	flush_signals(current);
	disallow_signal(SIGUSR1);
	for (i = 0; i < ARRAY_SIZE(bufs); i++)
		vgpu_buf_put(bufs[i]);
	vgpu_buf_put(extra);
	vq_teardown(test);
}

static void unstall_fn(struct work_struct *work)
{
	struct vq_ctx *ctx = container_of(to_delayed_work(work), struct vq_ctx,
					  unstall);

	ctx->host->q[0].stalled = false;
	vgpu_fake_host_process(ctx->host, 0);
}

static void vq_full_ring_resumes_when_host_answers(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[4], *extra = capset_buf(test, 1);
	unsigned int i;

	fill_ring(test, bufs, ARRAY_SIZE(bufs));
	INIT_DELAYED_WORK(&ctx->unstall, unstall_fn);
	schedule_delayed_work(&ctx->unstall, msecs_to_jiffies(30));
	KUNIT_EXPECT_EQ(test, vgpu_vq_submit(&ctx->q, &extra, 1, 5 * HZ), 0);
	flush_delayed_work(&ctx->unstall);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(extra, HZ), 0);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.full_waits, 1ull);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.full_timeouts, 0ull);
	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], HZ), 0);
		vgpu_buf_put(bufs[i]);
	}
	vgpu_buf_put(extra);
	vq_teardown(test);
}

/* on_done hook: record the capset id each answer carried (-1: none). */
static void record_done(struct vgpu_buf *buf)
{
	struct virtio_gpu_resp_capset_info *r = buf->resp;
	struct vq_ctx *ctx = buf->priv;
	int id = -1;

	if (!buf->status && !check_capset_info(buf))
		id = le32_to_cpu(r->capset_id);
	if (ctx->done < ARRAY_SIZE(ctx->order))
		ctx->order[ctx->done++] = id;
}

static void vq_out_of_order_completion(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[2];
	unsigned int i;

	ctx->host->q[0].hold = true;
	for (i = 0; i < 2; i++) {
		bufs[i] = capset_buf(test, i);
		bufs[i]->on_done = record_done;
		bufs[i]->priv = ctx;
	}
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, bufs, 2, HZ), 0);
	KUNIT_EXPECT_EQ(test, ctx->done, 0u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(ctx->host, 0, true), 2u);
	KUNIT_ASSERT_EQ(test, ctx->done, 2u);
	/* capset 1 was sent second and answered first */
	KUNIT_EXPECT_EQ(test, ctx->order[0], 2);
	KUNIT_EXPECT_EQ(test, ctx->order[1], 1);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], 0), 0);
		vgpu_buf_put(bufs[i]);
	}
	vq_teardown(test);
}

static void vq_stopped_refuses(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[2] = { capset_buf(test, 0), capset_buf(test, 1) };

	vgpu_vq_stop(&ctx->q);
	KUNIT_EXPECT_EQ(test, vgpu_vq_submit(&ctx->q, bufs, 2, HZ), -ENODEV);
	/* both were completed with the error, nothing reached the host */
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[0], 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[1], 0), -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 0u);
	vgpu_buf_put(bufs[0]);
	vgpu_buf_put(bufs[1]);
	vq_teardown(test);
}

/*
 * The panic path: one notification for the batch; a lock held elsewhere
 * or a buffer still on the ring gives up at once; a stopped queue refuses.
 */
static void vq_panic_submit(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[2] = { capset_buf(test, 0), capset_buf(test, 1) };
	unsigned long flags;

	spin_lock_irqsave(&ctx->q.lock, flags);
	KUNIT_EXPECT_EQ(test, vgpu_vq_panic_submit(&ctx->q, bufs, 2), -EBUSY);
	spin_unlock_irqrestore(&ctx->q.lock, flags);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.queued, 0ull);

	ctx->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_vq_panic_submit(&ctx->q, bufs, 2), 0);
	KUNIT_EXPECT_EQ(test, ctx->host->q[0].notifies, 1u);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.queued, 2ull);
	/* not answered yet: not queued again */
	KUNIT_EXPECT_EQ(test, vgpu_vq_panic_submit(&ctx->q, bufs, 2), -EBUSY);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.queued, 2ull);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(ctx->host, 0, false), 2u);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[0], HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[1], HZ), 0);
	KUNIT_EXPECT_EQ(test, check_capset_info(bufs[0]), 0);
	KUNIT_EXPECT_EQ(test, check_capset_info(bufs[1]), 0);
	/* answered: the same buffers go again */
	ctx->host->q[0].hold = false;
	KUNIT_EXPECT_EQ(test, vgpu_vq_panic_submit(&ctx->q, bufs, 2), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[1], HZ), 0);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.completed, 4ull);

	vgpu_vq_stop(&ctx->q);
	KUNIT_EXPECT_EQ(test, vgpu_vq_panic_submit(&ctx->q, bufs, 2), -ENODEV);
	vgpu_buf_put(bufs[0]);
	vgpu_buf_put(bufs[1]);
	vq_teardown(test);
}

static void vq_flush_gives_back_held(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *bufs[3];
	unsigned int i;

	ctx->host->q[0].hold = true;
	for (i = 0; i < 3; i++) {
		bufs[i] = capset_buf(test, 0);
		bufs[i]->on_done = record_done;
		bufs[i]->priv = ctx;
	}
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, bufs, 3, HZ), 0);
	vgpu_vq_stop(&ctx->q);
	vgpu_vq_flush(&ctx->q, -ENODEV);
	KUNIT_EXPECT_EQ(test, ctx->done, 3u);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], 0), -ENODEV);
		vgpu_buf_put(bufs[i]);
	}
	KUNIT_EXPECT_EQ(test, ctx->q.stats.flushed, 3ull);
	vq_teardown(test);
}

/*
 * A reset: a paused queue makes other submitters wait (bounded), the
 * oldest unanswered buffer shows as stuck, flush gives it back with
 * -EIO, and a new virtqueue takes over.
 */
static void vq_pause_reset(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *held = capset_buf(test, 0), *late = capset_buf(test, 0);
	struct virtio_gpu_ctrl_hdr head = {};
	struct virtqueue *vq;

	ctx->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &held, 1, HZ), 0);
	KUNIT_EXPECT_FALSE(test, vgpu_vq_stuck(&ctx->q, 100 * HZ, &head, sizeof(head)));
	KUNIT_EXPECT_EQ(test, head.type, 0u);
	msleep(20);
	/* The stuck request's header, for the log. */
	KUNIT_EXPECT_TRUE(test, vgpu_vq_stuck(&ctx->q, msecs_to_jiffies(5), &head,
					      sizeof(head)));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(head.type), (u32)VIRTIO_GPU_CMD_GET_CAPSET_INFO);
	KUNIT_EXPECT_FALSE(test, vgpu_vq_drain(&ctx->q, msecs_to_jiffies(20)));
	vgpu_vq_pause(&ctx->q);
	KUNIT_EXPECT_FALSE(test, vgpu_vq_stuck(&ctx->q, msecs_to_jiffies(5), NULL, 0));
	/* As another task would: it waits, then gives up. */
	ctx->q.pause_owner = NULL;
	KUNIT_EXPECT_EQ(test, vgpu_vq_queue(&ctx->q, late, msecs_to_jiffies(30)),
			-ETIMEDOUT);
	vgpu_vq_pause(&ctx->q);
	vgpu_vq_flush(&ctx->q, -EIO);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(held, 0), -EIO);
	KUNIT_EXPECT_EQ(test, ctx->q.inflight, 0u);
	vgpu_vq_detach(&ctx->q);
	/* Between detach and attach, an interrupt finds nothing to do. */
	vgpu_vq_reclaim(&ctx->q);
	vgpu_fake_host_del_vqs(ctx->host);
	ctx->host->q[0].hold = false;
	vq = vgpu_fake_host_new_vq(ctx->host, 0, vq_test_cb, "control");
	KUNIT_ASSERT_NOT_NULL(test, vq);
	vgpu_vq_attach(&ctx->q, vq);
	vgpu_vq_unpause(&ctx->q);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &late, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_buf_wait(late, HZ), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_vq_drain(&ctx->q, HZ));
	vgpu_buf_put(held);
	vgpu_buf_put(late);
	vq_teardown(test);
}

static void vq_snapshot(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_vq_state st;
	struct vgpu_buf *buf = capset_buf(test, 0);

	ctx->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &buf, 1, HZ), 0);
	vgpu_vq_snapshot(&ctx->q, &st);
	KUNIT_EXPECT_EQ(test, st.size, 64u);
	KUNIT_EXPECT_EQ(test, st.inflight, 1u);
	KUNIT_EXPECT_LT(test, st.free, 64u);
	KUNIT_EXPECT_FALSE(test, st.dead);
	KUNIT_EXPECT_EQ(test, st.stats.queued, 1ull);
	vgpu_fake_host_release(ctx->host, 0, false);
	vgpu_vq_snapshot(&ctx->q, &st);
	KUNIT_EXPECT_EQ(test, st.inflight, 0u);
	KUNIT_EXPECT_EQ(test, st.free, 64u);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

/*
 * What the host has not answered, oldest first with its header and age,
 * and how long the slowest answer took once it came.
 */
static void vq_pending_oldest_first(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *old = display_info_buf(test), *young = capset_buf(test, 1);
	const struct virtio_gpu_ctrl_hdr *hdr;
	struct vgpu_vq_waiting w[2];

	KUNIT_EXPECT_EQ(test, vgpu_vq_pending(&ctx->q, w, ARRAY_SIZE(w)), 0u);
	ctx->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &old, 1, HZ), 0);
	msleep(30);
	KUNIT_ASSERT_EQ(test, vgpu_vq_submit(&ctx->q, &young, 1, HZ), 0);
	KUNIT_EXPECT_EQ(test, vgpu_vq_pending(&ctx->q, w, ARRAY_SIZE(w)), 2u);
	hdr = (const struct virtio_gpu_ctrl_hdr *)w[0].head;
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->type), (u32)VIRTIO_GPU_CMD_GET_DISPLAY_INFO);
	hdr = (const struct virtio_gpu_ctrl_hdr *)w[1].head;
	KUNIT_EXPECT_EQ(test, le32_to_cpu(hdr->type), (u32)VIRTIO_GPU_CMD_GET_CAPSET_INFO);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(w[0].age), 20u);
	KUNIT_EXPECT_GT(test, w[0].age, w[1].age);
	/* Room for one: the count is still every buffer on the ring. */
	memset(w, 0, sizeof(w));
	KUNIT_EXPECT_EQ(test, vgpu_vq_pending(&ctx->q, w, 1), 2u);
	KUNIT_EXPECT_EQ(test, w[1].age, 0ul);
	KUNIT_EXPECT_EQ(test, ctx->q.stats.longest, 0ul);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(ctx->host, 0, false), 2u);
	KUNIT_EXPECT_EQ(test, vgpu_vq_pending(&ctx->q, w, ARRAY_SIZE(w)), 0u);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(ctx->q.stats.longest), 20u);
	vgpu_buf_put(old);
	vgpu_buf_put(young);
	vq_teardown(test);
}

/* A payload the buffer owns reaches the device intact, small or large. */
static void vq_owned_payload(struct kunit *test)
{
	static const size_t sizes[] = { 16, 3 * PAGE_SIZE + 40, 600 * 1024 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct vgpu_buf *buf = vgpu_buf_alloc(8, 0, GFP_KERNEL);
		struct scatterlist *sg;
		size_t total = 0, k;
		u8 *mem;
		unsigned int j;

		KUNIT_ASSERT_NOT_NULL(test, buf);
		mem = vgpu_buf_alloc_data(buf, sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, mem);
		for (k = 0; k < sizes[i]; k++)
			mem[k] = (u8)(k * 7 + i);
		KUNIT_EXPECT_EQ(test, buf->data_len, (u32)sizes[i]);
		KUNIT_EXPECT_TRUE(test, buf->data_to_device);
		/* The scatterlist covers the payload in order, byte for byte. */
		for_each_sg(buf->data, sg, buf->data_nents, j) {
			u8 *p = sg_virt(sg);

			for (k = 0; k < sg->length; k++)
				if (p[k] != (u8)((total + k) * 7 + i))
					break;
			KUNIT_EXPECT_EQ(test, k, (size_t)sg->length);
			total += sg->length;
		}
		KUNIT_EXPECT_EQ(test, total, sizes[i]);
		/* A second payload is refused. */
		KUNIT_EXPECT_NULL(test, vgpu_buf_alloc_data(buf, 8, GFP_KERNEL));
		vgpu_buf_put(buf);
	}
	{
		struct vgpu_buf *buf = vgpu_buf_alloc(8, 0, GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, buf);
		KUNIT_EXPECT_NULL(test, vgpu_buf_alloc_data(buf, 0, GFP_KERNEL));
		vgpu_buf_put(buf);
	}
	vq_teardown(test);
}

/*
 * Bytes after a request: inside the request while the whole fits a
 * page, a payload of their own beyond; nothing for a zero length.
 */
static void vq_buf_tail(struct kunit *test)
{
	struct vgpu_buf *buf;
	void *tail;

	buf = vgpu_buf_alloc_tail(32, PAGE_SIZE - 32, 24, GFP_KERNEL, &tail);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_PTR_EQ(test, tail, (void *)((u8 *)buf->req + 32));
	KUNIT_EXPECT_EQ(test, buf->req_len, (u32)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, buf->data_nents, 0u);
	KUNIT_EXPECT_EQ(test, buf->resp_len, 24u);
	vgpu_buf_put(buf);

	buf = vgpu_buf_alloc_tail(32, PAGE_SIZE - 31, 24, GFP_KERNEL, &tail);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, buf->req_len, 32u);
	KUNIT_EXPECT_PTR_EQ(test, tail, buf->own_mem);
	KUNIT_EXPECT_EQ(test, buf->data_len, (u32)(PAGE_SIZE - 31));
	KUNIT_EXPECT_TRUE(test, buf->data_to_device);
	vgpu_buf_put(buf);

	buf = vgpu_buf_alloc_tail(32, 0, 24, GFP_KERNEL, &tail);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_NULL(test, tail);
	KUNIT_EXPECT_EQ(test, buf->req_len, 32u);
	KUNIT_EXPECT_EQ(test, buf->data_nents, 0u);
	vgpu_buf_put(buf);
	vq_teardown(test);
}

static void vq_buf_alloc_rules(struct kunit *test)
{
	struct vq_ctx *ctx = test->priv;
	struct vgpu_buf *buf;

	KUNIT_EXPECT_NULL(test, vgpu_buf_alloc(0, 16, GFP_KERNEL));
	buf = vgpu_buf_alloc(3, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_EXPECT_NULL(test, buf->resp);
	KUNIT_EXPECT_EQ(test, vgpu_buf_live_count(), ctx->live_before + 1);
	vgpu_buf_put(buf);
	buf = vgpu_buf_alloc(3, 5, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	/* the response starts 8-byte aligned after the request */
	KUNIT_EXPECT_PTR_EQ(test, buf->resp, (void *)(buf->storage + 8));
	vgpu_buf_put(buf);
	vgpu_buf_put(NULL);
	vq_teardown(test);
}

static struct kunit_case vgpu_vq_cases[] = {
	KUNIT_CASE(vq_one_command),
	KUNIT_CASE(vq_batch_one_notify),
	KUNIT_CASE(vq_separate_submits_notify_each),
	KUNIT_CASE(vq_queue_then_kick),
	KUNIT_CASE_PARAM(vq_error_response_reaches_caller, error_types_gen_params),
	KUNIT_CASE(vq_truncated_response),
	KUNIT_CASE(vq_oversize_response_clamped),
	KUNIT_CASE(vq_unanswered_times_out),
	KUNIT_CASE(vq_abandoned_buffer_freed_on_late_answer),
	KUNIT_CASE(vq_out_of_order_completion),
	KUNIT_CASE(vq_stopped_refuses),
	KUNIT_CASE(vq_panic_submit),
	KUNIT_CASE(vq_flush_gives_back_held),
	KUNIT_CASE(vq_pause_reset),
	KUNIT_CASE(vq_snapshot),
	KUNIT_CASE(vq_pending_oldest_first),
	KUNIT_CASE(vq_buf_alloc_rules),
	KUNIT_CASE(vq_owned_payload),
	KUNIT_CASE(vq_buf_tail),
	{}
};

struct kunit_suite vgpu_vq_suite = {
	.name = "vgpu_vq",
	.init = vq_init,
	.exit = vq_exit,
	.test_cases = vgpu_vq_cases,
};

/*
 * With indirect descriptors a two-part command takes one ring slot: the
 * host must follow the indirect table, and an 8-slot ring holds 8.
 */
static void vq_indirect_descriptors(struct kunit *test)
{
	const u64 indirect = BIT_ULL(VIRTIO_RING_F_INDIRECT_DESC);
	struct vgpu_buf *bufs[8];
	struct vq_ctx *ctx;
	unsigned int i;

	vq_teardown(test);
	KUNIT_ASSERT_EQ(test, vq_setup_features(test, 8, indirect), 0);
	ctx = test->priv;
	fill_ring(test, bufs, ARRAY_SIZE(bufs));
	ctx->host->q[0].stalled = false;
	vgpu_vq_kick(&ctx->q);
	for (i = 0; i < ARRAY_SIZE(bufs); i++) {
		KUNIT_EXPECT_EQ(test, vgpu_buf_wait(bufs[i], HZ), 0);
		KUNIT_EXPECT_EQ(test, check_capset_info(bufs[i]), 0);
		vgpu_buf_put(bufs[i]);
	}
	KUNIT_EXPECT_EQ(test, ctx->host->commands, 8u);
	vq_teardown(test);
}

static struct kunit_case vgpu_vq_full_cases[] = {
	KUNIT_CASE(vq_indirect_descriptors),
	KUNIT_CASE(vq_full_ring_waits_bounded),
	KUNIT_CASE(vq_full_ring_wait_interruptible),
	KUNIT_CASE(vq_full_ring_resumes_when_host_answers),
	{}
};

struct kunit_suite vgpu_vq_full_suite = {
	.name = "vgpu_vq_full",
	.init = vq_small_init,
	.exit = vq_exit,
	.test_cases = vgpu_vq_full_cases,
};
