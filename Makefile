# SPDX-License-Identifier: GPL-2.0
#
# ucproxy: Unified Communications proxy for Linux routers.
#
#   make            build the module (Debian 12's 6.1 headers) and the tools
#   make check      install what is missing, build, unit tests, guest tests
#   make demo       install what is missing, build, show the proxy in a guest
#   make fuzz       fuzz every parser and transform (FUZZ_SECONDS each, 60)
#   make fuzz-long  the same for FUZZ_LONG_SECONDS each (3600), corpus kept
#   make bench      benchmarks of the cores against their peers, side by side,
#                   of the media path in a guest (bench-media alone), and of
#                   ucproxyd with kTLS against kTLS off (bench-agent alone)
#   make install    install the module and tools on this machine
#   make dkms-install  register the module source with DKMS instead
#
# KVER= picks the kernel release (default: scripts/kver), KDIR= its build tree.

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
MAKEFLAGS += --no-print-directory

KVER ?= $(shell scripts/kver 2>/dev/null)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell sed -n 's/^\#define UCP_VERSION "\(.*\)"/\1/p' kmod/version.h)
VMTEST ?= scripts/vmtest
PREFIX ?= /usr/local
DESTDIR ?=

all: kmod user

deps:
	scripts/deps

kmod:
	@test -n "$(KVER)" || scripts/kver
	$(MAKE) -C kmod KDIR=$(KDIR)

user:
	$(MAKE) -C user
	$(MAKE) -C selftests

# Kernel coding style of the module's sources.
checkpatch:
	scripts/checkpatch

# Static checks of the kernel code: sparse on every file.
sparse:
	$(MAKE) -C kmod KDIR=$(KDIR) clean
	$(MAKE) -C kmod KDIR=$(KDIR) C=1 2>&1 | tee build/sparse.log
	! grep -E 'warning:|error:' build/sparse.log

# The interface code generated from the netlink spec: `gen` writes it,
# check-gen fails when a committed file differs from what the spec gives.
gen:
	scripts/ynl-gen

check-gen:
	scripts/ynl-gen --check

# The uapi header's names keep the values of the committed ABI record
# (Documentation/netlink/ucproxy.abi); `scripts/check-uapi --update` records
# new ones.
check-uapi:
	scripts/check-uapi

# The shape of kmod/ (no include cycle, no protocol crossing, no files that
# call each other) and kernel-doc on every non-static function; both read
# the module's objects, so they follow a build (sparse's).
check-layers:
	scripts/check-layers

check-kdoc:
	scripts/check-kdoc

# Pure cores, compiled in userspace with ASan and UBSan.
unit:
	$(MAKE) -C user/tests check

# libFuzzer targets of the pure cores; FUZZ_SECONDS per target, F=name.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(MAKE) -C fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS) $(if $(F),F=$(F))

# A campaign: each target for FUZZ_LONG_SECONDS (an hour), then what it found
# that adds coverage is kept in fuzz/corpus/ (commit it; CI replays it).
FUZZ_LONG_SECONDS ?= 3600
fuzz-long: deps
	$(MAKE) -C fuzz run FUZZ_SECONDS=$(FUZZ_LONG_SECONDS) $(if $(F),F=$(F))
	$(MAKE) -C fuzz merge $(if $(F),F=$(F))

# Userspace benches of the cores, then the guest benches: SRTP->RTP
# forwarding through the router per lane (plain NAT, rtpengine's kernel
# module, ucproxy), as ratios from one boot (Documentation/bench.md), and
# the TLS agent with kTLS against kTLS off.
bench:
	scripts/deps --bench
	$(MAKE) all
	$(MAKE) -C bench run
	$(MAKE) bench-media
	$(MAKE) bench-agent

# The agent's benchmark needs the module and kTLS: it runs in the guest.
bench-agent:
	$(VMTEST) --kver $(KVER) -- bench/ucproxyd.sh

bench-media:
	$(MAKE) -C bench/media run KVER=$(KVER) VMTEST=$(abspath $(VMTEST))

# Kernel selftests in a QEMU guest booting $(KVER); each test has its own
# bound (selftests/settings), the whole guest 40 minutes. The module index
# a guest's `depmod -a` would write is computed here first, at native speed
# (scripts/depmod-index; module_load.sh installs the module with it).
vmtest: all
	scripts/depmod-index $(KVER) kmod/ucproxy.ko build/depmod/$(KVER)
	$(VMTEST) --kver $(KVER) --timeout 2400 -- \
		env UCP_DEPMOD_INDEX=$(abspath build/depmod/$(KVER))/index selftests/run_tests.sh

check: deps
	$(MAKE) all
	@mkdir -p build
	$(MAKE) check-gen
	$(MAKE) check-uapi
	$(MAKE) checkpatch
	$(MAKE) sparse
	$(MAKE) check-layers
	$(MAKE) check-kdoc
	$(MAKE) unit 2>&1 | tee build/unit.log
	$(MAKE) vmtest 2>&1 | tee build/vmtest.log
	scripts/summary build/unit.log build/vmtest.log

# The guest suite again on a debug kernel (KASAN, kmemleak, lockdep, UBSAN,
# KUnit), plus planted bugs that it must catch.
check-debug: deps
	$(MAKE) all
	scripts/check-debug

demo: deps
	$(MAKE) all
	$(VMTEST) --kver $(KVER) -- scripts/demo

install: all
	$(MAKE) -C kmod KDIR=$(KDIR) INSTALL_MOD_DIR=updates \
		INSTALL_MOD_PATH=$(DESTDIR) modules_install
	depmod -a $(if $(DESTDIR),-b $(DESTDIR)) $(KVER)
	$(MAKE) -C user install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

dkms-install:
	rm -rf $(DESTDIR)/usr/src/ucproxy-$(VERSION)
	mkdir -p $(DESTDIR)/usr/src/ucproxy-$(VERSION)/include/uapi/linux
	cp -r kmod $(DESTDIR)/usr/src/ucproxy-$(VERSION)/
	cp include/uapi/linux/ucproxy.h \
		$(DESTDIR)/usr/src/ucproxy-$(VERSION)/include/uapi/linux/
	sed 's/@VERSION@/$(VERSION)/' kmod/dkms.conf \
		> $(DESTDIR)/usr/src/ucproxy-$(VERSION)/dkms.conf
	$(MAKE) -C $(DESTDIR)/usr/src/ucproxy-$(VERSION)/kmod clean KDIR=$(KDIR)
	dkms install ucproxy/$(VERSION) -k $(KVER)

clean:
	-$(MAKE) -C kmod KDIR=$(KDIR) clean
	$(MAKE) -C user clean
	$(MAKE) -C user/tests clean
	$(MAKE) -C selftests clean
	$(MAKE) -C fuzz clean
	$(MAKE) -C bench clean
	$(MAKE) -C bench/media clean
	rm -rf build

.PHONY: all deps kmod user gen check-gen check-uapi check-layers check-kdoc checkpatch sparse unit fuzz fuzz-long bench bench-media bench-agent vmtest check check-debug demo \
	install dkms-install clean
