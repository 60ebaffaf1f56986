# SPDX-License-Identifier: GPL-2.0
# Blobs, the host-visible region and Venus's sequence from userspace,
# against the fake device of vgpu_fakedev.ko (tests/igt/vgpu_blob.c, the
# venus_* subtests), once as is and once with a 16 KiB blob alignment.
# Each subtest is reported as fakedev/<name> and fakedev-align16k/<name>.
. /run/payload/lib.sh
[ -f $P/extra/vgpu_fakedev.ko ] || skip "no vgpu_fakedev.ko on the payload"
[ "$DRIVER" = vgpu ] || skip "the fake device is driven by vgpu"
[ -d /sys/module/vgpu ] || load_driver || fail "cannot load vgpu"
modprobe vgem 2>/dev/null || echo "vgem not available"

# The render node whose device is the fake one.
fake_node() {
	for r in /sys/class/drm/renderD*; do
		case "$(readlink -f "$r/device")" in
		*/vgpu_fake*) echo "/dev/dri/$(basename "$r")"; return 0 ;;
		esac
	done
	return 1
}

# run_fake PREFIX MODULE-PARAMS...: load the fake device, run the venus_*
# subtests on its render node, unload it (also when a subtest failed).
run_fake() {
	prefix=$1
	shift
	insmod $P/extra/vgpu_fakedev.ko "$@" || fail "insmod vgpu_fakedev.ko $*"
	trap 'rmmod vgpu_fakedev 2>/dev/null' EXIT
	n=50
	while ! node=$(fake_node) && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ -n "$node" ] || fail "no render node for the fake device"
	wait_for "$node" 5 || fail "$node did not appear"
	run_subtests "$prefix" vgpu_blob -d "$node" venus_params venus_blob_map \
		venus_mmap_bad venus_execbuf_rings venus_blob_cmd venus_guest_blob \
		venus_region_full venus_host_poll $ALIGN_TEST prime_vgem_import
	trap - EXIT
	rmmod vgpu_fakedev || fail "rmmod vgpu_fakedev"
}

export BLOB_ALIGN=0
ALIGN_TEST=
run_fake fakedev hostmem_mib=4
export BLOB_ALIGN=16384
ALIGN_TEST=venus_alignment
run_fake fakedev-align16k hostmem_mib=4 blob_align=16384
