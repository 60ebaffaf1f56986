# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the guest rig: kernel version, mirror, cache paths.
# Sourced by the rig's scripts; defines functions only.

VGPU_CACHE=${VGPU_CACHE:-$HOME/.cache/vgpu}

# Debian kernel ABI the rig targets: the one linux-headers-amd64 depends on.
vgpu_debian_kver() {
	local dep
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || return 1
	dep=${dep%% *}
	echo "${dep#linux-headers-}"
}

# Sites and suites of this machine's apt configuration for bookworm,
# as "SITE SUITE" lines. Nothing is hard-coded: the guest uses the
# same mirrors as the host.
vgpu_apt_sources() {
	apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT)' 2>/dev/null |
		awk '$2 ~ /^bookworm/ && $3 == "main" { print $1, $2 }' | sort -u
}

vgpu_mirror() {
	vgpu_apt_sources | awk '$2 == "bookworm" { print $1; exit }'
}

vgpu_log() {
	printf '[vgpu-rig] %s\n' "$*" >&2
}

# The Debian suite of a rig kernel name: 6.1, 6.12, 7.3, sid (or a suite
# name itself).
vgpu_suite() {
	case ${1:-} in
	6.1|bookworm) echo bookworm ;;
	6.12|trixie) echo trixie ;;
	7.3|trixie-backports) echo trixie-backports ;;
	sid|unstable) echo sid ;;
	*) return 1 ;;
	esac
}

# Kernels the project supports, as the rig names them.
VGPU_KERNELS="6.1 6.12 7.3 sid"
# The debug kernel (KASAN, lockdep, kmemleak, KUnit) is built from this
# source package, in the chroot of this kernel's suite.
VGPU_DEBUG_KERNEL=7.3
VGPU_DEBUG_SOURCE=linux-source-7.3

# vgpu_cache_begin OUT PREFIX: print OUT and end the script when OUT is
# complete; otherwise make work (a scratch directory in the cache) and name
# stage (work/root), both unmounted and removed when the script ends.
vgpu_cache_begin() {
	if [ -f "$1/.complete" ]; then
		echo "$1"
		exit 0
	fi
	mkdir -p "$VGPU_CACHE"
	work=$(mktemp -d "$VGPU_CACHE/.$2.XXXXXX")
	stage="$work/root"
	trap 'vgpu_chroot_umount "$stage"; rm -rf --one-file-system "$work"' EXIT
}

# vgpu_debootstrap DIR SUITE MIRROR LOG: a minbase chroot of SUITE whose apt
# takes SUITE from MIRROR. A frozen mirror may serve a suite's Release
# after its Valid-Until date: the signatures are still checked.
vgpu_debootstrap() {
	debootstrap --variant=minbase "$2" "$1" "$3" >"$4" 2>&1 || { tail -30 "$4"; return 1; }
	echo "deb $3 $2 main" >"$1/etc/apt/sources.list"
	echo 'Acquire::Check-Valid-Until "false";' >"$1/etc/apt/apt.conf.d/99vgpu-rig"
}

# vgpu_modules_img ROOT KVER IMG SCRATCH: an ext4 image (label vgpukmods)
# of ROOT's lib/modules/KVER, the guest's third disk (guest-main.sh mounts
# it), made in the empty directory SCRATCH
vgpu_modules_img() {
	cp -a "$1/lib/modules/$2" "$4/$2"
	rm -f "$4/$2/build" "$4/$2/source"
	mke2fs -q -t ext4 -L vgpukmods -d "$4" "$3" "$(( $(du -sm "$4" | cut -f1) * 12 / 10 + 32 ))M"
}

vgpu_chroot_mount() { # dir: bind what a chroot's tools need
	local d=$1 m
	for m in proc sys dev dev/pts; do
		mkdir -p "$d/$m"
		mountpoint -q "$d/$m" && continue
		case $m in
		proc) mount -t proc proc "$d/proc" ;;
		sys) mount -t sysfs sys "$d/sys" ;;
		*) mount --bind "/$m" "$d/$m" ;;
		esac
	done
}

vgpu_chroot_umount() { # dir
	local m
	for m in dev/pts dev proc sys; do
		mountpoint -q "$1/$m" 2>/dev/null && umount -l "$1/$m"
	done
	return 0
}

# vgpu_own_mounts "$0" "$@": run the calling script again in a mount
# namespace of its own, once. Mounts it makes then stay its own: another
# script that unmounts the same chroot's /proc cannot pull it from under
# this one, and nothing stays mounted when it ends.
vgpu_own_mounts() {
	[ -n "${VGPU_MOUNT_NS:-}" ] && return 0
	VGPU_MOUNT_NS=1 exec unshare --mount --propagation private "$@"
}

# The debug kernel's chroot (tests/kunit/kernel.sh), with the kernel
# source, the kernel's cache directory and ccache bound where the build
# files written inside it expect them: /vgpu/src, /vgpu/out, /vgpu/ccache;
# MOD (optional) at /vgpu/mod for out-of-tree modules.
vgpu_debug_mount() { # root src out [mod]
	local r=$1 p
	vgpu_chroot_mount "$r"
	mkdir -p "$r/vgpu/src" "$r/vgpu/out" "$r/vgpu/ccache" "$r/vgpu/mod" "$VGPU_CACHE/ccache"
	set -- "$2" src "$3" out "$VGPU_CACHE/ccache" ccache "${4:-}" mod
	while [ $# -ge 2 ]; do
		p=$1
		shift
		if [ -n "$p" ]; then
			umount "$r/vgpu/$1" 2>/dev/null || true
			mount --bind "$p" "$r/vgpu/$1"
		fi
		shift
	done
}

vgpu_debug_umount() { # root
	local m
	for m in mod ccache out src; do
		umount "$1/vgpu/$m" 2>/dev/null || true
	done
	vgpu_chroot_umount "$1"
}
