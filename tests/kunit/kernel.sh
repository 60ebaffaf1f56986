#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (or reuse) the test kernel from Debian's linux-source-6.1 with the
# slim debug configuration in vgpu-test.config. Prints, as its last line,
# the cache directory holding:
#   bzImage   the kernel (boots the rig's image without an initrd)
#   build/    the build tree, for out-of-tree modules (make -C build M=...)
#   modules/  its loadable modules (virtio_gpu, vgem), installed layout
#   kver      the kernel release
# The directory is keyed by the config fragment, this script, the source
# package version and the compiler, so a change to any of them rebuilds.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/vm/lib.sh"
frag="$here/vgpu-test.config"

for p in flex bison bc libelf-dev libssl-dev ccache cpio; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >&2
done

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo none)
key=$( { cat "$frag" "$0"; echo "$srcver"; gcc --version | head -n1; } | sha256sum | cut -c1-16)
out="$VGPU_CACHE/testkernel-$key"
if [ -f "$out/.complete" ]; then
	echo "$out"
	exit 0
fi

src=$("$top/scripts/linux-source.sh")
export CCACHE_DIR="$VGPU_CACHE/ccache"
export CCACHE_MAXSIZE=8G
mkdir -p "$out"
build="$out/build"
mk() { make -s -C "$src" O="$build" CC="ccache gcc" HOSTCC="ccache gcc" "$@"; }

vgpu_log "configuring test kernel in $build"
KCONFIG_ALLCONFIG="$frag" mk allnoconfig >/dev/null
mk olddefconfig >/dev/null
missing=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	if ! grep -qx "$line" "$build/.config"; then
		vgpu_log "config: wanted $line, got: $(grep "^${line%%=*}=" "$build/.config" || echo 'not set')"
		missing=1
	fi
done <"$frag"
[ $missing = 0 ] || { vgpu_log "the test kernel config lost options"; exit 1; }

vgpu_log "building test kernel ($(nproc) jobs, ccache in $CCACHE_DIR)"
start=$(date +%s)
mk -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
rm -rf "$out/modules"
mk INSTALL_MOD_PATH="$out/modules" modules_install >/dev/null
cp "$build/arch/x86/boot/bzImage" "$out/bzImage"
cat "$build/include/config/kernel.release" >"$out/kver"
vgpu_log "test kernel $(cat "$out/kver") built in $(($(date +%s) - start)) s"
touch "$out/.complete"
echo "$out"
