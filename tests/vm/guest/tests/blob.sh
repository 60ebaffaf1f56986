# SPDX-License-Identifier: GPL-2.0
# Blob refusals where the host offers no blobs, and PRIME round trips
# (tests/igt/vgpu_blob.c), reported as blob/<name>; the venus_* subtests
# need the fake device (tests/kunit/guest/fakedev.sh).
. /run/payload/lib.sh
load_driver || fail "driver did not load"
modprobe vgem 2>/dev/null || echo "vgem not available"
run_subtests blob vgpu_blob blob_unoffered blob_bad prime_dumb_roundtrip prime_vgem_import
exit 0
