#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A clean build with W=1 prints no warning.
. "$(dirname "$0")/lib.sh"
log=$(mktemp)
make -C "$top" -s KVER="$KVER" clean >/dev/null 2>&1
make -j"$(nproc)" -C "$top" KVER="$KVER" W=1 >"$log" 2>&1 || { cat "$log"; fail "W=1 build failed"; }
f=$(findings "$log")
rm -f "$log"
[ -z "$f" ] || { echo "$f"; fail "W=1 build has warnings"; }
echo "W=1: 0 warnings"
