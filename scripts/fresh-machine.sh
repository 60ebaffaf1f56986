#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run .ci/run of a commit on a fresh Debian bookworm (minbase chroot with
# this machine's apt sources, an empty ~/.cache/vgpu, nothing installed):
# proves the install steps and measures a cold run.
#   scripts/fresh-machine.sh [REV]     (default HEAD; needs root)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/vm/lib.sh"
rev=${1:-HEAD}
root=$(mktemp -d /var/tmp/vgpu-fresh.XXXXXX)
cleanup() {
	for m in dev/pts dev/shm dev proc sys ""; do
		mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
	done
	rm -rf "$root"
}
trap cleanup EXIT

vgpu_log "debootstrap into $root"
debootstrap --variant=minbase bookworm "$root" "$(vgpu_mirror)" >/dev/null
vgpu_apt_sources | while read -r site suite; do
	echo "deb $site $suite main"
done >"$root/etc/apt/sources.list"
# The root a mount point, as on a machine: the rig's scripts make their
# mounts private (unshare --propagation private), which a chroot whose
# root is no mount point refuses.
mount --bind "$root" "$root"
git clone -q "$top" "$root/root/vgpu"
git -C "$root/root/vgpu" checkout -q "$rev"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"
cp /etc/resolv.conf "$root/etc/resolv.conf"

vgpu_log "running .ci/run of $(git -C "$top" rev-parse --short "$rev") in the fresh root"
start=$(date +%s)
set +e
chroot "$root" /usr/bin/env -i HOME=/root \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin CI=true \
	/bin/bash -c 'cd /root/vgpu && bash .ci/run'
rc=$?
set -e
vgpu_log "cold .ci/run: exit $rc after $(($(date +%s) - start)) s"
exit $rc
