// SPDX-License-Identifier: GPL-2.0
/*
 * Prints the layout of the virtgpu uapi: ioctl numbers, struct sizes and
 * field offsets. Built once against the project's header and once against
 * a reference header; the outputs must match line for line. Fields and
 * structs newer than Linux 6.1 are printed only with -DVGPU_ABI_NEW.
 */
#include <stddef.h>
#include <stdio.h>
#include <drm/virtgpu_drm.h>

#define S(t) printf("sizeof %s %zu\n", #t, sizeof(struct t))
#define F(t, f) printf("offsetof %s.%s %zu size %zu\n", #t, #f, \
		       offsetof(struct t, f), sizeof(((struct t *)0)->f))
#define C(c) printf("const %s 0x%llx\n", #c, (unsigned long long)(c))

int main(void)
{
	/* EXECBUFFER grew from 40 to 64 bytes: the number and direction match. */
	C(_IOC_NR(DRM_IOCTL_VIRTGPU_EXECBUFFER));
	C(_IOC_DIR(DRM_IOCTL_VIRTGPU_EXECBUFFER));
	C(DRM_IOCTL_VIRTGPU_MAP);
	C(DRM_IOCTL_VIRTGPU_GETPARAM); C(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE);
	C(DRM_IOCTL_VIRTGPU_RESOURCE_INFO); C(DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST);
	C(DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST); C(DRM_IOCTL_VIRTGPU_WAIT);
	C(DRM_IOCTL_VIRTGPU_GET_CAPS); C(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB);
	C(DRM_IOCTL_VIRTGPU_CONTEXT_INIT);
	C(VIRTGPU_EXECBUF_FENCE_FD_IN); C(VIRTGPU_EXECBUF_FENCE_FD_OUT);
	C(VIRTGPU_EXECBUF_RING_IDX); C(VIRTGPU_EXECBUF_FLAGS);
	C(VIRTGPU_PARAM_3D_FEATURES); C(VIRTGPU_PARAM_CAPSET_QUERY_FIX);
	C(VIRTGPU_PARAM_RESOURCE_BLOB); C(VIRTGPU_PARAM_HOST_VISIBLE);
	C(VIRTGPU_PARAM_CROSS_DEVICE); C(VIRTGPU_PARAM_CONTEXT_INIT);
	C(VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs); C(VIRTGPU_WAIT_NOWAIT);
	C(VIRTGPU_BLOB_MEM_GUEST); C(VIRTGPU_BLOB_MEM_HOST3D);
	C(VIRTGPU_BLOB_MEM_HOST3D_GUEST); C(VIRTGPU_BLOB_FLAG_USE_MAPPABLE);
	C(VIRTGPU_BLOB_FLAG_USE_SHAREABLE); C(VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE);
	C(VIRTGPU_CONTEXT_PARAM_CAPSET_ID); C(VIRTGPU_CONTEXT_PARAM_NUM_RINGS);
	C(VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK); C(VIRTGPU_EVENT_FENCE_SIGNALED);

	S(drm_virtgpu_map); F(drm_virtgpu_map, offset); F(drm_virtgpu_map, handle);
	F(drm_virtgpu_map, pad);
	F(drm_virtgpu_execbuffer, flags); F(drm_virtgpu_execbuffer, size);
	F(drm_virtgpu_execbuffer, command); F(drm_virtgpu_execbuffer, bo_handles);
	F(drm_virtgpu_execbuffer, num_bo_handles); F(drm_virtgpu_execbuffer, fence_fd);
	F(drm_virtgpu_execbuffer, ring_idx);
	S(drm_virtgpu_getparam); F(drm_virtgpu_getparam, param);
	F(drm_virtgpu_getparam, value);
	S(drm_virtgpu_resource_create); F(drm_virtgpu_resource_create, target);
	F(drm_virtgpu_resource_create, flags); F(drm_virtgpu_resource_create, bo_handle);
	F(drm_virtgpu_resource_create, res_handle); F(drm_virtgpu_resource_create, size);
	F(drm_virtgpu_resource_create, stride);
	S(drm_virtgpu_resource_info); F(drm_virtgpu_resource_info, blob_mem);
	S(drm_virtgpu_3d_box); F(drm_virtgpu_3d_box, d);
	S(drm_virtgpu_3d_transfer_to_host); F(drm_virtgpu_3d_transfer_to_host, box);
	F(drm_virtgpu_3d_transfer_to_host, level); F(drm_virtgpu_3d_transfer_to_host, offset);
	F(drm_virtgpu_3d_transfer_to_host, stride);
	F(drm_virtgpu_3d_transfer_to_host, layer_stride);
	S(drm_virtgpu_3d_transfer_from_host); F(drm_virtgpu_3d_transfer_from_host, layer_stride);
	S(drm_virtgpu_3d_wait); F(drm_virtgpu_3d_wait, flags);
	S(drm_virtgpu_get_caps); F(drm_virtgpu_get_caps, addr); F(drm_virtgpu_get_caps, size);
	S(drm_virtgpu_resource_create_blob); F(drm_virtgpu_resource_create_blob, size);
	F(drm_virtgpu_resource_create_blob, cmd_size); F(drm_virtgpu_resource_create_blob, cmd);
	F(drm_virtgpu_resource_create_blob, blob_id);
	S(drm_virtgpu_context_set_param); S(drm_virtgpu_context_init);
	F(drm_virtgpu_context_init, ctx_set_params);
#ifdef VGPU_ABI_NEW
	C(DRM_IOCTL_VIRTGPU_EXECBUFFER);
	S(drm_virtgpu_execbuffer); S(drm_virtgpu_execbuffer_syncobj);
	F(drm_virtgpu_execbuffer, syncobj_stride); F(drm_virtgpu_execbuffer, num_in_syncobjs);
	F(drm_virtgpu_execbuffer, num_out_syncobjs); F(drm_virtgpu_execbuffer, in_syncobjs);
	F(drm_virtgpu_execbuffer, out_syncobjs); F(drm_virtgpu_execbuffer_syncobj, point);
	C(VIRTGPU_EXECBUF_SYNCOBJ_RESET); C(VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME);
	C(VIRTGPU_CONTEXT_PARAM_DEBUG_NAME); C(VIRTGPU_DRM_CAPSET_VIRGL);
	C(VIRTGPU_DRM_CAPSET_VIRGL2); C(VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN);
	C(VIRTGPU_DRM_CAPSET_VENUS); C(VIRTGPU_DRM_CAPSET_CROSS_DOMAIN);
	C(VIRTGPU_DRM_CAPSET_DRM);
#endif
	return 0;
}
