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
#   venus/host_blob    vgpu_venus -x: Venus's host-visible memory is a
#                      host3d blob on its render node, mapped through the
#                      driver whole, in part and at offsets, writes seen
#                      both ways, a mapping past its end refused
#   venus/region_full  vgpu_venus -r: mapped allocations until the
#                      host-visible region (the device's BAR 4) is full end
#                      in a Vulkan error, and the region takes one again
#   venus/venus_host_poll  tests/igt/vgpu_blob.c: a context of 64 rings with
#                      ring 0 polled; each empty submission signals its
#                      sync_file and raises one FENCE_SIGNALED event
#   venus/no_leak      once they have exited, the driver's resources (vgpu:
#                      resources_live, mem_held) and the host-visible region
#                      (the in-tree driver's virtio-gpu-host-visible-mm) are
#                      back to where they started
#   venus/reset        (vgpu) a device reset while Venus renders: the client
#                      ends with an error within 60 s instead of hanging,
#                      the device comes back, a new client renders
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

# What the host left unanswered for more than 5 s (vgpu only): a failure
# the device's, not the client's; the in-tree driver has no such list.
# The watchdog's reset (after hang_timeout_ms) empties the list; its log
# line says the same.
host_stall() {
	{
	dmesg | grep -o 'command 0x[0-9a-f]* (context [0-9]*, ring [0-9]*) unanswered for [0-9]* ms' |
		tail -n +$((stalls + 1)) | sed -n '1s/^/; the host left /p'
	[ ! -r "$dri/vgpu_pending" ] ||
		awk '$7 > 5000 { printf "; the host left command %s (context %s) unanswered for %s ms\n",
			$2, $3, $7; exit }' "$dri/vgpu_pending"
	} | head -n 1
}

# case NAME COMMAND...: pass when COMMAND exits 0
vcase() {
	name=$1
	shift
	stalls=$(dmesg | grep -c 'unanswered for')
	out=$(timeout 600 "$@" 2>&1)
	rc=$?
	echo "--- $name: $* (rc $rc)"
	echo "$out" | tail -n 20 | cut -c1-200
	if [ $rc = 0 ]; then
		report_case "venus/$name" pass
	else
		report_case "venus/$name" fail \
			"exit $rc: $(echo "$out" | grep -m1 -E '^(FAIL|SKIP):' | cut -c1-160)$(host_stall)"
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
timeout 300 vgpu_venus -f $((FRAMES / 2)) -m 20 -l 50 -n a >/tmp/venus-a 2>&1 &
a=$!
timeout 300 vgpu_venus -f $((FRAMES / 2)) -m 20 -l 50 -n b >/tmp/venus-b 2>&1 &
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

vcase host_blob vgpu_venus -f 2 -m 0 -l 0 -x -n host_blob

# The host-visible region is the GPU's BAR 4 (virtio shared memory).
region_mb=0
for d in /sys/bus/pci/devices/*; do
	[ "$(cat $d/vendor)" = 0x1af4 ] && [ "$(cat $d/device)" = 0x1050 ] || continue
	set -- $(sed -n 5p $d/resource)
	[ $(($2)) -gt 0 ] && region_mb=$(( ($2 - $1 + 1) >> 20 ))
done
if [ "$region_mb" -gt 0 ]; then
	vcase region_full vgpu_venus -f 1 -m 0 -l 0 -r "$region_mb" -n region
else
	report_case venus/region_full fail "no host-visible BAR on the GPU"
	bad="$bad region_full"
fi

out=$(vgpu_blob venus_host_poll 2>&1)
echo "$out"
echo "$out" | while read -r tag sub res why; do
	[ "$tag" = SUBTEST ] && report_case "venus/$sub" "$res" "$why"
done
echo "$out" | grep -q '^SUBTEST venus_host_poll pass' || bad="$bad venus_host_poll"

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
# A reset while Venus renders: the host forgets the context, its ring and
# its blobs; the client must end rather than hang, and the device must work.
if [ "$DRIVER" = vgpu ]; then
	vgpu_venus -f 100000 -m 0 -l 0 -n reset >/tmp/venus-reset 2>&1 &
	r=$!
	sleep 8
	if ! kill -0 $r 2>/dev/null; then
		report_case venus/reset fail "the client ended before the reset: $(tail -n1 /tmp/venus-reset)"
		bad="$bad reset"
	else
		echo 1 >"$dri/vgpu_reset"
		n=600
		while kill -0 $r 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
		if kill -0 $r 2>/dev/null; then
			kill -KILL $r
			wait $r
			report_case venus/reset fail "the client still ran 60 s after the reset"
			bad="$bad reset"
		else
			rc=0
			wait $r || rc=$?
			echo "client after the reset: exit $rc: $(grep -m1 -E '^FAIL' /tmp/venus-reset)"
			tail -n 3 /tmp/venus-reset
			v() { grep "^$1:" "$dri/vgpu_info" | awk '{print $2}'; }
			if [ $rc = 0 ]; then
				report_case venus/reset fail "the client went on as if nothing happened"
				bad="$bad reset"
			elif [ "$(v reset_failed)" != 0 ] || [ "$(v restore_errors)" != 0 ]; then
				report_case venus/reset fail "device: reset_failed $(v reset_failed), restore_errors $(v restore_errors)"
				bad="$bad reset"
			elif ! vcase after_reset vgpu_venus -f 10 -m 5 -l 20 -n after_reset; then
				report_case venus/reset fail "no client renders after the reset"
				bad="$bad reset"
			else
				report_case venus/reset pass
			fi
		fi
	fi
fi
[ -z "$bad" ] || fail "failed:$bad"
exit 0
