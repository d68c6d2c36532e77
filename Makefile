# SPDX-License-Identifier: GPL-2.0
#
# klp-rs: kernel live patches in Rust.
#
#   make                 build all modules against KDIR
#   make check           build what is missing and run every test below, with totals
#                        (FILTER=REGEX runs only the guest tests whose name matches)
#   make check-guest     boot the test kernel and run our tests in it
#   make selftests       the kernel's livepatch selftests, C and Rust modules
#   make demo            boot the test kernel and show a Rust live patch at work
#   make lint            rustfmt check and a clippy build with warnings as errors
#   make compile-fail    check that the klp macros reject what they must
#   make clean           remove build products
#
# KDIR defaults to the cached test kernel (scripts/build-kernel), which `make`
# builds first if needed. Point it at any CONFIG_RUST kernel build directory to
# build the modules for that kernel, e.g. KDIR=/lib/modules/$(uname -r)/build.

ifeq ($(origin KDIR),undefined)
# Evaluated by the shell when a recipe runs, after `setup` has installed the
# toolchain that the cache key names.
KDIR = $$(scripts/build-kernel --print-kdir)
LLVM ?= -19
KERNEL_DEP := kernel
endif

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) $(if $(LLVM),LLVM=$(LLVM))
RUNNER := scripts/run-qemu --kdir $(KDIR) --modules $(CURDIR) $(if $(FILTER),--filter '$(FILTER)')

RUST_SOURCES := $(wildcard src/*.rs patches/*.rs tests/*/*.rs)

.PHONY: all modules setup kernel lint compile-fail check check-guest selftests demo clean
all: modules

setup:
	scripts/setup

kernel: setup
	scripts/build-kernel

modules: $(KERNEL_DEP)
	$(MAKE) $(KBUILD_ARGS) modules

# Formatting, then the modules built with clippy and warnings as errors: these
# are the modules that `check` boots.
lint: setup $(KERNEL_DEP)
	rustfmt --check --edition 2021 $(RUST_SOURCES)
	$(MAKE) $(KBUILD_ARGS) CLIPPY=1 KLP_WERROR=1 modules

# What the klp macros must reject at compile time (tests/compile-fail/).
compile-fail: setup $(KERNEL_DEP)
	scripts/check-compile-fail $(KBUILD_ARGS)

# Everything below, with the totals: what CI runs.
check: setup $(KERNEL_DEP)
	scripts/check $(MAKE) --no-print-directory $(if $(filter command line,$(origin KDIR)),KDIR=$(KDIR)) \
		$(if $(FILTER),FILTER='$(FILTER)')

# The guest suites boot the modules that `lint` builds; scripts/check, which
# has just run lint, empties this to skip a second run.
GUEST_PREREQ ?= lint

# Our tests in the booted kernel (tests/suite-check.sh).
check-guest: $(GUEST_PREREQ)
	$(RUNNER) --suite check

# The kernel's own livepatch selftests, against the C modules and our ports.
selftests: $(GUEST_PREREQ)
	$(RUNNER) --suite selftests --selftests $$(scripts/build-selftests $(KDIR))

demo: modules
	$(RUNNER) --suite demo

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) $(KBUILD_ARGS) clean; fi
	rm -rf src/generated
