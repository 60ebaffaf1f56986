#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict (from Debian's linux-source-6.1) on the given
# files. Prints every finding; exits non-zero if there is any.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
src=$("$top/scripts/linux-source.sh" scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch)
status=0
for f in "$@"; do
	case $f in */vgpu_compat_gen.h) continue ;; esac
	# Userspace test programs call libdrm and Vulkan, whose APIs are CamelCase, print
	# struct layouts with offsetof/sizeof macros, use the <stdint.h>
	# types, and end a failed check with a return from a macro (as IGT's
	# igt_assert does): only those four checks are off for them. Kernel
	# code gets every check.
	ignore=
	case $f in tests/host/*|tests/vm/guest/*|tests/igt/*|tests/bench/*|tests/fuzz/*|tests/venus/*) ignore="--ignore CAMELCASE,MACRO_ARG_REUSE,PREFER_KERNEL_TYPES,MACRO_WITH_FLOW_CONTROL" ;; esac
	# shellcheck disable=SC2086
	out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types $ignore -f "$f" 2>&1 | grep -v '^total:' || true)
	[ -n "$out" ] && { echo "$out"; status=1; }
done
[ $status = 0 ] && echo "checkpatch --strict: $# files, 0 findings"
exit $status
