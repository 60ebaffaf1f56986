#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# kernel-doc finds nothing to complain about in the driver and uapi, and
# every struct of the uapi header is documented.
. "$(dirname "$0")/lib.sh"
src=$("$top/scripts/linux-source.sh" scripts/kernel-doc)
files=$(ls "$top"/drivers/gpu/drm/vgpu/*.[ch] "$top"/include/uapi/drm/*.h | grep -v -e '\.mod\.c$' -e _compat_gen.h)
# shellcheck disable=SC2086
out=$(perl "$src/scripts/kernel-doc" -none $files 2>&1)
[ -z "$out" ] || { echo "$out"; fail "kernel-doc warnings"; }
h="$top/include/uapi/drm/virtgpu_drm.h"
structs=$(grep -c '^struct drm_virtgpu_[a-z0-9_]* {' "$h")
docs=$(perl "$src/scripts/kernel-doc" -rst -sphinx-version 3.4.3 "$h" | grep -c '^\.\. c:struct::')
[ "$structs" = "$docs" ] || fail "$structs uapi structs, $docs documented"
echo "kernel-doc: $(echo "$files" | wc -l) files clean, $docs/$structs uapi structs documented"
