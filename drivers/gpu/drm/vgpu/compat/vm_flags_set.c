// SPDX-License-Identifier: GPL-2.0
/* Probe: vm_flags_set(), as vm_flags became read-only (Linux 6.3). */
#include <linux/mm.h>

void vgpu_probe_vm_flags_set(struct vm_area_struct *vma);
void vgpu_probe_vm_flags_set(struct vm_area_struct *vma)
{
#ifndef VGPU_PROBE_ABSENT
	vm_flags_set(vma, VM_IO);
#else
	vma->vm_flags |= VM_IO;
#endif
}
