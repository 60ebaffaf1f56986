# SPDX-License-Identifier: GPL-2.0
# Helpers for host tests: exit 0 pass, 77 skip, else fail; the first
# "FAIL:"/"SKIP:" line is the reason.
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
KVER=${KVER:-$(vgpu_debian_kver)}
export KVER
fail() { echo "FAIL: $*"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
# Lines of a build log that are compiler or sparse findings.
findings() { grep -E "(warning|error):" "$1" | grep -v "^Skipping BTF" || true; }
