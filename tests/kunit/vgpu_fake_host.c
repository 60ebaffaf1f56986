// SPDX-License-Identifier: GPL-2.0
/*
 * A fake virtio-gpu host for KUnit: see vgpu_fake_host.h.
 *
 * The host works on the split-ring layout of <uapi/linux/virtio_ring.h>
 * over memory it allocated itself and handed to vring_new_virtqueue(), so
 * what it reads is exactly what the driver placed on the ring. The driver
 * does not negotiate VIRTIO_F_ACCESS_PLATFORM with it, so descriptor
 * addresses are guest physical addresses of kernel memory.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>

#include <linux/io.h>
#include <linux/pci.h>

#include "vgpu_compat.h"
#include "vgpu_fake_host.h"
#include "vgpu_proto.h"

#define FAKE_ALIGN		PAGE_SIZE
#define FAKE_REQ_MAX		(64 * 1024)
#define FAKE_RESP_MAX		(sizeof(struct virtio_gpu_resp_edid))
#define FAKE_CAPSET_MAX		(64 * 1024)

static struct vgpu_fake_host *to_host(struct virtio_device *vdev)
{
	return container_of(vdev, struct vgpu_fake_host, vdev);
}

static void fake_irq_work(struct work_struct *work)
{
	struct vgpu_fake_queue *fq = container_of(work, struct vgpu_fake_queue, irq);

	vring_interrupt(0, fq->vq);
}

/**
 * vgpu_fake_host_create - a fake device with no queues yet
 * @features: device feature bits to offer (VIRTIO_F_VERSION_1 is added)
 *
 * Return: the host, or NULL.
 */
struct vgpu_fake_host *vgpu_fake_host_create(u64 features)
{
	struct vgpu_fake_host *host = kzalloc(sizeof(*host), GFP_KERNEL);
	unsigned int i;

	if (!host)
		return NULL;
	host->features = features | BIT_ULL(VIRTIO_F_VERSION_1);
	/* unregistered, the host acts as if everything offered was taken */
	host->negotiated = host->features;
	host->ring_num = 64;
	host->align = PAGE_SIZE;
	host->map_info = VIRTIO_GPU_MAP_CACHE_WC;
	spin_lock_init(&host->lock);
	INIT_LIST_HEAD(&host->log);
	for (i = 0; i < VGPU_FAKE_QUEUES; i++) {
		INIT_LIST_HEAD(&host->q[i].pending);
		INIT_WORK(&host->q[i].irq, fake_irq_work);
	}
	/* What vring_new_virtqueue() needs of an unregistered device. */
	INIT_LIST_HEAD(&host->vdev.vqs);
	spin_lock_init(&host->vdev.vqs_list_lock);
	host->vdev.features = host->features;
	return host;
}

/**
 * vgpu_fake_host_default_display - scanouts as QEMU reports them
 * @host: host
 * @scanouts: count; scanout 0 is enabled at 1024x768, the rest disabled
 *
 * Each scanout gets a one-block EDID whose header is valid.
 */
void vgpu_fake_host_default_display(struct vgpu_fake_host *host,
				    unsigned int scanouts)
{
	static const u8 header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	unsigned int i;

	host->num_scanouts = scanouts;
	for (i = 0; i < min_t(unsigned int, scanouts, VIRTIO_GPU_MAX_SCANOUTS); i++) {
		host->pmodes[i].r.x = cpu_to_le32(i * 1024);
		host->pmodes[i].r.width = cpu_to_le32(1024);
		host->pmodes[i].r.height = cpu_to_le32(768);
		host->pmodes[i].enabled = cpu_to_le32(i == 0);
		memcpy(host->edid[i], header, sizeof(header));
		host->edid[i][126] = 0;
		host->edid_size[i] = 128;
	}
}

/**
 * vgpu_fake_host_add_capset - offer one more capset
 * @host: host
 * @id: capset id (any value: tests offer bad ones on purpose)
 * @max_version: newest version
 * @max_size: size in bytes
 */
void vgpu_fake_host_add_capset(struct vgpu_fake_host *host, u32 id,
			       u32 max_version, u32 max_size)
{
	unsigned int n = host->num_capsets;

	if (n >= VGPU_FAKE_MAX_CAPSETS)
		return;
	host->caps[n].hdr.type = cpu_to_le32(VIRTIO_GPU_RESP_OK_CAPSET_INFO);
	host->caps[n].capset_id = cpu_to_le32(id);
	host->caps[n].capset_max_version = cpu_to_le32(max_version);
	host->caps[n].capset_max_size = cpu_to_le32(max_size);
	host->num_capsets = n + 1;
}

/**
 * vgpu_fake_host_add_rule - inject a fault
 * @host: host
 * @rule: the fault; the first free slot takes it
 */
void vgpu_fake_host_add_rule(struct vgpu_fake_host *host,
			     const struct vgpu_fake_rule *rule)
{
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&host->lock, flags);
	for (i = 0; i < VGPU_FAKE_MAX_RULES; i++) {
		if (!host->rules[i].count) {
			host->rules[i] = *rule;
			break;
		}
	}
	spin_unlock_irqrestore(&host->lock, flags);
}

static void fake_protocol_error(struct vgpu_fake_host *host, const char *why,
				u32 type)
{
	host->protocol_errors++;
	snprintf(host->last_error, sizeof(host->last_error), "cmd 0x%04x: %s",
		 type, why);
}

/* The header rules every command follows; padding must be zero. */
static bool fake_check_hdr(struct vgpu_fake_host *host,
			   const struct virtio_gpu_ctrl_hdr *hdr)
{
	u32 type = le32_to_cpu(hdr->type);
	u32 flags = le32_to_cpu(hdr->flags);

	if (flags & ~(VIRTIO_GPU_FLAG_FENCE | VIRTIO_GPU_FLAG_INFO_RING_IDX)) {
		fake_protocol_error(host, "unknown header flags", type);
		return false;
	}
	if (!(flags & VIRTIO_GPU_FLAG_FENCE) && hdr->fence_id) {
		fake_protocol_error(host, "fence id without the fence flag", type);
		return false;
	}
	if (!(flags & VIRTIO_GPU_FLAG_INFO_RING_IDX) && hdr->ring_idx) {
		fake_protocol_error(host, "ring index without its flag", type);
		return false;
	}
	if (hdr->padding[0] || hdr->padding[1] || hdr->padding[2]) {
		fake_protocol_error(host, "header padding not zero", type);
		return false;
	}
	return true;
}

/* A command of fixed size whose trailing __le32 padding must be zero. */
static bool fake_check_fixed(struct vgpu_fake_host *host, const u8 *req,
			     u32 len, u32 want, bool padded)
{
	u32 type = le32_to_cpu(((const struct virtio_gpu_ctrl_hdr *)req)->type);

	if (len != want) {
		fake_protocol_error(host, "request size wrong", type);
		return false;
	}
	if (padded && *(const __le32 *)(req + want - 4)) {
		fake_protocol_error(host, "request padding not zero", type);
		return false;
	}
	return true;
}

static void fake_resp_hdr(struct virtio_gpu_ctrl_hdr *resp,
			  const struct virtio_gpu_ctrl_hdr *req, u32 type)
{
	resp->type = cpu_to_le32(type);
	if (le32_to_cpu(req->flags) & VIRTIO_GPU_FLAG_FENCE) {
		resp->flags = cpu_to_le32(VIRTIO_GPU_FLAG_FENCE);
		resp->fence_id = req->fence_id;
		resp->ctx_id = req->ctx_id;
	}
}

struct vgpu_fake_res *vgpu_fake_host_res(struct vgpu_fake_host *host, u32 id)
{
	unsigned int i;

	for (i = 0; id && i < VGPU_FAKE_MAX_RES; i++)
		if (host->res[i].id == id)
			return &host->res[i];
	return NULL;
}

struct vgpu_fake_ctx *vgpu_fake_host_ctx(struct vgpu_fake_host *host, u32 id)
{
	unsigned int i;

	for (i = 0; id && i < VGPU_FAKE_MAX_CTX; i++)
		if (host->ctx[i].id == id)
			return &host->ctx[i];
	return NULL;
}

static struct vgpu_fake_res *fake_res_new(struct vgpu_fake_host *host, u32 id)
{
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, 0);
	unsigned int i;

	for (i = 0; !r && i < VGPU_FAKE_MAX_RES; i++)
		if (!host->res[i].id)
			r = &host->res[i];
	if (r) {
		memset(r, 0, sizeof(*r));
		r->id = id;
	}
	return r;
}

static bool fake_has(struct vgpu_fake_host *host, unsigned int feature)
{
	return host->negotiated & BIT_ULL(feature);
}

static bool fake_format_ok(u32 f)
{
	switch (f) {
	case VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM:
	case VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM:
	case VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM:
	case VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM:
	case VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM:
	case VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM:
	case VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM:
	case VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM:
		return true;
	default:
		return false;
	}
}

/* A rectangle inside a 2D resource (blobs are not checked here). */
static bool fake_rect_in(const struct vgpu_fake_res *r,
			 const struct virtio_gpu_rect *rc)
{
	u64 x = le32_to_cpu(rc->x), y = le32_to_cpu(rc->y);
	u64 w = le32_to_cpu(rc->width), h = le32_to_cpu(rc->height);

	if (r->blob)
		return true;
	return x + w <= r->width && y + h <= r->height;
}

/*
 * Memory entries after a command: count them, check the request is exactly
 * that long, the padding is zero and no entry is empty.
 */
static bool fake_entries(struct vgpu_fake_host *host, const u8 *req, u32 len,
			 u32 hdr_len, u32 nr, u64 *bytes)
{
	const struct virtio_gpu_mem_entry *e = (const void *)(req + hdr_len);
	u32 type = le32_to_cpu(((const struct virtio_gpu_ctrl_hdr *)req)->type);
	u32 i;

	*bytes = 0;
	if (len != hdr_len + (u64)nr * sizeof(*e)) {
		fake_protocol_error(host, "entries do not match nr_entries", type);
		return false;
	}
	for (i = 0; i < nr; i++) {
		if (e[i].padding || !e[i].length) {
			fake_protocol_error(host, "bad memory entry", type);
			return false;
		}
		*bytes += le32_to_cpu(e[i].length);
	}
	return true;
}

static u32 fake_create_2d(struct vgpu_fake_host *host,
			  const struct virtio_gpu_resource_create_2d *c)
{
	u32 id = le32_to_cpu(c->resource_id);
	struct vgpu_fake_res *r;

	if (!id || vgpu_fake_host_res(host, id))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (!fake_format_ok(le32_to_cpu(c->format)) || !c->width || !c->height)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	r = fake_res_new(host, id);
	if (!r)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	r->format = le32_to_cpu(c->format);
	r->width = le32_to_cpu(c->width);
	r->height = le32_to_cpu(c->height);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_create_3d(struct vgpu_fake_host *host,
			  const struct virtio_gpu_resource_create_3d *c)
{
	u32 id = le32_to_cpu(c->resource_id);
	struct vgpu_fake_res *r;

	if (!fake_has(host, VIRTIO_GPU_F_VIRGL))
		fake_protocol_error(host, "3D resource without virgl",
				    VIRTIO_GPU_CMD_RESOURCE_CREATE_3D);
	if (!id || vgpu_fake_host_res(host, id))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (!c->width || !c->height || !c->depth || !c->array_size)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	r = fake_res_new(host, id);
	if (!r)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	r->is_3d = true;
	r->target = le32_to_cpu(c->target);
	r->bind = le32_to_cpu(c->bind);
	r->format = le32_to_cpu(c->format);
	r->width = le32_to_cpu(c->width);
	r->height = le32_to_cpu(c->height);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

/* A 3D transfer: the context must know the resource, which has backing. */
static u32 fake_transfer_3d(struct vgpu_fake_host *host,
			    const struct virtio_gpu_transfer_host_3d *t,
			    bool to_host)
{
	struct vgpu_fake_ctx *x = vgpu_fake_host_ctx(host, le32_to_cpu(t->hdr.ctx_id));
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, le32_to_cpu(t->resource_id));

	if (!x)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	if (!r || !r->is_3d)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (!(r->ctx_mask & BIT(x - host->ctx)) || !r->nr_entries ||
	    le32_to_cpu(t->box.x) + le32_to_cpu(t->box.w) > r->width)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	r->last_box = t->box;
	if (to_host)
		r->transfers++;
	else
		r->reads++;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_unref(struct vgpu_fake_host *host, u32 id)
{
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, id);
	unsigned int i;

	if (!r)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (r->mapped)
		fake_protocol_error(host, "unref of a mapped blob",
				    VIRTIO_GPU_CMD_RESOURCE_UNREF);
	for (i = 0; i < VIRTIO_GPU_MAX_SCANOUTS; i++)
		if (host->scanout_res[i] == id)
			host->scanout_res[i] = 0;
	memset(r, 0, sizeof(*r));
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_attach(struct vgpu_fake_host *host, const u8 *req, u32 len)
{
	const struct virtio_gpu_resource_attach_backing *c = (const void *)req;
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));
	u32 nr = le32_to_cpu(c->nr_entries);
	u64 bytes;

	if (!fake_entries(host, req, len, sizeof(*c), nr, &bytes))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!r)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (r->nr_entries || !nr)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	r->nr_entries = nr;
	r->backing_bytes = bytes;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_scanout(struct vgpu_fake_host *host,
			const struct virtio_gpu_set_scanout *c)
{
	u32 s = le32_to_cpu(c->scanout_id), id = le32_to_cpu(c->resource_id);
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, id);

	if (s >= min_t(u32, host->num_scanouts, VIRTIO_GPU_MAX_SCANOUTS))
		return VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID;
	if (id && !r)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (r && !fake_rect_in(r, &c->r))
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	host->scanout_res[s] = id;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_scanout_blob(struct vgpu_fake_host *host,
			     const struct virtio_gpu_set_scanout_blob *c)
{
	u32 s = le32_to_cpu(c->scanout_id), id = le32_to_cpu(c->resource_id);
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, id);
	u32 w = le32_to_cpu(c->width), h = le32_to_cpu(c->height);
	u32 stride = le32_to_cpu(c->strides[0]);
	u64 end;

	if (!fake_has(host, VIRTIO_GPU_F_RESOURCE_BLOB))
		fake_protocol_error(host, "scanout blob without blobs",
				    VIRTIO_GPU_CMD_SET_SCANOUT_BLOB);
	if (s >= min_t(u32, host->num_scanouts, VIRTIO_GPU_MAX_SCANOUTS))
		return VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID;
	if (!id) {
		host->scanout_res[s] = 0;
		return VIRTIO_GPU_RESP_OK_NODATA;
	}
	if (!r || !r->blob)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (!fake_format_ok(le32_to_cpu(c->format)) || !w || !h ||
	    le32_to_cpu(c->r.x) + le32_to_cpu(c->r.width) > w ||
	    le32_to_cpu(c->r.y) + le32_to_cpu(c->r.height) > h ||
	    stride < w * 4)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	end = le32_to_cpu(c->offsets[0]) + (u64)stride * (h - 1) + w * 4;
	if (end > r->size)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	host->scanout_res[s] = id;
	host->scanout_blobs++;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_ctx_create(struct vgpu_fake_host *host,
			   const struct virtio_gpu_ctx_create *c)
{
	u32 id = le32_to_cpu(c->hdr.ctx_id), nlen = le32_to_cpu(c->nlen);
	u32 init = le32_to_cpu(c->context_init);
	struct vgpu_fake_ctx *x;
	unsigned int i;

	if (nlen > sizeof(c->debug_name))
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	for (i = nlen; i < sizeof(c->debug_name); i++)
		if (c->debug_name[i]) {
			fake_protocol_error(host, "debug name padding not zero",
					    VIRTIO_GPU_CMD_CTX_CREATE);
			break;
		}
	if (init & ~VIRTIO_GPU_CONTEXT_INIT_CAPSET_ID_MASK)
		fake_protocol_error(host, "unknown context_init bits",
				    VIRTIO_GPU_CMD_CTX_CREATE);
	if (init && !fake_has(host, VIRTIO_GPU_F_CONTEXT_INIT))
		fake_protocol_error(host, "context_init without the feature",
				    VIRTIO_GPU_CMD_CTX_CREATE);
	if (!id || vgpu_fake_host_ctx(host, id))
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	if (init) {
		bool known = false;

		for (i = 0; i < min_t(u32, host->num_capsets, VGPU_FAKE_MAX_CAPSETS); i++)
			known |= le32_to_cpu(host->caps[i].capset_id) == init;
		if (!known)
			return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	}
	x = vgpu_fake_host_ctx(host, 0);
	for (i = 0; !x && i < VGPU_FAKE_MAX_CTX; i++)
		if (!host->ctx[i].id)
			x = &host->ctx[i];
	if (!x)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	memset(x, 0, sizeof(*x));
	x->id = id;
	x->capset = init;
	memcpy(x->name, c->debug_name, min_t(u32, nlen, sizeof(x->name) - 1));
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_ctx_destroy(struct vgpu_fake_host *host, u32 id)
{
	struct vgpu_fake_ctx *x = vgpu_fake_host_ctx(host, id);
	unsigned int i, slot;

	if (!x)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	slot = x - host->ctx;
	for (i = 0; i < VGPU_FAKE_MAX_RES; i++)
		host->res[i].ctx_mask &= ~BIT(slot);
	memset(x, 0, sizeof(*x));
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_ctx_res(struct vgpu_fake_host *host,
			const struct virtio_gpu_ctx_resource *c, bool attach)
{
	struct vgpu_fake_ctx *x = vgpu_fake_host_ctx(host, le32_to_cpu(c->hdr.ctx_id));
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));

	if (!x)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	if (!r)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (attach)
		r->ctx_mask |= BIT(x - host->ctx);
	else
		r->ctx_mask &= ~BIT(x - host->ctx);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_create_blob(struct vgpu_fake_host *host, const u8 *req, u32 len)
{
	const struct virtio_gpu_resource_create_blob *c = (const void *)req;
	u32 id = le32_to_cpu(c->resource_id), mem = le32_to_cpu(c->blob_mem);
	u32 flags = le32_to_cpu(c->blob_flags), nr = le32_to_cpu(c->nr_entries);
	u64 size = le64_to_cpu(c->size), bytes;
	bool host3d = mem == VIRTIO_GPU_BLOB_MEM_HOST3D ||
		      mem == VIRTIO_GPU_BLOB_MEM_HOST3D_GUEST;
	struct vgpu_fake_res *r;

	if (!fake_has(host, VIRTIO_GPU_F_RESOURCE_BLOB))
		fake_protocol_error(host, "blob without the feature",
				    VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB);
	if (!fake_entries(host, req, len, sizeof(*c), nr, &bytes))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!id || vgpu_fake_host_res(host, id))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (mem < VIRTIO_GPU_BLOB_MEM_GUEST || mem > VIRTIO_GPU_BLOB_MEM_HOST3D_GUEST ||
	    flags & ~7u || !size || size % host->align)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	if (host3d && !vgpu_fake_host_ctx(host, le32_to_cpu(c->hdr.ctx_id)))
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	if (mem == VIRTIO_GPU_BLOB_MEM_HOST3D && nr)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	if (mem != VIRTIO_GPU_BLOB_MEM_HOST3D && bytes != size)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	if (!host3d && c->blob_id)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	r = fake_res_new(host, id);
	if (!r)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	r->blob = true;
	r->blob_mem = mem;
	r->blob_flags = flags;
	r->blob_id = le64_to_cpu(c->blob_id);
	r->size = size;
	r->nr_entries = nr;
	r->backing_bytes = bytes;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 fake_map_blob(struct vgpu_fake_host *host,
			 const struct virtio_gpu_resource_map_blob *c,
			 struct virtio_gpu_resp_map_info *resp)
{
	struct vgpu_fake_res *r = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));
	u64 off = le64_to_cpu(c->offset);
	unsigned int i;

	if (!r || !r->blob)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (!(r->blob_flags & VIRTIO_GPU_BLOB_FLAG_USE_MAPPABLE) || r->mapped ||
	    !host->hostmem_size || off % host->align ||
	    off > host->hostmem_size || r->size > host->hostmem_size - off)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	for (i = 0; i < VGPU_FAKE_MAX_RES; i++) {
		const struct vgpu_fake_res *o = &host->res[i];

		if (o->mapped && off < o->map_offset + o->size &&
		    o->map_offset < off + r->size)
			return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	}
	r->mapped = true;
	r->map_offset = off;
	r->map_info = host->map_info;
	/* What the host put there: the resource id in every 32-bit word. */
	if (host->hostmem)
		memset32(host->hostmem + off, r->id, r->size / 4);
	resp->map_info = host->map_info;
	return VIRTIO_GPU_RESP_OK_MAP_INFO;
}

static u32 fake_get_capset(struct vgpu_fake_host *host,
			   const struct virtio_gpu_get_capset *c,
			   struct virtio_gpu_resp_capset *resp, u32 cap, u32 *len)
{
	u32 id = le32_to_cpu(c->capset_id), ver = le32_to_cpu(c->capset_version);
	unsigned int i, j;

	for (i = 0; i < min_t(u32, host->num_capsets, VGPU_FAKE_MAX_CAPSETS); i++) {
		u32 size = le32_to_cpu(host->caps[i].capset_max_size);

		if (le32_to_cpu(host->caps[i].capset_id) != id)
			continue;
		if (ver > le32_to_cpu(host->caps[i].capset_max_version))
			return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
		size = min_t(u32, size, cap - sizeof(resp->hdr));
		for (j = 0; j < size; j++)
			resp->capset_data[j] = (u8)(id + ver + j);
		*len = sizeof(resp->hdr) + size;
		return VIRTIO_GPU_RESP_OK_CAPSET;
	}
	return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
}

/*
 * Carry out one command against host state. Returns the response length
 * written to @resp (at most FAKE_RESP_MAX bytes).
 */
static u32 fake_execute(struct vgpu_fake_host *host, unsigned int qi,
			const u8 *req, u32 len, u8 *resp, u32 resp_cap)
{
	const struct virtio_gpu_ctrl_hdr *hdr = (const void *)req;
	struct virtio_gpu_ctrl_hdr *rhdr = (void *)resp;
	u32 type = le32_to_cpu(hdr->type);
	u32 rtype = VIRTIO_GPU_RESP_ERR_UNSPEC;
	u32 rlen = sizeof(*rhdr);

	bool cursor_cmd = type == VIRTIO_GPU_CMD_UPDATE_CURSOR ||
			  type == VIRTIO_GPU_CMD_MOVE_CURSOR;
	bool cursor_queue = qi == 1;

	if (cursor_cmd != cursor_queue) {
		fake_protocol_error(host, "command on the wrong queue", type);
		goto answer;
	}

	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO: {
		struct virtio_gpu_resp_display_info *r = (void *)resp;
		unsigned int n = min_t(u32, host->num_scanouts,
				       VIRTIO_GPU_MAX_SCANOUTS);

		if (!fake_check_fixed(host, req, len, sizeof(*hdr), false))
			break;
		fake_resp_hdr(rhdr, hdr, VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
		memcpy(r->pmodes, host->pmodes, n * sizeof(r->pmodes[0]));
		return sizeof(*r);
	}
	case VIRTIO_GPU_CMD_GET_EDID: {
		const struct virtio_gpu_cmd_get_edid *c = (const void *)req;
		struct virtio_gpu_resp_edid *r = (void *)resp;
		u32 s;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true))
			break;
		if (!(host->negotiated & BIT_ULL(VIRTIO_GPU_F_EDID))) {
			fake_protocol_error(host, "GET_EDID without the EDID feature", type);
			break;
		}
		s = le32_to_cpu(c->scanout);
		if (s >= min_t(u32, host->num_scanouts, VIRTIO_GPU_MAX_SCANOUTS)) {
			fake_resp_hdr(rhdr, hdr, VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID);
			return sizeof(*rhdr);
		}
		fake_resp_hdr(rhdr, hdr, VIRTIO_GPU_RESP_OK_EDID);
		r->size = cpu_to_le32(host->edid_size[s]);
		memcpy(r->edid, host->edid[s], sizeof(r->edid));
		return sizeof(*r);
	}
	case VIRTIO_GPU_CMD_GET_CAPSET_INFO: {
		const struct virtio_gpu_get_capset_info *c = (const void *)req;
		struct virtio_gpu_resp_capset_info *r = (void *)resp;
		u32 idx;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true))
			break;
		idx = le32_to_cpu(c->capset_index);
		if (idx >= min_t(u32, host->num_capsets, VGPU_FAKE_MAX_CAPSETS)) {
			fake_resp_hdr(rhdr, hdr, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER);
			return sizeof(*rhdr);
		}
		*r = host->caps[idx];
		fake_resp_hdr(rhdr, hdr, VIRTIO_GPU_RESP_OK_CAPSET_INFO);
		return sizeof(*r);
	}
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_resource_create_2d), false))
			rtype = fake_create_2d(host, (const void *)req);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_3D:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_resource_create_3d), true))
			rtype = fake_create_3d(host, (const void *)req);
		break;
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D:
	case VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_transfer_host_3d), false))
			rtype = fake_transfer_3d(host, (const void *)req,
						 type == VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_UNREF:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_resource_unref), true))
			rtype = fake_unref(host, le32_to_cpu(((const struct
					virtio_gpu_resource_unref *)req)->resource_id));
		break;
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING:
		rtype = fake_attach(host, req, len);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING: {
		const struct virtio_gpu_resource_detach_backing *c = (const void *)req;
		struct vgpu_fake_res *r;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true))
			break;
		r = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));
		rtype = !r ? VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID :
			!r->nr_entries ? VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER :
			VIRTIO_GPU_RESP_OK_NODATA;
		if (rtype == VIRTIO_GPU_RESP_OK_NODATA) {
			r->nr_entries = 0;
			r->backing_bytes = 0;
		}
		break;
	}
	case VIRTIO_GPU_CMD_SET_SCANOUT_BLOB:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_set_scanout_blob), true))
			rtype = fake_scanout_blob(host, (const void *)req);
		break;
	case VIRTIO_GPU_CMD_SET_SCANOUT:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_set_scanout), false))
			rtype = fake_scanout(host, (const void *)req);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D: {
		bool flush = type == VIRTIO_GPU_CMD_RESOURCE_FLUSH;
		const struct virtio_gpu_resource_flush *f = (const void *)req;
		const struct virtio_gpu_transfer_to_host_2d *t = (const void *)req;
		struct vgpu_fake_res *r;

		if (!fake_check_fixed(host, req, len, flush ? sizeof(*f) : sizeof(*t), true))
			break;
		r = vgpu_fake_host_res(host, le32_to_cpu(flush ? f->resource_id :
							   t->resource_id));
		if (!r)
			rtype = VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
		else if (!fake_rect_in(r, flush ? &f->r : &t->r) ||
			 (!flush && !r->nr_entries))
			rtype = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
		else
			rtype = VIRTIO_GPU_RESP_OK_NODATA;
		if (r && rtype == VIRTIO_GPU_RESP_OK_NODATA) {
			r->flushes += flush;
			r->transfers += !flush;
		}
		break;
	}
	case VIRTIO_GPU_CMD_GET_CAPSET:
		if (fake_check_fixed(host, req, len, sizeof(struct virtio_gpu_get_capset),
				     false))
			rtype = fake_get_capset(host, (const void *)req, (void *)resp,
						resp_cap, &rlen);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID: {
		const struct virtio_gpu_resource_assign_uuid *c = (const void *)req;
		struct virtio_gpu_resp_resource_uuid *r = (void *)resp;
		struct vgpu_fake_res *res;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true))
			break;
		if (!fake_has(host, VIRTIO_GPU_F_RESOURCE_UUID))
			fake_protocol_error(host, "UUID without the feature", type);
		res = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));
		rtype = VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
		if (res) {
			res->uuid = true;
			memset(r->uuid, 0, sizeof(r->uuid));
			memcpy(r->uuid, &c->resource_id, sizeof(c->resource_id));
			rtype = VIRTIO_GPU_RESP_OK_RESOURCE_UUID;
			rlen = sizeof(*r);
		}
		break;
	}
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB:
		rtype = fake_create_blob(host, req, len);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB:
		if (fake_check_fixed(host, req, len,
				     sizeof(struct virtio_gpu_resource_map_blob), false))
			rtype = fake_map_blob(host, (const void *)req, (void *)resp);
		if (rtype == VIRTIO_GPU_RESP_OK_MAP_INFO)
			rlen = sizeof(struct virtio_gpu_resp_map_info);
		break;
	case VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB: {
		const struct virtio_gpu_resource_unmap_blob *c = (const void *)req;
		struct vgpu_fake_res *r;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true))
			break;
		r = vgpu_fake_host_res(host, le32_to_cpu(c->resource_id));
		rtype = !r ? VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID :
			!r->mapped ? VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER :
			VIRTIO_GPU_RESP_OK_NODATA;
		if (rtype == VIRTIO_GPU_RESP_OK_NODATA)
			r->mapped = false;
		break;
	}
	case VIRTIO_GPU_CMD_CTX_CREATE:
		if (fake_check_fixed(host, req, len, sizeof(struct virtio_gpu_ctx_create),
				     false))
			rtype = fake_ctx_create(host, (const void *)req);
		break;
	case VIRTIO_GPU_CMD_CTX_DESTROY:
		if (fake_check_fixed(host, req, len, sizeof(*hdr), false))
			rtype = fake_ctx_destroy(host, le32_to_cpu(hdr->ctx_id));
		break;
	case VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE:
	case VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE:
		if (fake_check_fixed(host, req, len, sizeof(struct virtio_gpu_ctx_resource),
				     true))
			rtype = fake_ctx_res(host, (const void *)req,
					     type == VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE);
		break;
	case VIRTIO_GPU_CMD_SUBMIT_3D: {
		const struct virtio_gpu_cmd_submit *c = (const void *)req;
		struct vgpu_fake_ctx *x;

		if (len < sizeof(*c) || len != sizeof(*c) + le32_to_cpu(c->size) ||
		    c->padding) {
			fake_protocol_error(host, "submit size does not match", type);
			break;
		}
		x = vgpu_fake_host_ctx(host, le32_to_cpu(hdr->ctx_id));
		rtype = VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
		if (x) {
			x->submits++;
			x->submitted_bytes += le32_to_cpu(c->size);
			rtype = VIRTIO_GPU_RESP_OK_NODATA;
		}
		break;
	}
	case VIRTIO_GPU_CMD_UPDATE_CURSOR:
	case VIRTIO_GPU_CMD_MOVE_CURSOR: {
		const struct virtio_gpu_update_cursor *c = (const void *)req;

		if (!fake_check_fixed(host, req, len, sizeof(*c), true) || c->pos.padding)
			break;
		if (type == VIRTIO_GPU_CMD_MOVE_CURSOR) {
			host->cursor.pos = c->pos;
			host->cursor_moves++;
		} else {
			host->cursor = *c;
			host->cursor_updates++;
		}
		rtype = VIRTIO_GPU_RESP_OK_NODATA;
		break;
	}
	default:
		fake_protocol_error(host, "unknown command", type);
		break;
	}
answer:
	if (vgpu_proto_resp_errno(rtype) || rtype == VIRTIO_GPU_RESP_OK_NODATA)
		rlen = sizeof(*rhdr);
	fake_resp_hdr(rhdr, hdr, rtype);
	return rlen;
}

static struct vgpu_fake_rule *fake_match_rule(struct vgpu_fake_host *host,
					      u32 type)
{
	unsigned int i;

	for (i = 0; i < VGPU_FAKE_MAX_RULES; i++) {
		struct vgpu_fake_rule *r = &host->rules[i];

		if (r->count && (!r->type || r->type == type)) {
			if (r->count > 0)
				r->count--;
			return r;
		}
	}
	return NULL;
}

struct fake_seg {
	u8 *va;
	u32 len;
	bool write;
};

/* Walk one chain, following an indirect table if there is one. */
static int fake_walk_chain(struct vgpu_fake_host *host,
			   struct vgpu_fake_queue *fq, u16 head,
			   struct fake_seg *segs)
{
	struct virtio_device *vdev = &host->vdev;
	struct vring_desc *table = fq->vr.desc;
	unsigned int limit = fq->num, n = 0, steps = 0;
	u16 i = head;

	for (;;) {
		struct vring_desc *d = &table[i];
		u16 flags = virtio16_to_cpu(vdev, d->flags);

		if (++steps > limit || n >= VGPU_FAKE_MAX_SEGS)
			return -E2BIG;
		if (flags & VRING_DESC_F_INDIRECT) {
			if (table != fq->vr.desc)
				return -EINVAL;
			table = phys_to_virt(virtio64_to_cpu(vdev, d->addr));
			limit = virtio32_to_cpu(vdev, d->len) / sizeof(*d);
			steps = 0;
			i = 0;
			continue;
		}
		segs[n].va = phys_to_virt(virtio64_to_cpu(vdev, d->addr));
		segs[n].len = virtio32_to_cpu(vdev, d->len);
		segs[n].write = flags & VRING_DESC_F_WRITE;
		if (n && segs[n - 1].write && !segs[n].write)
			return -EINVAL;	/* readable after writable */
		n++;
		if (!(flags & VRING_DESC_F_NEXT))
			return n;
		i = virtio16_to_cpu(vdev, d->next);
		if (i >= limit)
			return -EINVAL;
	}
}

static void fake_push_used(struct vgpu_fake_host *host,
			   struct vgpu_fake_queue *fq, u16 head, u32 len)
{
	struct virtio_device *vdev = &host->vdev;
	u16 idx = virtio16_to_cpu(vdev, fq->vr.used->idx);
	struct vring_used_elem *e = &fq->vr.used->ring[idx % fq->num];

	e->id = cpu_to_virtio32(vdev, head);
	e->len = cpu_to_virtio32(vdev, len);
	/* The element must be visible before the index that publishes it. */
	virtio_wmb(true);
	fq->vr.used->idx = cpu_to_virtio16(vdev, idx + 1);
}

/*
 * Handle one chain. Returns true when an answer was pushed to the used
 * ring (the caller raises the interrupt).
 */
static bool fake_handle_chain(struct vgpu_fake_host *host, unsigned int qi,
			      u16 head)
{
	struct vgpu_fake_queue *fq = &host->q[qi];
	struct fake_seg segs[VGPU_FAKE_MAX_SEGS];
	u32 req_len = 0, room = 0, resp_len, resp_cap, used, off, i;
	struct vgpu_fake_rule *rule;
	struct vgpu_fake_cmd *cmd;
	u8 *req = NULL, *resp = NULL;
	int n;
	u32 type = 0;

	n = fake_walk_chain(host, fq, head, segs);
	if (n <= 0) {
		fake_protocol_error(host, "malformed descriptor chain", 0);
		fake_push_used(host, fq, head, 0);
		return true;
	}
	for (i = 0; i < n; i++) {
		if (segs[i].write)
			room += segs[i].len;
		else
			req_len += segs[i].len;
	}
	req = kzalloc(max_t(u32, min_t(u32, req_len, FAKE_REQ_MAX),
			    sizeof(struct virtio_gpu_ctrl_hdr)), GFP_ATOMIC);
	resp_cap = max_t(u32, FAKE_RESP_MAX,
			 min_t(u32, room, sizeof(struct virtio_gpu_ctrl_hdr) + FAKE_CAPSET_MAX));
	resp = kzalloc(resp_cap, GFP_ATOMIC);
	cmd = kzalloc(sizeof(*cmd), GFP_ATOMIC);
	if (!req || !resp || !cmd) {
		fake_protocol_error(host, "host out of memory", 0);
		fake_push_used(host, fq, head, 0);
		goto out;
	}
	for (i = 0, off = 0; i < n && !segs[i].write; i++) {
		u32 c = min_t(u32, segs[i].len, FAKE_REQ_MAX - off);

		memcpy(req + off, segs[i].va, c);
		off += c;
	}
	type = le32_to_cpu(((struct virtio_gpu_ctrl_hdr *)req)->type);

	cmd->queue = qi;
	cmd->type = type;
	cmd->req_len = req_len;
	cmd->resp_room = room;
	memcpy(cmd->req, req, min_t(u32, req_len, sizeof(cmd->req)));
	list_add_tail(&cmd->link, &host->log);
	host->commands++;
	cmd = NULL;
	if (qi == 0 && !host->queries_over && type != VIRTIO_GPU_CMD_GET_DISPLAY_INFO &&
	    type != VIRTIO_GPU_CMD_GET_EDID && type != VIRTIO_GPU_CMD_GET_CAPSET_INFO &&
	    type != VIRTIO_GPU_CMD_GET_CAPSET) {
		host->queries_over = true;
		host->query_notifies = host->q[0].notifies - 1;
	}

	/* A host that answers with an error has done nothing. */
	rule = fake_match_rule(host, type);
	if (req_len < sizeof(struct virtio_gpu_ctrl_hdr)) {
		fake_protocol_error(host, "request shorter than a header", type);
		resp_len = 0;
	} else if (!fake_check_hdr(host, (void *)req)) {
		fake_resp_hdr((void *)resp, (void *)req, VIRTIO_GPU_RESP_ERR_UNSPEC);
		resp_len = sizeof(struct virtio_gpu_ctrl_hdr);
	} else if (rule && rule->fault == VGPU_FAKE_ERROR) {
		resp_len = 0;
	} else {
		resp_len = fake_execute(host, qi, req, min_t(u32, req_len, FAKE_REQ_MAX),
					resp, resp_cap);
	}

	if (rule && rule->fault == VGPU_FAKE_DROP)
		goto out;
	if (rule && rule->fault == VGPU_FAKE_ERROR) {
		memset(resp, 0, resp_cap);
		fake_resp_hdr((void *)resp, (void *)req, rule->resp_type);
		resp_len = sizeof(struct virtio_gpu_ctrl_hdr);
	}
	if (rule && rule->fault == VGPU_FAKE_TRUNCATE)
		resp_len = min(resp_len, rule->len);
	if (rule && rule->fault == VGPU_FAKE_FENCE_ID) {
		struct virtio_gpu_ctrl_hdr *rh = (void *)resp;

		rh->flags |= cpu_to_le32(VIRTIO_GPU_FLAG_FENCE);
		rh->fence_id = cpu_to_le64(rule->fence_id);
	}
	if (resp_len > room && (qi == 0 || room))
		fake_protocol_error(host, "response does not fit the room given", type);

	for (i = 0, off = 0; i < n; i++) {
		u32 c;

		if (!segs[i].write)
			continue;
		c = min_t(u32, segs[i].len, resp_len - min(off, resp_len));
		memcpy(segs[i].va, resp + off, c);
		off += c;
	}
	used = min(resp_len, room);
	if (rule && rule->fault == VGPU_FAKE_OVERSIZE)
		used = room + rule->len;

	if (fq->hold) {
		struct vgpu_fake_pending *p = kzalloc(sizeof(*p), GFP_ATOMIC);

		if (p) {
			p->head = head;
			p->used_len = used;
			list_add_tail(&p->link, &fq->pending);
			goto out;
		}
	}
	fake_push_used(host, fq, head, used);
	kfree(req);
	kfree(resp);
	return true;
out:
	kfree(cmd);
	kfree(req);
	kfree(resp);
	return false;
}

static void fake_process(struct vgpu_fake_host *host, unsigned int index,
			 bool from_notify)
{
	struct vgpu_fake_queue *fq = &host->q[index];
	struct virtio_device *vdev = &host->vdev;
	bool answered = false;
	unsigned long flags;
	u16 avail;

	spin_lock_irqsave(&host->lock, flags);
	if (fq->vq && !fq->stalled && (host->status & VIRTIO_CONFIG_S_DRIVER_OK ||
				       !host->registered)) {
		avail = virtio16_to_cpu(vdev, READ_ONCE(fq->vr.avail->idx));
		virtio_rmb(true);
		while (fq->last_avail != avail) {
			u16 head = virtio16_to_cpu(vdev,
				fq->vr.avail->ring[fq->last_avail % fq->num]);

			fq->last_avail++;
			answered |= fake_handle_chain(host, index, head);
		}
	}
	spin_unlock_irqrestore(&host->lock, flags);
	if (!answered)
		return;
	if (from_notify)
		queue_work(system_highpri_wq, &fq->irq);
	else
		vring_interrupt(0, fq->vq);
}

/**
 * vgpu_fake_host_process - take every new buffer off a queue and answer
 * @host: host
 * @index: queue
 *
 * For tests (to resume a stalled queue, say): answers and interrupts at
 * once, so call it without driver locks held.
 */
void vgpu_fake_host_process(struct vgpu_fake_host *host, unsigned int index)
{
	fake_process(host, index, false);
}

/**
 * vgpu_fake_host_release - answer the commands held back on a queue
 * @host: host
 * @index: queue
 * @reverse: newest first instead of oldest first
 *
 * Return: how many were answered.
 */
unsigned int vgpu_fake_host_release(struct vgpu_fake_host *host,
				    unsigned int index, bool reverse)
{
	struct vgpu_fake_queue *fq = &host->q[index];
	struct vgpu_fake_pending *p;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	while (!list_empty(&fq->pending)) {
		p = reverse ? list_last_entry(&fq->pending, typeof(*p), link) :
			      list_first_entry(&fq->pending, typeof(*p), link);
		list_del(&p->link);
		fake_push_used(host, fq, p->head, p->used_len);
		kfree(p);
		n++;
	}
	spin_unlock_irqrestore(&host->lock, flags);
	if (n)
		vring_interrupt(0, fq->vq);
	return n;
}

/**
 * vgpu_fake_host_count - commands of a type received so far
 * @host: host
 * @type: VIRTIO_GPU_CMD_*, 0 for all
 *
 * Return: the count.
 */
unsigned int vgpu_fake_host_count(struct vgpu_fake_host *host, u32 type)
{
	struct vgpu_fake_cmd *c;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	list_for_each_entry(c, &host->log, link)
		n += !type || c->type == type;
	spin_unlock_irqrestore(&host->lock, flags);
	return n;
}

static bool fake_notify(struct virtqueue *vq)
{
	struct vgpu_fake_host *host = to_host(vq->vdev);

	host->q[vq->index].notifies++;
	fake_process(host, vq->index, true);
	return true;
}

/**
 * vgpu_fake_host_new_vq - create the driver's virtqueue on a host ring
 * @host: host
 * @index: queue index (0 control, 1 cursor)
 * @callback: the driver's interrupt callback
 * @name: queue name
 *
 * Return: the virtqueue, or NULL.
 */
struct virtqueue *vgpu_fake_host_new_vq(struct vgpu_fake_host *host,
					unsigned int index,
					void (*callback)(struct virtqueue *vq),
					const char *name)
{
	struct vgpu_fake_queue *fq = &host->q[index];

	fq->num = host->ring_num;
	fq->ring_size = PAGE_ALIGN(vring_size(fq->num, FAKE_ALIGN));
	fq->ring = alloc_pages_exact(fq->ring_size, GFP_KERNEL | __GFP_ZERO);
	if (!fq->ring)
		return NULL;
	vring_init(&fq->vr, fq->num, fq->ring, FAKE_ALIGN);
	fq->last_avail = 0;
	fq->vq = vring_new_virtqueue(index, fq->num, FAKE_ALIGN, &host->vdev,
				     true, false, fq->ring, fake_notify,
				     callback, name);
	if (!fq->vq) {
		free_pages_exact(fq->ring, fq->ring_size);
		fq->ring = NULL;
	}
	return fq->vq;
}

/**
 * vgpu_fake_host_del_vqs - delete the driver's virtqueues and their rings
 * @host: host
 */
void vgpu_fake_host_del_vqs(struct vgpu_fake_host *host)
{
	struct vgpu_fake_pending *p, *tmp;
	unsigned int i;

	for (i = 0; i < VGPU_FAKE_QUEUES; i++) {
		struct vgpu_fake_queue *fq = &host->q[i];

		if (fq->vq) {
			flush_work(&fq->irq);
			vring_del_virtqueue(fq->vq);
		}
		fq->vq = NULL;
		if (fq->ring)
			free_pages_exact(fq->ring, fq->ring_size);
		fq->ring = NULL;
		list_for_each_entry_safe(p, tmp, &fq->pending, link) {
			list_del(&p->link);
			kfree(p);
		}
	}
}

/**
 * vgpu_fake_host_raise_event - set bits in events_read (and interrupt)
 * @host: host
 * @events: VIRTIO_GPU_EVENT_* bits
 */
void vgpu_fake_host_raise_event(struct vgpu_fake_host *host, u32 events)
{
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	host->events_read |= events;
	spin_unlock_irqrestore(&host->lock, flags);
	if (host->registered)
		virtio_config_changed(&host->vdev);
}

/* virtio_config_ops of the registered fake device */

static void fake_get(struct virtio_device *vdev, unsigned int offset,
		     void *buf, unsigned int len)
{
	struct vgpu_fake_host *host = to_host(vdev);
	/*
	 * The config space as the specification lays it out (virtio 1.4,
	 * blob_alignment last), whether or not the kernel's header knows
	 * the last field.
	 */
	struct {
		__le32 events_read;
		__le32 events_clear;
		__le32 num_scanouts;
		__le32 num_capsets;
		__le32 blob_alignment;
	} c = {};
	unsigned long flags;

	spin_lock_irqsave(&host->lock, flags);
	c.events_read = cpu_to_le32(host->events_read);
	c.num_scanouts = cpu_to_le32(host->num_scanouts);
	c.num_capsets = cpu_to_le32(host->num_capsets);
	if (host->features & BIT_ULL(VGPU_FAKE_F_BLOB_ALIGNMENT))
		c.blob_alignment = cpu_to_le32(host->align);
	spin_unlock_irqrestore(&host->lock, flags);
	if (offset > sizeof(c) || len > sizeof(c) - offset)
		memset(buf, 0, len);
	else
		memcpy(buf, (u8 *)&c + offset, len);
}

static void fake_set(struct virtio_device *vdev, unsigned int offset,
		     const void *buf, unsigned int len)
{
	struct vgpu_fake_host *host = to_host(vdev);
	unsigned long flags;
	__le32 v;

	if (offset != offsetof(struct virtio_gpu_config, events_clear) ||
	    len != sizeof(v))
		return;
	memcpy(&v, buf, sizeof(v));
	spin_lock_irqsave(&host->lock, flags);
	host->events_cleared |= le32_to_cpu(v);
	host->events_read &= ~le32_to_cpu(v);
	spin_unlock_irqrestore(&host->lock, flags);
}

static u8 fake_get_status(struct virtio_device *vdev)
{
	return to_host(vdev)->status;
}

static void fake_set_status(struct virtio_device *vdev, u8 status)
{
	struct vgpu_fake_host *host = to_host(vdev);

	if (host->refuse_features)
		status &= ~VIRTIO_CONFIG_S_FEATURES_OK;
	host->status = status;
}

static void fake_reset(struct virtio_device *vdev)
{
	struct vgpu_fake_host *host = to_host(vdev);
	unsigned long flags;
	unsigned int i;

	spin_lock_irqsave(&host->lock, flags);
	host->status = 0;
	host->resets++;
	for (i = 0; i < VIRTIO_GPU_MAX_SCANOUTS; i++)
		if (host->scanout_res[i]) {
			host->resets_shown++;
			break;
		}
	/* A reset device forgets resources, contexts and what it showed. */
	memset(host->res, 0, sizeof(host->res));
	memset(host->ctx, 0, sizeof(host->ctx));
	memset(host->scanout_res, 0, sizeof(host->scanout_res));
	spin_unlock_irqrestore(&host->lock, flags);
}

static int fake_new_vqs(struct virtio_device *vdev, unsigned int nvqs,
			struct virtqueue *vqs[], vq_callback_t *callbacks[],
			const char * const names[])
{
	struct vgpu_fake_host *host = to_host(vdev);
	unsigned int i;

	if (nvqs > VGPU_FAKE_QUEUES)
		return -EINVAL;
	for (i = 0; i < nvqs; i++) {
		vqs[i] = vgpu_fake_host_new_vq(host, i, callbacks[i], names[i]);
		if (!vqs[i]) {
			vgpu_fake_host_del_vqs(host);
			return -ENOMEM;
		}
	}
	return 0;
}

VGPU_DEFINE_FIND_VQS(fake, fake_new_vqs)

static void fake_del_vqs(struct virtio_device *vdev)
{
	vgpu_fake_host_del_vqs(to_host(vdev));
}

static u64 fake_get_features(struct virtio_device *vdev)
{
	return to_host(vdev)->features;
}

static int fake_finalize_features(struct virtio_device *vdev)
{
	to_host(vdev)->negotiated = vdev->features;
	return 0;
}

static bool fake_get_shm_region(struct virtio_device *vdev,
				struct virtio_shm_region *region, u8 id)
{
	struct vgpu_fake_host *host = to_host(vdev);

	if (id != VIRTIO_GPU_SHM_ID_HOST_VISIBLE || !host->hostmem)
		return false;
	region->addr = host->hostmem_phys;
	region->len = host->hostmem_size;
	return true;
}

static const char *fake_bus_name(struct virtio_device *vdev)
{
	return "vgpu-fake";
}

static const struct virtio_config_ops fake_config_ops = {
	.get = fake_get,
	.set = fake_set,
	.get_status = fake_get_status,
	.set_status = fake_set_status,
	.reset = fake_reset,
	.find_vqs = fake_find_vqs,
	.del_vqs = fake_del_vqs,
	.get_features = fake_get_features,
	.finalize_features = fake_finalize_features,
	.bus_name = fake_bus_name,
	.get_shm_region = fake_get_shm_region,
};

static void fake_vdev_release(struct device *dev)
{
	/* The host owns the memory; vgpu_fake_host_destroy() frees it. */
}

/* A parent that can map DMA, as a PCI function can. */
struct fake_parent {
	struct device dev;
	u64 dma_mask;
};

static void fake_parent_release(struct device *dev)
{
	kfree(container_of(dev, struct fake_parent, dev));
}

/**
 * vgpu_fake_host_query_notifies - notifications the probe's queries took
 * @host: host
 *
 * Return: control-queue notifications before the first command that is
 * not a query, or all of them when there was none.
 */
unsigned int vgpu_fake_host_query_notifies(struct vgpu_fake_host *host)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&host->lock, flags);
	n = host->queries_over ? host->query_notifies : host->q[0].notifies;
	spin_unlock_irqrestore(&host->lock, flags);
	return n;
}

/* One host at a time owns the window. */
static atomic_t fake_hostmem_busy = ATOMIC_INIT(0);

/*
 * The host-visible region is BAR 2 of an ivshmem-plain device (the rig
 * adds one): memory outside the guest's RAM, as a real device's window
 * is, so the driver can reserve it and map it into processes. The host
 * keeps a write-combined mapping of its own, which every cache type the
 * guest may choose is compatible with.
 */
static int fake_hostmem_claim(struct vgpu_fake_host *host)
{
	struct pci_dev *pdev;

	pdev = pci_get_device(PCI_VENDOR_ID_REDHAT_QUMRANET, 0x1110, NULL);
	if (!pdev) {
		snprintf(host->last_error, sizeof(host->last_error),
			 "no ivshmem device for the host-visible region");
		return -ENODEV;
	}
	if (pci_resource_len(pdev, 2) < host->hostmem_size ||
	    atomic_cmpxchg(&fake_hostmem_busy, 0, 1)) {
		snprintf(host->last_error, sizeof(host->last_error),
			 "ivshmem BAR 2 too small (%llu) or in use",
			 (u64)pci_resource_len(pdev, 2));
		pci_dev_put(pdev);
		return -EBUSY;
	}
	host->hostmem_phys = pci_resource_start(pdev, 2);
	host->hostmem = memremap(host->hostmem_phys, host->hostmem_size,
				 MEMREMAP_WC);
	if (!host->hostmem) {
		atomic_set(&fake_hostmem_busy, 0);
		pci_dev_put(pdev);
		return -ENOMEM;
	}
	memset(host->hostmem, 0, host->hostmem_size);
	host->hostmem_pdev = pdev;
	return 0;
}

static void fake_hostmem_release(struct vgpu_fake_host *host)
{
	if (!host->hostmem_pdev)
		return;
	memunmap(host->hostmem);
	host->hostmem = NULL;
	pci_dev_put(host->hostmem_pdev);
	host->hostmem_pdev = NULL;
	atomic_set(&fake_hostmem_busy, 0);
}

/**
 * vgpu_fake_host_register - put the device on the virtio bus
 * @host: a configured host
 *
 * The device gets a parent of its own (as a virtio-pci device has its PCI
 * function); the vgpu driver, already registered, probes it before this
 * returns. A failure is described in @host->last_error.
 *
 * Return: 0 or the error of the step that failed.
 */
int vgpu_fake_host_register(struct vgpu_fake_host *host)
{
	static atomic_t serial = ATOMIC_INIT(0);
	struct fake_parent *fp;
	struct device *parent;
	int ret;

	if (host->hostmem_size && !host->hostmem) {
		ret = fake_hostmem_claim(host);
		if (ret)
			return ret;
	}
	fp = kzalloc(sizeof(*fp), GFP_KERNEL);
	if (!fp)
		return -ENOMEM;
	parent = &fp->dev;
	device_initialize(parent);
	fp->dma_mask = DMA_BIT_MASK(64);
	parent->dma_mask = &fp->dma_mask;
	parent->coherent_dma_mask = DMA_BIT_MASK(64);
	parent->release = fake_parent_release;
	ret = dev_set_name(parent, "vgpu_fake%d", atomic_inc_return(&serial));
	if (!ret)
		ret = device_add(parent);
	if (ret) {
		snprintf(host->last_error, sizeof(host->last_error),
			 "parent device: %d", ret);
		put_device(parent);
		return ret;
	}
	memset(&host->vdev, 0, sizeof(host->vdev));
	host->vdev.dev.parent = parent;
	host->vdev.dev.release = fake_vdev_release;
	host->vdev.config = &fake_config_ops;
	host->vdev.id.device = VIRTIO_ID_GPU;
	host->vdev.id.vendor = 0x1af4;
	ret = register_virtio_device(&host->vdev);
	if (ret) {
		snprintf(host->last_error, sizeof(host->last_error),
			 "register_virtio_device: %d", ret);
		put_device(&host->vdev.dev);
		device_unregister(parent);
		return ret;
	}
	host->registered = true;
	return 0;
}

/**
 * vgpu_fake_host_unregister - take the device off the bus (driver removes)
 * @host: a registered host
 */
void vgpu_fake_host_unregister(struct vgpu_fake_host *host)
{
	struct device *parent = host->vdev.dev.parent;

	if (!host->registered)
		return;
	unregister_virtio_device(&host->vdev);
	host->registered = false;
	device_unregister(parent);
}

/**
 * vgpu_fake_host_destroy - free the host and its command log
 * @host: host, unregistered and without queues; may be NULL
 */
void vgpu_fake_host_destroy(struct vgpu_fake_host *host)
{
	struct vgpu_fake_cmd *c, *tmp;

	if (!host)
		return;
	vgpu_fake_host_unregister(host);
	vgpu_fake_host_del_vqs(host);
	list_for_each_entry_safe(c, tmp, &host->log, link) {
		list_del(&c->link);
		kfree(c);
	}
	fake_hostmem_release(host);
	kfree(host);
}
