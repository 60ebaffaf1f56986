// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &file_operations.fop_flags with FOP_UNSIGNED_OFFSET (Linux 6.12),
 * which the DRM core requires of a driver's file operations (mmap offsets
 * past 2^63).
 */
#include <linux/fs.h>

extern const struct file_operations vgpu_probe_fop_unsigned_offset;
const struct file_operations vgpu_probe_fop_unsigned_offset = {
#ifndef VGPU_PROBE_ABSENT
	.fop_flags = FOP_UNSIGNED_OFFSET,
#endif
	.owner = NULL,
};
