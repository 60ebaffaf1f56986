// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the suites that bind vgpu to the fake host share (see
 * vgpu_test_env.h).
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

int vtest_init(struct kunit *test)
{
	struct vtest_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	ctx->live_before = vgpu_buf_live_count();
	ctx->timeout_before = vgpu_cmd_timeout_ms;
	ctx->hang_before = vgpu_hang_timeout_ms;
	test->priv = ctx;
	return 0;
}

void vtest_exit(struct kunit *test)
{
	struct vtest_ctx *ctx = test->priv;

	vgpu_fake_host_destroy(ctx->host);
	while (ctx->num_files)
		vgpu_file_fini(ctx->files[--ctx->num_files]);
	vgpu_cmd_timeout_ms = ctx->timeout_before;
	vgpu_hang_timeout_ms = ctx->hang_before;
}

struct vgpu_fake_host *vtest_new_host(struct kunit *test, u64 features,
				      unsigned int scanouts)
{
	struct vtest_ctx *ctx = test->priv;

	ctx->host = vgpu_fake_host_create(features);
	KUNIT_ASSERT_NOT_NULL(test, ctx->host);
	vgpu_fake_host_default_display(ctx->host, scanouts);
	return ctx->host;
}

/* Register; return the driver's device state, or NULL if it did not vtest_bind. */
struct vgpu_device *vtest_bind(struct kunit *test)
{
	struct vtest_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ_MSG(test, vgpu_fake_host_register(ctx->host), 0, "%s",
			    ctx->host->last_error);
	if (!ctx->host->vdev.dev.driver)
		return NULL;
	return ctx->host->vdev.priv;
}

void vtest_unbind_and_check(struct kunit *test)
{
	struct vtest_ctx *ctx = test->priv;
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

struct vgpu_file *vtest_new_file(struct kunit *test)
{
	struct vgpu_file *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct vtest_ctx *ctx = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_LT(test, ctx->num_files, VTEST_MAX_FILES);
	KUNIT_ASSERT_EQ(test, vgpu_file_init(f), 0);
	ctx->files[ctx->num_files++] = f;
	return f;
}

/* The file closes before the test ends: vgpu_file_fini() now, not at exit. */
void vtest_end_file(struct kunit *test, struct vgpu_file *f)
{
	struct vtest_ctx *ctx = test->priv;
	unsigned int i;

	for (i = 0; i < ctx->num_files; i++) {
		if (ctx->files[i] != f)
			continue;
		vgpu_file_fini(f);
		ctx->files[i] = ctx->files[--ctx->num_files];
		return;
	}
	KUNIT_FAIL(test, "file not made by vtest_new_file()");
}

struct vgpu_device *vtest_bind_3d(struct kunit *test, u64 features)
{
	struct vgpu_fake_host *host = vtest_new_host(test, features, 1);
	struct vgpu_device *vg;

	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL, 1, 308);
	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vgpu_fake_host_add_capset(host, VIRTGPU_DRM_CAPSET_VENUS, 0, 160);
	vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, vg);
	return vg;
}

struct dma_fence *vtest_submit_ok(struct kunit *test, struct vgpu_device *vg,
				  struct vgpu_file *f, u32 ring, bool use_ring)
{
	struct dma_fence *out = NULL;
	static const u32 cmds[4] = { 1, 2, 3, 4 };

	KUNIT_EXPECT_EQ(test, vtest_submit(vg, f, cmds, sizeof(cmds), use_ring,
					   ring, NULL, &out), 0);
	KUNIT_ASSERT_NOT_NULL(test, out);
	return out;
}

struct vgpu_bo *vtest_new_bo(struct kunit *test, struct vgpu_device *vg,
			     size_t size)
{
	struct vgpu_bo *bo = vgpu_gem_shmem_create(vg->drm, size);

	KUNIT_ASSERT_FALSE(test, IS_ERR(bo));
	return bo;
}

/* Wait until released resources are gone: unref sent, answered, freed. */
void vtest_settle(struct vgpu_device *vg, struct vgpu_fake_host *host)
{
	flush_workqueue(vg->res.wq);
	flush_work(&host->q[0].irq);
	flush_workqueue(vg->res.wq);
}

/* Drop a buffer and wait until the host has let its resource go. */
void vtest_put_bo_settled(struct vgpu_device *vg, struct vgpu_fake_host *host,
			  struct vgpu_bo *bo)
{
	drm_gem_object_put(&bo->base.base);
	vtest_settle(vg, host);
}

const struct vgpu_res3d_desc vtest_tex64x32 = {
	.target = 2, .format = 1, .bind = 0x2, .width = 64, .height = 32,
	.depth = 1, .array_size = 1,
};

/*
 * Open @drm's render node as a process would. A KUnit case runs in a
 * kernel thread, whose root may hold nothing (7.x gives kernel threads an
 * empty file system): the node is looked up in a private mount of
 * devtmpfs instead of through "/dev".
 */
struct file *vtest_open_render_node(struct drm_device *drm)
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

/**
 * vtest_submit - queue a command stream on a ring of the file's context
 * @vg: device
 * @vfile: file state
 * @cmds: the stream (kernel memory)
 * @size: its size in bytes, at most VGPU_EXECBUF_MAX
 * @use_ring: @ring_idx was given (VIRTGPU_EXECBUF_RING_IDX)
 * @ring_idx: ring, below the context's ring count
 * @in_fence: fence to wait for first, or NULL
 * @out_fence: set to the submission's fence (one reference), or NULL (the
 *	       job then has none, as without an out fence in the ioctl)
 *
 * What DRM_IOCTL_VIRTGPU_EXECBUFFER does without its copies and syncobjs.
 *
 * Return: 0, -EINVAL for a stream above VGPU_EXECBUF_MAX, the context's
 * creation error, or an error of vgpu_job_run().
 */
int vtest_submit(struct vgpu_device *vg, struct vgpu_file *vfile,
		 const void *cmds, u32 size, bool use_ring, u32 ring_idx,
		 struct dma_fence *in_fence, struct dma_fence **out_fence)
{
	struct vgpu_job job = {
		.use_ring = use_ring,
		.ring_idx = ring_idx,
		.in_fences = &in_fence,
		.num_in = in_fence ? 1 : 0,
		.want_out = out_fence,
	};
	u32 ctx_id;
	void *data;
	int ret;

	if (size > VGPU_EXECBUF_MAX)
		return -EINVAL;
	ret = vgpu_ctx_get(vg, vfile, &ctx_id);
	if (ret)
		return ret;
	job.buf = vgpu_cmd_submit_alloc(ctx_id, size, &data);
	if (!job.buf)
		return -ENOMEM;
	if (size)
		memcpy(data, cmds, size);
	ret = vgpu_job_run(vg, vfile, &job);
	if (ret)
		return ret;
	if (out_fence)
		*out_fence = job.out;
	else
		dma_fence_put(job.out);
	return 0;
}
