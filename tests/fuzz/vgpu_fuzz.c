// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_fuzz: hostile ioctls on a virtio_gpu device's card and render nodes.
 *
 *   vgpu_fuzz [-s SEED] [-n IOCTLS] [-p PROCESSES] [-t THREADS] [-o OPS]
 *             [-T SECONDS] [-v]
 *
 * -o keeps only the named operations (comma-separated, e.g. -o gem,kms);
 * -T stops after that many seconds even if fewer ioctls were made.
 *
 * Every process opens its own files; its threads share them, with the
 * buffers, syncobjs, framebuffers and exported fds the ioctls return, and
 * close them while other threads use them. Each operation builds its
 * arguments either from what the process holds (structure-aware) or from
 * "interesting" and random numbers, and passes pointers that are valid,
 * NULL, unmapped, read-only, straddling into an unmapped page or kernel
 * addresses. Every ioctl covered: the virtgpu ioctls, GEM, PRIME, syncobj,
 * dumb buffers, modesetting (legacy and atomic), vblank, master, and raw
 * numbers in the driver's range; plus mmap/munmap, read and poll.
 *
 * A per-thread timer sends a signal every 20 ms, so blocking ioctls are
 * interrupted (the kernel's -ERESTARTSYS paths) instead of waiting.
 * Command streams are zeros (NOPs to virgl): the kernel does not read
 * them, the host would.
 *
 * The operations of one thread depend only on the seed (printed first);
 * how threads interleave does not. Output ends with
 *   vgpu_fuzz: seed S: N ioctls (P processes x T threads), ...
 * The exit status is 0 when every process finished, 1 otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include <drm_fourcc.h>
#include <drm_mode.h>
#include <linux/dma-buf.h>

#include "virtgpu_drm.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PAGE 4096UL
#define NFD 6
#define NHANDLE 96
#define NSYNC 32
#define NFB 16
#define NXFD 24
#define NKMS 64
#define NMAP 16
#define SCRATCH (64 * 1024)

/* Counters every process adds to (a shared anonymous mapping). */
struct totals {
	atomic_ullong ioctls;
	atomic_ullong ok;
	atomic_ullong closes;
	atomic_ullong mmaps;
	atomic_ullong sigbus;
	atomic_ullong err[136];
};

static struct totals *totals;
static uint64_t seed;
static unsigned long per_thread;
static int verbose;
static time_t stop_at;

/* What a process holds; its threads share it, racing on purpose. */
struct pool {
	atomic_int fd[NFD];
	atomic_uint handle[NHANDLE];
	atomic_uint syncobj[NSYNC];
	atomic_uint fb[NFB];
	atomic_int xfd[NXFD];
	/* KMS object ids: CRTCs, planes, connectors, encoders, properties */
	uint32_t kms[NKMS];
	unsigned int nkms;
	uint32_t props[NKMS];
	unsigned int nprops;
	/* a page with no mapping, a read-only page, the page before the hole */
	uint8_t *hole, *ro, *edge;
};

static struct pool pool;

struct thr {
	uint64_t s;
	unsigned int id;
	uint8_t *scratch;
	unsigned long count;
	struct {
		void *addr;
		size_t len;
	} map[NMAP];
};

static __thread sigjmp_buf touch_jmp;
static __thread atomic_int touching;

/* --- random numbers --------------------------------------------------- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rnd(struct thr *t)
{
	t->s ^= t->s >> 12;
	t->s ^= t->s << 25;
	t->s ^= t->s >> 27;
	return t->s * 2685821657736338717ULL;
}

static uint32_t below(struct thr *t, uint32_t n)
{
	return n ? rnd(t) % n : 0;
}

static bool chance(struct thr *t, unsigned int pct)
{
	return below(t, 100) < pct;
}

static uint64_t interesting(struct thr *t)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, 100, 127, 128,
		255, 256, 511, 512, 1023, 1024, 4095, 4096, 4097, 8192, 16384,
		65535, 65536, 0x100000, 0x7fffffff, 0x80000000, 0xfffffffe,
		0xffffffff, 0x100000000ULL, 0x10000000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL,
	};

	switch (below(t, 4)) {
	case 0:
		return rnd(t);
	case 1:
		return below(t, 64);
	default:
		return v[below(t, ARRAY_SIZE(v))];
	}
}

static uint32_t i32(struct thr *t)
{
	return (uint32_t)interesting(t);
}

/* A size: mostly small and page-sized, sometimes anything. */
static uint64_t size_of(struct thr *t)
{
	if (chance(t, 70))
		return (below(t, 64) + 1) * PAGE;
	if (chance(t, 50))
		return below(t, 8 * PAGE) + 1;
	return interesting(t);
}

/* --- what the process holds ------------------------------------------- */

static void keep(atomic_uint *slots, unsigned int n, struct thr *t, uint32_t v)
{
	if (v)
		atomic_store(&slots[below(t, n)], v);
}

static uint32_t pick(atomic_uint *slots, unsigned int n, struct thr *t)
{
	if (chance(t, 85))
		return atomic_load(&slots[below(t, n)]);
	return chance(t, 50) ? below(t, 8) : i32(t);
}

static uint32_t handle(struct thr *t)
{
	return pick(pool.handle, NHANDLE, t);
}

static uint32_t syncobj(struct thr *t)
{
	return pick(pool.syncobj, NSYNC, t);
}

static void keep_xfd(struct thr *t, int fd)
{
	int old;

	if (fd < 0)
		return;
	old = atomic_exchange(&pool.xfd[below(t, NXFD)], fd);
	if (old > 2)
		close(old);
}

static int xfd(struct thr *t)
{
	if (chance(t, 85))
		return atomic_load(&pool.xfd[below(t, NXFD)]);
	return chance(t, 50) ? -1 : (int)i32(t);
}

static uint32_t kms_id(struct thr *t)
{
	if (pool.nkms && chance(t, 85))
		return pool.kms[below(t, pool.nkms)];
	return chance(t, 50) ? below(t, 64) : i32(t);
}

/* A DRM fd of the process: one it holds, or a new one. */
static int drm_fd(struct thr *t, bool want_card)
{
	unsigned int slot = want_card ? 0 : below(t, NFD);
	int fd = atomic_load(&pool.fd[slot]);
	int nfd, expected = -1;

	if (fd >= 0)
		return fd;
	nfd = open(slot == 0 || chance(t, 30) ? "/dev/dri/card0" :
		   "/dev/dri/renderD128", O_RDWR | O_CLOEXEC);
	if (nfd < 0)
		return -1;
	if (!atomic_compare_exchange_strong(&pool.fd[slot], &expected, nfd)) {
		close(nfd);
		return expected;
	}
	return nfd;
}

/* Close a file another thread may be using this very moment. */
static void op_close(struct thr *t)
{
	int fd = atomic_exchange(&pool.fd[below(t, NFD)], -1);

	if (fd >= 0) {
		close(fd);
		atomic_fetch_add(&totals->closes, 1);
	}
	if (chance(t, 30)) {
		fd = atomic_exchange(&pool.xfd[below(t, NXFD)], -1);
		if (fd > 2)
			close(fd);
	}
}

/* --- pointers ---------------------------------------------------------- */

/* Where the kernel reads or writes @len bytes: usually fine, not always. */
static void *ptr(struct thr *t, size_t len)
{
	switch (below(t, 40)) {
	case 0:
		return NULL;
	case 1:
		return pool.hole + below(t, PAGE);
	case 2:
		return pool.ro;
	case 3:
		return pool.edge + PAGE - (len ? below(t, len) + 1 : 1);
	case 4:
		return (void *)(uintptr_t)0xffff888000000000ULL;
	case 5:
		return (void *)(uintptr_t)rnd(t);
	default:
		if (len > SCRATCH / 2)
			return t->scratch;
		return t->scratch + SCRATCH / 2 + below(t, SCRATCH / 2 - len + 1);
	}
}

static uint64_t uptr(struct thr *t, size_t len)
{
	return (uint64_t)(uintptr_t)ptr(t, len);
}

/* The ioctl's own argument: the structure, or sometimes a bad pointer. */
static void *argp(struct thr *t, void *arg, size_t len)
{
	return chance(t, 94) ? arg : ptr(t, len);
}

static long xioctl(struct thr *t, int fd, unsigned long req, void *arg)
{
	long ret = ioctl(fd, req, arg);
	int e = ret ? errno : 0;

	t->count++;
	atomic_fetch_add(&totals->ioctls, 1);
	if (!ret)
		atomic_fetch_add(&totals->ok, 1);
	else
		atomic_fetch_add(&totals->err[e < 136 ? e : 0], 1);
	if (verbose > 1)
		fprintf(stderr, "[%u] ioctl %d 0x%lx = %ld (%d)\n", t->id, fd,
			req, ret, e);
	errno = e;
	return ret;
}

#define IOC(t, fd, req, s) xioctl(t, fd, req, argp(t, &(s), sizeof(s)))

static void touch_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (touching)
		siglongjmp(touch_jmp, 1);
	fprintf(stderr, "vgpu_fuzz: signal %d at %p outside a mapping's test\n",
		sig, si->si_addr);
	abort();
}

/* Read and write a mapping; a SIGBUS or SIGSEGV is counted, not fatal. */
static void touch(struct thr *t, uint8_t *p, size_t len)
{
	if (sigsetjmp(touch_jmp, 1)) {
		touching = 0;
		atomic_fetch_add(&totals->sigbus, 1);
		return;
	}
	touching = 1;
	for (size_t off = 0; off < len; off += PAGE * (below(t, 4) + 1)) {
		uint8_t v = __atomic_load_n(&p[off], __ATOMIC_RELAXED);

		__atomic_store_n(&p[off], v + 1, __ATOMIC_RELAXED);
	}
	touching = 0;
}

static void keep_map(struct thr *t, void *addr, size_t len)
{
	unsigned int i = below(t, NMAP);

	if (t->map[i].addr)
		munmap(t->map[i].addr, t->map[i].len);
	t->map[i].addr = addr;
	t->map[i].len = len;
	atomic_fetch_add(&totals->mmaps, 1);
}

static void map_offset(struct thr *t, int fd, uint64_t offset, uint64_t size)
{
	size_t len = chance(t, 70) ? size : size_of(t);
	int prot = chance(t, 90) ? PROT_READ | PROT_WRITE : PROT_READ;
	void *p;

	if (chance(t, 20))
		offset += below(t, 8) * PAGE;
	if (!len || len > (1UL << 30))
		len = PAGE;
	p = mmap(NULL, len, prot, chance(t, 90) ? MAP_SHARED : MAP_PRIVATE,
		 fd, (off_t)offset);
	if (p == MAP_FAILED)
		return;
	if (prot & PROT_WRITE)
		touch(t, p, len);
	if (chance(t, 50))
		munmap(p, len);
	else
		keep_map(t, p, len);
}

/* --- virtgpu ioctls ---------------------------------------------------- */

static void op_getparam(struct thr *t)
{
	struct drm_virtgpu_getparam a = {
		.param = chance(t, 80) ? below(t, 10) : i32(t),
		.value = uptr(t, 8),
	};

	IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_GETPARAM, a);
}

static void op_get_caps(struct thr *t)
{
	struct drm_virtgpu_get_caps a = {
		.cap_set_id = chance(t, 80) ? below(t, 8) : i32(t),
		.cap_set_ver = chance(t, 80) ? below(t, 4) : i32(t),
		.size = chance(t, 70) ? below(t, 4096) : i32(t),
		.pad = chance(t, 90) ? 0 : i32(t),
	};

	a.addr = uptr(t, a.size < SCRATCH / 2 ? a.size : 0);
	IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_GET_CAPS, a);
}

static void op_context_init(struct thr *t)
{
	struct drm_virtgpu_context_set_param *p = (void *)(t->scratch + 4096);
	struct drm_virtgpu_context_init a = {
		.num_params = chance(t, 90) ? below(t, 6) : i32(t),
		.pad = chance(t, 95) ? 0 : i32(t),
		.ctx_set_params = (uintptr_t)p,
	};
	char *name = (char *)t->scratch + 8192;

	strcpy(name, "vgpu_fuzz");
	for (unsigned int i = 0; i < 6; i++) {
		p[i].param = chance(t, 90) ? below(t, 6) : interesting(t);
		switch (p[i].param) {
		case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
			p[i].value = chance(t, 80) ? below(t, 8) : interesting(t);
			break;
		case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
			p[i].value = chance(t, 80) ? below(t, 70) : interesting(t);
			break;
		case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
			p[i].value = chance(t, 80) ? (uintptr_t)name : uptr(t, 64);
			break;
		default:
			p[i].value = interesting(t);
		}
	}
	if (chance(t, 5))
		a.ctx_set_params = uptr(t, sizeof(*p) * 6);
	IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_CONTEXT_INIT, a);
}

static void op_resource_create(struct thr *t)
{
	struct drm_virtgpu_resource_create a = {
		.target = chance(t, 80) ? below(t, 10) : i32(t),
		.format = chance(t, 80) ? below(t, 140) : i32(t),
		.bind = chance(t, 70) ? 1u << below(t, 22) : i32(t),
		.width = chance(t, 80) ? below(t, 256) + 1 : i32(t),
		.height = chance(t, 80) ? below(t, 256) + 1 : i32(t),
		.depth = chance(t, 85) ? 1 : i32(t),
		.array_size = chance(t, 85) ? 1 : i32(t),
		.last_level = chance(t, 85) ? 0 : i32(t),
		.nr_samples = chance(t, 85) ? 0 : i32(t),
		.flags = chance(t, 85) ? 0 : i32(t),
	};

	a.size = chance(t, 80) ? a.width * a.height * 4 : (uint32_t)size_of(t);
	a.stride = chance(t, 80) ? a.width * 4 : i32(t);
	if (!IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, a))
		keep(pool.handle, NHANDLE, t, a.bo_handle);
}

static void op_resource_info(struct thr *t)
{
	struct drm_virtgpu_resource_info a = { .bo_handle = handle(t) };

	IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_RESOURCE_INFO, a);
}

static void op_map(struct thr *t)
{
	struct drm_virtgpu_map a = {
		.handle = handle(t),
		.pad = chance(t, 95) ? 0 : i32(t),
	};
	int fd = drm_fd(t, false);

	if (!IOC(t, fd, DRM_IOCTL_VIRTGPU_MAP, a) && chance(t, 80))
		map_offset(t, fd, a.offset, (below(t, 16) + 1) * PAGE);
}

static void box(struct thr *t, struct drm_virtgpu_3d_box *b)
{
	bool sane = chance(t, 75);

	b->x = sane ? below(t, 64) : i32(t);
	b->y = sane ? below(t, 64) : i32(t);
	b->z = sane ? 0 : i32(t);
	b->w = sane ? below(t, 128) + 1 : i32(t);
	b->h = sane ? below(t, 128) + 1 : i32(t);
	b->d = sane ? 1 : i32(t);
}

static void op_transfer(struct thr *t)
{
	/* both directions take the same layout */
	struct drm_virtgpu_3d_transfer_to_host a = {
		.bo_handle = handle(t),
		.offset = chance(t, 70) ? below(t, 4096) : i32(t),
		.level = chance(t, 90) ? 0 : i32(t),
		.stride = chance(t, 70) ? 0 : i32(t),
		.layer_stride = chance(t, 80) ? 0 : i32(t),
	};

	_Static_assert(sizeof(a) == sizeof(struct drm_virtgpu_3d_transfer_from_host),
		       "transfer layouts");
	box(t, &a.box);
	IOC(t, drm_fd(t, false), chance(t, 50) ? DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST :
	    DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, a);
}

static void op_wait(struct thr *t)
{
	struct drm_virtgpu_3d_wait a = {
		.handle = handle(t),
		.flags = chance(t, 80) ? below(t, 2) : i32(t),
	};

	IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_WAIT, a);
}

static void syncobj_array(struct thr *t, struct drm_virtgpu_execbuffer_syncobj *s,
			  unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		s[i].handle = syncobj(t);
		s[i].flags = chance(t, 80) ? below(t, 2) : i32(t);
		s[i].point = chance(t, 60) ? 0 : interesting(t);
	}
}

static void op_execbuffer(struct thr *t)
{
	struct drm_virtgpu_execbuffer_syncobj *in = (void *)(t->scratch + 4096);
	struct drm_virtgpu_execbuffer_syncobj *out = (void *)(t->scratch + 8192);
	uint32_t *bos = (void *)(t->scratch + 12288);
	uint8_t *cmd = t->scratch + 16384;
	struct drm_virtgpu_execbuffer a = {
		.flags = chance(t, 85) ? below(t, 8) : i32(t),
		.size = chance(t, 85) ? below(t, 64) * 4 : i32(t),
		.num_bo_handles = chance(t, 85) ? below(t, 8) : i32(t),
		.fence_fd = xfd(t),
		.ring_idx = chance(t, 85) ? below(t, 4) : i32(t),
		.syncobj_stride = chance(t, 85) ? sizeof(*in) : i32(t),
		.num_in_syncobjs = chance(t, 60) ? 0 : chance(t, 90) ? below(t, 8) : i32(t),
		.num_out_syncobjs = chance(t, 60) ? 0 : chance(t, 90) ? below(t, 8) : i32(t),
	};

	memset(cmd, 0, 256);
	a.command = chance(t, 95) ? (uintptr_t)cmd : uptr(t, a.size);
	for (unsigned int i = 0; i < 8; i++)
		bos[i] = handle(t);
	a.bo_handles = chance(t, 95) ? (uintptr_t)bos : uptr(t, 32);
	syncobj_array(t, in, 8);
	syncobj_array(t, out, 8);
	a.in_syncobjs = chance(t, 95) ? (uintptr_t)in : uptr(t, 128);
	a.out_syncobjs = chance(t, 95) ? (uintptr_t)out : uptr(t, 128);
	if (!IOC(t, drm_fd(t, false), DRM_IOCTL_VIRTGPU_EXECBUFFER, a) &&
	    (a.flags & VIRTGPU_EXECBUF_FENCE_FD_OUT))
		keep_xfd(t, a.fence_fd);
}

static void op_create_blob(struct thr *t)
{
	struct drm_virtgpu_resource_create_blob a = {
		.blob_mem = chance(t, 85) ? below(t, 5) : i32(t),
		.blob_flags = chance(t, 85) ? below(t, 8) : i32(t),
		.size = size_of(t),
		.pad = chance(t, 95) ? 0 : i32(t),
		.cmd_size = chance(t, 70) ? 0 : chance(t, 80) ? below(t, 64) * 4 : i32(t),
		.blob_id = chance(t, 70) ? 0 : interesting(t),
	};
	int fd = drm_fd(t, false);

	memset(t->scratch + 16384, 0, 256);
	a.cmd = chance(t, 90) ? (uintptr_t)(t->scratch + 16384) : uptr(t, a.cmd_size);
	if (!IOC(t, fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, a)) {
		keep(pool.handle, NHANDLE, t, a.bo_handle);
		if (chance(t, 30)) {
			struct drm_virtgpu_map m = { .handle = a.bo_handle };

			if (!IOC(t, fd, DRM_IOCTL_VIRTGPU_MAP, m))
				map_offset(t, fd, m.offset, a.size);
		}
	}
}

/* --- GEM, PRIME, dumb buffers ------------------------------------------ */

static void op_gem(struct thr *t)
{
	int fd = drm_fd(t, false);

	switch (below(t, 6)) {
	case 0: {
		struct drm_gem_close a = { .handle = handle(t), .pad = chance(t, 95) ? 0 : i32(t) };

		IOC(t, fd, DRM_IOCTL_GEM_CLOSE, a);
		break;
	}
	case 1: {
		struct drm_gem_flink a = { .handle = handle(t) };
		struct drm_gem_open o = { 0 };

		if (IOC(t, fd, DRM_IOCTL_GEM_FLINK, a))
			break;
		o.name = chance(t, 80) ? a.name : i32(t);
		if (!IOC(t, drm_fd(t, false), DRM_IOCTL_GEM_OPEN, o))
			keep(pool.handle, NHANDLE, t, o.handle);
		break;
	}
	case 2: {
		struct drm_prime_handle a = {
			.handle = handle(t),
			.flags = chance(t, 85) ? DRM_CLOEXEC | (DRM_RDWR * below(t, 2)) : i32(t),
		};

		if (!IOC(t, fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, a))
			keep_xfd(t, a.fd);
		break;
	}
	case 3: {
		struct drm_prime_handle a = { .fd = xfd(t) };

		if (!IOC(t, fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, a))
			keep(pool.handle, NHANDLE, t, a.handle);
		break;
	}
	case 4: {
		struct drm_mode_create_dumb a = {
			.width = chance(t, 85) ? below(t, 512) + 1 : i32(t),
			.height = chance(t, 85) ? below(t, 512) + 1 : i32(t),
			.bpp = chance(t, 85) ? 32 : i32(t),
			.flags = chance(t, 95) ? 0 : i32(t),
		};
		struct drm_mode_map_dumb m = { 0 };

		if (IOC(t, fd, DRM_IOCTL_MODE_CREATE_DUMB, a))
			break;
		keep(pool.handle, NHANDLE, t, a.handle);
		m.handle = a.handle;
		if (chance(t, 50) && !IOC(t, fd, DRM_IOCTL_MODE_MAP_DUMB, m))
			map_offset(t, fd, m.offset, a.size);
		break;
	}
	default: {
		struct drm_mode_map_dumb m = { .handle = handle(t) };
		struct drm_mode_destroy_dumb d = { .handle = handle(t) };

		if (chance(t, 50)) {
			if (!IOC(t, fd, DRM_IOCTL_MODE_MAP_DUMB, m))
				map_offset(t, fd, m.offset, size_of(t));
		} else {
			IOC(t, fd, DRM_IOCTL_MODE_DESTROY_DUMB, d);
		}
	}
	}
}

/* A dma-buf or sync_file the process holds: sync, map, poll. */
static void op_xfd(struct thr *t)
{
	int fd = xfd(t);

	switch (below(t, 3)) {
	case 0: {
		struct dma_buf_sync s = {
			.flags = chance(t, 85) ? (DMA_BUF_SYNC_END * below(t, 2)) |
				 (below(t, 3) + 1) : i32(t),
		};

		IOC(t, fd, DMA_BUF_IOCTL_SYNC, s);
		break;
	}
	case 1:
		map_offset(t, fd, 0, (below(t, 4) + 1) * PAGE);
		break;
	default: {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

		poll(&p, 1, 0);
	}
	}
}

/* --- syncobjs ----------------------------------------------------------- */

static uint64_t deadline(struct thr *t)
{
	struct timespec ts;

	if (chance(t, 20))
		return interesting(t);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec + below(t, 5000000);
}

static void op_syncobj(struct thr *t)
{
	uint32_t *h = (void *)(t->scratch + 4096);
	uint64_t *pts = (void *)(t->scratch + 8192);
	int fd = drm_fd(t, false);
	uint32_t n = chance(t, 90) ? below(t, 8) + 1 : i32(t);

	for (unsigned int i = 0; i < 8; i++) {
		h[i] = syncobj(t);
		pts[i] = chance(t, 50) ? below(t, 8) : interesting(t);
	}
	switch (below(t, 11)) {
	case 0: {
		struct drm_syncobj_create a = {
			.flags = chance(t, 85) ? below(t, 2) : i32(t),
		};

		if (!IOC(t, fd, DRM_IOCTL_SYNCOBJ_CREATE, a))
			keep(pool.syncobj, NSYNC, t, a.handle);
		break;
	}
	case 1: {
		struct drm_syncobj_destroy a = { .handle = syncobj(t) };

		IOC(t, fd, DRM_IOCTL_SYNCOBJ_DESTROY, a);
		break;
	}
	case 2: {
		struct drm_syncobj_handle a = {
			.handle = syncobj(t),
			.flags = chance(t, 85) ? below(t, 2) : i32(t),
			.fd = chance(t, 90) ? 0 : xfd(t),
		};

		if (!IOC(t, fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, a))
			keep_xfd(t, a.fd);
		break;
	}
	case 3: {
		struct drm_syncobj_handle a = {
			.fd = xfd(t),
			.flags = chance(t, 85) ? below(t, 2) : i32(t),
			.handle = chance(t, 50) ? 0 : syncobj(t),
		};

		if (!IOC(t, fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, a))
			keep(pool.syncobj, NSYNC, t, a.handle);
		break;
	}
	case 4: {
		struct drm_syncobj_wait a = {
			.handles = chance(t, 95) ? (uintptr_t)h : uptr(t, 32),
			.timeout_nsec = deadline(t),
			.count_handles = n,
			.flags = chance(t, 85) ? below(t, 4) : i32(t),
		};

		IOC(t, fd, DRM_IOCTL_SYNCOBJ_WAIT, a);
		break;
	}
	case 5: {
		struct drm_syncobj_timeline_wait a = {
			.handles = chance(t, 95) ? (uintptr_t)h : uptr(t, 32),
			.points = chance(t, 95) ? (uintptr_t)pts : uptr(t, 64),
			.timeout_nsec = deadline(t),
			.count_handles = n,
			.flags = chance(t, 85) ? below(t, 8) : i32(t),
		};

		IOC(t, fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, a);
		break;
	}
	case 6:
	case 7: {
		struct drm_syncobj_array a = {
			.handles = chance(t, 95) ? (uintptr_t)h : uptr(t, 32),
			.count_handles = n,
			.pad = chance(t, 95) ? 0 : i32(t),
		};

		IOC(t, fd, below(t, 2) ? DRM_IOCTL_SYNCOBJ_RESET : DRM_IOCTL_SYNCOBJ_SIGNAL, a);
		break;
	}
	case 8:
	case 9: {
		struct drm_syncobj_timeline_array a = {
			.handles = chance(t, 95) ? (uintptr_t)h : uptr(t, 32),
			.points = chance(t, 95) ? (uintptr_t)pts : uptr(t, 64),
			.count_handles = n,
			.flags = chance(t, 85) ? below(t, 2) : i32(t),
		};

		IOC(t, fd, below(t, 2) ? DRM_IOCTL_SYNCOBJ_QUERY :
		    DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, a);
		break;
	}
	default: {
		struct drm_syncobj_transfer a = {
			.src_handle = syncobj(t),
			.dst_handle = syncobj(t),
			.src_point = chance(t, 50) ? 0 : interesting(t),
			.dst_point = chance(t, 50) ? 0 : interesting(t),
			.flags = chance(t, 85) ? below(t, 2) : i32(t),
			.pad = chance(t, 95) ? 0 : i32(t),
		};

		IOC(t, fd, DRM_IOCTL_SYNCOBJ_TRANSFER, a);
	}
	}
}

/* --- modesetting ------------------------------------------------------- */

static const uint32_t formats[] = {
	DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XBGR8888,
	DRM_FORMAT_ABGR8888, DRM_FORMAT_BGRX8888, DRM_FORMAT_BGRA8888,
	DRM_FORMAT_RGBX8888, DRM_FORMAT_RGBA8888, DRM_FORMAT_RGB565,
	DRM_FORMAT_NV12, 0,
};

static const uint32_t obj_types[] = {
	DRM_MODE_OBJECT_CRTC, DRM_MODE_OBJECT_CONNECTOR, DRM_MODE_OBJECT_PLANE,
	DRM_MODE_OBJECT_ENCODER, DRM_MODE_OBJECT_FB, DRM_MODE_OBJECT_BLOB,
	DRM_MODE_OBJECT_ANY,
};

static uint32_t obj_type(struct thr *t)
{
	return chance(t, 85) ? obj_types[below(t, ARRAY_SIZE(obj_types))] : i32(t);
}

static void mode(struct thr *t, struct drm_mode_modeinfo *m)
{
	bool sane = chance(t, 80);

	memset(m, 0, sizeof(*m));
	m->hdisplay = sane ? 640 + 64 * below(t, 8) : i32(t);
	m->vdisplay = sane ? 480 + 48 * below(t, 8) : i32(t);
	m->hsync_start = m->hdisplay + 16;
	m->hsync_end = m->hsync_start + 96;
	m->htotal = sane ? m->hsync_end + 48u : i32(t);
	m->vsync_start = m->vdisplay + 10;
	m->vsync_end = m->vsync_start + 2;
	m->vtotal = sane ? m->vsync_end + 33u : i32(t);
	m->vrefresh = 60;
	m->clock = sane ? (uint32_t)m->htotal * m->vtotal * 60 / 1000 : i32(t);
}

static void op_addfb(struct thr *t, int fd)
{
	struct drm_mode_fb_cmd2 a = {
		.width = chance(t, 85) ? below(t, 1024) + 1 : i32(t),
		.height = chance(t, 85) ? below(t, 768) + 1 : i32(t),
		.pixel_format = chance(t, 90) ? formats[below(t, ARRAY_SIZE(formats))] : i32(t),
		.flags = chance(t, 90) ? 0 : i32(t),
	};

	for (unsigned int i = 0; i < 4; i++) {
		a.handles[i] = i == 0 || chance(t, 10) ? handle(t) : 0;
		a.pitches[i] = chance(t, 80) ? a.width * 4 : i32(t);
		a.offsets[i] = chance(t, 85) ? 0 : i32(t);
		a.modifier[i] = chance(t, 95) ? 0 : interesting(t);
	}
	if (!IOC(t, fd, DRM_IOCTL_MODE_ADDFB2, a))
		keep(pool.fb, NFB, t, a.fb_id);
}

static void op_atomic(struct thr *t, int fd)
{
	uint32_t *objs = (void *)(t->scratch + 4096);
	uint32_t *counts = (void *)(t->scratch + 5120);
	uint32_t *props = (void *)(t->scratch + 6144);
	uint64_t *vals = (void *)(t->scratch + 8192);
	unsigned int nobj = chance(t, 90) ? below(t, 4) + 1 : i32(t), k = 0;
	struct drm_mode_atomic a = {
		.flags = chance(t, 85) ? (DRM_MODE_ATOMIC_TEST_ONLY * below(t, 2)) |
			 (DRM_MODE_ATOMIC_NONBLOCK * below(t, 2)) |
			 (DRM_MODE_ATOMIC_ALLOW_MODESET * below(t, 2)) |
			 (DRM_MODE_PAGE_FLIP_EVENT * below(t, 2)) : i32(t),
		.count_objs = nobj,
		.reserved = chance(t, 97) ? 0 : interesting(t),
		.user_data = rnd(t),
	};

	for (unsigned int i = 0; i < 4; i++) {
		objs[i] = kms_id(t);
		counts[i] = chance(t, 90) ? below(t, 4) : i32(t);
		for (unsigned int j = 0; j < 4; j++, k++) {
			props[k] = pool.nprops && chance(t, 85) ?
				pool.props[below(t, pool.nprops)] : i32(t);
			switch (below(t, 4)) {
			case 0:
				vals[k] = atomic_load(&pool.fb[below(t, NFB)]);
				break;
			case 1:
				vals[k] = kms_id(t);
				break;
			default:
				vals[k] = chance(t, 50) ? below(t, 2048) << (16 * below(t, 2)) :
					  interesting(t);
			}
		}
	}
	a.objs_ptr = chance(t, 95) ? (uintptr_t)objs : uptr(t, 16);
	a.count_props_ptr = chance(t, 95) ? (uintptr_t)counts : uptr(t, 16);
	a.props_ptr = chance(t, 95) ? (uintptr_t)props : uptr(t, 64);
	a.prop_values_ptr = chance(t, 95) ? (uintptr_t)vals : uptr(t, 128);
	IOC(t, fd, DRM_IOCTL_MODE_ATOMIC, a);
}

static void op_kms(struct thr *t)
{
	int fd = drm_fd(t, chance(t, 80));

	switch (below(t, 18)) {
	case 0: {
		struct drm_mode_card_res a = { 0 };

		IOC(t, fd, DRM_IOCTL_MODE_GETRESOURCES, a);
		break;
	}
	case 1: {
		struct drm_mode_crtc a = { .crtc_id = kms_id(t) };

		IOC(t, fd, DRM_IOCTL_MODE_GETCRTC, a);
		break;
	}
	case 2: {
		uint32_t *conn = (void *)(t->scratch + 4096);
		struct drm_mode_crtc a = {
			.crtc_id = kms_id(t),
			.fb_id = chance(t, 20) ? 0 : atomic_load(&pool.fb[below(t, NFB)]),
			.x = chance(t, 85) ? below(t, 64) : i32(t),
			.y = chance(t, 85) ? below(t, 64) : i32(t),
			.count_connectors = chance(t, 85) ? below(t, 3) : i32(t),
			.set_connectors_ptr = chance(t, 95) ? (uintptr_t)conn : uptr(t, 8),
			.mode_valid = chance(t, 85) ? 1 : i32(t),
		};

		conn[0] = kms_id(t);
		conn[1] = kms_id(t);
		mode(t, &a.mode);
		IOC(t, fd, DRM_IOCTL_MODE_SETCRTC, a);
		break;
	}
	case 3: {
		struct drm_mode_get_plane a = {
			.plane_id = kms_id(t),
			.count_format_types = chance(t, 50) ? 0 : below(t, 64),
			.format_type_ptr = uptr(t, 256),
		};

		IOC(t, fd, DRM_IOCTL_MODE_GETPLANE, a);
		break;
	}
	case 4:
	case 5:
		op_addfb(t, fd);
		break;
	case 6: {
		uint32_t id = atomic_load(&pool.fb[below(t, NFB)]);

		xioctl(t, fd, DRM_IOCTL_MODE_RMFB, chance(t, 95) ? (void *)&id : ptr(t, 4));
		break;
	}
	case 7: {
		struct drm_mode_crtc_page_flip_target a = {
			.crtc_id = kms_id(t),
			.fb_id = atomic_load(&pool.fb[below(t, NFB)]),
			.flags = chance(t, 85) ? DRM_MODE_PAGE_FLIP_EVENT * below(t, 2) |
				 DRM_MODE_PAGE_FLIP_ASYNC * !below(t, 8) : i32(t),
			.sequence = chance(t, 90) ? 0 : i32(t),
			.user_data = rnd(t),
		};

		IOC(t, fd, DRM_IOCTL_MODE_PAGE_FLIP, a);
		break;
	}
	case 8: {
		struct drm_clip_rect *c = (void *)(t->scratch + 4096);
		struct drm_mode_fb_dirty_cmd a = {
			.fb_id = atomic_load(&pool.fb[below(t, NFB)]),
			.flags = chance(t, 85) ? below(t, 4) : i32(t),
			.color = i32(t),
			.num_clips = chance(t, 85) ? below(t, 8) : i32(t),
			.clips_ptr = chance(t, 95) ? (uintptr_t)c : uptr(t, 64),
		};

		for (unsigned int i = 0; i < 8; i++) {
			c[i].x1 = below(t, 1100);
			c[i].y1 = below(t, 800);
			c[i].x2 = c[i].x1 + below(t, 300);
			c[i].y2 = c[i].y1 + below(t, 300);
		}
		IOC(t, fd, DRM_IOCTL_MODE_DIRTYFB, a);
		break;
	}
	case 9: {
		struct drm_mode_cursor2 a = {
			.flags = chance(t, 85) ? below(t, 4) : i32(t),
			.crtc_id = kms_id(t),
			.x = (int32_t)(chance(t, 85) ? below(t, 1200) : i32(t)),
			.y = (int32_t)(chance(t, 85) ? below(t, 900) : i32(t)),
			.width = chance(t, 80) ? 64 : i32(t),
			.height = chance(t, 80) ? 64 : i32(t),
			.handle = chance(t, 20) ? 0 : handle(t),
			.hot_x = below(t, 64),
			.hot_y = below(t, 64),
		};

		if (chance(t, 50))
			IOC(t, fd, DRM_IOCTL_MODE_CURSOR2, a);
		else
			xioctl(t, fd, DRM_IOCTL_MODE_CURSOR,
			       argp(t, &a, sizeof(struct drm_mode_cursor)));
		break;
	}
	case 10:
	case 11:
		op_atomic(t, fd);
		break;
	case 12: {
		struct drm_mode_create_blob a = {
			.length = chance(t, 80) ? sizeof(struct drm_mode_modeinfo) : i32(t),
		};
		struct drm_mode_destroy_blob d = { 0 };

		mode(t, (void *)(t->scratch + 4096));
		a.data = chance(t, 95) ? (uintptr_t)(t->scratch + 4096) : uptr(t, a.length);
		if (!IOC(t, fd, DRM_IOCTL_MODE_CREATEPROPBLOB, a)) {
			keep(pool.fb, NFB, t, a.blob_id);
			d.blob_id = chance(t, 50) ? a.blob_id : kms_id(t);
			if (chance(t, 30))
				IOC(t, fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, d);
		}
		break;
	}
	case 13: {
		struct drm_mode_obj_get_properties a = {
			.obj_id = kms_id(t),
			.obj_type = obj_type(t),
			.count_props = chance(t, 50) ? 0 : below(t, 32),
			.props_ptr = uptr(t, 128),
			.prop_values_ptr = uptr(t, 256),
		};

		IOC(t, fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, a);
		break;
	}
	case 14: {
		struct drm_mode_obj_set_property a = {
			.value = chance(t, 50) ? below(t, 4) : interesting(t),
			.prop_id = pool.nprops && chance(t, 85) ?
				   pool.props[below(t, pool.nprops)] : i32(t),
			.obj_id = kms_id(t),
			.obj_type = obj_type(t),
		};

		IOC(t, fd, DRM_IOCTL_MODE_OBJ_SETPROPERTY, a);
		break;
	}
	case 15: {
		union drm_wait_vblank a = { 0 };

		a.request.type = chance(t, 85) ? (_DRM_VBLANK_RELATIVE * below(t, 2)) |
				 (_DRM_VBLANK_EVENT * below(t, 2)) |
				 (below(t, 2) << _DRM_VBLANK_HIGH_CRTC_SHIFT) : i32(t);
		a.request.sequence = chance(t, 80) ? below(t, 3) : i32(t);
		a.request.signal = rnd(t);
		IOC(t, fd, DRM_IOCTL_WAIT_VBLANK, a);
		break;
	}
	case 16: {
		struct drm_crtc_queue_sequence q = {
			.crtc_id = kms_id(t),
			.flags = chance(t, 85) ? below(t, 4) : i32(t),
			.sequence = chance(t, 50) ? below(t, 4) : interesting(t),
			.user_data = rnd(t),
		};
		struct drm_crtc_get_sequence g = { .crtc_id = kms_id(t) };

		if (chance(t, 50))
			IOC(t, fd, DRM_IOCTL_CRTC_QUEUE_SEQUENCE, q);
		else
			IOC(t, fd, DRM_IOCTL_CRTC_GET_SEQUENCE, g);
		break;
	}
	default: {
		struct drm_set_client_cap c = {
			.capability = chance(t, 85) ? below(t, 7) : interesting(t),
			.value = chance(t, 85) ? below(t, 2) : interesting(t),
		};
		struct drm_get_cap g = {
			.capability = chance(t, 85) ? below(t, 0x20) : interesting(t),
		};
		struct drm_mode_get_connector gc = { .connector_id = kms_id(t) };
		struct drm_mode_get_encoder ge = { .encoder_id = kms_id(t) };

		switch (below(t, 6)) {
		case 0:
			IOC(t, fd, DRM_IOCTL_SET_CLIENT_CAP, c);
			break;
		case 1:
			IOC(t, fd, DRM_IOCTL_GET_CAP, g);
			break;
		case 2:
			IOC(t, fd, DRM_IOCTL_MODE_GETCONNECTOR, gc);
			break;
		case 3:
			IOC(t, fd, DRM_IOCTL_MODE_GETENCODER, ge);
			break;
		case 4:
			xioctl(t, fd, DRM_IOCTL_DROP_MASTER, NULL);
			break;
		default:
			xioctl(t, fd, DRM_IOCTL_SET_MASTER, NULL);
		}
	}
	}
}

/* --- everything else ---------------------------------------------------- */

/* Any number in the driver's range and some core ones, any size and direction. */
static void op_raw(struct thr *t)
{
	unsigned int nr = chance(t, 70) ? DRM_COMMAND_BASE + below(t, 0x20) : below(t, 0xd0);
	unsigned int size = chance(t, 70) ? below(t, 128) : below(t, 1u << 14);
	unsigned int dir = below(t, 4);
	unsigned long req = _IOC(dir, DRM_IOCTL_BASE, nr, size);
	uint64_t *words = (void *)t->scratch;

	for (unsigned int i = 0; i < 32; i++)
		words[i] = interesting(t);
	xioctl(t, drm_fd(t, false), req, chance(t, 80) ? (void *)words : ptr(t, size));
}

static void op_read(struct thr *t)
{
	int fd = drm_fd(t, chance(t, 50));
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 0) == 1 && (p.revents & POLLIN)) {
		size_t len = chance(t, 85) ? 4096 : below(t, 64);

		if (read(fd, ptr(t, len), len) < 0 && errno == EFAULT)
			atomic_fetch_add(&totals->err[EFAULT], 1);
	}
}

static void op_mmap(struct thr *t)
{
	if (chance(t, 50)) {
		unsigned int i = below(t, NMAP);

		if (t->map[i].addr) {
			touch(t, t->map[i].addr, t->map[i].len);
			munmap(t->map[i].addr, t->map[i].len);
			t->map[i].addr = NULL;
		}
		return;
	}
	map_offset(t, drm_fd(t, false), chance(t, 50) ? (uint64_t)below(t, 1u << 20) * PAGE :
		   interesting(t) & ~(PAGE - 1), size_of(t));
}

struct op {
	const char *name;
	void (*fn)(struct thr *t);
	unsigned int weight;
};

#define OP(n, w) { #n, op_##n, w }
static struct op ops[] = {
	OP(getparam, 3), OP(get_caps, 3), OP(context_init, 4),
	OP(resource_create, 8), OP(resource_info, 4), OP(map, 5),
	OP(transfer, 6), OP(wait, 4), OP(execbuffer, 10),
	OP(create_blob, 6), OP(gem, 12), OP(xfd, 4),
	OP(syncobj, 10), OP(kms, 16), OP(raw, 4), OP(read, 2),
	OP(mmap, 3), OP(close, 1),
};

/* -o NAME,NAME: only these operations (a reproducer's narrowing). */
static void only_ops(const char *list)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		const char *p = strstr(list, ops[i].name);
		size_t n = strlen(ops[i].name);

		if (!p || (p != list && p[-1] != ',') || (p[n] && p[n] != ','))
			ops[i].weight = 0;
	}
}

static void noop(int sig)
{
	(void)sig;
}

static void *thread_main(void *arg)
{
	struct thr *t = arg;
	unsigned int total = 0;
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGALRM,
	};
	struct itimerspec its = {
		.it_interval = { 0, 20000000 },
		.it_value = { 0, 20000000 },
	};
	timer_t timer;

	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0)
		timer_settime(timer, 0, &its, NULL);
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++)
		total += ops[i].weight;
	/* (read, mmap and close alone issue no ioctl: bounded by calls too) */
	for (unsigned long calls = 0; total && t->count < per_thread &&
	     calls < 4 * per_thread; calls++) {
		if (stop_at && !(calls & 255) && time(NULL) >= stop_at)
			break;
		unsigned int w = below(t, total), i = 0;

		while (w >= ops[i].weight)
			w -= ops[i++].weight;
		ops[i].fn(t);
	}
	timer_delete(timer);
	for (unsigned int i = 0; i < NMAP; i++)
		if (t->map[i].addr)
			munmap(t->map[i].addr, t->map[i].len);
	return NULL;
}

/* The KMS objects and properties, read once per process from the card. */
static void learn_kms(void)
{
	uint32_t ids[3][16] = { 0 };
	struct drm_mode_card_res res = {
		.crtc_id_ptr = (uintptr_t)ids[0], .count_crtcs = 16,
		.connector_id_ptr = (uintptr_t)ids[1], .count_connectors = 16,
		.encoder_id_ptr = (uintptr_t)ids[2], .count_encoders = 16,
	};
	uint32_t planes[16];
	struct drm_mode_get_plane_res pres = {
		.plane_id_ptr = (uintptr_t)planes, .count_planes = 16,
	};
	struct drm_set_client_cap cap = { DRM_CLIENT_CAP_ATOMIC, 1 };
	int fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	ioctl(fd, DRM_IOCTL_SET_CLIENT_CAP, &cap);
	if (!ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res)) {
		for (unsigned int k = 0; k < 3; k++)
			for (unsigned int i = 0; i < 16 && ids[k][i]; i++)
				pool.kms[pool.nkms++] = ids[k][i];
	}
	if (!ioctl(fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pres))
		for (unsigned int i = 0; i < pres.count_planes && i < 16; i++)
			pool.kms[pool.nkms++] = planes[i];
	for (unsigned int o = 0; o < pool.nkms && pool.nprops < NKMS - 16; o++) {
		uint32_t props[16];
		uint64_t vals[16];
		struct drm_mode_obj_get_properties gp = {
			.obj_id = pool.kms[o], .obj_type = 0,
			.props_ptr = (uintptr_t)props, .prop_values_ptr = (uintptr_t)vals,
			.count_props = 16,
		};

		for (unsigned int k = 0; k < 3; k++) {
			gp.obj_type = obj_types[k];
			gp.count_props = 16;
			if (ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &gp))
				continue;
			for (unsigned int i = 0; i < gp.count_props && i < 16; i++) {
				bool seen = false;

				for (unsigned int j = 0; j < pool.nprops; j++)
					seen |= pool.props[j] == props[i];
				if (!seen && pool.nprops < NKMS)
					pool.props[pool.nprops++] = props[i];
			}
		}
	}
	close(fd);
}

static int process_main(unsigned int proc, unsigned int nthreads)
{
	pthread_t tid[64];
	struct thr *thr = calloc(nthreads, sizeof(*thr));
	struct sigaction sa = { .sa_handler = noop };
	struct sigaction fault = { .sa_sigaction = touch_fault,
				  .sa_flags = SA_NODEFER | SA_SIGINFO };
	uint8_t *pages;

	if (!thr)
		return 1;
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGBUS, &fault, NULL);
	sigaction(SIGSEGV, &fault, NULL);
	signal(SIGPIPE, SIG_IGN);
	for (unsigned int i = 0; i < NFD; i++)
		pool.fd[i] = -1;
	for (unsigned int i = 0; i < NXFD; i++)
		pool.xfd[i] = -1;
	/* [edge][hole][ro] */
	pages = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED)
		return 1;
	pool.edge = pages;
	pool.hole = pages + PAGE;
	pool.ro = pages + 2 * PAGE;
	munmap(pool.hole, PAGE);
	mprotect(pool.ro, PAGE, PROT_READ);
	learn_kms();
	for (unsigned int i = 0; i < nthreads; i++) {
		uint64_t x = seed + 0x1000 * proc + i;

		thr[i].s = splitmix(&x) | 1;
		thr[i].id = proc * 100 + i;
		/* What the kernel writes past it faults (EFAULT), not the heap. */
		thr[i].scratch = mmap(NULL, SCRATCH + PAGE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (thr[i].scratch == MAP_FAILED)
			return 1;
		mprotect(thr[i].scratch + SCRATCH, PAGE, PROT_NONE);
		pthread_create(&tid[i], NULL, thread_main, &thr[i]);
	}
	for (unsigned int i = 0; i < nthreads; i++)
		pthread_join(tid[i], NULL);
	return 0;
}

static void help(void)
{
	fputs("usage: vgpu_fuzz [-s SEED] [-n IOCTLS] [-p PROCESSES] [-t THREADS]\n"
	      "                 [-o OPS] [-T SECONDS] [-v]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long total = 100000;
	unsigned int procs = 3, threads = 3, died = 0;
	struct timespec t0, t1;
	pid_t pid[64];
	int c;

	seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	while ((c = getopt(argc, argv, "s:n:p:t:o:T:v")) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			total = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			procs = atoi(optarg);
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'o':
			only_ops(optarg);
			break;
		case 'T':
			stop_at = time(NULL) + atoi(optarg);
			break;
		case 'v':
			verbose++;
			break;
		default:
			help();
		}
	}
	if (!procs || procs > 64 || !threads || threads > 64)
		help();
	per_thread = (total + procs * threads - 1) / (procs * threads);
	printf("vgpu_fuzz: seed %" PRIu64 ", %lu ioctls, %u processes x %u threads\n",
	       seed, per_thread * procs * threads, procs, threads);
	fflush(stdout);
	totals = mmap(NULL, sizeof(*totals), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (totals == MAP_FAILED)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned int p = 0; p < procs; p++) {
		pid[p] = fork();
		if (pid[p] == 0)
			_exit(process_main(p, threads));
	}
	for (unsigned int p = 0; p < procs; p++) {
		int st;

		if (pid[p] < 0 || waitpid(pid[p], &st, 0) < 0 ||
		    !WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "vgpu_fuzz: process %u ended badly (status 0x%x)\n",
				p, pid[p] < 0 ? -1 : st);
			died++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("errno:");
	for (unsigned int e = 1; e < 136; e++)
		if (totals->err[e])
			printf(" %s=%llu", strerrorname_np(e) ?: "?", totals->err[e]);
	printf("\n");
	printf("vgpu_fuzz: seed %" PRIu64 ": %llu ioctls (%u processes x %u threads), ",
	       seed, totals->ioctls, procs, threads);
	printf("%llu succeeded, %llu fds closed mid-flight, %llu mappings, %llu faults, %.0f s\n",
	       totals->ok, totals->closes,
	       totals->mmaps, totals->sigbus,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	return died ? 1 : 0;
}
