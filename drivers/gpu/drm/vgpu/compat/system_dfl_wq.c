// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: system_dfl_wq, the unbound system workqueue under its new name
 * (Linux 6.17); from 7.x system_unbound_wq warns as deprecated.
 */
#include <linux/workqueue.h>

struct workqueue_struct *vgpu_probe_system_dfl_wq(void);
struct workqueue_struct *vgpu_probe_system_dfl_wq(void)
{
#ifndef VGPU_PROBE_ABSENT
	return system_dfl_wq;
#else
	return system_unbound_wq;
#endif
}
