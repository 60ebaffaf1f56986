/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drm_util.h: DRM helpers the guest test programs in tests/igt/ share.
 */
#ifndef VGPU_DRM_UTIL_H
#define VGPU_DRM_UTIL_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

/* The first card node whose driver is @name, or -1. */
static inline int open_card_of(const char *name)
{
	char path[32];

	for (int i = 0; i < 16; i++) {
		drmVersionPtr v;
		int f;

		snprintf(path, sizeof(path), "/dev/dri/card%d", i);
		f = open(path, O_RDWR | O_CLOEXEC);
		if (f < 0)
			continue;
		v = drmGetVersion(f);
		if (v && !strcmp(v->name, name)) {
			drmFreeVersion(v);
			return f;
		}
		drmFreeVersion(v);
		close(f);
	}
	return -1;
}

/*
 * A 32 bpp dumb buffer of @d->width x @d->height on @f, mapped; returns
 * the mapping or MAP_FAILED (errno set).
 */
static inline void *dumb_create_map(int f, struct drm_mode_create_dumb *d)
{
	struct drm_mode_map_dumb md = { 0 };

	d->bpp = 32;
	if (drmIoctl(f, DRM_IOCTL_MODE_CREATE_DUMB, d))
		return MAP_FAILED;
	md.handle = d->handle;
	if (drmIoctl(f, DRM_IOCTL_MODE_MAP_DUMB, &md))
		return MAP_FAILED;
	return mmap(NULL, d->size, PROT_READ | PROT_WRITE, MAP_SHARED, f, md.offset);
}

#endif /* VGPU_DRM_UTIL_H */
