// SPDX-License-Identifier: GPL-2.0
/*
 * vgpu-drmcheck: what libdrm sees of a DRM node, checked against
 * expectations. Exit status 0 when every check holds, 1 otherwise.
 *
 *   vgpu-drmcheck version NODE NAME MIN_MINOR   driver name, major 0, minor
 *   vgpu-drmcheck bus NODE VENDOR DEVICE        PCI bus and ids (hex)
 *   vgpu-drmcheck show NODE                     print what libdrm reports
 *                                               (no checks)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xf86drm.h>

static int open_node(const char *node)
{
	int fd = open(node, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "FAIL: open %s: %s\n", node, strerror(errno));
	return fd;
}

static int check_version(const char *node, const char *name, int min_minor)
{
	drmVersionPtr v;
	int fd, ok;

	fd = open_node(node);
	if (fd < 0)
		return 1;
	v = drmGetVersion(fd);
	close(fd);
	if (!v) {
		printf("FAIL: drmGetVersion(%s) failed\n", node);
		return 1;
	}
	printf("%s: name %s version %d.%d.%d desc \"%s\"\n", node, v->name,
	       v->version_major, v->version_minor, v->version_patchlevel,
	       v->desc);
	ok = !name || (!strcmp(v->name, name) && v->version_major == 0 &&
		       v->version_minor >= min_minor);
	if (!ok)
		printf("FAIL: %s: expected %s 0.>=%d, got %s %d.%d\n", node, name,
		       min_minor, v->name, v->version_major, v->version_minor);
	drmFreeVersion(v);
	return !ok;
}

static int check_bus(const char *node, unsigned int vendor, unsigned int device)
{
	drmDevicePtr dev;
	int fd, ret, ok;

	fd = open_node(node);
	if (fd < 0)
		return 1;
	ret = drmGetDevice2(fd, 0, &dev);
	close(fd);
	if (ret) {
		printf("FAIL: drmGetDevice2(%s): %d\n", node, ret);
		return 1;
	}
	if (dev->bustype != DRM_BUS_PCI) {
		printf("FAIL: %s: bus type %d, expected PCI\n", node, dev->bustype);
		drmFreeDevice(&dev);
		return 1;
	}
	printf("%s: pci %04x:%02x:%02x.%u id %04x:%04x nodes%s%s\n", node,
	       dev->businfo.pci->domain, dev->businfo.pci->bus,
	       dev->businfo.pci->dev, dev->businfo.pci->func,
	       dev->deviceinfo.pci->vendor_id, dev->deviceinfo.pci->device_id,
	       (dev->available_nodes & (1 << DRM_NODE_PRIMARY)) ? " primary" : "",
	       (dev->available_nodes & (1 << DRM_NODE_RENDER)) ? " render" : "");
	ok = !vendor || (dev->deviceinfo.pci->vendor_id == vendor &&
	     dev->deviceinfo.pci->device_id == device &&
	     (dev->available_nodes & (1 << DRM_NODE_PRIMARY)) &&
	     (dev->available_nodes & (1 << DRM_NODE_RENDER)));
	if (!ok)
		printf("FAIL: %s: expected %04x:%04x with primary and render nodes\n",
		       node, vendor, device);
	drmFreeDevice(&dev);
	return !ok;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "version"))
		return check_version(argv[2], argv[3], atoi(argv[4]));
	if (argc == 5 && !strcmp(argv[1], "bus"))
		return check_bus(argv[2], strtoul(argv[3], NULL, 16),
				 strtoul(argv[4], NULL, 16));
	if (argc == 3 && !strcmp(argv[1], "show")) {
		check_version(argv[2], NULL, 0);
		check_bus(argv[2], 0, 0);
		return 0;
	}
	fprintf(stderr,
		"usage: %s version NODE NAME MIN_MINOR | bus NODE VENDOR DEVICE | show NODE\n",
		argv[0]);
	return 2;
}
