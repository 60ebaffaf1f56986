// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: blobs: guest memory, host memory in the host-visible region,
 * Venus's sequence, refusals, a full region, PRIME with UUIDs.
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
	struct vtest_ctx *ctx = test->priv;
	struct blob_env *env = kunit_kzalloc(test, sizeof(*env), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, env);
	env->host = vtest_new_host(test, features, 1);
	env->host->hostmem_size = hostmem;
	/* 64 submissions held at once, two descriptors each */
	env->host->ring_num = 256;
	if (align)
		env->host->align = align;
	vgpu_fake_host_add_capset(env->host, VIRTGPU_DRM_CAPSET_VIRGL2, 2, 700);
	vgpu_fake_host_add_capset(env->host, VIRTGPU_DRM_CAPSET_VENUS, 0, 160);
	env->vg = vtest_bind(test);
	KUNIT_ASSERT_NOT_NULL(test, env->vg);
	env->filp = vtest_open_render_node(env->vg->drm);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(env->filp), "open the render node: %ld",
			       PTR_ERR(env->filp));
	env->df = env->filp->private_data;
	kunit_alloc_resource(test, NULL, blob_env_exit, GFP_KERNEL, env);
	ctx->host = env->host;
	return env;
}

/* Close the file (its handles, its context) and let the host vtest_settle. */
static void blob_close(struct blob_env *env)
{
	__fput_sync(env->filp);
	env->filp = NULL;
	/* the context goes with the file: its destroy is answered too */
	vtest_settle(env->vg, env->host);
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
	vtest_unbind_and_check(test);
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
		KUNIT_ASSERT_EQ(test, vtest_submit(vg, f, NULL, 0, true, ring, NULL,
						   &fence[ring]), 0);
		KUNIT_EXPECT_EQ(test, fence[ring]->context, f->timelines->context + ring);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_256K - SZ_64K);
	KUNIT_EXPECT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_MAPPABLE, SZ_64K, 9, &x), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, x.res_handle)->mapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	blob_close(env);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	vtest_unbind_and_check(test);
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
	vtest_settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, blob_try_timed(env, &took), -ENOSPC);
	KUNIT_EXPECT_LT(test, took, env->vg->cmd_timeout);

	/* a[0] goes; the host holds its unmap and unref */
	env->host->q[0].hold = true;
	KUNIT_ASSERT_EQ(test, drm_gem_handle_delete(env->df, a[0].bo_handle), 0);
	vtest_settle(env->vg, env->host);
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
	vtest_settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->hostmem.releasing), 0);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, (u64)SZ_128K);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_res(env->host, x.res_handle)->mapped);
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	blob_close(env);
	KUNIT_EXPECT_EQ(test, env->vg->hostmem.used, 0ull);
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
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
	vtest_unbind_and_check(test);
}

/*
 * Blobs without 3D: dumb buffers are shareable guest blobs, and the
 * console is scanned out of one in place (SET_SCANOUT_BLOB, no transfers).
 */
static void blob_dumb_console(struct kunit *test)
{
	struct vgpu_fake_host *host = vtest_new_host(test, BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB), 1);
	struct vgpu_fake_res *res;
	struct vgpu_device *vg;

	vg = vtest_bind(test);
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
	vtest_unbind_and_check(test);
}

/*
 * Closing a handle detaches the resource from the file's context, except
 * the buffer's last handle on a host that detaches at unref: the unref
 * that follows at once ends the resource. Cross-domain and gfxstream
 * contexts are detached one by one.
 */
static void blob_close_last_handle(struct kunit *test)
{
	struct blob_env *env = blob_bind(test, BLOB_FEATURES, 0, 0);
	struct drm_virtgpu_resource_create_blob a;
	struct drm_gem_object *obj;
	struct drm_file *df2;
	struct file *filp2;
	unsigned int detached;
	u32 h2;

	KUNIT_ASSERT_EQ(test, vgpu_ctx_init(env->vg, to_vgpu_file(env->df),
					    &venus_params), 0);
	KUNIT_ASSERT_EQ(test, mkblob(env, VIRTGPU_BLOB_MEM_HOST3D,
				     VIRTGPU_BLOB_FLAG_USE_SHAREABLE, SZ_64K, 1, &a), 0);
	obj = drm_gem_object_lookup(env->df, a.bo_handle);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	/* Held by this test too: the detach is sent. */
	KUNIT_EXPECT_TRUE(test, vgpu_gem_close_detaches(obj, VIRTGPU_DRM_CAPSET_VENUS));
	filp2 = vtest_open_render_node(env->vg->drm);
	KUNIT_ASSERT_FALSE(test, IS_ERR(filp2));
	df2 = filp2->private_data;
	KUNIT_ASSERT_EQ(test, drm_gem_handle_create(df2, obj, &h2), 0);
	drm_gem_object_put(obj);
	vtest_settle(env->vg, env->host);
	detached = vgpu_fake_host_count(env->host, VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE);
	/* Another file has a handle: detached from this file's context. */
	KUNIT_ASSERT_EQ(test, drm_gem_handle_delete(env->df, a.bo_handle), 0);
	/* Queued for the next kick, which a GEM_CLOSE does not make. */
	vgpu_vq_kick(&env->vg->ctrlq);
	vtest_settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(env->host,
						   VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE),
			detached + 1);
	KUNIT_ASSERT_NOT_NULL(test, vgpu_fake_host_res(env->host, a.res_handle));
	/* The last handle, nothing else holds the buffer. */
	KUNIT_EXPECT_FALSE(test, vgpu_gem_close_detaches(obj, 0));
	KUNIT_EXPECT_FALSE(test, vgpu_gem_close_detaches(obj, VIRTGPU_DRM_CAPSET_VIRGL2));
	KUNIT_EXPECT_FALSE(test, vgpu_gem_close_detaches(obj, VIRTGPU_DRM_CAPSET_VENUS));
	KUNIT_EXPECT_FALSE(test, vgpu_gem_close_detaches(obj, VIRTGPU_DRM_CAPSET_DRM));
	KUNIT_EXPECT_TRUE(test, vgpu_gem_close_detaches(obj, VIRTGPU_DRM_CAPSET_CROSS_DOMAIN));
	KUNIT_EXPECT_TRUE(test, vgpu_gem_close_detaches(obj,
							VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN));
	KUNIT_ASSERT_EQ(test, drm_gem_handle_delete(df2, h2), 0);
	vtest_settle(env->vg, env->host);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_count(env->host,
						   VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE),
			detached + 1);
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_res(env->host, a.res_handle));
	KUNIT_EXPECT_EQ(test, atomic_read(&env->vg->host_errors.count), 0);
	KUNIT_EXPECT_EQ(test, env->host->protocol_errors, 0u);
	__fput_sync(filp2);
	blob_close(env);
	vtest_unbind_and_check(test);
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
	KUNIT_CASE(blob_close_last_handle),
	{}
};

struct kunit_suite vgpu_blob_suite = {
	.name = "vgpu_blob",
	.init = vtest_init,
	.exit = vtest_exit,
	.test_cases = vgpu_blob_cases,
};
