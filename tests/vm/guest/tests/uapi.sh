# SPDX-License-Identifier: GPL-2.0
# virtgpu ioctl tests (tests/igt/vgpu_uapi.c) on the render node: each
# subtest is reported as uapi/<name>; this test fails when any of them does.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
out=$(EXPECT_VIRGL=$EXPECT_VIRGL vgpu_uapi 2>&1)
rc=$?
echo "$out"
echo "$out" | while read -r tag name res why; do
	[ "$tag" = SUBTEST ] || continue
	report_case "uapi/$name" "$res" "$why"
done
[ $rc = 0 ] || fail "$(echo "$out" | grep -m1 '^SUBTEST .* fail' | cut -d' ' -f2-)"
exit 0
