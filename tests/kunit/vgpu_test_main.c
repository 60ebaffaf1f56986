// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_test.ko: the KUnit suites of vgpu. They run when the module is
 * loaded (vgpu.ko must be loaded first); results are KTAP in the kernel
 * log and in debugfs under kunit/<suite>/results.
 */
#include <linux/module.h>

#include "vgpu_compat.h"
#include "vgpu_tests.h"

kunit_test_suites(&vgpu_proto_suite, &vgpu_vq_suite, &vgpu_vq_full_suite,
		  &vgpu_fake_host_suite, &vgpu_probe_suite,
		  &vgpu_context_suite, &vgpu_fence_suite,
		  &vgpu_resource_suite, &vgpu_blob_suite,
		  &vgpu_recover_suite, &vgpu_display_suite);

MODULE_DESCRIPTION("KUnit tests for vgpu");
MODULE_LICENSE("GPL");
VGPU_IMPORT_KUNIT_NS();
/* The PRIME cases put the dma-bufs they export. */
VGPU_IMPORT_DMA_BUF_NS();
