// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_hold: a client that keeps the device busy while it is unloaded,
 * unplugged or suspended under it.
 *
 *   vgpu_hold hold     open the card and render nodes, map a dumb buffer,
 *                      export it as a dma-buf, fill it; wait
 *   vgpu_hold flip     the same, then set a mode and page-flip it in a loop
 *   vgpu_hold render   the same, then create, submit (with 3D), wait and
 *                      free buffers in a loop
 *
 * It prints READY once set up. A loop stops at the first ioctl that fails
 * and prints "STOPPED <ioctl> <errno name>". On SIGTERM it checks that the
 * mapping still holds what was written (MAPPING ok|changed), makes one more
 * ioctl on each node and a new mapping of the buffer and prints
 * "AFTER card <errno name or ok> render <...> mmap <...>", and exits 0
 * unless the mapping changed. SIGBUS on the mapping prints MAPPING gone.
 * SIGUSR1 makes a loop print how far it got: "COUNT <n>".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
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

static atomic_int stop, report;
static sigjmp_buf bus_jmp;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void on_usr1(int sig)
{
	(void)sig;
	report = 1;
}

/* Answer a SIGUSR1: how many rounds the loop has made. */
static void report_count(int n)
{
	if (!report)
		return;
	report = 0;
	printf("COUNT %d\n", n);
	fflush(stdout);
}

static void on_bus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static const char *ename(int e)
{
	return e ? strerrorname_np(e) : "ok";
}

struct hold {
	int card, render, dmabuf;
	uint32_t handle, fb, w, h, pitch;
	uint32_t *map;
	size_t size;
	uint64_t offset;
};

static int setup(struct hold *h)
{
	struct drm_mode_create_dumb d = { .width = 1024, .height = 768, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };

	h->card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	h->render = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	if (h->card < 0 || h->render < 0) {
		perror("open");
		return 1;
	}
	if (drmIoctl(h->card, DRM_IOCTL_MODE_CREATE_DUMB, &d)) {
		perror("create dumb");
		return 1;
	}
	m.handle = d.handle;
	if (drmIoctl(h->card, DRM_IOCTL_MODE_MAP_DUMB, &m)) {
		perror("map dumb");
		return 1;
	}
	h->map = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, h->card, m.offset);
	if (h->map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	h->handle = d.handle;
	h->offset = m.offset;
	h->size = d.size;
	h->w = d.width;
	h->h = d.height;
	h->pitch = d.pitch;
	for (size_t i = 0; i < d.size / 4; i++)
		h->map[i] = 0xff000000u | (uint32_t)(i * 2654435761u >> 8);
	if (drmPrimeHandleToFD(h->card, d.handle, DRM_CLOEXEC | DRM_RDWR, &h->dmabuf))
		h->dmabuf = -1;
	return 0;
}

static int flip_loop(struct hold *h)
{
	struct drm_mode_create_dumb d = { .bpp = 32 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	drmModeRes *res = drmModeGetResources(h->card);
	drmModeConnector *conn;
	uint32_t fb;
	int ret, n = 0;

	if (!res || !res->count_crtcs || !res->count_connectors) {
		printf("no KMS resources\n");
		return 1;
	}
	conn = drmModeGetConnector(h->card, res->connectors[0]);
	if (!conn || !conn->count_modes) {
		printf("no mode\n");
		return 1;
	}
	/* the mapped buffer stays as it is; the one shown fits the mode */
	d.width = conn->modes[0].hdisplay;
	d.height = conn->modes[0].vdisplay;
	if (drmIoctl(h->card, DRM_IOCTL_MODE_CREATE_DUMB, &d)) {
		perror("create dumb");
		return 1;
	}
	handles[0] = d.handle;
	pitches[0] = d.pitch;
	if (drmModeAddFB2(h->card, d.width, d.height, DRM_FORMAT_XRGB8888, handles, pitches,
			  offsets, &fb, 0)) {
		perror("addfb");
		return 1;
	}
	if (drmModeSetCrtc(h->card, res->crtcs[0], fb, 0, 0, &conn->connector_id, 1,
			   &conn->modes[0])) {
		perror("setcrtc");
		return 1;
	}
	printf("READY\n");
	fflush(stdout);
	while (!stop) {
		drmEventContext ev = { .version = 2 };

		ret = drmModePageFlip(h->card, res->crtcs[0], fb, DRM_MODE_PAGE_FLIP_EVENT, NULL);
		if (ret && errno == EBUSY) {
			usleep(1000);
			continue;
		}
		if (ret) {
			printf("STOPPED page_flip %s after %d flips\n", ename(errno), n);
			break;
		}
		drmHandleEvent(h->card, &ev);
		n++;
		report_count(n);
	}
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

static int render_loop(struct hold *h)
{
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES };
	uint64_t v3d = 0;
	int n = 0;

	gp.value = (uintptr_t)&v3d;
	ioctl(h->render, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
	printf("READY\n");
	fflush(stdout);
	while (!stop) {
		struct drm_mode_create_dumb d = { .width = 256, .height = 256, .bpp = 32 };
		struct drm_mode_destroy_dumb dd = { 0 };
		const char *what = "create_dumb";
		int ret = drmIoctl(h->card, DRM_IOCTL_MODE_CREATE_DUMB, &d);

		if (!ret && v3d) {
			struct drm_virtgpu_resource_create rc = {
				.target = 2, .format = 1, .bind = 2, .width = 64,
				.height = 64, .depth = 1, .array_size = 1,
				.size = 64 * 64 * 4, .stride = 256,
			};
			struct drm_virtgpu_execbuffer eb = { .fence_fd = -1 };
			struct drm_virtgpu_3d_wait w = { 0 };
			struct drm_gem_close gc = { 0 };

			what = "resource_create";
			ret = drmIoctl(h->render, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);
			if (!ret) {
				what = "execbuffer";
				eb.bo_handles = (uintptr_t)&rc.bo_handle;
				eb.num_bo_handles = 1;
				ret = drmIoctl(h->render, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb);
				w.handle = rc.bo_handle;
				if (!ret) {
					what = "wait";
					ret = drmIoctl(h->render, DRM_IOCTL_VIRTGPU_WAIT, &w);
				}
				gc.handle = rc.bo_handle;
				drmIoctl(h->render, DRM_IOCTL_GEM_CLOSE, &gc);
			}
		}
		if (ret) {
			printf("STOPPED %s %s after %d rounds\n", what, ename(errno), n);
			break;
		}
		dd.handle = d.handle;
		drmIoctl(h->card, DRM_IOCTL_MODE_DESTROY_DUMB, &dd);
		n++;
		report_count(n);
	}
	fflush(stdout);
	while (!stop)
		pause();
	return 0;
}

/* Compare the mapping with what was written; sets @bad. */
static size_t bad;

static void check_mapping(struct hold *h)
{
	if (sigsetjmp(bus_jmp, 1)) {
		printf("MAPPING gone\n");
		return;
	}
	for (size_t i = 0; i < h->size / 4; i++)
		bad += h->map[i] != (0xff000000u | (uint32_t)(i * 2654435761u >> 8));
	printf("MAPPING %s\n", bad ? "changed" : "ok");
}

int main(int argc, char **argv)
{
	struct sigaction term = { .sa_handler = on_term };
	struct sigaction bus = { .sa_handler = on_bus, .sa_flags = SA_NODEFER };
	struct sigaction usr1 = { .sa_handler = on_usr1 };
	struct drm_mode_card_res res = { 0 };
	struct drm_virtgpu_getparam gp = { .param = VIRTGPU_PARAM_3D_FEATURES };
	uint64_t v = 0;
	struct hold h;
	int ret = 0, e1, e2, e3;
	void *p;

	if (argc != 2) {
		fprintf(stderr, "usage: vgpu_hold hold|flip|render\n");
		return 2;
	}
	sigaction(SIGTERM, &term, NULL);
	sigaction(SIGBUS, &bus, NULL);
	sigaction(SIGUSR1, &usr1, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (setup(&h))
		return 1;
	if (!strcmp(argv[1], "flip")) {
		ret = flip_loop(&h);
	} else if (!strcmp(argv[1], "render")) {
		ret = render_loop(&h);
	} else {
		printf("READY\n");
		while (!stop)
			pause();
	}
	check_mapping(&h);
	e1 = ioctl(h.card, DRM_IOCTL_MODE_GETRESOURCES, &res) ? errno : 0;
	gp.value = (uintptr_t)&v;
	e2 = ioctl(h.render, DRM_IOCTL_VIRTGPU_GETPARAM, &gp) ? errno : 0;
	/* a new mapping of the same buffer */
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, h.card, h.offset);
	e3 = p == MAP_FAILED ? errno : 0;
	if (p != MAP_FAILED)
		munmap(p, 4096);
	printf("AFTER card %s render %s mmap %s\n", ename(e1), ename(e2), ename(e3));
	if (h.dmabuf >= 0)
		close(h.dmabuf);
	munmap(h.map, h.size);
	close(h.card);
	close(h.render);
	return ret || bad;
}
