#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the rig's guest root image from Debian packages only.
#
# Output, printed as the last line: the cache directory holding
#   root.img   ext4 image made with mke2fs -d (no loop mount)
#   vmlinuz    the Debian kernel of the image
#   initrd.img its initramfs (virtio_pci, virtio_blk, ext4)
#   kver       the kernel release
# The directory name is a hash of every input, so a change to this script,
# the package list, the guest init, the mirrors or the kernel rebuilds it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

PACKAGES="linux-image-KVER initramfs-tools kmod
libgl1-mesa-dri libegl1 libgles2 libgbm1 libdrm2 mesa-vulkan-drivers
kmscube glmark2-es2-drm libdrm-tests vulkan-tools mesa-utils mesa-utils-bin"

kver=$(vgpu_debian_kver) || { vgpu_log "linux-headers-amd64 is not installed"; exit 1; }
mirror=$(vgpu_mirror)
[ -n "$mirror" ] || { vgpu_log "no bookworm mirror in the apt configuration"; exit 1; }
pkgs=$(echo ${PACKAGES//KVER/$kver})

key=$( { cat "$0" "$here/vgpu-init" "$here/lib.sh"; echo "$kver"; vgpu_apt_sources; } |
	sha256sum | cut -c1-16)
out="$VGPU_CACHE/rootfs-$key"
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

vgpu_log "building guest image $out (kernel $kver, mirror $mirror)"
mkdir -p "$VGPU_CACHE"
work=$(mktemp -d "$VGPU_CACHE/.mkimage.XXXXXX")
stage="$work/root"
cleanup() {
	vgpu_chroot_umount "$stage"
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

debootstrap --variant=minbase bookworm "$stage" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{ tail -30 "$work/debootstrap.log"; exit 1; }

# Same suites as the host (updates, security), so the kernel matches the headers.
vgpu_apt_sources | while read -r site suite; do
	echo "deb $site $suite main"
done >"$stage/etc/apt/sources.list"

mkdir -p "$stage/etc/initramfs-tools/conf.d"
echo "MODULES=list" >"$stage/etc/initramfs-tools/conf.d/vgpu-rig"
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic >>"$stage/etc/initramfs-tools/modules"
# No udev autoloading of GPU drivers: the rig loads exactly the driver under test.
mkdir -p "$stage/etc/modprobe.d"
printf 'blacklist virtio_gpu\nblacklist vgpu\n' >"$stage/etc/modprobe.d/vgpu-rig.conf"

vgpu_chroot_mount "$stage"
# shellcheck disable=SC2086
chroot "$stage" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q &&
	apt-get install -y -q --no-install-recommends $pkgs && apt-get clean" \
	>"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; exit 1; }
vgpu_chroot_umount "$stage"

install -m 0755 "$here/vgpu-init" "$stage/sbin/vgpu-init"
echo vgpu-guest >"$stage/etc/hostname"
rm -rf "$stage/var/lib/apt/lists/"* "$stage/var/cache/apt/"*.bin

mkdir -p "$work/out"
cp "$stage/boot/vmlinuz-$kver" "$work/out/vmlinuz"
cp "$stage/boot/initrd.img-$kver" "$work/out/initrd.img"
echo "$kver" >"$work/out/kver"
size_mb=$(( $(du -sm "$stage" | cut -f1) * 13 / 10 + 256 ))
mke2fs -q -t ext4 -L vgpuroot -d "$stage" "$work/out/root.img" "${size_mb}M"
touch "$work/out/.complete"
rm -rf "$out"
mv "$work/out" "$out"
# Images of earlier inputs are no longer used by this tree.
find "$VGPU_CACHE" -maxdepth 1 -name 'rootfs-*' ! -name "rootfs-$key" -exec rm -rf {} +
vgpu_log "guest image ready: $out (${size_mb} MiB)"
echo "$out"
