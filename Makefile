# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of vgpu.ko.
#   make [KVER=<release>] [KDIR=<build tree>] [W=1] [C=1]
#   make install | uninstall | lint | kernels | check | check-all | demo | bench | fuzz | clean
# Without KVER/KDIR the running kernel's build tree is used; when that is
# missing, the kernel that Debian's linux-headers-amd64 points to.

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
ifeq ($(wildcard $(KDIR)/Makefile),)
  ifeq ($(origin KDIR),file)
    DEBKVER := $(shell . tests/vm/lib.sh && vgpu_debian_kver 2>/dev/null)
    ifneq ($(DEBKVER),)
      $(info vgpu: no build tree for $(KVER); using linux-headers-amd64 ($(DEBKVER)))
      KVER := $(DEBKVER)
      KDIR := /lib/modules/$(KVER)/build
    endif
  endif
endif

VGPU_DIR := drivers/gpu/drm/vgpu
COMPAT_H := $(VGPU_DIR)/vgpu_compat_gen.h
MODULE   := $(VGPU_DIR)/vgpu.ko
SOURCES  := $(filter-out %.mod.c,$(wildcard $(VGPU_DIR)/*.[ch] $(VGPU_DIR)/compat/*.c include/uapi/drm/*.h tests/kunit/*.[ch] tests/host/*.c tests/vm/guest/*.c tests/vm/selftest/*.c tests/igt/*.[ch] tests/bench/*.[ch] tests/fuzz/*.[ch] tests/venus/*.[ch]))
MODPROBE_CONF := /etc/modprobe.d/vgpu.conf

.PHONY: all modules compat install uninstall lint kernels check check-all demo bench fuzz clean

all: modules

compat:
	@scripts/compat-probe.sh $(KDIR) $(COMPAT_H)

modules: compat
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	install -m 0644 scripts/vgpu-modprobe.conf $(MODPROBE_CONF)
	depmod -a $(KVER)

uninstall:
	rm -f /lib/modules/$(KVER)/updates/$(VGPU_DIR)/vgpu.ko \
	      /lib/modules/$(KVER)/updates/vgpu.ko $(MODPROBE_CONF)
	depmod -a $(KVER)

# checkpatch on every source, and no call cycle between the driver's files
lint: modules
	@scripts/callgraph.py --quiet
	@scripts/lint.sh $(SOURCES)

kernels:
	@scripts/kernels.sh $(KERNELS)

check:
	@tests/run-all.sh

check-all:
	@VGPU_FULL=1 tests/run-all.sh

demo:
	@tests/vm/demo.sh

bench:
	@tests/bench/run.sh

fuzz:
	@tests/fuzz/run.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f $(COMPAT_H) $(COMPAT_H:.h=.mk)
