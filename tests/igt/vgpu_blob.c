// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_blob: blobs, the host-visible region, CONTEXT_INIT as Venus uses
 * them, and PRIME, through the render node. Each subtest prints
 *
 *   SUBTEST <name> pass|fail|skip [reason]
 *
 * Usage: vgpu_blob [-d /dev/dri/renderD128] [subtest...]   (default: all)
 *
 * blob_* and prime_* run on any virtio-gpu device (QEMU offers no blobs
 * here: they check the refusals). venus_* need a device that offers
 * blobs, a host-visible region, CONTEXT_INIT and capset 4: the fake device
 * of vgpu_fakedev.ko, which fills a blob's range of the region with the
 * blob's resource id when it maps it; venus_host_poll also runs on a real
 * Venus host. Environment: BLOB_ALIGN, the
 * alignment that device was loaded with (0 or unset: none).
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
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "drm_util.h"
#include "subtest.h"
#include "virtgpu_drm.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

static int fd = -1;
static const char *node = "/dev/dri/renderD128";

static int getparam(uint64_t param)
{
	int value = -1;
	struct drm_virtgpu_getparam g = { .param = param,
					  .value = (uintptr_t)&value };

	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &g) ? -errno : value;
}

static int blob_create(int f, uint32_t mem, uint32_t flags, uint64_t size,
		       uint64_t blob_id, struct drm_virtgpu_resource_create_blob *b)
{
	memset(b, 0, sizeof(*b));
	b->blob_mem = mem;
	b->blob_flags = flags;
	b->size = size;
	b->blob_id = blob_id;
	return drmIoctl(f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, b) ? -errno : 0;
}

static int raw_blob(struct drm_virtgpu_resource_create_blob *b)
{
	return drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, b) ? -errno : 0;
}

static void gem_close(int f, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	drmIoctl(f, DRM_IOCTL_GEM_CLOSE, &c);
}

/* mmap @len bytes of a buffer at @off; MAP_FAILED with errno on failure. */
static void *bo_mmap(int f, uint32_t handle, size_t len, off_t off, int flags)
{
	struct drm_virtgpu_map m = { .handle = handle };

	if (drmIoctl(f, DRM_IOCTL_VIRTGPU_MAP, &m))
		return MAP_FAILED;
	return mmap(NULL, len, PROT_READ | PROT_WRITE, flags, f, m.offset + off);
}

/* A Venus context of 64 rings on @f, the rings of @poll_mask polled. */
static int venus_context(int f, uint64_t poll_mask)
{
	struct drm_virtgpu_context_set_param p[] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VENUS },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 64 },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, poll_mask },
	};
	struct drm_virtgpu_context_init init = {
		.num_params = ARRAY_SIZE(p), .ctx_set_params = (uintptr_t)p,
	};

	return drmIoctl(f, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &init) ? -errno : 0;
}

/* Without blobs on the host every kind is refused with EINVAL. */
static int t_blob_unoffered(void)
{
	struct drm_virtgpu_resource_create_blob b;

	if (getparam(VIRTGPU_PARAM_RESOURCE_BLOB) == 1)
		SKIP("the host offers blobs");
	CHECK(blob_create(fd, VIRTGPU_BLOB_MEM_GUEST, 0, 64 * KIB, 0, &b) == -EINVAL,
	      "guest blob not refused with EINVAL");
	CHECK(blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
			  64 * KIB, 0, &b) == -EINVAL, "host3d blob not refused");
	CHECK(blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D_GUEST, 0, 64 * KIB, 0, &b) == -EINVAL,
	      "host3d_guest blob not refused");
	return 0;
}

/* What no device takes. */
static int t_blob_bad(void)
{
	struct drm_virtgpu_resource_create_blob b = { 0 };
	static const uint32_t mems[] = { 0, 4, 0x80000001u };
	uint32_t cmd[2] = { 0 };
	int ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(mems); i++) {
		ret = blob_create(fd, mems[i], 0, 64 * KIB, 0, &b);
		CHECK(ret == -EINVAL, "blob_mem %u: %s", mems[i], strerror(-ret));
	}
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_GUEST, 0x8, 64 * KIB, 0, &b);
	CHECK(ret == -EINVAL, "unknown flag: %s", strerror(-ret));
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_GUEST, 0, 64 * KIB, 5, &b);
	CHECK(ret == -EINVAL, "guest blob with a blob_id: %s", strerror(-ret));
	memset(&b, 0, sizeof(b));
	b.blob_mem = VIRTGPU_BLOB_MEM_GUEST;
	b.size = 64 * KIB;
	b.pad = 1;
	ret = raw_blob(&b);
	CHECK(ret == -EINVAL, "pad: %s", strerror(-ret));
	memset(&b, 0, sizeof(b));
	b.blob_mem = VIRTGPU_BLOB_MEM_HOST3D;
	b.size = 64 * KIB;
	b.cmd = (uintptr_t)cmd;
	b.cmd_size = 6;
	ret = raw_blob(&b);
	CHECK(ret == -EINVAL, "command of 6 bytes: %s", strerror(-ret));
	return 0;
}

/* The card node of the render node's device. */
static int open_card(void)
{
	drmDevicePtr dev;
	int card;

	if (drmGetDevice2(fd, 0, &dev))
		return -1;
	card = (dev->available_nodes & (1 << DRM_NODE_PRIMARY)) ?
	       open(dev->nodes[DRM_NODE_PRIMARY], O_RDWR | O_CLOEXEC) : -1;
	drmFreeDevice(&dev);
	return card;
}

/*
 * A dumb buffer of the card node goes to the render node and back: the
 * render node sees its pixels, and the card node gets its own handle back.
 */
static int t_prime_dumb_roundtrip(void)
{
	struct drm_mode_create_dumb d = { .width = 64, .height = 64 };
	uint32_t *src, *dst, imp, back;
	int card, dmabuf, ret;
	uint64_t cap = 0;

	card = open_card();
	if (card < 0)
		SKIP("no card node");
	CHECK(!drmGetCap(fd, DRM_CAP_PRIME, &cap), "DRM_CAP_PRIME: %s", strerror(errno));
	CHECK((cap & (DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT)) ==
	      (DRM_PRIME_CAP_IMPORT | DRM_PRIME_CAP_EXPORT), "prime caps 0x%llx",
	      (unsigned long long)cap);
	src = dumb_create_map(card, &d);
	CHECK(src != MAP_FAILED, "dumb buffer: %s", strerror(errno));
	for (uint32_t i = 0; i < 64 * 64; i++)
		src[i] = 0x5a000000u | i;
	CHECK(!drmPrimeHandleToFD(card, d.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf),
	      "export: %s", strerror(errno));
	ret = drmPrimeFDToHandle(fd, dmabuf, &imp) ? -errno : 0;
	CHECK(!ret, "import on the render node: %s", strerror(-ret));
	ret = drmPrimeFDToHandle(card, dmabuf, &back) ? -errno : 0;
	CHECK(!ret, "import on the card node: %s", strerror(-ret));
	CHECK(back == d.handle, "card node got handle %u back, exported %u", back,
	      d.handle);
	dst = bo_mmap(fd, imp, d.size, 0, MAP_SHARED);
	CHECK(dst != MAP_FAILED, "mmap of the import: %s", strerror(errno));
	for (uint32_t i = 0; i < 64 * 64; i++)
		CHECK(dst[i] == (0x5a000000u | i), "pixel %u: 0x%08x through the import",
		      i, dst[i]);
	dst[7] = 0x12345678;
	CHECK(src[7] == 0x12345678, "a write through the import is not seen");
	munmap(dst, d.size);
	munmap(src, d.size);
	close(dmabuf);
	gem_close(fd, imp);
	gem_close(card, d.handle);
	close(card);
	return 0;
}

/* A buffer of vgem's, imported and mapped through the render node. */
static int t_prime_vgem_import(void)
{
	struct drm_mode_create_dumb d = { .width = 32, .height = 32 };
	uint32_t *src, *dst, imp;
	int vgem, dmabuf, ret;

	vgem = open_card_of("vgem");
	if (vgem < 0)
		SKIP("no vgem");
	src = dumb_create_map(vgem, &d);
	CHECK(src != MAP_FAILED, "vgem buffer: %s", strerror(errno));
	for (uint32_t i = 0; i < 32 * 32; i++)
		src[i] = 0xc0000000u | i;
	CHECK(!drmPrimeHandleToFD(vgem, d.handle, DRM_CLOEXEC | DRM_RDWR, &dmabuf),
	      "vgem export: %s", strerror(errno));
	ret = drmPrimeFDToHandle(fd, dmabuf, &imp) ? -errno : 0;
	CHECK(!ret, "import: %s", strerror(-ret));
	if (getparam(VIRTGPU_PARAM_RESOURCE_BLOB) == 1) {
		/*
		 * With blobs on the host a foreign buffer is a guest blob,
		 * unless its size breaks the host's blob alignment.
		 */
		struct drm_virtgpu_resource_info info = { .bo_handle = imp };
		const char *e = getenv("BLOB_ALIGN");
		unsigned long align = e ? strtoul(e, NULL, 0) : 0;

		ret = drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info) ? -errno : 0;
		if (align && d.size % align) {
			CHECK(ret == -EINVAL, "%llu bytes with alignment %lu: info %s",
			      (unsigned long long)d.size, align, strerror(-ret));
		} else {
			CHECK(!ret, "info of the import: %s", strerror(-ret));
			CHECK(info.blob_mem == VIRTGPU_BLOB_MEM_GUEST && info.res_handle,
			      "import: blob_mem %u resource %u", info.blob_mem,
			      info.res_handle);
		}
	}
	dst = bo_mmap(fd, imp, d.size, 0, MAP_SHARED);
	CHECK(dst != MAP_FAILED, "mmap of the import: %s", strerror(errno));
	for (uint32_t i = 0; i < 32 * 32; i++)
		CHECK(dst[i] == (0xc0000000u | i), "word %u: 0x%08x", i, dst[i]);
	munmap(dst, d.size);
	munmap(src, d.size);
	close(dmabuf);
	gem_close(fd, imp);
	gem_close(vgem, d.handle);
	close(vgem);
	return 0;
}

static int need_venus(void)
{
	if (getparam(VIRTGPU_PARAM_CONTEXT_INIT) != 1 ||
	    getparam(VIRTGPU_PARAM_HOST_VISIBLE) != 1)
		return 0;
	return (getparam(VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs) >> VIRTGPU_DRM_CAPSET_VENUS) & 1;
}

static bool venus_ctx_made;

/*
 * The file's context is a Venus one with 64 rings, made by the first
 * venus_* subtest (before anything that makes a default context).
 */
#define REQUIRE_VENUS() do {						\
	int r_;								\
	if (!need_venus())						\
		SKIP("the device offers no Venus (vgpu_fakedev.ko)");	\
	if (!venus_ctx_made) {						\
		r_ = venus_context(fd, 0);				\
		CHECK(!r_, "CONTEXT_INIT venus: %s", strerror(-r_));	\
		venus_ctx_made = true;					\
	}								\
} while (0)

/* The parameters and capset Venus reads first. */
static int t_venus_params(void)
{
	static const uint64_t one[] = {
		VIRTGPU_PARAM_3D_FEATURES, VIRTGPU_PARAM_CAPSET_QUERY_FIX,
		VIRTGPU_PARAM_RESOURCE_BLOB, VIRTGPU_PARAM_HOST_VISIBLE,
		VIRTGPU_PARAM_CROSS_DEVICE, VIRTGPU_PARAM_CONTEXT_INIT,
	};
	uint8_t caps[160];
	struct drm_virtgpu_get_caps c = {
		.cap_set_id = VIRTGPU_DRM_CAPSET_VENUS, .cap_set_ver = 0,
		.addr = (uintptr_t)caps, .size = sizeof(caps),
	};

	REQUIRE_VENUS();
	for (unsigned int i = 0; i < ARRAY_SIZE(one); i++)
		CHECK(getparam(one[i]) == 1, "param %llu is %d", (unsigned long long)one[i],
		      getparam(one[i]));
	memset(caps, 0xee, sizeof(caps));
	CHECK(!drmIoctl(fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &c), "GET_CAPS venus v0: %s",
	      strerror(errno));
	/* the fake host's capset bytes: id + version + index */
	for (unsigned int i = 0; i < sizeof(caps); i++)
		CHECK(caps[i] == (uint8_t)(4 + i), "capset byte %u: 0x%02x", i, caps[i]);
	return 0;
}

/*
 * A mappable host blob with blob_id 0 is mapped at creation: the first
 * mmap shows what the host put there, and the memory is shared (a second
 * mapping, partial and at an offset, sees what the first wrote).
 */
static int t_venus_blob_map(void)
{
	struct drm_virtgpu_resource_create_blob b;
	struct drm_virtgpu_resource_info info = { 0 };
	const size_t size = 64 * KIB;
	uint32_t *a, *p;
	int ret;

	REQUIRE_VENUS();
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
			  size, 0, &b);
	CHECK(!ret, "host3d mappable blob: %s", strerror(-ret));
	info.bo_handle = b.bo_handle;
	CHECK(!drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info), "info");
	CHECK(info.blob_mem == VIRTGPU_BLOB_MEM_HOST3D && info.size == size &&
	      info.res_handle == b.res_handle, "info: mem %u size %u res %u",
	      info.blob_mem, info.size, info.res_handle);
	a = bo_mmap(fd, b.bo_handle, size, 0, MAP_SHARED);
	CHECK(a != MAP_FAILED, "mmap: %s", strerror(errno));
	for (size_t i = 0; i < size / 4; i++)
		CHECK(a[i] == b.res_handle, "word %zu: %u, the host wrote %u", i, a[i],
		      b.res_handle);
	for (size_t i = 0; i < size / 4; i++)
		a[i] = 0xbeef0000u | (uint32_t)i;
	p = bo_mmap(fd, b.bo_handle, 4 * KIB, 12 * KIB, MAP_SHARED);
	CHECK(p != MAP_FAILED, "mmap of page 3: %s", strerror(errno));
	for (size_t i = 0; i < 1024; i++)
		CHECK(p[i] == (0xbeef0000u | (uint32_t)(3072 + i)),
		      "page 3 word %zu: 0x%08x", i, p[i]);
	munmap(p, 4 * KIB);
	munmap(a, size);
	gem_close(fd, b.bo_handle);
	return 0;
}

/* mmaps that cannot be: beyond the blob, private, not mappable. */
static int t_venus_mmap_bad(void)
{
	struct drm_virtgpu_resource_create_blob b, n;
	void *p;
	int ret;

	REQUIRE_VENUS();
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
			  16 * KIB, 0, &b);
	CHECK(!ret, "blob: %s", strerror(-ret));
	p = bo_mmap(fd, b.bo_handle, 32 * KIB, 0, MAP_SHARED);
	CHECK(p == MAP_FAILED, "a mapping larger than the blob");
	p = bo_mmap(fd, b.bo_handle, 8 * KIB, 12 * KIB, MAP_SHARED);
	CHECK(p == MAP_FAILED, "a mapping past the blob's end");
	p = bo_mmap(fd, b.bo_handle, 16 * KIB, 0, MAP_PRIVATE);
	CHECK(p == MAP_FAILED && errno == EINVAL, "private mapping: %s",
	      p == MAP_FAILED ? strerror(errno) : "allowed");
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, 0, 16 * KIB, 0, &n);
	CHECK(!ret, "blob: %s", strerror(-ret));
	p = bo_mmap(fd, n.bo_handle, 16 * KIB, 0, MAP_SHARED);
	CHECK(p == MAP_FAILED && errno == EINVAL, "mapping a blob that is not mappable: %s",
	      p == MAP_FAILED ? strerror(errno) : "allowed");
	gem_close(fd, b.bo_handle);
	gem_close(fd, n.bo_handle);
	return 0;
}

/* Submissions on each of the 64 rings, with and without a stream. */
static int t_venus_execbuf_rings(void)
{
	uint32_t stream[4] = { 1, 2, 3, 4 };

	REQUIRE_VENUS();
	for (uint32_t ring = 0; ring < 64; ring++) {
		struct drm_virtgpu_execbuffer e = {
			.flags = VIRTGPU_EXECBUF_RING_IDX | VIRTGPU_EXECBUF_FENCE_FD_OUT,
			.ring_idx = ring,
			.command = (uintptr_t)stream,
			.size = (ring & 1) ? sizeof(stream) : 0,
			.fence_fd = -1,
		};
		struct pollfd pfd;

		CHECK(!drmIoctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &e), "ring %u: %s", ring,
		      strerror(errno));
		CHECK(e.fence_fd >= 0, "ring %u: no fence fd", ring);
		pfd.fd = e.fence_fd;
		pfd.events = POLLIN;
		CHECK(poll(&pfd, 1, 5000) == 1, "ring %u: fence not signalled", ring);
		close(e.fence_fd);
	}
	{
		struct drm_virtgpu_execbuffer e = {
			.flags = VIRTGPU_EXECBUF_RING_IDX, .ring_idx = 64,
		};

		CHECK(drmIoctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &e) && errno == EINVAL,
		      "ring 64 of 64 accepted");
	}
	return 0;
}

/* A host blob made by a command sent with the create. */
static int t_venus_blob_cmd(void)
{
	struct drm_virtgpu_resource_create_blob b = { 0 };
	uint32_t cmd[4] = { 0x10, 0x20, 0x30, 0x40 };
	int ret;

	REQUIRE_VENUS();
	b.blob_mem = VIRTGPU_BLOB_MEM_HOST3D;
	b.size = 64 * KIB;
	b.blob_id = 77;
	b.cmd = (uintptr_t)cmd;
	b.cmd_size = sizeof(cmd);
	ret = raw_blob(&b);
	CHECK(!ret, "host3d blob with a command: %s", strerror(-ret));
	gem_close(fd, b.bo_handle);
	b.cmd = 16;	/* not mapped */
	ret = raw_blob(&b);
	CHECK(ret == -EFAULT, "bad command pointer: %s", strerror(-ret));
	return 0;
}

/* Guest blobs are shmem: mapped cached, seen by whoever maps them. */
static int t_venus_guest_blob(void)
{
	struct drm_virtgpu_resource_create_blob b;
	uint32_t *a, *c;
	int ret;

	REQUIRE_VENUS();
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_GUEST,
			  VIRTGPU_BLOB_FLAG_USE_MAPPABLE | VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
			  256 * KIB, 0, &b);
	CHECK(!ret, "guest blob: %s", strerror(-ret));
	a = bo_mmap(fd, b.bo_handle, 256 * KIB, 0, MAP_SHARED);
	CHECK(a != MAP_FAILED, "mmap: %s", strerror(errno));
	a[100] = 0xfeedface;
	c = bo_mmap(fd, b.bo_handle, 4 * KIB, 0, MAP_SHARED);
	CHECK(c != MAP_FAILED && c[100] == 0xfeedface, "second mapping");
	munmap(c, 4 * KIB);
	munmap(a, 256 * KIB);
	gem_close(fd, b.bo_handle);
	return 0;
}

/* The region fills up (ENOSPC) and space comes back when a blob goes. */
static int t_venus_region_full(void)
{
	struct drm_virtgpu_resource_create_blob b[64], x;
	unsigned int n;
	int ret = 0;

	REQUIRE_VENUS();
	for (n = 0; n < ARRAY_SIZE(b); n++) {
		ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D,
				  VIRTGPU_BLOB_FLAG_USE_MAPPABLE, 1 * MIB, 0, &b[n]);
		if (ret)
			break;
	}
	CHECK(ret == -ENOSPC, "after %u MiB: %s, want ENOSPC", n, strerror(-ret));
	CHECK(n > 0, "no blob fit at all");
	/*
	 * The range comes back only once the host answered the unmap and
	 * unref; a creation right after the close waits for that, so it
	 * succeeds on the first try.
	 */
	gem_close(fd, b[0].bo_handle);
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D,
			  VIRTGPU_BLOB_FLAG_USE_MAPPABLE, 1 * MIB, 0, &x);
	CHECK(!ret, "right after a blob went: %s", strerror(-ret));
	gem_close(fd, x.bo_handle);
	for (unsigned int i = 1; i < n; i++)
		gem_close(fd, b[i].bo_handle);
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D,
			  VIRTGPU_BLOB_FLAG_USE_MAPPABLE, n * MIB, 0, &x);
	CHECK(!ret, "the whole region, right after every blob went: %s", strerror(-ret));
	gem_close(fd, x.bo_handle);
	return 0;
}

/* With the host's blob alignment, sizes must be multiples of it. */
static int t_venus_alignment(void)
{
	const char *e = getenv("BLOB_ALIGN");
	unsigned long align = e ? strtoul(e, NULL, 0) : 0;
	struct drm_virtgpu_resource_create_blob b;
	uint32_t *p;
	int ret;

	REQUIRE_VENUS();
	if (align <= 4 * KIB)
		SKIP("the device was loaded without a blob alignment above a page");
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
			  4 * KIB, 0, &b);
	CHECK(ret == -EINVAL, "4 KiB blob with %lu alignment: %s", align, strerror(-ret));
	ret = blob_create(fd, VIRTGPU_BLOB_MEM_GUEST, 0, align + 4 * KIB, 0, &b);
	CHECK(ret == -EINVAL, "guest blob of %lu bytes: %s", align + 4 * KIB,
	      strerror(-ret));
	/* two in a row: each lands on an aligned range and maps */
	for (int i = 0; i < 2; i++) {
		ret = blob_create(fd, VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
				  align, 0, &b);
		CHECK(!ret, "blob of %lu bytes: %s", align, strerror(-ret));
		p = bo_mmap(fd, b.bo_handle, align, 0, MAP_SHARED);
		CHECK(p != MAP_FAILED, "mmap: %s", strerror(errno));
		CHECK(p[0] == b.res_handle, "host bytes %u, want %u", p[0], b.res_handle);
		munmap(p, align);
	}
	return 0;
}

/*
 * On a real Venus host (tests/vm/guest/tests/venus.sh; the fake device
 * answers the same): a context of its own with 64 rings, ring 0 polled.
 * Ring 0 is the host's CPU timeline, which retires a fence at once and
 * needs no Venus queue; empty submissions on it signal their sync_file,
 * and each puts exactly one FENCE_SIGNALED event on the file.
 */
static int t_venus_host_poll(void)
{
	const unsigned int n = 16;
	unsigned int events = 0, i;
	char ev[256];
	int f, ret = 0;

	if (!need_venus())
		SKIP("the device offers no Venus");
	f = open(node, O_RDWR | O_CLOEXEC);
	CHECK(f >= 0, "open %s: %s", node, strerror(errno));
	ret = venus_context(f, 1);
	if (ret) {
		close(f);
		CHECK(0, "CONTEXT_INIT venus, 64 rings, ring 0 polled: %s", strerror(-ret));
	}
	for (i = 0; i < n && !ret; i++) {
		struct drm_virtgpu_execbuffer e = {
			.flags = VIRTGPU_EXECBUF_RING_IDX | VIRTGPU_EXECBUF_FENCE_FD_OUT,
			.ring_idx = 0,
			.fence_fd = -1,
		};
		struct pollfd pfd = { .events = POLLIN };

		if (drmIoctl(f, DRM_IOCTL_VIRTGPU_EXECBUFFER, &e)) {
			ret = -errno;
			break;
		}
		pfd.fd = e.fence_fd;
		if (poll(&pfd, 1, 5000) != 1)
			ret = -ETIMEDOUT;
		close(e.fence_fd);
	}
	/* Every fence has signalled: its event is on the file by now. */
	while (!ret) {
		struct pollfd pfd = { .fd = f, .events = POLLIN };
		ssize_t len, off;

		if (poll(&pfd, 1, events < n ? 5000 : 200) != 1)
			break;
		len = read(f, ev, sizeof(ev));
		if (len <= 0)
			break;
		for (off = 0; off + (ssize_t)sizeof(struct drm_event) <= len;) {
			struct drm_event *e = (struct drm_event *)(ev + off);

			if (e->type != VIRTGPU_EVENT_FENCE_SIGNALED || e->length < sizeof(*e)) {
				ret = -EPROTO;
				break;
			}
			events++;
			off += e->length;
		}
	}
	close(f);
	CHECK(ret != -EPROTO, "an event that is not FENCE_SIGNALED");
	CHECK(!ret, "submission %u on ring 0: %s", i, strerror(-ret));
	CHECK(events == n, "%u FENCE_SIGNALED events for %u submissions", events, n);
	return 0;
}

static const struct subtest tests[] = {
	{ "blob_unoffered", t_blob_unoffered },
	{ "blob_bad", t_blob_bad },
	{ "prime_dumb_roundtrip", t_prime_dumb_roundtrip },
	{ "venus_params", t_venus_params },
	{ "venus_blob_map", t_venus_blob_map },
	{ "venus_mmap_bad", t_venus_mmap_bad },
	{ "venus_execbuf_rings", t_venus_execbuf_rings },
	{ "venus_blob_cmd", t_venus_blob_cmd },
	{ "venus_guest_blob", t_venus_guest_blob },
	{ "venus_region_full", t_venus_region_full },
	{ "venus_alignment", t_venus_alignment },
	{ "venus_host_poll", t_venus_host_poll },
	/* after venus_*: an import attaches to the file's (default) context */
	{ "prime_vgem_import", t_prime_vgem_import },
};

int main(int argc, char **argv)
{
	return subtest_main(tests, ARRAY_SIZE(tests), argc, argv, &fd, &node);
}
