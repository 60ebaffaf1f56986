# SPDX-License-Identifier: GPL-2.0
# Hot-unplug. One client page-flips, another creates and submits buffers;
# the GPU's PCI function is removed under them. Both clients must see
# ENODEV (no crash, no hang), their mappings must still read back, the
# nodes must go; once the clients exit the module is free to unload (every
# reference released), and a PCI rescan brings the GPU back, working.
#
# QEMU 7.2 refuses device_del for every virtio-gpu device ("does not
# support hotplugging"), so the function is removed from the guest's side
# (sysfs remove): the same path an ACPI eject takes, PCI removal calling
# the virtio driver's remove.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
pci=$(readlink -f /sys/class/drm/card0/device)
[ -e "$pci" ] || fail "no PCI device behind card0"
# the flipping client first: it becomes master
hold_start flip
flip=$hold_pid
hold_start render
render=$hold_pid
sleep 2
echo 1 >"$pci/remove"
wait_gone "$pci" 30 || fail "the GPU was not removed ($pci still present)"
echo "GPU removed"
n=100
while { ! grep -q STOPPED /tmp/flip.out || ! grep -q STOPPED /tmp/render.out; } && [ $n -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
kill -TERM $flip $render
wait $flip
rf=$?
wait $render
rr=$?
cat /tmp/flip.out /tmp/render.out
for c in flip render; do
	grep -q "^STOPPED .* ENODEV" /tmp/$c.out ||
		fail "$c client did not stop with ENODEV: $(grep -E 'STOPPED|AFTER' /tmp/$c.out | tr '\n' ' ')"
	grep -q "^MAPPING ok" /tmp/$c.out || fail "$c client's mapping: $(grep MAPPING /tmp/$c.out)"
	grep -q "^AFTER card ENODEV render ENODEV mmap ENODEV" /tmp/$c.out ||
		fail "$c client after unplug: $(grep AFTER /tmp/$c.out)"
done
[ $rf = 0 ] && [ $rr = 0 ] || fail "clients exited $rf $rr"
wait_gone /dev/dri/card0 10 || fail "card0 still present"
wait_gone /dev/dri/renderD128 10 || fail "renderD128 still present"
echo 1 >/sys/bus/pci/rescan
wait_for /dev/dri/card0 30 || fail "no card0 after a PCI rescan"
vgpu_kms modeset >/tmp/after 2>&1 || fail "display after the rescan: $(grep -m1 fail /tmp/after)"
unload_driver 10 || fail "module still in use after the clients exited"
echo "unplugged under two clients: both stopped with ENODEV; back after a rescan; module unloaded"
