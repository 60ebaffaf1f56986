/* SPDX-License-Identifier: GPL-2.0 */
/* The KUnit suites of vgpu_test.ko. */
#ifndef VGPU_TESTS_H
#define VGPU_TESTS_H

#include <kunit/test.h>

extern struct kunit_suite vgpu_proto_suite;
extern struct kunit_suite vgpu_vq_suite;
extern struct kunit_suite vgpu_vq_full_suite;
extern struct kunit_suite vgpu_probe_suite;
extern struct kunit_suite vgpu_fake_host_suite;
extern struct kunit_suite vgpu_context_suite;
extern struct kunit_suite vgpu_fence_suite;
extern struct kunit_suite vgpu_resource_suite;
extern struct kunit_suite vgpu_blob_suite;
extern struct kunit_suite vgpu_recover_suite;
extern struct kunit_suite vgpu_display_suite;

#endif /* VGPU_TESTS_H */
