#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install what building vgpu and running its tests needs (Debian bookworm,
# as root). Quiet and quick when everything is already there.
set -eu
PKGS="make gcc libc6-dev perl python3 pkg-config kmod git
linux-headers-amd64 linux-source-6.1 sparse dkms
libdrm-dev libvulkan-dev glslang-tools debootstrap e2fsprogs
qemu-system-x86 qemu-system-gui qemu-utils xvfb xauth libgl1-mesa-dri libegl1
imagemagick"
missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "[vgpu] installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
