// SPDX-License-Identifier: GPL-2.0
/*
 * Rig self-test module: raises one deliberate kernel warning when loaded
 * and refuses to stay loaded. The rig must report the splat.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/module.h>

static int __init vgpu_splat_init(void)
{
	WARN(1, "vgpu rig self-test: deliberate warning\n");
	return -EAGAIN;
}
module_init(vgpu_splat_init);

MODULE_DESCRIPTION("vgpu rig self-test: one deliberate WARN");
MODULE_LICENSE("GPL");
