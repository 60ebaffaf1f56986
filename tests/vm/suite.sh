#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) a chroot of a Debian suite with that suite's kernel:
# its headers (to build vgpu.ko and run DKMS with the suite's gcc and
# libc), its image (vmlinuz, an initrd for the rig, the modules with the
# kernel's own virtio_gpu) and sparse; the debug kernel's suite also gets
# its kernel source and what building a kernel needs.
#
#   suite.sh 6.1|6.12|7.3|sid      (or bookworm|trixie|trixie-backports)
#
# Output, printed as the last line: the cache directory holding
#   root/        the chroot (bind-mount /dev, /proc, /sys to use it)
#   vmlinuz, initrd.img, kver
#   modules.img  ext4 image of lib/modules/<kver>, the guest's third disk
# The name is a hash of this script, the suite, the mirror and the package
# list: a change to any of them builds a new one. Suites other than bookworm come from the
# same site as this machine's bookworm mirror.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

suite=$(vgpu_suite "${1:-}") || { vgpu_log "unknown kernel or suite '${1:-}'"; exit 2; }
mirror=$(vgpu_mirror)
[ -n "$mirror" ] || { vgpu_log "no bookworm mirror in the apt configuration"; exit 1; }
case $suite in
trixie-backports) base=trixie; target="-t trixie-backports" ;;
*) base=$suite; target= ;;
esac

PACKAGES="build-essential linux-headers-amd64 linux-image-amd64 initramfs-tools
kmod sparse dkms libelf-dev bc"
# The debug kernel (tests/kunit/kernel.sh) is built in its suite's chroot
# from that suite's kernel source.
if [ "$suite" = "$(vgpu_suite "$VGPU_DEBUG_KERNEL")" ]; then
	PACKAGES="$PACKAGES $VGPU_DEBUG_SOURCE flex bison libssl-dev cpio ccache"
fi

key=$( { cat "$0"; echo "$suite $mirror $PACKAGES"; } | sha256sum | cut -c1-16)
out="$VGPU_CACHE/suite-$suite-$key"
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

vgpu_log "building $suite chroot $out (mirror $mirror)"
mkdir -p "$VGPU_CACHE"
work=$(mktemp -d "$VGPU_CACHE/.suite.XXXXXX")
stage="$work/root"
cleanup() {
	vgpu_chroot_umount "$stage"
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT

debootstrap --variant=minbase "$base" "$stage" "$mirror" >"$work/debootstrap.log" 2>&1 ||
	{ tail -30 "$work/debootstrap.log"; exit 1; }
{
	echo "deb $mirror $base main"
	[ "$suite" = trixie-backports ] && echo "deb $mirror trixie-backports main"
} >"$stage/etc/apt/sources.list"
# The mirror may serve a suite's Release after its Valid-Until date (a
# frozen mirror): the signatures are still checked.
echo 'Acquire::Check-Valid-Until "false";' >"$stage/etc/apt/apt.conf.d/99vgpu-rig"

# The rig's initrd: the modules that reach the root disk, nothing else.
mkdir -p "$stage/etc/initramfs-tools/conf.d"
echo "MODULES=list" >"$stage/etc/initramfs-tools/conf.d/vgpu-rig"
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic >>"$stage/etc/initramfs-tools/modules"

vgpu_chroot_mount "$stage"
chroot "$stage" /bin/sh -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q &&
	apt-get install -y -q --no-install-recommends $target $(echo $PACKAGES) && apt-get clean" \
	>"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; exit 1; }
if [ "$suite" = trixie-backports ]; then
	# 7.3's headers need a sparse that knows __typeof_unqual__ (0.6.5),
	# which only sid has; its sparse binary asks nothing newer of libc
	# than trixie's. Only that binary is taken, nothing else from sid.
	echo "deb $mirror sid main" >"$stage/etc/apt/sources.list.d/vgpu-sid.list"
	chroot "$stage" /bin/sh -c "apt-get update -q && cd /tmp &&
		apt-get download -q sparse/sid && dpkg-deb -x sparse_*.deb /opt/vgpu-sparse &&
		ln -sf /opt/vgpu-sparse/usr/bin/sparse /usr/local/bin/sparse && rm -f sparse_*.deb" \
		>>"$work/install.log" 2>&1 || { tail -30 "$work/install.log"; exit 1; }
	rm -f "$stage/etc/apt/sources.list.d/vgpu-sid.list"
fi
vgpu_chroot_umount "$stage"
# Newer headers packages leave out the script with which the kernel's
# Makefile decides whether sparse can run (C=1/C=2 then checks nothing):
# the stand-in answers as it does, "1" when the checker runs cleanly.
for common in "$stage"/usr/src/linux-headers-*-common; do
	[ -e "$common/scripts/checker-valid.sh" ] && continue
	cat >"$common/scripts/checker-valid.sh" <<'SH'
#!/bin/sh
command -v "$1" >/dev/null 2>&1 || exit 1
f=$(mktemp --suffix=.c)
echo 'static inline int vgpu_probe(void) { return 0; }' >"$f"
if "$@" "$f" >/dev/null 2>&1; then echo 1; fi
rm -f "$f"
SH
	chmod 0755 "$common/scripts/checker-valid.sh"
done
rm -rf "$stage/var/lib/apt/lists/"* "$stage/var/cache/apt/"*.bin

kver=$(basename "$(ls -d "$stage"/lib/modules/*/build | sort -V | tail -n1 | xargs dirname)")
mkdir -p "$work/out"
cp "$stage/boot/vmlinuz-$kver" "$work/out/vmlinuz"
cp "$stage/boot/initrd.img-$kver" "$work/out/initrd.img"
echo "$kver" >"$work/out/kver"
mods="$work/mods"
mkdir -p "$mods"
cp -a "$stage/lib/modules/$kver" "$mods/$kver"
rm -f "$mods/$kver/build" "$mods/$kver/source"
size_mb=$(( $(du -sm "$mods" | cut -f1) * 12 / 10 + 32 ))
mke2fs -q -t ext4 -L vgpukmods -d "$mods" "$work/out/modules.img" "${size_mb}M"
mv "$stage" "$work/out/root"
touch "$work/out/.complete"
rm -rf --one-file-system "$out"
mv "$work/out" "$out"
# Chroots of earlier inputs are no longer used; nothing mounted in one
# may be removed with it.
for old in "$VGPU_CACHE"/suite-"$suite"-????????????????; do
	[ "$old" = "$out" ] || [ ! -d "$old" ] && continue
	vgpu_chroot_umount "$old/root"
	while umount "$old/root/src" 2>/dev/null; do :; done
	# a bind mount of this file system is not another file system to
	# rm --one-file-system: never remove a directory with a mount inside
	if findmnt -rn -o TARGET | grep -q "^$old/"; then
		vgpu_log "$old still has mounts inside: left in place"
		continue
	fi
	rm -rf --one-file-system "$old"
done
vgpu_log "$suite chroot ready: $out (kernel $kver)"
echo "$out"
