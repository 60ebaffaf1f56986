#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the debug kernel: Debian's newest kernel source
# ($VGPU_DEBUG_SOURCE from the suite of $VGPU_DEBUG_KERNEL, tests/vm/lib.sh)
# with the slim debug configuration in vgpu-test.config, built in that
# suite's chroot (tests/vm/suite.sh) with its gcc and ccache. Prints, as
# its last line, the cache directory holding:
#   bzImage   the kernel (boots the rig's image without an initrd)
#   build/    the build tree, for out-of-tree modules; its tools run in the
#             chroot, where it is /vgpu/out/build (vgpu_debug_mount)
#   modules/  its loadable modules (virtio_gpu, vgem), installed layout
#   kver      the kernel release
#   chroot    the suite directory it was built in
#   source    the kernel source it was built from (/vgpu/src in the chroot)
# The directory is keyed by the config fragment, this script, the source
# package and its version and the compiler, so a change to any rebuilds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/vm/lib.sh"
# its mounts are its own (the chroot's /proc, the bound source and cache)
vgpu_own_mounts "$0" "$@"
frag="$here/vgpu-test.config"

sdir=$("$top/tests/vm/suite.sh" "$VGPU_DEBUG_KERNEL" | tail -n1)
root="$sdir/root"
[ -d "$root" ] || { vgpu_log "no chroot for $VGPU_DEBUG_KERNEL"; exit 1; }
srcver=$(chroot "$root" dpkg-query -W -f='${Version}' "$VGPU_DEBUG_SOURCE")
cc=$(chroot "$root" gcc --version | head -n1)
key=$( { cat "$frag" "$0"; echo "$VGPU_DEBUG_SOURCE $srcver"; echo "$cc"; } | sha256sum | cut -c1-16)
out="$VGPU_CACHE/testkernel-$key"
# The source, unpacked once per package version; older ones go.
src="$VGPU_CACHE/$VGPU_DEBUG_SOURCE-$srcver"
if [ -f "$out/.complete" ] && [ -f "$src/.complete" ]; then
	echo "$sdir" >"$out/chroot"
	echo "$src" >"$out/source"
	echo "$out"
	exit 0
fi
if [ ! -f "$src/.complete" ]; then
	vgpu_log "unpacking $VGPU_DEBUG_SOURCE $srcver"
	rm -rf "$src"
	mkdir -p "$src"
	tar -xJf "$root/usr/src/$VGPU_DEBUG_SOURCE.tar.xz" -C "$src" --strip-components=1
	touch "$src/.complete"
fi
for old in "$VGPU_CACHE/$VGPU_DEBUG_SOURCE"-*; do
	[ "$old" = "$src" ] || rm -rf "$old"
done

mkdir -p "$out"
vgpu_debug_mount "$root" "$src" "$out"
trap 'vgpu_debug_umount "$root"' EXIT
mk() { # from /: nothing inside may look for this shell's directory
	(cd / && chroot "$root" env CCACHE_DIR=/vgpu/ccache CCACHE_MAXSIZE=8G \
		make -s -C /vgpu/src O=/vgpu/out/build CC="ccache gcc" HOSTCC="ccache gcc" "$@")
}

vgpu_log "configuring the debug kernel ($VGPU_DEBUG_SOURCE $srcver) in $out/build"
cp "$frag" "$out/frag.config"
mk KCONFIG_ALLCONFIG=/vgpu/out/frag.config allnoconfig >/dev/null
mk olddefconfig >/dev/null
missing=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	if ! grep -qx "$line" "$out/build/.config"; then
		vgpu_log "config: wanted $line, got: $(grep "^${line%%=*}=" "$out/build/.config" || echo 'not set')"
		missing=1
	fi
done <"$frag"
[ $missing = 0 ] || { vgpu_log "the debug kernel config lost options"; exit 1; }

vgpu_log "building the debug kernel ($(nproc) jobs, ccache in $VGPU_CACHE/ccache)"
start=$(date +%s)
mk -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
rm -rf "$out/modules"
mk INSTALL_MOD_PATH=/vgpu/out/modules modules_install >/dev/null
cp "$out/build/arch/x86/boot/bzImage" "$out/bzImage"
cat "$out/build/include/config/kernel.release" >"$out/kver"
echo "$sdir" >"$out/chroot"
echo "$src" >"$out/source"
vgpu_log "debug kernel $(cat "$out/kver") built in $(($(date +%s) - start)) s"
touch "$out/.complete"
echo "$out"
