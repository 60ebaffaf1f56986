# SPDX-License-Identifier: GPL-2.0
# Rig self-test: load a module that WARNs. The test itself passes; the
# rig must fail kernel_log_clean.
. /run/payload/lib.sh
insmod $P/extra/vgpu_splat.ko 2>/dev/null
dmesg | grep -q "deliberate warning" || fail "the warning was not raised"
exit 0
