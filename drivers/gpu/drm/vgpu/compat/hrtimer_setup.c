// SPDX-License-Identifier: GPL-2.0
/* Probe: hrtimer_setup() sets the callback at init (Linux 6.13). */
#include <linux/hrtimer.h>

static enum hrtimer_restart vgpu_probe_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void vgpu_probe_hrtimer_setup(struct hrtimer *t);
void vgpu_probe_hrtimer_setup(struct hrtimer *t)
{
#ifndef VGPU_PROBE_ABSENT
	hrtimer_setup(t, vgpu_probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
#else
	hrtimer_init(t, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	t->function = vgpu_probe_fn;
#endif
}
