# SPDX-License-Identifier: GPL-2.0
# Display tests (tests/igt/vgpu_kms.c): each subtest is reported as
# kms/<name>; this test fails when any of them does.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
# One profile checks every format's colour on the host's screen.
[ "$PROFILE" = 2d ] && export VGPU_CHECKPIXEL=1
run_subtests kms vgpu_kms
exit 0
