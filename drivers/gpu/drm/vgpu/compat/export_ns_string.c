// SPDX-License-Identifier: GPL-2.0
/* Probe: symbol namespaces are string literals (Linux 6.13+). */
#include <linux/export.h>
#include <linux/module.h>

int vgpu_probe_export_ns_string(void);
int vgpu_probe_export_ns_string(void)
{
	return 0;
}

#ifndef VGPU_PROBE_ABSENT
EXPORT_SYMBOL_NS_GPL(vgpu_probe_export_ns_string, "VGPU_PROBE");
MODULE_IMPORT_NS("VGPU_PROBE");
#else
EXPORT_SYMBOL_NS_GPL(vgpu_probe_export_ns_string, VGPU_PROBE);
MODULE_IMPORT_NS(VGPU_PROBE);
#endif
