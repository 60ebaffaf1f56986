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
	out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f "$f" 2>&1 | grep -v '^total:' || true)
	[ -n "$out" ] && { echo "$out"; status=1; }
done
[ $status = 0 ] && echo "checkpatch --strict: $# files, 0 findings"
exit $status
