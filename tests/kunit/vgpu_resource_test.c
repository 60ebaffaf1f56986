// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: resources of their own, transfers, jobs on buffers and fence
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
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/virtgpu_drm.h>

#include "vgpu_tests.h"
#include "vgpu_test_env.h"

static void res_3d_lifecycle(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_transfer_desc t = {
		.x = 8, .y = 4, .w = 16, .h = 8, .d = 1, .offset = 4 * 256 + 32,
	};
	struct vgpu_bo *bo = vtest_new_bo(test, vg, 64 * 32 * 4);
	struct drm_gem_object *obj = &bo->base.base;
	int live = atomic_read(&vg->res.live);	/* the console's */
	/* the console's backing */
	unsigned int attached = vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING);
	struct vgpu_fake_res *r;
	u32 ctx, id;

	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &vtest_tex64x32, VGPU_HRES_3D), 0);
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
	/* No pages for the host until a command may use them. */
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 0ull);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING),
			attached);
	KUNIT_EXPECT_NULL(test, bo->base.pages);
	/* Nor a shmem file to take them from. */
	KUNIT_EXPECT_NULL(test, obj->filp);
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

	/*
	 * A transfer is a fence on the buffer until the host answers. The
	 * first one attaches the pages ahead of it, in the same kick.
	 */
	host->q[0].hold = true;
	KUNIT_EXPECT_EQ(test, vgpu_transfer(vg, f, bo, true, &t), 0);
	KUNIT_EXPECT_FALSE(test, dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ));
	KUNIT_EXPECT_EQ(test, vgpu_gem_wait(vg, obj, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 2u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_EQ(test, r->backing_bytes, 64ull * 32 * 4);
	KUNIT_EXPECT_NOT_NULL(test, obj->filp);
	KUNIT_EXPECT_NOT_NULL(test, bo->base.pages);
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
	/* The pages went to the host once. */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(host, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING),
			attached + 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 0);
	/* Closing the handle detaches; the last reference unrefs. */
	vgpu_ctx_resource(vg, ctx, id, false);
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

/* Without 3D: 2D resources, transfers to the host only. */
static void res_2d_without_virgl(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, 0);
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_res3d_desc d = { .format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
				     .width = 32, .height = 16, .depth = 1,
				     .array_size = 1 };
	struct vgpu_transfer_desc t = { .w = 32, .h = 16, .d = 1 };
	struct vgpu_file *f = vtest_new_file(test);
	struct vgpu_bo *bo = vtest_new_bo(test, vg, 32 * 16 * 4);
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
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, id));
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	KUNIT_EXPECT_EQ(test, host->protocol_errors, 0u);
	vtest_unbind_and_check(test);
}

/* A create the host refuses is counted, and the buffer still goes. */
static void res_create_refused(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_fake_rule refuse = {
		.type = VIRTIO_GPU_CMD_RESOURCE_CREATE_3D, .fault = VGPU_FAKE_ERROR,
		.resp_type = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, .count = 1,
	};
	struct vgpu_bo *bo = vtest_new_bo(test, vg, PAGE_SIZE);
	int live = atomic_read(&vg->res.live);	/* the console's */

	vgpu_fake_host_add_rule(host, &refuse);
	KUNIT_ASSERT_EQ(test, vgpu_bo_res_create(vg, bo, &vtest_tex64x32, VGPU_HRES_3D), 0);
	vgpu_vq_kick(&vg->ctrlq);
	flush_work(&host->q[0].irq);
	/* The create (its backing waits for a first use). */
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->host_errors.count), 1);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(host, bo->res->id));
	vtest_put_bo_settled(vg, host, bo);
	KUNIT_EXPECT_EQ(test, atomic_read(&vg->res.live), live);
	vtest_unbind_and_check(test);
}

/*
 * A job's fence goes on each of its buffers; an in fence of the job's own
 * ring is not waited for (the ring is ordered), so a held ring does not
 * block the next job.
 */
static void job_buffers_and_own_ring(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_VIRGL));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_file *f = vtest_new_file(test);
	struct drm_framebuffer fb = {
		.format = drm_format_info(DRM_FORMAT_XRGB8888),
	};
	struct drm_gem_object *objs[2], *idle;
	struct dma_fence *first;
	struct vgpu_job job = {};
	unsigned long t0;
	void *data;
	u32 ctx;

	objs[0] = &vtest_new_bo(test, vg, PAGE_SIZE)->base.base;
	objs[1] = &vtest_new_bo(test, vg, PAGE_SIZE)->base.base;
	idle = &vtest_new_bo(test, vg, PAGE_SIZE)->base.base;
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
	/* What a commit or DIRTYFB showing a framebuffer on it waits for. */
	fb.obj[0] = objs[1];
	KUNIT_EXPECT_TRUE(test, vgpu_fb_being_written(&fb));
	fb.obj[0] = idle;
	KUNIT_EXPECT_FALSE(test, vgpu_fb_being_written(&fb));
	job = (struct vgpu_job){ .in_fences = &first, .num_in = 1 };
	job.buf = vgpu_cmd_submit_alloc(ctx, 0, &data);
	t0 = jiffies;
	KUNIT_EXPECT_EQ(test, vgpu_job_run(vg, f, &job), 0);
	KUNIT_EXPECT_LT(test, jiffies - t0, vg->cmd_timeout / 2);
	/* No buffers and no out fence: nobody can wait for it, no fence. */
	KUNIT_EXPECT_NULL(test, job.out);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, 0, false), 2u);
	flush_work(&host->q[0].irq);
	host->q[0].hold = false;
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(first));
	KUNIT_EXPECT_TRUE(test, dma_resv_test_signaled(objs[0]->resv, DMA_RESV_USAGE_READ));
	KUNIT_EXPECT_TRUE(test, dma_resv_test_signaled(objs[1]->resv, DMA_RESV_USAGE_READ));
	fb.obj[0] = objs[1];
	KUNIT_EXPECT_FALSE(test, vgpu_fb_being_written(&fb));
	dma_fence_put(first);
	dma_fence_put(job.out);
	drm_gem_object_put(objs[0]);
	drm_gem_object_put(objs[1]);
	drm_gem_object_put(idle);
	vgpu_ctx_fini(vg, f);
	vtest_unbind_and_check(test);
}

/* A polled ring's fence sends FENCE_SIGNALED to the file, once. */
static void fence_event_polled_ring(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT));
	struct vgpu_fake_host *host = ((struct vtest_ctx *)test->priv)->host;
	struct vgpu_ctx_params p = { .has_capset = true,
				     .capset_id = VIRTGPU_DRM_CAPSET_VENUS,
				     .num_rings = 2, .poll_rings_mask = 0x2 };
	struct drm_pending_event *e;
	struct vgpu_job job = {};
	struct drm_file *df;
	struct file *filp;
	void *data;

	/* A real open of the render node: events need a DRM file. */
	filp = vtest_open_render_node(vg->drm);
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
	vtest_unbind_and_check(test);
}

/*
 * Blobs, the host-visible region and PRIME, through the ioctl's entry
 * point on a real DRM file of the render node.
 */

/*
 * A buffer gets its shmem file at the first use of its pages, by any path
 * (a mapping here), and keeps it; the pages are the file's.
 */
static void gem_file_at_first_use(struct kunit *test)
{
	struct vgpu_device *vg = vtest_bind_3d(test, 0);
	struct vgpu_bo *bo = vtest_new_bo(test, vg, 3 * PAGE_SIZE + 1);
	struct drm_gem_object *obj = &bo->base.base;
	struct iosys_map map;
	struct file *filp;
	u8 *p;

	KUNIT_EXPECT_EQ(test, obj->size, 4 * PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, obj->filp);
	KUNIT_EXPECT_NULL(test, bo->base.pages);
	KUNIT_ASSERT_EQ(test, drm_gem_vmap(obj, &map), 0);
	filp = obj->filp;
	KUNIT_ASSERT_NOT_NULL(test, filp);
	KUNIT_EXPECT_EQ(test, i_size_read(file_inode(filp)), (loff_t)obj->size);
	p = map.vaddr;
	p[0] = 0x5a;
	p[obj->size - 1] = 0xa5;
	drm_gem_vunmap(obj, &map);
	/* Again: the same file, and the bytes written through the first map. */
	KUNIT_EXPECT_EQ(test, vgpu_bo_file(bo), 0);
	KUNIT_EXPECT_PTR_EQ(test, obj->filp, filp);
	KUNIT_ASSERT_FALSE(test, IS_ERR(vgpu_bo_sgt(bo)));
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(bo->base.pages[0]))[0], 0x5a);
	KUNIT_EXPECT_EQ(test, ((u8 *)page_address(bo->base.pages[3]))[PAGE_SIZE - 1], 0xa5);
	KUNIT_EXPECT_PTR_EQ(test, obj->filp, filp);
	drm_gem_object_put(obj);
	vtest_unbind_and_check(test);
}

static struct kunit_case vgpu_resource_cases[] = {
	KUNIT_CASE(res_3d_lifecycle),
	KUNIT_CASE(res_2d_without_virgl),
	KUNIT_CASE(gem_file_at_first_use),
	KUNIT_CASE(res_create_refused),
	KUNIT_CASE(job_buffers_and_own_ring),
	KUNIT_CASE(fence_event_polled_ring),
	{}
};

struct kunit_suite vgpu_resource_suite = {
	.name = "vgpu_resource",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_resource_cases,
};

/* Recovery: hangs reset the device; suspend and resume rebuild it. */
