# SPDX-License-Identifier: GPL-2.0
# Rig self-test: outlive the guest's own timeout for this test, as a task
# stuck in the kernel does (it ignores the TERM that timeout sends). The
# host's watchdog must stop the guest and fail this test by name.
trap '' TERM
while :; do sleep 1; done
