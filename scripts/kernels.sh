#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make kernels: build vgpu.ko against every supported Debian kernel with
# W=1 and then sparse (C=2), each inside a chroot of its own suite (its
# gcc, its libc, its headers; tests/vm/suite.sh), and report findings;
# then dkms add, build and install it there (6.1: tests/host/dkms.sh).
#
#   scripts/kernels.sh [KERNEL...]      (default: 6.1 6.12 7.3 sid)
#
# The tree is copied to build/<kernel>/ (the files git knows, committed or
# not), so builds for different kernels never share objects; the rig boots
# build/<kernel>/drivers/gpu/drm/vgpu/vgpu.ko. Ends with
# "N passed, N failed"; exit status 1 on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/vm/lib.sh
# its mounts are its own (each suite's chroot, bound for the builds)
vgpu_own_mounts "$0" "$@"

kernels=${*:-$VGPU_KERNELS}
pass=0 failn=0
record() { # PASS|FAIL name [reason]
	printf '%-4s %s%s\n' "$1" "$2" "${3:+  ($3)}"
	if [ "$1" = PASS ]; then pass=$((pass + 1)); else failn=$((failn + 1)); fi
}
findings() { grep -E "(warning|error):" "$1" | grep -v "^Skipping BTF" || true; }

mounted=
cleanup() {
	local m
	for m in $mounted; do
		umount "$m/src" 2>/dev/null
		vgpu_chroot_umount "$m"
	done
}
trap cleanup EXIT

for k in $kernels; do
	suite=$(vgpu_suite "$k") || { record FAIL "kernels/$k" "unknown kernel"; continue; }
	dir="$top/build/$k"
	rm -rf "$dir"
	mkdir -p "$dir"
	git ls-files --cached --others --exclude-standard -- . ':!build' >"$dir.files"
	tr '\n' '\0' <"$dir.files" | xargs -0 cp --parents -t "$dir"
	mv "$dir.files" "$dir/.vgpu-files"
	if [ "$suite" = bookworm ]; then
		# the host is bookworm: its own headers and tools
		kver=$(vgpu_debian_kver)
		run() { make -j"$(nproc)" -C "$dir" KVER="$kver" "$@"; }
	else
		if ! sdir=$(tests/vm/suite.sh "$k" | tail -n1) || [ ! -d "$sdir/root" ]; then
			record FAIL "kernels/$k/chroot" "tests/vm/suite.sh $k failed"
			continue
		fi
		root="$sdir/root"
		kver=$(cat "$sdir/kver")
		mkdir -p "$root/src"
		umount "$root/src" 2>/dev/null
		mount --bind "$dir" "$root/src"
		vgpu_chroot_mount "$root"
		mounted="$mounted $root"
		# The suite's root PATH, whatever the caller's: 7.3's sparse
		# is in /usr/local/bin (tests/vm/suite.sh).
		run() {
			chroot "$root" /usr/bin/env \
				PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
				make -j"$(nproc)" -C /src KVER="$kver" "$@"
		}
	fi
	log="$dir/build-w1.log"
	if run W=1 >"$log" 2>&1 && [ -f "$dir/drivers/gpu/drm/vgpu/vgpu.ko" ]; then
		f=$(findings "$log")
		if [ -z "$f" ]; then
			record PASS "kernels/$k/w1" "$kver, $(grep -o '[0-9]* of [0-9]* kernel features' "$log")"
		else
			record FAIL "kernels/$k/w1" "$kver: $(echo "$f" | wc -l) warnings"
			echo "$f" | head -n 20 | sed 's/^/     | /'
		fi
	else
		record FAIL "kernels/$k/w1" "$kver: build failed"
		grep -v '^make' "$log" | tail -n 25 | sed 's/^/     | /'
		continue
	fi
	cp "$dir/drivers/gpu/drm/vgpu/vgpu.ko" "$dir/vgpu.ko"
	log="$dir/build-sparse.log"
	run C=2 >"$log" 2>&1
	n=$(grep -c ' CHECK ' "$log")
	f=$(findings "$log")
	if [ "$n" -gt 0 ] && [ -z "$f" ]; then
		record PASS "kernels/$k/sparse" "$n files"
	else
		record FAIL "kernels/$k/sparse" "$n files checked, $(echo "$f" | grep -c .) findings"
		{ echo "$f"; grep 'sparse is not available' "$log"; } | head -n 20 | sed 's/^/     | /'
	fi
	# the W=1 module stays the one the rig boots
	cp "$dir/vgpu.ko" "$dir/drivers/gpu/drm/vgpu/vgpu.ko"
	[ "$suite" = bookworm ] && continue
	# DKMS as a user of that suite runs it, on a clean copy of the tree
	log="$dir/dkms.log"
	if chroot "$root" /bin/sh -c "set -e
		ver=\$(sed -n 's/^PACKAGE_VERSION=\"\(.*\)\"/\\1/p' /src/dkms.conf)
		dkms remove -m vgpu -v \$ver --all >/dev/null 2>&1 || true
		rm -rf /usr/src/vgpu-\$ver && mkdir -p /usr/src/vgpu-\$ver
		cd /src && git_files=\$(cat .vgpu-files) && cp --parents -t /usr/src/vgpu-\$ver \$git_files
		dkms add -m vgpu -v \$ver
		dkms build -m vgpu -v \$ver -k $kver
		dkms install -m vgpu -v \$ver -k $kver
		modinfo -k $kver vgpu | grep -E '^(filename|version|vermagic):'
		modinfo -k $kver -F filename vgpu | grep -q /updates/dkms/vgpu.ko
		dkms remove -m vgpu -v \$ver --all
		rm -rf /usr/src/vgpu-\$ver" >"$log" 2>&1; then
		record PASS "kernels/$k/dkms" "$(sed -n 's/^vermagic: *//p' "$log" | cut -d' ' -f1)"
	else
		record FAIL "kernels/$k/dkms"
		tail -n 20 "$log" | sed 's/^/     | /'
		grep -h . "$root"/var/lib/dkms/vgpu/*/build/make.log 2>/dev/null | tail -n 20 | sed 's/^/     | /'
	fi
done
echo "$pass passed, $failn failed"
[ "$failn" = 0 ]
