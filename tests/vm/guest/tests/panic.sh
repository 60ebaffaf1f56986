# SPDX-License-Identifier: GPL-2.0
# drm_panic: a kernel panic shows the panic screen through the driver.
# The console's framebuffer is filled with blue, the host checks one of
# its pixels, then the guest panics (sysrq c) and the host checks its
# screendump: the panic screen (white on black) and no blue left. This
# ends the guest: run it alone, last (vm.py --tests panic). A kernel
# without drm_panic, or whose drm_panic cannot reach the driver, skips.
. /run/payload/lib.sh

load_driver || fail "cannot load $MOD"
# drm_panic lives in drm.ko, loaded with the driver
grep -qs ' drm_panic_register' /proc/kallsyms || skip "kernel without drm_panic"
wait_for /dev/fb0 20 || fail "no fbdev console"
# nothing but this test draws on the console
echo 0 >/sys/class/graphics/fbcon/cursor_blink 2>/dev/null
size=$(cat /sys/class/graphics/fb0/virtual_size)
stride=$(cat /sys/class/graphics/fb0/stride)
bpp=$(cat /sys/class/graphics/fb0/bits_per_pixel)
[ "$bpp" = 32 ] || skip "console is $bpp bpp"
w=${size%,*}
h=${size#*,}
# blue in XRGB8888, doubled up to the size of the framebuffer
printf '\377\000\000\000' >/tmp/px
while [ "$(stat -c %s /tmp/px)" -lt $((stride * h)) ]; do
	cat /tmp/px /tmp/px >/tmp/px2 && mv /tmp/px2 /tmp/px
done
head -c $((stride * h)) /tmp/px >/dev/fb0 || fail "cannot write /dev/fb0"
rm -f /tmp/px
sleep 1
echo "CHECKPIXEL panic/before $((w / 2)) $((h / 2)) 0000ff" >/dev/ttyS1
sleep 4
# the panic must not reboot the guest before the host has looked
echo 0 >/proc/sys/kernel/panic
echo "PANIC-CHECK panic/screen" >/dev/ttyS1
sleep 1
echo c >/proc/sysrq-trigger
sleep 30
fail "still running after sysrq c"
