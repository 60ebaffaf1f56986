# SPDX-License-Identifier: GPL-2.0
# Clients are kept apart (tests/fuzz/vgpu_isolation.c): GEM handles,
# syncobjs and contexts are per file, the render node and non-master card
# clients cannot modeset, and client_mem_mb bounds a client's memory.
# Each subtest is reported as isolation/<name>.
. /run/payload/lib.sh
load_driver || fail "driver did not load"
run_subtests isolation vgpu_isolation
exit 0
