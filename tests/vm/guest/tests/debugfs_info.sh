# SPDX-License-Identifier: GPL-2.0
# The driver's debugfs matches the QEMU device options of the profile.
. /run/payload/lib.sh

if [ "$DRIVER" = virtio_gpu ]; then
	f=/sys/kernel/debug/dri/0/virtio-gpu-features
	[ -r $f ] || fail "$f missing"
	cat $f
	[ "$(debugfs_value $f scanouts)" = "$EXPECT_SCANOUTS" ] || fail "scanouts != $EXPECT_SCANOUTS"
	[ "$(debugfs_value $f virgl)" = "$EXPECT_VIRGL" ] || fail "virgl != $EXPECT_VIRGL"
	[ "$(debugfs_value $f edid)" = "$EXPECT_EDID" ] || fail "edid != $EXPECT_EDID"
	exit 0
fi

f=/sys/kernel/debug/dri/0/vgpu_info
[ -r $f ] || fail "$f missing"
[ -r /sys/kernel/debug/dri/128/vgpu_info ] || fail "render node has no vgpu_info"
cat $f
v() { debugfs_value $f "$1"; }
[ "$(v version_1)" = yes ] || fail "VIRTIO_F_VERSION_1 not negotiated"
[ "$(v scanouts)" = "$EXPECT_SCANOUTS" ] || fail "scanouts '$(v scanouts)' != $EXPECT_SCANOUTS"
[ "$(v virgl)" = "$EXPECT_VIRGL" ] || fail "virgl '$(v virgl)' != $EXPECT_VIRGL"
[ "$(v edid)" = "$EXPECT_EDID" ] || fail "edid '$(v edid)' != $EXPECT_EDID"

# Every negotiated feature was offered.
off=$(v "features offered" | cut -d' ' -f1)
neg=$(v "features negotiated" | cut -d' ' -f1)
[ $((neg & ~off)) -eq 0 ] || fail "negotiated $neg not a subset of offered $off"

# Head 0 is enabled with a real size; an EDID exactly when EDID is on.
s0=$(v "scanout 0")
set -- $s0
[ "$2" = 1 ] || fail "scanout 0 not enabled: $s0"
w=${4%x*}
h=${4#*x}
[ "$w" -gt 0 ] && [ "$h" -gt 0 ] || fail "scanout 0 has no size: $s0"
edid_len=${10}
if [ "$EXPECT_EDID" = yes ]; then
	[ "$edid_len" -ge 128 ] || fail "scanout 0 has no EDID: $s0"
else
	[ "$edid_len" = 0 ] || fail "scanout 0 has an EDID without the feature: $s0"
fi

caps=$(v capsets)
if [ "$EXPECT_VIRGL" = yes ]; then
	[ "$caps" -ge 1 ] || fail "virgl without capsets"
	grep -q "^capset 0: id [12] virgl" $f || fail "first capset is not virgl"
else
	[ "$caps" = 0 ] || fail "capsets without virgl: $caps"
fi

# The console may have a transfer or flush on the way at any moment: an
# idle queue is one that empties within 2 s, not one empty at one read.
for q in control cursor; do
	n=20
	while :; do
		set -- $(v "queue $q")
		[ "$6" = 0 ] || [ $n = 0 ] && break
		n=$((n - 1))
		sleep 0.1
	done
	[ "$2" -gt 0 ] || fail "queue $q has no ring"
	[ "$6" = 0 ] || fail "queue $q has $6 buffers in flight 2 s after the tests"
	[ "$8" = 0 ] || fail "queue $q is dead"
	# the slowest answer so far, within the hang timeout
	l=$(v "queue $q" | sed -n 's/.* longest_wait_ms \([0-9]*\)$/\1/p')
	[ -n "$l" ] || fail "queue $q has no longest_wait_ms: $(v "queue $q")"
	t=$(cat /sys/module/vgpu/parameters/hang_timeout_ms)
	[ "$t" = 0 ] || [ "$l" -lt "$t" ] || fail "queue $q: an answer took $l ms"
done

# Idle queues: no command waits for an answer (within 2 s, as above).
p=/sys/kernel/debug/dri/0/vgpu_pending
[ -r $p ] || fail "$p missing"
n=20
while [ -n "$(cat $p)" ] && [ $n -gt 0 ]; do
	n=$((n - 1))
	sleep 0.1
done
[ -z "$(cat $p)" ] || fail "commands pending on idle queues: $(head -n 3 $p)"
exit 0
