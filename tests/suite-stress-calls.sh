# SPDX-License-Identifier: GPL-2.0
# `make check-stress-calls` inside the guest: the cmdline patch, Rust and C,
# cycled under a caller per CPU (tests/test-stress.sh). KTAP on stdout.
source ./lib.sh
source ./test-stress.sh
enable_klp_debug
klp_test "stress rust: cmdline patch, $STRESS_CYCLES cycles under a caller per CPU" \
	test_stress_cmdline $RUST_MODULES/livepatch_sample.ko
klp_test "stress c: cmdline patch, $STRESS_CYCLES cycles under a caller per CPU" \
	test_stress_cmdline $C_MODULES/livepatch-sample.ko
run_tests
