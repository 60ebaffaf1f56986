# SPDX-License-Identifier: GPL-2.0
# Display tests (tests/igt/vgpu_kms.c): each subtest is reported as
# kms/<name>; this test fails when any of them does.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
# One profile checks every format's colour on the host's screen.
[ "$PROFILE" = 2d ] && export VGPU_CHECKPIXEL=1
out=$(vgpu_kms 2>&1)
rc=$?
echo "$out"
echo "$out" | while read -r tag name res why; do
	[ "$tag" = SUBTEST ] || continue
	report_case "kms/$name" "$res" "$why"
done
[ $rc = 0 ] || fail "$(echo "$out" | grep -m1 '^SUBTEST .* fail' | cut -d' ' -f2-)"
exit 0
