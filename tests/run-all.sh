#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test of the project, ending with "N passed, N failed".
#
# 1. install what is missing (apt), build the guest image (cached);
# 2. host tests (tests/host/*.sh): W=1, sparse, checkpatch, kernel-doc,
#    uapi ABI, make install, DKMS;
# 3. vgpu.ko built against every other supported Debian kernel (6.12,
#    7.3, sid) in a chroot of its suite, with W=1 and sparse (make kernels);
# 4. guest runs on vgpu in every profile (these count), on Debian's 6.1
#    and on each other kernel, then the same runs on each kernel's
#    in-tree virtio_gpu for comparison (printed side by side, not counted:
#    they describe the in-tree driver, not vgpu).
#
# 5. the debug-kernel run (tests/kunit/run.sh): the debug kernel built from
#    linux-source-7.3 in the trixie-backports chroot, the guest suite on
#    it, and every KUnit case.
#
# Environment: VGPU_PROFILES / VGPU_REF_PROFILES override the guest runs:
# "profile" boots Debian's 6.1 with every guest test, "profile:edid=off"
# without EDID with VGPU_NOEDID_TESTS;
# "KERNEL/profile" boots another kernel (6.12, 7.3, sid) with
# VGPU_KERNEL_TESTS (venus: VGPU_VENUS_TESTS); "[KERNEL/]profile:panic" runs the drm_panic test alone,
# "[KERNEL/]profile:suspend" the suspend test (a boot of its own on
# single-threaded TCG, tests/vm/vm.py; named PROFILE-s3);
# "[KERNEL/]profile:igt" IGT (tests/igt/igt.sh) in the sid userspace, a boot
# of its own (named PROFILE-sid-igt).
# VGPU_REF_PROFILES="" skips the in-tree comparison; VGPU_TESTKERNEL=0
# skips the debug-kernel run; VGPU_FULL=1 (make check-all) runs every
# guest test in the 2d and virgl profiles of every kernel, on both
# drivers.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/vm/lib.sh

# What every other kernel runs in make check: the display, uapi, blob,
# isolation and Mesa suites, the short fuzz and a device reset; suspend to RAM (which the
# in-tree driver also runs where it has freeze/restore) boots on its own
# (KERNEL/profile:suspend); make check-all runs all. Venus runs before
# Mesa's GL programs: on trixie's QEMU 10.0 under TCG, the first Venus
# client after glmark2 stalled the host in 6 of 7 boots of the 7.3 guest,
# with this tree and with b210e81 alike (a vCPU's timers stop: RCU stall;
# or UNMAP_BLOB unanswered; or QEMU aborting in MAP_BLOB on a duplicate
# "blob[N]" property). Venus first, then GL, stalled too, once in the GL
# programs (a vCPU's timers stopped; both CPUs idle in halt). So make
# check's Venus boots (QEMU 10) leave Mesa's GL programs to the virgl
# boots of every kernel (QEMU 7.2), VGPU_VENUS_TESTS; make check-all runs
# them in the Venus boots too.
VGPU_KERNEL_TESTS=${VGPU_KERNEL_TESTS:-module_load drm_version drm_bus debugfs_info only_one_driver kms uapi blob isolation venus mesa igt fuzz reset pm_devices load_unload}
VGPU_VENUS_TESTS=${VGPU_VENUS_TESTS-module_load drm_version drm_bus debugfs_info only_one_driver kms uapi blob isolation venus igt fuzz reset pm_devices load_unload}
# IGT runs where the guest has the sid userspace: in make check on 7.3's
# venus boot (vgpu and the in-tree driver side by side; the other kernels'
# lists skip it in the bookworm userspace) with the binaries of
# igt-quick.txt, and in make check-all in a boot of its own per profile
# (PROFILE:igt) with all of igt-tests.txt, where the debug kernel also runs
# the sync suites (tests/kunit/run.sh, TESTKERNEL_RUNS=igt).
IGT_LIST=${IGT_LIST:-igt-quick.txt}
# The vga and multihead profiles differ from 2d in their display: on 6.1
# they run the display and uapi suites and Mesa (make check-all: every test).
VGPU_DISPLAY_TESTS=${VGPU_DISPLAY_TESTS-module_load drm_version drm_bus debugfs_info only_one_driver kms uapi mesa reset}
# A boot without EDID changes the modes and what debugfs reports: those
# tests (make check-all runs every test without EDID).
VGPU_NOEDID_TESTS=${VGPU_NOEDID_TESTS-module_load debugfs_info kms mesa}
if [ "${VGPU_FULL:-0}" = 1 ]; then
	VGPU_KERNEL_TESTS=
	VGPU_VENUS_TESTS=
	VGPU_NOEDID_TESTS=
	VGPU_DISPLAY_TESTS=
	IGT_LIST=igt-tests.txt
	export TESTKERNEL_RUNS=${TESTKERNEL_RUNS-2d virgl igt}
	more="virgl:edid=off 6.12/2d 6.12/virgl 7.3/2d 7.3/virgl sid/2d sid/virgl 7.3/2d:panic sid/2d:panic"
	more="$more venus virgl-blob 2d-blob 7.3/venus 7.3/virgl-blob sid/venus"
	s3="2d:suspend vga:suspend virgl:suspend 6.12/2d:suspend 6.12/virgl:suspend 7.3/2d:suspend 7.3/virgl:suspend sid/2d:suspend sid/virgl:suspend"
	# IGT in every profile with KMS, on every kernel, both drivers
	more="$more 2d:igt multihead:igt virgl:igt 6.12/2d:igt 7.3/2d:igt 7.3/multihead:igt"
	more="$more 7.3/virgl:igt sid/2d:igt venus:igt 7.3/venus:igt"
	VGPU_PROFILES=${VGPU_PROFILES-2d vga multihead virgl 2d:edid=off $more $s3}
	VGPU_REF_PROFILES=${VGPU_REF_PROFILES-2d vga multihead virgl $more 7.3/2d:suspend 7.3/virgl:suspend}
fi
# venus, virgl-blob, 2d-blob: QEMU 10 of the trixie host (tests/vm/host.sh)
# with the sid userspace; 2d-blob needs /dev/udmabuf on the machine.
# make check's budget (80 minutes on a fresh machine, where the debug
# kernel's build takes about 20) is spent so: every profile but venus on
# 6.1, the virgl profile on each other kernel, venus on 7.3 (with IGT),
# drm_panic on 7.3, suspend on 7.3 (virgl). The in-tree driver is compared
# on 6.1 (2d) and on its newest kernel, 7.3 (virgl, venus with IGT,
# drm_panic). make check-all runs the rest: venus on every kernel, virgl
# without EDID, every profile on every kernel, suspend everywhere, and the
# in-tree driver in all of them.
VGPU_PROFILES=${VGPU_PROFILES-2d vga multihead virgl 2d:edid=off 2d-blob 6.12/virgl 7.3/virgl 7.3/venus sid/virgl 7.3/2d:panic 7.3/virgl:suspend}
VGPU_REF_PROFILES=${VGPU_REF_PROFILES-2d 7.3/virgl 7.3/venus 7.3/2d:panic}
# The other kernels the runs need, from their profile names.
other_kernels=$(for p in $VGPU_PROFILES $VGPU_REF_PROFILES; do
	case $p in */*) echo "${p%%/*}" ;; esac; done | sort -u | tr '\n' ' ')
pass=0 failn=0 skipn=0
results=$(mktemp)
trap 'rm -f "$results" "$results".suite-*' EXIT
t0=$(date +%s)

record() { # status name [reason]
	printf '%-4s %s%s\n' "$1" "$2" "${3:+  ($3)}"
	case $1 in
	PASS) pass=$((pass + 1)) ;;
	FAIL) failn=$((failn + 1)) ;;
	SKIP) skipn=$((skipn + 1)) ;;
	esac
}

# record_line PREFIX LINE: a "STATUS name  (reason)" line as printed by the
# rigs, recorded with PREFIX before its name and its reason kept
record_line() {
	local prefix=$1 ln=$2
	set -- $ln
	record "$1" "$prefix$2" "$(echo "$ln" | sed -n 's/^[A-Z]* *[^ ]*  (\(.*\))$/\1/p')"
}

phase() { vgpu_log "$* ($(($(date +%s) - t0))s)"; }

phase "dependencies"
if ! tests/deps.sh; then
	record FAIL setup/dependencies "apt could not install the packages"
	echo "$pass passed, $failn failed, $skipn skipped"
	exit 1
fi
KVER=$(vgpu_debian_kver)
export KVER

phase "guest image"
if image=$(tests/vm/mkimage.sh | tail -n1) && [ -f "$image/root.img" ]; then
	record PASS setup/guest_image
else
	record FAIL setup/guest_image
	image=
fi

run_script() { # name script: exit 0 pass, 77 skip, else fail
	local out rc why
	out=$(bash "$2" 2>&1)
	rc=$?
	why=$(echo "$out" | grep -E '^(FAIL|SKIP):' | head -n1 | cut -d: -f2- | sed 's/^ //')
	case $rc in
	0) record PASS "$1" "$(echo "$out" | tail -n1)" ;;
	77) record SKIP "$1" "$why" ;;
	*) record FAIL "$1" "$why"; echo "$out" | tail -n 20 | sed 's/^/     | /' ;;
	esac
}

# The other kernels' chroots download while the host tests run, and so do
# the trixie host stack and the sid userspace of the profiles that need them.
suite_pids=
for k in $other_kernels; do
	tests/vm/suite.sh "$k" >"$results.suite-$k" 2>&1 &
	suite_pids="$suite_pids $!"
done
case " $VGPU_PROFILES $VGPU_REF_PROFILES " in
*venus*|*-blob*|*:igt*)
	tests/vm/host.sh trixie >"$results.suite-host" 2>&1 &
	suite_pids="$suite_pids $!"
	tests/vm/mkimage.sh sid >"$results.suite-sid-image" 2>&1 &
	suite_pids="$suite_pids $!" ;;
esac

phase "host tests"
for t in tests/host/*.sh; do
	[ "$(basename "$t")" = lib.sh ] && continue
	run_script "host/$(basename "$t" .sh)" "$t"
done

if make -s KVER="$KVER" >/dev/null 2>&1 && [ -f drivers/gpu/drm/vgpu/vgpu.ko ]; then
	record PASS build/vgpu.ko
else
	record FAIL build/vgpu.ko
fi

if [ -n "$other_kernels" ]; then
	phase "other kernels: chroots and builds ($other_kernels)"
	for pid in $suite_pids; do
		wait "$pid" || true
	done
	for k in $other_kernels; do
		tail -n 3 "$results.suite-$k" | grep -v '^/' | sed 's/^/     | /'
	done
	while IFS= read -r ln; do
		case $ln in
		PASS*|FAIL*)
			record_line "" "$ln" ;;
		"     "*) echo "$ln" ;;
		esac
	done < <(scripts/kernels.sh $other_kernels 2>&1)
fi

# host_failed OUTPUT: why a guest run failed for the host's sake, if it did:
# QEMU died of a signal (its own assertion, a crash), which no guest
# driver excuses: trixie's QEMU 10.0 with Venus now and then stops its
# control queue, on either driver, and dies at the reset that follows
# (Documentation/rig.rst). Such a profile boots once more and the second
# boot counts.
host_failed() {
	local sig
	sig=$(grep -m1 -oE 'guest stopped before DONE \(QEMU exit status -[0-9]+' "$1") || return 0
	echo "QEMU died of signal ${sig##*-}$(grep -m1 -oE 'qemu: .*Assertion .* failed' "$1" |
		cut -c1-100 | sed 's/^/: /')"
}

guest_run() { # driver spec: [KERNEL/]profile[:edid=off|:panic|:suspend|:igt]
	local spec=$2 kernel=6.1 edid=on tests= tag= more=
	case $spec in */*) kernel=${spec%%/*}; spec=${spec#*/} ;; esac
	case $spec in
	*:edid=off) edid=off tests=$VGPU_NOEDID_TESTS ;;
	*:panic) tests=panic ;;
	*:suspend) tests=suspend tag=s3 ;;
	*:igt)
		tests=igt tag=igt
		more="--userspace sid" ;;
	esac
	[ "$kernel" != 6.1 ] && [ -z "$tests" ] && tests=$VGPU_KERNEL_TESTS
	case $kernel/$spec in
	6.1/vga|6.1/multihead) tests=$VGPU_DISPLAY_TESTS ;;
	*/venus) tests=$VGPU_VENUS_TESTS ;;
	esac
	# shellcheck disable=SC2086
	python3 tests/vm/vm.py --driver "$1" --kernel "$kernel" --profile "${spec%%:*}" \
		--edid "$edid" ${tests:+--tests "$tests"} ${tag:+--tag "$tag"} \
		--igt-list "$IGT_LIST" $more \
		${image:+--image "$image"} 2>&1 |
		grep -E '^(PASS|FAIL|SKIP|     )'
}

# whatever is still downloading (the host stack and sid image without
# other kernels)
for pid in $suite_pids; do
	wait "$pid" 2>/dev/null
done

if [ -n "$image" ] && [ -f drivers/gpu/drm/vgpu/vgpu.ko ]; then
	phase "rig self-test"
	IMAGE=$image run_script rig/selftest tests/vm/selftest/run.sh
	for p in $VGPU_PROFILES; do
		phase "guest: vgpu $p"
		guest_run vgpu "$p" >"$results.guest"
		why=$(host_failed "$results.guest")
		if [ -n "$why" ]; then
			# The first boot's lines are shown, not counted.
			sed 's/^/     first boot | /' "$results.guest"
			record SKIP "guest/vgpu/$p/first_boot" "$why; booted again"
			guest_run vgpu "$p" >"$results.guest"
		fi
		n=0
		while IFS= read -r ln; do
			case $ln in
			PASS*|FAIL*|SKIP*)
				echo "$ln" >>"$results"
				record_line guest/ "$ln"
				n=$((n + 1)) ;;
			*) echo "$ln" ;;
			esac
		done <"$results.guest"
		# A run that reported nothing is a broken rig, not a pass.
		[ $n -gt 0 ] || record FAIL "guest/vgpu/$p/harness" "no results"
	done
	if [ "${VGPU_TESTKERNEL:-1}" = 1 ]; then
		phase "test kernel: guest suite and KUnit (debug kernel)"
		n=0
		while IFS= read -r ln; do
			case $ln in
			PASS*|FAIL*|SKIP*)
				record_line guest/ "$ln"
				n=$((n + 1)) ;;
			*) echo "$ln" ;;
			esac
		done < <(tests/kunit/run.sh ${image:+--image "$image"} 2>&1 |
			grep -E '^(PASS|FAIL|SKIP|     )')
		[ $n -gt 0 ] || record FAIL "guest/vgpu/2d-testkernel/harness" "no results"
	fi
	for p in $VGPU_REF_PROFILES; do
		phase "guest: in-tree virtio_gpu $p (reference)"
		# Not counted; a guest that did not finish is shown with its
		# console, since it says something about the rig.
		show=
		while IFS= read -r ln; do
			case $ln in
			PASS*|FAIL*|SKIP*)
				echo "$ln" >>"$results"
				case $ln in
				FAIL*/guest_completed*|FAIL*/qemu_exit*)
					show=1
					echo "     in-tree: $ln" ;;
				*) show= ;;
				esac ;;
			*) [ -z "$show" ] || echo "$ln" ;;
			esac
		done < <(guest_run virtio_gpu "$p")
	done
fi

if [ -n "$VGPU_REF_PROFILES" ]; then
	echo
	echo "Side by side (same guest, same tests):"
	printf '  %-36s %-6s %s\n' test vgpu virtio_gpu
	# Key: the name without its driver, e.g. 2d/kms/flip_events.
	awk '$1 ~ /^(PASS|FAIL|SKIP)$/ { d = $2; sub(/\/.*/, "", d);
		key = substr($2, length(d) + 2); drv[d, key] = $1;
		if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
		END { for (i = 0; i < n; i++) { k = order[i];
			printf "  %-36s %-6s %s\n", k, (("vgpu", k) in drv) ? drv["vgpu", k] : "-",
			(("virtio_gpu", k) in drv) ? drv["virtio_gpu", k] : "-" } }' "$results"
	# Whatever the in-tree driver passes, vgpu passes too.
	behind=$(awk '$1 ~ /^(PASS|FAIL|SKIP)$/ { d = $2; sub(/\/.*/, "", d);
		key = substr($2, length(d) + 2); drv[d, key] = $1; keys[key] = 1 }
		END { for (k in keys) if ((("vgpu", k) in drv) &&
			(("virtio_gpu", k) in drv) && drv["virtio_gpu", k] == "PASS" &&
			drv["vgpu", k] != "PASS") print k }' "$results")
	if [ -n "$behind" ]; then
		record FAIL compare/vgpu_passes_what_in-tree_passes "$(echo $behind)"
	else
		record PASS compare/vgpu_passes_what_in-tree_passes
	fi
	v=$(grep -c '^PASS vgpu/' "$results")
	r=$(grep -c '^PASS virtio_gpu/' "$results")
	echo "  passing: vgpu $v, in-tree virtio_gpu $r"
fi

phase "done"
echo "$pass passed, $failn failed, $skipn skipped"
[ "$failn" = 0 ]
