/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KUnit: what the suites that bind vgpu to the fake host share. Each case
 * configures the host, registers it (the real driver probes), checks what
 * the driver did and what the host saw, then unregisters it (the driver
 * removes) and checks that the device was reset, no command buffer is
 * left and no command broke the protocol (vtest_unbind_and_check()).
 */
#ifndef VGPU_TEST_ENV_H
#define VGPU_TEST_ENV_H

#include <kunit/test.h>

#include "vgpu_drv.h"
#include "vgpu_fake_host.h"

struct drm_device;
struct file;

/* Per case: the host, and what the case must leave as it found. */
#define VTEST_MAX_FILES 16

struct vtest_ctx {
	struct vgpu_fake_host *host;
	/* files of vtest_new_file(), ended by vtest_exit() */
	struct vgpu_file *files[VTEST_MAX_FILES];
	unsigned int num_files;
	int live_before;
	unsigned int timeout_before;
	unsigned int hang_before;
};

#define ALL_FEATURES (BIT_ULL(VIRTIO_GPU_F_VIRGL) | BIT_ULL(VIRTIO_GPU_F_EDID) | \
		      BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID) | \
		      BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB) | \
		      BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT))
#define F_BLOB_ALIGNMENT 5
/* A feature bit no virtio-gpu specification defines. */
#define F_UNKNOWN 23

extern const struct vgpu_res3d_desc vtest_tex64x32;

int vtest_init(struct kunit *test);
void vtest_exit(struct kunit *test);
struct vgpu_fake_host *vtest_new_host(struct kunit *test, u64 features,
				      unsigned int scanouts);
struct vgpu_device *vtest_bind(struct kunit *test);
void vtest_unbind_and_check(struct kunit *test);
struct vgpu_file *vtest_new_file(struct kunit *test);
void vtest_end_file(struct kunit *test, struct vgpu_file *f);
struct vgpu_device *vtest_bind_3d(struct kunit *test, u64 features);
struct dma_fence *vtest_submit_ok(struct kunit *test, struct vgpu_device *vg,
				  struct vgpu_file *f, u32 ring, bool use_ring);
struct vgpu_bo *vtest_new_bo(struct kunit *test, struct vgpu_device *vg,
			     size_t size);
void vtest_settle(struct vgpu_device *vg, struct vgpu_fake_host *host);
void vtest_put_bo_settled(struct vgpu_device *vg, struct vgpu_fake_host *host,
			  struct vgpu_bo *bo);
struct file *vtest_open_render_node(struct drm_device *drm);
int vtest_submit(struct vgpu_device *vg, struct vgpu_file *vfile,
		 const void *cmds, u32 size, bool use_ring, u32 ring_idx,
		 struct dma_fence *in_fence, struct dma_fence **out_fence);

#endif /* VGPU_TEST_ENV_H */
