#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make install puts vgpu.ko under updates/ and the modprobe.d file that
# keeps the in-tree virtio_gpu from binding; make uninstall removes both.
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || skip "needs root"
make -C "$top" -s KVER="$KVER" install >/dev/null 2>&1 || fail "make install failed"
ko=$(find /lib/modules/$KVER/updates -name vgpu.ko -not -path '*/dkms/*' | head -n1)
[ -n "$ko" ] || fail "vgpu.ko not installed under updates/"
grep -qx "blacklist virtio_gpu" /etc/modprobe.d/vgpu.conf || fail "no modprobe.d blacklist"
dep=$(grep "vgpu.ko:" /lib/modules/$KVER/modules.dep | head -n1)
[ -n "$dep" ] || fail "depmod did not index vgpu.ko"
echo "installed: $ko ($dep)"
make -C "$top" -s KVER="$KVER" uninstall >/dev/null 2>&1 || fail "make uninstall failed"
[ -e "$ko" ] && fail "$ko left after uninstall"
[ -e /etc/modprobe.d/vgpu.conf ] && fail "modprobe.d file left after uninstall"
grep -q "updates/.*vgpu.ko:" /lib/modules/$KVER/modules.dep && fail "modules.dep still lists vgpu"
echo "uninstalled"
