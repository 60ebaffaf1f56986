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
# Every DOC: block Documentation/ pulls in exists and says something.
pulls=$(awk '/^\.\. kernel-doc::/ { f = $3 } /^   :doc: / { sub(/^   :doc: /, ""); print f ":" $0 }' "$top"/Documentation/*.rst)
blocks=0
for p in $(echo "$pulls" | tr ' ' '~'); do
	f=${p%%:*}
	name=$(echo "${p#*:}" | tr '~' ' ')
	out=$(perl "$src/scripts/kernel-doc" -rst -sphinx-version 3.4.3 -function "$name" "$top/$f" 2>&1)
	n=$(echo "$out" | grep -c '[a-z]')
	case "$out" in *"not found"*) n=0 ;; esac
	[ "$n" -gt 1 ] || fail "Documentation pulls DOC: $name from $f, which has none"
	blocks=$((blocks + 1))
done
echo "kernel-doc: $(echo "$files" | wc -l) files clean, $docs/$structs uapi structs documented, $blocks DOC: blocks found"
