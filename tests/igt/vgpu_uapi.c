// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_uapi: the virtgpu ioctls through the render node, for vgpu and the
 * in-tree virtio_gpu alike. Each subtest prints one line:
 *
 *   SUBTEST <name> pass|fail|skip [reason]
 *
 * Usage: vgpu_uapi [-d /dev/dri/renderD128] [subtest...]   (default: all)
 * Environment: EXPECT_VIRGL, EXPECT_BLOB, EXPECT_HOSTMEM, EXPECT_VENUS,
 * EXPECT_CONTEXT_INIT=yes|no: what the device profile offers.
 * Exit status: 0 when no subtest failed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <xf86drm.h>

#include "drm_util.h"
#include "subtest.h"
#include "virtgpu_drm.h"

static int fd = -1;
static const char *node = "/dev/dri/renderD128";
static bool virgl;
/* what else the profile's host offers (EXPECT_BLOB, EXPECT_HOSTMEM, EXPECT_VENUS) */
static bool blob, hostmem, venus, ctx_init;

static int getparam(uint64_t param, int *value)
{
	struct drm_virtgpu_getparam g = { .param = param,
					  .value = (uintptr_t)value };

	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &g) ? -errno : 0;
}

static int get_caps(uint32_t id, uint32_t ver, void *dst, uint32_t size,
		    uint32_t pad)
{
	struct drm_virtgpu_get_caps c = { .cap_set_id = id, .cap_set_ver = ver,
					  .addr = (uintptr_t)dst, .size = size,
					  .pad = pad };

	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &c) ? -errno : 0;
}

/* Every parameter answers, as the device profile says. */
static int t_getparam_all(void)
{
	static const uint64_t ids[] = {
		VIRTGPU_PARAM_3D_FEATURES, VIRTGPU_PARAM_CAPSET_QUERY_FIX,
		VIRTGPU_PARAM_RESOURCE_BLOB, VIRTGPU_PARAM_HOST_VISIBLE,
		VIRTGPU_PARAM_CROSS_DEVICE, VIRTGPU_PARAM_CONTEXT_INIT,
		VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs,
		VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME,
	};
	int v[ARRAY_SIZE(ids)];

	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		int ret;

		v[i] = -12345;
		ret = getparam(ids[i], &v[i]);
		CHECK(!ret, "param %llu: %s", (unsigned long long)ids[i], strerror(-ret));
		CHECK(v[i] != -12345, "param %llu: nothing written",
		      (unsigned long long)ids[i]);
	}
	CHECK(v[0] == virgl, "3D_FEATURES %d, profile says %d", v[0], virgl);
	CHECK(v[1] == 1, "CAPSET_QUERY_FIX %d", v[1]);
	/*
	 * QEMU 7.2 offers none of blob, host-visible, context-init; QEMU 10
	 * offers what the profile asks for, and context-init with virgl.
	 */
	CHECK(v[2] == blob && v[3] == hostmem && v[5] == ctx_init,
	      "blob %d host_visible %d context_init %d, profile says %d %d %d",
	      v[2], v[3], v[5], blob, hostmem, ctx_init);
	if (virgl)
		CHECK((v[6] & 0x6) == 0x6, "capset ids 0x%x lack virgl and virgl2", v[6]);
	else
		CHECK(v[6] == 0, "capset ids 0x%x without virgl", v[6]);
	CHECK(!!(v[6] & (1 << VIRTGPU_DRM_CAPSET_VENUS)) == venus,
	      "capset ids 0x%x, profile says Venus %d", v[6], venus);
	return 0;
}

static int t_getparam_bad(void)
{
	int v, ret;

	ret = getparam(0, &v);
	CHECK(ret == -EINVAL, "param 0: %s, want EINVAL", strerror(-ret));
	ret = getparam(1000, &v);
	CHECK(ret == -EINVAL, "param 1000: %s, want EINVAL", strerror(-ret));
	ret = getparam(VIRTGPU_PARAM_3D_FEATURES, (int *)8);
	CHECK(ret == -EFAULT, "unmapped value pointer: %s, want EFAULT", strerror(-ret));
	return 0;
}

static int t_get_caps(void)
{
	uint8_t *buf = calloc(1, 65536);
	uint32_t first;
	int ret;

	if (!virgl) {
		ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, buf, 1024, 0);
		free(buf);
		CHECK(ret, "capset without 3D: accepted");
		return 0;
	}
	CHECK(buf, "memory");
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, buf, 65536, 0);
	CHECK(!ret, "virgl2 v2: %s", strerror(-ret));
	memcpy(&first, buf, 4);
	/* virgl caps begin with their max_version */
	CHECK(first >= 1 && first <= 64, "virgl2 max_version field %u", first);
	memset(buf, 0xaa, 16);
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, buf, 4, 0);
	CHECK(!ret && !memcmp(buf, &first, 4) && buf[4] == 0xaa,
	      "a 4-byte read: %s, or more than 4 bytes written", strerror(-ret));
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL, 1, buf, 65536, 0);
	CHECK(!ret, "virgl v1: %s", strerror(-ret));
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, buf, 0, 0);
	CHECK(ret == -EINVAL, "size 0: %s, want EINVAL (as upstream)", strerror(-ret));
	free(buf);
	return 0;
}

static int t_get_caps_bad(void)
{
	uint8_t buf[64];
	int ret;

	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, buf, sizeof(buf), 1);
	CHECK(ret == -EINVAL, "pad 1: %s, want EINVAL", strerror(-ret));
	if (!virgl)
		return 0;
	ret = get_caps(VIRTGPU_DRM_CAPSET_VENUS, 0, buf, sizeof(buf), 0);
	if (venus)
		CHECK(!ret, "venus (offered): %s", strerror(-ret));
	else
		CHECK(ret == -EINVAL, "venus (not offered): %s, want EINVAL", strerror(-ret));
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 99, buf, sizeof(buf), 0);
	CHECK(ret == -EINVAL, "version 99: %s, want EINVAL", strerror(-ret));
	ret = get_caps(VIRTGPU_DRM_CAPSET_VIRGL2, 2, (void *)8, sizeof(buf), 0);
	CHECK(ret == -EFAULT, "unmapped destination: %s, want EFAULT", strerror(-ret));
	return 0;
}

/* QEMU 7.2 does not offer CONTEXT_INIT: every form of it is refused. */
static int t_context_init_unoffered(void)
{
	struct drm_virtgpu_context_set_param p[2] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL2 },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 },
	};
	struct drm_virtgpu_context_init ci = { .num_params = 2,
					       .ctx_set_params = (uintptr_t)p };
	int v = -1;

	if (ctx_init)
		SKIP("the host offers CONTEXT_INIT");
	CHECK(!getparam(VIRTGPU_PARAM_CONTEXT_INIT, &v) && v == 0,
	      "CONTEXT_INIT offered (%d): this test is for hosts without it", v);
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EINVAL,
	      "CONTEXT_INIT without the feature: want EINVAL, got %s",
	      strerror(errno));
	return 0;
}

static int t_context_init_bad(void)
{
	struct drm_virtgpu_context_set_param p[5] = {
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 },
	};
	struct drm_virtgpu_context_init ci = { .num_params = 5,
					       .ctx_set_params = (uintptr_t)p };

	/* Form errors come first, whatever the host offers. */
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EINVAL,
	      "5 parameters: want EINVAL, got %s", strerror(errno));
	ci.num_params = 2;
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EINVAL,
	      "a parameter twice: want EINVAL, got %s", strerror(errno));
	p[1].param = 99;
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EINVAL,
	      "unknown parameter: want EINVAL, got %s", strerror(errno));
	ci.num_params = 1;
	ci.ctx_set_params = 8;
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EFAULT,
	      "unmapped parameters: want EFAULT, got %s", strerror(errno));
	ci.ctx_set_params = (uintptr_t)p;
	ci.pad = 1;
	CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci) && errno == EINVAL,
	      "pad 1: want EINVAL, got %s", strerror(errno));
	return 0;
}

static int execbuf(struct drm_virtgpu_execbuffer *e)
{
	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, e) ? -errno : 0;
}

/* Wait for a sync file; 1 signalled, 0 timed out, <0 error. */
static int fence_wait(int f, int ms)
{
	struct pollfd p = { .fd = f, .events = POLLIN };
	int r = poll(&p, 1, ms);

	return r < 0 ? -errno : r;
}

/*
 * A zero-size submission with an out fence is a fence (Mesa's Venus relies
 * on it); an out fence feeds the next submission's in fence.
 */
static int t_execbuf_fences(void)
{
	struct drm_virtgpu_execbuffer e = { .flags = VIRTGPU_EXECBUF_FENCE_FD_OUT,
					    .fence_fd = -1 };
	int first, ret;

	if (!virgl)
		SKIP("no 3D on this device");
	ret = execbuf(&e);
	CHECK(!ret, "zero-size submission with an out fence: %s", strerror(-ret));
	CHECK(e.fence_fd >= 0, "no out fence fd");
	first = e.fence_fd;
	CHECK(fence_wait(first, 5000) == 1, "out fence not signalled in 5 s");
	e.flags = VIRTGPU_EXECBUF_FENCE_FD_IN | VIRTGPU_EXECBUF_FENCE_FD_OUT;
	e.fence_fd = first;
	ret = execbuf(&e);
	close(first);
	CHECK(!ret, "in fence from a sync file: %s", strerror(-ret));
	CHECK(e.fence_fd >= 0 && e.fence_fd != first, "no new out fence");
	CHECK(fence_wait(e.fence_fd, 5000) == 1, "second fence not signalled");
	close(e.fence_fd);

	/* Linux 6.1's 40-byte struct (Mesa 22.3), by its own ioctl number. */
	memset(&e, 0, sizeof(e));
	e.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT;
	e.fence_fd = -1;
	ret = drmIoctl(fd, _IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE,
				DRM_COMMAND_BASE + DRM_VIRTGPU_EXECBUFFER, 40), &e) ?
		-errno : 0;
	CHECK(!ret && e.fence_fd >= 0, "40-byte execbuffer: %s", strerror(-ret));
	CHECK(fence_wait(e.fence_fd, 5000) == 1, "40-byte submission's fence");
	close(e.fence_fd);
	return 0;
}

static int t_execbuf_bad(void)
{
	struct drm_virtgpu_execbuffer e = { 0 };
	int ret;

	e.flags = 0x80;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL, "unknown flag: %s, want EINVAL", strerror(-ret));
	e.flags = 0;
	e.size = 64 * 1024 * 1024;
	ret = execbuf(&e);
	CHECK(ret == -E2BIG || ret == -EINVAL, "64 MiB stream: %s", strerror(-ret));
	e.size = 16;
	e.command = 8;
	ret = execbuf(&e);
	CHECK(ret == -EFAULT || (!virgl && ret == -ENODEV),
	      "unmapped stream: %s, want EFAULT", strerror(-ret));
	e.size = 0;
	e.flags = VIRTGPU_EXECBUF_FENCE_FD_IN;
	e.fence_fd = 0;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL || (!virgl && ret == -ENODEV),
	      "stdin as in fence: %s, want EINVAL", strerror(-ret));
	e.flags = 0;
	e.ring_idx = 1;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL, "ring_idx without the flag: %s, want EINVAL",
	      strerror(-ret));
	e.ring_idx = 0;
	e.num_bo_handles = 100000;
	ret = execbuf(&e);
	CHECK(ret == -E2BIG || (!virgl && ret == -ENODEV),
	      "100000 buffers: %s, want E2BIG", strerror(-ret));
	e.num_bo_handles = 0;
	e.num_out_syncobjs = 1;
	e.syncobj_stride = 0;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL || (!virgl && ret == -ENODEV),
	      "an out syncobj with stride 0: %s, want EINVAL", strerror(-ret));
	e.num_out_syncobjs = 0;
	if (!virgl) {
		ret = execbuf(&e);
		CHECK(ret < 0, "a submission without 3D succeeded");
	}
	return 0;
}

/* gallium/virgl values used below */
#define PIPE_TEXTURE_2D		2
#define VIRGL_B8G8R8A8		1
#define VIRGL_B8G8R8X8		2
#define BIND_RT_SAMPLER		((1 << 1) | (1 << 3))

struct res {
	uint32_t bo, id, size;
	uint8_t *map;
};

static int res_create(uint32_t w, uint32_t h, uint32_t size, struct res *r)
{
	struct drm_virtgpu_resource_create c = {
		.target = PIPE_TEXTURE_2D,
		.format = virgl ? VIRGL_B8G8R8A8 : VIRGL_B8G8R8X8,
		.bind = BIND_RT_SAMPLER, .width = w, .height = h, .depth = 1,
		.array_size = 1, .size = size,
	};
	struct drm_virtgpu_resource_info i = { 0 };

	memset(r, 0, sizeof(*r));
	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c))
		return -errno;
	r->bo = c.bo_handle;
	r->id = c.res_handle;
	i.bo_handle = r->bo;
	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &i))
		return -errno;
	r->size = i.size;
	return i.res_handle == r->id ? 0 : -EPROTO;
}

static int res_map(struct res *r)
{
	struct drm_virtgpu_map m = { .handle = r->bo };
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_MAP, &m))
		return -errno;
	p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (p == MAP_FAILED)
		return -errno;
	r->map = p;
	return 0;
}

static void res_free(struct res *r)
{
	if (r->map)
		munmap(r->map, r->size);
	if (r->bo)
		drmCloseBufferHandle(fd, r->bo);
	memset(r, 0, sizeof(*r));
}

static int transfer(bool to_host, uint32_t bo, uint32_t x, uint32_t y,
		    uint32_t w, uint32_t h, uint32_t offset, uint32_t level)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = bo, .box = { .x = x, .y = y, .w = w, .h = h, .d = 1 },
		.offset = offset, .level = level,
	};

	/* The two structs are the same. */
	return drmIoctl(fd, to_host ? DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST :
				      DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &t) ?
	       -errno : 0;
}

static int bo_wait(uint32_t bo, uint32_t flags)
{
	struct drm_virtgpu_3d_wait w = { .handle = bo, .flags = flags };

	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &w) ? -errno : 0;
}

/* Resources: ids, sizes, info; 2D only without 3D. */
static int t_resource_create(void)
{
	struct res a, b;
	int ret;

	ret = res_create(64, 64, 64 * 64 * 4, &a);
	CHECK(!ret, "create 64x64: %s", strerror(-ret));
	CHECK(a.bo && a.id, "handle %u id %u", a.bo, a.id);
	CHECK(a.size == 64 * 64 * 4, "size %u", a.size);
	ret = res_create(64, 64, 0, &b);
	CHECK(!ret, "create with size 0: %s", strerror(-ret));
	CHECK(b.id != a.id && b.bo != a.bo, "two resources share id %u", a.id);
	/* Without 3D the size follows the 2D texture; with it, one page. */
	CHECK(b.size == (virgl ? 4096u : 64 * 64 * 4u), "size-0 resource has %u bytes",
	      b.size);
	ret = res_map(&b);
	CHECK(!ret, "map: %s", strerror(-ret));
	memset(b.map, 0x5a, b.size);
	res_free(&a);
	res_free(&b);
	return 0;
}

static int t_resource_create_bad(void)
{
	struct drm_virtgpu_resource_create c = {
		.target = PIPE_TEXTURE_2D, .format = VIRGL_B8G8R8X8, .width = 16,
		.height = 16, .depth = 1, .array_size = 1,
	};
	struct drm_virtgpu_resource_info i = { .bo_handle = 0x7777 };
	struct drm_virtgpu_map m = { .handle = 0x7777 };
	int ret;

	c.width = 0;
	ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c) ? -errno : 0;
	CHECK(ret == -EINVAL, "width 0: %s, want EINVAL", strerror(-ret));
	c.width = 16;
	if (!virgl) {
		c.target = 3;
		ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c) ? -errno : 0;
		CHECK(ret == -EINVAL, "3D target without 3D: %s", strerror(-ret));
		c.target = PIPE_TEXTURE_2D;
		c.format = 999;
		ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c) ? -errno : 0;
		CHECK(ret == -EINVAL, "format 999 without 3D: %s", strerror(-ret));
		c.format = VIRGL_B8G8R8X8;
		c.size = 100;
		ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c) ? -errno : 0;
		CHECK(ret == -EINVAL, "100 bytes for 16x16: %s", strerror(-ret));
	}
	ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &i) ? -errno : 0;
	CHECK(ret == -ENOENT, "info of a bad handle: %s, want ENOENT", strerror(-ret));
	ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_MAP, &m) ? -errno : 0;
	CHECK(ret == -ENOENT, "map of a bad handle: %s, want ENOENT", strerror(-ret));
	ret = bo_wait(0x7777, 0);
	CHECK(ret == -ENOENT, "wait on a bad handle: %s, want ENOENT", strerror(-ret));
	return 0;
}

/*
 * Pixels go to the host and come back: a full round trip, then a box in
 * the middle that must land at its offset and nowhere else.
 */
static int t_transfer_roundtrip(void)
{
	const uint32_t w = 64, h = 64, pitch = w * 4;
	struct res r;
	uint32_t *px;
	int ret;

	ret = res_create(w, h, pitch * h, &r);
	CHECK(!ret, "create: %s", strerror(-ret));
	ret = res_map(&r);
	CHECK(!ret, "map: %s", strerror(-ret));
	px = (uint32_t *)r.map;
	for (uint32_t i = 0; i < w * h; i++)
		px[i] = 0xff000000u | (i * 2654435761u >> 8);
	ret = transfer(true, r.bo, 0, 0, w, h, 0, 0);
	CHECK(!ret, "to host: %s", strerror(-ret));
	if (!virgl) {
		ret = transfer(false, r.bo, 0, 0, w, h, 0, 0);
		CHECK(ret == -ENODEV, "from host without 3D: %s, want ENODEV",
		      strerror(-ret));
		ret = bo_wait(r.bo, 0);
		CHECK(!ret, "wait: %s", strerror(-ret));
		res_free(&r);
		return 0;
	}
	ret = bo_wait(r.bo, 0);
	CHECK(!ret, "wait after to host: %s", strerror(-ret));
	memset(r.map, 0, r.size);
	ret = transfer(false, r.bo, 0, 0, w, h, 0, 0);
	CHECK(!ret, "from host: %s", strerror(-ret));
	ret = bo_wait(r.bo, 0);
	CHECK(!ret, "wait after from host: %s", strerror(-ret));
	CHECK(bo_wait(r.bo, VIRTGPU_WAIT_NOWAIT) == 0, "busy after a wait");
	for (uint32_t i = 0; i < w * h; i++)
		CHECK(px[i] == (0xff000000u | (i * 2654435761u >> 8)),
		      "pixel %u: 0x%08x after the round trip", i, px[i]);
	/* A 16x8 box at (8, 4): rows at the resource's pitch. */
	memset(r.map, 0, r.size);
	ret = transfer(false, r.bo, 8, 4, 16, 8, 4 * pitch + 8 * 4, 0);
	CHECK(!ret, "box from host: %s", strerror(-ret));
	CHECK(!bo_wait(r.bo, 0), "wait after the box");
	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			uint32_t i = y * w + x;
			bool in = x >= 8 && x < 24 && y >= 4 && y < 12;
			uint32_t want = in ? (0xff000000u | (i * 2654435761u >> 8)) : 0;

			CHECK(px[i] == want, "box: pixel (%u,%u) 0x%08x, want 0x%08x",
			      x, y, px[i], want);
		}
	}
	res_free(&r);
	return 0;
}

/*
 * A resource shared through PRIME is usable by the importer: its handle
 * names the same resource, and a transfer from the importer's context
 * (which the import attached it to) reads what the exporter wrote.
 */
static int t_resource_prime(void)
{
	const uint32_t w = 32, h = 32;
	struct drm_virtgpu_resource_info info = { 0 };
	struct res r, imp = { 0 };
	uint32_t *px;
	int fd2, dmabuf, ret, saved;

	ret = res_create(w, h, w * h * 4, &r);
	CHECK(!ret, "create: %s", strerror(-ret));
	CHECK(!res_map(&r), "map");
	px = (uint32_t *)r.map;
	for (uint32_t i = 0; i < w * h; i++)
		px[i] = 0xff000000u | i;
	CHECK(!transfer(true, r.bo, 0, 0, w, h, 0, 0), "to host");
	CHECK(!bo_wait(r.bo, 0), "wait");
	CHECK(!drmPrimeHandleToFD(fd, r.bo, DRM_CLOEXEC | DRM_RDWR, &dmabuf),
	      "export: %s", strerror(errno));
	fd2 = open(node, O_RDWR | O_CLOEXEC);
	CHECK(fd2 >= 0, "second open: %s", strerror(errno));
	ret = drmPrimeFDToHandle(fd2, dmabuf, &imp.bo) ? -errno : 0;
	close(dmabuf);
	CHECK(!ret, "import: %s", strerror(-ret));
	info.bo_handle = imp.bo;
	ret = drmIoctl(fd2, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info) ? -errno : 0;
	CHECK(!ret, "info of the import: %s", strerror(-ret));
	CHECK(info.res_handle == r.id, "import names resource %u, exporter %u",
	      info.res_handle, r.id);
	if (virgl) {
		/* Read back through the importer's file and context. */
		memset(r.map, 0, r.size);
		saved = fd;
		fd = fd2;
		ret = transfer(false, imp.bo, 0, 0, w, h, 0, 0);
		if (!ret)
			ret = bo_wait(imp.bo, 0);
		fd = saved;
		CHECK(!ret, "transfer from host on the importer: %s", strerror(-ret));
		for (uint32_t i = 0; i < w * h; i++)
			CHECK(px[i] == (0xff000000u | i), "pixel %u: 0x%08x through the import",
			      i, px[i]);
	}
	close(fd2);
	res_free(&r);
	return 0;
}

static int t_transfer_bad(void)
{
	struct res r;
	int ret;

	ret = res_create(16, 16, 16 * 16 * 4, &r);
	CHECK(!ret, "create: %s", strerror(-ret));
	ret = transfer(true, 0x7777, 0, 0, 1, 1, 0, 0);
	CHECK(ret == -ENOENT, "bad handle: %s, want ENOENT", strerror(-ret));
	ret = transfer(true, r.bo, 0, 0, 1, 1, 4096, 0);
	CHECK(ret == -EINVAL, "offset past the buffer: %s, want EINVAL",
	      strerror(-ret));
	ret = transfer(true, r.bo, 8, 0, 16, 1, 0, 0);
	CHECK(ret == -EINVAL, "box past the width: %s, want EINVAL", strerror(-ret));
	ret = transfer(true, r.bo, 0xffffffffu, 0, 2, 1, 0, 0);
	CHECK(ret == -EINVAL, "overflowing box: %s, want EINVAL", strerror(-ret));
	ret = transfer(true, r.bo, 0, 0, 1, 1, 0, 1);
	CHECK(ret == -EINVAL, "level 1 of a 1-level resource: %s, want EINVAL",
	      strerror(-ret));
	/*
	 * Without 3D the host reads each row of the box from offset + row *
	 * 64 bytes: the last one must end inside the buffer (one page).
	 */
	if (!virgl) {
		ret = transfer(true, r.bo, 0, 0, 1, 1, 4092, 0);
		CHECK(!ret, "last pixel of the buffer: %s", strerror(-ret));
		ret = transfer(true, r.bo, 0, 0, 2, 1, 4092, 0);
		CHECK(ret == -EINVAL, "row past the buffer: %s, want EINVAL",
		      strerror(-ret));
		ret = transfer(true, r.bo, 0, 0, 1, 2, 4092, 0);
		CHECK(ret == -EINVAL, "second row past the buffer: %s, want EINVAL",
		      strerror(-ret));
	}
	ret = bo_wait(r.bo, 0x80);
	CHECK(ret == -EINVAL, "wait flag 0x80: %s, want EINVAL", strerror(-ret));
	res_free(&r);
	return 0;
}

/* vgem makes fences that signal only when told: the busy cases. */
struct vgem_fence_attach { uint32_t handle, flags, out_fence, pad; };
struct vgem_fence_signal { uint32_t fence, flags; };
#define VGEM_FENCE_ATTACH	DRM_IOWR(DRM_COMMAND_BASE + 1, struct vgem_fence_attach)
#define VGEM_FENCE_SIGNAL	DRM_IOW(DRM_COMMAND_BASE + 2, struct vgem_fence_signal)

struct vgem {
	int fd;
	uint32_t bo, fence;
	int sync;	/* sync file of the fence */
};

/* An unsignalled fence as a sync file, or -1. */
static int vgem_fence(struct vgem *g)
{
	struct drm_mode_create_dumb d = { .width = 64, .height = 1, .bpp = 32 };
	struct vgem_fence_attach a = { .flags = 1 };
	struct dma_buf_export_sync_file ex = { .flags = DMA_BUF_SYNC_RW, .fd = -1 };
	int dmabuf;

	g->fd = open_card_of("vgem");
	if (g->fd < 0)
		return -1;
	if (drmIoctl(g->fd, DRM_IOCTL_MODE_CREATE_DUMB, &d))
		return -1;
	g->bo = d.handle;
	a.handle = g->bo;
	if (drmIoctl(g->fd, VGEM_FENCE_ATTACH, &a))
		return -1;
	g->fence = a.out_fence;
	if (drmPrimeHandleToFD(g->fd, g->bo, DRM_CLOEXEC, &dmabuf))
		return -1;
	if (ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex)) {
		close(dmabuf);
		return -1;
	}
	close(dmabuf);
	g->sync = ex.fd;
	return 0;
}

static int vgem_signal(struct vgem *g)
{
	struct vgem_fence_signal s = { .fence = g->fence };

	return drmIoctl(g->fd, VGEM_FENCE_SIGNAL, &s) ? -errno : 0;
}

static void vgem_close(struct vgem *g)
{
	if (g->sync >= 0)
		close(g->sync);
	if (g->fd >= 0)
		close(g->fd);
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *signal_later(void *arg)
{
	usleep(300 * 1000);
	vgem_signal(arg);
	return NULL;
}

/*
 * WAIT: NOWAIT says EBUSY while a fence on the buffer is pending, WAIT
 * blocks until it signals, and both say idle afterwards.
 */
static int t_wait_busy(void)
{
	struct dma_buf_import_sync_file im = { .flags = DMA_BUF_SYNC_WRITE };
	struct vgem g = { .fd = -1, .sync = -1 };
	pthread_t th;
	struct res r;
	double t0;
	int dmabuf, ret;

	if (vgem_fence(&g)) {
		vgem_close(&g);
		SKIP("vgem fences unavailable (modprobe vgem)");
	}
	ret = res_create(16, 16, 16 * 16 * 4, &r);
	CHECK(!ret, "create: %s", strerror(-ret));
	CHECK(!drmPrimeHandleToFD(fd, r.bo, DRM_CLOEXEC, &dmabuf), "export: %s",
	      strerror(errno));
	im.fd = g.sync;
	ret = ioctl(dmabuf, DMA_BUF_IOCTL_IMPORT_SYNC_FILE, &im) ? -errno : 0;
	close(dmabuf);
	CHECK(!ret, "import sync file: %s", strerror(-ret));
	ret = bo_wait(r.bo, VIRTGPU_WAIT_NOWAIT);
	CHECK(ret == -EBUSY, "NOWAIT with a pending fence: %s, want EBUSY",
	      strerror(-ret));
	pthread_create(&th, NULL, signal_later, &g);
	t0 = now_ms();
	ret = bo_wait(r.bo, 0);
	pthread_join(th, NULL);
	CHECK(!ret, "wait: %s", strerror(-ret));
	CHECK(now_ms() - t0 >= 200, "wait returned after %.0f ms, before the signal",
	      now_ms() - t0);
	ret = bo_wait(r.bo, VIRTGPU_WAIT_NOWAIT);
	CHECK(!ret, "NOWAIT after the signal: %s", strerror(-ret));
	res_free(&r);
	vgem_close(&g);
	return 0;
}

/* An in fence from another driver holds the submission back. */
static int t_execbuf_foreign_in(void)
{
	struct drm_virtgpu_execbuffer e = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_IN | VIRTGPU_EXECBUF_FENCE_FD_OUT,
	};
	struct vgem g = { .fd = -1, .sync = -1 };
	pthread_t th;
	double t0;
	int ret;

	if (!virgl)
		SKIP("no 3D on this device");
	if (vgem_fence(&g)) {
		vgem_close(&g);
		SKIP("vgem fences unavailable (modprobe vgem)");
	}
	e.fence_fd = g.sync;
	pthread_create(&th, NULL, signal_later, &g);
	t0 = now_ms();
	ret = execbuf(&e);
	pthread_join(th, NULL);
	CHECK(!ret, "submission with a vgem in fence: %s", strerror(-ret));
	CHECK(now_ms() - t0 >= 200, "submitted after %.0f ms, before the in fence",
	      now_ms() - t0);
	CHECK(fence_wait(e.fence_fd, 5000) == 1, "out fence not signalled");
	close(e.fence_fd);
	vgem_close(&g);
	return 0;
}

/* The fence of a submission goes on every listed buffer. */
static int t_execbuf_bos(void)
{
	struct drm_virtgpu_execbuffer e = { .flags = VIRTGPU_EXECBUF_FENCE_FD_OUT };
	uint32_t handles[2];
	struct res a, b;
	int ret;

	if (!virgl)
		SKIP("no 3D on this device");
	CHECK(!res_create(16, 16, 0, &a) && !res_create(16, 16, 0, &b), "create");
	handles[0] = a.bo;
	handles[1] = b.bo;
	e.bo_handles = (uintptr_t)handles;
	e.num_bo_handles = 2;
	ret = execbuf(&e);
	CHECK(!ret, "submission with 2 buffers: %s", strerror(-ret));
	CHECK(fence_wait(e.fence_fd, 5000) == 1, "out fence not signalled");
	close(e.fence_fd);
	CHECK(!bo_wait(a.bo, VIRTGPU_WAIT_NOWAIT) && !bo_wait(b.bo, VIRTGPU_WAIT_NOWAIT),
	      "buffers busy after their fence signalled");
	handles[1] = 0x7777;
	e.flags = 0;
	ret = execbuf(&e);
	CHECK(ret == -ENOENT, "a bad handle in the list: %s, want ENOENT",
	      strerror(-ret));
	e.bo_handles = 8;
	ret = execbuf(&e);
	CHECK(ret == -EFAULT, "unmapped list: %s, want EFAULT", strerror(-ret));
	res_free(&a);
	res_free(&b);
	return 0;
}

/* A "key: N" line of debugfs vgpu_info, or -1. */
static long long info_value(const char *key)
{
	FILE *f = fopen("/sys/kernel/debug/dri/0/vgpu_info", "r");
	size_t n = strlen(key);
	long long v = -1;
	char line[256];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtoll(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/*
 * Submissions nobody can wait for (no buffers, no out fence) run, and the
 * ring's next fence follows them. vgpu sends them to the host without a
 * fence (debugfs jobs_unfenced counts them).
 */
static int t_execbuf_unfenced(void)
{
	static const uint32_t nop[1];
	struct drm_virtgpu_execbuffer e = { .size = sizeof(nop),
					    .command = (uintptr_t)nop,
					    .fence_fd = -1 };
	const char *drv = getenv("DRIVER");
	bool vgpu = drv && !strcmp(drv, "vgpu");
	long long before = info_value("jobs_unfenced"), after;
	int ret;

	if (!virgl)
		SKIP("no 3D on this device");
	CHECK(!vgpu || before >= 0, "no jobs_unfenced in debugfs vgpu_info");
	for (unsigned int i = 0; i < 64; i++) {
		ret = execbuf(&e);
		CHECK(!ret, "submission %u without a fence: %s", i, strerror(-ret));
	}
	e.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT;
	ret = execbuf(&e);
	CHECK(!ret && e.fence_fd >= 0, "fenced submission: %s", strerror(-ret));
	CHECK(fence_wait(e.fence_fd, 5000) == 1,
	      "fence after 64 unfenced submissions not signalled in 5 s");
	close(e.fence_fd);
	after = info_value("jobs_unfenced");
	CHECK(!vgpu || after - before == 64,
	      "jobs_unfenced went from %lld to %lld, want 64 more", before, after);
	return 0;
}

/* Fences of one ring signal in order: the last one signalled means all. */
static int t_execbuf_order(void)
{
	struct drm_virtgpu_execbuffer e = { .flags = VIRTGPU_EXECBUF_FENCE_FD_OUT };
	int fds[32];
	int ret;

	if (!virgl)
		SKIP("no 3D on this device");
	for (unsigned int i = 0; i < ARRAY_SIZE(fds); i++) {
		e.fence_fd = -1;
		ret = execbuf(&e);
		CHECK(!ret, "submission %u: %s", i, strerror(-ret));
		fds[i] = e.fence_fd;
	}
	CHECK(fence_wait(fds[ARRAY_SIZE(fds) - 1], 5000) == 1, "last fence");
	for (unsigned int i = 0; i < ARRAY_SIZE(fds); i++) {
		CHECK(fence_wait(fds[i], 0) == 1,
		      "fence %u unsignalled after the last one signalled", i);
		close(fds[i]);
	}
	return 0;
}

static int exec_syncobj(uint32_t in_h, uint64_t in_pt, uint32_t in_flags,
			uint32_t out_h, uint64_t out_pt, uint32_t stride)
{
	struct drm_virtgpu_execbuffer_syncobj in = { in_h, in_flags, in_pt };
	struct drm_virtgpu_execbuffer_syncobj out = { out_h, 0, out_pt };
	struct drm_virtgpu_execbuffer e = {
		.syncobj_stride = stride,
		.num_in_syncobjs = in_h ? 1 : 0,
		.num_out_syncobjs = out_h ? 1 : 0,
		.in_syncobjs = (uintptr_t)&in,
		.out_syncobjs = (uintptr_t)&out,
	};

	return execbuf(&e);
}

/* Binary and timeline syncobjs in and out, RESET, and the refusals. */
static int t_execbuf_syncobjs(void)
{
	const uint32_t st = sizeof(struct drm_virtgpu_execbuffer_syncobj);
	uint32_t bin, tl;
	uint64_t pt = 0;
	int ret;

	if (!virgl)
		SKIP("no 3D on this device");
	CHECK(!drmSyncobjCreate(fd, 0, &bin) && !drmSyncobjCreate(fd, 0, &tl),
	      "syncobj create: %s", strerror(errno));
	ret = exec_syncobj(0, 0, 0, bin, 0, st);
	CHECK(!ret, "out binary syncobj: %s", strerror(-ret));
	ret = drmSyncobjWait(fd, &bin, 1, INT64_MAX, 0, NULL);
	CHECK(!ret, "binary syncobj not signalled: %s", strerror(-ret));
	ret = exec_syncobj(0, 0, 0, tl, 5, st);
	CHECK(!ret, "out timeline point 5: %s", strerror(-ret));
	ret = drmSyncobjTimelineWait(fd, &tl, &(uint64_t){ 5 }, 1, INT64_MAX, 0, NULL);
	CHECK(!ret, "timeline point 5 not signalled: %s", strerror(-ret));
	CHECK(!drmSyncobjQuery(fd, &tl, &pt, 1) && pt == 5, "timeline at %llu, want 5",
	      (unsigned long long)pt);
	/* In: point 5, then the binary one with RESET. */
	ret = exec_syncobj(tl, 5, 0, tl, 6, st);
	CHECK(!ret, "in point 5, out point 6: %s", strerror(-ret));
	ret = drmSyncobjTimelineWait(fd, &tl, &(uint64_t){ 6 }, 1, INT64_MAX, 0, NULL);
	CHECK(!ret, "timeline point 6: %s", strerror(-ret));
	ret = exec_syncobj(bin, 0, VIRTGPU_EXECBUF_SYNCOBJ_RESET, 0, 0, st);
	CHECK(!ret, "in binary with RESET: %s", strerror(-ret));
	ret = drmSyncobjWait(fd, &bin, 1, 0, 0, NULL);
	CHECK(ret == -EINVAL, "syncobj not reset (wait says %s)", strerror(-ret));
	/* A reset syncobj has no fence to wait for. */
	ret = exec_syncobj(bin, 0, 0, 0, 0, st);
	CHECK(ret == -EINVAL, "in syncobj without a fence: %s, want EINVAL",
	      strerror(-ret));
	ret = exec_syncobj(0x7777, 0, 0, 0, 0, st);
	CHECK(ret == -ENOENT || ret == -EINVAL, "bad in handle: %s", strerror(-ret));
	ret = exec_syncobj(0, 0, 0, 0x7777, 0, st);
	CHECK(ret == -ENOENT, "bad out handle: %s, want ENOENT", strerror(-ret));
	ret = exec_syncobj(tl, 5, 0x80, 0, 0, st);
	CHECK(ret == -EINVAL, "in flag 0x80: %s, want EINVAL", strerror(-ret));
	/* An older, shorter entry (no point): binary only. */
	ret = exec_syncobj(0, 0, 0, bin, 0, 8);
	CHECK(!ret, "stride 8: %s", strerror(-ret));
	CHECK(!drmSyncobjWait(fd, &bin, 1, INT64_MAX, 0, NULL), "stride 8 signal");
	drmSyncobjDestroy(fd, bin);
	drmSyncobjDestroy(fd, tl);
	return 0;
}

/* drm fdinfo: the driver, a client id, and the file's memory. */
static int fdinfo_kib(const char *key, char *driver, size_t n)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char k[64];
		long x;

		if (sscanf(line, "drm-driver: %63s", k) == 1 && driver)
			snprintf(driver, n, "%s", k);
		if (sscanf(line, "%63[^:]: %ld", k, &x) == 2 && !strcmp(k, key))
			v = x;
	}
	fclose(f);
	return v;
}

static int t_fdinfo(void)
{
	char driver[64] = "";
	struct res r;
	long before, after, resident;
	int ret;

	before = fdinfo_kib("drm-total-system", driver, sizeof(driver));
	CHECK(!strcmp(driver, "virtio_gpu"), "drm-driver '%s'", driver);
	CHECK(before >= 0, "no drm-total-system");
	CHECK(fdinfo_kib("drm-client-id", NULL, 0) > 0, "no drm-client-id");
	ret = res_create(256, 256, 256 * 256 * 4, &r);
	CHECK(!ret, "create: %s", strerror(-ret));
	after = fdinfo_kib("drm-total-system", NULL, 0);
	resident = fdinfo_kib("drm-resident-system", NULL, 0);
	CHECK(after - before == 256, "total grew by %ld KiB, want 256", after - before);
	/*
	 * A 3D resource gets its pages at its first use; a 2D one (no virgl)
	 * at its creation.
	 */
	if (virgl) {
		CHECK(resident < 256, "resident %ld KiB before the first use", resident);
		ret = transfer(true, r.bo, 0, 0, 256, 256, 0, 0);
		CHECK(!ret, "transfer: %s", strerror(-ret));
		resident = fdinfo_kib("drm-resident-system", NULL, 0);
	}
	CHECK(resident >= 256, "resident %ld KiB with a pinned 256 KiB resource",
	      resident);
	res_free(&r);
	CHECK(fdinfo_kib("drm-total-system", NULL, 0) == before,
	      "total not back after close");
	return 0;
}

static const struct subtest tests[] = {
	{ "getparam_all", t_getparam_all },
	{ "getparam_bad", t_getparam_bad },
	{ "get_caps", t_get_caps },
	{ "get_caps_bad", t_get_caps_bad },
	{ "context_init_unoffered", t_context_init_unoffered },
	{ "context_init_bad", t_context_init_bad },
	{ "execbuf_fences", t_execbuf_fences },
	{ "execbuf_bad", t_execbuf_bad },
	{ "resource_create", t_resource_create },
	{ "resource_create_bad", t_resource_create_bad },
	{ "transfer_roundtrip", t_transfer_roundtrip },
	{ "transfer_bad", t_transfer_bad },
	{ "resource_prime", t_resource_prime },
	{ "wait_busy", t_wait_busy },
	{ "execbuf_foreign_in", t_execbuf_foreign_in },
	{ "execbuf_bos", t_execbuf_bos },
	{ "execbuf_order", t_execbuf_order },
	{ "execbuf_unfenced", t_execbuf_unfenced },
	{ "execbuf_syncobjs", t_execbuf_syncobjs },
	{ "fdinfo", t_fdinfo },
};

static bool expect(const char *name)
{
	const char *e = getenv(name);

	return e && !strcmp(e, "yes");
}

int main(int argc, char **argv)
{
	const char *ev = getenv("EXPECT_VIRGL");

	virgl = ev && !strcmp(ev, "yes");
	blob = expect("EXPECT_BLOB");
	hostmem = expect("EXPECT_HOSTMEM");
	venus = expect("EXPECT_VENUS");
	ctx_init = expect("EXPECT_CONTEXT_INIT");
	return subtest_main(tests, ARRAY_SIZE(tests), argc, argv, &fd, &node);
}
