# SPDX-License-Identifier: GPL-2.0
# Rig self-test: never return. The host must kill the guest at its
# timeout and report guest_completed as failed.
while :; do sleep 1; done
