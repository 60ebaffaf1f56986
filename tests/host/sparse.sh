#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# sparse (make C=2: every file) reports nothing.
. "$(dirname "$0")/lib.sh"
command -v sparse >/dev/null || fail "sparse is not installed"
log=$(mktemp)
make -j"$(nproc)" -C "$top" KVER="$KVER" C=2 >"$log" 2>&1 || { cat "$log"; fail "C=2 build failed"; }
n=$(grep -c "CHECK" "$log")
f=$(findings "$log")
rm -f "$log"
[ "$n" -gt 0 ] || fail "sparse did not run"
[ -z "$f" ] || { echo "$f"; fail "sparse findings"; }
echo "sparse: $n files checked, 0 findings"
