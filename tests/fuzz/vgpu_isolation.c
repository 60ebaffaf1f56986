// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_isolation: one client cannot reach another's buffers, syncobjs or
 * contexts; the render node and non-master card clients cannot modeset;
 * the memory a client may hold is bounded (client_mem_mb).
 *
 *   vgpu_isolation [subtest...]
 *
 * Clients are separate opens of the card and render nodes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <sys/stat.h>

#include <xf86drm.h>
#include <drm_fourcc.h>

#include "virtgpu_drm.h"
#include "../igt/subtest.h"
#include "../igt/drm_util.h"

#define CARD "/dev/dri/card0"
#define RENDER "/dev/dri/renderD128"
#define QUOTA "/sys/module/vgpu/parameters/client_mem_mb"

/* errno of an ioctl that must fail, 0 when it succeeded */
static int err_of(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? errno : 0;
}

static int open_node(const char *path)
{
	return open(path, O_RDWR | O_CLOEXEC);
}

static int dumb(int fd, uint32_t w, uint32_t h, uint32_t *handle)
{
	struct drm_mode_create_dumb d = { .width = w, .height = h, .bpp = 32 };

	if (ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d))
		return errno;
	*handle = d.handle;
	return 0;
}

/* Another client's GEM handle names nothing (or its own buffer). */
static int t_gem_handles(void)
{
	int a = open_node(CARD), b = open_node(CARD);
	struct drm_mode_map_dumb ma = { 0 }, mb = { 0 };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC };
	struct drm_gem_close gc = { 0 };
	uint32_t ha = 0, hb = 0;
	void *p;

	CHECK(a >= 0 && b >= 0, "open: %s", strerror(errno));
	CHECK(!dumb(a, 64, 64, &ha), "dumb create on A: %s", strerror(errno));
	ma.handle = ha;
	CHECK(!ioctl(a, DRM_IOCTL_MODE_MAP_DUMB, &ma), "map dumb on A");
	/* B has no buffers: A's handle number means nothing to it */
	mb.handle = ha;
	CHECK(err_of(b, DRM_IOCTL_MODE_MAP_DUMB, &mb) == ENOENT,
	      "B mapped A's handle %u", ha);
	ph.handle = ha;
	CHECK(err_of(b, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph) == ENOENT,
	      "B exported A's handle");
	gc.handle = ha;
	CHECK(err_of(b, DRM_IOCTL_GEM_CLOSE, &gc) == EINVAL, "B closed A's handle");
	/* A's mmap offset is not B's to map */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, b, ma.offset);
	CHECK(p == MAP_FAILED, "B mapped A's buffer through A's offset");
	/* B's own buffer may get the same number; it is a different buffer */
	CHECK(!dumb(b, 32, 32, &hb), "dumb create on B");
	mb.handle = hb;
	CHECK(!ioctl(b, DRM_IOCTL_MODE_MAP_DUMB, &mb), "map dumb on B");
	CHECK(mb.offset != ma.offset, "B's buffer has A's offset");
	/* and A's buffer is still there */
	CHECK(!ioctl(a, DRM_IOCTL_MODE_MAP_DUMB, &ma), "A lost its buffer");
	close(a);
	close(b);
	return 0;
}

/* Global names are for the card node; render clients share by PRIME only. */
static int t_render_flink(void)
{
	int r = open_node(RENDER), c = open_node(CARD);
	struct drm_gem_flink fl = { 0 };
	struct drm_gem_open op = { 0 };
	uint32_t h = 0;

	CHECK(r >= 0 && c >= 0, "open: %s", strerror(errno));
	CHECK(!dumb(c, 16, 16, &h), "dumb create on the card");
	fl.handle = h;
	CHECK(!ioctl(c, DRM_IOCTL_GEM_FLINK, &fl), "flink on the card node");
	op.name = fl.name;
	CHECK(err_of(r, DRM_IOCTL_GEM_OPEN, &op) == EACCES,
	      "render node opened a global name");
	fl.handle = 1;
	CHECK(err_of(r, DRM_IOCTL_GEM_FLINK, &fl) == EACCES,
	      "render node made a global name");
	close(r);
	close(c);
	return 0;
}

static int t_syncobjs(void)
{
	int a = open_node(RENDER), b = open_node(RENDER);
	struct drm_syncobj_create cr = { 0 };
	struct drm_syncobj_destroy de = { 0 };
	struct drm_syncobj_handle hf = { 0 };
	struct drm_syncobj_wait w = { 0 };
	uint32_t h = 0;

	CHECK(a >= 0 && b >= 0, "open: %s", strerror(errno));
	CHECK(!ioctl(a, DRM_IOCTL_SYNCOBJ_CREATE, &cr), "syncobj create on A");
	h = cr.handle;
	w.handles = (uintptr_t)&h;
	w.count_handles = 1;
	CHECK(err_of(b, DRM_IOCTL_SYNCOBJ_WAIT, &w) == ENOENT, "B waited on A's syncobj");
	hf.handle = h;
	CHECK(err_of(b, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &hf) == EINVAL,
	      "B exported A's syncobj");
	de.handle = h;
	CHECK(err_of(b, DRM_IOCTL_SYNCOBJ_DESTROY, &de) == EINVAL,
	      "B destroyed A's syncobj");
	CHECK(!ioctl(a, DRM_IOCTL_SYNCOBJ_DESTROY, &de), "A lost its syncobj");
	close(a);
	close(b);
	return 0;
}

/* B's submissions cannot name A's buffers; each client has its own context. */
static int t_contexts(void)
{
	int a = open_node(RENDER), b = open_node(RENDER);
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES };
	struct drm_virtgpu_resource_create rc = {
		.target = 2, .format = 1, .bind = 2, .width = 64, .height = 64,
		.depth = 1, .array_size = 1, .size = 64 * 64 * 4, .stride = 256,
	};
	struct drm_virtgpu_execbuffer eb = { 0 };
	struct drm_virtgpu_resource_info ri = { 0 };
	struct drm_virtgpu_3d_wait wt = { 0 };
	uint64_t v3d = 0;

	CHECK(a >= 0 && b >= 0, "open: %s", strerror(errno));
	gp.value = (uintptr_t)&v3d;
	if (ioctl(a, DRM_IOCTL_VIRTGPU_GETPARAM, &gp) || !v3d)
		SKIP("no 3D");
	CHECK(!ioctl(a, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc),
	      "resource create on A: %s", strerror(errno));
	eb.bo_handles = (uintptr_t)&rc.bo_handle;
	eb.num_bo_handles = 1;
	eb.fence_fd = -1;
	CHECK(err_of(b, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb) == ENOENT,
	      "B submitted with A's buffer");
	ri.bo_handle = rc.bo_handle;
	CHECK(err_of(b, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &ri) == ENOENT,
	      "B read A's resource");
	wt.handle = rc.bo_handle;
	CHECK(err_of(b, DRM_IOCTL_VIRTGPU_WAIT, &wt) == ENOENT, "B waited on A's buffer");
	/* both submit on their own contexts */
	CHECK(!ioctl(a, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb), "A's own submission");
	eb.num_bo_handles = 0;
	CHECK(!ioctl(b, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb), "B's own submission");
	close(a);
	close(b);
	return 0;
}

/* No modesetting ioctl is allowed on the render node. */
static int t_render_no_modeset(void)
{
	int r = open_node(RENDER);
	struct drm_mode_card_res res = { 0 };
	struct drm_mode_crtc crtc = { 0 };
	struct drm_mode_fb_cmd2 fb = { .width = 64, .height = 64,
				       .pixel_format = DRM_FORMAT_XRGB8888 };
	struct drm_mode_atomic at = { 0 };
	struct drm_mode_create_dumb d = { .width = 64, .height = 64, .bpp = 32 };
	struct drm_mode_crtc_page_flip fl = { 0 };

	CHECK(r >= 0, "open: %s", strerror(errno));
	CHECK(err_of(r, DRM_IOCTL_MODE_GETRESOURCES, &res) == EACCES, "GETRESOURCES allowed");
	CHECK(err_of(r, DRM_IOCTL_MODE_SETCRTC, &crtc) == EACCES, "SETCRTC allowed");
	CHECK(err_of(r, DRM_IOCTL_MODE_ADDFB2, &fb) == EACCES, "ADDFB2 allowed");
	CHECK(err_of(r, DRM_IOCTL_MODE_ATOMIC, &at) == EACCES, "ATOMIC allowed");
	CHECK(err_of(r, DRM_IOCTL_MODE_CREATE_DUMB, &d) == EACCES, "CREATE_DUMB allowed");
	CHECK(err_of(r, DRM_IOCTL_MODE_PAGE_FLIP, &fl) == EACCES, "PAGE_FLIP allowed");
	CHECK(err_of(r, DRM_IOCTL_SET_MASTER, NULL) != 0, "render node became master");
	close(r);
	return 0;
}

/* A second card client is not master: it may look, not set modes. */
static int t_non_master(void)
{
	int m = open_node(CARD), o = open_node(CARD);
	struct drm_mode_crtc crtc = { 0 };
	struct drm_mode_atomic at = { .flags = DRM_MODE_ATOMIC_TEST_ONLY };
	struct drm_mode_card_res res = { 0 };
	struct drm_set_client_cap cap = { DRM_CLIENT_CAP_ATOMIC, 1 };
	uint32_t crtcs[8];

	CHECK(m >= 0 && o >= 0, "open: %s", strerror(errno));
	if (ioctl(m, DRM_IOCTL_SET_MASTER, NULL))
		SKIP("another client is master");
	ioctl(o, DRM_IOCTL_DROP_MASTER, NULL);
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.count_crtcs = 8;
	CHECK(!ioctl(o, DRM_IOCTL_MODE_GETRESOURCES, &res), "a client may look");
	crtc.crtc_id = crtcs[0];
	CHECK(err_of(o, DRM_IOCTL_MODE_SETCRTC, &crtc) == EACCES,
	      "non-master SETCRTC allowed");
	ioctl(o, DRM_IOCTL_SET_CLIENT_CAP, &cap);
	CHECK(err_of(o, DRM_IOCTL_MODE_ATOMIC, &at) == EACCES,
	      "non-master ATOMIC allowed");
	CHECK(err_of(o, DRM_IOCTL_SET_MASTER, NULL) != 0,
	      "second client took master from the first");
	close(o);
	close(m);
	return 0;
}

static int quota_set(const char *v)
{
	int f = open(QUOTA, O_WRONLY);
	ssize_t n;

	if (f < 0)
		return -1;
	n = write(f, v, strlen(v));
	close(f);
	return n == (ssize_t)strlen(v) ? 0 : -1;
}

/*
 * client_mem_mb bounds what one client holds: with 8 MiB, 1 MiB buffers
 * stop at 8 with ENOMEM, another client still gets its own 8, and a
 * freed buffer makes room again.
 */
static int t_mem_quota(void)
{
	int a = open_node(CARD), b = open_node(CARD), n = 0, ret = 0;
	struct drm_mode_destroy_dumb dd = { 0 };
	uint32_t h, last = 0;
	char old[32] = "0";
	int f = open(QUOTA, O_RDONLY);

	if (f < 0)
		SKIP("no client_mem_mb parameter (not vgpu)");
	n = read(f, old, sizeof(old) - 1);
	old[n > 0 ? n : 1] = 0;
	close(f);
	CHECK(a >= 0 && b >= 0, "open: %s", strerror(errno));
	CHECK(!quota_set("8"), "cannot set client_mem_mb");
	for (n = 0; n < 64 && !dumb(a, 512, 512, &h); n++)
		last = h;
	ret = errno;
	if (n != 8 || ret != ENOMEM) {
		quota_set(old);
		FAIL("client A got %d MiB buffers (want 8), then %s", n, strerror(ret));
	}
	for (n = 0; n < 64 && !dumb(b, 512, 512, &h); n++)
		;
	if (n != 8) {
		quota_set(old);
		FAIL("client B got %d MiB buffers next to A (want 8)", n);
	}
	dd.handle = last;
	ioctl(a, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
	ret = dumb(a, 512, 512, &h);
	quota_set(old);
	CHECK(!ret, "no room after a buffer was freed: %s", strerror(ret));
	close(a);
	close(b);
	return 0;
}

/*
 * The device limit (device_mem_mb) bounds all clients together: set 4 MiB
 * above what buffers hold now (vgpu_info's mem_held), a client gets four
 * 1 MiB buffers and a second client none.
 */
static int t_device_quota(void)
{
	int a = open_node(CARD), b = open_node(CARD), n;
	long long held = -1;
	char line[128], lim[32];
	uint32_t h;
	FILE *f = NULL;

	if (access("/sys/module/vgpu/parameters/device_mem_mb", F_OK))
		SKIP("no device_mem_mb parameter (not vgpu)");
	for (int i = 0; i < 16 && !f; i++) {
		snprintf(line, sizeof(line), "/sys/kernel/debug/dri/%d/vgpu_info", i);
		f = fopen(line, "r");
	}
	CHECK(f, "no vgpu_info in debugfs");
	while (fgets(line, sizeof(line), f))
		sscanf(line, "mem_held: %lld", &held);
	fclose(f);
	CHECK(held >= 0, "no mem_held in vgpu_info");
	snprintf(lim, sizeof(lim), "%lld", (held >> 20) + 1 + 4);
	f = fopen("/sys/module/vgpu/parameters/device_mem_mb", "w");
	CHECK(f && fputs(lim, f) >= 0 && !fclose(f), "cannot set device_mem_mb");
	/* what is held now rounds up to whole MiB: 4 or 5 more fit */
	for (n = 0; n < 64 && !dumb(a, 512, 512, &h); n++)
		;
	int e = errno, nb = dumb(b, 512, 512, &h);

	f = fopen("/sys/module/vgpu/parameters/device_mem_mb", "w");
	if (f) {
		fputs("0", f);
		fclose(f);
	}
	CHECK((n == 4 || n == 5) && e == ENOMEM,
	      "client A got %d MiB under a device limit of %s MiB (%lld bytes held), then %s",
	      n, lim, held, strerror(e));
	CHECK(nb == ENOMEM, "client B created a buffer over the device limit");
	close(a);
	close(b);
	return 0;
}

/* DRM_IOCTL_SYNCOBJ_SIGNAL with an argument of SIZE bytes */
#define SHORT_SIGNAL(size) \
	_IOC(_IOC_READ | _IOC_WRITE, DRM_IOCTL_BASE, \
	     _IOC_NR(DRM_IOCTL_SYNCOBJ_SIGNAL), size)

/*
 * Core ioctls that would allocate whatever is asked are bounded at the
 * node: a wait on 65,537 syncobjs and a 1 MiB + 1 property blob are
 * refused with EINVAL; 65,536 and 1 MiB go through. A short argument's
 * count is bounded as the core reads it.
 */
static int t_core_bounds(void)
{
	int fd = open_node(CARD), e;
	uint32_t *h = calloc(65537, sizeof(*h));
	void *data = calloc(1, (1 << 20) + 1);
	struct drm_syncobj_wait w = { .count_handles = 65537 };
	struct drm_mode_create_blob cb = { .length = (1 << 20) + 1 };
	struct drm_mode_destroy_blob db = { 0 };
	struct drm_syncobj_array a = { 0 };

	CHECK(fd >= 0 && h && data, "setup");
	w.handles = (uintptr_t)h;
	e = err_of(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
	CHECK(e == EINVAL, "wait on 65537 syncobjs: %s, want EINVAL", strerror(e));
	w.count_handles = 65536;
	e = err_of(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
	CHECK(e == ENOENT, "wait on 65536 (unknown) syncobjs: %s, want ENOENT", strerror(e));
	/*
	 * A short argument: the core reads the count's first bytes and
	 * zeroes the rest, and so must the bound (3 bytes: 0xffffff).
	 */
	a.handles = (uintptr_t)h;
	a.count_handles = 0x01ffffff;
	e = err_of(fd, SHORT_SIGNAL(11), &a);
	CHECK(e == EINVAL, "signal, 3 bytes of count 0xffffff: %s, want EINVAL", strerror(e));
	e = err_of(fd, SHORT_SIGNAL(9), &a);
	CHECK(e == ENOENT, "signal, 1 byte of count (1): %s, want ENOENT", strerror(e));
	cb.data = (uintptr_t)data;
	e = err_of(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &cb);
	CHECK(e == EINVAL, "1 MiB + 1 property blob: %s, want EINVAL", strerror(e));
	cb.length = 1 << 20;
	CHECK(!ioctl(fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &cb), "1 MiB property blob: %s",
	      strerror(errno));
	db.blob_id = cb.blob_id;
	ioctl(fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &db);
	free(h);
	free(data);
	close(fd);
	return 0;
}

static const struct subtest tests[] = {
	{ "gem_handles", t_gem_handles },
	{ "render_flink", t_render_flink },
	{ "syncobjs", t_syncobjs },
	{ "contexts", t_contexts },
	{ "render_no_modeset", t_render_no_modeset },
	{ "non_master", t_non_master },
	{ "mem_quota", t_mem_quota },
	{ "device_quota", t_device_quota },
	{ "core_bounds", t_core_bounds },
};

int main(int argc, char **argv)
{
	return run_subtests(tests, ARRAY_SIZE(tests), argc, argv, 1);
}
