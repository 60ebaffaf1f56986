/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vgpu command layer: allocate, encode, queue, wait bounded (vgpu_cmd.c).
 */
#ifndef VGPU_CMD_H
#define VGPU_CMD_H

#include <linux/types.h>

struct seq_file;
struct sg_table;
struct vgpu_buf;
struct vgpu_device;
struct vgpu_vq;

struct vgpu_buf *vgpu_cmd_alloc(u32 req_len);
struct vgpu_buf *vgpu_cmd_submit_alloc(u32 ctx_id, u32 size, void **data);
struct vgpu_buf *vgpu_cmd_mem_entries(struct vgpu_device *vg,
				      struct sg_table *sgt, u32 req_len,
				      u32 *n);
int vgpu_cmd_exec(struct vgpu_device *vg, struct vgpu_vq *q,
		  struct vgpu_buf *buf, u32 expected, u32 min_len);
int vgpu_cmd_async(struct vgpu_device *vg, struct vgpu_vq *q,
		   struct vgpu_buf *buf);
void vgpu_cmd_count_errors(struct vgpu_device *vg, struct vgpu_buf *buf);
void vgpu_cmd_host_error(struct vgpu_device *vg, struct vgpu_buf *buf);
void vgpu_cmd_print(struct seq_file *m, struct vgpu_device *vg);

#endif /* VGPU_CMD_H */
