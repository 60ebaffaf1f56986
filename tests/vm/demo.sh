#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: build vgpu, boot a guest with it (virtio-gpu-gl-pci: virgl),
# run kmscube (Mesa's virgl driver through vgpu) and save a screenshot of
# the guest's display; then boot the venus profile (trixie's QEMU 10 with
# Venus, the sid guest) where unmodified Mesa Venus renders through vgpu
# (tests/venus/vgpu_venus) and its last frame is put on the scanout, and
# save that too. DEMO=kmscube or DEMO=venus runs one of them.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. tests/vm/lib.sh
tests/deps.sh
kver=$(vgpu_debian_kver)
make -s KVER="$kver"
demo() { # profile test screenshot
	log="$top/out.demo-$2.log"
	python3 tests/vm/vm.py --profile "$1" --driver vgpu --tests "$2" \
		--test-dir tests/vm/demo --out "$top/out" >"$log" 2>&1 || {
		cat "$log"; exit 1; }
	png="$top/out/$3.png"
	[ -s "$png" ] || { cat "$log"; echo "no screenshot" >&2; exit 1; }
	grep -E '^(PASS|FAIL)' "$log"
	echo "screenshot: $png"
}
case ${DEMO:-kmscube venus} in *kmscube*) demo virgl kmscube vgpu-demo ;; esac
case ${DEMO:-kmscube venus} in *venus*) demo venus venus vgpu-demo-venus ;; esac
