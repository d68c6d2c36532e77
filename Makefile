# SPDX-License-Identifier: GPL-2.0
#
# klp-rs: kernel live patches in Rust.
#
#   make                 build all modules against KDIR, convert their
#                        private-symbol references (tools/klp-convert) and
#                        check them against the kernel (tools/klp-check)
#   make check           build what is missing and run every test below, with totals
#                        (FILTER=REGEX runs only the guest tests whose name matches)
#   make check-debug     the same on the debug kernel (KASAN, lockdep, kmemleak...)
#   make check-guest     boot the test kernel and run our tests in it
#   make check-each      each test of check-guest alone, a boot each
#   make check-stress    boot the test kernel twice and run the stress tests
#   make selftests       the kernel's livepatch selftests, C and Rust modules
#   make check-signing   signed and unsigned patches on kernels that enforce signatures
#   make check-boot      a patch installed with klpctl, loaded by the guest's /init
#   make bench           what a live patch costs, Rust beside C, into bench/
#                        (BENCH=quick: one short iteration, into bench/quick/)
#   make klpctl          build klpctl (static) and print its path
#   make demo            boot the test kernel and show a Rust live patch at work
#   make lint            rustfmt check and a clippy build with warnings as errors
#   make build           that build alone
#   make compile-fail    check that the klp macros reject what they must
#   make check-tools     the host tools (tools/*): cargo fmt, clippy and test
#   make check-klp       what tools/klp-check says about the modules made to fail it
#   make check-walkthrough  follow the README's "Your own patch" in a temporary
#                        directory: build a patch outside the tree and boot it
#   make doc             the klp API documentation, HTML in doc/klp_rs/klp/index.html
#   make rust-analyzer   write rust-project.json, so that an editor resolves
#                        kernel:: and klp:: in patches/ and tests/
#   make clean           remove build products
#   make help            this text
#
# KLP_ONLY=OBJECTS builds only those modules, e.g.
# `make modules KLP_ONLY=patches/livepatch_sample.o`.
#
# KERNEL selects the kernel to build for and boot: 6.12 (the default) or 7.2,
# klp-rs's own test kernels, built from Debian's linux-source packages
# (scripts/build-kernel), or debian, Debian's own 7.2 distribution kernel, for
# which every build runs in a Debian 13 chroot with Debian's toolchain
# (scripts/debian-kernel, README "Patching the kernel your distribution
# ships"). `make check` tests all three unless KERNELS names fewer.
#
# KLP_SIGN_KEY=FILE (and KLP_SIGN_CERT=FILE) signs the modules built, for a
# kernel that enforces module signatures (README "Signed patches").
#
# KDIR defaults to KERNEL's test kernel of FLAVOR (default, or debug), which
# `make` builds first if needed. Point it at any CONFIG_RUST kernel build
# directory to build the modules for that kernel, e.g.
# KDIR=/lib/modules/$(uname -r)/build.

KERNEL ?= 6.12
FLAVOR ?= default
ifeq ($(origin KDIR),undefined)
KERNEL_DEP := kernel
ifeq ($(KERNEL),debian)
# Evaluated by the shell when a recipe runs: the chroot's and the kernel's
# cache keys are known only after setup.
KDIR = $$(scripts/debian-kernel --print-kdir)
# Debian's headers have a BTF-only vmlinux: tools/klp-check reads the one of
# Debian's linux-image-*-dbg package, which scripts/debian-kernel unpacks.
KLP_VMLINUX = $$(scripts/debian-kernel --print-vmlinux)
KLP_RUN := scripts/debian-env run
else
KDIR = $$(scripts/build-kernel --kernel $(KERNEL) --flavor $(FLAVOR) --print-kdir)
LLVM ?= -19
endif
endif

# KLP_VMLINUX=FILE: the vmlinux that tools/klp-check checks patches against,
# with its symbols, __mcount_loc and debug info; KDIR's by default (Debian's
# -dbg one above). Without one the build says it checked nothing.
# The C modules of the kernel's livepatch selftests, built against KDIR: some
# of our ports patch them. Only for the kernels klp-rs builds: a KDIR given
# (/lib/modules/.../build) has no source tree to build them from.
SELFTESTS_DIR = $$(LLVM=$(LLVM) $(KLP_RUN) scripts/build-selftests $(KDIR))
ifeq ($(origin KDIR),file)
KLP_CHECK_DIRS = --module-dir $(SELFTESTS_DIR)/test_modules
endif

KBUILD_ARGS := -C $(KDIR) M=$(CURDIR) $(if $(LLVM),LLVM=$(LLVM))
# The module build's make, run where the kernel's toolchain is.
KMAKE := $(KLP_RUN) $(MAKE) $(KBUILD_ARGS)
# KLP_SIGN_KEY=<private key> (and KLP_SIGN_CERT=<its X.509 certificate>, by
# default the same file, as the kernel's certs/signing_key.pem holds both)
# signs every module built (scripts/sign-modules), for kernels that enforce
# module signatures.
KLP_SIGN_CERT ?= $(KLP_SIGN_KEY)
# Private symbols (klp::private!) become livepatch relocations once Kbuild has
# linked each module (scripts/convert-modules, tools/klp-convert), before
# signing. klp_rs_unconverted stays as built: tests/test-private.sh checks that
# such a module is refused.
CONVERT = scripts/convert-modules --except tests/modules/klp_rs_unconverted.o $(CURDIR)
# Then each patch module is checked against the kernel (scripts/check-modules,
# tools/klp-check): a symbol it names that the kernel lacks, an ambiguous name,
# an unpatchable target or a prototype that differs fails the build. The
# modules made to fail those checks are left to scripts/check-klp, which tests
# what klp-check says about them.
KLP_CHECK_FAILS = tests/modules/klp_rs_bad_input.o tests/modules/klp_rs_patch_rust.o \
	tests/modules/klp_rs_bad_prototypes.o
CHECK_MODULES = scripts/check-modules $(if $(KLP_VMLINUX),--vmlinux $(KLP_VMLINUX)) $(KLP_CHECK_DIRS) \
	$(addprefix --except ,$(KLP_CHECK_FAILS)) $(KDIR) $(CURDIR)
SIGN = $(if $(KLP_SIGN_KEY),$(KLP_RUN) scripts/sign-modules $(KDIR) $(KLP_SIGN_KEY) $(KLP_SIGN_CERT) $(CURDIR))
# A guest's hard time limit: a hang must not outlive CI. The debug kernel
# runs several times slower under TCG.
GUEST_TIMEOUT ?= $(if $(filter debug,$(FLAVOR)),3600,1800)
RUNNER := scripts/run-qemu --kdir $(KDIR) --modules $(CURDIR) --timeout $(GUEST_TIMEOUT) \
	$(if $(FILTER),--filter '$(FILTER)')

RUST_SOURCES := $(wildcard src/*.rs patches/*.rs tests/*/*.rs)
# User-space helpers the guest tests run (static: the guest has no libc).
USER_PROGS := $(patsubst %.c,%,$(wildcard tests/user/*.c))

.PHONY: all modules user setup kernel lint build compile-fail check check-debug check-guest check-each check-tools check-klp \
	check-stress check-stress-calls check-stress-samples check-signing selftests demo doc rust-analyzer \
	check-walkthrough clean help klpctl check-boot bench
all: modules user

help:
	@sed -n '3,/^$$/s/^# \{0,1\}//p' Makefile

setup:
	scripts/setup

kernel: setup
ifeq ($(KERNEL),debian)
	scripts/debian-kernel
else
	scripts/build-kernel --kernel $(KERNEL) --flavor $(FLAVOR)
endif

modules: $(KERNEL_DEP)
	$(KMAKE) modules
	$(CONVERT)
	$(CHECK_MODULES)
	$(SIGN)

HOSTCC ?= gcc
user: $(USER_PROGS)

tests/user/%: tests/user/%.c
	$(HOSTCC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The modules that `check` boots: built with warnings as errors, and with clippy
# where the toolchain is rustup's (not in Debian's chroot, which has none).
STRICT_BUILD = $(KMAKE) $(if $(KLP_RUN),,CLIPPY=1) KLP_WERROR=1 modules && $(CONVERT) && \
	$(CHECK_MODULES) $(if $(SIGN),&& $(SIGN))

# Formatting, then the strict build.
lint: setup $(KERNEL_DEP) user
	rustfmt --check --edition 2021 $(RUST_SOURCES)
	$(STRICT_BUILD)

# The strict build alone: what `check` runs for each kernel after the first.
build: setup $(KERNEL_DEP) user
	$(STRICT_BUILD)

# What tools/klp-check and klp-convert --check say about the modules made to
# fail them, and that every other module passes: after `build` or `lint`.
check-klp: setup $(KERNEL_DEP)
	scripts/check-klp $(if $(KLP_VMLINUX),--vmlinux $(KLP_VMLINUX)) $(KLP_CHECK_DIRS) $(KDIR) $(CURDIR)

# The host tools (Cargo.toml, tools/*): cargo fmt --check, clippy with
# warnings as errors, cargo test.
check-tools: setup
	scripts/check-tools

# What the klp macros must reject at compile time (tests/compile-fail/).
compile-fail: setup $(KERNEL_DEP)
	$(KLP_RUN) scripts/check-compile-fail $(KBUILD_ARGS)

# Everything below, with the totals: what CI runs.
# The kernels `check` tests: all unless KDIR or KERNEL is given on the command line.
KERNELS ?= $(if $(filter command line,$(origin KDIR) $(origin KERNEL)),$(KERNEL),6.12 7.2 debian)
check: setup
	KLP_KERNELS_TESTED='$(KERNELS)' scripts/check $(MAKE) --no-print-directory \
		$(if $(filter command line,$(origin KDIR)),KDIR=$(KDIR)) \
		FLAVOR=$(FLAVOR) $(if $(FILTER),FILTER='$(FILTER)')

# All of `check` on the debug kernel; each guest suite ends with a kmemleak
# scan there, and any kernel report fails it. The modules are rebuilt for
# that kernel (and again for the default one by the next `make check`).
check-debug:
	$(MAKE) --no-print-directory check FLAVOR=debug KERNELS=$(KERNEL)

# The guest suites boot the modules that `lint` builds; scripts/check, which
# has just run lint, empties this to skip a second run.
GUEST_PREREQ ?= lint

# Our tests in the booted kernel (tests/suite-check.sh), split between
# SHARDS boots that run at once (scripts/run-qemu --shards): most of a test's
# time is the kernel's one-second transition retries and the shadow samples'
# 12-second expiry, waits that overlap across boots.
SHARDS ?= 2
check-guest: $(GUEST_PREREQ) user
	$(RUNNER) --suite check --shards $(SHARDS)

# The cmdline patch installed with klpctl install and loaded by the guest's
# /init with klpctl load --all, as klpctl.service does at boot
# (tests/suite-boot.sh).
check-boot: $(GUEST_PREREQ) user
	$(RUNNER) --suite boot --install $(CURDIR)/patches/livepatch_sample.ko

# Every test of check-guest alone, a boot each with a filter that matches only
# that test (FILTER=REGEX narrows the list): proof that no test depends on
# what another left behind.
check-each: $(GUEST_PREREQ) user
	scripts/check-each --kdir $(KDIR) --modules $(CURDIR) $(if $(FILTER),--filter '$(FILTER)')

# The stress tests (tests/test-stress.sh), in two boots of their own: they
# take many minutes of the kernel's one-second transition retries.
check-stress: check-stress-calls check-stress-samples
check-stress-calls: $(GUEST_PREREQ) user
	$(RUNNER) --suite stress-calls
check-stress-samples: $(GUEST_PREREQ) user
	$(RUNNER) --suite stress-samples

# Module signatures, both ways (scripts/check-signing): the 6.12 and 7.2 test
# kernels, booted with module.sig_enforce=1, load the patch signed with the key
# their build generated and refuse it unsigned; Debian's kernel,
# booted with module.sig_enforce=1, refuses it unsigned and signed with a key
# it does not trust.
check-signing: setup
	scripts/check-signing --kernel $(KERNEL)

# The kernel's own livepatch selftests, against the C modules and our ports.
selftests: $(GUEST_PREREQ) user
	$(RUNNER) --suite selftests --selftests $(SELFTESTS_DIR) --shards $(SHARDS)

# klpctl (tools/klpctl), static for musl: print the path of the binary.
klpctl: setup
	@bash -c 'source scripts/common.sh && klp_build_static_tool klpctl'

# What a live patch costs, Rust beside C, in one boot of the test kernel
# (tests/suite-bench.sh); tools/klp-bench turns the samples into
# $(BENCH_DIR)/bench.json, bench.md and SVG plots. BENCH=quick: one short
# iteration of each part, into a temporary directory (what `check` runs).
BENCH ?= full
BENCH_DIR ?= $(if $(filter quick,$(BENCH)),bench/quick,bench)
bench: $(GUEST_PREREQ) user
	scripts/bench --kdir $(KDIR) --modules $(CURDIR) --mode $(BENCH) --out $(BENCH_DIR)

demo: modules user
	$(RUNNER) --suite demo

# The klp API as HTML, by rustdoc with the module build's flags (the doc/
# target of Kbuild); a broken intra-doc link or any other warning fails it.
doc: $(KERNEL_DEP)
	$(KMAKE) doc/
	@echo "klp API documentation: $(CURDIR)/doc/klp_rs/klp/index.html"

# The kernel's own rust-project.json for an external module, extended with a
# crate for each Rust module and compile-fail case (scripts/rust-project).
# Needs the generated files, not a successful build.
rust-analyzer: $(KERNEL_DEP)
	$(KMAKE) generated/
	$(KMAKE) rust-analyzer
	scripts/rust-project $(CURDIR) $(wildcard tests/compile-fail/*.rs)

# The README's walkthrough of a patch outside the tree, followed in a
# temporary directory against the same kernel.
check-walkthrough: $(KERNEL_DEP)
	scripts/check-walkthrough $(if $(filter command line,$(origin KDIR)),KDIR=$(KDIR)) \
		$(if $(LLVM),LLVM=$(LLVM)) FLAVOR=$(FLAVOR)

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(KMAKE) clean; fi
	rm -rf generated doc rust-project.json $(USER_PROGS)
