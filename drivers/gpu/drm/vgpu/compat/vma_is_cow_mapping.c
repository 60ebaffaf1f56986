// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: vma_is_cow_mapping() takes the mapping (Linux 7.3; before,
 * is_cow_mapping() took its flags).
 */
#include <linux/mm.h>

bool vgpu_probe_vma_is_cow(const struct vm_area_struct *vma);
bool vgpu_probe_vma_is_cow(const struct vm_area_struct *vma)
{
#ifndef VGPU_PROBE_ABSENT
	return vma_is_cow_mapping(vma);
#else
	return is_cow_mapping(vma->vm_flags);
#endif
}
