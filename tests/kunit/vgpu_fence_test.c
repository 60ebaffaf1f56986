// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: fences: submissions answered in order, out of order, lost,
 * refused.
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

static void fence_in_order(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct dma_fence *fs[3];
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_fake_ctx *x;
	unsigned int i;
	u32 id;

	/* The context first: its creation waits for an answer. */
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &id), 0);
	host->q[0].hold = true;
	for (i = 0; i < 3; i++)
		fs[i] = vtest_submit_ok(test, vg, f, 0, false);
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
	vtest_unbind_and_check(test);
}

/* A lost answer does not wedge the timeline; a refusal is an error. */
static void fence_lost_and_refused(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_fake_rule refuse = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct dma_fence *lost, *next, *bad;
	struct vgpu_file *f = vtest_new_file(test);

	vgpu_fake_host_add_rule(host, &drop);
	lost = vtest_submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(lost));
	next = vtest_submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(next));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(lost));
	KUNIT_EXPECT_EQ(test, lost->error, 0);
	vgpu_fake_host_add_rule(host, &refuse);
	bad = vtest_submit_ok(test, vg, f, 0, false);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(bad));
	KUNIT_EXPECT_EQ(test, bad->error, -EINVAL);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	dma_fence_put(lost);
	dma_fence_put(next);
	dma_fence_put(bad);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

/* Rings are timelines of their own. */
static void fence_rings(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true,
				     .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
				     .num_rings = 2 };
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct dma_fence *r0, *r1, *r0b, *out = NULL;
	struct vgpu_file *f = vtest_new_file(test);

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(vg, f, &p), 0);
	vgpu_fake_host_add_rule(host, &drop);
	r0 = vtest_submit_ok(test, vg, f, 0, true);
	r1 = vtest_submit_ok(test, vg, f, 1, true);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_NE(test, r0->context, r1->context);
	KUNIT_EXPECT_EQ(test, r1->seqno, 1ull);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(r1));
	/* Ring 1's answer says nothing of ring 0. */
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(r0));
	r0b = vtest_submit_ok(test, vg, f, 0, true);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(r0));
	KUNIT_EXPECT_EQ(test, r0b->seqno, 2ull);
	/* A ring the context does not have. */
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, 0, true, 2, NULL, &out),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, out);
	/* Zero-size submissions are fences; oversize ones are refused. */
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, 0, true, 1, NULL, &out), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(out));
	dma_fence_put(out);
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, VGPU_EXECBUF_MAX + 1,
					   false, 0, NULL, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	dma_fence_put(r0);
	dma_fence_put(r1);
	dma_fence_put(r0b);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

/*
 * Each file's ring is a timeline with its own list: answers in reverse
 * order across two files signal only their own timeline's earlier
 * fences, and a file that closes with fences pending leaves them to be
 * signalled when answered (its timelines go with the last of them).
 */
static void fence_timelines_closed_file(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_file *a = vtest_new_file(test), *b = vtest_new_file(test);
	struct dma_fence *fa[2], *fb[2];
	unsigned int i;
	u32 id;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, a, &id), 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, b, &id), 0);
	host->q[0].hold = true;
	for (i = 0; i < 2; i++) {
		fa[i] = vtest_submit_ok(test, vg, a, 0, false);
		fb[i] = vtest_submit_ok(test, vg, b, 0, false);
	}
	KUNIT_EXPECT_NE(test, fa[0]->context, fb[0]->context);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 4u);
	vgpu_ctx_fini(vg, a);
	vtest_end_file(test, a);
	/* Answered newest first: b's second answer comes first. */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, true), 5u);
	flush_work(&host->q[0].irq);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fa[i]));
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fb[i]));
		KUNIT_EXPECT_EQ(test, fa[i]->error, 0);
		KUNIT_EXPECT_EQ(test, fb[i]->error, 0);
		dma_fence_put(fa[i]);
		dma_fence_put(fb[i]);
	}
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	host->q[0].hold = false;
	vgpu_ctx_fini(vg, b);
	vtest_unbind_and_check(test);
}

/* In fences are waited for, boundedly; a device that goes fails fences. */
static void fence_in_fence_and_unplug(struct kunit *test)
{
	struct vgpu_device *vg;
	struct vgpu_fake_host *host;
	struct dma_fence *stub = dma_fence_get_stub(), *out = NULL, *held;
	struct dma_fence *never;
	struct vgpu_file *f = vtest_new_file(test);

	vgpu_cmd_timeout_ms = 300;
	vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct vtest_ctx *)test->priv)->host;
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, 0, false, 0, stub, &out), 0);
	dma_fence_put(stub);
	KUNIT_ASSERT_NOT_NULL(test, out);
	never = &vgpu_fence_alloc(vg, dma_fence_context_alloc(1), 1)->base;
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, 0, false, 0, never, NULL),
			-ETIMEDOUT);
	dma_fence_signal(never);
	dma_fence_put(never);
	host->q[0].hold = true;
	held = vtest_submit_ok(test, vg, f, 0, false);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(held));
	vtest_unbind_and_check(test);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(held));
	KUNIT_EXPECT_EQ(test, held->error, -ENODEV);
	dma_fence_put(held);
	dma_fence_put(out);
}

/*
 * A job nobody can wait for (no buffers, no out fence, no event) goes
 * without a fence and takes no sequence number; the ring's next fence
 * still follows it.
 */
static void fence_unobserved_job(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_fake_rule refuse = {
		.type = VIRTIO_GPU_CMD_SUBMIT_3D, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	static const u32 cmds[4] = { 1, 2, 3, 4 };
	struct vgpu_file *f = vtest_new_file(test);
	const struct virtio_gpu_ctrl_hdr *h;
	struct vgpu_fake_cmd *c;
	unsigned int n = 0;
	unsigned long irq;
	struct dma_fence *out;
	u32 flags[3], id;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &id), 0);
	host->q[0].hold = true;
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, cmds, sizeof(cmds), false, 0,
					   NULL, NULL), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 0u);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vg->fences.unfenced), 1ll);
	out = vtest_submit_ok(test, vg, f, 0, false);
	KUNIT_EXPECT_EQ(test, out->seqno, 1ull);
	KUNIT_EXPECT_EQ(test, vgpu_fence_pending(vg), 1u);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 2u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	dma_fence_put(out);
	spin_lock_irqsave(&host->lock, irq);
	list_for_each_entry(c, &host->log, link) {
		h = (const void *)c->req;
		if (c->type == VIRTIO_GPU_CMD_SUBMIT_3D && n < ARRAY_SIZE(flags))
			flags[n++] = le32_to_cpu(h->flags);
	}
	spin_unlock_irqrestore(&host->lock, irq);
	KUNIT_ASSERT_EQ(test, n, 2u);
	KUNIT_EXPECT_FALSE(test, flags[0] & VIRTIO_GPU_FLAG_FENCE);
	KUNIT_EXPECT_TRUE(test, flags[1] & VIRTIO_GPU_FLAG_FENCE);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vg->fences.unfenced), 1ll);
	/* With no fence to fail, a refusal is counted. */
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	vgpu_fake_host_add_rule(host, &refuse);
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, cmds, sizeof(cmds), false, 0,
					   NULL, NULL), 0);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 1);
	KUNIT_EXPECT_EQ(test, READ_ONCE(vg->host_errors.last_cmd),
			(u32)VIRTIO_GPU_CMD_SUBMIT_3D);
	KUNIT_EXPECT_EQ(test, atomic64_read(&vg->fences.unfenced), 2ll);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

static struct kunit_case vgpu_fence_cases[] = {
	KUNIT_CASE(fence_in_order),
	KUNIT_CASE(fence_lost_and_refused),
	KUNIT_CASE(fence_rings),
	KUNIT_CASE(fence_unobserved_job),
	KUNIT_CASE(fence_timelines_closed_file),
	KUNIT_CASE(fence_in_fence_and_unplug),
	{}
};

struct kunit_suite vgpu_fence_suite = {
	.name = "vgpu_fence",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_fence_cases,
};

/* Resources of their own, transfers, jobs on buffers and fence events. */
