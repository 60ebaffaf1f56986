# SPDX-License-Identifier: GPL-2.0
# The driver under test loads, creates card0 and renderD128, and is the
# only GPU driver loaded.
. /run/payload/lib.sh
[ -e /dev/dri/card0 ] && fail "a DRM device exists before $MOD is loaded"
load_driver || fail "modprobe $MOD did not create /dev/dri/card0 and renderD128"
[ -d /sys/module/$OTHER ] && fail "$OTHER is loaded too"
echo "card0 parent: $(readlink -f /sys/class/drm/card0/device)"
exit 0
