// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_failnth: allocation failures injected into every step of vgpu's
 * ioctls, one allocation at a time (failslab and fail_page_alloc through
 * /proc/thread-self/fail-nth; the caller turns off their ignore-gfp-wait).
 *
 *   vgpu_failnth [-s STRIDE] [-b VIRTIO_DEV] [step...]
 *
 * For each step, with everything it needs set up beforehand, the step is
 * run with its 1st, 2nd, ... allocation failing until a run finishes
 * without reaching the armed allocation; that last run must succeed (the
 * device works again once injection stops). A step whose allocation failed
 * either returns an error or goes on without that allocation; both are
 * counted. -s tries every STRIDE-th allocation only (after the first 32).
 * -b VIRTIO_DEV adds the step "probe": the device is unbound from vgpu and
 * bound again with each allocation of the probe failing.
 *
 * One line a step: SUBTEST failnth_<step> pass|fail|skip <counts>.
 * Splats and leaks are for the kernel log and kmemleak to show.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>
#include <xf86drmMode.h>
#include <drm_fourcc.h>

#include "virtgpu_drm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define CARD "/dev/dri/card0"
#define RENDER "/dev/dri/renderD128"

static int nth_fd = -1;
static unsigned int stride = 1;
static const char *virtio_dev;

static int armed, hit;

static void arm(unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(nth_fd, b, l, 0) != l)
		perror("fail-nth");
	armed = n != 0;
}

/* Disarm (once); whether the armed allocation was reached. */
static int disarm(void)
{
	char b[16] = { 0 };

	if (!armed)
		return hit;
	hit = pread(nth_fd, b, sizeof(b) - 1, 0) > 0 && atoi(b) == 0;
	arm(0);
	return hit;
}

/* What every step shares: a master card client with a mode set. */
struct env {
	int card, render;
	uint32_t crtc, conn, plane, fb[2], dumb, dumb_size, w, h, cur;
	drmModeModeInfo mode;
	int v3d, ctx_init;
	uint32_t res_bo;
};

static struct env E;

static uint32_t dumb(int fd, uint32_t w, uint32_t h, uint32_t *pitch)
{
	struct drm_mode_create_dumb d = { .width = w, .height = h, .bpp = 32 };

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d))
		return 0;
	if (pitch)
		*pitch = d.pitch;
	return d.handle;
}

static void gem_close(int fd, uint32_t h)
{
	struct drm_gem_close c = { .handle = h };

	if (h)
		drmIoctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static int setup(void)
{
	drmModeRes *res;
	drmModeConnector *c;
	drmModePlaneRes *pr;
	uint32_t pitch = 0, handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES };
	uint64_t v = 0;

	E.card = open(CARD, O_RDWR | O_CLOEXEC);
	E.render = open(RENDER, O_RDWR | O_CLOEXEC);
	if (E.card < 0 || E.render < 0)
		return -1;
	drmSetClientCap(E.card, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1);
	res = drmModeGetResources(E.card);
	if (!res || !res->count_crtcs || !res->count_connectors)
		return -1;
	c = drmModeGetConnector(E.card, res->connectors[0]);
	if (!c || !c->count_modes)
		return -1;
	E.crtc = res->crtcs[0];
	E.conn = c->connector_id;
	E.mode = c->modes[0];
	E.w = E.mode.hdisplay;
	E.h = E.mode.vdisplay;
	pr = drmModeGetPlaneResources(E.card);
	for (unsigned int i = 0; pr && i < pr->count_planes; i++) {
		drmModePlane *p = drmModeGetPlane(E.card, pr->planes[i]);

		if (p && (p->possible_crtcs & 1) && !E.plane)
			E.plane = p->plane_id;
		drmModeFreePlane(p);
	}
	for (int i = 0; i < 2; i++) {
		handles[0] = dumb(E.card, E.w, E.h, &pitch);
		pitches[0] = pitch;
		if (!handles[0] || drmModeAddFB2(E.card, E.w, E.h, DRM_FORMAT_XRGB8888,
						 handles, pitches, offsets, &E.fb[i], 0))
			return -1;
	}
	if (drmModeSetCrtc(E.card, E.crtc, E.fb[0], 0, 0, &E.conn, 1, &E.mode))
		return -1;
	E.cur = dumb(E.card, 64, 64, NULL);
	gp.value = (uintptr_t)&v;
	E.v3d = !ioctl(E.render, DRM_IOCTL_VIRTGPU_GETPARAM, &gp) && v;
	gp.param = VIRTGPU_PARAM_CONTEXT_INIT;
	v = 0;
	E.ctx_init = !ioctl(E.render, DRM_IOCTL_VIRTGPU_GETPARAM, &gp) && v;
	return 0;
}

/*
 * Each step: prepare (not armed), run (armed), undo (not armed). @needs:
 * 1 for 3D, 2 for 3D with VIRTIO_GPU_F_CONTEXT_INIT.
 */
struct step {
	const char *name;
	int needs;
	int (*run)(void *st, int armed_n);
	void (*undo)(void *st);
};

struct st {
	int fd, fd2;
	uint32_t h, h2;
	void *map;
	size_t len;
};

#define RUN(name) static int run_##name(void *p, int n)
#define UNDO(name) static void undo_##name(void *p)
#define S ((struct st *)p)

static int ret_of(int r)
{
	return r ? (errno ? errno : EIO) : 0;
}

RUN(open_card)
{
	S->fd = (arm(n), open(CARD, O_RDWR | O_CLOEXEC));
	return S->fd < 0 ? errno : 0;
}

UNDO(open_card)
{
	if (S->fd >= 0)
		close(S->fd);
}

RUN(open_render)
{
	S->fd = (arm(n), open(RENDER, O_RDWR | O_CLOEXEC));
	return S->fd < 0 ? errno : 0;
}

RUN(dumb_create)
{
	struct drm_mode_create_dumb d = { .width = 640, .height = 480, .bpp = 32 };
	int r;

	arm(n);
	r = ioctl(E.card, DRM_IOCTL_MODE_CREATE_DUMB, &d);
	r = ret_of(r);
	S->h = r ? 0 : d.handle;
	return r;
}

UNDO(dumb_create)
{
	gem_close(E.card, S->h);
}

RUN(dumb_mmap)
{
	struct drm_mode_map_dumb m = { 0 };
	int r;

	S->h = dumb(E.card, 256, 256, NULL);
	m.handle = S->h;
	arm(n);
	r = ioctl(E.card, DRM_IOCTL_MODE_MAP_DUMB, &m);
	if (!r) {
		S->map = mmap(NULL, 256 * 256 * 4, PROT_READ | PROT_WRITE, MAP_SHARED,
			      E.card, m.offset);
		r = S->map == MAP_FAILED;
	}
	r = ret_of(r);
	disarm();
	if (!r)
		memset(S->map, 0x5a, 256 * 256 * 4);
	return r;
}

UNDO(dumb_mmap)
{
	if (S->map && S->map != MAP_FAILED)
		munmap(S->map, 256 * 256 * 4);
	gem_close(E.card, S->h);
}

RUN(addfb)
{
	uint32_t pitch = 0, handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	int r;

	S->h = dumb(E.card, 320, 240, &pitch);
	handles[0] = S->h;
	pitches[0] = pitch;
	arm(n);
	r = ret_of(drmModeAddFB2(E.card, 320, 240, DRM_FORMAT_XRGB8888, handles,
				 pitches, offsets, &S->h2, 0));
	if (r)
		S->h2 = 0;
	return r;
}

UNDO(addfb)
{
	if (S->h2)
		drmModeRmFB(E.card, S->h2);
	gem_close(E.card, S->h);
}

static unsigned int flip_n;

RUN(setcrtc)
{
	arm(n);
	return ret_of(drmModeSetCrtc(E.card, E.crtc, E.fb[++flip_n & 1], 0, 0,
				     &E.conn, 1, &E.mode));
}

static void drain_events(void)
{
	drmEventContext ev = { .version = 2 };
	struct pollfd pf = { .fd = E.card, .events = POLLIN };

	while (poll(&pf, 1, 200) == 1)
		drmHandleEvent(E.card, &ev);
}

RUN(page_flip)
{
	int r;

	arm(n);
	r = ret_of(drmModePageFlip(E.card, E.crtc, E.fb[++flip_n & 1],
				   DRM_MODE_PAGE_FLIP_EVENT, NULL));
	disarm();
	if (!r)
		drain_events();
	return r;
}

RUN(atomic)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	drmModeObjectProperties *props;
	uint32_t fb_prop = 0;
	int r;

	drmSetClientCap(E.card, DRM_CLIENT_CAP_ATOMIC, 1);
	props = drmModeObjectGetProperties(E.card, E.plane, DRM_MODE_OBJECT_PLANE);
	for (unsigned int i = 0; props && i < props->count_props; i++) {
		drmModePropertyRes *pr = drmModeGetProperty(E.card, props->props[i]);

		if (pr && !strcmp(pr->name, "FB_ID"))
			fb_prop = pr->prop_id;
		drmModeFreeProperty(pr);
	}
	drmModeFreeObjectProperties(props);
	if (!fb_prop || !req) {
		errno = ENOENT;
		return errno;
	}
	drmModeAtomicAddProperty(req, E.plane, fb_prop, E.fb[++flip_n & 1]);
	arm(n);
	r = ret_of(drmModeAtomicCommit(E.card, req, DRM_MODE_PAGE_FLIP_EVENT, NULL));
	disarm();
	drmModeAtomicFree(req);
	if (!r)
		drain_events();
	return r;
}

RUN(dirtyfb)
{
	drmModeClip clip = { 10, 10, 200, 100 };

	arm(n);
	return ret_of(drmModeDirtyFB(E.card, E.fb[flip_n & 1], &clip, 1));
}

RUN(cursor)
{
	arm(n);
	return ret_of(drmModeSetCursor(E.card, E.crtc, E.cur, 64, 64));
}

UNDO(cursor)
{
	drmModeSetCursor(E.card, E.crtc, 0, 0, 0);
}

RUN(prime_export)
{
	S->h = dumb(E.card, 64, 64, NULL);
	S->fd = -1;
	arm(n);
	return ret_of(drmPrimeHandleToFD(E.card, S->h, DRM_CLOEXEC, &S->fd));
}

UNDO(prime_export)
{
	if (S->fd >= 0)
		close(S->fd);
	gem_close(E.card, S->h);
}

RUN(prime_import)
{
	int r;

	S->h = dumb(E.card, 64, 64, NULL);
	S->fd = -1;
	drmPrimeHandleToFD(E.card, S->h, DRM_CLOEXEC, &S->fd);
	S->fd2 = open(RENDER, O_RDWR | O_CLOEXEC);
	arm(n);
	r = ret_of(drmPrimeFDToHandle(S->fd2, S->fd, &S->h2));
	return r;
}

UNDO(prime_import)
{
	if (S->fd >= 0)
		close(S->fd);
	if (S->fd2 >= 0)
		close(S->fd2);
	gem_close(E.card, S->h);
}

RUN(syncobj)
{
	arm(n);
	return ret_of(drmSyncobjCreate(E.render, 0, &S->h));
}

UNDO(syncobj)
{
	if (S->h)
		drmSyncobjDestroy(E.render, S->h);
}

RUN(getparam)
{
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_CAPSET_QUERY_FIX };
	uint64_t v;

	gp.value = (uintptr_t)&v;
	arm(n);
	return ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
}

RUN(get_caps)
{
	static uint8_t caps[4096];
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = 2, .cap_set_ver = 2, .addr = (uintptr_t)caps,
		.size = sizeof(caps),
	};

	arm(n);
	return ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc));
}

RUN(context_init)
{
	struct drm_virtgpu_context_set_param prm[] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, 2 },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 2 },
	};
	struct drm_virtgpu_context_init ci = { .num_params = 2,
					       .ctx_set_params = (uintptr_t)prm };

	S->fd = open(RENDER, O_RDWR | O_CLOEXEC);
	arm(n);
	return ret_of(ioctl(S->fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
}

static struct drm_virtgpu_resource_create rc_template = {
	.target = 2, .format = 1, .bind = 2, .width = 64, .height = 64,
	.depth = 1, .array_size = 1, .size = 64 * 64 * 4, .stride = 256,
};

RUN(resource_create)
{
	struct drm_virtgpu_resource_create rc = rc_template;
	int r;

	arm(n);
	r = ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	S->h = r ? 0 : rc.bo_handle;
	return r;
}

UNDO(resource_create)
{
	gem_close(E.render, S->h);
}

/* A submission with a buffer, an out fence and an out syncobj. */
RUN(execbuffer)
{
	struct drm_virtgpu_resource_create rc = rc_template;
	struct drm_virtgpu_execbuffer_syncobj out = { 0 };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT, .num_bo_handles = 1,
		.fence_fd = -1, .syncobj_stride = sizeof(out), .num_out_syncobjs = 1,
	};
	int r;

	S->fd = -1;
	ioctl(E.render, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	S->h = rc.bo_handle;
	drmSyncobjCreate(E.render, 0, &S->h2);
	out.handle = S->h2;
	eb.bo_handles = (uintptr_t)&S->h;
	eb.out_syncobjs = (uintptr_t)&out;
	arm(n);
	r = ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb));
	disarm();
	if (!r) {
		S->fd = eb.fence_fd;
		r = drmSyncobjWait(E.render, &S->h2, 1, INT64_MAX, 0, NULL) ? EIO : 0;
	}
	return r;
}

UNDO(execbuffer)
{
	if (S->fd >= 0)
		close(S->fd);
	if (S->h2)
		drmSyncobjDestroy(E.render, S->h2);
	gem_close(E.render, S->h);
}

RUN(transfer)
{
	struct drm_virtgpu_resource_create rc = rc_template;
	struct drm_virtgpu_3d_transfer_to_host t = { .box = { 0, 0, 0, 64, 64, 1 } };
	struct drm_virtgpu_3d_wait w = { 0 };
	int r;

	ioctl(E.render, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	S->h = rc.bo_handle;
	t.bo_handle = S->h;
	w.handle = S->h;
	arm(n);
	r = ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t));
	disarm();
	if (!r)
		r = ret_of(ioctl(E.render, DRM_IOCTL_VIRTGPU_WAIT, &w));
	return r;
}

UNDO(transfer)
{
	gem_close(E.render, S->h);
}

/* Closing a file that holds resources, a context and a mapping. */
RUN(close)
{
	struct drm_virtgpu_resource_create rc = rc_template;
	struct drm_mode_create_dumb d = { .width = 64, .height = 64, .bpp = 32 };
	int fd = open(RENDER, O_RDWR | O_CLOEXEC), c = open(CARD, O_RDWR | O_CLOEXEC);

	if (E.v3d)
		ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
	ioctl(c, DRM_IOCTL_MODE_CREATE_DUMB, &d);
	arm(n);
	close(fd);
	close(c);
	return 0;
}

/* Bind the device to vgpu again: every allocation of the probe. */
RUN(probe)
{
	char path[256];
	int fd, r;

	snprintf(path, sizeof(path), "/sys/bus/virtio/drivers/vgpu/%s", virtio_dev);
	if (access(path, F_OK) == 0) {
		fd = open("/sys/bus/virtio/drivers/vgpu/unbind", O_WRONLY);
		if (fd < 0 || write(fd, virtio_dev, strlen(virtio_dev)) < 0)
			return errno;
		close(fd);
	}
	fd = open("/sys/bus/virtio/drivers/vgpu/bind", O_WRONLY);
	if (fd < 0)
		return errno;
	arm(n);
	r = write(fd, virtio_dev, strlen(virtio_dev)) < 0 ? errno : 0;
	disarm();
	close(fd);
	if (!r && access(path, F_OK))
		r = ENODEV;
	return r;
}

static void no_undo(void *p)
{
	(void)p;
}

#define STEP(name, d3, undo) { #name, d3, run_##name, undo }
static const struct step steps[] = {
	STEP(open_card, 0, undo_open_card),
	STEP(open_render, 0, undo_open_card),
	STEP(dumb_create, 0, undo_dumb_create),
	STEP(dumb_mmap, 0, undo_dumb_mmap),
	STEP(addfb, 0, undo_addfb),
	STEP(setcrtc, 0, no_undo),
	STEP(page_flip, 0, no_undo),
	STEP(atomic, 0, no_undo),
	STEP(dirtyfb, 0, no_undo),
	STEP(cursor, 0, undo_cursor),
	STEP(prime_export, 0, undo_prime_export),
	STEP(prime_import, 0, undo_prime_import),
	STEP(syncobj, 0, undo_syncobj),
	STEP(getparam, 0, no_undo),
	STEP(get_caps, 1, no_undo),
	STEP(context_init, 2, undo_open_card),
	STEP(resource_create, 1, undo_resource_create),
	STEP(execbuffer, 1, undo_execbuffer),
	STEP(transfer, 1, undo_transfer),
	STEP(close, 0, no_undo),
	STEP(probe, 0, no_undo),
};

static int run_step(const struct step *s)
{
	unsigned int injected = 0, errors = 0, tolerated = 0, n;
	int last = 0;

	for (n = 1;; n = n < 32 ? n + 1 : n + stride) {
		struct st st = { .fd = -1, .fd2 = -1 };
		int r;

		hit = 0;
		r = s->run(&st, n);
		disarm();
		s->undo(&st);
		if (!hit) {
			last = r;
			break;
		}
		injected++;
		if (r)
			errors++;
		else
			tolerated++;
		if (n > 100000)
			break;
	}
	printf("SUBTEST failnth_%s %s %u allocations failed: %u errors, %u went on without",
	       s->name, last ? "fail" : "pass", injected, errors, tolerated);
	printf("%s%s\n", last ? "; without injection: " : "",
	       last ? strerrorname_np(last) : "");
	fflush(stdout);
	return last != 0;
}

int main(int argc, char **argv)
{
	int c, failed = 0;

	while ((c = getopt(argc, argv, "s:b:")) != -1) {
		if (c == 's')
			stride = atoi(optarg) ?: 1;
		else if (c == 'b')
			virtio_dev = optarg;
		else
			return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0) {
		printf("SUBTEST failnth skip no fail-nth (CONFIG_FAULT_INJECTION)\n");
		return 0;
	}
	if (setup()) {
		printf("SUBTEST failnth_setup fail %s\n", strerror(errno));
		return 1;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(steps); i++) {
		const struct step *s = &steps[i];
		int want = optind >= argc;

		for (int a = optind; a < argc; a++)
			want |= !strcmp(argv[a], s->name);
		if (!want)
			continue;
		if ((s->needs && !E.v3d) || (s->needs == 2 && !E.ctx_init)) {
			printf("SUBTEST failnth_%s skip no %s\n", s->name,
			       E.v3d ? "CONTEXT_INIT" : "3D");
			continue;
		}
		if (s->run == run_probe) {
			if (!virtio_dev) {
				printf("SUBTEST failnth_probe skip no -b\n");
				continue;
			}
			/* the probe replaces the device: nothing of ours may stay open */
			close(E.card);
			close(E.render);
		}
		failed |= run_step(s);
	}
	return failed;
}
