# SPDX-License-Identifier: GPL-2.0
# The Venus half of "make demo": unmodified Mesa Venus (Vulkan) renders
# through vgpu on the host's lavapipe, every pixel checked, and the last
# frame is put on the scanout for a host screenshot.
. /run/payload/lib.sh
load_driver || fail "modprobe $MOD failed"
ICD=$(ls /usr/share/vulkan/icd.d/virtio_icd*.json 2>/dev/null | head -n1)
[ -n "$ICD" ] || fail "no Venus ICD in the guest image"
export VK_ICD_FILENAMES=$ICD
vgpu_venus -f 30 -s 256 -m 0 -l 0 -S 12 -n demo >/tmp/venus.log 2>&1 &
pid=$!
n=300
while ! grep -q '^ok shown' /tmp/venus.log && kill -0 $pid 2>/dev/null && [ $n -gt 0 ]; do
	sleep 0.2
	n=$((n - 1))
done
grep -q '^ok shown' /tmp/venus.log || fail "nothing shown: $(grep -m1 FAIL /tmp/venus.log)"
sleep 2
echo "SCREENSHOT vgpu-demo-venus" >/dev/ttyS1
wait $pid || fail "vgpu_venus: $(grep -m1 FAIL /tmp/venus.log)"
grep -E '^(ok|BENCH)' /tmp/venus.log
exit 0
