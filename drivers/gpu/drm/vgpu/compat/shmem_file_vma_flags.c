// SPDX-License-Identifier: GPL-2.0
/* Probe: shmem_file_setup() takes vma_flags_t, not VM_* bits (Debian's 7.2). */
#include <linux/mm.h>
#include <linux/shmem_fs.h>

struct file *vgpu_probe_shmem_file_vma_flags(void);
struct file *vgpu_probe_shmem_file_vma_flags(void)
{
#ifndef VGPU_PROBE_ABSENT
	return shmem_file_setup("probe", PAGE_SIZE, mk_vma_flags(VMA_NORESERVE_BIT));
#else
	return shmem_file_setup("probe", PAGE_SIZE, VM_NORESERVE);
#endif
}
