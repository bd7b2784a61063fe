# SPDX-License-Identifier: GPL-2.0
#
# Top-level targets. The module itself is described by ./Kbuild.
#   make            module (kernel/adprof.ko) and userspace/adprofctl
#   make check      everything CI runs, ending with "N passed, N failed"
#   make demo       boot the guest and show adprof at work
# See README.md for the rest.

ifeq ($(KDIR),)
KDIR := $(shell KVER=$(KVER) scripts/kdir.sh)
endif
ifeq ($(KVER),)
KVER := $(shell scripts/kdir.sh --kver $(KDIR))
endif
export KVER

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR)

.PHONY: all module userspace deps kunit kunit-sanitize vm-test fuzz stress unload-cycles check demo \
	sparse checkpatch clean help

all: module userspace

module:
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

fuzz: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.fuzz=$(or $(FUZZ_COUNT),100000) adprof.seed=$(or $(SEED),1)" \
		tests/vm/run.sh --only 90-fuzz

stress: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.stress=$(or $(STRESS_SECONDS),60)" tests/vm/run.sh --only 80-stress

unload-cycles: deps all
	$(MAKE) -C userspace adprofctl.static
	VM_APPEND="adprof.unload=$(or $(CYCLES),100)" tests/vm/run.sh --only 85-unload

sparse:
	$(KMAKE) C=2 W=1 modules

checkpatch:
	scripts/checkpatch.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

clean:
	$(KMAKE) clean
	$(MAKE) -C userspace clean
	rm -rf build

help:
	@sed -n '3,8p' Makefile
