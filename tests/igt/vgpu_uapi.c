// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_uapi: the virtgpu ioctls through the render node, for vgpu and the
 * in-tree virtio_gpu alike. Each subtest prints one line:
 *
 *   SUBTEST <name> pass|fail|skip [reason]
 *
 * Usage: vgpu_uapi [-d /dev/dri/renderD128] [subtest...]   (default: all)
 * Environment: EXPECT_VIRGL=yes|no, what the device profile offers.
 * Exit status: 0 when no subtest failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "subtest.h"
#include "virtgpu_drm.h"

static int fd = -1;
static const char *node = "/dev/dri/renderD128";
static bool virgl;

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
	/* QEMU 7.2 offers none of blob, host-visible, context-init. */
	CHECK(!v[2] && !v[3] && !v[5], "blob %d host_visible %d context_init %d",
	      v[2], v[3], v[5]);
	if (virgl)
		CHECK((v[6] & 0x6) == 0x6, "capset ids 0x%x lack virgl and virgl2", v[6]);
	else
		CHECK(v[6] == 0, "capset ids 0x%x without virgl", v[6]);
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
	/* Buffer lists and syncobjs are refused until 3D resources exist. */
	e.num_bo_handles = 1;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL, "a buffer list: %s, want EINVAL", strerror(-ret));
	e.num_bo_handles = 0;
	e.num_out_syncobjs = 1;
	ret = execbuf(&e);
	CHECK(ret == -EINVAL, "an out syncobj: %s, want EINVAL", strerror(-ret));
	e.num_out_syncobjs = 0;
	if (!virgl) {
		ret = execbuf(&e);
		CHECK(ret < 0, "a submission without 3D succeeded");
	}
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
};

int main(int argc, char **argv)
{
	int failed, first = 1;
	const char *ev = getenv("EXPECT_VIRGL");

	if (argc > 2 && !strcmp(argv[1], "-d")) {
		node = argv[2];
		first = 3;
	}
	virgl = ev && !strcmp(ev, "yes");
	fd = open(node, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		printf("SUBTEST setup fail %s: %s\n", node, strerror(errno));
		return 1;
	}
	failed = run_subtests(tests, ARRAY_SIZE(tests), argc, argv, first);
	close(fd);
	return failed;
}
