# SPDX-License-Identifier: GPL-2.0
# The GPU is bound to the driver under test and the other one never loaded.
. /run/payload/lib.sh
d=$(gpu_virtio_dev) || fail "no virtio GPU device"
bound=$(basename "$(readlink -f $d/driver)")
[ "$bound" = "$MOD" ] || fail "GPU bound to '$bound', expected $MOD"
[ -d /sys/module/$OTHER ] && fail "$OTHER was loaded"
echo "$(basename $d) bound to $bound"
