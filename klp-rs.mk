# SPDX-License-Identifier: GPL-2.0
# klp-rs for a live patch in a directory of its own (README, "Your own patch").
# The patch's Makefile sets KLP_RS to where klp-rs is (a checkout or a
# read-only install) and includes this file:
#
#   KLP_RS ?= /path/to/klp-rs
#   include $(KLP_RS)/klp-rs.mk
#
# and its Kbuild lists the modules and includes klp-rs.kbuild:
#
#   obj-m := my_patch.o
#   include $(KLP_RS)/klp-rs.kbuild
#
# Targets, run in the patch's directory:
#   make                 build the modules against KDIR, convert their
#                        private-symbol references (tools/klp-convert) and
#                        check them against the kernel (tools/klp-check; the
#                        .ko of a patched module is looked for in the patch's
#                        directory, KDIR's samples and KLP_MODULE_DIRS)
#   make check           boot the klp-rs test kernel with the modules and run
#                        the guest script GUEST_TEST in it (scripts/run-qemu --script)
#   make rust-analyzer   write rust-project.json, so that an editor resolves
#                        kernel:: and klp::
#   make clean           remove build products
#   make help            this text
#
# KDIR defaults to klp-rs's test kernel (scripts/build-kernel, FLAVOR default
# or debug), built on first use; for the running kernel, pass
# KDIR=/lib/modules/$(uname -r)/build and the LLVM= it was built with.
# Only the patch's directory is written to, and ~/.cache/klp-rs.

klp-rs-dir := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
GUEST_TEST ?= guest-test.sh
FLAVOR ?= default
ifeq ($(origin KDIR),undefined)
KDIR = $$($(klp-rs-dir)/scripts/build-kernel --flavor $(FLAVOR) --print-kdir)
LLVM ?= -19
klp-kernel-dep := klp-rs-kernel
endif
GUEST_TIMEOUT ?= $(if $(filter debug,$(FLAVOR)),3600,600)

klp-kbuild = $(MAKE) -C $(KDIR) M=$(CURDIR) KLP_RS=$(klp-rs-dir) $(if $(LLVM),LLVM=$(LLVM))

.PHONY: all modules check rust-analyzer clean help klp-rs-kernel
all: modules

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(klp-rs-dir)/klp-rs.mk

klp-rs-kernel:
	$(klp-rs-dir)/scripts/build-kernel --flavor $(FLAVOR)

modules: $(klp-kernel-dep)
	$(klp-kbuild) modules
	$(klp-rs-dir)/scripts/convert-modules $(CURDIR)
	$(klp-rs-dir)/scripts/check-modules $(addprefix --module-dir ,$(KLP_MODULE_DIRS)) \
		$(KDIR) $(CURDIR)

check: modules
	$(klp-rs-dir)/scripts/run-qemu --kdir $(KDIR) --modules $(CURDIR) \
		--script $(GUEST_TEST) --timeout $(GUEST_TIMEOUT)

# The kernel's own rust-project.json for an external module, extended with
# a crate for each Rust module (scripts/rust-project).
rust-analyzer: $(klp-kernel-dep)
	$(klp-kbuild) generated/
	$(klp-kbuild) rust-analyzer
	$(klp-rs-dir)/scripts/rust-project $(CURDIR)

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(klp-kbuild) clean; fi
	rm -rf generated rust-project.json
