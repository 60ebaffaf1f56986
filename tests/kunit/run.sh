#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The debug-kernel run: build (or reuse) the test kernel, build vgpu.ko and
# vgpu_test.ko against it, boot the rig on it, run the guest suite and the
# KUnit suites, and report every case. Extra arguments go to vm.py (a
# later --tests replaces the list).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/vm/lib.sh"
# its mounts are its own (the debug kernel's chroot, bound for the build)
vgpu_own_mounts "$0" "$@"

kdir=$("$top/tests/kunit/kernel.sh" | tail -n1)
[ -f "$kdir/.complete" ] || { echo "FAIL: no test kernel"; exit 1; }
# Kernels built from earlier configurations are no longer used.
find "$VGPU_CACHE" -maxdepth 1 -name 'testkernel-*' ! -path "$kdir" -exec rm -rf {} +

# Kbuild writes objects next to the sources: build in a copy of the tree,
# inside the chroot the kernel was built in (its build tools need that
# suite's libc).
build=$(mktemp -d "${TMPDIR:-/tmp}/vgpu-testkernel.XXXXXX")
root="$(cat "$kdir/chroot")/root"
vgpu_debug_mount "$root" "$(cat "$kdir/source")" "$kdir" "$build"
trap 'vgpu_debug_umount "$root"; rm -rf "$build"' EXIT
(cd "$top" && git ls-files -z --cached --others --exclude-standard -- . ':!build' |
	xargs -0 cp --parents -t "$build")
(cd / && chroot "$root" make -s -C /vgpu/mod KDIR=/vgpu/out/build W=1) >"$build/make.log" 2>&1 ||
	{ cat "$build/make.log"; echo "FAIL: module build against the test kernel"; exit 1; }
vgpu_debug_umount "$root"
if grep -E "(warning|error):" "$build/make.log"; then
	echo "FAIL: warnings building against the test kernel"
	exit 1
fi

# The guest suite on the debug kernel. make check has one boot, "check":
# the virgl profile with the fake device's suite and KUnit, the display,
# uapi, isolation and Mesa suites, the fuzzer (5,000 ioctls), fault
# injection, resets, 10 reload_busy cycles and unplug. make check-all
# has the whole suite in two boots instead: 2d (the fake device, KUnit,
# 100,000 fuzzed ioctls, 100 reload_busy cycles) and virgl (Mesa, 30,000
# fuzzed ioctls, whose 3D ioctls wait for the host); each fuzz run has a
# seed of its own, printed in the guest log. The igt run boots the sid
# userspace on the 2d profile for IGT's syncobj, sw_sync and PRIME
# suites, which need the debug kernel's CONFIG_SW_SYNC and vgem
# (tests/igt/igt-sync.txt; 14 minutes under TCG).
# TESTKERNEL_RUNS picks runs: "check" by default, "2d virgl igt" in make
# check-all; make fuzz runs virgl alone.
tests_check="module_load drm_version drm_bus debugfs_info load_unload only_one_driver kms uapi blob isolation mesa fakedev kunit fuzz failinject reset reload_busy unplug"
tests_2d="module_load drm_version drm_bus debugfs_info load_unload only_one_driver kms uapi blob isolation fakedev kunit fuzz failinject reset pm_devices reload_busy unplug"
tests_virgl="module_load drm_version kms uapi blob isolation mesa fuzz failinject reset pm_devices unplug"
tests_igt="igt"
rc=0
for run in ${TESTKERNEL_RUNS-check}; do
	eval "tests=\$tests_$run"
	prof=$run more= fuzz=30000 cycles=100
	case $run in
	check) prof=virgl fuzz=5000 cycles=10 ;;
	2d) fuzz=100000 ;;
	igt)
		prof=2d
		more="--userspace sid --igt-list igt-sync.txt --tag igt" ;;
	esac
	# shellcheck disable=SC2086
	python3 "$top/tests/vm/vm.py" --kernel-dir "$kdir" --profile "$prof" $more \
		--module "$build/drivers/gpu/drm/vgpu/vgpu.ko" \
		--extra "$build/tests/kunit/vgpu_test.ko" \
		--extra "$build/tests/kunit/vgpu_fakedev.ko" \
		--test-dir "$top/tests/kunit/guest" \
		--hostmem 16 \
		--env "FUZZ_IOCTLS=${FUZZ_IOCTLS:-$fuzz}" \
		--env TEST_TIMEOUT=900 --timeout 2400 --env "RELOAD_CYCLES=$cycles" \
		--tests "$tests" \
		"$@" || rc=1
done
exit $rc
