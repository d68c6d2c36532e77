# SPDX-License-Identifier: GPL-2.0
# `make check` inside the guest: every test, KTAP on stdout.
source ./lib.sh
source ./test-layout.sh
source ./test-cmdline.sh
source ./test-callbacks.sh
source ./test-shadow.sh
source ./test-replace.sh
source ./test-rust-target.sh
source ./test-framework.sh
source ./test-bad-input.sh
source ./test-private.sh
source ./test-redact.sh
source ./test-klpctl.sh
source ./test-patchable.sh
# Last: its force test leaves a module that cannot be removed.
source ./test-consistency.sh
run_tests enable_klp_debug
