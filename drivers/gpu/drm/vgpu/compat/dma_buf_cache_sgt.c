// SPDX-License-Identifier: GPL-2.0
/*
 * Probe: &dma_buf_ops.cache_sgt_mapping exists (until Linux 6.16, when
 * the dma-buf core stopped caching mappings for exporters).
 */
#include <linux/dma-buf.h>

extern const struct dma_buf_ops vgpu_probe_dma_buf_cache_sgt;
const struct dma_buf_ops vgpu_probe_dma_buf_cache_sgt = {
#ifndef VGPU_PROBE_ABSENT
	.cache_sgt_mapping = true,
#endif
	.release = NULL,
};
