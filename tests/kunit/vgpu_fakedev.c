// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_fakedev.ko: the KUnit suites' fake host as a standing device, so
 * that guest programs reach what QEMU here cannot offer (blobs, the
 * host-visible region, CONTEXT_INIT, the Venus capset, blob alignment)
 * through the real ioctls, mmap included. Loading it registers one fake
 * virtio-gpu device without scanouts; vgpu binds it and makes a render
 * node whose parent device is named vgpu_fake<N>. Unloading removes it.
 *
 *   insmod vgpu_fakedev.ko [hostmem_mib=4] [blob_align=BYTES]
 *
 * The host-visible region is BAR 2 of the rig's ivshmem device
 * (vm.py --hostmem). The fake host is compiled into this module from the
 * same source as into vgpu_test.ko.
 */
#include <linux/module.h>

#include "vgpu_compat.h"
#include "vgpu_fake_host.c"

static unsigned int hostmem_mib = 4;
module_param(hostmem_mib, uint, 0444);
MODULE_PARM_DESC(hostmem_mib, "host-visible region in MiB (0: none)");

static unsigned int blob_align;
module_param(blob_align, uint, 0444);
MODULE_PARM_DESC(blob_align, "offer VIRTIO_GPU_F_BLOB_ALIGNMENT with this alignment");

static struct vgpu_fake_host *fakedev;

static int __init vgpu_fakedev_init(void)
{
	u64 features = BIT_ULL(VIRTIO_GPU_F_VIRGL) |
		       BIT_ULL(VIRTIO_GPU_F_RESOURCE_BLOB) |
		       BIT_ULL(VIRTIO_GPU_F_CONTEXT_INIT) |
		       BIT_ULL(VIRTIO_GPU_F_RESOURCE_UUID);
	int ret;

	if (blob_align)
		features |= BIT_ULL(VGPU_FAKE_F_BLOB_ALIGNMENT);
	fakedev = vgpu_fake_host_create(features);
	if (!fakedev)
		return -ENOMEM;
	/* Render only: no console moves to the fake device. */
	vgpu_fake_host_default_display(fakedev, 0);
	vgpu_fake_host_add_capset(fakedev, VIRTIO_GPU_CAPSET_VIRGL2, 2, 700);
	vgpu_fake_host_add_capset(fakedev, 4, 0, 160);	/* Venus */
	/* Room for a client's 64 rings of submissions. */
	fakedev->ring_num = 256;
	fakedev->hostmem_size = (u64)hostmem_mib << 20;
	if (blob_align)
		fakedev->align = blob_align;
	ret = vgpu_fake_host_register(fakedev);
	if (!ret && !fakedev->vdev.dev.driver)
		ret = -ENODEV;
	if (ret) {
		pr_err("vgpu_fakedev: %s (%d)\n", fakedev->last_error, ret);
		vgpu_fake_host_destroy(fakedev);
		return ret;
	}
	return 0;
}

static void __exit vgpu_fakedev_exit(void)
{
	vgpu_fake_host_destroy(fakedev);
}

module_init(vgpu_fakedev_init);
module_exit(vgpu_fakedev_exit);

MODULE_DESCRIPTION("vgpu: a fake virtio-gpu device for guest tests");
MODULE_LICENSE("GPL");
/* The fake host asks vgpu_proto_resp_errno() what an answer means. */
VGPU_IMPORT_KUNIT_NS();
