// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &virtio_driver.shutdown (after 6.12; 7.2 has it), which the
 * virtio core calls at power-off in place of its own device reset. Before
 * it the virtio bus has no shutdown, and the driver core calls
 * &device_driver.shutdown.
 */
#include <linux/virtio.h>

static void vgpu_probe_shutdown_fn(struct virtio_device *vdev)
{
}

struct virtio_driver vgpu_probe_virtio_driver_shutdown = {
#ifndef VGPU_PROBE_ABSENT
	.shutdown = vgpu_probe_shutdown_fn,
#else
	.remove = vgpu_probe_shutdown_fn,
#endif
};
