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
