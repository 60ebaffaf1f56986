#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test of the project, ending with "N passed, N failed".
#
# 1. install what is missing (apt), build the guest image (cached);
# 2. host tests (tests/host/*.sh): W=1, sparse, checkpatch, kernel-doc,
#    uapi ABI, make install, DKMS;
# 3. guest runs on vgpu in every profile (these count), then the same
#    runs on the in-tree virtio_gpu for comparison (printed side by side,
#    not counted: they describe the in-tree driver, not vgpu).
#
# 4. the debug-kernel run (tests/kunit/run.sh): the test kernel built from
#    linux-source-6.1, the guest suite on it, and every KUnit case.
#
# Environment: VGPU_PROFILES / VGPU_REF_PROFILES override the guest runs
# ("profile" or "profile:edid=off"); VGPU_REF_PROFILES="" skips the
# in-tree comparison; VGPU_TESTKERNEL=0 skips the debug-kernel run.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
. tests/vm/lib.sh

VGPU_PROFILES=${VGPU_PROFILES-2d vga multihead virgl 2d:edid=off virgl:edid=off}
VGPU_REF_PROFILES=${VGPU_REF_PROFILES-2d vga multihead virgl}
pass=0 failn=0 skipn=0
results=$(mktemp)
trap 'rm -f "$results"' EXIT
t0=$(date +%s)

record() { # status name [reason]
	printf '%-4s %s%s\n' "$1" "$2" "${3:+  ($3)}"
	case $1 in
	PASS) pass=$((pass + 1)) ;;
	FAIL) failn=$((failn + 1)) ;;
	SKIP) skipn=$((skipn + 1)) ;;
	esac
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

guest_run() { # driver profile-spec
	local prof=${2%%:*} edid=on
	[ "$2" != "$prof" ] && edid=${2#*:edid=}
	python3 tests/vm/vm.py --driver "$1" --profile "$prof" --edid "$edid" \
		${image:+--image "$image"} 2>&1 | grep -E '^(PASS|FAIL|SKIP|     )'
}

if [ -n "$image" ] && [ -f drivers/gpu/drm/vgpu/vgpu.ko ]; then
	phase "rig self-test"
	IMAGE=$image run_script rig/selftest tests/vm/selftest/run.sh
	for p in $VGPU_PROFILES; do
		phase "guest: vgpu $p"
		n=0
		while IFS= read -r ln; do
			case $ln in
			PASS*|FAIL*|SKIP*)
				echo "$ln" >>"$results"
				set -- $ln
				record "$1" "guest/$2"
				n=$((n + 1)) ;;
			*) echo "$ln" ;;
			esac
		done < <(guest_run vgpu "$p")
		# A run that reported nothing is a broken rig, not a pass.
		[ $n -gt 0 ] || record FAIL "guest/vgpu/$p/harness" "no results"
	done
	if [ "${VGPU_TESTKERNEL:-1}" = 1 ]; then
		phase "test kernel: guest suite and KUnit (debug kernel)"
		n=0
		while IFS= read -r ln; do
			case $ln in
			PASS*|FAIL*|SKIP*)
				set -- $ln
				record "$1" "guest/$2"
				n=$((n + 1)) ;;
			*) echo "$ln" ;;
			esac
		done < <(tests/kunit/run.sh ${image:+--image "$image"} 2>&1 |
			grep -E '^(PASS|FAIL|SKIP|     )')
		[ $n -gt 0 ] || record FAIL "guest/vgpu/2d-testkernel/harness" "no results"
	fi
	for p in $VGPU_REF_PROFILES; do
		phase "guest: in-tree virtio_gpu $p (reference)"
		guest_run virtio_gpu "$p" | grep -E '^(PASS|FAIL|SKIP) ' >>"$results"
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
