#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the rig's guest root image from Debian packages only.
#
#   mkimage.sh [bookworm|sid]
#
# bookworm (the default) is the image of Debian's 6.1 kernel. sid is the
# current userspace (Mesa with the Venus ICD, vulkan-tools, vkmark) for
# the profiles of the trixie host (vm.py --host trixie); it has no kernel
# of its own: the rig boots it with bookworm's (this image's vmlinuz,
# initrd.img and modules.img) or another suite's (suite.sh).
#
# Output, printed as the last line: the cache directory holding
#   root.img    ext4 image made with mke2fs -d (no loop mount)
#   vmlinuz     the Debian kernel of the image (bookworm)
#   initrd.img  its initramfs (virtio_pci, virtio_blk, ext4)
#   modules.img ext4 image of its lib/modules/<kver>, for other images
#   kver        the kernel release
# The directory name is a hash of every input, so a change to this script,
# the package list, the guest init, the mirrors or the kernel rebuilds it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

PACKAGES="linux-image-KVER initramfs-tools kmod
libgl1-mesa-dri libegl1 libgles2 libgbm1 libdrm2 mesa-vulkan-drivers
kmscube glmark2-es2-drm libdrm-tests vulkan-tools mesa-utils mesa-utils-bin"

# sid: Mesa's Venus and virgl drivers, the Vulkan loader and tools, the GL
# programs and IGT 2.5 (/usr/libexec/igt-gpu-tools) with udev (IGT's
# uevent checks listen to udevd); the test programs' Vulkan shaders are
# built on the host.
SID_PACKAGES="kmod libgl1-mesa-dri libegl1 libgles2 libgbm1 libdrm2
mesa-vulkan-drivers libvulkan1 vulkan-tools vkmark kmscube glmark2-es2-drm
libdrm-tests mesa-utils mesa-utils-bin igt-gpu-tools-tests udev"

suite=${1:-bookworm}
mirror=$(vgpu_mirror)
[ -n "$mirror" ] || { vgpu_log "no bookworm mirror in the apt configuration"; exit 1; }
case $suite in
bookworm)
	kver=$(vgpu_debian_kver) || { vgpu_log "linux-headers-amd64 is not installed"; exit 1; }
	pkgs=$(echo ${PACKAGES//KVER/$kver})
	name=rootfs ;;
sid)
	kver=
	pkgs=$(echo $SID_PACKAGES)
	name=rootfs-sid ;;
*)
	vgpu_log "no guest image for suite '$suite' (bookworm, sid)"
	exit 2 ;;
esac

key=$( { cat "$0" "$here/vgpu-init" "$here/lib.sh"; echo "$suite $kver"; vgpu_apt_sources; } |
	sha256sum | cut -c1-16)
out="$VGPU_CACHE/$name-$key"
vgpu_cache_begin "$out" mkimage
vgpu_log "building $suite guest image $out (kernel ${kver:-none}, mirror $mirror)"

vgpu_debootstrap "$stage" "$suite" "$mirror" "$work/debootstrap.log"
if [ "$suite" = bookworm ]; then
	# Same suites as the host (updates, security), so the kernel matches the headers.
	vgpu_apt_sources | while read -r site s; do
		echo "deb $site $s main"
	done >"$stage/etc/apt/sources.list"
fi

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
if [ -n "$kver" ]; then
	cp "$stage/boot/vmlinuz-$kver" "$work/out/vmlinuz"
	cp "$stage/boot/initrd.img-$kver" "$work/out/initrd.img"
	echo "$kver" >"$work/out/kver"
	# the kernel's modules for an image without them (sid)
	mkdir -p "$work/mods"
	vgpu_modules_img "$stage" "$kver" "$work/out/modules.img" "$work/mods"
fi
size_mb=$(( $(du -sm "$stage" | cut -f1) * 13 / 10 + 256 ))
mke2fs -q -t ext4 -L vgpuroot -d "$stage" "$work/out/root.img" "${size_mb}M"
touch "$work/out/.complete"
rm -rf "$out"
mv "$work/out" "$out"
# Images of earlier inputs are no longer used by this tree.
find "$VGPU_CACHE" -maxdepth 1 -regextype egrep -regex ".*/$name-[0-9a-f]{16}" \
	! -name "$name-$key" -exec rm -rf {} +
vgpu_log "$suite guest image ready: $out (${size_mb} MiB)"
echo "$out"
