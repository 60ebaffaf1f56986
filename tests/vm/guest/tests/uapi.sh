# SPDX-License-Identifier: GPL-2.0
# virtgpu ioctl tests (tests/igt/vgpu_uapi.c) on the render node: each
# subtest is reported as uapi/<name>; this test fails when any of them does.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
# vgem's fences are the controllable foreign fences of the wait and
# in-fence cases.
modprobe vgem 2>/dev/null || echo "vgem not available"
export DRIVER EXPECT_VIRGL EXPECT_BLOB EXPECT_HOSTMEM EXPECT_VENUS EXPECT_CONTEXT_INIT
run_subtests uapi vgpu_uapi
exit 0
