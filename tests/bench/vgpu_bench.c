// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_bench: display benchmarks on whichever virtio-gpu driver is bound.
 *
 * Usage: vgpu_bench LABEL [frames]
 *
 * Phases, each on a 1024x768 XRGB8888 mode of the first output:
 *   idle         5 s of nothing (reported as 300 frames, 60 Hz)
 *   vblank_wait  WAIT_VBLANK for the next vblank, in a loop
 *   flip_full    page flips between two buffers, each waited for
 *   flip_async   the same with DRM_MODE_PAGE_FLIP_ASYNC: not paced by the
 *                vblank (0 frames on a driver without
 *                DRM_CAP_ASYNC_PAGE_FLIP)
 *   flip_small   DIRTYFB with one 64x64 clip on the shown buffer
 *   flip_clips4  DIRTYFB with four 64x64 clips in the four corners
 *   cursor_move  legacy cursor moves
 * Each phase but idle and vblank_wait runs for at least [frames] operations
 * (cursor_move 4 * [frames]) and at least 2 s.
 * For each phase it writes "BENCH-MARK LABEL/phase" to the rig's port,
 * waits for the rig to note the time (it counts the host's commands and
 * notifications between marks), runs, and prints
 *   BENCH LABEL/phase frames=N wall_us=T cpu_us=C
 * where C is the guest's non-idle CPU time over the phase (all CPUs).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "bench.h"

static int fd;

/*
 * A phase runs @min operations and at least 2 s: the guest's CPU time
 * comes in 10 ms ticks, so a phase of a few thousand fast operations
 * (damage updates, cursor moves, unpaced flips) needs that long to be
 * measured at all.
 */
#define PHASE_MIN_US	2000000

static int enough(unsigned int n, unsigned int min, int64_t w0)
{
	return n >= min && now_us() - w0 >= PHASE_MIN_US;
}

struct buf {
	uint32_t handle, pitch, fb;
	uint64_t size;
	void *map;
};

static int mkbuf(struct buf *b, uint32_t w, uint32_t h)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	uint32_t handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };

	if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c))
		return -1;
	b->handle = c.handle;
	b->pitch = c.pitch;
	b->size = c.size;
	m.handle = c.handle;
	if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m))
		return -1;
	b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	if (b->map == MAP_FAILED)
		return -1;
	memset(b->map, 0x40, b->size);
	handles[0] = b->handle;
	pitches[0] = b->pitch;
	return drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles, pitches,
			     offsets, &b->fb, 0);
}

static void on_flip(int f, unsigned int seq, unsigned int sec,
		    unsigned int usec, void *data)
{
	(*(unsigned int *)data)++;
}

static int wait_flip(unsigned int *done, unsigned int want)
{
	drmEventContext ctx = { .version = 2, .page_flip_handler = on_flip };
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (*done < want) {
		if (poll(&p, 1, 2000) <= 0)
			return -1;
		drmHandleEvent(fd, &ctx);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int frames = argc > 2 ? (unsigned int)atoi(argv[2]) : 120;
	drmModeModeInfo *mode = NULL;
	drmModeConnector *conn = NULL;
	drmModeRes *res;
	struct buf a, b, cur;
	uint32_t crtc, conn_id;
	unsigned int done = 0;
	int64_t w0, c0;

	if (argc < 2)
		return 2;
	label = argv[1];
	rig = fopen("/dev/ttyS1", "w");
	fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (!rig || fd < 0)
		return 1;
	res = drmModeGetResources(fd);
	if (!res || !res->count_crtcs || !res->count_connectors)
		return 1;
	conn = drmModeGetConnector(fd, res->connectors[0]);
	for (int i = 0; conn && i < conn->count_modes; i++)
		if (conn->modes[i].hdisplay == 1024 && conn->modes[i].vdisplay == 768 &&
		    (!mode || conn->modes[i].vrefresh == 60))
			mode = &conn->modes[i];
	if (!mode) {
		fprintf(stderr, "no 1024x768 mode\n");
		return 1;
	}
	crtc = res->crtcs[0];
	conn_id = conn->connector_id;
	if (mkbuf(&a, 1024, 768) || mkbuf(&b, 1024, 768) || mkbuf(&cur, 64, 64))
		return 1;
	if (drmModeSetCrtc(fd, crtc, a.fb, 0, 0, &conn_id, 1, mode)) {
		perror("SetCrtc");
		return 1;
	}
	printf("mode %s %uHz\n", mode->name, mode->vrefresh);

	/* The cost of an idle guest with the output on, for reference. */
	mark("idle");
	w0 = now_us();
	c0 = cpu_us();
	sleep(5);
	report("idle", 300, now_us() - w0, cpu_us() - c0);

	/* Vblank waits alone (the in-tree driver has no vblank: 0 frames). */
	mark("vblank_wait");
	w0 = now_us();
	c0 = cpu_us();
	{
		unsigned int n = 0;

		for (; n < frames; n++) {
			drmVBlank v = { .request.type = DRM_VBLANK_RELATIVE,
					.request.sequence = 1 };

			if (drmWaitVBlank(fd, &v))
				break;
		}
		report("vblank_wait", n, now_us() - w0, cpu_us() - c0);
	}

	mark("flip_full");
	w0 = now_us();
	c0 = cpu_us();
	{
		unsigned int n = 0;

		/* An even number of flips: a is on screen again after. */
		for (; !enough(n, frames, w0) || n % 2; n++) {
			if (drmModePageFlip(fd, crtc, n % 2 ? a.fb : b.fb,
					    DRM_MODE_PAGE_FLIP_EVENT, &done) ||
			    wait_flip(&done, n + 1)) {
				perror("flip");
				return 1;
			}
		}
		report("flip_full", n, now_us() - w0, cpu_us() - c0);
	}

	/* What a compositor asking for immediate presentation gets. */
	{
		uint64_t cap = 0;
		unsigned int n = 0;

		mark("flip_async");
		w0 = now_us();
		c0 = cpu_us();
		done = 0;
		if (!drmGetCap(fd, DRM_CAP_ASYNC_PAGE_FLIP, &cap) && cap) {
			for (; !enough(n, frames, w0) || n % 2; n++) {
				if (drmModePageFlip(fd, crtc, n % 2 ? a.fb : b.fb,
						    DRM_MODE_PAGE_FLIP_EVENT |
						    DRM_MODE_PAGE_FLIP_ASYNC, &done) ||
				    wait_flip(&done, n + 1)) {
					perror("async flip");
					return 1;
				}
			}
		}
		report("flip_async", n, now_us() - w0, cpu_us() - c0);
	}

	for (int phase = 0; phase < 2; phase++) {
		drmModeClip clips[4] = {
			{ 100, 100, 164, 164 }, { 860, 100, 924, 164 },
			{ 100, 600, 164, 664 }, { 860, 600, 924, 664 },
		};
		unsigned int n = phase ? 4 : 1;
		const char *name = phase ? "flip_clips4" : "flip_small";

		mark(name);
		w0 = now_us();
		c0 = cpu_us();
		unsigned int i = 0;

		for (; !enough(i, frames, w0); i++) {
			if (drmModeDirtyFB(fd, a.fb, clips, n)) {
				perror("DirtyFB");
				return 1;
			}
		}
		report(name, i, now_us() - w0, cpu_us() - c0);
	}

	if (drmModeSetCursor(fd, crtc, cur.handle, 64, 64)) {
		perror("SetCursor");
		return 1;
	}
	mark("cursor_move");
	w0 = now_us();
	c0 = cpu_us();
	{
		unsigned int i = 0;

		for (; !enough(i, frames * 4, w0); i++) {
			if (drmModeMoveCursor(fd, crtc, (i * 7) % 960, (i * 5) % 700)) {
				perror("MoveCursor");
				return 1;
			}
		}
		report("cursor_move", i, now_us() - w0, cpu_us() - c0);
	}
	mark("end");
	drmModeSetCursor(fd, crtc, 0, 0, 0);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	close(fd);
	return 0;
}
