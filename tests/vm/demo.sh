#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: build vgpu, boot a guest with it (virtio-gpu-gl-pci: virgl),
# run kmscube (Mesa's virgl driver through vgpu) and save a screenshot of
# the guest's display.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/vm/lib.sh
tests/deps.sh
kver=$(vgpu_debian_kver)
make -s KVER="$kver"
python3 tests/vm/vm.py --profile virgl --driver vgpu --tests kmscube \
	--test-dir tests/vm/demo --out "$top/out" >"$top/out.demo.log" 2>&1 || {
	cat "$top/out.demo.log"; exit 1; }
png="$top/out/vgpu-demo.png"
[ -s "$png" ] || { cat "$top/out.demo.log"; echo "no screenshot" >&2; exit 1; }
grep -E '^(PASS|FAIL)' "$top/out.demo.log"
echo "screenshot: $png"
