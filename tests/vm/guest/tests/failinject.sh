# SPDX-License-Identifier: GPL-2.0
# Fault injection (tests/fuzz/vgpu_failnth.c): every allocation of each
# ioctl step and of closing files fails in turn (failslab and
# fail_page_alloc through fail-nth, GFP_KERNEL included); each step must
# work again once injection stops. Splats and leaks fail the run through
# kernel_log_clean and kmemleak. Needs a kernel with fault injection (the
# test kernel). FAILNTH_STRIDE > 1 tries every Nth allocation past the
# 32nd. Each step is reported as failinject/failnth_<step>.
#
# The probe is not swept here: on Linux 6.1 a failed allocation in
# drm_sysfs_minor_alloc() makes drm_dev_alloc()'s cleanup put an ERR_PTR
# device (drm_minor_alloc_release(): a general protection fault in
# kobject_put), a DRM core bug below any driver. vgpu_failnth -b VIRTIO_DEV
# runs that sweep by hand.
. /run/payload/lib.sh
[ "$DRIVER" = vgpu ] || skip "vgpu only"
[ -e /proc/self/fail-nth ] || skip "kernel without fault injection"
load_driver || fail "driver did not load"
D=/sys/kernel/debug
for f in failslab fail_page_alloc; do
	[ -d $D/$f ] || skip "no $D/$f"
	echo N >$D/$f/ignore-gfp-wait
	echo 0 >$D/$f/verbose
done
trap 'for f in failslab fail_page_alloc; do echo Y >$D/$f/ignore-gfp-wait; done' EXIT
echo N >$D/fail_page_alloc/ignore-gfp-highmem
echo 0 >$D/fail_page_alloc/min-order
run_subtests failinject vgpu_failnth -s "${FAILNTH_STRIDE:-1}"
rc=$?
# The device works again: a fresh client sets a mode and flips.
vgpu_kms modeset flip_events >/tmp/after 2>&1 ||
	fail "display broken after injection: $(grep -m1 fail /tmp/after)"
exit $rc
