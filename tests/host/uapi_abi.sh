#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The project's virtgpu uapi header has the same ABI as the Linux 6.1 one
# for everything 6.1 has (ioctl numbers, sizes, offsets, constants), and
# the newer additions have their upstream layout (64-byte execbuffer,
# 16-byte syncobj entry).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
kver=$(vgpu_debian_kver)
ref=/usr/src/linux-headers-${kver%-amd64}-common/include/uapi/drm/virtgpu_drm.h
[ -f "$ref" ] || { echo "FAIL: no reference header $ref"; exit 1; }
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/ref/drm"
cp "$ref" "$t/ref/drm/"
drm=$(pkg-config --cflags libdrm)
cc -Wall -Werror -I "$top/include/uapi" $drm -o "$t/ours" "$top/tests/host/uapi_abi.c"
cc -Wall -Werror -I "$t/ref" $drm -o "$t/ref61" "$top/tests/host/uapi_abi.c"
cc -Wall -Werror -DVGPU_ABI_NEW -I "$top/include/uapi" $drm -o "$t/new" "$top/tests/host/uapi_abi.c"
"$t/ours" >"$t/ours.txt"
"$t/ref61" >"$t/ref.txt"
if ! diff -u "$t/ref.txt" "$t/ours.txt"; then
	echo "FAIL: ABI differs from $ref"
	exit 1
fi
"$t/new" >"$t/new.txt"
for want in "const DRM_IOCTL_VIRTGPU_EXECBUFFER 0xc0406442" "sizeof drm_virtgpu_execbuffer 64" "sizeof drm_virtgpu_execbuffer_syncobj 16" \
	"offsetof drm_virtgpu_execbuffer.out_syncobjs 56 size 8" \
	"const VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME 0x8" "const VIRTGPU_CONTEXT_PARAM_DEBUG_NAME 0x4" \
	"const VIRTGPU_DRM_CAPSET_VENUS 0x4" "const VIRTGPU_DRM_CAPSET_DRM 0x6"; do
	grep -qx "$want" "$t/new.txt" || { echo "FAIL: expected '$want'"; exit 1; }
done
echo "uapi ABI: $(wc -l <"$t/ref.txt") items identical to Linux 6.1, $(( $(wc -l <"$t/new.txt") - $(wc -l <"$t/ref.txt") )) newer items as upstream"
