# SPDX-License-Identifier: GPL-2.0
# virtgpu ioctl tests (tests/igt/vgpu_uapi.c) on the render node: each
# subtest is reported as uapi/<name>; this test fails when any of them does.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
export EXPECT_VIRGL
run_subtests uapi vgpu_uapi
exit 0
