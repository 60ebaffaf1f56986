/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu kernel compatibility: the only place that knows kernel versions
 * differ. Each VGPU_HAVE_* comes from a probe in compat/, compiled against
 * the target kernel by scripts/compat-probe.sh; nothing here tests
 * LINUX_VERSION_CODE.
 */
#ifndef VGPU_COMPAT_H
#define VGPU_COMPAT_H

#include <linux/export.h>
#include <linux/kconfig.h>
#include <linux/module.h>
#include <linux/virtio_config.h>

#include "vgpu_compat_gen.h"

/**
 * vgpu_find_vqs - find virtqueues with callbacks and names
 * @vdev: virtio device
 * @n: number of queues (at most 2)
 * @vqs: filled with the queues
 * @cbs: callback of each queue
 * @names: name of each queue
 *
 * Return: 0 or a negative errno.
 */
static inline int vgpu_find_vqs(struct virtio_device *vdev, unsigned int n,
				struct virtqueue *vqs[], vq_callback_t *cbs[],
				const char * const names[])
{
#ifdef VGPU_HAVE_VIRTQUEUE_INFO
	struct virtqueue_info info[2] = {};
	unsigned int i;

	if (n > ARRAY_SIZE(info))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		info[i].name = names[i];
		info[i].callback = cbs[i];
	}
	return virtio_find_vqs(vdev, n, vqs, info, NULL);
#else
	return virtio_find_vqs(vdev, n, vqs, cbs, names, NULL);
#endif
}

#ifdef VGPU_HAVE_DRM_DRIVER_DATE
#define VGPU_DRM_DRIVER_DATE(d)	.date = (d),
#else
#define VGPU_DRM_DRIVER_DATE(d)
#endif

/*
 * EXPORT_SYMBOL_FOR_VGPU_TESTS - export a symbol to the KUnit test module only:
 * in the VGPU_KUNIT namespace, and only when the kernel has KUnit.
 * VGPU_IMPORT_FOR_TESTS() goes in the test module.
 */
#ifdef VGPU_HAVE_EXPORT_NS_STRING
#define VGPU_KUNIT_NS "VGPU_KUNIT"
#else
#define VGPU_KUNIT_NS VGPU_KUNIT
#endif
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_FOR_VGPU_TESTS(sym) EXPORT_SYMBOL_NS_GPL(sym, VGPU_KUNIT_NS)
#else
#define EXPORT_SYMBOL_FOR_VGPU_TESTS(sym)
#endif
#define VGPU_IMPORT_FOR_TESTS() MODULE_IMPORT_NS(VGPU_KUNIT_NS)

#endif /* VGPU_COMPAT_H */
