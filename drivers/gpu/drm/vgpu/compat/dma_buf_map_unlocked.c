// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: dma_buf_map_attachment_unlocked() (Linux 6.2); from then on
 * dma_buf_map_attachment() wants the reservation lock held.
 */
#include <linux/dma-buf.h>

struct sg_table *vgpu_probe_dma_buf_map_unlocked(struct dma_buf_attachment *a);
struct sg_table *vgpu_probe_dma_buf_map_unlocked(struct dma_buf_attachment *a)
{
#ifndef VGPU_PROBE_ABSENT
	return dma_buf_map_attachment_unlocked(a, DMA_BIDIRECTIONAL);
#else
	return dma_buf_map_attachment(a, DMA_BIDIRECTIONAL);
#endif
}
