#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the rig's second host stack: QEMU, virglrenderer (with
# Venus and its render server) and Mesa (llvmpipe, lavapipe) from Debian
# trixie, in a chroot. Bookworm's QEMU 7.2 offers no blob, hostmem,
# context-init or Venus; trixie's QEMU 10 does. vm.py runs QEMU inside it
# (--host trixie), with /tmp and the cache bound in so that paths stay
# the same, and the host's Xvfb as its display.
#
#   host.sh [trixie]
#
# Output, printed as the last line: the cache directory holding root/ and
# versions (QEMU and virglrenderer, one per line). The name is a hash of
# this script, the suite and the mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

suite=${1:-trixie}
mirror=$(vgpu_mirror)
[ -n "$mirror" ] || { vgpu_log "no bookworm mirror in the apt configuration"; exit 1; }

# qemu-system-modules-opengl: gtk,gl=on and virtio-gpu-gl; virgl-server:
# the render server Venus contexts run in; mesa-vulkan-drivers: lavapipe,
# the Vulkan Venus renders with; libgl1-mesa-dri: llvmpipe for virgl.
PACKAGES="qemu-system-x86 qemu-system-gui qemu-system-modules-opengl
libvirglrenderer1 virgl-server mesa-vulkan-drivers libgl1-mesa-dri
libegl1 libgl1 libegl-mesa0 libglx-mesa0 seabios"

key=$( { cat "$0"; echo "$suite $mirror $PACKAGES"; } | sha256sum | cut -c1-16)
out="$VGPU_CACHE/host-$suite-$key"
vgpu_cache_begin "$out" host
vgpu_log "building $suite host stack $out (mirror $mirror)"

vgpu_debootstrap "$stage" "$suite" "$mirror" "$work/debootstrap.log"
vgpu_chroot_mount "$stage"
chroot "$stage" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q &&
	apt-get install -y -q --no-install-recommends $(echo $PACKAGES) && apt-get clean" \
	>"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; exit 1; }
chroot "$stage" dpkg-query -W -f='${Package} ${Version}\n' \
	qemu-system-x86 libvirglrenderer1 mesa-vulkan-drivers >"$work/versions"
vgpu_chroot_umount "$stage"
rm -rf "$stage/var/lib/apt/lists/"* "$stage/var/cache/apt/"*.bin

mkdir -p "$work/out"
mv "$work/versions" "$work/out/versions"
mv "$stage" "$work/out/root"
touch "$work/out/.complete"
rm -rf --one-file-system "$out"
mv "$work/out" "$out"
for old in "$VGPU_CACHE"/host-"$suite"-????????????????; do
	[ "$old" = "$out" ] || [ ! -d "$old" ] && continue
	findmnt -rn -o TARGET | grep -q "^$old/" && continue
	rm -rf --one-file-system "$old"
done
vgpu_log "$suite host stack ready: $out ($(tr '\n' ' ' <"$out/versions"))"
echo "$out"
