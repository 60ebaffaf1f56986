// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_bench3d: 3D uapi benchmarks on whichever virtio-gpu driver is bound
 * (virgl), through the render node.
 *
 * Usage: vgpu_bench3d LABEL [count]
 *
 * Phases:
 *   submit_latency  a 4-byte SUBMIT_3D (a virgl NOP) with an out fence,
 *                   waited for before the next one; the mean round trip,
 *                   and its median and 90th percentile as
 *                   "BENCH LABEL/submit_latency_pct p50_us=M p90_us=P"
 *   submit_rate     the same submissions back to back, only the last one
 *                   waited for
 *   bo_4k           RESOURCE_CREATE of a 32x32 BGRA texture (4 KiB), then
 *                   GEM_CLOSE, in a loop
 *   bo_4m           the same with 1024x1024 (4 MiB), count / 8 times
 *   mem_3d          count * 20 RESOURCE_CREATEs of 32x32 BGRA textures
 *                   (4 KiB) kept open: kernel slab and all guest memory
 *                   they take, per buffer (/proc/meminfo before and
 *                   after), then closed
 *   mem_dumb        the same with 32x32 dumb buffers (card node)
 * Each phase is bracketed by "BENCH-MARK LABEL/phase" on the rig's port
 * and reported as
 *   BENCH LABEL/phase frames=N wall_us=T cpu_us=C
 * with N operations, as vgpu_bench does; the memory phases add
 * slab_b=B mem_b=M, bytes per buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "bench.h"
#include "virtgpu_drm.h"

static int fd;

/* One NOP submission: its out fence fd when @fence, else 0; or -errno. */
static int submit(int fence)
{
	static const uint32_t nop[1] = { 0 };
	struct drm_virtgpu_execbuffer e = {
		.flags = fence ? VIRTGPU_EXECBUF_FENCE_FD_OUT : 0,
		.size = sizeof(nop), .command = (uintptr_t)nop, .fence_fd = -1,
	};

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &e))
		return -errno;
	return fence ? e.fence_fd : 0;
}

static int fence_wait(int f)
{
	struct pollfd p = { .fd = f, .events = POLLIN };
	int r = poll(&p, 1, 10000);

	close(f);
	return r == 1 ? 0 : -1;
}

static int bo_cycle(uint32_t w, uint32_t h)
{
	struct drm_virtgpu_resource_create c = {
		.target = 2, .format = 1, .bind = (1 << 1) | (1 << 3),
		.width = w, .height = h, .depth = 1, .array_size = 1,
		.size = w * h * 4,
	};

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c))
		return -errno;
	return drmCloseBufferHandle(fd, c.bo_handle) ? -errno : 0;
}

static int phase_bo(const char *name, unsigned int n, uint32_t w, uint32_t h)
{
	int64_t w0, c0;

	mark(name);
	w0 = now_us();
	c0 = cpu_us();
	for (unsigned int i = 0; i < n; i++) {
		int ret = bo_cycle(w, h);

		if (ret) {
			fprintf(stderr, "%s %u: %s\n", name, i, strerror(-ret));
			return 1;
		}
	}
	report(name, n, now_us() - w0, cpu_us() - c0);
	return 0;
}

/* A /proc/meminfo field, in bytes (-1 when missing). */
static long long proc_meminfo(const char *key)
{
	char line[128];
	long long v = -1, kib;
	size_t n = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%lld", &kib) == 1)
			v = kib * 1024;
	if (f)
		fclose(f);
	return v;
}

/*
 * Keep @n 32x32 buffers open (3D resources on @dev, or dumb buffers), and
 * report the slab and the memory they take, per buffer.
 */
static int phase_mem(const char *name, int dev, bool dumb, unsigned int n)
{
	uint32_t *h = calloc(n, sizeof(*h));
	long long slab0, free0, slab1, free1;
	int64_t w0, c0;
	unsigned int i;
	int ret = 0;

	if (!h)
		return 1;
	mark(name);
	sync();
	slab0 = proc_meminfo("Slab");
	free0 = proc_meminfo("MemFree");
	w0 = now_us();
	c0 = cpu_us();
	for (i = 0; i < n && !ret; i++) {
		if (dumb) {
			struct drm_mode_create_dumb d = { .width = 32, .height = 32, .bpp = 32 };

			ret = drmIoctl(dev, DRM_IOCTL_MODE_CREATE_DUMB, &d) ? -errno : 0;
			h[i] = d.handle;
		} else {
			struct drm_virtgpu_resource_create c = {
				.target = 2, .format = 1, .bind = (1 << 1) | (1 << 3),
				.width = 32, .height = 32, .depth = 1, .array_size = 1,
				.size = 32 * 32 * 4,
			};

			ret = drmIoctl(dev, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &c) ? -errno : 0;
			h[i] = c.bo_handle;
		}
	}
	if (ret) {
		fprintf(stderr, "%s %u: %s\n", name, i, strerror(-ret));
		i--;
	}
	slab1 = proc_meminfo("Slab");
	free1 = proc_meminfo("MemFree");
	if (!ret) {
		printf("BENCH %s/%s frames=%u wall_us=%" PRId64 " cpu_us=%" PRId64
		       " slab_b=%lld mem_b=%lld\n", label, name, n, now_us() - w0,
		       cpu_us() - c0, (slab1 - slab0) / n, (free0 - free1) / n);
		fprintf(rig, "BENCH %s/%s frames=%u wall_us=%" PRId64 " cpu_us=%" PRId64
			" slab_b=%lld mem_b=%lld\n", label, name, n, now_us() - w0,
			cpu_us() - c0, (slab1 - slab0) / n, (free0 - free1) / n);
		fflush(rig);
	}
	while (i--)
		drmCloseBufferHandle(dev, h[i]);
	free(h);
	return ret ? 1 : 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned int n = argc > 2 ? (unsigned int)atoi(argv[2]) : 500;
	int64_t w0, c0, *trip;
	int f, card;

	if (argc < 2 || !n) {
		fprintf(stderr, "usage: vgpu_bench3d LABEL [count (> 0)]\n");
		return 2;
	}
	label = argv[1];
	rig = fopen("/dev/ttyS1", "w");
	fd = open("/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	if (!rig || fd < 0) {
		perror("open");
		return 1;
	}
	/* The context exists before the first timed submission. */
	f = submit(1);
	if (f < 0 || fence_wait(f)) {
		fprintf(stderr, "first submission failed\n");
		return 1;
	}

	trip = calloc(n, sizeof(*trip));
	if (!trip)
		return 1;
	mark("submit_latency");
	w0 = now_us();
	c0 = cpu_us();
	for (unsigned int i = 0; i < n; i++) {
		int64_t t0 = now_us();

		f = submit(1);
		if (f < 0 || fence_wait(f)) {
			fprintf(stderr, "submit_latency %u failed\n", i);
			return 1;
		}
		trip[i] = now_us() - t0;
	}
	report("submit_latency", n, now_us() - w0, cpu_us() - c0);
	/* the round trips' median and 90th percentile, beside the mean */
	qsort(trip, n, sizeof(*trip), cmp_i64);
	fprintf(rig, "BENCH %s/submit_latency_pct p50_us=%" PRId64 " p90_us=%" PRId64 "\n",
		label, trip[(n - 1) / 2], trip[(n * 9 + 9) / 10 - 1]);
	fflush(rig);
	free(trip);

	mark("submit_rate");
	w0 = now_us();
	c0 = cpu_us();
	for (unsigned int i = 0; i + 1 < n * 4; i++) {
		if (submit(0) < 0) {
			fprintf(stderr, "submit_rate %u failed\n", i);
			return 1;
		}
	}
	f = submit(1);
	if (f < 0 || fence_wait(f))
		return 1;
	report("submit_rate", n * 4, now_us() - w0, cpu_us() - c0);

	if (phase_bo("bo_4k", n * 2, 32, 32) ||
	    phase_bo("bo_4m", n / 8 ? n / 8 : 1, 1024, 1024))
		return 1;
	card = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
	if (card < 0 || phase_mem("mem_3d", fd, false, n * 20) ||
	    phase_mem("mem_dumb", card, true, n * 20))
		return 1;
	close(card);
	mark("end");
	close(fd);
	return 0;
}
