#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Calls between the driver's files go one way (scripts/callgraph.py): no
# cycle in the objects built for 6.1, nor in those make kernels built for
# the other kernels (where more files are built).
. "$(dirname "$0")/lib.sh"
make -C "$top" -s KVER="$KVER" modules >/dev/null 2>&1 || fail "build failed"
out=$("$top/scripts/callgraph.py" --quiet) || { echo "$out"; fail "call cycle (6.1)"; }
for d in "$top"/build/*/drivers/gpu/drm/vgpu; do
	# (make clean removes the objects under build/ too)
	ls "$d"/vgpu_*.o >/dev/null 2>&1 || continue
	k=${d#"$top"/build/}
	k=${k%%/*}
	o=$("$top/scripts/callgraph.py" --quiet "$d") || { echo "$o"; fail "call cycle ($k)"; }
done
echo "$out"
