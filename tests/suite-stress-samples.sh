# SPDX-License-Identifier: GPL-2.0
# `make check-stress-samples` inside the guest: every sample patch, Rust and
# C, loaded and unloaded again and again (tests/test-stress.sh). KTAP on stdout.
source ./lib.sh
source ./test-stress.sh
enable_klp_debug
klp_test "stress rust: $SAMPLE_CYCLES cycles of every sample patch" test_stress_samples \
	$RUST_MODULES/livepatch_{sample,callbacks_demo,shadow_fix1,shadow_fix2}.ko
klp_test "stress c: $SAMPLE_CYCLES cycles of every sample patch" test_stress_samples \
	$C_MODULES/livepatch-{sample,callbacks-demo,shadow-fix1,shadow-fix2}.ko
run_tests
