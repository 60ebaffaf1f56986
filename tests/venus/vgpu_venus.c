// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu_venus: unmodified Mesa Venus (Vulkan over virtio-gpu) renders
 * through the driver under test, with no window system.
 *
 * On the Venus device only (driverID VK_DRIVER_ID_MESA_VENUS), every frame:
 *   - a rectangle at a new place is drawn by a real pipeline (quad.vert,
 *     quad.frag: an 8x8 checkerboard of two push-constant colours) into an
 *     optimal-tiling image cleared to a third colour; its vertices are
 *     written through a mapping of one part of a host-visible buffer;
 *   - the image is copied into host-visible coherent memory, which is
 *     mapped in two parts, and every pixel is checked;
 *   - completion is awaited in turn by a fence, by the timeline semaphore
 *     the submission signals and by vkQueueWaitIdle; every fourth frame
 *     the GPU first waits for a timeline value the CPU signals later, and
 *     every fifth the fence is exported as a sync_fd and polled (when the
 *     driver offers sync_fd export).
 * Then host-visible memory is allocated, mapped whole and in parts,
 * checked and freed (-m times), and empty submissions measure the
 * submit-to-fence round trip (-l times, waited; then as many unwaited).
 *
 * What the kernel driver makes of Venus's memory on a real host:
 *   -x: host-visible memory Venus allocated is, on its render node, a
 *       host3d blob (RESOURCE_INFO), mapped through the driver (MAP)
 *       whole, in part and at offsets, showing what Vulkan wrote and the
 *       other way round; a mapping past its end is refused;
 *   -r MiB: host-visible allocations mapped until the host-visible region
 *       (that big) is full stop with a Vulkan error before more than the
 *       region is mapped, and once freed the region takes a new one.
 * With -S seconds, the last frame is shown on the first connected output
 * of /dev/dri/card0 (a dumb buffer, scaled) for that long; with -B the
 * framebuffer is a shareable guest blob instead, which the host scans out
 * from the guest pages (SET_SCANOUT_BLOB).
 *
 * usage: vgpu_venus [-f frames] [-s size] [-m alloc cycles] [-l submissions]
 *                   [-n name] [-x] [-r MiB] [-S seconds [-B]] [-a]
 * -a takes the first device of any driver: for checking the program
 * itself on a host's Vulkan (lavapipe).
 * Prints what it checked and a last line
 *   BENCH venus_<name> fps=... allocs_per_s=... submit_us=... submits_per_s=...
 * Exit status: 0 every check passed, 1 a check failed (a "FAIL:" line
 * says which), 77 no Venus device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <vulkan/vulkan.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "virtgpu_drm.h"

#include "quad.frag.h"
#include "quad.vert.h"

/* Every wait is bounded: a hung device fails the test, it does not hang it. */
#define WAIT_NS (10ull * 1000 * 1000 * 1000)
#define SLOTS 16
#define VERTS 6
#define CELL 8

static const char *name = "main";
static int any_driver;
static int show_blob;

static void die(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

#define VK(call) do {						\
	VkResult r_ = (call);					\
	if (r_ != VK_SUCCESS)					\
		die("%s returned %d", #call, r_);		\
} while (0)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct gpu {
	VkInstance inst;
	VkPhysicalDevice phys;
	VkPhysicalDeviceMemoryProperties mem;
	VkDevice dev;
	VkQueue queue;
	uint32_t family;
	VkCommandPool pool;
	VkCommandBuffer cmd;
	int sync_fd;		/* the fence can be exported as a sync_fd */
	PFN_vkGetFenceFdKHR get_fence_fd;
};

struct buffer {
	VkBuffer buf;
	VkDeviceMemory mem;
	VkDeviceSize size;
};

static uint32_t mem_type(struct gpu *g, uint32_t bits, VkMemoryPropertyFlags want,
			 VkMemoryPropertyFlags prefer)
{
	uint32_t i, found = UINT32_MAX;

	for (i = 0; i < g->mem.memoryTypeCount; i++) {
		VkMemoryPropertyFlags f = g->mem.memoryTypes[i].propertyFlags;

		if (!(bits & (1u << i)) || (f & want) != want)
			continue;
		if ((f & prefer) == prefer)
			return i;
		if (found == UINT32_MAX)
			found = i;
	}
	if (found == UINT32_MAX)
		die("no memory type with properties 0x%x", want);
	return found;
}

static void open_venus(struct gpu *g)
{
	VkApplicationInfo app = {
		.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
		.pApplicationName = "vgpu_venus",
		.apiVersion = VK_API_VERSION_1_2,
	};
	VkInstanceCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
		.pApplicationInfo = &app,
	};
	VkPhysicalDevice devs[8];
	uint32_t n = 8, i;
	VkResult r;

	r = vkCreateInstance(&ici, NULL, &g->inst);
	if (r != VK_SUCCESS) {
		/* no ICD loaded at all: Venus is not there */
		printf("SKIP: vkCreateInstance returned %d (no Vulkan driver)\n", r);
		exit(77);
	}
	r = vkEnumeratePhysicalDevices(g->inst, &n, devs);
	if (r != VK_SUCCESS && r != VK_INCOMPLETE)
		n = 0;
	for (i = 0; i < n; i++) {
		VkPhysicalDeviceDriverProperties drv = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_DRIVER_PROPERTIES,
		};
		VkPhysicalDeviceProperties2 p = {
			.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2,
			.pNext = &drv,
		};

		vkGetPhysicalDeviceProperties2(devs[i], &p);
		printf("device %u: %s, driver %s %s\n", i, p.properties.deviceName,
		       drv.driverName, drv.driverInfo);
		if (drv.driverID == VK_DRIVER_ID_MESA_VENUS || any_driver) {
			g->phys = devs[i];
			break;
		}
	}
	if (!g->phys) {
		printf("SKIP: no Venus device among %u\n", n);
		exit(77);
	}
	vkGetPhysicalDeviceMemoryProperties(g->phys, &g->mem);
}

static int has_device_ext(struct gpu *g, const char *ext)
{
	VkExtensionProperties *props;
	uint32_t n = 0, i;
	int found = 0;

	VK(vkEnumerateDeviceExtensionProperties(g->phys, NULL, &n, NULL));
	props = calloc(n, sizeof(*props));
	if (!props)
		die("out of memory");
	VK(vkEnumerateDeviceExtensionProperties(g->phys, NULL, &n, props));
	for (i = 0; i < n; i++)
		found |= !strcmp(props[i].extensionName, ext);
	free(props);
	return found;
}

static void open_device(struct gpu *g)
{
	VkPhysicalDeviceVulkan12Features f12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
	};
	VkPhysicalDeviceFeatures2 f = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2,
		.pNext = &f12,
	};
	VkPhysicalDeviceExternalFenceInfo efi = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_FENCE_INFO,
		.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
	};
	VkExternalFenceProperties efp = {
		.sType = VK_STRUCTURE_TYPE_EXTERNAL_FENCE_PROPERTIES,
	};
	VkQueueFamilyProperties fams[16];
	uint32_t nfam = 16, i;
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
		.queueCount = 1,
		.pQueuePriorities = &prio,
	};
	VkPhysicalDeviceVulkan12Features want12 = {
		.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES,
		.timelineSemaphore = VK_TRUE,
	};
	const char *exts[1];
	VkDeviceCreateInfo dci = {
		.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
		.pNext = &want12,
		.queueCreateInfoCount = 1,
		.pQueueCreateInfos = &qci,
	};
	VkCommandPoolCreateInfo pci = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
		.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
	};
	VkCommandBufferAllocateInfo cai = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
		.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
		.commandBufferCount = 1,
	};

	vkGetPhysicalDeviceFeatures2(g->phys, &f);
	if (!f12.timelineSemaphore)
		die("the Venus device has no timeline semaphores");

	vkGetPhysicalDeviceQueueFamilyProperties(g->phys, &nfam, fams);
	for (i = 0; i < nfam; i++)
		if (fams[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)
			break;
	if (i == nfam)
		die("no graphics queue");
	g->family = i;
	qci.queueFamilyIndex = i;

	vkGetPhysicalDeviceExternalFenceProperties(g->phys, &efi, &efp);
	g->sync_fd = has_device_ext(g, VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME) &&
		(efp.externalFenceFeatures & VK_EXTERNAL_FENCE_FEATURE_EXPORTABLE_BIT);
	if (g->sync_fd)
		exts[dci.enabledExtensionCount++] = VK_KHR_EXTERNAL_FENCE_FD_EXTENSION_NAME;
	printf("sync_fd export of fences: %s\n", g->sync_fd ? "offered" : "not offered");
	dci.ppEnabledExtensionNames = exts;

	VK(vkCreateDevice(g->phys, &dci, NULL, &g->dev));
	vkGetDeviceQueue(g->dev, g->family, 0, &g->queue);
	if (g->sync_fd) {
		g->get_fence_fd = (PFN_vkGetFenceFdKHR)
			vkGetDeviceProcAddr(g->dev, "vkGetFenceFdKHR");
		if (!g->get_fence_fd)
			die("vkGetFenceFdKHR missing although the extension is enabled");
	}
	pci.queueFamilyIndex = g->family;
	VK(vkCreateCommandPool(g->dev, &pci, NULL, &g->pool));
	cai.commandPool = g->pool;
	VK(vkAllocateCommandBuffers(g->dev, &cai, &g->cmd));
}

static void make_buffer(struct gpu *g, struct buffer *b, VkDeviceSize size,
			VkBufferUsageFlags usage, VkMemoryPropertyFlags prefer)
{
	VkBufferCreateInfo bci = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
		.size = size,
		.usage = usage,
		.sharingMode = VK_SHARING_MODE_EXCLUSIVE,
	};
	VkMemoryRequirements req;
	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
	};

	VK(vkCreateBuffer(g->dev, &bci, NULL, &b->buf));
	vkGetBufferMemoryRequirements(g->dev, b->buf, &req);
	mai.allocationSize = req.size;
	mai.memoryTypeIndex = mem_type(g, req.memoryTypeBits,
				       VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
				       VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, prefer);
	VK(vkAllocateMemory(g->dev, &mai, NULL, &b->mem));
	VK(vkBindBufferMemory(g->dev, b->buf, b->mem, 0));
	b->size = size;
}

static void free_buffer(struct gpu *g, struct buffer *b)
{
	vkDestroyBuffer(g->dev, b->buf, NULL);
	vkFreeMemory(g->dev, b->mem, NULL);
}

struct target {
	uint32_t size;
	VkImage image;
	VkDeviceMemory mem;
	VkImageView view;
	VkRenderPass pass;
	VkFramebuffer fb;
	VkShaderModule vert, frag;
	VkPipelineLayout layout;
	VkPipeline pipe;
};

static VkShaderModule shader(struct gpu *g, const uint32_t *code, size_t bytes)
{
	VkShaderModuleCreateInfo ci = {
		.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
		.codeSize = bytes,
		.pCode = code,
	};
	VkShaderModule m;

	VK(vkCreateShaderModule(g->dev, &ci, NULL, &m));
	return m;
}

static void make_target(struct gpu *g, struct target *t)
{
	VkImageCreateInfo ici = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
		.imageType = VK_IMAGE_TYPE_2D,
		.format = VK_FORMAT_R8G8B8A8_UNORM,
		.extent = { t->size, t->size, 1 },
		.mipLevels = 1,
		.arrayLayers = 1,
		.samples = VK_SAMPLE_COUNT_1_BIT,
		.tiling = VK_IMAGE_TILING_OPTIMAL,
		.usage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
	};
	VkMemoryRequirements req;
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };
	VkImageViewCreateInfo vci = {
		.sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
		.viewType = VK_IMAGE_VIEW_TYPE_2D,
		.format = VK_FORMAT_R8G8B8A8_UNORM,
		.subresourceRange = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1 },
	};
	VkAttachmentDescription att = {
		.format = VK_FORMAT_R8G8B8A8_UNORM,
		.samples = VK_SAMPLE_COUNT_1_BIT,
		.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
		.storeOp = VK_ATTACHMENT_STORE_OP_STORE,
		.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
		.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
		.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
		.finalLayout = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
	};
	VkAttachmentReference ref = { 0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL };
	VkSubpassDescription sub = {
		.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
		.colorAttachmentCount = 1,
		.pColorAttachments = &ref,
	};
	/* the copy after the pass reads what the pass wrote */
	VkSubpassDependency dep = {
		.srcSubpass = 0,
		.dstSubpass = VK_SUBPASS_EXTERNAL,
		.srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
		.dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT,
		.srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
		.dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT,
	};
	VkRenderPassCreateInfo rpci = {
		.sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
		.attachmentCount = 1,
		.pAttachments = &att,
		.subpassCount = 1,
		.pSubpasses = &sub,
		.dependencyCount = 1,
		.pDependencies = &dep,
	};
	VkFramebufferCreateInfo fci = {
		.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
		.attachmentCount = 1,
		.width = t->size,
		.height = t->size,
		.layers = 1,
	};
	VkPushConstantRange pcr = { VK_SHADER_STAGE_FRAGMENT_BIT, 0, 2 * 4 * sizeof(float) };
	VkPipelineLayoutCreateInfo plci = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
		.pushConstantRangeCount = 1,
		.pPushConstantRanges = &pcr,
	};
	VkPipelineShaderStageCreateInfo stages[2] = {
		{ .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
		  .stage = VK_SHADER_STAGE_VERTEX_BIT, .pName = "main" },
		{ .sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
		  .stage = VK_SHADER_STAGE_FRAGMENT_BIT, .pName = "main" },
	};
	VkVertexInputBindingDescription vb = { 0, 2 * sizeof(float), VK_VERTEX_INPUT_RATE_VERTEX };
	VkVertexInputAttributeDescription va = { 0, 0, VK_FORMAT_R32G32_SFLOAT, 0 };
	VkPipelineVertexInputStateCreateInfo vis = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
		.vertexBindingDescriptionCount = 1,
		.pVertexBindingDescriptions = &vb,
		.vertexAttributeDescriptionCount = 1,
		.pVertexAttributeDescriptions = &va,
	};
	VkPipelineInputAssemblyStateCreateInfo ias = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
		.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST,
	};
	VkViewport vp = { 0, 0, t->size, t->size, 0, 1 };
	VkRect2D sc = { { 0, 0 }, { t->size, t->size } };
	VkPipelineViewportStateCreateInfo vps = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
		.viewportCount = 1, .pViewports = &vp, .scissorCount = 1, .pScissors = &sc,
	};
	VkPipelineRasterizationStateCreateInfo rs = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
		.polygonMode = VK_POLYGON_MODE_FILL,
		.cullMode = VK_CULL_MODE_NONE,
		.lineWidth = 1.0f,
	};
	VkPipelineMultisampleStateCreateInfo ms = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
		.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT,
	};
	VkPipelineColorBlendAttachmentState cba = { .colorWriteMask = 0xf };
	VkPipelineColorBlendStateCreateInfo cbs = {
		.sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
		.attachmentCount = 1,
		.pAttachments = &cba,
	};
	VkGraphicsPipelineCreateInfo gpci = {
		.sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
		.stageCount = 2,
		.pStages = stages,
		.pVertexInputState = &vis,
		.pInputAssemblyState = &ias,
		.pViewportState = &vps,
		.pRasterizationState = &rs,
		.pMultisampleState = &ms,
		.pColorBlendState = &cbs,
	};

	VK(vkCreateImage(g->dev, &ici, NULL, &t->image));
	vkGetImageMemoryRequirements(g->dev, t->image, &req);
	mai.allocationSize = req.size;
	mai.memoryTypeIndex = mem_type(g, req.memoryTypeBits, 0,
				       VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
	VK(vkAllocateMemory(g->dev, &mai, NULL, &t->mem));
	VK(vkBindImageMemory(g->dev, t->image, t->mem, 0));
	vci.image = t->image;
	VK(vkCreateImageView(g->dev, &vci, NULL, &t->view));
	VK(vkCreateRenderPass(g->dev, &rpci, NULL, &t->pass));
	fci.renderPass = t->pass;
	fci.pAttachments = &t->view;
	VK(vkCreateFramebuffer(g->dev, &fci, NULL, &t->fb));

	t->vert = shader(g, quad_vert, sizeof(quad_vert));
	t->frag = shader(g, quad_frag, sizeof(quad_frag));
	stages[0].module = t->vert;
	stages[1].module = t->frag;
	VK(vkCreatePipelineLayout(g->dev, &plci, NULL, &t->layout));
	gpci.layout = t->layout;
	gpci.renderPass = t->pass;
	VK(vkCreateGraphicsPipelines(g->dev, VK_NULL_HANDLE, 1, &gpci, NULL, &t->pipe));
}

static void free_target(struct gpu *g, struct target *t)
{
	vkDestroyPipeline(g->dev, t->pipe, NULL);
	vkDestroyPipelineLayout(g->dev, t->layout, NULL);
	vkDestroyShaderModule(g->dev, t->vert, NULL);
	vkDestroyShaderModule(g->dev, t->frag, NULL);
	vkDestroyFramebuffer(g->dev, t->fb, NULL);
	vkDestroyRenderPass(g->dev, t->pass, NULL);
	vkDestroyImageView(g->dev, t->view, NULL);
	vkDestroyImage(g->dev, t->image, NULL);
	vkFreeMemory(g->dev, t->mem, NULL);
}

/* The eight colours whose channels are all 0 or 1: exact in UNORM8. */
static void colour(unsigned int i, float rgba[4])
{
	rgba[0] = (i & 1) ? 1.0f : 0.0f;
	rgba[1] = (i & 2) ? 1.0f : 0.0f;
	rgba[2] = (i & 4) ? 1.0f : 0.0f;
	rgba[3] = 1.0f;
}

static uint32_t packed(unsigned int i)
{
	/* R8G8B8A8_UNORM in memory, read as a little-endian word */
	return ((i & 1) ? 0xffu : 0) | ((i & 2) ? 0xff00u : 0) |
		((i & 4) ? 0xff0000u : 0) | 0xff000000u;
}

struct frame {
	uint32_t x0, y0, w, h;		/* the rectangle, in pixels */
	unsigned int even, odd, clear;	/* colour numbers */
};

static void frame_plan(uint32_t size, unsigned int f, struct frame *fr)
{
	fr->w = size / 2;
	fr->h = size / 2;
	fr->x0 = (f * 13) % (size / 2);
	fr->y0 = (f * 7) % (size / 2);
	fr->even = f % 8;
	fr->odd = (f + 3) % 8;
	fr->clear = (f + 5) % 8;
}

static uint32_t expected(const struct frame *fr, uint32_t x, uint32_t y)
{
	if (x < fr->x0 || x >= fr->x0 + fr->w || y < fr->y0 || y >= fr->y0 + fr->h)
		return packed(fr->clear);
	return packed(((x / CELL + y / CELL) & 1) ? fr->odd : fr->even);
}

/* Write the rectangle's vertices through a mapping of its slot only. */
static VkDeviceSize write_vertices(struct gpu *g, struct buffer *vbuf, uint32_t size,
				   unsigned int f, const struct frame *fr)
{
	VkDeviceSize bytes = VERTS * 2 * sizeof(float);
	VkDeviceSize off = (f % SLOTS) * bytes;
	float x0 = -1.0f + 2.0f * fr->x0 / size, x1 = -1.0f + 2.0f * (fr->x0 + fr->w) / size;
	float y0 = -1.0f + 2.0f * fr->y0 / size, y1 = -1.0f + 2.0f * (fr->y0 + fr->h) / size;
	float v[VERTS * 2] = { x0, y0, x1, y0, x1, y1, x0, y0, x1, y1, x0, y1 };
	void *p;

	VK(vkMapMemory(g->dev, vbuf->mem, off, bytes, 0, &p));
	memcpy(p, v, sizeof(v));
	vkUnmapMemory(g->dev, vbuf->mem);
	return off;
}

static void record(struct gpu *g, struct target *t, struct buffer *vbuf, VkDeviceSize voff,
		   struct buffer *rb, const struct frame *fr)
{
	VkCommandBufferBeginInfo bi = {
		.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
		.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
	};
	VkClearValue cv;
	VkRenderPassBeginInfo rbi = {
		.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
		.renderPass = t->pass,
		.framebuffer = t->fb,
		.renderArea = { { 0, 0 }, { t->size, t->size } },
		.clearValueCount = 1,
		.pClearValues = &cv,
	};
	VkBufferImageCopy copy = {
		.imageSubresource = { VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1 },
		.imageExtent = { t->size, t->size, 1 },
	};
	VkBufferMemoryBarrier host = {
		.sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
		.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
		.dstAccessMask = VK_ACCESS_HOST_READ_BIT,
		.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
		.buffer = rb->buf,
		.size = VK_WHOLE_SIZE,
	};
	float pc[8];

	colour(fr->clear, cv.color.float32);
	colour(fr->even, pc);
	colour(fr->odd, pc + 4);
	VK(vkResetCommandBuffer(g->cmd, 0));
	VK(vkBeginCommandBuffer(g->cmd, &bi));
	vkCmdBeginRenderPass(g->cmd, &rbi, VK_SUBPASS_CONTENTS_INLINE);
	vkCmdBindPipeline(g->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, t->pipe);
	vkCmdBindVertexBuffers(g->cmd, 0, 1, &vbuf->buf, &voff);
	vkCmdPushConstants(g->cmd, t->layout, VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(pc), pc);
	vkCmdDraw(g->cmd, VERTS, 1, 0, 0);
	vkCmdEndRenderPass(g->cmd);
	vkCmdCopyImageToBuffer(g->cmd, t->image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
			       rb->buf, 1, &copy);
	vkCmdPipelineBarrier(g->cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT,
			     0, 0, NULL, 1, &host, 0, NULL);
	VK(vkEndCommandBuffer(g->cmd));
}

/* Check every pixel, reading the buffer through two mappings of half of it each. */
static void check_pixels(struct gpu *g, struct buffer *rb, uint32_t size, unsigned int f,
			 const struct frame *fr)
{
	VkDeviceSize half = (VkDeviceSize)size * size * 4 / 2;
	unsigned int part;

	for (part = 0; part < 2; part++) {
		uint32_t first = part * size / 2, y, x;
		const uint32_t *px;
		void *p;

		VK(vkMapMemory(g->dev, rb->mem, part * half, half, 0, &p));
		px = p;
		for (y = first; y < first + size / 2; y++)
			for (x = 0; x < size; x++) {
				uint32_t got = px[(y - first) * size + x];
				uint32_t want = expected(fr, x, y);

				if (got != want)
					die("frame %u: pixel %u,%u: 0x%08x, want 0x%08x (at %u,%u)",
					    f, x, y, got, want, fr->x0, fr->y0);
			}
		vkUnmapMemory(g->dev, rb->mem);
	}
}

static void wait_fence(struct gpu *g, VkFence fence, const char *what, unsigned int f)
{
	VkResult r = vkWaitForFences(g->dev, 1, &fence, VK_TRUE, WAIT_NS);

	if (r != VK_SUCCESS)
		die("frame %u: %s: vkWaitForFences returned %d", f, what, r);
}

static void wait_value(struct gpu *g, VkSemaphore sem, uint64_t value, unsigned int f)
{
	VkSemaphoreWaitInfo wi = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO,
		.semaphoreCount = 1,
		.pSemaphores = &sem,
		.pValues = &value,
	};
	VkResult r = vkWaitSemaphores(g->dev, &wi, WAIT_NS);

	if (r != VK_SUCCESS)
		die("frame %u: vkWaitSemaphores(%llu) returned %d", f,
		    (unsigned long long)value, r);
}

static VkSemaphore timeline(struct gpu *g)
{
	VkSemaphoreTypeCreateInfo tci = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO,
		.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE,
	};
	VkSemaphoreCreateInfo sci = {
		.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO,
		.pNext = &tci,
	};
	VkSemaphore s;

	VK(vkCreateSemaphore(g->dev, &sci, NULL, &s));
	return s;
}

/* The frame's fence as a sync_fd: it must become readable. */
static void poll_sync_fd(struct gpu *g, VkFence fence, unsigned int f)
{
	VkFenceGetFdInfoKHR gi = {
		.sType = VK_STRUCTURE_TYPE_FENCE_GET_FD_INFO_KHR,
		.fence = fence,
		.handleType = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
	};
	struct pollfd pfd = { .events = POLLIN };
	int fd = -1, n;

	VK(g->get_fence_fd(g->dev, &gi, &fd));
	/* -1: the fence had already signalled, which the spec allows */
	if (fd < 0)
		return;
	pfd.fd = fd;
	n = poll(&pfd, 1, WAIT_NS / 1000000);
	close(fd);
	if (n != 1 || !(pfd.revents & POLLIN))
		die("frame %u: the exported sync_fd did not signal (poll %d, revents 0x%x)",
		    f, n, pfd.revents);
}

static double render(struct gpu *g, uint32_t size, unsigned int frames,
		     unsigned int *exported, uint32_t *last)
{
	VkExportFenceCreateInfo efci = {
		.sType = VK_STRUCTURE_TYPE_EXPORT_FENCE_CREATE_INFO,
		.handleTypes = VK_EXTERNAL_FENCE_HANDLE_TYPE_SYNC_FD_BIT,
	};
	VkFenceCreateInfo fci = {
		.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
		.pNext = g->sync_fd ? &efci : NULL,
	};
	struct target t = { .size = size };
	struct buffer vbuf, rb;
	VkSemaphore done, gate;
	VkFence fence;
	unsigned int f;
	double t0;

	make_target(g, &t);
	make_buffer(g, &vbuf, SLOTS * VERTS * 2 * sizeof(float),
		    VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, 0);
	make_buffer(g, &rb, (VkDeviceSize)size * size * 4, VK_BUFFER_USAGE_TRANSFER_DST_BIT,
		    VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
	done = timeline(g);
	gate = timeline(g);
	VK(vkCreateFence(g->dev, &fci, NULL, &fence));

	t0 = now();
	for (f = 0; f < frames; f++) {
		uint64_t signal = f + 1, gate_value = f + 1, value;
		VkPipelineStageFlags stage = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
		int gated = f % 4 == 3, export = g->sync_fd && f % 5 == 4;
		VkTimelineSemaphoreSubmitInfo tsi = {
			.sType = VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO,
			.waitSemaphoreValueCount = gated,
			.pWaitSemaphoreValues = &gate_value,
			.signalSemaphoreValueCount = 1,
			.pSignalSemaphoreValues = &signal,
		};
		VkSubmitInfo si = {
			.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
			.pNext = &tsi,
			.waitSemaphoreCount = gated,
			.pWaitSemaphores = &gate,
			.pWaitDstStageMask = &stage,
			.commandBufferCount = 1,
			.pCommandBuffers = &g->cmd,
			.signalSemaphoreCount = 1,
			.pSignalSemaphores = &done,
		};
		struct frame fr;
		VkDeviceSize voff;
		VkResult r;

		frame_plan(size, f, &fr);
		voff = write_vertices(g, &vbuf, size, f, &fr);
		record(g, &t, &vbuf, voff, &rb, &fr);
		VK(vkResetFences(g->dev, 1, &fence));
		VK(vkQueueSubmit(g->queue, 1, &si, fence));

		if (gated) {
			VkSemaphoreSignalInfo ssi = {
				.sType = VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO,
				.semaphore = gate,
				.value = gate_value,
			};

			/* the GPU waits for the CPU: nothing can have finished */
			r = vkGetFenceStatus(g->dev, fence);
			if (r != VK_NOT_READY)
				die("frame %u: done before its wait was signalled (%d)",
				    f, r);
			VK(vkSignalSemaphore(g->dev, &ssi));
		}

		if (export) {
			/* exporting a sync_fd resets the fence: the timeline says when */
			poll_sync_fd(g, fence, f);
			wait_value(g, done, signal, f);
			(*exported)++;
		} else {
			switch (f % 3) {
			case 0:
				wait_fence(g, fence, "fence", f);
				break;
			case 1:
				wait_value(g, done, signal, f);
				wait_fence(g, fence, "fence after its timeline value", f);
				break;
			default:
				VK(vkQueueWaitIdle(g->queue));
				r = vkGetFenceStatus(g->dev, fence);
				if (r != VK_SUCCESS)
					die("frame %u: fence %d after vkQueueWaitIdle",
					    f, r);
				break;
			}
		}
		VK(vkGetSemaphoreCounterValue(g->dev, done, &value));
		if (value != signal)
			die("frame %u: timeline at %llu, want %llu", f,
			    (unsigned long long)value, (unsigned long long)signal);
		check_pixels(g, &rb, size, f, &fr);
	}
	t0 = now() - t0;
	if (last) {
		void *p;

		VK(vkMapMemory(g->dev, rb.mem, 0, VK_WHOLE_SIZE, 0, &p));
		memcpy(last, p, (size_t)size * size * 4);
		vkUnmapMemory(g->dev, rb.mem);
	}

	vkDestroyFence(g->dev, fence, NULL);
	vkDestroySemaphore(g->dev, done, NULL);
	vkDestroySemaphore(g->dev, gate, NULL);
	free_buffer(g, &rb);
	free_buffer(g, &vbuf);
	free_target(g, &t);
	return frames / t0;
}

/*
 * Host-visible memory: allocate, map whole and write, map a part in the
 * middle and check it, free. Returns allocations per second.
 */
static double churn(struct gpu *g, unsigned int cycles)
{
	const VkDeviceSize size = 256 * 1024, part = 4096, off = 64 * 1024;
	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.allocationSize = size,
		.memoryTypeIndex = mem_type(g, ~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					    VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 0),
	};
	unsigned int c, i;
	double t0 = now();

	for (c = 0; c < cycles; c++) {
		VkDeviceMemory mem;
		uint32_t *p;

		VK(vkAllocateMemory(g->dev, &mai, NULL, &mem));
		VK(vkMapMemory(g->dev, mem, 0, VK_WHOLE_SIZE, 0, (void **)&p));
		for (i = 0; i < size / 4; i++)
			p[i] = c * 0x10001u + i;
		vkUnmapMemory(g->dev, mem);
		VK(vkMapMemory(g->dev, mem, off, part, 0, (void **)&p));
		for (i = 0; i < part / 4; i++)
			if (p[i] != c * 0x10001u + off / 4 + i)
				die("allocation %u: word %llu: 0x%08x in a 2nd mapping",
				    c, (unsigned long long)(off / 4 + i), p[i]);
		vkUnmapMemory(g->dev, mem);
		vkFreeMemory(g->dev, mem, NULL);
	}
	return cycles / (now() - t0);
}

/* Empty submissions: the round trip to a fence, then the rate unwaited. */
static void submits(struct gpu *g, unsigned int n, double *us, double *rate)
{
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkSubmitInfo si = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO };
	VkFence fence;
	unsigned int i;
	double t0;

	VK(vkCreateFence(g->dev, &fci, NULL, &fence));
	t0 = now();
	for (i = 0; i < n; i++) {
		VK(vkQueueSubmit(g->queue, 1, &si, fence));
		wait_fence(g, fence, "empty submission", i);
		VK(vkResetFences(g->dev, 1, &fence));
	}
	*us = (now() - t0) * 1e6 / n;
	t0 = now();
	for (i = 0; i < n; i++)
		VK(vkQueueSubmit(g->queue, 1, &si, i == n - 1 ? fence : VK_NULL_HANDLE));
	wait_fence(g, fence, "last of the unwaited submissions", n);
	*rate = n / (now() - t0);
	vkDestroyFence(g->dev, fence, NULL);
}

static int open_node(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

static void *drm_map(int fd, uint32_t handle, size_t len, off_t off)
{
	struct drm_virtgpu_map map = { .handle = handle };
	void *p;

	if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_MAP, &map))
		die("VIRTGPU_MAP of handle %u: %s", handle, strerror(errno));
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)map.offset + off);
	return p == MAP_FAILED ? NULL : p;
}

/* Compare @n words of a driver mapping with the pattern at word @first. */
static void same_words(const uint32_t *p, size_t first, size_t n, uint32_t seed,
		       const char *what)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (seed ^ (uint32_t)(first + i)))
			die("%s: word %zu: 0x%08x, want 0x%08x", what, first + i,
			    p[i], seed ^ (uint32_t)(first + i));
}

/*
 * The GEM handle of Venus's own buffer of @size: Mesa opened a render node
 * in this process; its handles are probed with RESOURCE_INFO. (Exporting
 * the memory as a dma-buf needs a host that allocates shareable blobs,
 * which Debian's virglrenderer cannot: see Documentation/rig.rst.)
 */
static uint32_t venus_handle(VkDeviceSize size, int *fd, struct drm_virtgpu_resource_info *info)
{
	char link[64], target[64];
	uint32_t h;
	int f;

	for (f = 3; f < 1024; f++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", f);
		n = readlink(link, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = 0;
		if (strncmp(target, "/dev/dri/renderD", 16))
			continue;
		for (h = 1; h < 4096; h++) {
			memset(info, 0, sizeof(*info));
			info->bo_handle = h;
			if (!drmIoctl(f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, info) &&
			    info->size == size) {
				*fd = f;
				return h;
			}
		}
	}
	die("no buffer of %llu bytes on Venus's render node", (unsigned long long)size);
	return 0;
}

/*
 * Venus's host-visible memory as the kernel driver has it: a host3d blob,
 * mapped through the driver (MAP) whole, in part and at offsets, showing
 * what Vulkan wrote and the other way round; a mapping past its end is
 * refused.
 */
static void host_blob(struct gpu *g)
{
	const VkDeviceSize size = 1536 * 1024;
	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.allocationSize = size,
		.memoryTypeIndex = mem_type(g, ~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					    VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 0),
	};
	struct drm_virtgpu_resource_info info;
	const uint32_t seed = 0x5a000000;
	uint32_t *vk, *whole, *part, *tail, handle;
	VkDeviceMemory mem;
	size_t words = size / 4, i;
	int fd;

	VK(vkAllocateMemory(g->dev, &mai, NULL, &mem));
	VK(vkMapMemory(g->dev, mem, 0, VK_WHOLE_SIZE, 0, (void **)&vk));
	for (i = 0; i < words; i++)
		vk[i] = seed ^ (uint32_t)i;
	handle = venus_handle(size, &fd, &info);
	if (!info.res_handle || info.blob_mem != VIRTGPU_BLOB_MEM_HOST3D)
		die("RESOURCE_INFO: resource %u, %u bytes, blob_mem %u; want a host3d blob",
		    info.res_handle, info.size, info.blob_mem);
	printf("ok resource info: handle %u is host3d blob resource %u of %u bytes\n",
	       handle, info.res_handle, info.size);

	whole = drm_map(fd, handle, size, 0);
	if (!whole)
		die("mmap of the whole blob: %s", strerror(errno));
	same_words(whole, 0, words, seed, "whole mapping");
	/* two pages at 64 KiB, and the last page */
	part = drm_map(fd, handle, 8192, 64 * 1024);
	if (!part)
		die("mmap of 8 KiB at 64 KiB: %s", strerror(errno));
	same_words(part, 64 * 1024 / 4, 8192 / 4, seed, "mapping at 64 KiB");
	tail = drm_map(fd, handle, 4096, size - 4096);
	if (!tail)
		die("mmap of the last page: %s", strerror(errno));
	same_words(tail, (size - 4096) / 4, 1024, seed, "mapping of the last page");
	/* writes through the driver's mappings are what Vulkan's reads */
	part[5] = 0xc0ffee01;
	tail[1023] = 0xc0ffee02;
	if (vk[64 * 1024 / 4 + 5] != 0xc0ffee01 || vk[words - 1] != 0xc0ffee02 ||
	    whole[64 * 1024 / 4 + 5] != 0xc0ffee01)
		die("writes through the driver's mappings: Vulkan reads 0x%08x 0x%08x",
		    vk[64 * 1024 / 4 + 5], vk[words - 1]);
	if (drm_map(fd, handle, 8192, size - 4096))
		die("a mapping past the blob's end was allowed");
	printf("ok blob mappings: whole, 8 KiB at 64 KiB, the last page; %s (%s)\n",
	       "writes both ways; past the end refused", strerror(errno));
	munmap(whole, size);
	munmap(part, 8192);
	munmap(tail, 4096);
	vkUnmapMemory(g->dev, mem);
	vkFreeMemory(g->dev, mem, NULL);
}

#define REGION_CHUNK (64ull << 20)
#define REGION_MAX 40

static int region_take(struct gpu *g, VkDeviceMemory *mem)
{
	VkMemoryAllocateInfo mai = {
		.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
		.allocationSize = REGION_CHUNK,
		.memoryTypeIndex = mem_type(g, ~0u, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					    VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, 0),
	};
	uint32_t *p;
	VkResult r;

	r = vkAllocateMemory(g->dev, &mai, NULL, mem);
	if (r != VK_SUCCESS)
		return r;
	r = vkMapMemory(g->dev, *mem, 0, VK_WHOLE_SIZE, 0, (void **)&p);
	if (r != VK_SUCCESS) {
		vkFreeMemory(g->dev, *mem, NULL);
		return r;
	}
	p[0] = 1;
	p[REGION_CHUNK / 4 - 1] = 2;
	return VK_SUCCESS;
}

/*
 * Map host-visible memory until the host-visible region (@region_mb) is
 * full: allocation or mapping fails cleanly before more than the region is
 * mapped; freed, the region takes a new allocation.
 */
static void region_full(struct gpu *g, unsigned int region_mb)
{
	VkDeviceMemory mems[REGION_MAX];
	unsigned int n, i;
	VkResult r = VK_SUCCESS, full;

	for (n = 0; n < REGION_MAX; n++) {
		r = region_take(g, &mems[n]);
		if (r != VK_SUCCESS)
			break;
	}
	if (r == VK_SUCCESS)
		die("%u MiB mapped in a region of %u MiB", n * 64, region_mb);
	if (r != VK_ERROR_OUT_OF_DEVICE_MEMORY && r != VK_ERROR_MEMORY_MAP_FAILED &&
	    r != VK_ERROR_OUT_OF_HOST_MEMORY)
		die("allocation %u: error %d, want out of memory or map failed", n, r);
	if ((n + 1) * 64 <= region_mb / 2)
		die("the region of %u MiB was full after %u MiB", region_mb, n * 64);
	full = r;
	for (i = 0; i < n; i++) {
		vkUnmapMemory(g->dev, mems[i]);
		vkFreeMemory(g->dev, mems[i], NULL);
	}
	/* Releases reach the host asynchronously: give them 5 s. */
	for (i = 0; i < 50; i++) {
		r = region_take(g, &mems[0]);
		if (r == VK_SUCCESS)
			break;
		usleep(100 * 1000);
	}
	if (r != VK_SUCCESS)
		die("the region did not take a new allocation once freed (%d)", r);
	vkUnmapMemory(g->dev, mems[0]);
	vkFreeMemory(g->dev, mems[0], NULL);
	printf("ok region: %u MiB mapped of %u, then error %d; freed, it takes one again\n",
	       n * 64, region_mb, full);
}

/* Show @img (@size square, R8G8B8A8) on the first connected output. */
static void show(const uint32_t *img, uint32_t size, unsigned int secs)
{
	struct drm_mode_create_dumb cd = { .bpp = 32 };
	struct drm_mode_map_dumb md = { 0 };
	drmModeConnector *conn = NULL;
	drmModeRes *res;
	drmModeEncoder *enc;
	uint32_t fb, crtc, x, y, scale, ox, oy, *px;
	int fd = open_node("/dev/dri/card0");
	int i;

	res = drmModeGetResources(fd);
	if (!res)
		die("no KMS resources on card0: %s", strerror(errno));
	for (i = 0; i < res->count_connectors && !conn; i++) {
		conn = drmModeGetConnector(fd, res->connectors[i]);
		if (conn && (conn->connection != DRM_MODE_CONNECTED || !conn->count_modes)) {
			drmModeFreeConnector(conn);
			conn = NULL;
		}
	}
	if (!conn)
		die("no connected output on card0");
	enc = conn->encoder_id ? drmModeGetEncoder(fd, conn->encoder_id) : NULL;
	crtc = enc && enc->crtc_id ? enc->crtc_id : res->crtcs[0];
	cd.width = conn->modes[0].hdisplay;
	cd.height = conn->modes[0].vdisplay;
	if (show_blob) {
		/* a shareable guest blob: the host scans it out (SET_SCANOUT_BLOB) */
		struct drm_virtgpu_resource_create_blob b = {
			.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
			.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE |
				      VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
			.size = (uint64_t)cd.width * cd.height * 4,
		};
		struct drm_virtgpu_map m = { 0 };

		if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b))
			die("guest blob of %llu bytes: %s", (unsigned long long)b.size,
			    strerror(errno));
		m.handle = b.bo_handle;
		if (drmIoctl(fd, DRM_IOCTL_VIRTGPU_MAP, &m))
			die("VIRTGPU_MAP of the blob: %s", strerror(errno));
		cd.handle = b.bo_handle;
		cd.pitch = cd.width * 4;
		cd.size = b.size;
		md.offset = m.offset;
	} else {
		if (drmIoctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd))
			die("CREATE_DUMB %ux%u: %s", cd.width, cd.height, strerror(errno));
		md.handle = cd.handle;
		if (drmIoctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &md))
			die("MAP_DUMB: %s", strerror(errno));
	}
	px = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, md.offset);
	if (px == MAP_FAILED)
		die("mmap of the dumb buffer: %s", strerror(errno));
	scale = (cd.height < cd.width ? cd.height : cd.width) * 9 / 10 / size;
	scale = scale ? scale : 1;
	ox = (cd.width - size * scale) / 2;
	oy = (cd.height - size * scale) / 2;
	for (y = 0; y < cd.height; y++)
		for (x = 0; x < cd.width; x++) {
			uint32_t v = 0x00202020;

			if (x >= ox && x < ox + size * scale &&
			    y >= oy && y < oy + size * scale) {
				uint32_t c = img[(y - oy) / scale * size + (x - ox) / scale];

				/* R8G8B8A8 in memory to XRGB8888 */
				v = (c & 0xff) << 16 | (c & 0xff00) | (c >> 16 & 0xff);
			}
			px[y * (cd.pitch / 4) + x] = v;
		}
	if (drmModeAddFB(fd, cd.width, cd.height, 24, 32, cd.pitch, cd.handle, &fb))
		die("ADDFB: %s", strerror(errno));
	if (drmModeSetCrtc(fd, crtc, fb, 0, 0, &conn->connector_id, 1, &conn->modes[0]))
		die("SETCRTC: %s", strerror(errno));
	printf("ok shown: the last frame on connector %u, %ux%u, scaled %u times\n",
	       conn->connector_id, cd.width, cd.height, scale);
	fflush(stdout);
	sleep(secs);
	munmap(px, cd.size);
	drmModeRmFB(fd, fb);
	drmModeFreeEncoder(enc);
	drmModeFreeConnector(conn);
	drmModeFreeResources(res);
	close(fd);
}

int main(int argc, char **argv)
{
	unsigned int frames = 60, cycles = 50, nsub = 200, exported = 0;
	unsigned int show_secs = 0, region_mb = 0;
	uint32_t size = 256, *last = NULL;
	int host = 0;
	struct gpu g = { 0 };
	double fps, allocs, us = 0, rate = 0;
	int opt;

	while ((opt = getopt(argc, argv, "f:s:m:l:n:xr:S:Ba")) != -1) {
		switch (opt) {
		case 'f':
			frames = strtoul(optarg, NULL, 0);
			break;
		case 's':
			size = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			cycles = strtoul(optarg, NULL, 0);
			break;
		case 'l':
			nsub = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			name = optarg;
			break;
		case 'x':
			host = 1;
			break;
		case 'r':
			region_mb = strtoul(optarg, NULL, 0);
			break;
		case 'S':
			show_secs = strtoul(optarg, NULL, 0);
			break;
		case 'B':
			show_blob = 1;
			break;
		case 'a':
			any_driver = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-f N] [-s size] [-m N] [-l N] [-n name]%s\n",
				argv[0], " [-x] [-r MiB] [-S secs [-B]] [-a]");
			return 2;
		}
	}
	/* the rectangle moves by whole 8-pixel cells' worth of room */
	if (size < 2 * CELL || size % (2 * CELL) || !frames)
		die("size must be a multiple of %d and frames at least 1", 2 * CELL);

	open_venus(&g);
	open_device(&g);

	if (show_secs) {
		last = malloc((size_t)size * size * 4);
		if (!last)
			die("out of memory");
	}
	fps = render(&g, size, frames, &exported, last);
	printf("ok render: %u frames of %ux%u, every pixel as drawn, %u sync_fd exports\n",
	       frames, size, size, exported);
	allocs = cycles ? churn(&g, cycles) : 0;
	printf("ok memory: %u host-visible allocations mapped whole and in part\n", cycles);
	if (nsub)
		submits(&g, nsub, &us, &rate);
	printf("ok submissions: %u waited, %u unwaited\n", nsub, nsub);
	if (host)
		host_blob(&g);
	if (region_mb)
		region_full(&g, region_mb);
	if (last) {
		show(last, size, show_secs);
		free(last);
	}

	VK(vkDeviceWaitIdle(g.dev));
	vkDestroyCommandPool(g.dev, g.pool, NULL);
	vkDestroyDevice(g.dev, NULL);
	vkDestroyInstance(g.inst, NULL);
	printf("BENCH venus_%s fps=%.1f allocs_per_s=%.0f submit_us=%.0f submits_per_s=%.0f\n",
	       name, fps, allocs, us, rate);
	return 0;
}
