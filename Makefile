# SPDX-License-Identifier: GPL-2.0
#
# Top-level targets. The module itself is described by ./Kbuild.
#   make            module (kernel/adprof.ko) and userspace/adprofctl
#   make check      everything CI runs, ending with "N passed, N failed"
#   make demo       boot the guest and show adprof at work
# See README.md for the rest.

# Picked quietly: before 'make deps' there is none, and targets that
# install it (demo, check, deps) must not complain first.
ifeq ($(KDIR),)
KDIR := $(shell KVER=$(KVER) scripts/kdir.sh 2>/dev/null)
endif
ifeq ($(KVER),)
KVER := $(if $(KDIR),$(shell scripts/kdir.sh --kver $(KDIR)))
endif
export KVER

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

# The debug kernel's series: KVER's (6.1.0-57-amd64 -> 6.1) unless given.
DEBUG_SERIES ?= $(word 1,$(subst ., ,$(KVER))).$(word 2,$(subst ., ,$(KVER)))

.PHONY: all module userspace deps kunit kunit-sanitize vm-test debug-kernel vm-test-debug failnth fuzz stress unload-cycles privileges check demo \
	deps-6.12 check-all dkms install \
	sparse checkpatch clean help

all: module userspace

module:
	@test -n "$(KDIR)" || { KVER=$(KVER) scripts/kdir.sh >/dev/null; exit 1; }
	@echo "adprof: building against $(KVER) ($(KDIR))"
	$(KMAKE) modules

userspace:
	$(MAKE) -C userspace

deps:
	scripts/deps.sh

kunit: deps
	kunit/run.sh

kunit-sanitize: deps
	kunit/run.sh --sanitize

vm-test: deps all
	$(MAKE) -C userspace adprofctl.static
	tests/vm/run.sh

# The debug guest kernel (tests/vm/debug.config), built once into the cache,
# and one boot of it running tests/guest/ with the module and the KUnit
# suites built against it (build/debug-$(DEBUG_SERIES)/).
debug-kernel: deps
	scripts/debug-kernel.sh $(DEBUG_SERIES)

vm-test-debug: deps userspace
	$(MAKE) -C userspace adprofctl.static
	scripts/debug-kernel.sh --module $(DEBUG_SERIES)
	scripts/debug-kernel.sh --kunit $(DEBUG_SERIES)
	tests/vm/run.sh --debug $(DEBUG_SERIES) --machine q35-intel

# 27-failnth with DEV_ASSIGN's and DEV_DEASSIGN's sweeps too (long: the PCI
# core and ACPI under every allocation failure); make check leaves them out.
failnth: deps userspace
	$(MAKE) -C userspace adprofctl.static
	scripts/debug-kernel.sh --module $(DEBUG_SERIES)
	scripts/debug-kernel.sh --kunit $(DEBUG_SERIES)
	VM_APPEND="adprof.failnth=full" tests/vm/run.sh --debug $(DEBUG_SERIES) \
		--machine q35-intel --only 27-failnth

fuzz: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.fuzz=$(or $(FUZZ_COUNT),100000) adprof.seed=$(or $(SEED),1)" \
		tests/vm/run.sh --only 90-fuzz

stress: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.stress=$(or $(STRESS_SECONDS),60) adprof.leak_cycles=$(or $(LEAK_CYCLES),100)" \
		tests/vm/run.sh --only 80-stress

unload-cycles: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.unload=$(or $(CYCLES),100)" tests/vm/run.sh --only 85-unload

privileges: deps all
	$(MAKE) -C userspace adprofctl.static
	tests/vm/run.sh --only 70-privs --results tests/results

sparse:
	$(KMAKE) C=2 W=1 modules

checkpatch:
	scripts/checkpatch.sh

check:
	scripts/check.sh

# Both LTS kernels: 6.12's packages on demand, make check on each.
deps-6.12:
	ADPROF_KERNELS=6.12 scripts/deps.sh

check-all:
	scripts/check-all.sh

# dkms add + build in a private DKMS tree under build/dkms (never /var/lib/dkms).
dkms: deps
	scripts/dkms.sh

# The module into /lib/modules/$(KVER)/updates/kernel/, adprofctl and its man page
# under $(PREFIX); DESTDIR (or INSTALL_MOD_PATH) stages them, without depmod.
PREFIX ?= /usr/local
INSTALL_MOD_PATH ?= $(DESTDIR)
# Debian's headers ship no signing key: do not try to sign with one.
install: all
	$(KMAKE) modules_install INSTALL_MOD_DIR=updates INSTALL_MOD_PATH=$(INSTALL_MOD_PATH) \
		CONFIG_MODULE_SIG_ALL=
	install -D -m 755 userspace/adprofctl $(DESTDIR)$(PREFIX)/bin/adprofctl
	install -D -m 644 Documentation/adprofctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/adprofctl.8
ifeq ($(DESTDIR)$(INSTALL_MOD_PATH),)
	depmod -a $(KVER)
endif

demo:
	scripts/demo.sh

clean:
	$(KMAKE) clean
	$(MAKE) -C userspace clean
	rm -rf build

help:
	@sed -n '3,8p' Makefile
