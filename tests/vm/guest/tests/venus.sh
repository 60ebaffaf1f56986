# SPDX-License-Identifier: GPL-2.0
# Unmodified Mesa Venus (Vulkan over virtio-gpu) on a host that offers it
# (the venus profile: QEMU 10, virglrenderer with Venus, lavapipe):
#   venus/vulkaninfo   the loader finds the Venus device on this driver
#   venus/render       tests/venus/vgpu_venus: a pipeline renders into an
#                      optimal image, every pixel is checked in
#                      host-visible memory; fences, timeline semaphores,
#                      vkQueueWaitIdle, a sync_fd where offered; mapped
#                      allocations; submissions
#   venus/two_clients  two processes render at once, each with its own
#                      context
#   venus/no_leak      once they have exited, the driver's resources (vgpu:
#                      resources_live, mem_held) and the host-visible region
#                      (the in-tree driver's virtio-gpu-host-visible-mm) are
#                      back to where they started
# The render figures go to the host as BENCH lines.
. /run/payload/lib.sh
[ "$EXPECT_VENUS" = yes ] || skip "no Venus in this profile"
load_driver || fail "driver did not load"
ICD=$(ls /usr/share/vulkan/icd.d/virtio_icd*.json 2>/dev/null | head -n1)
[ -n "$ICD" ] || fail "no Venus ICD in the guest image (mesa-vulkan-drivers)"
export VK_ICD_FILENAMES=$ICD
FRAMES=${VENUS_FRAMES:-60}
bad=

dri=$(ls -d /sys/kernel/debug/dri/[0-9]* | head -n1)
# what must come back to its start once every client has gone
snapshot() {
	if [ "$DRIVER" = vgpu ]; then
		grep -E '^(resources_live|mem_held):' "$dri/vgpu_info"
	else
		cat "$dri/virtio-gpu-host-visible-mm" 2>/dev/null
	fi
}
start=$(snapshot)
[ -n "$start" ] || fail "no counts in $dri to compare after the clients"
echo "before:"
echo "$start"

# case NAME COMMAND...: pass when COMMAND exits 0
vcase() {
	name=$1
	shift
	out=$(timeout 600 "$@" 2>&1)
	rc=$?
	echo "--- $name: $* (rc $rc)"
	echo "$out" | tail -n 20 | cut -c1-200
	if [ $rc = 0 ]; then
		report_case "venus/$name" pass
	else
		report_case "venus/$name" fail \
			"exit $rc: $(echo "$out" | grep -m1 -E '^(FAIL|SKIP):' | cut -c1-160)"
		bad="$bad $name"
	fi
	echo "$out" | grep '^BENCH ' >/dev/ttyS1
	return $rc
}

out=$(vulkaninfo --summary 2>&1)
echo "$out" | grep -E 'deviceName|driverID|driverInfo|apiVersion'
if echo "$out" | grep -q 'DRIVER_ID_MESA_VENUS'; then
	report_case venus/vulkaninfo pass
else
	report_case venus/vulkaninfo fail "no Venus device: $(echo "$out" | grep -m1 -iE 'error|deviceName')"
	bad="$bad vulkaninfo"
fi

vcase render vgpu_venus -f "$FRAMES" -n render

# Two at once: each process is its own Venus context on the device.
vgpu_venus -f $((FRAMES / 2)) -m 20 -l 50 -n a >/tmp/venus-a 2>&1 &
a=$!
vgpu_venus -f $((FRAMES / 2)) -m 20 -l 50 -n b >/tmp/venus-b 2>&1 &
b=$!
ra=0 rb=0
wait $a || ra=$?
wait $b || rb=$?
cat /tmp/venus-a /tmp/venus-b
if [ $ra = 0 ] && [ $rb = 0 ]; then
	report_case venus/two_clients pass
else
	report_case venus/two_clients fail "exit $ra and $rb: $(cat /tmp/venus-a /tmp/venus-b |
		grep -m1 '^FAIL:' | cut -c1-160)"
	bad="$bad two_clients"
fi

# Releases reach the host asynchronously: give the answers time.
n=100
while [ "$(snapshot)" != "$start" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
end=$(snapshot)
echo "after:"
echo "$end"
if [ "$end" = "$start" ]; then
	report_case venus/no_leak pass
else
	report_case venus/no_leak fail "before '$(echo $start)', after '$(echo $end)'"
	bad="$bad no_leak"
fi
[ -z "$bad" ] || fail "failed:$bad"
exit 0
