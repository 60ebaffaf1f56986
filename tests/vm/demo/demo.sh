# SPDX-License-Identifier: GPL-2.0
# The demo shown by "make demo": load the driver, put what it reports on
# the guest's screen, and ask the host for a screenshot.
. /run/payload/lib.sh
load_driver || fail "modprobe $MOD failed"
tty=/dev/tty1
{
	printf '\033[2J\033[H'
	echo "vgpu demo: $(uname -r), driver module $MOD"
	echo
	vgpu-drmcheck show /dev/dri/card0
	vgpu-drmcheck show /dev/dri/renderD128
	echo
	grep -v '^queue' /sys/kernel/debug/dri/0/vgpu_info
	echo
	echo "modules: $(lsmod | awk 'NR > 1 && ($1 ~ /vgpu|virtio_gpu|^drm/) { printf "%s ", $1 }')"
} >$tty 2>&1
sleep 1
echo "SCREENSHOT vgpu-demo" >/dev/ttyS1
sleep 4
exit 0
