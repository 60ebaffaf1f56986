// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: recovery: hangs reset the device; suspend and resume rebuild it.
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
	struct vgpu_file *f = vtest_new_file(test), *g = vtest_new_file(test);
	struct vgpu_fake_host *host;
	struct dma_fence *hung, *fresh;
	struct vgpu_fake_res *r;
	struct vgpu_device *vg;
	struct vgpu_bo *bo;
	unsigned int resets;
	u32 ctx, id;
	long left;

	vgpu_hang_timeout_ms = 200;
	vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct vtest_ctx *)test->priv)->host;
	bo = vtest_new_bo(test, vg, 64 * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &vtest_tex64x32, VGPU_HRES_3D), 0);
	id = bo->res->id;
	/* Its pages went to the host (a transfer's first step). */
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_back(vg, bo), 0);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_back(vg, bo), 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	resets = host->resets;
	vgpu_fake_host_add_rule(host, &drop);
	hung = vtest_submit_ok(test, vg, f, 0, false);
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
	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, NULL, 0, false, 0, NULL, NULL),
			-ECANCELED);
	/* A new client works. */
	fresh = vtest_submit_ok(test, vg, g, 0, false);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fresh, true, 5 * HZ), 0L);
	KUNIT_EXPECT_EQ(test, fresh->error, 0);
	KUNIT_EXPECT_FALSE(test, vgpu_ctx_lost(vg, g));
	dma_fence_put(hung);
	dma_fence_put(fresh);
	vgpu_ctx_fini(vg, f);
	vgpu_ctx_fini(vg, g);
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
}

/* A waiter for an answer that never comes is released by the reset. */
static void recover_hang_waiter(struct kunit *test)
{
	struct vgpu_fake_rule drop = {
		.type = VIRTIO_GPU_CMD_CTX_CREATE, .fault = VGPU_FAKE_DROP, .count = 1,
	};
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_fake_host *host;
	struct vgpu_device *vg;
	unsigned long start;
	u32 ctx;

	vgpu_cmd_timeout_ms = 20000;
	vgpu_hang_timeout_ms = 200;
	vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	host = ((struct vtest_ctx *)test->priv)->host;
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
	vtest_unbind_and_check(test);
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
	struct vgpu_device *vg = vtest_bind(test);

	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	flush_work(&host->q[0].irq);
	expect_console_shown(test, host, 1);
	return vg;
}

/* A reset brings the display back with no commit from userspace. */
static void recover_reset_display(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 1);
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
	vtest_unbind_and_check(test);
}

/*
 * A host that does not answer the blanking costs the reset a bounded wait,
 * and the display still comes back.
 */
static void recover_reset_blank_unanswered(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_EDID), 1);
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
	vtest_unbind_and_check(test);
}

/* A bound device with a 64x32 3D texture on a buffer of its own. */
static struct vgpu_bo *bind_tex(struct kunit *test, struct vgpu_device **vg)
{
	struct vgpu_bo *bo;

	*vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, *vg);
	bo = vtest_new_bo(test, *vg, 64 * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(*vg, bo, &vtest_tex64x32, VGPU_HRES_3D), 0);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_back(*vg, bo), 0);
	vgpu_vq_kick(&(*vg)->ctrlq);
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
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
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
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
}

/*
 * A 3D resource gets its pages at their first use: a reset before it
 * makes the resource again without them, the first use then attaches
 * them to the new device, and the next reset makes it with them.
 */
static void recover_backing_at_first_use(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_device *vg;
	struct vgpu_fake_res *r;
	struct vgpu_bo *bo;
	u32 id;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	bo = vtest_new_bo(test, vg, 64 * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &vtest_tex64x32, VGPU_HRES_3D), 0);
	id = bo->res->id;
	vgpu_vq_kick(&vg->ctrlq);
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 0ull);
	KUNIT_EXPECT_NULL(test, bo->base.pages);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_back(vg, bo), 0);
	vgpu_vq_kick(&vg->ctrlq);
	flush_work(&host->q[0].irq);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	flush_work(&host->q[0].irq);
	r = vgpu_fake_host_res(host, id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
}

/* Suspend drains what is in flight; resume rebuilds it all. */
static void recover_freeze_restore(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 1);
	struct vgpu_file *f = vtest_new_file(test), *g = vtest_new_file(test);
	struct dma_fence *held, *fresh;
	struct vgpu_device *vg;
	unsigned int resets;
	u32 ctx;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	KUNIT_ASSERT_EQ(test, vgpu_fbdev_restore(vg->drm->fb_helper), 0);
	KUNIT_ASSERT_EQ(test, vgpu_ctx_get(vg, f, &ctx), 0);
	held = vtest_submit_ok(test, vg, f, 0, false);
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
	fresh = vtest_submit_ok(test, vg, g, 0, false);
	KUNIT_EXPECT_GT(test, dma_fence_wait_timeout(fresh, true, 5 * HZ), 0L);
	KUNIT_EXPECT_EQ(test, fresh->error, 0);
	dma_fence_put(held);
	dma_fence_put(fresh);
	vgpu_ctx_fini(vg, f);
	vgpu_ctx_fini(vg, g);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
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
	KUNIT_ASSERT_FALSE(test, IS_ERR(vgpu_bo_sgt(bo)));
	hres->shmem = &bo->base;
	hres->backed = true;
	return hres;
}

static void raced_put(struct kunit *test, struct vgpu_device *vg,
		      struct vgpu_hres *hres, struct vgpu_bo *bo)
{
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	u32 id = hres->id;

	vgpu_hres_put(hres);
	vtest_settle(vg, host);
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
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 0);
	struct vgpu_fake_res *r;
	struct vgpu_hres *hres, *sent;
	struct vgpu_device *vg;
	struct vgpu_bo *bo, *bo2;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	bo = vtest_new_bo(test, vg, 64 * 64 * 4);
	bo2 = vtest_new_bo(test, vg, 64 * 64 * 4);
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
	vtest_unbind_and_check(test);
}

/*
 * A creation that waited for a reset to end goes to the new device once:
 * tracking it does not make it a second time (the host would answer
 * ERR_INVALID_RESOURCE_ID), and the next reset makes it again.
 */
static void recover_creation_after_reset(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 0);
	struct vgpu_fake_res *r;
	struct vgpu_buf *create;
	struct vgpu_hres *hres;
	struct vgpu_device *vg;
	struct vgpu_bo *bo;
	u32 epoch;

	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	bo = vtest_new_bo(test, vg, 64 * 64 * 4);
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
	vtest_settle(vg, host);
	KUNIT_EXPECT_EQ(test, hres->epoch, vgpu_vq_epoch(&vg->ctrlq));
	KUNIT_EXPECT_NOT_NULL(test, vgpu_fake_host_res(host, hres->id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	/* Listed: the next reset brings it back, with its backing. */
	KUNIT_ASSERT_EQ(test, vgpu_reset(vg, "test"), 0);
	vtest_settle(vg, host);
	r = vgpu_fake_host_res(host, hres->id);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 64 * 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->recovery.restore_errors), 0);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	raced_put(test, vg, hres, bo);
	vtest_unbind_and_check(test);
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
	struct vgpu_fake_host *host = vtest_new_host(test, 0, 1);
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
	vtest_unbind_and_check(test);
}

/* A device that does not come back stays stopped: errors, no hang. */
static void recover_device_gone(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_VIRGL), 0);
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_device *vg;
	u32 ctx;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	/* The device refuses the driver's features from now on. */
	host->refuse_features = true;
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), -ENODEV);
	KUNIT_EXPECT_TRUE(test, vg->recovery.failed);
	KUNIT_EXPECT_EQ(test, vgpu_ctx_get(vg, f, &ctx), -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_reset(vg, "test"), -ENODEV);
	host->refuse_features = false;
	vtest_unbind_and_check(test);
}

static struct kunit_case vgpu_recover_cases[] = {
	KUNIT_CASE(recover_hang_fence),
	KUNIT_CASE(recover_hang_waiter),
	KUNIT_CASE(recover_reset_display),
	KUNIT_CASE(recover_reset_blank_unanswered),
	KUNIT_CASE(recover_reset_resv_held),
	KUNIT_CASE(recover_backing_at_first_use),
	KUNIT_CASE(recover_freeze_restore),
	KUNIT_CASE(recover_creation_raced),
	KUNIT_CASE(recover_creation_after_reset),
	KUNIT_CASE(recover_restore_error),
	KUNIT_CASE(recover_device_gone),
	{}
};

struct kunit_suite vgpu_recover_suite = {
	.name = "vgpu_recover",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_recover_cases,
};
