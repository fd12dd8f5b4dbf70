# SPDX-License-Identifier: GPL-2.0
#
# pqrekey top-level Makefile.
#
#   make                 module for KVER (default: running kernel if its headers
#                        exist, else Debian 12's default kernel) + userspace
#   make module KVER=... / KDIR=...
#   make user            userspace library, tests and benchmark into build/
#   make check           every test (installs what it needs; see tools/check)
#   make bench           benchmarks of the ML-KEM and FrodoKEM cores and of
#                        the AEAD cores (tools/bench, tools/bench-aead;
#                        not tests)
#   make install         module + programs (DESTDIR, PREFIX)
#   make lint            checkpatch --strict + sparse on kernel code
#
# Module objects are built in build/kmod/$(KVER)/ so that several kernels
# can be built side by side without cleaning.

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= $(CURDIR)/build

DEBIAN12_KVER := $(shell dpkg-query -W -f='$${Depends}' linux-image-amd64 2>/dev/null | \
		   sed -n 's/.*linux-image-\([0-9][^ ,]*\).*/\1/p')
ifeq ($(KVER),)
  ifneq ($(wildcard /lib/modules/$(shell uname -r)/build),)
    KVER := $(shell uname -r)
  else
    KVER := $(DEBIAN12_KVER)
  endif
endif
KDIR ?= /lib/modules/$(KVER)/build
KMOD_OUT := $(BUILD)/kmod/$(KVER)

KSRC := Kbuild $(shell find kernel include -type f 2>/dev/null)

.PHONY: all module user check bench install lint clean distclean

all: module user

module:
	@test -d "$(KDIR)" || { echo "no kernel headers at $(KDIR) (set KVER= or KDIR=, or run tools/deps)" >&2; exit 1; }
	@mkdir -p "$(KMOD_OUT)"
	@rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.cmd' \
		--exclude='*.mod*' --exclude='modules.order' --exclude='Module.symvers' \
		--exclude='.*' --exclude='aead_wycheproof.h' \
		$(wildcard Kbuild kernel include) "$(KMOD_OUT)/"
	@python3 tools/gen-aead-kat "$(VECTORS)" "$(KMOD_OUT)/kernel/tests/aead_wycheproof.h"
	$(MAKE) -C "$(KDIR)" M="$(KMOD_OUT)" W=1 modules
	@ls -1 "$(KMOD_OUT)"/*.ko

include user/user.mk

check:
	bash tools/check

bench: user
	bash tools/bench
	bash tools/bench-aead

lint:
	bash tools/lint

install: module user-install
	install -D -m 0644 "$(KMOD_OUT)/pqrekey.ko" \
		"$(DESTDIR)/lib/modules/$(KVER)/updates/pqrekey.ko"
	@if [ -z "$(DESTDIR)" ]; then depmod -a "$(KVER)"; fi

clean: user-clean
	rm -rf "$(BUILD)/kmod"

distclean:
	rm -rf "$(BUILD)"
