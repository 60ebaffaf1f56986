#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dkms add/build/install for Debian's kernel; modinfo of the installed
# module shows the virtio alias, the license and the version, which
# matches dkms.conf and the driver.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
command -v dkms >/dev/null || fail "dkms is not installed"
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
drv=$(sed -n 's/^#define VGPU_VERSION "\(.*\)"/\1/p' "$top/drivers/gpu/drm/vgpu/vgpu_drv.c")
[ "$ver" = "$drv" ] || fail "dkms.conf version $ver != driver version $drv"

dkms remove -m vgpu -v "$ver" --all >/dev/null 2>&1 || true
rm -rf "/usr/src/vgpu-$ver"
mkdir -p "/usr/src/vgpu-$ver"
(cd "$top" && git ls-files -z --cached --others --exclude-standard 2>/dev/null | xargs -0 cp --parents -t "/usr/src/vgpu-$ver") ||
	fail "cannot copy the source"
cleanup() { dkms remove -m vgpu -v "$ver" --all >/dev/null 2>&1; rm -rf "/usr/src/vgpu-$ver"; }
trap cleanup EXIT
dkms add -m vgpu -v "$ver" >/dev/null || fail "dkms add"
dkms build -m vgpu -v "$ver" -k "$KVER" >/tmp/vgpu-dkms.log 2>&1 ||
	{ cat /var/lib/dkms/vgpu/$ver/build/make.log 2>/dev/null | tail -20; fail "dkms build"; }
dkms install -m vgpu -v "$ver" -k "$KVER" >>/tmp/vgpu-dkms.log 2>&1 ||
	{ tail -20 /tmp/vgpu-dkms.log; fail "dkms install"; }
dkms status -m vgpu -v "$ver" -k "$KVER"
info=$(modinfo -k "$KVER" vgpu) || fail "modinfo cannot find the installed module"
echo "$info" | grep -E "^(filename|alias|license|version|vermagic):"
echo "$info" | grep -q "^filename:.*/updates/dkms/vgpu.ko" || fail "not installed under updates/dkms"
echo "$info" | grep -qx "alias: *virtio:d00000010v\*" || fail "no virtio:d00000010v* alias"
echo "$info" | grep -qx "license: *GPL" || fail "license is not GPL"
echo "$info" | grep -qx "version: *$ver" || fail "version is not $ver"

# A kernel older than the project supports is refused, saying why.
old=5.10.0-99-vgpu-test
[ -e /lib/modules/$old ] && fail "/lib/modules/$old exists"
mkdir -p /lib/modules/$old/build && touch /lib/modules/$old/build/Makefile
out=$(dkms build -m vgpu -v "$ver" -k $old 2>&1)
rc=$?
rm -rf /lib/modules/$old /var/lib/dkms/vgpu/"$ver"/$old
[ $rc = 77 ] || { echo "$out"; fail "dkms build for $old: exit $rc, want 77"; }
echo "$out" | grep -q "BUILD_EXCLUSIVE directive which does not match this kernel" ||
	{ echo "$out"; fail "no BUILD_EXCLUSIVE message for $old"; }
echo "dkms: vgpu $ver built and installed for $KVER; alias, license and version verified; $old refused"
